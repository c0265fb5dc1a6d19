#include "forcing/derive_forcing.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"

namespace daihai::forcing {

namespace {
constexpr double kMmPerDayToMPerS = 1e-3 / core::kSecondsPerDay;
}

std::vector<unsigned char> ice_cover(const std::vector<double>& t, const IceRule& rule) {
  if (rule.window_days < 1) throw std::invalid_argument("ice_cover: window_days must be >= 1");
  const std::size_t n = t.size(), W = static_cast<std::size_t>(rule.window_days);
  std::vector<unsigned char> ice(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i >= W ? i - W : 0;
    const std::size_t hi = i == 0 ? 1 : i;  // window [lo, hi); first day uses itself
    double s = 0;
    int k = 0;
    for (std::size_t j = lo; j < hi; ++j)
      if (std::isfinite(t[j])) { s += t[j]; ++k; }
    ice[i] = (k > 0 && s / k < rule.threshold_C) ? 1 : 0;
  }
  return ice;
}

DailyForcing derive_forcing(const DailyWeather& w, const physics::SiteInfo& site) {
  physics::validate(site, "SiteInfo");
  const std::size_t n = w.size();
  for (const auto* v : {&w.tmean_C, &w.tmax_C, &w.tmin_C, &w.rh_pct, &w.wind_m_s, &w.sunshine_h})
    if (v->size() != n) throw std::invalid_argument("derive_forcing: weather vectors of unequal length");
  DailyForcing f;
  f.first_day = w.first_day;
  f.precip_m_per_s.resize(n);
  f.evap_fresh_m_per_s.resize(n);
  f.evap_sat_m_per_s.resize(n);
  f.pet_land_m_per_s.resize(n);
  f.tmean_C = w.tmean_C;
  f.ice.assign(n, 0);  // the lake forms its ice from its heat budget
  f.equilibrium_C.resize(n);
  f.exchange_MJ_m2_d_K.resize(n);
  f.storage_to_evap_m_per_MJ.resize(n);
  f.sublimation_m_per_s.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto dt = core::date_of(w.first_day + static_cast<std::int64_t>(i));
    if (!(w.precip_mm[i] >= 0) || !std::isfinite(w.precip_mm[i]))
      throw std::invalid_argument(fmt::format("derive_forcing: bad precipitation on {}", core::format_date(dt)));
    physics::PenmanDay d{core::day_of_year(dt), w.tmean_C[i], w.tmax_C[i], w.tmin_C[i],
                         w.rh_pct[i],          w.wind_m_s[i], w.sunshine_h[i]};
    physics::PenmanResult r;
    try {
      r = physics::penman_open_water(d, site);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("derive_forcing: {} on {}", e.what(), core::format_date(dt)));
    }
    f.precip_m_per_s[i] = w.precip_mm[i] * kMmPerDayToMPerS;
    f.evap_fresh_m_per_s[i] = r.evap_fresh_m_per_s;
    f.evap_sat_m_per_s[i] = r.evap_sat_m_per_s;
    f.pet_land_m_per_s[i] = physics::oudin_pet_m_per_s(r.ra_MJ_m2_d, w.tmean_C[i]);
    f.equilibrium_C[i] = r.equilibrium_C;
    f.exchange_MJ_m2_d_K[i] = r.exchange_MJ_m2_d_K;
    f.storage_to_evap_m_per_MJ[i] = r.storage_to_evap_mm_per_MJ * 1e-3;
    f.sublimation_m_per_s[i] = r.sublimation_mm_d * kMmPerDayToMPerS;
  }
  return f;
}

DailyForcing forcing_from_evaporation(std::int64_t first_day, const std::vector<double>& precip_mm,
                                      const std::vector<double>& evap_mm, const std::vector<double>& tmean_C,
                                      const physics::SiteInfo& site, const IceRule& rule, double land_pet_factor) {
  const std::size_t n = precip_mm.size();
  if (evap_mm.size() != n) throw std::invalid_argument("forcing_from_evaporation: precip and evap lengths differ");
  const bool have_t = !tmean_C.empty();
  if (have_t && tmean_C.size() != n) throw std::invalid_argument("forcing_from_evaporation: tmean length differs");
  if (have_t) physics::validate(site, "SiteInfo");
  if (!have_t && !(land_pet_factor > 0))
    throw std::invalid_argument("forcing_from_evaporation: land_pet_factor must be > 0 without temperatures");
  DailyForcing f;
  f.first_day = first_day;
  f.precip_m_per_s.resize(n);
  f.evap_fresh_m_per_s.resize(n);
  f.evap_sat_m_per_s.resize(n);
  f.pet_land_m_per_s.resize(n);
  f.tmean_C = have_t ? tmean_C : std::vector<double>(n, std::nan(""));
  f.ice = have_t ? ice_cover(tmean_C, rule) : std::vector<unsigned char>(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(precip_mm[i]) || precip_mm[i] < 0 || !std::isfinite(evap_mm[i]) || evap_mm[i] < 0)
      throw std::invalid_argument(fmt::format("forcing_from_evaporation: bad value on {}",
                                              core::format_date(core::date_of(first_day + static_cast<std::int64_t>(i)))));
    f.precip_m_per_s[i] = precip_mm[i] * kMmPerDayToMPerS;
    const double e = f.ice[i] ? 0.0 : evap_mm[i] * kMmPerDayToMPerS;
    f.evap_fresh_m_per_s[i] = e;
    f.evap_sat_m_per_s[i] = e;
    if (have_t) {
      const int doy = core::day_of_year(core::date_of(first_day + static_cast<std::int64_t>(i)));
      f.pet_land_m_per_s[i] =
          physics::oudin_pet_m_per_s(physics::extraterrestrial_radiation_MJ_m2_d(site.latitude_deg, doy), tmean_C[i]);
    } else {
      f.pet_land_m_per_s[i] = land_pet_factor * evap_mm[i] * kMmPerDayToMPerS;
    }
  }
  return f;
}

}  // namespace daihai::forcing
