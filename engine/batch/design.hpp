#pragma once
/// @file design.hpp
/// Inverse design: the smallest value of one design value of a measure (e.g. the Yellow River
/// diversion's delivery fraction) within its plausible range for which one measure combination
/// of a batch meets a target with a given probability. Every evaluation runs the combination's
/// members with the candidate value in every run (common random numbers: the same weather and
/// parameters at every value), so the probability's steps come from the design value alone; the
/// search assumes the probability does not fall as the value grows and says so where it does.
#include <functional>
#include <string>
#include <vector>

#include "analysis/verification.hpp"
#include "io/scenario_file.hpp"

namespace daihai::batch {

/// What to search.
struct DesignQuery {
  std::string measure, key;   ///< the design value `<measure>.<key>` to vary
  std::string target;         ///< a target's name
  double probability = 0.9;   ///< the probability the target must be met with, (0, 1]
  std::string scenario;       ///< the combination (default: the batch's fullest, every measure on)
  int iterations = 7;         ///< bisection steps after the two ends ((hi − lo)/2^7 resolution)
};

/// One evaluation.
struct DesignPoint {
  double value = 0.0;        ///< the design value, in its declared unit
  double probability = 0.0;  ///< fraction of successful members meeting the target
  std::size_t members = 0;   ///< successful members
  std::size_t failed = 0;    ///< failed runs (left out of the probability)
  std::string first_error;   ///< the first failed run's error
};

/// The answer.
struct DesignAnswer {
  DesignQuery query;
  std::string unit;                 ///< the design value's declared unit
  double low = 0.0, high = 0.0;     ///< its plausible range (declared unit)
  bool found = false;               ///< some value in the range suffices
  double value = 0.0;               ///< the smallest evaluated value that suffices (found)
  /// The sampling half-width of the probability at `value`: 1.645·√(p(1−p)/N), the normal
  /// approximation of a binomial share's 90 % interval over N members.
  double sampling_half_width = 0.0;
  /// The evaluated values whose probability lies within that half-width of the required one:
  /// the members cannot tell them apart from the answer (the answer's sampling uncertainty).
  double indistinct_low = 0.0, indistinct_high = 0.0;
  bool monotone = true;             ///< the evaluated probabilities never fall as the value grows
  std::vector<DesignPoint> points;  ///< every evaluation, by value
};

/// The search over [low, high] for the smallest value whose probability reaches `required`:
/// `evaluate` at the top (none suffices when it falls short), at the bottom (it suffices), then
/// `iterations` bisection steps keeping the probability >= required at the upper end; then the
/// answer's sampling uncertainty and whether the evaluations were monotone. Pure: `evaluate`
/// runs the model (design_search) or a known response (tests).
DesignAnswer monotone_search(double low, double high, double required, int iterations, const std::function<DesignPoint(double)>& evaluate);

/// Searches (bisection over the plausible range of the design value, see the file comment).
/// Throws core::InputError naming the batch file for a measure that is not on in the chosen
/// combination, a key without a plausible range, an unknown target or scenario, a probability
/// outside (0, 1].
DesignAnswer design_search(const io::RunPlan& plan, const std::vector<analysis::Target>& targets, const DesignQuery& query, int threads);

/// Fixed-width text of the answer: the value or "no value in the range suffices", the sampling
/// uncertainty, and every evaluation.
std::string format_design(const DesignAnswer& answer);

}  // namespace daihai::batch
