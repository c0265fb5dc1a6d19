/// @file catchment_runoff.cpp
/// River inflow from the land part of the basin: the GR4J daily rainfall–runoff model (Perrin,
/// Michel & Andréassian 2003, J. Hydrol. 279:275–289; physics/gr4j.hpp) run once a day ahead of
/// the day's integration on the land area A_land = A_basin − A(h) at the start of the day
/// (exposed lake bed becomes land). Its runoff depth Q becomes the day's constant inflow
/// q = Q·A_land into the lake with the river TDS; its groundwater exchange F (negative in a
/// closed basin: deep percolation) is published for the aquifer_recharge process.
/// The GR4J stores are the catchment's own discrete state, advanced only in begin_day().
#include <cmath>
#include <vector>

#include "core/date.hpp"
#include "physics/gr4j.hpp"
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

using core::kSecondsPerDay;

class CatchmentRunoff final : public Process {
public:
  explicit CatchmentRunoff(ProcessSetup s)
      : Process(std::move(s)), basin_m2_(parameter("basin_area_km2")), river_tds_(parameter("river_tds_g_per_L")) {
    const Lanes x1 = parameter_in_unit("gr4j_x1_mm"), x2 = parameter_in_unit("gr4j_x2_mm_per_d"),
                x3 = parameter_in_unit("gr4j_x3_mm"), x4 = parameter_in_unit("gr4j_x4_d");
    const Lanes fill_s = parameter("gr4j_production_fill"), fill_r = parameter("gr4j_routing_fill");
    for (Index l = 0; l < width(); ++l) gr4j_.emplace_back(Gr4jParameters{x1(l), x2(l), x3(l), x4(l)}, fill_s(l), fill_r(l));
    runoff_.setZero();
  }

  void begin_day(const Derived& start, DayInputs& day) override {
    for (Index l = 0; l < width(); ++l) {
      const double land_m2 = std::max(basin_m2_(l) - start.area_m2(l), 0.0);
      const Gr4jDay g = gr4j_[static_cast<std::size_t>(l)].step(day.precip_m_per_s(l) * kSecondsPerDay * 1e3,
                                                                day.pet_land_m_per_s(l) * kSecondsPerDay * 1e3);
      runoff_(l) = g.runoff_mm * 1e-3 * land_m2 / kSecondsPerDay;
      day.percolation_m3_per_s(l) = -g.exchange_mm * 1e-3 * land_m2 / kSecondsPerDay;
    }
    day.runoff_m3_per_s = runoff_;
  }

  void rates(const RateContext&, BlockState& dxdt) const override {
    dxdt.col(slot(0).water) = runoff_;
    dxdt.col(slot(0).salt) = runoff_ * river_tds_;
  }

private:
  Lanes basin_m2_, river_tds_, runoff_;
  std::vector<Gr4j> gr4j_;
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
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<CatchmentRunoff>(std::move(s)); }};
}

}  // namespace daihai::physics::processes
