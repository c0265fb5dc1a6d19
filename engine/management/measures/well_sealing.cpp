/// @file well_sealing.cpp
/// Sealing of pumping wells: the number of wells sealed grows from the start date in two stages
/// (0 → `wells_first` over `first_years`, then → `wells_total` over `second_years`: for Daihai
/// 667 by 2020 and more than 1,000 by 2023, S20, S27), and each sealed well stops pumping
/// `yield_m3_per_well_a` a year (an uncertain design value: no per-well figure is published).
/// The reduction acts on what the named withdrawals still pump after every other edit — the
/// agricultural measure's conversion and retrofits first (Phase::caps) — and never below zero: in
/// each calendar year the group's demand on the days in force is scaled down pro rata by
/// min(demand, wells × yield × (days in force / days of the year)), spread over the year's
/// pumping days as the demand is. What is removed is the output `<measure>_reduction_m3`.
#include <fmt/format.h>

#include "core/date.hpp"
#include "management/measure_kind.hpp"

namespace daihai::management::measures {

MeasureKind well_sealing() {
  MeasureKind k;
  k.kind = "well_sealing";
  k.description = "wells sealed in two stages, each stopping its annual yield of the named withdrawals' remaining pumping";
  k.keys = {core::ParameterDecl{"wells_first", "1", 0.0, 1e6, "wells sealed by the end of the first stage"}.as_whole(),
            {"first_years", "a", 0.0, 50.0, "years from the start to the end of the first stage"},
            core::ParameterDecl{"wells_total", "1", 0.0, 1e6, "wells sealed by the end of the second stage"}.as_whole(),
            {"second_years", "a", 0.0, 50.0, "years of the second stage"},
            {"yield_m3_per_well_a", "m3/a", 0.0, 1e8, "water one sealed well pumped a year"}};
  k.name_keys = {{"fluxes", "the withdrawals the sealed wells supplied (scheduled groundwater demands of the model)", true}};
  k.phase = Phase::caps;
  k.outputs = [](const scenario::MeasureSpec& m) {
    return std::vector<MeasureOutput>{{m.name + "_reduction_m3", "groundwater no longer pumped from the wells sealed by " + m.name}};
  };
  k.check = [](const scenario::MeasureSpec& m, const PlanLayout& layout) -> std::string {
    if (m.values.at("wells_total") < m.values.at("wells_first"))
      return "wells_total is fewer than wells_first: the second stage cannot unseal wells";
    for (const auto& name : m.names.at("fluxes")) {
      const FluxInfo* f = nullptr;
      for (const auto& x : layout.fluxes)
        if (x.name == name) f = &x;
      if (f == nullptr) return fmt::format("the model has no flux '{}'", name);
      if (!f->scheduled || !f->demand || f->store != physics::Store::aquifer)
        return fmt::format("'{}' is not a scheduled groundwater demand (pumping the sealed wells could have supplied)", name);
    }
    return "";
  };
  k.apply = [](const scenario::MeasureSpec& m, PlanEditor& e) {
    std::vector<Daily*> rates;
    for (const auto& f : m.names.at("fluxes")) rates.push_back(&e.rate(f));
    const std::int64_t s = start_day(m);
    const auto& v = m.values;
    reduce_by_year(e, rates, e.output(m.name + "_reduction_m3"), e.index_of(s), [&](std::size_t i, std::size_t j, double) {
      // Wells sealed on average over the days in force, each its yearly yield pro rata.
      double sealed = 0.0;
      for (std::size_t d = i; d < j; ++d)
        sealed += two_stage(e.first_day() + static_cast<std::int64_t>(d), s, v.at("wells_first"), v.at("first_years"), v.at("wells_total"),
                            v.at("second_years"));
      return sealed / core::days_in_year(e.year_of_day()[i]) * v.at("yield_m3_per_well_a");
    });
  };
  return k;
}

}  // namespace daihai::management::measures
