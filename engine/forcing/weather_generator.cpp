#include "forcing/weather_generator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "physics/evaporation.hpp"

namespace daihai::forcing {

// ---------------------------------------------------------------- seasonal curves
namespace {

constexpr std::array<double, 12> kClimMonthLen{31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr std::array<int, 12> kDoyStart{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
constexpr double kClimYear = 365.25;

std::array<double, 12> month_starts() {
  std::array<double, 12> s{};
  double acc = 0;
  for (int m = 0; m < 12; ++m) {
    s[m] = acc;
    acc += kClimMonthLen[m];
  }
  return s;
}

/// Piecewise-linear cyclic curve through (month centre, node).
double curve_at(const std::array<double, 12>& nodes, double t) {
  static const std::array<double, 12> start = month_starts();
  std::array<double, 12> c{};
  for (int m = 0; m < 12; ++m) c[m] = start[m] + 0.5 * kClimMonthLen[m];
  t = std::fmod(t, kClimYear);
  if (t < 0) t += kClimYear;
  for (int i = 0; i < 12; ++i) {
    const int j = (i + 1) % 12;
    double a = c[i], b = c[j];
    double tt = t;
    if (j == 0) {
      b += kClimYear;
      if (tt < a) tt += kClimYear;
    }
    if (tt >= a && tt <= b) return nodes[i] + (nodes[j] - nodes[i]) * (tt - a) / (b - a);
  }
  // t before the January centre: segment December -> January
  const double a = c[11] - kClimYear, b = c[0];
  return nodes[11] + (nodes[0] - nodes[11]) * (t - a) / (b - a);
}

double day_position(int m, int d) { return month_starts()[m] + d + 0.5; }
int whole_days(int m) { return m == 1 ? 28 : static_cast<int>(kClimMonthLen[m]); }

/// Nodes of a piecewise-linear cyclic curve whose monthly day-averages equal `target`
/// (mean-preserving interpolation of monthly means, solved by fixed-point iteration).
std::array<double, 12> mean_preserving_nodes(const std::array<double, 12>& target) {
  std::array<double, 12> y = target;
  for (int it = 0; it < 200; ++it) {
    double worst = 0;
    for (int m = 0; m < 12; ++m) {
      double s = 0;
      for (int d = 0; d < whole_days(m); ++d) s += curve_at(y, day_position(m, d));
      const double err = target[m] - s / whole_days(m);
      y[m] += err;
      worst = std::max(worst, std::abs(err));
    }
    if (worst < 1e-10) break;
  }
  return y;
}

std::array<std::array<double, 31>, 12> curve_table(const std::array<double, 12>& target) {
  const auto y = mean_preserving_nodes(target);
  std::array<std::array<double, 31>, 12> t{};
  for (int m = 0; m < 12; ++m)
    for (int d = 0; d < 31; ++d) t[m][d] = curve_at(y, day_position(m, d));
  return t;
}

double norm_pdf(double z) { return 0.3989422804014327 * std::exp(-0.5 * z * z); }
double norm_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

/// E[clamp(mu + sigma Z, lo, hi)], Z standard normal.
double clamped_mean(double mu, double sigma, double lo, double hi) {
  if (sigma <= 0) return std::clamp(mu, lo, hi);
  double e = mu;
  if (lo > -1e299) {
    const double z0 = (lo - mu) / sigma;
    e += sigma * (z0 * norm_cdf(z0) + norm_pdf(z0));
  }
  if (hi < 1e299) {
    const double z1 = (hi - mu) / sigma;
    e -= sigma * (norm_pdf(z1) - z1 * (1.0 - norm_cdf(z1)));
  }
  return e;
}

/// Location mu with pi·E[clamp(mu+sw+σZ)] + (1-pi)·E[clamp(mu+sd+σZ)] = target.
double solve_location(double target, double pi, double sw, double sd, double sigma, double lo, double hi) {
  if (lo < -1e299 && hi > 1e299) return target;
  auto f = [&](double mu) {
    return pi * clamped_mean(mu + sw, sigma, lo, hi) + (1 - pi) * clamped_mean(mu + sd, sigma, lo, hi) - target;
  };
  const double span = 20.0 * sigma + std::abs(sw) + std::abs(sd) + 1.0;
  double a = target - span, b = target + span;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (a + b);
    (f(mid) < 0 ? a : b) = mid;
  }
  return 0.5 * (a + b);
}

struct Moments {
  double n = 0, s = 0, ss = 0;
  void add(double x) { n += 1; s += x; ss += x * x; }
  double mean() const { return s / n; }
  double var() const { return n > 1 ? (ss - s * s / n) / (n - 1) : 0.0; }
};

bool in_window(int month0, int centre0) {
  const int diff = (month0 - centre0 + 12) % 12;
  return diff == 0 || diff == 1 || diff == 11;
}

[[noreturn]] void fit_error(const std::string& key, const std::string& msg) {
  throw core::InputError("fit_generator", 0, key, msg);
}

// The daily-record column each continuous variable comes from (variable 1 is tmax_C − tmin_C,
// variable 4 sunshine_h over the day length).
constexpr std::array<const char*, kNumVars> kRecordColumn{"tmean_C", "tmax_C - tmin_C", "rh_mean_pct",
                                                          "wind_mean_m_s", "sunshine_h"};

// Last guard of the fit: whatever degenerate input got past the checks above, a non-finite
// parameter is an error naming it, never a generator that produces NaN weather.
void require_finite(const GeneratorParameters& p) {
  auto check = [](double v, const std::string& what, int m) {
    if (!std::isfinite(v))
      fit_error(what, fmt::format("month {}: the fit gives a non-finite value ({}): the records are degenerate", m + 1, v));
  };
  for (int m = 0; m < 12; ++m) {
    check(p.p_wd[m], "p_wd", m);
    check(p.p_ww[m], "p_ww", m);
    check(p.gamma_shape[m], "gamma_shape", m);
    check(p.gamma_scale_mm[m], "gamma_scale_mm", m);
    check(p.tmax_fraction[m], "tmax_fraction", m);
    for (int v = 0; v < kNumVars; ++v) {
      const auto& vp = p.vars[v];
      check(vp.sigma[m], std::string(kRecordColumn[v]) + " sigma", m);
      check(vp.phi[m], std::string(kRecordColumn[v]) + " phi", m);
      check(vp.shift_wet[m], std::string(kRecordColumn[v]) + " shift_wet", m);
      check(vp.shift_dry[m], std::string(kRecordColumn[v]) + " shift_dry", m);
      for (double loc : vp.location[m]) check(loc, std::string(kRecordColumn[v]) + " location", m);
    }
  }
  if (!std::isfinite(p.year_factor_sigma_log) || !std::isfinite(p.year_factor_lag1))
    fit_error("annual_precip_sets", "the year factor's fit is not finite: the annual records are degenerate");
}

double need(double v, const StationNormals& s, int m, const char* what) {
  if (std::isnan(v)) fit_error(what, fmt::format("station {} month {}: normal missing", s.station_id, m + 1));
  return v;
}

}  // namespace

// ---------------------------------------------------------------- fitting
GeneratorParameters fit_generator(const std::vector<StationNormals>& stations, const DailyRecord& rec,
                                  const std::vector<std::vector<double>>& annual_sets, const FitOptions& opt,
                                  FitReport* report) {
  if (stations.empty()) fit_error("mean_stations", "no station given");
  if (!std::isfinite(opt.latitude_deg) || !std::isfinite(opt.target_elevation_m) ||
      !(opt.lapse_rate_K_per_m >= 0 && opt.lapse_rate_K_per_m < 0.02))
    throw std::invalid_argument("fit_generator: latitude, target elevation and a lapse rate 0..0.02 K/m are required");
  if (rec.size() < 365) fit_error("structure", "daily record shorter than a year");

  GeneratorParameters p;
  p.latitude_deg = opt.latitude_deg;
  p.wet_threshold_mm = opt.wet_threshold_mm;
  const double thr = opt.wet_threshold_mm;

  // --- seasonal targets: equal-weight mean of the stations, temperatures lapse-adjusted
  for (int m = 0; m < 12; ++m) {
    MonthTargets t{};
    for (const auto& s : stations) {
      const auto& n = s.month[m];
      const double dz = need(s.elevation_m, s, m, "elevation_m") - opt.target_elevation_m;
      const double adj = opt.lapse_rate_K_per_m * dz;
      t.tmean_C += need(n.tmean_C, s, m, "tmean_C") + adj;
      t.tmax_C += need(n.tmax_C, s, m, "tmax_C") + adj;
      t.tmin_C += need(n.tmin_C, s, m, "tmin_C") + adj;
      t.precip_mm += need(n.precip_mm, s, m, "precip_mm");
      t.wet_days += need(n.wet_days, s, m, "wet_days");
      t.rh_pct += need(n.rh_pct, s, m, "rh_pct");
      t.wind_m_s += need(n.wind_m_s, s, m, "wind_m_s");
      t.sunshine_h += need(n.sunshine_h, s, m, "sunshine_h");
    }
    const double k = 1.0 / static_cast<double>(stations.size());
    t.tmean_C *= k; t.tmax_C *= k; t.tmin_C *= k; t.precip_mm *= k; t.wet_days *= k;
    t.rh_pct *= k; t.wind_m_s *= k; t.sunshine_h *= k;
    if (!(t.tmax_C > t.tmean_C && t.tmean_C > t.tmin_C)) fit_error("tmean_C", fmt::format("month {}: need tmin < tmean < tmax", m + 1));
    if (t.wet_days <= 0 || t.precip_mm <= 0) fit_error("precip_mm", fmt::format("month {}: no precipitation", m + 1));
    p.target[m] = t;
    p.annual_precip_mean_target_mm += t.precip_mm;
  }

  // --- the daily record: months, days, anomalies
  const std::size_t n = rec.size();
  std::vector<int> mon(n), dom(n), doy(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto dt = core::date_of(rec.first_day + static_cast<std::int64_t>(i));
    mon[i] = dt.month - 1;
    dom[i] = dt.day - 1;
    doy[i] = core::day_of_year(dt);
  }
  std::vector<int> wet(n, -1);  // -1 unknown
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isnan(rec.precip_mm[i])) wet[i] = rec.precip_mm[i] >= thr ? 1 : 0;

