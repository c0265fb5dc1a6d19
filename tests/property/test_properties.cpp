// Properties that must hold for every input, checked with RapidCheck on generated cases (random
// forcing, measures, parameters, periods, batch compositions and restart days) rather than on a few
// chosen ones:
//   - every run closes its water and salt budgets, store by store, from its outputs;
//   - no store is ever negative;
//   - a closed lake that dries without fresh input never freshens;
//   - a run's results do not depend on the thread count, block width, window or the other runs;
//   - a run restarted from its saved state continues the continuous run bit for bit.
// The number of cases and the seed come from RC_PARAMS (CTest sets a fixed seed, so a failure
// reproduces; `RC_PARAMS="max_success=500" build/release/test_property` explores further).
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>

#include "batch/batch.hpp"
#include "core/date.hpp"
#include "io/scenario_file.hpp"
#include "io/state_file.hpp"
#include "model/model.hpp"
#include "scenario/run.hpp"
#include "support/cli.hpp"
#include "support/test_lake.hpp"

using namespace daihai;
using namespace daihai::testing;

namespace {

const char* kMeasures = "[\"cooling_retrofit\", \"yongxing_diversion\", \"yellow_river_diversion\", \"agricultural_saving\", \"well_sealing\"]";

// A Daihai batch over [start, end] (years), rk4, with `members` climate members and the measures
// `measures` (a TOML array) in every combination, each measure starting on `measure_start`.
std::string daihai_batch(int start_year, const std::string& start_day, int end_year, int members, const std::string& measures,
                         const std::string& measure_start, const std::string& tables = "") {
  std::string t = "[batch]\nname = \"property\"\nmeasures = " + measures + "\ncombinations = \"all\"\nmembers = " + std::to_string(members) +
                  "\n\n[scenario]\nstart = " + std::to_string(start_year) + "-" + start_day + "\nend = " + std::to_string(end_year) +
                  "-12-31\ninputs = \"" + std::string(DAIHAI_SOURCE_DIR) + "/inputs/daihai\"" +
                  "\nintegrator = \"rk4\"\n\n[climate]\nseed = 20240601\n\n" + tables;
  for (const char* m : {"cooling_retrofit", "yongxing_diversion", "yellow_river_diversion", "agricultural_saving", "well_sealing"})
    if (measures.find(m) != std::string::npos) t += "[measures." + std::string(m) + "]\nstart = " + measure_start + "\n";
  return t;
}

const char* kDailyLevel = "[output]\nseries = \"none\"\n[output.variables]\nlevel_m = { series = \"daily\" }\n";

// The Daihai plan with every combination of the five measures (32 runs), loaded once.
const io::RunPlan& daihai_plan() {
  static const io::RunPlan plan = [] {
    static ScratchDir dir("property_plan");
    write_text(dir.path / "b.toml", daihai_batch(1955, "01-01", 1960, 1, kMeasures, "1956-01-01"));
    return io::load_batch_file((dir.path / "b.toml").string());
  }();
  return plan;
}

double state_or_zero(const std::vector<scenario::StateValue>& s, const std::string& name) {
  for (const auto& v : s)
    if (v.name == name) return v.value;
  return 0.0;
}

// Σ over the run of the annual totals of every flux variable booked to `budget`, and Σ of their
// absolute values (the scale of the balance's round-off).
std::pair<double, double> budget_totals(const scenario::RunResult& r, const std::string& budget) {
  double sum = 0.0, scale = 0.0;
  for (const auto& v : r.annual)
    if (v.budget == budget)
      for (double x : v.values) {
        sum += x;
        scale += std::abs(x);
      }
  return {sum, scale};
}

// Change of the stores `states` over the run against the flux totals of `budget`: closes to
// round-off (1e-9 of the stores and the fluxes' turnover).
void require_budget_closes(const scenario::RunResult& r, const std::string& budget, std::initializer_list<const char*> states) {
  double change = 0.0, scale = 0.0;
  for (const char* s : states) {
    change += state_or_zero(r.final, s) - state_or_zero(r.initial, s);
    scale += std::abs(state_or_zero(r.initial, s)) + std::abs(state_or_zero(r.final, s));
  }
  const auto [flux, turnover] = budget_totals(r, budget);
  const double tolerance = 1e-9 * (scale + turnover) + 1e-9;
  RC_ASSERT(std::isfinite(change) && std::isfinite(flux));
  if (std::abs(change - flux) > tolerance)
    RC_FAIL(budget + ": storage change " + std::to_string(change) + " vs flux total " + std::to_string(flux) + " (tolerance " +
            std::to_string(tolerance) + ")");
}

using Key = std::tuple<std::string, int, int>;  // scenario, climate member, parameter member

std::map<Key, scenario::RunResult> run_batch(const io::RunPlan& plan, int threads, std::size_t window, std::size_t width) {
  std::map<Key, scenario::RunResult> out;
  batch::run_streaming(
      plan, threads, [&](std::size_t, scenario::RunResult&& r) { out.emplace(Key{r.scenario, r.climate_member, r.parameter_member}, std::move(r)); },
      {}, nullptr, window, {}, width);
  return out;
}

bool same_results(const scenario::RunResult& a, const scenario::RunResult& b) {
  if (a.ok != b.ok || a.series.size() != b.series.size() || a.annual.size() != b.annual.size()) return false;
  for (std::size_t v = 0; v < a.series.size(); ++v)
    if (a.series[v].values != b.series[v].values) return false;
  for (std::size_t v = 0; v < a.annual.size(); ++v)
    if (a.annual[v].values != b.annual[v].values) return false;
  for (std::size_t v = 0; v < a.final.size(); ++v)
    if (a.final[v].value != b.final[v].value) return false;
  return true;
}

}  // namespace

