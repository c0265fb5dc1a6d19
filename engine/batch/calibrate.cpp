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
                                          const scenario::RunSpec& base, int first_member = 0, int members = 0) {
  const std::size_t m = static_cast<std::size_t>(members > 0 ? members : spec.members), c = xs.size();
  io::RunPlan plan = spec.plan;
  plan.output = io::OutputSpec{};
  plan.output.defaults.resolution = io::SeriesResolution::none;  // the objective reads annual values only
  plan.runs.clear();
  for (std::size_t mem = 0; mem < m; ++mem)
    for (std::size_t k = 0; k < c; ++k) {
      scenario::RunSpec r = base;
      r.index = plan.runs.size();
      for (std::size_t i = 0; i < spec.free.size(); ++i) {
        const io::FreeParameter& f = spec.free[i];
        if (f.measure.empty()) {
          r.scenario.overrides[f.name] = xs[k][i];
        } else {
          for (auto& ms : r.scenario.measures)
            if (ms.name == f.measure) ms.values[f.key] = xs[k][i] * f.to_si;
        }
      }
      r.scenario.climate.member = first_member + static_cast<int>(mem);
      plan.runs.push_back(std::move(r));
    }
  auto by_member = run_all(plan, threads);
  std::vector<scenario::RunResult> out(c * m);
  for (std::size_t mem = 0; mem < m; ++mem)
    for (std::size_t k = 0; k < c; ++k) out[k * m + mem] = std::move(by_member[mem * c + k]);
  return out;
}

// The free parameters' box: lower and upper bounds and names, in CalibrationSpec::free order.
struct Box {
  std::vector<double> lower, upper;
  std::vector<std::string> names;
};
Box box_of(const io::CalibrationSpec& spec) {
  Box b;
  for (const auto& f : spec.free) {
    b.lower.push_back(f.lower);
    b.upper.push_back(f.upper);
    b.names.push_back(f.name);
  }
  return b;
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

// GLUE (analysis/glue.hpp): `spec.glue_samples` Latin hypercube samples of the free
// parameters' box, scored on the fitted observations in chunks of candidates (each chunk one
// batch over the threads), weighted by their likelihood, the ensemble resampled from the weights.
void glue(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads, double threshold,
          CalibrationResult& res, const std::function<void(std::size_t, std::size_t, double)>& progress);

// DE-MCz (analysis/demc.hpp) after DDS and GLUE: `spec.mcmc_chains` chains of
// `spec.mcmc_generations` generations, the ensemble and the identifiability from their second halves.
void mcmc(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads, CalibrationResult& res,
          const std::function<void(std::size_t, std::size_t, double)>& progress);

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
                                   const std::vector<double>& x, int threads, bool independent_members) {
  const auto runs = independent_members
                        ? run_sets(spec, {x}, threads, spec.plan.runs.front(), spec.validation_first_member, spec.validation_members)
                        : run_sets(spec, {x}, threads, spec.plan.runs.front());
  std::string error;
  analysis::ValidationTable t = table_of(runs, 0, runs.size(), observations, &error);
  t.scenario = spec.plan.runs.front().scenario.name;
  t.runs = runs.size();
  t.failed_runs = static_cast<std::size_t>(std::count_if(runs.begin(), runs.end(), [](const auto& r) { return !r.ok; }));
  return t;
}

bool is_fitted(const io::CalibrationSpec& spec, const analysis::Observation& o) {
  // A prior on the model (the pans' evaporation) is not a record of the lake's history: always fitted.
  return spec.calibrate_until == 0 || o.end <= spec.calibrate_until || o.kind == analysis::ObservationKind::evaporation_depth;
}

std::vector<bool> fitted_flags(const io::CalibrationSpec& spec, const analysis::ValidationTable& table) {
  std::vector<bool> out;
  for (const auto& row : table.rows) out.push_back(is_fitted(spec, row.observation));
  return out;
}

std::vector<analysis::Observation> fitted_observations(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& all) {
  std::vector<analysis::Observation> out;
  for (const auto& o : all)
    if (is_fitted(spec, o)) out.push_back(o);
  return out;
}

