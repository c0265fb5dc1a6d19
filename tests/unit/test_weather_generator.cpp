// Unit tests of forcing/weather_generator.hpp: PRNG and samplers, reproducibility, members,
// bounds, deltas, grid interpolation and observed-month replacement.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "../climate_fixture.hpp"
#include "core/date.hpp"
#include "core/errors.hpp"
#include "forcing/weather_generator.hpp"
#include "physics/evaporation.hpp"

using namespace daihai;
using Catch::Detail::Approx;
using daihai::testing::ClimateFixture;

namespace {
bool same(const forcing::DailyWeather& a, const forcing::DailyWeather& b) {
  return a.first_day == b.first_day && a.precip_mm == b.precip_mm && a.tmean_C == b.tmean_C &&
         a.tmax_C == b.tmax_C && a.tmin_C == b.tmin_C && a.rh_pct == b.rh_pct && a.wind_m_s == b.wind_m_s &&
         a.sunshine_h == b.sunshine_h;
}
}  // namespace

TEST_CASE("Rng: fixed output, uniform/normal/gamma moments", "[weather_generator]") {
  forcing::Rng a(1, 0), b(1, 0), c(1, 1);
  const auto x = a.next();
  CHECK(x == b.next());
  CHECK(x != c.next());
  forcing::Rng r(12345, 0);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0, sg = 0, sg2 = 0, sh = 0, sh2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    su += u;
    const double z = r.normal();
    sn += z; sn2 += z * z;
    const double g = r.gamma(2.5);
    sg += g; sg2 += g * g;
    const double h = r.gamma(0.4);
    sh += h; sh2 += h * h;
  }
  CHECK(su / n == Approx(0.5).margin(0.005));
  CHECK(sn / n == Approx(0.0).margin(0.01));
  CHECK(sn2 / n == Approx(1.0).margin(0.015));
  CHECK(sg / n == Approx(2.5).margin(0.02));                         // mean k
  CHECK(sg2 / n - (sg / n) * (sg / n) == Approx(2.5).margin(0.06));  // variance k
  CHECK(sh / n == Approx(0.4).margin(0.01));
  CHECK(sh2 / n - (sh / n) * (sh / n) == Approx(0.4).margin(0.03));
}

TEST_CASE("generate: same seed same series, members differ, independent of other runs", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  const auto d0 = core::day_number({1955, 1, 1});
  const auto w1 = forcing::generate(f.params, d0, 3000, 7, 3);
  const auto other = forcing::generate(f.params, d0, 5000, 7, 2);  // another run in between
  const auto w2 = forcing::generate(f.params, d0, 3000, 7, 3);
  CHECK(same(w1, w2));
  const auto w3 = forcing::generate(f.params, d0, 3000, 7, 4);
  CHECK(w3.precip_mm != w1.precip_mm);
  CHECK(w3.tmean_C != w1.tmean_C);
  const auto w4 = forcing::generate(f.params, d0, 3000, 8, 3);
  CHECK(w4.tmean_C != w1.tmean_C);
  // a shorter series is a prefix of the longer one (sequential generation)
  const auto w5 = forcing::generate(f.params, d0, 1000, 7, 3);
  CHECK(std::equal(w5.precip_mm.begin(), w5.precip_mm.end(), w1.precip_mm.begin()));
  CHECK(other.size() == 5000);
}

TEST_CASE("generate: physical bounds and wet-day threshold", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  const auto d0 = core::day_number({2000, 1, 1});
  const auto w = forcing::generate(f.params, d0, 366 * 20, 99, 0);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const int doy = core::day_of_year(core::date_of(d0 + static_cast<std::int64_t>(i)));
    REQUIRE((w.precip_mm[i] == 0.0 || w.precip_mm[i] >= 0.1));
    REQUIRE(w.rh_pct[i] >= 1.0);
    REQUIRE(w.rh_pct[i] <= 100.0);
    REQUIRE(w.wind_m_s[i] >= 0.0);
    REQUIRE(w.sunshine_h[i] >= 0.0);
    REQUIRE(w.sunshine_h[i] <= physics::daylight_hours(f.params.latitude_deg, doy) + 1e-9);
    REQUIRE(w.tmax_C[i] >= w.tmean_C[i]);
    REQUIRE(w.tmin_C[i] <= w.tmean_C[i]);
  }
}

