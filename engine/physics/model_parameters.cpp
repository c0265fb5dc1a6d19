#include "physics/model_parameters.hpp"

namespace daihai::physics {

const core::ParameterRegistry& model_parameters() {
  // name, input unit, to SI, valid min, valid max (input unit), meaning.
  static const core::ParameterRegistry registry({
      // lake and salt
      {"initial_level_m", "m", 1.0, -500.0, 9000.0, "lake stage (m a.s.l.) on the first day of a run"},
      {"initial_tds_g_per_L", "g/L", 1.0, 0.0, 400.0, "TDS of the lake water on the first day"},
      {"initial_salt_deposit_kg", "kg", 1.0, 0.0, 1e15, "salt deposited on the lake bed on the first day"},
      {"evaporation_multiplier", "1", 1.0, 0.1, 3.0, "calibration multiplier k on Penman open-water evaporation"},
      {"salt_saturation_g_per_L", "g/L", 1.0, 1.0, 400.0, "TDS above which salt deposits (and below which the deposit redissolves)"},
      {"drying_volume_m3", "m3", 1.0, 1e-6, 1e12, "volume below which lake outflows fade smoothly to zero"},
      // catchment (GR4J on the land part of the basin)
      {"basin_area_km2", "km2", 1e6, 0.0, 1e7, "catchment area including the lake"},
      {"gr4j_x1_mm", "mm", 1.0, 1.0, 5000.0, "GR4J production store capacity X1"},
      {"gr4j_x2_mm_per_d", "mm/d", 1.0, -50.0, 50.0, "GR4J groundwater exchange X2 (negative: deep percolation to the basin aquifer)"},
      {"gr4j_x3_mm", "mm", 1.0, 1.0, 5000.0, "GR4J routing store capacity X3"},
      {"gr4j_x4_d", "d", 1.0, 0.5, 30.0, "GR4J unit hydrograph time base X4"},
      {"gr4j_production_fill", "1", 1.0, 0.0, 1.0, "initial production store content S/X1"},
      {"gr4j_routing_fill", "1", 1.0, 0.0, 1.0, "initial routing store content R/X3"},
      {"river_tds_g_per_L", "g/L", 1.0, 0.0, 100.0, "TDS of river inflow"},
      // aquifer
      {"aquifer_area_km2", "km2", 1e6, 1e-6, 1e7, "plan area of the lumped basin aquifer"},
      {"specific_yield", "1", 1.0, 1e-4, 0.6, "specific yield of the aquifer"},
      {"aquifer_base_m", "m", 1.0, -1000.0, 9000.0, "stage of the aquifer base (head at zero storage)"},
      {"initial_aquifer_head_m", "m", 1.0, -1000.0, 9000.0, "aquifer head on the first day"},
      {"lakebed_leakance_per_d", "1/d", 1.0 / 86400.0, 0.0, 10.0, "lake-bed leakance K/b; conductance = leakance x lake area"},
      {"groundwater_tds_g_per_L", "g/L", 1.0, 0.0, 100.0, "TDS of groundwater discharging into the lake"},
      {"aquifer_dry_storage_m3", "m3", 1.0, 1e-6, 1e12, "aquifer storage below which pumping and discharge fade to zero"},
      // water uses
      {"irrigated_area_multiplier", "1", 1.0, 0.0, 5.0, "multiplier on the tabulated irrigated-area history (its uncertainty)"},
      {"irrigation_net_depth_mm", "mm/a", 1e-3, 0.0, 3000.0, "net (consumptive) irrigation water per unit irrigated area"},
      {"irrigation_groundwater_share", "1", 1.0, 0.0, 1.0, "share of irrigation water pumped from groundwater (rest from rivers)"},
      {"irrigation_season_first_month", "month", 1.0, 1.0, 12.0, "first month of the irrigation season"},
      {"irrigation_season_last_month", "month", 1.0, 1.0, 12.0, "last month of the irrigation season"},
      {"power_plant_use_m3_per_a", "m3/a", 1.0, 0.0, 1e10, "power plant net water use (extra lake evaporation + lakeside wells) while it runs wet cooling"},
      {"power_plant_first_year", "a", 1.0, 1900.0, 2200.0, "first calendar year of the power plant's water use"},
      {"power_plant_lake_share", "1", 1.0, 0.0, 1.0, "share of the power plant's net use that is extra lake evaporation (rest: lakeside wells)"},
  });
  return registry;
}

}  // namespace daihai::physics
