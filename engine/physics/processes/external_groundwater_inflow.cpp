/// @file external_groundwater_inflow.cpp
/// Groundwater entering the lake from outside the modelled basin aquifer at a constant rate —
/// deep water rising along the faults of a graben lake, independent of the lumped aquifer's head:
///   q = Q_ext / (seconds of the year)   (+ into the lake), with TDS c_ext.
/// Part of the lake's gross groundwater inflow (with lake_groundwater_exchange's inflow): the
/// isotope estimate of groundwater discharge into a lake is a gross figure.
#include "core/date.hpp"
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class ExternalGroundwaterInflow final : public Process {
public:
  explicit ExternalGroundwaterInflow(ProcessSetup s)
      : Process(std::move(s)), rate_(parameter("external_groundwater_inflow_m3_per_a") / (365.25 * core::kSecondsPerDay)),
        tds_(parameter("external_groundwater_tds_g_per_L")) {}

  void rates(const RateContext&, BlockState& dxdt) const override {
    dxdt.col(slot(0).water) = rate_;
    dxdt.col(slot(0).salt) = rate_ * tds_;
  }

private:
  Lanes rate_, tds_;
};

}  // namespace

ProcessType external_groundwater_inflow() {
  return {"external_groundwater_inflow",
          "groundwater entering the lake from outside the basin aquifer (fault-fed) at a constant rate, with its TDS",
          {{"external_groundwater_inflow_m3_per_a", "m3/a", 0.0, 1e12,
            "groundwater entering the lake from outside the basin aquifer (along faults), independent of the aquifer's head"},
           {"external_groundwater_tds_g_per_L", "g/L", 0.0, 100.0, "TDS of the external groundwater inflow"}},
          {},
          [](const ProcessInstance& i) {
            FluxDecl f{i.name, i.long_name.empty() ? "groundwater entering the lake from outside the basin aquifer (fault-fed)" : i.long_name,
                       Store::lake};
            f.salt = f.day_constant = true;
            return std::vector<FluxDecl>{f};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<ExternalGroundwaterInflow>(std::move(s)); },
          [](const Switches& s) { return s.process("external_groundwater_inflow", s.aquifer); },
          Stage::lake};
}

}  // namespace daihai::physics::processes
