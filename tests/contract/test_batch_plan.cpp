// The expansion of a batch file into runs: the order of the axes (climate delta, parameter
// member, climate member, measure combination), the identity of each run, and that a climate
// member's weather does not depend on which other runs are in the batch.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "io/scenario_file.hpp"
#include "scenario/run.hpp"
#include "support/cli.hpp"

using namespace daihai;
using namespace daihai::testing;
namespace fs = std::filesystem;

namespace {

const char* kScenarioTables =
    "[scenario]\nstart = 1955-01-01\nend = 1956-12-31\ninputs = \"inputs\"\n"
    "[climate]\nseed = 5\n";

forcing::DailyForcing forcing_of(const io::RunPlan& plan, const scenario::RunSpec& r) {
  const std::int64_t first = core::day_number(r.scenario.start);
  const std::int64_t n = core::day_number(r.scenario.end) - first + 1;
  return plan.inputs->forcing(r.scenario.climate, first, n);
}

const scenario::RunSpec& find_run(const io::RunPlan& plan, const std::string& scenario, int member, double dt, double dp) {
  for (const auto& r : plan.runs)
    if (r.scenario.name == scenario && r.scenario.climate.member == member && r.scenario.climate.delta_t_C == dt &&
        r.scenario.climate.delta_p_pct == dp)
      return r;
  FAIL("no run " << scenario << " member " << member << " dT " << dt << " dP " << dp);
  throw;
}

}  // namespace

