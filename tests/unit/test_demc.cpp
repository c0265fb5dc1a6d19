// analysis/demc.hpp: DE-MCz samples a known posterior (a correlated Gaussian, whose mean,
// standard deviations and correlation are known exactly) and the Gelman–Rubin diagnostic
// separates chains that agree from chains that do not.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/demc.hpp"
#include "analysis/glue.hpp"

using namespace daihai::analysis;

namespace {

// J(x) = (x−μ)ᵀ Σ⁻¹ (x−μ): the posterior exp(−J/2) is N(μ, Σ). Two dimensions are correlated
// (ρ = 0.8, the case DE's difference vectors are made for), the others independent.
struct Gaussian {
  std::vector<double> mu = {1.0, -2.0, 5.0, 0.0};
  std::vector<double> sd = {0.5, 1.0, 2.0, 0.3};
  double rho = 0.8;  // between dimensions 0 and 1
  double j(const std::vector<double>& x) const {
    const double z0 = (x[0] - mu[0]) / sd[0], z1 = (x[1] - mu[1]) / sd[1];
    double v = (z0 * z0 - 2.0 * rho * z0 * z1 + z1 * z1) / (1.0 - rho * rho);
    for (std::size_t q = 2; q < mu.size(); ++q) v += std::pow((x[q] - mu[q]) / sd[q], 2);
    return v;
  }
};

}  // namespace

TEST_CASE("DE-MCz samples a correlated Gaussian posterior: its means, SDs and correlation", "[demc]") {
  const Gaussian g;
  const std::size_t d = g.mu.size();
  std::vector<double> lo(d), hi(d);
  for (std::size_t q = 0; q < d; ++q) {  // a box of ±8 SD, off-centre: the bounds must not matter
    lo[q] = g.mu[q] - 6.0 * g.sd[q];
    hi[q] = g.mu[q] + 10.0 * g.sd[q];
  }
  const auto archive = latin_hypercube(lo, hi, 10 * d, 7);
  std::vector<std::vector<double>> starts(archive.begin(), archive.begin() + 4);
  std::vector<double> j0;
  for (const auto& s : starts) j0.push_back(g.j(s));
  std::size_t calls = 0;
  const BlockObjective f = [&](const std::vector<std::vector<double>>& xs) {
    ++calls;
    std::vector<double> out;
    for (const auto& x : xs) {
      for (std::size_t q = 0; q < d; ++q) REQUIRE((x[q] >= lo[q] && x[q] <= hi[q]));  // proposals stay in the box
      out.push_back(g.j(x));
    }
    return out;
  };
  DemcOptions opt;
  opt.generations = 20000;
  opt.seed = 11;
  const DemcResult r = demc_sample(lo, hi, archive, starts, j0, f, opt);
  CHECK(calls == opt.generations);
  CHECK(r.evaluations == 4 * opt.generations);
  const double acceptance = static_cast<double>(r.accepted) / static_cast<double>(r.evaluations);
  CHECK(acceptance > 0.1);  // ter Braak & Vrugt 2008: ~0.2-0.3 for Gaussian targets with γ = 2.38/√(2d)
  CHECK(acceptance < 0.6);
  // Pooled second halves of the chains.
  std::vector<std::vector<double>> s;
  for (const auto& c : r.chains)
    for (std::size_t t = c.size() / 2; t < c.size(); ++t) s.push_back(c[t]);
  const double n = static_cast<double>(s.size());
  std::vector<double> mean(d, 0.0), var(d, 0.0);
  for (const auto& x : s)
    for (std::size_t q = 0; q < d; ++q) mean[q] += x[q] / n;
  double cov01 = 0.0;
  for (const auto& x : s) {
    for (std::size_t q = 0; q < d; ++q) var[q] += (x[q] - mean[q]) * (x[q] - mean[q]) / n;
    cov01 += (x[0] - mean[0]) * (x[1] - mean[1]) / n;
  }
  // Tolerances: the chains' autocorrelation leaves an effective sample of a few thousand, so the
  // mean is within ~0.1 SD and the SD within ~10 %.
  for (std::size_t q = 0; q < d; ++q) {
    INFO("dimension " << q);
    CHECK(std::abs(mean[q] - g.mu[q]) < 0.1 * g.sd[q]);
    CHECK(std::sqrt(var[q]) == Approx(g.sd[q]).epsilon(0.1));
  }
  CHECK(cov01 / std::sqrt(var[0] * var[1]) == Approx(g.rho).margin(0.05));
  for (double rhat : gelman_rubin(r.chains)) CHECK(rhat < 1.1);
  // The objective recorded with each state is the objective of that state.
  for (std::size_t c = 0; c < r.chains.size(); ++c) CHECK(r.objectives[c].back() == Approx(g.j(r.chains[c].back())));
  // Reproducible for a seed.
  const DemcResult again = demc_sample(lo, hi, archive, starts, j0, f, opt);
  CHECK(again.chains == r.chains);
}

TEST_CASE("DE-MCz refuses inconsistent input", "[demc]") {
  const BlockObjective f = [](const std::vector<std::vector<double>>& xs) { return std::vector<double>(xs.size(), 0.0); };
  const std::vector<std::vector<double>> archive = {{0.1}, {0.5}, {0.9}};
  DemcOptions opt;
  CHECK_THROWS_AS(demc_sample({0.0}, {1.0}, {{0.1}, {0.2}}, {{0.5}}, {0.0}, f, opt), std::invalid_argument);  // archive < 3
  CHECK_THROWS_AS(demc_sample({0.0}, {1.0}, archive, {{1.5}}, {0.0}, f, opt), std::invalid_argument);        // start outside
  CHECK_THROWS_AS(demc_sample({0.0}, {1.0}, archive, {{0.5}}, {}, f, opt), std::invalid_argument);           // no objective
  CHECK_THROWS_AS(demc_sample({0.0, 0.0}, {1.0}, archive, {{0.5}}, {0.0}, f, opt), std::invalid_argument);   // bounds
}

TEST_CASE("Gelman-Rubin: near 1 for chains of one distribution, large for chains stuck apart", "[demc]") {
  // Chains of a deterministic, well-mixed sequence (the same distribution in every chain).
  std::vector<std::vector<std::vector<double>>> same(3), apart(3);
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t t = 0; t < 400; ++t) {
      const double u = std::sin(0.7 * static_cast<double>(t) + 2.0 * static_cast<double>(c));
      same[c].push_back({u, 5.0});
      apart[c].push_back({u + 10.0 * static_cast<double>(c), 5.0});
    }
  const auto r1 = gelman_rubin(same), r2 = gelman_rubin(apart);
  CHECK(r1[0] == Approx(1.0).margin(0.02));
  CHECK(r1[1] == 1.0);  // a parameter no chain moves
  CHECK(r2[0] > 5.0);
  CHECK_THROWS_AS(gelman_rubin({same[0]}), std::invalid_argument);
}