TEST_CASE("generate: climate deltas", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  const auto d0 = core::day_number({2000, 1, 1});
  const auto base = forcing::generate(f.params, d0, 3650, 5, 1);
  const auto warm = forcing::generate(f.params, d0, 3650, 5, 1, {2.0, 10.0});
  for (std::size_t i = 0; i < base.size(); i += 97) {
    CHECK(warm.tmean_C[i] == Approx(base.tmean_C[i] + 2.0));
    CHECK(warm.precip_mm[i] == Approx(base.precip_mm[i] * 1.1));
    CHECK(warm.rh_pct[i] == base.rh_pct[i]);
  }
  CHECK_THROWS_AS(forcing::generate(f.params, d0, -1, 5, 1), std::invalid_argument);
}

TEST_CASE("fit: QC removed the impossible Hohhot sunshine and Markov parameters are valid", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  const auto i = static_cast<std::size_t>(core::day_number({2020, 2, 18}) - f.hohhot.first_day);
  CHECK(std::isnan(f.hohhot.sunshine_h[i]));
  REQUIRE(f.hohhot.qc_notes.size() >= 1);
  for (int m = 0; m < 12; ++m) {
    CHECK(f.params.p_wd[m] > 0.0);
    CHECK(f.params.p_ww[m] >= f.params.p_wd[m]);
    CHECK(f.params.p_ww[m] < 1.0);
    CHECK(f.params.gamma_shape[m] > 0.0);
    CHECK(f.params.gamma_scale_mm[m] > 0.0);
  }
  CHECK(f.params.year_factor_sigma_log >= 0.0);
}

