#include "physics/gr4j.hpp"

#include <stdexcept>
#include <string>

#include <cmath>
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

// x^(-1/4) and x^(7/2) by square roots and products (the same values as std::pow to rounding,
// several times cheaper).
Catchments inverse_fourth_root(const Catchments& x) { return 1.0 / lane_sqrt(lane_sqrt(x)); }
Catchments power_3_5(const Catchments& x) { return x * x * x * lane_sqrt(x); }

// Adds `x` spread by the ordinates `uh` to the queue `q` (a ring buffer whose column `head`
// leaves next: ordinate j lands j days ahead) and takes out what leaves today.
template <typename Table>
Catchments convolve_and_release(Table& q, Index& head, const Table& uh, const Catchments& x) {
  const Index n = q.cols();
  Index k = head;
  for (Index j = 0; j < n; ++j) {
    q.col(k) += x * uh.col(j);
    if (++k == n) k = 0;
  }
  const Catchments out = q.col(head);
  q.col(head).setZero();
  head = head + 1 == n ? 0 : head + 1;
  return out;
}

}  // namespace

Gr4jBlock::Gr4jBlock(const std::vector<Gr4jParameters>& p, const Catchments& production_fill, const Catchments& routing_fill) {
  const auto n = static_cast<Index>(p.size());
  if (n < 1 || n > kLanes || production_fill.size() != n || routing_fill.size() != n)
    throw std::invalid_argument("GR4J: 1 to 32 catchments, each with a parameter set and two initial fills");
  x1_.resize(n);
  x2_.resize(n);
  x3_.resize(n);
  Index n1max = 1, n2max = 1;
  for (Index l = 0; l < n; ++l) {
    const Gr4jParameters& q = p[static_cast<std::size_t>(l)];
    if (!(q.x1_mm > 0.0) || !(q.x3_mm > 0.0) || !(q.x4_d >= 0.5) || !std::isfinite(q.x2_mm))
      throw std::invalid_argument("GR4J: need x1 > 0, x3 > 0, x4 >= 0.5 and a finite x2");
    if (!(production_fill(l) >= 0.0 && production_fill(l) <= 1.0) || !(routing_fill(l) >= 0.0 && routing_fill(l) <= 1.0))
      throw std::invalid_argument("GR4J: initial store fills must lie in [0, 1]");
    x1_(l) = q.x1_mm;
    x2_(l) = q.x2_mm;
    x3_(l) = q.x3_mm;
    n1_.push_back(static_cast<Index>(std::ceil(q.x4_d)));
    n2_.push_back(static_cast<Index>(std::ceil(2.0 * q.x4_d)));
    n1max = std::max(n1max, n1_.back());
    n2max = std::max(n2max, n2_.back());
  }
  s_ = production_fill * x1_;
  r_ = routing_fill * x3_;
  uh1_.setZero(n, n1max);
  uh2_.setZero(n, n2max);
  for (Index l = 0; l < n; ++l) {
    const double x4 = p[static_cast<std::size_t>(l)].x4_d;
    for (Index j = 1; j <= n1_[static_cast<std::size_t>(l)]; ++j) uh1_(l, j - 1) = sh1(double(j), x4) - sh1(double(j) - 1.0, x4);
    for (Index j = 1; j <= n2_[static_cast<std::size_t>(l)]; ++j) uh2_(l, j - 1) = sh2(double(j), x4) - sh2(double(j) - 1.0, x4);
  }
  q1_.setZero(n, n1max);
  q2_.setZero(n, n2max);
}

Catchments Gr4jBlock::hydrograph_mm() const { return q1_.rowwise().sum() + q2_.rowwise().sum(); }

std::vector<double> Gr4jBlock::uh1(Index l) const {
  std::vector<double> v(static_cast<std::size_t>(n1_[static_cast<std::size_t>(l)]));
  for (std::size_t j = 0; j < v.size(); ++j) v[j] = uh1_(l, static_cast<Index>(j));
  return v;
}

std::vector<double> Gr4jBlock::uh2(Index l) const {
  std::vector<double> v(static_cast<std::size_t>(n2_[static_cast<std::size_t>(l)]));
  for (std::size_t j = 0; j < v.size(); ++j) v[j] = uh2_(l, static_cast<Index>(j));
  return v;
}

