#pragma once
/// @file binner.hpp
/// The one aggregation binner: which annual bin (calendar year) and which series interval
/// (day or calendar month) each day of a run falls in, with the length of every bin, so that
/// daily values become interval means (states) or interval totals (fluxes). Leap days are
/// real days.
#include <cstdint>
#include <vector>

#include "scenario/spec.hpp"

namespace daihai::model {

/// Time bins of a run of `n_days` days from day number `first_day`.
struct Binner {
  /// @throws std::invalid_argument when n_days < 1.
  Binner(std::int64_t first_day, std::int64_t n_days, scenario::Resolution series);

  std::vector<int> years;                       ///< calendar year of each annual bin (complete or partial)
  std::vector<std::size_t> year_bin;            ///< per day: its annual bin
  std::vector<std::size_t> series_bin;          ///< per day: its series interval
  std::vector<double> year_days;                ///< days in each annual bin
  std::vector<double> series_days;              ///< days in each series interval
  std::vector<std::int64_t> series_start_day;   ///< first day of each interval (days since 1970-01-01)
  std::vector<std::int64_t> series_end_day;     ///< last day (inclusive) of each interval
};

}  // namespace daihai::model
