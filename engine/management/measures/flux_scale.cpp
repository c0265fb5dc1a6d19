/// @file flux_scale.cpp
/// Scales any named flux of the model by `factor` from the start date: a scheduled demand or
/// inflow through its schedule (a smaller demand, not a shortage), any other flux through a
/// daily multiplier of its rate (e.g. river dredging that delivers more of the catchment's
/// runoff, factor > 1; a lake-bed sealing, factor < 1). A flux with a mirror (the two sides of the
/// lake–groundwater exchange) is scaled with it, so the basin's water still balances.
#include <fmt/format.h>

#include "management/measure_kind.hpp"

namespace daihai::management::measures {

MeasureKind flux_scale() {
  MeasureKind k;
  k.kind = "flux_scale";
  k.description = "scales a named flux (its schedule or its rate) by a factor from the start date";
  k.keys = {{"factor", "1", 0.0, 100.0, "multiplier on the flux from the start date"}};
  k.name_keys = {{"flux", "the flux to scale (an output name without its unit, e.g. catchment_runoff)", false}};
  k.phase = Phase::flows;
  k.scales = [](const scenario::MeasureSpec& m) { return m.names.at("flux"); };
  k.check = [](const scenario::MeasureSpec& m, const PlanLayout& layout) -> std::string {
    const std::string& name = m.names.at("flux").front();
    for (const auto& f : layout.fluxes)
      if (f.name == name) return "";
    std::string known;
    for (const auto& f : layout.fluxes) known += (known.empty() ? "" : ", ") + f.name;
    return fmt::format("the model has no flux '{}' (its fluxes: {})", name, known);
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) { e.scale(m.names.at("flux").front(), start_day(m), m.values.at("factor")); };
  return k;
}

}  // namespace daihai::management::measures
