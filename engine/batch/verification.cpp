#include "batch/verification.hpp"

#include "numerics/statistics.hpp"

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

namespace daihai::batch {

using io::Statistic;
using io::Target;

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

std::string si_unit(const Target& t) {
  std::string u = t.quantity == kAreaVariable ? "m2" : t.quantity == kLevelVariable ? "m" : "g/L";
  return t.statistic == Statistic::trend ? u + "/a" : u;
}

std::optional<Spread> spread(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  return Spread{quantile_type7(v, 0.5), quantile_type7(v, 0.05), quantile_type7(v, 0.95)};
}

}  // namespace

// ------------------------------------------------------------------------------ input builder

void VerificationInput::add(const scenario::RunResult& run) {
  const std::size_t index = scenario.size();
  std::vector<double> area, level, tds;
  if (run.ok) {
    const bool first_ok = std::none_of(ok.begin(), ok.end(), [](bool b) { return b; });
    if (first_ok) {
      years = run.years;
    } else if (run.years != years) {
      throw VerificationError(fmt::format("run {} (scenario '{}'): its year axis differs from the earlier runs'", index,
                                          run.scenario));
    }
    for (const auto& v : run.annual) {
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
    return numerics::least_squares_slope(x, values);
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
  const bool ge = target.comparison == io::Comparison::greater_equal;
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
  if (any_ok) {
    const auto problems = coverage_problems(input.years, targets, options);
    if (!problems.empty()) {
      std::string message = "cannot verify: " + problems.front();
      for (std::size_t i = 1; i < problems.size(); ++i) message += "; " + problems[i];
      throw VerificationError(message);
    }
  }
  const long report = index_of(input.years, options.report_year);

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

    for (const auto& target : targets) {
      TargetSummary summary;
      if (!good.empty()) {
        std::size_t met = 0;
        std::vector<double> first;
        for (const auto r : good) {
          const auto outcome = evaluate_target(target, input.years, need(target.quantity.c_str(), r));
          if (outcome.met) ++met;
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
    table.rows.push_back(std::move(row));
  }
  return table;
}

// --------------------------------------------------------------------------------- HDF5 I/O

namespace {

void set_meta(io::hdf5::Object& obj, const std::string& units, const std::string& long_name) {
  obj.set_attribute("units", units);
  obj.set_attribute("long_name", long_name);
}

struct SpreadColumn {
  const char* prefix;
  const char* units;
  const char* what;
  std::optional<Spread> ScenarioRow::*member;
  std::vector<double> ScenarioRow::*by_year;
};

const SpreadColumn kSpreadColumns[] = {
    {"area_m2", "m2", "lake area", &ScenarioRow::area_m2, &ScenarioRow::area_m2_by_year},
    {"level_m", "m", "lake level", &ScenarioRow::level_m, &ScenarioRow::level_m_by_year},
    {"tds_g_per_L", "g/L", "total dissolved solids", &ScenarioRow::tds_g_per_L, &ScenarioRow::tds_g_per_L_by_year},
};

// The per-year statistics as `by_year` of the verification group `g`: its own coordinates
// `scenario`, `quantile` and `year` (so the group opens on its own in netCDF tools), the deltas,
// the quantiles [scenario, quantile, year] and the probabilities met by year [scenario, year].
// Nothing is written when no run succeeded (no year axis).
void write_by_year(io::hdf5::Group& g, const VerificationTable& table, const std::vector<double>& dt,
                   const std::vector<double>& dp) {
  if (table.years.empty()) return;
  auto b = g.create_group("by_year");
  const hsize_t n = table.rows.size(), nq = kQuantileProbabilities.size(), ny = table.years.size();
  const io::hdf5::DatasetOptions coord{.chunk = {}, .max_dims = {}, .deflate = 0, .shuffle = false, .coordinate = true};
  std::vector<std::string> names;
  for (const auto& row : table.rows) names.push_back(row.scenario);
  auto s_scale = b.write("scenario", names);
  s_scale.make_scale("scenario");
  set_meta(s_scale, "1", "scenario name (measure combination; with delta_t_C and delta_p_pct the scenario)");
  const std::vector<double> qs(kQuantileProbabilities.begin(), kQuantileProbabilities.end());
  auto q_scale = b.write("quantile", std::span<const double>(qs), {nq}, coord, 0.0);
  q_scale.make_scale("quantile");
  set_meta(q_scale, "1", "probability of the quantile (Hyndman-Fan type 7 over successful members)");
  const std::vector<std::int64_t> ys(table.years.begin(), table.years.end());
  auto y_scale = b.write("year", std::span<const std::int64_t>(ys), {ny}, coord, 0);
  y_scale.make_scale("year");
  set_meta(y_scale, "1", "calendar year of the annual axis");
  for (auto [name, v, units, text] :
       {std::tuple{"delta_t_C", &dt, "K", "climate delta of air temperature of the scenario (a difference: K = degC)"},
        std::tuple{"delta_p_pct", &dp, "percent", "climate delta of precipitation amounts of the scenario"}}) {
    auto ds = b.write(name, std::span<const double>(*v), {n}, {}, io::hdf5::kFillDouble);
    set_meta(ds, units, text);
    ds.attach_scale(s_scale, 0);
  }
  for (const auto& col : kSpreadColumns) {
    std::vector<double> v(n * nq * ny, io::hdf5::kFillDouble);
    for (std::size_t r = 0; r < n; ++r) {
      const auto& src = table.rows[r].*(col.by_year);
      if (src.size() == nq * ny) std::copy(src.begin(), src.end(), v.begin() + static_cast<long>(r * nq * ny));
    }
    auto ds = b.write(col.prefix, std::span<const double>(v), {n, nq, ny}, {}, io::hdf5::kFillDouble);
    set_meta(ds, col.units, fmt::format("{} (annual mean): quantiles over the scenario's successful members", col.what));
    ds.set_attribute("quantile_method", "Hyndman-Fan type 7 (linear interpolation between order statistics)");
    ds.attach_scale(s_scale, 0);
    ds.attach_scale(q_scale, 1);
    ds.attach_scale(y_scale, 2);
  }
  for (std::size_t t = 0; t < table.targets.size(); ++t) {
    const auto& target = table.targets[t];
    if (target.statistic == Statistic::trend) continue;
    std::vector<double> v(n * ny, io::hdf5::kFillDouble);
    for (std::size_t r = 0; r < n; ++r) {
      const auto& src = table.rows[r].targets.at(t).met_by_year;
      if (src.size() == ny) std::copy(src.begin(), src.end(), v.begin() + static_cast<long>(r * ny));
    }
    auto ds = b.write(target.name + "_met_by_year", std::span<const double>(v), {n, ny}, {}, io::hdf5::kFillDouble);
    set_meta(ds, "1",
             fmt::format("fraction of successful members whose first year meeting target '{}' (sustained) is at or "
                         "before the year",
                         target.name));
    ds.set_attribute("target", target.name);
    ds.attach_scale(s_scale, 0);
    ds.attach_scale(y_scale, 1);
  }
}

}  // namespace

void write_verification(io::hdf5::File& file, const VerificationTable& table) {
  using io::hdf5::Dataset;
  auto g = file.create_group("verification");
  const hsize_t n = table.rows.size();
  std::vector<std::string> names;
  for (const auto& row : table.rows) names.push_back(row.scenario);
  auto scale = g.write("scenario", names);
  scale.make_scale("scenario");
  set_meta(scale, "1",
           "scenario name (measure combination); a scenario is a measure combination under one climate delta "
           "(delta_t_C, delta_p_pct), its members are its climate x parameter runs");

  g.set_attribute("report_year", static_cast<std::int64_t>(table.report_year));
  std::vector<std::string> target_names;
  for (const auto& t : table.targets) target_names.push_back(t.name);
  g.set_attribute("target_names", target_names);
  g.set_attribute("quantile_method",
                  "Hyndman-Fan type 7 (linear interpolation between order statistics) over successful members");
  g.set_attribute("first_year_definition",
                  "first year Y >= first_year_from in which the condition holds in Y and every later year of the run "
                  "(sustained); median over members with never = +infinity, a half year rounded up");
  g.set_attribute("never_value", kNeverYear);

  auto ints = [&](const std::string& name, const std::vector<std::int64_t>& v, const std::string& units,
                  const std::string& long_name) {
    auto ds = g.write(name, std::span<const std::int64_t>(v), {n}, {}, io::hdf5::kFillInt64);
    set_meta(ds, units, long_name);
    ds.attach_scale(scale, 0);
    return ds;
  };
  auto doubles = [&](const std::string& name, const std::vector<double>& v, const std::string& units,
                     const std::string& long_name) {
    auto ds = g.write(name, std::span<const double>(v), {n}, {}, io::hdf5::kFillDouble);
    set_meta(ds, units, long_name);
    ds.attach_scale(scale, 0);
    return ds;
  };

  std::vector<std::int64_t> runs, failed;
  for (const auto& row : table.rows) {
    runs.push_back(row.runs);
    failed.push_back(row.failed_runs);
  }
  ints("runs", runs, "1", "runs of the scenario, failed ones included");
  ints("failed_runs", failed, "1", "failed runs of the scenario (excluded from the statistics)");
  std::vector<double> dt, dp;
  for (const auto& row : table.rows) {
    dt.push_back(row.delta_t_C);
    dp.push_back(row.delta_p_pct);
  }
  doubles("delta_t_C", dt, "K", "climate delta of air temperature of the scenario (a difference: K = degC)");
  doubles("delta_p_pct", dp, "percent", "climate delta of precipitation amounts of the scenario");

  for (const auto& col : kSpreadColumns) {
    for (const auto& [suffix, text] : {std::pair{"median", "median"}, std::pair{"p05", "5 % quantile"},
                                       std::pair{"p95", "95 % quantile"}}) {
      std::vector<double> v;
      for (const auto& row : table.rows) {
        const auto& s = row.*(col.member);
        const double x = !s ? io::hdf5::kFillDouble
                         : std::string(suffix) == "median" ? s->median
                         : std::string(suffix) == "p05"    ? s->p05
                                                           : s->p95;
        v.push_back(x);
      }
      doubles(fmt::format("{}_{}", col.prefix, suffix), v, col.units,
              fmt::format("{} in {} (annual mean), {} over members", col.what, table.report_year, text));
    }
  }

  for (std::size_t t = 0; t < table.targets.size(); ++t) {
    const auto& target = table.targets[t];
    std::vector<double> p;
    for (const auto& row : table.rows) p.push_back(row.targets.at(t).probability.value_or(io::hdf5::kFillDouble));
    auto ds = doubles(target.name + "_probability", p, "1",
                      fmt::format("fraction of successful members meeting target '{}'", target.name));
    ds.set_attribute("target", target.name);
    ds.set_attribute("quantity", target.quantity);
    ds.set_attribute("statistic", io::to_string(target.statistic));
    ds.set_attribute("operator", target.operator_text());
    ds.set_attribute("value", target.value);
    ds.set_attribute("value_units", si_unit(target));
    ds.set_attribute("value_as_given", target.value_as_given);
    ds.set_attribute("unit_as_given", target.unit);
    ds.set_attribute("from", static_cast<std::int64_t>(target.from));
    ds.set_attribute("to", static_cast<std::int64_t>(target.to));
    ds.set_attribute("first_year_from", static_cast<std::int64_t>(target.first_year_from));
    ds.set_attribute("source", target.source);
    ds.set_attribute("note", target.note);
    if (target.statistic == Statistic::trend) continue;
    std::vector<std::int64_t> y;
    for (const auto& row : table.rows) y.push_back(row.targets.at(t).first_year_median);
    auto fy = ints(target.name + "_first_year_median", y, "1",
                   fmt::format("median first year target '{}' is met (sustained); {} = never", target.name, kNeverYear));
    fy.set_attribute("never_value", kNeverYear);
  }
  write_by_year(g, table, dt, dp);
}

void write_verification(io::ResultSink& sink, const VerificationTable& table) { write_verification(sink.file(), table); }

VerificationTable read_verification(const std::string& path) {
  auto file = io::open_result_file(path);
  if (!file.exists("verification"))
    throw core::InputError(path, 0, "/verification", "the results file has no verification group");
  auto g = file.open_group("verification");
  VerificationTable table;
  table.report_year = static_cast<int>(g.int_attribute("report_year"));
  const auto names = io::require_dataset(g, "/verification", "scenario", path).read_strings();
  const auto runs = io::require_dataset(g, "/verification", "runs", path).read_int64();
  const auto failed = io::require_dataset(g, "/verification", "failed_runs", path).read_int64();
  table.rows.resize(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    table.rows[i].scenario = names[i];
    table.rows[i].runs = runs.at(i);
    table.rows[i].failed_runs = failed.at(i);
  }
  for (const auto& col : kSpreadColumns) {
    const auto med = io::require_dataset(g, "/verification", fmt::format("{}_median", col.prefix), path).read_double();
    const auto p05 = io::require_dataset(g, "/verification", fmt::format("{}_p05", col.prefix), path).read_double();
    const auto p95 = io::require_dataset(g, "/verification", fmt::format("{}_p95", col.prefix), path).read_double();
    for (std::size_t i = 0; i < names.size(); ++i)
      if (med.at(i) != io::hdf5::kFillDouble) table.rows[i].*(col.member) = Spread{med[i], p05.at(i), p95.at(i)};
  }
  // target names, in order, from the group's attribute (1-D string array)
  const auto target_names = g.string_array_attribute("target_names");
  for (const auto& name : target_names) {
    auto ds = io::require_dataset(g, "/verification", name + "_probability", path);
    Target t;
    t.name = name;
    t.quantity = ds.string_attribute("quantity");
    const auto stat = ds.string_attribute("statistic");
    t.statistic = stat == "trend" ? Statistic::trend : stat == "in_year" ? Statistic::in_year : Statistic::every_year;
    t.comparison = ds.string_attribute("operator") == "<=" ? io::Comparison::less_equal : io::Comparison::greater_equal;
    t.value = ds.double_attribute("value");
    t.value_as_given = ds.double_attribute("value_as_given");
    t.unit = ds.string_attribute("unit_as_given");
    t.from = static_cast<int>(ds.int_attribute("from"));
    t.to = static_cast<int>(ds.int_attribute("to"));
    t.first_year_from = static_cast<int>(ds.int_attribute("first_year_from"));
    t.source = ds.string_attribute("source");
    t.note = ds.string_attribute("note");
    t.file = path;
    const auto p = ds.read_double();
    std::vector<std::int64_t> first(names.size(), kNoFirstYear);
    if (t.statistic != Statistic::trend)
      first = io::require_dataset(g, "/verification", name + "_first_year_median", path).read_int64();
    for (std::size_t i = 0; i < names.size(); ++i) {
      TargetSummary s;
      if (p.at(i) != io::hdf5::kFillDouble) s.probability = p[i];
      s.first_year_median = first.at(i);
      table.rows[i].targets.push_back(s);
    }
    table.targets.push_back(std::move(t));
  }
  // Deltas and per-year statistics; files written before they existed have neither (delta 0).
  if (g.exists("delta_t_C") && g.exists("delta_p_pct")) {
    const auto dt = g.open_dataset("delta_t_C").read_double();
    const auto dp = g.open_dataset("delta_p_pct").read_double();
    for (std::size_t i = 0; i < names.size(); ++i) {
      table.rows[i].delta_t_C = dt.at(i);
      table.rows[i].delta_p_pct = dp.at(i);
    }
  }
  if (g.exists("by_year")) {
    auto b = g.open_group("by_year");
    const auto years = io::require_dataset(b, "/verification/by_year", "year", path).read_int64();
    table.years.assign(years.begin(), years.end());
    const std::size_t ny = years.size(), nq = kQuantileProbabilities.size(), n = names.size();
    for (const auto& col : kSpreadColumns) {
      auto ds = io::require_dataset(b, "/verification/by_year", col.prefix, path);
      if (ds.dims() != std::vector<hsize_t>{n, nq, ny})
        throw core::InputError(path, 0, std::string("/verification/by_year/") + col.prefix, "shape is not [scenario, quantile, year]");
      const auto v = ds.read_double();
      for (std::size_t r = 0; r < n; ++r) {
        const auto first = v.begin() + static_cast<long>(r * nq * ny);
        if (*first != io::hdf5::kFillDouble) (table.rows[r].*(col.by_year)).assign(first, first + static_cast<long>(nq * ny));
      }
    }
    for (std::size_t t = 0; t < table.targets.size(); ++t) {
      if (table.targets[t].statistic == Statistic::trend) continue;
      const std::string name = table.targets[t].name + "_met_by_year";
      auto ds = io::require_dataset(b, "/verification/by_year", name, path);
      if (ds.dims() != std::vector<hsize_t>{n, ny})
        throw core::InputError(path, 0, "/verification/by_year/" + name, "shape is not [scenario, year]");
      const auto v = ds.read_double();
      for (std::size_t r = 0; r < n; ++r) {
        const auto first = v.begin() + static_cast<long>(r * ny);
        if (*first != io::hdf5::kFillDouble) table.rows[r].targets[t].met_by_year.assign(first, first + static_cast<long>(ny));
      }
    }
  }
  return table;
}

VerificationTable verify_file(const std::string& path, const std::vector<Target>& targets,
                              const VerificationOptions& options) {
  auto file = io::open_result_file(path);
  auto runs = file.open_group("runs");
  auto annual = file.open_group("annual");
  VerificationInput in;
  in.scenario = io::require_dataset(runs, "/runs", "scenario", path).read_strings();
  const auto status = io::require_dataset(runs, "/runs", "status", path).read_int8();
  const auto climate = io::require_dataset(runs, "/runs", "climate_member", path).read_int64();
  const auto parameter = io::require_dataset(runs, "/runs", "parameter_member", path).read_int64();
  const auto years = io::require_dataset(annual, "/annual", "year", path).read_int64();
  const std::size_t n = in.scenario.size();
  if (status.size() != n || climate.size() != n || parameter.size() != n)
    throw core::InputError(path, 0, "/runs", "datasets of different lengths");
  in.years.assign(years.begin(), years.end());
  // Climate deltas: files written before the delta axis existed have none (delta 0).
  in.delta_t_C.assign(n, 0.0);
  in.delta_p_pct.assign(n, 0.0);
  if (runs.exists("delta_t_C") || runs.exists("delta_p_pct")) {
    in.delta_t_C = io::require_dataset(runs, "/runs", "delta_t_C", path).read_double();
    in.delta_p_pct = io::require_dataset(runs, "/runs", "delta_p_pct", path).read_double();
    if (in.delta_t_C.size() != n || in.delta_p_pct.size() != n)
      throw core::InputError(path, 0, "/runs", "datasets of different lengths");
  }
  for (std::size_t r = 0; r < n; ++r) {
    in.ok.push_back(status[r] == 0);
    in.climate_member.push_back(static_cast<int>(climate[r]));
    in.parameter_member.push_back(static_cast<int>(parameter[r]));
  }
  const bool any_ok = std::any_of(in.ok.begin(), in.ok.end(), [](bool b) { return b; });
  const std::size_t ny = in.years.size();
  for (auto [name, dest] : {std::pair{kAreaVariable, &in.area_m2}, std::pair{kLevelVariable, &in.level_m},
                            std::pair{kTdsVariable, &in.tds_g_per_L}}) {
    dest->assign(n, {});
    if (!any_ok) continue;
    auto ds = io::require_dataset(annual, "/annual", name, path);
    const auto dims = ds.dims();
    if (dims.size() != 2 || dims[0] != n || dims[1] != ny)
      throw core::InputError(path, 0, std::string("/annual/") + name, "shape is not [run, year]");
    const auto values = ds.read_double();
    for (std::size_t r = 0; r < n; ++r)
      if (in.ok[r]) (*dest)[r].assign(values.begin() + static_cast<long>(r * ny), values.begin() + static_cast<long>((r + 1) * ny));
  }
  return compute_verification(in, targets, options);
}

// ------------------------------------------------------------------------------- text output

namespace {

std::string spread_text(const std::optional<Spread>& s, double scale, int decimals) {
  if (!s) return "n/a";
  return fmt::format("{:.{}f} [{:.{}f}-{:.{}f}]", s->median * scale, decimals, s->p05 * scale, decimals,
                     s->p95 * scale, decimals);
}

// A climate delta with its sign: "+0", "+1.5", "-5".
std::string delta_text(double d) { return fmt::format("{:+g}", d); }

// Left-aligned first column, right-aligned others, a rule under the header row.
std::string fixed_width(const std::vector<std::vector<std::string>>& cells) {
  std::vector<std::size_t> width;
  for (const auto& r : cells) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    std::string line;
    for (std::size_t i = 0; i < cells[k].size(); ++i) {
      if (i > 0) line += "  ";
      line += i == 0 ? fmt::format("{:<{}}", cells[k][i], width[i]) : fmt::format("{:>{}}", cells[k][i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (k == 0) out += std::string(line.size(), '-') + "\n";
  }
  return out;
}

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
    cells.push_back(std::move(c));
  }
  return out + fixed_width(cells);
}

void write_csv(const VerificationTable& table, const std::string& path) {
  std::ostringstream out;
  out << "scenario,delta_t_C,delta_p_pct,runs,failed_runs,report_year";
  for (const char* q : {"area_km2", "level_m", "tds_g_per_L"})
    out << fmt::format(",{0}_median,{0}_p05,{0}_p95", q);
  for (const auto& t : table.targets) {
    out << "," << t.name << "_probability";
    if (t.statistic != Statistic::trend) out << "," << t.name << "_first_year_median";
  }
  out << "\n";
  for (const auto& row : table.rows) {
    out << io::csv_quote(row.scenario) << fmt::format(",{:.10g},{:.10g},", row.delta_t_C, row.delta_p_pct) << row.runs << ","
        << row.failed_runs << "," << table.report_year;
    for (const auto& [s, scale] : {std::pair{&row.area_m2, 1e-6}, std::pair{&row.level_m, 1.0},
                                   std::pair{&row.tds_g_per_L, 1.0}}) {
      if (*s) out << fmt::format(",{:.10g},{:.10g},{:.10g}", (*s)->median * scale, (*s)->p05 * scale, (*s)->p95 * scale);
      else out << ",,,";
    }
    for (std::size_t t = 0; t < table.targets.size(); ++t) {
      const auto& s = row.targets.at(t);
      out << "," << (s.probability ? fmt::format("{:.10g}", *s.probability) : std::string());
      if (table.targets[t].statistic != Statistic::trend) {
        const auto y = s.first_year_median;
        out << "," << (y == kNeverYear ? std::string("never") : y == kNoFirstYear ? std::string() : std::to_string(y));
      }
    }
    out << "\n";
  }
  io::write_text_file(path, out.str());
}

namespace {

void require_by_year(const VerificationTable& table) {
  const bool any = std::any_of(table.rows.begin(), table.rows.end(), [](const ScenarioRow& r) { return !r.area_m2_by_year.empty(); });
  if (table.years.empty() || !any)
    throw VerificationError(
        "no per-year statistics: no run succeeded, or the file was written before they existed (recompute them with "
        "--targets)");
}

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
  return out + fixed_width(cells);
}

void write_by_year_csv(const VerificationTable& table, const std::string& path) {
  require_by_year(table);
  const std::size_t ny = table.years.size();
  std::ostringstream out;
  out << "scenario,delta_t_C,delta_p_pct,year";
  for (const char* q : {"area_km2", "level_m", "tds_g_per_L"})
    for (const double p : kQuantileProbabilities) out << fmt::format(",{}_p{:02.0f}", q, p * 100.0);
  for (const auto& t : table.targets)
    if (t.statistic != Statistic::trend) out << "," << t.name << "_met_by_year";
  out << "\n";
  for (const auto& row : table.rows)
    for (std::size_t y = 0; y < ny; ++y) {
      out << io::csv_quote(row.scenario) << fmt::format(",{:.10g},{:.10g},{}", row.delta_t_C, row.delta_p_pct, table.years[y]);
      for (auto [v, scale] : {std::pair{&row.area_m2_by_year, 1e-6}, std::pair{&row.level_m_by_year, 1.0},
                              std::pair{&row.tds_g_per_L_by_year, 1.0}})
        for (std::size_t q = 0; q < kQuantileProbabilities.size(); ++q)
          out << (v->empty() ? std::string(",") : fmt::format(",{:.10g}", (*v)[q * ny + y] * scale));
      for (std::size_t t = 0; t < table.targets.size(); ++t) {
        if (table.targets[t].statistic == Statistic::trend) continue;
        const auto& m = row.targets.at(t).met_by_year;
        out << (m.size() == ny ? fmt::format(",{:.10g}", m[y]) : std::string(","));
      }
      out << "\n";
    }
  io::write_text_file(path, out.str());
}

}  // namespace daihai::batch
