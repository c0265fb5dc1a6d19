#include "io/result_sink.hpp"
#include "io/result_sink_state.hpp"

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

std::string checksum_lines(const BatchMetadata& m) {
  std::string sums;
  for (const auto& [p, sum] : m.input_checksums) sums += fmt::format("{}  {}\n", sum, p);
  return sums;
}

// ----------------------------------------------------------------------------------- the sink


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
  if (options.parallel)
    open_parallel(mode);
  else
    open_serial(mode);
}

void ResultSink::open_serial(SinkMode mode) {
  const auto& m = state_->metadata;
  const std::string sums = checksum_lines(m);
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
    try {
      state_->resume(partial_path_, sums);
      // Rows this program writes are not a parallel job's (see ResultSink::open_parallel).
      if (!state_->options.parallel) state_->file.delete_attribute("written_in_parallel");
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
  // The folder is made only now, when the file is written (the checks before the batch make nothing).
  if (const auto parent = std::filesystem::path(partial_path_).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
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
    if (!m.shard.empty()) {
      root.set_attribute("shard", m.shard);
      root.set_attribute("shard_first_run", static_cast<std::int64_t>(m.shard_first_run));
      root.set_attribute("batch_runs", static_cast<std::int64_t>(m.batch_runs));
    }
    state_->create_groups();
    if (const auto& layout = state_->options.layout) {
      state_->create_variables(*layout, "the declared layout");
      // The identity columns of the runs too (all runs of a batch have the same measures).
      for (const auto& [name, on] : layout->measures) {
        (void)on;
        check_name("measure_" + name, "measure", "the declared layout");
      }
      if (!layout->measures.empty()) state_->create_measures(*layout);
      if (!layout->design_values.empty()) state_->create_design_values(*layout);
    }
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
  if (state_->parallel) throw ResultError("ResultSink::file(): a parallel sink before gather()");
  if (state_->capacity != state_->runs) state_->resize(state_->runs);
  return state_->file;
}

void ResultSink::write_all(const std::vector<RunResult>& runs) {
  for (const auto& r : runs) write(r);
}

void ResultSink::checkpoint() {
  if (committed_ || !state_) throw ResultError("ResultSink::checkpoint(): the sink '" + path_ + "' is committed");
  State& s = *state_;
  const auto t0 = std::chrono::steady_clock::now();
  if (s.parallel) {
    s.sync_parallel(partial_path_, false);
    s.write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return;
  }
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
  if (state_->parallel) throw ResultError("ResultSink::write(): a parallel sink takes each run with its row, write(run, index)");
  write_row(input, state_->runs);
}

void ResultSink::write(const RunResult& input, std::size_t index) {
  if (committed_ || !state_) throw ResultError("ResultSink::write(): the sink '" + path_ + "' is committed");
  if (!state_->parallel) throw ResultError("ResultSink::write(run, index): not a parallel sink (or after gather())");
  if (index < state_->runs) throw ResultError(fmt::format("ResultSink::write(): row {} is already in the file", index));
  write_row(input, index);
}

void ResultSink::write_row(const RunResult& input, std::size_t index) {
  State& s = *state_;
  const auto t0 = std::chrono::steady_clock::now();
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
  if (!s.design_names.empty() || index > 0) {
    bool same = input.design_values.size() == s.design_names.size();
    for (std::size_t i = 0; same && i < input.design_values.size(); ++i) same = std::get<0>(input.design_values[i]) == s.design_names[i];
    if (!same) throw ResultError(fmt::format("{}: its design values differ from those of run 0", who));
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
  if (s.design_names.empty() && !input.design_values.empty()) s.create_design_values(input);
  if (ok && !s.have_axes) {
    if (s.parallel) throw ResultError(fmt::format("{}: a parallel sink needs the declared layout", who));
    s.create_variables(input, who);
    s.runs = index;
    s.write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return write_row(input, index);  // now with the datasets in place (the series rows are built against them)
  }

  // --- make room for the row (new rows read as _FillValue). Datasets grow by doubling and are
  // cut to the number of runs by commit(): changing the extent on every run makes HDF5 evict
  // and recompress chunks each time.
  const hsize_t n = index + 1;
  if (s.parallel) {  // pre-sized: no process changes an extent while the others write
    if (n > s.capacity) throw ResultError(fmt::format("{}: beyond the {} rows the parallel file was made for", who, s.capacity));
    ++s.held_runs;
  } else {
    if (n > s.capacity) s.resize(std::max<hsize_t>(2 * s.capacity, kRunChunk));
    s.runs = n;
  }
  const std::int64_t run_index = static_cast<std::int64_t>(s.metadata.shard_first_run + index);
  for (auto& scale : s.run_scales) s.put(scale, std::span<const std::int64_t>(&run_index, 1), index, false);
  for (auto& sg : s.series_groups) s.put(sg.run_scale, std::span<const std::int64_t>(&run_index, 1), index, false);

  s.put_string(s.scenario_ds, input.scenario, index);
  s.put_string(s.error_ds, ok ? std::string() : error, index);
  s.put_string(s.branch_ds, input.branch_date, index);
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
  for (std::size_t i = 0; i < s.design_ds.size(); ++i) {
    const double given = std::get<2>(input.design_values[i]);
    const double v = std::isfinite(given) ? given : hdf5::kFillDouble;  // the measure is off in this run
    s.put(s.design_ds[i], std::span<const double>(&v, 1), index, false);
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
  if (!s.parallel && s.runs % std::max<std::size_t>(s.options.row_chunk, 1) == 0) checkpoint();
}

std::vector<RunResult> ResultSink::written_runs() {
  if (committed_ || !state_) throw ResultError("ResultSink::written_runs(): the sink '" + path_ + "' is committed");
  State& s = *state_;
  if (s.parallel) throw ResultError("ResultSink::written_runs(): a parallel sink before gather()");
  std::vector<std::int8_t> status(s.runs);
  if (s.runs > 0) s.status_ds.read_slab(status.data(), H5T_NATIVE_INT8, {0}, {s.runs});
  return s.summaries(s.runs, status);
}

void ResultSink::commit() {
  if (committed_ || !state_) throw ResultError("ResultSink::commit(): the sink '" + path_ + "' is already committed");
  State& s = *state_;
  if (s.parallel) throw ResultError("ResultSink::commit(): a parallel sink is committed by rank 0 after gather()");
  if (!s.have_axes) s.create_axes("commit");  // no successful run: empty year and time axes
  s.resize(s.runs);
  s.file.set_attribute("runs", static_cast<std::int64_t>(s.runs));
  for (const char* a : {"daihai_partial", "resume_runs", "resume_digest", "written_in_parallel"}) s.file.delete_attribute(a);
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
  if (file.has_attribute("shard"))
    throw core::InputError(path, 0, "shard", fmt::format("shard {} of a batch, not the whole batch's results: merge the parts first (daihai merge)",
                                                         file.string_attribute("shard")));
  for (const char* group : {"runs", "annual"})
    if (!file.exists(group))
      throw core::InputError(path, 0, std::string("/") + group, "not a daihai result file: the group is missing");
  return file;
}

std::size_t successful_runs(const std::string& path) {
  const auto file = open_result_file(path);
  const auto status = require_dataset(file.open_group("runs"), "/runs", "status", path).read_int8();
  return static_cast<std::size_t>(std::count(status.begin(), status.end(), std::int8_t{0}));
}

hdf5::Dataset require_dataset(const hdf5::Group& group, const std::string& group_path, const std::string& name,
                              const std::string& file) {
  if (!group.exists(name)) throw core::InputError(file, 0, group_path + "/" + name, "dataset missing from the results file");
  return group.open_dataset(name);
}

}  // namespace daihai::io
