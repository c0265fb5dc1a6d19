#pragma once
/// @file scenario_file.hpp
/// Reads scenario files and batch files (`scenarios/*.toml`, toml++) into run lists. Every
/// problem is a core::InputError naming the file, the line and the key; nothing runs before
/// the whole file has been checked.
#include <memory>
#include <string>
#include <vector>

#include "scenario/spec.hpp"

namespace daihai::io {

/// A set of runs read from one file, with the lake inputs they share.
struct RunPlan {
  std::string name;                 ///< batch or scenario name (the output file's stem by default)
  std::string file;                 ///< the scenario or batch file
  std::string text;                 ///< its text, kept for provenance in the results
  std::shared_ptr<const scenario::LakeInputs> inputs;
  std::vector<scenario::RunSpec> runs;
  std::vector<std::string> measure_names;  ///< every measure known to the inputs, in their order
};

/// Reads a scenario file: one run. Tables: [scenario] (name, start, end, inputs, series,
/// integrator), [climate], [switches], [inflow], [parameters], [measures.<name>] (the measure
/// is on; keys override its design values from the inputs' measures.toml).
RunPlan load_scenario_file(const std::string& path);

/// Reads a batch file: the tables of a scenario file (the base) plus [batch] with `name`,
/// `measures` (the measures varied), `combinations` = "all" (every on/off combination,
/// 2^n runs per member) or "list" (then `list` = arrays of measure names), `members` (number
/// of climate members) and optional `first_member`. Runs are ordered combination-major,
/// member-minor. A combination is named by its measures joined with '+', or "baseline".
RunPlan load_batch_file(const std::string& path);

}  // namespace daihai::io
