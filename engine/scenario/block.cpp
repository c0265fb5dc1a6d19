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

  // The name of column `col` of the block state: a store, or a flux's water or salt total.
  std::string column_name(Index col) const {
    static const char* const stores_[] = {"lake volume", "lake salt", "aquifer storage", "aquifer salt", "field salt"};
    if (col >= 0 && col < physics::kStores) return stores_[col];
    for (const auto& f : m.fluxes) {
      if (f.water == col) return "flux '" + f.decl.name + "' (water)";
      if (f.salt == col) return "flux '" + f.decl.name + "' (salt)";
    }
    return fmt::format("column {}", col);
  }

  // Where a non-finite value of lane `l` comes from: the first process whose rate for it is not
  // finite at the state `xs` with the day's inputs `day` ("process 'NAME' (TYPE) gives a
  // non-finite water rate of 'FLUX'"), or "" when every rate is finite there (the step made it).
  std::string non_finite_source(Index l, const BlockState& xs, const physics::DayInputs& day) const {
    physics::Derived d;
    stores.derive(xs, d);
    BlockState dx = BlockState::Zero(xs.rows(), xs.cols());
    const physics::RateContext c{xs, d, day};
    for (std::size_t p = 0; p < processes.size(); ++p) {
      processes[p]->rates(c, dx);
      for (std::size_t k : m.process_fluxes[p]) {
        const model::Flux& f = m.fluxes[k];
        for (const Index col : {f.water, f.salt})
          if (col >= 0 && !std::isfinite(dx(l, col)))
            return fmt::format("process '{}' ({}) gives a non-finite {} rate of '{}'", m.processes[p].name, m.processes[p].type,
                               col == f.water ? "water" : "salt", f.decl.name);
      }
    }
    return {};
  }

  // The text of a lane whose state went non-finite over a day that started at `start`.
  std::string non_finite_state(Index l, const BlockState& x, const BlockState& start, const physics::DayInputs& day) const {
    Index col = 0;
    while (col < x.cols() - 1 && std::isfinite(x(l, col))) ++col;
    const std::string source = non_finite_source(l, start, day);
    return fmt::format("non-finite {} ({})", column_name(col),
                       source.empty() ? "every process's rate is finite at the day's start: the integration step made it" : source + " at the day's start");
  }

  // The balance residual of lane `l` over the stores `stores` (their change less the sum of
  // their terms' totals), from the initial state `x0` and the final state `x` (totals counted
  // from x0's: zero at a run's start, the saved totals for a restarted run).
  double residual(Index l, const BlockState& x0, const BlockState& x, std::initializer_list<Index> of) const {
    double r = 0.0;
    for (Index s : of) {
      r += x(l, s) - x0(l, s);
      for (const model::StoreTerm& t : m.store_terms[s]) r -= weight(t.weight)(l) * (x(l, t.column) - x0(l, t.column));
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
      const auto o = static_cast<std::size_t>(lanes[l].forcing_offset);  // the run's first day in its forcing
      precip.push_back(f.precip_m_per_s.data() + o);
      evap_fresh.push_back(f.evap_fresh_m_per_s.data() + o);
      evap_sat.push_back(f.evap_sat_m_per_s.data() + o);
      pet.push_back(f.pet_land_m_per_s.data() + o);
      ice.push_back(f.ice.data() + o);
      const bool heat = f.has_heat_budget();
      equilibrium.push_back(heat ? f.equilibrium_C.data() + o : nullptr);
      exchange.push_back(heat ? f.exchange_MJ_m2_d_K.data() + o : nullptr);
      storage_to_evap.push_back(heat ? f.storage_to_evap_m_per_MJ.data() + o : nullptr);
      sublimation.push_back(heat ? f.sublimation_m_per_s.data() + o : nullptr);
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
// whether any lane has failed. `fixed_step`: the block is integrated with rk4's fixed steps, which
// cannot follow a lake emptied within one step (the drying limiter's time scale is then shorter
// than the step): the error says so and names the integrator that can.
bool fail_lanes(BlockState& x, const BlockState& prev, const BoundModel& bound, const physics::DayInputs& inputs, std::vector<char>& failed,
                std::vector<RunResult>& res, std::int64_t day, bool fixed_step) {
  bool any = false;
  for (Index l = 0; l < x.rows(); ++l) {
    const auto ul = static_cast<std::size_t>(l);
    if (!failed[ul]) {
      const std::string& problem = bound.stores.problem(l);
      std::string what;
      if (!x.row(l).isFinite().all())  // first: a non-finite volume is also the stores' problem
        what = bound.non_finite_state(l, x, prev, inputs);
      else if (!problem.empty())
        what = problem;
      else if (x(l, physics::kVolume) < 0.0)
        what = fixed_step ? "lake volume fell below zero (the lake dries out faster than rk4's fixed daily steps can follow: "
                            "integrator = \"dopri5\" adapts its steps to it)"
                          : "lake volume fell below zero";
      else
        continue;
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
    if (lane.forcing_offset < 0 || static_cast<std::int64_t>(f.size()) != lane.forcing_offset + n_days ||
        f.first_day + lane.forcing_offset != first_day)
      throw core::InputError(s.source_file, 0, "climate", "the forcing does not cover the run's period day by day");
  }
}

}  // namespace

struct BlockRun::Impl {
  const model::Model& model;
  std::vector<Lane> lanes;
  std::size_t n_runs;
  std::int64_t first_day, n_days;
  std::size_t i = 0;  // the next day, from first_day
  std::vector<const core::ParameterSet*> params;
  BoundModel bound;
  std::vector<RunResult> res;
  BlockState x, x0, prev;
  physics::Derived now, d;
  model::Binner bins;
  std::vector<const management::Schedules*> schedules;
  std::unique_ptr<Recorder> rec;
  physics::DayInputs day;
  numerics::Integrator integrator;
  std::vector<char> failed;
  bool any_failed = false;
  std::vector<std::uint64_t> steps0, rejected0;  // counters a lane brought from before this block
  LaneSeries inputs;
  const SeriesSelection& series;

  static std::vector<Lane> widen(const std::vector<Lane>& runs) {
    if (runs.empty()) throw std::invalid_argument("a block needs at least one run");
    if (runs.size() > static_cast<std::size_t>(physics::kLanes))
      throw std::invalid_argument(fmt::format("a block holds at most {} runs, not {}", physics::kLanes, runs.size()));
    std::vector<Lane> l = runs;
    l.resize(static_cast<std::size_t>(physics::kLanes), runs.front());  // spare lanes repeat the first run; dropped
    return l;
  }
  static std::vector<const core::ParameterSet*> parameters_of(const std::vector<Lane>& lanes) {
    std::vector<const core::ParameterSet*> p;
    for (const auto& lane : lanes) p.push_back(lane.parameters);
    return p;
  }
  static numerics::IntegratorOptions integrator_options(const std::string& method) {
    numerics::IntegratorOptions io;
    io.method = method;
    io.quadrature_from = physics::kStores;  // the running totals: the processes read the stores alone
    return io;
  }

  Impl(const model::Model& m, const LakeInputs& in, const std::vector<Lane>& runs, const SeriesSelection& sel)
      : model(m),
        lanes(widen(runs)),
        n_runs(runs.size()),
        first_day(core::day_number(lanes.front().run->scenario.start)),
        n_days(core::day_number(lanes.front().run->scenario.end) - first_day + 1),
        params(parameters_of(lanes)),
        bound(m, in, params, lanes),
        res(lanes.size()),
        bins(first_day, std::max<std::int64_t>(n_days, 1), lanes.front().run->scenario.resolution),
        day(static_cast<Index>(m.layout.scheduled.size()), static_cast<Index>(m.layout.factors.size())),
        integrator(integrator_options(lanes.front().run->scenario.integrator)),
        failed(lanes.size(), 0),
        steps0(lanes.size(), 0),
        rejected0(lanes.size(), 0),
        inputs(lanes, static_cast<std::size_t>(std::max<std::int64_t>(n_days, 0)), m.layout.scheduled.size(), m.layout.factors.size()),
        series(sel) {
    const ScenarioSpec& s0 = lanes.front().run->scenario;
    if (n_days < 1) throw core::InputError(s0.source_file, 0, "end", "the end date is before the start date");
    check_lanes(lanes, first_day, n_days);
    x = BlockState::Zero(physics::kLanes, m.state_size);
    bound.stores.initial_state(x);
    bound.stores.derive(x, now);
    for (Index l = 0; l < physics::kLanes; ++l) res[static_cast<std::size_t>(l)].initial = state_list(m, l, x, now);
    x0 = x;
    prev = x;
    for (const auto& lane : lanes) schedules.push_back(lane.schedules);
    rec = std::make_unique<Recorder>(m, bins, schedules, series, x, now, bound.weight(model::Weight::to_fields),
                                     bound.weight(model::Weight::returned));
  }

  void advance(std::int64_t to_day, const std::function<void(const BlockRun&)>& after_day, const BlockRun& self) {
    const numerics::Rhs rhs = [&](const BlockState& xs, BlockState& dx) { bound.rhs(xs, dx, d, day); };
    const auto last = static_cast<std::size_t>(std::clamp<std::int64_t>(to_day - first_day, 0, n_days));
    while (i < last) {
      inputs.fill(i, day);
      for (const auto& p : bound.processes) p->begin_day(now, day);
      const std::int64_t today = first_day + static_cast<std::int64_t>(i);
      try {
        integrator.advance(x, kSecondsPerDay, rhs);
      } catch (const numerics::NonFiniteStep& e) {  // dopri5: one run per block
        const std::string source = bound.non_finite_source(0, prev, day);
        throw std::runtime_error(fmt::format("{}{} on {}", e.what(), source.empty() ? std::string() : "; " + source + " at the day's start",
                                             core::format_date(core::date_of(today))));
      } catch (const std::exception& e) {
        throw std::runtime_error(fmt::format("{} on {}", e.what(), core::format_date(core::date_of(today))));
      }
      bound.stores.derive(x, now);
      if (any_failed || bound.stores.any_problem() || !physics::all_finite(x) || x.col(physics::kVolume).minCoeff() < 0.0)
        any_failed |= fail_lanes(x, prev, bound, day, failed, res, today, lanes.front().run->scenario.integrator == "rk4");
      rec->add(i, x, prev, now, day);
      prev = x;
      ++i;  // the day is done: next_day() is the one after it
      if (after_day) after_day(self);
    }
  }
};

BlockRun::BlockRun(const model::Model& model, const LakeInputs& inputs, const std::vector<Lane>& runs, const SeriesSelection& series)
    : impl_(std::make_unique<Impl>(model, inputs, runs, series)) {}
BlockRun::~BlockRun() = default;

std::size_t BlockRun::runs() const { return impl_->n_runs; }
std::int64_t BlockRun::next_day() const { return impl_->first_day + static_cast<std::int64_t>(impl_->i); }
std::int64_t BlockRun::end_day() const { return impl_->first_day + impl_->n_days; }
const physics::BlockState& BlockRun::state() const { return impl_->x; }
const physics::Derived& BlockRun::derived() const { return impl_->now; }
bool BlockRun::failed(std::size_t l) const { return impl_->failed[l] != 0; }
double BlockRun::aquifer_storage_at_head(std::size_t l, double head_m) const {
  return impl_->bound.stores.aquifer_storage_at_head(static_cast<Index>(l), head_m);
}

void BlockRun::advance_to(std::int64_t day, const std::function<void(const BlockRun&)>& after_day) { impl_->advance(day, after_day, *this); }

LaneState BlockRun::lane_state(std::size_t l, bool record) const {
  const Impl& m = *impl_;
  const auto li = static_cast<Index>(l);
  LaneState s;
  s.day = next_day();
  s.x.assign(m.x.row(li).begin(), m.x.row(li).end());
  s.x0.assign(m.x0.row(li).begin(), m.x0.row(li).end());
  for (const auto& p : m.bound.processes) s.processes.push_back(p->lane_state(li));
  if (record) s.record = m.rec->lane_record(li);
  s.next_step_s = m.integrator.next_step_s();
  s.steps = m.steps0[l] + m.integrator.stats().steps;
  s.rejected_steps = m.rejected0[l] + m.integrator.stats().rejected;
  s.failed = m.failed[l] != 0;
  s.error = m.res[l].error;
  return s;
}

void BlockRun::start_from(const std::vector<const LaneState*>& states) {
  Impl& m = *impl_;
  if (states.size() != m.n_runs) throw std::invalid_argument("a block starts from one state per run");
  const std::int64_t day = states.front()->day;
  if (day < m.first_day || day > m.first_day + m.n_days || m.i != 0)
    throw std::invalid_argument("a state must lie inside the runs' period and the block must not have started");
  for (Index l = 0; l < physics::kLanes; ++l) {
    const auto ul = static_cast<std::size_t>(l);
    const LaneState& s = *states[std::min(ul, m.n_runs - 1) == ul ? ul : 0];
    if (s.day != day) throw std::invalid_argument("the states a block starts from must be at one day");
    if (s.x.size() != static_cast<std::size_t>(m.x.cols()) || s.processes.size() != m.bound.processes.size())
      throw std::invalid_argument("a state does not fit this model (another set of processes or outputs)");
    for (Index c = 0; c < m.x.cols(); ++c) {
      m.x(l, c) = s.x[static_cast<std::size_t>(c)];
      // A branch keeps its history's origin (one run, one record); a restart (no record) starts
      // its own: its results cover the days from the state on, /initial is the saved state.
      m.x0(l, c) = s.record.empty() || s.x0.empty() ? s.x[static_cast<std::size_t>(c)] : s.x0[static_cast<std::size_t>(c)];
    }
    for (std::size_t p = 0; p < s.processes.size(); ++p) m.bound.processes[p]->set_lane_state(l, s.processes[p]);
    m.failed[ul] = s.failed ? 1 : 0;
    m.res[ul].ok = !s.failed;
    m.res[ul].error = s.error;
    m.steps0[ul] = s.steps;
    m.rejected0[ul] = s.rejected_steps;
    m.integrator.set_next_step_s(s.next_step_s > 0.0 ? s.next_step_s : m.integrator.next_step_s());
  }
  // Lanes that share a process's state (one catchment for lanes of one forcing and parameter set)
  // must have been given the same.
  for (Index l = 0; l < physics::kLanes; ++l) {
    const auto ul = static_cast<std::size_t>(l);
    const LaneState& s = *states[std::min(ul, m.n_runs - 1) == ul ? ul : 0];
    for (std::size_t p = 0; p < s.processes.size(); ++p)
      if (m.bound.processes[p]->lane_state(l) != s.processes[p])
        throw std::invalid_argument("runs that share a catchment were given different catchment states");
  }
  m.i = static_cast<std::size_t>(day - m.first_day);
  m.any_failed = std::any_of(m.failed.begin(), m.failed.end(), [](char f) { return f != 0; });
  m.bound.stores.derive(m.x, m.now);
  m.prev = m.x;
  // The recorder: the lanes' records where given, else intervals that start at this day.
  m.rec = std::make_unique<Recorder>(m.model, m.bins, m.schedules, m.series, m.x, m.now, m.bound.weight(model::Weight::to_fields),
                                     m.bound.weight(model::Weight::returned));
  for (Index l = 0; l < physics::kLanes; ++l) {
    const auto ul = static_cast<std::size_t>(l);
    const LaneState& s = *states[std::min(ul, m.n_runs - 1) == ul ? ul : 0];
    if (!s.record.empty()) m.rec->set_lane_record(l, s.record);
  }
  physics::Derived d0;
  m.bound.stores.derive(m.x0, d0);
  for (Index l = 0; l < physics::kLanes; ++l) m.res[static_cast<std::size_t>(l)].initial = state_list(m.model, l, m.x0, d0);
  m.bound.stores.derive(m.x, m.now);
}

void BlockRun::add_to_stores(std::size_t l, const std::array<double, physics::kStores>& dx,
                             const std::array<physics::Index, physics::kStores>& booked) {
  Impl& m = *impl_;
  const auto li = static_cast<Index>(l);
  for (Index s = 0; s < physics::kStores; ++s) {
    const double v = dx[static_cast<std::size_t>(s)];
    if (v == 0.0) continue;
    const Index col = booked[static_cast<std::size_t>(s)];
    if (col < 0) throw std::invalid_argument("a change of a store that no flux books");
    m.x(li, s) += v;
    m.x(li, col) += v;
  }
  m.bound.stores.derive(m.x, m.now);
  m.prev.row(li) = m.x.row(li);
}

std::vector<RunResult> BlockRun::finish() {
  Impl& m = *impl_;
  if (m.i != static_cast<std::size_t>(m.n_days)) throw std::logic_error("a block finishes after its last day");
  std::vector<RunResult> res = std::move(m.res);
  res.resize(m.n_runs);
  for (std::size_t l = 0; l < m.n_runs; ++l) {
    const auto li = static_cast<Index>(l);
    RunResult& r = res[l];
    set_identity(r, *m.lanes[l].run);
    if (m.failed[l]) continue;
    m.rec->finish(li, r);
    r.final = state_list(m.model, li, m.x, m.now);
    r.water_residual_m3 = m.bound.residual(li, m.x0, m.x, {physics::kVolume, physics::kAquifer});
    r.salt_residual_kg = m.bound.residual(li, m.x0, m.x, {physics::kSalt, physics::kAquiferSalt, physics::kFieldSalt});
    r.steps = m.steps0[l] + m.integrator.stats().steps;
    r.rejected_steps = m.rejected0[l] + m.integrator.stats().rejected;
    r.ok = true;
  }
  return res;
}

std::vector<RunResult> simulate_block(const model::Model& model, const LakeInputs& in, const std::vector<Lane>& runs,
                                      const SeriesSelection& series) {
  if (runs.empty()) return {};
  BlockRun block(model, in, runs, series);
  block.advance_to(block.end_day());
  return block.finish();
}

}  // namespace daihai::scenario
