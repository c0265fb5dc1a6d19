#pragma once
/// @file skill.hpp
/// Goodness-of-fit ("skill") of a simulated series against a paired observed series: NSE, KGE
/// (2009), KGE′ (2012), RMSE and mean bias. Pure functions, no units assumed beyond "sim and obs
/// share one unit"; a metric that cannot be computed carries the reason instead of a NaN.
///
/// Conventions shared by all metrics (n = number of used pairs, sums over those pairs):
///   μ_x = Σx / n,   σ_x = sqrt(Σ(x − μ_x)² / n)   (population standard deviation, divide by n),
///   r   = Σ(sim − μ_sim)(obs − μ_obs) / (n σ_sim σ_obs)   (Pearson correlation).
/// The n-vs-(n−1) choice cancels in r and in the ratios α and γ, so KGE and KGE′ do not depend
/// on it; it is stated so that σ values reported elsewhere stay consistent.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace daihai::analysis {

/// One skill metric: its value (dimensionless, or in the unit of the inputs for RMSE and bias),
/// or, when it is mathematically undefined for the data, an empty value and the reason.
/// Exactly one of `value` and `undefined` is set; `value` is never NaN or infinite.
struct Metric {
  std::optional<double> value;  ///< the metric, when defined
  std::string undefined;        ///< why it is undefined, e.g. "observations constant (zero variance)"; empty when defined
};

/// The skill of one simulated series against one observed series.
struct Skill {
  std::size_t count = 0;  ///< pairs used (both sim and obs finite); non-finite pairs are skipped
  /// Nash–Sutcliffe efficiency, dimensionless, (−∞, 1], 1 = perfect:
  ///   NSE = 1 − Σ(sim − obs)² / Σ(obs − μ_obs)²
  /// Nash, J.E. & Sutcliffe, J.V. (1970), River flow forecasting through conceptual models
  /// part I, J. Hydrol. 10:282–290. Not symmetric: NSE(sim, obs) ≠ NSE(obs, sim) in general.
  /// Undefined when count < 2 or the observations have zero variance.
  Metric nse;
  /// Kling–Gupta efficiency (2009), dimensionless, (−∞, 1], 1 = perfect:
  ///   KGE = 1 − sqrt((r − 1)² + (α − 1)² + (β − 1)²),  α = σ_sim / σ_obs,  β = μ_sim / μ_obs
  /// Gupta, H.V., Kling, H., Yilmaz, K.K. & Martinez, G.F. (2009), Decomposition of the mean
  /// squared error and NSE performance criteria, J. Hydrol. 377:80–91.
  /// Undefined when count < 2, σ_obs = 0 or σ_sim = 0 (r undefined), or μ_obs = 0 (β undefined).
  Metric kge;
  /// Modified Kling–Gupta efficiency KGE′, dimensionless, (−∞, 1], 1 = perfect:
  ///   KGE′ = 1 − sqrt((r − 1)² + (γ − 1)² + (β − 1)²),  γ = CV_sim / CV_obs = (σ_sim/μ_sim) / (σ_obs/μ_obs)
  /// Kling, H., Fuchs, M. & Paulin, M. (2012), Runoff conditions in the upper Danube basin under
  /// an ensemble of climate change scenarios, J. Hydrol. 424–425:264–277.
  /// Undefined when KGE is, and also when μ_sim = 0 (γ undefined).
  Metric kge_prime;
  /// Root-mean-square error, unit of the inputs: RMSE = sqrt(Σ(sim − obs)² / n). Undefined when count = 0.
  Metric rmse;
  /// Mean bias, unit of the inputs: bias = Σ(sim − obs) / n = μ_sim − μ_obs (positive = sim too
  /// high). Undefined when count = 0.
  Metric bias;
};

/// Skill of `sim` against `obs` (same length, same units, element i of each paired). Pairs where
/// either value is NaN or ±infinity are skipped and not counted. Metrics that are undefined for
/// the remaining pairs carry a reason (see Skill); no metric is ever NaN. Argument order matters
/// (NSE, KGE and KGE′ normalise by the observations).
/// Throws std::invalid_argument when sim.size() != obs.size().
Skill skill(std::span<const double> sim, std::span<const double> obs);

/// Text of a metric: its value in fixed notation with `decimals` digits after the point
/// ("0.812" for decimals = 3), or "undefined (<reason>)".
/// Throws std::invalid_argument when decimals is negative.
std::string format_metric(const Metric& m, int decimals = 3);

}  // namespace daihai::analysis
