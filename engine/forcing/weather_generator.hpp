#pragma once
/// @file weather_generator.hpp
/// A WGEN-style stochastic daily weather generator (Richardson 1981, Water Resour. Res.
/// 17(1):182–190), by calendar month:
///  - occurrence: first-order two-state Markov chain, wet day = precipitation >= threshold
///    (0.1 mm), parameters p(W|D) and p(W|W);
///  - amount on a wet day: threshold + F_y · G, G ~ gamma(shape k, scale θ), F_y a per-year
///    lognormal multiplier with mean 1 (year-to-year variability of precipitation) that follows
///    an AR(1) process in log space, so that wet and dry years can cluster (see
///    GeneratorParameters::year_factor_lag1);
///  - temperature, diurnal range, relative humidity, wind and relative sunshine n/N: a smooth
///    mean-preserving seasonal curve, a wet/dry shift, and a standardised AR(1) anomaly, bounded
///    physically (DTR >= 0, RH 1..100 %, wind >= 0, sunshine 0..N); the curve's location is
///    corrected so that the *bounded* daily values keep the fitted monthly means.
/// Randomness comes from an own xoshiro256** generator seeded through splitmix64, with own
/// normal (Marsaglia polar) and gamma (Marsaglia & Tsang 2000) samplers, so series are
/// bit-reproducible across standard libraries. No I/O, no threads, no global state.
#include <array>
#include <cstdint>
#include <vector>

#include "core/random.hpp"

#include "forcing/climate_records.hpp"
#include "forcing/daily_forcing.hpp"

