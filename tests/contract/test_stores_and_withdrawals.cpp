// Stores never go negative, salt rides with water, and every user is reported on its own.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/test_lake.hpp"

using namespace daihai;

namespace {
void set(scenario::LakeInputs& in, const char* n, double v) {
  in.parameters.set(model::parameter_registry(), n, v, {"test", 0, "E", "", v, v});
}
}  // namespace

TEST_CASE("drying: evaporation stops at the bottom, volume and stage stay in range, TDS capped with salt conserved",
          "[drying]") {
  // A 2 m deep bowl under 10 mm/d net evaporation dries within a year.
  auto in = testing::make_inputs({100.0, 110.0}, {0.0, 1e7}, {0.0, 10.0, 0.0});
  set(in, "initial_level_m", 102.0);
  set(in, "initial_tds_g_per_L", 50.0);
  set(in, "salt_saturation_g_per_L", 200.0);
  set(in, "drying_volume_fraction", 2e-4);  // 1e4 m3 of the bowl's 5e7 m3
  auto run = testing::plain_run({2001, 1, 1}, {2002, 12, 31});
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const auto& v = testing::series(r, "volume_m3").values;
  const auto& h = testing::series(r, "level_m").values;
  const auto& c = testing::series(r, "tds_g_per_L").values;
  const auto& e = testing::series(r, "lake_evaporation_m3").values;
  for (std::size_t d = 0; d < v.size(); ++d) {
    CHECK(v[d] >= 0.0);
    CHECK(h[d] >= 100.0);
    CHECK(c[d] <= 200.0 * (1.0 + 1e-12));  // salt above saturation deposits at once
  }
  // Evaporation has faded to (almost) nothing by the end: the lake holds < V_dry.
  CHECK(v.back() < 1e4);
  CHECK(-e.back() < 1e-3 * -e.front());
  // Salt conserved: dissolved + deposited = initial.
  const double m0 = testing::state(r.initial, "salt_dissolved_kg");
  const double m1 = testing::state(r.final, "salt_dissolved_kg") + testing::state(r.final, "salt_deposit_kg");
  CHECK(m1 == Approx(m0).epsilon(1e-9));
  CHECK(testing::state(r.final, "salt_deposit_kg") > 0.99 * m0);
  CHECK(std::abs(r.salt_residual_kg) < 1e-9 * m0);
}

TEST_CASE("refill redissolves the deposit once the lake freshens", "[drying]") {
  // Start dry-ish with a deposit and fill with fresh water: the deposit goes back into solution.
  auto in = testing::make_inputs({100.0, 110.0}, {1e6, 1e6}, {0.0, 0.0, 0.0});
  set(in, "initial_level_m", 100.5);
  set(in, "initial_tds_g_per_L", 0.0);
  set(in, "initial_salt_deposit_kg", 1e7);  // 5e5 m3 at 10 g/L dissolve only half of it
  set(in, "salt_saturation_g_per_L", 10.0);
  auto run = testing::plain_run({2001, 1, 1}, {2001, 3, 31});
  run.scenario.inflow = scenario::InflowSpec{{core::day_number({2001, 1, 1})}, {0.1}, 0.0};
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  CHECK(testing::state(r.initial, "salt_deposit_kg") == Approx(5e6));
  CHECK(testing::state(r.final, "salt_deposit_kg") < 1.0);
  CHECK(testing::state(r.final, "salt_dissolved_kg") == Approx(1e7).epsilon(1e-6));
  CHECK(testing::total(testing::annual(r, "salt_deposition_kg")) == Approx(-5e6).epsilon(1e-6));
  // While the water is still short of dissolving it all, the lake stays exactly at saturation.
  const auto& c = testing::series(r, "tds_g_per_L").values;
  CHECK(c[0] == Approx(10.0).epsilon(1e-12));
  CHECK(testing::state(r.final, "tds_g_per_L") < 10.0);
}

TEST_CASE("a lake abstraction removes salt at the lake's TDS and evaporative use removes none", "[withdrawals]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e7, 1e7}, {0.0, 0.0, 0.0});
  set(in, "initial_tds_g_per_L", 4.0);
  in.water_use.columns["lake_abstraction_m3_per_a"] = {3.65e6};
  set(in, "power_plant_use_m3_per_a", 3.65e6);
  set(in, "power_plant_first_year", 1990.0);
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  run.scenario.switches.water_uses = true;
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const double abstraction = testing::total(testing::annual(r, "lake_abstraction_m3"));
  const double salt_out = testing::total(testing::annual(r, "lake_abstraction_kg"));
  const double plant = testing::total(testing::annual(r, "power_plant_evaporation_m3"));
  CHECK(abstraction == Approx(-3.65e6).epsilon(1e-9));
  CHECK(plant == Approx(-3.65e6).epsilon(1e-9));  // aquifer off: all of the plant's use is lake evaporation
  // The abstraction takes salt at 4 g/L, the evaporative use concentrates what stays.
  const double m0 = testing::state(r.initial, "salt_dissolved_kg");
  CHECK(salt_out < 0.0);
  CHECK(m0 + salt_out == Approx(testing::state(r.final, "salt_dissolved_kg")).epsilon(1e-12));
  CHECK(-salt_out == Approx(-abstraction * 4.0).epsilon(0.05));
  CHECK(-salt_out > -abstraction * 4.0);  // TDS rose during the year, so more than 4 g/L on average
  CHECK(std::abs(r.water_residual_m3) < 1e-6);
}

TEST_CASE("pumping from a nearly empty aquifer is curtailed, never negative, and the shortage reported per user",
          "[withdrawals]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e7, 1e7}, {0.0, 0.0, 0.0});
  in.water_use.columns["town_use_m3_per_a"] = {2e6};
  set(in, "aquifer_base_m", 4.0);
  set(in, "initial_aquifer_head_m", 4.1);  // 0.1 m × 0.1 × 50 km2 = 5e5 m3 available
  set(in, "aquifer_dry_storage_m3", 1e4);
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  run.scenario.switches.water_uses = true;
  run.scenario.switches.aquifer = true;
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const auto& g = testing::series(r, "aquifer_storage_m3").values;
  CHECK(*std::min_element(g.begin(), g.end()) >= 0.0);
  const double pumped = -testing::total(testing::annual(r, "pumping_towns_m3"));
  const double shortage = testing::total(testing::annual(r, "pumping_towns_shortage_m3"));
  CHECK(pumped < 5e5);
  CHECK(pumped + shortage == Approx(2e6).epsilon(1e-9));
  CHECK(shortage > 1.4e6);
  // Other users are reported separately and had nothing to do.
  CHECK(testing::total(testing::annual(r, "pumping_irrigation_shortage_m3")) == 0.0);
  CHECK(std::abs(r.water_residual_m3) < 1e-6);
}
