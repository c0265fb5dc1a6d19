#include "analysis/skill.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace daihai::analysis {

namespace {

Metric defined(double v, const char* what) {
  // Guard against overflow of sums of huge inputs: a metric is never NaN or infinite.
  if (!std::isfinite(v)) return {std::nullopt, fmt::format("{} not finite (overflow in the sums)", what)};
  return {v, {}};
}

Metric undefined(std::string reason) { return {std::nullopt, std::move(reason)}; }

}  // namespace

Skill skill(std::span<const double> sim, std::span<const double> obs) {
  if (sim.size() != obs.size())
    throw std::invalid_argument(fmt::format("skill: sim has {} values but obs has {}", sim.size(), obs.size()));

  std::vector<double> s, o;
  s.reserve(sim.size());
  o.reserve(obs.size());
  for (std::size_t i = 0; i < sim.size(); ++i) {
    if (std::isfinite(sim[i]) && std::isfinite(obs[i])) {
      s.push_back(sim[i]);
      o.push_back(obs[i]);
    }
  }

  Skill out;
  out.count = s.size();
  const std::size_t n_pairs = s.size();

  if (n_pairs == 0) {
    const std::string none = "no finite (sim, obs) pairs";
    out.nse = out.kge = out.kge_prime = out.rmse = out.bias = undefined(none);
    return out;
  }

  const double n = static_cast<double>(n_pairs);
  double mu_s = 0.0, mu_o = 0.0;
  for (std::size_t i = 0; i < n_pairs; ++i) {
    mu_s += s[i];
    mu_o += o[i];
  }
  mu_s /= n;
  mu_o /= n;

  double sse = 0.0, sum_err = 0.0, ss_s = 0.0, ss_o = 0.0, sp = 0.0;
  for (std::size_t i = 0; i < n_pairs; ++i) {
    const double e = s[i] - o[i];
    const double ds = s[i] - mu_s;
    const double d_o = o[i] - mu_o;
    sse += e * e;
    sum_err += e;
    ss_s += ds * ds;
    ss_o += d_o * d_o;
    sp += ds * d_o;
  }

  out.rmse = defined(std::sqrt(sse / n), "RMSE");
  out.bias = defined(sum_err / n, "bias");

  if (n_pairs < 2) {
    const std::string few = fmt::format("fewer than 2 finite pairs (count = {})", n_pairs);
    out.nse = out.kge = out.kge_prime = undefined(few);
    return out;
  }

  // NSE: needs variance in the observations only.
  if (ss_o == 0.0)
    out.nse = undefined("observations constant (zero variance)");
  else
    out.nse = defined(1.0 - sse / ss_o, "NSE");

  // KGE and KGE′: r needs σ_obs > 0 and σ_sim > 0; β needs μ_obs ≠ 0; γ also needs μ_sim ≠ 0.
  std::string kge_reason;
  if (ss_o == 0.0)
    kge_reason = "observations constant (zero variance): correlation r undefined";
  else if (ss_s == 0.0)
    kge_reason = "simulation constant (zero variance): correlation r undefined";
  else if (mu_o == 0.0)
    kge_reason = "observed mean is zero: bias ratio beta = mean_sim/mean_obs undefined";
  if (!kge_reason.empty()) {
    out.kge = out.kge_prime = undefined(kge_reason);
    return out;
  }

  const double sigma_s = std::sqrt(ss_s / n);  // population standard deviations (divide by n)
  const double sigma_o = std::sqrt(ss_o / n);
  // Clamp rounding excursions just outside [−1, 1].
  const double r = std::clamp(sp / std::sqrt(ss_s * ss_o), -1.0, 1.0);
  const double alpha = sigma_s / sigma_o;
  const double beta = mu_s / mu_o;
  out.kge = defined(1.0 - std::sqrt((r - 1) * (r - 1) + (alpha - 1) * (alpha - 1) + (beta - 1) * (beta - 1)), "KGE");

  if (mu_s == 0.0) {
    out.kge_prime = undefined("simulated mean is zero: variability ratio gamma = CV_sim/CV_obs undefined");
  } else {
    const double gamma = (sigma_s / mu_s) / (sigma_o / mu_o);
    out.kge_prime =
        defined(1.0 - std::sqrt((r - 1) * (r - 1) + (gamma - 1) * (gamma - 1) + (beta - 1) * (beta - 1)), "KGE'");
  }
  return out;
}

std::string format_metric(const Metric& m, int decimals) {
  if (decimals < 0) throw std::invalid_argument(fmt::format("format_metric: negative decimals ({})", decimals));
  if (m.value) return fmt::format("{:.{}f}", *m.value, decimals);
  return fmt::format("undefined ({})", m.undefined);
}

}  // namespace daihai::analysis
