#include "analysis/demc.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/random.hpp"

namespace daihai::analysis {

namespace {

// Folds x back into [lo, hi] (reflection at the bounds; repeated for far jumps).
double reflect(double x, double lo, double hi) {
  const double w = hi - lo;
  double y = std::fmod(x - lo, 2.0 * w);
  if (y < 0.0) y += 2.0 * w;
  return y <= w ? lo + y : hi - (y - w);
}

}  // namespace

DemcResult demc_sample(const std::vector<double>& lower, const std::vector<double>& upper, std::vector<std::vector<double>> archive,
                       const std::vector<std::vector<double>>& starts, const std::vector<double>& start_objectives,
                       const BlockObjective& f, const DemcOptions& options) {
  const std::size_t d = lower.size(), k = starts.size();
  if (upper.size() != d || d == 0) throw std::invalid_argument("demc_sample: bounds of unequal or zero size");
  if (archive.size() < 3) throw std::invalid_argument("demc_sample: the archive needs at least 3 points");
  if (k == 0 || start_objectives.size() != k) throw std::invalid_argument("demc_sample: one objective per starting point");
  for (const auto& s : starts) {
    if (s.size() != d) throw std::invalid_argument("demc_sample: starting point of the wrong size");
    for (std::size_t j = 0; j < d; ++j)
      if (!(s[j] >= lower[j] && s[j] <= upper[j])) throw std::invalid_argument("demc_sample: starting point outside the box");
  }
  core::Rng rng(options.seed, 0xdec0);
  DemcResult r;
  r.chains.assign(k, {});
  r.objectives.assign(k, {});
  std::vector<std::vector<double>> x = starts;
  std::vector<double> j = start_objectives;
  const double gamma = 2.38 / std::sqrt(2.0 * static_cast<double>(d));
  for (std::size_t g = 0; g < options.generations; ++g) {
    const double gam = (g % 10 == 9) ? 1.0 : gamma;
    std::vector<std::vector<double>> proposals(k, std::vector<double>(d));
    for (std::size_t i = 0; i < k; ++i) {
      const auto n = archive.size();
      const auto a = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n)) % n;
      auto b = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n - 1)) % (n - 1);
      if (b >= a) ++b;
      for (std::size_t q = 0; q < d; ++q) {
        const double range = upper[q] - lower[q];
        const double v = x[i][q] + gam * (archive[a][q] - archive[b][q]) + 1e-6 * range * rng.normal();
        proposals[i][q] = reflect(v, lower[q], upper[q]);
      }
    }
    const std::vector<double> jp = f(proposals);
    if (jp.size() != k) throw std::invalid_argument("demc_sample: the objective returned the wrong number of values");
    r.evaluations += k;
    for (std::size_t i = 0; i < k; ++i) {
      const double u = rng.uniform();
      if (std::isfinite(jp[i]) && (jp[i] <= j[i] || u < std::exp(-0.5 * (jp[i] - j[i])))) {
        x[i] = proposals[i];
        j[i] = jp[i];
        ++r.accepted;
      }
      r.chains[i].push_back(x[i]);
      r.objectives[i].push_back(j[i]);
    }
    if ((g + 1) % options.archive_every == 0)
      for (const auto& s : x) archive.push_back(s);
  }
  return r;
}

std::vector<double> gelman_rubin(const std::vector<std::vector<std::vector<double>>>& chains) {
  const std::size_t k = chains.size();
  if (k < 2) throw std::invalid_argument("gelman_rubin: at least 2 chains");
  const std::size_t g = chains.front().size();
  if (g < 4) throw std::invalid_argument("gelman_rubin: at least 4 generations");
  for (const auto& c : chains)
    if (c.size() != g) throw std::invalid_argument("gelman_rubin: chains of unequal length");
  const std::size_t first = g / 2, n = g - first, d = chains.front().front().size();
  std::vector<double> out(d, 1.0);
  for (std::size_t q = 0; q < d; ++q) {
    std::vector<double> mean(k, 0.0), var(k, 0.0);
    for (std::size_t c = 0; c < k; ++c) {
      for (std::size_t t = first; t < g; ++t) mean[c] += chains[c][t][q];
      mean[c] /= static_cast<double>(n);
      for (std::size_t t = first; t < g; ++t) var[c] += (chains[c][t][q] - mean[c]) * (chains[c][t][q] - mean[c]);
      var[c] /= static_cast<double>(n - 1);
    }
    double w = 0.0, grand = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      w += var[c] / static_cast<double>(k);
      grand += mean[c] / static_cast<double>(k);
    }
    double b_over_n = 0.0;
    for (std::size_t c = 0; c < k; ++c) b_over_n += (mean[c] - grand) * (mean[c] - grand) / static_cast<double>(k - 1);
    if (w > 0.0) out[q] = std::sqrt(((static_cast<double>(n) - 1.0) / static_cast<double>(n) * w + b_over_n) / w);
    else if (b_over_n > 0.0) out[q] = std::numeric_limits<double>::infinity();
  }
  return out;
}

}  // namespace daihai::analysis
