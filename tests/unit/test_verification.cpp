// batch/verification.hpp against a hand-computed table: 2 scenarios x 3 members over 2028..2032.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sys/wait.h>

#include "analysis/verification.hpp"
#include "io/verification_file.hpp"
#include "core/errors.hpp"
#include "io/result_sink.hpp"
#include "io/targets.hpp"
#include "result_fixtures.hpp"

using namespace daihai;
using analysis::kNeverYear;

namespace {

const std::vector<int> kYears = {2028, 2029, 2030, 2031, 2032};

// Targets: a trend, two every_year (area, TDS), one in_year.
const char* kTargets = R"(plan_start = 2016
[[target]]
name = "no_shrinking"
quantity = "area_m2"
statistic = "trend"
operator = ">="
value = 0
unit = "km2/a"
from = 2028
to = 2032
source = "test"

[[target]]
name = "min_area"
quantity = "area_m2"
statistic = "every_year"
operator = ">="
value = 50
unit = "km2"
from = 2029
to = 2032
source = "test"

[[target]]
name = "area_2030"
quantity = "area_m2"
statistic = "in_year"
operator = ">="
value = 70
unit = "km2"
from = 2030
to = 2030
source = "test"

[[target]]
name = "fresh"
quantity = "tds_g_per_L"
statistic = "every_year"
operator = "<="
value = 10000
unit = "mg/L"
from = 2030
to = 2032
source = "test"
)";

using test::km2;
std::vector<double> flat(double x) { return std::vector<double>(5, x); }

// Run order mixes the scenarios and puts a failed run in the middle.
std::vector<scenario::RunResult> runs() {
  using test::make_run;
  return {
      make_run("baseline", 0, 0, kYears, km2({52, 51, 50, 49, 48}), flat(1219.5), {9.0, 9.5, 10.0, 10.5, 11.0}),
      make_run("yellow", 0, 0, kYears, km2({60, 65, 72, 75, 80}), flat(1221.0), flat(7.0)),
      make_run("baseline", 1, 0, kYears, km2({55, 56, 57, 58, 59}), flat(1220.1), {8.0, 8.2, 8.4, 8.6, 8.8}),
      test::make_failed("yellow", 3, 0, "diverged"),
      make_run("yellow", 1, 0, kYears, km2({58, 62, 69, 71, 73}), flat(1220.6), {7.5, 7.4, 7.3, 7.2, 7.1}),
      make_run("baseline", 2, 0, kYears, km2({45, 48, 52, 53, 51}), flat(1219.8), {11.0, 10.5, 9.8, 9.9, 10.0}),
      make_run("yellow", 2, 0, kYears, km2({61, 66, 70, 68, 69}), flat(1220.9), {10.5, 10.2, 10.1, 9.0, 8.0}),
  };
}

