// Unit tests of physics/evaporation.hpp: FAO-56 worked examples, a hand-computed Penman day,
// the salinity split, water activity and Oudin PET.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/errors.hpp"
#include "physics/evaporation.hpp"

using namespace daihai::physics;
using Catch::Detail::Approx;

namespace {
SiteInfo daihai_like() {
  SiteInfo s;
  s.latitude_deg = 40.55;
  s.elevation_m = 1220;
  s.albedo = 0.06;
  s.angstrom_a = 0.25;
  s.angstrom_b = 0.50;
  s.wind_height_m = 10;
  s.wind_function_area_km2 = 100;
  return s;
}
}  // namespace

TEST_CASE("FAO-56 worked examples: Ra, N, Rs, Rnl", "[evaporation]") {
  // Example 8: 3 September (day 246) at 20°S -> Ra = 32.2 MJ m-2 d-1
  CHECK(extraterrestrial_radiation_MJ_m2_d(-20.0, 246) == Approx(32.2).epsilon(0.01));
  // Example 9: same day and place -> N = 11.7 h
  CHECK(daylight_hours(-20.0, 246) == Approx(11.7).epsilon(0.01));
  // Example 10: Rio de Janeiro 22°54'S, 15 May (day 135), 220 h of sunshine in May
  const double lat = -(22.0 + 54.0 / 60.0);
  const double ra = extraterrestrial_radiation_MJ_m2_d(lat, 135);
  const double N = daylight_hours(lat, 135);
  CHECK(ra == Approx(25.1).epsilon(0.01));
  CHECK(N == Approx(10.9).epsilon(0.01));
  const double rs = (0.25 + 0.50 * (220.0 / 31.0) / N) * ra;
  CHECK(rs == Approx(14.5).epsilon(0.01));
  // Example 11: Tmax 25.1, Tmin 19.1 °C, ea 2.1 kPa, Rs 14.5, Rso 18.8 -> Rnl = 3.5
  CHECK(net_longwave_MJ_m2_d(25.1, 19.1, 2.1, 14.5, 18.8) == Approx(3.5).epsilon(0.01));
  // eq. 7 at 1800 m -> 81.8 kPa (Example 2); eq. 8 -> γ = 0.054 kPa/K
  CHECK(pressure_from_elevation_kPa(1800) == Approx(81.8).epsilon(0.005));
  CHECK(psychrometric_constant_kPa_per_K(81.8) == Approx(0.054).epsilon(0.01));
  // Table 2.3: e°(20 °C) = 2.338 kPa, slope 0.145 kPa/K
  CHECK(saturation_vapour_pressure_kPa(20.0) == Approx(2.338).epsilon(0.002));
  CHECK(svp_slope_kPa_per_K(20.0) == Approx(0.145).epsilon(0.005));
}

TEST_CASE("Penman open water: a hand-computed July day at Daihai", "[evaporation]") {
  // Independent step-by-step computation (FAO-56 eqs. 7, 8, 11-13, 19, 21-25, 34, 35, 37-40;
  // Penman combination with the lake wind function of McJannet et al. 2008,
  // f = (5/100)^0.05 (3.80 + 1.57 u10) / λ = 2.3545 mm d-1 kPa-1 for u10 = 1.85 m/s and λ = 2.4514)
  // for day 196, 40.55°N, 1220 m: Ra 40.788, N 14.621 h, Rs 21.983, Rnl 3.374, Rn 17.290 MJ m-2 d-1,
  // γ 0.058311, Δ 0.152757 kPa/K, e_s 2.68273, e_a 1.74378 kPa:
  // radiative 5.1045 + aerodynamic 0.61076 = E 5.7153 mm/d, E_sat = 1.74504 mm/d.
  PenmanDay d{196, 21.0, 27.6, 14.7, 65.0, 1.85, 8.45};
  const auto r = penman_open_water(d, daihai_like());
  CHECK(r.ra_MJ_m2_d == Approx(40.788).epsilon(0.01));
  CHECK(r.n_hours == Approx(14.621).epsilon(0.01));
  CHECK(r.rs_MJ_m2_d == Approx(21.983).epsilon(0.01));
  CHECK(r.rnl_MJ_m2_d == Approx(3.374).epsilon(0.01));
  CHECK(r.rn_MJ_m2_d == Approx(17.290).epsilon(0.01));
  CHECK(r.evap_fresh_m_per_s * 86400e3 == Approx(5.7153).epsilon(0.001));
  CHECK(r.evap_sat_m_per_s * 86400e3 == Approx(1.74504).epsilon(0.001));
}

TEST_CASE("Penman split: evap_fresh >= evap_sat >= 0 over a range of days", "[evaporation]") {
  const auto site = daihai_like();
  for (int doy = 1; doy <= 365; doy += 11)
    for (double T : {-20.0, -5.0, 0.0, 10.0, 25.0})
      for (double rh : {5.0, 50.0, 100.0})
        for (double u : {0.0, 3.0, 12.0})
          for (double n : {0.0, 6.0, 20.0}) {
            PenmanDay d{doy, T, T + 6, T - 6, rh, u, n};
            const auto r = penman_open_water(d, site);
            INFO("doy " << doy << " T " << T << " rh " << rh << " u " << u << " n " << n);
            CHECK(r.evap_sat_m_per_s >= 0.0);
            CHECK(r.evap_fresh_m_per_s >= r.evap_sat_m_per_s);
            CHECK(std::isfinite(r.evap_fresh_m_per_s));
          }
}

