#include "physics/stores.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace daihai::physics {

Derived::Derived() {
  for (Lanes* a : {&stage_m, &area_m2, &depth_mean_m, &dissolved_kg, &deposit_kg, &tds_kg_per_m3, &phi_lake, &head_m, &phi_aquifer,
                   &aquifer_tds_kg_per_m3})
    a->setZero();
}

DayInputs::DayInputs(Index schedules, Index factors) {
  for (Lanes* a : {&precip_m_per_s, &evap_fresh_m_per_s, &evap_sat_m_per_s, &pet_land_m_per_s, &ice, &heat_budget, &equilibrium_C,
                   &exchange_MJ_m2_d_K, &storage_to_evap_m_per_MJ, &sublimation_m_per_s, &runoff_m3_per_s, &percolation_m3_per_s})
    a->setZero();
  schedule.setZero(kLanes, schedules);
  factor.setOnes(kLanes, factors);
}

std::vector<core::ParameterDecl> Stores::lake_parameters(bool salt_deposition) {
  std::vector<core::ParameterDecl> p = {
      {"initial_level_m", "m", -500.0, 9000.0, "lake stage (m a.s.l.) on the first day of a run"},
      {"initial_tds_g_per_L", "g/L", 0.0, 400.0, "TDS of the lake water on the first day"},
      {"initial_salt_deposit_kg", "kg", 0.0, 1e15, "salt deposited on the lake bed on the first day"},
      {"drying_volume_fraction", "1", 1e-12, 0.1,
       "lake volume below which lake outflows fade smoothly to zero (limiter 3x^2 - 2x^3), as a fraction of the hypsometry "
       "table's top volume: the limit scales with the lake"},
  };
  if (salt_deposition)
    p.push_back({"salt_saturation_g_per_L", "g/L", 1.0, 400.0,
                 "TDS above which salt deposits (and below which the deposit redissolves)",
                 "halite saturates near 360 g/L at 20 C (Sharqawy et al. 2010); the valid range admits earlier carbonate and sulfate saturation"});
  return p;
}

std::vector<core::ParameterDecl> Stores::aquifer_parameters() {
  return {
      {"aquifer_area_km2", "km2", 1e-6, 1e7, "plan area of the lumped basin aquifer"},
      {"specific_yield", "1", 1e-4, 0.6, "specific yield of the aquifer", "Johnson 1967, USGS WSP 1662-D: 0.01 (clay) to 0.45 (gravel)"},
      {"aquifer_base_m", "m", -1000.0, 9000.0, "stage of the aquifer base (head at zero storage)"},
      {"initial_aquifer_head_m", "m", -1000.0, 9000.0, "aquifer head on the first day"},
      {"initial_aquifer_tds_g_per_L", "g/L", 0.0, 400.0, "TDS of the aquifer's water on the first day"},
      {"aquifer_dry_storage_m3", "m3", 1e-6, 1e12, "aquifer storage below which pumping and discharge fade to zero"},
  };
}

std::vector<core::ParameterDecl> Stores::field_parameters() {
  return {{"salt_return_fraction", "1", 0.0, 1.0,
           "fraction of the salt withdrawn with water for use (irrigation above all) that returns to the aquifer with the return flow "
           "(leached below the root zone); the rest stays in the fields and soils",
           "the leaching concept of FAO Irrigation and Drainage Paper 29 (Ayers & Westcot 1985)"}};
}

namespace {

Lanes lanes_of(const std::vector<const core::ParameterSet*>& lanes, const char* name) {
  Lanes v;
  for (std::size_t l = 0; l < lanes.size(); ++l) v(static_cast<Index>(l)) = lanes[l]->si(name);
  return v;
}

}  // namespace

Stores::Stores(const Hypsometry& hypsometry, const std::vector<const core::ParameterSet*>& lanes, bool aquifer, bool salt_deposition)
    : hyps_(&hypsometry), width_(static_cast<Index>(lanes.size())), aquifer_(aquifer) {
  if (width_ != kLanes) throw std::invalid_argument(fmt::format("a block has {} lanes, not {}", kLanes, lanes.size()));
  h0_ = lanes_of(lanes, "initial_level_m");
  tds0_ = lanes_of(lanes, "initial_tds_g_per_L");
  deposit0_ = lanes_of(lanes, "initial_salt_deposit_kg");
  vdry_ = lanes_of(lanes, "drying_volume_fraction") * hyps_->max_volume_m3();
  csat_ = salt_deposition ? lanes_of(lanes, "salt_saturation_g_per_L") : Lanes::Constant(1e300);
  if (aquifer_) {
    base_ = lanes_of(lanes, "aquifer_base_m");
    sy_ = lanes_of(lanes, "specific_yield");
    aquifer_area_ = lanes_of(lanes, "aquifer_area_km2");
    sy_area_ = sy_ * aquifer_area_;
    head0_ = lanes_of(lanes, "initial_aquifer_head_m");
    aquifer_tds0_ = lanes_of(lanes, "initial_aquifer_tds_g_per_L");
    gdry_ = lanes_of(lanes, "aquifer_dry_storage_m3");
  }
  hint_.assign(lanes.size(), 0);
  problem_.assign(lanes.size(), std::string());
}

