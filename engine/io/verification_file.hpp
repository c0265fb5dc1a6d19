#pragma once
/// @file verification_file.hpp
/// Reading and writing the verification of a batch (analysis/verification.hpp): the group
/// `/verification` of a results file, the verification recomputed from a file's `/runs` and
/// `/annual`, and its tables as CSV.
#include <string>
#include <vector>

#include "analysis/verification.hpp"
#include "io/hdf5.hpp"
#include "io/result_sink.hpp"

namespace daihai::io {

using analysis::VerificationOptions;
using analysis::VerificationTable;

static_assert(analysis::kNoFirstYear == hdf5::kFillInt64, "a missing first year is the datasets' fill value");

/// Writes `table` as the group `/verification` of an open results file (1-D datasets over the
/// `scenario` dimension scale; layout in outputs/README.md). Throws hdf5::Hdf5Error (e.g. when
/// the group exists).
void write_verification(hdf5::File& file, const VerificationTable& table);
/// The same into the file of a sink, before ResultSink::commit().
void write_verification(ResultSink& sink, const VerificationTable& table);

/// Reads `/verification` of a results file back (targets rebuilt from the datasets'
/// attributes). Throws core::InputError when the file is not a daihai result or has no
/// `/verification`.
VerificationTable read_verification(const std::string& path);

/// Recomputes the verification from `/runs` and `/annual` of an existing results file
/// (`daihai verify FILE.h5 --targets FILE`). Throws core::InputError when the file is not a
/// daihai result or lacks a dataset needed (naming the file and the dataset path);
/// VerificationError like compute_verification().
VerificationTable verify_file(const std::string& path, const std::vector<analysis::Target>& targets,
                              const VerificationOptions& options = {});
/// verify_file() of a results file already open (e.g. a merged file before it is renamed to its
/// name); `path` names it in errors.
VerificationTable verify_file(const hdf5::File& file, const std::string& path, const std::vector<analysis::Target>& targets,
                              const VerificationOptions& options = {});

/// Writes `table` as CSV (header row; scenario, delta_t_C, delta_p_pct, then runs ...; area in
/// km2, level in m, TDS in g/L; first years as a year, "never" or empty). Throws core::InputError
/// naming the path when it cannot be written.
void write_csv(const VerificationTable& table, const std::string& path);

/// Writes the per-year statistics of every scenario and year as CSV: scenario, delta_t_C,
/// delta_p_pct, year, area_km2_p05 .. area_km2_p95, level_m_p05 .., tds_g_per_L_p05 .., then
/// `<target>_met_by_year` per every_year/in_year target (empty cells without successful runs).
/// Throws analysis::VerificationError without per-year statistics, core::InputError naming the path when it
/// cannot be written.
void write_by_year_csv(const VerificationTable& table, const std::string& path);

}  // namespace daihai::io
