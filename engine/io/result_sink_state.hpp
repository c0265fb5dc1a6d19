#pragma once
// @file result_sink_state.hpp
// Inside io::ResultSink (not a public header): the state of an open results file — its groups,
// datasets and axes (result_sink_layout.cpp), the reading of a partial file for a resume
// (result_sink_resume.cpp) — and the helpers they share with the writer (result_sink.cpp).
#include <chrono>
#include <ctime>
#include <map>
#include <set>
#include <span>
#include <algorithm>
#include <cstring>
#include <functional>
#include <type_traits>
#include <string>
#include <vector>

#include <hdf5.h>
#include <fmt/format.h>

#include "core/date.hpp"
#include "io/parallel.hpp"
#include "io/result_sink.hpp"
#include "model/binner.hpp"

namespace daihai::io {

using hdf5::Dataset;
using hdf5::DatasetOptions;
using hdf5::Group;
using scenario::RunResult;
using scenario::Variable;

namespace sink_detail {

constexpr hsize_t kUnlimited = H5S_UNLIMITED;
constexpr hsize_t kRunChunk = 1024;
const std::set<std::string> kReserved = {"run", "year", "time", "time_bnds", "nv", "daily", "monthly"};
// Datasets of a group that are axes, not [run, ...] data.
const std::set<std::string> kAxes = {"year", "time", "time_bnds", "nv"};

inline std::string utc_now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

inline std::string describe(const RunResult& run, std::size_t index) {
  return fmt::format("run {} (scenario '{}', climate member {}, parameter member {}, dT {} degC, dP {} %)", index,
                     run.scenario, run.climate_member, run.parameter_member, run.delta_t_C, run.delta_p_pct);
}

inline void set_meta(hdf5::Object& obj, const std::string& units, const std::string& long_name) {
  obj.set_attribute("units", units);
  obj.set_attribute("long_name", long_name);
}

// Path of an open object in its file ("/runs/status").
inline std::string path_of(const hdf5::Handle& h) {
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
inline std::uint64_t row_hash(const std::string& path, std::uint64_t index, const void* bytes, std::size_t n) {
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
inline MonthBins month_bins(const std::vector<std::int64_t>& day) {
  MonthBins m;
  if (day.empty()) return m;
  const model::Binner b(day.front(), static_cast<std::int64_t>(day.size()), scenario::Resolution::monthly);
  m.start = b.series_start_day;
  m.end = b.series_end_day;
  m.days = b.series_days;
  m.bin = b.series_bin;
  return m;
}

// The chunk cache of a [run, length] dataset whose row block (row_chunk runs by every column)
// takes `block_bytes`: the block and a quarter, so that the chunks of the rows being written stay
// in the cache until they are complete and are compressed once, but no more (a larger cache keeps
// finished chunks and grows with the batch until it is full; 64 MiB at most).
inline std::size_t row_block_cache_bytes(std::size_t block_bytes) {
  return std::clamp<std::size_t>(block_bytes + block_bytes / 4, std::size_t{64} << 10, std::size_t{64} << 20);
}

}  // namespace sink_detail

using namespace sink_detail;


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
  Dataset scenario_ds, status_ds, error_ds, climate_ds, parameter_ds, delta_t_ds, delta_p_ds, branch_ds;
  std::vector<Dataset> measure_ds;
  std::vector<std::string> design_names;  // "<measure>.<key>", dataset "design_<measure>.<key>"
  std::vector<Dataset> design_ds;
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



  // A parallel sink (SinkOptions::parallel): the rows this process holds until the next
  // collective checkpoint, per dataset (rows ascending, their bytes in the native type), and the
  // text rows that rank 0 writes.
  struct PendingRows {
    std::vector<hsize_t> rows;
    std::vector<unsigned char> bytes;
    hid_t mem_type = -1;
  };
  struct PendingText {
    std::string path;
    hsize_t row = 0;
    std::string text;
  };
  bool parallel = false;
  std::map<const Dataset*, PendingRows> pending;
  std::vector<PendingText> pending_text;
  std::size_t held_runs = 0;  // rows held by this process since the last checkpoint

  // Writes element `index` of a [run] dataset (or row `index` of a [run, n] one) and adds its
  // hash; a parallel sink holds it for the next checkpoint.
  template <typename T>
  void put(Dataset& d, std::span<const T> row, hsize_t index, bool matrix) {
    digest += row_hash(path(d), index, row.data(), row.size_bytes());
    if (parallel) {
      PendingRows& p = pending[&d];
      if (!p.rows.empty() && p.rows.back() >= index) throw ResultError(fmt::format("row {} of {} given after row {}", index, path(d), p.rows.back()));
      p.rows.push_back(index);
      const auto* b = reinterpret_cast<const unsigned char*>(row.data());
      p.bytes.insert(p.bytes.end(), b, b + row.size_bytes());
      if constexpr (std::is_same_v<T, double>) p.mem_type = H5T_NATIVE_DOUBLE;
      else if constexpr (std::is_same_v<T, float>) p.mem_type = H5T_NATIVE_FLOAT;
      else if constexpr (std::is_same_v<T, std::int64_t>) p.mem_type = H5T_NATIVE_INT64;
      else p.mem_type = H5T_NATIVE_INT8;
      return;
    }
    if (matrix)
      d.write_slab(row, {index, 0}, {1, row.size()});
    else
      d.write_slab(row, {index}, {1});
  }













  // ------------------------------------------------------------------------------- resuming




  // Sets the run extent of every [run, ...] dataset; datasets created later start at `capacity`.
  void resize(hsize_t rows);
  const std::string& path(const Dataset& d);
  void put_string(Dataset& d, const std::string& text, hsize_t index);
  Dataset run_scale(Group& g);
  Dataset one_d(Group& g, const std::string& name, char kind, const std::string& units, const std::string& long_name, Dataset& run);
  // Resolutions that some variable's series uses, monthly first.
  std::vector<SeriesResolution> used_resolutions() const;
  void create_groups();
  // The datasets that exist from the start, in `extendable`.
  void register_fixed();
  void create_measures(const RunResult& run);
  void create_design_values(const RunResult& run);
  // The time axis of one series group (time, time_bnds, nv).
  void create_time_axis(SeriesGroup& sg);
  // The /annual year axis and each series group's time axis (empty when no run succeeded).
  void create_axes(const std::string& who);
  Dataset state_dataset(Group& g, const scenario::StateValue& s, Dataset& run);
  // A [run, length] dataset: chunks of row_chunk runs x `cols` intervals, deflate and shuffle as
  // the output spec says, and a chunk cache holding one row block of chunks.
  Dataset matrix_dataset(Group& g, const Variable& v, hsize_t length, hsize_t cols, Precision precision, Dataset& run, Dataset& axis, const char* axis_name);
  void learn_series(const RunResult& run);
  void create_variables(const RunResult& run, const std::string& who);
  // Reopens the structure of a partial file written by this sink.
  void reopen();
  void resume(const std::string& partial_path, const std::string& sums);
  // Digest of rows 0..n-1 as stored in the file: rows of /runs and of every `run` coordinate
  // always, rows of the other groups for successful runs only (as write() writes them).
  std::uint64_t file_digest(std::size_t n, const std::vector<std::int8_t>& status);
  // What verification and the batch summary need of runs 0..n-1 (see take_resumed_runs()).
  std::vector<RunResult> summaries(std::size_t n, const std::vector<std::int8_t>& status);
  // Closes every handle into the file (not the file) and forgets what reopen() learns from it.
  void detach();
  // A parallel sink's checkpoint (result_sink_parallel.cpp): the held rows written collectively,
  // the text rows and the checkpoint by rank 0 alone; afterwards rank 0 keeps the file open alone
  // when `hand_over`, else every process reopens it in parallel.
  void sync_parallel(const std::string& partial_path, bool hand_over);
};



}  // namespace daihai::io
