#include "scenario/block.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "model/binner.hpp"
#include "numerics/integrator.hpp"
#include "physics/stores.hpp"
#include "scenario/recorder.hpp"
#include "scenario/run.hpp"

namespace daihai::scenario {

namespace {

using core::kSecondsPerDay;
using physics::BlockState;
using physics::Index;
using physics::Lanes;

// The model bound to the lanes of one block: stores and process instances with per-lane parameters.
struct BoundModel {
  const model::Model& m;
  physics::Stores stores;
  std::vector<std::unique_ptr<physics::Process>> processes;
  Lanes weights[3];  // of model::Weight: +1; −(1 − f_r) to the fields; −f_r back to the aquifer

  BoundModel(const model::Model& model, const LakeInputs& in, const std::vector<const core::ParameterSet*>& params,
             const std::vector<Lane>& lanes)
      : m(model), stores(*in.hypsometry, params, model.switches.aquifer, model.switches.salt_deposition) {
    Lanes returned = Lanes::Zero();
    if (m.to_fields && m.switches.aquifer)
      for (std::size_t l = 0; l < params.size(); ++l) returned(static_cast<Index>(l)) = params[l]->si("salt_return_fraction");
    weights[static_cast<int>(model::Weight::one)] = Lanes::Ones();
    weights[static_cast<int>(model::Weight::to_fields)] = returned - 1.0;
    weights[static_cast<int>(model::Weight::returned)] = -1.0 * returned;
    std::vector<Index> forcing_source(lanes.size());
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      std::size_t k = 0;
      while (lanes[k].forcing != lanes[l].forcing) ++k;
      forcing_source[l] = static_cast<Index>(k);
    }
    for (std::size_t p = 0; p < m.processes.size(); ++p) {
      physics::ProcessSetup setup;
      setup.lanes = params;
      setup.forcing_source = forcing_source;
      setup.hypsometry = in.hypsometry.get();
      setup.tds_kg_per_m3.setZero();
      for (std::size_t k : m.process_fluxes[p]) {
        const model::Flux& f = m.fluxes[k];
        setup.slots.push_back({f.water, f.salt, f.schedule});
        if (f.schedule >= 0)
          for (std::size_t l = 0; l < lanes.size(); ++l)
            setup.tds_kg_per_m3(static_cast<Index>(l)) = lanes[l].schedules->tds[static_cast<std::size_t>(f.schedule)];
      }
      processes.push_back(physics::find_process_type(m.processes[p].type)->make(m.processes[p], std::move(setup)));
    }
  }

  const Lanes& weight(model::Weight w) const { return weights[static_cast<int>(w)]; }

  // dx/dt of the block: the stores' derived quantities, every process's rates, the measures'
  // multipliers, then each store's derivative as the sum of its terms (model::Model::store_terms).
  void rhs(const BlockState& x, BlockState& dxdt, physics::Derived& d, const physics::DayInputs& day) const {
    stores.derive(x, d);
    const physics::RateContext c{x, d, day};
    for (const auto& p : processes) p->rates(c, dxdt);
    for (const auto& f : m.fluxes)
      if (f.factor >= 0) {
        dxdt.col(f.water) *= day.factor.col(f.factor);
        if (f.salt >= 0) dxdt.col(f.salt) *= day.factor.col(f.factor);
      }
    for (Index s = 0; s < physics::kStores; ++s) {
      auto col = dxdt.col(s);
      col.setZero();
      for (const model::StoreTerm& t : m.store_terms[s])
        if (t.weight == model::Weight::one) col += dxdt.col(t.column);
        else col += weight(t.weight) * dxdt.col(t.column);
    }
  }

  // The balance residual of lane `l` over the stores `stores` (their change less the sum of
  // their terms' totals), from the initial state `x0` and the final state `x`.
  double residual(Index l, const BlockState& x0, const BlockState& x, std::initializer_list<Index> of) const {
    double r = 0.0;
    for (Index s : of) {
      r += x(l, s) - x0(l, s);
      for (const model::StoreTerm& t : m.store_terms[s]) r -= weight(t.weight)(l) * x(l, t.column);
    }
    return r;
  }
};

// The stores' states of lane `l` (for /initial and /final).
std::vector<StateValue> state_list(const model::Model& m, Index l, const BlockState& x, const physics::Derived& d) {
  std::vector<StateValue> out;
  for (const auto& o : m.outputs)
    if (o.kind == model::OutputKind::state) out.push_back({o.name, o.units, o.long_name, Recorder::state(o.index, x, d)(l)});
  return out;
}

// The daily series every lane reads, as plain pointers (a zero or one series stands in for an
// empty schedule or multiplier), so that the day loop gathers without branching.
struct LaneSeries {
  std::vector<double> zeros, ones;
  std::vector<const double*> rate, factor;  // [slot * lanes + lane]
  std::vector<const double*> precip, evap_fresh, evap_sat, pet;
  std::vector<const unsigned char*> ice;
  std::vector<const double*> equilibrium, exchange, storage_to_evap, sublimation;  // null: no heat budget

