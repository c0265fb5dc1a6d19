/// @file lake_withdrawal.cpp
/// A demand taken from the lake: q = −demand·φ(V) (the drying limiter fades it as the lake
/// empties; the rest is the user's shortage). Water pumped from the lake carries the lake's TDS
/// (salt −q·c) to its users, and the salt stays in the basin (FluxDecl::to_fields); an evaporative
/// use (the power plant's extra evaporation) takes no salt.
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class LakeWithdrawal final : public Process {
public:
  using Process::Process;
  void rates(const RateContext& c, BlockState& dxdt) const override {
    const Index w = slot(0).water;
    dxdt.col(w) = -1.0 * c.day.schedule.col(slot(0).schedule) * c.d.phi_lake;
    if (slot(0).salt >= 0) dxdt.col(slot(0).salt) = dxdt.col(w) * c.d.tds_kg_per_m3;
  }
};

}  // namespace

ProcessType lake_withdrawal() {
  return {"lake_withdrawal",
          "a demand taken from the lake, -demand·φ(V); carries the lake's TDS unless the use is evaporative (shortage reported)",
          {},
          {Need::schedule, Need::lake_limiter, Need::lake_tds},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "water taken from the lake" : i.long_name, Store::lake};
            f.salt = f.to_fields = i.carries_lake_salt;
            f.demand = f.scheduled = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<LakeWithdrawal>(std::move(s)); }};
}

}  // namespace daihai::physics::processes