TEST_CASE("batch runs are ordered climate delta then parameter member then climate member then combination",
          "[contract][batch_plan]") {
  ScratchDir d("batch_plan_order", true);
  write_text(d.path / "inputs" / "parameter_ensemble.csv",
             "member,evaporation_multiplier\n0,0.90\n7,0.95\n");
  write_text(d.path / "b.toml",
             std::string("[batch]\nname = \"b\"\nmeasures = [\"cooling_retrofit\", \"well_sealing\"]\n"
                         "combinations = \"all\"\nmembers = 2\nfirst_member = 3\nparameter_members = \"all\"\n"
                         "climate_deltas = [ { delta_t_C = 0.0, delta_p_pct = 0.0 }, { delta_t_C = 1.5, delta_p_pct = -5.0 } ]\n") +
                 kScenarioTables);
  const io::RunPlan plan = io::load_batch_file((d.path / "b.toml").string());
  // 2 deltas x 2 parameter members x 2 climate members x 4 combinations
  REQUIRE(plan.runs.size() == 32);
  // "all" combinations in mask order: bit 0 = the first measure listed.
  const std::vector<std::string> combos = {"baseline", "cooling_retrofit", "well_sealing", "cooling_retrofit+well_sealing"};
  const std::vector<int> parameter_members = {0, 7};
  const double dts[] = {0.0, 1.5}, dps[] = {0.0, -5.0};
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    // run index = ((d * 2 + p) * 2 + m) * 4 + c
    const std::size_t c = i % 4, m = (i / 4) % 2, p = (i / 8) % 2, delta = i / 16;
    const auto& r = plan.runs[i];
    INFO("run " << i);
    CHECK(r.index == i);
    CHECK(r.scenario.name == combos[c]);
    CHECK(r.scenario.climate.member == static_cast<int>(3 + m));
    CHECK(r.scenario.parameter_member == parameter_members[p]);
    CHECK(r.scenario.climate.delta_t_C == dts[delta]);
    CHECK(r.scenario.climate.delta_p_pct == dps[delta]);
    CHECK(r.scenario.overrides.at("evaporation_multiplier") == (p == 0 ? 0.90 : 0.95));
  }
  // The combination's measures are on, every other measure off (bit 0 cooling_retrofit, bit 1
  // well_sealing), in every run.
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const std::size_t c = i % 4;
    REQUIRE(plan.runs[i].measure_flags.size() == 5);
    for (const auto& [name, on] : plan.runs[i].measure_flags) {
      const bool want = (name == "cooling_retrofit" && (c & 1)) || (name == "well_sealing" && (c & 2));
      CHECK(on == want);
    }
    CHECK(plan.runs[i].scenario.measures.size() == std::size_t((c & 1) + ((c & 2) >> 1)));
  }
  // Paired sampling: climate member k with parameter member k only (one joint draw per member).
  write_text(d.path / "p.toml",
             std::string("[batch]\nname = \"p\"\nmeasures = [\"cooling_retrofit\", \"well_sealing\"]\n"
                         "combinations = \"all\"\nmembers = 2\nfirst_member = 3\nparameter_members = \"all\"\n"
                         "parameter_sampling = \"paired\"\n") +
                 kScenarioTables);
  const io::RunPlan paired = io::load_batch_file((d.path / "p.toml").string());
  REQUIRE(paired.runs.size() == 8);  // 2 members x 4 combinations
  for (std::size_t i = 0; i < paired.runs.size(); ++i) {
    const std::size_t c = i % 4, m = i / 4;
    const auto& r = paired.runs[i];
    CHECK(r.scenario.name == combos[c]);
    CHECK(r.scenario.climate.member == static_cast<int>(3 + m));
    CHECK(r.scenario.parameter_member == parameter_members[m]);
    CHECK(r.scenario.overrides.at("evaporation_multiplier") == (m == 0 ? 0.90 : 0.95));
  }
  // Paired with more climate members than parameter members takes the parameter members in turn
  // (climate member k with parameter member k mod P); fewer climate members than parameter members
  // would leave some never run and is refused.
  write_text(d.path / "q.toml",
             std::string("[batch]\nname = \"q\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 3\n"
                         "parameter_members = \"all\"\nparameter_sampling = \"paired\"\n") +
                 kScenarioTables);
  const io::RunPlan cycled = io::load_batch_file((d.path / "q.toml").string());
  REQUIRE(cycled.runs.size() == 6);  // 3 members x 2 combinations
  for (std::size_t i = 0; i < cycled.runs.size(); ++i)
    CHECK(cycled.runs[i].scenario.parameter_member == parameter_members[(i / 2) % 2]);
  write_text(d.path / "q1.toml",
             std::string("[batch]\nname = \"q\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 1\n"
                         "parameter_members = \"all\"\nparameter_sampling = \"paired\"\n") +
                 kScenarioTables);
  CHECK_THROWS_WITH(io::load_batch_file((d.path / "q1.toml").string()),
                    Catch::Contains("q1.toml:7") && Catch::Contains("one parameter member per climate member"));
  // Without climate_deltas the one delta is that of [climate]; a key left out of an entry takes it too.
  const std::string c_text =
      "[batch]\nname = \"c\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 1\n";
  const std::string c_tables =
      "[scenario]\nstart = 1955-01-01\nend = 1956-12-31\ninputs = \"inputs\"\n"
      "[climate]\ndelta_t_C = 0.5\ndelta_p_pct = 10\nseed = 5\n";
  write_text(d.path / "c.toml", c_text + c_tables);
  const io::RunPlan one = io::load_batch_file((d.path / "c.toml").string());
  REQUIRE(one.runs.size() == 2);
  for (const auto& r : one.runs) {
    CHECK(r.scenario.climate.delta_t_C == 0.5);
    CHECK(r.scenario.climate.delta_p_pct == 10.0);
  }
  write_text(d.path / "e.toml", c_text + "climate_deltas = [ { delta_t_C = 2.0 }, { delta_p_pct = -20 } ]\n" + c_tables);
  const io::RunPlan partial = io::load_batch_file((d.path / "e.toml").string());
  REQUIRE(partial.runs.size() == 4);
  CHECK(partial.runs[0].scenario.climate.delta_t_C == 2.0);
  CHECK(partial.runs[0].scenario.climate.delta_p_pct == 10.0);
  CHECK(partial.runs[2].scenario.climate.delta_t_C == 0.5);
  CHECK(partial.runs[2].scenario.climate.delta_p_pct == -20.0);
}

