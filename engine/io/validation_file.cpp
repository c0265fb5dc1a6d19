#include "io/validation_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/csv.hpp"
#include "io/result_sink.hpp"
#include "io/text_file.hpp"

namespace daihai::io {

using namespace daihai::analysis;
using analysis::AnnualSeries;
using analysis::Observation;
using analysis::SeriesVariable;

// --------------------------------------------------------------------------------- from a file

namespace {

std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out.empty() ? std::string("(none)") : out;
}

ValidationTable validate_open_file(const std::string& path, const std::vector<Observation>& observations,
                                   const std::optional<std::string>& wanted) {
  auto file = io::open_result_file(path);
  auto runs = file.open_group("runs");
  auto annual = file.open_group("annual");
  const auto scenario = io::require_dataset(runs, "/runs", "scenario", path).read_strings();
  const auto status = io::require_dataset(runs, "/runs", "status", path).read_int8();
  const std::size_t n = scenario.size();
  if (status.size() != n) throw core::InputError(path, 0, "/runs/status", "length differs from /runs/scenario");

  // scenario names in order of first appearance
  std::vector<std::string> names;
  for (const auto& s : scenario)
    if (std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);

  std::string chosen;
  bool by_default = !wanted.has_value();
  if (wanted) {
    if (std::find(names.begin(), names.end(), *wanted) == names.end())
      throw core::InputError(path, 0, "scenario",
                             fmt::format("no scenario '{}' in the results file; its scenarios are {}", *wanted,
                                         name_list(names)));
    chosen = *wanted;
  } else {
    // the scenario(s) of runs with every measure on that some run of the file has on (a measure
    // the batch never turns on does not count)
    std::vector<bool> all_on(n, true);
    std::vector<std::string> measures;
    for (const auto& child : runs.children()) {
      if (child.rfind("measure_", 0) != 0) continue;
      const auto on = runs.open_dataset(child).read_int8();
      if (on.size() != n) throw core::InputError(path, 0, "/runs/" + child, "length differs from /runs/scenario");
      if (std::none_of(on.begin(), on.end(), [](std::int8_t v) { return v == 1; })) continue;
      measures.push_back(child.substr(8));
      for (std::size_t r = 0; r < n; ++r) all_on[r] = all_on[r] && on[r] == 1;
    }
    std::vector<std::string> candidates;
    for (std::size_t r = 0; r < n; ++r)
      if (all_on[r] && std::find(candidates.begin(), candidates.end(), scenario[r]) == candidates.end())
        candidates.push_back(scenario[r]);
    if (candidates.empty())
      throw core::InputError(path, 0, "scenario",
                             fmt::format("no scenario has every measure on ({}); name one with --scenario: {}",
                                         measures.empty() ? std::string("no /runs/measure_* datasets")
                                                          : "measures " + name_list(measures),
                                         name_list(names)));
    if (candidates.size() > 1)
      throw core::InputError(path, 0, "scenario",
                             fmt::format("several scenarios have every measure on ({}); name one with --scenario",
                                         name_list(candidates)));
    chosen = candidates.front();
  }

  // the variables the observations need
  std::set<SeriesVariable> needed;
  for (const auto& o : observations)
    for (const auto v : analysis::inputs_of(o.kind)) needed.insert(v);

  const auto years64 = io::require_dataset(annual, "/annual", "year", path).read_int64();
  const std::vector<int> years(years64.begin(), years64.end());
  const std::size_t ny = years.size();

  // Observations are of the past's climate: runs under a climate delta are not compared (files
  // written before the delta axis have no deltas: every run counts).
  std::vector<bool> no_delta(n, true);
  if (runs.exists("delta_t_C") && runs.exists("delta_p_pct")) {
    const auto dt = runs.open_dataset("delta_t_C").read_double();
    const auto dp = runs.open_dataset("delta_p_pct").read_double();
    if (dt.size() != n || dp.size() != n) throw core::InputError(path, 0, "/runs/delta_t_C", "length differs from /runs/scenario");
    for (std::size_t r = 0; r < n; ++r) no_delta[r] = dt[r] == 0.0 && dp[r] == 0.0;
  }
  bool chosen_exists = false, chosen_without_delta = false;
  for (std::size_t r = 0; r < n; ++r)
    if (scenario[r] == chosen) {
      chosen_exists = true;
      chosen_without_delta = chosen_without_delta || no_delta[r];
    }
  if (chosen_exists && !chosen_without_delta)
    throw core::InputError(path, 0, "/runs/delta_t_C",
                           fmt::format("every run of scenario '{}' has a climate delta; validation compares runs of "
                                       "the observed climate (delta_t_C = delta_p_pct = 0) with the observations",
                                       chosen));

  std::vector<std::size_t> members;
  ValidationTable table;
  for (std::size_t r = 0; r < n; ++r) {
    if (scenario[r] != chosen || !no_delta[r]) continue;
    ++table.runs;
    if (status[r] == 0) members.push_back(r);
    else ++table.failed_runs;
  }
  std::vector<AnnualSeries> series(members.size());
  for (auto& s : series) s.years = years;
  if (!members.empty()) {
    for (const auto v : needed) {
      // The sum of the variable's datasets that the file has (at least one).
      std::vector<std::string> present;
      for (const auto& name : analysis::annual_variable_names(v))
        if (annual.exists(name)) present.push_back(name);
      if (present.empty()) present.push_back(analysis::annual_variable_names(v).front());  // reported as missing below
      for (const auto& name : present) {
        auto ds = io::require_dataset(annual, "/annual", name, path);
        const auto dims = ds.dims();
        if (dims.size() != 2 || dims[0] != n || dims[1] != ny)
          throw core::InputError(path, 0, "/annual/" + name, fmt::format("shape is not [run, year] = [{}, {}]", n, ny));
        const auto values = ds.read_double();
        for (std::size_t m = 0; m < members.size(); ++m) {
          auto& dest = series[m].of(v);
          if (dest.empty()) dest.assign(ny, 0.0);
          const auto* row = values.data() + members[m] * ny;
          for (std::size_t y = 0; y < ny; ++y) {
            const double x = row[y];
            dest[y] += (x == io::hdf5::kFillDouble || !std::isfinite(x)) ? std::numeric_limits<double>::quiet_NaN() : x;
          }
        }
      }
    }
  }
  // every period on the axis (an input problem: the observation file against the results file),
  // whether or not a run succeeded
  if (!members.empty() || !years.empty()) {
    const std::string range = years.empty() ? std::string("an empty year axis")
                                            : fmt::format("the year axis {}..{}", years.front(), years.back());
    for (const auto& o : observations)
      for (int y = o.start; y <= o.end; ++y)
        if (std::find(years.begin(), years.end(), y) == years.end())
          throw core::InputError(o.file, o.line, "start",
                                 fmt::format("{} {}..{}: the year {} is outside {} of '{}'", analysis::to_string(o.kind),
                                             o.start, o.end, y, range, path));
  }
  auto computed = compute_validation(series, observations);
  computed.file = path;
  computed.scenario = chosen;
  computed.default_scenario = by_default;
  computed.runs = table.runs;
  computed.failed_runs = table.failed_runs;
  return computed;
}

}  // namespace

