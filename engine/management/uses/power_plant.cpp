/// @file power_plant.cpp
/// The lakeside power plant from its first year: its net water use (while it ran wet cooling on
/// lake water it returned the water warmed, so the net loss was extra lake evaporation plus
/// lakeside wells; shared/daihai/measures.csv) split into power_plant_evaporation (takes no
/// salt) and pumping_power_plant by power_plant_lake_share; all extra evaporation without an
/// aquifer.
#include <cmath>

#include "core/date.hpp"
#include "management/water_use.hpp"

namespace daihai::management::uses {

WaterUse power_plant() {
  WaterUse u;
  u.name = "power_plant";
  u.description = "the power plant's net use from its first year, as extra lake evaporation and lakeside wells";
  u.parameters = {
      {"power_plant_use_m3_per_a", "m3/a", 0.0, 1e10,
       "power plant net water use (extra lake evaporation + lakeside wells) while it runs wet cooling"},
      core::ParameterDecl{"power_plant_first_year", "a", 1900.0, 2200.0, "first calendar year of the power plant's water use"}.as_whole(),
      {"power_plant_lake_share", "1", 0.0, 1.0, "share of the power plant's net use that is extra lake evaporation (rest: lakeside wells)"},
  };
  u.processes = [](const scenario::Switches& s) {
    std::vector<physics::ProcessInstance> p;
    if (s.aquifer) p.push_back({"aquifer_pumping", "pumping_power_plant", "power plant lakeside wells"});
    physics::ProcessInstance evaporation{"lake_withdrawal", "power_plant_evaporation",
                                         "extra lake evaporation caused by the power plant's cooling water"};
    evaporation.carries_lake_salt = false;
    p.push_back(evaporation);
    return p;
  };
  u.drivers = [](const WaterUseContext& c, PlanEditor& e) {
    Daily& use = e.driver("plant_use_m3_per_a");
    const int first_year = static_cast<int>(std::lround(c.p.si("power_plant_first_year")));
    const double plant_use = c.p.si("power_plant_use_m3_per_a");
    const auto& fy = e.fractional_year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) use[i] = std::floor(fy[i]) >= first_year ? plant_use : 0.0;
  };
  u.schedules = [](const WaterUseContext& c, PlanEditor& e) {
    const Daily& use = e.driver("plant_use_m3_per_a");
    const double lake_share = c.switches.aquifer ? c.p.si("power_plant_lake_share") : 1.0;
    Daily& lake = e.rate("power_plant_evaporation");
    Daily* wells = c.switches.aquifer ? &e.rate("pumping_power_plant") : nullptr;
    const auto& year = e.year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) {
      const double plant = use[i] * (1.0 / (core::days_in_year(year[i]) * core::kSecondsPerDay));
      lake[i] = plant * lake_share;
      if (wells != nullptr) (*wells)[i] = plant * (1.0 - lake_share);
    }
  };
  return u;
}

}  // namespace daihai::management::uses
