#include "io/calibration_file.hpp"

#include <array>
#include <optional>

#include <filesystem>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/toml_util.hpp"
#include "management/measure_kind.hpp"
#include "model/model.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

CalibrationSpec load_calibration_file(const std::string& path) {
  CalibrationSpec c;
  c.plan = load_scenario_file(path, {"calibration", "free", "weights", "sensitivity"});
  const toml::table root = parse_toml_file(path);
  const TomlTable top(root, path, "");
  const TomlTable cal = top.table("calibration");
  cal.only({"name", "observations", "budget", "block", "members", "seed", "ensemble_size", "calibrate_until", "validation_first_member",
            "validation_members", "glue_samples", "mcmc_chains", "mcmc_generations", "note"});
  c.name = cal.string("name");
  const fs::path obs(cal.string("observations"));
  c.observations = obs.is_absolute() ? obs.string() : (fs::path(path).parent_path() / obs).lexically_normal().string();
  if (!fs::exists(c.observations))
    throw core::InputError(path, cal.line("observations"), cal.name("observations"),
                           fmt::format("the observations file '{}' does not exist", c.observations));
  auto bounded = [&](const TomlTable& t, const char* key, long long lo, long long hi, long long fallback) {
    const long long v = t.opt_integer(key).value_or(fallback);
    if (v < lo || v > hi) throw core::InputError(path, t.line(key), t.name(key), fmt::format("expected {} .. {}", lo, hi));
    return v;
  };
  c.budget = static_cast<int>(bounded(cal, "budget", 1, 1000000, 500));
  c.block = static_cast<int>(bounded(cal, "block", 1, 1024, 8));
  c.members = static_cast<int>(bounded(cal, "members", 1, 1000, 4));
  // The search's random numbers depend on it: required, never a silent default (written with the results).
  if (!cal.has("seed"))
    throw core::InputError(path, cal.line("seed"), cal.name("seed"),
                           "the calibration's seed is required, e.g. seed = 20261204 (the search, and so its result, depends on it)");
  c.seed = static_cast<std::uint64_t>(bounded(cal, "seed", 0, (1LL << 62), 1));
  c.ensemble_size = static_cast<int>(bounded(cal, "ensemble_size", 1, 10000, 20));
  c.calibrate_until = static_cast<int>(bounded(cal, "calibrate_until", 0, 3000, 0));
  c.validation_first_member = static_cast<int>(bounded(cal, "validation_first_member", 0, 1000000, 1000));
  c.validation_members = static_cast<int>(bounded(cal, "validation_members", 0, 1000, 0));
  if (c.validation_members == 0) c.validation_members = c.members;
  if (c.validation_first_member < c.members)
    throw core::InputError(path, cal.line("validation_first_member"), cal.name("validation_first_member"),
                           fmt::format("the validation's members must be others than the fit's 0 .. {}", c.members - 1));
  c.glue_samples = static_cast<int>(bounded(cal, "glue_samples", 0, 10000000, 0));
  c.mcmc_chains = static_cast<int>(bounded(cal, "mcmc_chains", 0, 1024, 0));
  if (c.mcmc_chains == 1)
    throw core::InputError(path, cal.line("mcmc_chains"), cal.name("mcmc_chains"),
                           "expected 0 (no MCMC) or at least 2 chains (their agreement is the convergence check)");
  c.mcmc_generations = static_cast<int>(bounded(cal, "mcmc_generations", 4, 10000000, 1000));
  if (c.mcmc_chains > 0) {
    const long long kept = static_cast<long long>(c.mcmc_chains) * (c.mcmc_generations - c.mcmc_generations / 2);
    if (c.ensemble_size > kept)
      throw core::InputError(path, cal.line("ensemble_size"), cal.name("ensemble_size"),
                             fmt::format("expected at most the {} states the chains keep (second halves of {} x {})", kept, c.mcmc_chains,
                                         c.mcmc_generations));
  }

  const core::ParameterSet& given = c.plan.inputs->parameters;
  const auto& overrides = c.plan.runs.front().scenario.overrides;
  const TomlTable fr = top.table("free");
  const auto& run_measures = c.plan.runs.front().scenario.measures;
  for (auto&& [k, v] : fr.raw()) {
    const std::string name(k.str());
    const core::ParameterDecl* d = nullptr;
    std::string measure, key;
    double measure_value = 0.0;
    std::optional<std::array<double, 2>> measure_range;  // a design value's plausible range, declared unit
    if (const auto dot = name.find('.'); dot != std::string::npos) {  // a measure's design value
      measure = name.substr(0, dot);
      key = name.substr(dot + 1);
      const scenario::MeasureSpec* m = nullptr;
      for (const auto& x : run_measures)
        if (x.name == measure) m = &x;
      if (m == nullptr)
        throw core::InputError(path, line_of(v), fr.name(name), fmt::format("the fitted run has no measure '{}' turned on", measure));
      for (const auto& kd : management::find_measure_kind(m->kind)->keys)
        if (kd.name == key) d = &kd;
      if (d == nullptr)
        throw core::InputError(path, line_of(v), fr.name(name), fmt::format("measure '{}' (kind '{}') has no design value '{}'", measure,
                                                                            m->kind, key));
      measure_value = m->values.at(key) / d->to_si;
      const auto r = m->ranges.find(key);
      if (r == m->ranges.end())
        throw core::InputError(path, line_of(v), fr.name(name),
                               fmt::format("'{}' of measure '{}' has no plausible range in its measures file: only uncertain design values "
                                           "(those with a range) can be fitted and carried by a parameter ensemble",
                                           key, measure));
      measure_range = {r->second[0] / d->to_si, r->second[1] / d->to_si};
    } else {
      d = model::parameter_registry().find(name);
    }
    if (d == nullptr) throw core::InputError(path, line_of(v), fr.name(name), "unknown parameter (not declared by the engine)");
    const toml::array* a = v.as_array();
    if (a == nullptr || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number())
      throw core::InputError(path, line_of(v), fr.name(name), "expected [lower, upper] in the parameter's declared unit");
    FreeParameter f{name, (*a)[0].value<double>().value_or(0.0), (*a)[1].value<double>().value_or(0.0), 0.0, measure, key, d->to_si};
    if (!(f.lower < f.upper) || f.lower < d->min || f.upper > d->max)
      throw core::InputError(path, line_of(v), fr.name(name),
                             fmt::format("bounds [{}, {}] must be increasing and inside the valid range [{}, {}] {}", f.lower,
                                         f.upper, d->min, d->max, d->unit));
    if (measure_range && (f.lower < (*measure_range)[0] || f.upper > (*measure_range)[1]))
      throw core::InputError(path, line_of(v), fr.name(name),
                             fmt::format("bounds [{}, {}] must lie inside the design value's plausible range [{}, {}] {} (its measures "
                                         "file): a batch refuses ensemble values outside it",
                                         f.lower, f.upper, (*measure_range)[0], (*measure_range)[1], d->unit));
    f.prior = !measure.empty() ? measure_value : overrides.count(name) ? overrides.at(name) : given.in_unit(name);
    if (f.prior < f.lower || f.prior > f.upper)
      throw core::InputError(path, line_of(v), fr.name(name),
                             fmt::format("the current value {} {} lies outside the bounds", f.prior, d->unit));
    c.free.push_back(f);
  }
  if (c.free.empty()) throw core::InputError(path, fr.line(""), "free", "no free parameter");
  if (auto w = top.opt_table("weights")) {
    w->only({"H", "M", "L"});
    c.weight_h = w->opt_number("H").value_or(c.weight_h);
    c.weight_m = w->opt_number("M").value_or(c.weight_m);
    c.weight_l = w->opt_number("L").value_or(c.weight_l);
    for (const char* key : {"H", "M", "L"})
      if (w->opt_number(key).value_or(1.0) < 0.0) throw core::InputError(path, w->line(key), w->name(key), "weights must not be negative");
    if (!(c.weight_h > 0.0 || c.weight_m > 0.0 || c.weight_l > 0.0))
      throw core::InputError(path, w->line(""), "weights", "at least one weight must be positive (otherwise every set fits equally)");
  }
  if (auto s = top.opt_table("sensitivity")) {
    s->only({"trajectories", "years"});
    c.sensitivity_trajectories = static_cast<int>(bounded(*s, "trajectories", 2, 1000, 10));
    if (s->has("years")) {
      c.sensitivity_years.clear();
      const int first = c.plan.runs.front().scenario.start.year;
      for (const auto& e : s->array("years")) {
        if (!e.is_integer()) throw core::InputError(path, line_of(e), s->name("years"), "expected calendar years");
        const long long y = *e.value<long long>();
        if (y < first || y > 2200)
          throw core::InputError(path, line_of(e), s->name("years"),
                                 fmt::format("year {} outside {} .. 2200 (the run starts in {}; later years extend it)", y, first, first));
        c.sensitivity_years.push_back(static_cast<int>(y));
      }
      if (c.sensitivity_years.empty()) throw core::InputError(path, s->line("years"), s->name("years"), "expected at least one year");
    }
  }
  return c;
}

}  // namespace daihai::io
