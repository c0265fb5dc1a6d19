#pragma once
/// @file targets.hpp
/// Loading `scenarios/targets.toml` into analysis::Target values (SI units). The evaluation of
/// targets against runs is analysis/verification.hpp.
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

#include "analysis/targets.hpp"

namespace daihai::io {

using analysis::Comparison;
using analysis::Statistic;
using analysis::Target;
using analysis::to_string;

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
