#pragma once
/// @file integrator.hpp
/// The only code that knows Boost.Odeint. Integrates a block state (an Eigen array, runs as
/// rows, see physics/block.hpp) through odeint's vector-space algebra over one interval on
/// which the forcing is constant (a day), stopping exactly at the interval's end (the
/// breakpoint), and counts what the solver did. The right-hand side is a pure function of the
/// state for the interval.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "physics/block.hpp"

namespace daihai::numerics {

/// The block state: [lane, variable] (physics/block.hpp).
using BlockState = physics::BlockState;

/// Right-hand side dxdt = f(x) for the current interval (autonomous within it). With
/// IntegratorOptions::quadrature_from, f reads only the columns before it.
using Rhs = std::function<void(const BlockState& x, BlockState& dxdt)>;

/// Integration method.
/// - `dopri5`: Dormand–Prince 5(4) with error control (odeint `runge_kutta_dopri5`,
///   controlled), the reference; tolerances `abs_tol` (state units) and `rel_tol`. Its step
///   size is chosen from the error of the whole state, so a block integrated with it holds one
///   run in every lane (a run's steps must not depend on other runs).
/// - `rk4`: classic fourth-order Runge–Kutta (odeint `runge_kutta4_classic`) with `substeps`
///   fixed steps per interval; every row is computed with the same element-wise operations, so
///   a run's result does not depend on the other rows of its block.
struct IntegratorOptions {
  std::string method = "dopri5";
  double abs_tol = 1e-3;
  double rel_tol = 1e-9;
  int substeps = 1;
  double first_step_s = 3600.0;  ///< initial trial step of the controlled stepper, s
  /// rk4: the columns from this one on are quadratures (running totals: the right-hand side
  /// never reads them), so RK4's stage states are computed for the columns before it only; the
  /// result is the same bit for bit, with a fraction of the arithmetic. 0: every column is a
  /// state. Dormand–Prince always integrates every column (its error control sees them all).
  physics::Index quadrature_from = 0;
};

/// A step that cannot be made finite: the right-hand side or the state after a step is NaN or
/// infinite for every trial step down to Integrator::kMinStep_s (dopri5).
class NonFiniteStep : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Counters of one integration.
struct IntegratorStats {
  std::uint64_t steps = 0;     ///< accepted steps
  std::uint64_t rejected = 0;  ///< rejected trial steps (error too large)
};

/// Integrates over [0, duration_s] for intervals of constant forcing. Holds the odeint
/// stepper and its work arrays (allocated at the first step). Not thread-safe; one per block.
class Integrator {
public:
  /// @throws std::invalid_argument for an unknown method or non-positive tolerances or substeps.
  explicit Integrator(IntegratorOptions options);
  ~Integrator();
  Integrator(Integrator&&) noexcept;
  Integrator& operator=(Integrator&&) noexcept;

  /// The smallest step the controlled stepper tries, s.
  static constexpr double kMinStep_s = 1e-6;

  /// Advances `x` over one interval of `duration_s` seconds with `f`. dopri5: a non-finite
  /// derivative or result is a rejected step (counted in stats().rejected) and the step is cut;
  /// throws NonFiniteStep when no step down to kMinStep_s is finite (x is then as before that
  /// step), std::runtime_error when the stepper cannot meet the tolerance with a step above
  /// kMinStep_s, or whatever `f` throws. rk4: fixed steps, no check (the caller checks the state
  /// after the interval).
  void advance(BlockState& x, double duration_s, const Rhs& f);

  const IntegratorStats& stats() const { return stats_; }
  /// The controlled stepper's next trial step, s (its only memory between intervals; rk4: unused).
  double next_step_s() const { return last_dt_; }
  /// Sets it (a restarted run continues with the step the interrupted one would have tried).
  void set_next_step_s(double s) { last_dt_ = s; }
  const IntegratorOptions& options() const { return options_; }

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  IntegratorOptions options_;
  IntegratorStats stats_;
  double last_dt_ = 0.0;
  bool fixed_step_ = false;  // method == "rk4", decided once
};

}  // namespace daihai::numerics
