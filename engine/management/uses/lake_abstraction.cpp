/// @file lake_abstraction.cpp
/// Water pumped directly from the lake (it leaves with the lake's salt): the tabulated annual
/// use spread evenly over the days of each calendar year.
#include "core/date.hpp"
#include "management/water_use.hpp"

namespace daihai::management::uses {

WaterUse lake_abstraction() {
  WaterUse u;
  u.name = "lake_abstraction";
  u.description = "water pumped directly from the lake, the tabulated annual use spread over each year";
  u.history_columns = {"lake_abstraction_m3_per_a"};
  u.processes = [](const scenario::Switches&) {
    return std::vector<physics::ProcessInstance>{{"lake_withdrawal", "lake_abstraction", "water pumped directly from the lake"}};
  };
  u.drivers = [](const WaterUseContext& c, PlanEditor& e) {
    Daily& use = e.driver("lake_abstraction_m3_per_a");
    const auto& column = c.history.column("lake_abstraction_m3_per_a");
    const auto& fy = e.fractional_year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) use[i] = c.history.at(column, fy[i]);
  };
  u.schedules = [](const WaterUseContext&, PlanEditor& e) {
    const Daily& use = e.driver("lake_abstraction_m3_per_a");
    Daily& lake = e.rate("lake_abstraction");
    const auto& year = e.year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) lake[i] = use[i] * (1.0 / (core::days_in_year(year[i]) * core::kSecondsPerDay));
  };
  return u;
}

}  // namespace daihai::management::uses
