#include "batch/calibrate.hpp"

#include "batch/batch.hpp"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/text_file.hpp"
#include "model/model.hpp"
#include "scenario/run.hpp"

namespace daihai::batch {

namespace fs = std::filesystem;

namespace {

// The runs of a set of parameter vectors, returned candidate-major, climate member-minor. They
// go through the batch path (batch::run_all: blocks, threads, shared forcing) ordered
// member-major, so the candidates of one climate member are adjacent and share its forcing.
std::vector<scenario::RunResult> run_sets(const io::CalibrationSpec& spec, const std::vector<std::vector<double>>& xs, int threads,
                                          const scenario::RunSpec& base) {
  const std::size_t m = static_cast<std::size_t>(spec.members), c = xs.size();
  io::RunPlan plan = spec.plan;
  plan.output = io::OutputSpec{};
  plan.output.defaults.resolution = io::SeriesResolution::none;  // the objective reads annual values only
  plan.runs.clear();
  for (std::size_t mem = 0; mem < m; ++mem)
    for (std::size_t k = 0; k < c; ++k) {
      scenario::RunSpec r = base;
      r.index = plan.runs.size();
      for (std::size_t i = 0; i < spec.free.size(); ++i) r.scenario.overrides[spec.free[i].name] = xs[k][i];
      r.scenario.climate.member = static_cast<int>(mem);
      plan.runs.push_back(std::move(r));
    }
  auto by_member = run_all(plan, threads);
  std::vector<scenario::RunResult> out(c * m);
  for (std::size_t mem = 0; mem < m; ++mem)
    for (std::size_t k = 0; k < c; ++k) out[k * m + mem] = std::move(by_member[mem * c + k]);
  return out;
}

analysis::ObjectiveWeights weights_of(const io::CalibrationSpec& spec) {
  analysis::ObjectiveWeights w;
  w.high = spec.weight_h;
  w.medium = spec.weight_m;
  w.low = spec.weight_l;
  return w;
}

analysis::ValidationTable table_of(const std::vector<scenario::RunResult>& runs, std::size_t first, std::size_t count,
                         const std::vector<analysis::Observation>& obs, std::string* error) {
  std::vector<analysis::AnnualSeries> members;
  for (std::size_t k = first; k < first + count; ++k) {
    if (runs[k].ok) {
      members.push_back(analysis::annual_series(runs[k]));
    } else if (error->empty()) {
      *error = runs[k].error;
    }
  }
  return analysis::compute_validation(members, obs);
}

}  // namespace

std::vector<Candidate> evaluate_candidates(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations,
                                           const std::vector<std::vector<double>>& xs, int threads) {
  const auto runs = run_sets(spec, xs, threads, spec.plan.runs.front());
  const std::size_t m = static_cast<std::size_t>(spec.members);
  std::vector<Candidate> out;
  for (std::size_t c = 0; c < xs.size(); ++c) {
    Candidate cand;
    cand.x = xs[c];
    const analysis::ValidationTable t = table_of(runs, c * m, m, observations, &cand.error);
    bool complete = cand.error.empty();
    for (const auto& row : t.rows) {
      if (!row.simulated) {
        complete = false;
        cand.simulated.push_back(0.0);
      } else {
        cand.simulated.push_back(row.simulated->median);
      }
    }
    cand.objective = complete ? analysis::objective(observations, cand.simulated, weights_of(spec)) : kFailedObjective;
    if (!complete && cand.error.empty()) cand.error = "no simulated value for an observation";
    out.push_back(std::move(cand));
  }
  return out;
}

analysis::ValidationTable validate_candidate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations,
                                   const std::vector<double>& x, int threads) {
  const auto runs = run_sets(spec, {x}, threads, spec.plan.runs.front());
  std::string error;
  analysis::ValidationTable t = table_of(runs, 0, runs.size(), observations, &error);
  t.scenario = spec.plan.runs.front().scenario.name;
  t.runs = runs.size();
  t.failed_runs = static_cast<std::size_t>(std::count_if(runs.begin(), runs.end(), [](const auto& r) { return !r.ok; }));
  return t;
}

