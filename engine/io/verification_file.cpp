#include <hdf5.h>

#include "io/verification_file.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/csv.hpp"
#include "io/text_file.hpp"

namespace daihai::io {

using namespace daihai::analysis;

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
  {
    std::vector<std::string> notes;
    for (const auto& row : table.rows) notes.push_back(row.note);
    auto ds = g.write("note", notes);
    set_meta(ds, "1",
             "empty, or: the scenario's median lake grows larger after the plan starts than in any year before it; when, how "
             "large, and the water from outside the basin then");
    ds.attach_scale(scale, 0);
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

  if (!table.targets.empty()) {
    std::vector<double> joint;
    for (const auto& row : table.rows) joint.push_back(row.all_targets_probability.value_or(io::hdf5::kFillDouble));
    doubles("all_targets_probability", joint, "1", "fraction of successful members meeting every target in the same run");
  }
  for (std::size_t t = 0; t < table.targets.size(); ++t) {
    const auto& target = table.targets[t];
    std::vector<double> p;
    for (const auto& row : table.rows) p.push_back(row.targets.at(t).probability.value_or(io::hdf5::kFillDouble));
    auto ds = doubles(target.name + "_probability", p, "1",
                      fmt::format("fraction of successful members meeting target '{}'", target.name));
    ds.set_attribute("target", target.name);
    ds.set_attribute("quantity", target.quantity);
    ds.set_attribute("statistic", analysis::to_string(target.statistic));
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
  if (g.exists("all_targets_probability")) {  // files written before it existed have none
    const auto joint = g.open_dataset("all_targets_probability").read_double();
    for (std::size_t i = 0; i < names.size() && i < joint.size(); ++i)
      if (joint[i] != io::hdf5::kFillDouble) table.rows[i].all_targets_probability = joint[i];
  }
  if (g.exists("note")) {
    const auto notes = g.open_dataset("note").read_strings();
    for (std::size_t i = 0; i < names.size() && i < notes.size(); ++i) table.rows[i].note = notes[i];
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
  return verify_file(io::open_result_file(path), path, targets, options);
}

VerificationTable verify_file(const hdf5::File& file, const std::string& path, const std::vector<Target>& targets,
                              const VerificationOptions& options) {
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
  // Water from outside the basin (analysis::is_import), for the note on lakes larger than before the plan.
  in.imports.assign(n, {});
  if (any_ok)
    for (const auto& name : annual.children()) {
      if (!analysis::is_import(name)) continue;
      auto ds = annual.open_dataset(name);
      if (ds.dims() != std::vector<hsize_t>{n, ny}) throw core::InputError(path, 0, "/annual/" + name, "shape is not [run, year]");
      const auto v = ds.read_double();
      const std::size_t k = in.import_names.size();
      in.import_names.push_back(name);
      for (std::size_t r = 0; r < n; ++r) {
        if (!in.ok[r]) continue;
        in.imports[r].resize(k + 1);
        in.imports[r][k].assign(v.begin() + static_cast<long>(r * ny), v.begin() + static_cast<long>((r + 1) * ny));
      }
    }
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

void write_csv(const VerificationTable& table, const std::string& path) {
  std::ostringstream out;
  out << "scenario,delta_t_C,delta_p_pct,runs,failed_runs,report_year";
  for (const char* q : {"area_km2", "level_m", "tds_g_per_L"})
    out << fmt::format(",{0}_median,{0}_p05,{0}_p95", q);
  for (const auto& t : table.targets) {
    out << "," << t.name << "_probability";
    if (t.statistic != Statistic::trend) out << "," << t.name << "_first_year_median";
  }
  out << ",all_targets_probability,note\n";
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
    out << "," << (row.all_targets_probability ? fmt::format("{:.10g}", *row.all_targets_probability) : std::string());
    out << "," << io::csv_quote(row.note) << "\n";
  }
  io::write_text_file(path, out.str());
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

}  // namespace daihai::io
