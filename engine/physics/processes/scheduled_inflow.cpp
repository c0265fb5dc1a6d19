/// @file scheduled_inflow.cpp
/// Water brought into the lake on a daily schedule (a diversion after its conveyance loss,
/// reclaimed water, a scenario's inflow): q = schedule, constant within the day, carrying the
/// TDS of the delivered water (salt q·c_in).
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class ScheduledInflow final : public Process {
public:
  using Process::Process;
  void rates(const RateContext& c, BlockState& dxdt) const override {
    const Index w = slot(0).water;
    dxdt.col(w) = c.day.schedule.col(slot(0).schedule);
    dxdt.col(slot(0).salt) = dxdt.col(w) * setup().tds_kg_per_m3;
  }
};

}  // namespace

ProcessType scheduled_inflow() {
  return {"scheduled_inflow",
          "water brought into the lake on a daily schedule, with the TDS of the delivered water",
          {},
          {Need::schedule},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "water brought into the lake" : i.long_name, Store::lake};
            f.salt = f.scheduled = f.day_constant = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<ScheduledInflow>(std::move(s)); }};
}

}  // namespace daihai::physics::processes
