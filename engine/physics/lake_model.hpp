#pragma once
/// @file lake_model.hpp
/// The lake–aquifer water and salt balance as an ODE: stores, flux terms as plain data, and
/// the right-hand side. A flux term reports rates and never changes state.
///
/// State vector (all SI):
///   [0] lake volume V (m³)   [1] lake salt T (kg, dissolved + deposited)
///   [2] aquifer storage G (m³, above the aquifer base)
///   [3 .. 3+nw)       running total of each water term (m³, + into the store it acts on)
///   [3+nw .. 3+nw+ns) running total of each salt term (kg, + into the lake's salt)
/// Stage h(V), area A(h), the split of T into dissolved salt M = min(T, c_sat·V) and deposit
/// D = T − M, and TDS c = M/V are derived, never stored: salt above the saturation
/// concentration c_sat deposits at once and redissolves at once when the lake freshens
/// (equilibrium with the deposit), so c ≤ c_sat exactly and T is conserved.
#include <string>
#include <vector>

#include "physics/hypsometry.hpp"

namespace daihai::physics {

/// Index of the stores in the state vector.
enum StateIndex : int { kVolume = 0, kSalt = 1, kAquifer = 2, kStores = 3 };

/// What a water term does. Physics is table-driven: one rate function per kind.
enum class TermKind {
  lake_precipitation,   ///< P·A(h), into the lake, no salt
  lake_evaporation,     ///< −k·E(c)·A(h)·(1−ice)·φ(V), no salt (Penman with salinity correction)
  catchment_runoff,     ///< daily constant from the catchment model, into the lake, river TDS
  river_withdrawal,     ///< daily constant withdrawal from the rivers before the lake (curtailed ahead), river TDS
  diversion,            ///< daily constant inflow from outside the basin, with its own TDS
  lake_withdrawal,      ///< demand × φ(V) out of the lake; carries the lake's TDS or none (evaporative use)
  lake_aquifer_exchange,///< C·(h_aq − h), lake side (+ into the lake); groundwater TDS in, lake TDS out
  aquifer_lake_exchange,///< the same flow, aquifer side (exactly the negative of the lake side)
  aquifer_recharge,     ///< daily constant deep percolation from the catchment model into the aquifer
  aquifer_pumping,      ///< demand × φ_aq(G) out of the aquifer
  inflow                ///< daily constant extra inflow (tabulated or constant scenario inflow), own TDS
};

/// Which store a water term acts on.
enum class Store { lake, aquifer };

/// One water term of a run: plain data. `slot` indexes the day's constant rates
/// (DayDrivers::rates) for kinds that have one (runoff, withdrawals, diversions, pumping,
/// recharge, inflow); `tds_kg_per_m3` is the concentration of an inflow (g/L = kg/m³).
struct WaterTerm {
  std::string name;              ///< output name without unit suffix, e.g. "evaporation"
  std::string long_name;         ///< description for the outputs
  TermKind kind;
  Store store;
  int slot = -1;
  double tds_kg_per_m3 = 0.0;    ///< concentration of the inflowing water (inflow kinds)
  bool carries_lake_salt = true; ///< lake_withdrawal: false for evaporative use (no salt leaves)
  int salt_index = -1;           ///< index among the salt terms, or −1 when the term moves no salt
  bool is_demand = false;        ///< a user's demand (shortage reported)
};

/// Parameters of the lake and aquifer stores, SI units.
struct LakeParameters {
  double evaporation_multiplier = 1.0;   ///< k, calibration multiplier on open-water evaporation (−)
  double salt_saturation_kg_per_m3 = 300;///< c_sat, concentration above which salt deposits (g/L)
  double drying_volume_m3 = 1e5;         ///< V_dry: outflows fade smoothly to zero below it (m³)
  double leakance_per_s = 0.0;           ///< lake-bed leakance K/b (1/s); conductance C = leakance·A(h)
  double aquifer_area_m2 = 1.0;          ///< plan area of the lumped aquifer (m²)
  double specific_yield = 0.1;           ///< S_y (−)
  double aquifer_base_m = 0.0;           ///< stage of the aquifer base (m a.s.l.); head = base + G/(S_y·A_aq)
  double aquifer_dry_storage_m3 = 1e5;   ///< G_dry: pumping and discharge fade to zero below it (m³)
  double groundwater_tds_kg_per_m3 = 0.5;///< TDS of groundwater entering the lake (g/L)
};

/// The constants of one day (forcing is constant within a day).
struct DayDrivers {
  double precip_m_per_s = 0.0;
  double evap_fresh_m_per_s = 0.0;
  double evap_sat_m_per_s = 0.0;
  bool ice = false;
  const double* rates = nullptr;  ///< per-slot constant rates for this day, m³/s (demands or inflows)
};

/// Smooth limiter φ(x) = 3x² − 2x³ on [0,1], 0 below, 1 above (C¹): outflows from a store
/// fade to zero as it empties, so no store is driven negative (design §5).
double smooth_limiter(double x);

/// Derived quantities of a state.
struct Derived {
  double stage_m, area_m2;
  double dissolved_kg, deposit_kg;  ///< split of the lake salt at saturation
  double tds_kg_per_m3;             ///< c = M/V (c_sat when the lake holds salt but no water)
  double head_m, phi_lake, phi_aquifer;
};

/// The lake–aquifer system of one run: hypsometry, parameters, terms. Evaluates rates;
/// holds no state of its own but a search hint into the hypsometry table, so one object must
/// not be used by two threads at once (each run builds its own).
class LakeSystem {
public:
  /// @throws std::invalid_argument on an inconsistent term table (slot missing, salt index
  /// out of order).
  LakeSystem(Hypsometry hyps, LakeParameters p, std::vector<WaterTerm> water_terms, std::vector<std::string> salt_term_names);

  std::size_t state_size() const { return kStores + water_.size() + salt_names_.size(); }
  const std::vector<WaterTerm>& water_terms() const { return water_; }
  const std::vector<std::string>& salt_terms() const { return salt_names_; }
  const Hypsometry& hypsometry() const { return hyps_; }
  const LakeParameters& parameters() const { return p_; }

  /// Derived quantities (stage, area, TDS, head, limiters) of state `x`.
  /// Throws core::RunError when V is above the hypsometry table.
  Derived derive(const double* x) const;

  /// Right-hand side dx/dt for the day `d`: writes state_size() values into `dxdt`.
  /// Equations (sign + into the store):
  ///   dV/dt = Σ lake water terms; dG/dt = Σ aquifer water terms; dT/dt = Σ salt terms.
  void rhs(const double* x, double* dxdt, const DayDrivers& d) const;

private:
  Hypsometry hyps_;
  LakeParameters p_;
  std::vector<WaterTerm> water_;
  std::vector<std::string> salt_names_;
  // What rhs() needs of each water term, packed (the names stay in water_). The terms whose
  // rate is the day's constant (inflows and river withdrawals: ±rates[slot], into the lake)
  // come first and are summed without dispatch; the state-dependent ones follow.
  struct PackedTerm {
    TermKind kind;
    bool on_lake;
    bool carries_lake_salt;
    int index;  // position in water_ (and in the state's running totals)
    int slot;
    int salt_index;
    double sign;  // constant terms: +1 inflow, −1 withdrawal
    double tds_kg_per_m3;
  };
  std::vector<PackedTerm> packed_;
  std::size_t n_constant_ = 0;
  mutable std::size_t segment_hint_ = 0;  // hypsometry segment of the last derive(): one LakeSystem per run, one thread
};

}  // namespace daihai::physics
