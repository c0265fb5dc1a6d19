#include "physics/hypsometry.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace daihai::physics {

Hypsometry::Hypsometry(std::vector<double> stage_m, std::vector<double> area_m2)
    : stage_(std::move(stage_m)), area_(std::move(area_m2)) {
  if (stage_.size() != area_.size())
    throw std::invalid_argument(fmt::format("hypsometry: {} stages but {} areas", stage_.size(), area_.size()));
  if (stage_.size() < 2) throw std::invalid_argument("hypsometry: at least 2 rows are needed");
  volume_.assign(stage_.size(), 0.0);
  for (std::size_t i = 0; i < stage_.size(); ++i) {
    if (!std::isfinite(stage_[i]) || !std::isfinite(area_[i]))
      throw std::invalid_argument(fmt::format("hypsometry row {}: non-finite stage or area", i));
    if (area_[i] < 0.0) throw std::invalid_argument(fmt::format("hypsometry row {}: negative area {}", i, area_[i]));
    if (i == 0) continue;
    if (!(stage_[i] > stage_[i - 1]))
      throw std::invalid_argument(fmt::format("hypsometry row {}: stage {} is not above the previous {}", i, stage_[i], stage_[i - 1]));
    if (area_[i] < area_[i - 1])
      throw std::invalid_argument(fmt::format("hypsometry row {}: area {} is below the previous {} (area must not decrease with stage)",
                                              i, area_[i], area_[i - 1]));
    // Trapezoid: exact integral of a linear area over the segment.
    volume_[i] = volume_[i - 1] + 0.5 * (area_[i] + area_[i - 1]) * (stage_[i] - stage_[i - 1]);
  }
  if (!(volume_.back() > 0.0)) throw std::invalid_argument("hypsometry: every area is zero, the basin holds no water");
  slope_.resize(stage_.size() - 1);
  for (std::size_t i = 0; i + 1 < stage_.size(); ++i) slope_[i] = (area_[i + 1] - area_[i]) / (stage_[i + 1] - stage_[i]);
}

std::size_t Hypsometry::segment_of_stage(double h) const {
  if (!(h >= stage_.front() && h <= stage_.back()))
    throw std::out_of_range(fmt::format("stage {:.3f} m is outside the hypsometry table [{:.3f}, {:.3f}] m", h,
                                        stage_.front(), stage_.back()));
  const auto it = std::upper_bound(stage_.begin(), stage_.end(), h);
  const std::size_t i = static_cast<std::size_t>(it - stage_.begin());
  return std::min(i, stage_.size() - 1) - 1;
}

std::size_t Hypsometry::segment_of_volume(double v) const {
  if (!(v >= 0.0 && v <= volume_.back()))
    throw std::out_of_range(fmt::format("volume {:.6g} m3 is outside the hypsometry table [0, {:.6g}] m3", v, volume_.back()));
  const auto it = std::upper_bound(volume_.begin(), volume_.end(), v);
  const std::size_t i = static_cast<std::size_t>(it - volume_.begin());
  return std::min(i, volume_.size() - 1) - 1;
}

double Hypsometry::area_at_stage(double h) const {
  const std::size_t i = segment_of_stage(h);
  const double slope = (area_[i + 1] - area_[i]) / (stage_[i + 1] - stage_[i]);
  return area_[i] + slope * (h - stage_[i]);
}

double Hypsometry::volume_at_stage(double h) const {
  const std::size_t i = segment_of_stage(h);
  const double dz = h - stage_[i];
  const double slope = (area_[i + 1] - area_[i]) / (stage_[i + 1] - stage_[i]);
  return volume_[i] + area_[i] * dz + 0.5 * slope * dz * dz;
}

double Hypsometry::stage_at_volume(double v) const {
  const std::size_t i = segment_of_volume(v);
  const double dv = v - volume_[i];
  const double a0 = area_[i];
  const double slope = (area_[i + 1] - area_[i]) / (stage_[i + 1] - stage_[i]);
  // Solve a0*dz + slope/2*dz^2 = dv for dz >= 0 in the form that avoids cancellation:
  // dz = 2 dv / (a0 + sqrt(a0^2 + 2 slope dv)).
  const double disc = a0 * a0 + 2.0 * slope * dv;
  const double denom = a0 + std::sqrt(std::max(disc, 0.0));
  const double dz = denom > 0.0 ? 2.0 * dv / denom : 0.0;
  return std::min(stage_[i] + dz, stage_[i + 1]);
}

Hypsometry::StageArea Hypsometry::stage_area_at_volume(double v) const {
  std::size_t hint = segment_of_volume(v);
  return stage_area_at_volume(v, hint);
}

Hypsometry::StageArea Hypsometry::stage_area_at_volume(double v, std::size_t& segment_hint) const {
  std::size_t i = segment_hint;
  const bool in_hint = i + 1 < volume_.size() && v >= volume_[i] &&
                       (v < volume_[i + 1] || (i + 2 == volume_.size() && v <= volume_[i + 1]));
  if (!in_hint) {
    i = segment_of_volume(v);  // throws outside the table
    segment_hint = i;
  }
  const double dv = v - volume_[i];
  const double a0 = area_[i];
  // A^2 = a0^2 + 2 slope dv on the segment; dz = 2 dv / (a0 + A) without cancellation.
  const double a = std::sqrt(std::max(a0 * a0 + 2.0 * slope_[i] * dv, 0.0));
  const double denom = a0 + a;
  const double dz = denom > 0.0 ? 2.0 * dv / denom : 0.0;
  return {std::min(stage_[i] + dz, stage_[i + 1]), a};
}

double Hypsometry::area_at_volume(double v) const {
  const std::size_t i = segment_of_volume(v);
  const double dv = v - volume_[i];
  const double a0 = area_[i];
  const double slope = (area_[i + 1] - area_[i]) / (stage_[i + 1] - stage_[i]);
  // A = a0 + slope*dz with dz from stage_at_volume: A^2 = a0^2 + 2 slope dv.
  return std::sqrt(std::max(a0 * a0 + 2.0 * slope * dv, 0.0));
}

}  // namespace daihai::physics
