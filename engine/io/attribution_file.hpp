#pragma once
/// @file attribution_file.hpp
/// The attribution of a factorial batch's results file (analysis/attribution.hpp): its input read
/// from `/runs` and `/annual`, and its table as CSV.
#include <string>

#include "analysis/attribution.hpp"

namespace daihai::io {

/// Reads the attribution input of results file `path`: the measures that are on in some runs and
/// off in others (`/runs/measure_*`), each run's member (climate member, parameter member and
/// climate delta), status and annual mean volume and area. Throws core::InputError naming the file
/// and dataset when it is not a daihai result, lacks a dataset or no measure varies.
analysis::AttributionInput read_attribution_input(const std::string& path);

/// Writes the table as CSV (UTF-8): one row per measure with the median, 5 % and 95 % of its share
/// of the volume trend's change (m3/a and %), and of its effect on the area alone and when dropped
/// (km2). Throws core::InputError naming the path when it cannot be written.
void write_attribution_csv(const analysis::AttributionTable& table, const std::string& path);

}  // namespace daihai::io
