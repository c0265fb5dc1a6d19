// A run's results depend on its own identity (measures, climate member, parameter member) alone:
// not on which other runs share its batch, on the order they come in, on the window the batch
// runner simulates them in (runs of one climate realisation share one forcing, built once), on
// the width of the blocks it is simulated in or its lane there, or on the number of threads.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <tuple>

#include "batch/batch.hpp"
#include "io/scenario_file.hpp"
#include "model/schedules.hpp"
#include "scenario/block.hpp"
#include "support/cli.hpp"

using namespace daihai;
using namespace daihai::testing;

namespace {

std::string batch_text(const std::string& measures, int members, int first_member) {
  return "[batch]\nname = \"composition\"\nmeasures = " + measures + "\ncombinations = \"all\"\nmembers = " +
         std::to_string(members) + "\nfirst_member = " + std::to_string(first_member) +
         "\n\n[scenario]\nstart = 1955-01-01\nend = 1962-12-31\ninputs = \"" + std::string(DAIHAI_SOURCE_DIR) +
         "/inputs/daihai\"\nseries = \"monthly\"\nintegrator = \"rk4\"\n\n[climate]\nseed = 20240601\n"
         "\n[measures.yongxing_diversion]\nstart = 1956-01-01\n" +
         (measures.find("cooling_retrofit") != std::string::npos ? "[measures.cooling_retrofit]\nstart = 1957-01-01\n" : "");
}

using Key = std::tuple<std::string, int, int>;  // scenario, climate member, parameter member

std::map<Key, scenario::RunResult> run(const io::RunPlan& plan, int threads, std::size_t window, std::size_t width = 0) {
  std::map<Key, scenario::RunResult> out;
  batch::run_streaming(
      plan, threads,
      [&](std::size_t, scenario::RunResult&& r) {
        REQUIRE(r.ok);
        Key k{r.scenario, r.climate_member, r.parameter_member};
        out.emplace(k, std::move(r));
      },
      {}, nullptr, window, {}, width);
  return out;
}

void require_same(const scenario::RunResult& a, const scenario::RunResult& b) {
  REQUIRE(a.series.size() == b.series.size());
  for (std::size_t v = 0; v < a.series.size(); ++v) {
    INFO(a.series[v].name);
    CHECK(a.series[v].values == b.series[v].values);  // bit for bit
  }
  for (std::size_t v = 0; v < a.annual.size(); ++v) CHECK(a.annual[v].values == b.annual[v].values);
}

}  // namespace

TEST_CASE("a run gives the same series whatever the batch composition, window and thread count", "[batch][composition]") {
  ScratchDir dir("composition");
  // Large: 4 combinations x members 0..3. Small: 2 combinations (a subset) x member 2 only.
  write_text(dir.path / "large.toml", batch_text("[\"yongxing_diversion\", \"cooling_retrofit\"]", 4, 0));
  write_text(dir.path / "small.toml", batch_text("[\"yongxing_diversion\"]", 1, 2));
  const io::RunPlan large = io::load_batch_file((dir.path / "large.toml").string());
  const io::RunPlan small = io::load_batch_file((dir.path / "small.toml").string());
  REQUIRE(large.runs.size() == 16);
  REQUIRE(small.runs.size() == 2);

  const auto reference = run(large, 1, 64);
  for (const auto& [threads, window, width] :
       std::vector<std::tuple<int, std::size_t, std::size_t>>{{2, 64, 0}, {2, 3, 0}, {1, 1, 0}, {2, 5, 0}, {1, 64, 1}, {2, 64, 3}, {2, 64, 8},
                                                              {1, 7, 32}}) {
    INFO(threads << " threads, windows of " << window << ", blocks of " << width << " runs");
    const auto other = run(large, threads, window, width);
    REQUIRE(other.size() == reference.size());
    for (const auto& [k, r] : reference) require_same(r, other.at(k));
  }
  // The small batch's runs are runs of the large one: the same member and measures give the same
  // series. The scenario name differs only by the measures the batch knows of.
  const auto few = run(small, 2, 64);
  REQUIRE(few.size() == 2);
  const auto& base = reference.at(Key{"baseline", 2, 0});
  const auto& yong = reference.at(Key{"yongxing_diversion", 2, 0});
  require_same(few.at(Key{"baseline", 2, 0}), base);
  require_same(few.at(Key{"yongxing_diversion", 2, 0}), yong);
  // and the members differ from each other (the comparison can fail).
  CHECK(reference.at(Key{"baseline", 1, 0}).annual.front().values != base.annual.front().values);
}

TEST_CASE("a block's runs give the same results in any lane and with any neighbours", "[batch][composition][block]") {
  ScratchDir dir("lanes");
  write_text(dir.path / "b.toml", batch_text("[\"yongxing_diversion\", \"cooling_retrofit\"]", 2, 0));
  const io::RunPlan plan = io::load_batch_file((dir.path / "b.toml").string());
  REQUIRE(plan.runs.size() == 8);
  const scenario::LakeInputs& in = *plan.inputs;
  std::vector<core::ParameterSet> params;
  std::vector<forcing::DailyForcing> forcing;
  std::vector<management::Schedules> schedules;
  for (const auto& r : plan.runs) {
    params.push_back(model::run_parameters(r.scenario, in));
    const std::int64_t first = core::day_number(r.scenario.start);
    forcing.push_back(in.forcing(r.scenario.climate, first, core::day_number(r.scenario.end) - first + 1));
  }
  for (std::size_t i = 0; i < plan.runs.size(); ++i) schedules.push_back(model::build_schedules(*plan.model, plan.runs[i], params[i], in));
  auto lane = [&](std::size_t i) { return scenario::Lane{&plan.runs[i], &params[i], &forcing[i], &schedules[i]}; };
  // Every run alone, then all eight in one block in reverse order, then pairs of unlike runs.
  std::vector<scenario::RunResult> alone;
  for (std::size_t i = 0; i < plan.runs.size(); ++i) alone.push_back(scenario::simulate_block(*plan.model, in, {lane(i)}).front());
  std::vector<scenario::Lane> reversed;
  for (std::size_t i = plan.runs.size(); i-- > 0;) reversed.push_back(lane(i));
  const auto together = scenario::simulate_block(*plan.model, in, reversed);
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    INFO("run " << i);
    REQUIRE(alone[i].ok);
    require_same(alone[i], together[plan.runs.size() - 1 - i]);
  }
  const auto pair = scenario::simulate_block(*plan.model, in, {lane(7), lane(0)});
  require_same(alone[0], pair[1]);
  require_same(alone[7], pair[0]);
  CHECK(alone[0].annual.front().values != alone[7].annual.front().values);  // the runs differ
}
