#pragma once
/// @file statistics.hpp
/// Small statistics shared by target verification and the observation operators.
#include <span>

namespace daihai::analysis {

/// Ordinary least-squares slope of y on x: Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², units of y per unit of x.
/// Throws std::invalid_argument when the sizes differ, there are fewer than two points, or all
/// x are equal.
double least_squares_slope(std::span<const double> x, std::span<const double> y);

}  // namespace daihai::analysis