// The hand-computed table (see the comments for each number).
void check_hand_table(const analysis::VerificationTable& t) {
  REQUIRE(t.report_year == 2030);
  REQUIRE(t.targets.size() == 4);
  REQUIRE(t.rows.size() == 2);
  const auto& b = t.rows[0];
  const auto& y = t.rows[1];
  CHECK(b.scenario == "baseline");
  CHECK(y.scenario == "yellow");
  CHECK(b.runs == 3);
  CHECK(b.failed_runs == 0);
  CHECK(y.runs == 4);
  CHECK(y.failed_runs == 1);

  // Area 2030, baseline {50, 57, 52} km2 -> sorted 50 52 57; type 7: median 52,
  // p05 = 50 + 0.1 (52 - 50) = 50.2, p95 = 52 + 0.9 (57 - 52) = 56.5.
  REQUIRE(b.area_m2);
  CHECK(b.area_m2->median == Approx(52.0e6));
  CHECK(b.area_m2->p05 == Approx(50.2e6));
  CHECK(b.area_m2->p95 == Approx(56.5e6));
  // yellow {72, 69, 70} -> 69 70 72: median 70, p05 69.1, p95 70 + 0.9 * 2 = 71.8.
  CHECK(y.area_m2->median == Approx(70.0e6));
  CHECK(y.area_m2->p05 == Approx(69.1e6));
  CHECK(y.area_m2->p95 == Approx(71.8e6));
  // Level 2030: baseline 1219.5 1219.8 1220.1 -> 1219.8 [1219.53, 1220.07];
  // yellow 1220.6 1220.9 1221.0 -> 1220.9 [1220.63, 1220.99].
  CHECK(b.level_m->median == Approx(1219.8));
  CHECK(b.level_m->p05 == Approx(1219.53));
  CHECK(b.level_m->p95 == Approx(1220.07));
  CHECK(y.level_m->median == Approx(1220.9));
  CHECK(y.level_m->p05 == Approx(1220.63));
  CHECK(y.level_m->p95 == Approx(1220.99));
  // TDS 2030: baseline 8.4 9.8 10.0 -> 9.8 [8.54, 9.98]; yellow 7.0 7.3 10.1 -> 7.3 [7.03, 9.82].
  CHECK(b.tds_g_per_L->median == Approx(9.8));
  CHECK(b.tds_g_per_L->p05 == Approx(8.54));
  CHECK(b.tds_g_per_L->p95 == Approx(9.98));
  CHECK(y.tds_g_per_L->median == Approx(7.3));
  CHECK(y.tds_g_per_L->p05 == Approx(7.03));
  CHECK(y.tds_g_per_L->p95 == Approx(9.82));

  // no_shrinking (trend >= 0 over 2028..2032, x = -2..2, sum x^2 = 10):
  // baseline slopes -1, +1, 17/10 = 1.7 km2/a -> 2 of 3; yellow 5.0, 3.9, 1.8 -> 3 of 3.
  CHECK(*b.targets[0].probability == Approx(2.0 / 3.0));
  CHECK(*y.targets[0].probability == Approx(1.0));
  CHECK(b.targets[0].first_year_median == analysis::kNoFirstYear);

  // min_area (>= 50 km2 every year 2029..2032): baseline b0 fails 2031 (49), b1 holds, b2 fails
  // 2029 (48) -> 1/3. First years (sustained to 2032): b0 never (48 in 2032), b1 2028, b2 2030
  // -> sorted 2028 2030 never -> median 2030. yellow: all hold from 2028 -> 1, 2028.
  CHECK(*b.targets[1].probability == Approx(1.0 / 3.0));
  CHECK(b.targets[1].first_year_median == 2030);
  CHECK(*y.targets[1].probability == Approx(1.0));
  CHECK(y.targets[1].first_year_median == 2028);

  // area_2030 (>= 70 km2 in 2030): baseline 50 57 52 -> 0, first years all never -> never.
  // yellow 72 69 70 -> 2/3; first years y0 2030, y1 2031 (69 in 2030, 71 73 after), y2 never
  // (69 in 2032) -> median 2031.
  CHECK(*b.targets[2].probability == Approx(0.0));
  CHECK(b.targets[2].first_year_median == kNeverYear);
  CHECK(*y.targets[2].probability == Approx(2.0 / 3.0));
  CHECK(y.targets[2].first_year_median == 2031);

  // fresh (TDS <= 10 g/L every year 2030..2032): baseline b0 fails (10.5 in 2031), b1 holds,
  // b2 holds (9.8 9.9 10.0) -> 2/3; first years never, 2028, 2030 -> 2030.
  // yellow y0, y1 hold from 2028, y2 fails (10.1 in 2030) with first year 2031 -> 2/3, 2028.
  CHECK(*b.targets[3].probability == Approx(2.0 / 3.0));
  CHECK(b.targets[3].first_year_median == 2030);
  CHECK(*y.targets[3].probability == Approx(2.0 / 3.0));
  CHECK(y.targets[3].first_year_median == 2028);

  // All four targets in the same run: baseline b0 fails the trend, b1 and b2 area_2030 -> 0;
  // yellow y0 meets all four, y1 misses area_2030 (69), y2 misses fresh (10.1) -> 1/3, not the
  // product of the four probabilities (1 x 1 x 2/3 x 2/3 = 4/9): the targets are not independent.
  REQUIRE(b.all_targets_probability);
  CHECK(*b.all_targets_probability == Approx(0.0));
  CHECK(*y.all_targets_probability == Approx(1.0 / 3.0));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("verification: statistics by hand", "[verification]") {
  const std::vector<int> x = {2028, 2029, 2030, 2031, 2032};
  CHECK(analysis::least_squares_slope(x, std::vector<double>{45, 48, 52, 53, 51}) == Approx(1.7));
  CHECK(analysis::least_squares_slope(x, std::vector<double>{52, 51, 50, 49, 48}) == Approx(-1.0));
  CHECK_THROWS_AS(analysis::least_squares_slope(std::vector<int>{2020}, std::vector<double>{1.0}), analysis::VerificationError);

  CHECK(analysis::quantile_type7({3, 1, 2}, 0.5) == 2.0);
  CHECK(analysis::quantile_type7({1, 2, 3, 4}, 0.5) == 2.5);
  CHECK(analysis::quantile_type7({1, 2, 3, 4}, 0.05) == Approx(1.15));  // h = 0.15
  CHECK(analysis::quantile_type7({1, 2, 3, 4}, 0.95) == Approx(3.85));  // h = 2.85
  CHECK(analysis::quantile_type7({7}, 0.95) == 7.0);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(std::isinf(analysis::quantile_type7({2028, 2029, inf, inf}, 0.5)));
  CHECK(analysis::quantile_type7({2028, 2029, 2030, inf}, 0.5) == 2029.5);
  CHECK(analysis::quantile_type7({2028, inf, inf}, 0.0) == 2028.0);
  CHECK_THROWS_AS(analysis::quantile_type7({}, 0.5), std::invalid_argument);
}

TEST_CASE("verification: first year met is sustained and searched from first_year_from", "[verification]") {
  io::Target t;
  t.name = "t";
  t.quantity = "area_m2";
  t.statistic = io::Statistic::every_year;
  t.value = 50;
  t.from = 2029;
  t.to = 2030;
  t.first_year_from = 2016;
  const std::vector<int> years = {2027, 2028, 2029, 2030, 2031};
  // holds in 2027, fails in 2028, holds after: first year 2029, not 2027
  auto o = analysis::evaluate_target(t, years, std::vector<double>{60, 40, 55, 56, 57});
  CHECK(o.met);
  CHECK(o.statistic == 55.0);
  CHECK(*o.first_year == 2029);
  // first_year_from later than the start of the sustained stretch
  t.first_year_from = 2030;
  CHECK(*analysis::evaluate_target(t, years, std::vector<double>{60, 40, 55, 56, 57}).first_year == 2030);
  // met in the period but lost later: never
  t.first_year_from = 2016;
  o = analysis::evaluate_target(t, years, std::vector<double>{60, 60, 60, 60, 40});
  CHECK(o.met);
  CHECK_FALSE(o.first_year);
  // period outside the axis
  t.to = 2035;
  CHECK_THROWS_AS(analysis::evaluate_target(t, years, std::vector<double>(5, 60.0)), analysis::VerificationError);
}

TEST_CASE("verification: compute from runs matches the hand-computed table", "[verification]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  const auto table = analysis::compute_verification(analysis::VerificationInput::from_results(runs()), targets);
  check_hand_table(table);
}

TEST_CASE("verification: even member count, 'never' as +infinity in the median", "[verification]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  auto all = runs();
  // A fourth baseline member meeting min_area from 2028: first years never, 2028, 2030, 2028
  // -> sorted 2028 2028 2030 never -> type 7 median (2028 + 2030) / 2 = 2029.
  all.push_back(test::make_run("baseline", 3, 0, kYears, km2({60, 60, 60, 60, 60}), flat(1220.0), flat(5.0)));
  // A fourth yellow member that never meets area_2030: first years 2030 2031 never never -> never.
  all.push_back(test::make_run("yellow", 4, 0, kYears, km2({60, 60, 60, 60, 60}), flat(1220.0), flat(5.0)));
  const auto t = analysis::compute_verification(analysis::VerificationInput::from_results(all), targets);
  CHECK(t.rows[0].targets[1].first_year_median == 2029);
  CHECK(*t.rows[0].targets[1].probability == Approx(0.5));
  CHECK(t.rows[1].targets[2].first_year_median == kNeverYear);
  CHECK(*t.rows[1].targets[2].probability == Approx(0.5));
  // A half year is rounded up: first years 2028, 2029 -> 2028.5 -> 2029.
  std::vector<scenario::RunResult> two = {
      test::make_run("s", 0, 0, kYears, km2({60, 60, 60, 60, 60}), flat(1220.0), flat(5.0)),
      test::make_run("s", 1, 0, kYears, km2({40, 60, 60, 60, 60}), flat(1220.0), flat(5.0))};
  const auto t2 = analysis::compute_verification(analysis::VerificationInput::from_results(two), targets);
  CHECK(t2.rows[0].targets[1].first_year_median == 2029);
}

TEST_CASE("verification: written to /verification, read back, recomputed from the file", "[verification]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  const auto path = test::scratch_path("verification.h5");
  {
    io::ResultSink sink(path, io::BatchMetadata{});
    analysis::VerificationInput input;
    for (const auto& r : runs()) {
      sink.write(r);
      input.add(r);
    }
    const auto table = analysis::compute_verification(input, targets);
    io::write_verification(sink, table);
    sink.commit();
  }
  SECTION("read back") { check_hand_table(io::read_verification(path)); }
  SECTION("recomputed (daihai verify)") { check_hand_table(io::verify_file(path, targets)); }
  SECTION("file layout") {
    auto file = io::open_result_file(path);
    auto g = file.open_group("verification");
    CHECK(g.open_dataset("scenario").is_scale());
    CHECK(g.open_dataset("area_2030_first_year_median").read_int64() == std::vector<std::int64_t>{kNeverYear, 2031});
    CHECK(g.open_dataset("area_m2_median").string_attribute("units") == "m2");
    CHECK_FALSE(g.exists("no_shrinking_first_year_median"));
    CHECK(g.open_dataset("fresh_probability").double_attribute("value") == Approx(10.0));
    CHECK(g.open_dataset("fresh_probability").string_attribute("value_units") == "g/L");
  }
  SECTION("xarray opens /verification with a scenario dimension") {
    const std::string script = std::string(DAIHAI_SOURCE_DIR) + "/tests/data/check_netcdf_layout.py";
    const std::string log = test::scratch_path("verification_xarray.log");
    const int rc = std::system((std::string(DAIHAI_PYTHON) + " " + script + " " + path + " --verification > " + log +
                                " 2>&1").c_str());
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
      WARN("skipped: python3 lacks xarray: " << read_text(log));
    } else {
      INFO(read_text(log));
      CHECK(WEXITSTATUS(rc) == 0);
    }
  }
}

