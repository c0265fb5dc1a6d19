// Verification over ensembles: scenarios grouped by measure combination and climate delta, type 7
// quantiles of every year, the probability of meeting a target by each year, the deltas in
// /runs and /verification — all against values computed by hand in the comments.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "analysis/verification.hpp"
#include "io/verification_file.hpp"
#include "io/result_sink.hpp"
#include "io/targets.hpp"
#include "result_fixtures.hpp"

using namespace daihai;

namespace {

const std::vector<int> kYears = {2029, 2030, 2031};

const char* kTargets = R"(plan_start = 2016
[[target]]
name = "area_70"
quantity = "area_m2"
statistic = "in_year"
operator = ">="
value = 70
unit = "km2"
from = 2030
to = 2030
source = "test"

[[target]]
name = "growing"
quantity = "area_m2"
statistic = "trend"
operator = ">="
value = 0
unit = "km2/a"
from = 2029
to = 2031
source = "test"
)";

using test::km2;
std::vector<double> flat(double x) { return std::vector<double>(3, x); }

scenario::RunResult with_delta(scenario::RunResult r, double dt, double dp) {
  r.delta_t_C = dt;
  r.delta_p_pct = dp;
  return r;
}

// Group A: "yellow" at delta (0, 0), five members. Group B: "yellow" at (+1.5 degC, -5 %), two
// successful members and a failed one. Group C: "baseline" at (0, 0), one member. Runs of the
// groups are interleaved (first appearance: A, C, B).
std::vector<scenario::RunResult> ensemble() {
  using test::make_run;
  return {
      make_run("yellow", 0, 0, kYears, km2({60, 70, 75}), flat(1220.0), flat(8.0)),
      make_run("baseline", 0, 0, kYears, km2({50, 49, 48}), flat(1219.0), flat(12.0)),
      with_delta(make_run("yellow", 0, 0, kYears, km2({50, 52, 54}), flat(1219.5), flat(11.0)), 1.5, -5.0),
      make_run("yellow", 1, 0, kYears, km2({62, 66, 71}), flat(1220.1), flat(9.0)),
      with_delta(make_run("yellow", 1, 0, kYears, km2({60, 71, 72}), flat(1220.5), flat(9.5)), 1.5, -5.0),
      make_run("yellow", 2, 0, kYears, km2({58, 72, 69}), flat(1220.2), flat(10.0)),
      with_delta(test::make_failed("yellow", 2, 0, "diverged"), 1.5, -5.0),
      make_run("yellow", 3, 0, kYears, km2({65, 68, 74}), flat(1220.3), flat(11.0)),
      make_run("yellow", 4, 0, kYears, km2({55, 64, 80}), flat(1220.4), flat(12.0)),
  };
}

// [q * years + y]
double at(const std::vector<double>& v, std::size_t q, std::size_t y) { return v.at(q * kYears.size() + y); }

