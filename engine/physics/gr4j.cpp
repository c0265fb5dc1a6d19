#include "physics/gr4j.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace daihai::physics {

namespace {

// S-curves of the unit hydrographs (Perrin et al. 2003, Appendix A, eqs. for SH1 and SH2).
double sh1(double t, double x4) {
  if (t <= 0.0) return 0.0;
  if (t < x4) return std::pow(t / x4, 2.5);
  return 1.0;
}

double sh2(double t, double x4) {
  if (t <= 0.0) return 0.0;
  if (t < x4) return 0.5 * std::pow(t / x4, 2.5);
  if (t < 2.0 * x4) return 1.0 - 0.5 * std::pow(2.0 - t / x4, 2.5);
  return 1.0;
}

// x^(-1/4) and x^(7/2) by square roots and products: the same values as std::pow to rounding,
// several times cheaper (these were the costliest calls of a run's day).
double inverse_fourth_root(double x) { return 1.0 / std::sqrt(std::sqrt(x)); }
double power_3_5(double x) { return x * x * x * std::sqrt(x); }

// Adds `x` spread by the ordinates `uh` to the queue `q` (a ring buffer starting at `head`:
// element j of the hydrograph lands j days ahead) and removes the element that leaves today.
double convolve_and_release(std::vector<double>& q, std::size_t& head, const std::vector<double>& uh, double x) {
  const std::size_t n = q.size();
  std::size_t k = head;
  for (std::size_t j = 0; j < n; ++j) {
    q[k] += x * uh[j];
    if (++k == n) k = 0;
  }
  const double out = q[head];
  q[head] = 0.0;
  head = head + 1 == n ? 0 : head + 1;
  return out;
}

}  // namespace

Gr4j::Gr4j(const Gr4jParameters& p, double production_fill, double routing_fill) : p_(p) {
  if (!(p.x1_mm > 0.0) || !(p.x3_mm > 0.0) || !(p.x4_d >= 0.5) || !std::isfinite(p.x2_mm))
    throw std::invalid_argument("GR4J: need x1 > 0, x3 > 0, x4 >= 0.5 and a finite x2");
  if (!(production_fill >= 0.0 && production_fill <= 1.0) || !(routing_fill >= 0.0 && routing_fill <= 1.0))
    throw std::invalid_argument("GR4J: initial store fills must lie in [0, 1]");
  s_ = production_fill * p.x1_mm;
  r_ = routing_fill * p.x3_mm;
  const auto n1 = static_cast<std::size_t>(std::ceil(p.x4_d));
  const auto n2 = static_cast<std::size_t>(std::ceil(2.0 * p.x4_d));
  uh1_.resize(n1);
  uh2_.resize(n2);
  for (std::size_t j = 1; j <= n1; ++j) uh1_[j - 1] = sh1(double(j), p.x4_d) - sh1(double(j) - 1.0, p.x4_d);
  for (std::size_t j = 1; j <= n2; ++j) uh2_[j - 1] = sh2(double(j), p.x4_d) - sh2(double(j) - 1.0, p.x4_d);
  q1_.assign(n1, 0.0);
  q2_.assign(n2, 0.0);
}

double Gr4j::hydrograph_mm() const {
  return std::accumulate(q1_.begin(), q1_.end(), 0.0) + std::accumulate(q2_.begin(), q2_.end(), 0.0);
}

Gr4jDay Gr4j::step(double p_mm, double e_mm) {
  const double x1 = p_.x1_mm, x3 = p_.x3_mm;
  Gr4jDay out;
  // Interception: net rainfall Pn or net evaporation capacity En.
  double pn = 0.0, en = 0.0;
  if (p_mm >= e_mm) {
    pn = p_mm - e_mm;
  } else {
    en = e_mm - p_mm;
  }
  out.actual_et_mm = std::min(p_mm, e_mm);
  // Production store: rain enters (Ps) or evaporation leaves (Es).
  double ps = 0.0;
  if (pn > 0.0) {
    const double ratio = s_ / x1, th = std::tanh(pn / x1);
    ps = x1 * (1.0 - ratio * ratio) * th / (1.0 + ratio * th);
    s_ += ps;
  } else if (en > 0.0) {
    const double ratio = s_ / x1, th = std::tanh(en / x1);
    const double es = s_ * (2.0 - ratio) * th / (1.0 + (1.0 - ratio) * th);
    s_ -= es;
    out.actual_et_mm += es;
  }
  // Percolation: Perc = S {1 - [1 + (4/9 S/X1)^4]^(-1/4)}.
  const double q = 4.0 / 9.0 * s_ / x1;
  const double perc = s_ * (1.0 - inverse_fourth_root(1.0 + q * q * q * q));
  s_ -= perc;
  out.percolation_mm = perc;
  const double pr = pn - ps + perc;
  // Split 90/10 and convolve with UH1 / UH2 (queue index 0 leaves today).
  const double q9 = convolve_and_release(q1_, head1_, uh1_, 0.9 * pr);
  const double q1 = convolve_and_release(q2_, head2_, uh2_, 0.1 * pr);
  // Groundwater exchange F = X2 (R/X3)^(7/2).
  const double f = p_.x2_mm * power_3_5(r_ / x3);
  // Routing store, kept non-negative.
  const double r_before = r_;
  r_ = std::max(0.0, r_ + q9 + f);
  const double exchange_routing = r_ - r_before - q9;
  const double rr = r_ / x3;
  const double qr = r_ * (1.0 - inverse_fourth_root(1.0 + rr * rr * rr * rr));
  r_ -= qr;
  // Direct branch, kept non-negative.
  const double qd = std::max(0.0, q1 + f);
  const double exchange_direct = qd - q1;
  out.exchange_mm = exchange_routing + exchange_direct;
  out.runoff_mm = qr + qd;
  return out;
}

}  // namespace daihai::physics
