#include "io/result_sink_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "model/binner.hpp"

namespace daihai::io {

// Sets the run extent of every [run, ...] dataset; datasets created later start at `capacity`.
void ResultSink::State::resize(hsize_t rows) {
  for (Dataset* d : extendable) {
    auto dims = d->dims();
    dims[0] = rows;
    d->extend(dims);
  }
  capacity = rows;
}

const std::string& ResultSink::State::path(const Dataset& d) {
  auto it = paths.find(d.id());
  if (it == paths.end()) it = paths.emplace(d.id(), path_of(d)).first;
  return it->second;
}

void ResultSink::State::put_string(Dataset& d, const std::string& text, hsize_t index) {
  digest += row_hash(path(d), index, text.data(), text.size());
  if (parallel) {  // written by rank 0 at the next checkpoint
    pending_text.push_back({path(d), index, text});
    return;
  }
  d.write_slab(std::vector<std::string>{text}, index);
}

void ResultSink::State::detach() {
  paths.clear();
  extendable.clear();
  run_scales.clear();
  series_groups.clear();
  measure_names.clear();
  measure_ds.clear();
  design_names.clear();
  design_ds.clear();
  for (Dataset* d : {&scenario_ds, &status_ds, &error_ds, &climate_ds, &parameter_ds, &delta_t_ds, &delta_p_ds, &branch_ds, &water_ds,
                     &salt_ds, &steps_ds, &rejected_ds, &year_scale})
    *d = Dataset{};
  years.clear();
  initial_names.clear();
  final_names.clear();
  annual_names.clear();
  initial_ds.clear();
  final_ds.clear();
  annual_ds.clear();
  for (Group* g : {&g_runs, &g_initial, &g_final, &g_annual, &g_series, &g_balance}) *g = Group{};
  have_axes = false;
  capacity = 0;
}

Dataset ResultSink::State::run_scale(Group& g) {
  DatasetOptions o{.chunk = {kRunChunk}, .max_dims = {kUnlimited}, .deflate = 0, .shuffle = false, .coordinate = true};
  auto ds = g.create_int64("run", {capacity}, o, 0);
  ds.make_scale("run");
  set_meta(ds, "1", "run index (row of the /runs tables)");
  return ds;
}

Dataset ResultSink::State::one_d(Group& g, const std::string& name, char kind, const std::string& units, const std::string& long_name, Dataset& run) {
  DatasetOptions o{.chunk = {kRunChunk}, .max_dims = {kUnlimited}, .deflate = 0, .shuffle = false, .coordinate = false};
  Dataset ds;
  switch (kind) {
    case 'd': ds = g.create_float64(name, {capacity}, o, hdf5::kFillDouble); break;
    case 'l': ds = g.create_int64(name, {capacity}, o, hdf5::kFillInt64); break;
    case 'b': ds = g.create_int8(name, {capacity}, o, hdf5::kFillInt8); break;
    default: ds = g.create_string_dataset(name, capacity, o); break;
  }
  set_meta(ds, units, long_name);
  ds.attach_scale(run, 0);
  return ds;
}

// Resolutions that some variable's series uses, monthly first.
std::vector<SeriesResolution> ResultSink::State::used_resolutions() const {
  std::set<SeriesResolution> used;
  if (options.output.defaults.resolution != SeriesResolution::none) used.insert(options.output.defaults.resolution);
  for (const auto& [name, v] : options.output.variables)
    if (v.resolution != SeriesResolution::none) used.insert(v.resolution);
  std::vector<SeriesResolution> out;
  for (auto r : {SeriesResolution::monthly, SeriesResolution::daily})
    if (used.count(r)) out.push_back(r);
  return out;
}

void ResultSink::State::create_groups() {
  auto& root = file;
  g_runs = root.create_group("runs");
  g_initial = root.create_group("initial");
  g_final = root.create_group("final");
  g_annual = root.create_group("annual");
  g_series = root.create_group("series");
  g_balance = root.create_group("balance");
  for (Group* g : {&g_runs, &g_initial, &g_final, &g_annual, &g_balance}) run_scales.push_back(run_scale(*g));
  for (auto r : used_resolutions()) {
    SeriesGroup sg;
    sg.resolution = r;
    sg.group = g_series.create_group(to_string(r));
    sg.run_scale = run_scale(sg.group);
    series_groups.push_back(std::move(sg));
  }

  Dataset& rr = run_scales[0];
  scenario_ds = one_d(g_runs, "scenario", 's', "1", "scenario name (measure combination)", rr);
  climate_ds = one_d(g_runs, "climate_member", 'l', "1", "climate ensemble member", rr);
  parameter_ds = one_d(g_runs, "parameter_member", 'l', "1", "parameter ensemble member", rr);
  delta_t_ds = one_d(g_runs, "delta_t_C", 'd', "K",
                     "climate-change shift of air temperature applied to the generated weather (a difference: K = degC)", rr);
  delta_p_ds = one_d(g_runs, "delta_p_pct", 'd', "percent",
                     "climate-change change of precipitation amounts applied to the generated weather", rr);
  branch_ds = one_d(g_runs, "branch_date", 's', "1",
                    "day the run branched from the history it shares with the other runs of its member (YYYY-MM-DD; empty: no branch)", rr);
  status_ds = one_d(g_runs, "status", 'b', "1", "run status: 0 ok, 1 failed", rr);
  error_ds = one_d(g_runs, "error", 's', "1", "error text of a failed run (empty when ok)", rr);

  Dataset& rb = run_scales[4];
  water_ds = one_d(g_balance, "water_residual_m3", 'd', "m3",
                   "water balance residual: change of lake and aquifer storage minus the sum of water flux totals",
                   rb);
  salt_ds = one_d(g_balance, "salt_residual_kg", 'd', "kg",
                  "salt balance residual of the basin: change of the lake's dissolved and deposited salt, the aquifer's and the fields' salt minus the sum of salt flux totals",
                  rb);
  steps_ds = one_d(g_balance, "steps", 'l', "1", "accepted integrator steps", rb);
  rejected_ds = one_d(g_balance, "rejected_steps", 'l', "1", "rejected (error-controlled) integrator steps", rb);
  register_fixed();
}

// The datasets that exist from the start, in `extendable`.
void ResultSink::State::register_fixed() {
  for (auto& sc : run_scales) extendable.push_back(&sc);
  for (auto& sg : series_groups) extendable.push_back(&sg.run_scale);
  for (Dataset* d : {&scenario_ds, &climate_ds, &parameter_ds, &delta_t_ds, &delta_p_ds, &branch_ds, &status_ds, &error_ds, &water_ds, &salt_ds,
                     &steps_ds, &rejected_ds})
    extendable.push_back(d);
}

void ResultSink::State::create_measures(const RunResult& run) {
  for (const auto& [name, on] : run.measures) {
    (void)on;
    measure_names.push_back(name);
    auto ds = one_d(g_runs, "measure_" + name, 'b', "1",
                    "measure '" + name + "' applied (1) or not (0)", run_scales[0]);
    measure_ds.push_back(std::move(ds));
  }
  for (auto& d : measure_ds) extendable.push_back(&d);
}

void ResultSink::State::create_design_values(const RunResult& run) {
  for (const auto& [name, units, value] : run.design_values) {
    (void)value;
    design_names.push_back(name);
    auto ds = one_d(g_runs, "design_" + name, 'd', units,
                    "design value '" + name + "' of the run (fill where the measure is off)", run_scales[0]);
    design_ds.push_back(std::move(ds));
  }
  for (auto& d : design_ds) extendable.push_back(&d);
}

std::string cell_methods(const char* axis_name, scenario::Aggregation aggregation) {
  if (aggregation == scenario::Aggregation::total) return fmt::format("{}: sum", axis_name);
  return fmt::format("{}: mean (interval: 1 day comment: {})", axis_name, kStateSampling);
}

// The time axis of one series group (time, time_bnds, nv).
void ResultSink::State::create_time_axis(SeriesGroup& sg) {
  const DatasetOptions coord{.chunk = {}, .max_dims = {}, .deflate = 0, .shuffle = false, .coordinate = true};
  const auto n = sg.start_day.size();
  sg.time_scale = sg.group.write("time", std::span<const std::int64_t>(sg.start_day), {n}, coord, 0);
  sg.time_scale.make_scale("time");
  set_meta(sg.time_scale, "days since 1970-01-01 00:00:00", "start of the output interval");
  sg.time_scale.set_attribute("calendar", "proleptic_gregorian");
  sg.time_scale.set_attribute("standard_name", "time");
  sg.time_scale.set_attribute("axis", "T");
  sg.time_scale.set_attribute("bounds", "time_bnds");
  const std::vector<std::int64_t> nv = {0, 1};
  sg.nv_scale = sg.group.write("nv", std::span<const std::int64_t>(nv), {2}, coord, 0);
  sg.nv_scale.make_scale("nv");
  set_meta(sg.nv_scale, "1", "index of the interval bound (0 start, 1 exclusive end)");
  std::vector<std::int64_t> bnds;
  bnds.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    bnds.push_back(sg.start_day[i]);
    bnds.push_back(sg.end_day[i] + 1);
  }
  const DatasetOptions plain{.chunk = {}, .max_dims = {}, .deflate = 0, .shuffle = false, .coordinate = false};
  sg.time_bnds = sg.group.write("time_bnds", std::span<const std::int64_t>(bnds), {n, 2}, plain, hdf5::kFillInt64);
  set_meta(sg.time_bnds, "days since 1970-01-01 00:00:00",
           "output interval bounds: [first day 00:00, day after the last day 00:00)");
  sg.time_bnds.set_attribute("calendar", "proleptic_gregorian");
  sg.time_bnds.attach_scale(sg.time_scale, 0);
  sg.time_bnds.attach_scale(sg.nv_scale, 1);
}

