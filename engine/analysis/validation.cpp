#include "analysis/validation.hpp"
#include "analysis/text_table.hpp"

#include <sstream>
#include <algorithm>
#include <cmath>

#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "io/text_file.hpp"

#include "core/errors.hpp"

namespace daihai::analysis {

using analysis::AnnualSeries;
using analysis::Observation;
using analysis::SeriesVariable;

std::size_t ValidationTable::within() const {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.within_tolerance; }));
}

std::size_t ValidationTable::within_high() const {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) {
    return r.within_tolerance && r.observation.confidence == 'H';
  }));
}

std::size_t ValidationTable::high_rows() const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.observation.confidence == 'H'; }));
}

ValidationTable compute_validation(const std::vector<AnnualSeries>& members, const std::vector<Observation>& observations) {
  ValidationTable table;
  table.runs = members.size();
  for (const auto& obs : observations) {
    ValidationRow row;
    row.observation = obs;
    for (const auto& m : members) {
      int skipped = 0;
      try {
        row.member_values.push_back(analysis::simulate(obs, m, &skipped));
        row.years_skipped += skipped;
      } catch (const analysis::NoSimulatedValue&) {
        ++row.members_without_value;
      }
    }
    row.members_used = row.member_values.size();
    if (!row.member_values.empty()) {
      row.simulated = Spread{quantile_type7(row.member_values, 0.5), quantile_type7(row.member_values, 0.05),
                             quantile_type7(row.member_values, 0.95)};
      row.error = row.simulated->median - obs.value;
      row.within_tolerance = std::abs(row.error) <= obs.tolerance;
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// ------------------------------------------------------------------------------- text output

namespace {

// A row's numbers in its file unit: scientific when the tolerance is 1e5 or more (volumes),
// else fixed with about two significant digits of the tolerance (at least one decimal).
bool scientific_row(const Observation& o) { return o.tolerance / o.to_si >= 1e5; }

int decimals_for(const Observation& o) {
  const double tol = o.tolerance / o.to_si;
  if (!(tol > 0.0) || !std::isfinite(tol)) return 3;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(tol))), 1, 6);
}

// A value (SI) in the row's file unit.
std::string num(const Observation& o, double si) {
  double x = si / o.to_si;
  if (scientific_row(o)) return fmt::format("{:.3e}", x);
  const int d = decimals_for(o);
  if (std::abs(x) < 0.5 * std::pow(10.0, -d)) x = 0.0;  // no "-0.000"
  return fmt::format("{:.{}f}", x, d);
}

}  // namespace

std::string format_validation(const ValidationTable& table) {
  std::string out = fmt::format(
      "Validation of {} against observations: scenario '{}'{}; {} runs, {} failed (excluded).\n"
      "Annual means over each period; simulated = median [5-95 %] over members (type 7 quantiles);\n"
      "error = median - observed; within = |error| <= tolerance. Values in the observation's unit.\n\n",
      table.file.empty() ? std::string("the simulated runs") : table.file, table.scenario,
      table.default_scenario ? " (every measure on)" : "", table.runs, table.failed_runs);
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"kind", "period", "source", "conf", "observed", "tolerance", "simulated median [5-95 %]", "error",
                   "unit", "within", "members", "skipped"});
  for (const auto& row : table.rows) {
    const auto& o = row.observation;
    const std::string period = o.start == o.end ? std::to_string(o.start) : fmt::format("{}-{}", o.start, o.end);
    std::string sim = "n/a", err = "n/a";
    if (row.simulated) {
      sim = fmt::format("{} [{} .. {}]", num(o, row.simulated->median), num(o, row.simulated->p05),
                        num(o, row.simulated->p95));
      err = num(o, row.error);
    }
    cells.push_back({analysis::to_string(o.kind), period, o.source, std::string(1, o.confidence),
                     num(o, o.value), num(o, o.tolerance) + (o.tolerance_from_file ? "" : "*"), sim, err, o.unit,
                     row.within_tolerance ? "yes" : "no", std::to_string(row.members_used),
                     std::to_string(row.years_skipped)});
  }
  out += fixed_width_table(cells, {0, 1, 2, 3, 8});
  const bool any_default = std::any_of(table.rows.begin(), table.rows.end(),
                                       [](const auto& r) { return !r.observation.tolerance_from_file; });
  if (any_default) out += "* default tolerance (the file gives none): see analysis::default_tolerance\n";
  out += fmt::format("{} of {} within tolerance", table.within(), table.rows.size());
  out += table.high_rows() > 0 ? fmt::format("; H rows: {} of {} within tolerance\n", table.within_high(), table.high_rows()) : std::string("\n");
  return out;
}

