#include "analysis/glue.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <limits>
#include <stdexcept>

#include "core/random.hpp"

namespace daihai::analysis {

std::vector<std::vector<double>> latin_hypercube(const std::vector<double>& lower, const std::vector<double>& upper, std::size_t n,
                                                 std::uint64_t seed) {
  if (n == 0) throw std::invalid_argument("latin_hypercube: no points asked for");
  if (lower.size() != upper.size()) throw std::invalid_argument("latin_hypercube: bounds of unequal size");
  for (std::size_t d = 0; d < lower.size(); ++d)
    if (!(lower[d] < upper[d])) throw std::invalid_argument("latin_hypercube: lower bound not below upper bound");
  const std::size_t dims = lower.size();
  std::vector<std::vector<double>> x(n, std::vector<double>(dims));
  for (std::size_t d = 0; d < dims; ++d) {
    core::Rng rng(seed, d);
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), 0);
    for (std::size_t i = n - 1; i > 0; --i) {  // Fisher–Yates
      const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(i + 1));
      std::swap(strata[i], strata[std::min(j, i)]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(strata[i]) + rng.uniform()) / static_cast<double>(n);
      x[i][d] = lower[d] + u * (upper[d] - lower[d]);
    }
  }
  return x;
}

std::vector<double> glue_weights(const std::vector<double>& j, double threshold) {
  std::vector<double> w(j.size(), 0.0);
  // Relative to the best behavioural set, so that exp() does not underflow.
  double best = std::numeric_limits<double>::infinity();
  for (double v : j)
    if (std::isfinite(v) && v <= threshold) best = std::min(best, v);
  if (!std::isfinite(best)) return w;
  double sum = 0.0;
  for (std::size_t i = 0; i < j.size(); ++i)
    if (std::isfinite(j[i]) && j[i] <= threshold) sum += (w[i] = std::exp(-0.5 * (j[i] - best)));
  for (double& v : w) v /= sum;
  return w;
}

std::vector<std::size_t> systematic_resample(const std::vector<double>& weights, std::size_t k, std::uint64_t seed) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0.0) || !std::isfinite(total)) throw std::invalid_argument("systematic_resample: weights do not sum to a positive number");
  core::Rng rng(seed, 0);
  const double u = rng.uniform();
  std::vector<std::size_t> out;
  double cumulative = 0.0;
  std::size_t i = 0;
  for (std::size_t m = 0; m < k; ++m) {
    const double target = (static_cast<double>(m) + u) / static_cast<double>(k) * total;
    while (i + 1 < weights.size() && cumulative + weights[i] < target) cumulative += weights[i++];
    out.push_back(i);
  }
  return out;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q) {
  if (values.empty() || values.size() != weights.size()) throw std::invalid_argument("weighted_quantile: empty or unequal input");
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0.0)) throw std::invalid_argument("weighted_quantile: all weights zero");
  double cumulative = 0.0;
  for (std::size_t i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total * (1.0 - 1e-12)) return values[i];
  }
  return values[order.back()];
}

std::vector<Identifiability> identifiability(const std::vector<std::string>& names, const std::vector<double>& lower,
                                             const std::vector<double>& upper, const std::vector<std::vector<double>>& samples,
                                             const std::vector<double>& weights) {
  std::vector<Identifiability> out;
  for (std::size_t d = 0; d < names.size(); ++d) {
    std::vector<double> v;
    for (const auto& s : samples) v.push_back(s[d]);
    Identifiability r;
    r.parameter = names[d];
    r.lower = lower[d];
    r.upper = upper[d];
    r.q05 = weighted_quantile(v, weights, 0.05);
    r.q50 = weighted_quantile(v, weights, 0.50);
    r.q95 = weighted_quantile(v, weights, 0.95);
    r.ratio = (r.q95 - r.q05) / (upper[d] - lower[d]);
    r.verdict = r.ratio < 0.5 ? "identified" : r.ratio < 0.75 ? "weakly" : "not";
    out.push_back(r);
  }
  return out;
}

}  // namespace daihai::analysis
