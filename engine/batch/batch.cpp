#include "batch/batch.hpp"

#include <omp.h>

#include <algorithm>
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

void run_streaming(const io::RunPlan& plan, int threads, const std::function<void(std::size_t, scenario::RunResult&&)>& consume,
                   const std::function<void(std::size_t, std::size_t)>& on_done, const std::atomic<bool>* stop,
                   std::size_t window, const std::function<bool(std::size_t)>& skip) {
  const std::size_t n = plan.runs.size();
  window = std::max<std::size_t>(window, 1);
  std::vector<scenario::RunResult> out;
  std::size_t done = 0;
  for (std::size_t first = 0; first < n; first += window) {
    const std::size_t last = std::min(n, first + window);
    out.assign(last - first, scenario::RunResult{});
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::size_t i = first; i < last; ++i) {
      const scenario::RunSpec& r = plan.runs[i];
      if (skip && skip(i)) continue;
      try {
        if (stop != nullptr && stop->load()) throw std::runtime_error("interrupted");
        out[i - first] = scenario::run_scenario(r, *plan.inputs);
      } catch (const std::exception& e) {
        scenario::RunResult f;
        f.scenario = r.scenario.name;
        f.measures = r.measure_flags;
        f.climate_member = r.scenario.climate.member;
        f.parameter_member = r.scenario.parameter_member;
        f.ok = false;
        f.error = e.what();
        out[i - first] = std::move(f);
      }
#pragma omp critical(daihai_progress)
      {
        ++done;
        if (on_done) on_done(done, n);
      }
    }
    for (std::size_t i = first; i < last; ++i)
      if (!(skip && skip(i))) consume(i, std::move(out[i - first]));
  }
}

std::vector<scenario::RunResult> run_all(const io::RunPlan& plan, int threads,
                                         const std::function<void(std::size_t, std::size_t)>& on_done,
                                         const std::atomic<bool>* stop) {
  std::vector<scenario::RunResult> out(plan.runs.size());
  run_streaming(plan, threads, [&](std::size_t i, scenario::RunResult&& r) { out[i] = std::move(r); }, on_done, stop);
  return out;
}

}  // namespace daihai::batch
