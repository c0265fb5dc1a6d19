#include "io/result_sink.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace daihai::io {

using hdf5::Dataset;
using hdf5::DatasetOptions;
using hdf5::Group;
using scenario::RunResult;
using scenario::Variable;

// ---------------------------------------------------------------------------------- checksums

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string file_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError(path, 0, "", "cannot open the file to compute its checksum");
  std::uint64_t h = 14695981039346656037ULL;
  char buffer[1 << 15];
  while (in) {
    in.read(buffer, sizeof buffer);
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buffer[i]);
      h *= 1099511628211ULL;
    }
  }
  if (in.bad()) throw core::InputError(path, 0, "", "read error while computing its checksum");
  return fmt::format("fnv1a64:{:016x}", h);
}

std::map<std::string, std::string> file_checksums(const std::vector<std::string>& paths) {
  std::map<std::string, std::string> out;
  for (const auto& p : paths) out[p] = file_checksum(p);
  return out;
}

// ----------------------------------------------------------------------------------- the sink

namespace {

constexpr hsize_t kUnlimited = H5S_UNLIMITED;
constexpr hsize_t kRunChunk = 1024;
const std::set<std::string> kReserved = {"run", "year", "time", "time_bnds", "nv"};

std::string utc_now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string describe(const RunResult& run, std::size_t index) {
  return fmt::format("run {} (scenario '{}', climate member {}, parameter member {}, dT {} degC, dP {} %)", index,
                     run.scenario, run.climate_member, run.parameter_member, run.delta_t_C, run.delta_p_pct);
}

void set_meta(hdf5::Object& obj, const std::string& units, const std::string& long_name) {
  obj.set_attribute("units", units);
  obj.set_attribute("long_name", long_name);
}

// A [run]-shaped or [run, n]-shaped dataset and its row length.
struct RunDataset {
  Dataset ds;
  hsize_t row = 0;  // 0 for 1-D datasets
};

}  // namespace

struct ResultSink::State {
  BatchMetadata metadata;
  SinkOptions options;
  hdf5::File file;
  std::size_t runs = 0;

  // groups
  Group g_runs, g_initial, g_final, g_annual, g_series, g_balance;
  // `run` scales, one per group, in the order of the groups above
  std::vector<Dataset> run_scales;
  // every dataset with a leading run dimension (extended on each write)
  std::vector<Dataset*> extendable;

  // /runs
  std::vector<std::string> measure_names;
  Dataset scenario_ds, status_ds, error_ds, climate_ds, parameter_ds, delta_t_ds, delta_p_ds;
  std::vector<Dataset> measure_ds;
  // /balance
  Dataset water_ds, salt_ds, steps_ds, rejected_ds;

  // from the first successful run
  bool have_axes = false;
  std::vector<int> years;
  std::vector<std::int64_t> start_day, end_day;
  Dataset year_scale, time_scale, time_bnds, nv_scale;
  std::vector<std::string> initial_names, final_names, annual_names, series_names;
  std::map<std::string, Dataset> initial_ds, final_ds, annual_ds, series_ds;

  hsize_t capacity = 0;  // current extent of the run dimension (>= runs)

  // Sets the run extent of every [run, ...] dataset; datasets created later start at `capacity`.
  void resize(hsize_t rows) {
    for (Dataset* d : extendable) {
      auto dims = d->dims();
      dims[0] = rows;
      d->extend(dims);
    }
    capacity = rows;
  }

  hsize_t row_chunk(hsize_t row_length) const {
    const hsize_t per_row = std::max<hsize_t>(1, row_length) * 8;
    return std::clamp<hsize_t>(options.target_chunk_bytes / per_row, 1, kRunChunk);
  }

  Dataset run_scale(Group& g) {
    DatasetOptions o{.chunk = {kRunChunk}, .max_dims = {kUnlimited}, .deflate = 0, .shuffle = false, .coordinate = true};
    auto ds = g.create_int64("run", {0}, o, 0);
    ds.make_scale("run");
    set_meta(ds, "1", "run index (row of the /runs tables)");
    return ds;
  }

