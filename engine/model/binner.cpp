#include "model/binner.hpp"

#include <stdexcept>

#include "core/date.hpp"

namespace daihai::model {

Binner::Binner(std::int64_t first_day, std::int64_t n_days, scenario::Resolution series) {
  if (n_days < 1) throw std::invalid_argument("a run has at least one day");
  const core::Date d0 = core::date_of(first_day), d1 = core::date_of(first_day + n_days - 1);
  for (int y = d0.year; y <= d1.year; ++y) years.push_back(y);
  const auto n = static_cast<std::size_t>(n_days);
  year_bin.resize(n);
  series_bin.resize(n);
  year_days.assign(years.size(), 0.0);
  core::Date d = d0;
  for (std::size_t i = 0; i < n; ++i, core::step_day(d)) {
    year_bin[i] = static_cast<std::size_t>(d.year - d0.year);
    if (i == 0 || series == scenario::Resolution::daily || d.day == 1) {
      series_start_day.push_back(first_day + static_cast<std::int64_t>(i));
      series_end_day.push_back(first_day + static_cast<std::int64_t>(i));
      series_days.push_back(0.0);
    }
    series_end_day.back() = first_day + static_cast<std::int64_t>(i);
    series_bin[i] = series_start_day.size() - 1;
    series_days.back() += 1.0;
    year_days[year_bin[i]] += 1.0;
  }
}

}  // namespace daihai::model
