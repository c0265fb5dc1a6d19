#pragma once
/// @file factorial.hpp
/// Effects of the measures of a full factorial batch on one response (the 2030 area, a target's
/// probability, ...) given per on/off combination (pure: no files). With x_i = +1 when measure i
/// is on and −1 when off, over the 2^n combinations (Box, Hunter & Hunter 2005, Statistics for
/// Experimenters, 2nd ed., ch. 5):
///   main effect of i        = mean(y | x_i = +1) − mean(y | x_i = −1)
///   interaction of i and j  = mean(y | x_i·x_j = +1) − mean(y | x_i·x_j = −1)
///   alone                   = y({i}) − y(∅)          (the measure by itself)
///   dropped                 = y(N) − y(N ∖ {i})      (what the full plan loses without it)
/// The main effect averages a measure's effect over every combination of the others; alone and
/// dropped are its two extremes, which differ by the interactions.
#include <cstddef>
#include <string>
#include <vector>

namespace daihai::analysis {

/// A response per combination: `value[mask]`, bit i of mask set when measure i is on.
struct FactorialResponse {
  std::vector<std::string> measures;  ///< n measures (1 ≤ n ≤ 12)
  std::vector<double> value;          ///< 2^n values
};

/// The effects of every measure and every pair, in the response's unit.
struct FactorialEffects {
  std::vector<std::string> measures;
  std::vector<double> main, alone, dropped;  ///< per measure
  /// Per pair i < j in the order (0,1), (0,2), …, (1,2), …: the two-way interaction.
  std::vector<double> interaction;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  ///< the (i, j) of each interaction
};

/// The effects of `r` (see the file comment). Throws std::invalid_argument for 0 or more than 12
/// measures, a value count other than 2^n, or a non-finite value.
FactorialEffects factorial_effects(const FactorialResponse& r);

/// The combination mask of a scenario name of a factorial batch: "baseline" (none) or measure names
/// joined by '+'. Throws std::invalid_argument for a name holding a measure not in `measures` or
/// one twice.
std::size_t combination_mask(const std::string& scenario, const std::vector<std::string>& measures);

}  // namespace daihai::analysis
