// batch/validation.hpp against a hand-computed table: a results file written by io::ResultSink
// with 3 successful members (and a failed one) of the every-measure-on scenario, among others.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "analysis/validation.hpp"
#include "io/validation_file.hpp"
#include "core/errors.hpp"
#include "io/hdf5.hpp"
#include "io/observations_file.hpp"
#include "io/result_sink.hpp"
#include "result_fixtures.hpp"

using namespace daihai;

namespace {

const std::vector<int> kYears = {2000, 2001, 2002, 2003, 2004, 2005};

struct Member {
  double level_slope;  // level = 1220 + slope (y - 2000) [m]
  double area_km2;     // constant
  double volume_slope; // volume = 1e9 + slope (y - 2000) [m3]
  double tds;          // constant [g/L]
  double gw;           // constant net groundwater into the lake [m3/a]
};

scenario::RunResult run(const std::string& name, bool a, bool b, int climate, const Member& m, bool with_volume = true) {
  std::vector<double> level, area, volume, tds, gw;
  for (const int y : kYears) {
    const double x = y - 2000;
    level.push_back(1220.0 + m.level_slope * x);
    area.push_back(m.area_km2 * 1e6);
    volume.push_back(1e9 + m.volume_slope * x);
    tds.push_back(m.tds);
    gw.push_back(m.gw);
  }
  auto r = test::make_run(name, climate, 0, kYears, area, level, tds);
  r.measures = {{"cooling_retrofit", a}, {"yellow_river", b}};
  if (with_volume) r.annual.push_back({"volume_m3", "m3", "lake volume", scenario::Aggregation::mean, volume, ""});
  r.annual.push_back({"groundwater_inflow_m3", "m3", "gross groundwater inflow into the lake",
                      scenario::Aggregation::total, gw, "lake_water"});
  return r;
}

scenario::RunResult failed(const std::string& name, bool a, bool b, int climate) {
  auto r = test::make_failed(name, climate, 0, "diverged");
  r.measures = {{"cooling_retrofit", a}, {"yellow_river", b}};
  return r;
}

// The observations of the hand table (lines 3..8 of "val_obs.csv").
const char* kObservations =
    "# hand table\n"
    "kind,value,unit,start,end,source,confidence,tolerance,note\n"
    "level_trend,-0.2,m/a,2000,2005,T1,H,0.05,\n"
    "area,90,km2,2000,2001,T2,M,5,\n"
    "volume_change,3e7,m3,2001,2004,T3,H,1e7,\n"
    "tds,3.0,g/L,2002,2003,T4,L,0.5,\n"
    "groundwater_discharge,1e7,m3/a,2004,2005,T5,H,2e6,\n"
    "depth_mean,10,m,2000,2000,T6,H,1,\n";

// Members of "all_on": level slopes -0.1 -0.2 -0.4; areas 100 110 80 km2; volume slopes
// 1e7 2e7 0; TDS 3 4 2; groundwater 5e6 1.5e7 2e7. Other scenarios have absurd values.
std::vector<scenario::RunResult> runs() {
  const Member junk{5.0, 1.0, 1e9, 100.0, -1e9};
  return {
      run("none", false, false, 0, junk),
      run("all_on", true, true, 0, {-0.1, 100.0, 1e7, 3.0, 5e6}),
      run("partial", true, false, 0, {0.0, 50.0, 0.0, 1.0, 0.0}),
      failed("all_on", true, true, 3),
      run("all_on", true, true, 1, {-0.2, 110.0, 2e7, 4.0, 1.5e7}),
      run("none", false, false, 1, junk),
      run("all_on", true, true, 2, {-0.4, 80.0, 0.0, 2.0, 2e7}),
  };
}

std::string write_file(const std::string& name, const std::vector<scenario::RunResult>& rs) {
  const auto path = test::scratch_path(name);
  io::ResultSink sink(path, io::BatchMetadata{});
  sink.write_all(rs);
  sink.commit();
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void check_spread(const analysis::ValidationRow& r, double median, double p05, double p95) {
  INFO(r.observation.describe());
  REQUIRE(r.simulated);
  CHECK(r.simulated->median == Approx(median).margin(1e-9));
  CHECK(r.simulated->p05 == Approx(p05).margin(1e-9));
  CHECK(r.simulated->p95 == Approx(p95).margin(1e-9));
}

}  // namespace

TEST_CASE("validation: a results file against the hand-computed table", "[validation]") {
  const auto path = write_file("validation.h5", runs());
  const auto observations = io::parse_observations(kObservations, "val_obs.csv");
  const auto t = io::validate_file(path, observations);
  // default scenario: the one with every measure on; 4 runs, 1 failed (excluded)
  CHECK(t.scenario == "all_on");
  CHECK(t.default_scenario);
  CHECK(t.file == path);
  CHECK(t.runs == 4);
  CHECK(t.failed_runs == 1);
  REQUIRE(t.rows.size() == 6);
  for (const auto& r : t.rows) {
    CHECK(r.members_used == 3);
    CHECK(r.members_without_value == 0);
    CHECK(r.years_skipped == 0);
  }
  // level_trend: slopes -0.1 -0.2 -0.4 -> sorted -0.4 -0.2 -0.1; type 7 median -0.2,
  // p05 = -0.4 + 0.1 (0.2) = -0.38, p95 = -0.2 + 0.9 (0.1) = -0.11; error 0 -> within
  check_spread(t.rows[0], -0.2, -0.38, -0.11);
  CHECK(t.rows[0].error == Approx(0.0).margin(1e-9));
  CHECK(t.rows[0].within_tolerance);
  CHECK(t.rows[0].member_values.size() == 3);
  // area 2000..2001: 100 110 80 km2 -> 80 100 110: median 100, p05 82, p95 109; error +10 > 5
  check_spread(t.rows[1], 100e6, 82e6, 109e6);
  CHECK(t.rows[1].error == Approx(10e6));
  CHECK_FALSE(t.rows[1].within_tolerance);
  // volume_change 2001..2004 = 3 slope: 3e7 6e7 0 -> median 3e7, p05 3e6, p95 3e7 + 0.9 3e7
  check_spread(t.rows[2], 3e7, 3e6, 5.7e7);
  CHECK(t.rows[2].within_tolerance);
  // tds: 3 4 2 -> median 3, p05 2.1, p95 3.9; within
  check_spread(t.rows[3], 3.0, 2.1, 3.9);
  CHECK(t.rows[3].within_tolerance);
  // groundwater: 5e6 1.5e7 2e7 -> median 1.5e7, p05 6e6, p95 1.95e7; error 5e6 > 2e6
  check_spread(t.rows[4], 1.5e7, 6e6, 1.95e7);
  CHECK(t.rows[4].error == Approx(5e6));
  CHECK_FALSE(t.rows[4].within_tolerance);
  // depth_mean 2000: 1e9 / (100 110 80)e6 = 10, 9.0909, 12.5 -> median 10,
  // p05 = 9.0909 + 0.1 (0.9091) = 9.1818, p95 = 10 + 0.9 (2.5) = 12.25; within
  check_spread(t.rows[5], 10.0, 1e9 / 110e6 + 0.1 * (10.0 - 1e9 / 110e6), 12.25);
  CHECK(t.rows[5].within_tolerance);
  // within: rows 0, 2, 3, 5 -> 4 of 6; H rows 0, 2, 4, 5 -> 3 of 4
  CHECK(t.within() == 4);
  CHECK(t.high_rows() == 4);
  CHECK(t.within_high() == 3);

  SECTION("a named scenario") {
    const auto p = io::validate_file(path, observations, std::string("partial"));
    CHECK(p.scenario == "partial");
    CHECK_FALSE(p.default_scenario);
    CHECK(p.runs == 1);
    CHECK(p.failed_runs == 0);
    CHECK(p.rows[0].simulated->median == Approx(0.0).margin(1e-12));
    CHECK(p.rows[1].simulated->median == Approx(50e6));
    CHECK(p.rows[1].simulated->p05 == Approx(50e6));
  }
  SECTION("text and CSV") {
    const auto text = analysis::format_validation(t);
    INFO(text);
    CHECK(text.find("scenario 'all_on' (every measure on); 4 runs, 1 failed") != std::string::npos);
    CHECK(text.find("4 of 6 within tolerance; H rows: 3 of 4 within tolerance\n") != std::string::npos);
    // in the file's units: area in km2
    CHECK(text.find("100.0 [82.0 .. 109.0]") != std::string::npos);
    CHECK(text.find("-0.200 [-0.380 .. -0.110]") != std::string::npos);
    // fixed width: the header, the rule and the rows have the same length before trimming
    const auto header = text.find("kind");
    const auto rule = text.find('\n', header) + 1;
    CHECK(text.substr(rule, text.find('\n', rule) - rule).find_first_not_of('-') == std::string::npos);
    const auto csv = test::scratch_path("validation.csv");
    io::write_validation_csv(t, csv);
    const auto content = read_text(csv);
    CHECK(content.rfind("scenario,kind,start,end,source,confidence,unit,observed,tolerance,", 0) == 0);
    CHECK(content.find("\nall_on,area,2000,2001,T2,M,km2,90,5,yes,100,82,109,10,no,3,0,0,val_obs.csv,4,\n") !=
          std::string::npos);
    // A place no folder can be made: under a regular file.
    CHECK_THROWS_AS(io::write_validation_csv(t, csv + "/dir/v.csv"), std::runtime_error);
  }
}

TEST_CASE("validation: runs under a climate delta are not compared with the observations", "[validation]") {
  const auto observations = io::parse_observations(kObservations, "val_obs.csv");
  // The hand table's runs plus an "all_on" member under +1.5 degC with absurd values: the table
  // is unchanged (4 runs, level_trend median -0.2 [-0.38, -0.11]).
  auto all = runs();
  auto warm = run("all_on", true, true, 7, {5.0, 1.0, 1e9, 100.0, -1e9});
  warm.delta_t_C = 1.5;
  all.push_back(warm);
  const auto t = io::validate_file(write_file("validation_delta.h5", all), observations);
  CHECK(t.runs == 4);
  check_spread(t.rows[0], -0.2, -0.38, -0.11);
  // Only delta runs: an input error naming the scenario.
  warm.delta_t_C = 0.0;
  warm.delta_p_pct = -5.0;
  const auto only = write_file("validation_only_delta.h5", {warm});
  CHECK_THROWS_AS(io::validate_file(only, observations), core::InputError);
  CHECK_THROWS_WITH(io::validate_file(only, observations), Catch::Contains("climate delta") && Catch::Contains("all_on"));
}

TEST_CASE("validation: in memory with gaps and members without a value", "[validation]") {
  using analysis::AnnualSeries;
  const auto observations = io::parse_observations(kObservations, "val_obs.csv");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto series = [&](double tds2002, double tds2003) {
    AnnualSeries s;
    s.years = kYears;
    s.level_m = {1220.0, 1219.8, 1219.6, 1219.4, 1219.2, 1219.0};
    s.area_m2.assign(6, 100e6);
    s.volume_m3.assign(6, 1e9);
    s.tds_g_per_L = {3, 3, tds2002, tds2003, 3, 3};
    s.groundwater_inflow_m3.assign(6, 1e7);
    return s;
  };
  // member 0: TDS 2002 missing (skipped, counted); member 1: no TDS in 2002..2003 (no value);
  // member 2: complete
  const auto t = analysis::compute_validation({series(nan, 2.8), series(nan, nan), series(3.2, 3.4)}, observations);
  const auto& tds = t.rows[3];
  CHECK(tds.members_used == 2);
  CHECK(tds.members_without_value == 1);
  CHECK(tds.years_skipped == 1);
  // 2.8 and 3.3 -> median 3.05
  CHECK(tds.simulated->median == Approx(3.05));
  CHECK(tds.within_tolerance);
  CHECK(t.rows[0].members_used == 3);
  CHECK(t.rows[0].simulated->median == Approx(-0.2));
  // every member without a value: n/a, not within, no NaN
  const auto none = analysis::compute_validation({series(nan, nan)}, observations);
  CHECK_FALSE(none.rows[3].simulated);
  CHECK_FALSE(none.rows[3].within_tolerance);
  CHECK(none.rows[3].error == 0.0);
  CHECK(analysis::format_validation(none).find("n/a") != std::string::npos);
}

TEST_CASE("validation: files and scenarios that do not fit fail with InputError", "[validation]") {
  const auto observations = io::parse_observations(kObservations, "val_obs.csv");
  SECTION("a text file") {
    const auto text = test::scratch_path("validation_text.h5");
    { std::ofstream(text) << "not hdf5\n"; }
    CHECK_THROWS_AS(io::validate_file(text, observations), core::InputError);
    CHECK_THROWS_WITH(io::validate_file(text, observations), Catch::Contains(text));
  }
  SECTION("an HDF5 file that is not a daihai result") {
    const auto plain = test::scratch_path("validation_plain.h5");
    { io::hdf5::File::create(plain).create_group("annual"); }
    CHECK_THROWS_AS(io::validate_file(plain, observations), core::InputError);
    CHECK_THROWS_WITH(io::validate_file(plain, observations), Catch::Contains("not a daihai result"));
  }
  SECTION("a missing file") {
    CHECK_THROWS_AS(io::validate_file(test::scratch_path("validation_missing.h5"), observations), core::InputError);
  }
  const auto path = write_file("validation_errors.h5", runs());
  SECTION("a scenario the file lacks: the message lists the scenarios") {
    try {
      io::validate_file(path, observations, std::string("yellow_only"));
      FAIL("no error");
    } catch (const core::InputError& e) {
      const std::string m = e.what();
      CHECK(e.file() == path);
      CHECK(m.find("'yellow_only'") != std::string::npos);
      CHECK(m.find("'none', 'all_on', 'partial'") != std::string::npos);
    }
  }
  SECTION("no scenario with every measure on") {
    auto rs = runs();
    std::erase_if(rs, [](const auto& r) { return r.scenario == "all_on"; });
    // A measure no run turns on does not count: 'partial' then has every measure of the file on.
    CHECK(io::validate_file(write_file("validation_partial_is_all.h5", rs), observations).scenario == "partial");
    rs.push_back(run("yellow_only", false, true, 0, {5.0, 1.0, 1e9, 100.0, -1e9}));
    const auto p = write_file("validation_no_all_on.h5", rs);
    CHECK_THROWS_AS(io::validate_file(p, observations), core::InputError);
    CHECK_THROWS_WITH(io::validate_file(p, observations),
                      Catch::Contains("no scenario has every measure on") && Catch::Contains("'none', 'partial', 'yellow_only'") &&
                          Catch::Contains("'cooling_retrofit', 'yellow_river'"));
    // naming one still works
    CHECK(io::validate_file(p, observations, std::string("none")).runs == 2);
  }
  SECTION("a variable an observation needs is missing from /annual") {
    std::vector<scenario::RunResult> rs = {run("all_on", true, true, 0, {-0.1, 100.0, 1e7, 3.0, 5e6}, false)};
    const auto p = write_file("validation_no_volume.h5", rs);
    CHECK_THROWS_AS(io::validate_file(p, observations), core::InputError);
    CHECK_THROWS_WITH(io::validate_file(p, observations), Catch::Contains("/annual/volume_m3") && Catch::Contains(p));
    // observations that do not need it are fine
    const auto level_only = io::parse_observations("kind,value,unit,start,end,source,confidence\n"
                                                   "level,1220,m,2000,2005,T,H\n",
                                                   "l.csv");
    CHECK(io::validate_file(p, level_only).rows.at(0).simulated->median == Approx(1220.0 - 0.1 * 2.5));
  }
  SECTION("an observation period outside the file's years names the observation") {
    const auto late = io::parse_observations("kind,value,unit,start,end,source,confidence\n"
                                             "area,100,km2,2000,2001,T,H\n"
                                             "area,100,km2,2004,2006,T,H\n",
                                             "late.csv");
    try {
      io::validate_file(path, late);
      FAIL("no error");
    } catch (const core::InputError& e) {
      CHECK(e.file() == "late.csv");
      CHECK(e.line() == 3);
      CHECK(std::string(e.what()).find("2006") != std::string::npos);
    }
  }
}

TEST_CASE("validation: the Daihai observation table on a plan-shaped file", "[validation]") {
  // 1955..2050 axis, one all-on member whose values are constant: every Daihai row computes.
  std::vector<int> years;
  for (int y = 1955; y <= 2050; ++y) years.push_back(y);
  const std::size_t n = years.size();
  auto r = test::make_run("all", 0, 0, years, std::vector<double>(n, 120e6), std::vector<double>(n, 1222.0),
                          std::vector<double>(n, 3.0));
  r.measures = {{"m", true}};
  r.annual.push_back({"volume_m3", "m3", "lake volume", scenario::Aggregation::mean, std::vector<double>(n, 9e8), ""});
  r.annual.push_back({"groundwater_inflow_m3", "m3", "gross groundwater inflow into the lake",
                      scenario::Aggregation::total, std::vector<double>(n, 1.5e7), "lake_water"});
  const auto path = write_file("validation_daihai.h5", {r});
  const auto obs = io::load_observations(std::string(DAIHAI_SOURCE_DIR) + "/tests/data/observations_daihai.csv");
  const auto t = io::validate_file(path, obs);
  REQUIRE(t.rows.size() == obs.size());
  for (const auto& row : t.rows) REQUIRE(row.simulated);
  CHECK(t.rows[0].simulated->median == 0.0);                          // level_change
  CHECK(t.rows[11].simulated->median == Approx(9e8 / 120e6));           // depth_mean 7.5 m
  CHECK(t.rows[11].within_tolerance);                                  // |7.5 - 7| <= 1.5
  CHECK(t.rows[14].within_tolerance);                                  // 1.5e7 vs 1.47e7
  const auto text = analysis::format_validation(t);
  CHECK(text.find(" of 15 within tolerance; H rows: ") != std::string::npos);
}
