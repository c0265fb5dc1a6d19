/// @file catchment_runoff.cpp
/// River inflow from the land part of the basin: the GR4J daily rainfall–runoff model (Perrin,
/// Michel & Andréassian 2003, J. Hydrol. 279:275–289; physics/gr4j.hpp) run once a day ahead of
/// the day's integration on the land area A_land = A_basin − A(h) at the start of the day
/// (exposed lake bed becomes land). Its runoff depth Q becomes the day's constant inflow
/// q = Q·A_land into the lake with the river TDS; its groundwater exchange F (negative in a
/// closed basin: deep percolation) is published for the aquifer_recharge process.
/// The GR4J stores are the catchment's own discrete state, advanced only in begin_day(). They
/// are depths that do not depend on the land area, so the lanes that share forcing and GR4J
/// parameters share one catchment, stepped once (a block of one climate member's measure
/// combinations steps one catchment, not 32).
#include <cmath>
#include <vector>

#include "core/date.hpp"
#include "physics/gr4j.hpp"
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

using core::kSecondsPerDay;

// The distinct catchments of a block: lanes that read the same forcing and have the same GR4J
// parameters and initial fills share one. `of_lane[l]` is lane l's catchment, `source[c]` a lane
// of catchment c (whose day inputs it reads).
struct CatchmentMap {
  std::vector<Gr4jParameters> parameters;
  Catchments production_fill, routing_fill;
  std::vector<Index> of_lane, source;
};

CatchmentMap distinct_catchments(const std::vector<Index>& forcing_source, const Lanes& x1, const Lanes& x2, const Lanes& x3,
                                 const Lanes& x4, const Lanes& s0, const Lanes& r0) {
  CatchmentMap m;
  std::vector<double> fill_s, fill_r;
  for (Index l = 0; l < kLanes; ++l) {
    const Gr4jParameters p{x1(l), x2(l), x3(l), x4(l)};
    Index c = 0;
    const auto n = static_cast<Index>(m.source.size());
    for (; c < n; ++c) {
      const Gr4jParameters& q = m.parameters[static_cast<std::size_t>(c)];
      const Index k = m.source[static_cast<std::size_t>(c)];
      if (forcing_source[static_cast<std::size_t>(k)] == forcing_source[static_cast<std::size_t>(l)] && q.x1_mm == p.x1_mm &&
          q.x2_mm == p.x2_mm && q.x3_mm == p.x3_mm && q.x4_d == p.x4_d && s0(k) == s0(l) && r0(k) == r0(l))
        break;
    }
    if (c == n) {
      m.parameters.push_back(p);
      m.source.push_back(l);
      fill_s.push_back(s0(l));
      fill_r.push_back(r0(l));
    }
    m.of_lane.push_back(c);
  }
  m.production_fill = Eigen::Map<const Catchments>(fill_s.data(), static_cast<Index>(fill_s.size()));
  m.routing_fill = Eigen::Map<const Catchments>(fill_r.data(), static_cast<Index>(fill_r.size()));
  return m;
}

class CatchmentRunoff final : public Process {
public:
  explicit CatchmentRunoff(ProcessSetup s)
      : Process(std::move(s)),
        basin_m2_(parameter("basin_area_km2")),
        river_tds_(parameter("river_tds_g_per_L")),
        map_(distinct_catchments(setup().forcing_source, parameter_in_unit("gr4j_x1_mm"), parameter_in_unit("gr4j_x2_mm_per_d"),
                                 parameter_in_unit("gr4j_x3_mm"), parameter_in_unit("gr4j_x4_d"), parameter("gr4j_production_fill"),
                                 parameter("gr4j_routing_fill"))),
        gr4j_(map_.parameters, map_.production_fill, map_.routing_fill) {
    runoff_.setZero();
  }

  void begin_day(const Derived& start, DayInputs& day) override {
    const Index n = gr4j_.size();
    Catchments p_mm(n), e_mm(n);
    for (Index c = 0; c < n; ++c) {
      const Index l = map_.source[static_cast<std::size_t>(c)];
      p_mm(c) = day.precip_m_per_s(l) * kSecondsPerDay * 1e3;
      e_mm(c) = day.pet_land_m_per_s(l) * kSecondsPerDay * 1e3;
    }
    const Gr4jBlockDay g = gr4j_.step(p_mm, e_mm);
    Lanes runoff_mm, exchange_mm;
    for (Index l = 0; l < kLanes; ++l) {
      const Index c = map_.of_lane[static_cast<std::size_t>(l)];
      runoff_mm(l) = g.runoff_mm(c);
      exchange_mm(l) = g.exchange_mm(c);
    }
    const Lanes land_m2 = (basin_m2_ - start.area_m2).max(0.0);
    runoff_ = runoff_mm * 1e-3 * land_m2 / kSecondsPerDay;
    day.percolation_m3_per_s = -exchange_mm * 1e-3 * land_m2 / kSecondsPerDay;
    day.runoff_m3_per_s = runoff_;
  }

  std::vector<double> lane_state(Index l) const override { return gr4j_.state(map_.of_lane[static_cast<std::size_t>(l)]); }
  void set_lane_state(Index l, const std::vector<double>& s) override { gr4j_.set_state(map_.of_lane[static_cast<std::size_t>(l)], s); }

  void rates(const RateContext&, BlockState& dxdt) const override {
    dxdt.col(slot(0).water) = runoff_;
    dxdt.col(slot(0).salt) = runoff_ * river_tds_;
  }

private:
  Lanes basin_m2_, river_tds_, runoff_;
  CatchmentMap map_;
  Gr4jBlock gr4j_;
};

}  // namespace

ProcessType catchment_runoff() {
  return {"catchment_runoff",
          "river inflow from the land part of the basin: GR4J (Perrin et al. 2003) on basin area minus lake area, stepped daily",
          {{"basin_area_km2", "km2", 0.0, 1e7, "catchment area including the lake"},
           {"gr4j_x1_mm", "mm", 1.0, 5000.0, "GR4J production store capacity X1", "Perrin et al. 2003, Table 1"},
           {"gr4j_x2_mm_per_d", "mm/d", -50.0, 50.0, "GR4J groundwater exchange X2 (negative: deep percolation to the basin aquifer)",
            "Perrin et al. 2003, Table 1"},
           {"gr4j_x3_mm", "mm", 1.0, 5000.0, "GR4J routing store capacity X3", "Perrin et al. 2003, Table 1"},
           {"gr4j_x4_d", "d", 0.5, 30.0, "GR4J unit hydrograph time base X4", "Perrin et al. 2003, Table 1"},
           {"gr4j_production_fill", "1", 0.0, 1.0, "initial production store content S/X1"},
           {"gr4j_routing_fill", "1", 0.0, 1.0, "initial routing store content R/X3"},
           {"river_tds_g_per_L", "g/L", 0.0, 100.0, "TDS of river inflow"}},
          {Need::precipitation, Need::land_pet, Need::lake_area},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "river inflow from the land part of the basin (GR4J)" : i.long_name, Store::lake};
            f.salt = true;
            f.day_constant = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<CatchmentRunoff>(std::move(s)); },
          [](const Switches& s) { return s.process("catchment_runoff", s.catchment); },
          Stage::lake,
          true};
}

}  // namespace daihai::physics::processes
