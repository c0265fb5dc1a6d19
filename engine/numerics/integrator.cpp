#include "numerics/integrator.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/numeric/odeint.hpp>
#include <fmt/format.h>

namespace daihai::numerics {

namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

struct Integrator::Impl {
  using Dopri = odeint::runge_kutta_dopri5<State>;
  using Controlled = odeint::controlled_runge_kutta<Dopri>;
  Controlled controlled;
  odeint::runge_kutta4<State> rk4;
  State trial;
  Impl(double abs_tol, double rel_tol)
      : controlled(odeint::default_error_checker<double, odeint::range_algebra, odeint::default_operations>(abs_tol, rel_tol)) {}
};

Integrator::Integrator(std::size_t state_size, IntegratorOptions options) : options_(std::move(options)) {
  if (options_.method != "dopri5" && options_.method != "rk4")
    throw std::invalid_argument(fmt::format("unknown integration method '{}' (expected dopri5 or rk4)", options_.method));
  if (!(options_.abs_tol > 0.0) || !(options_.rel_tol > 0.0) || options_.substeps < 1 || !(options_.first_step_s > 0.0))
    throw std::invalid_argument("integrator tolerances, first step and substeps must be positive");
  impl_ = std::make_unique<Impl>(options_.abs_tol, options_.rel_tol);
  impl_->trial.resize(state_size);
  last_dt_ = options_.first_step_s;
  fixed_step_ = options_.method == "rk4";
}

Integrator::~Integrator() = default;
Integrator::Integrator(Integrator&&) noexcept = default;
Integrator& Integrator::operator=(Integrator&&) noexcept = default;

void Integrator::advance(std::vector<double>& x, double duration_s, const Rhs& f) {
  auto sys = [&f](const State& s, State& dsdt, double /*t*/) { f(s.data(), dsdt.data()); };
  if (fixed_step_) {
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
  impl_->controlled.reset();
  double t = 0.0;
  double dt = std::min(last_dt_, duration_s);
  while (t < duration_s) {
    const double remaining = duration_s - t;
    const bool last = dt >= remaining;
    double step = last ? remaining : dt;
    const double before = step;
    const odeint::controlled_step_result r = impl_->controlled.try_step(sys, x, t, step);
    if (r == odeint::success) {
      ++stats_.steps;
      if (last) t = duration_s;  // land exactly on the breakpoint
      // odeint proposes the next step in `step`; remember a growth only from full steps.
      dt = step;
      if (!last) last_dt_ = step;
    } else {
      ++stats_.rejected;
      dt = step;
      if (dt < 1e-6) throw std::runtime_error(fmt::format("step size fell below 1e-6 s (after {:.3g} s); the system is too stiff here", before));
    }
  }
}

}  // namespace daihai::numerics
