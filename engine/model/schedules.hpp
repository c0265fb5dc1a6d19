#pragma once
/// @file schedules.hpp
/// The management side of one run of a model: its parameter set and its daily schedules (the
/// water uses' demands from the lake's history, edited by the run's measures in phase order),
/// built before the run starts. Runs with equal schedules_key() have equal schedules, so a batch
/// builds them once and shares them.
#include <string>

#include "management/plan_editor.hpp"
#include "model/model.hpp"

namespace daihai::model {

/// The parameters of a run: the inputs' parameters with the scenario's overrides (in their
/// declared units) on top. Throws core::InputError naming the scenario file and line of an
/// override of an undeclared parameter or one outside its valid range.
core::ParameterSet run_parameters(const scenario::ScenarioSpec& s, const scenario::LakeInputs& inputs);

/// Builds the schedules of `run` (its parameters `p`) for model `m`:
///   water uses' drivers from the history → measures of Phase::uses → the uses' schedules →
///   the scenario's [inflow] → measures of Phase::flows → measures of Phase::caps,
/// measures of one phase in the order of the run's measures. The plan is made over the whole
/// calendar years of the run and cut to its days (a measure's yearly decision does not depend on
/// the day the run starts or ends). With `pool`, series equal to other runs' are shared
/// (management::SeriesPool).
management::Schedules build_schedules(const Model& m, const scenario::RunSpec& run, const core::ParameterSet& p,
                                      const scenario::LakeInputs& inputs, management::SeriesPool* pool = nullptr);

/// What build_schedules() depends on beyond the model (the run's measures with their values and
/// the values of the water uses' parameters), as a text key: equal keys, equal schedules.
std::string schedules_key(const Model& m, const scenario::RunSpec& run, const core::ParameterSet& p);

}  // namespace daihai::model
