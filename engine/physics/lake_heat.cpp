#include "physics/lake_heat.hpp"

#include <stdexcept>
#include <string>

#include "core/date.hpp"

namespace daihai::physics {

LakeHeat::LakeHeat(const Lanes& max_thickness_m) : ice_max_(max_thickness_m * kIceLatentHeat_MJ_m3) {
  tw_.setZero();
  ice_.setZero();
}

void LakeHeat::set_state(Index l, const std::vector<double>& s) {
  if (s.size() != 3) throw std::invalid_argument("a lake heat state holds 3 values, not " + std::to_string(s.size()));
  tw_(l) = s[0];
  ice_(l) = s[1];
  started_ = started_ || s[2] != 0.0;
}

LakeHeatDay LakeHeat::step(const Lanes& te, const Lanes& k, const Lanes& depth_m) {
  if (!started_) {
    tw_ = te.max(0.0);
    started_ = true;
  }
  const Lanes capacity = kWaterHeatCapacity_MJ_m3_K * depth_m.max(0.1);  // ρ c z, MJ m-2 K-1
  const Lanes relaxed = te + (tw_ - te) * (-k / capacity).exp();       // open water, S11.28
  // Under ice: the day's flux at a surface at 0 °C grows (< 0) or melts (> 0) the cover.
  const Lanes covered = (ice_ - k * te).max(0.0).min(ice_max_);
  // Open water cooling below 0 °C freezes the deficit.
  const Lanes frozen = (capacity * (-relaxed)).max(0.0).min(ice_max_);
  const auto iced = ice_ > 0.0;
  const Lanes ice_new = iced.select(covered, frozen);
  const Lanes tw_new = iced.select(Lanes::Zero(), relaxed.max(0.0));
  LakeHeatDay out;
  out.storage_MJ_m2 = iced.select(Lanes::Zero(), capacity * (tw_new - tw_));
  out.ice = (ice_new > 0.0).select(Lanes::Ones(), Lanes::Zero());
  tw_ = tw_new;
  ice_ = ice_new;
  return out;
}

SurfaceEvaporation surface_evaporation(const LakeHeatDay& h, const Lanes& penman_fresh, const Lanes& penman_sat,
                                       const Lanes& storage_to_evap, const Lanes& sublimation) {
  const auto iced = h.ice > 0.5;
  const Lanes open = (penman_fresh - storage_to_evap * h.storage_MJ_m2 / core::kSecondsPerDay).max(0.0);
  return {iced.select(sublimation, open), iced.select(Lanes::Zero(), penman_sat.min(open))};
}

}  // namespace daihai::physics