TEST_CASE("Penman salinity split reproduces the saline-surface Penman", "[evaporation]") {
  // E(a_w) = E_fresh - (1 - a_w) E_sat equals Penman with surface vapour pressure a_w e_s.
  PenmanDay d{196, 21.0, 27.6, 14.7, 65.0, 1.85, 8.45};
  const auto site = daihai_like();
  const auto r = penman_open_water(d, site);
  const double aw = water_activity(100.0);
  const double P = pressure_from_elevation_kPa(1220), g = psychrometric_constant_kPa_per_K(P);
  const double D = svp_slope_kPa_per_K(21.0), lam = latent_heat_MJ_per_kg(21.0);
  const double fu = std::pow(5.0 / 100.0, 0.05) * (3.80 + 1.57 * 1.85);  // MJ m-2 d-1 kPa-1 (McJannet et al. 2008)
  const double direct = (D * r.rn_MJ_m2_d + g * fu * (aw * r.es_kPa - r.ea_kPa)) / (lam * (D + g));
  CHECK((r.evap_fresh_m_per_s - (1 - aw) * r.evap_sat_m_per_s) * 86400e3 == Approx(direct).epsilon(1e-9));
}

TEST_CASE("Penman rejects bad input", "[evaporation]") {
  const auto site = daihai_like();
  CHECK_THROWS_AS(penman_open_water({100, 10, 15, 5, 120, 2, 5}, site), std::invalid_argument);
  CHECK_THROWS_AS(penman_open_water({100, 10, 15, 5, 50, -1, 5}, site), std::invalid_argument);
  CHECK_THROWS_AS(penman_open_water({100, std::nan(""), 15, 5, 50, 1, 5}, site), std::invalid_argument);
  SiteInfo bad = site;
  bad.albedo = std::nan("");
  CHECK_THROWS_AS(validate(bad), daihai::core::InputError);
  bad = site;
  bad.angstrom_b = 0.9;
  CHECK_THROWS_AS(validate(bad), daihai::core::InputError);
  CHECK_NOTHROW(validate(site));
}

TEST_CASE("Day of year and air pressure out of range are refused, not computed", "[evaporation]") {
  // Fault class: a day number, a 0-based index or a month passed as the day of year, and a
  // pressure in hPa or Pa passed as kPa, used to give plausible-looking numbers.
  for (int doy : {0, -1, 367, 731}) {
    CHECK_THROWS_AS(extraterrestrial_radiation_MJ_m2_d(40.0, doy), std::invalid_argument);
    CHECK_THROWS_AS(daylight_hours(40.0, doy), std::invalid_argument);
  }
  CHECK_NOTHROW(daylight_hours(40.0, 1));
  CHECK_NOTHROW(daylight_hours(40.0, 366));
  CHECK_THROWS_AS(penman_open_water({0, 10, 15, 5, 50, 2, 5}, daihai_like()), std::invalid_argument);
  CHECK_THROWS_AS(psychrometric_constant_kPa_per_K(1013.0), std::invalid_argument);  // hPa
  CHECK_THROWS_AS(psychrometric_constant_kPa_per_K(101300.0), std::invalid_argument);  // Pa
  CHECK_THROWS_AS(psychrometric_constant_kPa_per_K(std::nan("")), std::invalid_argument);
  // FAO-56 example 2: 1,800 m -> P = 81.8 kPa, gamma = 0.054 kPa/K
  CHECK(psychrometric_constant_kPa_per_K(pressure_from_elevation_kPa(1800)) == Approx(0.054).epsilon(0.01));
  // The highest plausible site (6,000 m, SiteInfo's limit) stays inside the range.
  CHECK_NOTHROW(psychrometric_constant_kPa_per_K(pressure_from_elevation_kPa(6000)));
}

TEST_CASE("water activity of saline water (Sharqawy et al. 2010)", "[evaporation]") {
  CHECK(water_activity(0.0) == 1.0);
  CHECK(water_activity(35.0) == Approx(0.9796).epsilon(1e-4));
  CHECK(water_activity(-5.0) == 1.0);                      // clamped to 0 g/kg
  CHECK(water_activity(500.0) == water_activity(120.0));  // clamped to the validity range
  CHECK(water_activity(10.0) > water_activity(20.0));
}

TEST_CASE("Oudin PET: zero below -5 °C and a hand-computed value", "[evaporation]") {
  CHECK(oudin_pet_m_per_s(30.0, -5.0) == 0.0);
  CHECK(oudin_pet_m_per_s(30.0, -12.0) == 0.0);
  // Ra = 40.7876 MJ m-2 d-1, T = 21 °C: 40.7876 / 2450 * 26 / 100 m/d = 4.3285 mm/d
  CHECK(oudin_pet_m_per_s(40.7876, 21.0) * 86400e3 == Approx(4.3285).epsilon(1e-4));
  CHECK(oudin_pet_m_per_s(20.0, -4.0) > 0.0);
}
