#pragma once
#include <vector>
/// @file lake_heat.hpp
/// The bulk temperature and the ice cover of a well-mixed lake, day by day, over the lanes of a
/// block: the equilibrium-temperature model of de Bruin (1982, J. Hydrol. 59:261–274; as in
/// McJannet et al. 2008 and McMahon et al. 2013, HESS 17:1331, Supplement S11.28–S11.33). The
/// water column of depth z relaxes towards the day's equilibrium temperature T_e with the time
/// constant τ = ρ_w c_w z / K (K: physics::equilibrium_temperature()):
///   T_w(d) = T_e + (T_w(d−1) − T_e) · exp(−1 d / τ)                               (S11.28)
/// and the heat the water stores that day, G = ρ_w c_w z (T_w(d) − T_w(d−1)) (MJ m-2, S11.33),
/// is not available for evaporation (the lake subtracts it in Penman's radiative term).
///
/// Ice (an energy budget of the cover, not in de Bruin's model): when the water would cool below
/// 0 °C it stays at 0 °C and the deficit freezes water — the ice holds the latent heat
/// I = ρ_i L_f h (MJ m-2) of its thickness h, at most that of `max_thickness` (thicker ice
/// insulates the water, so further heat loss is neglected); while ice covers the lake the day's
/// heat flux K (T_e − 0) grows (K T_e < 0) or melts (> 0) it, and the lake is open again once the
/// ice has melted. Every operation is element-wise, so a lane's values do not depend on the others.
#include "physics/block.hpp"

namespace daihai::physics {

/// ρ_w c_w of water, MJ m-3 K-1 (997.9 kg m-3 × 0.00419 MJ kg-1 K-1, McMahon et al. 2013, S11).
inline constexpr double kWaterHeatCapacity_MJ_m3_K = 997.9 * 0.00419;
/// ρ_i L_f of ice, MJ m-3 (917 kg m-3 × 0.3337 MJ kg-1).
inline constexpr double kIceLatentHeat_MJ_m3 = 917.0 * 0.3337;

/// One day of the lake's heat budget, per lane.
struct LakeHeatDay {
  Lanes storage_MJ_m2;  ///< heat stored in the water that day, G (MJ m-2; 0 under ice)
  Lanes ice;            ///< 1 where ice covers the lake at the end of the day, else 0
};

/// The thermal state of the lakes of a block.
class LakeHeat {
public:
  /// @param max_thickness_m the thickest ice a lane's lake grows (m, > 0).
  explicit LakeHeat(const Lanes& max_thickness_m);

  /// Advances one day with the equilibrium temperature T_e (°C), the exchange coefficient K
  /// (MJ m-2 d-1 K-1, > 0) and the mixed depth z (m; floored at 0.1 m, a drying lake still
  /// has a skin of water). On the first call the water starts at max(T_e, 0) with no ice.
  LakeHeatDay step(const Lanes& equilibrium_C, const Lanes& exchange_MJ_m2_d_K, const Lanes& depth_m);

  const Lanes& temperature_C() const { return tw_; }  ///< bulk water temperature T_w, °C
  const Lanes& ice_MJ_m2() const { return ice_; }      ///< latent heat held by the ice, MJ m-2
  /// The thermal state of lane `l`: {T_w (°C), ice (MJ m-2), 1 once started else 0}.
  std::vector<double> state(Index l) const { return {tw_(l), ice_(l), started_ ? 1.0 : 0.0}; }
  /// Sets lane `l` from state(); a started lane starts the block. Throws std::invalid_argument for
  /// another length.
  void set_state(Index l, const std::vector<double>& s);

private:
  Lanes tw_, ice_, ice_max_;
  bool started_ = false;
};

/// The day's evaporation of a lake's surface from its heat budget `h` (m/s, per lane):
///   open water: E_fresh = max(0, E_Penman − s_G · G / 86,400 s), E_sat = min(E_sat, E_fresh)
///   under ice:  E_fresh = sublimation, E_sat = 0 (ice sublimes without the salinity correction)
/// with s_G the evaporation lost per MJ m-2 stored in the water, Δ/(λ(Δ+γ)) (Penman's radiative
/// term less the stored heat G: Finch 2001, Hydrol. Process. 15:2771; McMahon et al. 2013,
/// S11.31). E_Penman, E_sat, s_G and the sublimation come from the day's forcing.
struct SurfaceEvaporation {
  Lanes fresh_m_per_s;  ///< evaporation of fresh water (or sublimation), m/s (>= 0)
  Lanes sat_m_per_s;    ///< its salinity-sensitive part, m/s (0 .. fresh)
};
SurfaceEvaporation surface_evaporation(const LakeHeatDay& h, const Lanes& penman_fresh_m_per_s, const Lanes& penman_sat_m_per_s,
                                       const Lanes& storage_to_evap_m_per_MJ, const Lanes& sublimation_m_per_s);

}  // namespace daihai::physics