TEST_CASE("verification: table text and CSV", "[verification]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  const auto table = analysis::compute_verification(analysis::VerificationInput::from_results(runs()), targets);
  const auto text = analysis::format_table(table);
  INFO(text);
  CHECK(text.find("area 2030 km2") != std::string::npos);
  CHECK(text.find("52.0 [50.2, 56.5]") != std::string::npos);
  CHECK(text.find("1219.80 [1219.53, 1220.07]") != std::string::npos);
  CHECK(text.find("never") != std::string::npos);
  CHECK(text.find("0.33") != std::string::npos);
  // fixed width: every table line of the same length
  std::vector<std::string> lines;
  for (std::size_t pos = text.find("scenario"), end; pos != std::string::npos && pos < text.size(); pos = end + 1) {
    end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end - pos));
  }
  REQUIRE(lines.size() == 4);
  CHECK(lines[2].rfind("baseline", 0) == 0);

  const auto csv = test::scratch_path("verification.csv");
  io::write_csv(table, csv);
  const auto content = read_text(csv);
  CHECK(content.rfind("scenario,delta_t_C,delta_p_pct,runs,failed_runs,report_year,area_km2_median,area_km2_p05,area_km2_p95,",
                      0) == 0);
  CHECK(content.find("\nbaseline,0,0,3,0,2030,52,50.2,56.5,") != std::string::npos);
  CHECK(content.find(",never") != std::string::npos);
}

