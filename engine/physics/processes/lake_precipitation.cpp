/// @file lake_precipitation.cpp
/// Precipitation on the lake surface: q = P·A(h), into the lake, no salt.
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class LakePrecipitation final : public Process {
public:
  using Process::Process;
  void rates(const RateContext& c, BlockState& dxdt) const override { dxdt.col(slot(0).water) = c.day.precip_m_per_s * c.d.area_m2; }
};

}  // namespace

ProcessType lake_precipitation() {
  return {"lake_precipitation",
          "precipitation on the lake surface, P·A(h) (m3/s)",
          {},
          {Need::precipitation, Need::lake_area},
          [](const ProcessInstance& i) {
            return std::vector<FluxDecl>{{i.name, i.long_name.empty() ? "precipitation on the lake surface" : i.long_name, Store::lake}};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<LakePrecipitation>(std::move(s)); },
          [](const Switches& s) { return s.process("lake_precipitation", s.precipitation); },
          Stage::lake};
}

}  // namespace daihai::physics::processes