std::string format_split_sample(const ValidationTable& fit, const ValidationTable& independent, const std::vector<bool>& fitted_rows,
                                int fit_until) {
  if (fit.rows.size() != independent.rows.size() || fit.rows.size() != fitted_rows.size())
    throw std::invalid_argument("format_split_sample: tables of different observations");
  std::string out =
      fit_until == 0
          ? fmt::format("Independent-members test: every observation fitted; simulated = median over the members of the fit ({} runs) and\n"
                        "over members the fit never saw ({} runs). Values in the observation's unit.\n\n",
                        fit.runs, independent.runs)
          : fmt::format("Split-sample test: observations ending by {} fitted (and priors), later ones validated only; simulated = median over the "
                        "members of\nthe fit ({} runs) and over members the fit never saw ({} runs). Values in the observation's unit.\n\n",
                        fit_until, fit.runs, independent.runs);
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"role", "kind", "period", "source", "observed", "tolerance", "fit members", "within", "new members", "within", "unit"});
  std::size_t counts[2][2] = {{0, 0}, {0, 0}}, rows[2] = {0, 0};  // [role][members]
  for (std::size_t i = 0; i < fit.rows.size(); ++i) {
    const auto& o = fit.rows[i].observation;
    const bool fitted = fitted_rows[i];
    const int role = fitted ? 0 : 1;
    ++rows[role];
    const std::string period = o.start == o.end ? std::to_string(o.start) : fmt::format("{}-{}", o.start, o.end);
    auto sim = [&](const ValidationRow& r) { return r.simulated ? num(o, r.simulated->median) : std::string("n/a"); };
    counts[role][0] += fit.rows[i].within_tolerance ? 1 : 0;
    counts[role][1] += independent.rows[i].within_tolerance ? 1 : 0;
    cells.push_back({fitted ? "fit" : "valid.", analysis::to_string(o.kind), period, o.source, num(o, o.value), num(o, o.tolerance),
                     sim(fit.rows[i]), fit.rows[i].within_tolerance ? "yes" : "no", sim(independent.rows[i]),
                     independent.rows[i].within_tolerance ? "yes" : "no", o.unit});
  }
  out += fixed_width_table(cells, {0, 1, 2, 3, 10});
  out += fmt::format("fitted rows: {} of {} within tolerance (fit members), {} of {} (new members)", counts[0][0], rows[0], counts[0][1],
                     rows[0]);
  if (rows[1] > 0)
    out += fmt::format("; validation rows: {} of {} (fit members), {} of {} (new members)", counts[1][0], rows[1], counts[1][1], rows[1]);
  out += "\n";
  return out;
}

std::vector<SeriesSkill> series_skill(const ValidationTable& table) {
  std::vector<SeriesSkill> out;
  for (const auto kind : kAllObservationKinds) {
    std::vector<double> sim, obs;
    const Observation* first = nullptr;
    for (const auto& row : table.rows) {
      if (row.observation.kind != kind || !row.simulated) continue;
      if (first == nullptr) first = &row.observation;
      sim.push_back(row.simulated->median);
      obs.push_back(row.observation.value);
    }
    if (sim.size() < 2) continue;
    out.push_back({kind, first->unit, first->to_si, skill(sim, obs)});
  }
  return out;
}

std::string format_series_skill(const std::vector<SeriesSkill>& skills) {
  if (skills.empty()) return {};
  std::vector<std::vector<std::string>> cells{{"series", "pairs", "NSE", "KGE", "KGE'", "RMSE", "bias", "unit"}};
  std::vector<std::string> reasons;  // of the undefined metrics, listed below the table
  for (const auto& s : skills) {
    auto cell = [&](const Metric& m, const char* name, double scale, const char* format) {
      if (m.value) return fmt::format(fmt::runtime(format), *m.value / scale);
      reasons.push_back(fmt::format("{} {}: {}", to_string(s.kind), name, m.undefined));
      return std::string("undefined");
    };
    cells.push_back({to_string(s.kind), std::to_string(s.skill.count), cell(s.skill.nse, "NSE", 1.0, "{:.3f}"),
                     cell(s.skill.kge, "KGE", 1.0, "{:.3f}"), cell(s.skill.kge_prime, "KGE'", 1.0, "{:.3f}"),
                     cell(s.skill.rmse, "RMSE", s.to_si, "{:.4g}"), cell(s.skill.bias, "bias", s.to_si, "{:.4g}"), s.unit});
  }
  std::string out =
      "Skill over observation series (medians against observed values; Nash & Sutcliffe 1970, Gupta et al. 2009, Kling et al. 2012):\n" +
      fixed_width_table(cells, {0, 7});
  for (const auto& r : reasons) out += "  undefined: " + r + "\n";
  return out;
}

}  // namespace daihai::analysis
