#pragma once
/// @file assimilation.hpp
/// Conditioning an ensemble on monitoring data: the rows of a monitoring file and the analysis
/// step of an ensemble Kalman filter (square-root form; pure: no files, no blocks, no threads).
///
/// Why an EnKF and not a particle filter: the members of a batch carry their own weather and
/// parameters, so between observations they spread by themselves; the observations are few
/// (one to three a year at most) and precise relative to that spread (the lake's area in 2015
/// ranged 14-61 km² over members against ±6 km² observed). A particle filter's weights then
/// collapse on one or two members (effective sample size ~1 for 100 members: Snyder et al. 2008,
/// Mon. Weather Rev. 136:4629), and resampling copies whole lakes onto other members' weather. The
/// EnKF moves every member by the same gain instead, keeps each member's own weather and
/// parameters, and its Gaussian update is adequate for the few, smooth, nearly monotone relations
/// involved (stage, area and volume through the hypsometry; TDS as salt over volume). Bounds are
/// kept by the caller clipping the analysis to the physical range (scenario/assimilate.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace daihai::analysis {

/// A monitored quantity and its observation operator on a member's state.
enum class Monitored {
  level,         ///< lake stage h(V), m
  area,          ///< lake surface area A(h), m²
  volume,        ///< lake volume V, m³
  tds,           ///< lake TDS M/V, g/L (= kg/m³)
  aquifer_head,  ///< aquifer head, m (models with an aquifer)
};

/// "level", "area", "volume", "tds", "aquifer_head".
const char* to_string(Monitored q);

/// One monitoring observation (SI units).
///
/// Time: an instant — the state at the end of day `day` (core::day_number; the state the engine
/// holds between that day and the next) — or a period of calendar years first..last: the mean
/// over those years of the quantity's annual means (the annual mean of a year being the mean of
/// its end-of-day values, as in /annual). An instant is assimilated after its day, a period
/// after the last day of its last year.
struct MonitoringRow {
  Monitored quantity = Monitored::level;
  double value = 0.0;            ///< observed value, SI
  double sd = 0.0;               ///< its standard deviation (observation error), SI, > 0
  bool instant = true;           ///< instant (`day`) or period (`first_year`..`last_year`)
  std::int64_t day = 0;          ///< instant: the day whose end the value describes
  int first_year = 0, last_year = 0;  ///< period: calendar years, inclusive
  std::string unit;              ///< the unit the file gives values in
  double to_si = 1.0;            ///< SI = value in `unit` × to_si
  std::string source, note;      ///< source id (SOURCES.md) and free text
  std::string file;              ///< where it was read ("" in code)
  int line = 0;                  ///< its line there

  /// The day after whose end the observation is assimilated (the instant's day, or 31 December
  /// of the period's last year).
  std::int64_t analysis_day() const;
  /// The first day the observation operator reads (the instant's day, or 1 January of the first year).
  std::int64_t first_day() const;
  /// "file:line", for messages.
  std::string where() const;
};

/// Settings of the analysis.
struct EnkfOptions {
  /// Relaxation to prior spread α in [0, 1] (Whitaker & Hamill 2012, Mon. Weather Rev.
  /// 140:3078): the analysis anomalies of each state variable are scaled so that its spread is
  /// α·σ_prior + (1 − α)·σ_analysis; 0: the plain EnKF. Keeps an ensemble whose members are
  /// sampled, not a model error, from under-dispersing after repeated analyses.
  double relaxation = 0.0;
};

/// The analysis of an ensemble square-root filter (EnSRF: Whitaker & Hamill 2002, Mon. Weather
/// Rev. 130:1913), observations processed one at a time (serially; exact for independent errors):
/// with the predicted observations appended to the state, for each observation i of error
/// variance r_i = sd_i² and the ensemble's predicted-observation anomalies b (variance p = bbᵀ/(N−1)),
///   K = A bᵀ / ((N − 1)(p + r_i)),   mean += K (y_i − mean of HX_i),   A −= α K b,
///   α = 1 / (1 + √(r_i / (p + r_i)))
/// so the analysis mean and covariance are those of the Kalman filter for the ensemble's
/// covariances without perturbing the observations (no sampling noise, no random numbers: the
/// same inputs give the same analysis). Then relaxation to prior spread (EnkfOptions::relaxation).
///
/// Localisation (`localization`, n×m weights in [0, 1], or empty for all ones): observation i
/// updates state variable k by the weight (k, i) times its gain (the Schur product of the gain
/// with the weights: Houtekamer & Mitchell 2001, Mon. Weather Rev. 129:123; "variable
/// localisation", Kang et al. 2011, J. Geophys. Res. 116:D09110) — 0 where an observation should
/// not move a variable whatever the ensemble's covariance says.
///
/// Shapes: X n×N (state variables × members), HX m×N, y and sd m. N ≥ 2. Units: any, consistent
/// per row. Returns X_a (n×N). Throws std::invalid_argument for mismatched shapes, N < 2, sd ≤ 0
/// or non-finite inputs. An observation whose predictions do not vary over the members changes
/// nothing; one far outside the ensemble moves every member by the same gain (the caller keeps
/// the states physical).
Eigen::MatrixXd enkf_analysis(const Eigen::MatrixXd& x, const Eigen::MatrixXd& hx, const Eigen::VectorXd& y, const Eigen::VectorXd& sd,
                              const EnkfOptions& options = {}, const Eigen::MatrixXd& localization = {});

/// Innovations beyond this many standard deviations are gross errors (a background check: e.g.
/// Lorenc & Hammon 1988, Q. J. R. Meteorol. Soc. 114:515 use 4-5).
inline constexpr double kGrossErrorSd = 5.0;

/// The background check of observations: for each row i of HX (m×N, N ≥ 2), whether
/// |y_i − mean(HX_i)| ≤ kGrossErrorSd · √(var(HX_i) + sd_i²) (variance with divisor N − 1), i.e.
/// the observation lies within what the ensemble's spread and its own error allow. A row that
/// fails is not assimilated: a misdated or mistyped figure would otherwise drag every member to it.
/// Throws std::invalid_argument for mismatched shapes or N < 2.
std::vector<bool> background_check(const Eigen::MatrixXd& hx, const Eigen::VectorXd& y, const Eigen::VectorXd& sd);

}  // namespace daihai::analysis
