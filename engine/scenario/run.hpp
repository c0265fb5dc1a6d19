#pragma once
/// @file run.hpp
/// One run of the lake model, start to end: pure and re-entrant (no globals; each run owns
/// its model, catchment stores and integrator).
#include "model/model.hpp"
#include "scenario/run_result.hpp"
#include "scenario/spec.hpp"

namespace daihai::scenario {

/// Names of the stores and derived states written to /initial, /final and as annual means.
/// States: level_m, area_m2, volume_m3, tds_g_per_L, salt_dissolved_kg, salt_deposit_kg and,
/// in a model with an aquifer, aquifer_head_m, aquifer_storage_m3.

/// Simulates `run` with `inputs` and returns its result. Never throws for failures of the
/// simulation itself (a stage leaving the hypsometry table, a non-finite state): those
/// return `ok == false` with the error text. Throws core::InputError for inputs that are
/// wrong before anything is simulated (an override of an undeclared parameter, an initial
/// stage outside the table, a forcing file with a gap).
///
/// Each day: the catchment model (GR4J) runs on the land area (basin minus the lake's area at
/// the start of the day) and yields that day's runoff and deep percolation; river withdrawals
/// are met from the runoff (shortage reported); then the lake–aquifer ODE is integrated over
/// the day with constant forcing, stopping at the day's end.
///
/// `shared_forcing`, when given, is the run's forcing already built by `inputs.forcing` for
/// forcing_key(run) (a batch shares it among the runs of one climate realisation); otherwise
/// the run builds its own.
/// A single run is a block of width 1: this assembles the run's own model (model::assemble) and
/// simulates it with scenario::simulate_block.
RunResult run_scenario(const RunSpec& run, const LakeInputs& inputs, const forcing::DailyForcing* shared_forcing = nullptr);

/// As above with the model `m` already assembled (for runs of a batch simulated one by one).
RunResult run_scenario(const model::Model& m, const RunSpec& run, const LakeInputs& inputs,
                       const forcing::DailyForcing* shared_forcing = nullptr);

/// What a run's forcing depends on (climate source, seed, member, deltas, observed months,
/// forcing file, period), as a text key: runs with equal keys have identical forcing.
std::string forcing_key(const RunSpec& run);

/// Copies the identity of `run` into `result`: scenario name, measure flags, climate member,
/// parameter member and the climate deltas (delta_t_C [degC], delta_p_pct [%]). run_scenario()
/// calls it; code that builds a result for a run that did not simulate (a failed or interrupted
/// run) should call it too, so that the run is recorded under its own identity.
void set_identity(RunResult& result, const RunSpec& run);

/// Checks what a run needs of its inputs before it starts: the initial stage inside the
/// hypsometry table and (with the aquifer on) the initial head above the aquifer base. Throws
/// core::InputError naming the file and line that set the offending value (the scenario's
/// override or the inputs' parameters.toml).
void check_initial_state(const RunSpec& run, const LakeInputs& inputs);

/// Water and salt residuals of a result computed from its outputs alone: change of storage
/// (from `initial`/`final`) minus the sum of the annual flux totals of each budget. Returns
/// {water_m3, salt_kg} (aquifer storage 0 in a model without aquifer). Throws std::out_of_range
/// when a needed lake state is missing.
std::pair<double, double> balance_from_outputs(const RunResult& r);

}  // namespace daihai::scenario
