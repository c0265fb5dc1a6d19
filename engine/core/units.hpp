#pragma once
/// @file units.hpp
/// The engine's one table of units: every unit a parameter declaration, an input file, an
/// observation or a target may be given in, its dimension and its factor to the engine's
/// internal unit of that dimension (SI, except where the calendar is the natural unit: a
/// per-year rate stays per calendar year and is spread over the days of each year where it is
/// used, so `m3/a` is its own internal unit). Conversion happens only at the edges (readers),
/// never inside physics.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daihai::core {

/// One unit: its symbol as written in inputs, its dimension, and internal = given × to_internal.
struct Unit {
  std::string_view symbol;     ///< e.g. "km2", "mm/d", "g/L"
  std::string_view dimension;  ///< e.g. "area", "velocity", "concentration"
  double to_internal;          ///< factor to the internal unit of the dimension
  std::string_view internal;   ///< the internal unit, e.g. "m2", "m/s", "kg/m3"
};

/// Every unit the engine knows, grouped by dimension, internal unit first in each group.
const std::vector<Unit>& units();

/// The unit `symbol`, or nullopt when the table does not hold it.
std::optional<Unit> find_unit(std::string_view symbol);

/// Factor from `symbol` to its internal unit. Throws std::invalid_argument naming the symbol
/// when the table does not hold it (a declaration with an unknown unit is a programming error).
double to_internal(std::string_view symbol);

/// The symbols of `dimension`, in table order, joined as "m2, km2 or ha" (for error messages).
std::string symbols_of(std::string_view dimension);

}  // namespace daihai::core
