#include "scenario/run.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "model/schedules.hpp"
#include "scenario/block.hpp"

namespace daihai::scenario {

void check_initial_state(const RunSpec& run, const LakeInputs& in) {
  const ScenarioSpec& s = run.scenario;
  const core::ParameterSet p = model::run_parameters(s, in);
  const physics::Hypsometry& hyps = *in.hypsometry;
  const double h0 = p.si("initial_level_m");
  if (h0 < hyps.bottom_m() || h0 >= hyps.top_m()) {
    const auto& o = p.origin("initial_level_m");
    throw core::InputError(o.file, o.line, "initial_level_m",
                           fmt::format("initial stage {} m is outside the hypsometry table [{}, {}) m (a lake at the top has no room "
                                       "to rise)",
                                       h0, hyps.bottom_m(), hyps.top_m()));
  }
  if (p.has("exposed_bed_reference_level_m")) {
    const double h = p.si("exposed_bed_reference_level_m");
    if (h < hyps.bottom_m() || h > hyps.top_m()) {
      const auto& o = p.origin("exposed_bed_reference_level_m");
      throw core::InputError(o.file, o.line, "exposed_bed_reference_level_m",
                             fmt::format("the reference shoreline {} m is outside the hypsometry table [{}, {}] m", h, hyps.bottom_m(),
                                         hyps.top_m()));
    }
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
  for (const auto& d : run.design_values) result.design_values.emplace_back(d.name, d.units, d.value);
  result.climate_member = s.climate.member;
  result.parameter_member = s.parameter_member;
  result.delta_t_C = s.climate.delta_t_C;
  result.delta_p_pct = s.climate.delta_p_pct;
}

RunResult run_scenario(const RunSpec& run, const LakeInputs& in, const forcing::DailyForcing* shared_forcing) {
  const model::Model m = model::assemble({run}, in);
  return run_scenario(m, run, in, shared_forcing);
}

RunResult run_scenario(const model::Model& m, const RunSpec& run, const LakeInputs& in, const forcing::DailyForcing* shared_forcing) {
  const ScenarioSpec& s = run.scenario;
  check_initial_state(run, in);
  const core::ParameterSet p = model::run_parameters(s, in);
  const std::int64_t first_day = core::day_number(s.start);
  forcing::DailyForcing own;
  if (shared_forcing == nullptr) own = in.forcing(s.climate, first_day, core::day_number(s.end) - first_day + 1);
  const management::Schedules schedules = model::build_schedules(m, run, p, in);
  const Lane lane{&run, &p, shared_forcing != nullptr ? shared_forcing : &own, &schedules};
  return std::move(simulate_block(m, in, {lane}).front());
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
    if (name.rfind("aquifer_", 0) == 0 || name == "field_salt_kg") return 0.0;  // a model without aquifer or withdrawals
    throw std::out_of_range("missing state " + name);
  };
  double water = state(r.final, "volume_m3") - state(r.initial, "volume_m3") + state(r.final, "aquifer_storage_m3") -
                 state(r.initial, "aquifer_storage_m3");
  double salt = 0.0;
  for (const char* s : {"salt_dissolved_kg", "salt_deposit_kg", "aquifer_salt_kg", "field_salt_kg"})
    salt += state(r.final, s) - state(r.initial, s);
  for (const auto& v : r.annual) {
    double total = 0.0;
    for (double x : v.values) total += x;
    if (v.budget == "lake_water" || v.budget == "aquifer_water") water -= total;
    if (v.budget == "lake_salt" || v.budget == "aquifer_salt" || v.budget == "field_salt") salt -= total;
  }
  return {water, salt};
}

}  // namespace daihai::scenario