TEST_CASE("properties: budgets close and no store is negative for random forcing, measures and parameters", "[property]") {
  rc::prop("Daihai with random measures, climate member, parameters and period", [] {
    const io::RunPlan& plan = daihai_plan();
    const scenario::LakeInputs& in = *plan.inputs;
    scenario::RunSpec run = plan.runs.at(*rc::gen::inRange<std::size_t>(0, plan.runs.size()));
    // Random forcing: another climate member, and a climate change of temperature and precipitation.
    run.scenario.climate.member = *rc::gen::inRange(0, 100000);
    run.scenario.climate.delta_t_C = *rc::gen::inRange(-20, 41) / 10.0;
    run.scenario.climate.delta_p_pct = *rc::gen::inRange(-30, 31);
    const int start = *rc::gen::inRange(1955, 2041);
    run.scenario.start = {start, 1, 1};
    run.scenario.end = {start + *rc::gen::inRange(1, 6), 12, 31};
    // Random parameters: each continuous parameter drawn inside its plausible range, with probability 1/2.
    const auto& reg = model::parameter_registry();
    for (const auto& [name, si] : in.parameters.values_si()) {
      (void)si;
      const auto* decl = reg.find(name);
      const auto& o = in.parameters.origin(name);
      if (decl == nullptr || decl->whole || !(o.plausible_max > o.plausible_min) || !*rc::gen::arbitrary<bool>()) continue;
      const double u = *rc::gen::inRange(0, 1001) / 1000.0;
      run.scenario.overrides[name] = o.plausible_min + u * (o.plausible_max - o.plausible_min);
    }
    const scenario::RunResult r = scenario::run_scenario(run, in);
    RC_LOG() << run.scenario.name << " member " << run.scenario.climate.member << " " << start << ": " << r.error;
    RC_ASSERT(r.ok);
    require_budget_closes(r, "lake_water", {"volume_m3"});
    require_budget_closes(r, "aquifer_water", {"aquifer_storage_m3"});
    require_budget_closes(r, "lake_salt", {"salt_dissolved_kg", "salt_deposit_kg"});
    require_budget_closes(r, "aquifer_salt", {"aquifer_salt_kg"});
    require_budget_closes(r, "field_salt", {"field_salt_kg"});
    for (const char* s : {"volume_m3", "area_m2", "salt_dissolved_kg", "salt_deposit_kg", "aquifer_storage_m3", "aquifer_salt_kg", "field_salt_kg",
                          "tds_g_per_L", "aquifer_tds_g_per_L"}) {
      RC_ASSERT(state_or_zero(r.final, s) >= 0.0);
      for (const auto* group : {&r.annual, &r.series})
        for (const auto& v : *group)
          if (v.name == s)
            for (double x : v.values) RC_ASSERT(x >= 0.0);
    }
  });
}

