#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "analysis/dds.hpp"

using daihai::analysis::BlockObjective;
using daihai::analysis::dds_minimize;
using daihai::analysis::DdsOptions;
using daihai::analysis::DdsResult;

namespace {

using Vec = std::vector<double>;

/// Griewank (1981, J. Optim. Theory Appl. 34:11): 1 + Σ x²/4000 − Π cos(x_i/√i); min 0 at 0.
double griewank(const Vec& x) {
  double s = 0.0, p = 1.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    s += x[i] * x[i] / 4000.0;
    p *= std::cos(x[i] / std::sqrt(static_cast<double>(i + 1)));
  }
  return 1.0 + s - p;
}

/// Rosenbrock (1960, Comput. J. 3:175), n-D chained form; min 0 at (1, …, 1).
double rosenbrock(const Vec& x) {
  double s = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i];
    const double b = 1.0 - x[i];
    s += 100.0 * a * a + b * b;
  }
  return s;
}

/// Wraps a pointwise function as a block objective evaluated in index order.
template <class F>
BlockObjective forward(F fn) {
  return [fn](const std::vector<Vec>& xs) {
    Vec f(xs.size());
    for (std::size_t k = 0; k < xs.size(); ++k) f[k] = fn(xs[k]);
    return f;
  };
}

/// The same, but evaluating the block back to front (as a thread pool might finish it).
template <class F>
BlockObjective reverse(F fn) {
  return [fn](const std::vector<Vec>& xs) {
    Vec f(xs.size());
    for (std::size_t k = xs.size(); k-- > 0;) f[k] = fn(xs[k]);
    return f;
  };
}

/// Mean over seeds 1..n_seeds of the best value found by DDS and by uniform random search with
/// the same budget (random search: the same engine stream, one point per evaluation).
struct Means {
  double dds = 0.0, random = 0.0, dds_worst = 0.0;
};
template <class F>
Means mean_best(F fn, double lo, double hi, std::size_t dim, std::size_t budget, int n_seeds) {
  Means m;
  const Vec lower(dim, lo), upper(dim, hi);
  for (int s = 1; s <= n_seeds; ++s) {
    DdsOptions o;
    o.budget = budget;
    o.seed = static_cast<std::uint64_t>(s);
    const DdsResult r = dds_minimize(lower, upper, forward(fn), o);
    m.dds += r.best_f / n_seeds;
    m.dds_worst = std::max(m.dds_worst, r.best_f);
    daihai::core::Rng rng(1000 + static_cast<std::uint64_t>(s), 0);
    double best = 1e300;
    for (std::size_t e = 0; e < budget; ++e) {
      Vec x(dim);
      for (auto& v : x) v = lo + rng.uniform() * (hi - lo);
      best = std::min(best, fn(x));
    }
    m.random += best / n_seeds;
  }
  return m;
}

/// The sequential algorithm written straight from Tolson & Shoemaker (2007), Steps 1–6, with the
/// engine's stream convention (candidate of evaluation e draws from Rng(seed, e)); an independent
/// reference for the block machinery at block = 1.
std::vector<Vec> reference_sequential(const Vec& lo, const Vec& hi, const Vec& x0, std::size_t m,
                                      double r, std::uint64_t seed, double (*fn)(const Vec&)) {
  std::vector<Vec> hist{x0};
  Vec best = x0;
  double fbest = fn(x0);
  for (std::size_t i = 1; i < m; ++i) {
    daihai::core::Rng rng(seed, i);
    const double P = 1.0 - std::log(double(i)) / std::log(double(m));
    std::vector<std::size_t> N;
    for (std::size_t d = 0; d < lo.size(); ++d)
      if (rng.uniform() < P) N.push_back(d);
    if (N.empty()) N.push_back(std::min(lo.size() - 1, std::size_t(rng.uniform() * lo.size())));
    Vec x = best;
    for (std::size_t d : N) {
      x[d] = best[d] + r * (hi[d] - lo[d]) * rng.normal();
      if (x[d] < lo[d]) {
        x[d] = lo[d] + (lo[d] - x[d]);
        if (x[d] > hi[d]) x[d] = lo[d];
      } else if (x[d] > hi[d]) {
        x[d] = hi[d] - (x[d] - hi[d]);
        if (x[d] < lo[d]) x[d] = hi[d];
      }
    }
    const double f = fn(x);
    if (f <= fbest) {
      fbest = f;
      best = x;
    }
    hist.push_back(x);
  }
  return hist;
}

}  // namespace