CalibrationResult calibrate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads,
                            const std::function<void(std::size_t, std::size_t, double)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<double> lower, upper, x0;
  for (const auto& f : spec.free) {
    lower.push_back(f.lower);
    upper.push_back(f.upper);
    x0.push_back(f.prior);
  }
  CalibrationResult res;
  double best = kFailedObjective * 10;
  const analysis::BlockObjective f = [&](const std::vector<std::vector<double>>& xs) {
    auto cands = evaluate_candidates(spec, observations, xs, threads);
    std::vector<double> values;
    for (auto& c : cands) {
      values.push_back(c.objective);
      best = std::min(best, c.objective);
      res.evaluations.push_back(std::move(c));
    }
    if (progress) progress(res.evaluations.size(), static_cast<std::size_t>(spec.budget), best);
    return values;
  };
  analysis::DdsOptions opt;
  opt.budget = static_cast<std::size_t>(spec.budget);
  opt.seed = spec.seed;
  opt.block = static_cast<std::size_t>(spec.block);
  opt.x0 = x0;
  analysis::dds_minimize(lower, upper, f, opt);  // every evaluation is kept in res.evaluations
  // The best set: the lowest objective, earliest on ties (as DDS keeps it).
  res.best = 0;
  for (std::size_t i = 1; i < res.evaluations.size(); ++i)
    if (res.evaluations[i].objective < res.evaluations[res.best].objective) res.best = i;
  // The behavioural ensemble (GLUE-like, Beven & Binley 1992): sets whose objective stays below
  // the behavioural threshold (every observation off by at most its tolerance: J <= sum of the
  // weights), taken best first and kept only when they differ from every set already kept by at
  // least 5 % of the bounds' width in normalised Euclidean distance, so the members span the
  // parameter uncertainty instead of repeating the optimum. When fewer qualify, the ensemble is
  // smaller (the best set is always a member).
  double threshold = 0.0;
  for (const auto& ob : observations) threshold += weights_of(spec).of(ob.confidence);
  res.behavioural_threshold = threshold;
  std::vector<std::size_t> order(res.evaluations.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return res.evaluations[a].objective < res.evaluations[b].objective; });
  auto distance = [&](const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) {
      const double u = (a[k] - b[k]) / (spec.free[k].upper - spec.free[k].lower);
      d += u * u;
    }
    return std::sqrt(d / static_cast<double>(a.size()));
  };
  for (std::size_t i : order) {
    if (res.ensemble.size() >= static_cast<std::size_t>(spec.ensemble_size)) break;
    const auto& e = res.evaluations[i];
    if (e.objective >= kFailedObjective || (!res.ensemble.empty() && e.objective > threshold)) break;
    const bool close = std::any_of(res.ensemble.begin(), res.ensemble.end(),
                                   [&](std::size_t j) { return distance(res.evaluations[j].x, e.x) < 0.05; });
    if (!close) res.ensemble.push_back(i);
  }
  res.prior_table = validate_candidate(spec, observations, x0, threads);
  res.best_table = validate_candidate(spec, observations, res.evaluations[res.best].x, threads);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

void write_calibration(const io::CalibrationSpec& spec, const CalibrationResult& r, const std::string& dir) {
  fs::create_directories(dir);
  // Every evaluation.
  std::string csv = "evaluation,objective";
  for (const auto& f : spec.free) csv += "," + f.name;
  csv += ",error\n";
  for (std::size_t i = 0; i < r.evaluations.size(); ++i) {
    const auto& e = r.evaluations[i];
    csv += fmt::format("{},{:.10g}", i, e.objective);
    for (double v : e.x) csv += fmt::format(",{:.10g}", v);
    csv += ",\"" + e.error + "\"\n";
  }
  io::write_text_file((fs::path(dir) / "evaluations.csv").string(), csv);
  // The behavioural ensemble, readable as parameter members.
  const bool behavioural = !r.ensemble.empty() && r.evaluations[r.ensemble.front()].objective <= r.behavioural_threshold;
  std::string ens = behavioural
      ? fmt::format("# Behavioural parameter ensemble of calibration '{}': {} sets of {} evaluations with objective <= {:.3g} (every\n"
                    "# observation within about its tolerance), best first, each >= 5 % of the bounds away from the others\n",
                    spec.name, r.ensemble.size(), r.evaluations.size(), r.behavioural_threshold)
      : fmt::format("# NOT behavioural: no set of calibration '{}' ({} evaluations) reached objective <= {:.3g}; the best set only.\n"
                    "# Do not use as a parameter ensemble before a longer calibration.\n",
                    spec.name, r.evaluations.size(), r.behavioural_threshold);
  ens += "# (objective: weighted sum of squared normalised errors; docs/calibration.md). Values in the declared units.\nmember,objective";
  for (const auto& f : spec.free) ens += "," + f.name;
  ens += "\n";
  for (std::size_t k = 0; k < r.ensemble.size(); ++k) {
    const auto& e = r.evaluations[r.ensemble[k]];
    ens += fmt::format("{},{:.6g}", k, e.objective);
    for (double v : e.x) ens += fmt::format(",{:.8g}", v);
    ens += "\n";
  }
  io::write_text_file((fs::path(dir) / "parameter_ensemble.csv").string(), ens);
  // The inputs' parameters.toml with the calibrated values.
  std::string toml = io::read_text_file((fs::path(spec.plan.inputs->dir) / "parameters.toml").string());
  const auto& best = r.evaluations[r.best];
  for (std::size_t i = 0; i < spec.free.size(); ++i) {
    const std::string& name = spec.free[i].name;
    // A parameter calibrated before keeps its original prior text: "calibrated (...); prior: <text>".
    const std::regex table("(\\[" + name + "\\]\\n)value = [^\\n]*\\n(range = [^\\n]*\\n)kind = [^\\n]*\\nsource = \"(?:calibrated \\([^)]*\\); prior: )?([^\\n]*)\"\\n");
    const std::string repl = fmt::format(
        "$1value = {:.6g}\n$2kind = \"C\"\nsource = \"calibrated ({}: DDS, objective {:.4g}, bounds [{}, {}]; docs/calibration.md); prior: $3\"\n",
        best.x[i], spec.name, best.objective, spec.free[i].lower, spec.free[i].upper);
    toml = std::regex_replace(toml, table, repl);
  }
  io::write_text_file((fs::path(dir) / "parameters.toml").string(), toml);
  io::write_text_file((fs::path(dir) / "validation.txt").string(),
             "Prior parameters\n" + analysis::format_validation(r.prior_table) + "\nCalibrated parameters\n" + analysis::format_validation(r.best_table));
}