TEST_CASE("verification: errors", "[verification]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  SECTION("target period outside the run") {
    analysis::VerificationOptions options;
    options.report_year = 2040;
    CHECK(analysis::coverage_problems(kYears, targets, options).size() == 1);
    CHECK_THROWS_WITH(analysis::compute_verification(analysis::VerificationInput::from_results(runs()), targets, options),
                      Catch::Contains("report year 2040"));
    auto late = targets;
    late[1].to = 2033;
    CHECK_THROWS_AS(analysis::compute_verification(analysis::VerificationInput::from_results(runs()), late),
                    analysis::VerificationError);
    // A plan start after the last year could only give "never" for every first year.
    auto after = targets;
    after[0].first_year_from = 3000;
    const auto problems = analysis::coverage_problems(kYears, after);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("plan_start 3000"));
  }
  SECTION("a run without a needed variable") {
    auto all = runs();
    all[2].annual.pop_back();  // no tds
    CHECK_THROWS_WITH(analysis::compute_verification(analysis::VerificationInput::from_results(all), targets),
                      Catch::Contains("lacks the annual variable 'tds_g_per_L'"));
  }
  SECTION("files that are not results") {
    const auto plain = test::scratch_path("not_a_result.h5");
    { io::hdf5::File::create(plain).create_group("x"); }
    CHECK_THROWS_AS(io::verify_file(plain, targets), core::InputError);
    CHECK_THROWS_AS(io::read_verification(plain), core::InputError);
    const auto no_verification = test::scratch_path("no_verification.h5");
    {
      io::ResultSink sink(no_verification, io::BatchMetadata{});
      sink.write_all(runs());
      sink.commit();
    }
    CHECK_THROWS_WITH(io::read_verification(no_verification), Catch::Contains("/verification"));
  }
  SECTION("only failed runs: rows with n/a") {
    const auto t = analysis::compute_verification(
        analysis::VerificationInput::from_results({test::make_failed("s", 0, 0, "x")}), targets);
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].failed_runs == 1);
    CHECK_FALSE(t.rows[0].area_m2);
    CHECK_FALSE(t.rows[0].targets[0].probability);
    CHECK(analysis::format_table(t).find("n/a") != std::string::npos);
  }
}