  Dataset one_d(Group& g, const std::string& name, char kind, const std::string& units,
                const std::string& long_name, Dataset& run) {
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

  void create_groups() {
    auto& root = file;
    g_runs = root.create_group("runs");
    g_initial = root.create_group("initial");
    g_final = root.create_group("final");
    g_annual = root.create_group("annual");
    g_series = root.create_group("series");
    g_balance = root.create_group("balance");
    for (Group* g : {&g_runs, &g_initial, &g_final, &g_annual, &g_series, &g_balance})
      run_scales.push_back(run_scale(*g));

    Dataset& rr = run_scales[0];
    scenario_ds = one_d(g_runs, "scenario", 's', "1", "scenario name (measure combination)", rr);
    climate_ds = one_d(g_runs, "climate_member", 'l', "1", "climate ensemble member", rr);
    parameter_ds = one_d(g_runs, "parameter_member", 'l', "1", "parameter ensemble member", rr);
    delta_t_ds = one_d(g_runs, "delta_t_C", 'd', "K",
                       "climate-change shift of air temperature applied to the generated weather (a difference: K = degC)", rr);
    delta_p_ds = one_d(g_runs, "delta_p_pct", 'd', "percent",
                       "climate-change change of precipitation amounts applied to the generated weather", rr);
    status_ds = one_d(g_runs, "status", 'b', "1", "run status: 0 ok, 1 failed", rr);
    error_ds = one_d(g_runs, "error", 's', "1", "error text of a failed run (empty when ok)", rr);

    Dataset& rb = run_scales[5];
    water_ds = one_d(g_balance, "water_residual_m3", 'd', "m3",
                     "water balance residual: change of lake and aquifer storage minus the sum of water flux totals",
                     rb);
    salt_ds = one_d(g_balance, "salt_residual_kg", 'd', "kg",
                    "salt balance residual: change of dissolved and deposited salt minus the sum of salt flux totals",
                    rb);
    steps_ds = one_d(g_balance, "steps", 'l', "1", "accepted integrator steps", rb);
    rejected_ds = one_d(g_balance, "rejected_steps", 'l', "1", "rejected (error-controlled) integrator steps", rb);

    for (auto& s : run_scales) extendable.push_back(&s);
    for (Dataset* d : {&scenario_ds, &climate_ds, &parameter_ds, &delta_t_ds, &delta_p_ds, &status_ds, &error_ds, &water_ds, &salt_ds,
                       &steps_ds, &rejected_ds})
      extendable.push_back(d);
  }

  void create_measures(const RunResult& run) {
    for (const auto& [name, on] : run.measures) {
      (void)on;
      measure_names.push_back(name);
      auto ds = one_d(g_runs, "measure_" + name, 'b', "1",
                      "measure '" + name + "' applied (1) or not (0)", run_scales[0]);
      measure_ds.push_back(std::move(ds));
    }
    for (auto& d : measure_ds) extendable.push_back(&d);
  }

  // Year and time axes; empty when no run succeeded.
  void create_axes() {
    have_axes = true;
    std::vector<std::int64_t> y(years.begin(), years.end());
    const DatasetOptions coord{.chunk = {}, .max_dims = {}, .deflate = 0, .shuffle = false, .coordinate = true};
    year_scale = g_annual.write("year", std::span<const std::int64_t>(y), {y.size()}, coord, 0);
    year_scale.make_scale("year");
    set_meta(year_scale, "1",
             "calendar year (annual means of states and annual totals of fluxes over the part of that year "
             "inside the run period)");

    time_scale = g_series.write("time", std::span<const std::int64_t>(start_day), {start_day.size()}, coord, 0);
    time_scale.make_scale("time");
    set_meta(time_scale, "days since 1970-01-01 00:00:00", "start of the output interval");
    time_scale.set_attribute("calendar", "proleptic_gregorian");
    time_scale.set_attribute("standard_name", "time");
    time_scale.set_attribute("axis", "T");
    time_scale.set_attribute("bounds", "time_bnds");

    const std::vector<std::int64_t> nv_values = {0, 1};
    nv_scale = g_series.write("nv", std::span<const std::int64_t>(nv_values), {2}, coord, 0);
    nv_scale.make_scale("nv");
    set_meta(nv_scale, "1", "bound index: 0 interval start, 1 interval end");

    std::vector<std::int64_t> bnds;
    bnds.reserve(2 * start_day.size());
    for (std::size_t i = 0; i < start_day.size(); ++i) {
      bnds.push_back(start_day[i]);
      bnds.push_back(end_day[i] + 1);  // exclusive end: 00:00 of the day after the last day
    }
    const DatasetOptions plain{.chunk = {}, .max_dims = {}, .deflate = 0, .shuffle = false, .coordinate = false};
    time_bnds = g_series.write("time_bnds", std::span<const std::int64_t>(bnds), {start_day.size(), 2}, plain,
                               hdf5::kFillInt64);
    set_meta(time_bnds, "days since 1970-01-01 00:00:00",
             "output interval bounds: [first day 00:00, day after the last day 00:00)");
    time_bnds.set_attribute("calendar", "proleptic_gregorian");
    time_bnds.attach_scale(time_scale, 0);
    time_bnds.attach_scale(nv_scale, 1);
  }

  Dataset state_dataset(Group& g, const scenario::StateValue& s, Dataset& run) {
    return one_d(g, s.name, 'd', s.units, s.long_name, run);
  }

  Dataset matrix_dataset(Group& g, const Variable& v, hsize_t length, Dataset& run, Dataset& axis, bool series,
                         const char* axis_name) {
    const hsize_t max_cols = std::max<hsize_t>(1, options.target_chunk_bytes / 8);
    const hsize_t cols = series ? std::clamp<hsize_t>(length, 1, max_cols) : std::max<hsize_t>(length, 1);
    // A zero-length axis (no years or intervals) cannot bound a chunk of length 1.
    DatasetOptions o{.chunk = {row_chunk(cols), cols},
                     .max_dims = {kUnlimited, length == 0 ? kUnlimited : length},
                     .deflate = options.deflate,
                     .shuffle = true,
                     .coordinate = false};
    auto ds = g.create_float64(v.name, {capacity, length}, o, hdf5::kFillDouble);
    set_meta(ds, v.units, v.long_name);
    ds.set_attribute("cell_methods", fmt::format("{}: {}", axis_name,
                                                 v.aggregation == scenario::Aggregation::mean ? "mean" : "sum"));
    // Which balance a flux total belongs to (lake_water, aquifer_water, salt), so that the
    // balances can be closed from the file alone.
    if (!v.budget.empty()) ds.set_attribute("budget", v.budget);
    ds.attach_scale(run, 0);
    ds.attach_scale(axis, 1);
    return ds;
  }

  void create_variables(const RunResult& run) {
    years = run.years;
    start_day = run.series_start_day;
    end_day = run.series_end_day;
    create_axes();
    for (const auto& s : run.initial) {
      initial_names.push_back(s.name);
      initial_ds.emplace(s.name, state_dataset(g_initial, s, run_scales[1]));
    }
    for (const auto& s : run.final) {
      final_names.push_back(s.name);
      final_ds.emplace(s.name, state_dataset(g_final, s, run_scales[2]));
    }
    for (const auto& v : run.annual) {
      annual_names.push_back(v.name);
      annual_ds.emplace(v.name, matrix_dataset(g_annual, v, years.size(), run_scales[3], year_scale, false, "year"));
    }
    for (const auto& v : run.series) {
      series_names.push_back(v.name);
      series_ds.emplace(v.name,
                        matrix_dataset(g_series, v, start_day.size(), run_scales[4], time_scale, true, "time"));
    }
    for (auto* m : {&initial_ds, &final_ds, &annual_ds, &series_ds})
      for (auto& [name, ds] : *m) extendable.push_back(&ds);
  }
};

namespace {

void check_name(const std::string& name, const std::string& where, const std::string& run) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || kReserved.count(name) != 0)
    throw ResultError(fmt::format("{}: {} name '{}' is empty, contains '/' or is reserved", run, where, name));
}

