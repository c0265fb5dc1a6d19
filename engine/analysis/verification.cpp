#include "analysis/verification.hpp"
#include "analysis/text_table.hpp"

#include "analysis/statistics.hpp"

#include <sstream>
#include <algorithm>
#include <cmath>

#include <limits>
#include <map>
#include <tuple>
#include <stdexcept>

#include <fmt/format.h>

#include "io/text_file.hpp"

#include "core/errors.hpp"

namespace daihai::analysis {


namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Index of `year` in `years`, or -1.
long index_of(std::span<const int> years, int year) {
  const auto it = std::find(years.begin(), years.end(), year);
  return it == years.end() ? -1 : static_cast<long>(it - years.begin());
}

const std::vector<double>* values_of(const VerificationInput& in, const std::string& quantity, std::size_t run) {
  const std::vector<std::vector<double>>* all = nullptr;
  if (quantity == kAreaVariable) all = &in.area_m2;
  else if (quantity == kLevelVariable) all = &in.level_m;
  else if (quantity == kTdsVariable) all = &in.tds_g_per_L;
  else throw VerificationError("target quantity '" + quantity + "' is not an annual variable verification knows");
  if (run >= all->size() || (*all)[run].empty()) return nullptr;
  return &(*all)[run];
}

std::optional<Spread> spread(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  return Spread{quantile_type7(v, 0.5), quantile_type7(v, 0.05), quantile_type7(v, 0.95)};
}

// The note of a scenario whose median lake (quantile index 2 of `area_by_year`) grows larger in a
// year from `plan_start` on than in any year before it: when, how large, and the water from
// outside the basin over those years (mean over the members `good` of each import), largest
// first. Empty when it does not, without a year before the plan, or without plan_start.
std::string growth_note(const VerificationInput& in, const std::vector<std::size_t>& good, const std::vector<double>& area_by_year,
                        const std::vector<int>& years, int plan_start) {
  const std::size_t ny = years.size();
  if (plan_start == 0 || good.empty() || area_by_year.size() < 3 * ny) return "";
  const double* median = area_by_year.data() + 2 * ny;  // kQuantileProbabilities[2] = 0.5
  double before = -1.0, largest = -1.0;
  int before_year = 0, first = 0, last = 0, largest_year = 0;
  for (std::size_t y = 0; y < ny; ++y)
    if (years[y] < plan_start && median[y] > before) {
      before = median[y];
      before_year = years[y];
    }
  if (before < 0.0) return "";
  for (std::size_t y = 0; y < ny; ++y) {
    if (years[y] < plan_start || median[y] <= before) continue;
    if (first == 0) first = years[y];
    last = years[y];
    if (median[y] > largest) {
      largest = median[y];
      largest_year = years[y];
    }
  }
  if (first == 0) return "";
  std::vector<std::pair<double, std::string>> imports;
  for (std::size_t k = 0; k < in.import_names.size(); ++k) {
    double sum = 0.0;
    std::size_t count = 0;
    for (const auto r : good) {
      if (r >= in.imports.size() || k >= in.imports[r].size() || in.imports[r][k].size() != ny) continue;
      for (std::size_t y = 0; y < ny; ++y)
        if (years[y] >= first && years[y] <= last) {
          sum += in.imports[r][k][y];
          ++count;
        }
    }
    const double mean = count ? sum / static_cast<double>(count) : 0.0;
    if (mean > 0.0) imports.emplace_back(mean, in.import_names[k].substr(0, in.import_names[k].size() - 3));
  }
  std::sort(imports.begin(), imports.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string water;
  for (const auto& [m3, name] : imports) water += fmt::format("{}{} {:.3g} m3/a", water.empty() ? "" : ", ", name, m3);
  return fmt::format("median lake larger than before {} (largest {:.1f} km2 in {}) in {}..{}, up to {:.1f} km2 in {}; water from outside "
                     "the basin then (mean over members): {}",
                     plan_start, before / 1e6, before_year, first, last, largest / 1e6, largest_year,
                     water.empty() ? "none (the lake's own catchment and aquifer)" : water);
}

}  // namespace

// ------------------------------------------------------------------------------ input builder

bool is_import(const std::string& name) {
  const auto ends_m3 = name.size() > 3 && name.compare(name.size() - 3, 3, "_m3") == 0;
  return ends_m3 && (name.rfind("diversion_", 0) == 0 || name.rfind("inflow_", 0) == 0 || name == "scenario_inflow_m3" ||
                     name == "external_groundwater_inflow_m3");
}

void VerificationInput::add(const scenario::RunResult& run) {
  const std::size_t index = scenario.size();
  std::vector<double> area, level, tds;
  std::vector<std::vector<double>> run_imports;
  if (run.ok) {
    const bool first_ok = std::none_of(ok.begin(), ok.end(), [](bool b) { return b; });
    if (first_ok) {
      years = run.years;
    } else if (run.years != years) {
      throw VerificationError(fmt::format("run {} (scenario '{}'): its year axis differs from the earlier runs'", index,
                                          run.scenario));
    }
    for (const auto& v : run.annual) {
      if (is_import(v.name) && v.values.size() == years.size()) {
        auto it = std::find(import_names.begin(), import_names.end(), v.name);
        if (it == import_names.end()) {
          import_names.push_back(v.name);
          it = import_names.end() - 1;
        }
        const auto k = static_cast<std::size_t>(it - import_names.begin());
        if (run_imports.size() <= k) run_imports.resize(k + 1);
        run_imports[k] = v.values;
        continue;
      }
      std::vector<double>* target = v.name == kAreaVariable    ? &area
                                    : v.name == kLevelVariable ? &level
                                    : v.name == kTdsVariable   ? &tds
                                                               : nullptr;
      if (!target) continue;
      if (v.values.size() != years.size())
        throw VerificationError(fmt::format("run {} (scenario '{}'): annual '{}' has {} values for {} years", index,
                                            run.scenario, v.name, v.values.size(), years.size()));
      *target = v.values;
    }
  }
  scenario.push_back(run.scenario);
  delta_t_C.push_back(run.delta_t_C);
  delta_p_pct.push_back(run.delta_p_pct);
  climate_member.push_back(run.climate_member);
  parameter_member.push_back(run.parameter_member);
  ok.push_back(run.ok);
  area_m2.push_back(std::move(area));
  level_m.push_back(std::move(level));
  tds_g_per_L.push_back(std::move(tds));
  imports.push_back(std::move(run_imports));
}

VerificationInput VerificationInput::from_results(const std::vector<scenario::RunResult>& runs) {
  VerificationInput in;
  for (const auto& r : runs) in.add(r);
  return in;
}

// ------------------------------------------------------------------------------- statistics

double least_squares_slope(std::span<const int> years, std::span<const double> values) {
  if (years.size() != values.size() || years.size() < 2)
    throw VerificationError("least-squares slope needs at least two (year, value) pairs");
  const std::vector<double> x(years.begin(), years.end());
  try {
    return analysis::least_squares_slope(x, values);
  } catch (const std::invalid_argument&) {
    throw VerificationError("least-squares slope over a single distinct year");
  }
}

double quantile_type7(std::vector<double> values, double p) {
  if (values.empty()) throw std::invalid_argument("quantile of an empty set");
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("quantile probability outside [0, 1]");
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  if (frac == 0.0 || lo + 1 >= values.size()) return values[lo];
  const double a = values[lo], b = values[lo + 1];
  if (std::isinf(a) || std::isinf(b)) return kInf;
  return a + frac * (b - a);
}

TargetOutcome evaluate_target(const Target& target, std::span<const int> years, std::span<const double> values) {
  if (years.size() != values.size())
    throw VerificationError(fmt::format("target '{}': {} values for {} years", target.name, values.size(), years.size()));
  for (int y = target.from; y <= target.to; ++y)
    if (index_of(years, y) < 0)
      throw VerificationError(fmt::format("target '{}' needs the year {} ({}..{}), outside the annual axis", target.name,
                                          y, target.from, target.to));
  TargetOutcome out;
  const bool ge = target.comparison == Comparison::greater_equal;
  switch (target.statistic) {
    case Statistic::trend: {
      std::vector<int> ys;
      std::vector<double> vs;
      for (std::size_t i = 0; i < years.size(); ++i)
        if (years[i] >= target.from && years[i] <= target.to) {
          ys.push_back(years[i]);
          vs.push_back(values[i]);
        }
      out.statistic = least_squares_slope(ys, vs);
      out.met = target.holds(out.statistic);
      return out;  // no first year for trends
    }
    case Statistic::every_year: {
      out.met = true;
      out.statistic = ge ? kInf : -kInf;
      for (std::size_t i = 0; i < years.size(); ++i)
        if (years[i] >= target.from && years[i] <= target.to) {
          out.met = out.met && target.holds(values[i]);
          out.statistic = ge ? std::min(out.statistic, values[i]) : std::max(out.statistic, values[i]);
        }
      break;
    }
    case Statistic::in_year: {
      out.statistic = values[static_cast<std::size_t>(index_of(years, target.to))];
      out.met = target.holds(out.statistic);
      break;
    }
  }
  // First year met, sustained: the start of the longest run-final stretch of years where the
  // condition holds, moved up to first_year_from.
  std::size_t k = values.size();
  while (k > 0 && target.holds(values[k - 1])) --k;
  for (std::size_t j = k; j < values.size(); ++j)
    if (years[j] >= target.first_year_from) {
      out.first_year = years[j];
      break;
    }
  return out;
}

std::vector<std::string> coverage_problems(const std::vector<int>& years, const std::vector<Target>& targets,
                                           const VerificationOptions& options) {
  std::vector<std::string> problems;
  const auto range = years.empty() ? std::string("an empty annual axis")
                                   : fmt::format("the annual axis {}..{}", years.front(), years.back());
  if (index_of(years, options.report_year) < 0)
    problems.push_back(fmt::format("the report year {} is outside {}", options.report_year, range));
  for (const auto& t : targets) {
    for (int y = t.from; y <= t.to; ++y)
      if (index_of(years, y) < 0) {
        problems.push_back(fmt::format("target '{}' ({}..{}) needs the year {}, outside {}", t.name, t.from, t.to, y, range));
        break;
      }
    // The first year met is searched from plan_start on: a start after the last year could only give "never".
    if (!years.empty() && t.first_year_from > years.back())
      problems.push_back(fmt::format("target '{}': plan_start {} is after the last year of {}", t.name, t.first_year_from, range));
  }
  return problems;
}

// ------------------------------------------------------------------------------- computation

VerificationTable compute_verification(const VerificationInput& input, const std::vector<Target>& targets,
                                       const VerificationOptions& options) {
  VerificationTable table;
  table.report_year = options.report_year;
  table.targets = targets;
  const std::size_t n = input.runs();
  if (input.ok.size() != n || input.area_m2.size() != n || input.level_m.size() != n || input.tds_g_per_L.size() != n ||
      input.climate_member.size() != n || input.parameter_member.size() != n || input.delta_t_C.size() != n ||
      input.delta_p_pct.size() != n)
    throw VerificationError("verification input: per-run vectors of different lengths");
  const bool any_ok = std::any_of(input.ok.begin(), input.ok.end(), [](bool b) { return b; });
  if (any_ok || !input.years.empty()) {  // the targets must fit the year axis, whether or not a run succeeded
    const auto problems = coverage_problems(input.years, targets, options);
    if (!problems.empty()) {
      std::string message = "cannot verify: " + problems.front();
      for (std::size_t i = 1; i < problems.size(); ++i) message += "; " + problems[i];
      throw VerificationError(message);
    }
  }
  const long report = index_of(input.years, options.report_year);
  int plan_start = options.plan_start;
  if (plan_start == 0 && !targets.empty()) {
    plan_start = targets.front().first_year_from;
    for (const auto& t : targets) plan_start = std::min(plan_start, t.first_year_from);
  }

  if (any_ok) table.years = input.years;
  const std::size_t ny = table.years.size();

  // scenarios (measure combination x climate delta) in order of first appearance
  using Key = std::tuple<std::string, double, double>;
  std::vector<Key> order;
  std::map<Key, std::vector<std::size_t>> members;
  for (std::size_t r = 0; r < n; ++r) {
    const Key key{input.scenario[r], input.delta_t_C[r], input.delta_p_pct[r]};
    auto [it, inserted] = members.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(r);
  }

  for (const auto& key : order) {
    const std::string& name = std::get<0>(key);
    ScenarioRow row;
    row.scenario = name;
    row.delta_t_C = std::get<1>(key);
    row.delta_p_pct = std::get<2>(key);
    std::vector<std::size_t> good;
    for (const auto r : members[key]) {
      ++row.runs;
      if (input.ok[r]) good.push_back(r);
      else ++row.failed_runs;
    }
    auto need = [&](const char* quantity, std::size_t r) -> const std::vector<double>& {
      const auto* v = values_of(input, quantity, r);
      if (!v)
        throw VerificationError(fmt::format("run {} (scenario '{}', climate member {}, parameter member {}) lacks the "
                                            "annual variable '{}'",
                                            r, name, input.climate_member[r], input.parameter_member[r], quantity));
      return *v;
    };
    std::vector<double> area, level, tds;
    for (const auto r : good) {
      area.push_back(need(kAreaVariable, r)[static_cast<std::size_t>(report)]);
      level.push_back(need(kLevelVariable, r)[static_cast<std::size_t>(report)]);
      tds.push_back(need(kTdsVariable, r)[static_cast<std::size_t>(report)]);
    }
    row.area_m2 = spread(area);
    row.level_m = spread(level);
    row.tds_g_per_L = spread(tds);
    if (!good.empty()) {
      for (auto [quantity, dest] : {std::pair{kAreaVariable, &row.area_m2_by_year}, std::pair{kLevelVariable, &row.level_m_by_year},
                                    std::pair{kTdsVariable, &row.tds_g_per_L_by_year}}) {
        dest->assign(kQuantileProbabilities.size() * ny, 0.0);
        std::vector<double> v(good.size());
        for (std::size_t y = 0; y < ny; ++y) {
          for (std::size_t m = 0; m < good.size(); ++m) v[m] = need(quantity, good[m])[y];
          for (std::size_t q = 0; q < kQuantileProbabilities.size(); ++q)
            (*dest)[q * ny + y] = quantile_type7(v, kQuantileProbabilities[q]);
        }
      }
    }

    std::vector<char> all_met(good.size(), 1);  // per member: every target met so far
    for (const auto& target : targets) {
      TargetSummary summary;
      if (!good.empty()) {
        std::size_t met = 0;
        std::vector<double> first;
        for (std::size_t k = 0; k < good.size(); ++k) {
          const auto r = good[k];
          const auto outcome = evaluate_target(target, input.years, need(target.quantity.c_str(), r));
          if (outcome.met) ++met;
          if (!outcome.met) all_met[k] = 0;
          first.push_back(outcome.first_year ? static_cast<double>(*outcome.first_year) : kInf);
        }
        summary.probability = static_cast<double>(met) / static_cast<double>(good.size());
        if (target.statistic != Statistic::trend) {
          const double q = quantile_type7(first, 0.5);
          summary.first_year_median = std::isinf(q) ? kNeverYear : static_cast<std::int64_t>(std::ceil(q));
          for (const int year : table.years) {
            const auto by = std::count_if(first.begin(), first.end(), [&](double f) { return f <= year; });
            summary.met_by_year.push_back(static_cast<double>(by) / static_cast<double>(good.size()));
          }
        }
      }
      row.targets.push_back(summary);
    }
    if (!targets.empty() && !good.empty())
      row.all_targets_probability =
          static_cast<double>(std::count(all_met.begin(), all_met.end(), 1)) / static_cast<double>(good.size());
    row.note = growth_note(input, good, row.area_m2_by_year, table.years, plan_start);
    table.rows.push_back(std::move(row));
  }
  return table;
}

// ------------------------------------------------------------------------------- text output

namespace {

std::string spread_text(const std::optional<Spread>& s, double scale, int decimals) {
  if (!s) return "n/a";
  // "median [p05, p95]": a comma, so that negative bounds read as such ([-421.96, -421.90]).
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", s->median * scale, decimals, s->p05 * scale, decimals,
                     s->p95 * scale, decimals);
}

// A climate delta with its sign: "+0", "+1.5", "-5".
std::string delta_text(double d) { return fmt::format("{:+g}", d); }

std::string first_year_text(const Target& t, std::int64_t y) {
  if (t.statistic == Statistic::trend) return "-";
  if (y == kNeverYear) return "never";
  if (y == kNoFirstYear) return "n/a";
  return std::to_string(y);
}

}  // namespace