  // Markov persistence and gamma shape, centred 3-month windows
  FitReport rep;
  std::array<double, 12> persistence{};
  for (int m = 0; m < 12; ++m) {
    double nd = 0, ndw = 0, nw = 0, nww = 0;
    Moments amt;
    for (std::size_t i = 0; i < n; ++i) {
      if (!in_window(mon[i], m)) continue;
      if (wet[i] == 1) amt.add(rec.precip_mm[i] - thr);
      if (i == 0 || wet[i] < 0 || wet[i - 1] < 0) continue;
      if (wet[i - 1] == 0) { nd += 1; ndw += wet[i]; } else { nw += 1; nww += wet[i]; }
    }
    if (nd < 10 || nw < 5 || amt.n < 10) fit_error("structure", fmt::format("too few days for month {}", m + 1));
    rep.hohhot_p_wd[m] = ndw / nd;
    rep.hohhot_p_ww[m] = nww / nw;
    persistence[m] = std::clamp(rep.hohhot_p_ww[m] - rep.hohhot_p_wd[m], 0.0, 0.9);
    if (!(amt.var() > 0.0))
      fit_error("precip_mm", fmt::format("month {}: every wet-day amount in the daily record is the same ({} mm): "
                                         "their spread (gamma shape) cannot be fitted", m + 1, amt.mean() + thr));
    rep.hohhot_gamma_shape[m] = std::clamp(amt.mean() * amt.mean() / amt.var(), 0.2, 5.0);
    p.gamma_shape[m] = rep.hohhot_gamma_shape[m];
  }

