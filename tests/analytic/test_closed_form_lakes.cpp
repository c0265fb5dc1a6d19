// Closed-form lakes: the engine against analytic solutions of dV/dt = Q + (P − E)·A(h).
#include <catch2/catch.hpp>

#include <limits>

#include "support/test_lake.hpp"

using namespace daihai;
using daihai::testing::ConstantForcing;

TEST_CASE("vertical-walled lake with constant evaporation loses volume linearly", "[analytic]") {
  // A(h) = A0 for all h: dV/dt = −E·A0, V(t) = V0 − E·A0·t.
  const double a0 = 1e7, e_mm = 5.0;
  auto in = testing::make_inputs({0.0, 10.0}, {a0, a0}, {0.0, e_mm, 0.0});
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  for (const char* integrator : {"dopri5", "rk4"}) {
    run.scenario.integrator = integrator;
    const auto r = scenario::run_scenario(run, in);
    REQUIRE(r.ok);
    const double v0 = 5.0 * a0;
    const double expected = v0 - e_mm * 1e-3 * a0 * 365.0;
    CHECK(testing::state(r.final, "volume_m3") == Approx(expected).epsilon(1e-12));
    CHECK(testing::state(r.final, "level_m") == Approx(expected / a0).epsilon(1e-12));
    // Day by day, the daily volume series is linear: day d's value is the state at its end
    // (24:00), as the outputs' cell_methods say.
    const auto& vol = testing::series(r, "volume_m3").values;
    for (std::size_t d = 0; d < vol.size(); d += 50) CHECK(vol[d] == Approx(v0 - e_mm * 1e-3 * a0 * (d + 1)).epsilon(1e-12));
    // A year's value is the mean of its 365 end-of-day states: V0 − E·A0·(1 + … + 365)/365 days.
    CHECK(testing::annual(r, "volume_m3").values.at(0) == Approx(v0 - e_mm * 1e-3 * a0 * 183.0).epsilon(1e-12));
  }
}

TEST_CASE("bowl with area linear in stage: stage falls at exactly the evaporation rate", "[analytic]") {
  // A = a·(h − h0), V = a(h − h0)²/2, dV/dt = −E·A  ⇒  dh/dt = −E: h(t) = h(0) − E·t.
  const double a = 1e6, e_mm = 10.0;
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 10.0 * a}, {0.0, e_mm, 0.0});
  auto run = testing::plain_run({2001, 1, 1}, {2001, 10, 27});  // 300 days
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  CHECK(testing::state(r.final, "level_m") == Approx(5.0 - 0.01 * 300).margin(1e-7));
  const auto& level = testing::series(r, "level_m").values;
  for (std::size_t d = 0; d < level.size(); d += 37) CHECK(level[d] == Approx(5.0 - 0.01 * (d + 1)).margin(1e-7));
}

TEST_CASE("constant inflow converges to the equilibrium area Q/(E − P)", "[analytic]") {
  const double q = 1.0, p_mm = 1.0, e_mm = 6.0;
  const double a_eq = q / ((e_mm - p_mm) * 1e-3 / 86400.0);  // 1.728e7 m²
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e8}, {p_mm, e_mm, 0.0});
  in.parameters.set(model::parameter_registry(), "initial_level_m", 1.0, {"test", 0, "E", "", 1.0, 1.0});
  auto run = testing::plain_run({2001, 1, 1}, {2030, 12, 31});
  run.scenario.inflow = scenario::InflowSpec{{core::day_number({2001, 1, 1})}, {q}, 0.0};
  for (const char* integrator : {"dopri5", "rk4"}) {
    run.scenario.integrator = integrator;
    const auto r = scenario::run_scenario(run, in);
    REQUIRE(r.ok);
    CHECK(testing::state(r.final, "area_m2") == Approx(a_eq).epsilon(1e-6));
    CHECK(std::abs(r.water_residual_m3) < 1e-9 * 1e9);
  }
}

