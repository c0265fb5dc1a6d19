#pragma once
/// @file state_file.hpp
/// State files: the full state of every run of a batch at one day (scenario::LaneState: stores,
/// running totals, catchment stores and unit-hydrograph queues, the lake's heat, the integrator's
/// next step and counters), so that a batch can start from it and continue each run bit for bit.
///
/// Layout (HDF5): root attributes `format` = "daihai-state", `format_version` = 1, `day` (the
/// day the state is at the start of, YYYY-MM-DD), `engine_version`; group `/runs/<index>` per run
/// with attributes `scenario`, `climate_member`, `parameter_member`, `delta_t_C`, `delta_p_pct`,
/// `forcing_origin` (the first day of the run's weather: a restart rebuilds the weather from it,
/// so the random streams are where the interrupted run left them), `next_step_s`, `steps`,
/// `rejected_steps`, `failed`, `error`, and datasets `x` (the block state's row), `x0` (the row at
/// the run's start) and `process_state` with `process_lengths` (each process's own state, model order).
#include <cstdint>
#include <map>
#include <string>

#include "io/scenario_file.hpp"
#include "scenario/block.hpp"

namespace daihai::io {

/// One run's state in a state file.
struct RunState {
  std::string scenario;
  int climate_member = 0, parameter_member = 0;
  double delta_t_C = 0.0, delta_p_pct = 0.0;
  std::int64_t forcing_origin = 0;  ///< core::day_number of its weather's first day
  scenario::LaneState state;        ///< without record
};

/// Writes `states` (run index → state, all at one day) to `path` whole or not at all (through
/// `path.writing`). Throws hdf5::Hdf5Error or std::runtime_error when it cannot be written.
void write_state_file(const std::string& path, const std::map<std::size_t, RunState>& states);

/// Reads a state file. Throws core::InputError naming the file for a file that is not a daihai
/// state file, of another format version or engine version, or damaged.
std::map<std::size_t, RunState> read_state_file(const std::string& path);

/// The state of every run of `plan` from `states`, checked: every run has one with its identity
/// (scenario, climate member, parameter member, climate delta), at the plan's start day. Throws
/// core::InputError naming `file` and the first run that does not fit.
std::vector<const RunState*> match_states(const RunPlan& plan, const std::map<std::size_t, RunState>& states, const std::string& file);

}  // namespace daihai::io
