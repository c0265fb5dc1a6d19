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

#include "analysis/assimilation.hpp"
#include "io/output_spec.hpp"
#include "model/model.hpp"
#include "scenario/spec.hpp"

namespace daihai::io {

/// A set of runs read from one file, with the lake inputs they share.
/// How a plan conditions its members on monitoring data ([assimilation]; analysis/assimilation.hpp).
struct AssimilationSpec {
  std::string monitoring_file;                     ///< the monitoring file as resolved
  std::vector<analysis::MonitoringRow> rows;       ///< its rows, in the order they are assimilated
  analysis::EnkfOptions enkf;                      ///< relaxation to prior spread
  std::string file;                                ///< the scenario file
  int line = 0;                                    ///< the [assimilation] table's line
};

struct RunPlan {
  std::string name;                 ///< batch or scenario name (the output file's stem by default)
  std::string file;                 ///< the scenario or batch file
  std::string text;                 ///< its text, kept for provenance in the results
  std::shared_ptr<const scenario::LakeInputs> inputs;
  std::shared_ptr<const model::Model> model;  ///< the model every run of the plan shares, assembled at load
  std::vector<scenario::RunSpec> runs;
  std::vector<std::string> measure_names;  ///< every measure known to the inputs, in their order
  std::map<std::string, std::string> checksums;  ///< every file the plan reads (inputs, ensemble) → checksum
  OutputSpec output;  ///< what /series holds per variable, from [output] (every run's resolution is its finest())
  /// The [assimilation] table: members conditioned on monitoring data as the runs pass each
  /// observation (null: none).
  std::shared_ptr<const AssimilationSpec> assimilation;
};

/// Checks the variable names of `plan.output` against the outputs the plan's model declares.
/// Throws core::InputError naming the file, the line and `output.variables.<name>` for a name
/// the model does not produce, listing the names.
void check_output_variables(const RunPlan& plan);

/// One row of a parameter ensemble: its member id, parameter values in their declared units and
/// uncertain measure design values (`measure_values[measure][key]`, internal units; columns
/// `<measure>.<key>` in the key's declared unit).
struct ParameterMember {
  int member = 0;
  std::map<std::string, double> values;
  std::map<std::string, std::map<std::string, double>> measure_values;
};

/// One climate-change delta of a batch's climate axis, applied to the generated weather
/// (forcing::ClimateDelta): `delta_t_C` [degC] is added to the daily temperatures, `delta_p_pct`
/// [%] scales every wet-day amount by (1 + delta_p_pct / 100).
struct ClimateDelta {
  double delta_t_C = 0.0;
  double delta_p_pct = 0.0;
};

class TomlTable;

/// Reads `climate_deltas` of a `[batch]` table: an array of tables `{ delta_t_C = <degC>,
/// delta_p_pct = <%> }` (a key left out takes the `[climate]` value of `base`). Without the key,
/// the one delta of `base`. Throws core::InputError naming the file, line and key
/// (`batch.climate_deltas[i].delta_t_C`) for an element that is not a table, an unknown key, a value
/// that is not a finite number or lies outside -10 .. 10 degC or -90 .. 200 %, an empty array, a
/// delta listed twice, more than 1000 deltas, or deltas with forcing from a CSV file (which deltas
/// do not change).
std::vector<ClimateDelta> read_climate_deltas(const TomlTable& batch, const scenario::ClimateSpec& base);

/// Reads a parameter ensemble (`<inputs>/parameter_ensemble.csv`): a `member` column, then one
/// column per parameter (declared names and units) or uncertain measure design value
/// (`<measure>.<key>`, a measure of `inputs` whose key has a plausible range, in the key's unit);
/// `objective`, `weight` and `note` columns are ignored. Throws core::InputError naming file,
/// line and column for an unknown column, a value outside its valid range or outside the
/// plausible range of `inputs` (parameters.toml, measures.toml), a repeated member or an empty
/// table.
std::vector<ParameterMember> read_parameter_ensemble(const std::string& path, const scenario::LakeInputs& inputs);

/// Reads a scenario file: one run. Tables: [scenario] (name, start, end, inputs, series,
/// integrator), [output] (per-variable series resolution and precision, io::OutputSpec), [climate], [switches], [inflow], [parameters], [measures.<name>] (the measure
/// is on; keys override its design values from the inputs' measures.toml, or, with `kind`,
/// the file defines a measure the inputs do not have: its start and every design value). The
/// plan's model is assembled (model::assemble) before the function returns. `extra_tables` names
/// further top-level tables the caller reads itself (e.g. [calibration] of a calibration file).
RunPlan load_scenario_file(const std::string& path, const std::set<std::string>& extra_tables = {});

/// Reads a batch file: the tables of a scenario file (the base) plus [batch] with `name`,
/// `measures` (the measures varied), `combinations` = "all" (every on/off combination,
/// 2^n runs per member) or "list" (then `list` = arrays of measure names), `members` (number
/// of climate members), optional `first_member`, and optional `parameter_members` (a number N or
/// "all": the first N rows of `<inputs>/parameter_ensemble.csv`, each a parameter member whose
/// values override the inputs' parameters; a scenario's own [parameters] still win), and optional
/// `climate_deltas` (read_climate_deltas(); default the `[climate]` delta). Runs are ordered by
/// climate delta (outermost), then parameter member, then climate member, then combination
/// (innermost), so the runs that share one weather realisation (delta, parameter member, climate
/// member) are adjacent: run index = ((d * P + p) * M + m) * C + c for delta d of D, parameter
/// member p of P, climate member m of M and combination c of C. A combination is named by its
/// measures joined with '+', or "baseline". Each run's weather depends only on the `[climate]`
/// seed, its climate member and its delta, never on the other runs of the batch.
RunPlan load_batch_file(const std::string& path);

}  // namespace daihai::io
