// Shared histories, conditioning on monitoring data and state files, through the batch runner:
// runs that branch from a history equal runs simulated from their start bit for bit; a
// conditioned ensemble converges on a known truth; an observation far outside the ensemble is
// rejected; the analysis increments close the budgets; the conditioned ensemble does not depend
// on threads or block width; a restart from a state file continues a run bit for bit.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>
#include <tuple>

#include "batch/batch.hpp"
#include "core/random.hpp"
#include "io/scenario_file.hpp"
#include "io/hdf5.hpp"
#include "model/schedules.hpp"
#include "scenario/block.hpp"
#include "scenario/run.hpp"
#include "support/cli.hpp"

#include <fmt/format.h>

using namespace daihai;
using namespace daihai::testing;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A batch on the Daihai inputs, 1955 to `end_year`, rk4, daily series of the level.
std::string batch_text(const std::string& batch_keys, int end_year, const std::string& extra = "") {
  return "[batch]\nname = \"histories\"\n" + batch_keys + "\n[scenario]\nstart = 1955-01-01\nend = " + std::to_string(end_year) +
         "-12-31\ninputs = \"" + std::string(DAIHAI_SOURCE_DIR) + "/inputs/daihai\"\nintegrator = \"rk4\"\n\n[climate]\nseed = 20240601\n"
         "\n[output]\nseries = \"none\"\n[output.variables]\nlevel_m = { series = \"daily\" }\narea_m2 = { series = \"monthly\" }\n" +
         extra;
}

struct Batch {
  std::vector<scenario::RunResult> runs;
  batch::Histories histories;
};

Batch run(const io::RunPlan& plan, int threads = 2, std::size_t width = 0) {
  Batch b;
  b.runs.resize(plan.runs.size());
  batch::run_streaming(
      plan, threads, [&](std::size_t i, scenario::RunResult&& r) { b.runs[i] = std::move(r); }, {}, nullptr, 64, {}, width,
      [&](const batch::Histories& h) { b.histories = h; });
  return b;
}

