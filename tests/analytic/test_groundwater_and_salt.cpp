// The lake–aquifer exchange and the basin's salt against closed forms and properties that must
// always hold: seepage to a disconnected aquifer at its capped rate, and a closed basin that keeps
// every kilogram of its salt (lake, deposit, aquifer, fields) while its lake dries.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "support/test_lake.hpp"

using namespace daihai;

namespace {

void set(scenario::LakeInputs& in, const char* name, double v) {
  in.parameters.set(model::parameter_registry(), name, v, {"test", 0, "E", "", v, v});
}

}  // namespace

TEST_CASE("a lake over a disconnected aquifer loses water at the capped seepage rate L·A·(D + b)", "[analytic][groundwater]") {
  // Vertical walls (A constant, bottom at 0 m): D = V/A, and with the water table far below the lake
  // bed dV/dt = −L·A·(V/A + b), so V(t) = (V0 + A·b)·exp(−L·t) − A·b.
  const double a = 1e7, leakance_per_d = 2e-3, b = 0.8, h0 = 5.0;
  auto in = testing::make_inputs({0.0, 10.0}, {a, a}, {});
  set(in, "lakebed_leakance_per_d", leakance_per_d);
  set(in, "lakebed_clogging_thickness_m", b);
  set(in, "aquifer_area_km2", 1e4);        // a vast aquifer: the seepage raises its head by millimetres
  set(in, "aquifer_base_m", -1000.0);
  set(in, "initial_aquifer_head_m", -500.0);  // 500 m below the lake bed: disconnected throughout
  set(in, "external_groundwater_inflow_m3_per_a", 0.0);
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  run.scenario.switches.aquifer = true;
  for (const char* integrator : {"dopri5", "rk4"}) {
    run.scenario.integrator = integrator;
    const auto r = scenario::run_scenario(run, in);
    REQUIRE(r.ok);
    const double t_d = 365.0;
    const double v0 = a * h0;
    const double expected = (v0 + a * b) * std::exp(-leakance_per_d * t_d) - a * b;
    CHECK(testing::state(r.final, "volume_m3") == Approx(expected).epsilon(integrator == std::string("rk4") ? 1e-9 : 1e-7));
    // No inflow from below, and what the lake lost the aquifer gained.
    CHECK(testing::total(testing::annual(r, "groundwater_inflow_m3")) == 0.0);
    CHECK(testing::total(testing::annual(r, "aquifer_recharge_from_lake_m3")) ==
          Approx(-testing::total(testing::annual(r, "lake_seepage_m3"))).epsilon(1e-12));
  }
}

TEST_CASE("connected, the exchange follows the head difference and carries each side's TDS", "[analytic][groundwater]") {
  // Aquifer head 1 m above a 5 m vertical-walled lake, leakance 1e-4 1/d, aquifer much larger than
  // the lake: inflow ≈ L·A·1 m per day at first, with the aquifer's TDS.
  const double a = 1e6;
  auto in = testing::make_inputs({0.0, 10.0}, {a, a}, {});
  set(in, "lakebed_leakance_per_d", 1e-4);
  set(in, "aquifer_area_km2", 1e5);
  set(in, "aquifer_base_m", -100.0);
  set(in, "initial_aquifer_head_m", 6.0);
  set(in, "initial_aquifer_tds_g_per_L", 0.8);
  set(in, "external_groundwater_inflow_m3_per_a", 0.0);
  auto run = testing::plain_run({2001, 1, 1}, {2001, 1, 10});
  run.scenario.switches.aquifer = true;
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const double in_m3 = testing::total(testing::annual(r, "groundwater_inflow_m3"));
  CHECK(in_m3 == Approx(1e-4 * a * 1.0 * 10.0).epsilon(0.02));  // the lake rises ~1 mm: 0.1 % less head difference
  CHECK(testing::total(testing::annual(r, "groundwater_inflow_kg")) == Approx(0.8 * in_m3).epsilon(1e-9));
  CHECK(testing::total(testing::annual(r, "lake_seepage_m3")) == 0.0);
}

