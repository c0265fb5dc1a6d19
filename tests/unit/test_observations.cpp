// calibration/observations.hpp and io/observations_file.hpp: every kind against hand-computed
// values on synthetic annual series; gaps; the objective; the reader on good and bad files.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/observations.hpp"
#include "core/errors.hpp"
#include "io/observations_file.hpp"

using namespace daihai;
using analysis::AnnualSeries;
using analysis::Observation;
using analysis::ObservationKind;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Years 2000..2010, x = y - 2000:
//   level  = 1220 - 0.3 x                 [m]     (a line: trend -0.3 m/a exactly)
//   area   = (100 + 2 x) km2              [m2]
//   volume = 1e9 + 1e7 x^2                [m3]    (not a line: change != rate * years by accident)
//   tds    = 2 + 0.1 x                    [g/L]
//   gw     = +1e7 in even x, -2e6 in odd x [m3]
//   evap   = −1e8 − 1e6 x                 [m3]    (evaporation out of the lake)
AnnualSeries synthetic() {
  AnnualSeries s;
  for (int y = 2000; y <= 2010; ++y) {
    const double x = y - 2000;
    s.years.push_back(y);
    s.level_m.push_back(1220.0 - 0.3 * x);
    s.area_m2.push_back((100.0 + 2.0 * x) * 1e6);
    s.volume_m3.push_back(1e9 + 1e7 * x * x);
    s.tds_g_per_L.push_back(2.0 + 0.1 * x);
    s.groundwater_inflow_m3.push_back(static_cast<int>(x) % 2 == 0 ? 1e7 : -2e6);
    s.evaporation_m3.push_back(-1e8 - 1e6 * x);
    s.aquifer_tds_g_per_L.push_back(0.5 + 0.02 * x);
  }
  return s;
}

Observation obs(ObservationKind kind, int start, int end, double value = 0.0, double tolerance = 1.0, char conf = 'H') {
  Observation o;
  o.kind = kind;
  o.start = start;
  o.end = end;
  o.value = value;
  o.value_as_given = value;
  o.tolerance = tolerance;
  o.confidence = conf;
  o.file = "obs.csv";
  o.line = 7;
  return o;
}

double sim(const Observation& o, const AnnualSeries& s, int* skipped = nullptr) {
  return analysis::simulate(o, s, skipped);
}

std::string data_file() { return std::string(DAIHAI_SOURCE_DIR) + "/tests/data/observations_daihai.csv"; }

const char* kHeader = "kind,value,unit,start,end,source,confidence,tolerance,note\n";

