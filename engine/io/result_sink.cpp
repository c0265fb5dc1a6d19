#include "io/result_sink.hpp"

#include "model/binner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "core/date.hpp"
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
const std::set<std::string> kReserved = {"run", "year", "time", "time_bnds", "nv", "daily", "monthly"};
// Datasets of a group that are axes, not [run, ...] data.
const std::set<std::string> kAxes = {"year", "time", "time_bnds", "nv"};

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

// Path of an open object in its file ("/runs/status").
std::string path_of(const hdf5::Handle& h) {
  const ssize_t n = H5Iget_name(h.id(), nullptr, 0);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  H5Iget_name(h.id(), out.data(), out.size());
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Hash of one row of one dataset: FNV-1a over the dataset's path, a zero byte, the row index (8
// bytes, little-endian) and the row's bytes in the stored type. The digest of a file is the sum
// (mod 2^64) of the hashes of every written row, so it does not depend on the order of writing.
std::uint64_t row_hash(const std::string& path, std::uint64_t index, const void* bytes, std::size_t n) {
  std::uint64_t h = 14695981039346656037ULL;
  auto mix = [&h](const unsigned char* p, std::size_t k) {
    for (std::size_t i = 0; i < k; ++i) {
      h ^= p[i];
      h *= 1099511628211ULL;
    }
  };
  mix(reinterpret_cast<const unsigned char*>(path.data()), path.size());
  const unsigned char zero = 0;
  mix(&zero, 1);
  unsigned char idx[8];
  for (int i = 0; i < 8; ++i) idx[i] = static_cast<unsigned char>(index >> (8 * i));
  mix(idx, 8);
  mix(static_cast<const unsigned char*>(bytes), n);
  return h;
}

// The sorted-by-calendar-month bins of a daily axis: bin[i] = month of day i; starts/ends of months.
struct MonthBins {
  std::vector<std::size_t> bin;
  std::vector<double> days;
  std::vector<std::int64_t> start, end;
};

// The monthly bins of a daily axis: model::Binner, the engine's one aggregation binner.
MonthBins month_bins(const std::vector<std::int64_t>& day) {
  MonthBins m;
  if (day.empty()) return m;
  const model::Binner b(day.front(), static_cast<std::int64_t>(day.size()), scenario::Resolution::monthly);
  m.start = b.series_start_day;
  m.end = b.series_end_day;
  m.days = b.series_days;
  m.bin = b.series_bin;
  return m;
}

}  // namespace

// One `/series/<resolution>` group: its own run coordinate, time axis and variables.
struct SeriesGroup {
  SeriesResolution resolution = SeriesResolution::monthly;
  Group group;
  Dataset run_scale;
  Dataset time_scale, time_bnds, nv_scale;
  std::vector<std::int64_t> start_day, end_day;  // this group's intervals
  bool aggregate = false;                          // monthly from a daily run: sum over MonthBins
  MonthBins bins;
  std::map<std::string, Dataset> ds;               // variable -> dataset
  std::map<std::string, Precision> precision;      // variable -> stored type
};

struct ResultSink::State {
  BatchMetadata metadata;
  SinkOptions options;
  hdf5::File file;
  std::size_t runs = 0;
  std::uint64_t digest = 0;  // sum of row_hash() of every row written
  double write_seconds = 0.0;
  std::vector<RunResult> resumed;
  std::map<hid_t, std::string> paths;  // dataset id -> path, for row_hash()

  // groups
  Group g_runs, g_initial, g_final, g_annual, g_series, g_balance;
  std::vector<SeriesGroup> series_groups;  // monthly, then daily; only those some variable uses
  // `run` scales of /runs, /initial, /final, /annual, /balance (series groups hold their own)
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
  bool have_axes = false;    // /annual year axis and every variable dataset exist
  bool have_series = false;  // the run's series axis and variable names are known
  std::vector<int> years;
  std::vector<std::int64_t> start_day, end_day;  // the runs' own series axis
  Dataset year_scale;
  std::vector<std::string> initial_names, final_names, annual_names, series_names;
  std::map<std::string, Dataset> initial_ds, final_ds, annual_ds;

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

  const std::string& path(const Dataset& d) {
    auto it = paths.find(d.id());
    if (it == paths.end()) it = paths.emplace(d.id(), path_of(d)).first;
    return it->second;
  }

