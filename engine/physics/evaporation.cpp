#include "physics/evaporation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "core/date.hpp"
#include "core/errors.hpp"

namespace daihai::physics {

namespace {
constexpr double kPi = std::numbers::pi;
constexpr double kGsc = 0.0820;          // solar constant, MJ m-2 min-1 (FAO-56 eq. 21)
constexpr double kSigma = 4.903e-9;      // Stefan-Boltzmann, MJ K-4 m-2 d-1 (FAO-56 eq. 39)

double sunset_hour_angle(double lat_rad, double decl) {
  const double x = std::clamp(-std::tan(lat_rad) * std::tan(decl), -1.0, 1.0);
  return std::acos(x);  // FAO-56 eq. 25
}
double declination(int doy) { return 0.409 * std::sin(2.0 * kPi / 365.0 * doy - 1.39); }  // eq. 24

// A day of year outside 1..366 (a day number, a 0-based index, a month) gives a plausible-looking
// but wrong sun: refused.
void require_day_of_year(int doy, const char* fn) {
  if (doy < 1 || doy > 366)
    throw std::invalid_argument(std::string(fn) + ": day of year " + std::to_string(doy) + " is outside 1..366");
}

void require_finite(double v, const char* what) {
  if (!std::isfinite(v)) throw std::invalid_argument(std::string("penman_open_water: non-finite ") + what);
}
}  // namespace

void validate(const SiteInfo& s, const char* source) {
  auto check = [&](double v, const char* key, bool ok, const char* expect) {
    if (!std::isfinite(v)) throw core::InputError(source, 0, key, "missing value");
    if (!ok) throw core::InputError(source, 0, key, expect);
  };
  check(s.latitude_deg, "latitude_deg", std::abs(s.latitude_deg) <= 66.0, "expected |latitude| <= 66 degrees");
  check(s.elevation_m, "elevation_m", s.elevation_m >= -500 && s.elevation_m <= 6000, "expected -500..6000 m");
  check(s.albedo, "albedo", s.albedo >= 0 && s.albedo <= 1, "expected 0..1");
  check(s.angstrom_a, "angstrom_a", s.angstrom_a > 0 && s.angstrom_a < 1, "expected 0 < a_s < 1");
  check(s.angstrom_b, "angstrom_b", s.angstrom_b > 0 && s.angstrom_a + s.angstrom_b <= 1,
        "expected b_s > 0 and a_s + b_s <= 1");
  check(s.wind_height_m, "wind_height_m", s.wind_height_m >= 2 && s.wind_height_m <= 100, "expected 2..100 m");
  check(s.wind_function_area_km2, "wind_function_area_km2", s.wind_function_area_km2 >= 1e-3 && s.wind_function_area_km2 <= 1e6,
        "expected 0.001..1e6 km2");
}

double saturation_vapour_pressure_kPa(double T) { return 0.6108 * std::exp(17.27 * T / (T + 237.3)); }

double svp_slope_kPa_per_K(double T) {
  return 4098.0 * saturation_vapour_pressure_kPa(T) / ((T + 237.3) * (T + 237.3));
}

double pressure_from_elevation_kPa(double z) { return 101.3 * std::pow((293.0 - 0.0065 * z) / 293.0, 5.26); }

double psychrometric_constant_kPa_per_K(double P) {
  // 30..110 kPa spans the surface pressure from sea level to 9,000 m; a value in hPa (×10) or
  // Pa (×1000), or a missing one, is refused.
  if (!(P >= kMinPressure_kPa && P <= kMaxPressure_kPa))
    throw std::invalid_argument("psychrometric_constant_kPa_per_K: air pressure " + std::to_string(P) +
                                " kPa is outside 30..110 kPa (a value in hPa or Pa?)");
  return 0.665e-3 * P;
}

double latent_heat_MJ_per_kg(double T) { return 2.501 - 0.002361 * T; }

double extraterrestrial_radiation_MJ_m2_d(double latitude_deg, int doy) {
  require_day_of_year(doy, "extraterrestrial_radiation_MJ_m2_d");
  const double phi = latitude_deg * kPi / 180.0;
  const double dr = 1.0 + 0.033 * std::cos(2.0 * kPi / 365.0 * doy);  // eq. 23
  const double d = declination(doy);
  const double ws = sunset_hour_angle(phi, d);
  return 24.0 * 60.0 / kPi * kGsc * dr *
         (ws * std::sin(phi) * std::sin(d) + std::cos(phi) * std::cos(d) * std::sin(ws));  // eq. 21
}

double daylight_hours(double latitude_deg, int doy) {
  require_day_of_year(doy, "daylight_hours");
  return 24.0 / kPi * sunset_hour_angle(latitude_deg * kPi / 180.0, declination(doy));  // eq. 34
}

double net_longwave_MJ_m2_d(double tmax_C, double tmin_C, double ea, double rs, double rso) {
  const double tk_max = tmax_C + 273.16, tk_min = tmin_C + 273.16;
  const double ratio = rso > 0 ? std::min(rs / rso, 1.0) : 0.0;
  return kSigma * 0.5 * (std::pow(tk_max, 4) + std::pow(tk_min, 4)) * (0.34 - 0.14 * std::sqrt(ea)) *
         (1.35 * ratio - 0.35);  // eq. 39
}

double wind_at_2m(double u, double z) { return u * 4.87 / std::log(67.8 * z - 5.42); }

double wind_at_10m(double u, double z) {
  constexpr double z0 = 0.02;
  return u * std::log(10.0 / z0) / std::log(z / z0);
}

double lake_wind_function_mm_d_kPa(double wind_m_s, double height_m, double area_km2, double lambda) {
  return std::pow(5.0 / area_km2, 0.05) * (3.80 + 1.57 * wind_at_10m(wind_m_s, height_m)) / lambda;
}

PenmanResult penman_open_water(const PenmanDay& d, const SiteInfo& site) {
  require_finite(d.tmean_C, "tmean_C");
  require_finite(d.tmax_C, "tmax_C");
  require_finite(d.tmin_C, "tmin_C");
  require_finite(d.rh_pct, "rh_pct");
  require_finite(d.wind_m_s, "wind_m_s");
  require_finite(d.sunshine_h, "sunshine_h");
  if (d.rh_pct < 0 || d.rh_pct > 100) throw std::invalid_argument("penman_open_water: rh_pct outside 0..100");
  if (d.wind_m_s < 0) throw std::invalid_argument("penman_open_water: negative wind");
  if (d.sunshine_h < 0) throw std::invalid_argument("penman_open_water: negative sunshine");

  PenmanResult r;
  r.ra_MJ_m2_d = extraterrestrial_radiation_MJ_m2_d(site.latitude_deg, d.day_of_year);
  r.n_hours = daylight_hours(site.latitude_deg, d.day_of_year);
  const double n = std::min(d.sunshine_h, r.n_hours);
  const double rel = r.n_hours > 0 ? n / r.n_hours : 0.0;
  r.rs_MJ_m2_d = (site.angstrom_a + site.angstrom_b * rel) * r.ra_MJ_m2_d;   // eq. 35
  r.rso_MJ_m2_d = (0.75 + 2e-5 * site.elevation_m) * r.ra_MJ_m2_d;             // eq. 37
  const double e_tmax = saturation_vapour_pressure_kPa(d.tmax_C);
  const double e_tmin = saturation_vapour_pressure_kPa(d.tmin_C);
  r.es_kPa = 0.5 * (e_tmax + e_tmin);                                           // eq. 12
  r.ea_kPa = d.rh_pct / 100.0 * r.es_kPa;                                       // eq. 19
  r.rnl_MJ_m2_d = net_longwave_MJ_m2_d(d.tmax_C, d.tmin_C, r.ea_kPa, r.rs_MJ_m2_d, r.rso_MJ_m2_d);
  r.rn_MJ_m2_d = (1.0 - site.albedo) * r.rs_MJ_m2_d - r.rnl_MJ_m2_d;           // eqs. 38, 40

  const double P = pressure_from_elevation_kPa(site.elevation_m);
  const double gamma = psychrometric_constant_kPa_per_K(P);
  const double delta = svp_slope_kPa_per_K(d.tmean_C);
  const double lambda = latent_heat_MJ_per_kg(d.tmean_C);
  const double fu_mm = lake_wind_function_mm_d_kPa(d.wind_m_s, site.wind_height_m, site.wind_function_area_km2, lambda);
  const double denom = lambda * (delta + gamma);
  r.radiative_mm_d = delta * r.rn_MJ_m2_d / denom;
  r.aerodynamic_mm_d = gamma * fu_mm * (r.es_kPa - r.ea_kPa) / (delta + gamma);
  const double sat_mm = gamma * fu_mm * r.es_kPa / (delta + gamma);
  const double fresh_mm = std::max(0.0, r.radiative_mm_d + r.aerodynamic_mm_d);
  constexpr double mm_d_to_m_s = 1e-3 / core::kSecondsPerDay;
  r.evap_fresh_m_per_s = fresh_mm * mm_d_to_m_s;
  r.evap_sat_m_per_s = std::min(sat_mm, fresh_mm) * mm_d_to_m_s;
  equilibrium_temperature(d, site, r);
  return r;
}

double wet_bulb_temperature_C(double T, double ea, double gamma) {
  double tn = T;
  for (int i = 0; i < 50; ++i) {
    const double f = saturation_vapour_pressure_kPa(tn) - ea - gamma * (T - tn);
    const double step = f / (svp_slope_kPa_per_K(tn) + gamma);
    tn -= step;
    if (std::abs(step) < 1e-10) return tn;
  }
  throw std::invalid_argument("wet_bulb_temperature_C: no convergence (non-finite input?)");
}

double saturation_vapour_pressure_ice_kPa(double T) { return 0.6112 * std::exp(22.46 * T / (272.62 + T)); }

void equilibrium_temperature(const PenmanDay& d, const SiteInfo& site, PenmanResult& r) {
  const double P = pressure_from_elevation_kPa(site.elevation_m);
  const double gamma = psychrometric_constant_kPa_per_K(P);
  const double lambda = latent_heat_MJ_per_kg(d.tmean_C);
  const double fu_mm = lake_wind_function_mm_d_kPa(d.wind_m_s, site.wind_height_m, site.wind_function_area_km2, lambda);
  r.wet_bulb_C = wet_bulb_temperature_C(d.tmean_C, r.ea_kPa, gamma);
  const double tn_k = r.wet_bulb_C + 273.16;  // kelvin as in FAO-56 eq. 39
  const double ta4 = 0.5 * (std::pow(d.tmax_C + 273.16, 4) + std::pow(d.tmin_C + 273.16, 4));
  const double rn_n = r.rn_MJ_m2_d + kSigma * (ta4 - tn_k * tn_k * tn_k * tn_k);
  r.exchange_MJ_m2_d_K = 4.0 * kSigma * tn_k * tn_k * tn_k + lambda * fu_mm * (svp_slope_kPa_per_K(r.wet_bulb_C) + gamma);
  r.equilibrium_C = r.wet_bulb_C + rn_n / r.exchange_MJ_m2_d_K;
  const double delta = svp_slope_kPa_per_K(d.tmean_C);
  r.storage_to_evap_mm_per_MJ = delta / (lambda * (delta + gamma));
  r.sublimation_mm_d = fu_mm * std::max(0.0, saturation_vapour_pressure_ice_kPa(std::min(d.tmean_C, 0.0)) - r.ea_kPa);
}

double water_activity(double S) {
  if (std::isnan(S)) return S;
  S = std::clamp(S, 0.0, 120.0);
  return 1.0 / (1.0 + 0.57357 * S / (1000.0 - S));
}

double oudin_pet_m_per_s(double ra, double T) {
  if (T + 5.0 <= 0.0) return 0.0;
  return ra / (2.45 * 1000.0) * (T + 5.0) / 100.0 / core::kSecondsPerDay;
}

}  // namespace daihai::physics
