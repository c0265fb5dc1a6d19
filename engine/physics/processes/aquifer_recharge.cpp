/// @file aquifer_recharge.cpp
/// Recharge of the basin aquifer by the catchment's deep percolation: the GR4J groundwater
/// exchange F of the day (published by catchment_runoff) over the land area, into the aquifer:
/// q = R when R ≥ 0, R·φ_aq(G) when the exchange would draw from the aquifer (R < 0).
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class AquiferRecharge final : public Process {
public:
  using Process::Process;
  void rates(const RateContext& c, BlockState& dxdt) const override {
    const auto& r = c.day.percolation_m3_per_s;
    dxdt.col(slot(0).water) = (r >= 0.0).select(r, r * c.d.phi_aquifer);
  }
};

}  // namespace

ProcessType aquifer_recharge() {
  return {"aquifer_recharge",
          "deep percolation from the catchment into the aquifer (the GR4J exchange, Perrin et al. 2003, over the land area)",
          {},
          {Need::catchment, Need::aquifer},
          [](const ProcessInstance& i) {
            return std::vector<FluxDecl>{
                {i.name, i.long_name.empty() ? "deep percolation from the catchment into the aquifer (GR4J exchange)" : i.long_name,
                 Store::aquifer}};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<AquiferRecharge>(std::move(s)); },
          [](const Switches& s) { return s.aquifer && s.process("catchment_runoff", s.catchment) && s.process("aquifer_recharge", true); },
          Stage::coupling};
}

}  // namespace daihai::physics::processes
