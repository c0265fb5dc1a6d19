#include "io/result_sink_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "model/binner.hpp"

namespace daihai::io {

// Checks that the open partial file belongs to the batch of `metadata` (its provenance, its
// layout version, the digest of its checkpointed rows) and makes it the file being written,
// cut back to its last checkpoint. Throws core::InputError saying what differs, ResultError or
// hdf5::Hdf5Error for a damaged file (the caller reports it as such).
void ResultSink::State::resume(const std::string& partial_path, const std::string& sums) {
  const std::string again = "delete it and run the batch again without --resume";
  const BatchMetadata& m = metadata;
  State& s = *this;
  auto& root = s.file;
  if (!root.has_attribute("daihai_partial") || !root.has_attribute("daihai_layout"))
    throw core::InputError(partial_path, 0, "daihai_partial", "not the partial file of a daihai batch: " + again);
  if (root.int_attribute("daihai_layout") != kResultLayoutVersion)
    throw core::InputError(partial_path, 0, "daihai_layout",
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
    throw core::InputError(partial_path, 0, same[i].first, std::string("cannot resume: ") + what[i] + which + "; " + again);
  }
  const std::string shard = root.has_attribute("shard") ? root.string_attribute("shard") : std::string();
  if (shard != m.shard)
    throw core::InputError(partial_path, 0, "shard",
                           fmt::format("cannot resume: the partial file holds {}, this command writes {}; {}",
                                       shard.empty() ? "the whole batch" : "shard " + shard,
                                       m.shard.empty() ? "the whole batch" : "shard " + m.shard, again));
  if (!root.has_attribute("resume_runs") || !root.has_attribute("resume_digest"))
    throw core::InputError(partial_path, 0, "resume_runs", "the partial file has no checkpoint: " + again);
  const auto n = static_cast<std::size_t>(root.int_attribute("resume_runs"));
  const std::string recorded = root.string_attribute("resume_digest");
  s.reopen();
  if (n > s.capacity) throw ResultError("more runs recorded than rows present");
  std::vector<std::int8_t> status(n);
  s.status_ds.read_slab(status.data(), H5T_NATIVE_INT8, {0}, {n});
  if (fmt::format("{:016x}", s.file_digest(n, status)) != recorded)
    throw ResultError("the rows of the finished runs do not match the digest recorded with the last checkpoint");
  s.resumed = s.summaries(n, status);
  // Rows written after the last checkpoint are dropped. A parallel sink keeps its extent (every
  // row from n on is written again by the job): cutting the chunks and extending the datasets again
  // left a file whose next collective write never completed (HDF5 1.10.8).
  if (!options.parallel) s.resize(n);
  s.runs = n;
  s.digest = std::stoull(recorded, nullptr, 16);
  if (s.have_axes && !s.series_groups.empty()) {
    // The runs' own series axis is that of the finest group; its names come with the next run.
    const auto& fine = s.series_groups.back();
    s.start_day = fine.aggregate ? std::vector<std::int64_t>{} : fine.start_day;
  }
}

// Reopens the structure of a partial file written by this sink.
void ResultSink::State::reopen() {
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
  branch_ds = g_runs.open_dataset("branch_date");
  status_ds = g_runs.open_dataset("status");
  error_ds = g_runs.open_dataset("error");
  water_ds = g_balance.open_dataset("water_residual_m3");
  salt_ds = g_balance.open_dataset("salt_residual_kg");
  steps_ds = g_balance.open_dataset("steps");
  rejected_ds = g_balance.open_dataset("rejected_steps");
  register_fixed();
  for (const auto& name : g_runs.children()) {
    if (name.rfind("measure_", 0) == 0) {
      measure_names.push_back(name.substr(8));
      measure_ds.push_back(g_runs.open_dataset(name));
    }
    if (name.rfind("design_", 0) == 0) {
      design_names.push_back(name.substr(7));
      design_ds.push_back(g_runs.open_dataset(name));
    }
  }
  for (auto& d : measure_ds) extendable.push_back(&d);
  for (auto& d : design_ds) extendable.push_back(&d);
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
  open_all(g_annual, annual_names, annual_ds, row_block_cache_bytes(options.row_chunk * years.size() * sizeof(double)));
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
      const std::size_t elem = type.size() == 4 ? 4 : 8;
      const std::size_t block = options.row_chunk * sg.start_day.size() * elem;
      sg.ds.emplace(name, sg.group.open_dataset(name, row_block_cache_bytes(block)));
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
std::uint64_t ResultSink::State::file_digest(std::size_t n, const std::vector<std::int8_t>& status) {
  std::uint64_t sum = 0;
  auto hash_dataset = [&](Dataset& d, bool all_rows) {
    const auto dims = d.dims();
    if (dims.empty() || dims[0] < n) throw ResultError(fmt::format("{} has fewer rows than recorded", path(d)));
    const auto type = d.type();
    const std::string& p = path(d);
    if (type.type_class() == hdf5::TypeClass::string) {
      const auto text = d.read_strings(n);  // rows after the checkpoint may reference unwritten strings
      for (std::size_t j = 0; j < n; ++j)
        if (all_rows || status[j] == 0) sum += row_hash(p, j, text[j].data(), text[j].size());
      return;
    }
    const std::size_t size = type.size();
    const bool is_float = type.type_class() == hdf5::TypeClass::floating;
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
  for (Dataset* d : {&scenario_ds, &climate_ds, &parameter_ds, &delta_t_ds, &delta_p_ds, &branch_ds, &status_ds, &error_ds})
    hash_dataset(*d, true);
  for (auto& d : measure_ds) hash_dataset(d, true);
  for (auto& d : design_ds) hash_dataset(d, true);
  for (Dataset* d : {&water_ds, &salt_ds, &steps_ds, &rejected_ds}) hash_dataset(*d, false);
  for (auto* m : {&initial_ds, &final_ds, &annual_ds})
    for (auto& [name, ds] : *m) hash_dataset(ds, false);
  for (auto& sg : series_groups)
    for (auto& [name, ds] : sg.ds) hash_dataset(ds, false);
  return sum;
}

// What verification and the batch summary need of runs 0..n-1 (see take_resumed_runs()).
std::vector<RunResult> ResultSink::State::summaries(std::size_t n, const std::vector<std::int8_t>& status) {
  std::vector<RunResult> out(n);
  const auto scen = scenario_ds.read_strings(n);
  const auto err = error_ds.read_strings(n);
  const auto branch = branch_ds.read_strings(n);
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
  std::vector<std::vector<double>> design(design_ds.size(), std::vector<double>(n));
  for (std::size_t d = 0; d < design_ds.size(); ++d) design_ds[d].read_slab(design[d].data(), H5T_NATIVE_DOUBLE, {0}, {n});
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
    for (std::size_t d = 0; d < design_ds.size(); ++d) r.design_values.emplace_back(design_names[d], "", design[d][j]);
    r.climate_member = static_cast<int>(cm[j]);
    r.parameter_member = static_cast<int>(pm[j]);
    r.delta_t_C = dt[j];
    r.delta_p_pct = dp[j];
    r.branch_date = branch[j];
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

}  // namespace daihai::io