// Tolson & Shoemaker (2007) compare DDS with SCE on test functions with budgets of 1000 to
// 10,000 evaluations (abstract), but their table values could not be retrieved for this work
// (the paper's full text was not available), so NO number from the paper is used here. Instead these tests check
// stated properties: (1) DDS is far better than uniform random search with the same budget on
// the same box; (2) more budget gives a better mean; (3) a regression bound: the mean over 20
// seeds measured with this implementation (Griewank 1000 evals ≈ 1.10, 10,000 evals ≈ 0.20;
// uniform random search ≈ 70.7 and ≈ 43.7; measured 2026-11-30) stays below the bound with
// margin. The global minimum is 0 at the origin.
TEST_CASE("dds: 10-D Griewank in the 600 box is far better than random search", "[dds]") {
  const Means m1 = mean_best(griewank, -600.0, 600.0, 10, 1000, 20);
  const Means m10 = mean_best(griewank, -600.0, 600.0, 10, 10000, 20);
  INFO("DDS mean best, 1000 evals: " << m1.dds << " (random search " << m1.random << ")");
  INFO("DDS mean best, 10000 evals: " << m10.dds << " (random search " << m10.random << ")");
  CHECK(m1.dds < 0.1 * m1.random);
  CHECK(m10.dds < 0.05 * m10.random);
  CHECK(m10.dds < m1.dds);
  CHECK(m1.dds < 1.3);    // regression bound (measured ≈ 1.10)
  CHECK(m10.dds < 0.35);  // regression bound (measured ≈ 0.20)
  CHECK(m10.dds_worst < 0.6);
}

// Rosenbrock: bounds [-2.048, 2.048] (De Jong 1975), chosen here because the bounds used by
// Tolson & Shoemaker (2007) could not be checked. Minimum 0 at (1, …, 1). Properties as for
// Griewank; measured means over 20 seeds ≈ 7.8 (1000 evals) and ≈ 6.2 (10,000 evals), uniform
// random search ≈ 361 and ≈ 188.
TEST_CASE("dds: 10-D Rosenbrock in the 2.048 box is far better than random search", "[dds]") {
  const Means m1 = mean_best(rosenbrock, -2.048, 2.048, 10, 1000, 20);
  const Means m10 = mean_best(rosenbrock, -2.048, 2.048, 10, 10000, 20);
  INFO("DDS mean best, 1000 evals: " << m1.dds << " (random search " << m1.random << ")");
  INFO("DDS mean best, 10000 evals: " << m10.dds << " (random search " << m10.random << ")");
  CHECK(m1.dds < 0.1 * m1.random);
  CHECK(m10.dds < 0.05 * m10.random);
  CHECK(m10.dds < m1.dds);
  CHECK(m1.dds < 10.0);   // regression bound (measured ≈ 7.8)
  CHECK(m10.dds < 7.5);   // regression bound (measured ≈ 6.2)
}

TEST_CASE("dds: a smooth bowl is solved to near its minimum", "[dds]") {
  // Shifted sphere in 6-D: minimum 0 at x = 0.3 (inside the box, not at its centre).
  auto sphere = [](const Vec& x) {
    double s = 0.0;
    for (double v : x) s += (v - 0.3) * (v - 0.3);
    return s;
  };
  DdsOptions o;
  o.budget = 3000;
  o.seed = 5;
  const auto r = dds_minimize(Vec(6, -5.0), Vec(6, 5.0), forward(sphere), o);
  CHECK(r.best_f < 1e-3);
  for (double v : r.best_x) CHECK(v == Approx(0.3).margin(0.03));
}