void check_hand_values(const analysis::VerificationTable& t) {
  REQUIRE(t.years == kYears);
  REQUIRE(t.rows.size() == 3);
  const auto& a = t.rows[0];
  const auto& c = t.rows[1];
  const auto& b = t.rows[2];
  // Grouping: same measure combination, different delta -> different scenarios.
  CHECK(a.scenario == "yellow");
  CHECK(a.delta_t_C == 0.0);
  CHECK(a.delta_p_pct == 0.0);
  CHECK(a.runs == 5);
  CHECK(c.scenario == "baseline");
  CHECK(c.runs == 1);
  CHECK(b.scenario == "yellow");
  CHECK(b.delta_t_C == 1.5);
  CHECK(b.delta_p_pct == -5.0);
  CHECK(b.runs == 3);
  CHECK(b.failed_runs == 1);

  // Group A, area, n = 5, type 7: h = 4 p; p = 0.05, 0.25, 0.5, 0.75, 0.95 -> h = 0.2, 1, 2, 3, 3.8.
  // 2029: 55 58 60 62 65 -> 55 + 0.2 * 3 = 55.6, 58, 60, 62, 62 + 0.8 * 3 = 64.4
  // 2030: 64 66 68 70 72 -> 64.4, 66, 68, 70, 71.6
  // 2031: 69 71 74 75 80 -> 69.4, 71, 74, 75, 75 + 0.8 * 5 = 79
  const double area[3][5] = {{55.6, 58, 60, 62, 64.4}, {64.4, 66, 68, 70, 71.6}, {69.4, 71, 74, 75, 79}};
  REQUIRE(a.area_m2_by_year.size() == 15);
  for (std::size_t y = 0; y < 3; ++y)
    for (std::size_t q = 0; q < 5; ++q) {
      INFO("year " << kYears[y] << " quantile " << analysis::kQuantileProbabilities[q]);
      CHECK(at(a.area_m2_by_year, q, y) == Approx(area[y][q] * 1e6));
    }
  // Level 1220.0 .. 1220.4 each year: 1220.02, 1220.1, 1220.2, 1220.3, 1220.38.
  // TDS 8 9 10 11 12: 8.2, 9, 10, 11, 11.8.
  const double level[5] = {1220.02, 1220.1, 1220.2, 1220.3, 1220.38}, tds[5] = {8.2, 9, 10, 11, 11.8};
  for (std::size_t y = 0; y < 3; ++y)
    for (std::size_t q = 0; q < 5; ++q) {
      CHECK(at(a.level_m_by_year, q, y) == Approx(level[q]));
      CHECK(at(a.tds_g_per_L_by_year, q, y) == Approx(tds[q]));
    }
  // The report-year columns are the same quantiles of 2030.
  CHECK(a.area_m2->median == Approx(68e6));
  CHECK(a.area_m2->p05 == Approx(64.4e6));
  CHECK(a.area_m2->p95 == Approx(71.6e6));

  // area_70 (>= 70 km2 in 2030), group A: met by members 0 (70) and 2 (72) -> 2/5.
  // First years (>= 70 from then to 2031): m0 2030, m1 2031, m2 never (69 in 2031), m3 2031,
  // m4 2031 -> median of 2030 2031 2031 2031 inf = 2031.
  // Met by 2029: 0/5; by 2030: 1/5 (m0); by 2031: 4/5.
  CHECK(*a.targets[0].probability == Approx(0.4));
  CHECK(a.targets[0].first_year_median == 2031);
  REQUIRE(a.targets[0].met_by_year.size() == 3);
  CHECK(a.targets[0].met_by_year[0] == Approx(0.0));
  CHECK(a.targets[0].met_by_year[1] == Approx(0.2));
  CHECK(a.targets[0].met_by_year[2] == Approx(0.8));
  // growing (trend over 2029..2031 >= 0): slopes 7.5, 4.5, 5.5, 4.5, 12.5 km2/a -> 1; no first year.
  CHECK(*a.targets[1].probability == Approx(1.0));
  CHECK(a.targets[1].met_by_year.empty());

  // Group B (failed run excluded), n = 2, h = p: 2030 values 52, 71 -> p05 52 + 0.05 * 19 = 52.95,
  // p25 56.75, median 61.5, p75 66.25, p95 70.05.
  const double b2030[5] = {52.95, 56.75, 61.5, 66.25, 70.05};
  for (std::size_t q = 0; q < 5; ++q) CHECK(at(b.area_m2_by_year, q, 1) == Approx(b2030[q] * 1e6));
  // area_70: b0 never meets it, b1 from 2030 -> P 1/2, met by 2029 0, 2030 1/2, 2031 1/2;
  // median first year of 2030 and never -> never.
  CHECK(*b.targets[0].probability == Approx(0.5));
  CHECK(b.targets[0].first_year_median == analysis::kNeverYear);
  CHECK(b.targets[0].met_by_year == std::vector<double>{0.0, 0.5, 0.5});
  // growing: b0 +2, b1 +6 km2/a -> 1.
  CHECK(*b.targets[1].probability == Approx(1.0));

  // Group C, one member: every quantile is its value; area_70 never met.
  CHECK(at(c.area_m2_by_year, 0, 2) == Approx(48e6));
  CHECK(at(c.area_m2_by_year, 4, 2) == Approx(48e6));
  CHECK(c.targets[0].met_by_year == std::vector<double>{0.0, 0.0, 0.0});
  CHECK(*c.targets[1].probability == Approx(0.0));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("ensemble verification: per-year quantiles and probabilities by hand", "[verification][ensemble]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  check_hand_values(analysis::compute_verification(analysis::VerificationInput::from_results(ensemble()), targets));
}

TEST_CASE("ensemble verification: deltas in /runs and per-year statistics in /verification", "[verification][ensemble]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  const auto path = test::scratch_path("verification_ensemble.h5");
  {
    io::ResultSink sink(path, io::BatchMetadata{});
    analysis::VerificationInput input;
    for (const auto& r : ensemble()) {
      sink.write(r);
      input.add(r);
    }
    io::write_verification(sink, analysis::compute_verification(input, targets));
    sink.commit();
  }
  SECTION("/runs records each run's deltas, failed runs included") {
    auto file = io::open_result_file(path);
    auto runs = file.open_group("runs");
    CHECK(runs.open_dataset("delta_t_C").read_double() == std::vector<double>{0, 0, 1.5, 0, 1.5, 0, 1.5, 0, 0});
    CHECK(runs.open_dataset("delta_p_pct").read_double() == std::vector<double>{0, 0, -5, 0, -5, 0, -5, 0, 0});
    CHECK(runs.open_dataset("delta_t_C").string_attribute("units") == "K");
    CHECK(runs.open_dataset("delta_p_pct").string_attribute("units") == "percent");
  }
  SECTION("/verification layout") {
    auto file = io::open_result_file(path);
    auto g = file.open_group("verification");
    CHECK(g.open_dataset("delta_t_C").read_double() == std::vector<double>{0, 0, 1.5});
    CHECK(g.open_dataset("scenario").read_strings() == std::vector<std::string>{"yellow", "baseline", "yellow"});
    auto b = g.open_group("by_year");
    CHECK(b.open_dataset("year").read_int64() == std::vector<std::int64_t>{2029, 2030, 2031});
    CHECK(b.open_dataset("quantile").read_double() == std::vector<double>{0.05, 0.25, 0.5, 0.75, 0.95});
    const auto area = b.open_dataset("area_m2");
    CHECK(area.dims() == std::vector<io::hdf5::Size>{3, 5, 3});
    CHECK(area.string_attribute("units") == "m2");
    // [scenario 0, quantile 4 (95 %), year 2031] = 79 km2
    CHECK(area.read_double()[0 * 15 + 4 * 3 + 2] == Approx(79e6));
    CHECK(b.open_dataset("area_70_met_by_year").read_double() ==
          std::vector<double>{0.0, 0.2, 0.8, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5});
    CHECK_FALSE(b.exists("growing_met_by_year"));
  }
  SECTION("read back") { check_hand_values(io::read_verification(path)); }
  SECTION("recomputed from /runs and /annual") { check_hand_values(io::verify_file(path, targets)); }
}

TEST_CASE("ensemble verification: table with deltas and per-year text and CSV", "[verification][ensemble]") {
  const auto targets = io::parse_targets(kTargets, "test_targets.toml");
  const auto table = analysis::compute_verification(analysis::VerificationInput::from_results(ensemble()), targets);
  const auto text = analysis::format_table(table);
  INFO(text);
  CHECK(text.find("dT C") != std::string::npos);
  CHECK(text.find("+1.5") != std::string::npos);
  CHECK(text.find("-5") != std::string::npos);

  const auto by_year = analysis::format_by_year(table, {2031});
  INFO(by_year);
  CHECK(by_year.find("69.4 71.0 74.0 75.0 79.0") != std::string::npos);
  CHECK(by_year.find("0.80") != std::string::npos);
  CHECK_THROWS_AS(analysis::format_by_year(table, {2040}), std::invalid_argument);

  const auto csv = test::scratch_path("verification_by_year.csv");
  io::write_by_year_csv(table, csv);
  const auto content = read_text(csv);
  CHECK(content.rfind("scenario,delta_t_C,delta_p_pct,year,area_km2_p05,area_km2_p25,area_km2_p50,area_km2_p75,area_km2_p95,"
                      "level_m_p05,",
                      0) == 0);
  CHECK(content.find(",area_70_met_by_year\n") != std::string::npos);
  CHECK(content.find("\nyellow,0,0,2031,69.4,71,74,75,79,") != std::string::npos);
  CHECK(content.find("\nyellow,1.5,-5,2030,52.95,56.75,61.5,66.25,70.05,") != std::string::npos);

  const auto main_csv = test::scratch_path("verification_deltas.csv");
  io::write_csv(table, main_csv);
  CHECK(read_text(main_csv).find("\nyellow,1.5,-5,3,1,2030,") != std::string::npos);
}