CalibrationResult calibrate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& all_observations, int threads,
                            const std::function<void(std::size_t, std::size_t, double)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<analysis::Observation> observations = fitted_observations(spec, all_observations);
  if (observations.empty()) throw std::invalid_argument("calibrate: no observation ends by calibrate_until");
  const auto [lower, upper, names] = box_of(spec);
  std::vector<double> x0;
  for (const auto& f : spec.free) x0.push_back(f.prior);
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
  if (spec.glue_samples > 0) glue(spec, observations, threads, threshold, res, progress);
  if (spec.mcmc_chains > 0) mcmc(spec, observations, threads, res, progress);
  // The calibrated set: the lowest objective of every method (DDS first on ties).
  res.best_x = res.evaluations[res.best].x;
  res.best_objective = res.evaluations[res.best].objective;
  for (const auto& c : res.glue_samples)
    if (c.objective < res.best_objective) {
      res.best_x = c.x;
      res.best_objective = c.objective;
      res.best_method = "GLUE";
    }
  for (std::size_t c = 0; c < res.mcmc.chains.size(); ++c)
    for (std::size_t t = 0; t < res.mcmc.chains[c].size(); ++t)
      if (res.mcmc.objectives[c][t] < res.best_objective) {
        res.best_x = res.mcmc.chains[c][t];
        res.best_objective = res.mcmc.objectives[c][t];
        res.best_method = "DE-MCz";
      }
  res.prior_table = validate_candidate(spec, all_observations, x0, threads, false);
  res.best_table = validate_candidate(spec, all_observations, res.best_x, threads, false);
  res.independent_table = validate_candidate(spec, all_observations, res.best_x, threads, true);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

std::string format_identifiability(const CalibrationResult& r) {
  std::string out = fmt::format(
      "Identifiability from {}: each parameter's 5-50-95 % under the posterior against its prior box;\n"
      "ratio = (q95 - q05) / box width (0.9 for a flat posterior): < 0.5 identified, 0.5-0.75 weakly, above not.\n",
      r.identifiability_source);
  if (!r.glue_samples.empty())
    out += fmt::format("GLUE: {} Latin hypercube samples of the prior box, {} behavioural (J <= {:.3g}).\n", r.glue_samples.size(),
                       r.glue_behavioural, r.behavioural_threshold);
  const bool rhat = r.mcmc_rhat.size() == r.identifiability.size() && !r.mcmc_rhat.empty();
  if (rhat)
    out += fmt::format("MCMC: {} chains x {} generations, acceptance {:.1f} %; R-hat = Gelman-Rubin over the second halves (< 1.2: the\n"
                       "chains agree; above it the verdict is 'not converged': run more generations).\n",
                       r.mcmc.chains.size(), r.mcmc.chains.front().size(),
                       100.0 * static_cast<double>(r.mcmc.accepted) / static_cast<double>(std::max<std::size_t>(1, r.mcmc.evaluations)));
  out += fmt::format("\n{:<42} {:>12} {:>12} {:>12} {:>12} {:>12} {:>6}{}  {}\n", "parameter", "lower", "upper", "q05", "q50", "q95", "ratio",
                     rhat ? fmt::format(" {:>6}", "R-hat") : "", "verdict");
  for (std::size_t k = 0; k < r.identifiability.size(); ++k) {
    const auto& i = r.identifiability[k];
    out += fmt::format("{:<42} {:>12.5g} {:>12.5g} {:>12.5g} {:>12.5g} {:>12.5g} {:>6.2f}{}  {}\n", i.parameter, i.lower, i.upper, i.q05,
                       i.q50, i.q95, i.ratio, rhat ? fmt::format(" {:>6.2f}", r.mcmc_rhat[k]) : "", i.verdict);
  }
  return out;
}

namespace {

void glue(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads, double threshold,
          CalibrationResult& res, const std::function<void(std::size_t, std::size_t, double)>& progress) {
  const auto [lower, upper, names] = box_of(spec);
  const auto samples = analysis::latin_hypercube(lower, upper, static_cast<std::size_t>(spec.glue_samples), spec.seed ^ 0x61756c67ULL);
  const std::size_t chunk = 64;
  double best = kFailedObjective * 10;
  for (const auto& e : res.evaluations) best = std::min(best, e.objective);  // the progress shows the calibration's best
  for (std::size_t i = 0; i < samples.size(); i += chunk) {
    const std::vector<std::vector<double>> part(samples.begin() + static_cast<std::ptrdiff_t>(i),
                                                samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), i + chunk)));
    for (auto& c : evaluate_candidates(spec, observations, part, threads)) {
      best = std::min(best, c.objective);
      res.glue_samples.push_back(std::move(c));
    }
    if (progress) progress(res.evaluations.size() + res.glue_samples.size(), static_cast<std::size_t>(spec.budget + spec.glue_samples), best);
  }
  std::vector<double> j;
  for (const auto& c : res.glue_samples) j.push_back(c.objective);
  res.glue_weights = analysis::glue_weights(j, threshold);
  res.glue_behavioural = static_cast<std::size_t>(std::count_if(res.glue_weights.begin(), res.glue_weights.end(), [](double w) { return w > 0.0; }));
  if (res.glue_behavioural == 0) return;
  res.glue_ensemble = analysis::systematic_resample(res.glue_weights, static_cast<std::size_t>(spec.ensemble_size), spec.seed);
  // Quantiles of a handful of sets say nothing about a parameter's posterior: at least 10 per dimension.
  if (res.glue_behavioural < 10 * spec.free.size()) return;
  std::vector<std::vector<double>> xs;
  for (const auto& c : res.glue_samples) xs.push_back(c.x);
  res.identifiability = analysis::identifiability(names, lower, upper, xs, res.glue_weights);
  res.identifiability_source = fmt::format("GLUE ({} behavioural of {} samples)", res.glue_behavioural, res.glue_samples.size());
}