TEST_CASE("properties: a closed lake drying without fresh input never freshens", "[property]") {
  rc::prop("random bowl, evaporation, salinity and saturation", [] {
    // A bowl of random shape: area grows with stage through three random breakpoints.
    std::vector<double> stage{0.0}, area{0.0};
    for (int k = 0; k < 3; ++k) {
      stage.push_back(stage.back() + *rc::gen::inRange(1, 50) / 10.0);
      area.push_back(area.back() + *rc::gen::inRange(1, 1000) * 1e4);
    }
    const double evap_mm = *rc::gen::inRange(1, 200) / 10.0;
    const double evap_sat_mm = evap_mm * *rc::gen::inRange(0, 101) / 100.0;
    auto in = make_inputs(stage, area, {0.0, evap_mm, evap_sat_mm});
    const auto& reg = model::parameter_registry();
    auto set = [&](const char* n, double v) { in.parameters.set(reg, n, v, {"test", 0, "E", "property", v, v}); };
    set("initial_level_m", stage.back() * *rc::gen::inRange(5, 96) / 100.0);
    const double saturation = *rc::gen::inRange(100, 361);
    set("salt_saturation_g_per_L", saturation);
    set("initial_tds_g_per_L", saturation * *rc::gen::inRange(1, 100) / 100.0);
    auto run = plain_run({2001, 1, 1}, {2001 + *rc::gen::inRange(0, 4), 12, 31});
    run.scenario.integrator = *rc::gen::element<std::string>("rk4", "dopri5");
    const auto r = scenario::run_scenario(run, in);
    RC_LOG() << run.scenario.integrator << ": " << r.error;
    if (!r.ok) {
      // rk4's fixed daily steps cannot follow a lake emptied within a day: the run fails saying so
      // (never a negative store in the output); dopri5, which adapts its steps, must follow it.
      RC_ASSERT(run.scenario.integrator == "rk4");
      RC_ASSERT(r.error.find("lake volume fell below zero") != std::string::npos);
      RC_ASSERT(r.error.find("dopri5") != std::string::npos);
      return;
    }
    const auto& tds = series(r, "tds_g_per_L").values;
    double previous = state(r.initial, "tds_g_per_L");
    for (double t : tds) {
      RC_ASSERT(t >= previous * (1.0 - 1e-12));
      RC_ASSERT(t <= saturation * (1.0 + 1e-9));
      previous = t;
    }
    require_budget_closes(r, "lake_salt", {"salt_dissolved_kg", "salt_deposit_kg"});
  });
}

TEST_CASE("properties: a run's results do not depend on threads, block width, window or the other runs", "[property]") {
  const io::RunPlan& plan = daihai_plan();
  // The reference: every run simulated alone, one thread.
  static const auto reference = run_batch(plan, 1, 64, 1);
  rc::prop("a random sub-batch in random windows and blocks", [&] {
    io::RunPlan sub = plan;
    const auto keep = *rc::gen::container<std::vector<bool>>(plan.runs.size(), rc::gen::arbitrary<bool>());
    sub.runs.clear();
    for (std::size_t i = 0; i < plan.runs.size(); ++i)
      if (keep[i]) sub.runs.push_back(plan.runs[i]);
    RC_PRE(!sub.runs.empty());
    const int threads = *rc::gen::inRange(1, 3);
    const auto window = *rc::gen::inRange<std::size_t>(1, 70);
    const auto width = *rc::gen::inRange<std::size_t>(1, static_cast<std::size_t>(physics::kLanes) + 1);
    const auto results = run_batch(sub, threads, window, width);
    RC_ASSERT(results.size() == sub.runs.size());
    for (const auto& [k, r] : results) RC_ASSERT(same_results(r, reference.at(k)));
  });
}

