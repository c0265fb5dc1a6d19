#pragma once
/// @file glue.hpp
/// Generalised Likelihood Uncertainty Estimation (GLUE; Beven & Binley 1992, Hydrol. Process.
/// 6:279–298): parameter sets sampled from their prior box by Latin hypercube (McKay, Beckman &
/// Conover 1979, Technometrics 21:239), each scored by the calibration objective J; those below
/// a behavioural threshold get an informal likelihood, the rest none; the behavioural region is
/// then sampled by the weights. Pure functions: no files, no threads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace daihai::analysis {

/// `n` points of a Latin hypercube in the box [lower, upper] (D = lower.size() dimensions): each
/// dimension's range is cut into n equal strata, every stratum holds exactly one point (at a
/// uniform position inside it), the strata are paired across dimensions by random permutations.
/// Deterministic for a seed (core::Rng). Throws std::invalid_argument for n = 0, bounds of unequal
/// size or lower >= upper.
std::vector<std::vector<double>> latin_hypercube(const std::vector<double>& lower, const std::vector<double>& upper, std::size_t n,
                                                 std::uint64_t seed);

/// GLUE likelihood weights of sets with objectives `j` (a weighted sum of squared normalised
/// errors, analysis::objective): L = exp(−J/2) — the Gaussian likelihood of errors that are one
/// tolerance wide at one standard deviation — for behavioural sets (J <= threshold), 0 for the
/// others; normalised to sum 1. All zero when no set is behavioural.
std::vector<double> glue_weights(const std::vector<double>& j, double threshold);

/// `k` indices drawn by systematic resampling (Kitagawa 1996, J. Comput. Graph. Stat. 5:1): one
/// uniform offset u from `seed`, index i is taken floor(k·W_i + frac) times — low variance, each
/// set at least floor(k·w_i) times. Throws std::invalid_argument when the weights do not sum to a
/// positive number.
std::vector<std::size_t> systematic_resample(const std::vector<double>& weights, std::size_t k, std::uint64_t seed);

/// The q-quantile (0..1) of `values` under `weights` (>= 0, not all 0): the smallest value whose
/// cumulative weight reaches q. Throws std::invalid_argument on empty or all-zero input.
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q);

/// How much the observations constrain a parameter: its 5–95 % range under the GLUE weights
/// against the width of its prior box.
struct Identifiability {
  std::string parameter;
  double lower = 0.0, upper = 0.0;   ///< prior box
  double q05 = 0.0, q50 = 0.0, q95 = 0.0;  ///< weighted quantiles of the behavioural sets
  double ratio = 0.0;                ///< (q95 − q05) / (upper − lower): 0.9 for a flat posterior
  /// "identified" (ratio < 0.5: the behavioural sets fill less than half the box),
  /// "weakly" (0.5–0.75), "not" (above: the observations hardly constrain it).
  std::string verdict;
};

/// The identifiability of each of the D parameters of `samples` (each of size D) with `weights`
/// (glue_weights) and prior boxes [lower, upper].
std::vector<Identifiability> identifiability(const std::vector<std::string>& names, const std::vector<double>& lower,
                                             const std::vector<double>& upper, const std::vector<std::vector<double>>& samples,
                                             const std::vector<double>& weights);

}  // namespace daihai::analysis