const scenario::Variable& find(const std::vector<scenario::Variable>& vs, const std::string& name) {
  for (const auto& v : vs)
    if (v.name == name) return v;
  FAIL("no variable " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("runs that branch from a shared history equal runs simulated from their start, bit for bit", "[batch][histories]") {
  ScratchDir dir("branch");
  write_text(dir.path / "b.toml", batch_text("measures = [\"yongxing_diversion\", \"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 3\n", 1965,
                                             "[measures.yongxing_diversion]\nstart = 1958-03-01\n[measures.cooling_retrofit]\nstart = 1960-01-01\n"));
  const io::RunPlan plan = io::load_batch_file((dir.path / "b.toml").string());
  REQUIRE(plan.runs.size() == 12);
  const Batch b = run(plan);
  REQUIRE(b.histories.active);
  // The first day any run's schedules differ: Yongxing's flow starts on its start date.
  CHECK(b.histories.branch_day == core::day_number({1958, 3, 1}));
  const std::int64_t days = core::day_number({1965, 12, 31}) - core::day_number({1955, 1, 1}) + 1;
  CHECK(b.histories.run_days == 3u * static_cast<std::uint64_t>(core::day_number({1958, 3, 1}) - core::day_number({1955, 1, 1})));
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    INFO("run " << i << " " << plan.runs[i].scenario.name);
    const auto alone = scenario::run_scenario(*plan.model, plan.runs[i], *plan.inputs);  // from its start, no history
    const auto& r = b.runs[i];
    REQUIRE(r.ok);
    CHECK(r.branch_date == "1958-03-01");
    for (std::size_t v = 0; v < alone.annual.size(); ++v) CHECK(r.annual[v].values == alone.annual[v].values);
    REQUIRE(r.final.size() == alone.final.size());
    for (std::size_t k = 0; k < r.final.size(); ++k) CHECK(r.final[k].value == alone.final[k].value);
    CHECK(r.water_residual_m3 == alone.water_residual_m3);
    CHECK(r.steps == static_cast<std::uint64_t>(days));  // rk4: one step per day, history's included
  }
}

TEST_CASE("a conditioned ensemble converges on a known truth, its spread on the observation error", "[batch][histories][assimilation]") {
  ScratchDir dir("truth");
  // The truth: climate member 40 (weather none of the members has), baseline, daily levels.
  write_text(dir.path / "truth.toml", batch_text("measures = []\ncombinations = \"all\"\nmembers = 1\nfirst_member = 40\n", 1975));
  const io::RunPlan truth_plan = io::load_batch_file((dir.path / "truth.toml").string());
  const Batch truth = run(truth_plan);
  REQUIRE(truth.runs.front().ok);
  const auto& level = find(truth.runs.front().series, "level_m").values;
  // Observations of the level at the end of each year 1960..1974 with error sd 0.05 m, drawn.
  const double sd = 0.05;
  core::Rng rng(99, 0);
  std::string csv = "quantity,value,unit,time,sd,source,note\n";
  std::vector<double> truth_at;
  for (int y = 1960; y <= 1974; ++y) {
    const auto i = static_cast<std::size_t>(core::day_number({y, 12, 31}) - core::day_number({1955, 1, 1}));
    truth_at.push_back(level[i]);
    csv += fmt::format("level,{:.6f},m,{}-12-31,{},synthetic,truth plus noise\n", level[i] + sd * rng.normal(), y, sd);
  }
  write_text(dir.path / "monitoring.csv", csv);
  const std::string members = "measures = []\ncombinations = \"all\"\nmembers = 24\n";
  write_text(dir.path / "free.toml", batch_text(members, 1975));
  write_text(dir.path / "cond.toml", batch_text(members, 1975, "[assimilation]\nmonitoring = \"monitoring.csv\"\n"));
  const io::RunPlan cond_plan = io::load_batch_file((dir.path / "cond.toml").string());
  const Batch cond = run(cond_plan);
  REQUIRE(cond.histories.analyses.size() == truth_at.size());
  const auto& first = cond.histories.analyses.front();
  const auto& last = cond.histories.analyses.back();
  INFO("first analysis: prior " << first.prior_mean[0] << " ± " << first.prior_sd[0] << ", posterior " << first.posterior_mean[0] << " ± "
                                << first.posterior_sd[0] << ", truth " << truth_at.front());
  INFO("last analysis: prior " << last.prior_mean[0] << " ± " << last.prior_sd[0] << ", posterior " << last.posterior_mean[0] << " ± "
                               << last.posterior_sd[0] << ", truth " << truth_at.back());
  CHECK(first.prior_sd[0] > 3 * sd);  // the free ensemble spreads well beyond the observation error
  CHECK(std::abs(last.posterior_mean[0] - truth_at.back()) < 3 * sd);
  // The spread settles at the observation error: each year's weather spreads the members again
  // (0.24 m before the last analysis), each observation brings them back to about its own error.
  CHECK(last.posterior_sd[0] < 1.5 * sd);
  CHECK(last.posterior_sd[0] > 0.5 * sd);  // not collapsed
  // Errors of the last five analyses against the truth are smaller than the free ensemble's.
  const Batch free = run(io::load_batch_file((dir.path / "free.toml").string()));
  double err_cond = 0.0, err_free = 0.0;
  for (std::size_t k = truth_at.size() - 5; k < truth_at.size(); ++k) {
    const auto i = static_cast<std::size_t>(core::day_number({1960 + static_cast<int>(k), 12, 31}) - core::day_number({1955, 1, 1}));
    double mean = 0.0;
    for (const auto& r : free.runs) mean += find(r.series, "level_m").values[i] / static_cast<double>(free.runs.size());
    err_free += std::abs(mean - truth_at[k]);
    err_cond += std::abs(cond.histories.analyses[k].posterior_mean[0] - truth_at[k]);
  }
  CHECK(err_cond < 0.25 * err_free);
  // Every member stays physical and closes its balances with the increments booked.
  double increments = 0.0;
  for (const auto& r : cond.runs) {
    REQUIRE(r.ok);
    const auto [water, salt] = scenario::balance_from_outputs(r);
    CHECK(std::abs(water) < 1.0);   // m3, of lake volumes ~1e9
    CHECK(std::abs(salt) < 1e3);    // kg, of ~1e10
    for (double v : find(r.annual, "assimilation_lake_m3").values) increments += std::abs(v);
    for (double v : find(r.series, "level_m").values) CHECK(std::isfinite(v));
  }
  CHECK(increments > 0.0);
}

TEST_CASE("an observation far outside the ensemble is rejected and the ensemble is then as without it", "[batch][histories][assimilation]") {
  ScratchDir dir("far");
  const std::string members = "measures = []\ncombinations = \"all\"\nmembers = 6\n";
  write_text(dir.path / "far.csv", "quantity,value,unit,time,sd,source\nlevel,1300,m,1960-06-30,0.1,typo\n");
  write_text(dir.path / "free.toml", batch_text(members, 1962));
  write_text(dir.path / "far.toml", batch_text(members, 1962, "[assimilation]\nmonitoring = \"far.csv\"\n"));
  const Batch free = run(io::load_batch_file((dir.path / "free.toml").string()));
  const Batch far = run(io::load_batch_file((dir.path / "far.toml").string()));
  REQUIRE(far.histories.analyses.size() == 1);
  CHECK(far.histories.analyses.front().rejected == std::vector<std::size_t>{0});
  for (std::size_t i = 0; i < free.runs.size(); ++i) {
    REQUIRE(far.runs[i].ok);
    CHECK(find(far.runs[i].series, "level_m").values == find(free.runs[i].series, "level_m").values);
    for (double v : find(far.runs[i].annual, "assimilation_lake_m3").values) CHECK(v == 0.0);
  }
}

TEST_CASE("a conditioned ensemble does not depend on the threads or the block width", "[batch][histories][assimilation]") {
  ScratchDir dir("det");
  write_text(dir.path / "m.csv", "quantity,value,unit,time,sd,source\narea,150,km2,1958..1959,10,test\ntds,2.4,g/L,1960-12-31,0.3,test\n");
  write_text(dir.path / "b.toml", batch_text("measures = [\"yongxing_diversion\"]\ncombinations = \"all\"\nmembers = 5\n", 1963,
                                             "[measures.yongxing_diversion]\nstart = 1961-06-01\n[assimilation]\nmonitoring = \"m.csv\"\n"));
  const io::RunPlan plan = io::load_batch_file((dir.path / "b.toml").string());
  const Batch a = run(plan, 1, 32), b = run(plan, 2, 3);
  REQUIRE(a.histories.analyses.size() == 2);
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    REQUIRE(a.runs[i].ok);
    CHECK(find(a.runs[i].series, "level_m").values == find(b.runs[i].series, "level_m").values);
    CHECK(find(a.runs[i].annual, "assimilation_lake_kg").values == find(b.runs[i].annual, "assimilation_lake_kg").values);
  }
}