TEST_CASE("properties: a restart from a saved state equals the continuous run", "[property]") {
  rc::prop("random restart day, members and measures", [] {
    static ScratchDir dir("property_restart");
    const int members = *rc::gen::inRange(1, 3);
    const std::string measures = *rc::gen::element<std::string>("[\"yongxing_diversion\"]", "[\"cooling_retrofit\", \"well_sealing\"]");
    // Measures start with the run, so the runs share no history and a state can be saved on any day.
    write_text(dir.path / "full.toml",
               daihai_batch(1955, "01-01", 1962, members, measures, "1955-01-01", kDailyLevel));
    const io::RunPlan full = io::load_batch_file((dir.path / "full.toml").string());
    const std::int64_t first = core::day_number({1955, 1, 1}), last = core::day_number({1962, 12, 31});
    const std::int64_t day = *rc::gen::inRange<std::int64_t>(first + 1, last + 1);
    const core::Date restart = core::date_of(day);
    RC_LOG() << "restart on " << core::format_date(restart) << ", " << members << " member(s), " << measures;
    // The continuous runs, saving every state at the start of `day`.
    io::StateFile saved;
    saved.integrator = "rk4";
    saved.columns = io::state_columns(*full.model);
    for (const auto& p : full.model->processes) saved.processes.push_back(p.name);
    batch::StateOptions save;
    save.save_day = day;
    save.on_state = [&](std::size_t i, scenario::LaneState&& s, std::int64_t origin) {
      const auto& sc = full.runs[i].scenario;
      saved.runs[full.runs[i].index] = {sc.name, sc.climate.member, sc.parameter_member, sc.climate.delta_t_C, sc.climate.delta_p_pct,
                                        io::weather_identity(sc.climate), origin, std::move(s)};
    };
    std::vector<scenario::RunResult> continuous(full.runs.size());
    batch::run_streaming(full, 2, [&](std::size_t i, scenario::RunResult&& r) { continuous[i] = std::move(r); }, {}, nullptr, 64, {}, 0, {}, &save);
    // The same batch from `day` on, every run from its saved state.
    std::string text = daihai_batch(1955, "01-01", 1962, members, measures, "1955-01-01", kDailyLevel);
    text.replace(text.find("start = 1955-01-01"), 18, "start = " + core::format_date(restart));
    write_text(dir.path / "rest.toml", text);
    const io::RunPlan rest = io::load_batch_file((dir.path / "rest.toml").string());
    const auto states = io::restart_states(rest, saved, "saved in memory");
    batch::StateOptions from;
    for (const auto& run : rest.runs) {
      from.restart.push_back(&states[from.restart.size()]);
      from.forcing_origin.push_back(saved.runs.at(run.index).forcing_origin);
    }
    std::vector<scenario::RunResult> restarted(rest.runs.size());
    batch::run_streaming(rest, 2, [&](std::size_t i, scenario::RunResult&& r) { restarted[i] = std::move(r); }, {}, nullptr, 64, {}, 0, {}, &from);
    RC_ASSERT(restarted.size() == continuous.size());
    for (std::size_t i = 0; i < continuous.size(); ++i) {
      RC_ASSERT(continuous[i].ok && restarted[i].ok);
      const auto& a = series(continuous[i], "level_m").values;
      const auto& b = series(restarted[i], "level_m").values;
      const auto skipped = static_cast<std::size_t>(day - first);
      RC_ASSERT(a.size() == skipped + b.size());
      for (std::size_t d = 0; d < b.size(); ++d) RC_ASSERT(b[d] == a[skipped + d]);
      for (std::size_t v = 0; v < continuous[i].final.size(); ++v) RC_ASSERT(restarted[i].final[v].value == continuous[i].final[v].value);
    }
  });
}
