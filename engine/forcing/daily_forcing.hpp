#pragma once
/// @file daily_forcing.hpp
/// The daily meteorological forcing of one run, and what the lake model derives from it.
/// Forcing is constant within a day. Everything here is SI unless the name says otherwise.
#include <cstdint>
#include <vector>

namespace daihai::forcing {

/// Daily weather for a contiguous run of days (all vectors have `size()` entries; day i is
/// `first_day + i`, days since 1970-01-01). Units as named. Produced by the weather generator
/// or read from a forcing CSV.
struct DailyWeather {
  std::int64_t first_day = 0;
  std::vector<double> precip_mm;     ///< precipitation, mm/d (20-20 h day)
  std::vector<double> tmean_C;       ///< mean air temperature, °C
  std::vector<double> tmax_C;        ///< daily maximum, °C
  std::vector<double> tmin_C;        ///< daily minimum, °C
  std::vector<double> rh_pct;        ///< mean relative humidity, %
  std::vector<double> wind_m_s;      ///< mean wind speed at 10 m (CMA standard height), m/s
  std::vector<double> sunshine_h;    ///< bright sunshine duration, h
  std::size_t size() const { return precip_mm.size(); }
};

/// What the lake model needs each day, derived from DailyWeather (or given directly by a CSV).
/// Open-water evaporation is split so the model can apply the salinity correction:
///   E(c) = evap_fresh_m_per_s - (1 - a_w(c)) * evap_sat_m_per_s
/// where a_w is the water activity of the lake water (see physics/evaporation.hpp). For a
/// Penman forcing `evap_sat_m_per_s` is Penman's aerodynamic term evaluated with the saturation
/// vapour pressure alone; for a CSV that gives evaporation directly it equals
/// `evap_fresh_m_per_s` (the correction is then E * a_w).
struct DailyForcing {
  std::int64_t first_day = 0;
  std::vector<double> precip_m_per_s;      ///< precipitation on lake and land, m/s (>= 0)
  std::vector<double> evap_fresh_m_per_s;  ///< open-water evaporation of fresh water, m/s (>= 0)
  std::vector<double> evap_sat_m_per_s;    ///< salinity-sensitive part, m/s (>= 0)
  std::vector<double> pet_land_m_per_s;    ///< potential evapotranspiration of the land (GR4J input), m/s
  std::vector<double> tmean_C;             ///< mean air temperature (ice rule, reporting), °C
  /// Ice by the air-temperature rule (forcing_from_evaporation: the lake has no heat budget; both
  /// evaporation fields are 0 on these days). All 0 for weather-derived forcing, whose lake
  /// forms its ice from its own heat budget.
  std::vector<unsigned char> ice;
  // The heat budget of a lake (physics::equilibrium_temperature), from weather; empty when the
  // forcing gives evaporation directly. With them, evap_fresh_m_per_s is the evaporation of open
  // water that stores no heat (a lake subtracts storage_to_evap × the heat it stores).
  std::vector<double> equilibrium_C;             ///< equilibrium temperature of a water surface, °C
  std::vector<double> exchange_MJ_m2_d_K;        ///< exchange coefficient K of the heat budget, MJ m-2 d-1 K-1
  std::vector<double> storage_to_evap_m_per_MJ;  ///< evaporation lost per MJ m-2 stored in the water, m
  std::vector<double> sublimation_m_per_s;       ///< sublimation from an ice cover, m/s (>= 0)
  std::size_t size() const { return precip_m_per_s.size(); }
  /// True when the forcing carries the lake's heat budget (weather-derived forcing).
  bool has_heat_budget() const { return !equilibrium_C.empty(); }
};

}  // namespace daihai::forcing