TEST_CASE("a monitoring row after the branch day is refused naming its line", "[batch][histories][assimilation]") {
  ScratchDir dir("late");
  write_text(dir.path / "m.csv", "quantity,value,unit,time,sd,source\narea,150,km2,1958,10,test\narea,120,km2,1962-06-30,10,test\n");
  write_text(dir.path / "b.toml", batch_text("measures = [\"yongxing_diversion\"]\ncombinations = \"all\"\nmembers = 3\n", 1963,
                                             "[measures.yongxing_diversion]\nstart = 1961-06-01\n[assimilation]\nmonitoring = \"m.csv\"\n"));
  const io::RunPlan plan = io::load_batch_file((dir.path / "b.toml").string());
  CHECK_THROWS_WITH(run(plan), Catch::Contains("m.csv:3") && Catch::Contains("1961-06-01"));
}

TEST_CASE("a run restarted from a state file continues the run that wrote it bit for bit", "[batch][histories][state]") {
  ScratchDir dir("restart");
  const std::string keys = "measures = [\"yongxing_diversion\"]\ncombinations = \"all\"\nmembers = 2\n";
  const std::string extra = "[measures.yongxing_diversion]\nstart = 1958-01-01\n";
  write_text(dir.path / "full.toml", batch_text(keys, 1968, extra));
  std::string rest = batch_text(keys, 1968, extra);
  rest.replace(rest.find("start = 1955-01-01"), 18, "start = 1962-07-01");
  write_text(dir.path / "rest.toml", rest);
  auto in = [&](const char* name) { return quoted(dir.path / name); };
  const Outcome full = run_daihai(dir.path, "batch " + in("full.toml") + " -o " + in("full.h5") + " -q");
  INFO(full.err);
  REQUIRE(full.status == 0);
  const Outcome save = run_daihai(dir.path, "batch " + in("full.toml") + " -o " + in("part.h5") + " -q --save-state " + in("state.h5") +
                                                      " --save-state-at 1962-07-01");
  INFO(save.err);
  REQUIRE(save.status == 0);
  const Outcome restart = run_daihai(dir.path, "batch " + in("rest.toml") + " -o " + in("rest.h5") + " -q --restart " + in("state.h5"));
  INFO(restart.err);
  REQUIRE(restart.status == 0);
  const auto a = io::hdf5::File::open((dir.path / "full.h5").string());
  const auto b = io::hdf5::File::open((dir.path / "rest.h5").string());
  const auto la = a.open_group("series").open_group("daily").open_dataset("level_m").read_double();
  const auto lb = b.open_group("series").open_group("daily").open_dataset("level_m").read_double();
  const std::size_t na = la.size() / 4, nb = lb.size() / 4;  // 4 runs
  REQUIRE(nb < na);
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t d = 0; d < nb; ++d) REQUIRE(lb[r * nb + d] == la[r * na + (na - nb) + d]);
  for (const char* v : {"volume_m3", "salt_dissolved_kg", "aquifer_storage_m3", "aquifer_salt_kg"})
    CHECK(a.open_group("final").open_dataset(v).read_double() == b.open_group("final").open_dataset(v).read_double());
  // A state of other runs, or at another day, is refused naming the file.
  std::string other = rest;
  other.replace(other.find("start = 1962-07-01"), 18, "start = 1962-08-01");
  write_text(dir.path / "other.toml", other);
  const Outcome wrong_day = run_daihai(dir.path, "batch " + in("other.toml") + " -o " + in("other.h5") + " -q --restart " + in("state.h5"));
  CHECK(wrong_day.status == 1);
  CHECK(contains(wrong_day.err, "state.h5"));
  CHECK(contains(wrong_day.err, "1962-07-01"));
  const Outcome not_state = run_daihai(dir.path, "batch " + in("rest.toml") + " -o " + in("r2.h5") + " -q --restart " + in("full.h5"));
  CHECK(not_state.status == 1);
  CHECK(contains(not_state.err, "not a daihai state file"));
  // The restarted file covers its own days: its /initial is the saved state and its balances close.
  {
    const auto w = b.open_group("balance").open_dataset("water_residual_m3").read_double();
    for (double r : w) CHECK(std::abs(r) < 1.0);
    const auto v0 = b.open_group("initial").open_dataset("volume_m3").read_double();
    CHECK(v0 != a.open_group("initial").open_dataset("volume_m3").read_double());  // not the 1955 state
  }
  // Other weather (seed), other switches, or --save-state with --resume: refused before anything runs.
  std::string seed = rest;
  seed.replace(seed.find("seed = 20240601"), 15, "seed = 7");
  write_text(dir.path / "seed.toml", seed);
  const Outcome other_seed = run_daihai(dir.path, "batch " + in("seed.toml") + " -o " + in("s.h5") + " -q --restart " + in("state.h5"));
  CHECK(other_seed.status == 1);
  CHECK(contains(other_seed.err, "weather"));
  CHECK_FALSE(fs::exists(dir.path / "s.h5"));
  write_text(dir.path / "sw.toml", rest + "[switches]\nevaporation = false\n");
  const Outcome switches = run_daihai(dir.path, "batch " + in("sw.toml") + " -o " + in("sw.h5") + " -q --restart " + in("state.h5"));
  CHECK(switches.status == 1);
  CHECK(contains(switches.err, "lake_evaporation"));
  CHECK_FALSE(fs::exists(dir.path / "sw.h5"));
  const Outcome resume = run_daihai(dir.path, "batch " + in("full.toml") + " -o " + in("x.h5") + " -q --resume --save-state " + in("x_state.h5") +
                                                  " --save-state-at 1962-07-01");
  CHECK(resume.status == 2);  // options that do not go together: a bad command line
  CHECK(contains(resume.err, "--resume"));
}

