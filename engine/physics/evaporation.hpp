#pragma once
/// @file evaporation.hpp
/// Open-water evaporation (Penman 1948, in the form of Shuttleworth 1993) with the split the
/// lake model needs for its salinity correction, the water activity of saline water, and the
/// Oudin et al. (2005) potential evapotranspiration of the land. Radiation terms follow FAO-56
/// (Allen, Pereira, Raes & Smith 1998, FAO Irrigation and Drainage Paper 56); equation numbers
/// below are FAO-56's unless stated. Pure functions: no I/O, no state.
#include <cstdint>
#include <limits>

namespace daihai::physics {

/// Marker of a value not given (quiet NaN).
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// Site constants of an evaporating surface. No field has a default: every value comes from the
/// lake's inputs (for Daihai: inputs/daihai/climate/site.csv). Typical values, for reference only:
/// albedo 0.06 for open water (Shuttleworth 1993, Handbook of Hydrology ch. 4);
/// Angström a_s = 0.25, b_s = 0.50 (FAO-56 eq. 35, used where no local calibration
/// exists); wind measured at 10 m (CMA standard anemometer height).
struct SiteInfo {
  double latitude_deg = kMissing;   ///< latitude, degrees north (south negative)
  double elevation_m = kMissing;    ///< elevation of the water surface, m a.s.l.
  double albedo = kMissing;         ///< short-wave albedo of the surface, 0..1
  double angstrom_a = kMissing;     ///< Angström a_s (FAO-56 eq. 35), fraction of Ra on overcast days
  double angstrom_b = kMissing;     ///< Angström b_s (FAO-56 eq. 35)
  double wind_height_m = kMissing;  ///< height of the wind measurement, m (> 2)
  double wind_function_area_km2 = kMissing;  ///< area of the water body in the lake wind function, km² (> 0)
};

/// Throws core::InputError(source, 0, field, ...) when a SiteInfo field is missing (NaN) or out of
/// range: |latitude| <= 66 (the day-length formulas need a sunrise), elevation -500..6000 m,
/// albedo 0..1, a_s > 0, b_s > 0, a_s + b_s <= 1, wind height 2..100 m, wind-function area
/// 0.001..1e6 km².
void validate(const SiteInfo& site, const char* source = "SiteInfo");

/// Saturation vapour pressure over water at T (°C), kPa. FAO-56 eq. 11 (Tetens form).
double saturation_vapour_pressure_kPa(double T_C);
/// Slope of the saturation vapour pressure curve at T (°C), kPa/K. FAO-56 eq. 13.
double svp_slope_kPa_per_K(double T_C);
/// Atmospheric pressure at elevation z (m), kPa. FAO-56 eq. 7 (standard atmosphere, 20 °C).
double pressure_from_elevation_kPa(double elevation_m);
/// Plausible surface air pressure, kPa: sea level (~101 kPa, up to 110 in extreme highs) down to
/// 9,000 m (~30 kPa).
inline constexpr double kMinPressure_kPa = 30.0, kMaxPressure_kPa = 110.0;
/// Psychrometric constant at pressure P (kPa), kPa/K: 0.665e-3 P. FAO-56 eq. 8.
/// Throws std::invalid_argument when P is outside kMinPressure_kPa..kMaxPressure_kPa (catches a
/// pressure given in hPa or Pa).
double psychrometric_constant_kPa_per_K(double pressure_kPa);
/// Latent heat of vaporisation at T (°C), MJ/kg: 2.501 - 0.002361 T (as given by Shuttleworth 1993, Handbook of Hydrology ch. 4).
double latent_heat_MJ_per_kg(double T_C);
/// Extraterrestrial radiation, MJ m-2 d-1, for latitude (deg) and day of year (1..366).
/// FAO-56 eqs. 21 (Ra), 23 (inverse relative distance), 24 (declination), 25 (sunset hour angle).
/// Throws std::invalid_argument for a day of year outside 1..366.
double extraterrestrial_radiation_MJ_m2_d(double latitude_deg, int day_of_year);
/// Astronomical day length N, h. FAO-56 eq. 34. Throws std::invalid_argument for a day of year
/// outside 1..366.
double daylight_hours(double latitude_deg, int day_of_year);
/// Net outgoing long-wave radiation, MJ m-2 d-1. FAO-56 eq. 39:
/// σ (Tmax,K^4 + Tmin,K^4)/2 (0.34 - 0.14 √e_a) (1.35 Rs/Rso - 0.35), with Rs/Rso capped at 1.
double net_longwave_MJ_m2_d(double tmax_C, double tmin_C, double ea_kPa, double rs_MJ_m2_d, double rso_MJ_m2_d);
/// Wind speed at 2 m from speed u (m/s) measured at height z (m) over short grass.
/// FAO-56 eq. 47: u2 = u_z * 4.87 / ln(67.8 z - 5.42).
double wind_at_2m(double wind_m_s, double height_m);

/// Wind speed at 10 m from speed u (m/s) measured at height z (m) over a surface of roughness
/// z0 = 0.02 m (short grass at the station): u10 = u ln(10/z0)/ln(z/z0) (McMahon et al. 2013,
/// HESS 17:1331, eq. S4.4).
double wind_at_10m(double wind_m_s, double height_m);

/// Wind function of a lake, mm d-1 kPa-1: f(u) = (5/A)^0.05 (3.80 + 1.57 u10) / λ, with A the
/// water body's area (km²), u10 the wind at 10 m (m/s) and λ (MJ/kg) converting the function's
/// MJ m-2 d-1 kPa-1 to mm (McJannet, Webster, Stenson & Sherman 2008, CSIRO Murray-Darling Basin
/// report, after Sweers 1976; McMahon et al. 2013, Supplement S11). Derived for lakes and
/// reservoirs: its transfer falls with the fetch, where Penman's 1948 function, fitted to small
/// tanks, gives about a third more evaporation over a lake of Daihai's size.
double lake_wind_function_mm_d_kPa(double wind_m_s, double height_m, double area_km2, double lambda_MJ_per_kg);

/// One day's weather as Penman needs it.
struct PenmanDay {
  int day_of_year = 1;      ///< 1..366
  double tmean_C = 0;       ///< mean air temperature, °C
  double tmax_C = 0;        ///< daily maximum, °C
  double tmin_C = 0;        ///< daily minimum, °C
  double rh_pct = 50;       ///< mean relative humidity, % (0..100)
  double wind_m_s = 0;      ///< mean wind speed at SiteInfo::wind_height_m, m/s (>= 0)
  double sunshine_h = 0;    ///< bright sunshine duration, h (0..N; larger values are capped at N)
};

/// Penman open-water evaporation of one day and its intermediate terms.
struct PenmanResult {
  double evap_fresh_m_per_s = 0;  ///< full Penman evaporation of fresh water, m/s (>= 0)
  double evap_sat_m_per_s = 0;    ///< part of the aerodynamic term carried by e_s, m/s (0..evap_fresh)
  double radiative_mm_d = 0;      ///< Δ Rn / (λ (Δ+γ)), mm/d (may be < 0)
  double aerodynamic_mm_d = 0;    ///< γ f(u) (e_s - e_a) / (λ (Δ+γ)), mm/d
  double ra_MJ_m2_d = 0;          ///< extraterrestrial radiation (FAO-56 eq. 21)
  double n_hours = 0;             ///< day length N (eq. 34)
  double rs_MJ_m2_d = 0;          ///< solar radiation from sunshine (eq. 35)
  double rso_MJ_m2_d = 0;         ///< clear-sky radiation (eq. 37)
  double rnl_MJ_m2_d = 0;         ///< net long-wave radiation (eq. 39)
  double rn_MJ_m2_d = 0;          ///< net radiation (1-albedo) Rs - Rnl (eqs. 38, 40)
  double es_kPa = 0;              ///< saturation vapour pressure, mean of e°(Tmax), e°(Tmin) (eq. 12)
  double ea_kPa = 0;              ///< actual vapour pressure from RHmean (eq. 19)
  // The day's terms of a lake's heat budget (equilibrium_temperature()):
  double wet_bulb_C = 0;             ///< wet-bulb temperature T_n of the air (wet_bulb_temperature_C)
  double equilibrium_C = 0;          ///< equilibrium temperature T_e of a water surface, °C
  double exchange_MJ_m2_d_K = 0;     ///< K = 4σ(T_n+273.16)³ + λ f(u)(Δ_n + γ), MJ m-2 d-1 K-1
  double storage_to_evap_mm_per_MJ = 0;  ///< Δ/(λ(Δ+γ)): open-water evaporation lost per MJ m-2 stored in the water, mm
  double sublimation_mm_d = 0;       ///< sublimation from an ice cover f(u)·max(0, e_ice(min(T,0)) − e_a), mm/d
};

/// Wet-bulb temperature (°C) of air at T (°C) with vapour pressure e_a (kPa) and psychrometric
/// constant γ (kPa/K): the root of e°(T_n) − e_a = γ (T − T_n) (psychrometer equation with
/// FAO-56's γ, e° of FAO-56 eq. 11), by Newton's method from T_n = T. Throws
/// std::invalid_argument when it does not converge (non-finite input).
double wet_bulb_temperature_C(double T_C, double ea_kPa, double gamma_kPa_per_K);

/// Saturation vapour pressure over ice at T (°C, ≤ 0), kPa: 0.6112 exp(22.46 T / (272.62 + T))
/// (Magnus form over ice, WMO 2008, Guide to Meteorological Instruments, Annex 4.B).
double saturation_vapour_pressure_ice_kPa(double T_C);

/// Equilibrium temperature of a water surface and the exchange coefficient of its heat budget
/// (de Bruin 1982, J. Hydrol. 59:261–274, eqs. 3–4; as in McMahon et al. 2013, HESS 17:1331,
/// Supplement S11.29–S11.30, with Penman's open-water wind function):
/// linearising the net long-wave radiation, evaporation and sensible heat about the wet-bulb
/// temperature T_n, the net heat flux into water at T_w is Q = K (T_e − T_w) with
///   K   = 4σ(T_n + 273.16)³ + λ f(u) (Δ_n + γ)                   (MJ m-2 d-1 K-1)
///   T_e = T_n + Rn_n / K,   Rn_n = (1 − α) Rs − Rnl + σ[(T_a,K⁴) − (T_n + 273.16)⁴]
/// (Rn_n: net radiation of a surface at T_n; Rnl of FAO-56 eq. 39 is the net long-wave of a
/// surface at air temperature, T_a,K⁴ its mean of Tmax and Tmin). Fills the heat-budget fields
/// of `r` from its other fields.
void equilibrium_temperature(const PenmanDay& day, const SiteInfo& site, PenmanResult& r);

/// Penman (1948) open-water evaporation (combination form as in Shuttleworth 1993, Handbook of
/// Hydrology, ch. 4, and McMahon et al. 2013, HESS 17:1331–1363, Supplement S4):
///   E = Δ Rn / [λ (Δ + γ)] + γ f(u) (e_s - e_a) / (Δ + γ)   (mm/d, Rn in MJ m-2 d-1)
/// with the lake wind function f(u) of McJannet et al. (2008) (lake_wind_function_mm_d_kPa, for
/// the site's wind-function area), Rn from sunshine (FAO-56 eqs. 35, 37, 38, 39, 40), e_s, e_a
/// from FAO-56 eqs. 12 and 19, γ from the pressure at the site's elevation (eqs. 7, 8), Δ at the
/// mean temperature (eq. 13). Heat storage in the water is not in E here: a lake subtracts
/// storage_to_evap_mm_per_MJ × G for the heat G it stores (LakeHeat, lake_heat.hpp); the
/// heat-budget fields are filled by equilibrium_temperature().
///
/// Salinity split: over saline water the surface vapour pressure is a_w e_s, so the aerodynamic
/// term becomes γ f(u) (a_w e_s - e_a), i.e. E(a_w) = E_fresh - (1 - a_w) E_sat with
/// E_sat = γ f(u) e_s / (Δ + γ). Δ is left at its fresh-water value (a second-order term).
/// E_fresh is floored at 0 (no condensation) and E_sat capped at E_fresh, so that
/// E(a_w) >= 0 for every a_w in [0, 1]; on such days the correction is proportional, E·a_w.
/// Throws std::invalid_argument on a non-finite input or RH outside 0..100 or negative wind or
/// sunshine; the SiteInfo must have passed validate().
PenmanResult penman_open_water(const PenmanDay& day, const SiteInfo& site);

/// Water activity (vapour pressure of saline water over that of fresh water at the same
/// temperature) for a salinity S in g/kg (≈ TDS in g/L for the lake's range):
///   a_w = 1 / (1 + 0.57357 S / (1000 - S))
/// Sharqawy, Lienhard & Zubair (2010), Desalination and Water Treatment 16:354–380
/// (their fit to the seawater data of Robinson 1954). Its validity range is 0..120 g/kg: S is clamped to
/// [0, 120]; water_activity(0) = 1, water_activity(35) ≈ 0.9796. NaN in gives NaN out.
double water_activity(double tds_g_per_L);

/// Oudin et al. (2005, J. Hydrol. 303:290–306; their selected formula) potential evapotranspiration, m/s:
///   PE = Ra / (λ ρ) · (T + 5) / 100   when T + 5 > 0, else 0,
/// with Ra in MJ m-2 d-1, λ = 2.45 MJ/kg, ρ = 1000 kg/m3 (PE in m/d, divided by 86400).
double oudin_pet_m_per_s(double ra_MJ_m2_d, double tmean_C);

}  // namespace daihai::physics
