#pragma once
// Builders for small synthetic lakes used by the analytic, contract and regression tests:
// every parameter set explicitly, constant forcing, parts of the model switched off.
#include <cmath>
#include <functional>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "model/model.hpp"
#include "scenario/run.hpp"
#include "scenario/spec.hpp"

namespace daihai::testing {

// Constant daily forcing, in mm/d; `evap_sat_mm` is the salinity-sensitive part.
struct ConstantForcing {
  double precip_mm = 0.0;
  double evap_mm = 0.0;
  double evap_sat_mm = 0.0;
  double pet_land_mm = 0.0;
  bool ice = false;
};

inline core::ParameterSet neutral_parameters() {
  core::ParameterSet p;
  const auto& reg = model::parameter_registry();
  auto set = [&](const char* n, double v) { p.set(reg, n, v, {"test", 0, "E", "test value", v, v}); };
  set("initial_level_m", 5.0);
  set("initial_tds_g_per_L", 1.0);
  set("initial_salt_deposit_kg", 0.0);
  set("evaporation_multiplier", 1.0);
  set("ice_max_thickness_m", 0.5);
  set("salt_saturation_g_per_L", 300.0);
  set("drying_volume_fraction", 1e-5);
  set("basin_area_km2", 100.0);
  set("gr4j_x1_mm", 300.0);
  set("gr4j_x2_mm_per_d", 0.0);
  set("gr4j_x3_mm", 80.0);
  set("gr4j_x4_d", 1.5);
  set("gr4j_production_fill", 0.3);
  set("gr4j_routing_fill", 0.3);
  set("river_tds_g_per_L", 0.0);
  set("aquifer_area_km2", 50.0);
  set("specific_yield", 0.1);
  set("aquifer_base_m", -100.0);
  set("initial_aquifer_head_m", 5.0);
  set("lakebed_leakance_per_d", 0.0);
  set("lakebed_clogging_thickness_m", 1.0);
  set("initial_aquifer_tds_g_per_L", 0.0);
  set("recharge_tds_g_per_L", 0.0);
  set("external_groundwater_inflow_m3_per_a", 0.0);
  set("external_groundwater_tds_g_per_L", 0.0);
  set("exposed_bed_reference_level_m", 0.0);
  set("water_table_extinction_depth_m", 1.0);
  set("salt_return_fraction", 0.5);
  set("aquifer_dry_storage_m3", 1e3);
  set("irrigated_area_multiplier", 1.0);
  set("irrigation_net_depth_mm", 0.0);
  set("irrigation_groundwater_share", 1.0);
  set("irrigation_season_first_month", 4.0);
  set("irrigation_season_last_month", 9.0);
  set("power_plant_use_m3_per_a", 0.0);
  set("power_plant_first_year", 2006.0);
  set("power_plant_lake_share", 0.5);
  p.require_all(reg, "test");
  return p;
}

// A lake with the given stage→area table (m, m²), constant forcing, no water uses.
inline scenario::LakeInputs make_inputs(std::vector<double> stage_m, std::vector<double> area_m2, ConstantForcing f) {
  scenario::LakeInputs in;
  in.dir = "test";
  in.vertical_datum = "bottom of the test lake";
  in.hypsometry = std::make_shared<const physics::Hypsometry>(std::move(stage_m), std::move(area_m2));
  in.parameters = neutral_parameters();
  // No exposed lake bed: the reference shoreline at the table's bottom.
  const double bottom = in.hypsometry->bottom_m();
  in.parameters.set(model::parameter_registry(), "exposed_bed_reference_level_m", bottom, {"test", 0, "E", "test value", bottom, bottom});
  in.water_use.years = {2000};
  in.water_use.columns["irrigated_area_km2"] = {0.0};
  in.water_use.columns["town_use_m3_per_a"] = {0.0};
  in.water_use.columns["lake_abstraction_m3_per_a"] = {0.0};
  in.water_use.file = "test";
  in.forcing = [f](const scenario::ClimateSpec&, std::int64_t first, std::int64_t n) {
    forcing::DailyForcing d;
    d.first_day = first;
    const auto m = static_cast<std::size_t>(n);
    d.precip_m_per_s.assign(m, f.precip_mm * 1e-3 / 86400.0);
    d.evap_fresh_m_per_s.assign(m, f.evap_mm * 1e-3 / 86400.0);
    d.evap_sat_m_per_s.assign(m, f.evap_sat_mm * 1e-3 / 86400.0);
    d.pet_land_m_per_s.assign(m, f.pet_land_mm * 1e-3 / 86400.0);
    d.tmean_C.assign(m, 10.0);
    d.ice.assign(m, f.ice ? 1 : 0);
    return d;
  };
  return in;
}

// Daily forcing whose precipitation and evaporation (mm/d) come from `day(i) -> {p_mm, e_mm}` for day i
// of the run; 60 % of the evaporation is salinity-sensitive, no land PET, 10 °C, no ice. With
// `estimated` the evaporation is the engine's own estimate (a heat budget that stores nothing: water
// and equilibrium at 10 °C, no sublimation), so the lake's evaporation multiplier applies to it;
// without, it is evaporation given by a file, taken as given.
template <class DayFn>
std::function<forcing::DailyForcing(const scenario::ClimateSpec&, std::int64_t, std::int64_t)>
daily_forcing(DayFn day, bool estimated = false) {
  return [day, estimated](const scenario::ClimateSpec&, std::int64_t first, std::int64_t n) {
    forcing::DailyForcing d;
    d.first_day = first;
    for (std::int64_t i = 0; i < n; ++i) {
      const auto [p_mm, e_mm] = day(i);
      d.precip_m_per_s.push_back(p_mm * 1e-3 / 86400.0);
      d.evap_fresh_m_per_s.push_back(e_mm * 1e-3 / 86400.0);
      d.evap_sat_m_per_s.push_back(0.6 * e_mm * 1e-3 / 86400.0);
      d.pet_land_m_per_s.push_back(0.0);
      d.tmean_C.push_back(10.0);
      d.ice.push_back(0);
      if (estimated) {
        d.equilibrium_C.push_back(10.0);
        d.exchange_MJ_m2_d_K.push_back(1.0);
        d.storage_to_evap_m_per_MJ.push_back(0.0);
        d.sublimation_m_per_s.push_back(0.0);
      }
    }
    return d;
  };
}

// A scenario over [start, end] with catchment, aquifer and water uses off.
inline scenario::RunSpec plain_run(core::Date start, core::Date end) {
  scenario::RunSpec r;
  r.scenario.name = "test";
  r.scenario.start = start;
  r.scenario.end = end;
  r.scenario.source_file = "test";
  r.scenario.switches.catchment = false;
  r.scenario.switches.aquifer = false;
  r.scenario.switches.water_uses = false;
  r.scenario.resolution = scenario::Resolution::daily;
  return r;
}

inline const scenario::Variable& annual(const scenario::RunResult& r, const std::string& name) {
  for (const auto& v : r.annual)
    if (v.name == name) return v;
  throw std::out_of_range("no annual variable " + name);
}
inline const scenario::Variable& series(const scenario::RunResult& r, const std::string& name) {
  for (const auto& v : r.series)
    if (v.name == name) return v;
  throw std::out_of_range("no series variable " + name);
}
inline double state(const std::vector<scenario::StateValue>& s, const std::string& name) {
  for (const auto& v : s)
    if (v.name == name) return v.value;
  throw std::out_of_range("no state " + name);
}
inline double total(const scenario::Variable& v) {
  double t = 0.0;
  for (double x : v.values) t += x;
  return t;
}

}  // namespace daihai::testing
