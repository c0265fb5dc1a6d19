#include "management/water_uses.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"

namespace daihai::management {

namespace {

using core::kSecondsPerDay;
constexpr double kDaysPerYear = 365.2425;


// Linear ramp 0 → 1 from the measure's start over `years` (a step when years == 0).
double ramp(std::int64_t day, std::int64_t start_day, double years) {
  if (day < start_day) return 0.0;
  if (years <= 0.0) return 1.0;
  return std::min(1.0, (day - start_day + 1) / (years * kDaysPerYear));
}

// True when `day` (of calendar year `year`) lies in an intake season that starts on day-of-year
// `start_doy` of this or the previous year and lasts `days_per_year` days.
bool in_season(std::int64_t day, int year, int start_doy, double days_per_year) {
  for (int yy : {year - 1, year}) {
    const std::int64_t s = core::day_number(core::Date{yy, 1, 1}) + start_doy - 1;
    if (day >= s && day < s + static_cast<std::int64_t>(std::llround(days_per_year))) return true;
  }
  return false;
}

std::vector<MeasureKind> make_kinds() {
  std::vector<MeasureKind> k;
  // The power plant's wet-to-air cooling retrofit: its lake and lakeside-well use ends at the start date.
  k.push_back({"cooling_retrofit", {}, 1, [](const scenario::MeasureSpec& m, std::int64_t first_day, UseDrivers& u) {
                 const std::int64_t s = core::day_number(m.start);
                 for (std::size_t i = 0; i < u.plant_use_m3_per_a.size(); ++i)
                   if (first_day + static_cast<std::int64_t>(i) >= s) u.plant_use_m3_per_a[i] = 0.0;
               }});
  // A transfer into the lake: `flow` during `days_per_year` days from day-of-year `season_start_doy`
  // each year (the window may cross the year end), from the start date on, less the conveyance loss.
  k.push_back({"diversion",
               {{"flow_m3_per_s", "m3/s", 1.0, 0.0, 1e4, "design flow at the intake"},
                {"days_per_year", "d", 1.0, 1.0, 366.0, "intake days per year"},
                {"season_start_doy", "d", 1.0, 1.0, 366.0, "day of year on which the intake season starts"},
                {"conveyance_loss", "1", 1.0, 0.0, 1.0, "fraction lost between intake and lake"},
                {"tds_g_per_L", "g/L", 1.0, 0.0, 100.0, "TDS of the delivered water"}},
               2,
               [](const scenario::MeasureSpec& m, std::int64_t first_day, UseDrivers& u) {
                 UseDrivers::Diversion d;
                 d.name = m.name;
                 d.tds_kg_per_m3 = m.values.at("tds_g_per_L");
                 const double delivered = m.values.at("flow_m3_per_s") * (1.0 - m.values.at("conveyance_loss"));
                 const int doy = static_cast<int>(std::lround(m.values.at("season_start_doy")));
                 const double days = m.values.at("days_per_year");
                 const std::int64_t s = core::day_number(m.start);
                 const std::size_t n = u.plant_use_m3_per_a.size();
                 d.rate_m3_per_s.assign(n, 0.0);
                 core::Date date = core::date_of(first_day);
                 for (std::size_t i = 0; i < n; ++i, core::step_day(date)) {
                   const std::int64_t day = first_day + static_cast<std::int64_t>(i);
                   if (day >= s && in_season(day, date.year, doy, days)) d.rate_m3_per_s[i] = delivered;
                 }
                 u.diversions.push_back(std::move(d));
               }});
  // Agricultural water saving: irrigated land converted to dry farming and efficiency retrofits,
  // ramped in linearly over `ramp_years` from the start date.
  k.push_back({"agricultural_saving",
               {{"converted_area_km2", "km2", 1e6, 0.0, 1e5, "irrigated land converted to dry farming"},
                {"retrofit_area_km2", "km2", 1e6, 0.0, 1e5, "irrigated land given water-saving irrigation"},
                {"retrofit_saving_fraction", "1", 1.0, 0.0, 1.0, "share of the net irrigation depth saved on retrofitted land"},
                {"ramp_years", "a", 1.0, 0.0, 50.0, "years over which the conversion is phased in"}},
               0,
               [](const scenario::MeasureSpec& m, std::int64_t first_day, UseDrivers& u) {
                 const std::int64_t s = core::day_number(m.start);
                 const double ramp_years = m.values.at("ramp_years"), converted_m2 = m.values.at("converted_area_km2"),
                              retrofit_m2 = m.values.at("retrofit_area_km2"), saving = m.values.at("retrofit_saving_fraction");
                 for (std::size_t i = 0; i < u.irrigated_area_m2.size(); ++i) {
                   const double r = ramp(first_day + static_cast<std::int64_t>(i), s, ramp_years);
                   const double converted = std::min(u.irrigated_area_m2[i], converted_m2 * r);
                   u.irrigated_area_m2[i] -= converted;
                   const double retrofit = std::min(u.irrigated_area_m2[i], retrofit_m2 * r);
                   u.irrigation_saving_m3_per_a[i] += retrofit * u.irrigation_depth_m_per_a[i] * saving;
                 }
               }});
  // A cap on total annual groundwater pumping (well closures): demand above it is not pumped.
  k.push_back({"groundwater_cap",
               {{"cap_m3_per_a", "m3/a", 1.0, 0.0, 1e12, "cap on total groundwater pumping per calendar year"}},
               10,
               [](const scenario::MeasureSpec& m, std::int64_t first_day, UseDrivers& u) {
                 const std::int64_t s = core::day_number(m.start);
                 const double cap = m.values.at("cap_m3_per_a");
                 for (std::size_t i = 0; i < u.pumping_cap_m3_per_a.size(); ++i)
                   if (first_day + static_cast<std::int64_t>(i) >= s) u.pumping_cap_m3_per_a[i] = std::min(u.pumping_cap_m3_per_a[i], cap);
               }});
  return k;
}

}  // namespace

const std::vector<MeasureKind>& measure_kinds() {
  static const std::vector<MeasureKind> kinds = make_kinds();
  return kinds;
}

const MeasureKind* find_measure_kind(const std::string& kind) {
  for (const auto& k : measure_kinds())
    if (k.kind == kind) return &k;
  return nullptr;
}

UseDrivers baseline_drivers(const scenario::LakeInputs& in, const core::ParameterSet& p, std::int64_t first_day,
                            std::int64_t n_days) {
  UseDrivers u;
  const auto n = static_cast<std::size_t>(n_days);
  u.irrigated_area_m2.resize(n);
  u.irrigation_depth_m_per_a.assign(n, p.si("irrigation_net_depth_mm"));
  u.irrigation_saving_m3_per_a.assign(n, 0.0);
  u.town_use_m3_per_a.resize(n);
  u.plant_use_m3_per_a.resize(n);
  u.lake_abstraction_m3_per_a.resize(n);
  u.pumping_cap_m3_per_a.assign(n, std::numeric_limits<double>::infinity());
  const double area_multiplier = p.si("irrigated_area_multiplier");
  const int first_year = static_cast<int>(std::lround(p.si("power_plant_first_year")));
  const double plant_use = p.si("power_plant_use_m3_per_a");
  const auto& area_km2 = in.water_use.column("irrigated_area_km2");
  const auto& town = in.water_use.column("town_use_m3_per_a");
  const auto& lake = in.water_use.column("lake_abstraction_m3_per_a");
  core::Date date = core::date_of(first_day);
  int doy = core::day_of_year(date);
  for (std::size_t i = 0; i < n; ++i, core::step_day(date), doy = date.month == 1 && date.day == 1 ? 1 : doy + 1) {
    const double y = core::fractional_year(date, doy);
    u.irrigated_area_m2[i] = in.water_use.at(area_km2, y) * 1e6 * area_multiplier;
    u.town_use_m3_per_a[i] = in.water_use.at(town, y);
    u.lake_abstraction_m3_per_a[i] = in.water_use.at(lake, y);
    u.plant_use_m3_per_a[i] = std::floor(y) >= first_year ? plant_use : 0.0;
  }
  return u;
}

ManagementPlan build_plan(const scenario::ScenarioSpec& spec, const scenario::LakeInputs& in, const core::ParameterSet& p,
                          std::int64_t first_day, std::int64_t n_days) {
  const auto n = static_cast<std::size_t>(n_days);
  ManagementPlan plan;
  plan.river_demand_m3_per_s.assign(n, 0.0);
  plan.cap_reduction_m3_per_s.assign(n, 0.0);
  if (!spec.switches.water_uses && spec.measures.empty()) return plan;

  UseDrivers u = baseline_drivers(in, p, first_day, n_days);
  if (!spec.switches.water_uses) {
    std::fill(u.irrigated_area_m2.begin(), u.irrigated_area_m2.end(), 0.0);
    std::fill(u.town_use_m3_per_a.begin(), u.town_use_m3_per_a.end(), 0.0);
    std::fill(u.plant_use_m3_per_a.begin(), u.plant_use_m3_per_a.end(), 0.0);
    std::fill(u.lake_abstraction_m3_per_a.begin(), u.lake_abstraction_m3_per_a.end(), 0.0);
  }
  std::vector<const scenario::MeasureSpec*> order;
  for (const auto& m : spec.measures) {
    if (find_measure_kind(m.kind) == nullptr) throw std::invalid_argument(fmt::format("unknown measure kind '{}'", m.kind));
    order.push_back(&m);
  }
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) {
    return find_measure_kind(a->kind)->phase < find_measure_kind(b->kind)->phase;
  });
  for (const auto* m : order) find_measure_kind(m->kind)->apply(*m, first_day, u);
  // Every diversion the lake's inputs know appears in every run (zero while off), so all runs of
  // a batch report the same terms; they come in the inputs' order.
  std::vector<UseDrivers::Diversion> diversions;
  for (const auto& design : in.measure_designs) {
    if (design.kind != "diversion") continue;
    auto it = std::find_if(u.diversions.begin(), u.diversions.end(), [&](const auto& d) { return d.name == design.name; });
    if (it != u.diversions.end()) {
      diversions.push_back(std::move(*it));
    } else {
      diversions.push_back({design.name, std::vector<double>(n, 0.0), design.values.at("tds_g_per_L")});
    }
  }
  for (auto& d : u.diversions)
    if (!d.rate_m3_per_s.empty() && std::none_of(diversions.begin(), diversions.end(), [&](const auto& x) { return x.name == d.name; }))
      diversions.push_back(std::move(d));
  u.diversions = std::move(diversions);

  // Irrigation season and split.
  const int m0 = static_cast<int>(std::lround(p.si("irrigation_season_first_month")));
  const int m1 = static_cast<int>(std::lround(p.si("irrigation_season_last_month")));
  const double gw_share = p.si("irrigation_groundwater_share");
  const double lake_share = p.si("power_plant_lake_share");
  auto season_days = [&](int year) {
    int d = 0;
    for (int mo = m0; mo <= m1; ++mo) d += core::days_in_month(year, mo);
    return d;
  };

  const bool aquifer = spec.switches.aquifer;
  Schedule irr_gw{{"pumping_irrigation", "groundwater pumped for irrigation", physics::TermKind::aquifer_pumping,
                   physics::Store::aquifer, -1, 0.0, false, -1, true}, std::vector<double>(n, 0.0)};
  Schedule towns{{"pumping_towns", "groundwater pumped for towns and industry", physics::TermKind::aquifer_pumping,
                  physics::Store::aquifer, -1, 0.0, false, -1, true}, std::vector<double>(n, 0.0)};
  Schedule plant_gw{{"pumping_power_plant", "power plant lakeside wells", physics::TermKind::aquifer_pumping,
                     physics::Store::aquifer, -1, 0.0, false, -1, true}, std::vector<double>(n, 0.0)};
  Schedule plant_lake{{"power_plant_evaporation", "extra lake evaporation caused by the power plant's cooling water",
                       physics::TermKind::lake_withdrawal, physics::Store::lake, -1, 0.0, false, -1, true},
                      std::vector<double>(n, 0.0)};
  Schedule lake_abs{{"lake_abstraction", "water pumped directly from the lake", physics::TermKind::lake_withdrawal,
                     physics::Store::lake, -1, 0.0, true, -1, true},
                    std::vector<double>(n, 0.0)};
  std::vector<int> year_of(n);
  core::Date d = core::date_of(first_day);
  for (std::size_t i = 0; i < n; ++i, core::step_day(d)) {
    year_of[i] = d.year;
    const double days_y = core::days_in_year(d.year);
    const double irrigation_m3_per_a =
        std::max(0.0, u.irrigated_area_m2[i] * u.irrigation_depth_m_per_a[i] - u.irrigation_saving_m3_per_a[i]);
    double irr_rate = 0.0;
    if (d.month >= m0 && d.month <= m1) irr_rate = irrigation_m3_per_a / (season_days(d.year) * kSecondsPerDay);
    const double gw = aquifer ? gw_share : 0.0;
    irr_gw.rate_m3_per_s[i] = irr_rate * gw;
    plan.river_demand_m3_per_s[i] = irr_rate * (1.0 - gw);
    const double per_s = 1.0 / (days_y * kSecondsPerDay);
    towns.rate_m3_per_s[i] = aquifer ? u.town_use_m3_per_a[i] * per_s : 0.0;
    const double plant = u.plant_use_m3_per_a[i] * per_s;
    const double plant_lake_share = aquifer ? lake_share : 1.0;
    plant_lake.rate_m3_per_s[i] = plant * plant_lake_share;
    plant_gw.rate_m3_per_s[i] = plant * (1.0 - plant_lake_share);
    lake_abs.rate_m3_per_s[i] = u.lake_abstraction_m3_per_a[i] * per_s;
  }
  // Groundwater cap per calendar year: scale every groundwater demand of a year whose total exceeds it.
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    double cap = std::numeric_limits<double>::infinity();
    while (j < n && year_of[j] == year_of[i]) cap = std::min(cap, u.pumping_cap_m3_per_a[j++]);
    // The cap applies pro rata to the days of the year on which it is in force.
    double capped_days = 0.0;
    for (std::size_t k = i; k < j; ++k) capped_days += std::isfinite(u.pumping_cap_m3_per_a[k]) ? 1.0 : 0.0;
    if (capped_days > 0.0) {
      double demand_capped = 0.0;
      for (std::size_t k = i; k < j; ++k)
        if (std::isfinite(u.pumping_cap_m3_per_a[k]))
          demand_capped += (irr_gw.rate_m3_per_s[k] + towns.rate_m3_per_s[k] + plant_gw.rate_m3_per_s[k]) * kSecondsPerDay;
      const double allowed = cap * capped_days / core::days_in_year(year_of[i]);
      if (demand_capped > allowed) {
        const double f = allowed / demand_capped;
        for (std::size_t k = i; k < j; ++k) {
          if (!std::isfinite(u.pumping_cap_m3_per_a[k])) continue;
          const double before = irr_gw.rate_m3_per_s[k] + towns.rate_m3_per_s[k] + plant_gw.rate_m3_per_s[k];
          irr_gw.rate_m3_per_s[k] *= f;
          towns.rate_m3_per_s[k] *= f;
          plant_gw.rate_m3_per_s[k] *= f;
          plan.cap_reduction_m3_per_s[k] = before * (1.0 - f);
        }
      }
    }
    i = j;
  }
  if (aquifer) {
    plan.schedules.push_back(std::move(irr_gw));
    plan.schedules.push_back(std::move(towns));
    plan.schedules.push_back(std::move(plant_gw));
  }
  plan.schedules.push_back(std::move(plant_lake));
  plan.schedules.push_back(std::move(lake_abs));
  for (auto& d : u.diversions) {
    Schedule s{{"diversion_" + d.name, "water delivered into the lake by " + d.name, physics::TermKind::diversion,
                physics::Store::lake, -1, d.tds_kg_per_m3, false, -1, false},
               std::move(d.rate_m3_per_s)};
    plan.schedules.push_back(std::move(s));
  }
  return plan;
}

}  // namespace daihai::management
