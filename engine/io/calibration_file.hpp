#pragma once
/// @file calibration_file.hpp
/// Reads a calibration file (`scenarios/calibration.toml`): the scenario tables of a scenario
/// file (the run whose history is fitted, usually every measure on at its real date) plus
/// [calibration] (observations, budget, climate members, seeds, ensemble size), [free] (the
/// parameters to fit with their bounds) and optional [weights] (by observation confidence) and
/// [sensitivity] (years and trajectories of the Morris screening).
#include <cstdint>
#include <string>
#include <vector>

#include "io/scenario_file.hpp"

namespace daihai::io {

/// A parameter left free by a calibration: declared name and bounds in its declared unit. A
/// name `<measure>.<key>` is an uncertain design value of a measure of the fitted run (in the
/// key's declared unit).
struct FreeParameter {
  std::string name;
  double lower = 0.0;
  double upper = 0.0;
  double prior = 0.0;  ///< starting value: the inputs' value (or the scenario's override)
  std::string measure, key;  ///< a measure's design value (empty for a parameter)
  double to_si = 1.0;        ///< declared unit to internal units (measure values)
};

/// Everything a calibration or a sensitivity screening needs.
struct CalibrationSpec {
  RunPlan plan;                      ///< one run: the scenario whose history is fitted
  std::string name;
  std::string observations;          ///< observations CSV (path resolved against the file)
  std::vector<FreeParameter> free;
  int budget = 500;                  ///< objective evaluations (each = `members` runs)
  int block = 8;                     ///< candidates evaluated together (fixed: results independent of threads)
  int members = 4;                   ///< climate members per evaluation (the median is compared)
  std::uint64_t seed = 1;            ///< seed of the search
  int ensemble_size = 20;            ///< parameter sets of the ensemble written (resampled from the GLUE weights)
  /// Observations whose period ends in or before this year are fitted, the later ones only
  /// validated (a split-sample test, Klemeš 1986); 0: every observation is fitted.
  int calibrate_until = 0;
  int validation_first_member = 1000;  ///< climate members of the validation, never seen by the fit
  int validation_members = 0;          ///< their number (0: `members`)
  int glue_samples = 0;                ///< Latin hypercube samples of the GLUE ensemble (0: the DDS sets)
  int mcmc_chains = 0;                 ///< DE-MCz chains sampling the posterior (0: no MCMC; the ensemble from GLUE or DDS)
  int mcmc_generations = 1000;         ///< generations of each chain (each evaluates one set per chain)
  double weight_h = 1.0, weight_m = 0.5, weight_l = 0.25;  ///< objective weights by confidence
  int sensitivity_trajectories = 10; ///< Morris trajectories
  std::vector<int> sensitivity_years = {2015, 2030};  ///< years whose annual mean area is screened
};

/// Reads `path`. Throws core::InputError naming file, line and key: unknown tables or keys, a
/// free parameter the engine does not declare, bounds outside its valid range or lower >= upper,
/// a prior outside the bounds, budget/block/members/ensemble size out of range.
CalibrationSpec load_calibration_file(const std::string& path);

}  // namespace daihai::io