  // Wet probabilities: solve so that the chain's expected wet days per month equal the normals
  // over a 4-year Gregorian cycle (2001-2004).
  {
    std::array<double, 12> pi{};
    for (int m = 0; m < 12; ++m) pi[m] = p.target[m].wet_days / kClimMonthLen[m];
    const std::int64_t d0 = core::day_number({2001, 1, 1}), d1 = core::day_number({2005, 1, 1});
    std::vector<int> cyc_month;
    for (std::int64_t d = d0; d < d1; ++d) cyc_month.push_back(core::date_of(d).month - 1);
    for (int it = 0; it < 60; ++it) {
      for (int m = 0; m < 12; ++m) {
        pi[m] = std::clamp(pi[m], 1e-4, 0.99);
        p.p_wd[m] = pi[m] * (1.0 - persistence[m]);
        p.p_ww[m] = p.p_wd[m] + persistence[m];
      }
      double P = pi[0];
      std::array<double, 12> expected{};
      for (int pass = 0; pass < 2; ++pass) {
        expected.fill(0.0);
        for (int m : cyc_month) {
          P = P * p.p_ww[m] + (1.0 - P) * p.p_wd[m];
          expected[m] += P;
        }
      }
      for (int m = 0; m < 12; ++m) pi[m] *= p.target[m].wet_days / (expected[m] / 4.0);
    }
    for (int m = 0; m < 12; ++m) {
      const double excess = std::max(p.target[m].precip_mm / p.target[m].wet_days - thr, 0.01);
      p.gamma_scale_mm[m] = excess / p.gamma_shape[m];
    }
  }

