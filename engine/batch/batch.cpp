#include "batch/batch.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "batch/history.hpp"
#include "core/errors.hpp"
#include "model/schedules.hpp"

#include <fmt/format.h>
#include "scenario/block.hpp"
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

// Something a window's runs share (the forcing of one climate realisation, the schedules of one
// measure combination and water-use parameter set), built once by whichever block needs it first.
template <class T>
struct Shared {
  std::once_flag once;
  T value;
  std::exception_ptr error;

  template <class Build>
  const T& get(const Build& build) {
    std::call_once(once, [&] {
      try {
        value = build();
      } catch (...) {
        error = std::current_exception();
      }
    });
    if (error) std::rethrow_exception(error);
    return value;
  }
};

// Entries by key, kept from one window to the next as long as a window uses them.
template <class T>
class SharedMap {
public:
  std::shared_ptr<Shared<T>> take(const std::string& key) {
    auto& entry = next_[key];
    if (!entry) {
      const auto it = current_.find(key);
      entry = it != current_.end() ? it->second : std::make_shared<Shared<T>>();
    }
    return entry;
  }
  void next_window() {
    current_ = std::move(next_);
    next_.clear();
  }
  void clear() {
    current_.clear();
    next_.clear();
  }

private:
  std::map<std::string, std::shared_ptr<Shared<T>>> current_, next_;
};

scenario::RunResult failed_run(const scenario::RunSpec& r, std::string error) {
  scenario::RunResult f;
  scenario::set_identity(f, r);
  f.ok = false;
  f.error = std::move(error);
  return f;
}

// One block to simulate: its runs (indices), what they share, and where their results go.
struct BlockTask {
  std::vector<std::size_t> runs;
  std::vector<core::ParameterSet> parameters;
  std::vector<std::shared_ptr<Shared<std::shared_ptr<const forcing::DailyForcing>>>> forcing;
  std::vector<std::shared_ptr<Shared<management::Schedules>>> schedules;
  std::vector<scenario::RunResult*> slots;
};

void run_block(const io::RunPlan& plan, BlockTask& t, const scenario::SeriesSelection& series, management::SeriesPool& pool,
               Histories& histories, const StateOptions* states, std::mutex& handover_mutex) {
  const bool restart = states != nullptr && !states->restart.empty();
  const scenario::LakeInputs& in = *plan.inputs;
  try {
    std::vector<scenario::Lane> lanes;
    for (std::size_t j = 0; j < t.runs.size(); ++j) {
      const scenario::RunSpec& r = plan.runs[t.runs[j]];
      // A restarted run's weather from the day it began (its random streams where it left them).
      const std::int64_t first = restart ? states->forcing_origin[t.runs[j]] : core::day_number(r.scenario.start);
      const std::int64_t n = core::day_number(r.scenario.end) - first + 1;
      const auto& f = t.forcing[j]->get([&] {
        {
          // Generated for the histories: handed over once (the window's shared map keeps it while its
          // runs need it), so the histories' weather is freed as the batch moves on.
          const std::lock_guard<std::mutex> lock(handover_mutex);
          const auto it = histories.forcing.find(scenario::forcing_key(r));
          if (it != histories.forcing.end()) {
            auto handed = std::move(it->second);
            histories.forcing.erase(it);
            return handed;
          }
        }
        return std::make_shared<const forcing::DailyForcing>(in.forcing(r.scenario.climate, first, n));
      });
      const auto& s = t.schedules[j]->get([&] { return model::build_schedules(*plan.model, r, t.parameters[j], in, &pool); });
      lanes.push_back({&r, &t.parameters[j], f.get(), &s, core::day_number(r.scenario.start) - first});
    }
    scenario::BlockRun block(*plan.model, in, lanes, series);
    std::vector<const scenario::LaneState*> from;
    if (restart)
      for (std::size_t i : t.runs) from.push_back(states->restart[i]);
    else if (histories.active)  // each run goes on from its history's state at the branch day
      for (std::size_t i : t.runs) from.push_back(&histories.state[histories.group_of_run[i]]);
    if (!from.empty()) block.start_from(from);
    if (states != nullptr && states->on_state && states->save_day && *states->save_day >= block.next_day() &&
        *states->save_day <= block.end_day()) {
      block.advance_to(*states->save_day);
      const std::lock_guard<std::mutex> lock(handover_mutex);
      for (std::size_t j = 0; j < t.runs.size(); ++j)
        states->on_state(t.runs[j], block.lane_state(j, false), core::day_number(plan.runs[t.runs[j]].scenario.start) - lanes[j].forcing_offset);
    }
    block.advance_to(block.end_day());
    std::vector<scenario::RunResult> results = block.finish();
    if (histories.active && histories.branch_day < block.end_day()) {
      const std::string date = core::format_date(core::date_of(histories.branch_day));
      for (auto& r : results) r.branch_date = date;
    }
    for (std::size_t j = 0; j < t.runs.size(); ++j) *t.slots[j] = std::move(results[j]);
  } catch (const std::exception& e) {
    for (std::size_t j = 0; j < t.runs.size(); ++j) *t.slots[j] = failed_run(plan.runs[t.runs[j]], e.what());
  }
}

}  // namespace