template <typename Item>
void check_same_names(const std::vector<Item>& items, const std::vector<std::string>& expected,
                      const std::string& where, const std::string& run) {
  std::set<std::string> have;
  for (const auto& it : items) {
    if (!have.insert(it.name).second) throw ResultError(fmt::format("{}: {} '{}' appears twice", run, where, it.name));
  }
  for (const auto& name : expected)
    if (!have.count(name))
      throw ResultError(fmt::format("{}: lacks {} '{}' that the first successful run has", run, where, name));
  if (have.size() != expected.size()) {
    const std::set<std::string> want(expected.begin(), expected.end());
    for (const auto& name : have)
      if (!want.count(name))
        throw ResultError(fmt::format("{}: has {} '{}' that the first successful run lacks", run, where, name));
  }
}

template <typename Item>
std::vector<std::string> names_of(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& it : items) out.push_back(it.name);
  return out;
}

// Text naming the first non-finite value of a successful run, or "".
std::string first_non_finite(const RunResult& run) {
  for (const auto* states : {&run.initial, &run.final})
    for (const auto& s : *states)
      if (!std::isfinite(s.value)) return fmt::format("non-finite value of state '{}'", s.name);
  for (const auto& v : run.annual)
    for (std::size_t i = 0; i < v.values.size(); ++i)
      if (!std::isfinite(v.values[i]))
        return fmt::format("non-finite value of annual '{}' in year {}", v.name,
                           i < run.years.size() ? run.years[i] : -1);
  for (const auto& v : run.series)
    for (std::size_t i = 0; i < v.values.size(); ++i)
      if (!std::isfinite(v.values[i])) return fmt::format("non-finite value of series '{}' at interval {}", v.name, i);
  if (!std::isfinite(run.water_residual_m3)) return "non-finite water balance residual";
  if (!std::isfinite(run.salt_residual_kg)) return "non-finite salt balance residual";
  return {};
}

}  // namespace