TEST_CASE("fit: a degenerate climate record is an error naming the column, never NaN parameters",
          "[weather_generator]") {
  // Fault class: a column without variance (a constant, a filled-in normal) made the fit divide 0 by
  // 0 and return NaN parameters, which the generator turned into NaN weather.
  const auto& f = ClimateFixture::get();
  forcing::FitOptions opt = f.fit_options();
  auto fit_message = [&](const forcing::DailyRecord& rec, std::vector<std::vector<double>> annual) {
    try {
      forcing::fit_generator(f.fit_stations, rec, annual, opt);
    } catch (const core::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::vector<std::vector<double>> annual{f.grid_annual, f.hohhot_annual};
  {
    auto rec = f.hohhot;
    std::fill(rec.rh_pct.begin(), rec.rh_pct.end(), 55.0);
    CHECK_THAT(fit_message(rec, annual), Catch::Contains("rh_mean_pct") && Catch::Contains("does not vary"));
  }
  {
    auto rec = f.hohhot;
    std::fill(rec.wind_m_s.begin(), rec.wind_m_s.end(), 0.0);
    CHECK_THAT(fit_message(rec, annual), Catch::Contains("wind_mean_m_s"));
  }
  {
    auto rec = f.hohhot;
    for (double& p : rec.precip_mm)
      if (p >= 0.1) p = 3.0;
    CHECK_THAT(fit_message(rec, annual), Catch::Contains("precip_mm") && Catch::Contains("same"));
  }
  CHECK_THAT(fit_message(f.hohhot, {{0.0, 0.0, 0.0}}), Catch::Contains("annual_precip_sets"));
  CHECK(fit_message(f.hohhot, annual) == "no error");
}

TEST_CASE("interpolate_grid: bilinear weights at the lake centre", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  // lake centre 40.55N 112.65E between cell centres 112.25/112.75E and 40.25/40.75N:
  // weights 0.48 (NE = primary), 0.32 (SE), 0.12 (NW), 0.08 (SW)
  double expect = 0;
  for (const auto& c : f.grid.cells) {
    const double wx = c.longitude_deg > 112.5 ? 0.8 : 0.2, wy = c.latitude_deg > 40.5 ? 0.6 : 0.4;
    expect += wx * wy * c.precip_mm[0];
  }
  CHECK(f.lake_months[0].precip_mm == Approx(expect));
  CHECK(f.lake_months.size() == 120);
  // 2014-02 temperatures are missing in the source: NaN, not filled
  CHECK(std::isnan(f.lake_months[(2014 - 2006) * 12 + 1].tmean_C));
  CHECK(f.grid_annual.size() == 10);
  CHECK(f.hohhot_annual.size() == 5);  // 2014-2018 complete; 2019, 2020 lack precipitation days
}

TEST_CASE("apply_observed_months: totals and means follow the grid", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  const auto d0 = core::day_number({2005, 12, 20});
  auto w = forcing::generate(f.params, d0, 365 * 11, 11, 0);
  const int n = forcing::apply_observed_months(w, f.lake_months);
  CHECK(n == 120);
  for (const auto& o : f.lake_months) {
    const auto s = core::day_number({o.year, o.month, 1}) - d0;
    const int len = core::days_in_month(o.year, o.month);
    double p = 0, t = 0;
    for (int k = 0; k < len; ++k) {
      p += w.precip_mm[s + k];
      t += w.tmean_C[s + k];
    }
    CHECK(p == Approx(o.precip_mm).margin(1e-9));
    if (!std::isnan(o.tmean_C)) CHECK(t / len == Approx(o.tmean_C).margin(1e-9));
  }
  // with offsets, the observed anomalies are kept at the targets' level
  const auto off = forcing::temperature_offsets(f.lake_months, f.params);
  auto w2 = forcing::generate(f.params, d0, 365 * 11, 11, 0);
  forcing::apply_observed_months(w2, f.lake_months, off);
  double sum_obs = 0, sum_gen = 0;
  int months = 0;
  for (const auto& o : f.lake_months) {
    if (std::isnan(o.tmean_C)) continue;
    const auto s = core::day_number({o.year, o.month, 1}) - d0;
    const int len = core::days_in_month(o.year, o.month);
    double t = 0;
    for (int k = 0; k < len; ++k) t += w2.tmean_C[s + k];
    CHECK(t / len == Approx(o.tmean_C + off[o.month - 1]).margin(1e-9));
    sum_obs += f.params.target[o.month - 1].tmean_C;
    sum_gen += t / len;
    ++months;
  }
  CHECK(sum_gen / months == Approx(sum_obs / months).margin(1e-6));
  // a month with no generated rain gets the observed total on its 15th day
  forcing::DailyWeather dry = forcing::generate(f.params, core::day_number({2006, 7, 1}), 31, 1, 0);
  std::fill(dry.precip_mm.begin(), dry.precip_mm.end(), 0.0);
  forcing::apply_observed_months(dry, f.lake_months);
  CHECK(dry.precip_mm[14] == Approx(f.lake_months[6].precip_mm));
}

TEST_CASE("generate: a ramped delta sets in linearly between its first and last day", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  const auto d0 = core::day_number({2000, 1, 1});
  const std::int64_t first = core::day_number({2002, 1, 1}), last = core::day_number({2006, 12, 31});
  const auto base = forcing::generate(f.params, d0, 3650, 5, 1);
  const auto ramp = forcing::generate(f.params, d0, 3650, 5, 1, {2.0, 10.0, first, last});
  for (std::size_t i = 0; i < base.size(); i += 13) {
    const std::int64_t day = d0 + static_cast<std::int64_t>(i);
    // Hand-computed share: 0 up to `first`, (day - first) / (last - first) between, 1 from `last` on.
    const double share = day <= first ? 0.0 : day >= last ? 1.0 : double(day - first) / double(last - first);
    CHECK(ramp.tmean_C[i] == Approx(base.tmean_C[i] + 2.0 * share).margin(1e-12));
    CHECK(ramp.precip_mm[i] == Approx(base.precip_mm[i] * (1.0 + 0.1 * share)).margin(1e-12));
    if (day < first) CHECK(ramp.tmean_C[i] == base.tmean_C[i]);  // the past untouched
  }
  const forcing::ClimateDelta d{2.0, 10.0, first, last};
  CHECK(d.weight((first + last) / 2) == Approx(0.5).margin(1.0 / double(last - first)));
}

// ---------------------------------------------------------------- year-to-year persistence
// The year factor F_y = exp(σ·Z_y − σ²/2), Z_0 ~ N(0, 1), Z_y = ρ·Z_{y−1} + sqrt(1 − ρ²)·ε_y.
// Expectations below are derived from these definitions (weather_generator.hpp), with sampling
// errors of n years; tolerances are 3 standard errors unless stated.
namespace {
constexpr int kFirstYear = 2001;

forcing::GeneratorParameters with_year_factor(double sigma, double rho) {
  forcing::GeneratorParameters p = ClimateFixture::get().params;
  p.year_factor_sigma_log = sigma;
  p.year_factor_lag1 = rho;
  return p;
}

forcing::DailyWeather years_of(const forcing::GeneratorParameters& p, int years, std::uint64_t seed, int member = 0) {
  const auto d0 = core::day_number({kFirstYear, 1, 1});
  const auto d1 = core::day_number({kFirstYear + years, 1, 1});
  return forcing::generate(p, d0, d1 - d0, seed, member);
}

int year_index(const forcing::DailyWeather& w, std::size_t i) {
  return core::date_of(w.first_day + static_cast<std::int64_t>(i)).year - kFirstYear;
}

/// Annual totals, and their two parts: A = threshold × wet days, S = amounts above the threshold.
struct Annual {
  std::vector<double> P, A, S;
};
Annual annual(const forcing::DailyWeather& w, int years, double thr) {
  Annual a{std::vector<double>(years, 0.0), std::vector<double>(years, 0.0), std::vector<double>(years, 0.0)};
  for (std::size_t i = 0; i < w.size(); ++i) {
    const int y = year_index(w, i);
    a.P[y] += w.precip_mm[i];
    if (w.precip_mm[i] > 0) {
      a.A[y] += thr;
      a.S[y] += w.precip_mm[i] - thr;
    }
  }
  return a;
}

double mean_of(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}
double var_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}
/// Sample kurtosis E[(x − m)^4]/Var².
double kurtosis_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double s2 = 0, s4 = 0;
  for (double v : x) {
    s2 += (v - m) * (v - m);
    s4 += (v - m) * (v - m) * (v - m) * (v - m);
  }
  const double n = static_cast<double>(x.size());
  return (s4 / n) / ((s2 / n) * (s2 / n));
}
/// Sample lag-1 autocorrelation about the mean.
double lag1_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double xy = 0, xx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    xx += (x[i] - m) * (x[i] - m);
    if (i + 1 < x.size()) xy += (x[i] - m) * (x[i + 1] - m);
  }
  return xy / xx;
}

