#pragma once
/// @file spec.hpp
/// Plain-data description of a scenario, a run, and a lake's inputs. Built by io/ from TOML
/// and CSV files; consumed by run_scenario().
#include <cstdint>
#include <functional>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/parameters.hpp"
#include "forcing/daily_forcing.hpp"
#include "physics/hypsometry.hpp"
#include "physics/process.hpp"

namespace daihai::scenario {

/// A measure as applied in a run: its name (as in the lake's measures file or the scenario that
/// defines it), its kind (one of the registered measure kinds, management::measure_kinds()),
/// its start date, its design values in internal units (keys declared by the kind, e.g.
/// `flow_m3_per_s`) and the names it takes (e.g. `flux`, `fluxes`), and where it was defined.
struct MeasureSpec {
  std::string name;
  std::string kind;
  core::Date start;
  std::map<std::string, double> values;  ///< design values (internal units)
  /// Plausible ranges (internal units, low < high) of the uncertain design values: the
  /// parameter ensemble samples them (io::ParameterMember::measure_values), /runs records them.
  std::map<std::string, std::array<double, 2>> ranges;
  std::map<std::string, std::vector<std::string>> names;
  std::string file;  ///< the file that defined it (the inputs' measures.toml or a scenario)
  int line = 0;      ///< its table's line in that file
};

/// One uncertain design value of a measure as a run uses it (for /runs).
struct DesignValue {
  std::string name;   ///< "<measure>.<key>"
  std::string units;  ///< the key's declared unit
  double value = 0.0; ///< in that unit; NaN when the measure is off in the run
};

/// Where a run's weather comes from.
struct ClimateSpec {
  enum class Source { generator, csv };
  Source source = Source::generator;
  std::uint64_t seed = 20240601;  ///< base seed of the weather generator
  int member = 0;                 ///< climate member (its own random stream)
  bool observed_months = true;    ///< rescale generated days to the observed monthly grid where it exists
  double delta_t_C = 0.0;         ///< climate-change shift of air temperature, °C
  double delta_p_pct = 0.0;       ///< climate-change change of precipitation, %
  /// Years over which the deltas grow linearly from none (at the start of the first year) to
  /// full (at the end of the last); 0/0: the deltas apply in full on every day of the run.
  int delta_ramp_first_year = 0;
  int delta_ramp_last_year = 0;
  std::string csv_path;           ///< daily forcing file (Source::csv)
};

/// A constant or tabulated extra inflow into the lake (plain-lake tests, model comparisons).
struct InflowSpec {
  std::vector<std::int64_t> day;  ///< day numbers of the table rows (piecewise constant from each row on)
  std::vector<double> rate_m3_per_s;
  double tds_g_per_L = 0.0;
};

/// Which parts of the model a scenario switches on (physics::Switches).
using Switches = physics::Switches;

/// Output resolution of /series.
enum class Resolution { daily, monthly };

/// A scenario: period, inputs, measures, climate member, parameter overrides.
struct ScenarioSpec {
  std::string name;
  core::Date start{1955, 1, 1};
  core::Date end{2050, 12, 31};
  std::vector<MeasureSpec> measures;            ///< measures that are on
  ClimateSpec climate;
  std::map<std::string, double> overrides;      ///< parameter values in the declared unit
  std::map<std::string, int> override_lines;    ///< line of each override in `source_file`
  Switches switches;
  std::optional<InflowSpec> inflow;
  Resolution resolution = Resolution::monthly;
  std::string integrator = "dopri5";
  int parameter_member = 0;
  std::string source_file;                      ///< the scenario or batch file that defined it
};

/// Tabulated annual history of water uses, piecewise linear between anchor years and
/// constant beyond the ends. Column units as named (e.g. `irrigated_area_km2`).
struct History {
  std::vector<int> years;
  std::map<std::string, std::vector<double>> columns;
  std::string file;
  /// Value of `column` in fractional year `year` (anchors at mid-year, linear in between).
  /// Throws std::out_of_range for an unknown column.
  double at(const std::string& column, double year) const;
  /// The values of `column` (one per year of `years`). Throws std::out_of_range for an unknown column.
  const std::vector<double>& column(const std::string& name) const;
  /// Value of the column `values` (from column()) in fractional year `year`, as at().
  double at(const std::vector<double>& values, double year) const;
};

/// Everything a lake's inputs folder provides, read-only and shared by all runs of a batch.
struct LakeInputs {
  std::string dir;
  std::shared_ptr<const physics::Hypsometry> hypsometry;
  /// What every level and head of the folder is measured from (parameters.toml's
  /// `vertical_datum`); required by model::assemble, named in the level and head outputs.
  std::string vertical_datum;
  core::ParameterSet parameters;             ///< every declared parameter, SI
  History water_use;
  std::vector<MeasureSpec> measure_designs;  ///< each known measure with its real date and design values
  /// Builds the daily forcing of a run over [first_day, first_day + n_days). Depends on the
  /// climate spec and the period alone (never on model parameters or measures), so runs that
  /// share them share one forcing (the batch generates it once). Must be thread-safe (called
  /// concurrently for different runs). Throws core::InputError for unusable forcing files.
  std::function<forcing::DailyForcing(const ClimateSpec&, std::int64_t first_day, std::int64_t n_days)> forcing;
  std::map<std::string, std::string> checksums;  ///< input file → checksum
  /// What loading set aside without stopping, one line each, for the user to read (the climate
  /// records' values rejected by quality control, naming file, line and value).
  std::vector<std::string> notes;
};

/// One run of a batch: a scenario plus its identity in the batch.
struct RunSpec {
  std::size_t index = 0;
  ScenarioSpec scenario;
  std::vector<std::pair<std::string, bool>> measure_flags;  ///< every known measure, on/off
  /// The uncertain design values of every known measure (those with a plausible range), as this
  /// run uses them: NaN where the measure is off.
  std::vector<DesignValue> design_values;
};

}  // namespace daihai::scenario
