/// @file exposed_bed_evaporation.cpp
/// Evaporation from the shallow water table under the lake bed the shrinking lake has exposed,
/// out of the aquifer (MODFLOW's EVT package: linear decline with depth to an extinction depth,
/// Harbaugh 2005, USGS TM 6-A16, ch. 8):
///   A_exp = max(A(h_ref) − A(h), 0)            exposed bed between the reference shoreline and the lake
///   d     = (h + h_ref)/2 − h_aq                depth of the water table below the exposed bed's mid-stage
///   q     = −PET·A_exp·min(max(1 − d/d_ext, 0), 1)·φ_aq(G)
/// with the land's potential evapotranspiration PET. The water leaves; its salt stays in the
/// aquifer (the salt of a drying playa stays in the ground).
#include <stdexcept>

#include <fmt/format.h>

#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class ExposedBedEvaporation final : public Process {
public:
  explicit ExposedBedEvaporation(ProcessSetup s)
      : Process(std::move(s)), h_ref_(parameter("exposed_bed_reference_level_m")), extinction_(parameter("water_table_extinction_depth_m")) {
    const Hypsometry& hyps = *setup().hypsometry;
    for (Index l = 0; l < kLanes; ++l) {
      if (!(h_ref_(l) >= hyps.bottom_m() && h_ref_(l) <= hyps.top_m()))
        throw std::invalid_argument(fmt::format("exposed_bed_reference_level_m = {} m lies outside the hypsometry table [{}, {}] m", h_ref_(l),
                                                hyps.bottom_m(), hyps.top_m()));
      area_ref_(l) = hyps.area_at_stage(h_ref_(l));
    }
  }

  void rates(const RateContext& c, BlockState& dxdt) const override {
    const Lanes exposed = (area_ref_ - c.d.area_m2).max(0.0);
    const Lanes depth = 0.5 * (c.d.stage_m + h_ref_) - c.d.head_m;
    const Lanes factor = (1.0 - depth / extinction_).max(0.0).min(1.0);
    dxdt.col(slot(0).water) = -1.0 * c.day.pet_land_m_per_s * exposed * factor * c.d.phi_aquifer;
  }

private:
  Lanes h_ref_, extinction_, area_ref_;
};

}  // namespace

ProcessType exposed_bed_evaporation() {
  return {"exposed_bed_evaporation",
          "evaporation from the shallow water table under the exposed lake bed, out of the aquifer, declining linearly to zero at an "
          "extinction depth (MODFLOW EVT, Harbaugh 2005)",
          {{"exposed_bed_reference_level_m", "m", -500.0, 9000.0,
            "stage of the shoreline below which the lake bed counts as exposed when the lake stands lower (within the hypsometry table)"},
           {"water_table_extinction_depth_m", "m", 0.01, 20.0,
            "depth of the water table below the exposed bed at which its evaporation stops (linear decline from full at the surface)",
            "Harbaugh 2005, USGS TM 6-A16 (EVT); Shah, Nachabe & Ross 2007, Ground Water 45:329"}},
          {Need::land_pet, Need::lake_area, Need::aquifer},
          [](const ProcessInstance& i) {
            return std::vector<FluxDecl>{{i.name,
                                          i.long_name.empty() ? "evaporation from the water table under the exposed lake bed (- out of the aquifer)"
                                                              : i.long_name,
                                          Store::aquifer}};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<ExposedBedEvaporation>(std::move(s)); },
          [](const Switches& s) { return s.aquifer && s.process("exposed_bed_evaporation", s.evaporation); },
          Stage::coupling};
}

}  // namespace daihai::physics::processes
