/// @file diversion.cpp
/// A transfer into the lake from outside the basin: each year from day-of-year
/// `season_start_doy`, `days_per_year` intake days at the design flow `flow_m3_per_s` times the
/// year's `delivery_fraction` (the share of the design volume a source actually delivers: water
/// quotas, low river flow), less the conveyance loss, with the TDS of the delivered water. Days in
/// the source river's ice period (`ice_days` days from `ice_start_doy`; 0 for none) are skipped:
/// the season resumes after the ice until its intake days are complete (a season may cross the
/// year end). From the start date on. Adds the scheduled inflow `diversion_<measure>` to the model.
#include <cmath>
#include <set>

#include "core/date.hpp"
#include "management/measure_kind.hpp"

namespace daihai::management::measures {

namespace {

std::string flux_of(const scenario::MeasureSpec& m) { return "diversion_" + m.name; }

// True when day number `day` lies in an ice period of `days` days from day-of-year `start_doy`
// of its own or the previous calendar year.
bool in_ice(std::int64_t day, int start_doy, int days) {
  if (days <= 0) return false;
  const int year = core::date_of(day).year;
  for (int y : {year - 1, year}) {
    const std::int64_t s = core::day_number(core::Date{y, 1, 1}) + start_doy - 1;
    if (day >= s && day < s + days) return true;
  }
  return false;
}

// The intake days (day numbers) of the seasons starting in years first_year .. last_year.
std::set<std::int64_t> intake_days(int first_year, int last_year, int start_doy, int days, int ice_start_doy, int ice_days) {
  std::set<std::int64_t> out;
  for (int y = first_year; y <= last_year; ++y) {
    std::int64_t d = core::day_number(core::Date{y, 1, 1}) + start_doy - 1;
    int taken = 0, looked = 0;
    while (taken < days && looked < 2 * 366) {
      if (!in_ice(d, ice_start_doy, ice_days)) {
        out.insert(d);
        ++taken;
      }
      ++d;
      ++looked;
    }
  }
  return out;
}

}  // namespace

MeasureKind diversion() {
  MeasureKind k;
  k.kind = "diversion";
  k.description = "a seasonal transfer into the lake from outside the basin, outside the source's ice period, a fraction of its design "
                   "volume delivered, less its conveyance loss, with its TDS";
  k.keys = {{"flow_m3_per_s", "m3/s", 0.0, 1e4, "design flow at the intake"},
            core::ParameterDecl{"days_per_year", "d/a", 1.0, 366.0, "intake days per year"}.as_whole(),
            core::ParameterDecl{"season_start_doy", "doy", 1.0, 366.0, "day of year on which the intake season starts"}.as_whole(),
            {"delivery_fraction", "1", 0.0, 1.0, "share of the design volume delivered in a year"},
            core::ParameterDecl{"ice_start_doy", "doy", 1.0, 366.0, "day of year on which the source's ice period starts"}.as_whole(),
            core::ParameterDecl{"ice_days", "d/a", 0.0, 366.0, "length of the source's ice period each year, days (0: none)"}.as_whole(),
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
    const auto& v = m.values;
    const double delivered = v.at("flow_m3_per_s") * v.at("delivery_fraction") * (1.0 - v.at("conveyance_loss"));
    const auto& year = e.year_of_day();
    if (e.days() == 0) return;
    const std::set<std::int64_t> intake =
        intake_days(year.front() - 1, year.back(), static_cast<int>(std::lround(v.at("season_start_doy"))),
                    static_cast<int>(std::lround(v.at("days_per_year"))), static_cast<int>(std::lround(v.at("ice_start_doy"))),
                    static_cast<int>(std::lround(v.at("ice_days"))));
    for (std::size_t i = e.index_of(start_day(m)); i < e.days(); ++i)
      if (intake.count(e.first_day() + static_cast<std::int64_t>(i))) rate[i] = delivered;
  };
  return k;
}

}  // namespace daihai::management::measures
