/// @file lake_groundwater_exchange.cpp
/// Exchange between the lake and the basin aquifer through the lake bed, as two fluxes:
///   gross groundwater inflow  q_in  = L·A(h)·max(h_aq − h, 0)·φ_aq(G)              (+ into the lake)
///   lake seepage              q_out = L·A(h)·min(max(h − h_aq, 0), D + b)·φ(V)      (out of the lake)
/// with a conductance proportional to the lake area (leakance L = K/b of the lake-bed clogging
/// layer of thickness b, as MODFLOW's LAK package, Merritt & Konikow 2000, USGS WRI 00-4167).
/// Seepage out of the lake grows with the head difference only until the water table falls
/// below the bottom of the clogging layer: the aquifer then disconnects from the lake bed and the
/// flux stays at L·A·(D + b): the head lost across the clogging layer is then the lake's mean
/// depth D = V/A plus the layer's thickness, whatever the water table does (Brunner, Cook & Simmons 2009, Water Resour. Res. 45, W01422: infiltration at
/// disconnection, K_c (H + d_c)/d_c per unit area for water depth H over a clogging layer d_c).
/// Inflowing groundwater brings the aquifer's TDS, seeping lake water the lake's, and each flux has
/// its exact negative on the aquifer (water and salt), so the exchange cancels in the basin's
/// budgets.
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class LakeGroundwaterExchange final : public Process {
public:
  explicit LakeGroundwaterExchange(ProcessSetup s)
      : Process(std::move(s)), leakance_(parameter("lakebed_leakance_per_d")), clogging_m_(parameter("lakebed_clogging_thickness_m")) {}

  void rates(const RateContext& c, BlockState& dxdt) const override {
    const Lanes dh = c.d.head_m - c.d.stage_m;
    const Lanes conductance = leakance_ * c.d.area_m2;
    const Lanes in = conductance * dh.max(0.0) * c.d.phi_aquifer;
    const Lanes out = conductance * (-dh).max(0.0).min(c.d.depth_mean_m + clogging_m_) * c.d.phi_lake;
    dxdt.col(slot(0).water) = in;
    dxdt.col(slot(0).salt) = in * c.d.aquifer_tds_kg_per_m3;
    dxdt.col(slot(1).water) = -1.0 * in;
    dxdt.col(slot(1).salt) = -1.0 * in * c.d.aquifer_tds_kg_per_m3;
    dxdt.col(slot(2).water) = -1.0 * out;
    dxdt.col(slot(2).salt) = -1.0 * out * c.d.tds_kg_per_m3;
    dxdt.col(slot(3).water) = out;
    dxdt.col(slot(3).salt) = out * c.d.tds_kg_per_m3;
  }

private:
  Lanes leakance_, clogging_m_;
};

FluxDecl flux(const std::string& name, const std::string& long_name, Store store, const std::string& mirror) {
  FluxDecl f{name, long_name, store};
  f.salt = true;
  f.mirror = mirror;
  return f;
}

}  // namespace

ProcessType lake_groundwater_exchange() {
  return {"lake_groundwater_exchange",
          "groundwater exchange through the lake bed, L·A(h)·(h_aq - h) (MODFLOW LAK-style conductance): gross inflow and seepage as "
          "separate fluxes, seepage capped once the aquifer disconnects from the lake bed (Brunner et al. 2009)",
          {{"lakebed_leakance_per_d", "1/d", 0.0, 10.0, "lake-bed leakance K/b; conductance = leakance x lake area",
            "Merritt & Konikow 2000, USGS WRI 00-4167 (LAK3)"},
           {"lakebed_clogging_thickness_m", "m", 0.01, 50.0,
            "thickness b of the low-permeability lake-bed layer: seepage stops growing once the water table is more than the lake's mean "
            "depth plus b below the lake surface",
            "Brunner, Cook & Simmons 2009, Water Resour. Res. 45, W01422"}},
          {Need::aquifer, Need::lake_area, Need::lake_limiter, Need::lake_tds},
          [](const ProcessInstance&) {
            return std::vector<FluxDecl>{
                flux("groundwater_inflow", "gross groundwater inflow from the aquifer into the lake through its bed (+ into the lake)",
                     Store::lake, "aquifer_discharge_to_lake"),
                flux("aquifer_discharge_to_lake", "aquifer water discharging into the lake (aquifer side of groundwater_inflow)",
                     Store::aquifer, "groundwater_inflow"),
                flux("lake_seepage", "lake water seeping through the lake bed into the aquifer (- out of the lake)", Store::lake,
                     "aquifer_recharge_from_lake"),
                flux("aquifer_recharge_from_lake", "lake water reaching the aquifer through the lake bed (aquifer side of lake_seepage)",
                     Store::aquifer, "lake_seepage")};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<LakeGroundwaterExchange>(std::move(s)); },
          [](const Switches& s) { return s.aquifer && s.process("lake_groundwater_exchange", true); },
          Stage::coupling};
}

}  // namespace daihai::physics::processes
