/// @file irrigation.cpp
/// Irrigation: irrigated area (history × multiplier) × net (consumptive) depth, less the water
/// saved by retrofits, spread evenly over the days of the irrigation season and split between
/// wells (pumping_irrigation, the groundwater share) and the rivers (river_withdrawal_irrigation,
/// met from the day's runoff). Without an aquifer everything comes from the rivers; without a
/// catchment there are no rivers to take from and the river part has no flux.
#include <algorithm>
#include <cmath>

#include "core/date.hpp"
#include "management/water_use.hpp"

namespace daihai::management::uses {

WaterUse irrigation() {
  WaterUse u;
  u.name = "irrigation";
  u.description = "irrigated area x net depth over the irrigation season, from wells and rivers";
  u.parameters = {
      {"irrigated_area_multiplier", "1", 0.0, 5.0, "multiplier on the tabulated irrigated-area history (its uncertainty)"},
      {"irrigation_net_depth_mm", "mm/a", 0.0, 3000.0, "net (consumptive) irrigation water per unit irrigated area"},
      {"irrigation_groundwater_share", "1", 0.0, 1.0, "share of irrigation water pumped from groundwater (rest from rivers)"},
      core::ParameterDecl{"irrigation_season_first_month", "month", 1.0, 12.0, "first month of the irrigation season"}.as_whole(),
      core::ParameterDecl{"irrigation_season_last_month", "month", 1.0, 12.0, "last month of the irrigation season"}.as_whole(),
  };
  u.history_columns = {"irrigated_area_km2"};
  u.processes = [](const scenario::Switches& s) {
    std::vector<physics::ProcessInstance> p;
    if (s.catchment)
      p.push_back({"river_withdrawal", "river_withdrawal_irrigation", "irrigation water taken from the rivers before the lake"});
    if (s.aquifer) p.push_back({"aquifer_pumping", "pumping_irrigation", "groundwater pumped for irrigation"});
    return p;
  };
  u.drivers = [](const WaterUseContext& c, PlanEditor& e) {
    Daily& area = e.driver("irrigated_area_m2");
    Daily& depth = e.driver("irrigation_depth_m_per_a");
    e.driver("irrigation_saving_m3_per_a");
    const double multiplier = c.p.si("irrigated_area_multiplier"), net_depth = c.p.si("irrigation_net_depth_mm");
    const auto& column = c.history.column("irrigated_area_km2");
    const auto& fy = e.fractional_year_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) {
      area[i] = c.history.at(column, fy[i]) * 1e6 * multiplier;
      depth[i] = net_depth;
    }
  };
  u.schedules = [](const WaterUseContext& c, PlanEditor& e) {
    const int m0 = static_cast<int>(std::lround(c.p.si("irrigation_season_first_month")));
    const int m1 = static_cast<int>(std::lround(c.p.si("irrigation_season_last_month")));
    const double gw = c.switches.aquifer ? c.p.si("irrigation_groundwater_share") : 0.0;
    const Daily& area = e.driver("irrigated_area_m2");
    const Daily& depth = e.driver("irrigation_depth_m_per_a");
    const Daily& saving = e.driver("irrigation_saving_m3_per_a");
    Daily* wells = c.switches.aquifer ? &e.rate("pumping_irrigation") : nullptr;
    Daily* rivers = c.switches.catchment ? &e.rate("river_withdrawal_irrigation") : nullptr;
    const auto& year = e.year_of_day();
    const auto& month = e.month_of_day();
    for (std::size_t i = 0; i < e.days(); ++i) {
      if (month[i] < m0 || month[i] > m1) continue;
      int season_days = 0;
      for (int mo = m0; mo <= m1; ++mo) season_days += core::days_in_month(year[i], mo);
      const double per_year = std::max(0.0, area[i] * depth[i] - saving[i]);
      const double rate = per_year / (season_days * core::kSecondsPerDay);
      if (wells != nullptr) (*wells)[i] = rate * gw;
      if (rivers != nullptr) (*rivers)[i] = rate * (1.0 - gw);
    }
  };
  return u;
}

}  // namespace daihai::management::uses