// Parses `rows` under kHeader (line 1 a comment, line 2 the header, rows from line 3) and
// returns the InputError it throws.
core::InputError bad(const std::string& rows, const std::string& header = kHeader) {
  try {
    io::parse_observations("# test file\n" + header + rows, "bad.csv");
  } catch (const core::InputError& e) {
    return e;
  }
  FAIL("no InputError for: " << rows);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("observations: every kind against hand-computed values", "[observations]") {
  const auto s = synthetic();
  using K = ObservationKind;
  int skipped = -1;
  // level: a line's least-squares slope is its slope, over any period
  CHECK(sim(obs(K::level_trend, 2000, 2010), s, &skipped) == Approx(-0.3).margin(1e-12));
  CHECK(skipped == 0);
  CHECK(sim(obs(K::level_trend, 2003, 2006), s) == Approx(-0.3).margin(1e-12));
  // change = L(end) - L(start) = -0.3 * 6
  CHECK(sim(obs(K::level_change, 2002, 2008), s) == Approx(-1.8).margin(1e-9));
  // mean over 2000..2002 = 1220 - 0.3 = 1219.7
  CHECK(sim(obs(K::level, 2000, 2002), s) == Approx(1219.7).margin(1e-9));
  // area: change over 2001..2005 = 8 km2; rate = 8 / 4 = 2 km2/a; mean over 2000..2002 = 102 km2
  CHECK(sim(obs(K::area_change, 2001, 2005), s) == Approx(8e6));
  CHECK(sim(obs(K::area_rate, 2001, 2005), s) == Approx(2e6));
  CHECK(sim(obs(K::area, 2000, 2002), s) == Approx(102e6));
  CHECK(sim(obs(K::area, 2004, 2004), s) == Approx(108e6));  // a single year
  // volume: change 2002..2005 = 1e7 (25 - 4) = 2.1e8; rate = 2.1e8 / 3 = 7e7 m3/a;
  // mean 2000..2002 = 1e9 + 1e7 (0 + 1 + 4) / 3
  CHECK(sim(obs(K::volume_change, 2002, 2005), s) == Approx(2.1e8));
  CHECK(sim(obs(K::volume_rate, 2002, 2005), s) == Approx(7e7));
  CHECK(sim(obs(K::volume, 2000, 2002), s) == Approx(1e9 + 5e7 / 3.0));
  // depth_mean = mean of annual V/A: (1e9 / 100e6 + 1.01e9 / 102e6) / 2 = (10 + 9.9019608) / 2,
  // not mean V / mean A (= 1.005e9 / 101e6 = 9.9504950)
  CHECK(sim(obs(K::depth_mean, 2000, 2001), s) == Approx((10.0 + 1.01e9 / 102e6) / 2.0).epsilon(1e-12));
  CHECK(sim(obs(K::depth_mean, 2000, 2001), s) != Approx(1.005e9 / 101e6).epsilon(1e-6));
  // tds mean 2004..2006 = 2.5
  CHECK(sim(obs(K::tds, 2004, 2006), s) == Approx(2.5));
  // evaporation depth: mean of −E/A over 2002..2004 = (1.02e8/1.04e8 + 1.03e8/1.06e8 + 1.04e8/1.08e8) / 3 m/a
  CHECK(sim(obs(K::evaporation_depth, 2002, 2004), s) ==
        Approx((1.02e8 / 1.04e8 + 1.03e8 / 1.06e8 + 1.04e8 / 1.08e8) / 3.0).epsilon(1e-12));
  // groundwater: the gross inflow series as given, mean over 2000..2001 = (1e7 - 2e6) / 2 = 4e6 m3/a;
  // over 2000..2002 = (1e7 - 2e6 + 1e7) / 3 = 6e6
  CHECK(sim(obs(K::groundwater_discharge, 2000, 2001), s) == Approx(4e6));
  CHECK(sim(obs(K::groundwater_discharge, 2000, 2002), s) == Approx(6e6));
  // aquifer TDS: mean over 2001..2003 = 0.5 + 0.02 (1 + 2 + 3) / 3 = 0.54 g/L
  CHECK(sim(obs(K::aquifer_tds, 2001, 2003), s) == Approx(0.54).epsilon(1e-12));
}

TEST_CASE("observations: a missing year is skipped and counted and never gives NaN", "[observations]") {
  auto s = synthetic();
  using K = ObservationKind;
  s.level_m[5] = kNaN;  // 2005
  int skipped = -1;
  // mean of 2004 and 2006 (2005 skipped): (1218.8 + 1218.2) / 2
  CHECK(sim(obs(K::level, 2004, 2006), s, &skipped) == Approx(1218.5));
  CHECK(skipped == 1);
  // a line's trend without one point is still its slope
  CHECK(sim(obs(K::level_trend, 2000, 2010), s, &skipped) == Approx(-0.3).margin(1e-12));
  CHECK(skipped == 1);
  // a change whose start year is missing: start moves to 2006, rate -0.3 over 2006..2008,
  // times the period's 3 years = -0.9 (exact on a line)
  CHECK(sim(obs(K::level_change, 2005, 2008), s, &skipped) == Approx(-0.9).margin(1e-9));
  CHECK(skipped == 1);
  // a gap inside a change's period is not used and not counted
  CHECK(sim(obs(K::level_change, 2004, 2006), s, &skipped) == Approx(-0.6).margin(1e-9));
  CHECK(skipped == 0);
  // rates with a missing end point: volume 2002..2005 with 2005 missing -> (V(2004) - V(2002)) / 2
  s.volume_m3[5] = kNaN;
  CHECK(sim(obs(K::volume_rate, 2002, 2005), s, &skipped) == Approx(1e7 * (16 - 4) / 2.0));
  CHECK(skipped == 1);
  // depth_mean skips a year without volume
  CHECK(sim(obs(K::depth_mean, 2004, 2005), s, &skipped) == Approx((1e9 + 16e7) / 108e6));
  CHECK(skipped == 1);
  // a gap in the groundwater series
  s.groundwater_inflow_m3[1] = kNaN;
  CHECK(sim(obs(K::groundwater_discharge, 2000, 2002), s, &skipped) == Approx(1e7));
  CHECK(skipped == 1);
  // the result is never NaN
  for (const auto k : analysis::kAllObservationKinds) {
    const bool two = analysis::needs_two_years(k);
    CHECK(std::isfinite(sim(obs(k, 2003, two ? 2008 : 2006), s)));
  }
}

TEST_CASE("observations: too few valid years and periods outside the series are errors", "[observations]") {
  auto s = synthetic();
  using K = ObservationKind;
  s.tds_g_per_L[4] = s.tds_g_per_L[5] = s.tds_g_per_L[6] = kNaN;  // 2004..2006
  CHECK_THROWS_AS(sim(obs(K::tds, 2004, 2006), s), analysis::NoSimulatedValue);
  CHECK_THROWS_WITH(sim(obs(K::tds, 2004, 2006), s), Catch::Contains("obs.csv:7") && Catch::Contains("3 of the 3 years"));
  // a change or trend needs two valid years
  s.level_m[4] = s.level_m[5] = kNaN;
  CHECK_THROWS_AS(sim(obs(K::level_change, 2004, 2006), s), analysis::NoSimulatedValue);
  CHECK_THROWS_AS(sim(obs(K::level_trend, 2004, 2006), s), analysis::NoSimulatedValue);
  CHECK(sim(obs(K::level_trend, 2004, 2007), s) == Approx(-0.3).margin(1e-12));
  // outside the axis 2000..2010
  CHECK_THROWS_AS(sim(obs(K::level, 1999, 2001), s), std::out_of_range);
  CHECK_THROWS_WITH(sim(obs(K::level, 1999, 2001), s), Catch::Contains("obs.csv:7") && Catch::Contains("2000..2010"));
  CHECK_THROWS_AS(sim(obs(K::area_rate, 2008, 2011), s), std::out_of_range);
  // a series the kind needs missing; a zero-length change
  auto no_volume = synthetic();
  no_volume.volume_m3.clear();
  CHECK_THROWS_AS(sim(obs(K::depth_mean, 2000, 2001), no_volume), std::invalid_argument);
  CHECK(sim(obs(K::area, 2000, 2001), no_volume) == Approx(101e6));
  CHECK_THROWS_AS(sim(obs(K::volume_rate, 2003, 2003), s), std::invalid_argument);
}

TEST_CASE("observations: annual series of a run result", "[observations]") {
  scenario::RunResult r;
  r.ok = true;
  r.years = {2000, 2001};
  r.annual = {{"level_m", "m", "", scenario::Aggregation::mean, {1.0, 2.0}, ""},
              {"groundwater_inflow_m3", "m3", "", scenario::Aggregation::total, {3.0, 4.0}, "lake_water"}};
  const auto s = analysis::annual_series(r);
  CHECK(s.years == r.years);
  CHECK(s.level_m == std::vector<double>{1.0, 2.0});
  CHECK(s.groundwater_inflow_m3 == std::vector<double>{3.0, 4.0});
  CHECK(s.area_m2.empty());
  r.ok = false;
  CHECK_THROWS_AS(analysis::annual_series(r), std::invalid_argument);
}

TEST_CASE("observations: objective is the weighted sum of squared normalised errors", "[observations]") {
  using K = ObservationKind;
  const std::vector<Observation> o = {obs(K::level, 2000, 2000, 10.0, 1.0, 'H'),
                                      obs(K::area, 2000, 2000, 100.0, 0.5, 'M'),
                                      obs(K::tds, 2000, 2000, 3.0, 2.0, 'L')};
  // H: ((12 - 10) / 1)^2 = 4, x 1; M: ((100.5 - 100) / 0.5)^2 = 1, x 0.5; L: ((0 - 3) / 2)^2 = 2.25, x 0.25
  const std::vector<double> s = {12.0, 100.5, 0.0};
  CHECK(analysis::objective(o, s) == Approx(4.0 + 0.5 + 0.5625));
  analysis::ObjectiveWeights w;
  w.high = 2.0;
  w.medium = 1.0;
  w.low = 0.0;
  CHECK(analysis::objective(o, s, w) == Approx(8.0 + 1.0));
  CHECK(analysis::objective(o, {10.0, 100.0, 3.0}) == 0.0);
  CHECK_THROWS_AS(analysis::objective(o, {1.0, 2.0}), std::invalid_argument);
  CHECK_THROWS_AS(analysis::objective(o, {kNaN, 1.0, 2.0}), std::invalid_argument);
  auto zero = o;
  zero[0].tolerance = 0.0;
  CHECK_THROWS_AS(analysis::objective(zero, s), std::invalid_argument);
}

TEST_CASE("observations: default tolerances", "[observations]") {
  using K = ObservationKind;
  // c(conf) * max(r |value|, floor)
  CHECK(analysis::default_tolerance(K::level, 'H', 1224.1) == Approx(1.5));
  CHECK(analysis::default_tolerance(K::level, 'M', 1224.1) == Approx(1.875));
  CHECK(analysis::default_tolerance(K::level_trend, 'H', -0.14) == Approx(0.1));
  CHECK(analysis::default_tolerance(K::level_trend, 'H', -0.46) == Approx(0.115));
  CHECK(analysis::default_tolerance(K::area, 'L', 115e6) == Approx(1.5 * 11.5e6));
  CHECK(analysis::default_tolerance(K::volume_rate, 'H', -2.1e7) == Approx(0.525e7));
  CHECK_THROWS_AS(analysis::default_tolerance(K::area, 'X', 1.0), std::invalid_argument);
  // They reproduce the tolerances the Daihai file gives for its own rows within 30 %.
  for (const auto& o : io::load_observations(data_file())) {
    INFO(o.describe());
    REQUIRE(o.tolerance_from_file);
    const double ratio = analysis::default_tolerance(o.kind, o.confidence, o.value) / o.tolerance;
    CHECK(ratio > 1.0 / 1.3);
    CHECK(ratio < 1.3);
  }
}

TEST_CASE("observations file: the Daihai table", "[observations][io]") {
  const auto all = io::load_observations(data_file());
  REQUIRE(all.size() == 15);
  const auto& a = all[0];
  CHECK(a.kind == ObservationKind::level_change);
  CHECK(a.value == -3.85);
  CHECK(a.unit == "m");
  CHECK(a.start == 1955);
  CHECK(a.end == 1995);
  CHECK(a.source == "S2");
  CHECK(a.confidence == 'H');
  CHECK(a.tolerance == 0.6);
  CHECK(a.tolerance_from_file);
  CHECK(a.note.find("82%") != std::string::npos);
  CHECK(a.line == 15);
  CHECK(a.file == data_file());
  // km2 -> m2, value and tolerance
  const auto& area = all[7];
  CHECK(area.kind == ObservationKind::area);
  CHECK(area.value == Approx(182.46e6));
  CHECK(area.value_as_given == 182.46);
  CHECK(area.tolerance == Approx(18e6));
  CHECK(area.confidence == 'M');
  CHECK(area.start == 1961);
  CHECK(area.end == 1963);
  CHECK(all[2].kind == ObservationKind::volume_rate);
  CHECK(all[2].value == Approx(-0.726e7));
  CHECK(all[14].kind == ObservationKind::groundwater_discharge);
  CHECK(all[14].tolerance == Approx(0.5e7));
  CHECK(all[13].kind == ObservationKind::tds);
  CHECK(all[13].confidence == 'L');
}

TEST_CASE("observations file: optional and extra columns", "[observations][io]") {
  // no tolerance column, columns in another order, an extra column
  const auto o = io::parse_observations("# c\nsource,confidence,kind,unit,value,start,end,extra\n"
                                        "S1,M,area,km2,100,1990,1995,x\n"
                                        "S2,H,tds,mg/L,2500,1980,1989,y\n",
                                        "x.csv");
  REQUIRE(o.size() == 2);
  CHECK_FALSE(o[0].tolerance_from_file);
  CHECK(o[0].tolerance == Approx(1.25 * 10e6));
  CHECK(o[0].note.empty());
  CHECK(o[1].value == Approx(2.5));
  CHECK(o[1].tolerance == Approx(0.5));
  CHECK(o[1].line == 4);
  // an empty tolerance cell takes the default
  const auto d = io::parse_observations(std::string(kHeader) + "level,1224,m,1958,2004,S3,L,,\n", "y.csv");
  CHECK(d[0].tolerance == Approx(2.25));
  CHECK_FALSE(d[0].tolerance_from_file);
}

TEST_CASE("observations file: errors name file line and column", "[observations][io]") {
  auto check = [](const core::InputError& e, int line, const std::string& column, const std::string& text) {
    INFO(e.what());
    CHECK(e.file() == "bad.csv");
    CHECK(e.line() == line);
    CHECK(e.key() == column);
    CHECK(std::string(e.what()).find(text) != std::string::npos);
    CHECK(std::string(e.what()).find("bad.csv:" + std::to_string(line)) != std::string::npos);
  };
  const std::string ok = "area,100,km2,1990,1995,S,H,10,\n";
  check(bad(ok + "lake_area,100,km2,1990,1995,S,H,10,\n"), 4, "kind", "unknown kind 'lake_area'");
  check(bad(ok + "area,100,m3,1990,1995,S,H,10,\n"), 4, "unit", "does not fit the kind 'area'");
  check(bad(ok + ok + "level_trend,-0.1,m,1990,1995,S,H,0.1,\n"), 5, "unit", "expected m/a or cm/a");
  check(bad(ok + "area,100,km2,1995,1990,S,H,10,\n"), 4, "end", "before start");
  check(bad(ok + "volume_rate,-1e7,m3/a,1995,1995,S,H,1e6,\n"), 4, "end", "needs end > start");
  check(bad(ok + "area,abc,km2,1990,1995,S,H,10,\n"), 4, "value", "expected a finite number");
  check(bad(ok + "area,100,km2,199x,1995,S,H,10,\n"), 4, "start", "whole number");
  check(bad(ok + "area,100,km2,1990,1995.5,S,H,10,\n"), 4, "end", "whole number");
  check(bad(ok + "area,100,km2,1990,1995,S,H,ten,\n"), 4, "tolerance", "expected a finite number");
  check(bad(ok + "area,100,km2,1990,1995,S,H,-1,\n"), 4, "tolerance", "tolerance > 0");
  check(bad(ok + "area,100,km2,1990,1995,S,high,10,\n"), 4, "confidence", "expected H, M or L");
  check(bad(ok + "area,100,km2,1990,1995,S,H,10\n"), 4, "", "expected 9 fields");
  // a missing required column: named, line unknown
  const auto e = bad("area,100,km2,1990,1995,S,10,\n", "kind,value,unit,start,end,source,tolerance,note\n");
  CHECK(e.key() == "confidence");
  CHECK(std::string(e.what()).find("missing column") != std::string::npos);
  // several problems: the first one's position, every one listed
  const auto many = bad("area,100,m3,1990,1995,S,H,10,\nfoo,1,m,1990,1995,S,H,1,\n");
  check(many, 3, "unit", "2 problems");
  CHECK(std::string(many.what()).find("bad.csv:4: key 'kind'") != std::string::npos);
  // no rows; a file that cannot be read
  CHECK_THROWS_AS(io::parse_observations(kHeader, "empty.csv"), core::InputError);
  CHECK_THROWS_WITH(io::load_observations("/nonexistent/obs.csv"), Catch::Contains("/nonexistent/obs.csv"));
}
