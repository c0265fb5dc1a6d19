#include "io/state_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/hdf5.hpp"
#include "io/version.hpp"
#include "physics/process.hpp"
#include "scenario/run.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

std::vector<std::string> state_columns(const model::Model& m) {
  std::vector<std::string> c(static_cast<std::size_t>(m.state_size));
  c[physics::kVolume] = "volume_m3";
  c[physics::kSalt] = "salt_kg";
  c[physics::kAquifer] = "aquifer_m3";
  c[physics::kAquiferSalt] = "aquifer_salt_kg";
  c[physics::kFieldSalt] = "field_salt_kg";
  for (const auto& f : m.fluxes) {
    c[static_cast<std::size_t>(f.water)] = f.decl.name + "_m3";
    if (f.salt >= 0) c[static_cast<std::size_t>(f.salt)] = f.decl.name + "_kg";
  }
  return c;
}

std::string weather_identity(const scenario::ClimateSpec& c) {
  return fmt::format("{} seed {} member {} observed_months {} delta_t_C {:a} delta_p_pct {:a} ramp {}-{} file '{}'",
                     c.source == scenario::ClimateSpec::Source::csv ? "csv" : "generator", c.seed, c.member, c.observed_months,
                     c.delta_t_C, c.delta_p_pct, c.delta_ramp_first_year, c.delta_ramp_last_year, c.csv_path);
}

void write_state_file(const std::string& path, const StateFile& file) {
  const std::string writing = path + ".writing";
  if (const auto parent = fs::path(path).parent_path(); !parent.empty()) fs::create_directories(parent);
  {
    hdf5::File f = hdf5::File::create(writing);
    hdf5::Group& root = f;
    root.set_attribute("format", "daihai-state");
    root.set_attribute("format_version", std::int64_t{1});
    root.set_attribute("engine_version", engine_version());
    root.set_attribute("integrator", file.integrator);
    root.set_attribute("columns", file.columns);
    root.set_attribute("processes", file.processes);
    if (!file.runs.empty()) root.set_attribute("day", core::format_date(core::date_of(file.runs.begin()->second.state.day)));
    hdf5::Group runs = root.create_group("runs");
    for (const auto& [index, r] : file.runs) {
      hdf5::Group g = runs.create_group(std::to_string(index));
      g.set_attribute("scenario", r.scenario);
      g.set_attribute("climate_member", std::int64_t{r.climate_member});
      g.set_attribute("parameter_member", std::int64_t{r.parameter_member});
      g.set_attribute("delta_t_C", r.delta_t_C);
      g.set_attribute("delta_p_pct", r.delta_p_pct);
      g.set_attribute("weather", r.weather);
      g.set_attribute("forcing_origin", core::format_date(core::date_of(r.forcing_origin)));
      g.set_attribute("next_step_s", r.state.next_step_s);
      g.set_attribute("steps", static_cast<std::int64_t>(r.state.steps));
      g.set_attribute("rejected_steps", static_cast<std::int64_t>(r.state.rejected_steps));
      g.set_attribute("failed", std::int8_t{r.state.failed ? std::int8_t{1} : std::int8_t{0}});
      g.set_attribute("error", r.state.error);
      g.write("x", std::span<const double>(r.state.x), {r.state.x.size()}, {}, 0.0);
      std::vector<double> flat;
      std::vector<std::int64_t> lengths;
      for (const auto& p : r.state.processes) {
        flat.insert(flat.end(), p.begin(), p.end());
        lengths.push_back(static_cast<std::int64_t>(p.size()));
      }
      flat.push_back(0.0);  // an end marker: never an empty dataset
      lengths.push_back(0);
      g.write("process_state", std::span<const double>(flat), {flat.size()}, {}, 0.0);
      g.write("process_lengths", std::span<const std::int64_t>(lengths), {lengths.size()}, {}, std::int64_t{0});
    }
    f.close_file();
  }
  fs::rename(writing, path);
}

