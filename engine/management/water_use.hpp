#pragma once
/// @file water_use.hpp
/// Water uses: the human demands of a lake's basin before any measure (irrigation, towns, the
/// power plant, direct lake abstraction), built from the lake's water-use history table and
/// parameters. A use declares its parameters, the history columns it reads and the processes
/// it feeds; it turns the history into daily drivers (which measures may edit, e.g. the
/// irrigated area) and the drivers into the schedules of its fluxes. Each use is one file under
/// `engine/management/uses/` and one line of the table in `water_use_registry.cpp`.
#include <functional>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "management/plan_editor.hpp"
#include "physics/process.hpp"
#include "scenario/spec.hpp"

namespace daihai::management {

/// What a water use reads while it builds one run's schedules.
struct WaterUseContext {
  const scenario::History& history;  ///< the lake's water-use history
  const core::ParameterSet& p;       ///< the run's parameters (internal units)
  const scenario::Switches& switches;///< which stores and processes the model has
};

/// A water use of the registry.
struct WaterUse {
  std::string name;
  std::string description;
  std::vector<core::ParameterDecl> parameters;  ///< the parameters it reads
  std::vector<std::string> history_columns;     ///< the history columns it reads
  /// The processes it feeds in a model with `switches` (none: the use has no flux there).
  std::function<std::vector<physics::ProcessInstance>(const scenario::Switches&)> processes;
  /// Baseline daily drivers from the history (before measures).
  std::function<void(const WaterUseContext&, PlanEditor&)> drivers;
  /// The schedules of its fluxes from the (edited) drivers.
  std::function<void(const WaterUseContext&, PlanEditor&)> schedules;
};

/// Every registered water use, in registry (and model) order.
const std::vector<WaterUse>& water_uses();

}  // namespace daihai::management
