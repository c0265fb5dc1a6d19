#include "io/output_spec.hpp"

#include <algorithm>

namespace daihai::io {

VariableOutput OutputSpec::of(const std::string& name) const {
  const auto it = variables.find(name);
  return it == variables.end() ? defaults : it->second;
}

SeriesResolution OutputSpec::finest() const {
  SeriesResolution r = defaults.resolution;
  for (const auto& [name, v] : variables) r = std::max(r, v.resolution);
  return r;
}

const char* to_string(SeriesResolution r) {
  switch (r) {
    case SeriesResolution::daily: return "daily";
    case SeriesResolution::monthly: return "monthly";
    default: return "none";
  }
}

const char* to_string(Precision p) { return p == Precision::float32 ? "float32" : "float64"; }

}  // namespace daihai::io

// ------------------------------------------------------------------------- variable name check

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/scenario_file.hpp"
#include "scenario/run.hpp"

namespace daihai::io {

void check_output_variables(const RunPlan& plan) {
  if (plan.output.variables.empty() || plan.runs.empty()) return;
  scenario::RunSpec probe = plan.runs.front();
  const std::int64_t first = core::day_number(probe.scenario.start);
  probe.scenario.end = core::date_of(std::min(first + 30, core::day_number(probe.scenario.end)));
  const scenario::RunResult r = scenario::run_scenario(probe, *plan.inputs);
  if (!r.ok) return;  // the batch itself reports a run that cannot start
  std::string known;
  for (const auto& v : r.series) known += (known.empty() ? "" : ", ") + v.name;
  for (const auto& [name, choice] : plan.output.variables) {
    (void)choice;
    const bool found = std::any_of(r.series.begin(), r.series.end(), [&](const auto& v) { return v.name == name; });
    if (!found)
      throw core::InputError(plan.output.file, plan.output.lines.at(name), "output.variables." + name,
                             fmt::format("no output variable of that name; the runs write: {}", known));
  }
}

}  // namespace daihai::io
