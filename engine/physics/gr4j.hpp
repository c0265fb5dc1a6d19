#pragma once
/// @file gr4j.hpp
/// GR4J daily rainfall–runoff model (Perrin, Michel & Andréassian 2003, J. Hydrol.
/// 279:275–289), discrete daily form, run on the land part of the lake's basin.
#include <vector>

namespace daihai::physics {

/// The four GR4J parameters (Perrin et al. 2003, Table 1 notation).
struct Gr4jParameters {
  double x1_mm = 350.0;   ///< production store capacity, mm (> 0)
  double x2_mm = 0.0;     ///< groundwater exchange coefficient, mm/d (negative: loss)
  double x3_mm = 90.0;    ///< routing store capacity, mm (> 0)
  double x4_d = 1.7;      ///< unit hydrograph time base, d (>= 0.5)
};

/// Fluxes of one GR4J day, all in mm over the day.
struct Gr4jDay {
  double runoff_mm = 0.0;        ///< Q = Qr + Qd, streamflow leaving the catchment
  double actual_et_mm = 0.0;     ///< Es + min(P, E): evaporation from interception and the production store
  double exchange_mm = 0.0;      ///< actual groundwater exchange (F applied to the routing store and to Qd, after the non-negativity limits); negative = loss
  double percolation_mm = 0.0;   ///< Perc, leakage from the production to the routing branch
};

/// GR4J stores and the day step. The unit-hydrograph ordinates are computed once from X4
/// (S-curves SH1, SH2 of Perrin et al. 2003, eqs. in Appendix A). Stores in mm.
class Gr4j {
public:
  /// @param p parameters; @param production_fill initial S/X1 in [0,1];
  /// @param routing_fill initial R/X3 in [0,1]. Throws std::invalid_argument for x1, x3 <= 0,
  /// x4 < 0.5 or fills outside [0, 1].
  Gr4j(const Gr4jParameters& p, double production_fill, double routing_fill);

  /// Advances one day with precipitation `p_mm` and potential evapotranspiration `e_mm`
  /// (both >= 0, mm/d) and returns that day's fluxes (Perrin et al. 2003, Appendix A).
  Gr4jDay step(double p_mm, double e_mm);

  double production_mm() const { return s_; }  ///< production store S
  double routing_mm() const { return r_; }     ///< routing store R
  /// Water held in the two unit-hydrograph queues, mm (not yet routed).
  double hydrograph_mm() const;
  /// Total water held: S + R + unit-hydrograph queues, mm. Over any number of days,
  /// storage change = Σ(P − AET + exchange − Q): the balance closes.
  double storage_mm() const { return s_ + r_ + hydrograph_mm(); }
  const Gr4jParameters& parameters() const { return p_; }

  /// Unit hydrograph ordinates UH1 (length ceil(X4)) and UH2 (length ceil(2·X4)); each sums to 1.
  const std::vector<double>& uh1() const { return uh1_; }
  const std::vector<double>& uh2() const { return uh2_; }

private:
  Gr4jParameters p_;
  double s_ = 0.0, r_ = 0.0;
  std::vector<double> uh1_, uh2_;   // ordinates
  std::vector<double> q1_, q2_;     // pending routed water, mm: ring buffers, the element at head leaves next
  std::size_t head1_ = 0, head2_ = 0;
};

}  // namespace daihai::physics