/// Moments of the daily part of annual totals (no year factor), from a long run.
struct DailyPart {
  double var0 = 0;  ///< Var(A + S), mm²
  double ES = 0;    ///< E[S], mm
  double ES2 = 0;   ///< E[S²], mm²
  int years = 0;
};
const DailyPart& daily_part() {
  static const DailyPart d = [] {
    const int n = 10000;
    const auto p = with_year_factor(0.0, 0.0);
    const Annual a = annual(years_of(p, n, 424242), n, p.wet_threshold_mm);
    DailyPart r;
    r.var0 = var_of(a.P);
    r.ES = mean_of(a.S);
    std::vector<double> s2(a.S.size());
    for (std::size_t i = 0; i < s2.size(); ++i) s2[i] = a.S[i] * a.S[i];
    r.ES2 = mean_of(s2);
    r.years = n;
    return r;
  }();
  return d;
}

/// Lag-k autocorrelation of annual totals P_y = A_y + F_y·S_y with F independent of (A, S) and
/// the daily parts independent from year to year:
///   Cov(P_y, P_{y+k}) = Cov(F_y, F_{y+k})·E[S]² = (exp(ρ^k σ²) − 1)·E[S]²,
///   Var P = Var(A + S) + (exp(σ²) − 1)·E[S²].
/// For small σ this is ρ^k·Var(F)E[S]²/Var P: ρ^k times the share of the variance carried by the
/// factor's persistent part.
double expected_var(const DailyPart& d, double sigma) { return d.var0 + std::expm1(sigma * sigma) * d.ES2; }
double expected_lag(const DailyPart& d, double sigma, double rho, int k) {
  return std::expm1(std::pow(rho, k) * sigma * sigma) * d.ES * d.ES / expected_var(d, sigma);
}
}  // namespace

