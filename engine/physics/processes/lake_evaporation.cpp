/// @file lake_evaporation.cpp
/// Open-water evaporation from the lake with the salinity correction:
///   q = −k · max(0, E_fresh − (1 − a_w(c))·E_sat) · A(h) · φ(V),   0 on ice days,
/// E_fresh and E_sat from the day's forcing (Penman 1948 in the form of Shuttleworth 1993, split
/// so that the saturation vapour pressure at the surface is lowered by the water activity, see
/// forcing/daily_forcing.hpp), a_w(c) = 1/(1 + 0.57357·S/(1000 − S)) with S = c in g/kg ≈ g/L
/// clamped to 0..120 (Sharqawy et al. 2010, eq. 51, after Robinson 1954), k a calibration
/// multiplier. No salt leaves with evaporation.
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class LakeEvaporation final : public Process {
public:
  explicit LakeEvaporation(ProcessSetup s) : Process(std::move(s)), k_(parameter("evaporation_multiplier")) {}

  void rates(const RateContext& c, BlockState& dxdt) const override {
    // physics::water_activity() over lanes (the same operations, so the same values).
    const Lanes s = c.d.tds_kg_per_m3.max(0.0).min(120.0);
    const Lanes aw = 1.0 / (1.0 + 0.57357 * s / (1000.0 - s));
    const Lanes e = (c.day.evap_fresh_m_per_s - (1.0 - aw) * c.day.evap_sat_m_per_s).max(0.0);
    dxdt.col(slot(0).water) = (c.day.ice > 0.5).select(0.0, -k_ * e * c.d.area_m2 * c.d.phi_lake);
  }

private:
  Lanes k_;
};

}  // namespace

ProcessType lake_evaporation() {
  return {"lake_evaporation",
          "open-water evaporation from the lake, -k·E(c)·A(h)·φ(V) with the salinity-corrected Penman evaporation E(c); none under ice",
          {{"evaporation_multiplier", "1", 0.1, 3.0, "calibration multiplier k on Penman open-water evaporation"}},
          {Need::open_water_evaporation, Need::lake_area, Need::lake_tds, Need::lake_limiter},
          [](const ProcessInstance& i) {
            return std::vector<FluxDecl>{{i.name,
                                          i.long_name.empty() ? "open-water evaporation from the lake (salinity-corrected Penman)" : i.long_name,
                                          Store::lake}};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<LakeEvaporation>(std::move(s)); },
          [](const Switches& s) { return s.process("lake_evaporation", s.evaporation); },
          Stage::lake};
}

}  // namespace daihai::physics::processes
