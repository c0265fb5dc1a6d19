#pragma once
/// @file integrator.hpp
/// The only code that knows Boost.Odeint. Integrates a system over one interval on which
/// the forcing is constant (a day), stopping exactly at the interval's end (the breakpoint),
/// and counts what the solver did.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace daihai::numerics {

/// Right-hand side: dxdt = f(x) for the current interval (autonomous within it).
using Rhs = std::function<void(const double* x, double* dxdt)>;

/// Integration method.
/// - `dopri5`: Dormand–Prince 5(4) with error control (odeint `runge_kutta_dopri5`,
///   controlled), the reference; tolerances `abs_tol` (state units) and `rel_tol`.
/// - `rk4`: classic fourth-order Runge–Kutta with `substeps` fixed steps per interval.
struct IntegratorOptions {
  std::string method = "dopri5";
  double abs_tol = 1e-3;
  double rel_tol = 1e-9;
  int substeps = 1;
  double first_step_s = 3600.0;  ///< initial trial step of the controlled stepper, s
};

/// Counters of one integration.
struct IntegratorStats {
  std::uint64_t steps = 0;     ///< accepted steps
  std::uint64_t rejected = 0;  ///< rejected trial steps (error too large)
};

/// Integrates over [0, duration_s] for intervals of constant forcing. Holds the odeint
/// stepper and its work arrays (allocated once per run). Not thread-safe; one per run.
class Integrator {
public:
  /// @throws std::invalid_argument for an unknown method, non-positive tolerances or substeps.
  Integrator(std::size_t state_size, IntegratorOptions options);
  ~Integrator();
  Integrator(Integrator&&) noexcept;
  Integrator& operator=(Integrator&&) noexcept;

  /// Advances `x` (size state_size) over one interval of `duration_s` seconds with `f`.
  /// Throws std::runtime_error when the controlled stepper cannot meet the tolerance with a
  /// step above 1e-6 s, or whatever `f` throws.
  void advance(std::vector<double>& x, double duration_s, const Rhs& f);

  const IntegratorStats& stats() const { return stats_; }
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
