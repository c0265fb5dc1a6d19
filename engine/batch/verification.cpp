#include "batch/verification.hpp"

#include "numerics/statistics.hpp"

#include <sstream>
#include <algorithm>
#include <cmath>

#include <limits>
#include <map>
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
  for (const auto& t : targets)
    for (int y = t.from; y <= t.to; ++y)
      if (index_of(years, y) < 0) {
        problems.push_back(fmt::format("target '{}' ({}..{}) needs the year {}, outside {}", t.name, t.from, t.to, y, range));
        break;
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
      input.climate_member.size() != n || input.parameter_member.size() != n)
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

  // scenarios in order of first appearance
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::size_t>> members;
  for (std::size_t r = 0; r < n; ++r) {
    auto [it, inserted] = members.try_emplace(input.scenario[r]);
    if (inserted) order.push_back(input.scenario[r]);
    it->second.push_back(r);
  }

  for (const auto& name : order) {
    ScenarioRow row;
    row.scenario = name;
    std::vector<std::size_t> good;
    for (const auto r : members[name]) {
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
};

const SpreadColumn kSpreadColumns[] = {
    {"area_m2", "m2", "lake area", &ScenarioRow::area_m2},
    {"level_m", "m", "lake level", &ScenarioRow::level_m},
    {"tds_g_per_L", "g/L", "total dissolved solids", &ScenarioRow::tds_g_per_L},
};

}  // namespace

void write_verification(io::hdf5::File& file, const VerificationTable& table) {
  using io::hdf5::Dataset;
  auto g = file.create_group("verification");
  const hsize_t n = table.rows.size();
  std::vector<std::string> names;
  for (const auto& row : table.rows) names.push_back(row.scenario);
  auto scale = g.write("scenario", names);
  scale.make_scale("scenario");
  set_meta(scale, "1", "scenario name (measure combination); members are its climate x parameter runs");

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
      "to the end of the run ('never' when the median member never does).\n",
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
  std::vector<std::string> header = {"scenario", "runs", "failed", fmt::format("area {} km2", table.report_year),
                                     fmt::format("level {} m", table.report_year),
                                     fmt::format("TDS {} g/L", table.report_year)};
  for (const auto& t : table.targets) {
    header.push_back(t.name + " P");
    if (t.statistic != Statistic::trend) header.push_back(t.name + " first");
  }
  cells.push_back(header);
  for (const auto& row : table.rows) {
    std::vector<std::string> c = {row.scenario, std::to_string(row.runs), std::to_string(row.failed_runs),
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
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& r : cells)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
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

void write_csv(const VerificationTable& table, const std::string& path) {
  std::ostringstream out;
  out << "scenario,runs,failed_runs,report_year";
  for (const char* q : {"area_km2", "level_m", "tds_g_per_L"})
    out << fmt::format(",{0}_median,{0}_p05,{0}_p95", q);
  for (const auto& t : table.targets) {
    out << "," << t.name << "_probability";
    if (t.statistic != Statistic::trend) out << "," << t.name << "_first_year_median";
  }
  out << "\n";
  for (const auto& row : table.rows) {
    out << io::csv_quote(row.scenario) << "," << row.runs << "," << row.failed_runs << "," << table.report_year;
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

}  // namespace daihai::batch
