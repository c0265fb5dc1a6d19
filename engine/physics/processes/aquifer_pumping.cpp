/// @file aquifer_pumping.cpp
/// A demand pumped from the basin aquifer: q = −demand·φ_aq(G) (pumping fades as the aquifer
/// approaches its base; the rest is the user's shortage). The pumped water carries the aquifer's
/// TDS (salt −q·c_aq) to the fields, where it stays in the basin (FluxDecl::to_fields).
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class AquiferPumping final : public Process {
public:
  using Process::Process;
  void rates(const RateContext& c, BlockState& dxdt) const override {
    const Index w = slot(0).water;
    dxdt.col(w) = -1.0 * c.day.schedule.col(slot(0).schedule) * c.d.phi_aquifer;
    dxdt.col(slot(0).salt) = dxdt.col(w) * c.d.aquifer_tds_kg_per_m3;
  }
};

}  // namespace

ProcessType aquifer_pumping() {
  return {"aquifer_pumping",
          "a demand pumped from the aquifer, -demand·φ_aq(G), with the aquifer's TDS to the fields (shortage reported)",
          {},
          {Need::schedule, Need::aquifer},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "groundwater pumped from the aquifer" : i.long_name, Store::aquifer};
            f.demand = f.scheduled = f.salt = f.to_fields = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<AquiferPumping>(std::move(s)); }};
}

}  // namespace daihai::physics::processes
