#pragma once
/// @file calibrate.hpp
/// Calibration of the lake model to published observations with Dynamically Dimensioned Search
/// (numerics/dds.hpp), the behavioural parameter ensemble it leaves, and a Morris screening
/// (numerics/morris.hpp) of the same free parameters. Candidate runs are spread over OpenMP
/// threads; every result is independent of the thread count (candidates come in fixed blocks,
/// each run is seeded by its climate member).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/validation.hpp"
#include "io/validation_file.hpp"
#include "analysis/observations.hpp"
#include "io/calibration_file.hpp"
#include "analysis/dds.hpp"
#include "analysis/morris.hpp"

namespace daihai::batch {

/// One evaluated parameter set.
struct Candidate {
  std::vector<double> x;          ///< free parameter values in their declared units (CalibrationSpec::free order)
  double objective = 0.0;         ///< analysis::objective of the member medians (kFailedObjective when a run failed)
  std::vector<double> simulated;  ///< median over members of each observation's simulated value (SI)
  std::string error;              ///< why a run of this candidate failed ("" when all succeeded)
};

/// Objective given to a parameter set whose runs fail (e.g. the lake leaves the hypsometry
/// table) or that gives no value for an observation: worse than any real fit.
inline constexpr double kFailedObjective = 1e12;

/// Runs every candidate of `xs` on the fitted scenario with `spec.members` climate members
/// (0 .. members-1) and scores it against `observations` (medians over members, weights of the
/// spec). `threads` OpenMP threads; results in the order of `xs`, identical for any thread count.
std::vector<Candidate> evaluate_candidates(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations,
                                           const std::vector<std::vector<double>>& xs, int threads);

/// The validation table of one parameter set (all members), for reports.
analysis::ValidationTable validate_candidate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations,
                                   const std::vector<double>& x, int threads);

/// Result of a calibration.
struct CalibrationResult {
  std::vector<Candidate> evaluations;  ///< every evaluated set, in evaluation order (the first is the prior)
  std::size_t best = 0;                ///< index of the best set in `evaluations`
  std::vector<std::size_t> ensemble;   ///< behavioural sets (below the threshold, mutually distinct), best first
  double behavioural_threshold = 0.0;  ///< objective below which a set is behavioural (sum of the weights)
  analysis::ValidationTable best_table;          ///< validation of the best set
  analysis::ValidationTable prior_table;         ///< validation of the starting (prior) set
  double seconds = 0.0;                ///< wall time
};

/// Calibrates: DDS from the prior values within the bounds of `spec.free`, `spec.budget`
/// evaluations in blocks of `spec.block`, seeded by `spec.seed`. `progress(evaluations, budget,
/// best objective)` is called after each block from the calling thread (may be empty).
CalibrationResult calibrate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads,
                            const std::function<void(std::size_t, std::size_t, double)>& progress = {});

/// Writes a calibration's outputs into folder `dir` (created): `evaluations.csv` (every set and
/// its objective), `parameter_ensemble.csv` (the ensemble, in the format batches read as
/// parameter members), `parameters.toml` (the inputs' parameters.toml with the best values of
/// the free parameters, kind "C"), `validation.txt` (prior and best tables).
/// Throws core::InputError naming a file that cannot be written.
void write_calibration(const io::CalibrationSpec& spec, const CalibrationResult& result, const std::string& dir);

/// Morris screening of the free parameters on the annual mean lake area of
/// `spec.sensitivity_years` (median over `spec.members` climate members; the run is extended to
/// the last of those years), within the current value ± a quarter of each parameter's bounds.
/// Throws std::runtime_error when every member fails at a design point.
struct SensitivityResult {
  std::vector<std::string> parameters;
  std::vector<double> lower, upper;  ///< the screened ranges (declared units)
  std::vector<int> years;
  analysis::MorrisResult morris;  ///< outputs: area (km2) in each year
};
SensitivityResult sensitivity(const io::CalibrationSpec& spec, int threads);

/// Table ranking the parameters by mu* (km2 per full parameter range) for each year.
std::string format_sensitivity(const SensitivityResult& s);

}  // namespace daihai::batch