TEST_CASE("a closed basin keeps all its salt and its drying lake never freshens (random forcing)", "[analytic][salt][property]") {
  // Evaporation only, the aquifer below the lake (seepage out, no inflow), water-table evaporation
  // under the exposed bed: no salt enters and none may leave the basin; the lake's TDS can only rise.
  std::mt19937_64 rng(20261204);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 12; ++trial) {
    INFO("trial " << trial);
    const double e_scale = 2.0 + 8.0 * u(rng);
    std::vector<double> evap(5 * 366);
    for (double& e : evap) e = e_scale * u(rng) * 2.0;  // mm/d, mean e_scale
    auto in = testing::make_inputs({0.0, 6.0}, {0.0, 6e6}, {});
    in.forcing = testing::daily_forcing([evap](std::int64_t i) { return std::pair{0.0, evap[static_cast<std::size_t>(i)]}; });
    set(in, "initial_level_m", 2.0 + 3.0 * u(rng));
    set(in, "initial_tds_g_per_L", 1.0 + 50.0 * u(rng));
    set(in, "salt_saturation_g_per_L", 150.0 + 200.0 * u(rng));
    set(in, "lakebed_leakance_per_d", 1e-3 * u(rng));
    set(in, "aquifer_base_m", -50.0);
    set(in, "initial_aquifer_head_m", -2.0 - 10.0 * u(rng));
    set(in, "initial_aquifer_tds_g_per_L", 2.0 * u(rng));
    set(in, "exposed_bed_reference_level_m", 6.0);
    set(in, "water_table_extinction_depth_m", 0.5 + 10.0 * u(rng));
    set(in, "external_groundwater_inflow_m3_per_a", 0.0);
    auto run = testing::plain_run({2001, 1, 1}, {2005, 12, 31});
    run.scenario.switches.aquifer = true;
    run.scenario.integrator = trial % 2 == 0 ? "rk4" : "dopri5";
    const auto r = scenario::run_scenario(run, in);
    REQUIRE(r.ok);
    double s0 = 0.0, s1 = 0.0;
    for (const char* s : {"salt_dissolved_kg", "salt_deposit_kg", "aquifer_salt_kg"}) {
      s0 += testing::state(r.initial, s);
      s1 += testing::state(r.final, s);
    }
    CHECK(std::abs(s1 - s0) <= 1e-9 * s0);
    const auto [water, salt] = scenario::balance_from_outputs(r);
    CHECK(std::abs(salt) <= 1e-9 * s0);
    const auto& tds = testing::series(r, "tds_g_per_L").values;
    const auto& volume = testing::series(r, "volume_m3").values;
    for (std::size_t d = 1; d < tds.size(); ++d)
      if (volume[d] < volume[d - 1]) CHECK(tds[d] >= tds[d - 1] * (1.0 - 1e-12));
  }
}

TEST_CASE("water-table evaporation under the exposed bed fades to nothing at the extinction depth", "[analytic][groundwater]") {
  // A lake 2 m below its reference shoreline, its water table at the lake level: the exposed bed's
  // mid-stage stands 1 m above the water table, so with extinction depth d_ext the rate is
  // PET·A_exp·(1 − 1/d_ext); with d_ext ≤ 1 m it is zero.
  const double pet_mm = 4.0;
  for (double extinction : {0.8, 2.0, 4.0}) {
    INFO("extinction depth " << extinction);
    testing::ConstantForcing f;
    f.pet_land_mm = pet_mm;
    auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e7}, f);
    set(in, "initial_level_m", 4.0);
    set(in, "exposed_bed_reference_level_m", 6.0);
    set(in, "water_table_extinction_depth_m", extinction);
    set(in, "lakebed_leakance_per_d", 0.0);
    set(in, "aquifer_area_km2", 1e5);  // the water table hardly moves in a day
    set(in, "aquifer_base_m", -100.0);
    set(in, "initial_aquifer_head_m", 4.0);
    set(in, "external_groundwater_inflow_m3_per_a", 0.0);
    auto run = testing::plain_run({2001, 1, 1}, {2001, 1, 1});
    run.scenario.switches.aquifer = true;
    const auto r = scenario::run_scenario(run, in);
    REQUIRE(r.ok);
    const double exposed = 1e6 * 6.0 - 1e6 * 4.0;  // A(h) = 1e6 m² per metre of stage
    const double expected = -pet_mm * 1e-3 * exposed * std::max(0.0, 1.0 - 1.0 / extinction);
    CHECK(testing::total(testing::annual(r, "exposed_bed_evaporation_m3")) == Approx(expected).epsilon(1e-6).margin(1e-9));
  }
}
