// Unit tests of io::read_forcing_csv (strict daily forcing CSV) and of forcing/derive_forcing.hpp.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "forcing/derive_forcing.hpp"
#include "io/climate_inputs.hpp"
#include "io/text_file.hpp"

using namespace daihai;
using Catch::Detail::Approx;
namespace fs = std::filesystem;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  static std::atomic<int> counter{0};
  const fs::path dir = fs::temp_directory_path() / ("daihai_forcing_csv_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / (std::to_string(counter++) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

/// Reads `text` and returns the InputError message (fails when nothing is thrown).
std::string error_of(const std::string& name, const std::string& text) {
  const std::string path = write_temp(name, text);
  try {
    io::read_forcing_csv(path);
  } catch (const core::InputError& e) {
    CHECK(e.file() == path);
    return e.what();
  }
  FAIL("no InputError for " << name);
  return "";
}

const char* kPenmanHeader = "date,precip_mm,tmean_C,tmax_C,tmin_C,rh_pct,wind_m_s,sunshine_h\n";

physics::SiteInfo site() {
  physics::SiteInfo s;
  s.latitude_deg = 40.55;
  s.elevation_m = 1220;
  s.albedo = 0.06;
  s.angstrom_a = 0.25;
  s.angstrom_b = 0.5;
  s.wind_height_m = 10;
  s.wind_function_area_km2 = 100;
  return s;
}
}  // namespace

TEST_CASE("forcing CSV with evaporation loads", "[forcing_csv]") {
  const auto path = write_temp("evap.csv", "# comment\ndate,precip_mm,evap_mm\n2020-02-28,0,1.5\n2020-02-29,3.2,0.5\n2020-03-01,0,2\n");
  const auto f = io::read_forcing_csv(path);
  CHECK(f.has_evaporation);
  CHECK_FALSE(f.has_penman_inputs);
  CHECK(f.weather.first_day == core::day_number({2020, 2, 28}));
  CHECK(f.weather.precip_mm == std::vector<double>{0, 3.2, 0});
  CHECK(f.evap_mm == std::vector<double>{1.5, 0.5, 2});
  const auto fc = forcing::forcing_from_evaporation(f.weather.first_day, f.weather.precip_mm, f.evap_mm, {}, site(),
                                                    {}, 0.8);
  CHECK(fc.evap_fresh_m_per_s[0] * 86400e3 == Approx(1.5));
  CHECK(fc.evap_sat_m_per_s[0] == fc.evap_fresh_m_per_s[0]);
  CHECK(fc.pet_land_m_per_s[2] * 86400e3 == Approx(1.6));
  CHECK(fc.ice == std::vector<unsigned char>{0, 0, 0});
}

TEST_CASE("forcing CSV with Penman inputs loads and derives", "[forcing_csv]") {
  const auto path = write_temp("penman.csv", std::string(kPenmanHeader) +
                                                 "2019-07-14,0,21,27.6,14.7,65,1.85,8.45\n"
                                                 "2019-07-15,12.5,19,24,15,85,2.5,1.0\n");
  const auto f = io::read_forcing_csv(path);
  CHECK(f.has_penman_inputs);
  CHECK_FALSE(f.has_evaporation);
  const auto fc = forcing::derive_forcing(f.weather, site());
  REQUIRE(fc.size() == 2);
  CHECK(fc.evap_fresh_m_per_s[0] * 86400e3 > 5.0);
  CHECK(fc.precip_m_per_s[1] * 86400e3 == Approx(12.5));
  CHECK(fc.evap_fresh_m_per_s[1] >= fc.evap_sat_m_per_s[1]);
}

