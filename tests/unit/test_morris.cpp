#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/morris.hpp"

using daihai::analysis::morris_screening;
using daihai::analysis::MorrisBlockModel;
using daihai::analysis::MorrisOptions;

namespace {

using Vec = std::vector<double>;
using Mat = std::vector<Vec>;

/// Wraps a pointwise model (point → outputs) as a block model, evaluated front to back or back
/// to front.
template <class F>
MorrisBlockModel block_of(F fn, bool backwards = false) {
  return [fn, backwards](const Mat& pts) {
    Mat out(pts.size());
    if (backwards) {
      for (std::size_t j = pts.size(); j-- > 0;) out[j] = fn(pts[j]);
    } else {
      for (std::size_t j = 0; j < pts.size(); ++j) out[j] = fn(pts[j]);
    }
    return out;
  };
}

const Vec kLower{0.0, -5.0, 10.0};
const Vec kUpper{1.0, 5.0, 20.0};

/// Output 0: y = 2·x1 + 0·x2 + 3·x3 (linear; EE_i = coefficient × range, exactly).
/// Output 1: y = x1·x2 (interaction; EE_1 = range_1·x2, EE_2 = range_2·x1 at the step).
/// Output 2: y = ((x1 − lower1)/range1)² (curvature in x1 only).
Vec model3(const Vec& x) {
  const double u1 = (x[0] - kLower[0]) / (kUpper[0] - kLower[0]);
  return {2.0 * x[0] + 0.0 * x[1] + 3.0 * x[2], x[0] * x[1], u1 * u1};
}

}  // namespace

TEST_CASE("morris: the elementary effects of a linear function are its coefficients times the ranges",
          "[morris]") {
  MorrisOptions o;
  o.trajectories = 12;
  o.seed = 4;
  const auto r = morris_screening(kLower, kUpper, block_of(model3), o);
  REQUIRE(r.parameters == 3);
  REQUIRE(r.outputs == 3);
  REQUIRE(r.points.size() == 12 * 4);
  CHECK(r.delta == Approx(4.0 / 6.0));
  // Ranges 1, 10, 10: EE = 2·1, 0·10, 3·10 on every trajectory.
  const Vec expected{2.0, 0.0, 30.0};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("parameter " << i);
    CHECK(r.mu[i][0] == Approx(expected[i]).margin(1e-9));
    CHECK(r.mu_star[i][0] == Approx(std::abs(expected[i])).margin(1e-9));
    CHECK(r.sigma[i][0] == Approx(0.0).margin(1e-9));
    for (std::size_t t = 0; t < 12; ++t) CHECK(r.effects[t][i][0] == Approx(expected[i]).margin(1e-9));
  }
  // A parameter without effect: mu* = 0 exactly for the output that does not depend on it.
  CHECK(r.mu_star[1][0] == 0.0);
  CHECK(r.mu_star[1][2] == 0.0);
  CHECK(r.mu_star[2][1] == 0.0);
  CHECK(r.mu_star[2][2] == 0.0);
}

TEST_CASE("morris: interaction and curvature give analytic effects and a positive sigma", "[morris]") {
  MorrisOptions o;
  o.trajectories = 200;
  o.seed = 8;
  const auto r = morris_screening(kLower, kUpper, block_of(model3), o);
  const std::size_t k = 3;
  for (std::size_t t = 0; t < o.trajectories; ++t) {
    for (std::size_t s = 0; s < k; ++s) {
      const Vec& a = r.points[t * (k + 1) + s];
      const Vec& b = r.points[t * (k + 1) + s + 1];
      std::size_t moved = k, n_moved = 0;
      for (std::size_t i = 0; i < k; ++i)
        if (a[i] != b[i]) {
          moved = i;
          ++n_moved;
        }
      REQUIRE(n_moved == 1);
      // y = x1·x2: EE_1 = range_1·x2, EE_2 = range_2·x1 (the other factor is fixed on the step).
      if (moved == 0) CHECK(r.effects[t][0][1] == Approx(1.0 * a[1]).margin(1e-9));
      if (moved == 1) CHECK(r.effects[t][1][1] == Approx(10.0 * a[0]).margin(1e-9));
      // y = u1²: EE = (u_b² − u_a²)/(u_b − u_a) = u_a + u_b = 2·x* + Δ ∈ {2/3, 4/3} for p = 4.
      if (moved == 0) {
        const double ee = r.effects[t][0][2];
        CHECK((ee == Approx(2.0 / 3.0) || ee == Approx(4.0 / 3.0)));
      }
    }
  }
  // E[2·x* + Δ] over x* ∈ {0, 1/3} equally likely = 1; 200 trajectories: standard error 1/3/√200.
  CHECK(r.mu[0][2] == Approx(1.0).margin(0.08));
  CHECK(r.mu_star[0][2] == Approx(r.mu[0][2]));
  CHECK(r.sigma[0][2] > 0.25);
  CHECK(r.sigma[0][2] < 0.40);  // sd of a two-point {2/3, 4/3} variable is 1/3
  // Interaction: EE_1 = x2 ∈ {−5, −5/3, 5/3, 5}, symmetric: mu ≈ 0 but mu* > 0 (Campolongo's point).
  CHECK(std::abs(r.mu[0][1]) < 0.6);
  CHECK(r.mu_star[0][1] > 2.5);
  CHECK(r.sigma[0][1] > 2.5);
}

