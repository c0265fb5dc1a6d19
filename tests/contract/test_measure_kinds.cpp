// The generic measure kinds a planner adds to a lake's plan, each on a lake whose answer is known:
// an inflow from a date with its TDS, scaling a flux (a schedule or a state-dependent rate, a
// mirrored pair together) from a date, and a cap on a named group of withdrawals.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/errors.hpp"
#include "model/schedules.hpp"
#include "support/test_lake.hpp"

using namespace daihai;

namespace {

void set(scenario::LakeInputs& in, const char* n, double v) {
  in.parameters.set(model::parameter_registry(), n, v, {"test", 0, "E", "", v, v});
}

scenario::MeasureSpec measure(const std::string& name, const std::string& kind, core::Date start, std::map<std::string, double> values,
                              std::map<std::string, std::vector<std::string>> names = {}) {
  scenario::MeasureSpec m{name, kind, start, std::move(values)};
  m.names = std::move(names);
  m.file = "test.toml";
  m.line = 7;
  return m;
}

double year_total(const scenario::RunResult& r, const std::string& var, int year) {
  const auto& v = testing::annual(r, var);
  for (std::size_t i = 0; i < r.years.size(); ++i)
    if (r.years[i] == year) return v.values[i];
  FAIL("no year " << year);
  return 0.0;
}

}  // namespace

TEST_CASE("an inflow measure brings its flow from its start date, with its TDS", "[measures][inflow]") {
  // Vertical walls, no precipitation or evaporation: the lake gains exactly what flows in (5.8 m).
  auto in = testing::make_inputs({0.0, 20.0}, {1e6, 1e6}, {});
  auto run = testing::plain_run({2001, 1, 1}, {2003, 12, 31});
  run.scenario.measures.push_back(measure("reclaimed", "inflow", {2002, 3, 1}, {{"flow_m3_per_s", 0.1}, {"tds_g_per_L", 0.8}}));
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const double days = core::day_number({2004, 1, 1}) - core::day_number({2002, 3, 1});
  CHECK(year_total(r, "inflow_reclaimed_m3", 2001) == 0.0);
  CHECK(year_total(r, "inflow_reclaimed_m3", 2002) == Approx(0.1 * 86400.0 * (days - 365)).epsilon(1e-12));
  CHECK(year_total(r, "inflow_reclaimed_m3", 2003) == Approx(0.1 * 86400.0 * 365).epsilon(1e-12));
  const double dv = testing::state(r.final, "volume_m3") - testing::state(r.initial, "volume_m3");
  CHECK(dv == Approx(0.1 * 86400.0 * days).epsilon(1e-12));
  // Salt = water x TDS of the delivered water.
  const double salt = testing::total(testing::annual(r, "inflow_reclaimed_kg"));
  CHECK(salt == Approx(0.8 * testing::total(testing::annual(r, "inflow_reclaimed_m3"))).epsilon(1e-12));
  CHECK(std::abs(r.water_residual_m3) < 1e-6 * dv);
}

TEST_CASE("a flux scale multiplies a state-dependent flux from its date", "[measures][flux_scale]") {
  // Constant area and evaporation: evaporation halves exactly from the start date on.
  auto in = testing::make_inputs({0.0, 10.0}, {1e6, 1e6}, {0.0, 4.0, 0.0});
  auto run = testing::plain_run({2001, 1, 1}, {2002, 12, 31});
  const auto base = scenario::run_scenario(run, in);
  run.scenario.measures.push_back(measure("cover", "flux_scale", {2002, 1, 1}, {{"factor", 0.5}}, {{"flux", {"lake_evaporation"}}}));
  const auto scaled = scenario::run_scenario(run, in);
  REQUIRE(base.ok);
  REQUIRE(scaled.ok);
  CHECK(year_total(scaled, "lake_evaporation_m3", 2001) == year_total(base, "lake_evaporation_m3", 2001));
  CHECK(year_total(scaled, "lake_evaporation_m3", 2002) == Approx(0.5 * year_total(base, "lake_evaporation_m3", 2002)).epsilon(1e-12));
  CHECK(year_total(base, "lake_evaporation_m3", 2002) == Approx(-4e-3 * 1e6 * 365).epsilon(1e-12));
}