// The /annual year axis and each series group's time axis (empty when no run succeeded).
void ResultSink::State::create_axes(const std::string& who) {
  have_axes = true;
  std::vector<std::int64_t> y(years.begin(), years.end());
  const DatasetOptions coord{.chunk = {}, .max_dims = {}, .deflate = 0, .shuffle = false, .coordinate = true};
  year_scale = g_annual.write("year", std::span<const std::int64_t>(y), {y.size()}, coord, 0);
  year_scale.make_scale("year");
  set_meta(year_scale, "1",
           "calendar year (annual means of states and annual totals of fluxes over the part of that year "
           "inside the run period)");
  const bool daily_run = options.output.finest() == SeriesResolution::daily;
  if (daily_run)
    for (std::size_t i = 0; i < start_day.size(); ++i)
      if (start_day[i] != end_day[i])
        throw ResultError(fmt::format("{}: its series are not daily, but the output asks for daily series", who));
  for (auto& sg : series_groups) {
    if (sg.resolution == SeriesResolution::monthly && daily_run) {
      sg.aggregate = true;
      sg.bins = month_bins(start_day);
      sg.start_day = sg.bins.start;
      sg.end_day = sg.bins.end;
    } else {
      sg.start_day = start_day;
      sg.end_day = end_day;
    }
    create_time_axis(sg);
  }
}