ResultSink::ResultSink(std::string path, BatchMetadata metadata, SinkOptions options)
    : path_(std::move(path)), partial_path_(path_ + ".partial"), state_(std::make_unique<State>()) {
  state_->metadata = std::move(metadata);
  state_->options = options;
  state_->file = hdf5::File::create(partial_path_);
  try {
    auto& root = state_->file;
    const auto& m = state_->metadata;
    root.set_attribute("Conventions", "CF-1.8");
    root.set_attribute("title", "daihai lake water and salt balance results");
    root.set_attribute("daihai_layout", kResultLayoutVersion);
    root.set_attribute("engine_version", m.engine_version);
    root.set_attribute("git_commit", m.git_commit);
    root.set_attribute("scenario_file", m.scenario_path);
    root.set_attribute("scenario_text", m.scenario_text);
    std::string sums;
    for (const auto& [p, sum] : m.input_checksums) sums += fmt::format("{}  {}\n", sum, p);
    root.set_attribute("input_checksums", sums);
    root.set_attribute("checksum_algorithm",
                       "fnv1a64: FNV-1a 64-bit (offset basis 14695981039346656037, prime 1099511628211) over the "
                       "file's bytes, 16 lower-case hex digits");
    root.set_attribute("creation_time", utc_now_iso8601());
    state_->create_groups();
  } catch (...) {
    state_.reset();
    std::error_code ec;
    std::filesystem::remove(partial_path_, ec);
    throw;
  }
}

ResultSink::~ResultSink() {
  if (committed_) return;
  state_.reset();  // closes every handle and the file
  std::error_code ec;
  std::filesystem::remove(partial_path_, ec);
}

std::size_t ResultSink::runs_written() const { return state_ ? state_->runs : 0; }

hdf5::File& ResultSink::file() {
  if (committed_ || !state_) throw ResultError("ResultSink::file(): the sink '" + path_ + "' is committed");
  return state_->file;
}

void ResultSink::write_all(const std::vector<RunResult>& runs) {
  for (const auto& r : runs) write(r);
}

