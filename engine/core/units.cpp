#include "core/units.hpp"

#include <stdexcept>

#include "core/date.hpp"

namespace daihai::core {

const std::vector<Unit>& units() {
  // symbol, dimension, factor to the internal unit, internal unit.
  static const std::vector<Unit> table = {
      {"1", "dimensionless", 1.0, "1"},
      {"m", "length", 1.0, "m"},
      {"cm", "length", 1e-2, "m"},
      {"mm", "length", 1e-3, "m"},
      {"m2", "area", 1.0, "m2"},
      {"km2", "area", 1e6, "m2"},
      {"ha", "area", 1e4, "m2"},
      {"m3", "volume", 1.0, "m3"},
      {"km3", "volume", 1e9, "m3"},
      {"kg", "mass", 1.0, "kg"},
      {"kg/m3", "concentration", 1.0, "kg/m3"},
      {"g/L", "concentration", 1.0, "kg/m3"},
      {"mg/L", "concentration", 1e-3, "kg/m3"},
      {"m/s", "velocity", 1.0, "m/s"},
      {"mm/d", "velocity", 1e-3 / kSecondsPerDay, "m/s"},
      {"m3/s", "volume_rate", 1.0, "m3/s"},
      // Per calendar year: spread over the days of each year where used.
      {"m/a", "length_per_year", 1.0, "m/a"},
      {"cm/a", "length_per_year", 1e-2, "m/a"},
      {"mm/a", "length_per_year", 1e-3, "m/a"},
      {"m2/a", "area_per_year", 1.0, "m2/a"},
      {"km2/a", "area_per_year", 1e6, "m2/a"},
      {"m3/a", "volume_per_year", 1.0, "m3/a"},
      {"s", "time", 1.0, "s"},
      {"d", "time", kSecondsPerDay, "s"},
      {"1/s", "rate", 1.0, "1/s"},
      {"1/d", "rate", 1.0 / kSecondsPerDay, "1/s"},
      // Calendar quantities, kept as counted.
      {"a", "calendar_year", 1.0, "a"},
      {"month", "calendar_month", 1.0, "month"},
      {"doy", "day_of_year", 1.0, "doy"},
      {"d/a", "days_per_year", 1.0, "d/a"},
      {"degC", "temperature", 1.0, "degC"},
      {"%", "percent", 1.0, "%"},
  };
  return table;
}

std::optional<Unit> find_unit(std::string_view symbol) {
  for (const auto& u : units())
    if (u.symbol == symbol) return u;
  return std::nullopt;
}

double to_internal(std::string_view symbol) {
  const auto u = find_unit(symbol);
  if (!u) throw std::invalid_argument("unknown unit '" + std::string(symbol) + "' (not in core::units())");
  return u->to_internal;
}

std::string symbols_of(std::string_view dimension) {
  std::vector<std::string_view> s;
  for (const auto& u : units())
    if (u.dimension == dimension) s.push_back(u.symbol);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0) out += i + 1 == s.size() ? " or " : ", ";
    out += s[i];
  }
  return out;
}

}  // namespace daihai::core