TEST_CASE("generate: the year factor follows the AR(1) recursion and nothing else changes with it",
          "[weather_generator]") {
  const double sigma = 0.4, rho = 0.5, thr = ClimateFixture::get().params.wet_threshold_mm;
  const int n = 2000;
  const auto w = years_of(with_year_factor(sigma, rho), n, 77);     // persistent factor
  const auto w_ind = years_of(with_year_factor(sigma, 0.0), n, 77);  // independent years
  const auto w0 = years_of(with_year_factor(0.0, rho), n, 77);       // no factor: the daily part
  // the factor changes wet-day amounts only: occurrence and every other variable are the same
  // draw for draw (one normal draw per year whatever rho and sigma)
  const bool same_tmean = w.tmean_C == w0.tmean_C, same_rh = w.rh_pct == w0.rh_pct,
             same_sun = w.sunshine_h == w0.sunshine_h, same_wind = w_ind.wind_m_s == w0.wind_m_s;
  CHECK(same_tmean);
  CHECK(same_rh);
  CHECK(same_sun);
  CHECK(same_wind);
  // recover F_y = (amount − thr)/(amount without factor − thr), from each year's largest day
  auto factors = [&](const forcing::DailyWeather& x) {
    std::vector<double> F(n, 0.0), best(n, 0.0);
    int other_occurrence = 0, other_factor = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if ((x.precip_mm[i] > 0) != (w0.precip_mm[i] > 0)) ++other_occurrence;
      const double base = w0.precip_mm[i] - thr;
      const int y = year_index(x, i);
      if (w0.precip_mm[i] > 0 && base > best[y]) {
        best[y] = base;
        F[y] = (x.precip_mm[i] - thr) / base;
      }
    }
    // the same factor on every wet day of the year (days > 1 mm above the threshold: exact ratios)
    for (std::size_t i = 0; i < x.size(); ++i)
      if (w0.precip_mm[i] - thr > 1.0 &&
          std::abs((x.precip_mm[i] - thr) / (w0.precip_mm[i] - thr) / F[year_index(x, i)] - 1.0) > 1e-12)
        ++other_factor;
    CHECK(other_occurrence == 0);
    CHECK(other_factor == 0);
    std::vector<double> Z(n);
    for (int y = 0; y < n; ++y) {
      REQUIRE(best[y] > 1.0);
      Z[y] = (std::log(F[y]) + 0.5 * sigma * sigma) / sigma;
    }
    return Z;
  };
  const auto Z = factors(w), eps = factors(w_ind);
  // Z_0 is the first draw itself (stationary start); then Z_y = ρ Z_{y−1} + sqrt(1 − ρ²) ε_y with
  // the same ε_y that independent years use
  CHECK(Z[0] == Approx(eps[0]).margin(1e-9));
  double worst = 0;
  for (int y = 1; y < n; ++y)
    worst = std::max(worst, std::abs(Z[y] - (rho * Z[y - 1] + std::sqrt(1 - rho * rho) * eps[y])));
  CHECK(worst < 1e-9);
  // Z is a stationary N(0, 1) AR(1): sample mean SE sqrt((1+ρ)/((1−ρ)n)), variance SE
  // sqrt(2(1+ρ²)/((1−ρ²)n)), lag-1 SE sqrt((1−ρ²)/n) (Bartlett)
  const double nn = n;
  CHECK(std::abs(mean_of(Z)) <= 3 * std::sqrt((1 + rho) / ((1 - rho) * nn)));
  CHECK(std::abs(var_of(Z) - 1.0) <= 3 * std::sqrt(2 * (1 + rho * rho) / ((1 - rho * rho) * nn)));
  CHECK(std::abs(lag1_of(Z) - rho) <= 3 * std::sqrt((1 - rho * rho) / nn));
  CHECK(std::abs(lag1_of(eps)) <= 3 / std::sqrt(nn));
  // E[F] = 1
  double sf = 0;
  for (double z : Z) sf += std::exp(sigma * z - 0.5 * sigma * sigma);
  CHECK(std::abs(sf / nn - 1.0) <= 3 * std::sqrt(std::expm1(sigma * sigma) * (1 + rho) / ((1 - rho) * nn)));
  // a lag outside [-1, 1] is refused
  CHECK_THROWS_AS(years_of(with_year_factor(sigma, 1.5), 1, 77), std::invalid_argument);
}