  // Writes element `index` of a [run] dataset (or row `index` of a [run, n] one) and adds its hash.
  template <typename T>
  void put(Dataset& d, std::span<const T> row, hsize_t index, bool matrix) {
    if (matrix)
      d.write_slab(row, {index, 0}, {1, row.size()});
    else
      d.write_slab(row, {index}, {1});
    digest += row_hash(path(d), index, row.data(), row.size_bytes());
  }
  void put_string(Dataset& d, const std::string& text, hsize_t index) {
    d.write_slab(std::vector<std::string>{text}, index);
    digest += row_hash(path(d), index, text.data(), text.size());
  }

  Dataset run_scale(Group& g) {
    DatasetOptions o{.chunk = {kRunChunk}, .max_dims = {kUnlimited}, .deflate = 0, .shuffle = false, .coordinate = true};
    auto ds = g.create_int64("run", {capacity}, o, 0);
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

  // Resolutions that some variable's series uses, monthly first.
  std::vector<SeriesResolution> used_resolutions() const {
    std::set<SeriesResolution> used;
    if (options.output.defaults.resolution != SeriesResolution::none) used.insert(options.output.defaults.resolution);
    for (const auto& [name, v] : options.output.variables)
      if (v.resolution != SeriesResolution::none) used.insert(v.resolution);
    std::vector<SeriesResolution> out;
    for (auto r : {SeriesResolution::monthly, SeriesResolution::daily})
      if (used.count(r)) out.push_back(r);
    return out;
  }

  void create_groups() {
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
    status_ds = one_d(g_runs, "status", 'b', "1", "run status: 0 ok, 1 failed", rr);
    error_ds = one_d(g_runs, "error", 's', "1", "error text of a failed run (empty when ok)", rr);

    Dataset& rb = run_scales[4];
    water_ds = one_d(g_balance, "water_residual_m3", 'd', "m3",
                     "water balance residual: change of lake and aquifer storage minus the sum of water flux totals",
                     rb);
    salt_ds = one_d(g_balance, "salt_residual_kg", 'd', "kg",
                    "salt balance residual: change of dissolved and deposited salt minus the sum of salt flux totals",
                    rb);
    steps_ds = one_d(g_balance, "steps", 'l', "1", "accepted integrator steps", rb);
    rejected_ds = one_d(g_balance, "rejected_steps", 'l', "1", "rejected (error-controlled) integrator steps", rb);
    register_fixed();
  }

  // The datasets that exist from the start, in `extendable`.
  void register_fixed() {
    for (auto& sc : run_scales) extendable.push_back(&sc);
    for (auto& sg : series_groups) extendable.push_back(&sg.run_scale);
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

  // The time axis of one series group (time, time_bnds, nv).
  void create_time_axis(SeriesGroup& sg) {
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
  void create_axes(const std::string& who) {
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

  Dataset state_dataset(Group& g, const scenario::StateValue& s, Dataset& run) {
    return one_d(g, s.name, 'd', s.units, s.long_name, run);
  }

  // A [run, length] dataset: chunks of row_chunk runs x `cols` intervals, deflate and shuffle as
  // the output spec says, and a chunk cache holding one row block of chunks.
  Dataset matrix_dataset(Group& g, const Variable& v, hsize_t length, hsize_t cols, Precision precision, Dataset& run,
                         Dataset& axis, const char* axis_name) {
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
                     .cache_bytes = std::clamp<std::size_t>(block + block / 4, std::size_t{1} << 20, std::size_t{64} << 20)};
    auto ds = precision == Precision::float32 ? g.create_float32(v.name, {capacity, length}, o, hdf5::kFillFloat)
                                              : g.create_float64(v.name, {capacity, length}, o, hdf5::kFillDouble);
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

  void learn_series(const RunResult& run) {
    have_series = true;
    start_day = run.series_start_day;
    end_day = run.series_end_day;
    series_names.clear();
    for (const auto& v : run.series) series_names.push_back(v.name);
  }

  void create_variables(const RunResult& run, const std::string& who) {
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

  // ------------------------------------------------------------------------------- resuming

  // Reopens the structure of a partial file written by this sink.
  void reopen() {
    auto& root = file;
    g_runs = root.open_group("runs");
    g_initial = root.open_group("initial");
    g_final = root.open_group("final");
    g_annual = root.open_group("annual");
    g_series = root.open_group("series");
    g_balance = root.open_group("balance");
    for (Group* g : {&g_runs, &g_initial, &g_final, &g_annual, &g_balance}) run_scales.push_back(g->open_dataset("run"));
    for (auto r : used_resolutions()) {
      if (!g_series.exists(to_string(r)))
        throw ResultError(fmt::format("the group /series/{} is missing", to_string(r)));
      SeriesGroup sg;
      sg.resolution = r;
      // monthly from daily runs: the month bins come with the next run (write())
      sg.aggregate = r == SeriesResolution::monthly && options.output.finest() == SeriesResolution::daily;
      sg.group = g_series.open_group(to_string(r));
      sg.run_scale = sg.group.open_dataset("run");
      series_groups.push_back(std::move(sg));
    }
    scenario_ds = g_runs.open_dataset("scenario");
    climate_ds = g_runs.open_dataset("climate_member");
    parameter_ds = g_runs.open_dataset("parameter_member");
    delta_t_ds = g_runs.open_dataset("delta_t_C");
    delta_p_ds = g_runs.open_dataset("delta_p_pct");
    status_ds = g_runs.open_dataset("status");
    error_ds = g_runs.open_dataset("error");
    water_ds = g_balance.open_dataset("water_residual_m3");
    salt_ds = g_balance.open_dataset("salt_residual_kg");
    steps_ds = g_balance.open_dataset("steps");
    rejected_ds = g_balance.open_dataset("rejected_steps");
    register_fixed();
    for (const auto& name : g_runs.children())
      if (name.rfind("measure_", 0) == 0) {
        measure_names.push_back(name.substr(8));
        measure_ds.push_back(g_runs.open_dataset(name));
      }
    for (auto& d : measure_ds) extendable.push_back(&d);
    capacity = run_scales[0].dims()[0];
    if (!g_annual.exists("year")) return;  // no successful run yet: variables come with the first one
    have_axes = true;
    year_scale = g_annual.open_dataset("year");
    for (auto y : year_scale.read_int64()) years.push_back(static_cast<int>(y));
    auto open_all = [&](Group& g, std::vector<std::string>& names, std::map<std::string, Dataset>& out, std::size_t cache) {
      for (const auto& name : g.children()) {
        if (name == "run" || kAxes.count(name)) continue;
        names.push_back(name);
        out.emplace(name, g.open_dataset(name, cache));
      }
    };
    open_all(g_initial, initial_names, initial_ds, 0);
    open_all(g_final, final_names, final_ds, 0);
    open_all(g_annual, annual_names, annual_ds, 0);
    for (auto& sg : series_groups) {
      sg.time_scale = sg.group.open_dataset("time");
      sg.time_bnds = sg.group.open_dataset("time_bnds");
      sg.nv_scale = sg.group.open_dataset("nv");
      sg.start_day = sg.time_scale.read_int64();
      const auto bnds = sg.time_bnds.read_int64();
      for (std::size_t i = 0; i < sg.start_day.size(); ++i) sg.end_day.push_back(bnds[2 * i + 1] - 1);
      for (const auto& name : sg.group.children()) {
        if (name == "run" || kAxes.count(name)) continue;
        const auto type = sg.group.open_dataset(name).type();
        const std::size_t elem = H5Tget_size(type.id()) == 4 ? 4 : 8;
        const std::size_t block = options.row_chunk * sg.start_day.size() * elem;
        sg.ds.emplace(name, sg.group.open_dataset(name, std::clamp<std::size_t>(block + block / 4, std::size_t{1} << 20,
                                                                                  std::size_t{64} << 20)));
        sg.precision[name] = elem == 4 ? Precision::float32 : Precision::float64;
      }
    }
    for (auto* m : {&initial_ds, &final_ds, &annual_ds})
      for (auto& [name, ds] : *m) extendable.push_back(&ds);
    for (auto& sg : series_groups)
      for (auto& [name, ds] : sg.ds) extendable.push_back(&ds);
  }

  // Digest of rows 0..n-1 as stored in the file: rows of /runs and of every `run` coordinate
  // always, rows of the other groups for successful runs only (as write() writes them).
  std::uint64_t file_digest(std::size_t n, const std::vector<std::int8_t>& status) {
    std::uint64_t sum = 0;
    auto hash_dataset = [&](Dataset& d, bool all_rows) {
      const auto dims = d.dims();
      if (dims.empty() || dims[0] < n) throw ResultError(fmt::format("{} has fewer rows than recorded", path(d)));
      const auto type = d.type();
      const std::string& p = path(d);
      if (type.type_class() == H5T_STRING) {
        const auto text = d.read_strings(n);  // rows after the checkpoint may reference unwritten strings
        for (std::size_t j = 0; j < n; ++j)
          if (all_rows || status[j] == 0) sum += row_hash(p, j, text[j].data(), text[j].size());
        return;
      }
      const std::size_t size = H5Tget_size(type.id());
      const bool is_float = type.type_class() == H5T_FLOAT;
      const hid_t mem = is_float ? (size == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE)
                                 : (size == 1 ? H5T_NATIVE_INT8 : H5T_NATIVE_INT64);
      const std::size_t elem = is_float ? size : (size == 1 ? 1 : 8);
      const hsize_t cols = dims.size() > 1 ? dims[1] : 1;
      const std::size_t block = 256;
      std::vector<unsigned char> buf;
      for (std::size_t j0 = 0; j0 < n; j0 += block) {
        const std::size_t k = std::min(block, n - j0);
        buf.resize(k * cols * elem);
        if (dims.size() > 1)
          d.read_slab(buf.data(), mem, {j0, 0}, {k, cols});
        else
          d.read_slab(buf.data(), mem, {j0}, {k});
        for (std::size_t j = j0; j < j0 + k; ++j)
          if (all_rows || status[j] == 0) sum += row_hash(p, j, buf.data() + (j - j0) * cols * elem, cols * elem);
      }
    };
    for (auto& sc : run_scales) hash_dataset(sc, true);
    for (auto& sg : series_groups) hash_dataset(sg.run_scale, true);
    for (Dataset* d : {&scenario_ds, &climate_ds, &parameter_ds, &delta_t_ds, &delta_p_ds, &status_ds, &error_ds})
      hash_dataset(*d, true);
    for (auto& d : measure_ds) hash_dataset(d, true);
    for (Dataset* d : {&water_ds, &salt_ds, &steps_ds, &rejected_ds}) hash_dataset(*d, false);
    for (auto* m : {&initial_ds, &final_ds, &annual_ds})
      for (auto& [name, ds] : *m) hash_dataset(ds, false);
    for (auto& sg : series_groups)
      for (auto& [name, ds] : sg.ds) hash_dataset(ds, false);
    return sum;
  }

  // What verification and the batch summary need of runs 0..n-1 (see take_resumed_runs()).
  std::vector<RunResult> summaries(std::size_t n, const std::vector<std::int8_t>& status) {
    std::vector<RunResult> out(n);
    const auto scen = scenario_ds.read_strings(n);
    const auto err = error_ds.read_strings(n);
    std::vector<std::int64_t> cm(n), pm(n);
    std::vector<double> water(n), salt(n), dt(n), dp(n);
    climate_ds.read_slab(cm.data(), H5T_NATIVE_INT64, {0}, {n});
    delta_t_ds.read_slab(dt.data(), H5T_NATIVE_DOUBLE, {0}, {n});
    delta_p_ds.read_slab(dp.data(), H5T_NATIVE_DOUBLE, {0}, {n});
    parameter_ds.read_slab(pm.data(), H5T_NATIVE_INT64, {0}, {n});
    water_ds.read_slab(water.data(), H5T_NATIVE_DOUBLE, {0}, {n});
    salt_ds.read_slab(salt.data(), H5T_NATIVE_DOUBLE, {0}, {n});
    std::vector<std::vector<std::int8_t>> on(measure_ds.size(), std::vector<std::int8_t>(n));
    for (std::size_t m = 0; m < measure_ds.size(); ++m) measure_ds[m].read_slab(on[m].data(), H5T_NATIVE_INT8, {0}, {n});
    std::map<std::string, std::vector<double>> annual;
    for (const char* name : {"area_m2", "level_m", "tds_g_per_L"}) {
      auto it = annual_ds.find(name);
      if (it == annual_ds.end()) continue;
      auto& v = annual[name];
      v.resize(n * years.size());
      it->second.read_slab(v.data(), H5T_NATIVE_DOUBLE, {0, 0}, {n, years.size()});
    }
    for (std::size_t j = 0; j < n; ++j) {
      RunResult& r = out[j];
      r.scenario = scen[j];
      for (std::size_t m = 0; m < measure_ds.size(); ++m) r.measures.emplace_back(measure_names[m], on[m][j] == 1);
      r.climate_member = static_cast<int>(cm[j]);
      r.parameter_member = static_cast<int>(pm[j]);
      r.delta_t_C = dt[j];
      r.delta_p_pct = dp[j];
      r.ok = status[j] == 0;
      r.error = err[j];
      if (!r.ok) continue;
      r.years = years;
      for (const auto& [name, v] : annual) {
        Variable var;
        var.name = name;
        var.values.assign(v.begin() + static_cast<std::ptrdiff_t>(j * years.size()),
                          v.begin() + static_cast<std::ptrdiff_t>((j + 1) * years.size()));
        r.annual.push_back(std::move(var));
      }
      r.water_residual_m3 = water[j];
      r.salt_residual_kg = salt[j];
    }
    return out;
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

// One series row ready to write: the values at the group's resolution, as double or float.
struct SeriesRow {
  Dataset* ds = nullptr;
  std::vector<double> f64;
  std::vector<float> f32;
};

}  // namespace

ResultSink::ResultSink(std::string path, BatchMetadata metadata, SinkOptions options, SinkMode mode)
    : path_(std::move(path)), partial_path_(path_ + ".partial"), state_(std::make_unique<State>()) {
  state_->metadata = std::move(metadata);
  state_->options = options;
  const auto& m = state_->metadata;
  std::string sums;
  for (const auto& [p, sum] : m.input_checksums) sums += fmt::format("{}  {}\n", sum, p);
  if (mode == SinkMode::resume) {
    const std::string again = "delete it and run the batch again without --resume";
    hdf5::prepare_library();
    if (!std::filesystem::exists(partial_path_))
      throw core::InputError(partial_path_, 0, "", "no partial file to resume");
    if (H5Fis_hdf5(partial_path_.c_str()) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw core::InputError(partial_path_, 0, "",
                             "the partial file is damaged (not a readable HDF5 file; the batch was probably killed while "
                             "writing): " + again);
    }
    try {
      state_->file = hdf5::File::open(partial_path_, true);
    } catch (const hdf5::Hdf5Error& e) {
      throw core::InputError(partial_path_, 0, "",
                             std::string("the partial file is damaged (the batch was probably killed while writing): ") +
                                 again + " (" + e.what() + ")");
    }
    State& s = *state_;
    try {
      auto& root = s.file;
      if (!root.has_attribute("daihai_partial") || !root.has_attribute("daihai_layout"))
        throw core::InputError(partial_path_, 0, "daihai_partial", "not the partial file of a daihai batch: " + again);
      if (root.int_attribute("daihai_layout") != kResultLayoutVersion)
        throw core::InputError(partial_path_, 0, "daihai_layout",
                               "written by another results layout version, so it cannot be continued: " + again);
      const std::pair<const char*, std::string> same[] = {{"scenario_text", m.scenario_text},
                                                          {"input_checksums", sums},
                                                          {"engine_version", m.engine_version},
                                                          {"git_commit", m.git_commit}};
      const char* what[] = {"the scenario file's text differs from the one the batch was started with",
                            "an input file (or the targets file) differs from the one the batch was started with",
                            "the engine version differs from the one that started the batch",
                            "the engine was built from another git commit than the one that started the batch"};
      for (std::size_t i = 0; i < std::size(same); ++i) {
        const std::string stored = root.string_attribute(same[i].first);
        if (stored == same[i].second) continue;
        std::string which;  // for the checksums (one line per file): the first file that changed
        if (i == 1) {
          std::istringstream now(same[i].second);
          for (std::string line; std::getline(now, line);)
            if (("\n" + stored + "\n").find("\n" + line + "\n") == std::string::npos) {
              which = " (" + line + ")";
              break;
            }
        }
        throw core::InputError(partial_path_, 0, same[i].first, std::string("cannot resume: ") + what[i] + which + "; " + again);
      }
      if (!root.has_attribute("resume_runs") || !root.has_attribute("resume_digest"))
        throw core::InputError(partial_path_, 0, "resume_runs", "the partial file has no checkpoint: " + again);
      const auto n = static_cast<std::size_t>(root.int_attribute("resume_runs"));
      const std::string digest = root.string_attribute("resume_digest");
      s.reopen();
      if (n > s.capacity) throw ResultError("more runs recorded than rows present");
      std::vector<std::int8_t> status(n);
      s.status_ds.read_slab(status.data(), H5T_NATIVE_INT8, {0}, {n});
      if (fmt::format("{:016x}", s.file_digest(n, status)) != digest)
        throw ResultError("the rows of the finished runs do not match the digest recorded with the last checkpoint");
      s.resumed = s.summaries(n, status);
      s.resize(n);  // rows written after the last checkpoint are dropped
      s.runs = n;
      s.digest = std::stoull(digest, nullptr, 16);
      if (s.have_axes && !s.series_groups.empty()) {
        // The runs' own series axis is that of the finest group; its names come with the next run.
        const auto& fine = s.series_groups.back();
        s.start_day = fine.aggregate ? std::vector<std::int64_t>{} : fine.start_day;
      }
    } catch (const core::InputError&) {
      state_.reset();
      suspended_ = true;  // never remove a file we did not create
      throw;
    } catch (const std::exception& e) {
      state_.reset();
      suspended_ = true;
      throw core::InputError(partial_path_, 0, "",
                             std::string("the partial file is damaged (the batch was probably killed while writing): ") +
                                 again + " (" + e.what() + ")");
    }
    return;
  }
  state_->file = hdf5::File::create(partial_path_);
  try {
    auto& root = state_->file;
    root.set_attribute("Conventions", "CF-1.8");
    root.set_attribute("title", "daihai lake water and salt balance results");
    root.set_attribute("daihai_layout", kResultLayoutVersion);
    root.set_attribute("daihai_partial",
                       "unfinished batch: this file is not a result; continue it with 'daihai batch ... --resume'");
    root.set_attribute("engine_version", m.engine_version);
    root.set_attribute("git_commit", m.git_commit);
    root.set_attribute("scenario_file", m.scenario_path);
    root.set_attribute("scenario_text", m.scenario_text);
    root.set_attribute("input_checksums", sums);
    root.set_attribute("checksum_algorithm",
                       "fnv1a64: FNV-1a 64-bit (offset basis 14695981039346656037, prime 1099511628211) over the "
                       "file's bytes, 16 lower-case hex digits");
    root.set_attribute("creation_time", utc_now_iso8601());
    state_->create_groups();
    if (state_->options.layout) state_->create_variables(*state_->options.layout, "the declared layout");
    checkpoint();
  } catch (...) {
    state_.reset();
    std::error_code ec;
    std::filesystem::remove(partial_path_, ec);
    throw;
  }
}

ResultSink::~ResultSink() {
  if (committed_ || suspended_) return;
  state_.reset();  // closes every handle and the file
  std::error_code ec;
  std::filesystem::remove(partial_path_, ec);
}

std::size_t ResultSink::runs_written() const { return state_ ? state_->runs : 0; }

double ResultSink::write_seconds() const { return state_ ? state_->write_seconds : 0.0; }

std::vector<RunResult> ResultSink::take_resumed_runs() {
  if (!state_) return {};
  return std::exchange(state_->resumed, {});
}

hdf5::File& ResultSink::file() {
  if (committed_ || !state_) throw ResultError("ResultSink::file(): the sink '" + path_ + "' is committed");
  return state_->file;
}

void ResultSink::write_all(const std::vector<RunResult>& runs) {
  for (const auto& r : runs) write(r);
}

void ResultSink::checkpoint() {
  if (committed_ || !state_) throw ResultError("ResultSink::checkpoint(): the sink '" + path_ + "' is committed");
  State& s = *state_;
  const auto t0 = std::chrono::steady_clock::now();
  s.file.set_attribute("resume_runs", static_cast<std::int64_t>(s.runs));
  s.file.set_attribute("resume_digest", fmt::format("{:016x}", s.digest));
  hdf5::check(H5Fflush(s.file.id(), H5F_SCOPE_LOCAL), "flushing '" + partial_path_ + "'");
  s.write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void ResultSink::suspend() {
  checkpoint();
  hdf5::File file = std::move(state_->file);
  state_.reset();
  file.close_file();
  suspended_ = true;
}

void ResultSink::write(const RunResult& input) {
  if (committed_ || !state_) throw ResultError("ResultSink::write(): the sink '" + path_ + "' is committed");
  State& s = *state_;
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t index = s.runs;
  const std::string who = describe(input, index);

  // --- validate before touching the file
  // The deltas are identity (verification groups runs by them), so they must be finite.
  if (!std::isfinite(input.delta_t_C) || !std::isfinite(input.delta_p_pct))
    throw ResultError(fmt::format("{}: a non-finite climate delta", who));
  if (s.measure_ds.empty() && s.measure_names.empty() && index == 0) {
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
  std::vector<SeriesRow> rows;
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
      if (!s.have_series) {  // resumed: the finest group's axis stands for the runs' own axis
        if (!s.start_day.empty() && input.series_start_day != s.start_day)
          throw ResultError(fmt::format("{}: its series time axis differs from that of the runs in the file", who));
        s.learn_series(input);
      }
      if (input.series_start_day != s.start_day || input.series_end_day != s.end_day)
        throw ResultError(fmt::format("{}: its series time axis differs from that of the first successful run", who));
      check_same_names(input.initial, s.initial_names, "initial state", who);
      check_same_names(input.final, s.final_names, "final state", who);
      check_same_names(input.annual, s.annual_names, "annual variable", who);
      check_same_names(input.series, s.series_names, "series variable", who);
    }
    std::string bad = first_non_finite(input);
    // --- the series rows at each group's resolution and precision (float32 must hold them)
    if (bad.empty() && s.have_axes) {
      for (auto& sg : s.series_groups)
        for (const auto& v : input.series) {
          auto it = sg.ds.find(v.name);
          if (it == sg.ds.end()) {
            if (s.options.output.of(v.name).resolution == sg.resolution)
              throw ResultError(fmt::format("{}: series '{}' has no dataset in /series/{}", who, v.name, to_string(sg.resolution)));
            continue;
          }
          SeriesRow row;
          row.ds = &it->second;
          if (sg.aggregate && sg.bins.bin.size() != input.series_start_day.size()) {
            sg.bins = month_bins(input.series_start_day);  // after a resume
            if (sg.bins.start != sg.start_day)
              throw ResultError(fmt::format("{}: its series time axis differs from that of the runs in the file", who));
          }
          if (sg.aggregate) {
            row.f64.assign(sg.start_day.size(), 0.0);
            for (std::size_t i = 0; i < v.values.size(); ++i) row.f64[sg.bins.bin[i]] += v.values[i];
            if (v.aggregation == scenario::Aggregation::mean)
              for (std::size_t b = 0; b < row.f64.size(); ++b) row.f64[b] /= sg.bins.days[b];
          } else {
            row.f64 = v.values;
          }
          if (sg.precision.at(v.name) == Precision::float32) {
            row.f32.reserve(row.f64.size());
            for (std::size_t i = 0; i < row.f64.size() && bad.empty(); ++i) {
              if (std::abs(row.f64[i]) > static_cast<double>(std::numeric_limits<float>::max()))
                bad = fmt::format("value {} of series '{}' at interval {} outside the float32 range", row.f64[i], v.name, i);
              row.f32.push_back(static_cast<float>(row.f64[i]));
            }
            row.f64.clear();
          }
          rows.push_back(std::move(row));
        }
    }
    if (!bad.empty()) {
      ok = false;
      error = "output check: " + bad;
      rows.clear();
    }
  } else if (error.empty()) {
    error = "failed (no error text given)";
  }

  // --- structure created lazily
  if (s.measure_names.empty() && !input.measures.empty()) s.create_measures(input);
  if (ok && !s.have_axes) {
    s.create_variables(input, who);
    s.runs = index;
    s.write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return write(input);  // now with the datasets in place (the series rows are built against them)
  }

  // --- make room for the row (new rows read as _FillValue). Datasets grow by doubling and are
  // cut to the number of runs by commit(): changing the extent on every run makes HDF5 evict
  // and recompress chunks each time.
  const hsize_t n = index + 1;
  if (n > s.capacity) s.resize(std::max<hsize_t>(2 * s.capacity, kRunChunk));
  s.runs = n;
  const std::int64_t run_index = static_cast<std::int64_t>(index);
  for (auto& scale : s.run_scales) s.put(scale, std::span<const std::int64_t>(&run_index, 1), index, false);
  for (auto& sg : s.series_groups) s.put(sg.run_scale, std::span<const std::int64_t>(&run_index, 1), index, false);

  s.put_string(s.scenario_ds, input.scenario, index);
  s.put_string(s.error_ds, ok ? std::string() : error, index);
  const std::int64_t cm = input.climate_member, pm = input.parameter_member;
  s.put(s.climate_ds, std::span<const std::int64_t>(&cm, 1), index, false);
  s.put(s.parameter_ds, std::span<const std::int64_t>(&pm, 1), index, false);
  const double dt = input.delta_t_C, dp = input.delta_p_pct;
  s.put(s.delta_t_ds, std::span<const double>(&dt, 1), index, false);
  s.put(s.delta_p_ds, std::span<const double>(&dp, 1), index, false);
  const std::int8_t status = ok ? 0 : 1;
  s.put(s.status_ds, std::span<const std::int8_t>(&status, 1), index, false);
  for (std::size_t i = 0; i < s.measure_ds.size(); ++i) {
    const std::int8_t on = input.measures[i].second ? 1 : 0;
    s.put(s.measure_ds[i], std::span<const std::int8_t>(&on, 1), index, false);
  }
  if (ok) {
    s.put(s.water_ds, std::span<const double>(&input.water_residual_m3, 1), index, false);
    s.put(s.salt_ds, std::span<const double>(&input.salt_residual_kg, 1), index, false);
    const std::int64_t steps = static_cast<std::int64_t>(input.steps);
    const std::int64_t rejected = static_cast<std::int64_t>(input.rejected_steps);
    s.put(s.steps_ds, std::span<const std::int64_t>(&steps, 1), index, false);
    s.put(s.rejected_ds, std::span<const std::int64_t>(&rejected, 1), index, false);
    for (const auto& st : input.initial) s.put(s.initial_ds.at(st.name), std::span<const double>(&st.value, 1), index, false);
    for (const auto& st : input.final) s.put(s.final_ds.at(st.name), std::span<const double>(&st.value, 1), index, false);
    for (const auto& v : input.annual) s.put(s.annual_ds.at(v.name), std::span<const double>(v.values), index, true);
    for (auto& row : rows) {
      if (row.f32.empty())
        s.put(*row.ds, std::span<const double>(row.f64), index, true);
      else
        s.put(*row.ds, std::span<const float>(row.f32), index, true);
    }
  }
  s.write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (s.runs % std::max<std::size_t>(s.options.row_chunk, 1) == 0) checkpoint();
}

void ResultSink::commit() {
  if (committed_ || !state_) throw ResultError("ResultSink::commit(): the sink '" + path_ + "' is already committed");
  State& s = *state_;
  if (!s.have_axes) s.create_axes("commit");  // no successful run: empty year and time axes
  s.resize(s.runs);
  s.file.set_attribute("runs", static_cast<std::int64_t>(s.runs));
  for (const char* a : {"daihai_partial", "resume_runs", "resume_digest"}) s.file.delete_attribute(a);
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
  hdf5::prepare_library();
  if (!std::filesystem::exists(path)) throw core::InputError(path, 0, "", "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw core::InputError(path, 0, "", "not an HDF5 file, so not a daihai result file");
  }
  if (path.size() > 8 && path.compare(path.size() - 8, 8, ".partial") == 0)
    throw core::InputError(path, 0, "", "the partial file of an unfinished batch is not a result: finish the batch with "
                                        "'daihai batch ... --resume' (or run it again)");
  auto file = hdf5::File::open(path);
  if (file.has_attribute("daihai_partial"))
    throw core::InputError(path, 0, "daihai_partial", "the partial file of an unfinished batch is not a result: finish the "
                                                      "batch with 'daihai batch ... --resume' (or run it again)");
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