TEST_CASE("closed lake without salt input keeps its salt mass exactly and TDS is M over V", "[analytic]") {
  // Net loss 3 mm/d lowers a 5 m deep bowl by ~1.1 m/a: two years stay far from saturation.
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e7}, {2.0, 5.0, 3.0});
  auto run = testing::plain_run({2001, 1, 1}, {2002, 12, 31});
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const double m0 = testing::state(r.initial, "salt_dissolved_kg");
  const double m1 = testing::state(r.final, "salt_dissolved_kg");
  CHECK(m1 == Approx(m0).epsilon(1e-12));
  CHECK(testing::state(r.final, "salt_deposit_kg") == 0.0);
  CHECK(testing::state(r.final, "tds_g_per_L") ==
        Approx(m1 / testing::state(r.final, "volume_m3")).epsilon(1e-14));
  CHECK(testing::state(r.final, "tds_g_per_L") > testing::state(r.initial, "tds_g_per_L"));  // concentrated by evaporation
}

TEST_CASE("a run starting on 29 February counts leap days in its annual totals", "[analytic]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e6, 1e6}, {1.0, 0.0, 0.0});
  auto run = testing::plain_run({2020, 2, 29}, {2024, 12, 31});
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  REQUIRE(r.years == std::vector<int>{2020, 2021, 2022, 2023, 2024});
  const auto& p = testing::annual(r, "precipitation_mm").values;
  CHECK(p[0] == Approx(307.0));  // 29 Feb .. 31 Dec 2020
  CHECK(p[1] == Approx(365.0));
  CHECK(p[4] == Approx(366.0));
  const auto& rain = testing::annual(r, "lake_precipitation_m3").values;
  CHECK(rain[4] == Approx(366.0 * 1e-3 * 1e6).epsilon(1e-12));
}

// Evaporation a forcing file gives (no heat budget) is the lake's own: the evaporation multiplier,
// a calibration of the engine's Penman estimate (possibly another lake's), does not scale it.
TEST_CASE("evaporation given by the forcing is taken as given whatever the multiplier", "[analytic][evaporation]") {
  const double a0 = 1e7, e_mm = 5.0;
  auto in = testing::make_inputs({0.0, 10.0}, {a0, a0}, {0.0, e_mm, 0.0});
  in.parameters.set(model::parameter_registry(), "evaporation_multiplier", 0.66, {"test", 0, "E", "another lake's", 0.66, 0.66});
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const double v0 = 5.0 * a0;
  CHECK(testing::state(r.final, "volume_m3") == Approx(v0 - e_mm * 1e-3 * a0 * 365.0).epsilon(1e-12));
  // The output's evaporation is the evaporation applied.
  CHECK(testing::total(testing::annual(r, "lake_evaporation_m3")) == Approx(-e_mm * 1e-3 * a0 * 365.0).epsilon(1e-9));
}

// A non-finite input reaching a process fails the run with the day, the variable that went
// non-finite and the process whose rate did, for both integrators (it used to pass the integrator
// as a good step and fail later with "lake volume is not finite", without date or cause).
TEST_CASE("a non-finite rate fails the run naming the day, the variable and the process", "[analytic][non-finite]") {
  const double a0 = 1e7;
  auto in = testing::make_inputs({0.0, 10.0}, {a0, a0}, {1.0, 5.0, 0.0});
  const auto constant = in.forcing;
  in.forcing = [constant](const scenario::ClimateSpec& c, std::int64_t first, std::int64_t n) {
    auto d = constant(c, first, n);
    d.evap_fresh_m_per_s.at(100) = std::numeric_limits<double>::quiet_NaN();  // 2001-04-11
    return d;
  };
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  for (const char* integrator : {"rk4", "dopri5"}) {
    INFO(integrator);
    run.scenario.integrator = integrator;
    // rk4 fails the lane (the block's other runs go on); dopri5 (one run per block) throws, and the
    // batch records the run as failed with the text.
    std::string error = "no error";
    try {
      const auto r = scenario::run_scenario(run, in);
      if (!r.ok) error = r.error;
    } catch (const std::exception& e) {
      error = e.what();
    }
    CHECK_THAT(error, Catch::Contains("2001-04-11") && Catch::Contains("process 'lake_evaporation'") && Catch::Contains("non-finite"));
    if (std::string(integrator) == "rk4") CHECK_THAT(error, Catch::Contains("non-finite lake volume"));
  }
}
