#include "analysis/observations.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/units.hpp"

namespace daihai::analysis {

namespace {

using K = ObservationKind;

struct KindInfo {
  K kind;
  const char* name;
  const char* si_unit;
  bool two_years;   // change, rate or trend: end > start
  double relative;  // default tolerance: relative part
  double floor_si;  // default tolerance: absolute floor (SI)
};

constexpr KindInfo kKinds[] = {
    {K::level_change, "level_change", "m", true, 0.15, 0.3},
    {K::level_trend, "level_trend", "m/a", true, 0.25, 0.1},
    {K::level, "level", "m", false, 0.0, 1.5},
    {K::area_change, "area_change", "m2", true, 0.25, 5.0e6},
    {K::area_rate, "area_rate", "m2/a", true, 0.25, 0.5e6},
    {K::area, "area", "m2", false, 0.10, 5.0e6},
    {K::volume_change, "volume_change", "m3", true, 0.25, 1.0e8},
    {K::volume_rate, "volume_rate", "m3/a", true, 0.25, 1.0e6},
    {K::volume, "volume", "m3", false, 0.15, 1.0e8},
    {K::depth_mean, "depth_mean", "m", false, 0.20, 0.5},
    {K::tds, "tds", "g/L", false, 0.20, 0.3},
    {K::groundwater_discharge, "groundwater_discharge", "m3/a", false, 0.30, 2.0e6},
    {K::evaporation_depth, "evaporation_depth", "m/a", false, 0.15, 0.05},
    {K::aquifer_tds, "aquifer_tds", "g/L", false, 0.30, 0.3},
};

struct UnitInfo {
  K kind;
  const char* unit;
  double to_si;
};

// Factors from the one units table (core/units.hpp).
const UnitInfo kUnits[] = {
    {K::level_change, "m", core::to_internal("m")},
    {K::level_change, "cm", core::to_internal("cm")},
    {K::level_trend, "m/a", core::to_internal("m/a")},
    {K::level_trend, "cm/a", core::to_internal("cm/a")},
    {K::level, "m", core::to_internal("m")},
    {K::area_change, "km2", core::to_internal("km2")},
    {K::area_change, "m2", core::to_internal("m2")},
    {K::area_rate, "km2/a", core::to_internal("km2/a")},
    {K::area_rate, "m2/a", core::to_internal("m2/a")},
    {K::area, "km2", core::to_internal("km2")},
    {K::area, "m2", core::to_internal("m2")},
    {K::area, "ha", core::to_internal("ha")},
    {K::volume_change, "m3", core::to_internal("m3")},
    {K::volume_change, "km3", core::to_internal("km3")},
    {K::volume_rate, "m3/a", core::to_internal("m3/a")},
    {K::volume, "m3", core::to_internal("m3")},
    {K::volume, "km3", core::to_internal("km3")},
    {K::depth_mean, "m", core::to_internal("m")},
    {K::tds, "g/L", core::to_internal("g/L")},
    {K::tds, "mg/L", core::to_internal("mg/L")},
    {K::tds, "kg/m3", core::to_internal("kg/m3")},
    {K::groundwater_discharge, "m3/a", core::to_internal("m3/a")},
    {K::evaporation_depth, "mm/a", core::to_internal("mm/a")},
    {K::evaporation_depth, "m/a", core::to_internal("m/a")},
    {K::aquifer_tds, "g/L", core::to_internal("g/L")},
    {K::aquifer_tds, "mg/L", core::to_internal("mg/L")},
    {K::aquifer_tds, "kg/m3", core::to_internal("kg/m3")},
};

const KindInfo& info(K kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k;
  throw std::invalid_argument("unknown observation kind");
}

}  // namespace

const char* to_string(ObservationKind kind) { return info(kind).name; }

std::optional<ObservationKind> parse_kind(std::string_view name) {
  for (const auto& k : kKinds)
    if (name == k.name) return k.kind;
  return std::nullopt;
}

const char* si_unit(ObservationKind kind) { return info(kind).si_unit; }

std::optional<double> unit_factor(ObservationKind kind, std::string_view unit) {
  for (const auto& u : kUnits)
    if (u.kind == kind && unit == u.unit) return u.to_si;
  return std::nullopt;
}

std::string accepted_units(ObservationKind kind) {
  std::vector<std::string> units;
  for (const auto& u : kUnits)
    if (u.kind == kind) units.emplace_back(u.unit);
  std::string out;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (i > 0) out += i + 1 == units.size() ? " or " : ", ";
    out += units[i];
  }
  return out;
}

bool needs_two_years(ObservationKind kind) { return info(kind).two_years; }

