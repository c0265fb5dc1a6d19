// The batch scheme: classic RK4 with one step per day (the default plan batch and the benchmark)
// against the error-controlled Dormand–Prince 5(4) reference (abs 1e-3 m3, rel 1e-9) on the real
// Daihai inputs, 1955-2050, every measure on, several climate members. Measured when the default
// plan switched to RK4: median of the runs' largest annual-level difference 3.6e-6 m, worst
// 1.3e-4 m in runs whose lake all but dries out (bench/README.md); RK4 costs half the time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "io/scenario_file.hpp"
#include "scenario/run.hpp"

using namespace daihai;

namespace {

const scenario::Variable& annual(const scenario::RunResult& r, const std::string& name) {
  for (const auto& v : r.annual)
    if (v.name == name) return v;
  FAIL("no annual variable " << name);
  throw;
}

}  // namespace

TEST_CASE("rk4 at one step per day follows dopri5 on the Daihai history and plan period", "[integrator][regression]") {
  const io::RunPlan plan = io::load_scenario_file(std::string(DAIHAI_SOURCE_DIR) + "/scenarios/history.toml");
  REQUIRE(plan.runs.size() == 1);
  for (int member = 0; member < 3; ++member) {
    scenario::RunSpec reference = plan.runs[0];
    reference.scenario.end = {2050, 12, 31};
    reference.scenario.climate.member = member;
    reference.scenario.integrator = "dopri5";
    scenario::RunSpec fixed = reference;
    fixed.scenario.integrator = "rk4";
    const auto a = scenario::run_scenario(reference, *plan.inputs);
    const auto b = scenario::run_scenario(fixed, *plan.inputs);
    REQUIRE(a.ok);
    REQUIRE(b.ok);
    const std::int64_t days = core::day_number({2050, 12, 31}) - core::day_number(reference.scenario.start) + 1;
    CHECK(b.steps == static_cast<std::uint64_t>(days));
    double level = 0.0, tds = 0.0;
    const auto& la = annual(a, "level_m").values;
    const auto& lb = annual(b, "level_m").values;
    const auto& ta = annual(a, "tds_g_per_L").values;
    const auto& tb = annual(b, "tds_g_per_L").values;
    for (std::size_t y = 0; y < la.size(); ++y) {
      level = std::max(level, std::abs(la[y] - lb[y]));
      tds = std::max(tds, std::abs(ta[y] - tb[y]));
    }
    INFO("member " << member << ": largest annual difference " << level << " m, " << tds << " g/L");
    CHECK(level < 1e-3);  // a millimetre: far below what a stage gauge or a planner reads
    CHECK(tds < 1e-3);
    // Both close their balances to rounding.
    CHECK(std::abs(b.water_residual_m3) < 1e-6 * std::abs(annual(b, "volume_m3").values.front()));
  }
}
