#include "scenario/run.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "management/water_uses.hpp"
#include "numerics/integrator.hpp"
#include "physics/gr4j.hpp"
#include "physics/lake_model.hpp"
#include "physics/model_parameters.hpp"

namespace daihai::scenario {

namespace {

using core::kSecondsPerDay;
using physics::Store;
using physics::TermKind;
using physics::WaterTerm;

// Daily values of every output variable are summed into annual and series bins.
struct Binner {
  std::vector<std::size_t> year_bin, series_bin;  // per day
  std::vector<std::size_t> year_days, series_days;
};

struct OutputVar {
  Variable annual, series;  // metadata; values are summed in contiguous [bin][variable] tables in the time loop
};

struct StateOut {
  const char* name;
  const char* units;
  const char* long_name;
};

constexpr StateOut kStates[] = {
    {"level_m", "m", "lake stage above sea level"},
    {"area_m2", "m2", "lake surface area"},
    {"volume_m3", "m3", "lake volume"},
    {"tds_g_per_L", "g/L", "total dissolved solids of the lake water"},
    {"salt_dissolved_kg", "kg", "dissolved salt in the lake"},
    {"salt_deposit_kg", "kg", "salt deposited on the lake bed"},
    {"aquifer_head_m", "m", "head of the lumped basin aquifer"},
    {"aquifer_storage_m3", "m3", "storage of the lumped basin aquifer above its base"},
};
constexpr std::size_t kNumStates = std::size(kStates);

void state_values(const physics::Derived& d, const std::vector<double>& x, double* out) {
  out[0] = d.stage_m;
  out[1] = d.area_m2;
  out[2] = x[physics::kVolume];
  out[3] = d.tds_kg_per_m3;
  out[4] = d.dissolved_kg;
  out[5] = d.deposit_kg;
  out[6] = d.head_m;
  out[7] = x[physics::kAquifer];
}

std::vector<StateValue> state_list(const physics::LakeSystem& sys, const std::vector<double>& x) {
  double v[kNumStates];
  state_values(sys.derive(x.data()), x, v);
  std::vector<StateValue> out;
  for (std::size_t i = 0; i < kNumStates; ++i) out.push_back({kStates[i].name, kStates[i].units, kStates[i].long_name, v[i]});
  return out;
}

core::ParameterSet run_parameters(const ScenarioSpec& s, const LakeInputs& in) {
  core::ParameterSet p = in.parameters;
  for (const auto& [name, value] : s.overrides) {
    const auto line = s.override_lines.count(name) ? s.override_lines.at(name) : 0;
    p.set(physics::model_parameters(), name, value, {s.source_file, line, "S", "scenario override", value, value});
  }
  return p;
}

}  // namespace

void check_initial_state(const RunSpec& run, const LakeInputs& in) {
  const ScenarioSpec& s = run.scenario;
  const core::ParameterSet p = run_parameters(s, in);
  const physics::Hypsometry& hyps = *in.hypsometry;
  const double h0 = p.si("initial_level_m");
  if (h0 < hyps.bottom_m() || h0 > hyps.top_m()) {
    const auto& o = p.origin("initial_level_m");
    throw core::InputError(o.file, o.line, "initial_level_m",
                           fmt::format("initial stage {} m is outside the hypsometry table [{}, {}] m", h0, hyps.bottom_m(), hyps.top_m()));
  }
  if (s.switches.aquifer && p.si("initial_aquifer_head_m") < p.si("aquifer_base_m")) {
    const auto& o = p.origin("initial_aquifer_head_m");
    throw core::InputError(o.file, o.line, "initial_aquifer_head_m",
                           fmt::format("the initial aquifer head {} m is below the aquifer base {} m", p.si("initial_aquifer_head_m"),
                                       p.si("aquifer_base_m")));
  }
}

void set_identity(RunResult& result, const RunSpec& run) {
  const ScenarioSpec& s = run.scenario;
  result.scenario = s.name;
  result.measures = run.measure_flags;
  result.climate_member = s.climate.member;
  result.parameter_member = s.parameter_member;
  result.delta_t_C = s.climate.delta_t_C;
  result.delta_p_pct = s.climate.delta_p_pct;
}

RunResult run_scenario(const RunSpec& run, const LakeInputs& in, const forcing::DailyForcing* shared_forcing) {
  const ScenarioSpec& s = run.scenario;
  RunResult res;
  set_identity(res, run);

  const core::ParameterSet p = run_parameters(s, in);
  const std::int64_t first_day = core::day_number(s.start);
  const std::int64_t last_day = core::day_number(s.end);
  if (last_day < first_day) throw core::InputError(s.source_file, 0, "end", "the end date is before the start date");
  const std::int64_t n_days = last_day - first_day + 1;
  const physics::Hypsometry& hyps = *in.hypsometry;
  check_initial_state(run, in);
  const double h0 = p.si("initial_level_m");

  // ---- forcing and management schedules, prepared before the time loop
  forcing::DailyForcing own_forcing;
  if (shared_forcing == nullptr) own_forcing = in.forcing(s.climate, first_day, n_days);
  const forcing::DailyForcing& f = shared_forcing != nullptr ? *shared_forcing : own_forcing;
  if (static_cast<std::int64_t>(f.size()) != n_days || f.first_day != first_day)
    throw core::InputError(s.source_file, 0, "climate", "the forcing does not cover the run's period day by day");
  const management::ManagementPlan plan = management::build_plan(s, in, p, first_day, n_days);

  // ---- flux terms (plain data) and their rate slots
  std::vector<WaterTerm> terms;
  std::vector<std::string> salt_names;
  auto add_salt = [&](WaterTerm& t) {
    t.salt_index = static_cast<int>(salt_names.size());
    salt_names.push_back(t.name);
  };
  int n_slots = 0;
  const bool catchment = s.switches.catchment, aquifer = s.switches.aquifer;
  if (s.switches.precipitation)
    terms.push_back({"lake_precipitation", "precipitation on the lake surface", TermKind::lake_precipitation, Store::lake});
  if (s.switches.evaporation)
    terms.push_back({"lake_evaporation", "open-water evaporation from the lake (salinity-corrected Penman)",
                     TermKind::lake_evaporation, Store::lake});
  const double river_tds = p.si("river_tds_g_per_L");
  int slot_runoff = -1, slot_river_withdrawal = -1, slot_recharge = -1, slot_inflow = -1;
  if (catchment) {
    WaterTerm runoff{"catchment_runoff", "river inflow from the land part of the basin (GR4J)", TermKind::catchment_runoff,
                     Store::lake, slot_runoff = n_slots++, river_tds};
    add_salt(runoff);
    terms.push_back(runoff);
    WaterTerm withdrawal{"river_withdrawal_irrigation", "irrigation water taken from the rivers before the lake",
                         TermKind::river_withdrawal, Store::lake, slot_river_withdrawal = n_slots++, river_tds};
    withdrawal.is_demand = true;
    add_salt(withdrawal);
    terms.push_back(withdrawal);
  }
  if (s.inflow) {
    WaterTerm inflow{"scenario_inflow", "inflow given by the scenario", TermKind::inflow, Store::lake, slot_inflow = n_slots++,
                     s.inflow->tds_g_per_L};
    add_salt(inflow);
    terms.push_back(inflow);
  }
  std::vector<int> schedule_slot;
  for (const auto& sch : plan.schedules) {
    WaterTerm t = sch.term;
    t.slot = n_slots++;
    schedule_slot.push_back(t.slot);
    if (t.kind == TermKind::diversion || (t.kind == TermKind::lake_withdrawal && t.carries_lake_salt)) add_salt(t);
    terms.push_back(t);
  }
  if (aquifer) {
    WaterTerm ex{"lake_groundwater_exchange", "groundwater exchange through the lake bed, lake side (+ into the lake)",
                 TermKind::lake_aquifer_exchange, Store::lake};
    add_salt(ex);
    terms.push_back(ex);
    terms.push_back({"aquifer_lake_exchange", "groundwater exchange through the lake bed, aquifer side (+ into the aquifer)",
                     TermKind::aquifer_lake_exchange, Store::aquifer});
    if (catchment)
      terms.push_back({"aquifer_recharge", "deep percolation from the catchment into the aquifer (GR4J exchange)",
                       TermKind::aquifer_recharge, Store::aquifer, slot_recharge = n_slots++});
  }

  physics::LakeParameters lp;
  lp.evaporation_multiplier = p.si("evaporation_multiplier");
  lp.salt_saturation_kg_per_m3 = p.si("salt_saturation_g_per_L");
  if (!s.switches.salt_deposition) lp.salt_saturation_kg_per_m3 = 1e300;  // never saturates
  lp.drying_volume_m3 = p.si("drying_volume_m3");
  lp.leakance_per_s = p.si("lakebed_leakance_per_d");
  lp.aquifer_area_m2 = p.si("aquifer_area_km2");
  lp.specific_yield = p.si("specific_yield");
  lp.aquifer_base_m = p.si("aquifer_base_m");
  lp.aquifer_dry_storage_m3 = p.si("aquifer_dry_storage_m3");
  lp.groundwater_tds_kg_per_m3 = p.si("groundwater_tds_g_per_L");
  const physics::LakeSystem sys(hyps, lp, terms, salt_names);
  const std::size_t nw = terms.size(), ns = salt_names.size();

  // ---- initial state
  std::vector<double> x(sys.state_size(), 0.0);
  x[physics::kVolume] = hyps.volume_at_stage(h0);
  x[physics::kSalt] = p.si("initial_tds_g_per_L") * x[physics::kVolume] + p.si("initial_salt_deposit_kg");
  const double head0 = p.si("initial_aquifer_head_m");
  x[physics::kAquifer] = aquifer ? (head0 - lp.aquifer_base_m) * lp.specific_yield * lp.aquifer_area_m2 : 0.0;
  res.initial = state_list(sys, x);
  const std::vector<double> x0 = x;

  physics::Gr4j gr4j({p.si("gr4j_x1_mm"), p.si("gr4j_x2_mm_per_d"), p.si("gr4j_x3_mm"), p.si("gr4j_x4_d")},
                     p.si("gr4j_production_fill"), p.si("gr4j_routing_fill"));
  const double basin_area = p.si("basin_area_km2");

  numerics::IntegratorOptions io;
  io.method = s.integrator;
  numerics::Integrator integrator(x.size(), io);

  // ---- output bins
  const core::Date d0 = s.start, d1 = s.end;
  for (int y = d0.year; y <= d1.year; ++y) res.years.push_back(y);
  Binner bins;
  bins.year_bin.resize(n_days);
  bins.series_bin.resize(n_days);
  bins.year_days.assign(res.years.size(), 0);
  for (std::int64_t i = 0; i < n_days; ++i) {
    const core::Date d = core::date_of(first_day + i);
    bins.year_bin[i] = static_cast<std::size_t>(d.year - d0.year);
    const bool new_interval = i == 0 || s.resolution == Resolution::daily || d.day == 1;
    if (new_interval) {
      res.series_start_day.push_back(first_day + i);
      res.series_end_day.push_back(first_day + i);
      bins.series_days.push_back(0);
    }
    res.series_end_day.back() = first_day + i;
    bins.series_bin[i] = res.series_start_day.size() - 1;
    ++bins.series_days.back();
    ++bins.year_days[bins.year_bin[i]];
  }
  std::vector<OutputVar> vars;
  auto add_var = [&](std::string name, std::string units, std::string long_name, Aggregation agg, std::string budget) {
    OutputVar v;
    v.annual = {name, units, long_name, agg, std::vector<double>(res.years.size(), 0.0), budget};
    v.series = {std::move(name), std::move(units), std::move(long_name), agg,
                std::vector<double>(res.series_start_day.size(), 0.0), std::move(budget)};
    vars.push_back(std::move(v));
  };
  for (const auto& st : kStates) add_var(st.name, st.units, st.long_name, Aggregation::mean, "");
  const std::size_t first_water = vars.size();
  for (const auto& t : terms)
    add_var(t.name + "_m3", "m3", t.long_name, Aggregation::total, t.store == Store::lake ? "lake_water" : "aquifer_water");
  const std::size_t first_salt = vars.size();
  for (const auto& n : salt_names) add_var(n + "_kg", "kg", "salt carried by " + n, Aggregation::total, "salt");
  const std::size_t v_deposition = vars.size();
  add_var("salt_deposition_kg", "kg", "salt moved from solution to the lake-bed deposit (net; inside the lake's salt)",
          Aggregation::total, "");
  // Shortages of demands, the cap's reduction, and diagnostics of the forcing.
  std::vector<std::size_t> shortage_of_term(nw, SIZE_MAX);
  for (std::size_t k = 0; k < nw; ++k)
    if (terms[k].is_demand) {
      shortage_of_term[k] = vars.size();
      add_var(terms[k].name + "_shortage_m3", "m3", "demand of " + terms[k].name + " that its source could not meet",
              Aggregation::total, "");
    }
  const std::size_t v_cap = vars.size();
  add_var("groundwater_cap_reduction_m3", "m3", "groundwater demand not pumped because of a pumping cap", Aggregation::total, "");
  const std::size_t v_precip = vars.size();
  add_var("precipitation_mm", "mm", "precipitation (forcing)", Aggregation::total, "");
  const std::size_t v_evap = vars.size();
  add_var("open_water_evaporation_mm", "mm", "potential fresh open-water evaporation, Penman (forcing)", Aggregation::total, "");
  const std::size_t v_ice = vars.size();
  add_var("ice_days", "d", "days with the lake ice-covered", Aggregation::total, "");

  // The scenario inflow of each day (piecewise constant from each table row on), prepared once.
  std::vector<double> inflow_rate;
  if (s.inflow) {
    inflow_rate.assign(static_cast<std::size_t>(n_days), 0.0);
    std::size_t k = 0;
    double r = 0.0;
    for (std::int64_t i = 0; i < n_days; ++i) {
      while (k < s.inflow->day.size() && s.inflow->day[k] <= first_day + i) r = s.inflow->rate_m3_per_s[k++];
      inflow_rate[static_cast<std::size_t>(i)] = r;
    }
  }

  // Daily values of every variable (contiguous), summed into [bin][variable] tables.
  const std::size_t nv = vars.size();
  std::vector<double> day(nv, 0.0);
  std::vector<double> annual_sum(res.years.size() * nv, 0.0), series_sum(res.series_start_day.size() * nv, 0.0);

  // ---- time loop
  std::vector<double> rates(static_cast<std::size_t>(std::max(n_slots, 1)), 0.0);
  std::vector<double> prev(x);
  double state_now[kNumStates];
  try {
    physics::Derived now = sys.derive(x.data());  // derived state at the start of the day
    double prev_deposit = now.deposit_kg;
    for (std::int64_t i = 0; i < n_days; ++i) {
      const auto di = static_cast<std::size_t>(i);
      double river_shortage = 0.0;
      if (catchment) {
        const double land_m2 = std::max(basin_area - now.area_m2, 0.0);
        const physics::Gr4jDay g = gr4j.step(f.precip_m_per_s[di] * kSecondsPerDay * 1e3, f.pet_land_m_per_s[di] * kSecondsPerDay * 1e3);
        const double runoff = g.runoff_mm * 1e-3 * land_m2 / kSecondsPerDay;
        rates[slot_runoff] = runoff;
        const double demand = plan.river_demand_m3_per_s[di];
        rates[slot_river_withdrawal] = std::min(demand, runoff);
        river_shortage = (demand - rates[slot_river_withdrawal]) * kSecondsPerDay;
        if (slot_recharge >= 0) rates[slot_recharge] = -g.exchange_mm * 1e-3 * land_m2 / kSecondsPerDay;
      }
      if (slot_inflow >= 0) rates[slot_inflow] = inflow_rate[di];
      for (std::size_t k = 0; k < plan.schedules.size(); ++k) rates[schedule_slot[k]] = plan.schedules[k].rate_m3_per_s[di];
      const physics::DayDrivers drv{f.precip_m_per_s[di], f.evap_fresh_m_per_s[di], f.evap_sat_m_per_s[di], f.ice[di] != 0,
                                    rates.data()};
      integrator.advance(x, kSecondsPerDay, [&](const double* xs, double* dx) { sys.rhs(xs, dx, drv); });
      for (double v : x)
        if (!std::isfinite(v)) throw core::RunError(fmt::format("non-finite state on {}", core::format_date(core::date_of(first_day + i))));
      if (x[physics::kVolume] < 0.0)
        throw core::RunError(fmt::format("lake volume fell below zero on {}", core::format_date(core::date_of(first_day + i))));

      // daily values into the bins
      now = sys.derive(x.data());
      state_values(now, x, state_now);
      for (std::size_t k = 0; k < kNumStates; ++k) day[k] = state_now[k];
      for (std::size_t k = 0; k < nw; ++k) day[first_water + k] = x[physics::kStores + k] - prev[physics::kStores + k];
      for (std::size_t k = 0; k < ns; ++k)
        day[first_salt + k] = x[physics::kStores + nw + k] - prev[physics::kStores + nw + k];
      for (std::size_t k = 0; k < nw; ++k) {
        if (shortage_of_term[k] == SIZE_MAX) continue;
        double shortage = 0.0;
        if (terms[k].kind == TermKind::river_withdrawal) {
          shortage = river_shortage;
        } else {
          const double demand = rates[terms[k].slot] * kSecondsPerDay;
          shortage = std::max(0.0, demand + day[first_water + k]);
        }
        day[shortage_of_term[k]] = shortage;
      }
      day[v_deposition] = state_now[5] - prev_deposit;
      prev_deposit = state_now[5];
      day[v_cap] = plan.cap_reduction_m3_per_s[di] * kSecondsPerDay;
      day[v_precip] = f.precip_m_per_s[di] * kSecondsPerDay * 1e3;
      day[v_evap] = f.evap_fresh_m_per_s[di] * kSecondsPerDay * 1e3;
      day[v_ice] = f.ice[di] ? 1.0 : 0.0;
      double* annual_row = annual_sum.data() + bins.year_bin[di] * nv;
      double* series_row = series_sum.data() + bins.series_bin[di] * nv;
      for (std::size_t k = 0; k < nv; ++k) {
        annual_row[k] += day[k];
        series_row[k] += day[k];
      }
      prev = x;
    }
  } catch (const core::RunError& e) {
    res.ok = false;
    res.error = e.what();
    return res;
  } catch (const std::out_of_range& e) {
    res.ok = false;
    res.error = e.what();
    return res;
  } catch (const std::runtime_error& e) {
    res.ok = false;
    res.error = e.what();
    return res;
  }

  for (std::size_t k = 0; k < nv; ++k) {
    auto& v = vars[k];
    for (std::size_t b = 0; b < v.annual.values.size(); ++b) v.annual.values[b] = annual_sum[b * nv + k];
    for (std::size_t b = 0; b < v.series.values.size(); ++b) v.series.values[b] = series_sum[b * nv + k];
    if (v.annual.aggregation == Aggregation::mean) {
      for (std::size_t b = 0; b < v.annual.values.size(); ++b) v.annual.values[b] /= double(bins.year_days[b]);
      for (std::size_t b = 0; b < v.series.values.size(); ++b) v.series.values[b] /= double(bins.series_days[b]);
    }
    res.annual.push_back(std::move(v.annual));
    res.series.push_back(std::move(v.series));
  }
  res.final = state_list(sys, x);
  // Residuals from the integrated totals (the file-based check repeats this from the outputs).
  double water = (x[physics::kVolume] - x0[physics::kVolume]) + (x[physics::kAquifer] - x0[physics::kAquifer]);
  for (std::size_t k = 0; k < nw; ++k) water -= x[physics::kStores + k];
  double salt = x[physics::kSalt] - x0[physics::kSalt];
  for (std::size_t k = 0; k < ns; ++k) salt -= x[physics::kStores + nw + k];
  res.water_residual_m3 = water;
  res.salt_residual_kg = salt;
  res.steps = integrator.stats().steps;
  res.rejected_steps = integrator.stats().rejected;
  res.ok = true;
  return res;
}

std::string forcing_key(const RunSpec& run) {
  const ScenarioSpec& s = run.scenario;
  const ClimateSpec& c = s.climate;
  // Deltas printed exactly (hex float), so two keys are equal only for equal values.
  return fmt::format("{}|{}|{}|{}|{:a}|{:a}|{}-{}|{}|{}|{}", c.source == ClimateSpec::Source::csv ? "csv" : "generator", c.seed,
                     c.member, c.observed_months, c.delta_t_C, c.delta_p_pct, c.delta_ramp_first_year, c.delta_ramp_last_year,
                     c.csv_path, core::day_number(s.start), core::day_number(s.end));
}

std::pair<double, double> balance_from_outputs(const RunResult& r) {
  auto state = [](const std::vector<StateValue>& s, const std::string& name) {
    for (const auto& v : s)
      if (v.name == name) return v.value;
    throw std::out_of_range("missing state " + name);
  };
  double water = state(r.final, "volume_m3") - state(r.initial, "volume_m3") + state(r.final, "aquifer_storage_m3") -
                 state(r.initial, "aquifer_storage_m3");
  double salt = state(r.final, "salt_dissolved_kg") + state(r.final, "salt_deposit_kg") - state(r.initial, "salt_dissolved_kg") -
                state(r.initial, "salt_deposit_kg");
  for (const auto& v : r.annual) {
    double total = 0.0;
    for (double x : v.values) total += x;
    if (v.budget == "lake_water" || v.budget == "aquifer_water") water -= total;
    if (v.budget == "salt") salt -= total;
  }
  return {water, salt};
}

}  // namespace daihai::scenario
