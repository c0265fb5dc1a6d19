#pragma once
/// @file block.hpp
/// One block of runs of a model, start to end: assemble (bind the model's processes and stores
/// to the lanes' parameters) → integrate (day by day: the day's inputs, the processes' daily
/// steps, one integration over the day through numerics::Integrator) → record (daily values
/// into annual and series bins; one RunResult per lane). The runs of a block share the model,
/// the period and the calendar; each lane has its own parameters, forcing and schedules, and a
/// lane's results do not depend on the other lanes (bit for bit).
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
};

/// Simulates the runs of one block (1 .. physics::kLanes of them, spare lanes filled with copies
/// of the first; dopri5 runs take blocks of one run, its step control being per block). Every
/// run gets a result in order: ok, or failed with the error and the date (a lake leaving its
/// hypsometry table, a non-finite state, a negative volume) while the other runs go on. Throws core::InputError for a lane whose forcing does not cover its period,
/// std::invalid_argument for lanes that do not share the period or the integrator.
std::vector<RunResult> simulate_block(const model::Model& model, const LakeInputs& inputs, const std::vector<Lane>& runs,
                                      const SeriesSelection& series = {});

}  // namespace daihai::scenario
