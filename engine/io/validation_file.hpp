#pragma once
/// @file validation_file.hpp
/// Validation of a results file against published observations (analysis/validation.hpp): the
/// members read from `/runs` and `/annual` of the file, and the table written as CSV.
#include <optional>
#include <string>
#include <vector>

#include "analysis/validation.hpp"

namespace daihai::io {

using analysis::ValidationTable;

/// Validates the results file `h5` (see the file comment for the scenario choice).
/// Throws core::InputError naming the file and what is wrong when: it is not an HDF5 file or not
/// a daihai result; `/runs` or `/annual` lacks a dataset needed (named, e.g.
/// `/annual/volume_m3`) or has the wrong shape; no scenario has every measure on, or more than
/// one does, or `scenario` names none (the message lists the scenario names of the file); an
/// observation's period is outside the file's year axis (named by the observation's file:line).
/// Values equal to the HDF5 fill value count as missing years.
/// Only the runs without a climate delta (`/runs/delta_t_C` = `delta_p_pct` = 0, or files without
/// those datasets) are compared with the observations; a scenario whose runs all have a delta is
/// a core::InputError.
ValidationTable validate_file(const std::string& h5, const std::vector<analysis::Observation>& observations,
                              std::optional<std::string> scenario = std::nullopt);

/// Writes `table` as CSV, one row per observation, values in the unit written in the observations
/// file. Throws core::InputError naming the path when it cannot be written.
void write_validation_csv(const ValidationTable& table, const std::string& path);

}  // namespace daihai::io
