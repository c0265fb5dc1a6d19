#pragma once
/// @file lake_inputs.hpp
/// Loads a lake's inputs folder (e.g. `inputs/daihai/`): parameters.toml, hypsometry.csv,
/// water_use_history.csv, measures.toml and the climate files; every value checked against
/// the engine's declarations.
#include <string>

#include "scenario/spec.hpp"

namespace daihai::io {

/// Reads `dir` and returns the lake's inputs, including the forcing builder (weather
/// generator fitted to the folder's climate records, or a forcing CSV named by a scenario).
/// @throws core::InputError naming the file, line and key of the first problem: unknown or
///         missing parameter, value outside its valid range or plausible range outside the
///         valid one, missing `kind`/`source`, non-monotone hypsometry, a measure of unknown
///         kind or with a missing design value.
scenario::LakeInputs load_lake_inputs(const std::string& dir);

/// Reads only `parameters.toml` of a folder into a complete parameter set.
core::ParameterSet load_parameters(const std::string& path);

}  // namespace daihai::io
