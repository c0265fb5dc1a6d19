#include "scenario/spec.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace daihai::scenario {

double History::at(const std::string& column, double year) const {
  const auto it = columns.find(column);
  if (it == columns.end()) throw std::out_of_range(fmt::format("{}: no column '{}' in the history table", file, column));
  const auto& v = it->second;
  if (years.empty()) throw std::out_of_range(fmt::format("{}: empty history table", file));
  // Anchors stand at mid-year.
  const double y = year - 0.5;
  if (y <= years.front()) return v.front();
  if (y >= years.back()) return v.back();
  std::size_t i = 1;
  while (years[i] < y) ++i;
  const double w = (y - years[i - 1]) / double(years[i] - years[i - 1]);
  return v[i - 1] + w * (v[i] - v[i - 1]);
}

}  // namespace daihai::scenario
