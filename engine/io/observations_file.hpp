#pragma once
/// @file observations_file.hpp
/// Reading observation tables (`shared/daihai/observations.csv` and any CSV in its format) into
/// analysis::Observation values (SI units; definitions in calibration/observations.hpp).
///
/// Format: `#` comment lines; one header row; columns read by name, extra columns ignored.
/// | column       | required | content                                                          |
/// |--------------|----------|------------------------------------------------------------------|
/// | `kind`       | yes      | level_change, level_trend, level, area_change, area_rate, area,  |
/// |              |          | volume_change, volume_rate, volume, depth_mean, tds,             |
/// |              |          | groundwater_discharge                                            |
/// | `value`      | yes      | finite number, in `unit`                                         |
/// | `unit`       | yes      | a unit of the kind (analysis::unit_factor), e.g. km2 for area |
/// | `start`,`end`| yes      | calendar years (whole numbers), start <= end; end > start for    |
/// |              |          | changes, rates and trends                                        |
/// | `source`     | yes      | source id (may be empty)                                         |
/// | `confidence` | yes      | H, M or L                                                        |
/// | `tolerance`  | no       | absolute, > 0, in `unit`; an empty cell or no column: the        |
/// |              |          | default of analysis::default_tolerance()                      |
/// | `note`       | no       | free text                                                        |
#include <string>
#include <vector>

#include "analysis/observations.hpp"

namespace daihai::io {

/// Reads the observation table `path`. Throws core::InputError naming the file, the line and the
/// column for: a file that cannot be read, a missing required column, an unknown kind, a unit
/// that does not fit the kind, a value, tolerance or year that is not a number (or a year not a
/// whole number), a tolerance <= 0, a confidence other than H/M/L, start > end (or end == start
/// for a change, rate or trend), a file without rows. Every row is checked; the exception carries
/// the first problem's position and lists every problem in its message, one per line.
std::vector<analysis::Observation> load_observations(const std::string& path);

/// As load_observations(), parsing `text` as if it were the file `path`.
std::vector<analysis::Observation> parse_observations(const std::string& text, const std::string& path);

}  // namespace daihai::io
