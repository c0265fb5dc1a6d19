#pragma once
/// @file dds.hpp
/// Dynamically Dimensioned Search (DDS): bounded, derivative-free, greedy single-solution
/// minimisation for a fixed budget of objective evaluations (Tolson & Shoemaker 2007, Water
/// Resour. Res. 43, W01413, doi:10.1029/2005WR004723), with a block mode so that a caller can
/// evaluate several candidates at once (in parallel, in any order) and still get results that do
/// not depend on how it did so.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace daihai::analysis {

/// Evaluates a block of candidate points: `candidates[j]` (size D, the caller's own units) →
/// returned vector element j = objective value at that point (to be minimised). Must return
/// exactly `candidates.size()` finite values. The caller may evaluate the block in any order and
/// on any number of threads: the optimiser only looks at the returned vector.
using BlockObjective =
    std::function<std::vector<double>(const std::vector<std::vector<double>>& candidates)>;

/// Options of `dds_minimize`.
struct DdsOptions {
  /// Maximum number of objective evaluations m, the initial point(s) included (paper: m). ≥ 1.
  std::size_t budget = 1000;
  /// Neighbourhood perturbation size r, as a fraction of each variable's range (paper: r = 0.2).
  /// > 0.
  double r = 0.2;
  /// Seed of the engine's reproducible stream `core::Rng(seed, evaluation index)`.
  std::uint64_t seed = 0;
  /// Candidates generated (from the same incumbent) and handed to the objective per call. 1 is
  /// the original sequential algorithm. ≥ 1. The last block is cut to the remaining budget.
  std::size_t block = 1;
  /// Initial solution (size D, inside the bounds). Empty: random start, see `random_starts`.
  std::optional<std::vector<double>> x0;
  /// Random start only: number of points drawn uniformly in the box and evaluated as the first
  /// block (at most `budget`); the best of them (ties: lowest index) is the initial solution. ≥ 1. Tolson's
  /// published code uses max(5, round(0.005·m)); the paper's Step 2 is one point (the default).
  std::size_t random_starts = 1;
};

/// Outcome of `dds_minimize`.
struct DdsResult {
  std::vector<double> best_x;                   ///< best point found (size D)
  double best_f = 0.0;                          ///< objective at best_x
  std::vector<std::vector<double>> history_x;   ///< every evaluated point, in evaluation order
  std::vector<double> history_f;                ///< objective of each, same order
  std::vector<double> best_f_trace;             ///< lowest objective seen up to each evaluation
  std::size_t evaluations = 0;                  ///< evaluations used (= history size ≤ budget)
};

/// Minimises an objective over the box [lower, upper] with DDS.
///
/// Algorithm (Tolson & Shoemaker 2007, the DDS algorithm's Steps 1–6; the equation tags [D1], [D2]
/// are local to this file, not the paper's numbering), for evaluation counter
/// i = 1 … m − 1 after the initial solution x⁰ has been evaluated (i = 1):
///  - Step 3, the neighbourhood: each decision variable d = 1 … D enters the set N of perturbed
///    variables with probability
///        P(i) = 1 − ln(i) / ln(m);                                                   [D1]
///    if N is empty, one variable chosen uniformly at random is put in it.
///  - Step 4, the perturbation of each j in N from the incumbent x^best:
///        x_j^new = x_j^best + σ_j · N(0, 1),   σ_j = r · (x_j^max − x_j^min);        [D2]
///    reflection at the bounds: if x_j^new < x_j^min then x_j^new = x_j^min + (x_j^min − x_j^new),
///    and if that exceeds x_j^max, x_j^new = x_j^min; if x_j^new > x_j^max then
///    x_j^new = x_j^max − (x_j^new − x_j^max), and if that is below x_j^min, x_j^new = x_j^max.
///  - Step 5, greedy acceptance: if F(x^new) ≤ F^best the incumbent becomes x^new.
///  - Step 6: i = i + 1; stop when i = m.
/// Here the candidate of evaluation number e (0-based; e = i) uses P(e) and draws all its random
/// numbers from `core::Rng(seed, e)`, so its generation depends only on (seed, e) and on the
/// incumbent.
///
/// Block mode (`block` = b > 1): the next b candidates (evaluation numbers e … e+b−1) are all
/// generated from the current incumbent, each with its own P(e+k) and stream, evaluated in one
/// call of `f`, and then the block's best (lowest value, ties: lowest index in the block)
/// replaces the incumbent when it is ≤ F^best. With b = 1 this is exactly the sequential
/// algorithm above; for any b the result is independent of how the caller evaluates a block.
/// For b > 1 the search differs from b = 1 (the incumbent moves at most once per block), so a
/// result depends on (seed, budget, block, r, x0) but never on threads or evaluation order.
/// The reflection rule on a second violation sets the value to the bound crossed first, i.e. the
/// clamp of the unreflected value.
///
/// Initial solution: `x0` when given (evaluation 0), otherwise `random_starts` points uniform in
/// the box from `core::Rng(seed, k)`, k = 0 … random_starts−1, evaluated as the first block
/// (these count towards the budget; the counter i of [D1] then starts at random_starts).
///
/// @param lower, upper  bounds, size D ≥ 1, caller's units; lower[d] < upper[d], all finite.
/// @param f             block objective (see `BlockObjective`).
/// @param options       see `DdsOptions`.
/// @returns best point and value, the full history and the number of evaluations (= budget).
/// @throws std::invalid_argument for empty or mismatched bounds, lower ≥ upper or non-finite
///   bounds, x0 of the wrong size or outside the bounds, budget < 1, r ≤ 0 (or not finite),
///   block < 1, random_starts < 1, an objective returning the wrong number of values, or a
///   non-finite objective value (the message names the evaluation index of the candidate);
///   whatever `f` throws propagates.
DdsResult dds_minimize(const std::vector<double>& lower, const std::vector<double>& upper,
                       const BlockObjective& f, const DdsOptions& options = {});

}  // namespace daihai::analysis