TEST_CASE("a state saved before 1970 and before the runs branch, restarted mid-year with a yearly cap, continues bit for bit",
          "[batch][histories][state]") {
  // Two faults found by the restart property (tests/property): a save day before 1970 (a negative
  // day number) was taken for "no save day" by the branch-day check, so runs sharing a history
  // saved no state at all; and the well sealing's yearly cap was shared pro rata over the run's
  // days of its first calendar year, so a run restarted mid-year sealed less than the run it
  // continued.
  ScratchDir dir("restart_early");
  const std::string keys = "measures = [\"cooling_retrofit\", \"well_sealing\"]\ncombinations = \"all\"\nmembers = 1\n";
  const std::string extra = "[measures.cooling_retrofit]\nstart = 1955-01-01\n[measures.well_sealing]\nstart = 1955-01-01\n";
  write_text(dir.path / "full.toml", batch_text(keys, 1960, extra));
  std::string rest = batch_text(keys, 1960, extra);
  rest.replace(rest.find("start = 1955-01-01"), 18, "start = 1955-03-02");
  write_text(dir.path / "rest.toml", rest);
  auto in = [&](const char* name) { return quoted(dir.path / name); };
  const Outcome save = run_daihai(dir.path, "batch " + in("full.toml") + " -o " + in("full.h5") + " --save-state " + in("state.h5") +
                                                      " --save-state-at 1955-03-02");
  INFO(save.err);
  REQUIRE(save.status == 0);
  CHECK(contains(save.err, "wrote the state of 4 run(s)"));
  const Outcome restart = run_daihai(dir.path, "batch " + in("rest.toml") + " -o " + in("rest.h5") + " -q --restart " + in("state.h5"));
  INFO(restart.err);
  REQUIRE(restart.status == 0);
  const auto a = io::hdf5::File::open((dir.path / "full.h5").string());
  const auto b = io::hdf5::File::open((dir.path / "rest.h5").string());
  for (const char* v : {"volume_m3", "salt_dissolved_kg", "aquifer_storage_m3", "aquifer_salt_kg", "field_salt_kg"}) {
    INFO(v);
    CHECK(a.open_group("final").open_dataset(v).read_double() == b.open_group("final").open_dataset(v).read_double());
  }
}

