#pragma once
/// @file scenario_file.hpp
/// Reads scenario files and batch files (`scenarios/*.toml`, toml++) into run lists. Every
/// problem is a core::InputError naming the file, the line and the key; nothing runs before
/// the whole file has been checked.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "io/output_spec.hpp"
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
  std::map<std::string, std::string> checksums;  ///< every file the plan reads (inputs, ensemble) → checksum
  OutputSpec output;  ///< what /series holds per variable, from [output] (every run's resolution is its finest())
};

/// Checks the variable names of `plan.output` against the series variables a run of the plan
/// produces (a one-month run of its first run). Throws core::InputError naming the file, the
/// line and `output.variables.<name>` for a name the runs do not produce, listing the names.
void check_output_variables(const RunPlan& plan);

/// One row of a parameter ensemble: its member id and parameter values in their declared units.
struct ParameterMember {
  int member = 0;
  std::map<std::string, double> values;
};

/// Reads a parameter ensemble (`<inputs>/parameter_ensemble.csv`): a `member` column, then one
/// column per parameter (declared names and units; `objective` and `note` columns are ignored).
/// Throws core::InputError naming file, line and column for an unknown parameter, a value out
/// of its valid range, a repeated member or an empty table.
std::vector<ParameterMember> read_parameter_ensemble(const std::string& path);

/// Reads a scenario file: one run. Tables: [scenario] (name, start, end, inputs, series,
/// integrator), [output] (per-variable series resolution and precision, io::OutputSpec), [climate], [switches], [inflow], [parameters], [measures.<name>] (the measure
/// is on; keys override its design values from the inputs' measures.toml). `extra_tables` names
/// further top-level tables the caller reads itself (e.g. [calibration] of a calibration file).
RunPlan load_scenario_file(const std::string& path, const std::set<std::string>& extra_tables = {});

/// Reads a batch file: the tables of a scenario file (the base) plus [batch] with `name`,
/// `measures` (the measures varied), `combinations` = "all" (every on/off combination,
/// 2^n runs per member) or "list" (then `list` = arrays of measure names), `members` (number
/// of climate members), optional `first_member`, and optional `parameter_members` (a number N or
/// "all": the first N rows of `<inputs>/parameter_ensemble.csv`, each a parameter member whose
/// values override the inputs' parameters; a scenario's own [parameters] still win). Runs are
/// ordered by combination, then parameter member, then climate member. A combination is named by its measures joined with '+', or "baseline".
RunPlan load_batch_file(const std::string& path);

}  // namespace daihai::io
