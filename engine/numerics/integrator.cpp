#include "numerics/integrator.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen_resize.hpp>
#include <fmt/format.h>

namespace boost::numeric::odeint {

// The infinity norm of a block state, for the controlled stepper's error (odeint ships it for
// Eigen matrices, not arrays).
template <>
struct vector_space_norm_inf<daihai::physics::BlockState> {
  using result_type = double;
  double operator()(const daihai::physics::BlockState& x) const { return x.abs().maxCoeff(); }
};

// A block state is copied by assignment (Eigen 3.4 arrays look like ranges to odeint, but a 2-D
// array has no flat iterator).
template <>
struct copy_impl<daihai::physics::BlockState, daihai::physics::BlockState> {
  static void copy(const daihai::physics::BlockState& from, daihai::physics::BlockState& to) { to = from; }
};

}  // namespace boost::numeric::odeint

namespace daihai::numerics {

namespace odeint = boost::numeric::odeint;
using Algebra = odeint::vector_space_algebra;

namespace {

// odeint's vector-space algebra for classic RK4 with quadrature columns: the three stage states
// x + a·k (runge_kutta4_classic's only for_each3 calls) are computed for the leading
// `stage_columns` columns, every other operation (the step's result) for the whole state. The
// columns after them are quadratures (running totals whose derivatives the right-hand side never
// computes from them), so the right-hand side never reads them in a stage state and the step's
// result is bit-identical to the full computation (tests/analytic/test_integrator.cpp) with a
// third of the arithmetic. Valid for runge_kutta4_classic alone, whose stages are its for_each3.
struct StageColumnsAlgebra : Algebra {
  physics::Index stage_columns = 0;  // 0: every column

  template <class S1, class S2, class S3, class Op>
  void for_each3(S1& s1, S2& s2, S3& s3, Op op) const {
    if (stage_columns == 0 || stage_columns >= s1.cols()) {
      op(s1, s2, s3);
      return;
    }
    auto head = s1.leftCols(stage_columns);
    op(head, s2.leftCols(stage_columns), s3.leftCols(stage_columns));
  }
};

}  // namespace

struct Integrator::Impl {
  using Dopri = odeint::runge_kutta_dopri5<BlockState, double, BlockState, double, Algebra>;
  using Controlled = odeint::controlled_runge_kutta<Dopri>;
  Controlled controlled;
  odeint::runge_kutta4_classic<BlockState, double, BlockState, double, StageColumnsAlgebra> rk4;
  Impl(double abs_tol, double rel_tol, physics::Index stage_columns)
      : controlled(odeint::default_error_checker<double, Algebra, odeint::default_operations>(abs_tol, rel_tol)),
        rk4(make_algebra(stage_columns)) {}
  static StageColumnsAlgebra make_algebra(physics::Index stage_columns) {
    StageColumnsAlgebra a;
    a.stage_columns = stage_columns;
    return a;
  }
};

Integrator::Integrator(IntegratorOptions options) : options_(std::move(options)) {
  if (options_.method != "dopri5" && options_.method != "rk4")
    throw std::invalid_argument(fmt::format("unknown integration method '{}' (expected dopri5 or rk4)", options_.method));
  if (!(options_.abs_tol > 0.0) || !(options_.rel_tol > 0.0) || options_.substeps < 1 || !(options_.first_step_s > 0.0))
    throw std::invalid_argument("integrator tolerances, first step and substeps must be positive");
  if (options_.quadrature_from < 0) throw std::invalid_argument("the first quadrature column must not be negative");
  fixed_step_ = options_.method == "rk4";
  impl_ = std::make_unique<Impl>(options_.abs_tol, options_.rel_tol, options_.quadrature_from);
  last_dt_ = options_.first_step_s;
}

Integrator::~Integrator() = default;
Integrator::Integrator(Integrator&&) noexcept = default;
Integrator& Integrator::operator=(Integrator&&) noexcept = default;

void Integrator::advance(BlockState& x, double duration_s, const Rhs& f) {
  auto sys = [&f](const BlockState& s, BlockState& dsdt, double /*t*/) { f(s, dsdt); };
  if (fixed_step_) {  // the caller checks the state after each interval (a fixed step cannot be cut)
    const double dt = duration_s / options_.substeps;
    double t = 0.0;
    for (int i = 0; i < options_.substeps; ++i, t += dt) {
      impl_->rk4.do_step(sys, x, t, dt);
      ++stats_.steps;
    }
    return;
  }
  // Controlled Dormand–Prince: never step past the interval's end (the breakpoint). The stepper
  // is FSAL (it reuses the derivative at the end of its last step): the system changes at every
  // breakpoint, so that cached derivative must be dropped, or the first stage of the new interval
  // would use the old forcing and the error control would reject step after step.
  //
  // A non-finite derivative (at any stage) or a non-finite result is a failed step, like a step
  // whose error is too large: odeint's error control compares the error with `>`, so a NaN error
  // would pass it and the step would even grow. The step is cut to a quarter and tried again; below
  // kMinStep_s the interval fails with NonFiniteStep.
  impl_->controlled.reset();
  const auto checked = [&f](const BlockState& s, BlockState& dsdt, double /*t*/) {
    f(s, dsdt);
    if (!dsdt.allFinite()) throw NonFiniteStep("the right-hand side is not finite");
  };
  double t = 0.0;
  double dt = std::min(last_dt_, duration_s);
  BlockState start;
  while (t < duration_s) {
    const double remaining = duration_s - t;
    const bool last = dt >= remaining;
    double step = last ? remaining : dt;
    const double before = step;
    odeint::controlled_step_result r = odeint::fail;
    try {
      start = x;
      r = impl_->controlled.try_step(checked, x, t, step);
      if (r == odeint::success && !x.allFinite()) throw NonFiniteStep("the state after the step is not finite");
    } catch (const NonFiniteStep& e) {
      x = start;
      impl_->controlled.reset();  // its cached derivative (FSAL) may be the non-finite one
      ++stats_.rejected;
      dt = before / 4.0;
      if (dt < kMinStep_s)
        throw NonFiniteStep(fmt::format("{} for every step down to {:.3g} s (after {:.0f} s of the interval)", e.what(), before, t));
      continue;
    }
    if (r == odeint::success) {
      ++stats_.steps;
      if (last) t = duration_s;  // land exactly on the breakpoint
      // odeint proposes the next step in `step`; remember a growth only from full steps.
      dt = step;
      if (!last) last_dt_ = step;
    } else {
      ++stats_.rejected;
      dt = step;
      if (dt < kMinStep_s) throw std::runtime_error(fmt::format("step size fell below 1e-6 s (after {:.3g} s); the system is too stiff here", before));
    }
  }
}

}  // namespace daihai::numerics