  // Continuous variables
  std::array<std::vector<double>, kNumVars> x;
  for (auto& v : x) v.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[0][i] = rec.tmean_C[i];
    x[1][i] = rec.tmax_C[i] - rec.tmin_C[i];
    x[2][i] = rec.rh_pct[i];
    x[3][i] = rec.wind_m_s[i];
    x[4][i] = rec.sunshine_h[i] / physics::daylight_hours(rec.latitude_deg, doy[i]);
  }
  std::array<double, 12> target_sun_h_per_day{}, target_dtr{};
  for (int m = 0; m < 12; ++m) {
    target_sun_h_per_day[m] = p.target[m].sunshine_h / kClimMonthLen[m];
    target_dtr[m] = p.target[m].tmax_C - p.target[m].tmin_C;
    p.tmax_fraction[m] = (p.target[m].tmax_C - p.target[m].tmean_C) / target_dtr[m];
  }
  const std::array<double, kNumVars> lower{-1e300, 0.0, 1.0, 0.0, 0.0};
  const std::array<double, kNumVars> upper{1e300, 1e300, 100.0, 1e300, 1.0};
  for (int v = 0; v < kNumVars; ++v) {
    // the record's own seasonal curve
    std::array<Moments, 12> mm;
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(x[v][i])) mm[mon[i]].add(x[v][i]);
    std::array<double, 12> rec_mean{};
    for (int m = 0; m < 12; ++m) {
      if (mm[m].n < 20) fit_error("structure", fmt::format("variable {} month {}: too few days", v, m + 1));
      rec_mean[m] = mm[m].mean();
    }
    const auto rec_curve = curve_table(rec_mean);
    std::vector<double> a(n, kNoData);
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(x[v][i])) a[i] = x[v][i] - rec_curve[mon[i]][dom[i]];

    std::array<double, 12> target{};
    for (int m = 0; m < 12; ++m) {
      switch (v) {
        case 0: target[m] = p.target[m].tmean_C; break;
        case 1: target[m] = target_dtr[m]; break;
        case 2: target[m] = p.target[m].rh_pct; break;
        case 3: target[m] = p.target[m].wind_m_s; break;
        default: target[m] = target_sun_h_per_day[m]; break;
      }
    }
    const auto curve = curve_table(target);
    VarParams& vp = p.vars[v];
    vp.lower = lower[v];
    vp.upper = upper[v];
    for (int m = 0; m < 12; ++m) {
      Moments aw, ad;
      for (std::size_t i = 0; i < n; ++i) {
        if (!in_window(mon[i], m) || std::isnan(a[i]) || wet[i] < 0) continue;
        (wet[i] ? aw : ad).add(a[i]);
      }
      const double diff = (aw.n >= 5 && ad.n >= 5) ? aw.mean() - ad.mean() : 0.0;
      std::vector<double> r(n, kNoData);
      Moments rm;
      for (std::size_t i = 0; i < n; ++i) {
        if (!in_window(mon[i], m) || std::isnan(a[i]) || wet[i] < 0) continue;
        r[i] = a[i] - (wet[i] ? aw.mean() : ad.mean());
        rm.add(r[i]);
      }
      double sxy = 0, sxx = 0, syy = 0;
      for (std::size_t i = 1; i < n; ++i) {
        if (std::isnan(r[i]) || std::isnan(r[i - 1])) continue;
        sxy += r[i] * r[i - 1]; sxx += r[i - 1] * r[i - 1]; syy += r[i] * r[i];
      }
      // A record without day-to-day variation (a constant column, a filled-in normal) leaves the
      // anomaly's spread and its autocorrelation undefined (0/0): refused, naming the column.
      if (!(rm.var() > 0.0 && sxx > 0.0 && syy > 0.0))
        fit_error(kRecordColumn[v], fmt::format("month {}: the daily record does not vary (every day of the "
                                                "month's window has the same anomaly): its day-to-day spread "
                                                "cannot be fitted", m + 1));
      if (v == 3 && !(rec_mean[m] > 0.0))
        fit_error(kRecordColumn[v], fmt::format("month {}: mean wind of the daily record is {} m/s: expected > 0",
                                                m + 1, rec_mean[m]));
      double sigma = std::sqrt(rm.var());
      if (v == 3) sigma *= target[m] / rec_mean[m];
      const double pi = p.target[m].wet_days / kClimMonthLen[m];
      vp.sigma[m] = sigma;
      vp.phi[m] = std::clamp(sxy / std::sqrt(sxx * syy), 0.0, 0.95);
      double scale = 1.0;
      if (v == 3) scale = target[m] / rec_mean[m];
      vp.shift_wet[m] = (1.0 - pi) * diff * scale;
      vp.shift_dry[m] = -pi * diff * scale;
      for (int d = 0; d < 31; ++d) {
        double c = curve[m][d];
        if (v == 4) {
          const int dy = std::min(kDoyStart[m] + d + 1, 365);
          c = std::clamp(c / physics::daylight_hours(opt.latitude_deg, dy), 0.01, 0.99);
        }
        vp.location[m][d] = solve_location(c, pi, vp.shift_wet[m], vp.shift_dry[m], sigma, vp.lower, vp.upper);
      }
    }
  }

  // --- year factor: fit its spread to the observed coefficient of variation and its lag-1
  // autocorrelation to the observed persistence of annual totals
  if (!(opt.year_factor_lag1_min >= -1.0 && opt.year_factor_lag1_min <= opt.year_factor_lag1_max &&
        opt.year_factor_lag1_max <= 1.0))
    throw std::invalid_argument("fit_generator: need -1 <= year_factor_lag1_min <= year_factor_lag1_max <= 1");
  {
    double num = 0, lag_xy = 0, lag_xx = 0;
    int dof = 0, years = 0, pairs = 0;
    for (const auto& set : annual_sets) {
      Moments s;
      for (double v : set)
        if (!std::isnan(v)) s.add(v);
      if (s.n < 3) continue;
      if (!(s.mean() > 0.0)) fit_error("annual_precip_sets", "an annual precipitation set has a mean of 0 mm");
      const double cv = std::sqrt(s.var()) / s.mean();
      num += (s.n - 1) * cv * cv;
      dof += static_cast<int>(s.n) - 1;
      years += static_cast<int>(s.n);
      const double mean = s.mean();
      for (std::size_t y = 0; y < set.size(); ++y) {
        if (std::isnan(set[y])) continue;
        lag_xx += (set[y] - mean) * (set[y] - mean);
        if (y + 1 < set.size() && !std::isnan(set[y + 1])) {
          lag_xy += (set[y] - mean) * (set[y + 1] - mean);
          ++pairs;
        }
      }
    }
    if (dof == 0) fit_error("annual_precip_sets", "need at least one set of 3 or more annual totals");
    rep.observed_annual_cv = std::sqrt(num / dof);
    rep.observed_years = years;
    rep.observed_lag1_pairs = pairs;
    rep.observed_annual_lag1 = (pairs > 0 && lag_xx > 0) ? lag_xy / lag_xx : kNoData;
    rep.observed_annual_lag1_se = pairs > 0 ? 1.0 / std::sqrt(static_cast<double>(pairs)) : kNoData;
    rep.annual_lag1_target =
        std::isnan(rep.observed_annual_lag1)
            ? opt.year_factor_lag1_min
            : std::clamp(rep.observed_annual_lag1, opt.year_factor_lag1_min, opt.year_factor_lag1_max);
    p.annual_precip_sd_target_mm = rep.observed_annual_cv * p.annual_precip_mean_target_mm;
    p.year_factor_sigma_log = 0.0;
    p.year_factor_lag1 = 0.0;
    const std::int64_t d0 = core::day_number({2001, 1, 1});
    const std::int64_t d1 = core::day_number({2001 + opt.calibration_years, 1, 1});
    const DailyWeather w = generate(p, d0, d1 - d0, opt.calibration_seed, 0);
    std::vector<double> P(opt.calibration_years, 0.0), S(opt.calibration_years, 0.0);
    for (std::int64_t i = 0; i < d1 - d0; ++i) {
      const int y = core::date_of(d0 + i).year - 2001;
      P[y] += w.precip_mm[i];
      if (w.precip_mm[i] >= thr) S[y] += w.precip_mm[i] - thr;
    }
    Moments mp, ms;
    double s2 = 0;
    for (int y = 0; y < opt.calibration_years; ++y) {
      mp.add(P[y]);
      ms.add(S[y]);
      s2 += S[y] * S[y];
    }
    s2 /= opt.calibration_years;
    rep.annual_sd_without_year_factor_mm = std::sqrt(mp.var());
    const double target_var = p.annual_precip_sd_target_mm * p.annual_precip_sd_target_mm;
    const double v = std::max(0.0, (target_var - mp.var()) / s2);
    p.year_factor_sigma_log = std::sqrt(std::log1p(v));
    // persistence: (exp(ρσ²) − 1)·E[S]² = r*·Var P, Var P the variance the factor was fitted to
    const double sig2 = p.year_factor_sigma_log * p.year_factor_sigma_log;
    const double r_star = rep.annual_lag1_target;
    if (sig2 > 0) {
      const double c = r_star * (mp.var() + v * s2) / (ms.mean() * ms.mean());
      const double rho = c > -1.0 ? std::log1p(c) / sig2 : -1.0;
      p.year_factor_lag1 = std::clamp(rho, opt.year_factor_lag1_min, opt.year_factor_lag1_max);
    } else {
      p.year_factor_lag1 = r_star;
    }
  }
  require_finite(p);
  if (report) *report = rep;
  return p;
}