TEST_CASE("a conditioned batch restarts without its monitoring table", "[batch][histories][state][assimilation]") {
  ScratchDir dir("restart_cond");
  auto in = [&](const char* name) { return quoted(dir.path / name); };
  write_text(dir.path / "m.csv", "quantity,value,unit,time,sd,source\narea,150,km2,1958,10,test\n");
  const std::string keys = "measures = [\"yongxing_diversion\"]\ncombinations = \"all\"\nmembers = 3\n";
  const std::string measure = "[measures.yongxing_diversion]\nstart = 1960-01-01\n";
  write_text(dir.path / "full.toml", batch_text(keys, 1964, measure + "[assimilation]\nmonitoring = \"m.csv\"\n"));
  std::string rest = batch_text(keys, 1964, measure);
  rest.replace(rest.find("start = 1955-01-01"), 18, "start = 1962-01-01");
  write_text(dir.path / "rest.toml", rest);
  REQUIRE(run_daihai(dir.path, "batch " + in("full.toml") + " -o " + in("full.h5") + " -q").status == 0);
  const Outcome save = run_daihai(dir.path, "batch " + in("full.toml") + " -o " + in("p.h5") + " -q --save-state " + in("s.h5") +
                                                " --save-state-at 1962-01-01");
  INFO(save.err);
  REQUIRE(save.status == 0);
  const Outcome restart = run_daihai(dir.path, "batch " + in("rest.toml") + " -o " + in("rest.h5") + " -q --restart " + in("s.h5"));
  INFO(restart.err);
  REQUIRE(restart.status == 0);
  const auto a = io::hdf5::File::open((dir.path / "full.h5").string());
  const auto b = io::hdf5::File::open((dir.path / "rest.h5").string());
  CHECK(a.open_group("final").open_dataset("volume_m3").read_double() == b.open_group("final").open_dataset("volume_m3").read_double());
}

TEST_CASE("an aquifer head moves the members' aquifers towards it, by their own heads", "[batch][histories][assimilation]") {
  ScratchDir dir("head");
  const std::string head_series = "aquifer_head_m = { series = \"daily\" }\n";
  std::string truth_text = batch_text("measures = []\ncombinations = \"all\"\nmembers = 1\nfirst_member = 40\n", 1962);
  truth_text.insert(truth_text.find("area_m2 = "), head_series);
  write_text(dir.path / "truth.toml", truth_text);
  const Batch truth = run(io::load_batch_file((dir.path / "truth.toml").string()));
  REQUIRE(truth.runs.front().ok);
  const auto i = static_cast<std::size_t>(core::day_number({1960, 12, 31}) - core::day_number({1955, 1, 1}));
  const double head = find(truth.runs.front().series, "aquifer_head_m").values[i];
  write_text(dir.path / "m.csv", fmt::format("quantity,value,unit,time,sd,source\naquifer_head,{:.4f},m,1960-12-31,0.2,truth\n", head));
  write_text(dir.path / "cond.toml", batch_text("measures = []\ncombinations = \"all\"\nmembers = 16\n", 1962, "[assimilation]\nmonitoring = \"m.csv\"\n"));
  const Batch cond = run(io::load_batch_file((dir.path / "cond.toml").string()));
  REQUIRE(cond.histories.analyses.size() == 1);
  const auto& a = cond.histories.analyses.front();
  INFO("head " << head << ": before " << a.prior_mean[0] << " ± " << a.prior_sd[0] << ", after " << a.posterior_mean[0] << " ± "
               << a.posterior_sd[0]);
  REQUIRE(a.rejected.empty());
  CHECK(std::abs(a.posterior_mean[0] - head) < std::abs(a.prior_mean[0] - head) + 1e-9);
  CHECK(std::abs(a.posterior_mean[0] - head) < 3 * 0.2 + 0.5 * a.prior_sd[0]);
  CHECK(a.posterior_sd[0] < a.prior_sd[0]);
  for (const auto& r : cond.runs) CHECK(r.ok);
}
