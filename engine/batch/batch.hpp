#pragma once
/// @file batch.hpp
/// Runs the runs of a plan in parallel (OpenMP over runs; each run owns its model and
/// integrator). The only code that knows threads.
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

#include "batch/history.hpp"
#include "io/scenario_file.hpp"
#include "scenario/block.hpp"
#include "scenario/run_result.hpp"

namespace daihai::batch {

/// Checks what can be checked before any run starts: each run's initial state against the
/// hypsometry and aquifer base, and each distinct forcing file read once over the plan's period.
/// Throws core::InputError on the first problem.
void preflight(const io::RunPlan& plan);

/// Writing and reading run states (io/state_file.hpp) in a batch.
struct StateOptions {
  /// Hand every run's state at the start of this day (core::day_number) to `on_state`; none when
  /// empty (every integer is a day: 1969-12-31 is -1). A day before the branch day of shared
  /// histories (batch/history.hpp) makes every run simulated from its start instead (same
  /// results), unless the histories are conditioned (an error then).
  std::optional<std::int64_t> save_day;
  /// Receives (run index, state without record, the first day of the run's weather), from one
  /// thread at a time.
  std::function<void(std::size_t, scenario::LaneState&&, std::int64_t)> on_state;
  /// Per run: the state it starts from instead of its initial state (empty: none), with the first
  /// day of the weather that state was reached with (`forcing_origin`); no shared histories then.
  std::vector<const scenario::LaneState*> restart;
  std::vector<std::int64_t> forcing_origin;
};

/// Runs per block of the rk4 plan batches unless asked otherwise: measured on the standard batch
/// (bench/README.md).
inline constexpr std::size_t kDefaultBlockWidth = static_cast<std::size_t>(physics::kLanes);

/// The block width a plan is simulated with: `requested` (0: kDefaultBlockWidth) clamped to
/// 1 .. physics::kLanes for rk4 runs, 1 for dopri5 (its step control is per block).
std::size_t block_width(const io::RunPlan& plan, std::size_t requested);

/// Runs per window of run_streaming(): four blocks of `width` runs per thread, so that a thread
/// that finishes its blocks early, or the calling thread after writing the previous window, finds
/// blocks left to take (two blocks per window on two threads measured 12 % slower, bench/README.md),
/// rounded up to a multiple of 64 runs (the results file's chunk of rows; at least 64).
std::size_t streaming_window(int threads, std::size_t width);

/// Which of the plan's declared outputs get a series (its [output] resolution is not "none").
scenario::SeriesSelection series_selection(const io::RunPlan& plan);

/// Which windows of a batch this process simulates, when not all of them in order (the ranks of
/// an MPI job: batch/ranks.hpp). Windows are numbered from 0; window k holds runs
/// k·window .. (k+1)·window−1.
struct WindowSource {
  static constexpr std::int64_t kDrain = -1;  ///< consume every window taken, call drained(), ask again
  static constexpr std::int64_t kDone = -2;   ///< no more windows for this process
  /// The next window to simulate, or kDrain, or kDone. Called from the calling thread.
  std::function<std::int64_t()> next;
  /// Called from the calling thread once every window taken before a kDrain is consumed.
  std::function<void()> drained;
};

/// Simulates every run of `plan` with `threads` OpenMP threads and hands each result to
/// `consume(index, result)` in run order, from the calling thread. Runs are simulated in windows of
/// `window` runs, each window cut into blocks of block_width(plan, width) consecutive runs
/// (scenario::simulate_block) simulated as OpenMP tasks; while window k runs, the calling thread
/// consumes window k−1 (and then helps with the tasks), so memory holds at most two windows of
/// results whatever the batch size and writing overlaps simulation. The runs that share a
/// forcing key (scenario::forcing_key: one climate realisation) share one forcing, and those
/// that share a schedules key (model::schedules_key: one measure combination and water-use
/// parameter set) share one set of schedules, each built once by the first block that needs it
/// and kept while consecutive windows use it. A run's results do not depend on the block width,
/// its lane, the thread count or the other runs of the batch. A plan without a model (built in
/// code rather than loaded) has its model assembled first (model::assemble). An exception from `consume` stops the batch (runs not started come back
/// "interrupted" internally) and is rethrown once the running runs have finished. A run that fails (its simulation throws) comes
/// with ok = false and its error text; the others complete. Results do not depend on the thread
/// count. `on_done(done, total)` is called from one thread at a time after each run; when `*stop`
/// becomes true, runs not yet started come back failed with the error "interrupted". Runs for
/// which `skip(index)` is true (e.g. runs already in a resumed results file) are neither
/// simulated nor consumed, and do not count in `done`. Runs that share a history (batch/history.hpp:
/// one member's measure combinations up to the first day they differ, conditioned on the plan's
/// monitoring data) go on from it; `on_histories` sees the histories once they are simulated.
/// `states` saves every run's state at a day, or starts every run from a saved state.
/// `source` (when given) says which windows to simulate instead of all of them in order; the
/// runs of other windows are neither simulated nor consumed (`on_done` still counts `n` in all).
void run_streaming(const io::RunPlan& plan, int threads, const std::function<void(std::size_t, scenario::RunResult&&)>& consume,
                   const std::function<void(std::size_t, std::size_t)>& on_done = {}, const std::atomic<bool>* stop = nullptr,
                   std::size_t window = 64, const std::function<bool(std::size_t)>& skip = {}, std::size_t width = 0,
                   const std::function<void(const Histories&)>& on_histories = {}, const StateOptions* states = nullptr,
                   const WindowSource* source = nullptr);

/// Simulates every run of `plan` with `threads` OpenMP threads and returns the results in
/// run order (run_streaming() collecting every result). A run that fails (its simulation throws) is returned with ok = false and its
/// error text; the others complete. Results do not depend on the thread count.
/// `on_done(done, total)` is called from one thread at a time after each run (may be empty).
/// When `*stop` becomes true (e.g. on Ctrl-C), runs not yet started are skipped and come back
/// with ok = false and the error "interrupted". `width` as for run_streaming().
std::vector<scenario::RunResult> run_all(const io::RunPlan& plan, int threads,
                                         const std::function<void(std::size_t, std::size_t)>& on_done = {},
                                         const std::atomic<bool>* stop = nullptr, std::size_t width = 0);

}  // namespace daihai::batch