std::size_t block_width(const io::RunPlan& plan, std::size_t requested) {
  if (plan.runs.empty() || plan.runs.front().scenario.integrator != "rk4") return 1;
  return std::clamp<std::size_t>(requested == 0 ? kDefaultBlockWidth : requested, 1, static_cast<std::size_t>(physics::kLanes));
}

std::size_t streaming_window(int threads, std::size_t width) {
  const std::size_t runs = 4 * static_cast<std::size_t>(std::max(threads, 1)) * std::max<std::size_t>(width, 1);
  return std::max<std::size_t>(64, (runs + 63) / 64 * 64);
}

scenario::SeriesSelection series_selection(const io::RunPlan& plan) {
  scenario::SeriesSelection s;
  for (const auto& o : plan.model->outputs) s.push_back(plan.output.of(o.name).resolution != io::SeriesResolution::none);
  return s;
}

void run_streaming(const io::RunPlan& plan, int threads, const std::function<void(std::size_t, scenario::RunResult&&)>& consume,
                   const std::function<void(std::size_t, std::size_t)>& on_done, const std::atomic<bool>* stop,
                   std::size_t window, const std::function<bool(std::size_t)>& skip, std::size_t width,
                   const std::function<void(const Histories&)>& on_histories, const StateOptions* states,
                   const WindowSource* source) {
  if (!plan.model && !plan.runs.empty()) {  // a plan built in code: assemble its model here
    io::RunPlan with_model = plan;
    with_model.model = std::make_shared<const model::Model>(model::assemble(plan.runs, *plan.inputs));
    run_streaming(with_model, threads, consume, on_done, stop, window, skip, width, on_histories, states, source);
    return;
  }
  const std::size_t n = plan.runs.size();
  window = std::max<std::size_t>(window, 1);
  width = block_width(plan, width);
  const std::size_t n_windows = (n + window - 1) / window;
  const scenario::SeriesSelection series = series_selection(plan);
  // Two windows in flight: the blocks of window k are simulated (OpenMP tasks, any thread) while
  // the calling thread hands the finished window k-1 to `consume` (the HDF5 writer), so output
  // does not hold back the other threads.
  std::vector<scenario::RunResult> buffer[2];
  std::vector<BlockTask> tasks[2];
  SharedMap<std::shared_ptr<const forcing::DailyForcing>> forcings;
  const bool restart = states != nullptr && !states->restart.empty();
  Histories histories = restart ? Histories{} : simulate_histories(plan, threads, skip);
  if (states != nullptr && histories.active && states->save_day && *states->save_day < histories.branch_day) {
    // A state asked for before the runs branch: without assimilation the runs are simulated each
    // from its start (the same results bit for bit, the histories' saving of run-days forgone) so
    // that every run reaches the day itself; a conditioned history cannot be left.
    if (plan.assimilation)
      throw core::InputError(plan.file, 0, "save-state",
                             fmt::format("the runs share their conditioned history up to {}: save their states on that day or later",
                                         core::format_date(core::date_of(histories.branch_day))));
    histories = Histories{};
  }
  if (on_histories) on_histories(histories);
  std::mutex handover_mutex;
  SharedMap<management::Schedules> schedules;
  management::SeriesPool pool;
  std::size_t done = 0;
  std::atomic<bool> abort{false};
  std::exception_ptr consume_error;
  auto simulate = [&](BlockTask& t) {
    if ((stop != nullptr && stop->load()) || abort.load()) {
      for (std::size_t j = 0; j < t.runs.size(); ++j) *t.slots[j] = failed_run(plan.runs[t.runs[j]], "interrupted");
    } else {
      run_block(plan, t, series, pool, histories, states, handover_mutex);
    }
#pragma omp critical(daihai_progress)
    {
      for (std::size_t j = 0; j < t.runs.size(); ++j) {
        ++done;
        if (on_done) on_done(done, n);
      }
    }
  };
  // The windows this process simulates: all of them in order, or those a WindowSource hands out.
  std::size_t next_in_order = 0;
  const auto next_window = [&]() -> std::int64_t {
    if (source != nullptr) return source->next();
    return next_in_order < n_windows ? static_cast<std::int64_t>(next_in_order++) : WindowSource::kDone;
  };
#pragma omp parallel num_threads(std::max(threads, 1))
#pragma omp master
  {
    std::int64_t previous = -1;  // the window simulated in the last round, consumed in this one
    int slot = 0;                // its buffer
    while (!consume_error) {
      const std::int64_t k = next_window();
      if (k >= 0) {
        if (static_cast<std::size_t>(k) >= n_windows) {
          consume_error = std::make_exception_ptr(std::logic_error("run_streaming: a window beyond the batch"));
          break;
        }
        const std::size_t first = static_cast<std::size_t>(k) * window, last = std::min(n, first + window);
        auto& out = buffer[slot ^ 1];
        auto& blocks = tasks[slot ^ 1];
        out.assign(last - first, scenario::RunResult{});
        blocks.clear();
        for (std::size_t i = first; i < last; ++i) {
          if (skip && skip(i)) continue;  // e.g. already in a resumed results file
          if (blocks.empty() || blocks.back().runs.size() == width) blocks.emplace_back();
          BlockTask& t = blocks.back();
          const scenario::RunSpec& r = plan.runs[i];
          t.runs.push_back(i);
          t.parameters.push_back(model::run_parameters(r.scenario, *plan.inputs));
          // A restarted run's weather starts at its origin: part of what it shares.
          t.forcing.push_back(forcings.take(restart ? fmt::format("{}@{}", scenario::forcing_key(r), states->forcing_origin[i])
                                                    : scenario::forcing_key(r)));
          t.schedules.push_back(schedules.take(model::schedules_key(*plan.model, r, t.parameters.back())));
          t.slots.push_back(&out[i - first]);
        }
        forcings.next_window();
        schedules.next_window();
        for (auto& t : blocks) {
          BlockTask* task = &t;
#pragma omp task firstprivate(task) shared(simulate)
          simulate(*task);
        }
      }
      if (previous >= 0) {
        const std::size_t first = static_cast<std::size_t>(previous) * window, last = std::min(n, first + window);
        auto& out = buffer[slot];
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
      previous = k;
      if (k >= 0) {
        slot ^= 1;
        continue;
      }
      if (k == WindowSource::kDone || consume_error) break;
      try {  // kDrain: every window taken so far is consumed
        source->drained();
      } catch (...) {
        consume_error = std::current_exception();
      }
    }
    forcings.clear();
    schedules.clear();
  }
  if (consume_error) std::rethrow_exception(consume_error);
}

std::vector<scenario::RunResult> run_all(const io::RunPlan& plan, int threads,
                                         const std::function<void(std::size_t, std::size_t)>& on_done,
                                         const std::atomic<bool>* stop, std::size_t width) {
  std::vector<scenario::RunResult> out(plan.runs.size());
  run_streaming(plan, threads, [&](std::size_t i, scenario::RunResult&& r) { out[i] = std::move(r); }, on_done, stop, 64, {}, width);
  return out;
}

}  // namespace daihai::batch
