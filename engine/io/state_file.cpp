#include "io/state_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/hdf5.hpp"
#include "io/version.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

void write_state_file(const std::string& path, const std::map<std::size_t, RunState>& states) {
  const std::string writing = path + ".writing";
  if (const auto parent = fs::path(path).parent_path(); !parent.empty()) fs::create_directories(parent);
  {
    hdf5::File f = hdf5::File::create(writing);
    hdf5::Group& root = f;
    root.set_attribute("format", "daihai-state");
    root.set_attribute("format_version", std::int64_t{1});
    root.set_attribute("engine_version", engine_version());
    if (!states.empty()) root.set_attribute("day", core::format_date(core::date_of(states.begin()->second.state.day)));
    hdf5::Group runs = root.create_group("runs");
    for (const auto& [index, r] : states) {
      hdf5::Group g = runs.create_group(std::to_string(index));
      g.set_attribute("scenario", r.scenario);
      g.set_attribute("climate_member", std::int64_t{r.climate_member});
      g.set_attribute("parameter_member", std::int64_t{r.parameter_member});
      g.set_attribute("delta_t_C", r.delta_t_C);
      g.set_attribute("delta_p_pct", r.delta_p_pct);
      g.set_attribute("forcing_origin", core::format_date(core::date_of(r.forcing_origin)));
      g.set_attribute("next_step_s", r.state.next_step_s);
      g.set_attribute("steps", static_cast<std::int64_t>(r.state.steps));
      g.set_attribute("rejected_steps", static_cast<std::int64_t>(r.state.rejected_steps));
      g.set_attribute("failed", std::int8_t{r.state.failed ? std::int8_t{1} : std::int8_t{0}});
      g.set_attribute("error", r.state.error);
      g.write("x", std::span<const double>(r.state.x), {r.state.x.size()}, {}, 0.0);
      g.write("x0", std::span<const double>(r.state.x0), {r.state.x0.size()}, {}, 0.0);
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

std::map<std::size_t, RunState> read_state_file(const std::string& path) {
  if (!fs::exists(path)) throw core::InputError(path, 0, "", "the state file does not exist");
  std::map<std::size_t, RunState> out;
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
    const std::int64_t day = core::day_number(core::parse_date(root.string_attribute("day")));
    const hdf5::Group runs = root.open_group("runs");
    for (const auto& name : runs.children()) {
      const hdf5::Group g = runs.open_group(name);
      RunState r;
      r.scenario = g.string_attribute("scenario");
      r.climate_member = static_cast<int>(g.int_attribute("climate_member"));
      r.parameter_member = static_cast<int>(g.int_attribute("parameter_member"));
      r.delta_t_C = g.double_attribute("delta_t_C");
      r.delta_p_pct = g.double_attribute("delta_p_pct");
      r.forcing_origin = core::day_number(core::parse_date(g.string_attribute("forcing_origin")));
      r.state.day = day;
      r.state.next_step_s = g.double_attribute("next_step_s");
      r.state.steps = static_cast<std::uint64_t>(g.int_attribute("steps"));
      r.state.rejected_steps = static_cast<std::uint64_t>(g.int_attribute("rejected_steps"));
      r.state.failed = g.int_attribute("failed") != 0;
      r.state.error = g.string_attribute("error");
      r.state.x = g.open_dataset("x").read_double();
      r.state.x0 = g.open_dataset("x0").read_double();
      auto flat = g.open_dataset("process_state").read_double();
      auto lengths = g.open_dataset("process_lengths").read_int64();
      if (flat.empty() || lengths.empty()) throw core::InputError(path, 0, "runs/" + name, "damaged process state");
      flat.pop_back();  // the end marker
      lengths.pop_back();
      std::size_t k = 0;
      for (const std::int64_t n : lengths) {
        if (n < 0 || k + static_cast<std::size_t>(n) > flat.size()) throw core::InputError(path, 0, "runs/" + name, "damaged process state");
        r.state.processes.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(k), flat.begin() + static_cast<std::ptrdiff_t>(k + n));
        k += static_cast<std::size_t>(n);
      }
      const bool finite = std::all_of(r.state.x.begin(), r.state.x.end(), [](double v) { return std::isfinite(v); });
      if (!finite || k != flat.size()) throw core::InputError(path, 0, "runs/" + name, "damaged state (non-finite or extra values)");
      out.emplace(std::stoul(name), std::move(r));
    }
  } catch (const core::InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw core::InputError(path, 0, "", fmt::format("cannot read the state file: {}", e.what()));
  }
  return out;
}

std::vector<const RunState*> match_states(const RunPlan& plan, const std::map<std::size_t, RunState>& states, const std::string& file) {
  std::vector<const RunState*> out;
  for (const auto& run : plan.runs) {
    const auto it = states.find(run.index);
    const auto& s = run.scenario;
    if (it == states.end())
      throw core::InputError(file, 0, "runs/" + std::to_string(run.index), fmt::format("no state for run {} ({})", run.index, s.name));
    const RunState& r = it->second;
    if (r.scenario != s.name || r.climate_member != s.climate.member || r.parameter_member != s.parameter_member ||
        r.delta_t_C != s.climate.delta_t_C || r.delta_p_pct != s.climate.delta_p_pct)
      throw core::InputError(file, 0, "runs/" + std::to_string(run.index),
                             fmt::format("the state of run {} is of {} (climate member {}, parameter member {}), not of {} (climate member {}, "
                                         "parameter member {})",
                                         run.index, r.scenario, r.climate_member, r.parameter_member, s.name, s.climate.member,
                                         s.parameter_member));
    if (r.state.day != core::day_number(s.start))
      throw core::InputError(file, 0, "day",
                             fmt::format("the states are at the start of {}, the batch starts on {}: set [scenario] start to the state's day",
                                         core::format_date(core::date_of(r.state.day)), core::format_date(s.start)));
    if (r.forcing_origin > r.state.day) throw core::InputError(file, 0, "runs/" + std::to_string(run.index), "weather origin after the state's day");
    out.push_back(&r);
  }
  return out;
}

}  // namespace daihai::io