std::string format_table(const VerificationTable& table) {
  std::string out = fmt::format(
      "Verification: annual means in {}, median [5-95 %] over successful members (type 7 quantiles);\n"
      "P = fraction of successful members meeting the target; first = median first year met and kept\n"
      "to the end of the run ('never' when the median member never does). One row per measure\n"
      "combination and climate delta: dT = added air temperature [degC], dP = change of\n"
      "precipitation [%] of the generated weather; members = climate x parameter members.\n",
      table.report_year);
  for (const auto& t : table.targets) {
    switch (t.statistic) {
      case Statistic::trend:
        out += fmt::format("  {}: least-squares trend of annual {} over {}..{} {} {} {}", t.name, t.quantity, t.from,
                           t.to, t.operator_text(), t.value_as_given, t.unit);
        break;
      case Statistic::every_year:
        out += fmt::format("  {}: annual {} {} {} {} in every year {}..{}", t.name, t.quantity, t.operator_text(),
                           t.value_as_given, t.unit, t.from, t.to);
        break;
      case Statistic::in_year:
        out += fmt::format("  {}: annual {} {} {} {} in {}", t.name, t.quantity, t.operator_text(), t.value_as_given,
                           t.unit, t.to);
        break;
    }
    if (t.statistic != Statistic::trend) out += fmt::format("; first year searched from {}", t.first_year_from);
    out += t.source.empty() ? "\n" : fmt::format(" ({})\n", t.source);
  }
  out += "\n";

  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header = {"scenario", "dT C", "dP %", "runs", "failed", fmt::format("area {} km2", table.report_year),
                                     fmt::format("level {} m", table.report_year),
                                     fmt::format("TDS {} g/L", table.report_year)};
  for (const auto& t : table.targets) {
    header.push_back(t.name + " P");
    if (t.statistic != Statistic::trend) header.push_back(t.name + " first");
  }
  const bool joint = table.targets.size() > 1;
  if (joint) header.push_back("all P");
  cells.push_back(header);
  for (const auto& row : table.rows) {
    std::vector<std::string> c = {row.scenario, delta_text(row.delta_t_C), delta_text(row.delta_p_pct),
                                  std::to_string(row.runs), std::to_string(row.failed_runs),
                                  spread_text(row.area_m2, 1e-6, 1), spread_text(row.level_m, 1.0, 2),
                                  spread_text(row.tds_g_per_L, 1.0, 2)};
    for (std::size_t t = 0; t < table.targets.size(); ++t) {
      const auto& s = row.targets.at(t);
      c.push_back(s.probability ? fmt::format("{:.2f}", *s.probability) : "n/a");
      if (table.targets[t].statistic != Statistic::trend)
        c.push_back(first_year_text(table.targets[t], s.first_year_median));
    }
    if (joint) c.push_back(row.all_targets_probability ? fmt::format("{:.2f}", *row.all_targets_probability) : "n/a");
    cells.push_back(std::move(c));
  }
  out += fixed_width_table(cells);
  bool noted = false;
  for (const auto& row : table.rows) {
    if (row.note.empty()) continue;
    if (!noted) out += "\nNotes (lakes larger after the plan starts than ever before it, and the water that makes them so):\n";
    noted = true;
    out += fmt::format("  {} (dT {}, dP {}): {}\n", row.scenario, delta_text(row.delta_t_C), delta_text(row.delta_p_pct), row.note);
  }
  return out;
}

