#pragma once
/// @file targets.hpp
/// Plan targets as data (SI units): what a target asks of the annual means of a run. Read from
/// `scenarios/targets.toml` by io::load_targets; evaluated by analysis/verification.hpp.
#include <string>
#include <vector>

namespace daihai::analysis {


/// How a target reduces the annual means of a run to one condition.
enum class Statistic {
  trend,       ///< least-squares slope (per year) of the annual means over from..to
  every_year,  ///< the annual mean in each year from..to
  in_year,     ///< the annual mean in the year `to`
};

/// The comparison of a target.
enum class Comparison { greater_equal, less_equal };

/// One plan target, its threshold in the SI unit of the annual variable (per year for trends).
struct Target {
  std::string name;            ///< unique identifier, [A-Za-z0-9_]+
  std::string quantity;        ///< annual variable name: `area_m2`, `level_m` or `tds_g_per_L`
  Statistic statistic = Statistic::every_year;
  Comparison comparison = Comparison::greater_equal;
  double value = 0.0;          ///< threshold in SI (m2, m, g/L; per year for trend targets)
  double value_as_given = 0.0; ///< threshold as written in the file
  std::string unit;            ///< unit as written in the file (e.g. `km2`, `km2/a`)
  int from = 0;                ///< first year of the target period
  int to = 0;                  ///< last year of the target period (the year for in_year)
  int first_year_from = 2016;  ///< "first year met" is searched from this year on
  std::string source;          ///< source ID (shared/daihai/SOURCES.md)
  std::string note;            ///< free text
  std::string file;            ///< file the target was loaded from ("" when built in code)
  int line = 0;                ///< line of its `[[target]]` header (0 when built in code)

  /// True when `x` meets the comparison against `value` (x >= value or x <= value).
  bool holds(double x) const { return comparison == Comparison::greater_equal ? x >= value : x <= value; }
  /// ">=" or "<=".
  const char* operator_text() const { return comparison == Comparison::greater_equal ? ">=" : "<="; }
};

/// Name of a statistic as written in target files ("trend", "every_year", "in_year").
const char* to_string(Statistic statistic);

/// The SI unit of a target's threshold: that of its annual variable (m2, m, g/L), per year
/// ("/a") for trend targets.
std::string si_unit(const Target& t);

}  // namespace daihai::analysis