TEST_CASE("forcing CSV errors name file, line and column", "[forcing_csv]") {
  SECTION("missing day") {
    const auto msg = error_of("gap.csv", "date,precip_mm,evap_mm\n2020-01-01,0,1\n2020-01-02,0,1\n2020-01-04,0,1\n");
    CHECK_THAT(msg, Catch::Contains("gap.csv:4") && Catch::Contains("'date'") && Catch::Contains("2020-01-03"));
  }
  SECTION("NaN") {
    const auto msg = error_of("nan.csv", "date,precip_mm,evap_mm\n2020-01-01,0,1\n2020-01-02,NaN,1\n");
    CHECK_THAT(msg, Catch::Contains("nan.csv:3") && Catch::Contains("'precip_mm'"));
  }
  SECTION("empty cell") {
    const auto msg = error_of("empty.csv", std::string(kPenmanHeader) + "2020-01-01,0,1,2,0,50,2,5\n2020-01-02,0,1,2,0,,2,5\n");
    CHECK_THAT(msg, Catch::Contains("empty.csv:3") && Catch::Contains("'rh_pct'"));
  }
  SECTION("non-numeric") {
    const auto msg = error_of("text.csv", "date,precip_mm,evap_mm\n2020-01-01,0,abc\n");
    CHECK_THAT(msg, Catch::Contains("text.csv:2") && Catch::Contains("'evap_mm'"));
  }
  SECTION("negative precipitation") {
    const auto msg = error_of("neg.csv", "date,precip_mm,evap_mm\n2020-01-01,0,1\n2020-01-02,-0.5,1\n");
    CHECK_THAT(msg, Catch::Contains("neg.csv:3") && Catch::Contains("'precip_mm'") && Catch::Contains("possible range 0 .. 2000"));
  }
  SECTION("bad date") {
    const auto msg = error_of("date.csv", "date,precip_mm,evap_mm\n2019-02-29,0,1\n");
    CHECK_THAT(msg, Catch::Contains("date.csv:2") && Catch::Contains("'date'"));
  }
  SECTION("repeated day") {
    const auto msg = error_of("dup.csv", "date,precip_mm,evap_mm\n2020-01-01,0,1\n2020-01-01,0,1\n");
    CHECK_THAT(msg, Catch::Contains("dup.csv:3") && Catch::Contains("'date'"));
  }
  SECTION("missing Penman column") {
    const auto msg = error_of("cols.csv", "date,precip_mm,tmean_C\n2020-01-01,0,1\n");
    CHECK_THAT(msg, Catch::Contains("cols.csv") && Catch::Contains("'tmax_C'"));
  }
  SECTION("humidity out of range") {
    const auto msg = error_of("rh.csv", std::string(kPenmanHeader) + "2020-01-01,0,1,2,0,101,2,5\n");
    CHECK_THAT(msg, Catch::Contains("rh.csv:2") && Catch::Contains("'rh_pct'"));
  }
}

TEST_CASE("ice rule: moving mean of the previous days", "[forcing_csv]") {
  std::vector<double> t(40, 5.0);
  for (int i = 10; i < 25; ++i) t[i] = -3.0;
  const auto ice = forcing::ice_cover(t, {10, 0.0});
  CHECK(ice[10] == 0);  // window days 0-9 all +5
  // day i is ice when mean(t[i-10..i-1]) < 0: -3k + 5(10-k) < 0 for k >= 7 cold days in the window
  CHECK(ice[16] == 0);
  CHECK(ice[17] == 1);
  CHECK(ice[25] == 1);
  CHECK(ice[27] == 1);
  CHECK(ice[28] == 1);  // window 18..27: 7 cold days
  CHECK(ice[29] == 0);  // window 19..28: 6 cold days
  CHECK_THROWS_AS(forcing::ice_cover(t, {0, 0.0}), std::invalid_argument);
  // first day uses itself
  CHECK(forcing::ice_cover({-1.0, 5.0}, {10, 0.0})[0] == 1);
}

TEST_CASE("forcing_from_evaporation: ice zeroes evaporation, Oudin PET with temperatures", "[forcing_csv]") {
  std::vector<double> p(30, 0.0), e(30, 1.0), t(30, -10.0);
  const auto fc = forcing::forcing_from_evaporation(core::day_number({2020, 1, 1}), p, e, t, site(), {10, 0.0}, 0.0);
  CHECK(fc.ice[15] == 1);
  CHECK(fc.evap_fresh_m_per_s[15] == 0.0);
  CHECK(fc.pet_land_m_per_s[15] == 0.0);  // Oudin is 0 below -5 °C
  std::vector<double> bad = p;
  bad[3] = -1;
  CHECK_THROWS_AS(forcing::forcing_from_evaporation(0, bad, e, {}, site(), {}, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(forcing::forcing_from_evaporation(0, p, e, {}, site(), {}, 0.0), std::invalid_argument);
}

TEST_CASE("a text file is written whole or not at all", "[io]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("daihai_text_file_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path target = dir / "table.csv";
  daihai::io::write_text_file(target.string(), "a,b\n1,2\n");
  std::ifstream in(target);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "a,b\n1,2\n");
  CHECK_FALSE(fs::exists(target.string() + ".writing"));
  // A missing folder is made when the file is written.
  const fs::path nested = dir / "new_folder" / "table.csv";
  daihai::io::write_text_file(nested.string(), "x");
  CHECK(fs::exists(nested));
  // A place that cannot be written (under a regular file): an output failure (std::runtime_error,
  // not an input error), no file left.
  const fs::path bad = target / "no_folder" / "table.csv";
  CHECK_THROWS_AS(daihai::io::write_text_file(bad.string(), "x"), std::runtime_error);
  CHECK_THROWS_WITH(daihai::io::write_text_file(bad.string(), "x"), Catch::Matchers::Contains("table.csv"));
  CHECK_FALSE(fs::exists(bad));
  CHECK_FALSE(fs::exists(bad.string() + ".writing"));
  fs::remove_all(dir);
}