namespace daihai::forcing {

/// The engine's random stream (core/random.hpp).
using Rng = core::Rng;

/// Indices of the continuous variables in GeneratorParameters::vars.
enum class Var : int { tmean = 0, dtr = 1, rh = 2, wind = 3, sun_fraction = 4 };
inline constexpr int kNumVars = 5;

/// One continuous variable: x = location[m][d] + shift + sigma[m]·z, z a unit-variance AR(1)
/// with lag-1 coefficient phi[m]; shift = shift_wet[m] on wet days, shift_dry[m] on dry days;
/// then clamped to [lower, upper]. m = month 0..11, d = day of month 0..30.
struct VarParams {
  std::array<double, 12> sigma{};      ///< SD of the residual anomaly (variable's unit)
  std::array<double, 12> phi{};        ///< lag-1 autocorrelation of the anomaly
  std::array<double, 12> shift_wet{};  ///< mean offset on wet days
  std::array<double, 12> shift_dry{};  ///< mean offset on dry days (π·wet + (1-π)·dry = 0)
  std::array<std::array<double, 31>, 12> location{};  ///< daily location before clamping
  double lower = -1e300, upper = 1e300;  ///< physical bounds
};

/// The targets a fit aims at (the normals after averaging and elevation adjustment); kept in
/// the parameters so tests and reports can compare generated statistics with them.
struct MonthTargets {
  double tmean_C = 0, tmax_C = 0, tmin_C = 0;
  double precip_mm = 0;    ///< mm/month
  double wet_days = 0;     ///< days/month
  double rh_pct = 0, wind_m_s = 0;
  double sunshine_h = 0;   ///< h/month
};

/// Everything generate() needs. Plain data: copy, store, or edit freely.
struct GeneratorParameters {
  double latitude_deg = 0;          ///< for day length N (sunshine bound)
  double wet_threshold_mm = 0.1;    ///< a wet day has at least this much, mm
  std::array<double, 12> p_wd{};    ///< p(wet | previous day dry)
  std::array<double, 12> p_ww{};    ///< p(wet | previous day wet)
  std::array<double, 12> gamma_shape{};     ///< k of the amount above the threshold
  std::array<double, 12> gamma_scale_mm{};  ///< θ, mm
  /// SD σ of ln F_y, dimensionless. F_y = exp(σ·Z_y − σ²/2) multiplies every wet-day amount
  /// above the threshold in calendar year y (the first, possibly partial, year of a series
  /// included), so E[F_y] = 1 and Var F_y = exp(σ²) − 1. Fitted by fit_generator so that daily
  /// randomness and the factor together give the records' annual SD.
  double year_factor_sigma_log = 0;
  /// Lag-1 autocorrelation ρ of Z_y, dimensionless, |ρ| <= 1: Z_0 ~ N(0, 1) (the stationary
  /// distribution), Z_y = ρ·Z_{y−1} + sqrt(1 − ρ²)·ε_y with ε_y ~ N(0, 1) independent. Z_y is
  /// N(0, 1) in every year whatever ρ, so the mean and SD of F_y (and the annual SD the fit aims
  /// at) do not depend on ρ; Corr(ln F_y, ln F_{y+k}) = ρ^k and
  /// Corr(F_y, F_{y+k}) = (exp(ρ^k σ²) − 1)/(exp(σ²) − 1). Annual totals P_y = A_y + F_y·S_y
  /// (A_y: threshold × wet days, S_y: amounts above the threshold before F_y; both independent
  /// of F, and of other years' up to the day-to-day persistence across 31 December) then have
  /// lag-k autocorrelation (exp(ρ^k σ²) − 1)·E[S]²/Var P_y ≈ ρ^k × the share of
  /// Var P_y carried by the year factor (daily randomness adds variance that does not persist).
  /// ρ = 0 gives independent years. Fitted by fit_generator from the records' annual totals.
  double year_factor_lag1 = 0;
  std::array<double, 12> tmax_fraction{};  ///< tmax = tmean + f·DTR, tmin = tmax - DTR
  std::array<VarParams, kNumVars> vars{};
  std::array<MonthTargets, 12> target{};
  double annual_precip_mean_target_mm = 0;  ///< sum of the monthly targets
  double annual_precip_sd_target_mm = 0;    ///< SD the year factor was fitted to
};

/// Options of the fit. No defaults for site values: they come from the lake's inputs.
struct FitOptions {
  double latitude_deg = kNoData;        ///< where the series is generated
  double target_elevation_m = kNoData;  ///< elevation the temperatures are adjusted to, m
  double lapse_rate_K_per_m = kNoData;  ///< temperature decrease with height, K/m (> 0)
  double wet_threshold_mm = 0.1;        ///< CMA wet-day threshold
  std::uint64_t calibration_seed = 20240601;  ///< seed of the internal simulation fitting F_y
  int calibration_years = 2000;               ///< its length, years
  /// Plausible range of year-to-year persistence (dimensionless, -1 <= min <= max <= 1): the
  /// records' pooled lag-1 autocorrelation of annual totals is clamped to it before it becomes
  /// the target of the fit, and so is the year factor's ρ. Defaults 0 and 0.6 are a documented
  /// estimate (inputs/SOURCES.md, climate section): long annual precipitation records show weak
  /// positive persistence on average (Hurst exponents H ≈ 0.56–0.59, lag-1 2^(2H−1) − 1 ≈
  /// 0.09–0.13), no lasting alternation (ρ < 0); 0.6 (H ≈ 0.84 for fractional Gaussian noise)
  /// is above what station records support and bounds what a short, noisy record can impose.
  double year_factor_lag1_min = 0.0;
  double year_factor_lag1_max = 0.6;
};

/// Diagnostics of a fit (what the data gave), for reports.
struct FitReport {
  std::array<double, 12> hohhot_p_wd{}, hohhot_p_ww{}, hohhot_gamma_shape{};
  double observed_annual_cv = 0;   ///< pooled CV of annual precipitation of the given sets
  int observed_years = 0;          ///< years behind it
  double annual_sd_without_year_factor_mm = 0;  ///< SD from daily randomness alone
  /// Pooled lag-1 autocorrelation of the sets' annual totals (each set's anomalies about its own
  /// mean; Σ lag-1 products / Σ squares), before clamping; NaN when no pair of consecutive years
  /// exists. For a short set it is biased low: with no persistence its expectation is
  /// −Σ (n_s − 1)/n_s / Σ (n_s − 1) over sets of n_s years (−1/n for one set).
  double observed_annual_lag1 = 0;
  double observed_annual_lag1_se = 0;  ///< its standard error, 1/sqrt(pairs) (no persistence)
  int observed_lag1_pairs = 0;         ///< pairs of consecutive years behind it
  double annual_lag1_target = 0;  ///< r*: the estimate clamped to the plausible range
};

/// Fits the generator (pure: the same inputs always give the same parameters).
///  - mean_stations: stations whose normals are averaged (equal weights) for the seasonal
///    means: tmean/tmax/tmin (each shifted by lapse·(station elevation - target elevation)),
///    precipitation, wet days, RH, wind, sunshine;
///  - structure: a daily record giving, per month (pooled over a centred 3-month window), the
///    Markov persistence r = p(W|W) - p(W|D), the gamma shape of amounts above the threshold
///    (method of moments), and for each continuous variable the wet/dry difference, the SD and
///    lag-1 autocorrelation of anomalies around its own smooth seasonal curve. Wind SD is scaled
///    by the ratio of the target to the record's monthly mean wind; the others are used as is;
///  - annual_precip_sets: sets of observed annual precipitation totals (mm) of consecutive
///    calendar years in order, NaN for a year without a total (as annual_precip_totals gives
///    them). Their pooled coefficient of variation (sets of 3 or more totals) times the target
///    annual mean is the SD the year factor is fitted to (using an internal simulation of
///    calibration_years: Var P = Var₀ + (exp(σ²) − 1)·E[S²], Var₀ and E[S²] from the simulation
///    without the factor). The same sets' pooled lag-1 autocorrelation
///    r = Σ_s Σ_y a_{s,y}·a_{s,y+1} / Σ_s Σ_y a_{s,y}², a = total − the set's mean, over pairs
///    of consecutive years with both totals, is the records' year-to-year persistence; clamped
///    to [year_factor_lag1_min, year_factor_lag1_max] it is the lag-1 autocorrelation r* that
///    the generated annual totals aim at (no pair of consecutive years: the minimum). Daily
///    randomness adds variance that does not persist, so the year factor needs more persistence
///    than the totals show: ρ solves (exp(ρσ²) − 1)·E[S]² = r*·Var P (see year_factor_lag1;
///    Var P the fitted annual variance, E[S] from the same simulation), i.e.
///    ρ = ln(1 + r*·Var P/E[S]²)/σ², clamped to the same range (a factor with ρ near 1 would
///    give a member a lasting offset rather than spells). With σ = 0 the factor is 1 and ρ has
///    no effect; it is then set to r*.
/// Wet-day probabilities are solved so that the expected wet-day counts of the Markov chain over
/// the Gregorian calendar equal the normals; amounts so that monthly totals equal the normals.
/// Throws core::InputError("fit_generator", 0, what, ...) when a needed normal is missing or the
/// daily record has no data for a month, and std::invalid_argument on bad options.
GeneratorParameters fit_generator(const std::vector<StationNormals>& mean_stations, const DailyRecord& structure,
                                  const std::vector<std::vector<double>>& annual_precip_sets,
                                  const FitOptions& options, FitReport* report = nullptr);

/// Climate change deltas applied by generate(): dT_C is added to tmean/tmax/tmin; dP_pct scales
/// every wet-day amount by (1 + dP_pct/100) (occurrence unchanged; RH kept). With a ramp, a day
/// gets the fraction weight(day) of both: 0 before `ramp_first_day`, rising linearly to 1 at
/// `ramp_last_day`, 1 after (a change that sets in gradually, as a projection from a base period
/// does); without one (ramp_last_day <= ramp_first_day) every day gets the full deltas.
struct ClimateDelta {
  double dT_C = 0;
  double dP_pct = 0;
  std::int64_t ramp_first_day = 0;  ///< days since 1970-01-01
  std::int64_t ramp_last_day = 0;
  /// Fraction of the deltas applied on `day` (0..1).
  double weight(std::int64_t day) const {
    if (ramp_last_day <= ramp_first_day) return 1.0;
    if (day <= ramp_first_day) return 0.0;
    if (day >= ramp_last_day) return 1.0;
    return static_cast<double>(day - ramp_first_day) / static_cast<double>(ramp_last_day - ramp_first_day);
  }
};

/// Generates n_days of daily weather starting at first_day (days since 1970-01-01). The series
/// depends only on (params, first_day, n_days, seed, member, delta): every call builds its own
/// Rng(seed, member). The first day's wet state and anomalies, and the first year's Z_0, are
/// drawn from their stationary distributions. Each year takes exactly one normal draw for its
/// year factor (on its first day, or on the series' first day), whatever ρ and σ, so changing
/// year_factor_lag1 or year_factor_sigma_log changes the wet-day amounts only: occurrence and
/// the other variables stay the same draw for draw, and ρ = 0 reproduces independent years
/// exactly. Throws std::invalid_argument when n_days < 0 or |year_factor_lag1| > 1.
DailyWeather generate(const GeneratorParameters& params, std::int64_t first_day, std::int64_t n_days,
                      std::uint64_t seed, int member, const ClimateDelta& delta = {});

/// Observed monthly values at (latitude, longitude) by bilinear interpolation between the
/// centres of the grid cells (which must form a 2×2 block around the point). A month where any
/// cell lacks a variable has NaN for it. Throws std::invalid_argument when the cells do not
/// surround the point.
std::vector<ObservedMonth> interpolate_grid(const GridRecord& grid, double latitude_deg, double longitude_deg);

/// Annual totals of precipitation of the calendar years of `months`, mm, one per calendar year
/// from the first complete year (12 months, none NaN) to the last, in order: NaN for an
/// incomplete year in between (so neighbours are consecutive years), incomplete years before the
/// first and after the last complete one left out.
std::vector<double> annual_precip_totals(const std::vector<ObservedMonth>& months);
/// Annual totals of a daily record, mm, likewise: a complete year has every day present.
std::vector<double> annual_precip_totals(const DailyRecord& record);

/// Per-calendar-month temperature offsets (°C) that carry gridded temperatures to the level of
/// the generator's targets: offset[m] = target tmean of month m − mean of the observed tmean of
/// that calendar month (NaN months skipped). Why: a 0.5° cell's temperature is that of the cell's
/// mean terrain, which around Daihai is mountains well above the lake (the lake-point grid
/// 2006–2015 is ~1.6 K colder than the lapse-adjusted 1981–2010 normals). Using these offsets keeps
/// the observed month-to-month and year-to-year anomalies and removes the level difference —
/// including any real climate difference between the normals' period and the grid's, which is
/// then not represented. Throws std::invalid_argument when a calendar month has no observed tmean.
std::array<double, 12> temperature_offsets(const std::vector<ObservedMonth>& observed,
                                           const GeneratorParameters& params);

/// Replaces generated months by observed ones, in place. For every calendar month of `weather`
/// that lies wholly inside the series and has an entry in `observed`:
///  - precipitation: the days are scaled so the month's total equals the observed total; when
///    the generated month is dry and the observed total positive, the whole total falls on the
///    month's 15th day (documented choice: no new randomness here);
///  - temperature: tmean is shifted so its monthly mean equals the observed one plus
///    temperature_offset_C[month-1] (zeros: the gridded values as they are; see
///    temperature_offsets()); tmax and tmin are shifted to their observed means plus the same
///    offset, or by tmean's shift when only tmean is observed; afterwards tmin <= tmean <= tmax
///    is restored by widening. Months whose tmean is NaN keep generated temperatures (never
///    filled).
/// Returns the number of months whose precipitation was replaced.
int apply_observed_months(DailyWeather& weather, const std::vector<ObservedMonth>& observed,
                          const std::array<double, 12>& temperature_offset_C = {});

}  // namespace daihai::forcing