  LaneSeries(const std::vector<Lane>& lanes, std::size_t n_days, std::size_t n_rates, std::size_t n_factors)
      : zeros(n_days, 0.0), ones(n_days, 1.0) {
    const std::size_t w = lanes.size();
    rate.resize(n_rates * w);
    factor.resize(n_factors * w);
    for (std::size_t l = 0; l < w; ++l) {
      const management::Schedules& s = *lanes[l].schedules;
      for (std::size_t k = 0; k < n_rates; ++k) rate[k * w + l] = s.rate[k] ? s.rate[k]->data() : zeros.data();
      for (std::size_t k = 0; k < n_factors; ++k) factor[k * w + l] = s.factor[k] ? s.factor[k]->data() : ones.data();
      const forcing::DailyForcing& f = *lanes[l].forcing;
      precip.push_back(f.precip_m_per_s.data());
      evap_fresh.push_back(f.evap_fresh_m_per_s.data());
      evap_sat.push_back(f.evap_sat_m_per_s.data());
      pet.push_back(f.pet_land_m_per_s.data());
      ice.push_back(f.ice.data());
      const bool heat = f.has_heat_budget();
      equilibrium.push_back(heat ? f.equilibrium_C.data() : nullptr);
      exchange.push_back(heat ? f.exchange_MJ_m2_d_K.data() : nullptr);
      storage_to_evap.push_back(heat ? f.storage_to_evap_m_per_MJ.data() : nullptr);
      sublimation.push_back(heat ? f.sublimation_m_per_s.data() : nullptr);
    }
  }

  // The inputs of day `i` into `day`.
  void fill(std::size_t i, physics::DayInputs& day) const {
    const std::size_t w = precip.size();
    for (std::size_t l = 0; l < w; ++l) {
      const auto li = static_cast<Index>(l);
      day.precip_m_per_s(li) = precip[l][i];
      day.evap_fresh_m_per_s(li) = evap_fresh[l][i];
      day.evap_sat_m_per_s(li) = evap_sat[l][i];
      day.pet_land_m_per_s(li) = pet[l][i];
      day.ice(li) = ice[l][i] != 0 ? 1.0 : 0.0;
      const bool heat = equilibrium[l] != nullptr;
      day.heat_budget(li) = heat ? 1.0 : 0.0;
      day.equilibrium_C(li) = heat ? equilibrium[l][i] : 0.0;
      day.exchange_MJ_m2_d_K(li) = heat ? exchange[l][i] : 0.0;
      day.storage_to_evap_m_per_MJ(li) = heat ? storage_to_evap[l][i] : 0.0;
      day.sublimation_m_per_s(li) = heat ? sublimation[l][i] : 0.0;
    }
    for (std::size_t k = 0; k * w < rate.size(); ++k)
      for (std::size_t l = 0; l < w; ++l) day.schedule(static_cast<Index>(l), static_cast<Index>(k)) = rate[k * w + l][i];
    for (std::size_t k = 0; k * w < factor.size(); ++k)
      for (std::size_t l = 0; l < w; ++l) day.factor(static_cast<Index>(l), static_cast<Index>(k)) = factor[k * w + l][i];
    day.runoff_m3_per_s.setZero();
    day.percolation_m3_per_s.setZero();
  }
};

// Marks the lanes whose day `day` went wrong (the stores' problem, a non-finite state, a
// negative volume) as failed with the error and its date, and puts every failed lane back to its
// state at the start of the day, so that it stays finite and never touches the others. Returns
// whether any lane has failed.
bool fail_lanes(BlockState& x, const BlockState& prev, physics::Stores& stores, std::vector<char>& failed, std::vector<RunResult>& res,
                std::int64_t day) {
  bool any = false;
  for (Index l = 0; l < x.rows(); ++l) {
    const auto ul = static_cast<std::size_t>(l);
    if (!failed[ul]) {
      const std::string& problem = stores.problem(l);
      const char* what = !problem.empty()              ? problem.c_str()
                         : !x.row(l).isFinite().all()  ? "non-finite state"
                         : x(l, physics::kVolume) < 0.0 ? "lake volume fell below zero"
                                                        : nullptr;
      if (what == nullptr) continue;
      failed[ul] = 1;
      res[ul].ok = false;
      res[ul].error = fmt::format("{} on {}", what, core::format_date(core::date_of(day)));
    }
    x.row(l) = prev.row(l);
    any = true;
  }
  return any;
}

void check_lanes(const std::vector<Lane>& lanes, std::int64_t first_day, std::int64_t n_days) {
  const RunSpec& r0 = *lanes.front().run;
  for (const auto& lane : lanes) {
    const ScenarioSpec& s = lane.run->scenario;
    if (s.start != r0.scenario.start || s.end != r0.scenario.end || s.integrator != r0.scenario.integrator ||
        s.resolution != r0.scenario.resolution)
      throw std::invalid_argument("the runs of a block must share their period, integrator and series resolution");
    const forcing::DailyForcing& f = *lane.forcing;
    if (static_cast<std::int64_t>(f.size()) != n_days || f.first_day != first_day)
      throw core::InputError(s.source_file, 0, "climate", "the forcing does not cover the run's period day by day");
  }
}

}  // namespace

