#include "model/schedules.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/date.hpp"
#include "management/measure_kind.hpp"
#include "management/water_use.hpp"

namespace daihai::model {

core::ParameterSet run_parameters(const scenario::ScenarioSpec& s, const scenario::LakeInputs& in) {
  core::ParameterSet p = in.parameters;
  for (const auto& [name, value] : s.overrides) {
    const auto line = s.override_lines.count(name) ? s.override_lines.at(name) : 0;
    p.set(parameter_registry(), name, value, {s.source_file, line, "S", "scenario override", value, value});
  }
  return p;
}

management::Schedules build_schedules(const Model& m, const scenario::RunSpec& run, const core::ParameterSet& p,
                                      const scenario::LakeInputs& in, management::SeriesPool* pool) {
  const scenario::ScenarioSpec& s = run.scenario;
  // The plan is made over whole calendar years and cut to the run's days: what a measure decides
  // for a year (a yearly cap shared pro rata over the year's pumping days) does not depend on the
  // day the run starts or ends, so a run restarted on any day continues the run it came from.
  const std::int64_t first_day = core::day_number(s.start), last_day = core::day_number(s.end);
  const std::int64_t plan_first = core::day_number({s.start.year, 1, 1}), plan_last = core::day_number({s.end.year, 12, 31});
  management::PlanEditor e(m.layout, plan_first, plan_last - plan_first + 1);
  const management::WaterUseContext ctx{in.water_use, p, m.switches};
  std::vector<const scenario::MeasureSpec*> order;
  for (const auto& spec : s.measures) order.push_back(&spec);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return management::find_measure_kind(a->kind)->phase < management::find_measure_kind(b->kind)->phase;
  });
  auto apply_phase = [&](management::Phase phase) {
    for (const auto* spec : order) {
      const management::MeasureKind* kind = management::find_measure_kind(spec->kind);
      if (kind->phase == phase) kind->apply(*spec, e);
    }
  };
  if (m.switches.water_uses)
    for (const auto& use : management::water_uses()) use.drivers(ctx, e);
  apply_phase(management::Phase::uses);
  if (m.switches.water_uses)
    for (const auto& use : management::water_uses()) use.schedules(ctx, e);
  if (s.inflow) {
    // Piecewise constant from each table row on.
    management::Daily& rate = e.rate("scenario_inflow");
    e.set_tds("scenario_inflow", s.inflow->tds_g_per_L);
    std::size_t k = 0;
    double r = 0.0;
    for (std::size_t i = 0; i < e.days(); ++i) {
      while (k < s.inflow->day.size() && s.inflow->day[k] <= plan_first + static_cast<std::int64_t>(i)) r = s.inflow->rate_m3_per_s[k++];
      rate[i] = r;
    }
  }
  apply_phase(management::Phase::flows);
  apply_phase(management::Phase::caps);
  if (last_day < first_day) return e.finish(pool);  // the run's own check names the bad period
  return e.finish(pool, static_cast<std::size_t>(first_day - plan_first), static_cast<std::size_t>(last_day - first_day + 1));
}

std::string schedules_key(const Model& m, const scenario::RunSpec& run, const core::ParameterSet& p) {
  std::string key;
  for (const auto& spec : run.scenario.measures) {
    key += fmt::format("{}:{}:{}", spec.name, spec.kind, core::day_number(spec.start));
    for (const auto& [k, v] : spec.values) key += fmt::format(",{}={:a}", k, v);
    for (const auto& [k, v] : spec.names) key += fmt::format(",{}={}", k, fmt::join(v, "+"));
    key += ';';
  }
  if (m.switches.water_uses)
    for (const auto& use : management::water_uses())
      for (const auto& d : use.parameters) key += fmt::format("|{}={:a}", d.name, p.si(d.name));
  return key;
}

}  // namespace daihai::model
