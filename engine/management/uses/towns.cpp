/// @file towns.cpp
/// Towns and industry other than the power plant: the tabulated annual use, from wells, spread
/// evenly over the days of each calendar year. Without an aquifer the use has no flux.
#include "core/date.hpp"
#include "management/water_use.hpp"

namespace daihai::management::uses {

WaterUse towns() {
  WaterUse u;
  u.name = "towns";
  u.description = "towns and industry, from wells, the tabulated annual use spread over each year";
  u.history_columns = {"town_use_m3_per_a"};
  u.processes = [](const scenario::Switches& s) {
    std::vector<physics::ProcessInstance> p;
    if (s.aquifer) p.push_back({"aquifer_pumping", "pumping_towns", "groundwater pumped for towns and industry"});
    return p;
  };
  u.drivers = [](const WaterUseContext& c, PlanEditor& e) {
    Daily& use = e.driver("town_use_m3_per_a");
    const auto& column = c.history.column("town_use_m3_per_a");
    const auto& fy = e.fractional_year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) use[i] = c.history.at(column, fy[i]);
  };
  u.schedules = [](const WaterUseContext& c, PlanEditor& e) {
    if (!c.switches.aquifer) return;
    const Daily& use = e.driver("town_use_m3_per_a");
    Daily& wells = e.rate("pumping_towns");
    const auto& year = e.year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) wells[i] = use[i] * (1.0 / (core::days_in_year(year[i]) * core::kSecondsPerDay));
  };
  return u;
}

}  // namespace daihai::management::uses
