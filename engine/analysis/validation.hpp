#pragma once
/// @file validation.hpp
/// Validation of a results file against published observations (io/observations_file.hpp):
/// for each observation, its simulated counterpart (analysis::simulate) in every successful
/// member of one scenario, the median and 5-95 % range over members, and whether the median is
/// within the observation's tolerance ("Several members: compare their median").
///
/// Scenario: by default the one whose runs have every `/runs/measure_*` = 1 that some run of the
/// file has on (every measure of the batch on: the measures then happen as they really did, so
/// the historical period is the real one); or the one named. Members = its runs; failed runs are excluded and counted.
/// Quantiles: Hyndman & Fan type 7 (analysis::quantile_type7). error = median - observed;
/// within tolerance: |error| <= tolerance.
///
/// Usage (main.cpp, `daihai validate RUN.h5 --observations FILE.csv [--scenario NAME] [--csv OUT]`):
/// ```cpp
/// const auto observations = io::load_observations(o.observations);
/// const auto table = io::validate_file(o.input, observations, o.scenario);  // optional<string>
/// fmt::print("{}", analysis::format_validation(table));
/// if (!o.csv.empty()) io::write_validation_csv(table, o.csv);
/// ```
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "analysis/observations.hpp"
#include "analysis/skill.hpp"
#include "analysis/verification.hpp"

namespace daihai::analysis {

/// One observation against the members of the validated scenario.
struct ValidationRow {
  analysis::Observation observation;
  std::vector<double> member_values;  ///< simulated value (SI) of each member that gave one, in run order
  std::optional<Spread> simulated;    ///< median, 5 % and 95 % over member_values (SI); nullopt when none
  double error = 0.0;                 ///< simulated->median - observation.value (SI); 0 without simulated
  bool within_tolerance = false;      ///< |error| <= observation.tolerance (false without simulated)
  std::size_t members_used = 0;       ///< member_values.size()
  std::size_t members_without_value = 0;  ///< successful members with too few valid years (NoSimulatedValue)
  long years_skipped = 0;             ///< missing years skipped, summed over the members
};

/// The validation of one scenario of a results file.
struct ValidationTable {
  std::string file;           ///< the results file ("" when computed in memory)
  std::string scenario;       ///< the validated scenario
  bool default_scenario = true;  ///< true when chosen as "every measure on"
  std::size_t runs = 0;       ///< runs of the scenario, failed ones included
  std::size_t failed_runs = 0;  ///< failed runs (excluded)
  std::vector<ValidationRow> rows;  ///< one per observation, in the observations' order

  std::size_t within() const;         ///< rows within tolerance
  std::size_t within_high() const;    ///< H rows within tolerance
  std::size_t high_rows() const;      ///< H rows
};

/// Validates in memory: `members` are the annual series of the scenario's successful runs.
/// Throws std::out_of_range (analysis::simulate) when an observation's period is outside a
/// member's year axis, std::invalid_argument when a member lacks a series an observation needs.
ValidationTable compute_validation(const std::vector<analysis::AnnualSeries>& members,
                                   const std::vector<analysis::Observation>& observations);

/// Fixed-width text: the file, scenario and member counts, then one row per observation with
/// kind, period, source, confidence, observed value, tolerance, simulated median [5-95 %], error
/// (all in the unit written in the observations file), within tolerance (yes/no), members used
/// and years skipped; ending with the line "N of M within tolerance; H rows: a of b within
/// tolerance".
std::string format_validation(const ValidationTable& table);

/// The skill of one observation series: the rows of one kind whose scenario gave a median.
struct SeriesSkill {
  ObservationKind kind = ObservationKind::level;
  std::string unit;   ///< the unit of the first row (RMSE and bias are given in it)
  double to_si = 1.0; ///< its factor to SI
  Skill skill;        ///< of the simulated medians against the observed values (SI)
};

/// Skill over the observation series of a validation (analysis/skill.hpp: NSE, KGE 2009, KGE′,
/// RMSE, bias): for every kind of which at least two rows have a simulated median, the medians
/// (sim) against the observed values (obs), in row order. Kinds with fewer rows are left out.
std::vector<SeriesSkill> series_skill(const ValidationTable& table);

/// Fixed-width text of series_skill(): kind, pairs used, NSE, KGE, KGE′, RMSE and bias (in the
/// series' unit); an undefined metric says why instead of printing a number. Empty when none.
std::string format_series_skill(const std::vector<SeriesSkill>& skills);

/// Fixed-width text of a split-sample test (Klemeš 1986, Hydrol. Sci. J. 31:13): one row per
/// observation with its role — "fit" when `fitted[i]`, else "valid." — observed value and tolerance, and the simulated median with its
/// within-tolerance flag over the fit's own members (`fit`) and over members the fit never saw
/// (`independent`, the same observations in the same order); ending with the counts within
/// tolerance of each role over each set of members.
std::string format_split_sample(const ValidationTable& fit, const ValidationTable& independent, const std::vector<bool>& fitted,
                                int fit_until);

}  // namespace daihai::analysis
