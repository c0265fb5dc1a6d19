#pragma once
/// @file climate_records.hpp
/// Plain data holding the climate records the weather generator is fitted to, as read by
/// io/climate_inputs.hpp. Missing values are quiet NaN (`std::isnan`), never filled.
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace daihai::forcing {

/// Marker of a missing value in the records below.
inline constexpr double kNoData = std::numeric_limits<double>::quiet_NaN();

/// One calendar month of a station's 1981–2010 CMA climate normals. Units as named; monthly
/// totals are means of the monthly totals of 1981–2010. NaN = not reported.
struct MonthlyNormal {
  double tmean_C = kNoData;          ///< mean air temperature, °C
  double tmax_C = kNoData;           ///< mean daily maximum, °C
  double tmin_C = kNoData;           ///< mean daily minimum, °C
  double precip_mm = kNoData;        ///< precipitation total, mm/month
  double wet_days = kNoData;         ///< days with precipitation >= 0.1 mm, days/month
  double pan20_mm = kNoData;         ///< 20 cm pan evaporation, mm/month
  double e601_mm = kNoData;          ///< E601 pan evaporation, mm/month (warm months only)
  double rh_pct = kNoData;           ///< mean relative humidity, %
  double wind_m_s = kNoData;         ///< mean wind speed at 10 m, m/s
  double sunshine_h = kNoData;       ///< sunshine duration, h/month
  double pressure_hPa = kNoData;     ///< station pressure, hPa
};

/// A station's twelve monthly normals (index 0 = January).
struct StationNormals {
  int station_id = 0;
  std::string name;
  double latitude_deg = kNoData;
  double longitude_deg = kNoData;
  double elevation_m = kNoData;
  std::array<MonthlyNormal, 12> month{};
};

/// A station's daily record over consecutive days (day i is first_day + i, days since
/// 1970-01-01). All vectors have the same length; NaN = missing or rejected by QC.
struct DailyRecord {
  int station_id = 0;
  double latitude_deg = kNoData;
  double elevation_m = kNoData;
  std::int64_t first_day = 0;
  std::vector<double> tmean_C, tmax_C, tmin_C;  ///< °C
  std::vector<double> rh_pct;                    ///< mean relative humidity, %
  std::vector<double> wind_m_s;                  ///< mean wind speed at 10 m, m/s
  std::vector<double> sunshine_h;                ///< sunshine duration, h
  std::vector<double> precip_mm;                 ///< precipitation, mm/d (20–20 h)
  std::vector<std::string> qc_notes;             ///< one line per value rejected by QC
  /// Number of days.
  std::size_t size() const { return precip_mm.size(); }
};

/// Monthly values of one 0.5° grid cell; vectors parallel to GridRecord::year/month.
struct GridCell {
  double longitude_deg = kNoData;  ///< cell centre
  double latitude_deg = kNoData;   ///< cell centre
  std::vector<double> precip_mm;   ///< monthly total, mm
  std::vector<double> tmean_C, tmax_C, tmin_C;  ///< monthly means, °C (NaN where missing)
};

/// The CMA 0.5° monthly grid over consecutive months for a few cells.
struct GridRecord {
  std::vector<int> year;   ///< calendar year of each month
  std::vector<int> month;  ///< 1..12
  std::vector<GridCell> cells;
};

/// Observed monthly values at one point (e.g. the lake centre interpolated from the grid);
/// used to replace generated months by observed ones. NaN = not observed.
struct ObservedMonth {
  int year = 0;
  int month = 0;
  double precip_mm = kNoData;
  double tmean_C = kNoData, tmax_C = kNoData, tmin_C = kNoData;
};

}  // namespace daihai::forcing