namespace {

RunState read_run(const hdf5::Group& g, const std::string& path, const std::string& name, std::int64_t day, std::size_t columns) {
  RunState r;
  r.scenario = g.string_attribute("scenario");
  r.climate_member = static_cast<int>(g.int_attribute("climate_member"));
  r.parameter_member = static_cast<int>(g.int_attribute("parameter_member"));
  r.delta_t_C = g.double_attribute("delta_t_C");
  r.delta_p_pct = g.double_attribute("delta_p_pct");
  r.weather = g.string_attribute("weather");
  r.forcing_origin = core::day_number(core::parse_date(g.string_attribute("forcing_origin")));
  r.state.day = day;
  r.state.next_step_s = g.double_attribute("next_step_s");
  r.state.steps = static_cast<std::uint64_t>(g.int_attribute("steps"));
  r.state.rejected_steps = static_cast<std::uint64_t>(g.int_attribute("rejected_steps"));
  r.state.failed = g.int_attribute("failed") != 0;
  r.state.error = g.string_attribute("error");
  r.state.x = g.open_dataset("x").read_double();
  auto flat = g.open_dataset("process_state").read_double();
  auto lengths = g.open_dataset("process_lengths").read_int64();
  if (flat.empty() || lengths.empty()) throw core::InputError(path, 0, "runs/" + name, "damaged process state");
  flat.pop_back();  // the end markers
  lengths.pop_back();
  std::size_t k = 0;
  for (const std::int64_t n : lengths) {
    if (n < 0 || k + static_cast<std::size_t>(n) > flat.size()) throw core::InputError(path, 0, "runs/" + name, "damaged process state");
    r.state.processes.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(k), flat.begin() + static_cast<std::ptrdiff_t>(k + n));
    k += static_cast<std::size_t>(n);
  }
  const bool finite = std::all_of(r.state.x.begin(), r.state.x.end(), [](double v) { return std::isfinite(v); }) &&
                      std::all_of(flat.begin(), flat.end(), [](double v) { return std::isfinite(v); });
  if (!finite || k != flat.size() || r.state.x.size() != columns)
    throw core::InputError(path, 0, "runs/" + name, "damaged state (non-finite, missing or extra values)");
  return r;
}

}  // namespace

StateFile read_state_file(const std::string& path) {
  if (!fs::is_regular_file(path)) throw core::InputError(path, 0, "", "no state file here (written by 'daihai batch --save-state')");
  StateFile out;
  try {
    const hdf5::File f = hdf5::File::open(path);
    const hdf5::Group& root = f;
    if (!root.has_attribute("format") || root.string_attribute("format") != "daihai-state")
      throw core::InputError(path, 0, "format", "not a daihai state file (written by 'daihai batch --save-state')");
    if (root.int_attribute("format_version") != 1)
      throw core::InputError(path, 0, "format_version", "a state file of another format version; expected 1");
    if (root.string_attribute("engine_version") != engine_version())
      throw core::InputError(path, 0, "engine_version",
                             fmt::format("written by daihai {}, this is {}: a run continues bit for bit only with the engine that began it",
                                         root.string_attribute("engine_version"), engine_version()));
    out.integrator = root.string_attribute("integrator");
    out.columns = root.string_array_attribute("columns");
    out.processes = root.string_array_attribute("processes");
    const std::int64_t day = core::day_number(core::parse_date(root.string_attribute("day")));
    const hdf5::Group runs = root.open_group("runs");
    for (const auto& name : runs.children()) {
      RunState r = read_run(runs.open_group(name), path, name, day, out.columns.size());
      if (r.state.processes.size() != out.processes.size()) throw core::InputError(path, 0, "runs/" + name, "damaged process state");
      out.runs.emplace(std::stoul(name), std::move(r));
    }
  } catch (const core::InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw core::InputError(path, 0, "", "not a readable daihai state file (damaged or of another kind)");
  }
  return out;
}