std::vector<double> Gr4jBlock::state(Index c) const {
  std::vector<double> s{s_(c), r_(c)};
  for (Index j = 0; j < n1_[static_cast<std::size_t>(c)]; ++j) s.push_back(q1_(c, (head1_ + j) % q1_.cols()));
  for (Index j = 0; j < n2_[static_cast<std::size_t>(c)]; ++j) s.push_back(q2_(c, (head2_ + j) % q2_.cols()));
  return s;
}

void Gr4jBlock::set_state(Index c, const std::vector<double>& s) {
  const Index n1 = n1_[static_cast<std::size_t>(c)], n2 = n2_[static_cast<std::size_t>(c)];
  if (static_cast<Index>(s.size()) != 2 + n1 + n2)
    throw std::invalid_argument("a GR4J state of " + std::to_string(s.size()) + " values does not fit unit hydrographs of " +
                                std::to_string(n1) + " and " + std::to_string(n2) + " days");
  s_(c) = s[0];
  r_(c) = s[1];
  for (Index j = 0; j < q1_.cols(); ++j) q1_(c, (head1_ + j) % q1_.cols()) = j < n1 ? s[static_cast<std::size_t>(2 + j)] : 0.0;
  for (Index j = 0; j < q2_.cols(); ++j) q2_(c, (head2_ + j) % q2_.cols()) = j < n2 ? s[static_cast<std::size_t>(2 + n1 + j)] : 0.0;
}

Gr4jBlockDay Gr4jBlock::step(const Catchments& p_mm, const Catchments& e_mm) {
  using C = Catchments;
  const Index n = size();
  Gr4jBlockDay out;
  // Interception: net rainfall Pn or net evaporation capacity En.
  const auto rain = p_mm >= e_mm;
  const C pn = rain.select(p_mm - e_mm, C::Zero(n)), en = rain.select(C::Zero(n), e_mm - p_mm);
  out.actual_et_mm = p_mm.min(e_mm);
  // Production store: rain enters (Ps) or evaporation leaves (Es); tanh of whichever is non-zero.
  const C ratio = s_ / x1_;
  const C arg = (pn > 0.0).select(pn, en) / x1_;
  C th(n);
  for (Index l = 0; l < n; ++l) th(l) = std::tanh(arg(l));
  const C ps = (pn > 0.0).select(x1_ * (1.0 - ratio * ratio) * th / (1.0 + ratio * th), 0.0);
  const C es = (pn <= 0.0 && en > 0.0).select(s_ * (2.0 - ratio) * th / (1.0 + (1.0 - ratio) * th), 0.0);
  s_ = s_ + ps - es;
  out.actual_et_mm += es;
  // Percolation: Perc = S {1 - [1 + (4/9 S/X1)^4]^(-1/4)}.
  const C q = 4.0 / 9.0 * s_ / x1_;
  const C perc = s_ * (1.0 - inverse_fourth_root(1.0 + q * q * q * q));
  s_ -= perc;
  out.percolation_mm = perc;
  const C pr = pn - ps + perc;
  // Split 90/10 and convolve with UH1 / UH2.
  const C q9 = convolve_and_release(q1_, head1_, uh1_, 0.9 * pr);
  const C q1 = convolve_and_release(q2_, head2_, uh2_, 0.1 * pr);
  // Groundwater exchange F = X2 (R/X3)^(7/2).
  const C f = x2_ * power_3_5(r_ / x3_);
  // Routing store, kept non-negative.
  const C r_before = r_;
  r_ = (r_ + q9 + f).max(0.0);
  const C exchange_routing = r_ - r_before - q9;
  const C rr = r_ / x3_;
  const C qr = r_ * (1.0 - inverse_fourth_root(1.0 + rr * rr * rr * rr));
  r_ -= qr;
  // Direct branch, kept non-negative.
  const C qd = (q1 + f).max(0.0);
  out.exchange_mm = exchange_routing + (qd - q1);
  out.runoff_mm = qr + qd;
  return out;
}

Gr4j::Gr4j(const Gr4jParameters& p, double production_fill, double routing_fill)
    : block_({p}, Catchments::Constant(1, production_fill), Catchments::Constant(1, routing_fill)) {}

Gr4jDay Gr4j::step(double p_mm, double e_mm) {
  const Gr4jBlockDay d = block_.step(Catchments::Constant(1, p_mm), Catchments::Constant(1, e_mm));
  return {d.runoff_mm(0), d.actual_et_mm(0), d.exchange_mm(0), d.percolation_mm(0)};
}

}  // namespace daihai::physics
