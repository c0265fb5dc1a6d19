#pragma once
/// @file state_file.hpp
/// State files: the full state of every run of a batch at one day (scenario::LaneState: stores,
/// running totals, catchment stores and unit-hydrograph queues, the lake's heat, the integrator's
/// next step and counters), so that a batch can start from it and continue each run bit for bit.
///
/// Layout (HDF5): root attributes `format` = "daihai-state", `format_version` = 1, `day` (the
/// day the state is at the start of, YYYY-MM-DD), `engine_version`, `integrator`, `columns` (the
/// names of the block state's columns: stores, then each flux's running total) and `processes`
/// (the model's process instances, in order); group `/runs/<index>` per run
/// with attributes `scenario`, `climate_member`, `parameter_member`, `delta_t_C`, `delta_p_pct`,
/// `weather` (what the run's weather is made from: source, seed, member, deltas, file),
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
  std::string weather;              ///< weather_identity() of the run
  std::int64_t forcing_origin = 0;  ///< core::day_number of its weather's first day
  scenario::LaneState state;        ///< without record
};

/// The runs' states of one model at one day, as a state file holds them.
struct StateFile {
  std::string integrator;
  std::vector<std::string> columns;    ///< state_columns() of the model that wrote it
  std::vector<std::string> processes;  ///< its process instances' names, model order
  std::map<std::size_t, RunState> runs;  ///< by run index
};

/// The names of the block state's columns of `m`: "volume_m3", "salt_kg", "aquifer_m3",
/// "aquifer_salt_kg", "field_salt_kg", then each flux's running totals "<flux>_m3" ("<flux>_kg").
std::vector<std::string> state_columns(const model::Model& m);

/// What a run's weather is made from, but its period: source, seed, climate member, observed
/// months, deltas and their ramp, forcing file (a restart must make the same weather).
std::string weather_identity(const scenario::ClimateSpec& c);

/// Writes `file` to `path` whole or not at all (through `path.writing`). Throws
/// hdf5::Hdf5Error or std::runtime_error when it cannot be written.
void write_state_file(const std::string& path, const StateFile& file);

/// Reads a state file. Throws core::InputError naming the file for a path that is not a regular
/// file, a file that is not a daihai state file, of another format version or engine version,
/// or damaged.
StateFile read_state_file(const std::string& path);

/// The start state of every run of `plan` from `file` (read from `path`), in `plan`'s model:
/// every run must have one with its identity (scenario, climate and parameter member, climate
/// delta) and weather, at the plan's start day, with the plan's integrator; the stores and the
/// flux totals the plan's model shares with the saving model are taken by name (a flux new to the
/// plan's model starts at 0), each process's own state by instance name. Throws core::InputError
/// naming `path` and the first run or process that does not fit: a process that keeps a state
/// (physics::ProcessType::keeps_state) in one model and not in the other, different weather, day
/// or integrator.
std::vector<scenario::LaneState> restart_states(const RunPlan& plan, const StateFile& file, const std::string& path);

}  // namespace daihai::io