void ResultSink::write(const RunResult& input) {
  if (committed_ || !state_) throw ResultError("ResultSink::write(): the sink '" + path_ + "' is committed");
  State& s = *state_;
  const std::size_t index = s.runs;
  const std::string who = describe(input, index);

  // --- validate before touching the file
  // The deltas are identity (verification groups runs by them), so they must be finite.
  if (!std::isfinite(input.delta_t_C) || !std::isfinite(input.delta_p_pct))
    throw ResultError(fmt::format("{}: a non-finite climate delta", who));
  if (index == 0) {
    for (const auto& [name, on] : input.measures) {
      (void)on;
      check_name("measure_" + name, "measure", who);
    }
  } else {
    bool same = input.measures.size() == s.measure_names.size();
    for (std::size_t i = 0; same && i < input.measures.size(); ++i) same = input.measures[i].first == s.measure_names[i];
    if (!same) throw ResultError(fmt::format("{}: its measure list differs from that of run 0", who));
  }

  bool ok = input.ok;
  std::string error = input.error;
  if (ok) {
    for (const auto& v : input.annual)
      if (v.values.size() != input.years.size())
        throw ResultError(fmt::format("{}: annual '{}' has {} values for {} years", who, v.name, v.values.size(),
                                      input.years.size()));
    if (input.series_end_day.size() != input.series_start_day.size())
      throw ResultError(fmt::format("{}: series start and end day counts differ", who));
    for (const auto& v : input.series)
      if (v.values.size() != input.series_start_day.size())
        throw ResultError(fmt::format("{}: series '{}' has {} values for {} intervals", who, v.name, v.values.size(),
                                      input.series_start_day.size()));
    if (!s.have_axes) {
      for (const auto* states : {&input.initial, &input.final})
        for (const auto& st : *states) check_name(st.name, "state", who);
      for (const auto* vars : {&input.annual, &input.series})
        for (const auto& v : *vars) check_name(v.name, "variable", who);
      // no duplicates within the first successful run
      check_same_names(input.initial, names_of(input.initial), "initial state", who);
      check_same_names(input.final, names_of(input.final), "final state", who);
      check_same_names(input.annual, names_of(input.annual), "annual variable", who);
      check_same_names(input.series, names_of(input.series), "series variable", who);
    } else {
      if (input.years != s.years)
        throw ResultError(fmt::format("{}: its year axis differs from that of the first successful run", who));
      if (input.series_start_day != s.start_day || input.series_end_day != s.end_day)
        throw ResultError(fmt::format("{}: its series time axis differs from that of the first successful run", who));
      check_same_names(input.initial, s.initial_names, "initial state", who);
      check_same_names(input.final, s.final_names, "final state", who);
      check_same_names(input.annual, s.annual_names, "annual variable", who);
      check_same_names(input.series, s.series_names, "series variable", who);
    }
    const std::string bad = first_non_finite(input);
    if (!bad.empty()) {
      ok = false;
      error = "output check: " + bad;
    }
  } else if (error.empty()) {
    error = "failed (no error text given)";
  }

  // --- structure created lazily
  if (index == 0) s.create_measures(input);
  if (ok && !s.have_axes) s.create_variables(input);

  // --- make room for the row (new rows read as _FillValue). Datasets grow by doubling and are
  // cut to the number of runs by commit(): changing the extent on every run makes HDF5 evict
  // and recompress chunks each time.
  const hsize_t n = index + 1;
  if (n > s.capacity) s.resize(std::max<hsize_t>(2 * s.capacity, kRunChunk));
  s.runs = n;
  const std::vector<hsize_t> at = {index};
  const std::vector<hsize_t> one = {1};
  const std::int64_t run_index = static_cast<std::int64_t>(index);
  for (auto& scale : s.run_scales) scale.write_slab(std::span<const std::int64_t>(&run_index, 1), at, one);

  s.scenario_ds.write_slab(std::vector<std::string>{input.scenario}, index);
  s.error_ds.write_slab(std::vector<std::string>{ok ? std::string() : error}, index);
  const std::int64_t cm = input.climate_member, pm = input.parameter_member;
  s.climate_ds.write_slab(std::span<const std::int64_t>(&cm, 1), at, one);
  s.parameter_ds.write_slab(std::span<const std::int64_t>(&pm, 1), at, one);
  const double dt = input.delta_t_C, dp = input.delta_p_pct;
  s.delta_t_ds.write_slab(std::span<const double>(&dt, 1), at, one);
  s.delta_p_ds.write_slab(std::span<const double>(&dp, 1), at, one);
  const std::int8_t status = ok ? 0 : 1;
  s.status_ds.write_slab(std::span<const std::int8_t>(&status, 1), at, one);
  for (std::size_t i = 0; i < s.measure_ds.size(); ++i) {
    const std::int8_t on = input.measures[i].second ? 1 : 0;
    s.measure_ds[i].write_slab(std::span<const std::int8_t>(&on, 1), at, one);
  }
  if (!ok) return;

  s.water_ds.write_slab(std::span<const double>(&input.water_residual_m3, 1), at, one);
  s.salt_ds.write_slab(std::span<const double>(&input.salt_residual_kg, 1), at, one);
  const std::int64_t steps = static_cast<std::int64_t>(input.steps);
  const std::int64_t rejected = static_cast<std::int64_t>(input.rejected_steps);
  s.steps_ds.write_slab(std::span<const std::int64_t>(&steps, 1), at, one);
  s.rejected_ds.write_slab(std::span<const std::int64_t>(&rejected, 1), at, one);
  for (const auto& st : input.initial) s.initial_ds.at(st.name).write_slab(std::span<const double>(&st.value, 1), at, one);
  for (const auto& st : input.final) s.final_ds.at(st.name).write_slab(std::span<const double>(&st.value, 1), at, one);
  for (const auto& v : input.annual)
    s.annual_ds.at(v.name).write_slab(std::span<const double>(v.values), {index, 0}, {1, v.values.size()});
  for (const auto& v : input.series)
    s.series_ds.at(v.name).write_slab(std::span<const double>(v.values), {index, 0}, {1, v.values.size()});
}