TEST_CASE("verification: a lake larger after the plan starts than before it says which water makes it so", "[verification]") {
  // Years 2014..2020, plan start 2016. "yellow" members grow beyond their largest pre-plan area
  // (the median of 100, 98 km2 before 2016 is 100 km2 in 2014) from 2019 on, with a diversion of
  // 3e7 m3/a in member 0 and 1e7 in member 1 (mean 2e7) and external groundwater of 5e6 m3/a;
  // "baseline" shrinks. A scenario inflow that is zero is not named.
  const std::vector<int> years = {2014, 2015, 2016, 2017, 2018, 2019, 2020};
  const auto targets = io::parse_targets(
      "plan_start = 2016\n[[target]]\nname = \"a\"\nquantity = \"area_m2\"\nstatistic = \"every_year\"\noperator = \">=\"\nvalue = 50\n"
      "unit = \"km2\"\nfrom = 2016\nto = 2020\nsource = \"test\"\n",
      "t.toml");
  auto with_imports = [&](scenario::RunResult r, double diversion) {
    r.annual.push_back({"diversion_yellow_river_m3", "m3", "diversion", scenario::Aggregation::total, std::vector<double>(7, diversion), "lake_water"});
    r.annual.push_back({"external_groundwater_inflow_m3", "m3", "external", scenario::Aggregation::total, std::vector<double>(7, 5e6), "lake_water"});
    r.annual.push_back({"scenario_inflow_m3", "m3", "inflow", scenario::Aggregation::total, std::vector<double>(7, 0.0), "lake_water"});
    r.annual.push_back({"lake_evaporation_m3", "m3", "evaporation", scenario::Aggregation::total, std::vector<double>(7, -5e7), "lake_water"});
    return r;
  };
  const auto flat7 = [](double x) { return std::vector<double>(7, x); };
  std::vector<scenario::RunResult> rs = {
      with_imports(test::make_run("yellow", 0, 0, years, test::km2({100, 98, 95, 97, 99, 104, 110}), flat7(1220), flat7(5)), 3e7),
      with_imports(test::make_run("yellow", 1, 0, years, test::km2({100, 98, 96, 98, 100, 102, 106}), flat7(1220), flat7(5)), 1e7),
      with_imports(test::make_run("baseline", 0, 0, years, test::km2({100, 98, 95, 92, 90, 88, 85}), flat7(1220), flat7(5)), 0.0),
      with_imports(test::make_run("baseline", 1, 0, years, test::km2({100, 98, 96, 93, 91, 89, 86}), flat7(1220), flat7(5)), 0.0),
  };
  analysis::VerificationOptions options;
  options.report_year = 2020;
  const auto table = analysis::compute_verification(analysis::VerificationInput::from_results(rs), targets, options);
  REQUIRE(table.rows.size() == 2);
  const auto& yellow = table.rows[0];
  INFO(yellow.note);
  // medians: 2019 (104 + 102) / 2 = 103, 2020 108 > 100 (2014); 2018 (99 + 100) / 2 = 99.5 < 100
  CHECK(yellow.note.find("larger than before 2016 (largest 100.0 km2 in 2014) in 2019..2020, up to 108.0 km2 in 2020") != std::string::npos);
  CHECK(yellow.note.find("diversion_yellow_river 2e+07 m3/a, external_groundwater_inflow 5e+06 m3/a") != std::string::npos);
  CHECK(yellow.note.find("scenario_inflow") == std::string::npos);
  CHECK(yellow.note.find("lake_evaporation") == std::string::npos);
  CHECK(table.rows[1].note.empty());
  const auto text = analysis::format_table(table);
  CHECK(text.find("Notes (lakes larger after the plan starts") != std::string::npos);
  // The note is stored with the table and read back, and recomputed from the file alike.
  const auto path = test::scratch_path("verification_note.h5");
  {
    io::ResultSink sink(path, io::BatchMetadata{});
    for (const auto& r : rs) sink.write(r);
    io::write_verification(sink, table);
    sink.commit();
  }
  CHECK(io::read_verification(path).rows[0].note == yellow.note);
  CHECK(io::verify_file(path, targets, options).rows[0].note == yellow.note);
}

TEST_CASE("a spread with negative bounds prints them as such", "[verification][format]") {
  analysis::VerificationTable t;
  analysis::ScenarioRow row;
  row.scenario = "s";
  row.runs = 1;
  row.level_m = analysis::Spread{-421.93, -421.96, -421.90};
  t.rows.push_back(row);
  const std::string text = analysis::format_table(t);
  INFO(text);
  CHECK(text.find("-421.93 [-421.96, -421.90]") != std::string::npos);
}