void mcmc(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads, CalibrationResult& res,
          const std::function<void(std::size_t, std::size_t, double)>& progress) {
  const Box box = box_of(spec);  // named members, not structured bindings: lambdas below capture them (C++20 allows it, clang 14 not)
  const std::vector<double>& lower = box.lower;
  const std::vector<double>& upper = box.upper;
  const std::vector<std::string>& names = box.names;
  const std::size_t d = spec.free.size(), k = static_cast<std::size_t>(spec.mcmc_chains);
  // The initial archive and the chains' starting points: the best distinct sets evaluated so far
  // (DDS and GLUE), at least 1 % of the box apart; a Latin hypercube of the box fills it up to 10·D.
  std::vector<const Candidate*> pool;
  for (const auto& c : res.evaluations) pool.push_back(&c);
  for (const auto& c : res.glue_samples) pool.push_back(&c);
  std::stable_sort(pool.begin(), pool.end(), [](const Candidate* a, const Candidate* b) { return a->objective < b->objective; });
  std::vector<std::vector<double>> archive;
  std::vector<double> archive_j;
  for (const Candidate* c : pool) {
    if (archive.size() >= 10 * d || c->objective >= kFailedObjective) break;
    const bool close = std::any_of(archive.begin(), archive.end(), [&](const std::vector<double>& a) {
      double s = 0.0;
      for (std::size_t q = 0; q < d; ++q) s += std::pow((a[q] - c->x[q]) / (upper[q] - lower[q]), 2);
      return std::sqrt(s / static_cast<double>(d)) < 0.01;
    });
    if (close) continue;
    archive.push_back(c->x);
    archive_j.push_back(c->objective);
  }
  if (archive.size() < k) throw std::runtime_error(fmt::format("calibrate: fewer than {} distinct sets to start the MCMC chains from", k));
  const std::vector<std::vector<double>> starts(archive.begin(), archive.begin() + static_cast<std::ptrdiff_t>(k));
  const std::vector<double> start_j(archive_j.begin(), archive_j.begin() + static_cast<std::ptrdiff_t>(k));
  if (archive.size() < 10 * d) {
    const auto fill = analysis::latin_hypercube(lower, upper, 10 * d - archive.size(), spec.seed ^ 0x6d636d63ULL);
    archive.insert(archive.end(), fill.begin(), fill.end());
  }
  double best = kFailedObjective * 10;
  for (const auto* set : {&res.evaluations, &res.glue_samples})
    for (const auto& e : *set) best = std::min(best, e.objective);
  const std::size_t before = res.evaluations.size() + res.glue_samples.size();
  const std::size_t total = before + k * static_cast<std::size_t>(spec.mcmc_generations);
  std::size_t done = before;
  const analysis::BlockObjective f = [&](const std::vector<std::vector<double>>& xs) {
    std::vector<double> values;
    for (auto& c : evaluate_candidates(spec, observations, xs, threads)) {
      values.push_back(c.objective);
      best = std::min(best, c.objective);
    }
    done += xs.size();
    if (progress && ((done - before) % (16 * k) < k || done == total)) progress(done, total, best);
    return values;
  };
  analysis::DemcOptions opt;
  opt.generations = static_cast<std::size_t>(spec.mcmc_generations);
  opt.seed = spec.seed;
  res.mcmc = analysis::demc_sample(lower, upper, archive, starts, start_j, f, opt);
  res.mcmc_rhat = analysis::gelman_rubin(res.mcmc.chains);
  // The posterior sample: the chains' second halves pooled, equally weighted.
  std::vector<std::vector<double>> xs;
  std::vector<std::pair<std::size_t, std::size_t>> where;
  const std::size_t g = res.mcmc.chains.front().size();
  for (std::size_t t = g / 2; t < g; ++t)
    for (std::size_t c = 0; c < k; ++c) {
      xs.push_back(res.mcmc.chains[c][t]);
      where.emplace_back(c, t);
    }
  const std::vector<double> w(xs.size(), 1.0 / static_cast<double>(xs.size()));
  res.identifiability = analysis::identifiability(names, lower, upper, xs, w);
  // Quantiles of chains that disagree describe the start, not the posterior.
  for (std::size_t q = 0; q < d; ++q)
    if (!(res.mcmc_rhat[q] <= 1.2)) res.identifiability[q].verdict = "not converged";
  res.identifiability_source = fmt::format("the DE-MCz posterior ({} states: second halves of {} chains)", xs.size(), k);
  res.mcmc_ensemble.clear();
  const std::size_t m = static_cast<std::size_t>(spec.ensemble_size);
  for (std::size_t i = 0; i < m; ++i) res.mcmc_ensemble.push_back(where[(2 * i + 1) * xs.size() / (2 * m)]);
}

}  // namespace

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
  // The parameter ensemble, readable as parameter members: drawn from the GLUE weights when GLUE
  // ran and found behavioural sets, else the distinct behavioural sets of the search.
  std::string ens;
  std::vector<std::pair<double, const std::vector<double>*>> members;  // objective, values
  if (!r.mcmc_ensemble.empty()) {
    for (const auto& [c, t] : r.mcmc_ensemble) members.emplace_back(r.mcmc.objectives[c][t], &r.mcmc.chains[c][t]);
    const std::size_t g = r.mcmc.chains.front().size();
    ens = fmt::format("# Parameter ensemble of calibration '{}': {} sets drawn evenly from the posterior exp(-J/2) sampled by DE-MCz\n"
                      "# (ter Braak & Vrugt 2008): {} chains x {} generations, the second halves ({} states) kept, the first burn-in.\n"
                      "# docs/calibration.md\n",
                      spec.name, members.size(), r.mcmc.chains.size(), g, r.mcmc.chains.size() * (g - g / 2));
  } else if (!r.glue_ensemble.empty()) {
    for (std::size_t i : r.glue_ensemble) members.emplace_back(r.glue_samples[i].objective, &r.glue_samples[i].x);
    ens = fmt::format("# Parameter ensemble of calibration '{}': {} sets drawn by their GLUE weights (Beven & Binley 1992; likelihood\n"
                      "# exp(-J/2)) from the {} behavioural sets (objective J <= {:.3g}) of {} Latin hypercube samples of the prior box\n"
                      "# (systematic resampling: a set may appear more than once). docs/calibration.md\n",
                      spec.name, members.size(), r.glue_behavioural, r.behavioural_threshold, r.glue_samples.size());
  } else {
    for (std::size_t i : r.ensemble) members.emplace_back(r.evaluations[i].objective, &r.evaluations[i].x);
    const bool behavioural = !r.ensemble.empty() && r.evaluations[r.ensemble.front()].objective <= r.behavioural_threshold;
    ens = behavioural
        ? fmt::format("# Behavioural parameter ensemble of calibration '{}': {} sets of {} evaluations with objective <= {:.3g} (every\n"
                      "# observation within about its tolerance), best first, each >= 5 % of the bounds away from the others\n",
                      spec.name, members.size(), r.evaluations.size(), r.behavioural_threshold)
        : fmt::format("# NOT behavioural: no set of calibration '{}' ({} evaluations) reached objective <= {:.3g}; the best set only.\n"
                      "# Do not use as a parameter ensemble before a longer calibration.\n",
                      spec.name, r.evaluations.size(), r.behavioural_threshold);
  }
  ens += "# (objective: weighted sum of squared normalised errors; docs/calibration.md). Values in the declared units.\n";
  ens += fmt::format("# Seeds: calibration {}, weather generator {}.\nmember,objective", spec.seed, spec.plan.runs.front().scenario.climate.seed);
  for (const auto& f : spec.free) ens += "," + f.name;
  ens += "\n";
  for (std::size_t k = 0; k < members.size(); ++k) {
    ens += fmt::format("{},{:.6g}", k, members[k].first);
    for (double v : *members[k].second) ens += fmt::format(",{:.8g}", v);
    ens += "\n";
  }
  io::write_text_file((fs::path(dir) / "parameter_ensemble.csv").string(), ens);
  if (!r.glue_samples.empty()) {
    std::string g = "sample,objective,weight";
    for (const auto& f : spec.free) g += "," + f.name;
    g += "\n";
    for (std::size_t i = 0; i < r.glue_samples.size(); ++i) {
      g += fmt::format("{},{:.8g},{:.6g}", i, r.glue_samples[i].objective, r.glue_weights[i]);
      for (double v : r.glue_samples[i].x) g += fmt::format(",{:.8g}", v);
      g += "\n";
    }
    io::write_text_file((fs::path(dir) / "glue_samples.csv").string(), g);
  }
  if (!r.mcmc.chains.empty()) {
    std::string c = "chain,generation,objective";
    for (const auto& f : spec.free) c += "," + f.name;
    c += "\n";
    for (std::size_t k = 0; k < r.mcmc.chains.size(); ++k)
      for (std::size_t t = 0; t < r.mcmc.chains[k].size(); ++t) {
        c += fmt::format("{},{},{:.8g}", k, t, r.mcmc.objectives[k][t]);
        for (double v : r.mcmc.chains[k][t]) c += fmt::format(",{:.8g}", v);
        c += "\n";
      }
    io::write_text_file((fs::path(dir) / "mcmc_chains.csv").string(), c);
  }
  if (!r.identifiability.empty()) io::write_text_file((fs::path(dir) / "identifiability.txt").string(), format_identifiability(r));
  // The inputs' parameters.toml with the calibrated values.
  std::string toml = io::read_text_file((fs::path(spec.plan.inputs->dir) / "parameters.toml").string());
  for (std::size_t i = 0; i < spec.free.size(); ++i) {
    if (!spec.free[i].measure.empty()) continue;  // a measure's design value: in the ensemble only
    const std::string& name = spec.free[i].name;
    // A parameter calibrated before keeps its original prior text: "calibrated (...); prior: <text>".
    // Its plausible range becomes the calibration's bounds (the prior box the fit searched).
    const std::regex table("(\\[" + name + "\\]\\n)value = [^\\n]*\\nrange = [^\\n]*\\nkind = [^\\n]*\\nsource = \"(?:calibrated \\([^)]*\\); prior: )?([^\\n]*)\"\\n");
    const std::string repl = fmt::format(
        "$1value = {:.6g}\nrange = [{}, {}]\nkind = \"C\"\nsource = \"calibrated ({}: {}, objective {:.4g}, bounds [{}, {}]; docs/calibration.md); prior: $2\"\n",
        r.best_x[i], spec.free[i].lower, spec.free[i].upper, spec.name, r.best_method, r.best_objective, spec.free[i].lower, spec.free[i].upper);
    toml = std::regex_replace(toml, table, repl);
  }
  io::write_text_file((fs::path(dir) / "parameters.toml").string(), toml);
  io::write_text_file((fs::path(dir) / "validation.txt").string(),
                      fmt::format("Calibration '{}': seed {}, weather generator seed {}\n\n", spec.name, spec.seed,
                                  spec.plan.runs.front().scenario.climate.seed) +
                          "Prior parameters\n" + analysis::format_validation(r.prior_table) + "\nCalibrated parameters\n" +
                          analysis::format_validation(r.best_table) + "\n" +
                          analysis::format_split_sample(r.best_table, r.independent_table, fitted_flags(spec, r.best_table), spec.calibrate_until));
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
  std::size_t width = 30;  // the longest parameter name
  for (const auto& p : s.parameters) width = std::max(width, p.size());
  std::string out = "Morris screening: elementary effects on the annual mean lake area (km2 per full width of the screened range),\n"
                    "median over climate members; mu* = mean |effect| (importance), sigma = spread (non-linearity, interactions).\n"
                    "Screened ranges (the current value +- a quarter of the calibration bounds):\n";
  for (std::size_t i = 0; i < s.parameters.size(); ++i)
    out += fmt::format("  {:<{}} [{:.4g}, {:.4g}]\n", s.parameters[i], width, s.lower[i], s.upper[i]);
  for (std::size_t o = 0; o < s.years.size(); ++o) {
    out += fmt::format("\nArea in {}\n{:<5} {:<{}} {:>10} {:>10} {:>10}\n", s.years[o], "rank", "parameter", width, "mu*", "mu", "sigma");
    std::vector<std::size_t> order(s.parameters.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return s.morris.mu_star[a][o] > s.morris.mu_star[b][o]; });
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t i = order[k];
      out += fmt::format("{:<5} {:<{}} {:>10.2f} {:>10.2f} {:>10.2f}\n", k + 1, s.parameters[i], width, s.morris.mu_star[i][o],
                         s.morris.mu[i][o], s.morris.sigma[i][o]);
    }
  }
  return out;
}

}  // namespace daihai::batch