void ResultSink::commit() {
  if (committed_ || !state_) throw ResultError("ResultSink::commit(): the sink '" + path_ + "' is already committed");
  State& s = *state_;
  if (!s.have_axes) s.create_axes();  // no successful run: empty year and time axes
  s.resize(s.runs);
  s.file.set_attribute("runs", static_cast<std::int64_t>(s.runs));
  hdf5::File file = std::move(s.file);
  state_.reset();  // closes every dataset and group handle of the sink
  const ssize_t open = H5Fget_obj_count(file.id(), H5F_OBJ_ALL | H5F_OBJ_LOCAL);
  if (open > 1) {
    throw ResultError(fmt::format("ResultSink::commit(): {} handle(s) into '{}' are still open", open - 1,
                                  partial_path_));
  }
  file.close_file();
  std::filesystem::rename(partial_path_, path_);
  committed_ = true;
}

// ------------------------------------------------------------------------------------ reading

hdf5::File open_result_file(const std::string& path) {
  hdf5::silence_automatic_error_printing();
  if (!std::filesystem::exists(path)) throw core::InputError(path, 0, "", "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw core::InputError(path, 0, "", "not an HDF5 file, so not a daihai result file");
  }
  auto file = hdf5::File::open(path);
  if (!file.has_attribute("daihai_layout"))
    throw core::InputError(path, 0, "daihai_layout", "not a daihai result file: the root attribute is missing");
  for (const char* group : {"runs", "annual"})
    if (!file.exists(group))
      throw core::InputError(path, 0, std::string("/") + group, "not a daihai result file: the group is missing");
  return file;
}

hdf5::Dataset require_dataset(const hdf5::Group& group, const std::string& group_path, const std::string& name,
                              const std::string& file) {
  if (!group.exists(name)) throw core::InputError(file, 0, group_path + "/" + name, "dataset missing from the results file");
  return group.open_dataset(name);
}

}  // namespace daihai::io
