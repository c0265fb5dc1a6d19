// analysis/glue.hpp: Latin hypercube strata, GLUE weights, systematic resampling, weighted
// quantiles and identifiability, against their definitions.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "analysis/glue.hpp"

using namespace daihai::analysis;

TEST_CASE("latin hypercube: one point in every stratum of every dimension, inside the box, reproducible", "[glue]") {
  const std::vector<double> lo = {0.0, -5.0, 100.0}, hi = {1.0, 5.0, 800.0};
  const std::size_t n = 257;
  const auto x = latin_hypercube(lo, hi, n, 42);
  REQUIRE(x.size() == n);
  for (std::size_t d = 0; d < lo.size(); ++d) {
    std::set<std::size_t> strata;
    for (const auto& p : x) {
      CHECK(p[d] >= lo[d]);
      CHECK(p[d] < hi[d]);
      strata.insert(static_cast<std::size_t>((p[d] - lo[d]) / (hi[d] - lo[d]) * static_cast<double>(n)));
    }
    CHECK(strata.size() == n);
  }
  CHECK(latin_hypercube(lo, hi, n, 42) == x);
  CHECK(latin_hypercube(lo, hi, n, 43) != x);
  CHECK_THROWS_AS(latin_hypercube({1.0}, {1.0}, 5, 1), std::invalid_argument);
}

TEST_CASE("GLUE weights: exp(-J/2) for behavioural sets, none for the others, normalised", "[glue]") {
  const auto w = glue_weights({1.0, 3.0, 20.0, 2.0, std::nan("")}, 13.0);
  const double a = 1.0, b = std::exp(-1.0), c = std::exp(-0.5);  // relative to the best (J = 1)
  CHECK(w[0] == Approx(a / (a + b + c)));
  CHECK(w[1] == Approx(b / (a + b + c)));
  CHECK(w[2] == 0.0);
  CHECK(w[3] == Approx(c / (a + b + c)));
  CHECK(w[4] == 0.0);
  for (double v : glue_weights({20.0, 30.0}, 13.0)) CHECK(v == 0.0);
}

TEST_CASE("systematic resampling takes each set floor or ceil of k times its weight", "[glue]") {
  const std::vector<double> w = {0.5, 0.25, 0.125, 0.125, 0.0};
  const std::size_t k = 40;
  for (std::uint64_t seed : {1u, 2u, 3u, 99u}) {
    const auto idx = systematic_resample(w, k, seed);
    REQUIRE(idx.size() == k);
    std::map<std::size_t, int> count;
    for (auto i : idx) ++count[i];
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double expect = w[i] * static_cast<double>(k);
      CHECK(count[i] >= std::floor(expect));
      CHECK(count[i] <= std::ceil(expect));
    }
  }
  CHECK_THROWS_AS(systematic_resample({0.0, 0.0}, 3, 1), std::invalid_argument);
}

TEST_CASE("weighted quantiles and identifiability", "[glue]") {
  CHECK(weighted_quantile({3.0, 1.0, 2.0}, {1.0, 1.0, 1.0}, 0.5) == 2.0);
  CHECK(weighted_quantile({3.0, 1.0, 2.0}, {0.0, 0.0, 1.0}, 0.05) == 2.0);
  // Parameter 0 confined to the middle tenth of its box by the weights, parameter 1 not at all.
  const auto x = latin_hypercube({0.0, 0.0}, {1.0, 1.0}, 2000, 7);
  std::vector<double> w;
  for (const auto& p : x) w.push_back(std::abs(p[0] - 0.5) < 0.05 ? 1.0 : 0.0);
  const auto id = identifiability({"a", "b"}, {0.0, 0.0}, {1.0, 1.0}, x, w);
  CHECK(id[0].ratio == Approx(0.09).margin(0.01));
  CHECK(id[0].verdict == "identified");
  CHECK(id[0].q50 == Approx(0.5).margin(0.01));
  CHECK(id[1].ratio == Approx(0.9).margin(0.05));
  CHECK(id[1].verdict == "not");
}
