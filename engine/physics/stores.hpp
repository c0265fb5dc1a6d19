#pragma once
/// @file stores.hpp
/// The stores of a lake model over a block of runs: the lake (volume V and salt T, through its
/// hypsometry) and, when the model has one, the lumped basin aquifer (storage G). Declares the
/// stores' parameters, sets the initial state and derives stage, area, TDS, head and the drying
/// limiters from a state. Evaluates; never changes the state.
///
/// Salt above the saturation concentration c_sat deposits at once and redissolves at once when
/// the lake freshens (equilibrium with the deposit): dissolved M = min(T, c_sat·V), deposit
/// D = T − M, TDS c = M/V, so c ≤ c_sat exactly and T is conserved. Aquifer head
/// h_aq = z_base + G/(S_y·A_aq) (a lumped unconfined aquifer of plan area A_aq); its salt S_aq is
/// mixed in its water above the base: TDS c_aq = min(S_aq, c_sat·G)/G.
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "physics/block.hpp"
#include "physics/hypsometry.hpp"

namespace daihai::physics {

/// The stores of a block. Holds one hypsometry search hint per lane (a lake moves little between
/// evaluations) and the first problem of each lane, so one object serves one block on one thread.
class Stores {
public:
  /// Parameters of the lake store: initial_level_m, initial_tds_g_per_L, initial_salt_deposit_kg,
  /// drying_volume_fraction and, with salt deposition, salt_saturation_g_per_L.
  static std::vector<core::ParameterDecl> lake_parameters(bool salt_deposition);
  /// Parameters of the aquifer store: aquifer_area_km2, specific_yield, aquifer_base_m,
  /// initial_aquifer_head_m, initial_aquifer_tds_g_per_L, aquifer_dry_storage_m3.
  static std::vector<core::ParameterDecl> aquifer_parameters();
  /// Parameters of the salt withdrawn to the fields (a model with an aquifer and a withdrawal
  /// for use): salt_return_fraction.
  static std::vector<core::ParameterDecl> field_parameters();

  /// @param lanes the parameter set of each lane (internal units; every parameter of
  ///        lake_parameters() and, with `aquifer`, aquifer_parameters() present, else
  ///        std::out_of_range naming it); kLanes of them, else std::invalid_argument.
  /// @param salt_deposition false: salt never deposits (c_sat = 1e300 g/L).
  Stores(const Hypsometry& hypsometry, const std::vector<const core::ParameterSet*>& lanes, bool aquifer, bool salt_deposition);

  Index width() const { return width_; }
  bool has_aquifer() const { return aquifer_; }
  const Hypsometry& hypsometry() const { return *hyps_; }

  /// Writes the stores' columns of the initial state: V from initial_level_m through the
  /// hypsometry, T = initial TDS × V + initial deposit, G = (head − base)·S_y·A_aq and
  /// S_aq = initial aquifer TDS × G (0 without aquifer), field salt 0. The stage must lie inside
  /// the table (checked before, scenario::check_initial_state).
  void initial_state(BlockState& x) const;

  /// Derived quantities of state `x` into `d` (resized by the caller to width()). A lane whose
  /// volume is not finite or lies above the hypsometry table is evaluated at the clamped volume
  /// and its problem is remembered (problem()); the other lanes are unaffected.
  void derive(const BlockState& x, Derived& d) const;

  /// The first problem of lane `l` since clear_problems(), "" when none: "lake volume is not
  /// finite" or "lake volume V m3 exceeds the hypsometry table (top h m, V_max m3)".
  const std::string& problem(Index l) const { return problem_[static_cast<std::size_t>(l)]; }
  /// True when some lane has a problem (cheap: checked after every day).
  bool any_problem() const { return any_problem_; }
  /// The aquifer storage G (m³) of lane `l` at aquifer head `head_m` (m): the inverse of the head
  /// of derive(), (h − h_base)·S_y·A_aq. Only for a model with an aquifer.
  double aquifer_storage_at_head(Index l, double head_m) const { return (head_m - base_(l)) * sy_area_(l); }

private:
  const Hypsometry* hyps_;
  Index width_;
  bool aquifer_;
  Lanes h0_, tds0_, deposit0_, csat_, vdry_;
  Lanes base_, sy_, aquifer_area_, sy_area_, head0_, aquifer_tds0_, gdry_;
  mutable std::vector<std::size_t> hint_;
  mutable std::vector<std::string> problem_;
  mutable bool any_problem_ = false;
  mutable bool gathered_ = false;
  // Looks up the hypsometry segment of every lane (and records volumes outside the table).
  void gather_segments(const BlockState& x) const;
  // The segment of each lane (its volume range, area, slope and stages) and the volume evaluated.
  mutable Lanes seg_v0_, seg_v1_, seg_last_, seg_a0_, seg_slope_, seg_h0_, seg_h1_, v_eval_;
};

}  // namespace daihai::physics
