/// @file agricultural_saving.cpp
/// Agricultural water saving: irrigated land converted to dry farming and water-saving
/// retrofits of irrigated land (saving a fraction of the net depth there), both phased in
/// linearly over `ramp_years` from the start date (S20, S22). Edits the irrigation use's
/// drivers before they become schedules.
#include <algorithm>

#include "management/measure_kind.hpp"

namespace daihai::management::measures {

namespace {

constexpr double kDaysPerYear = 365.2425;  // mean Gregorian year

// Linear ramp 0 → 1 from the start over `years` (a step when years == 0).
double ramp(std::int64_t day, std::int64_t start, double years) {
  if (day < start) return 0.0;
  if (years <= 0.0) return 1.0;
  return std::min(1.0, (day - start + 1) / (years * kDaysPerYear));
}

}  // namespace

MeasureKind agricultural_saving() {
  MeasureKind k;
  k.kind = "agricultural_saving";
  k.description = "irrigated land converted to dry farming and water-saving retrofits, phased in linearly";
  k.keys = {{"converted_area_km2", "km2", 0.0, 1e5, "irrigated land converted to dry farming"},
            {"retrofit_area_km2", "km2", 0.0, 1e5, "irrigated land given water-saving irrigation"},
            {"retrofit_saving_fraction", "1", 0.0, 1.0, "share of the net irrigation depth saved on retrofitted land"},
            {"ramp_years", "a", 0.0, 50.0, "years over which the conversion is phased in"}};
  k.phase = Phase::uses;
  k.check = [](const scenario::MeasureSpec&, const PlanLayout& layout) -> std::string {
    for (const auto& f : layout.fluxes)
      if (f.name == "pumping_irrigation" || f.name == "river_withdrawal_irrigation") return "";
    return "the model has no irrigation fluxes (pumping_irrigation, river_withdrawal_irrigation): are the water uses switched off?";
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) {
    Daily& area = e.driver("irrigated_area_m2");
    Daily& saving = e.driver("irrigation_saving_m3_per_a");
    const Daily& depth = e.driver("irrigation_depth_m_per_a");
    const std::int64_t s = start_day(m);
    const double years = m.values.at("ramp_years"), converted_m2 = m.values.at("converted_area_km2"),
                 retrofit_m2 = m.values.at("retrofit_area_km2"), fraction = m.values.at("retrofit_saving_fraction");
    for (std::size_t i = 0; i < e.days(); ++i) {
      const double r = ramp(e.first_day() + static_cast<std::int64_t>(i), s, years);
      const double converted = std::min(area[i], converted_m2 * r);
      area[i] -= converted;
      const double retrofit = std::min(area[i], retrofit_m2 * r);
      saving[i] += retrofit * depth[i] * fraction;
    }
  };
  return k;
}

}  // namespace daihai::management::measures