TEST_CASE("generate: lag-1 autocorrelation of annual totals is rho times the factor's share of the variance",
          "[weather_generator]") {
  const double sigma = 0.4, thr = ClimateFixture::get().params.wet_threshold_mm;
  const DailyPart& d = daily_part();
  const int n = 2000;
  const double se = 1.0 / std::sqrt(double(n - 1));
  INFO("daily part: SD " << std::sqrt(d.var0) << " mm, E[S] " << d.ES << " mm; factor's share of Var P "
                         << std::expm1(sigma * sigma) * d.ES * d.ES / expected_var(d, sigma));
  for (double rho : {0.5, 0.8}) {
    const Annual a = annual(years_of(with_year_factor(sigma, rho), n, 9001), n, thr);
    const double expect = expected_lag(d, sigma, rho, 1);
    INFO("rho " << rho << ": lag-1 of annual totals " << lag1_of(a.P) << ", expected " << expect << " +- " << 3 * se);
    CHECK(std::abs(lag1_of(a.P) - expect) <= 3 * se);
    CHECK(expect < rho);  // diluted by the daily randomness
  }
  // rho = 0: no persistence
  const Annual a0 = annual(years_of(with_year_factor(sigma, 0.0), n, 9001), n, thr);
  INFO("rho 0: lag-1 " << lag1_of(a0.P));
  CHECK(std::abs(lag1_of(a0.P)) <= 3 * se);
}

