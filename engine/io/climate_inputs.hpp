#pragma once
/// @file climate_inputs.hpp
/// Readers of the climate inputs (inputs/<lake>/climate/): CMA monthly normals, a station's
/// daily record with quality control, the CMA 0.5° monthly grid, the site constants, and daily
/// forcing CSVs. All CSV reading goes through io::CsvTable; every error is a core::InputError
/// naming the file, the line and the column. Empty cells are missing values (NaN in the
/// records), never filled.
#include <string>
#include <vector>

#include "forcing/climate_records.hpp"
#include "forcing/daily_forcing.hpp"
#include "forcing/derive_forcing.hpp"
#include "physics/evaporation.hpp"

namespace daihai::io {

/// Reads CMA 1981–2010 monthly normals (cma_normals_1981-2010_monthly_4stations.csv layout:
/// columns station_id, station, lat_ddmm, lon_dddmm, elev_m, month, tmean_C, tmax_C, tmin_C,
/// precip_mm, wet_days_ge0.1mm, pan_evap_small_20cm_mm, pan_evap_large_E601_mm, rh_pct,
/// wind_m_s, sunshine_h, station_pressure_hPa; extra columns ignored). Latitude/longitude are
/// converted from DDMM to decimal degrees. Stations are returned in file order. Throws
/// core::InputError on a missing column, a non-number, a month outside 1..12, a station with a
/// month repeated or missing, or inconsistent station metadata.
std::vector<forcing::StationNormals> read_station_normals(const std::string& path);

/// Reads a station's daily record (hohhot_53463_daily_2014-2021.csv layout: date, tmean_C,
/// tmax_C, tmin_C, rh_mean_pct, wind_mean_m_s, sunshine_h, precip_mm; extra columns ignored).
/// Dates must be consecutive (a gap or a repeat is an InputError naming the line and the missing
/// date). Empty cells stay NaN. Quality control sets to NaN, with a line in qc_notes, any value
/// that is physically impossible: sunshine above the astronomical day length at the station's
/// latitude (FAO-56 eq. 34; e.g. 29.8 h on 2020-02-18 at Hohhot), RH outside 0..100, negative
/// wind or precipitation, tmin > tmax (both). Non-numeric text is an InputError.
forcing::DailyRecord read_daily_record(const std::string& path, int station_id, double latitude_deg,
                                       double elevation_m);

/// Reads the CMA 0.5° monthly grid extract (cma_grid0.5_monthly_daihai_cells_2006-2015.csv
/// layout: year, month, then per cell `precip_mm_c<lon>E_<lat>N`, `tmean_C_c…`, `tmax_C_c…`,
/// `tmin_C_c…`; cell centres parsed from the names). Months must be consecutive. Empty
/// temperature cells stay NaN; precipitation must be present and >= 0.
forcing::GridRecord read_grid_record(const std::string& path);

/// The site constants of a lake's climate (site.csv: columns key, value, unit, source).
struct ClimateSite {
  physics::SiteInfo site;                 ///< latitude, elevation, albedo, Angström, wind height
  double longitude_deg = forcing::kNoData;  ///< lake centre, degrees east
  double lapse_rate_K_per_m = forcing::kNoData;  ///< for the station-to-lake temperature adjustment
  double wet_threshold_mm = forcing::kNoData;    ///< wet-day threshold, mm
  double e601_to_open_water = forcing::kNoData;  ///< E601 pan to large water body coefficient
  forcing::IceRule ice;                   ///< ice_window_days, ice_threshold_C
};
/// Reads site.csv. Every key above is required (latitude_deg, longitude_deg, elevation_m, albedo,
/// angstrom_a, angstrom_b, wind_height_m, wind_function_area_km2, lapse_rate_K_per_m, wet_threshold_mm,
/// e601_to_open_water, ice_window_days, ice_threshold_C); an unknown or repeated key, or a
/// missing one, is an InputError naming it; the SiteInfo is validated (physics::validate).
ClimateSite read_climate_site(const std::string& path);

/// A daily forcing CSV as read.
struct ForcingCsv {
  /// precip_mm always; tmean/tmax/tmin/rh/wind/sunshine when the Penman columns are given
  /// (tmean_C alone may be given with evap_mm); other vectors empty.
  forcing::DailyWeather weather;
  std::vector<double> evap_mm;     ///< open-water evaporation, mm/d, when column evap_mm exists
  bool has_evaporation = false;    ///< evap_mm given: use forcing_from_evaporation
  bool has_penman_inputs = false;  ///< all Penman columns given: use derive_forcing
};

/// Reads a daily forcing CSV: column `date` (YYYY-MM-DD) and either `precip_mm`, `evap_mm`
/// (mm/d; optional `tmean_C`) or `precip_mm`, `tmean_C`, `tmax_C`, `tmin_C`, `rh_pct`,
/// `wind_m_s`, `sunshine_h`. Strict: dates consecutive with no missing day (a gap is an
/// InputError naming the line and the missing date); an empty, NaN, infinite or non-numeric
/// cell is an InputError naming file, line and column; negative precipitation, evaporation, wind
/// or sunshine, RH outside 0..100 and tmin > tmax are InputErrors; at least one row.
ForcingCsv read_forcing_csv(const std::string& path);

}  // namespace daihai::io
