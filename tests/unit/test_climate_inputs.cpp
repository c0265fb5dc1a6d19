// Unit tests of the climate input readers in io/climate_inputs.hpp (normals, grid, site).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/errors.hpp"
#include "io/climate_inputs.hpp"

using namespace daihai;
using Catch::Detail::Approx;
namespace fs = std::filesystem;

namespace {
std::string dir() { return std::string(DAIHAI_SOURCE_DIR) + "/inputs/daihai/climate/"; }
std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path d = fs::temp_directory_path() / ("daihai_climate_inputs_" + std::to_string(::getpid()));
  fs::create_directories(d);
  const fs::path p = d / name;
  std::ofstream(p) << text;
  return p.string();
}
const char* kSite =
    "key,value,unit,source\nlatitude_deg,40.55,,\nlongitude_deg,112.65,,\nelevation_m,1220,,\nalbedo,0.06,,\n"
    "angstrom_a,0.25,,\nangstrom_b,0.5,,\nwind_height_m,10,,\nwind_function_area_km2,100,,\nlapse_rate_K_per_m,0.0065,,\nwet_threshold_mm,0.1,,\n"
    "e601_to_open_water,0.93,,\nice_window_days,10,,\n";
}  // namespace

TEST_CASE("normals: four stations, DDMM converted, missing E601 stays NaN", "[climate_inputs]") {
  const auto n = io::read_station_normals(dir() + "cma_normals_1981-2010_monthly_4stations.csv");
  REQUIRE(n.size() == 4);
  const auto& jining = n[2];
  CHECK(jining.station_id == 53480);
  CHECK(jining.latitude_deg == Approx(41.0 + 2.0 / 60.0));
  CHECK(jining.elevation_m == 1419.3);
  CHECK(jining.month[0].tmean_C == -12.7);
  CHECK(std::isnan(jining.month[0].e601_mm));
  CHECK(jining.month[4].e601_mm == 163.3);
  CHECK(jining.month[6].sunshine_h == 259.9);
}

TEST_CASE("grid: four cells with centres from the column names, missing temperatures NaN", "[climate_inputs]") {
  const auto g = io::read_grid_record(dir() + "cma_grid0.5_monthly_daihai_cells_2006-2015.csv");
  REQUIRE(g.cells.size() == 4);
  CHECK(g.cells[0].longitude_deg == 112.75);
  CHECK(g.cells[0].latitude_deg == 40.75);
  CHECK(g.year.front() == 2006);
  CHECK(g.month.back() == 12);
  CHECK(g.cells[0].precip_mm[0] == 2.0);
  CHECK(std::isnan(g.cells[0].tmean_C[(2014 - 2006) * 12 + 1]));
  CHECK(std::isnan(g.cells[0].tmax_C[(2012 - 2006) * 12 + 8]));
  CHECK_FALSE(std::isnan(g.cells[0].tmean_C[(2012 - 2006) * 12 + 8]));
}

TEST_CASE("site constants: complete file loads, missing or unknown keys are errors", "[climate_inputs]") {
  const auto s = io::read_climate_site(dir() + "site.csv");
  CHECK(s.site.latitude_deg == 40.55);
  CHECK(s.ice.window_days == 10);
  CHECK(s.e601_to_open_water == 0.93);
  try {
    io::read_climate_site(write_temp("site_missing.csv", kSite));
    FAIL("no error");
  } catch (const core::InputError& e) {
    CHECK(e.key() == "ice_threshold_C");
  }
  try {
    io::read_climate_site(write_temp("site_unknown.csv", std::string(kSite) + "ice_threshold_C,0,,\nalbedoo,1,,\n"));
    FAIL("no error");
  } catch (const core::InputError& e) {
    CHECK(e.key() == "albedoo");
    CHECK(e.line() == 15);
  }
}