// ---------------------------------------------------------------- generation
DailyWeather generate(const GeneratorParameters& p, std::int64_t first_day, std::int64_t n_days, std::uint64_t seed,
                      int member, const ClimateDelta& delta) {
  if (n_days < 0) throw std::invalid_argument("generate: n_days < 0");
  Rng rng(seed, static_cast<std::uint64_t>(static_cast<std::int64_t>(member)));
  DailyWeather w;
  w.first_day = first_day;
  const auto N = static_cast<std::size_t>(n_days);
  for (auto* v : {&w.precip_mm, &w.tmean_C, &w.tmax_C, &w.tmin_C, &w.rh_pct, &w.wind_m_s, &w.sunshine_h})
    v->resize(N);
  const double rho = p.year_factor_lag1;
  if (!(std::abs(rho) <= 1.0)) throw std::invalid_argument("generate: |year_factor_lag1| > 1");
  const double sl = p.year_factor_sigma_log;
  const double innovation = std::sqrt(1.0 - rho * rho);  // 1 exactly when rho = 0
  bool prev_wet = false;
  double Z = 0.0;  // standardised year anomaly, N(0, 1) in every year
  double F = 1.0;
  std::array<double, kNumVars> z{};
  for (std::size_t i = 0; i < N; ++i) {
    const auto dt = core::date_of(first_day + static_cast<std::int64_t>(i));
    const double share = delta.weight(first_day + static_cast<std::int64_t>(i));
    const double pscale = 1.0 + share * delta.dP_pct / 100.0;
    const int m = dt.month - 1, d = dt.day - 1;
    // One normal draw per year, whatever rho: Z_0 from the stationary N(0, 1), then AR(1).
    if (i == 0 || (dt.month == 1 && dt.day == 1)) {
      const double e = rng.normal();
      Z = (i == 0) ? e : rho * Z + innovation * e;
      F = std::exp(sl * Z - 0.5 * sl * sl);
    }
    const double u = rng.uniform();
    bool wet;
    if (i == 0) {
      const double pi = p.p_wd[m] / (1.0 - p.p_ww[m] + p.p_wd[m]);
      wet = u < pi;
    } else {
      wet = u < (prev_wet ? p.p_ww[m] : p.p_wd[m]);
    }
    double amount = 0.0;
    if (wet) amount = (p.wet_threshold_mm + F * rng.gamma(p.gamma_shape[m]) * p.gamma_scale_mm[m]) * pscale;
    prev_wet = wet;
    std::array<double, kNumVars> x{};
    for (int v = 0; v < kNumVars; ++v) {
      const VarParams& vp = p.vars[v];
      const double phi = vp.phi[m];
      z[v] = (i == 0) ? rng.normal() : phi * z[v] + std::sqrt(1.0 - phi * phi) * rng.normal();
      const double val = vp.location[m][d] + (wet ? vp.shift_wet[m] : vp.shift_dry[m]) + vp.sigma[m] * z[v];
      x[v] = std::clamp(val, vp.lower, vp.upper);
    }
    w.precip_mm[i] = amount;
    w.tmean_C[i] = x[0] + share * delta.dT_C;
    w.tmax_C[i] = w.tmean_C[i] + p.tmax_fraction[m] * x[1];
    w.tmin_C[i] = w.tmax_C[i] - x[1];
    w.rh_pct[i] = x[2];
    w.wind_m_s[i] = x[3];
    w.sunshine_h[i] = x[4] * physics::daylight_hours(p.latitude_deg, core::day_of_year(dt));
  }
  return w;
}

