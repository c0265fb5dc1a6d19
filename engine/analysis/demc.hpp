#pragma once
/// @file demc.hpp
/// Differential Evolution Markov Chain with sampling from past states (DE-MCz; ter Braak & Vrugt
/// 2008, Stat. Comput. 18:435–446), the sampler at the core of DREAM(ZS) (Vrugt 2016, Environ.
/// Model. Softw. 75:273): K chains move together; chain i proposes
///   x* = x_i + γ (z_a − z_b) + e,   γ = 2.38/√(2d) (every tenth generation γ = 1, to jump between modes),
/// z_a ≠ z_b drawn from the archive Z of past states, e ~ N(0, (1e-6 · range)²); a proposal outside
/// the box is folded back into it (reflection); it is accepted with probability
/// min(1, exp(−(J* − J_i)/2)) — the likelihood exp(−J/2) of the calibration objective J, with a
/// uniform prior on the box. Every `archive_every` generations the chains' states join Z.
/// Proposals of one generation are evaluated together (in parallel, any order): results depend
/// only on the seed. Pure: no files, no threads.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "analysis/dds.hpp"

namespace daihai::analysis {

struct DemcOptions {
  std::size_t generations = 1000;    ///< generations (each evaluates one proposal per chain)
  std::size_t archive_every = 10;    ///< generations between additions of the chains' states to Z
  std::uint64_t seed = 0;            ///< core::Rng stream
};

struct DemcResult {
  /// chains[k][g]: the state of chain k after generation g (its objective in `objectives[k][g]`).
  std::vector<std::vector<std::vector<double>>> chains;
  std::vector<std::vector<double>> objectives;
  std::size_t evaluations = 0;       ///< proposals evaluated
  std::size_t accepted = 0;          ///< proposals accepted
};

/// Samples the posterior exp(−J/2) on the box [lower, upper] with DE-MCz from the initial archive
/// `archive` (points in the box, at least 3; e.g. a Latin hypercube of the prior) and the chains'
/// starting points `starts` with their objectives `start_objectives` (K ≥ 1 chains). `f`
/// evaluates a block of K proposals. Throws std::invalid_argument on inconsistent sizes, an archive
/// of fewer than 3 points, or a starting point outside the box.
DemcResult demc_sample(const std::vector<double>& lower, const std::vector<double>& upper, std::vector<std::vector<double>> archive,
                       const std::vector<std::vector<double>>& starts, const std::vector<double>& start_objectives,
                       const BlockObjective& f, const DemcOptions& options);

/// The potential scale reduction factor R̂ of each parameter over the second halves of the
/// chains (Gelman & Rubin 1992, Stat. Sci. 7:457, eq. 3 without the degrees-of-freedom
/// correction): R̂ = √(((n−1)/n·W + B/n) / W), W the mean within-chain variance, B/n the variance
/// of the chain means; near 1 once the chains sample one distribution (R̂ < 1.2 is the usual
/// convergence criterion, Gelman et al. 2013, BDA3 §11.4). `chains[k][g]` as in DemcResult.
/// A parameter no chain moves gets R̂ = 1. Throws std::invalid_argument for fewer than 2 chains
/// or fewer than 4 generations.
std::vector<double> gelman_rubin(const std::vector<std::vector<std::vector<double>>>& chains);

}  // namespace daihai::analysis
