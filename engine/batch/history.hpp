#pragma once
/// @file history.hpp
/// Histories shared by the runs of a batch, simulated once and conditioned on monitoring data.
///
/// The runs of one member (one climate realisation and one parameter set) differ only in their
/// measures; up to the first day on which any of their schedules differ they are the same run.
/// That part — the history, with the measures as they happened — is simulated once per member,
/// every member advancing together so that the ensemble can be conditioned on each observation of
/// the monitoring file as the history passes it (ensemble Kalman filter, analysis/assimilation.hpp;
/// members grouped by climate delta). At the branch day — the first day on which the schedules of
/// any member's runs differ, one day for the whole batch — every run starts from its member's
/// conditioned state (stores, catchment, lake heat, what has been recorded) and goes on alone.
/// A run's results are bit for bit those of simulating it from the start when there is no
/// monitoring file (tested).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "forcing/daily_forcing.hpp"
#include "io/scenario_file.hpp"
#include "scenario/block.hpp"

namespace daihai::batch {

/// One analysis: the observations of one day for one ensemble (one climate delta).
struct AnalysisReport {
  std::int64_t day = 0;                 ///< the day after whose end it was made
  std::vector<std::size_t> rows;        ///< the monitoring rows used (indices into AssimilationSpec::rows)
  double delta_t_C = 0.0, delta_p_pct = 0.0;  ///< the ensemble's climate delta
  std::size_t members = 0;              ///< members conditioned (failed ones excluded)
  std::vector<double> prior_mean, prior_sd;  ///< of each row's predicted observation over members (SI)
  std::vector<double> posterior_mean, posterior_sd;  ///< the same after the analysis (instants; NaN for periods)
  /// Rows not assimilated: their innovation exceeded 5 standard deviations of ensemble and
  /// observation error together (a background check against gross errors).
  std::vector<std::size_t> rejected;
};

/// The shared histories of a plan.
struct Histories {
  bool active = false;                       ///< false: runs are simulated from their start
  std::int64_t branch_day = 0;               ///< the day the runs start alone from (core::day_number)
  std::vector<std::size_t> group_of_run;     ///< run index → its history
  std::vector<scenario::LaneState> state;    ///< each history's state at branch_day
  std::map<std::string, std::shared_ptr<const forcing::DailyForcing>> forcing;  ///< by forcing key, for the runs
  std::vector<AnalysisReport> analyses;      ///< in the order they were made
  std::uint64_t run_days = 0;                ///< run-days integrated for the histories
  double seconds = 0.0;                      ///< wall time of finding the branch day and simulating the histories
};

/// Simulates the histories of `plan` with `threads` threads (runs for which `skip` is true need
/// none; a history all of whose runs are skipped is not simulated, unless the plan assimilates:
/// then every member is needed for the ensemble). Inactive (nothing simulated)
/// when no two runs share a history and the plan does not assimilate. Throws core::InputError
/// for a monitoring row after the branch day (the runs no longer share a history there; a batch
/// whose combinations all hold the measures that had happened by then branches later), or for an
/// ensemble of fewer than two members to condition.
/// Fixed-width text of the analyses of `h`: per analysis the day, the ensemble's delta and members,
/// and per observation its quantity, time, observed value ± sd, and the members' predicted mean ± sd
/// before and after (in the monitoring file's unit); then the branch day and the run-days the
/// histories saved: integrated (histories once, then each run from the branch day) against
/// delivered (every run over its whole period).
std::string format_histories(const io::RunPlan& plan, const Histories& h);

Histories simulate_histories(const io::RunPlan& plan, int threads, const std::function<bool(std::size_t)>& skip = {});

}  // namespace daihai::batch