std::vector<std::string> annual_variable_names(SeriesVariable variable) {
  switch (variable) {
    case SeriesVariable::level: return {"level_m"};
    case SeriesVariable::area: return {"area_m2"};
    case SeriesVariable::volume: return {"volume_m3"};
    case SeriesVariable::tds: return {"tds_g_per_L"};
    case SeriesVariable::groundwater_inflow: return {"groundwater_inflow_m3", "external_groundwater_inflow_m3"};
    case SeriesVariable::evaporation: return {"lake_evaporation_m3"};
    case SeriesVariable::aquifer_tds: return {"aquifer_tds_g_per_L"};
  }
  throw std::invalid_argument("unknown series variable");
}

std::vector<SeriesVariable> inputs_of(ObservationKind kind) {
  switch (kind) {
    case K::level_change:
    case K::level_trend:
    case K::level: return {SeriesVariable::level};
    case K::area_change:
    case K::area_rate:
    case K::area: return {SeriesVariable::area};
    case K::volume_change:
    case K::volume_rate:
    case K::volume: return {SeriesVariable::volume};
    case K::depth_mean: return {SeriesVariable::volume, SeriesVariable::area};
    case K::tds: return {SeriesVariable::tds};
    case K::groundwater_discharge: return {SeriesVariable::groundwater_inflow};
    case K::evaporation_depth: return {SeriesVariable::evaporation, SeriesVariable::area};
    case K::aquifer_tds: return {SeriesVariable::aquifer_tds};
  }
  throw std::invalid_argument("unknown observation kind");
}

