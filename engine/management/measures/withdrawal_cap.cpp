/// @file withdrawal_cap.cpp
/// A cap on the total annual demand of a group of withdrawals from the start date: in every
/// calendar year, the group's scheduled demand on the days the cap is in force is scaled down
/// pro rata so that it stays within cap × (those days / days of the year); what is removed is
/// the output `<measure>_reduction_m3`. Two kinds share the type: `withdrawal_cap` names its
/// group (`fluxes`), `groundwater_cap` caps every groundwater demand of the model (well
/// closures). Caps apply after every other edit (Phase::caps).
#include <fmt/format.h>

#include "core/date.hpp"
#include "management/measure_kind.hpp"

namespace daihai::management::measures {

namespace {

// Scales the group `fluxes` so that each calendar year's demand from the start stays within `cap`.
void apply_cap(const scenario::MeasureSpec& m, const std::vector<std::string>& fluxes, PlanEditor& e) {
  const double cap = m.values.at("cap_m3_per_a");
  std::vector<Daily*> rates;
  for (const auto& f : fluxes) rates.push_back(&e.rate(f));
  const auto& year = e.year_of_day();
  reduce_by_year(e, rates, e.output(m.name + "_reduction_m3"), e.index_of(start_day(m)), [&](std::size_t i, std::size_t j, double demand) {
    const double allowed = cap * double(j - i) / core::days_in_year(year[i]);
    return demand - allowed;  // nothing when within the cap (clamped at 0)
  });
}

std::string check_group(const std::vector<std::string>& fluxes, const PlanLayout& layout) {
  for (const auto& name : fluxes) {
    const FluxInfo* f = nullptr;
    for (const auto& x : layout.fluxes)
      if (x.name == name) f = &x;
    if (f == nullptr) return fmt::format("the model has no flux '{}'", name);
    if (!f->scheduled || !f->demand) return fmt::format("'{}' is not a scheduled demand (a withdrawal a cap can act on)", name);
  }
  return "";
}

std::vector<std::string> groundwater_demands(const PlanLayout& layout) {
  std::vector<std::string> out;
  for (const auto& f : layout.fluxes)
    if (f.scheduled && f.demand && f.store == physics::Store::aquifer) out.push_back(f.name);
  return out;
}

const core::ParameterDecl kCap{"cap_m3_per_a", "m3/a", 0.0, 1e12, "cap on the group's total withdrawal per calendar year"};

}  // namespace

MeasureKind withdrawal_cap() {
  MeasureKind k;
  k.kind = "withdrawal_cap";
  k.description = "a cap on the total annual demand of a named group of withdrawals, from the start date";
  k.keys = {kCap};
  k.name_keys = {{"fluxes", "the withdrawals the cap applies to (scheduled demands of the model)", true}};
  k.phase = Phase::caps;
  k.outputs = [](const scenario::MeasureSpec& m) {
    return std::vector<MeasureOutput>{{m.name + "_reduction_m3", "demand not withdrawn because of the cap " + m.name}};
  };
  k.check = [](const scenario::MeasureSpec& m, const PlanLayout& layout) { return check_group(m.names.at("fluxes"), layout); };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) { apply_cap(m, m.names.at("fluxes"), e); };
  return k;
}

MeasureKind groundwater_cap() {
  MeasureKind k;
  k.kind = "groundwater_cap";
  k.description = "a cap on total annual groundwater pumping (every groundwater demand of the model), from the start date";
  k.keys = {{"cap_m3_per_a", "m3/a", 0.0, 1e12, "cap on total groundwater pumping per calendar year"}};
  k.phase = Phase::caps;
  k.outputs = [](const scenario::MeasureSpec& m) {
    return std::vector<MeasureOutput>{{m.name + "_reduction_m3", "groundwater demand not pumped because of a pumping cap"}};
  };
  k.check = [](const scenario::MeasureSpec&, const PlanLayout& layout) -> std::string {
    return groundwater_demands(layout).empty() ? "the model has no groundwater demands: is the aquifer or are the water uses switched off?"
                                               : "";
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) { apply_cap(m, e.demands_on(physics::Store::aquifer), e); };
  return k;
}

}  // namespace daihai::management::measures
