#include "scenario/spec.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace daihai::scenario {

const std::vector<double>& History::column(const std::string& name) const {
  const auto it = columns.find(name);
  if (it == columns.end()) throw std::out_of_range(fmt::format("{}: no column '{}' in the history table", file, name));
  return it->second;
}

double History::at(const std::string& name, double year) const { return at(column(name), year); }

double History::at(const std::vector<double>& v, double year) const {
  if (years.empty() || v.size() != years.size()) throw std::out_of_range(fmt::format("{}: empty or ragged history table", file));
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
