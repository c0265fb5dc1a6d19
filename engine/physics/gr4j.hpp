#pragma once
/// @file gr4j.hpp
/// GR4J daily rainfall–runoff model (Perrin, Michel & Andréassian 2003, J. Hydrol.
/// 279:275–289), discrete daily form, run on the land part of the lake's basin. One formulation,
/// over the lanes of a block (Gr4jBlock); Gr4j is one catchment (every lane the same).
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

/// Fluxes of one GR4J day, all in mm over the day, one value per lane.
struct Gr4jBlockDay {
  Lanes runoff_mm;       ///< Q = Qr + Qd, streamflow leaving the catchment
  Lanes actual_et_mm;    ///< Es + min(P, E): evaporation from interception and the production store
  Lanes exchange_mm;     ///< actual groundwater exchange (F applied to the routing store and to Qd, after the non-negativity limits); negative = loss
  Lanes percolation_mm;  ///< Perc, leakage from the production to the routing branch
};

/// GR4J over the lanes of a block: each lane its own parameters and stores; the branches of the
/// scalar algorithm (rain or evaporation on the production store, the non-negativity limits)
/// are selects, the unit-hydrograph queues share one ring position (every lane steps once a
/// day), a lane with a shorter unit hydrograph has zero ordinates beyond its own length.
class Gr4jBlock {
public:
  /// One parameter set and initial fills (S/X1, R/X3 in [0, 1]) per lane (kLanes of each).
  /// Throws std::invalid_argument for x1, x3 <= 0, x4 < 0.5, a non-finite x2 or fills outside [0, 1].
  Gr4jBlock(const std::vector<Gr4jParameters>& p, const Lanes& production_fill, const Lanes& routing_fill);

  /// Advances one day with precipitation `p_mm` and potential evapotranspiration `e_mm`
  /// (>= 0, mm/d) and returns that day's fluxes (Perrin et al. 2003, Appendix A).
  Gr4jBlockDay step(const Lanes& p_mm, const Lanes& e_mm);

  const Lanes& production_mm() const { return s_; }  ///< production store S
  const Lanes& routing_mm() const { return r_; }     ///< routing store R
  /// Water held in the two unit-hydrograph queues, mm (not yet routed).
  Lanes hydrograph_mm() const;
  /// Unit hydrograph ordinates of lane `l`: UH1 (length ceil(X4)) and UH2 (length ceil(2·X4)), each summing to 1.
  std::vector<double> uh1(Index l) const;
  std::vector<double> uh2(Index l) const;

private:
  Lanes x1_, x2_, x3_, s_, r_;
  LaneTable uh1_, uh2_;  // [lane, ordinate], zero beyond a lane's own length
  LaneTable q1_, q2_;    // pending routed water, mm: ring buffers, column head leaves next
  std::vector<Index> n1_, n2_;  // each lane's own lengths
  Index head1_ = 0, head2_ = 0;
};

/// Fluxes of one GR4J day for one catchment, mm over the day.
struct Gr4jDay {
  double runoff_mm = 0.0;
  double actual_et_mm = 0.0;
  double exchange_mm = 0.0;
  double percolation_mm = 0.0;
};

/// One catchment: Gr4jBlock with the same parameters in every lane, read from lane 0.
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
