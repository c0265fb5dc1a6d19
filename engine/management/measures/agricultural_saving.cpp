/// @file agricultural_saving.cpp
/// Agricultural water saving (S20, S22, S27): irrigated land converted to dry farming in two
/// stages (`converted_area_km2` phased in linearly over `ramp_years` from the start date, then to
/// `converted_area_total_km2` over the following `second_ramp_years`: for Daihai 140 km² by 2020
/// and 173 km² by 2023), water-saving retrofits of irrigated land (saving `retrofit_saving_fraction`
/// of the net depth there) and a switch of `crop_switch_area_km2` from high-water crops (maize,
/// beet) to low-water crops (grains, beans) saving `crop_switch_saving_mm` of net irrigation a
/// year on that land, both phased in over `ramp_years`. Edits the irrigation use's drivers before
/// they become schedules.
#include <algorithm>

#include "management/measure_kind.hpp"

namespace daihai::management::measures {

MeasureKind agricultural_saving() {
  MeasureKind k;
  k.kind = "agricultural_saving";
  k.description = "irrigated land converted to dry farming and water-saving retrofits, phased in linearly";
  k.keys = {{"converted_area_km2", "km2", 0.0, 1e5, "irrigated land converted to dry farming by the end of the first stage"},
            {"ramp_years", "a", 0.0, 50.0, "years of the first stage (conversion, retrofits and crop switch phased in)"},
            {"converted_area_total_km2", "km2", 0.0, 1e5, "irrigated land converted to dry farming by the end of the second stage"},
            {"second_ramp_years", "a", 0.0, 50.0, "years of the second stage of the conversion"},
            {"retrofit_area_km2", "km2", 0.0, 1e5, "irrigated land given water-saving irrigation"},
            {"retrofit_saving_fraction", "1", 0.0, 1.0, "share of the net irrigation depth saved on retrofitted land"},
            {"crop_switch_area_km2", "km2", 0.0, 1e5, "irrigated land switched from high-water to low-water crops"},
            {"crop_switch_saving_mm", "mm/a", 0.0, 2000.0, "net irrigation saved a year where the crops were switched"}};
  k.phase = Phase::uses;
  k.check = [](const scenario::MeasureSpec& m, const PlanLayout& layout) -> std::string {
    if (m.values.at("converted_area_total_km2") < m.values.at("converted_area_km2"))
      return "converted_area_total_km2 is smaller than converted_area_km2: the second stage cannot give converted land back";
    for (const auto& f : layout.fluxes)
      if (f.name == "pumping_irrigation" || f.name == "river_withdrawal_irrigation") return "";
    return "the model has no irrigation fluxes (pumping_irrigation, river_withdrawal_irrigation): are the water uses switched off?";
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) {
    Daily& area = e.driver("irrigated_area_m2");
    Daily& saving = e.driver("irrigation_saving_m3_per_a");
    const Daily& depth = e.driver("irrigation_depth_m_per_a");
    const std::int64_t s = start_day(m);
    const auto& v = m.values;
    const double years = v.at("ramp_years"), fraction = v.at("retrofit_saving_fraction");
    for (std::size_t i = 0; i < e.days(); ++i) {
      const std::int64_t day = e.first_day() + static_cast<std::int64_t>(i);
      const double r = phase_in(day, s, years);
      const double converted = std::min(
          area[i], two_stage(day, s, v.at("converted_area_km2"), years, v.at("converted_area_total_km2"), v.at("second_ramp_years")));
      area[i] -= converted;
      const double retrofit = std::min(area[i], v.at("retrofit_area_km2") * r);
      const double switched = std::min(area[i] - retrofit, v.at("crop_switch_area_km2") * r);
      saving[i] += retrofit * depth[i] * fraction + switched * std::min(v.at("crop_switch_saving_mm"), depth[i]);
    }
  };
  return k;
}

}  // namespace daihai::management::measures