TEST_CASE("a flux scale on one side of the lake-groundwater exchange scales both, and the basin still balances",
          "[measures][flux_scale]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e7, 1e7}, {});
  set(in, "lakebed_leakance_per_d", 1e-3);
  set(in, "initial_aquifer_head_m", 7.0);  // above the lake (5 m): groundwater flows in
  auto run = testing::plain_run({2001, 1, 1}, {2002, 12, 31});
  run.scenario.switches.aquifer = true;
  const auto base = scenario::run_scenario(run, in);
  run.scenario.measures.push_back(measure("seal", "flux_scale", {2002, 1, 1}, {{"factor", 0.25}}, {{"flux", {"groundwater_inflow"}}}));
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(base.ok);
  REQUIRE(r.ok);
  for (int y : {2001, 2002}) CHECK(year_total(r, "aquifer_discharge_to_lake_m3", y) == Approx(-year_total(r, "groundwater_inflow_m3", y)).epsilon(1e-9));
  CHECK(year_total(r, "groundwater_inflow_m3", 2001) > 0.0);
  CHECK(year_total(r, "groundwater_inflow_m3", 2001) == year_total(base, "groundwater_inflow_m3", 2001));
  // A quarter of the rate (the aquifer, draining more slowly, then stands higher than in the base run).
  CHECK(year_total(r, "groundwater_inflow_m3", 2002) < 0.5 * year_total(base, "groundwater_inflow_m3", 2002));
  CHECK(std::abs(r.water_residual_m3) < 1e-9 * year_total(r, "groundwater_inflow_m3", 2001));
  const auto [water, salt] = scenario::balance_from_outputs(r);
  CHECK(std::abs(water) < 1e-3);
  (void)salt;
}

TEST_CASE("a flux scale on a scheduled demand scales the demand itself (no shortage)", "[measures][flux_scale]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e7, 1e7}, {});
  in.water_use.columns["lake_abstraction_m3_per_a"] = {3.65e6};
  auto run = testing::plain_run({2001, 1, 1}, {2002, 12, 31});
  run.scenario.switches.water_uses = true;
  run.scenario.measures.push_back(measure("half", "flux_scale", {2002, 1, 1}, {{"factor", 0.5}}, {{"flux", {"lake_abstraction"}}}));
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  CHECK(year_total(r, "lake_abstraction_m3", 2001) == Approx(-3.65e6).epsilon(1e-9));
  CHECK(year_total(r, "lake_abstraction_m3", 2002) == Approx(-0.5 * 3.65e6).epsilon(1e-9));
  CHECK(testing::total(testing::annual(r, "lake_abstraction_shortage_m3")) < 1e-3);
}

TEST_CASE("a withdrawal cap limits its group in each calendar year and reports what it removed", "[measures][withdrawal_cap]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e8, 1e8}, {});
  in.water_use.years = {2000};
  in.water_use.columns["irrigated_area_km2"] = {100.0};
  in.water_use.columns["town_use_m3_per_a"] = {4e6};
  set(in, "irrigation_net_depth_mm", 200.0);   // 2e7 m3/a of irrigation
  set(in, "irrigation_groundwater_share", 1.0);
  set(in, "aquifer_dry_storage_m3", 1.0);
  set(in, "initial_aquifer_head_m", 50.0);     // a full aquifer: every demand is met
  auto run = testing::plain_run({2001, 1, 1}, {2003, 12, 31});
  run.scenario.switches.water_uses = true;
  run.scenario.switches.aquifer = true;
  run.scenario.measures.push_back(
      measure("wells", "withdrawal_cap", {2002, 1, 1}, {{"cap_m3_per_a", 1.2e7}}, {{"fluxes", {"pumping_irrigation"}}}));
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  CHECK(year_total(r, "pumping_irrigation_m3", 2001) == Approx(-2e7).epsilon(1e-9));
  for (int y : {2002, 2003}) {
    CHECK(year_total(r, "pumping_irrigation_m3", y) == Approx(-1.2e7).epsilon(1e-9));
    CHECK(year_total(r, "wells_reduction_m3", y) == Approx(0.8e7).epsilon(1e-9));
    CHECK(year_total(r, "pumping_towns_m3", y) == Approx(-4e6).epsilon(1e-9));  // not in the group
  }
  CHECK(year_total(r, "wells_reduction_m3", 2001) == 0.0);
}

TEST_CASE("measures that do not fit the model are input errors naming where they were defined", "[measures][errors]") {
  auto in = testing::make_inputs({0.0, 10.0}, {1e6, 1e6}, {});
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  auto expect = [&](const scenario::MeasureSpec& m, const std::string& text) {
    auto r = run;
    r.scenario.measures.push_back(m);
    try {
      (void)model::assemble({r}, in);
      FAIL("no error for " << m.kind);
    } catch (const core::InputError& e) {
      INFO(e.what());
      CHECK(e.file() == "test.toml");
      CHECK(e.line() == 7);
      CHECK(e.key() == "measures." + m.name);
      CHECK(std::string(e.what()).find(text) != std::string::npos);
    }
  };
  expect(measure("x", "flux_scale", {2001, 1, 1}, {{"factor", 2.0}}, {{"flux", {"river_runoff"}}}), "no flux 'river_runoff'");
  expect(measure("x", "withdrawal_cap", {2001, 1, 1}, {{"cap_m3_per_a", 1.0}}, {{"fluxes", {"lake_evaporation"}}}),
         "not a scheduled demand");
  expect(measure("x", "groundwater_cap", {2001, 1, 1}, {{"cap_m3_per_a", 1.0}}), "no groundwater demands");
  expect(measure("x", "teleport", {2001, 1, 1}, {}), "unknown measure kind");
}
