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

/// Top-level key of `parameters.toml` naming the vertical datum of every level and head of the
/// lake's folder (hypsometry, initial level, aquifer base and head, observations): a string,
/// required. It is written into the long name of the level and head outputs.
inline constexpr const char* kVerticalDatumKey = "vertical_datum";

/// Reads a `parameters.toml` (every name declared by the engine, model::parameter_registry();
/// which of them a model needs is checked when it is assembled) and its `vertical_datum`
/// (stored in `*vertical_datum` when not null).
/// @throws core::InputError for a missing or empty `vertical_datum`, or a bad parameter table.
core::ParameterSet load_parameters(const std::string& path, std::string* vertical_datum = nullptr);

}  // namespace daihai::io