TEST_CASE("a climate member has the same weather whatever else is in the batch", "[contract][batch_plan]") {
  ScratchDir d("batch_plan_member", true);
  // A: members 0..2, one combination, no delta axis.
  write_text(d.path / "a.toml",
             std::string("[batch]\nname = \"a\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"list\"\n"
                         "list = [[\"cooling_retrofit\"]]\nmembers = 3\n") +
                 kScenarioTables);
  // B: only member 2, every combination of two measures, and a warmer, drier delta listed first.
  write_text(d.path / "b.toml",
             std::string("[batch]\nname = \"b\"\nmeasures = [\"cooling_retrofit\", \"well_sealing\"]\n"
                         "combinations = \"all\"\nmembers = 1\nfirst_member = 2\n"
                         "climate_deltas = [ { delta_t_C = 1.5, delta_p_pct = -5.0 }, { delta_t_C = 0.0, delta_p_pct = 0.0 } ]\n") +
                 kScenarioTables);
  const io::RunPlan a = io::load_batch_file((d.path / "a.toml").string());
  const io::RunPlan b = io::load_batch_file((d.path / "b.toml").string());
  REQUIRE(a.runs.size() == 3);
  REQUIRE(b.runs.size() == 8);
  const auto& ra = find_run(a, "cooling_retrofit", 2, 0.0, 0.0);
  const auto& rb = find_run(b, "cooling_retrofit", 2, 0.0, 0.0);
  CHECK(ra.index == 2);
  CHECK(rb.index == 5);  // second delta (4 runs on), combination 1
  const auto fa = forcing_of(a, ra), fb = forcing_of(b, rb);
  REQUIRE(fa.size() == 731);
  CHECK(fa.precip_m_per_s == fb.precip_m_per_s);
  CHECK(fa.evap_fresh_m_per_s == fb.evap_fresh_m_per_s);
  CHECK(fa.tmean_C == fb.tmean_C);
  // ... and the same results (identical inputs give identical runs).
  const auto res_a = scenario::run_scenario(ra, *a.inputs), res_b = scenario::run_scenario(rb, *b.inputs);
  REQUIRE(res_a.ok);
  REQUIRE(res_b.ok);
  CHECK(res_a.final.at(0).value == res_b.final.at(0).value);
  CHECK(res_b.delta_t_C == 0.0);

  // The delta run of the same member changes that realisation (common random numbers): in
  // 1955-1956 (no observed months) 1.5 degC warmer every day and 5 % less on every wet day.
  const auto& warm = find_run(b, "cooling_retrofit", 2, 1.5, -5.0);
  CHECK(warm.index == 1);
  const auto fw = forcing_of(b, warm);
  REQUIRE(fw.size() == fa.size());
  std::size_t wet = 0;
  for (std::size_t i = 0; i < fa.size(); ++i) {
    CHECK(fw.tmean_C[i] == Approx(fa.tmean_C[i] + 1.5).margin(1e-9));
    CHECK(fw.precip_m_per_s[i] == Approx(0.95 * fa.precip_m_per_s[i]).margin(1e-18));
    if (fa.precip_m_per_s[i] > 0) ++wet;
  }
  CHECK(wet > 50);
  const auto res_w = scenario::run_scenario(warm, *b.inputs);
  REQUIRE(res_w.ok);
  CHECK(res_w.delta_t_C == 1.5);
  CHECK(res_w.delta_p_pct == -5.0);
}

TEST_CASE("design variants are a batch axis with canonical names, recorded in the runs", "[contract][batch_plan][variants]") {
  ScratchDir d("batch_variants", true);
  const std::string head = "[batch]\nname = \"v\"\nmeasures = [\"yellow_river_diversion\", \"agricultural_saving\"]\ncombinations = \"all\"\nmembers = 2\n";
  write_text(d.path / "v.toml", head +
                                    "variants = { \"yellow_river_diversion.delivery_fraction\" = [0.5, 1.0], "
                                    "\"yellow_river_diversion.start\" = [2022-10-01, 2024-10-01] }\n" +
                                    kScenarioTables);
  const io::RunPlan plan = io::load_batch_file((d.path / "v.toml").string());
  // Per member: baseline, 4 Yellow River cells, agricultural saving, 4 cells with both = 10.
  REQUIRE(plan.runs.size() == 20);
  // Canonical order: the measures file's (Yellow River before agricultural saving), whatever the batch's.
  const auto& r = find_run(plan, "yellow_river_diversion[delivery_fraction=0.5,start=2024-10-01]+agricultural_saving", 1, 0.0, 0.0);
  bool found = false;
  for (const auto& m : r.scenario.measures)
    if (m.name == "yellow_river_diversion") {
      found = true;
      CHECK(m.values.at("delivery_fraction") == 0.5);
      CHECK(m.start == core::Date{2024, 10, 1});
    }
  CHECK(found);
  bool recorded = false;
  for (const auto& v : r.design_values)
    if (v.name == "yellow_river_diversion.delivery_fraction") recorded = v.value == 0.5;
  CHECK(recorded);
  // Bad variants: refused naming the line and key.
  auto refused = [&](const std::string& variants, const std::string& what) {
    INFO(variants);
    write_text(d.path / "bad.toml", head + "variants = { " + variants + " }\n" + kScenarioTables);
    CHECK_THROWS_WITH(io::load_batch_file((d.path / "bad.toml").string()), Catch::Contains("bad.toml:6") && Catch::Contains(what));
  };
  refused("\"well_sealing.wells_total\" = [10]", "batch.measures");
  refused("\"yellow_river_diversion.speed\" = [1]", "no design value 'speed'");
  refused("\"yellow_river_diversion.delivery_fraction\" = [0.5, 0.5]", "listed twice");
  refused("\"yellow_river_diversion.delivery_fraction\" = []", "1 to 100 values");
  refused("\"yellow_river_diversion.start\" = [\"2022-13-01\"]", "YYYY-MM-DD");
}
