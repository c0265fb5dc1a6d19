#include "batch/design.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "batch/batch.hpp"
#include "core/errors.hpp"
#include "management/measure_kind.hpp"

namespace daihai::batch {

namespace {

// The runs of `scenario` with `key` of `measure` set to `value` (declared unit × to_si) everywhere.
io::RunPlan with_value(const io::RunPlan& plan, const std::string& scenario, const DesignQuery& q, double value_si, double value_unit) {
  io::RunPlan p = plan;
  p.runs.clear();
  for (const auto& r : plan.runs) {
    if (r.scenario.name != scenario) continue;
    scenario::RunSpec run = r;
    for (auto& m : run.scenario.measures)
      if (m.name == q.measure) m.values[q.key] = value_si;
    for (auto& d : run.design_values)
      if (d.name == q.measure + "." + q.key) d.value = value_unit;
    run.index = p.runs.size();
    p.runs.push_back(std::move(run));
  }
  return p;
}

}  // namespace

DesignAnswer design_search(const io::RunPlan& plan, const std::vector<analysis::Target>& targets, const DesignQuery& query, int threads) {
  DesignAnswer a;
  a.query = query;
  if (!(query.probability > 0.0 && query.probability <= 1.0))
    throw core::InputError(plan.file, 0, "--probability", fmt::format("expected a probability in (0, 1], found {}", query.probability));
  const auto target = std::find_if(targets.begin(), targets.end(), [&](const auto& t) { return t.name == query.target; });
  if (target == targets.end()) {
    std::string names;
    for (const auto& t : targets) names += (names.empty() ? "" : ", ") + t.name;
    throw core::InputError(plan.file, 0, "--target", fmt::format("no target '{}'; the targets are {}", query.target, names));
  }
  if (std::find(plan.measure_names.begin(), plan.measure_names.end(), query.measure) == plan.measure_names.end())
    throw core::InputError(plan.file, 0, "--vary", fmt::format("unknown measure '{}'", query.measure));
  for (const auto& r : plan.runs)
    if (r.scenario.climate.delta_t_C != plan.runs.front().scenario.climate.delta_t_C ||
        r.scenario.climate.delta_p_pct != plan.runs.front().scenario.climate.delta_p_pct)
      throw core::InputError(plan.file, 0, "climate_deltas",
                             "the batch has several climate deltas: the design search answers for one; use a batch with one delta");
  {
    std::vector<int> years;
    for (int y = plan.runs.front().scenario.start.year; y <= plan.runs.front().scenario.end.year; ++y) years.push_back(y);
    const auto problems = analysis::coverage_problems(years, {*target});
    if (!problems.empty()) throw core::InputError(target->file, 0, target->name, problems.front());
  }
  // The combination: the one named, else the one with the most measures on.
  std::string scenario = query.scenario;
  if (scenario.empty()) {
    std::size_t most = 0;
    for (const auto& r : plan.runs)
      if (scenario.empty() || r.scenario.measures.size() > most) scenario = r.scenario.name, most = r.scenario.measures.size();
  }
  const auto run = std::find_if(plan.runs.begin(), plan.runs.end(), [&](const auto& r) { return r.scenario.name == scenario; });
  if (run == plan.runs.end()) throw core::InputError(plan.file, 0, "--scenario", fmt::format("the batch has no combination '{}'", scenario));
  a.query.scenario = scenario;
  const auto measure = std::find_if(run->scenario.measures.begin(), run->scenario.measures.end(), [&](const auto& m) { return m.name == query.measure; });
  if (measure == run->scenario.measures.end())
    throw core::InputError(plan.file, 0, "--vary", fmt::format("measure '{}' is not on in '{}'", query.measure, scenario));
  const auto range = measure->ranges.find(query.key);
  const auto* kind = management::find_measure_kind(measure->kind);
  const core::ParameterDecl* decl = nullptr;
  if (kind != nullptr)
    for (const auto& k : kind->keys)
      if (k.name == query.key) decl = &k;
  if (range == measure->ranges.end() || decl == nullptr)
    throw core::InputError(measure->file, measure->line, query.measure + "." + query.key,
                           fmt::format("'{}' has no design value '{}' with a plausible range (range = [low, high] in the measures file)",
                                       query.measure, query.key));

  auto evaluate = [&](double v) {
    const io::RunPlan p = with_value(plan, scenario, query, v * decl->to_si, v);
    const auto results = run_all(p, threads);
    const auto table = analysis::compute_verification(analysis::VerificationInput::from_results(results), {*target});
    DesignPoint point{v, 0.0, 0, 0, {}};
    for (const auto& r : results)
      if (!r.ok && point.failed++ == 0) point.first_error = r.error;
    for (const auto& row : table.rows) {
      point.members = static_cast<std::size_t>(row.runs - row.failed_runs);
      point.probability = row.targets.at(0).probability.value_or(0.0);
    }
    return point;
  };
  DesignAnswer found = monotone_search(range->second[0] / decl->to_si, range->second[1] / decl->to_si, query.probability, query.iterations, evaluate);
  found.query = a.query;
  found.unit = decl->unit;
  return found;
}

DesignAnswer monotone_search(double low, double high, double required, int iterations, const std::function<DesignPoint(double)>& evaluate) {
  DesignAnswer a;
  a.low = low;
  a.high = high;
  a.query.probability = required;
  auto probability = [&](double v) {
    a.points.push_back(evaluate(v));
    return a.points.back().probability;
  };
  double lo = low, hi = high;
  if (probability(hi) < required) {
    a.found = false;
  } else if (probability(lo) >= required) {
    a.found = true;
    a.value = lo;
  } else {
    for (int i = 0; i < iterations; ++i) {
      const double mid = 0.5 * (lo + hi);
      (probability(mid) >= required ? hi : lo) = mid;
    }
    a.found = true;
    a.value = hi;
  }
  std::sort(a.points.begin(), a.points.end(), [](const auto& x, const auto& y) { return x.value < y.value; });
  for (std::size_t i = 1; i < a.points.size(); ++i) a.monotone = a.monotone && a.points[i].probability >= a.points[i - 1].probability;
  const double at_value = a.found ? a.value : a.high;
  const auto at = std::find_if(a.points.begin(), a.points.end(), [&](const auto& p) { return p.value == at_value; });
  const double n = static_cast<double>(std::max<std::size_t>(at->members, 1));
  const double p = at->probability;
  a.sampling_half_width = 1.645 * std::sqrt(std::max(p * (1.0 - p), 0.25 / n) / n);
  a.indistinct_low = a.indistinct_high = at->value;
  for (const auto& pt : a.points)
    if (std::abs(pt.probability - required) <= a.sampling_half_width) {
      a.indistinct_low = std::min(a.indistinct_low, pt.value);
      a.indistinct_high = std::max(a.indistinct_high, pt.value);
    }
  return a;
}

std::string format_design(const DesignAnswer& a) {
  const auto& q = a.query;
  std::string out = fmt::format("Design: the smallest {}.{} in [{:g}, {:g}] (unit {}) for which '{}' meets '{}' with probability >= {:.2f}\n",
                                q.measure, q.key, a.low, a.high, a.unit, q.scenario, q.target, q.probability);
  if (a.found)
    out += fmt::format("answer: {}.{} = {:.4g}{} (probability there {:.2f}, {} members; sampling half-width ±{:.2f}: the evaluated values "
                       "{:.4g}..{:.4g} are not told apart by this ensemble)\n",
                       q.measure, q.key, a.value, a.unit == "1" ? std::string() : " " + a.unit,
                       std::find_if(a.points.begin(), a.points.end(), [&](const auto& p) { return p.value == a.value; })->probability,
                       std::find_if(a.points.begin(), a.points.end(), [&](const auto& p) { return p.value == a.value; })->members,
                       a.sampling_half_width, a.indistinct_low, a.indistinct_high);
  else
    out += fmt::format("answer: no value in the range suffices: at {:g} (the top of the range) the probability is {:.2f} (sampling half-width "
                       "±{:.2f})\n",
                       a.high, a.points.back().probability, a.sampling_half_width);
  if (!a.monotone) out += "warning: the probability falls somewhere as the value grows: the search assumes it does not\n";
  out += "evaluated:\n";
  for (const auto& p : a.points)
    out += fmt::format("  {:>10.4g}{}  P = {:.2f}  ({} members{})\n", p.value, a.unit == "1" ? std::string() : " " + a.unit, p.probability, p.members,
                       p.failed == 0 ? std::string() : fmt::format("; {} failed, left out: {}", p.failed, p.first_error));
  return out;
}

}  // namespace daihai::batch
