#include "scenario/recorder.hpp"

#include <stdexcept>

#include "core/date.hpp"

namespace daihai::scenario {

namespace {

using core::kSecondsPerDay;
using physics::Index;
using physics::Lanes;

bool is_level(model::OutputKind k) {
  return k == model::OutputKind::water || k == model::OutputKind::salt || k == model::OutputKind::field_salt ||
         k == model::OutputKind::deposition;
}

}  // namespace

RunResult declared_layout(const model::Model& m, const RunSpec& run, const std::vector<char>& series) {
  RunResult r;
  const std::int64_t first = core::day_number(run.scenario.start);
  const model::Binner bins(first, core::day_number(run.scenario.end) - first + 1, run.scenario.resolution);
  r.scenario = run.scenario.name;
  r.measures = run.measure_flags;
  for (const auto& d : run.design_values) r.design_values.emplace_back(d.name, d.units, d.value);
  r.ok = true;
  r.years = bins.years;
  r.series_start_day = bins.series_start_day;
  r.series_end_day = bins.series_end_day;
  for (std::size_t k = 0; k < m.outputs.size(); ++k) {
    const model::Output& o = m.outputs[k];
    if (o.kind == model::OutputKind::state) {
      r.initial.push_back({o.name, o.units, o.long_name, 0.0});
      r.final.push_back({o.name, o.units, o.long_name, 0.0});
    }
    r.annual.push_back({o.name, o.units, o.long_name, o.aggregation, std::vector<double>(bins.years.size(), 0.0), o.budget});
    if (series.empty() || series[k])
      r.series.push_back({o.name, o.units, o.long_name, o.aggregation, std::vector<double>(bins.series_days.size(), 0.0), o.budget});
  }
  return r;
}

Recorder::Recorder(const model::Model& m, const model::Binner& bins, const std::vector<const management::Schedules*>& schedules,
                   const SeriesSelection& series, const physics::BlockState& x0, const physics::Derived& d0,
                   const physics::Lanes& to_fields, const physics::Lanes& returned)
    : m_(m), bins_(bins), schedules_(schedules), to_fields_(to_fields), returned_(returned) {
  for (const auto& f : m.fluxes)
    if (f.decl.to_fields && f.salt >= 0) withdrawn_salt_.push_back(f.salt);
  for (std::size_t k = 0; k < m.outputs.size(); ++k) {
    Group& g = is_level(m.outputs[k].kind) ? level_ : daily_;
    if (series.empty() || series[k]) g.series.push_back(static_cast<Index>(g.outputs.size()));
    g.outputs.push_back(k);
  }
  const Index w = physics::kLanes, ny = static_cast<Index>(bins.years.size()), nb = static_cast<Index>(bins.series_days.size());
  for (Group* g : {&daily_, &level_}) {
    const auto n = static_cast<Index>(g->outputs.size()), ns = static_cast<Index>(g->series.size());
    g->annual.setZero(w, ny * n);
    g->series_values.setZero(w, nb * ns);
  }
  day_.setZero(w, static_cast<Index>(daily_.outputs.size()));
  levels(x0, d0, year_start_);
  series_start_ = year_start_;
}

Lanes Recorder::state(std::size_t k, const physics::BlockState& x, const physics::Derived& d) {
  switch (k) {
    case model::kLevel: return d.stage_m;
    case model::kArea: return d.area_m2;
    case model::kVolumeOut: return x.col(physics::kVolume);
    case model::kTds: return d.tds_kg_per_m3;
    case model::kSaltDissolved: return d.dissolved_kg;
    case model::kSaltDeposit: return d.deposit_kg;
    case model::kAquiferHead: return d.head_m;
    case model::kAquiferStorage: return x.col(physics::kAquifer);
    case model::kAquiferTds: return d.aquifer_tds_kg_per_m3;
    case model::kAquiferSalt: return x.col(physics::kAquiferSalt);
    default: return x.col(physics::kFieldSalt);
  }
}

void Recorder::levels(const physics::BlockState& x, const physics::Derived& now, physics::LaneTable& out) const {
  out.resize(physics::kLanes, static_cast<Index>(level_.outputs.size()));
  for (std::size_t j = 0; j < level_.outputs.size(); ++j) {
    const model::Output& o = m_.outputs[level_.outputs[j]];
    const auto c = static_cast<Index>(j);
    if (o.kind == model::OutputKind::water) out.col(c) = x.col(m_.fluxes[o.index].water);
    else if (o.kind == model::OutputKind::salt) out.col(c) = x.col(m_.fluxes[o.index].salt);
    else if (o.kind == model::OutputKind::field_salt) {
      Lanes withdrawn = Lanes::Zero();
      for (Index col : withdrawn_salt_) withdrawn += x.col(col);
      out.col(c) = (o.index == 0 ? to_fields_ : returned_) * withdrawn;
    } else out.col(c) = now.deposit_kg;
  }
}

void Recorder::add(std::size_t i, const physics::BlockState& x, const physics::BlockState& prev, const physics::Derived& now,
                   const physics::DayInputs& day) {
  const Index w = physics::kLanes;
  // Daily values: states, shortages, measure outputs, forcing.
  for (std::size_t j = 0; j < daily_.outputs.size(); ++j) {
    const model::Output& o = m_.outputs[daily_.outputs[j]];
    auto v = day_.col(static_cast<Index>(j));
    switch (o.kind) {
      case model::OutputKind::state: v = state(o.index, x, now); break;
      case model::OutputKind::shortage: {
        // Demand of the day less what was taken (the day's change of the flux's running total).
        const model::Flux& f = m_.fluxes[o.index];
        v = (day.schedule.col(f.schedule) * kSecondsPerDay + (x.col(f.water) - prev.col(f.water))).max(0.0);
        break;
      }
      case model::OutputKind::measure_output:
        for (Index l = 0; l < w; ++l) {
          const auto& out = schedules_[static_cast<std::size_t>(l)]->output[o.index];
          v(l) = out ? (*out)[i] * kSecondsPerDay : 0.0;
        }
        break;
      case model::OutputKind::forcing:
        if (o.index == 0) v = day.precip_m_per_s * kSecondsPerDay * 1e3;
        else if (o.index == 1) v = day.evap_fresh_m_per_s * kSecondsPerDay * 1e3;
        else v = day.ice;
        break;
      default: break;
    }
  }
  const auto nd = static_cast<Index>(daily_.outputs.size()), nds = static_cast<Index>(daily_.series.size());
  const auto yb = static_cast<Index>(bins_.year_bin[i]), sb = static_cast<Index>(bins_.series_bin[i]);
  daily_.annual.middleCols(yb * nd, nd) += day_;
  for (Index j = 0; j < nds; ++j) daily_.series_values.col(sb * nds + j) += day_.col(daily_.series[static_cast<std::size_t>(j)]);
  // Levels at the end of an interval.
  const bool year_ends = i + 1 == bins_.year_bin.size() || bins_.year_bin[i + 1] != bins_.year_bin[i];
  const bool interval_ends = i + 1 == bins_.series_bin.size() || bins_.series_bin[i + 1] != bins_.series_bin[i];
  if (!year_ends && !interval_ends) return;
  levels(x, now, now_levels_);
  const auto nl = static_cast<Index>(level_.outputs.size()), nls = static_cast<Index>(level_.series.size());
  if (year_ends) {
    level_.annual.middleCols(yb * nl, nl) = now_levels_ - year_start_;
    year_start_ = now_levels_;
  }
  if (interval_ends) {
    for (Index j = 0; j < nls; ++j) {
      const Index c = level_.series[static_cast<std::size_t>(j)];
      level_.series_values.col(sb * nls + j) = now_levels_.col(c) - series_start_.col(c);
    }
    series_start_ = now_levels_;
  }
}

std::vector<double> Recorder::lane_record(Index l) const {
  std::vector<double> out;
  for (const physics::LaneTable* t : {&daily_.annual, &daily_.series_values, &level_.annual, &level_.series_values, &year_start_, &series_start_})
    for (Index c = 0; c < t->cols(); ++c) out.push_back((*t)(l, c));
  return out;
}

void Recorder::set_lane_record(Index l, const std::vector<double>& record) {
  std::size_t k = 0;
  for (physics::LaneTable* t : {&daily_.annual, &daily_.series_values, &level_.annual, &level_.series_values, &year_start_, &series_start_})
    for (Index c = 0; c < t->cols(); ++c) {
      if (k >= record.size()) throw std::invalid_argument("a lane's record does not fit this recorder");
      (*t)(l, c) = record[k++];
    }
  if (k != record.size()) throw std::invalid_argument("a lane's record does not fit this recorder");
}

void Recorder::finish(Index l, RunResult& r) const {
  r.years = bins_.years;
  r.series_start_day = bins_.series_start_day;
  r.series_end_day = bins_.series_end_day;
  const auto ny = static_cast<Index>(bins_.years.size()), nb = static_cast<Index>(bins_.series_days.size());
  // In declaration order: the annual value and (where selected) the series of every output.
  std::vector<Variable> annual(m_.outputs.size()), series(m_.outputs.size());
  std::vector<char> has_series(m_.outputs.size(), 0);
  for (const Group* g : {&daily_, &level_}) {
    const auto n = static_cast<Index>(g->outputs.size()), ns = static_cast<Index>(g->series.size());
    for (Index j = 0; j < n; ++j) {
      const std::size_t k = g->outputs[static_cast<std::size_t>(j)];
      const model::Output& o = m_.outputs[k];
      const bool mean = o.aggregation == Aggregation::mean;
      Variable& a = annual[k];
      a = {o.name, o.units, o.long_name, o.aggregation, std::vector<double>(static_cast<std::size_t>(ny)), o.budget};
      for (Index y = 0; y < ny; ++y) {
        const double v = g->annual(l, y * n + j);
        a.values[static_cast<std::size_t>(y)] = mean ? v / bins_.year_days[static_cast<std::size_t>(y)] : v;
      }
    }
    for (Index s = 0; s < ns; ++s) {
      const Index j = g->series[static_cast<std::size_t>(s)];
      const std::size_t k = g->outputs[static_cast<std::size_t>(j)];
      const model::Output& o = m_.outputs[k];
      const bool mean = o.aggregation == Aggregation::mean;
      Variable& v = series[k];
      v = {o.name, o.units, o.long_name, o.aggregation, std::vector<double>(static_cast<std::size_t>(nb)), o.budget};
      for (Index b = 0; b < nb; ++b) {
        const double x = g->series_values(l, b * ns + s);
        v.values[static_cast<std::size_t>(b)] = mean ? x / bins_.series_days[static_cast<std::size_t>(b)] : x;
      }
      has_series[k] = 1;
    }
  }
  for (std::size_t k = 0; k < m_.outputs.size(); ++k) {
    r.annual.push_back(std::move(annual[k]));
    if (has_series[k]) r.series.push_back(std::move(series[k]));
  }
}

}  // namespace daihai::scenario
