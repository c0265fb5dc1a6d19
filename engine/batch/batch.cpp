#include "batch/batch.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

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
    plan.inputs->forcing(c, first, n);
  }
}

namespace {

// The forcing of one climate realisation, built once by whichever run needs it first and
// shared by every run with the same forcing key (runs differing only in measures or parameters).
struct SharedForcing {
  std::once_flag once;
  forcing::DailyForcing forcing;
  std::exception_ptr error;

  const forcing::DailyForcing& get(const scenario::RunSpec& r, const scenario::LakeInputs& in) {
    std::call_once(once, [&] {
      try {
        const std::int64_t first = core::day_number(r.scenario.start);
        forcing = in.forcing(r.scenario.climate, first, core::day_number(r.scenario.end) - first + 1);
      } catch (...) {
        error = std::current_exception();
      }
    });
    if (error) std::rethrow_exception(error);
    return forcing;
  }
};

scenario::RunResult failed_run(const scenario::RunSpec& r, std::string error) {
  scenario::RunResult f;
  scenario::set_identity(f, r);
  f.ok = false;
  f.error = std::move(error);
  return f;
}

}  // namespace

void run_streaming(const io::RunPlan& plan, int threads, const std::function<void(std::size_t, scenario::RunResult&&)>& consume,
                   const std::function<void(std::size_t, std::size_t)>& on_done, const std::atomic<bool>* stop,
                   std::size_t window, const std::function<bool(std::size_t)>& skip) {
  const std::size_t n = plan.runs.size();
  window = std::max<std::size_t>(window, 1);
  const std::size_t n_windows = (n + window - 1) / window;
  // Two windows in flight: the runs of window k are simulated (OpenMP tasks, any thread) while
  // the calling thread hands the finished window k-1 to `consume` (the HDF5 writer), so output
  // does not hold back the other threads.
  std::vector<scenario::RunResult> buffer[2];
  std::map<std::string, std::shared_ptr<SharedForcing>> forcings;  // keys of the window being spawned
  std::size_t done = 0;
  std::atomic<bool> abort{false};
  std::exception_ptr consume_error;
  auto run_one = [&](std::size_t i, scenario::RunResult& slot, SharedForcing& shared) {
    const scenario::RunSpec& r = plan.runs[i];
    try {
      if ((stop != nullptr && stop->load()) || abort.load()) throw std::runtime_error("interrupted");
      slot = scenario::run_scenario(r, *plan.inputs, &shared.get(r, *plan.inputs));
    } catch (const std::exception& e) {
      slot = failed_run(r, e.what());
    }
#pragma omp critical(daihai_progress)
    {
      ++done;
      if (on_done) on_done(done, n);
    }
  };
#pragma omp parallel num_threads(std::max(threads, 1))
#pragma omp master
  {
    for (std::size_t k = 0; k <= n_windows && !consume_error; ++k) {
      if (k < n_windows) {
        const std::size_t first = k * window, last = std::min(n, first + window);
        auto& out = buffer[k % 2];
        out.assign(last - first, scenario::RunResult{});
        std::map<std::string, std::shared_ptr<SharedForcing>> next;
        for (std::size_t i = first; i < last; ++i) {
          if (skip && skip(i)) continue;  // e.g. already in a resumed results file
          const std::string key = scenario::forcing_key(plan.runs[i]);
          auto& entry = next[key];
          if (!entry) {
            const auto it = forcings.find(key);  // a realisation continuing from the previous window
            entry = it != forcings.end() ? it->second : std::make_shared<SharedForcing>();
          }
          std::shared_ptr<SharedForcing> shared = entry;
          scenario::RunResult* slot = &out[i - first];
#pragma omp task firstprivate(i, shared, slot) shared(run_one)
          run_one(i, *slot, *shared);
        }
        forcings = std::move(next);
      }
      if (k >= 1) {
        const std::size_t first = (k - 1) * window, last = std::min(n, first + window);
        auto& out = buffer[(k - 1) % 2];
        try {
          for (std::size_t i = first; i < last; ++i)
            if (!(skip && skip(i))) consume(i, std::move(out[i - first]));
        } catch (...) {
          consume_error = std::current_exception();
          abort = true;
        }
        out.clear();
        out.shrink_to_fit();
      }
#pragma omp taskwait
    }
    forcings.clear();
  }
  if (consume_error) std::rethrow_exception(consume_error);
}

std::vector<scenario::RunResult> run_all(const io::RunPlan& plan, int threads,
                                         const std::function<void(std::size_t, std::size_t)>& on_done,
                                         const std::atomic<bool>* stop) {
  std::vector<scenario::RunResult> out(plan.runs.size());
  run_streaming(plan, threads, [&](std::size_t i, scenario::RunResult&& r) { out[i] = std::move(r); }, on_done, stop);
  return out;
}

}  // namespace daihai::batch
