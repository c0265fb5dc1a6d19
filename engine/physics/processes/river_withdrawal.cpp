/// @file river_withdrawal.cpp
/// A demand on the rivers before they reach the lake: met from the day's catchment runoff,
/// q = −min(demand, runoff), constant within the day, with the river TDS; what the runoff cannot
/// supply is the user's shortage. Its salt goes to the fields and stays in the basin
/// (FluxDecl::to_fields).
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class RiverWithdrawal final : public Process {
public:
  explicit RiverWithdrawal(ProcessSetup s) : Process(std::move(s)), river_tds_(parameter("river_tds_g_per_L")) { taken_.setZero(); }

  void begin_day(const Derived&, DayInputs& day) override {
    taken_ = day.schedule.col(slot(0).schedule).min(day.runoff_m3_per_s);
  }

  void rates(const RateContext&, BlockState& dxdt) const override {
    dxdt.col(slot(0).water) = -1.0 * taken_;
    dxdt.col(slot(0).salt) = -1.0 * taken_ * river_tds_;
  }

private:
  Lanes river_tds_, taken_;
};

}  // namespace

ProcessType river_withdrawal() {
  return {"river_withdrawal",
          "a demand on the rivers met from the day's catchment runoff before it reaches the lake (shortage reported)",
          {{"river_tds_g_per_L", "g/L", 0.0, 100.0, "TDS of river inflow"}},
          {Need::catchment, Need::schedule},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "water taken from the rivers before the lake" : i.long_name, Store::lake};
            f.salt = f.demand = f.scheduled = f.day_constant = f.to_fields = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<RiverWithdrawal>(std::move(s)); }};
}

}  // namespace daihai::physics::processes
