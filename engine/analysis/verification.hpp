#pragma once
/// @file verification.hpp
/// Target verification of a batch: per run, whether each plan target (Target) is met and the
/// first year it is met; per scenario (a measure combination under one climate delta) over its
/// members (climate x parameter members), the spread of area, level and TDS in a report year,
/// their quantiles in every year, the probability of meeting each target and the probability
/// that it is met by each year. Written to `/verification` of the results file, printed as a
/// table for planners, saved as CSV.
///
/// Definitions (also in outputs/README.md):
/// - annual values are the `/annual` means of `area_m2`, `level_m`, `tds_g_per_L`;
/// - trend target: the least-squares slope (per year) of the annual means over from..to,
///   compared with the threshold; every_year: the condition holds in each year from..to;
///   in_year: the condition holds in the year `to`;
/// - first year met (every_year and in_year targets): the first year Y >= first_year_from of the
///   run's annual axis such that the condition holds in Y and in every later year of the run
///   (sustained); "never" when there is no such year;
/// - quantiles over members: Hyndman & Fan (1996) type 7 (linear interpolation between order
///   statistics, as R's default and numpy's "linear"): for sorted x_0..x_{n-1} and probability p,
///   h = (n-1) p, Q = x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h));
/// - median first year met: the type 7 median of the members' first years with "never" taken as
///   +infinity (so "never" when the median falls on or next to a "never"); a half year from
///   interpolation is rounded up to the later year;
/// - probability: fraction of the scenario's successful runs that meet the target. Failed runs
///   are excluded from every statistic and counted in `failed_runs`; the joint probability:
///   fraction of successful runs that meet every target;
/// - scenario: the runs with the same scenario name (measure combination) and the same climate
///   delta (delta_t_C, delta_p_pct, compared exactly); its members are those runs (climate x
///   parameter members);
/// - quantiles per year: for each year of the annual axis, the type 7 quantiles at
///   kQuantileProbabilities (5, 25, 50, 75, 95 %) of the members' annual means;
/// - probability met by year Y (every_year, in_year targets): the fraction of successful members
///   whose first year met (sustained, as above) is <= Y; it never decreases with Y and ends at
///   the fraction of members that meet the condition in the last year of the run.
///
/// Usage (main.cpp):
/// ```cpp
/// const auto targets = io::load_targets("scenarios/targets.toml");       // before any run
/// io::BatchMetadata meta{.scenario_path = path, .scenario_text = text,
///                        .input_checksums = io::file_checksums(input_paths)};
/// io::ResultSink sink("outputs/plan.h5", meta);
/// analysis::VerificationInput vin;
/// for (const auto& run : results_in_run_order) { sink.write(run); vin.add(run); }
/// const auto table = analysis::compute_verification(vin, targets);
/// io::write_verification(sink, table);
/// sink.commit();                                                         // plan.h5 appears
/// std::string text = analysis::format_table(io::verify_file("outputs/plan.h5", targets));
/// ```
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/targets.hpp"
#include "scenario/run_result.hpp"

