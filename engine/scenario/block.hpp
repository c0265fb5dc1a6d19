#pragma once
/// @file block.hpp
/// One block of runs of a model, start to end: assemble (bind the model's processes and stores
/// to the lanes' parameters) → integrate (day by day: the day's inputs, the processes' daily
/// steps, one integration over the day through numerics::Integrator) → record (daily values
/// into annual and series bins; one RunResult per lane). The runs of a block share the model,
/// the period and the calendar; each lane has its own parameters, forcing and schedules, and a
/// lane's results do not depend on the other lanes (bit for bit).
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "forcing/daily_forcing.hpp"
#include "management/plan_editor.hpp"
#include "model/model.hpp"
#include "scenario/recorder.hpp"
#include "scenario/run_result.hpp"
#include "scenario/spec.hpp"

namespace daihai::scenario {

/// What one lane of a block simulates.
struct Lane {
  const RunSpec* run = nullptr;                         ///< its run (identity, period, integrator)
  const core::ParameterSet* parameters = nullptr;       ///< model::run_parameters() of the run
  const forcing::DailyForcing* forcing = nullptr;       ///< its forcing over the run's period
  const management::Schedules* schedules = nullptr;     ///< model::build_schedules() of the run
  /// Days from the forcing's first day to the run's start: 0, or for a run restarted from a
  /// state file the days its forcing ran before (the forcing is rebuilt from the origin of the
  /// run that wrote the state, so the weather after the restart is the same bit for bit).
  std::int64_t forcing_offset = 0;
};

/// Everything one lane carries from one day to the next, at the start of day `day`: enough to
/// continue it in another block (a run branching from a shared history) or another program (a
/// state file) with the same results bit for bit.
struct LaneState {
  std::int64_t day = 0;                         ///< the next day to simulate (core::day_number)
  std::vector<double> x;                        ///< the block state's row: stores then running totals (BlockState columns)
  std::vector<double> x0;                       ///< that row at the run's start (the balance residual's origin)
  std::vector<std::vector<double>> processes;   ///< each process's own state (physics::Process::lane_state), model order
  std::vector<double> record;                   ///< what the recorder holds (Recorder::lane_record); empty in a state file
  double next_step_s = 0.0;                     ///< the controlled stepper's next trial step (dopri5)
  std::uint64_t steps = 0, rejected_steps = 0;  ///< integrator counters so far
  bool failed = false;                          ///< the run failed before `day`
  std::string error;                            ///< why (with the date)
};

/// A block of runs that can stop and go on: advance_to() simulates up to a day, the lanes'
/// states can be read and set between days (branching, assimilation, state files), finish()
/// gives the results. simulate_block() is construction, advance_to(end) and finish().
class BlockRun {
public:
  /// Binds `runs` (1 .. physics::kLanes, spare lanes copies of the first) and sets their initial
  /// state at their start. Throws like simulate_block().
  BlockRun(const model::Model& model, const LakeInputs& inputs, const std::vector<Lane>& runs, const SeriesSelection& series = {});
  ~BlockRun();
  BlockRun(const BlockRun&) = delete;
  BlockRun& operator=(const BlockRun&) = delete;

  std::size_t runs() const;            ///< the block's runs
  std::int64_t next_day() const;       ///< the next day to simulate (core::day_number)
  std::int64_t end_day() const;        ///< the day after the runs' last
  /// Simulates the days from next_day() up to `day` (exclusive; at most end_day()). After each
  /// day, `after_day` (if given) sees the block.
  void advance_to(std::int64_t day, const std::function<void(const BlockRun&)>& after_day = {});

  /// The state of run `l` at next_day(); with `record`, what it has recorded so far.
  LaneState lane_state(std::size_t l, bool record = true) const;
  /// Starts every lane from `states` (one per run, each at the same day), continuing from that
  /// day: for runs branching from a history or restarted from a state file. A state without a
  /// record (a restart) starts the recorder afresh at that day and is the run's initial state
  /// (its balance is counted from it). Throws std::invalid_argument when the states
  /// do not fit this block's model or disagree where lanes share a process state (the catchment
  /// of lanes with one forcing and one parameter set), or their days differ or lie outside the runs.
  void start_from(const std::vector<const LaneState*>& states);

  const physics::BlockState& state() const;    ///< [lane, BlockState column] at next_day()
  const physics::Derived& derived() const;     ///< its derived quantities
  bool failed(std::size_t l) const;            ///< run `l` has failed
  /// The aquifer storage (m³) of run `l` at aquifer head `head_m` (m) (physics::Stores).
  double aquifer_storage_at_head(std::size_t l, double head_m) const;
  /// Adds `dx` to the stores of run `l` (physics::StateColumn order, kStores values) and books
  /// each change in the running total of the flux `booked[s]` of that store (a BlockState
  /// column; −1: not booked, the change must then be 0), so the balance still closes: for
  /// corrections made between days (an assimilation's analysis). Throws std::invalid_argument
  /// for a change of an unbooked store.
  void add_to_stores(std::size_t l, const std::array<double, physics::kStores>& dx, const std::array<physics::Index, physics::kStores>& booked);

  /// The results of the runs (call once, after advance_to(end_day())).
  std::vector<RunResult> finish();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Simulates the runs of one block (1 .. physics::kLanes of them, spare lanes filled with copies
/// of the first; dopri5 runs take blocks of one run, its step control being per block). Every
/// run gets a result in order: ok, or failed with the error and the date (a lake leaving its
/// hypsometry table, a non-finite state, a negative volume) while the other runs go on. Throws core::InputError for a lane whose forcing does not cover its period,
/// std::invalid_argument for lanes that do not share the period or the integrator.
std::vector<RunResult> simulate_block(const model::Model& model, const LakeInputs& inputs, const std::vector<Lane>& runs,
                                      const SeriesSelection& series = {});

}  // namespace daihai::scenario
