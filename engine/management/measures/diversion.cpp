/// @file diversion.cpp
/// A transfer into the lake from outside the basin: `flow_m3_per_s` during `days_per_year` days
/// from day-of-year `season_start_doy` each year (the window may cross the year end), from the
/// start date on, less the conveyance loss, with the TDS of the delivered water. Adds the
/// scheduled inflow `diversion_<measure>` to the model.
#include <cmath>

#include "core/date.hpp"
#include "management/measure_kind.hpp"

namespace daihai::management::measures {

namespace {

// True when `day` (of calendar year `year`) lies in an intake season that starts on day-of-year
// `start_doy` of this or the previous year and lasts `days_per_year` days.
bool in_season(std::int64_t day, int year, int start_doy, double days_per_year) {
  for (int yy : {year - 1, year}) {
    const std::int64_t s = core::day_number(core::Date{yy, 1, 1}) + start_doy - 1;
    if (day >= s && day < s + static_cast<std::int64_t>(std::llround(days_per_year))) return true;
  }
  return false;
}

std::string flux_of(const scenario::MeasureSpec& m) { return "diversion_" + m.name; }

}  // namespace

MeasureKind diversion() {
  MeasureKind k;
  k.kind = "diversion";
  k.description = "a seasonal transfer into the lake from outside the basin, less its conveyance loss, with its TDS";
  k.keys = {{"flow_m3_per_s", "m3/s", 0.0, 1e4, "design flow at the intake"},
            {"days_per_year", "d/a", 1.0, 366.0, "intake days per year"},
            {"season_start_doy", "doy", 1.0, 366.0, "day of year on which the intake season starts"},
            {"conveyance_loss", "1", 0.0, 1.0, "fraction lost between intake and lake"},
            {"tds_g_per_L", "g/L", 0.0, 100.0, "TDS of the delivered water"}};
  k.phase = Phase::flows;
  k.adds = [](const scenario::MeasureSpec& m) {
    return std::vector<physics::ProcessInstance>{
        {"scheduled_inflow", flux_of(m), "water delivered into the lake by " + m.name, true, "measure " + m.name}};
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) {
    const std::string flux = flux_of(m);
    e.set_tds(flux, m.values.at("tds_g_per_L"));
    Daily& rate = e.rate(flux);
    const double delivered = m.values.at("flow_m3_per_s") * (1.0 - m.values.at("conveyance_loss"));
    const int doy = static_cast<int>(std::lround(m.values.at("season_start_doy")));
    const double days = m.values.at("days_per_year");
    const auto& year = e.year_of_day();
    for (std::size_t i = e.index_of(start_day(m)); i < e.days(); ++i)
      if (in_season(e.first_day() + static_cast<std::int64_t>(i), year[i], doy, days)) rate[i] = delivered;
  };
  return k;
}

}  // namespace daihai::management::measures
