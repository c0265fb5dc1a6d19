#pragma once
/// @file output_spec.hpp
/// What a batch writes to `/series`, per variable: the series resolution (daily, monthly or none)
/// and the precision (float64 or float32), read from the `[output]` table of a scenario or batch
/// file (scenarios/README.md). `/annual`, `/initial`, `/final` and `/balance` are always written in
/// float64 whatever the table says, so the water and salt budgets close from the file alone.
#include <map>
#include <string>

namespace daihai::io {

/// Resolution of a variable's series. `none` writes no series (its annual means or totals are in
/// `/annual` anyway).
enum class SeriesResolution { none, monthly, daily };

/// Storage type of a variable's series: IEEE float64, or float32 (about 7 significant digits: a
/// level of 1200 m to 0.1 mm, a volume of 1e9 m3 to 100 m3).
enum class Precision { float64, float32 };

/// Resolution and precision of one variable's series.
struct VariableOutput {
  SeriesResolution resolution = SeriesResolution::monthly;
  Precision precision = Precision::float64;
};

/// The `[output]` table: a default for every series variable and per-variable exceptions, plus
/// the deflate level and byte shuffle of the chunked `[run, year]` and `[run, time]` datasets.
struct OutputSpec {
  VariableOutput defaults;                           ///< for every variable not listed
  std::map<std::string, VariableOutput> variables;   ///< dataset name (e.g. `level_m`) -> its choice
  std::map<std::string, int> lines;                  ///< line of each listed variable in `file`
  std::string file;                                  ///< the file the table came from ("" = defaults)
  int deflate = 4;                                   ///< zlib level 0..9 (0 = none), chosen by measurement (bench/README.md)
  bool shuffle = true;                               ///< byte shuffle before deflate

  /// The choice for variable `name` (its own entry, else the defaults).
  VariableOutput of(const std::string& name) const;
  /// The finest resolution any variable asks for (the resolution the runs must produce);
  /// `none` when no variable has a series.
  SeriesResolution finest() const;
};

/// "daily", "monthly" or "none".
const char* to_string(SeriesResolution r);
/// "float64" or "float32".
const char* to_string(Precision p);

}  // namespace daihai::io