std::string Observation::where() const {
  if (file.empty()) return "<code>";
  return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

std::string Observation::describe() const {
  return fmt::format("{}: {} {}..{}", where(), to_string(kind), start, end);
}

double default_tolerance(ObservationKind kind, char confidence, double value_si) {
  double c = 0.0;
  switch (confidence) {
    case 'H': c = 1.0; break;
    case 'M': c = 1.25; break;
    case 'L': c = 1.5; break;
    default: throw std::invalid_argument(fmt::format("confidence '{}': expected H, M or L", confidence));
  }
  const auto& k = info(kind);
  return c * std::max(k.relative * std::abs(value_si), k.floor_si);
}

const std::vector<double>& AnnualSeries::of(SeriesVariable variable) const {
  switch (variable) {
    case SeriesVariable::level: return level_m;
    case SeriesVariable::area: return area_m2;
    case SeriesVariable::volume: return volume_m3;
    case SeriesVariable::tds: return tds_g_per_L;
    case SeriesVariable::groundwater_inflow: return groundwater_inflow_m3;
    case SeriesVariable::evaporation: return evaporation_m3;
    case SeriesVariable::aquifer_tds: return aquifer_tds_g_per_L;
  }
  throw std::invalid_argument("unknown series variable");
}

std::vector<double>& AnnualSeries::of(SeriesVariable variable) {
  return const_cast<std::vector<double>&>(static_cast<const AnnualSeries&>(*this).of(variable));
}

AnnualSeries annual_series(const scenario::RunResult& run) {
  if (!run.ok)
    throw std::invalid_argument(fmt::format("run of scenario '{}' (climate member {}, parameter member {}) failed: {}",
                                            run.scenario, run.climate_member, run.parameter_member, run.error));
  AnnualSeries s;
  s.years = run.years;
  for (const auto v : {SeriesVariable::level, SeriesVariable::area, SeriesVariable::volume, SeriesVariable::tds,
                       SeriesVariable::groundwater_inflow, SeriesVariable::evaporation, SeriesVariable::aquifer_tds})
    for (const auto& name : annual_variable_names(v))
      for (const auto& a : run.annual) {
        if (a.name != name) continue;
        auto& dest = s.of(v);
        if (dest.empty()) dest.assign(a.values.size(), 0.0);
        for (std::size_t y = 0; y < a.values.size() && y < dest.size(); ++y) dest[y] += a.values[y];
      }
  return s;
}

double simulate(const Observation& obs, const AnnualSeries& series, int* skipped_years) {
  const auto& years = series.years;
  if (needs_two_years(obs.kind) && obs.end <= obs.start)
    throw std::invalid_argument(fmt::format("{}: needs end > start", obs.describe()));
  if (obs.end < obs.start) throw std::invalid_argument(fmt::format("{}: end before start", obs.describe()));
  // The period must lie on the (consecutive) year axis.
  const auto first = std::find(years.begin(), years.end(), obs.start);
  const auto range = years.empty() ? std::string("an empty year axis")
                                   : fmt::format("the year axis {}..{}", years.front(), years.back());
  if (first == years.end() || years.end() - first <= obs.end - obs.start)
    throw std::out_of_range(fmt::format("{}: the period is outside {}", obs.describe(), range));
  const std::size_t i0 = static_cast<std::size_t>(first - years.begin());
  const std::size_t n = static_cast<std::size_t>(obs.end - obs.start) + 1;
  for (std::size_t k = 0; k < n; ++k)
    if (years[i0 + k] != obs.start + static_cast<int>(k))
      throw std::out_of_range(fmt::format("{}: the year {} is missing from {}", obs.describe(),
                                          obs.start + static_cast<int>(k), range));
  for (const auto v : inputs_of(obs.kind)) {
    const auto& x = series.of(v);
    if (x.size() != years.size())
      throw std::invalid_argument(fmt::format("{}: the series '{}' has {} values for {} years", obs.describe(),
                                              annual_variable_names(v).front(), x.size(), years.size()));
  }

  // The per-year quantity (NaN when missing).
  const std::vector<double>& primary = series.of(inputs_of(obs.kind).front());
  auto at = [&](std::size_t k) -> double {
    const std::size_t i = i0 + k;
    switch (obs.kind) {
      case K::depth_mean: {
        const double a = series.area_m2[i];
        const double v = series.volume_m3[i];
        return (std::isfinite(a) && std::isfinite(v) && a > 0.0) ? v / a : std::nan("");
      }
      case K::evaporation_depth: {
        const double a = series.area_m2[i];
        const double e = series.evaporation_m3[i];
        return (std::isfinite(a) && std::isfinite(e) && a > 0.0) ? -e / a : std::nan("");
      }
      default: {
        const double x = primary[i];
        return std::isfinite(x) ? x : std::nan("");
      }
    }
  };
  int skipped = 0;
  auto no_value = [&](const char* need) {
    return NoSimulatedValue(fmt::format("{}: {} of the {} years of the period are missing; {}", obs.describe(), skipped,
                                        n, need));
  };
  double result = 0.0;
  switch (obs.kind) {
    case K::level:
    case K::area:
    case K::volume:
    case K::depth_mean:
    case K::tds:
    case K::groundwater_discharge:
    case K::evaporation_depth:
    case K::aquifer_tds: {
      double sum = 0.0;
      std::size_t used = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double x = at(k);
        if (std::isnan(x)) {
          ++skipped;
        } else {
          sum += x;
          ++used;
        }
      }
      if (used == 0) throw no_value("a mean needs one valid year");
      result = sum / static_cast<double>(used);
      break;
    }
    case K::level_trend: {
      std::vector<double> x, y;
      for (std::size_t k = 0; k < n; ++k) {
        const double v = at(k);
        if (std::isnan(v)) {
          ++skipped;
        } else {
          x.push_back(static_cast<double>(obs.start) + static_cast<double>(k));
          y.push_back(v);
        }
      }
      if (x.size() < 2) throw no_value("a trend needs two valid years");
      result = analysis::least_squares_slope(x, y);
      break;
    }
    case K::level_change:
    case K::area_change:
    case K::volume_change:
    case K::area_rate:
    case K::volume_rate: {
      std::size_t valid = 0;
      for (std::size_t k = 0; k < n; ++k)
        if (!std::isnan(at(k))) ++valid;
      if (valid < 2) {
        skipped = static_cast<int>(n - valid);
        throw no_value("a change or rate needs two valid years");
      }
      std::size_t a = 0, b = n - 1;  // end points, moved inward past missing years
      while (std::isnan(at(a))) {
        ++a;
        ++skipped;
      }
      while (std::isnan(at(b))) {
        --b;
        ++skipped;
      }
      const double rate = (at(b) - at(a)) / static_cast<double>(b - a);
      const bool is_rate = obs.kind == K::area_rate || obs.kind == K::volume_rate;
      result = is_rate ? rate : rate * static_cast<double>(n - 1);
      break;
    }
  }
  if (skipped_years) *skipped_years = skipped;
  return result;
}

double ObjectiveWeights::of(char confidence) const {
  switch (confidence) {
    case 'H': return high;
    case 'M': return medium;
    case 'L': return low;
    default: throw std::invalid_argument(fmt::format("confidence '{}': expected H, M or L", confidence));
  }
}

double objective(const std::vector<Observation>& observations, const std::vector<double>& simulated,
                 const ObjectiveWeights& weights) {
  if (observations.size() != simulated.size())
    throw std::invalid_argument(fmt::format("objective: {} simulated values for {} observations", simulated.size(),
                                            observations.size()));
  double sum = 0.0;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const auto& o = observations[i];
    if (!std::isfinite(simulated[i]))
      throw std::invalid_argument(fmt::format("objective: simulated value of {} is not finite", o.describe()));
    if (!(o.tolerance > 0.0) || !std::isfinite(o.tolerance))
      throw std::invalid_argument(fmt::format("objective: tolerance of {} is not > 0", o.describe()));
    const double z = (simulated[i] - o.value) / o.tolerance;
    sum += weights.of(o.confidence) * z * z;
  }
  return sum;
}

}  // namespace daihai::analysis
