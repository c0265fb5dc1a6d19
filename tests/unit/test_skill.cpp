// analysis/skill.hpp: NSE, KGE, KGE′, RMSE and bias against hand-computed values.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/skill.hpp"

using namespace daihai;
using Catch::Matchers::Contains;

namespace {

// The value of a metric that must be defined.
double value_of(const analysis::Metric& m) {
  INFO("undefined: " << m.undefined);
  REQUIRE(m.value.has_value());
  CHECK(m.undefined.empty());
  CHECK(std::isfinite(*m.value));
  return *m.value;
}

// A metric that must be undefined, with a reason.
void require_undefined(const analysis::Metric& m) {
  CHECK_FALSE(m.value.has_value());
  CHECK_FALSE(m.undefined.empty());
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

// obs = {1, 2, 3, 4}, sim = {1.5, 2, 2.5, 5}, n = 4.
//   μ_obs = 10/4 = 2.5,   μ_sim = 11/4 = 2.75
//   sim − obs = {0.5, 0, −0.5, 1}:  Σ(sim−obs)² = 0.25 + 0 + 0.25 + 1 = 1.5,  Σ(sim−obs) = 1
//   obs − μ_obs = {−1.5, −0.5, 0.5, 1.5}:  Σ² = 2.25 + 0.25 + 0.25 + 2.25 = 5
//   sim − μ_sim = {−1.25, −0.75, −0.25, 2.25}:  Σ² = 1.5625 + 0.5625 + 0.0625 + 5.0625 = 7.25
//   Σ(obs−μ_obs)(sim−μ_sim) = 1.875 + 0.375 − 0.125 + 3.375 = 5.5
//   NSE  = 1 − 1.5/5 = 0.7
//   RMSE = sqrt(1.5/4) = sqrt(0.375) = 0.6123724
//   bias = 1/4 = 0.25
//   σ_obs = sqrt(5/4) = 1.1180340,  σ_sim = sqrt(7.25/4) = 1.3462912   (population, divide by n)
//   r = 5.5 / sqrt(5 · 7.25) = 5.5 / sqrt(36.25) = 5.5 / 6.0207973 = 0.9135003
//   α = σ_sim/σ_obs = sqrt(7.25/5) = sqrt(1.45) = 1.2041595
//   β = μ_sim/μ_obs = 2.75/2.5 = 1.1
//   γ = (σ_sim/μ_sim)/(σ_obs/μ_obs) = α/β = 1.2041595/1.1 = 1.0946904
//   KGE  = 1 − sqrt(0.0864997² + 0.2041595² + 0.1²) = 1 − sqrt(0.0074822 + 0.0416811 + 0.01)
//        = 1 − sqrt(0.0591633) = 1 − 0.2432350 = 0.7567650
//   KGE′ = 1 − sqrt(0.0864997² + 0.0946904² + 0.1²) = 1 − sqrt(0.0074822 + 0.0089663 + 0.01)
//        = 1 − sqrt(0.0264485) = 1 − 0.1626299 = 0.8373701
TEST_CASE("skill: hand-computed NSE, KGE, KGE', RMSE and bias", "[skill]") {
  const std::vector<double> obs{1, 2, 3, 4};
  const std::vector<double> sim{1.5, 2, 2.5, 5};
  const auto s = analysis::skill(sim, obs);
  CHECK(s.count == 4);

  const double r = 5.5 / std::sqrt(36.25);
  const double alpha = std::sqrt(1.45);
  const double beta = 1.1;
  const double gamma = alpha / beta;
  CHECK(r == Approx(0.9135003).margin(1e-7));
  CHECK(gamma == Approx(1.0946904).margin(1e-7));

  CHECK(value_of(s.nse) == Approx(0.7));
  CHECK(value_of(s.rmse) == Approx(std::sqrt(0.375)));
  CHECK(value_of(s.rmse) == Approx(0.6123724).margin(1e-7));
  CHECK(value_of(s.bias) == Approx(0.25));
  CHECK(value_of(s.kge) ==
        Approx(1.0 - std::sqrt((r - 1) * (r - 1) + (alpha - 1) * (alpha - 1) + (beta - 1) * (beta - 1))));
  CHECK(value_of(s.kge) == Approx(0.7567650).margin(1e-6));
  CHECK(value_of(s.kge_prime) ==
        Approx(1.0 - std::sqrt((r - 1) * (r - 1) + (gamma - 1) * (gamma - 1) + (beta - 1) * (beta - 1))));
  CHECK(value_of(s.kge_prime) == Approx(0.8373701).margin(1e-6));

  CHECK(analysis::format_metric(s.nse) == "0.700");
  CHECK(analysis::format_metric(s.kge, 2) == "0.76");
  CHECK(analysis::format_metric(s.kge_prime, 4) == "0.8374");
}

TEST_CASE("skill: a perfect simulation scores NSE = KGE = KGE' = 1, RMSE = bias = 0", "[skill]") {
  const std::vector<double> obs{3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0};
  const auto s = analysis::skill(obs, obs);
  CHECK(s.count == obs.size());
  CHECK(value_of(s.nse) == 1.0);
  CHECK(value_of(s.kge) == Approx(1.0));
  CHECK(value_of(s.kge_prime) == Approx(1.0));
  CHECK(value_of(s.rmse) == 0.0);
  CHECK(value_of(s.bias) == 0.0);
}

// Swapped: obs' = {1.5, 2, 2.5, 5}, sim' = {1, 2, 3, 4}. Σ(sim'−obs')² is still 1.5, but the
// denominator is now Σ(obs'−μ_obs')² = 7.25: NSE = 1 − 1.5/7.25 = 23/29 = 0.7931034 ≠ 0.7.
// RMSE is symmetric (0.6123724); the bias changes sign (−0.25).
TEST_CASE("skill: NSE depends on the argument order", "[skill]") {
  const std::vector<double> a{1, 2, 3, 4};
  const std::vector<double> b{1.5, 2, 2.5, 5};
  const auto forward = analysis::skill(b, a);  // sim = b, obs = a
  const auto swapped = analysis::skill(a, b);  // sim = a, obs = b
  CHECK(value_of(forward.nse) == Approx(0.7));
  CHECK(value_of(swapped.nse) == Approx(23.0 / 29.0));
  CHECK(value_of(swapped.nse) == Approx(0.7931034).margin(1e-7));
  CHECK(value_of(forward.rmse) == Approx(value_of(swapped.rmse)));
  CHECK(value_of(swapped.bias) == Approx(-0.25));
}

// obs = {2, 2, 2}, sim = {1, 2, 3}: Σ(obs−μ_obs)² = 0 → NSE, KGE, KGE′ undefined.
// RMSE = sqrt((1 + 0 + 1)/3) = sqrt(2/3) = 0.8164966; bias = (−1 + 0 + 1)/3 = 0.
TEST_CASE("skill: constant observations leave NSE and KGE undefined, RMSE and bias defined", "[skill]") {
  const std::vector<double> obs{2, 2, 2};
  const std::vector<double> sim{1, 2, 3};
  const auto s = analysis::skill(sim, obs);
  CHECK(s.count == 3);
  require_undefined(s.nse);
  require_undefined(s.kge);
  require_undefined(s.kge_prime);
  CHECK_THAT(s.nse.undefined, Contains("observations constant"));
  CHECK_THAT(s.kge.undefined, Contains("observations constant"));
  CHECK(value_of(s.rmse) == Approx(std::sqrt(2.0 / 3.0)));
  CHECK(value_of(s.rmse) == Approx(0.8164966).margin(1e-7));
  CHECK(value_of(s.bias) == Approx(0.0).margin(1e-15));
  CHECK(analysis::format_metric(s.nse) == "undefined (" + s.nse.undefined + ")");
}

// obs = {1, 2, 3, 4}, sim = {2, 2, 2, 2}: σ_sim = 0 → r undefined → KGE, KGE′ undefined;
// NSE = 1 − (1 + 0 + 1 + 4)/5 = 1 − 6/5 = −0.2.
TEST_CASE("skill: a constant simulation leaves KGE undefined but NSE defined", "[skill]") {
  const std::vector<double> obs{1, 2, 3, 4};
  const std::vector<double> sim{2, 2, 2, 2};
  const auto s = analysis::skill(sim, obs);
  CHECK(value_of(s.nse) == Approx(-0.2));
  require_undefined(s.kge);
  require_undefined(s.kge_prime);
  CHECK_THAT(s.kge.undefined, Contains("simulation constant"));
}

// obs = {−1, 1}, sim = {−2, 2}: μ_obs = 0 → β undefined → KGE, KGE′ undefined.
// NSE = 1 − (1 + 1)/(1 + 1) = 0; RMSE = sqrt((1 + 1)/2) = 1; bias = 0.
TEST_CASE("skill: a zero observed mean leaves KGE undefined", "[skill]") {
  const std::vector<double> obs{-1, 1};
  const std::vector<double> sim{-2, 2};
  const auto s = analysis::skill(sim, obs);
  CHECK(value_of(s.nse) == Approx(0.0).margin(1e-15));
  CHECK(value_of(s.rmse) == Approx(1.0));
  require_undefined(s.kge);
  require_undefined(s.kge_prime);
  CHECK_THAT(s.kge.undefined, Contains("observed mean is zero"));
}

// obs = {1, 2, 3, 4}, sim = obs − 2.5 = {−1.5, −0.5, 0.5, 1.5}: μ_sim = 0.
//   r = 1 (exact linear relation), α = σ_sim/σ_obs = 1, β = 0/2.5 = 0
//   KGE = 1 − sqrt(0 + 0 + (0 − 1)²) = 0;  KGE′ undefined (γ = CV_sim/CV_obs, CV_sim = σ/0)
//   NSE = 1 − (4 · 2.5²)/5 = 1 − 25/5 = −4;  RMSE = 2.5;  bias = −2.5
TEST_CASE("skill: a zero simulated mean leaves KGE' undefined but KGE defined", "[skill]") {
  const std::vector<double> obs{1, 2, 3, 4};
  const std::vector<double> sim{-1.5, -0.5, 0.5, 1.5};
  const auto s = analysis::skill(sim, obs);
  CHECK(value_of(s.kge) == Approx(0.0).margin(1e-12));
  require_undefined(s.kge_prime);
  CHECK_THAT(s.kge_prime.undefined, Contains("simulated mean is zero"));
  CHECK(value_of(s.nse) == Approx(-4.0));
  CHECK(value_of(s.rmse) == Approx(2.5));
  CHECK(value_of(s.bias) == Approx(-2.5));
}

// The hand-computed pairs of the first test with four non-finite pairs interleaved: the
// metrics are those of the four finite pairs (NSE 0.7, bias 0.25, RMSE sqrt(0.375)).
TEST_CASE("skill: pairs with NaN or infinity are skipped and not counted", "[skill]") {
  const std::vector<double> obs{1, kNaN, 2, 9, 3, -kInf, 4, kNaN};
  const std::vector<double> sim{1.5, 7, 2, kNaN, 2.5, 3, 5, kInf};
  const auto s = analysis::skill(sim, obs);
  CHECK(s.count == 4);
  CHECK(value_of(s.nse) == Approx(0.7));
  CHECK(value_of(s.bias) == Approx(0.25));
  CHECK(value_of(s.rmse) == Approx(std::sqrt(0.375)));
  CHECK(value_of(s.kge) == Approx(0.7567650).margin(1e-6));
  CHECK(value_of(s.kge_prime) == Approx(0.8373701).margin(1e-6));
}

// One finite pair (obs 3, sim 4): RMSE = 1, bias = 1, the rest need count ≥ 2.
// No finite pair (or empty input): everything undefined, nothing thrown.
TEST_CASE("skill: fewer than two pairs", "[skill]") {
  const std::vector<double> obs{3, kNaN};
  const std::vector<double> sim{4, 1};
  const auto one = analysis::skill(sim, obs);
  CHECK(one.count == 1);
  CHECK(value_of(one.rmse) == Approx(1.0));
  CHECK(value_of(one.bias) == Approx(1.0));
  require_undefined(one.nse);
  require_undefined(one.kge);
  require_undefined(one.kge_prime);
  CHECK_THAT(one.nse.undefined, Contains("fewer than 2"));

  const std::vector<double> nan_obs{kNaN, kNaN};
  for (const auto& s : {analysis::skill(sim, nan_obs), analysis::skill({}, {})}) {
    CHECK(s.count == 0);
    require_undefined(s.nse);
    require_undefined(s.kge);
    require_undefined(s.kge_prime);
    require_undefined(s.rmse);
    require_undefined(s.bias);
  }
}

TEST_CASE("skill: sizes that differ throw std::invalid_argument", "[skill]") {
  const std::vector<double> obs{1, 2, 3};
  const std::vector<double> sim{1, 2};
  CHECK_THROWS_AS(analysis::skill(sim, obs), std::invalid_argument);
  CHECK_THROWS_AS(analysis::skill(obs, sim), std::invalid_argument);
}

TEST_CASE("skill: format_metric", "[skill]") {
  CHECK(analysis::format_metric({0.81249, {}}) == "0.812");
  CHECK(analysis::format_metric({-4.0, {}}, 1) == "-4.0");
  CHECK(analysis::format_metric({2.7, {}}, 0) == "3");
  CHECK(analysis::format_metric({std::nullopt, "observations constant (zero variance)"}) ==
        "undefined (observations constant (zero variance))");
  CHECK_THROWS_AS(analysis::format_metric({1.0, {}}, -1), std::invalid_argument);
}