void Stores::initial_state(BlockState& x) const {
  for (Index l = 0; l < width_; ++l) {
    const double v = hyps_->volume_at_stage(h0_(l));
    x(l, kVolume) = v;
    x(l, kSalt) = tds0_(l) * v + deposit0_(l);
    x(l, kAquifer) = aquifer_ ? (head0_(l) - base_(l)) * sy_(l) * aquifer_area_(l) : 0.0;
    x(l, kAquiferSalt) = aquifer_ ? aquifer_tds0_(l) * x(l, kAquifer) : 0.0;
    x(l, kFieldSalt) = 0.0;
  }
}

void Stores::gather_segments(const BlockState& x) const {
  const auto& vol = hyps_->volumes();
  const auto& area = hyps_->areas();
  const auto& stage = hyps_->stages();
  const auto& slope = hyps_->slopes();
  const double vmax = hyps_->max_volume_m3();
  const std::size_t last_segment = vol.size() - 2;
  for (Index l = 0; l < width_; ++l) {
    const double v = x(l, kVolume);
    const auto ul = static_cast<std::size_t>(l);
    if (!(v <= vmax * (1.0 + 1e-12))) {
      any_problem_ = true;
      if (problem_[ul].empty())
        problem_[ul] = std::isfinite(v) ? fmt::format("lake volume {:.6g} m3 exceeds the hypsometry table (top {:.3f} m, {:.6g} m3)", v,
                                                      hyps_->top_m(), vmax)
                                        : std::string("lake volume is not finite");
    }
    const double ve = std::isfinite(v) ? std::clamp(v, 0.0, vmax) : 0.0;
    std::size_t i = hint_[ul];
    if (!(ve >= vol[i] && (ve < vol[i + 1] || (i == last_segment && ve <= vol[i + 1])))) {
      const auto it = std::upper_bound(vol.begin(), vol.end(), ve);
      i = std::min(static_cast<std::size_t>(it - vol.begin()), vol.size() - 1) - 1;
      hint_[ul] = i;
    }
    v_eval_(l) = ve;
    seg_v0_(l) = vol[i];
    seg_v1_(l) = vol[i + 1];
    seg_last_(l) = i == last_segment ? 1.0 : 0.0;
    seg_a0_(l) = area[i];
    seg_slope_(l) = slope[i];
    seg_h0_(l) = stage[i];
    seg_h1_(l) = stage[i + 1];
  }
}

void Stores::derive(const BlockState& x, Derived& d) const {
  const double vmax = hyps_->max_volume_m3();
  // The segment of each lane: usually the one of the previous evaluation (a lake moves little
  // within a day), checked over all lanes at once; a lane that left it (or a volume outside the
  // table) is looked up again (a gather, lane by lane).
  if (!gathered_) {
    gathered_ = true;
    gather_segments(x);
  } else {
    v_eval_ = x.col(kVolume).max(0.0).min(vmax);
    // Over all lanes without early exit (bitwise, not short-circuit), so that it vectorises.
    const double top = vmax * (1.0 + 1e-12);
    int outside = 0;
    for (Index l = 0; l < kLanes; ++l) {
      const double v = v_eval_(l);
      outside |= int(!(x(l, kVolume) <= top)) | int(v < seg_v0_(l)) | (int(v >= seg_v1_(l)) & (int(seg_last_(l) <= 0.5) | int(v > seg_v1_(l))));
    }
    if (outside != 0) gather_segments(x);
  }
  // Stage and area on the segment (Hypsometry::stage_area_at_volume, over lanes): A² = a0² +
  // 2·slope·dv, dz = 2·dv / (a0 + A) without cancellation.
  const Lanes dv = v_eval_ - seg_v0_;
  d.area_m2 = lane_sqrt((seg_a0_ * seg_a0_ + 2.0 * seg_slope_ * dv).max(0.0));
  const Lanes denom = seg_a0_ + d.area_m2;
  d.stage_m = (seg_h0_ + (denom > 0.0).select(2.0 * dv / denom, 0.0)).min(seg_h1_);
  const Lanes salt = x.col(kSalt).max(0.0);
  d.dissolved_kg = salt.min(csat_ * v_eval_);
  d.deposit_kg = salt - d.dissolved_kg;
  d.tds_kg_per_m3 = (v_eval_ > 0.0).select(d.dissolved_kg / v_eval_, (salt > 0.0).select(csat_, 0.0));
  d.depth_mean_m = (d.area_m2 > 0.0).select(v_eval_ / d.area_m2, 0.0);
  d.phi_lake = smooth_limiter(x.col(kVolume) / vdry_);
  if (aquifer_) {
    const Lanes g = x.col(kAquifer).max(0.0);
    d.head_m = base_ + g / sy_area_;
    d.phi_aquifer = smooth_limiter(x.col(kAquifer) / gdry_);
    // Dissolved in the aquifer's water, at most at saturation (as the lake's).
    const Lanes aquifer_salt = x.col(kAquiferSalt).max(0.0);
    d.aquifer_tds_kg_per_m3 = (g > 0.0).select(aquifer_salt.min(csat_ * g) / g, (aquifer_salt > 0.0).select(csat_, 0.0));
  }
}

}  // namespace daihai::physics
