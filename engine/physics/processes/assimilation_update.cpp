/// @file assimilation_update.cpp
/// The analysis increments of data assimilation (analysis/enkf.hpp) as fluxes of their own: an
/// ensemble Kalman filter moves a member's lake (or aquifer) water and salt between days when it
/// conditions the member on an observation; the change is booked in this flux's running totals
/// (scenario::BlockRun::add_to_stores), so the budgets of the outputs close with it as a term
/// (`assimilation_lake_m3`, `assimilation_lake_kg`, and the aquifer's). Its rates are zero: it
/// changes nothing during a day. In a model when the scenario conditions on monitoring data
/// (`[assimilation]`, switch `assimilation_update`).
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class AssimilationUpdate final : public Process {
public:
  using Process::Process;
  void rates(const RateContext&, BlockState& dxdt) const override {
    dxdt.col(slot(0).water).setZero();
    dxdt.col(slot(0).salt).setZero();
  }
};

ProcessType assimilation_update(const char* type, Store store, const char* long_name, bool (*in_model)(const Switches&)) {
  return {type,
          "analysis increments of data assimilation booked as a flux (zero rate; changes are made between days)",
          {},
          {},
          [store, long_name](const ProcessInstance& i) {
            FluxDecl f{i.name, long_name, store};
            f.salt = true;
            f.day_constant = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<AssimilationUpdate>(std::move(s)); },
          in_model,
          Stage::coupling};
}

}  // namespace

ProcessType assimilation_lake() {
  return assimilation_update("assimilation_lake", Store::lake,
                             "analysis increments of data assimilation on the lake (+ added to the lake by conditioning on observations)",
                             [](const Switches& s) { return s.process("assimilation_update", false); });
}

ProcessType assimilation_aquifer() {
  return assimilation_update(
      "assimilation_aquifer", Store::aquifer,
      "analysis increments of data assimilation on the aquifer (+ added to the aquifer by conditioning on observations)",
      [](const Switches& s) { return s.aquifer && s.process("assimilation_update", false); });
}

}  // namespace daihai::physics::processes
