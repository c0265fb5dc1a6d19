// numerics::Integrator on a block state: classic RK4 against a closed form, and RK4 whose stage
// states cover only the stores (IntegratorOptions::quadrature_from) against RK4 over every column,
// bit for bit.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "numerics/integrator.hpp"

using namespace daihai;
using physics::BlockState;
using physics::kLanes;

namespace {

// Three stores with nonlinear, coupled rates (one per lane's own constants) and four running
// totals of the rates, as a block's model has them: the totals' derivatives are the fluxes, which
// read the stores only.
void rhs(const BlockState& x, BlockState& dxdt) {
  const auto v = x.col(0), s = x.col(1), g = x.col(2);
  const physics::Lanes lane = physics::Lanes::LinSpaced(kLanes, 1.0, 2.0);
  const physics::Lanes inflow = 1e-3 * lane, evaporation = 2e-9 * v * v.sqrt(), seepage = 1e-7 * (g - v) * lane;
  const physics::Lanes salt = seepage.min(0.0) * s / v.max(1.0);
  dxdt.col(3) = inflow;
  dxdt.col(4) = -evaporation;
  dxdt.col(5) = seepage;
  dxdt.col(6) = salt;
  dxdt.col(0) = dxdt.col(3) + dxdt.col(4) + dxdt.col(5);
  dxdt.col(1) = dxdt.col(6);
  dxdt.col(2) = -dxdt.col(5);
}

BlockState start() {
  BlockState x = BlockState::Zero(kLanes, 7);
  x.col(0) = physics::Lanes::LinSpaced(kLanes, 1e4, 5e4);
  x.col(1) = 3.0 * x.col(0);
  x.col(2) = physics::Lanes::LinSpaced(kLanes, 2e4, 1e4);
  return x;
}

}  // namespace

TEST_CASE("rk4 with stage states of the stores alone equals rk4 over every column, bit for bit", "[integrator]") {
  numerics::IntegratorOptions full, stores;
  full.method = stores.method = "rk4";
  stores.quadrature_from = physics::kStores;
  numerics::Integrator a(full), b(stores);
  BlockState xa = start(), xb = start();
  for (int day = 0; day < 3000; ++day) {
    a.advance(xa, 86400.0, rhs);
    b.advance(xb, 86400.0, rhs);
  }
  REQUIRE(xa.allFinite());
  CHECK((xa == xb).all());
  // The totals close the stores' balances (they are the same quadrature of the same rates).
  const BlockState x0 = start();
  const physics::Lanes dv = xb.col(0) - x0.col(0) - (xb.col(3) + xb.col(4) + xb.col(5));
  CHECK(dv.abs().maxCoeff() <= 1e-9 * xb.col(0).abs().maxCoeff());
}

TEST_CASE("rk4 at one step per day is fourth order on exponential decay", "[integrator]") {
  // dV/dt = -k V, V(0) = 1: the error of one RK4 step of h is V h^5 k^5 / 120 to leading order,
  // so halving the step divides the error after a fixed time by 16.
  const double k = 1e-6;
  auto decay = [k](const BlockState& x, BlockState& dxdt) {
    dxdt.col(0) = -k * x.col(0);
    dxdt.col(1).setZero();
    dxdt.col(2).setZero();
    dxdt.col(3) = -k * x.col(0);
  };
  double error[2];
  for (int n : {1, 2}) {
    numerics::IntegratorOptions o;
    o.method = "rk4";
    o.substeps = n;
    o.quadrature_from = physics::kStores;
    numerics::Integrator integ(o);
    BlockState x = BlockState::Zero(kLanes, 4);
    x.col(0).setOnes();
    for (int day = 0; day < 20; ++day) integ.advance(x, 86400.0, decay);
    error[n - 1] = std::abs(x(0, 0) - std::exp(-k * 20 * 86400.0));
    CHECK(x(0, 0) - 1.0 == Approx(x(0, 3)).epsilon(1e-12));  // the running total is the change of the store
  }
  CHECK(error[0] / error[1] == Approx(16.0).epsilon(0.05));
}

// A NaN or infinite derivative is a failed step for Dormand–Prince (odeint's error test compares
// with `>`, so a NaN error used to pass and the step grew): the step is cut until the trial states
// stay where the right-hand side is finite, and the result is the closed form.
TEST_CASE("dopri5 treats a non-finite derivative as a failed step and cuts it", "[integrator][non-finite]") {
  numerics::IntegratorOptions o;
  o.method = "dopri5";
  o.first_step_s = 86400.0;  // a first trial step that overshoots into the non-finite region
  numerics::Integrator integ(o);
  const double k = 1e-4;  // x' = k (1 - x): x(t) = 1 - exp(-k t); NaN where x > 1.5 (never on the solution)
  const numerics::Rhs f = [k](const physics::BlockState& x, physics::BlockState& dx) {
    dx = k * (1.0 - x);
    for (Eigen::Index i = 0; i < x.size(); ++i)
      if (x.data()[i] > 1.5) dx.data()[i] = std::numeric_limits<double>::quiet_NaN();
  };
  physics::BlockState x = physics::BlockState::Zero(1, 1);
  integ.advance(x, 86400.0, f);
  CHECK(std::isfinite(x(0, 0)));
  CHECK(x(0, 0) == Approx(1.0 - std::exp(-k * 86400.0)).margin(o.abs_tol));  // within the tolerance asked for
  CHECK(integ.stats().rejected >= 1);
}

TEST_CASE("dopri5 fails an interval whose right-hand side is never finite, leaving the state as it was", "[integrator][non-finite]") {
  numerics::IntegratorOptions o;
  o.method = "dopri5";
  numerics::Integrator integ(o);
  for (const double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    const numerics::Rhs f = [bad](const physics::BlockState& x, physics::BlockState& dx) {
      dx = x;
      dx(0, 0) = bad;
    };
    physics::BlockState x = physics::BlockState::Constant(1, 2, 3.0);
    CHECK_THROWS_AS(integ.advance(x, 86400.0, f), numerics::NonFiniteStep);
    CHECK(x(0, 0) == 3.0);
    CHECK(x(0, 1) == 3.0);
  }
}
