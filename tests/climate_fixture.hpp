#pragma once
// Shared by the climate tests: loads inputs/daihai/climate and fits the weather generator the
// way a run does (Jining 53480 + Youyu 53478 normals, Hohhot 53463 daily structure, grid and
// Hohhot annual totals for year-to-year variability).
#include <string>
#include <vector>

#include "forcing/weather_generator.hpp"
#include "io/climate_inputs.hpp"

namespace daihai::testing {

struct ClimateFixture {
  io::ClimateSite site;
  std::vector<forcing::StationNormals> normals;  // all four stations
  std::vector<forcing::StationNormals> fit_stations;  // Jining, Youyu
  forcing::DailyRecord hohhot;
  forcing::GridRecord grid;
  std::vector<forcing::ObservedMonth> lake_months;
  std::vector<double> grid_annual, hohhot_annual;
  forcing::GeneratorParameters params;
  forcing::FitReport report;

  static std::string dir() { return std::string(DAIHAI_SOURCE_DIR) + "/inputs/daihai/climate/"; }

  ClimateFixture() {
    site = io::read_climate_site(dir() + "site.csv");
    normals = io::read_station_normals(dir() + "cma_normals_1981-2010_monthly_4stations.csv");
    const forcing::StationNormals* hoh = nullptr;
    for (const auto& s : normals) {
      if (s.station_id == 53480 || s.station_id == 53478) fit_stations.push_back(s);
      if (s.station_id == 53463) hoh = &s;
    }
    hohhot = io::read_daily_record(dir() + "hohhot_53463_daily_2014-2021.csv", 53463, hoh->latitude_deg,
                                   hoh->elevation_m);
    grid = io::read_grid_record(dir() + "cma_grid0.5_monthly_daihai_cells_2006-2015.csv");
    lake_months = forcing::interpolate_grid(grid, site.site.latitude_deg, site.longitude_deg);
    grid_annual = forcing::annual_precip_totals(lake_months);
    hohhot_annual = forcing::annual_precip_totals(hohhot);
    params = forcing::fit_generator(fit_stations, hohhot, {grid_annual, hohhot_annual}, fit_options(), &report);
  }

  /// The fit's options from the site, as a run sets them.
  forcing::FitOptions fit_options() const {
    forcing::FitOptions opt;
    opt.latitude_deg = site.site.latitude_deg;
    opt.target_elevation_m = site.site.elevation_m;
    opt.lapse_rate_K_per_m = site.lapse_rate_K_per_m;
    opt.wet_threshold_mm = site.wet_threshold_mm;
    return opt;
  }

  /// The fixture is fitted once per test executable.
  static const ClimateFixture& get() {
    static const ClimateFixture f;
    return f;
  }
};

}  // namespace daihai::testing
