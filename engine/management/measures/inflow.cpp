/// @file inflow.cpp
/// A constant inflow into the lake from the start date, with its TDS (e.g. treated wastewater
/// of the county's towns led into the lake). Adds the scheduled inflow `inflow_<measure>` to the
/// model.
#include "management/measure_kind.hpp"

namespace daihai::management::measures {

namespace {
std::string flux_of(const scenario::MeasureSpec& m) { return "inflow_" + m.name; }
}

MeasureKind inflow() {
  MeasureKind k;
  k.kind = "inflow";
  k.description = "a constant inflow into the lake from the start date, with its TDS";
  k.keys = {{"flow_m3_per_s", "m3/s", 0.0, 1e4, "flow delivered into the lake"},
            {"tds_g_per_L", "g/L", 0.0, 100.0, "TDS of the delivered water"}};
  k.phase = Phase::flows;
  k.adds = [](const scenario::MeasureSpec& m) {
    return std::vector<physics::ProcessInstance>{
        {"scheduled_inflow", flux_of(m), "water led into the lake by " + m.name, true, "measure " + m.name}};
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) {
    const std::string flux = flux_of(m);
    e.set_tds(flux, m.values.at("tds_g_per_L"));
    Daily& rate = e.rate(flux);
    const double q = m.values.at("flow_m3_per_s");
    for (std::size_t i = e.index_of(start_day(m)); i < e.days(); ++i) rate[i] = q;
  };
  return k;
}

}  // namespace daihai::management::measures
