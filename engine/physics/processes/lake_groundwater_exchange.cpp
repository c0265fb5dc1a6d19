/// @file lake_groundwater_exchange.cpp
/// Exchange between the lake and the basin aquifer through the lake bed, both directions:
///   q = L·A(h)·(h_aq − h) · (φ_aq(G) when into the lake, φ(V) when out of it),
/// with a conductance proportional to the lake area (leakance L = K/b of the lake bed, as
/// MODFLOW's LAK package, Merritt & Konikow 2000, USGS WRI 00-4167). Water entering the lake
/// brings the groundwater TDS; water leaving takes the lake's TDS. The aquifer side is exactly
/// the negative of the lake side, so the exchange cancels in the basin's water budget.
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class LakeGroundwaterExchange final : public Process {
public:
  explicit LakeGroundwaterExchange(ProcessSetup s)
      : Process(std::move(s)), leakance_(parameter("lakebed_leakance_per_d")), gw_tds_(parameter("groundwater_tds_g_per_L")) {}

  void rates(const RateContext& c, BlockState& dxdt) const override {
    const Lanes dh = c.d.head_m - c.d.stage_m;
    const Lanes into_lake = leakance_ * c.d.area_m2 * dh * (dh > 0.0).select(c.d.phi_aquifer, c.d.phi_lake);
    dxdt.col(slot(0).water) = into_lake;
    dxdt.col(slot(0).salt) = (into_lake > 0.0).select(into_lake * gw_tds_, into_lake * c.d.tds_kg_per_m3);
    dxdt.col(slot(1).water) = -into_lake;
  }

private:
  Lanes leakance_, gw_tds_;
};

}  // namespace

ProcessType lake_groundwater_exchange() {
  return {"lake_groundwater_exchange",
          "groundwater exchange through the lake bed, L·A(h)·(h_aq - h) (MODFLOW LAK-style conductance), both directions",
          {{"lakebed_leakance_per_d", "1/d", 0.0, 10.0, "lake-bed leakance K/b; conductance = leakance x lake area",
            "Merritt & Konikow 2000, USGS WRI 00-4167 (LAK3)"},
           {"groundwater_tds_g_per_L", "g/L", 0.0, 100.0, "TDS of groundwater discharging into the lake"}},
          {Need::aquifer, Need::lake_area, Need::lake_limiter, Need::lake_tds},
          [](const ProcessInstance& i) {
            FluxDecl lake{i.name, i.long_name.empty() ? "groundwater exchange through the lake bed, lake side (+ into the lake)" : i.long_name,
                          Store::lake};
            lake.salt = true;
            lake.mirror = "aquifer_lake_exchange";
            FluxDecl aq{"aquifer_lake_exchange", "groundwater exchange through the lake bed, aquifer side (+ into the aquifer)",
                        Store::aquifer};
            aq.mirror = i.name;
            return std::vector<FluxDecl>{lake, aq};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<LakeGroundwaterExchange>(std::move(s)); },
          [](const Switches& s) { return s.aquifer && s.process("lake_groundwater_exchange", true); },
          Stage::coupling};
}

}  // namespace daihai::physics::processes