TEST_CASE("morris: the design is on the p-level grid with one move of size delta per parameter",
          "[morris]") {
  MorrisOptions o;
  o.trajectories = 30;
  o.levels = 6;
  o.seed = 2;
  const auto r = morris_screening(kLower, kUpper, block_of(model3), o);
  const std::size_t k = 3;
  const double delta = 6.0 / 10.0;
  CHECK(r.delta == Approx(delta));
  for (const auto& x : r.points)
    for (std::size_t i = 0; i < k; ++i) {
      const double u = (x[i] - kLower[i]) / (kUpper[i] - kLower[i]);
      CHECK(u >= 0.0);
      CHECK(u <= 1.0);
      CHECK(u * 5.0 == Approx(std::round(u * 5.0)).margin(1e-9));  // on {0, 1/5, …, 1}
    }
  for (std::size_t t = 0; t < o.trajectories; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t s = 0; s < k; ++s) {
      const Vec& a = r.points[t * (k + 1) + s];
      const Vec& b = r.points[t * (k + 1) + s + 1];
      for (std::size_t i = 0; i < k; ++i)
        if (a[i] != b[i]) {
          moved.insert(i);
          CHECK(std::abs(b[i] - a[i]) / (kUpper[i] - kLower[i]) == Approx(delta));
        }
    }
    CHECK(moved.size() == k);
  }
}

TEST_CASE("morris: deterministic from the seed and independent of block size and order",
          "[morris]") {
  MorrisOptions o;
  o.trajectories = 15;
  o.seed = 21;
  const auto a = morris_screening(kLower, kUpper, block_of(model3), o);
  const auto b = morris_screening(kLower, kUpper, block_of(model3), o);
  CHECK(a.points == b.points);
  CHECK(a.mu_star == b.mu_star);
  CHECK(a.sigma == b.sigma);
  o.block = 7;
  const auto c = morris_screening(kLower, kUpper, block_of(model3, true), o);
  CHECK(a.points == c.points);
  CHECK(a.values == c.values);
  CHECK(a.mu == c.mu);
  CHECK(a.mu_star == c.mu_star);
  CHECK(a.sigma == c.sigma);
  o.block = 0;
  o.seed = 22;
  const auto d = morris_screening(kLower, kUpper, block_of(model3), o);
  CHECK(a.points != d.points);
}

TEST_CASE("morris: invalid input is rejected", "[morris]") {
  const auto m = block_of(model3);
  MorrisOptions o;
  CHECK_THROWS_AS(morris_screening(Vec{0.0, 5.0, 10.0}, kUpper, m, o), std::invalid_argument);
  CHECK_THROWS_AS(morris_screening(Vec{0.0, 6.0, 10.0}, kUpper, m, o), std::invalid_argument);
  CHECK_THROWS_AS(morris_screening(Vec{0.0, -5.0}, kUpper, m, o), std::invalid_argument);
  CHECK_THROWS_AS(morris_screening(Vec{}, Vec{}, m, o), std::invalid_argument);
  {
    MorrisOptions b = o;
    b.trajectories = 1;
    CHECK_THROWS_AS(morris_screening(kLower, kUpper, m, b), std::invalid_argument);
  }
  {
    MorrisOptions b = o;
    b.levels = 5;
    CHECK_THROWS_AS(morris_screening(kLower, kUpper, m, b), std::invalid_argument);
    b.levels = 0;
    CHECK_THROWS_AS(morris_screening(kLower, kUpper, m, b), std::invalid_argument);
  }
  // Non-finite output: the message names point and output.
  auto bad = block_of([](const Vec& x) { return Vec{x[0], x[1] > 0.0 ? INFINITY : 0.0}; });
  try {
    morris_screening(kLower, kUpper, bad, o);
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("output 1") != std::string::npos);
    CHECK(msg.find("point") != std::string::npos);
  }
  auto nan_out = block_of([](const Vec&) { return Vec{std::nan("")}; });
  CHECK_THROWS_AS(morris_screening(kLower, kUpper, nan_out, o), std::invalid_argument);
  // Inconsistent or missing outputs, wrong number of results.
  std::size_t calls = 0;
  auto ragged = [&calls](const Mat& pts) {
    Mat out;
    for (std::size_t j = 0; j < pts.size(); ++j) out.push_back(Vec(++calls == 3 ? 2 : 1, 0.0));
    return out;
  };
  CHECK_THROWS_AS(morris_screening(kLower, kUpper, ragged, o), std::invalid_argument);
  auto empty = [](const Mat& pts) { return Mat(pts.size()); };
  CHECK_THROWS_AS(morris_screening(kLower, kUpper, empty, o), std::invalid_argument);
  auto short_m = [](const Mat&) { return Mat{}; };
  CHECK_THROWS_AS(morris_screening(kLower, kUpper, short_m, o), std::invalid_argument);
}
