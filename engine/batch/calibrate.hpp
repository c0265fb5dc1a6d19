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
#include "analysis/demc.hpp"
#include "analysis/glue.hpp"
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

/// The validation table of one parameter set, for reports: over the fit's climate members
/// (0 .. members-1), or with `independent_members` over the validation's members
/// (validation_first_member ..), which the fit never saw.
analysis::ValidationTable validate_candidate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations,
                                   const std::vector<double>& x, int threads, bool independent_members = false);

/// True when the calibration fits observation `o`: its period ends by `spec.calibrate_until`
/// (every one when it is 0), or it is a prior on the model rather than a record of the lake's
/// history (`evaporation_depth`, the pans' evaporation).
bool is_fitted(const io::CalibrationSpec& spec, const analysis::Observation& o);
/// is_fitted() of each row of `table`.
std::vector<bool> fitted_flags(const io::CalibrationSpec& spec, const analysis::ValidationTable& table);
/// The observations the calibration fits (is_fitted()), in their order.
std::vector<analysis::Observation> fitted_observations(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& all);

/// Result of a calibration.
struct CalibrationResult {
  std::vector<Candidate> evaluations;  ///< every evaluated set, in evaluation order (the first is the prior)
  std::size_t best = 0;                ///< index of the best DDS set in `evaluations`
  /// The best set of the whole calibration (DDS, GLUE samples and MCMC states), its objective and
  /// the method that found it ("DDS", "GLUE", "DE-MCz"): the calibrated parameters.
  std::vector<double> best_x;
  double best_objective = 0.0;
  std::string best_method = "DDS";
  std::vector<std::size_t> ensemble;   ///< behavioural sets (below the threshold, mutually distinct), best first
  double behavioural_threshold = 0.0;  ///< objective below which a set is behavioural (sum of the weights)
  analysis::ValidationTable best_table;          ///< every observation, the best set, the fit's members
  analysis::ValidationTable prior_table;         ///< every observation, the starting (prior) set, the fit's members
  analysis::ValidationTable independent_table;   ///< every observation, the best set, the validation's own members
  std::vector<Candidate> glue_samples;           ///< GLUE: every Latin hypercube sample, scored on the fitted observations
  std::vector<double> glue_weights;              ///< their likelihood weights (0: not behavioural)
  std::size_t glue_behavioural = 0;              ///< samples with a weight
  std::vector<std::size_t> glue_ensemble;        ///< samples drawn by weight for the ensemble (may repeat)
  /// per free parameter: from the MCMC posterior when it ran, else from the GLUE weights
  std::vector<analysis::Identifiability> identifiability;
  std::string identifiability_source;            ///< what `identifiability` was computed from (one line)
  analysis::DemcResult mcmc;                     ///< DE-MCz chains (empty without mcmc_chains)
  std::vector<double> mcmc_rhat;                 ///< Gelman–Rubin R̂ of each free parameter over the chains' second halves
  /// The ensemble drawn from the chains: (chain, generation) of each member, evenly spaced over
  /// the pooled second halves (the first halves are burn-in).
  std::vector<std::pair<std::size_t, std::size_t>> mcmc_ensemble;
  double seconds = 0.0;                ///< wall time
};

/// Calibrates on the fitted observations (fitted_observations()): DDS from the prior values
/// within the bounds of `spec.free`, `spec.budget` evaluations in blocks of `spec.block`, seeded
/// by `spec.seed`; then, with `spec.glue_samples`, GLUE over the same box (its weights, the
/// identifiability of each parameter and the ensemble drawn from them); then, with
/// `spec.mcmc_chains`, DE-MCz sampling of the posterior exp(−J/2) on the box (analysis/demc.hpp;
/// archive: the 10·D best distinct sets evaluated so far, chains starting from the best of them),
/// whose second halves give the ensemble and the identifiability; the tables cover every
/// observation (those after `calibrate_until` validated only). `progress(evaluations, budget,
/// best objective)` is called after each block from the calling thread (may be empty). Throws
/// std::invalid_argument when no observation is fitted.
CalibrationResult calibrate(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations, int threads,
                            const std::function<void(std::size_t, std::size_t, double)>& progress = {});

/// The identifiability table of a calibration with GLUE (fixed-width text).
std::string format_identifiability(const CalibrationResult& r);

/// Writes a calibration's outputs into folder `dir` (created): `evaluations.csv` (every set and
/// its objective), `parameter_ensemble.csv` (the ensemble, in the format batches read as
/// parameter members), `parameters.toml` (the inputs' parameters.toml with the best values of
/// the free parameters, kind "C", their plausible range the calibration's bounds),
/// `validation.txt` (prior and best tables, the split-sample table), with GLUE
/// `glue_samples.csv` (every sample, its objective and weight), with MCMC `mcmc_chains.csv`
/// (every chain's state at every generation), and `identifiability.txt` with either.
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
