/// @file cooling_retrofit.cpp
/// The power plant's wet-to-air cooling retrofit: from the start date the plant uses no lake or
/// lakeside groundwater (S20), i.e. its two fluxes, power_plant_evaporation and
/// pumping_power_plant, are scaled to zero.
#include <fmt/format.h>

#include "management/measure_kind.hpp"

namespace daihai::management::measures {

namespace {
const std::vector<std::string> kPlantFluxes = {"power_plant_evaporation", "pumping_power_plant"};
}

MeasureKind cooling_retrofit() {
  MeasureKind k;
  k.kind = "cooling_retrofit";
  k.description = "the power plant's use of lake and lakeside groundwater ends at the start date";
  k.phase = Phase::flows;
  k.check = [](const scenario::MeasureSpec&, const PlanLayout& layout) -> std::string {
    for (const auto& f : layout.fluxes)
      for (const auto& n : kPlantFluxes)
        if (f.name == n) return "";
    return "the model has no power plant fluxes (power_plant_evaporation, pumping_power_plant): are the water uses switched off?";
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) {
    for (const auto& n : kPlantFluxes)
      if (e.is_scheduled(n)) e.scale(n, start_day(m), 0.0);
  };
  return k;
}

}  // namespace daihai::management::measures