// ---------------------------------------------------------------- observed months
std::vector<ObservedMonth> interpolate_grid(const GridRecord& g, double lat, double lon) {
  if (g.cells.size() < 4) throw std::invalid_argument("interpolate_grid: need 4 cells");
  std::vector<double> lons, lats;
  for (const auto& c : g.cells) { lons.push_back(c.longitude_deg); lats.push_back(c.latitude_deg); }
  std::sort(lons.begin(), lons.end()); lons.erase(std::unique(lons.begin(), lons.end()), lons.end());
  std::sort(lats.begin(), lats.end()); lats.erase(std::unique(lats.begin(), lats.end()), lats.end());
  if (lons.size() != 2 || lats.size() != 2 || lon < lons[0] || lon > lons[1] || lat < lats[0] || lat > lats[1])
    throw std::invalid_argument("interpolate_grid: the cells must be a 2x2 block around the point");
  const double wx = (lon - lons[0]) / (lons[1] - lons[0]), wy = (lat - lats[0]) / (lats[1] - lats[0]);
  std::vector<double> wts;
  for (const auto& c : g.cells)
    wts.push_back((c.longitude_deg == lons[1] ? wx : 1 - wx) * (c.latitude_deg == lats[1] ? wy : 1 - wy));
  std::vector<ObservedMonth> out(g.year.size());
  for (std::size_t k = 0; k < g.year.size(); ++k) {
    ObservedMonth o{g.year[k], g.month[k], 0, 0, 0, 0};
    for (std::size_t c = 0; c < g.cells.size(); ++c) {
      o.precip_mm += wts[c] * g.cells[c].precip_mm[k];
      o.tmean_C += wts[c] * g.cells[c].tmean_C[k];
      o.tmax_C += wts[c] * g.cells[c].tmax_C[k];
      o.tmin_C += wts[c] * g.cells[c].tmin_C[k];
    }
    out[k] = o;
  }
  return out;
}

