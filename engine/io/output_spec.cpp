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

namespace daihai::io {

void check_output_variables(const RunPlan& plan) {
  for (const auto& [name, choice] : plan.output.variables) {
    (void)choice;
    const auto& outs = plan.model->outputs;
    if (std::none_of(outs.begin(), outs.end(), [&name = name](const auto& o) { return o.name == name; }))
      throw core::InputError(plan.output.file, plan.output.lines.at(name), "output.variables." + name,
                             fmt::format("no output variable of that name; the model writes: {}", plan.model->output_names()));
  }
}

}  // namespace daihai::io
