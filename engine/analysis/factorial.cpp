#include "analysis/factorial.hpp"

#include <cmath>
#include <stdexcept>

namespace daihai::analysis {

FactorialEffects factorial_effects(const FactorialResponse& r) {
  const std::size_t n = r.measures.size();
  if (n == 0 || n > 12) throw std::invalid_argument("a factorial response needs 1 to 12 measures");
  const std::size_t cells = std::size_t{1} << n;
  if (r.value.size() != cells) throw std::invalid_argument("a factorial response needs 2^n values, one per combination");
  for (double v : r.value)
    if (!std::isfinite(v)) throw std::invalid_argument("a factorial response holds a non-finite value");
  FactorialEffects e;
  e.measures = r.measures;
  const std::size_t all = cells - 1;
  // mean(y | sign = +1) − mean(y | sign = −1), each half holding 2^(n−1) cells.
  auto contrast = [&](auto sign) {
    double plus = 0.0, minus = 0.0;
    for (std::size_t m = 0; m < cells; ++m) (sign(m) ? plus : minus) += r.value[m];
    return (plus - minus) / static_cast<double>(cells / 2);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t bit = std::size_t{1} << i;
    e.main.push_back(contrast([&](std::size_t m) { return (m & bit) != 0; }));
    e.alone.push_back(r.value[bit] - r.value[0]);
    e.dropped.push_back(r.value[all] - r.value[all & ~bit]);
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const std::size_t bi = std::size_t{1} << i, bj = std::size_t{1} << j;
      e.interaction.push_back(contrast([&](std::size_t m) { return ((m & bi) != 0) == ((m & bj) != 0); }));
      e.pairs.emplace_back(i, j);
    }
  return e;
}

std::size_t combination_mask(const std::string& scenario, const std::vector<std::string>& measures) {
  if (scenario == "baseline") return 0;
  std::size_t mask = 0, start = 0;
  while (start <= scenario.size()) {
    const std::size_t end = std::min(scenario.find('+', start), scenario.size());
    const std::string name = scenario.substr(start, end - start);
    std::size_t i = 0;
    while (i < measures.size() && measures[i] != name) ++i;
    if (i == measures.size()) throw std::invalid_argument("scenario '" + scenario + "' holds '" + name + "', not a measure of the batch");
    if ((mask >> i) & 1U) throw std::invalid_argument("scenario '" + scenario + "' names '" + name + "' twice");
    mask |= std::size_t{1} << i;
    start = end + 1;
  }
  return mask;
}

}  // namespace daihai::analysis