namespace {

// `r`'s state in the layout of `m` (columns and processes by name).
scenario::LaneState remap(const RunState& r, const StateFile& file, const model::Model& m, const std::string& path) {
  scenario::LaneState s = r.state;
  const auto to = state_columns(m);
  s.x.assign(to.size(), 0.0);
  for (std::size_t c = 0; c < to.size(); ++c) {
    const auto it = std::find(file.columns.begin(), file.columns.end(), to[c]);
    if (it != file.columns.end()) s.x[c] = r.state.x[static_cast<std::size_t>(it - file.columns.begin())];
    else if (c < static_cast<std::size_t>(physics::kStores))
      throw core::InputError(path, 0, "columns", fmt::format("the state has no '{}', a store of every model: damaged", to[c]));
  }
  s.x0.clear();  // a restart counts its balance from the saved state
  s.processes.assign(m.processes.size(), {});
  for (std::size_t p = 0; p < m.processes.size(); ++p) {
    const auto it = std::find(file.processes.begin(), file.processes.end(), m.processes[p].name);
    const physics::ProcessType* type = physics::find_process_type(m.processes[p].type);
    if (it != file.processes.end()) s.processes[p] = r.state.processes[static_cast<std::size_t>(it - file.processes.begin())];
    else if (type != nullptr && type->keeps_state)
      throw core::InputError(path, 0, "processes",
                             fmt::format("the model has '{}', which keeps a state the run that wrote this file did not have ([switches] "
                                         "differ): restart with the switches of that run",
                                         m.processes[p].name));
  }
  for (std::size_t q = 0; q < file.processes.size(); ++q)
    if (!r.state.processes[q].empty() &&
        std::none_of(m.processes.begin(), m.processes.end(), [&](const auto& i) { return i.name == file.processes[q]; }))
      throw core::InputError(path, 0, "processes",
                             fmt::format("the state holds '{}', which this model does not have ([switches] differ): restart with the "
                                         "switches of the run that wrote it",
                                         file.processes[q]));
  return s;
}

std::string describe(const std::string& scenario, int climate, int parameter, double dt, double dp) {
  return fmt::format("{} (climate member {}, parameter member {}, climate delta {:+g} degC {:+g} %)", scenario, climate, parameter, dt, dp);
}

}  // namespace

std::vector<scenario::LaneState> restart_states(const RunPlan& plan, const StateFile& file, const std::string& path) {
  std::vector<scenario::LaneState> out;
  for (const auto& run : plan.runs) {
    const auto& s = run.scenario;
    const std::string where = "runs/" + std::to_string(run.index);
    const auto it = file.runs.find(run.index);
    if (it == file.runs.end()) throw core::InputError(path, 0, where, fmt::format("no state for run {} ({})", run.index, s.name));
    const RunState& r = it->second;
    if (r.scenario != s.name || r.climate_member != s.climate.member || r.parameter_member != s.parameter_member ||
        r.delta_t_C != s.climate.delta_t_C || r.delta_p_pct != s.climate.delta_p_pct)
      throw core::InputError(path, 0, where,
                             fmt::format("the state of run {} is of {}, not of {}", run.index,
                                         describe(r.scenario, r.climate_member, r.parameter_member, r.delta_t_C, r.delta_p_pct),
                                         describe(s.name, s.climate.member, s.parameter_member, s.climate.delta_t_C, s.climate.delta_p_pct)));
    if (r.weather != weather_identity(s.climate))
      throw core::InputError(path, 0, where,
                             fmt::format("run {} was saved with the weather '{}', the batch makes '{}': a restart continues only the same "
                                         "weather ([climate] as in the batch that saved it)",
                                         run.index, r.weather, weather_identity(s.climate)));
    if (r.state.day != core::day_number(s.start))
      throw core::InputError(path, 0, "day",
                             fmt::format("the states are at the start of {}, the batch starts on {}: set [scenario] start to the state's day",
                                         core::format_date(core::date_of(r.state.day)), core::format_date(s.start)));
    if (file.integrator != s.integrator)
      throw core::InputError(path, 0, "integrator",
                             fmt::format("saved with the integrator '{}', the batch uses '{}'", file.integrator, s.integrator));
    if (r.forcing_origin > r.state.day) throw core::InputError(path, 0, where, "weather origin after the state's day: damaged");
    out.push_back(remap(r, file, *plan.model, path));
  }
  return out;
}

}  // namespace daihai::io