TEST_CASE("dds: result bookkeeping", "[dds]") {
  DdsOptions o;
  o.budget = 257;
  o.seed = 3;
  o.x0 = Vec(10, 100.0);
  const auto r = dds_minimize(Vec(10, -600.0), Vec(10, 600.0), forward(griewank), o);
  REQUIRE(r.evaluations == 257);
  REQUIRE(r.history_x.size() == 257);
  REQUIRE(r.history_f.size() == 257);
  REQUIRE(r.best_f_trace.size() == 257);
  CHECK(r.history_x[0] == Vec(10, 100.0));
  CHECK(r.history_f[0] == griewank(Vec(10, 100.0)));
  CHECK(r.best_f == *std::min_element(r.history_f.begin(), r.history_f.end()));
  CHECK(r.best_f == griewank(r.best_x));
  CHECK(r.best_f_trace.back() == r.best_f);
  for (std::size_t e = 0; e < r.history_f.size(); ++e) CHECK(r.history_f[e] == griewank(r.history_x[e]));
  // Budget 1: only the initial point.
  o.budget = 1;
  const auto r1 = dds_minimize(Vec(10, -600.0), Vec(10, 600.0), forward(griewank), o);
  CHECK(r1.evaluations == 1);
  CHECK(r1.best_x == Vec(10, 100.0));
}

TEST_CASE("dds: same seed gives an identical history and another seed does not", "[dds]") {
  DdsOptions o;
  o.budget = 500;
  o.seed = 42;
  o.block = 3;
  const Vec lo(10, -600.0), hi(10, 600.0);
  const auto a = dds_minimize(lo, hi, forward(griewank), o);
  const auto b = dds_minimize(lo, hi, forward(griewank), o);
  CHECK(a.history_x == b.history_x);
  CHECK(a.history_f == b.history_f);
  CHECK(a.best_x == b.best_x);
  o.seed = 43;
  const auto c = dds_minimize(lo, hi, forward(griewank), o);
  CHECK(a.history_x != c.history_x);
}

TEST_CASE("dds: block results do not depend on the order the caller evaluates a block", "[dds]") {
  const Vec lo(10, -600.0), hi(10, 600.0);
  for (std::size_t block : {1u, 4u, 7u, 64u}) {
    DdsOptions o;
    o.budget = 1000;  // not a multiple of 7 or 64: the last block is cut
    o.seed = 11;
    o.block = block;
    const auto a = dds_minimize(lo, hi, forward(griewank), o);
    const auto b = dds_minimize(lo, hi, reverse(griewank), o);
    INFO("block " << block);
    CHECK(a.evaluations == 1000);
    CHECK(a.history_x == b.history_x);
    CHECK(a.history_f == b.history_f);
    CHECK(a.best_f == b.best_f);
  }
}

TEST_CASE("dds: candidates of one block come from the same incumbent with their own streams",
          "[dds]") {
  // With block = budget − 1 every candidate is drawn from x0; candidate e must then equal the
  // sequential algorithm's candidate e whenever the sequential incumbent was still x0.
  const Vec lo(10, -600.0), hi(10, 600.0);
  DdsOptions o;
  o.budget = 50;
  o.seed = 9;
  o.x0 = Vec(10, 599.0);  // a poor start: early candidates are likely to improve on it
  o.block = 49;
  std::vector<std::size_t> sizes;
  auto counted = [&sizes](const std::vector<Vec>& xs) {
    sizes.push_back(xs.size());
    Vec f;
    for (const auto& x : xs) f.push_back(griewank(x));
    return f;
  };
  const auto blk = dds_minimize(lo, hi, counted, o);
  CHECK(sizes == std::vector<std::size_t>{1, 49});
  o.block = 1;
  const auto seq = dds_minimize(lo, hi, forward(griewank), o);
  CHECK(blk.history_x[1] == seq.history_x[1]);  // same incumbent x0, same stream
}

TEST_CASE("dds: block 1 is the sequential algorithm of the paper", "[dds]") {
  const Vec lo(10, -600.0), hi(10, 600.0);
  const Vec x0(10, 250.0);
  DdsOptions o;
  o.budget = 600;
  o.seed = 77;
  o.x0 = x0;
  std::size_t calls = 0;
  auto counted = [&calls](const std::vector<Vec>& xs) {
    ++calls;
    REQUIRE(xs.size() == 1);
    return Vec{griewank(xs[0])};
  };
  const auto r = dds_minimize(lo, hi, counted, o);
  CHECK(calls == 600);
  const auto ref = reference_sequential(lo, hi, x0, 600, 0.2, 77, griewank);
  CHECK(r.history_x == ref);
}

