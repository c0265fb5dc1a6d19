#pragma once
/// @file block.hpp
/// A block of runs evaluated together: kLanes lanes of one model held as structure of arrays,
/// one Eigen column per state variable with the lanes contiguous, so that every operation of the
/// right-hand side runs over all lanes at once (SIMD) with a size known at compile time (no
/// loop overhead, no remainder code). A block of fewer runs fills its spare lanes with copies of
/// its first run, whose results are dropped; a single run is a block too. There is no scalar
/// copy of the physics.
///
/// Lanes never mix: every operation is element-wise, lane-divergent logic is a select, and the
/// arithmetic of a lane does not depend on the other lanes or on its position, so a run's
/// results are bit-identical whatever block it is simulated in (tested).
#include <cmath>

#include <Eigen/Core>

namespace daihai::physics {

using Index = Eigen::Index;
/// Lanes of every block: chosen by measurement (bench/README.md: 32 lanes of doubles are four
/// AVX-512 or eight AVX2 registers per column; per-lane cost of the column operations of the
/// right-hand side: 6.5 ns at 32 fixed lanes, 8.6 ns at 16, 13 ns at 8, 10 ns for 64 lanes of
/// run-time size on the development VM).
inline constexpr Index kLanes = 32;
/// One value per lane, stored inline (no temporary of the right-hand side touches the heap).
using Lanes = Eigen::Array<double, kLanes, 1>;
/// A table of per-lane columns: [lane, column], column-major (the ODE state, the day's schedules).
using LaneTable = Eigen::Array<double, kLanes, Eigen::Dynamic>;
/// The ODE state of a block: [lane, variable].
using BlockState = LaneTable;

/// Columns of the stores in BlockState. The running total of each flux follows them (water
/// terms in m³, then salt terms in kg), so the integrator itself yields every budget term.
///   kVolume: lake volume V (m³)   kSalt: lake salt T (kg, dissolved + deposited)
///   kAquifer: aquifer storage G (m³ above its base; 0 and constant in a model without aquifer)
///   kAquiferSalt: salt dissolved in the aquifer S_aq (kg; 0 without aquifer)
///   kFieldSalt: salt withdrawn with water for use and left in the basin's fields and soils since
///     the start of the run (kg; starts at 0): withdrawals take salt out of the lake, the rivers
///     or the aquifer, but it stays in the closed basin, so the basin's salt is
///     T + S_aq + field salt.
enum StateColumn : int { kVolume = 0, kSalt = 1, kAquifer = 2, kAquiferSalt = 3, kFieldSalt = 4, kStores = 5 };

/// Quantities derived from a block's state (never stored), one value per lane, SI units.
struct Derived {
  Lanes stage_m;         ///< lake stage h(V) (hypsometry)
  Lanes area_m2;         ///< lake area A(h)
  Lanes depth_mean_m;    ///< mean lake depth V/A (0 for a dry lake)
  Lanes dissolved_kg;    ///< dissolved salt M = min(T, c_sat·V)
  Lanes deposit_kg;      ///< deposited salt D = T − M
  Lanes tds_kg_per_m3;   ///< c = M/V (c_sat when the lake holds salt but no water), kg/m³ = g/L
  Lanes phi_lake;        ///< drying limiter φ(V/V_dry) of lake outflows
  Lanes head_m;          ///< aquifer head (models with an aquifer)
  Lanes phi_aquifer;     ///< limiter φ(G/G_dry) of aquifer outflows (models with an aquifer)
  Lanes aquifer_tds_kg_per_m3;  ///< TDS of the aquifer's water S_aq/G (kg/m³ = g/L; models with an aquifer)
  Derived();             ///< all zero
};

/// What stays constant over one day of a block (forcing is constant within a day), one value
/// per lane unless said otherwise. Filled by the block's day loop, then by the processes'
/// begin_day() in model order (the catchment publishes the day's runoff and percolation).
struct DayInputs {
  Lanes precip_m_per_s;      ///< precipitation (m/s)
  Lanes evap_fresh_m_per_s;  ///< open-water evaporation of fresh water (m/s; 0 under ice)
  Lanes evap_sat_m_per_s;    ///< its salinity-sensitive part (m/s)
  Lanes pet_land_m_per_s;    ///< potential evapotranspiration of the land (m/s)
  Lanes ice;                 ///< 1 on ice-covered days, else 0 (from the forcing's rule; the lake's heat budget replaces it)
  /// The lake's heat budget from weather (DailyForcing; 0 where the forcing gives evaporation
  /// directly, `heat_budget` 0 there).
  Lanes heat_budget;               ///< 1 where the forcing carries the heat budget, else 0
  Lanes equilibrium_C;             ///< equilibrium temperature of a water surface, °C
  Lanes exchange_MJ_m2_d_K;        ///< exchange coefficient K, MJ m-2 d-1 K-1
  Lanes storage_to_evap_m_per_MJ;  ///< evaporation lost per MJ m-2 stored in the water, m
  Lanes sublimation_m_per_s;       ///< sublimation from an ice cover, m/s
  Lanes runoff_m3_per_s;     ///< the catchment's runoff into the lake (m³/s; 0 without a catchment)
  Lanes percolation_m3_per_s;///< the catchment's deep percolation to the aquifer (m³/s, + down; 0 without)
  LaneTable schedule;        ///< [lane, schedule slot]: the day's scheduled rates (m³/s): demands, inflows
  LaneTable factor;          ///< [lane, factor slot]: the day's multipliers of scaled fluxes (1)
  /// All zero, with `schedules` schedule and `factors` factor slots (factors 1).
  DayInputs(Index schedules, Index factors);
};

/// √x of every lane of `x` (Lanes, or any one-column Eigen array), correctly rounded as
/// std::sqrt (IEEE 754). Eigen 3.4 vectorises the square root of doubles on AVX-512 only as an
/// approximation (EIGEN_FAST_MATH, off here) and else falls back to one scalar root per lane;
/// this plain loop compiles to packed square roots (vsqrtpd, with -fno-math-errno) on every
/// instruction set, and its scalar remainder computes the same values.
template <typename E>
typename E::PlainObject lane_sqrt(const Eigen::ArrayBase<E>& x) {
  typename E::PlainObject r = x;
  for (Index l = 0; l < r.size(); ++l) r(l) = std::sqrt(r(l));
  return r;
}

/// True when every value of `a` (any Eigen array expression) is finite: x − x is 0 for a
/// finite x and NaN for ±inf or NaN, and a sum of zeros is 0 while one NaN makes it NaN, so the
/// check is a packed subtraction and a vectorised sum (Eigen's all() stops early, lane by lane).
template <typename Expr>
bool all_finite(const Eigen::ArrayBase<Expr>& a) {
  return (a - a).sum() == 0.0;
}

/// Smooth limiter φ(x) = 3x² − 2x³ on [0, 1], 0 below, 1 above (C¹), over lanes: outflows of a
/// store fade to zero as it empties, so no store is driven negative (design §5).
inline Lanes smooth_limiter(const Lanes& x) {
  const Lanes t = x.max(0.0).min(1.0);
  return t * t * (3.0 - 2.0 * t);
}

}  // namespace daihai::physics