ValidationTable validate_file(const std::string& h5, const std::vector<Observation>& observations,
                              std::optional<std::string> scenario) {
  try {
    return validate_open_file(h5, observations, scenario);
  } catch (const io::hdf5::Hdf5Error& e) {
    throw core::InputError(h5, 0, "", std::string("not a readable daihai results file: ") + e.what());
  }
}

void write_validation_csv(const ValidationTable& table, const std::string& path) {
  std::ostringstream out;
  out << "scenario,kind,start,end,source,confidence,unit,observed,tolerance,tolerance_from_file,simulated_median,"
         "simulated_p05,simulated_p95,error,within_tolerance,members_used,members_without_value,years_skipped,"
         "observation_file,observation_line,note\n";
  for (const auto& row : table.rows) {
    const auto& o = row.observation;
    auto g = [&](double si) { return fmt::format("{:.10g}", si / o.to_si); };
    out << io::csv_quote(table.scenario) << "," << analysis::to_string(o.kind) << "," << o.start << "," << o.end << ","
        << io::csv_quote(o.source) << "," << o.confidence << "," << io::csv_quote(o.unit) << "," << g(o.value) << ","
        << g(o.tolerance) << "," << (o.tolerance_from_file ? "yes" : "no") << ",";
    if (row.simulated)
      out << g(row.simulated->median) << "," << g(row.simulated->p05) << "," << g(row.simulated->p95) << ","
          << g(row.error);
    else
      out << ",,,";
    out << "," << (row.within_tolerance ? "yes" : "no") << "," << row.members_used << "," << row.members_without_value
        << "," << row.years_skipped << "," << io::csv_quote(o.file) << "," << o.line << "," << io::csv_quote(o.note) << "\n";
  }
  io::write_text_file(path, out.str());
}

}  // namespace daihai::io