TEST_CASE("dds: every candidate lies inside the bounds with reflection", "[dds]") {
  // r = 2 makes most perturbations leave the box (many double violations too).
  const Vec lo{-1.0, 0.0, 10.0, -1e-3}, hi{1.0, 5.0, 10.5, 1e-3};
  DdsOptions o;
  o.budget = 2000;
  o.seed = 1;
  o.r = 2.0;
  o.block = 5;
  o.x0 = Vec{1.0, 0.0, 10.5, 0.0};  // on the bounds
  std::size_t outside = 0;
  auto f = [&](const std::vector<Vec>& xs) {
    Vec out;
    for (const auto& x : xs) {
      for (std::size_t d = 0; d < x.size(); ++d)
        if (!(x[d] >= lo[d] && x[d] <= hi[d])) ++outside;
      out.push_back(std::abs(x[0] - 0.5) + x[1] + std::abs(x[2] - 10.2) + std::abs(x[3]));
    }
    return out;
  };
  const auto r = dds_minimize(lo, hi, f, o);
  CHECK(outside == 0);
  for (const auto& x : r.history_x)
    for (std::size_t d = 0; d < x.size(); ++d) {
      CHECK(x[d] >= lo[d]);
      CHECK(x[d] <= hi[d]);
    }
  // Random start with several points: also inside.
  DdsOptions o2;
  o2.budget = 100;
  o2.random_starts = 10;
  const auto r2 = dds_minimize(lo, hi, f, o2);
  CHECK(r2.evaluations == 100);
  for (const auto& x : r2.history_x)
    for (std::size_t d = 0; d < x.size(); ++d) CHECK((x[d] >= lo[d] && x[d] <= hi[d]));
}

TEST_CASE("dds: invalid input is rejected", "[dds]") {
  const Vec lo(3, 0.0), hi(3, 1.0);
  auto f = forward([](const Vec& x) { return x[0]; });
  DdsOptions o;
  o.budget = 20;
  CHECK_THROWS_AS(dds_minimize(Vec{0.0, 1.0, 0.0}, Vec{1.0, 1.0, 1.0}, f, o), std::invalid_argument);
  CHECK_THROWS_AS(dds_minimize(Vec{0.0, 2.0, 0.0}, Vec{1.0, 1.0, 1.0}, f, o), std::invalid_argument);
  CHECK_THROWS_AS(dds_minimize(Vec{}, Vec{}, f, o), std::invalid_argument);
  CHECK_THROWS_AS(dds_minimize(Vec(2, 0.0), hi, f, o), std::invalid_argument);
  {
    DdsOptions b = o;
    b.x0 = Vec{0.5, 1.5, 0.5};
    CHECK_THROWS_AS(dds_minimize(lo, hi, f, b), std::invalid_argument);
    b.x0 = Vec{0.5, 0.5};
    CHECK_THROWS_AS(dds_minimize(lo, hi, f, b), std::invalid_argument);
    b.x0 = Vec{0.0, 1.0, 0.5};  // on the bounds is fine
    CHECK_NOTHROW(dds_minimize(lo, hi, f, b));
  }
  {
    DdsOptions b = o;
    b.budget = 0;
    CHECK_THROWS_AS(dds_minimize(lo, hi, f, b), std::invalid_argument);
  }
  {
    DdsOptions b = o;
    b.r = 0.0;
    CHECK_THROWS_AS(dds_minimize(lo, hi, f, b), std::invalid_argument);
    b.r = -0.2;
    CHECK_THROWS_AS(dds_minimize(lo, hi, f, b), std::invalid_argument);
  }
  {
    DdsOptions b = o;
    b.block = 0;
    CHECK_THROWS_AS(dds_minimize(lo, hi, f, b), std::invalid_argument);
  }
  // A block objective returning the wrong number of values.
  auto short_f = [](const std::vector<Vec>&) { return Vec{}; };
  CHECK_THROWS_AS(dds_minimize(lo, hi, short_f, o), std::invalid_argument);
}

TEST_CASE("dds: a non-finite objective names the candidate", "[dds]") {
  const Vec lo(3, 0.0), hi(3, 1.0);
  std::size_t seen = 0;
  auto f = [&seen](const std::vector<Vec>& xs) {
    Vec out;
    for (std::size_t k = 0; k < xs.size(); ++k, ++seen) out.push_back(seen == 7 ? std::nan("") : 1.0);
    return out;
  };
  DdsOptions o;
  o.budget = 20;
  o.block = 3;
  try {
    dds_minimize(lo, hi, f, o);
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("candidate 7") != std::string::npos);
  }
}
