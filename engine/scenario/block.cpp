#include "scenario/block.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "model/binner.hpp"
#include "numerics/integrator.hpp"
#include "physics/stores.hpp"
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

  BoundModel(const model::Model& model, const LakeInputs& in, const std::vector<const core::ParameterSet*>& params,
             const std::vector<Lane>& lanes)
      : m(model), stores(*in.hypsometry, params, model.switches.aquifer, model.switches.salt_deposition) {
    for (std::size_t p = 0; p < m.processes.size(); ++p) {
      physics::ProcessSetup setup;
      setup.lanes = params;
      setup.hypsometry = in.hypsometry.get();
      setup.tds_kg_per_m3.setZero(static_cast<Index>(lanes.size()));
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

  // dx/dt of the block: the stores' derived quantities, every process's rates, the measures'
  // multipliers, then dV = Σ lake water, dG = Σ aquifer water, dT = Σ salt (day-constant first).
  void rhs(const BlockState& x, BlockState& dxdt, physics::Derived& d, const physics::DayInputs& day) const {
    stores.derive(x, d);
    const physics::RateContext c{x, d, day};
    for (const auto& p : processes) p->rates(c, dxdt);
    for (const auto& f : m.fluxes)
      if (f.factor >= 0) {
        dxdt.col(f.water) *= day.factor.col(f.factor);
        if (f.salt >= 0) dxdt.col(f.salt) *= day.factor.col(f.factor);
      }
    dxdt.col(physics::kVolume).setZero();
    dxdt.col(physics::kAquifer).setZero();
    dxdt.col(physics::kSalt).setZero();
    for (std::size_t k : m.lake_sum) dxdt.col(physics::kVolume) += dxdt.col(m.fluxes[k].water);
    for (std::size_t k : m.aquifer_sum) dxdt.col(physics::kAquifer) += dxdt.col(m.fluxes[k].water);
    for (std::size_t k : m.salt_sum) dxdt.col(physics::kSalt) += dxdt.col(m.fluxes[k].salt);
  }
};

// Daily values of every declared output summed into annual and series bins, per lane.
class Recorder {
public:
  Recorder(const model::Model& m, const model::Binner& bins, Index width, const SeriesSelection& series)
      : m_(m), bins_(bins), nv_(static_cast<Index>(m.outputs.size())) {
    for (std::size_t k = 0; k < m.outputs.size(); ++k)
      if (series.empty() || series[k]) series_vars_.push_back(static_cast<Index>(k));
    ns_ = static_cast<Index>(series_vars_.size());
    day_.setZero(width, nv_);
    day_series_.setZero(width, ns_);
    annual_.setZero(width, static_cast<Index>(bins.years.size()) * nv_);
    series_.setZero(width, static_cast<Index>(bins.series_days.size()) * ns_);
  }

  // Values of day `i` (states at its end; flux totals over it) into the bins.
  void add(std::size_t i, const BlockState& x, const BlockState& prev, const physics::Derived& now, const physics::Derived& start,
           const physics::DayInputs& day, const std::vector<Lane>& lanes) {
    const Index w = x.rows();
    for (Index k = 0; k < nv_; ++k) {
      const model::Output& o = m_.outputs[static_cast<std::size_t>(k)];
      auto v = day_.col(k);
      switch (o.kind) {
        case model::OutputKind::state: v = state(o.index, x, now); break;
        case model::OutputKind::water: v = x.col(m_.fluxes[o.index].water) - prev.col(m_.fluxes[o.index].water); break;
        case model::OutputKind::salt: v = x.col(m_.fluxes[o.index].salt) - prev.col(m_.fluxes[o.index].salt); break;
        case model::OutputKind::deposition: v = now.deposit_kg - start.deposit_kg; break;
        case model::OutputKind::shortage: {
          const model::Flux& f = m_.fluxes[o.index];
          v = (day.schedule.col(f.schedule) * kSecondsPerDay + (x.col(f.water) - prev.col(f.water))).max(0.0);
          break;
        }
        case model::OutputKind::measure_output:
          for (Index l = 0; l < w; ++l) {
            const auto& out = lanes[static_cast<std::size_t>(l)].schedules->output[o.index];
            v(l) = out.empty() ? 0.0 : out[i] * kSecondsPerDay;
          }
          break;
        case model::OutputKind::forcing:
          v = o.index == 0 ? Lanes(day.precip_m_per_s * kSecondsPerDay * 1e3)
                           : o.index == 1 ? Lanes(day.evap_fresh_m_per_s * kSecondsPerDay * 1e3) : Lanes(day.ice);
          break;
      }
    }
    annual_.middleCols(static_cast<Index>(bins_.year_bin[i]) * nv_, nv_) += day_;
    if (ns_ == nv_) {
      series_.middleCols(static_cast<Index>(bins_.series_bin[i]) * ns_, ns_) += day_;
    } else {
      for (Index j = 0; j < ns_; ++j) day_series_.col(j) = day_.col(series_vars_[static_cast<std::size_t>(j)]);
      series_.middleCols(static_cast<Index>(bins_.series_bin[i]) * ns_, ns_) += day_series_;
    }
  }

  // The annual and series variables of lane `l`.
  void finish(Index l, RunResult& r) const {
    r.years = bins_.years;
    r.series_start_day = bins_.series_start_day;
    r.series_end_day = bins_.series_end_day;
    const Index ny = static_cast<Index>(bins_.years.size()), nb = static_cast<Index>(bins_.series_days.size());
    for (Index k = 0; k < nv_; ++k) {
      const model::Output& o = m_.outputs[static_cast<std::size_t>(k)];
      const bool mean = o.aggregation == Aggregation::mean;
      Variable a{o.name, o.units, o.long_name, o.aggregation, std::vector<double>(static_cast<std::size_t>(ny)), o.budget};
      for (Index y = 0; y < ny; ++y) {
        const double sum = annual_(l, y * nv_ + k);
        a.values[static_cast<std::size_t>(y)] = mean ? sum / bins_.year_days[static_cast<std::size_t>(y)] : sum;
      }
      r.annual.push_back(std::move(a));
    }
    for (Index j = 0; j < ns_; ++j) {
      const model::Output& o = m_.outputs[static_cast<std::size_t>(series_vars_[static_cast<std::size_t>(j)])];
      const bool mean = o.aggregation == Aggregation::mean;
      Variable s{o.name, o.units, o.long_name, o.aggregation, std::vector<double>(static_cast<std::size_t>(nb)), o.budget};
      for (Index b = 0; b < nb; ++b) {
        const double sum = series_(l, b * ns_ + j);
        s.values[static_cast<std::size_t>(b)] = mean ? sum / bins_.series_days[static_cast<std::size_t>(b)] : sum;
      }
      r.series.push_back(std::move(s));
    }
  }

  // End-of-day state `k` (model::StateOutput) over lanes.
  static Lanes state(std::size_t k, const BlockState& x, const physics::Derived& d) {
    switch (k) {
      case model::kLevel: return d.stage_m;
      case model::kArea: return d.area_m2;
      case model::kVolumeOut: return x.col(physics::kVolume);
      case model::kTds: return d.tds_kg_per_m3;
      case model::kSaltDissolved: return d.dissolved_kg;
      case model::kSaltDeposit: return d.deposit_kg;
      case model::kAquiferHead: return d.head_m;
      default: return x.col(physics::kAquifer);
    }
  }

private:
  const model::Model& m_;
  const model::Binner& bins_;
  Index nv_, ns_ = 0;
  std::vector<Index> series_vars_;
  Eigen::ArrayXXd day_, day_series_, annual_, series_;
};

// The stores' states of lane `l` (for /initial and /final).
std::vector<StateValue> state_list(const model::Model& m, Index l, const BlockState& x, const physics::Derived& d) {
  std::vector<StateValue> out;
  for (const auto& o : m.outputs)
    if (o.kind == model::OutputKind::state) out.push_back({o.name, o.units, o.long_name, Recorder::state(o.index, x, d)(l)});
  return out;
}

// The day's inputs of every lane: forcing, schedules, multipliers.
void fill_day(std::size_t i, const std::vector<Lane>& lanes, physics::DayInputs& day) {
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    const auto li = static_cast<Index>(l);
    const forcing::DailyForcing& f = *lanes[l].forcing;
    day.precip_m_per_s(li) = f.precip_m_per_s[i];
    day.evap_fresh_m_per_s(li) = f.evap_fresh_m_per_s[i];
    day.evap_sat_m_per_s(li) = f.evap_sat_m_per_s[i];
    day.pet_land_m_per_s(li) = f.pet_land_m_per_s[i];
    day.ice(li) = f.ice[i] != 0 ? 1.0 : 0.0;
    const management::Schedules& s = *lanes[l].schedules;
    for (std::size_t k = 0; k < s.rate.size(); ++k) day.schedule(li, static_cast<Index>(k)) = s.rate[k].empty() ? 0.0 : s.rate[k][i];
    for (std::size_t k = 0; k < s.factor.size(); ++k) day.factor(li, static_cast<Index>(k)) = s.factor[k].empty() ? 1.0 : s.factor[k][i];
  }
  day.runoff_m3_per_s.setZero();
  day.percolation_m3_per_s.setZero();
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

std::vector<RunResult> simulate_block(const model::Model& model, const LakeInputs& in, const std::vector<Lane>& lanes,
                                      const SeriesSelection& series) {
  if (lanes.empty()) return {};
  const ScenarioSpec& s0 = lanes.front().run->scenario;
  const std::int64_t first_day = core::day_number(s0.start);
  const std::int64_t n_days = core::day_number(s0.end) - first_day + 1;
  if (n_days < 1) throw core::InputError(s0.source_file, 0, "end", "the end date is before the start date");
  check_lanes(lanes, first_day, n_days);
  const auto w = static_cast<Index>(lanes.size());
  std::vector<const core::ParameterSet*> params;
  for (const auto& lane : lanes) params.push_back(lane.parameters);
  const BoundModel bound(model, in, params, lanes);

  std::vector<RunResult> res(lanes.size());
  BlockState x = BlockState::Zero(w, model.state_size);
  bound.stores.initial_state(x);
  physics::Derived now, start, d;
  for (auto* a : {&now, &start, &d}) a->resize(w);
  bound.stores.derive(x, now);
  for (Index l = 0; l < w; ++l) res[static_cast<std::size_t>(l)].initial = state_list(model, l, x, now);
  const BlockState x0 = x;

  const model::Binner bins(first_day, n_days, s0.resolution);
  Recorder rec(model, bins, w, series);
  physics::DayInputs day;
  day.resize(w, static_cast<Index>(model.layout.scheduled.size()), static_cast<Index>(model.layout.factors.size()));
  numerics::IntegratorOptions io;
  io.method = s0.integrator;
  numerics::Integrator integrator(w, io);
  std::vector<char> failed(lanes.size(), 0);
  BlockState prev = x;
  const numerics::Rhs rhs = [&](const BlockState& xs, BlockState& dx) { bound.rhs(xs, dx, d, day); };

  for (std::size_t i = 0; i < static_cast<std::size_t>(n_days); ++i) {
    fill_day(i, lanes, day);
    for (const auto& p : bound.processes) p->begin_day(now, day);
    integrator.advance(x, kSecondsPerDay, rhs);
    std::swap(start, now);
    bound.stores.derive(x, now);
    for (Index l = 0; l < w; ++l) {
      const auto ul = static_cast<std::size_t>(l);
      if (failed[ul]) {
        x.row(l) = prev.row(l);
        continue;
      }
      std::string problem = bound.stores.problem(l);
      if (problem.empty() && !x.row(l).isFinite().all()) problem = "non-finite state";
      if (problem.empty() && x(l, physics::kVolume) < 0.0) problem = "lake volume fell below zero";
      if (problem.empty()) continue;
      failed[ul] = 1;
      res[ul].ok = false;
      res[ul].error = fmt::format("{} on {}", problem, core::format_date(core::date_of(first_day + static_cast<std::int64_t>(i))));
      x.row(l) = prev.row(l);
    }
    rec.add(i, x, prev, now, start, day, lanes);
    prev = x;
  }

  for (Index l = 0; l < w; ++l) {
    const auto ul = static_cast<std::size_t>(l);
    RunResult& r = res[ul];
    set_identity(r, *lanes[ul].run);
    if (failed[ul]) continue;
    rec.finish(l, r);
    r.final = state_list(model, l, x, now);
    double water = (x(l, physics::kVolume) - x0(l, physics::kVolume)) + (x(l, physics::kAquifer) - x0(l, physics::kAquifer));
    for (const auto& f : model.fluxes) water -= x(l, f.water);
    double salt = x(l, physics::kSalt) - x0(l, physics::kSalt);
    for (const auto& f : model.fluxes)
      if (f.salt >= 0) salt -= x(l, f.salt);
    r.water_residual_m3 = water;
    r.salt_residual_kg = salt;
    r.steps = integrator.stats().steps;
    r.rejected_steps = integrator.stats().rejected;
    r.ok = true;
  }
  return res;
}

}  // namespace daihai::scenario
