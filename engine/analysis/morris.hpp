#pragma once
/// @file morris.hpp
/// Morris elementary-effects screening (Morris 1991, Technometrics 33:161–174) with the mu* of
/// Campolongo, Cariboni & Saltelli (2007, Environ. Modell. Softw. 22:1509–1518): which parameters
/// matter, from r·(k+1) model runs, for several model outputs at once.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace daihai::analysis {

/// Evaluates a block of design points: `points[j]` (size k, in the caller's units, inside
/// [lower, upper]) → element j of the returned vector = the K outputs at that point. K ≥ 1 and
/// the same for every point; every value finite. Any evaluation order or thread count.
using MorrisBlockModel = std::function<std::vector<std::vector<double>>(
    const std::vector<std::vector<double>>& points)>;

/// Options of `morris_screening`.
struct MorrisOptions {
  std::size_t trajectories = 10;  ///< r, number of one-at-a-time trajectories; ≥ 2
  int levels = 4;                 ///< p, grid levels per parameter; even, ≥ 2
  std::uint64_t seed = 0;         ///< trajectory t draws from `core::Rng(seed, t)`
  /// Points per call of the model; 0 = the whole design (r·(k+1) points) in one call.
  std::size_t block = 0;
};

/// Design, elementary effects and statistics of one screening. Indices: t trajectory
/// (0 … r−1), i parameter (0 … k−1), o output (0 … K−1).
struct MorrisResult {
  std::size_t parameters = 0;                 ///< k
  std::size_t outputs = 0;                    ///< K
  double delta = 0.0;                         ///< Δ = p / (2(p − 1)), unit-hypercube step
  std::vector<std::vector<double>> points;    ///< [t·(k+1) + s][i], caller's units
  std::vector<std::vector<double>> values;    ///< [t·(k+1) + s][o], model outputs
  std::vector<std::vector<std::vector<double>>> effects;  ///< EE [t][i][o], see morris_screening
  std::vector<std::vector<double>> mu;        ///< [i][o] mean of EE
  std::vector<std::vector<double>> mu_star;   ///< [i][o] mean of |EE| (Campolongo et al. 2007)
  std::vector<std::vector<double>> sigma;     ///< [i][o] sample standard deviation of EE (r − 1)
};

/// Morris elementary-effects screening of a model with k parameters and K outputs.
///
/// Equation tags [M1]–[M3] are local to this file. Design (Morris 1991): the unit hypercube [0, 1]^k with the p-level grid
/// {0, 1/(p−1), …, 1} and step Δ = p / (2(p − 1)). Each of the r trajectories starts at a random
/// grid point x* with every x*_i ∈ {0, …, 1 − Δ} (p/2 levels), a random direction d_i = ±1 per
/// parameter (start at x*_i when d_i = +1, at x*_i + Δ when d_i = −1) and a random order of the
/// parameters (Fisher–Yates); moving one parameter at a time by d_i·Δ gives k + 1 points. This is
/// Morris's orientation matrix B* = (J x* + (Δ/2)[(2B − J) D* + J]) P* written out. Unit point u
/// maps to x_i = lower_i + u_i (upper_i − lower_i).
///
/// Elementary effect of parameter i on output o along a trajectory, from the two points that
/// differ only in parameter i (Morris 1991):
///     EE_i = [y(…, u_i + d_i Δ, …) − y(…, u_i, …)] / (d_i Δ).                           [M1]
/// Δ is a step in the unit cube, i.e. a fraction of the parameter's range, so EE_i is the change
/// of the output per full range of parameter i (output units), the same scale for every
/// parameter whatever its units; for y linear in x_i, EE_i = (∂y/∂x_i)·(upper_i − lower_i).
/// Divide by (upper_i − lower_i) for the effect per unit of x_i.
/// Statistics over the r trajectories (μ and σ: Morris 1991; μ*: Campolongo et al. 2007):
///     μ_i = (1/r) Σ_t EE_i^t,   μ*_i = (1/r) Σ_t |EE_i^t|,                               [M2]
///     σ_i = sqrt( Σ_t (EE_i^t − μ_i)² / (r − 1) ).                                          [M3]
/// The trajectories are drawn at random (the optimised selection of Campolongo et al. 2007 is
/// not implemented). Deterministic for a given seed: trajectory t depends only on (seed, t).
///
/// @param lower, upper  parameter bounds, size k ≥ 1, caller's units; lower[i] < upper[i], finite.
/// @param model         block model (see `MorrisBlockModel`).
/// @param options       see `MorrisOptions`.
/// @throws std::invalid_argument for empty or mismatched bounds, lower ≥ upper or non-finite
///   bounds, r < 2, p odd or < 2, a model returning the wrong number of points, an empty or
///   inconsistent number of outputs, or a non-finite output (the message names point and
///   output); whatever `model` throws propagates.
MorrisResult morris_screening(const std::vector<double>& lower, const std::vector<double>& upper,
                              const MorrisBlockModel& model, const MorrisOptions& options = {});

}  // namespace daihai::analysis