TEST_CASE("generate: the marginal mean and SD of annual totals do not depend on rho", "[weather_generator]") {
  const double sigma = 0.4, thr = ClimateFixture::get().params.wet_threshold_mm;
  const DailyPart& d = daily_part();
  // reference: independent years, long
  const int n_ref = 10000, n = 2000;
  const Annual ref = annual(years_of(with_year_factor(sigma, 0.0), n_ref, 31337), n_ref, thr);
  const double m_ref = mean_of(ref.P), v_ref = var_of(ref.P);
  const double se_m_ref = std::sqrt(v_ref / n_ref);
  const double se_s_ref = std::sqrt(v_ref * (kurtosis_of(ref.P) - 1) / (4.0 * n_ref));
  for (double rho : {0.0, 0.5, 0.8}) {
    const Annual a = annual(years_of(with_year_factor(sigma, rho), n, 2718), n, thr);
    const double m = mean_of(a.P), v = var_of(a.P);
    // SEs with the analytic autocorrelations c_k of the totals: Var(mean) = Var P/n·(1 + 2Σ c_k),
    // Var(s²) ≈ Var P²/n·((κ − 1) + 4Σ c_k²)
    double sum_c = 0, sum_c2 = 0;
    for (int k = 1; k < n; ++k) {
      const double c = expected_lag(d, sigma, rho, k) * (1.0 - double(k) / n);
      sum_c += c;
      sum_c2 += c * c;
      if (std::abs(c) < 1e-12) break;
    }
    const double se_m = std::sqrt(v / n * (1 + 2 * sum_c));
    const double se_s = std::sqrt(v * ((kurtosis_of(a.P) - 1) + 4 * sum_c2) / (4.0 * n));
    INFO("rho " << rho << ": mean " << m << " (ref " << m_ref << "), SD " << std::sqrt(v) << " (ref "
                << std::sqrt(v_ref) << ", expected " << std::sqrt(expected_var(d, sigma)) << ")");
    CHECK(std::abs(m - m_ref) <= 3 * std::hypot(se_m, se_m_ref));
    CHECK(std::abs(std::sqrt(v) - std::sqrt(v_ref)) <= 3 * std::hypot(se_s, se_s_ref));
  }
  // and the reference SD is the analytic one: Var P = Var(A + S) + (exp(σ²) − 1)·E[S²]
  const double se_s_d = std::sqrt(d.var0 * 2.0 / (4.0 * d.years));  // the daily part's own sampling error (~Gaussian)
  CHECK(std::abs(std::sqrt(v_ref) - std::sqrt(expected_var(d, sigma))) <= 3 * std::hypot(se_s_ref, se_s_d));
}

TEST_CASE("annual_precip_totals: an incomplete year between complete ones is NaN, keeping years consecutive",
          "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  forcing::DailyRecord r = f.hohhot;
  r.precip_mm[static_cast<std::size_t>(core::day_number({2016, 7, 1}) - r.first_day)] = forcing::kNoData;
  const auto t = forcing::annual_precip_totals(r);
  REQUIRE(t.size() == 5);  // 2014..2018; 2019 onwards incomplete and trailing
  CHECK(t[0] == f.hohhot_annual[0]);
  CHECK(std::isnan(t[2]));
  CHECK(t[3] == f.hohhot_annual[3]);
  auto months = f.lake_months;
  months[(2009 - 2006) * 12 + 4].precip_mm = forcing::kNoData;
  const auto g = forcing::annual_precip_totals(months);
  REQUIRE(g.size() == 10);
  CHECK(std::isnan(g[3]));
  CHECK(g[4] == f.grid_annual[4]);
}