Dataset ResultSink::State::state_dataset(Group& g, const scenario::StateValue& s, Dataset& run) {
  return one_d(g, s.name, 'd', s.units, s.long_name, run);
}

// A [run, length] dataset: chunks of row_chunk runs x `cols` intervals, deflate and shuffle as
// the output spec says, and a chunk cache holding one row block of chunks.
Dataset ResultSink::State::matrix_dataset(Group& g, const Variable& v, hsize_t length, hsize_t cols, Precision precision, Dataset& run, Dataset& axis, const char* axis_name) {
  cols = std::clamp<hsize_t>(cols, 1, std::max<hsize_t>(length, 1));
  const hsize_t rows = std::max<std::size_t>(options.row_chunk, 1);
  const std::size_t elem = precision == Precision::float32 ? 4 : 8;
  const std::size_t block = rows * std::max<hsize_t>(length, cols) * elem;
  // A zero-length axis (no years or intervals) cannot bound a chunk of length 1.
  DatasetOptions o{.chunk = {rows, cols},
                   .max_dims = {kUnlimited, length == 0 ? kUnlimited : length},
                   .deflate = options.output.deflate,
                   .shuffle = options.output.shuffle,
                   .coordinate = false,
                   .cache_bytes = row_block_cache_bytes(block)};
  auto ds = precision == Precision::float32 ? g.create_float32(v.name, {capacity, length}, o, hdf5::kFillFloat)
                                            : g.create_float64(v.name, {capacity, length}, o, hdf5::kFillDouble);
  set_meta(ds, v.units, v.long_name);
  ds.set_attribute("cell_methods", cell_methods(axis_name, v.aggregation));
  // Which balance a flux total belongs to (lake_water, aquifer_water, salt), so that the
  // balances can be closed from the file alone.
  if (!v.budget.empty()) ds.set_attribute("budget", v.budget);
  ds.attach_scale(run, 0);
  ds.attach_scale(axis, 1);
  return ds;
}

void ResultSink::State::learn_series(const RunResult& run) {
  have_series = true;
  start_day = run.series_start_day;
  end_day = run.series_end_day;
  series_names.clear();
  for (const auto& v : run.series) series_names.push_back(v.name);
}

void ResultSink::State::create_variables(const RunResult& run, const std::string& who) {
  years = run.years;
  learn_series(run);
  create_axes(who);
  for (const auto& st : run.initial) {
    initial_names.push_back(st.name);
    initial_ds.emplace(st.name, state_dataset(g_initial, st, run_scales[1]));
  }
  for (const auto& st : run.final) {
    final_names.push_back(st.name);
    final_ds.emplace(st.name, state_dataset(g_final, st, run_scales[2]));
  }
  for (const auto& v : run.annual) {
    annual_names.push_back(v.name);
    annual_ds.emplace(v.name, matrix_dataset(g_annual, v, years.size(), years.size(), Precision::float64,
                                             run_scales[3], year_scale, "year"));
  }
  for (const auto& v : run.series) {
    const VariableOutput choice = options.output.of(v.name);
    for (auto& sg : series_groups) {
      if (sg.resolution != choice.resolution) continue;
      const std::size_t cols =
          sg.resolution == SeriesResolution::daily ? options.daily_chunk : options.monthly_chunk;
      sg.ds.emplace(v.name, matrix_dataset(sg.group, v, sg.start_day.size(), cols, choice.precision, sg.run_scale,
                                           sg.time_scale, "time"));
      sg.precision[v.name] = choice.precision;
    }
  }
  for (auto* m : {&initial_ds, &final_ds, &annual_ds})
    for (auto& [name, ds] : *m) extendable.push_back(&ds);
  for (auto& sg : series_groups)
    for (auto& [name, ds] : sg.ds) extendable.push_back(&ds);
}

}  // namespace daihai::io