namespace {
/// One total per calendar year from the first complete year to the last, NaN for an incomplete
/// year in between. by_year: year -> (values present, their sum); complete(year, count).
template <class Complete>
std::vector<double> consecutive_totals(const std::map<int, std::pair<int, double>>& by_year, Complete complete) {
  int first = 0, last = -1;
  bool any = false;
  for (const auto& [y, e] : by_year)
    if (complete(y, e.first)) {
      if (!any) first = y;
      last = y;
      any = true;
    }
  std::vector<double> out;
  if (!any) return out;
  for (int y = first; y <= last; ++y) {
    auto it = by_year.find(y);
    out.push_back(it != by_year.end() && complete(y, it->second.first) ? it->second.second : kNoData);
  }
  return out;
}
}  // namespace

std::vector<double> annual_precip_totals(const std::vector<ObservedMonth>& months) {
  std::map<int, std::pair<int, double>> by_year;
  for (const auto& o : months) {
    auto& e = by_year[o.year];
    if (!std::isnan(o.precip_mm)) { e.first += 1; e.second += o.precip_mm; }
  }
  return consecutive_totals(by_year, [](int, int n) { return n == 12; });
}

std::vector<double> annual_precip_totals(const DailyRecord& r) {
  std::map<int, std::pair<int, double>> by_year;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const int y = core::date_of(r.first_day + static_cast<std::int64_t>(i)).year;
    auto& e = by_year[y];
    if (!std::isnan(r.precip_mm[i])) { e.first += 1; e.second += r.precip_mm[i]; }
  }
  return consecutive_totals(by_year, [](int y, int n) { return n == core::days_in_year(y); });
}

