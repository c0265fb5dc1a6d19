// Unit tests of forcing/weather_generator.hpp: PRNG and samplers, reproducibility, members,
// bounds, deltas, grid interpolation and observed-month replacement.
#include <catch2/catch.hpp>

#include <cmath>

#include "../climate_fixture.hpp"
#include "core/date.hpp"
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
