#pragma once
/// @file gr4j.hpp
/// GR4J daily rainfall–runoff model (Perrin, Michel & Andréassian 2003, J. Hydrol.
/// 279:275–289), discrete daily form, run on the land part of the lake's basin. One formulation,
/// over a vector of 1 .. kLanes catchments (Gr4jBlock); Gr4j is one catchment. Its stores are
/// depths (mm) and do not depend on the land area, so runs of a block that share forcing and
/// GR4J parameters share one catchment (processes/catchment_runoff.cpp).
#include <vector>

#include "physics/block.hpp"

namespace daihai::physics {

/// The four GR4J parameters (Perrin et al. 2003, Table 1 notation).
struct Gr4jParameters {
  double x1_mm = 350.0;   ///< production store capacity, mm (> 0)
  double x2_mm = 0.0;     ///< groundwater exchange coefficient, mm/d (negative: loss)
  double x3_mm = 90.0;    ///< routing store capacity, mm (> 0)
  double x4_d = 1.7;      ///< unit hydrograph time base, d (>= 0.5)
};

/// One value per catchment: 1 .. kLanes of them, stored inline (no heap).
using Catchments = Eigen::Array<double, Eigen::Dynamic, 1, 0, kLanes, 1>;

/// Fluxes of one GR4J day, all in mm over the day, one value per catchment.
struct Gr4jBlockDay {
  Catchments runoff_mm;       ///< Q = Qr + Qd, streamflow leaving the catchment
  Catchments actual_et_mm;    ///< Es + min(P, E): evaporation from interception and the production store
  Catchments exchange_mm;     ///< actual groundwater exchange (F applied to the routing store and to Qd, after the non-negativity limits); negative = loss
  Catchments percolation_mm;  ///< Perc, leakage from the production to the routing branch
};

/// GR4J over a vector of catchments, each with its own parameters and stores: the branches of
/// the scalar algorithm (rain or evaporation on the production store, the non-negativity
/// limits) are selects, the unit-hydrograph queues share one ring position (every catchment
/// steps once a day), a catchment with a shorter unit hydrograph has zero ordinates beyond its
/// own length. Every operation is element-wise, so a catchment's values do not depend on the
/// others or on how many there are (bit for bit).
class Gr4jBlock {
public:
  /// One parameter set and initial fills (S/X1, R/X3 in [0, 1]) per catchment (1 .. kLanes,
  /// the same number of each). Throws std::invalid_argument for another number, x1, x3 <= 0,
  /// x4 < 0.5, a non-finite x2 or fills outside [0, 1].
  Gr4jBlock(const std::vector<Gr4jParameters>& p, const Catchments& production_fill, const Catchments& routing_fill);

  /// Number of catchments.
  Index size() const { return x1_.size(); }

  /// Advances one day with precipitation `p_mm` and potential evapotranspiration `e_mm`
  /// (>= 0, mm/d; size() values each) and returns that day's fluxes (Perrin et al. 2003, Appendix A).
  Gr4jBlockDay step(const Catchments& p_mm, const Catchments& e_mm);

  const Catchments& production_mm() const { return s_; }  ///< production store S
  const Catchments& routing_mm() const { return r_; }     ///< routing store R
  /// Water held in the two unit-hydrograph queues, mm (not yet routed).
  Catchments hydrograph_mm() const;
  /// Unit hydrograph ordinates of catchment `c`: UH1 (length ceil(X4)) and UH2 (length ceil(2·X4)), each summing to 1.
  std::vector<double> uh1(Index c) const;
  std::vector<double> uh2(Index c) const;
  /// The state of catchment `c` (mm): S, R, then the water of the UH1 queue and of the UH2 queue
  /// in the order it leaves (own lengths ceil(X4) and ceil(2·X4)).
  std::vector<double> state(Index c) const;
  /// Sets catchment `c` to `s` (from state() of a catchment with the same parameters): the same
  /// days ahead give the same values bit for bit. Throws std::invalid_argument for a length that
  /// does not fit the catchment's unit hydrographs.
  void set_state(Index c, const std::vector<double>& s);

private:
  using Table = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, 0, kLanes, Eigen::Dynamic>;
  Catchments x1_, x2_, x3_, s_, r_;
  Table uh1_, uh2_;  // [catchment, ordinate], zero beyond a catchment's own length
  Table q1_, q2_;    // pending routed water, mm: ring buffers, column head leaves next
  std::vector<Index> n1_, n2_;  // each catchment's own lengths
  Index head1_ = 0, head2_ = 0;
};

/// Fluxes of one GR4J day for one catchment, mm over the day.
struct Gr4jDay {
  double runoff_mm = 0.0;
  double actual_et_mm = 0.0;
  double exchange_mm = 0.0;
  double percolation_mm = 0.0;
};

/// One catchment: a Gr4jBlock of size 1.
class Gr4j {
public:
  /// @param p parameters; @param production_fill initial S/X1 in [0,1];
  /// @param routing_fill initial R/X3 in [0,1]. Throws std::invalid_argument for x1, x3 <= 0,
  /// x4 < 0.5 or fills outside [0, 1].
  Gr4j(const Gr4jParameters& p, double production_fill, double routing_fill);

  /// Advances one day (Gr4jBlock::step).
  Gr4jDay step(double p_mm, double e_mm);

  double production_mm() const { return block_.production_mm()(0); }  ///< production store S
  double routing_mm() const { return block_.routing_mm()(0); }        ///< routing store R
  double hydrograph_mm() const { return block_.hydrograph_mm()(0); }  ///< water in the unit-hydrograph queues
  /// Total water held: S + R + unit-hydrograph queues, mm. Over any number of days,
  /// storage change = Σ(P − AET + exchange − Q): the balance closes.
  double storage_mm() const { return production_mm() + routing_mm() + hydrograph_mm(); }
  std::vector<double> uh1() const { return block_.uh1(0); }
  std::vector<double> uh2() const { return block_.uh2(0); }

private:
  Gr4jBlock block_;
};

}  // namespace daihai::physics
