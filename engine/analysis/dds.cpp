#include "analysis/dds.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/random.hpp"

namespace daihai::analysis {

namespace {

void check_bounds(const std::vector<double>& lower, const std::vector<double>& upper,
                  const char* who) {
  const std::string w(who);
  if (lower.empty()) throw std::invalid_argument(w + ": no decision variables (empty bounds)");
  if (lower.size() != upper.size())
    throw std::invalid_argument(w + ": lower has " + std::to_string(lower.size()) +
                                " bounds but upper has " + std::to_string(upper.size()));
  for (std::size_t d = 0; d < lower.size(); ++d) {
    if (!std::isfinite(lower[d]) || !std::isfinite(upper[d]))
      throw std::invalid_argument(w + ": non-finite bound for variable " + std::to_string(d));
    if (!(lower[d] < upper[d]))
      throw std::invalid_argument(w + ": lower >= upper for variable " + std::to_string(d) +
                                  " (" + std::to_string(lower[d]) + " >= " +
                                  std::to_string(upper[d]) + ")");
  }
}

/// Reflection at the bounds, Tolson & Shoemaker 2007 Step 4 (a second violation goes to the
/// bound first crossed).
double reflect(double x, double lo, double hi) {
  if (x < lo) {
    x = lo + (lo - x);
    if (x > hi) x = lo;
  } else if (x > hi) {
    x = hi - (x - hi);
    if (x < lo) x = hi;
  }
  return x;
}

/// The DDS candidate of evaluation number e (0-based) from the incumbent, [D1]–[D2] of dds.hpp.
std::vector<double> candidate(const std::vector<double>& best, const std::vector<double>& lower,
                              const std::vector<double>& upper, double r, std::uint64_t seed,
                              std::size_t e, std::size_t budget) {
  core::Rng rng(seed, e);
  const std::size_t D = best.size();
  // [D1] with the paper's counter i = e (evaluations done before this one); e ≥ 1 here.
  const double p = 1.0 - std::log(static_cast<double>(e)) / std::log(static_cast<double>(budget));
  std::vector<char> in(D, 0);
  std::size_t n_in = 0;
  for (std::size_t d = 0; d < D; ++d) {
    if (rng.uniform() < p) {
      in[d] = 1;
      ++n_in;
    }
  }
  if (n_in == 0) {
    auto d = static_cast<std::size_t>(rng.uniform() * static_cast<double>(D));
    if (d >= D) d = D - 1;
    in[d] = 1;
  }
  std::vector<double> x = best;
  for (std::size_t d = 0; d < D; ++d) {
    if (!in[d]) continue;
    const double sigma = r * (upper[d] - lower[d]);  // [D2]
    x[d] = reflect(best[d] + sigma * rng.normal(), lower[d], upper[d]);
  }
  return x;
}

/// Evaluates a block (first evaluation number `first_index`) and checks its values.
std::vector<double> evaluate(const BlockObjective& f, const std::vector<std::vector<double>>& xs,
                             std::size_t first_index) {
  std::vector<double> fx = f(xs);
  if (fx.size() != xs.size())
    throw std::invalid_argument("dds_minimize: objective returned " + std::to_string(fx.size()) +
                                " values for a block of " + std::to_string(xs.size()) +
                                " candidates (evaluations " + std::to_string(first_index) + "…" +
                                std::to_string(first_index + xs.size() - 1) + ")");
  for (std::size_t k = 0; k < fx.size(); ++k) {
    if (!std::isfinite(fx[k]))
      throw std::invalid_argument("dds_minimize: non-finite objective value (" +
                                  std::to_string(fx[k]) + ") for candidate " +
                                  std::to_string(first_index + k) + " (block position " +
                                  std::to_string(k) + ")");
  }
  return fx;
}

}  // namespace

DdsResult dds_minimize(const std::vector<double>& lower, const std::vector<double>& upper,
                       const BlockObjective& f, const DdsOptions& o) {
  check_bounds(lower, upper, "dds_minimize");
  const std::size_t D = lower.size();
  if (o.budget < 1) throw std::invalid_argument("dds_minimize: budget must be >= 1");
  if (!(o.r > 0) || !std::isfinite(o.r))
    throw std::invalid_argument("dds_minimize: r must be finite and > 0 (got " +
                                std::to_string(o.r) + ")");
  if (o.block < 1) throw std::invalid_argument("dds_minimize: block must be >= 1");
  if (o.random_starts < 1) throw std::invalid_argument("dds_minimize: random_starts must be >= 1");
  if (!f) throw std::invalid_argument("dds_minimize: empty objective");
  if (o.x0) {
    const auto& x0 = *o.x0;
    if (x0.size() != D)
      throw std::invalid_argument("dds_minimize: x0 has " + std::to_string(x0.size()) +
                                  " values for " + std::to_string(D) + " variables");
    for (std::size_t d = 0; d < D; ++d)
      if (!(x0[d] >= lower[d] && x0[d] <= upper[d]))
        throw std::invalid_argument("dds_minimize: x0[" + std::to_string(d) + "] = " +
                                    std::to_string(x0[d]) + " is outside [" +
                                    std::to_string(lower[d]) + ", " + std::to_string(upper[d]) +
                                    "]");
  }

  DdsResult res;
  res.history_x.reserve(o.budget);
  res.history_f.reserve(o.budget);
  res.best_f_trace.reserve(o.budget);

  // Step 2: the initial solution (one given point, or the best of a few uniform ones).
  std::vector<std::vector<double>> xs;
  if (o.x0) {
    xs.push_back(*o.x0);
  } else {
    const std::size_t n0 = std::min(o.random_starts, o.budget);
    for (std::size_t k = 0; k < n0; ++k) {
      core::Rng rng(o.seed, k);
      std::vector<double> x(D);
      for (std::size_t d = 0; d < D; ++d) x[d] = lower[d] + rng.uniform() * (upper[d] - lower[d]);
      xs.push_back(std::move(x));
    }
  }
  std::vector<double> fx = evaluate(f, xs, 0);
  std::size_t ib = 0;
  for (std::size_t k = 1; k < fx.size(); ++k)
    if (fx[k] < fx[ib]) ib = k;
  res.best_x = xs[ib];
  res.best_f = fx[ib];
  for (std::size_t k = 0; k < xs.size(); ++k) {
    res.history_x.push_back(std::move(xs[k]));
    res.history_f.push_back(fx[k]);
    res.best_f_trace.push_back(k == 0 ? fx[k] : std::min(res.best_f_trace.back(), fx[k]));
  }

  // Steps 3–6, b candidates at a time from the same incumbent.
  std::size_t e = res.history_f.size();
  while (e < o.budget) {
    const std::size_t nb = std::min(o.block, o.budget - e);
    xs.clear();
    for (std::size_t k = 0; k < nb; ++k)
      xs.push_back(candidate(res.best_x, lower, upper, o.r, o.seed, e + k, o.budget));
    fx = evaluate(f, xs, e);
    ib = 0;
    for (std::size_t k = 1; k < nb; ++k)
      if (fx[k] < fx[ib]) ib = k;
    const bool accept = fx[ib] <= res.best_f;  // Step 5 (≤, as in the paper)
    const std::vector<double> xb = accept ? xs[ib] : std::vector<double>{};
    for (std::size_t k = 0; k < nb; ++k) {
      res.history_x.push_back(std::move(xs[k]));
      res.history_f.push_back(fx[k]);
      res.best_f_trace.push_back(std::min(res.best_f_trace.back(), fx[k]));
    }
    if (accept) {
      res.best_x = xb;
      res.best_f = fx[ib];
    }
    e += nb;
  }
  res.evaluations = res.history_f.size();
  return res;
}

}  // namespace daihai::analysis