std::vector<RunResult> simulate_block(const model::Model& model, const LakeInputs& in, const std::vector<Lane>& runs,
                                      const SeriesSelection& series) {
  if (runs.empty()) return {};
  if (runs.size() > static_cast<std::size_t>(physics::kLanes))
    throw std::invalid_argument(fmt::format("a block holds at most {} runs, not {}", physics::kLanes, runs.size()));
  // Spare lanes repeat the first run; their results are dropped.
  std::vector<Lane> lanes = runs;
  lanes.resize(static_cast<std::size_t>(physics::kLanes), runs.front());
  const ScenarioSpec& s0 = lanes.front().run->scenario;
  const std::int64_t first_day = core::day_number(s0.start);
  const std::int64_t n_days = core::day_number(s0.end) - first_day + 1;
  if (n_days < 1) throw core::InputError(s0.source_file, 0, "end", "the end date is before the start date");
  check_lanes(lanes, first_day, n_days);
  const auto w = static_cast<Index>(lanes.size());
  std::vector<const core::ParameterSet*> params;
  for (const auto& lane : lanes) params.push_back(lane.parameters);
  BoundModel bound(model, in, params, lanes);

  std::vector<RunResult> res(lanes.size());
  BlockState x = BlockState::Zero(w, model.state_size);
  bound.stores.initial_state(x);
  physics::Derived now, d;
  bound.stores.derive(x, now);
  for (Index l = 0; l < w; ++l) res[static_cast<std::size_t>(l)].initial = state_list(model, l, x, now);
  const BlockState x0 = x;

  const model::Binner bins(first_day, n_days, s0.resolution);
  std::vector<const management::Schedules*> schedules;
  for (const auto& lane : lanes) schedules.push_back(lane.schedules);
  Recorder rec(model, bins, schedules, series, x, now, bound.weight(model::Weight::to_fields), bound.weight(model::Weight::returned));
  physics::DayInputs day(static_cast<Index>(model.layout.scheduled.size()), static_cast<Index>(model.layout.factors.size()));
  numerics::IntegratorOptions io;
  io.method = s0.integrator;
  io.quadrature_from = physics::kStores;  // the running totals: the processes read the stores alone
  numerics::Integrator integrator(io);
  std::vector<char> failed(lanes.size(), 0);
  bool any_failed = false;
  BlockState prev = x;
  const numerics::Rhs rhs = [&](const BlockState& xs, BlockState& dx) { bound.rhs(xs, dx, d, day); };

  const LaneSeries inputs(lanes, static_cast<std::size_t>(n_days), model.layout.scheduled.size(), model.layout.factors.size());
  for (std::size_t i = 0; i < static_cast<std::size_t>(n_days); ++i) {
    inputs.fill(i, day);
    for (const auto& p : bound.processes) p->begin_day(now, day);
    integrator.advance(x, kSecondsPerDay, rhs);
    bound.stores.derive(x, now);
    if (any_failed || bound.stores.any_problem() || !physics::all_finite(x) || x.col(physics::kVolume).minCoeff() < 0.0)
      any_failed |= fail_lanes(x, prev, bound.stores, failed, res, first_day + static_cast<std::int64_t>(i));
    rec.add(i, x, prev, now, day);
    prev = x;
  }
  res.resize(runs.size());

  for (Index l = 0; l < w; ++l) {
    const auto ul = static_cast<std::size_t>(l);
    RunResult& r = res[ul];
    set_identity(r, *lanes[ul].run);
    if (failed[ul]) continue;
    rec.finish(l, r);
    r.final = state_list(model, l, x, now);
    r.water_residual_m3 = bound.residual(l, x0, x, {physics::kVolume, physics::kAquifer});
    r.salt_residual_kg = bound.residual(l, x0, x, {physics::kSalt, physics::kAquiferSalt, physics::kFieldSalt});
    r.steps = integrator.stats().steps;
    r.rejected_steps = integrator.stats().rejected;
    r.ok = true;
  }
  return res;
}

}  // namespace daihai::scenario