namespace daihai::analysis {

/// Data that cannot be verified: a target period or the report year outside the annual axis, a
/// variable a target needs missing from a successful run, runs with different year axes.
class VerificationError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The annual variables verification uses.
inline constexpr const char* kAreaVariable = "area_m2";
inline constexpr const char* kLevelVariable = "level_m";
inline constexpr const char* kTdsVariable = "tds_g_per_L";

/// Probabilities of the per-year quantiles (5, 25, 50, 75, 95 %).
inline constexpr std::array<double, 5> kQuantileProbabilities = {0.05, 0.25, 0.50, 0.75, 0.95};

/// Stored first year of a target that some members never meet sustainedly.
inline constexpr std::int64_t kNeverYear = 9999;
/// Stored first year where there is none: trend targets, or no successful run in the scenario
/// (equal to the dataset's _FillValue).
inline constexpr std::int64_t kNoFirstYear = -9223372036854775806LL;  // io::hdf5::kFillInt64

/// True for an annual flux total (`/annual` name) that brings water into the lake from outside
/// the basin: a diversion (`diversion_<measure>_m3`), an inflow measure (`inflow_<measure>_m3`),
/// a scenario's inflow (`scenario_inflow_m3`) or groundwater from outside the basin aquifer
/// (`external_groundwater_inflow_m3`) — the names the processes that carry such water declare.
bool is_import(const std::string& annual_name);

/// What verification needs of a batch: run identity, status and the annual means of area,
/// level and TDS of every run, and its annual imports of water (is_import()). Build it with add() as runs finish (it keeps 3 x years values
/// per run), from_results(), or from a results file (verify_file()).
struct VerificationInput {
  std::vector<int> years;                  ///< the annual axis shared by all successful runs
  std::vector<std::string> scenario;       ///< per run: scenario name (with the deltas, the grouping key)
  std::vector<double> delta_t_C;           ///< per run: climate delta of air temperature [degC]
  std::vector<double> delta_p_pct;         ///< per run: climate delta of precipitation [%]
  std::vector<int> climate_member;         ///< per run
  std::vector<int> parameter_member;       ///< per run
  std::vector<bool> ok;                    ///< per run: true when the run succeeded
  /// per run: annual means (one per year) of area_m2 [m2], level_m [m], tds_g_per_L [g/L];
  /// empty for failed runs or a variable the run lacks.
  std::vector<std::vector<double>> area_m2, level_m, tds_g_per_L;
  /// Names of the import fluxes (is_import()) in order of first appearance, and per run their
  /// annual totals [m3]: imports[run][k] belongs to import_names[k] (empty when the run lacks it
  /// or failed).
  std::vector<std::string> import_names;
  std::vector<std::vector<std::vector<double>>> imports;