void require_by_year(const VerificationTable& table) {
  const bool any = std::any_of(table.rows.begin(), table.rows.end(), [](const ScenarioRow& r) { return !r.area_m2_by_year.empty(); });
  if (table.years.empty() || !any)
    throw VerificationError(
        "no per-year statistics: no run succeeded, or the file was written before they existed (recompute them with "
        "--targets)");
}

namespace {

// The five per-year quantiles of one variable of `row` in year index y, scaled; "n/a" when none.
std::string quantiles_text(const std::vector<double>& v, std::size_t ny, std::size_t y, double scale, int decimals) {
  if (v.empty()) return "n/a";
  std::string out;
  for (std::size_t q = 0; q < kQuantileProbabilities.size(); ++q)
    out += fmt::format("{}{:.{}f}", q == 0 ? "" : " ", v[q * ny + y] * scale, decimals);
  return out;
}

}  // namespace

std::string format_by_year(const VerificationTable& table, const std::vector<int>& years) {
  require_by_year(table);
  std::vector<std::size_t> at;
  for (const int y : years) {
    const long i = index_of(table.years, y);
    if (i < 0)
      throw std::invalid_argument(fmt::format("year {} is outside the annual axis {}..{}", y, table.years.front(), table.years.back()));
    at.push_back(static_cast<std::size_t>(i));
  }
  const std::size_t ny = table.years.size();
  std::string out =
      "Per year: annual means, quantiles 5 25 50 75 95 % over successful members (type 7); by Y = fraction of\n"
      "successful members whose first year met (kept to the end of the run) is Y or earlier.\n\n";
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header = {"scenario", "dT C", "dP %", "year", "area km2 (5 25 50 75 95 %)", "level m",
                                     "TDS g/L"};
  for (const auto& t : table.targets)
    if (t.statistic != Statistic::trend) header.push_back(t.name + " by Y");
  cells.push_back(header);
  for (const auto& row : table.rows)
    for (const std::size_t y : at) {
      std::vector<std::string> c = {row.scenario, delta_text(row.delta_t_C), delta_text(row.delta_p_pct),
                                    std::to_string(table.years[y]), quantiles_text(row.area_m2_by_year, ny, y, 1e-6, 1),
                                    quantiles_text(row.level_m_by_year, ny, y, 1.0, 2),
                                    quantiles_text(row.tds_g_per_L_by_year, ny, y, 1.0, 2)};
      for (std::size_t t = 0; t < table.targets.size(); ++t) {
        if (table.targets[t].statistic == Statistic::trend) continue;
        const auto& m = row.targets.at(t).met_by_year;
        c.push_back(m.size() == ny ? fmt::format("{:.2f}", m[y]) : "n/a");
      }
      cells.push_back(std::move(c));
    }
  return out + fixed_width_table(cells);
}

}  // namespace daihai::analysis
