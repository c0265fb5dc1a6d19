#include "batch/batch.hpp"

#include <omp.h>

#include <exception>
#include <set>

#include "scenario/run.hpp"

namespace daihai::batch {

void preflight(const io::RunPlan& plan) {
  std::set<std::string> seen;
  for (const auto& r : plan.runs) {
    scenario::check_initial_state(r, *plan.inputs);
    const auto& c = r.scenario.climate;
    if (c.source != scenario::ClimateSpec::Source::csv || !seen.insert(c.csv_path).second) continue;
    const std::int64_t first = core::day_number(r.scenario.start);
    const std::int64_t n = core::day_number(r.scenario.end) - first + 1;
    plan.inputs->forcing(c, plan.inputs->parameters, first, n);
  }
}

std::vector<scenario::RunResult> run_all(const io::RunPlan& plan, int threads,
                                         const std::function<void(std::size_t, std::size_t)>& on_done,
                                         const std::atomic<bool>* stop) {
  const std::size_t n = plan.runs.size();
  std::vector<scenario::RunResult> out(n);
  std::size_t done = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t i = 0; i < n; ++i) {
    const scenario::RunSpec& r = plan.runs[i];
    try {
      if (stop != nullptr && stop->load()) throw std::runtime_error("interrupted");
      out[i] = scenario::run_scenario(r, *plan.inputs);
    } catch (const std::exception& e) {
      scenario::RunResult f;
      f.scenario = r.scenario.name;
      f.measures = r.measure_flags;
      f.climate_member = r.scenario.climate.member;
      f.parameter_member = r.scenario.parameter_member;
      f.ok = false;
      f.error = e.what();
      out[i] = std::move(f);
    }
#pragma omp critical(daihai_progress)
    {
      ++done;
      if (on_done) on_done(done, n);
    }
  }
  return out;
}

}  // namespace daihai::batch
