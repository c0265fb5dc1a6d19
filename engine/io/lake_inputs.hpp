#pragma once
/// @file lake_inputs.hpp
/// Loads a lake's inputs folder (e.g. `inputs/daihai/`, documented in docs/lake-inputs.md):
/// parameters.toml and hypsometry.csv always; water_use_history.csv and measures.toml when the
/// folder has them (a model that needs them says so when it is assembled); the climate files
/// are read by io::attach_climate as the scenario's forcing needs them. Every value is checked
/// against the engine's declarations.
#include <string>

#include "scenario/spec.hpp"

namespace daihai::io {

/// Reads `dir` and returns the lake's inputs without a forcing builder (io::attach_climate).
/// @throws core::InputError naming the file, line and key of the first problem: a missing
///         parameters or hypsometry file, an unknown parameter, a value outside its valid range
///         or plausible range outside the valid one, missing `kind`/`source`, non-monotone
///         hypsometry, a measure of unknown kind or with a missing design value.
scenario::LakeInputs load_lake_inputs(const std::string& dir);

/// Reads a `parameters.toml` (every name declared by the engine, model::parameter_registry();
/// which of them a model needs is checked when it is assembled).
core::ParameterSet load_parameters(const std::string& path);

}  // namespace daihai::io