TEST_CASE("fit: the pooled lag-1 autocorrelation of annual sets with known persistence", "[weather_generator]") {
  const auto& f = ClimateFixture::get();
  forcing::FitOptions opt = f.fit_options();
  // synthetic sets: AR(1) totals, mean 400 mm, SD 200 mm (CV 0.5: well above what daily
  // randomness gives, so the year factor carries most of the variance; Gaussian, so a few totals
  // are negative: the estimators do not care), each set stationary from its first year
  auto sets_with = [](double rho, int n_sets, int years) {
    forcing::Rng rng(555, static_cast<std::uint64_t>(static_cast<std::int64_t>(rho * 1000)));
    std::vector<std::vector<double>> sets(n_sets);
    for (auto& s : sets) {
      double z = rng.normal();
      for (int y = 0; y < years; ++y) {
        if (y > 0) z = rho * z + std::sqrt(1 - rho * rho) * rng.normal();
        s.push_back(400.0 + 200.0 * z);
      }
    }
    return sets;
  };
  forcing::FitReport rep;
  const auto p = forcing::fit_generator(f.fit_stations, f.hohhot, sets_with(0.3, 4, 1000), opt, &rep);
  REQUIRE(rep.observed_lag1_pairs == 4 * 999);
  CHECK(rep.observed_annual_lag1_se == Approx(1.0 / std::sqrt(4 * 999.0)));
  // recovered within 2 standard errors (1 SE is a 68 % interval: with one fixed seed it would
  // pass or fail by chance); the estimator's small-sample bias −(1 + 3ρ)/n ≈ −0.002 is negligible
  INFO("estimate " << rep.observed_annual_lag1 << " +- " << rep.observed_annual_lag1_se);
  CHECK(std::abs(rep.observed_annual_lag1 - 0.3) <= 2 * rep.observed_annual_lag1_se);
  CHECK(rep.annual_lag1_target == rep.observed_annual_lag1);  // inside [0, 0.6]
  REQUIRE(p.year_factor_sigma_log > 0.0);
  // the factor is more persistent than the totals it aims at, and the generated totals carry the target
  CHECK(p.year_factor_lag1 > rep.annual_lag1_target);
  const int n = 2000;
  const Annual a = annual(years_of(p, n, 8080), n, p.wet_threshold_mm);
  INFO("fitted rho " << p.year_factor_lag1 << ", sigma " << p.year_factor_sigma_log << "; generated lag-1 "
                     << lag1_of(a.P) << ", SD " << std::sqrt(var_of(a.P)) << " (target " << p.annual_precip_sd_target_mm
                     << ")");
  CHECK(std::abs(lag1_of(a.P) - rep.annual_lag1_target) <= 3.0 / std::sqrt(double(n - 1)));
  // clamping to the plausible range [0, 0.6]
  forcing::FitReport hi, lo;
  const auto p_hi = forcing::fit_generator(f.fit_stations, f.hohhot, sets_with(0.9, 4, 1000), opt, &hi);
  CHECK(hi.observed_annual_lag1 > 0.8);
  CHECK(hi.annual_lag1_target == 0.6);
  CHECK(p_hi.year_factor_lag1 == 0.6);  // 0.6 in the totals would need more than the range allows
  const auto p_lo = forcing::fit_generator(f.fit_stations, f.hohhot, sets_with(-0.5, 4, 1000), opt, &lo);
  CHECK(lo.observed_annual_lag1 < -0.4);
  CHECK(lo.annual_lag1_target == 0.0);
  CHECK(p_lo.year_factor_lag1 == 0.0);
  // short sets: each set's own mean biases the estimate; with no persistence and many sets of
  // n = 10 years it tends to −Σ(n − 1)/n / Σ(n − 1) = −1/n = −0.1 (FitReport)
  forcing::FitReport white;
  forcing::fit_generator(f.fit_stations, f.hohhot, sets_with(0.0, 400, 10), opt, &white);
  INFO("400 white-noise sets of 10 years: " << white.observed_annual_lag1);
  CHECK(std::abs(white.observed_annual_lag1 - (-0.1)) <= 3 * white.observed_annual_lag1_se);
  CHECK(white.annual_lag1_target == 0.0);
  // a missing year breaks the pairs around it
  forcing::FitReport gap;
  auto sets = sets_with(0.4, 1, 50);
  sets[0][20] = forcing::kNoData;
  forcing::fit_generator(f.fit_stations, f.hohhot, sets, opt, &gap);
  CHECK(gap.observed_lag1_pairs == 49 - 2);
  CHECK(gap.observed_years == 49);
  CHECK_THROWS_AS(
      [&] {
        auto bad = opt;
        bad.year_factor_lag1_min = 0.7;
        forcing::fit_generator(f.fit_stations, f.hohhot, sets, bad);
      }(),
      std::invalid_argument);
}
