#include "analysis/morris.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/random.hpp"

namespace daihai::analysis {

namespace {

/// Uniform integer in [0, n) from the stream (n ≥ 1).
std::size_t uniform_index(core::Rng& rng, std::size_t n) {
  auto k = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n));
  return k >= n ? n - 1 : k;
}

}  // namespace

MorrisResult morris_screening(const std::vector<double>& lower, const std::vector<double>& upper,
                              const MorrisBlockModel& model, const MorrisOptions& o) {
  if (lower.empty()) throw std::invalid_argument("morris_screening: no parameters (empty bounds)");
  if (lower.size() != upper.size())
    throw std::invalid_argument("morris_screening: lower has " + std::to_string(lower.size()) +
                                " bounds but upper has " + std::to_string(upper.size()));
  const std::size_t k = lower.size();
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(lower[i]) || !std::isfinite(upper[i]))
      throw std::invalid_argument("morris_screening: non-finite bound for parameter " +
                                  std::to_string(i));
    if (!(lower[i] < upper[i]))
      throw std::invalid_argument("morris_screening: lower >= upper for parameter " +
                                  std::to_string(i));
  }
  if (o.trajectories < 2)
    throw std::invalid_argument("morris_screening: need at least 2 trajectories (r = " +
                                std::to_string(o.trajectories) + ")");
  if (o.levels < 2 || o.levels % 2 != 0)
    throw std::invalid_argument("morris_screening: levels p must be even and >= 2 (p = " +
                                std::to_string(o.levels) + ")");
  if (!model) throw std::invalid_argument("morris_screening: empty model");

  const std::size_t r = o.trajectories;
  const auto p = static_cast<std::size_t>(o.levels);
  const std::size_t half = p / 2;  // Δ in grid steps
  const double pm1 = static_cast<double>(p - 1);

  MorrisResult res;
  res.parameters = k;
  res.delta = static_cast<double>(p) / (2.0 * pm1);

  // Design: trajectory t from Rng(seed, t): base levels, directions, order.
  std::vector<std::vector<std::size_t>> order(r, std::vector<std::size_t>(k));
  std::vector<std::vector<int>> dir(r, std::vector<int>(k));
  std::vector<std::vector<double>> unit;  // unit-cube coordinates of every point
  unit.reserve(r * (k + 1));
  for (std::size_t t = 0; t < r; ++t) {
    core::Rng rng(o.seed, t);
    std::vector<std::size_t> grid(k);  // current grid index 0 … p−1 of each parameter
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t base = uniform_index(rng, half);  // x* ∈ {0, …, 1 − Δ}
      dir[t][i] = rng.uniform() < 0.5 ? 1 : -1;
      grid[i] = dir[t][i] > 0 ? base : base + half;
    }
    std::iota(order[t].begin(), order[t].end(), std::size_t{0});
    for (std::size_t i = k; i > 1; --i) std::swap(order[t][i - 1], order[t][uniform_index(rng, i)]);
    auto push = [&]() {
      std::vector<double> u(k);
      for (std::size_t i = 0; i < k; ++i) u[i] = static_cast<double>(grid[i]) / pm1;
      unit.push_back(std::move(u));
    };
    push();
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t i = order[t][s];
      grid[i] = dir[t][i] > 0 ? grid[i] + half : grid[i] - half;
      push();
    }
  }
  res.points.reserve(unit.size());
  for (const auto& u : unit) {
    std::vector<double> x(k);
    for (std::size_t i = 0; i < k; ++i) x[i] = lower[i] + u[i] * (upper[i] - lower[i]);
    res.points.push_back(std::move(x));
  }

  // Evaluation, in blocks.
  const std::size_t n = res.points.size();
  const std::size_t b = o.block == 0 ? n : o.block;
  res.values.reserve(n);
  for (std::size_t first = 0; first < n; first += b) {
    const std::size_t nb = std::min(b, n - first);
    std::vector<std::vector<double>> pts(res.points.begin() + static_cast<std::ptrdiff_t>(first),
                                         res.points.begin() + static_cast<std::ptrdiff_t>(first + nb));
    auto ys = model(pts);
    if (ys.size() != nb)
      throw std::invalid_argument("morris_screening: model returned " + std::to_string(ys.size()) +
                                  " results for " + std::to_string(nb) + " points");
    for (std::size_t j = 0; j < nb; ++j) {
      const std::size_t pt = first + j;
      if (ys[j].empty())
        throw std::invalid_argument("morris_screening: model returned no outputs for point " +
                                    std::to_string(pt));
      if (pt == 0) res.outputs = ys[j].size();
      if (ys[j].size() != res.outputs)
        throw std::invalid_argument("morris_screening: point " + std::to_string(pt) + " has " +
                                    std::to_string(ys[j].size()) + " outputs, point 0 has " +
                                    std::to_string(res.outputs));
      for (std::size_t q = 0; q < ys[j].size(); ++q)
        if (!std::isfinite(ys[j][q]))
          throw std::invalid_argument("morris_screening: non-finite output " + std::to_string(q) +
                                      " at point " + std::to_string(pt));
      res.values.push_back(std::move(ys[j]));
    }
  }

  // Elementary effects [M1], per unit-cube step (see header).
  const std::size_t K = res.outputs;
  res.effects.assign(r, std::vector<std::vector<double>>(k, std::vector<double>(K, 0.0)));
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t i = order[t][s];
      const std::size_t a = t * (k + 1) + s;  // before the move of parameter i
      const double step = dir[t][i] * res.delta;
      for (std::size_t q = 0; q < K; ++q)
        res.effects[t][i][q] = (res.values[a + 1][q] - res.values[a][q]) / step;
    }
  }

  // Statistics over trajectories [M2]–[M3].
  res.mu.assign(k, std::vector<double>(K, 0.0));
  res.mu_star.assign(k, std::vector<double>(K, 0.0));
  res.sigma.assign(k, std::vector<double>(K, 0.0));
  const double rd = static_cast<double>(r);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t q = 0; q < K; ++q) {
      double sum = 0.0, sum_abs = 0.0;
      for (std::size_t t = 0; t < r; ++t) {
        sum += res.effects[t][i][q];
        sum_abs += std::abs(res.effects[t][i][q]);
      }
      const double mu = sum / rd;
      double ss = 0.0;
      for (std::size_t t = 0; t < r; ++t) ss += (res.effects[t][i][q] - mu) * (res.effects[t][i][q] - mu);
      res.mu[i][q] = mu;
      res.mu_star[i][q] = sum_abs / rd;
      res.sigma[i][q] = std::sqrt(ss / (rd - 1.0));
    }
  }
  return res;
}

}  // namespace daihai::analysis
