#pragma once
/// @file derive_forcing.hpp
/// From daily weather to what the lake model needs (DailyForcing): precipitation in m/s,
/// Penman open-water evaporation split for the salinity correction, Oudin land PET, and the ice
/// flag. Pure functions, no I/O.
#include <cstdint>
#include <vector>

#include "forcing/daily_forcing.hpp"
#include "physics/evaporation.hpp"

namespace daihai::forcing {

/// Temperature rule for lake ice (no observed freeze-up or break-up dates exist for Daihai).
/// The lake is ice-covered on day t when the mean air temperature of the `window_days` days
/// before t (t-window .. t-1) is below `threshold_C`. Rationale: freeze-up and break-up of
/// lakes follow the air temperature with a lag of days to weeks set by the heat stored in the
/// water (e.g. Palecki & Barry 1986, J. Clim. Appl. Meteorol. 25:893–902, relate freeze-up and
/// break-up dates to air temperatures averaged over the preceding weeks); a moving mean crossing
/// 0 °C is the simplest form of that. No published rule calibrated on Daihai was found, so both
/// numbers are parameters (defaults 10 d and 0 °C, the values in the lake's inputs); a shallow
/// lake like Daihai (mean depth ~7 m) responds faster than deep lakes. At the start of a series,
/// where fewer than window_days earlier days exist, the days available are used, and on the very
/// first day that day's own temperature.
struct IceRule {
  int window_days = 10;      ///< length of the moving window, days (>= 1)
  double threshold_C = 0.0;  ///< ice when the window mean is below this, °C
};

/// The ice flag (1 = ice) for a series of daily mean temperatures (°C) by IceRule. A NaN in
/// the window makes that day's flag follow the mean of the finite values; all-NaN gives 0.
/// Throws std::invalid_argument when window_days < 1.
std::vector<unsigned char> ice_cover(const std::vector<double>& tmean_C, const IceRule& rule);

/// Derives the forcing from complete daily weather (all seven vectors of equal length, finite).
/// Per day: precip_m_per_s = precip_mm / 1000 / 86400; Penman open-water evaporation
/// (physics::penman_open_water) for evap_fresh / evap_sat; Oudin PET (physics::oudin_pet_m_per_s)
/// with Ra of that day; the terms of the lake's heat budget (equilibrium temperature, exchange
/// coefficient, evaporation lost to stored heat, sublimation; physics::equilibrium_temperature),
/// from which the lake forms its ice (physics::LakeHeat): `ice` is all 0 here.
/// Throws std::invalid_argument on vectors of unequal length or a non-finite/out-of-range value
/// (the message names the day), and core::InputError when the site fails physics::validate.
DailyForcing derive_forcing(const DailyWeather& weather, const physics::SiteInfo& site);

/// Forcing from a series that gives open-water evaporation directly (mm/d), e.g. a pan series
/// already multiplied by a pan coefficient. evap_sat = evap_fresh (the salinity correction then
/// reduces E in proportion, E·a_w). precip_mm and evap_mm must be finite, >= 0 and of equal length.
/// Land PET: Oudin from tmean_C when tmean_C is given (same length); otherwise the documented
/// fallback pet = land_pet_factor · evap (land_pet_factor chosen and sourced by the caller, > 0).
/// Ice: by `ice` from tmean_C when given; evaporation is then zeroed on ice days; without
/// temperatures the flag is 0 and the given evaporation is used as is (the series is then
/// responsible for winter). Throws std::invalid_argument on bad lengths or values.
DailyForcing forcing_from_evaporation(std::int64_t first_day, const std::vector<double>& precip_mm,
                                      const std::vector<double>& evap_mm, const std::vector<double>& tmean_C,
                                      const physics::SiteInfo& site, const IceRule& ice, double land_pet_factor);

}  // namespace daihai::forcing