std::array<double, 12> temperature_offsets(const std::vector<ObservedMonth>& observed,
                                           const GeneratorParameters& p) {
  std::array<double, 12> sum{}, cnt{};
  for (const auto& o : observed)
    if (!std::isnan(o.tmean_C) && o.month >= 1 && o.month <= 12) {
      sum[o.month - 1] += o.tmean_C;
      cnt[o.month - 1] += 1;
    }
  std::array<double, 12> off{};
  for (int m = 0; m < 12; ++m) {
    if (cnt[m] == 0) throw std::invalid_argument(fmt::format("temperature_offsets: no observed tmean in month {}", m + 1));
    off[m] = p.target[m].tmean_C - sum[m] / cnt[m];
  }
  return off;
}

int apply_observed_months(DailyWeather& w, const std::vector<ObservedMonth>& observed,
                          const std::array<double, 12>& offset) {
  std::map<int, const ObservedMonth*> obs;
  for (const auto& o : observed) obs[o.year * 12 + o.month - 1] = &o;
  int replaced = 0;
  std::size_t i = 0;
  const std::size_t n = w.size();
  while (i < n) {
    const auto dt = core::date_of(w.first_day + static_cast<std::int64_t>(i));
    const std::size_t len = static_cast<std::size_t>(core::days_in_month(dt.year, dt.month));
    const std::size_t start = i;
    const std::size_t stop = std::min(n, start + len - static_cast<std::size_t>(dt.day - 1));
    i = stop;
    if (dt.day != 1 || stop - start != len) continue;
    auto it = obs.find(dt.year * 12 + dt.month - 1);
    if (it == obs.end()) continue;
    const ObservedMonth& o = *it->second;
    if (!std::isnan(o.precip_mm)) {
      double tot = 0;
      for (std::size_t k = start; k < stop; ++k) tot += w.precip_mm[k];
      if (tot > 0) {
        const double f = o.precip_mm / tot;
        for (std::size_t k = start; k < stop; ++k) w.precip_mm[k] *= f;
      } else if (o.precip_mm > 0) {
        w.precip_mm[start + 14] = o.precip_mm;
      }
      ++replaced;
    }
    if (!std::isnan(o.tmean_C)) {
      auto mean_of = [&](const std::vector<double>& v) {
        double s = 0;
        for (std::size_t k = start; k < stop; ++k) s += v[k];
        return s / static_cast<double>(len);
      };
      const double off = offset[dt.month - 1];
      const double dmean = o.tmean_C + off - mean_of(w.tmean_C);
      const double dmax = std::isnan(o.tmax_C) ? dmean : o.tmax_C + off - mean_of(w.tmax_C);
      const double dmin = std::isnan(o.tmin_C) ? dmean : o.tmin_C + off - mean_of(w.tmin_C);
      for (std::size_t k = start; k < stop; ++k) {
        w.tmean_C[k] += dmean;
        w.tmax_C[k] = std::max(w.tmax_C[k] + dmax, w.tmean_C[k]);
        w.tmin_C[k] = std::min(w.tmin_C[k] + dmin, w.tmean_C[k]);
      }
    }
  }
  return replaced;
}

}  // namespace daihai::forcing