  /// Appends one run. Throws VerificationError when a successful run's year axis differs from
  /// the earlier successful runs' or a variable has a value count other than the year count.
  void add(const scenario::RunResult& run);
  /// add() of every run.
  static VerificationInput from_results(const std::vector<scenario::RunResult>& runs);
  /// Number of runs added.
  std::size_t runs() const { return scenario.size(); }
};

/// Options of compute_verification().
struct VerificationOptions {
  int report_year = 2030;  ///< year of the area/level/TDS spread columns
  /// First year of the plan, for the note on lakes larger than before it; 0: the earliest
  /// first_year_from of the targets (no note without targets).
  int plan_start = 0;
};

/// Median and 5-95 % range (type 7 quantiles) over members, in the variable's SI unit.
struct Spread {
  double median = 0.0;
  double p05 = 0.0;
  double p95 = 0.0;
};

/// One target over the members of one scenario.
struct TargetSummary {
  /// Fraction (0..1) of successful members meeting the target; nullopt without successful runs.
  std::optional<double> probability;
  /// Median first year met (every_year, in_year targets); kNeverYear for "never"; kNoFirstYear
  /// for trend targets and scenarios without successful runs.
  std::int64_t first_year_median = kNoFirstYear;
  /// every_year, in_year targets: per year of VerificationTable::years, the fraction (0..1) of
  /// successful members whose first year met is <= that year. Empty for trend targets and
  /// scenarios without successful runs.
  std::vector<double> met_by_year;
};

/// One scenario (a measure combination under one climate delta) over its members.
struct ScenarioRow {
  std::string scenario;          ///< measure combination (run scenario name)
  double delta_t_C = 0.0;        ///< climate delta of air temperature [degC]
  double delta_p_pct = 0.0;      ///< climate delta of precipitation [%]
  std::int64_t runs = 0;         ///< runs of this scenario, failed ones included
  std::int64_t failed_runs = 0;  ///< failed runs (excluded from the statistics)
  std::optional<Spread> area_m2;      ///< area in report_year [m2]; nullopt without successful runs
  std::optional<Spread> level_m;      ///< level in report_year [m]
  std::optional<Spread> tds_g_per_L;  ///< TDS in report_year [g/L]
  std::vector<TargetSummary> targets;  ///< one per VerificationTable::targets, same order
  /// Fraction (0..1) of successful members meeting every target in the same run (the joint
  /// probability: not the product of the targets' probabilities, which are not independent);
  /// nullopt without targets or successful runs.
  std::optional<double> all_targets_probability;
  /// Per-year quantiles over members of the annual means, at kQuantileProbabilities: element
  /// [q * years + y] is quantile q in year VerificationTable::years[y]; area [m2], level [m],
  /// TDS [g/L]. Empty without successful runs.
  std::vector<double> area_m2_by_year, level_m_by_year, tds_g_per_L_by_year;
  /// Set when the scenario's median lake grows larger after the plan starts than it ever was
  /// before (a lake beyond its own historical size needs a reason): the years, the sizes and the
  /// water from outside the basin that makes it so (mean over members of each import, largest
  /// first). Empty otherwise.
  std::string note;
};

/// The verification of a batch: one row per scenario in order of first appearance in the runs.
struct VerificationTable {
  int report_year = 2030;
  std::vector<int> years;  ///< the annual axis of the per-year statistics (empty when no run succeeded)
  std::vector<Target> targets;
  std::vector<ScenarioRow> rows;
};

/// Outcome of one target for one run.
struct TargetOutcome {
  bool met = false;
  /// trend: the slope [unit per year]; every_year: the worst annual mean over from..to
  /// (minimum for ">=", maximum for "<="); in_year: the annual mean in `to`.
  double statistic = 0.0;
  /// First year met (sustained) for every_year/in_year targets; nullopt = never (or trend).
  std::optional<int> first_year;
};

/// Least-squares slope of `values` over `years` (per year); throws VerificationError when fewer
/// than two points or sizes differ.
double least_squares_slope(std::span<const int> years, std::span<const double> values);

/// Hyndman-Fan type 7 quantile of `values` (unsorted, non-empty) at probability p in [0, 1];
/// +infinity values are allowed (ordered last; interpolating towards one gives +infinity).
/// Throws std::invalid_argument when values is empty or p is outside [0, 1].
double quantile_type7(std::vector<double> values, double p);

/// Evaluates `target` on one run's annual means `values` over `years` (of the target's
/// quantity). Throws VerificationError when the target period is not inside `years`.
TargetOutcome evaluate_target(const Target& target, std::span<const int> years, std::span<const double> values);

/// Problems that would make compute_verification() throw for this year axis: target periods
/// or the report year outside `years`. Empty when verification can run; call it before a long
/// batch.
std::vector<std::string> coverage_problems(const std::vector<int>& years, const std::vector<Target>& targets,
                                           const VerificationOptions& options = {});

/// Verifies every scenario of `input` against `targets` (see the file comment for the
/// definitions). Throws VerificationError when coverage_problems() is not empty (while some
/// run succeeded) or a successful run lacks a variable.
VerificationTable compute_verification(const VerificationInput& input, const std::vector<Target>& targets,
                                       const VerificationOptions& options = {});

/// Fixed-width text for planners: a legend, then one row per scenario with its climate delta
/// (dT degC, dP %), runs and failed runs, area [km2], level [m] and TDS [g/L] in the report year as "median [p05, p95]", then per
/// target P(met) and (every_year, in_year) the median first year met or "never", then (with two
/// or more targets) "all P", the joint probability of meeting every target. "n/a" marks a
/// statistic without successful runs, "-" a first year of a trend target.
std::string format_table(const VerificationTable& table);

/// Fixed-width text of the per-year statistics in `years` (each must be in table.years): per
/// scenario and year, the 5/25/50/75/95 % quantiles of area [km2], level [m] and TDS [g/L] and,
/// per every_year/in_year target, the probability that it is met by that year. Throws
/// std::invalid_argument naming a year outside table.years, VerificationError when the table has
/// no per-year statistics (a file written before they existed).
std::string format_by_year(const VerificationTable& table, const std::vector<int>& years);

/// Throws VerificationError when `table` has no per-year statistics (a file written before they
/// existed).
void require_by_year(const VerificationTable& table);

}  // namespace daihai::analysis
