/// @file aquifer_recharge.cpp
/// Recharge of the basin aquifer by the catchment's deep percolation: the GR4J groundwater
/// exchange F of the day (published by catchment_runoff) over the land area, into the aquifer:
/// q = R when R ≥ 0, R·φ_aq(G) when the exchange would draw from the aquifer (R < 0). Recharge
/// brings salt at the TDS of the recharge water c_r (weathering along its path); water drawn back
/// takes the aquifer's TDS.
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class AquiferRecharge final : public Process {
public:
  explicit AquiferRecharge(ProcessSetup s) : Process(std::move(s)), tds_(parameter("recharge_tds_g_per_L")) {}
  void rates(const RateContext& c, BlockState& dxdt) const override {
    const auto& r = c.day.percolation_m3_per_s;
    const Lanes q = (r >= 0.0).select(r, r * c.d.phi_aquifer);
    dxdt.col(slot(0).water) = q;
    dxdt.col(slot(0).salt) = (q >= 0.0).select(q * tds_, q * c.d.aquifer_tds_kg_per_m3);
  }

private:
  Lanes tds_;
};

}  // namespace

ProcessType aquifer_recharge() {
  return {"aquifer_recharge",
          "deep percolation from the catchment into the aquifer (the GR4J exchange, Perrin et al. 2003, over the land area)",
          {{"recharge_tds_g_per_L", "g/L", 0.0, 100.0, "TDS of the catchment's deep percolation reaching the aquifer"}},
          {Need::catchment, Need::aquifer},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "deep percolation from the catchment into the aquifer (GR4J exchange)" : i.long_name,
                       Store::aquifer};
            f.salt = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<AquiferRecharge>(std::move(s)); },
          [](const Switches& s) { return s.aquifer && s.process("catchment_runoff", s.catchment) && s.process("aquifer_recharge", true); },
          Stage::coupling};
}

}  // namespace daihai::physics::processes
