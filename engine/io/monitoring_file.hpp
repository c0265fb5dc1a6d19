#pragma once
/// @file monitoring_file.hpp
/// Reading monitoring files: observations of a lake's state with their uncertainty, on which a
/// batch conditions its members (analysis/assimilation.hpp). The observations file's format
/// where it fits (units, source ids, comment lines), with a time and a standard deviation.
///
/// | column     | required | content                                                              |
/// |------------|----------|----------------------------------------------------------------------|
/// | `quantity` | yes      | level, area, volume, tds or aquifer_head                             |
/// | `value`    | yes      | finite number, in `unit`                                             |
/// | `unit`     | yes      | the units of the observations file's kind (analysis::unit_factor):    |
/// |            |          | level, aquifer_head: m; area: km2, m2, ha; volume: m3, km3;          |
/// |            |          | tds: g/L, mg/L, kg/m3                                                |
/// | `time`     | yes      | `YYYY-MM-DD`: the state at the end of that day; `YYYY`: the annual    |
/// |            |          | mean of that year; `YYYY..YYYY`: the mean of the annual means        |
/// | `sd`       | yes      | the observation's standard deviation, > 0, in `unit`                 |
/// | `source`   | yes      | source id (SOURCES.md; may be empty)                                 |
/// | `note`     | no       | free text                                                            |
#include <string>
#include <vector>

#include "analysis/assimilation.hpp"
#include "analysis/observations.hpp"

namespace daihai::io {

/// Reads the monitoring file `path`. Throws core::InputError naming the file, the line and the
/// column for: a file that cannot be read or has no rows, a missing required column, an unknown
/// quantity, a unit that does not fit the quantity, a value or sd that is not a finite number, a
/// negative area, volume or TDS, an sd <= 0 or beyond 1e100 in SI, a time that is not a date, a
/// year or a year range (first <= last), a quantity given twice for one time. Every row is
/// checked; the exception carries the first problem and lists every problem, one per line.
/// Rows are returned in the order they are assimilated (analysis day, then file order).
std::vector<analysis::MonitoringRow> load_monitoring(const std::string& path);

/// The rows of a monitoring file as observations for validation (analysis/validation.hpp): each
/// as the annual mean of its years (an instant as the annual mean of its day's year, a note
/// saying so), tolerance one sd, confidence M. Aquifer heads have no observation kind and are
/// left out (their count in `skipped`).
std::vector<analysis::Observation> as_observations(const std::vector<analysis::MonitoringRow>& rows, std::size_t* skipped = nullptr);

/// As load_monitoring(), parsing `text` as if it were the file `path`.
std::vector<analysis::MonitoringRow> parse_monitoring(const std::string& text, const std::string& path);

}  // namespace daihai::io