SensitivityResult sensitivity(const io::CalibrationSpec& spec, int threads) {
  SensitivityResult s;
  s.years = spec.sensitivity_years;
  // The screening box: the current (calibrated) value ± a quarter of each parameter's bounds,
  // clipped to them: the behavioural neighbourhood of the model, not the corners of the plausible
  // box where the lake leaves its hypsometry table.
  std::vector<double> lower, upper;
  for (const auto& f : spec.free) {
    s.parameters.push_back(f.name);
    const double half = 0.25 * (f.upper - f.lower);
    lower.push_back(std::max(f.lower, f.prior - half));
    upper.push_back(std::min(f.upper, f.prior + half));
  }
  s.lower = lower;
  s.upper = upper;
  scenario::RunSpec base = spec.plan.runs.front();
  const int last = *std::max_element(s.years.begin(), s.years.end());
  if (base.scenario.end.year < last) base.scenario.end = core::Date{last, 12, 31};
  const std::size_t m = static_cast<std::size_t>(spec.members);
  const analysis::MorrisBlockModel model = [&](const std::vector<std::vector<double>>& points) {
    const auto runs = run_sets(spec, points, threads, base);
    std::vector<std::vector<double>> out;
    for (std::size_t p = 0; p < points.size(); ++p) {
      std::vector<double> y;
      for (int year : s.years) {
        std::vector<double> v;
        for (std::size_t k = p * m; k < (p + 1) * m; ++k) {
          if (!runs[k].ok) continue;
          const auto& yrs = runs[k].years;
          const auto idx = static_cast<std::size_t>(std::find(yrs.begin(), yrs.end(), year) - yrs.begin());
          for (const auto& var : runs[k].annual)
            if (var.name == "area_m2") v.push_back(var.values.at(idx) / 1e6);
        }
        if (v.empty()) throw std::runtime_error(fmt::format("sensitivity: every member failed at Morris point {}", p));
        std::sort(v.begin(), v.end());
        y.push_back(v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]));
      }
      out.push_back(std::move(y));
    }
    return out;
  };
  analysis::MorrisOptions opt;
  opt.trajectories = static_cast<std::size_t>(spec.sensitivity_trajectories);
  opt.seed = spec.seed;
  s.morris = analysis::morris_screening(lower, upper, model, opt);
  return s;
}

std::string format_sensitivity(const SensitivityResult& s) {
  std::string out = "Morris screening: elementary effects on the annual mean lake area (km2 per full width of the screened range),\n"
                    "median over climate members; mu* = mean |effect| (importance), sigma = spread (non-linearity, interactions).\n"
                    "Screened ranges (the current value +- a quarter of the calibration bounds):\n";
  for (std::size_t i = 0; i < s.parameters.size(); ++i)
    out += fmt::format("  {:<30} [{:.4g}, {:.4g}]\n", s.parameters[i], s.lower[i], s.upper[i]);
  for (std::size_t o = 0; o < s.years.size(); ++o) {
    out += fmt::format("\nArea in {}\n{:<5} {:<30} {:>10} {:>10} {:>10}\n", s.years[o], "rank", "parameter", "mu*", "mu", "sigma");
    std::vector<std::size_t> order(s.parameters.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return s.morris.mu_star[a][o] > s.morris.mu_star[b][o]; });
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t i = order[k];
      out += fmt::format("{:<5} {:<30} {:>10.2f} {:>10.2f} {:>10.2f}\n", k + 1, s.parameters[i], s.morris.mu_star[i][o],
                         s.morris.mu[i][o], s.morris.sigma[i][o]);
    }
  }
  return out;
}

}  // namespace daihai::batch
