#pragma once
/// @file targets.hpp
/// Plan targets as data: loading `scenarios/targets.toml` into io::Target values (SI units).
/// The evaluation of targets against runs is batch/verification.hpp.
///
/// File format (every key documented in `scenarios/targets.toml`):
/// ```toml
/// plan_start = 2016            # optional; default first_year_from of every target (2016)
/// [[target]]
/// name = "minimum_area"        # [A-Za-z0-9_]+, unique; names the /verification datasets
/// quantity = "area_m2"         # annual variable: area_m2 | level_m | tds_g_per_L
/// statistic = "every_year"     # trend | every_year | in_year
/// operator = ">="              # ">=" | "<="
/// value = 50
/// unit = "km2"                 # see kTargetUnits; converted to the variable's SI unit
/// from = 2020
/// to = 2050                    # in_year: from == to
/// source = "S18"
/// note = "area not below 50 km2 from 2020 on"
/// first_year_from = 2016       # optional, default plan_start
/// ```
#include <string>
#include <vector>

namespace daihai::io {

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

/// Reads and validates the targets file `path`. Throws core::InputError naming the file, the line
/// and the key for: a file that cannot be read or is not valid TOML, an unknown key, a missing
/// required key, a value of the wrong type, an unknown quantity, statistic, operator or unit
/// (or a unit that does not fit the quantity and statistic), from > to, an in_year target with
/// from != to, a duplicate or malformed name. All problems are collected; the exception carries
/// the first one's position and lists every problem in its message, one per line.
std::vector<Target> load_targets(const std::string& path);

/// As load_targets(), parsing `text` as if it were the file `path`.
std::vector<Target> parse_targets(const std::string& text, const std::string& path);

/// A unit accepted in target files, and its factor to the variable's SI unit.
struct TargetUnit {
  const char* quantity;  ///< annual variable
  bool per_year;         ///< for trend targets
  const char* unit;      ///< as written
  double to_si;          ///< SI value = value * to_si
};

/// Every accepted unit: area_m2: m2, km2, ha; level_m: m, cm; tds_g_per_L: g/L, kg/m3, mg/L;
/// the same followed by "/a" for trend targets.
extern const std::vector<TargetUnit> kTargetUnits;

}  // namespace daihai::io
