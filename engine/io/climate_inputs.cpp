#include "io/climate_inputs.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "io/csv.hpp"

namespace daihai::io {

namespace {

double ddmm_to_deg(double v) {
  const double deg = std::trunc(v / 100.0);
  return deg + (v - 100.0 * deg) / 60.0;
}

double opt_num(const CsvTable& t, std::size_t r, std::size_t c) {
  auto v = t.optional_number(r, c);
  return v ? *v : forcing::kNoData;
}

// An optional value that, when given, must lie in [lo, hi] (plausible physical range; a value
// outside it is a typing or unit error in the file, not weather).
double opt_in_range(const CsvTable& t, std::size_t r, std::size_t c, double lo, double hi, const char* unit) {
  const double v = opt_num(t, r, c);
  if (!std::isnan(v) && !(v >= lo && v <= hi))
    throw core::InputError(t.path(), t.line_of(r), t.header()[c], fmt::format("{} {} is outside the plausible range {} .. {} {}", v, unit, lo, hi, unit));
  return v;
}

// Plausible ranges of monthly and daily station values (°C, %, m/s, h, hPa, mm per month).
constexpr double kTempLo = -60.0, kTempHi = 50.0;

std::int64_t parse_day(const CsvTable& t, std::size_t r, std::size_t c) {
  try {
    return core::day_number(core::parse_date(t.text(r, c)));
  } catch (const std::invalid_argument&) {
    throw core::InputError(t.path(), t.line_of(r), t.header()[c],
                           fmt::format("expected a date YYYY-MM-DD, found '{}'", t.text(r, c)));
  }
}

void check_consecutive(const CsvTable& t, std::size_t r, std::size_t c, std::int64_t prev, std::int64_t day) {
  if (day == prev + 1) return;
  if (day > prev + 1)
    throw core::InputError(t.path(), t.line_of(r), t.header()[c],
                           fmt::format("missing day {} (dates must be consecutive; this row is {})",
                                       core::format_date(core::date_of(prev + 1)), t.text(r, c)));
  throw core::InputError(t.path(), t.line_of(r), t.header()[c],
                         fmt::format("date {} repeats or goes back (previous row is {})", t.text(r, c),
                                     core::format_date(core::date_of(prev))));
}

}  // namespace

std::vector<forcing::StationNormals> read_station_normals(const std::string& path) {
  const CsvTable t = CsvTable::read(path);
  const auto c_id = t.column("station_id"), c_name = t.column("station"), c_lat = t.column("lat_ddmm"),
             c_lon = t.column("lon_dddmm"), c_elev = t.column("elev_m"), c_month = t.column("month");
  const auto c_t = t.column("tmean_C"), c_tx = t.column("tmax_C"), c_tn = t.column("tmin_C"),
             c_p = t.column("precip_mm"), c_wd = t.column("wet_days_ge0.1mm"),
             c_pan = t.column("pan_evap_small_20cm_mm"), c_e601 = t.column("pan_evap_large_E601_mm"),
             c_rh = t.column("rh_pct"), c_u = t.column("wind_m_s"), c_sun = t.column("sunshine_h"),
             c_pr = t.column("station_pressure_hPa");
  std::vector<forcing::StationNormals> out;
  std::map<int, std::size_t> index;
  std::map<int, std::set<int>> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const int id = static_cast<int>(t.integer(r, c_id));
    const long long m = t.integer(r, c_month);
    if (m < 1 || m > 12) throw core::InputError(path, t.line_of(r), "month", "expected 1..12");
    const double lat = ddmm_to_deg(t.number(r, c_lat)), lon = ddmm_to_deg(t.number(r, c_lon)),
                 elev = t.number(r, c_elev);
    auto it = index.find(id);
    if (it == index.end()) {
      forcing::StationNormals s;
      s.station_id = id;
      s.name = t.text(r, c_name);
      s.latitude_deg = lat;
      s.longitude_deg = lon;
      s.elevation_m = elev;
      it = index.emplace(id, out.size()).first;
      out.push_back(s);
    } else if (out[it->second].latitude_deg != lat || out[it->second].elevation_m != elev) {
      throw core::InputError(path, t.line_of(r), "elev_m", "station metadata differ between rows");
    }
    if (!seen[id].insert(static_cast<int>(m)).second)
      throw core::InputError(path, t.line_of(r), "month", fmt::format("station {}: month {} repeated", id, m));
    auto& n = out[it->second].month[m - 1];
    n.tmean_C = opt_in_range(t, r, c_t, kTempLo, kTempHi, "degC");
    n.tmax_C = opt_in_range(t, r, c_tx, kTempLo, kTempHi, "degC");
    n.tmin_C = opt_in_range(t, r, c_tn, kTempLo, kTempHi, "degC");
    n.precip_mm = opt_in_range(t, r, c_p, 0.0, 2000.0, "mm");
    n.wet_days = opt_in_range(t, r, c_wd, 0.0, 31.0, "d");
    n.pan20_mm = opt_in_range(t, r, c_pan, 0.0, 1000.0, "mm");
    n.e601_mm = opt_in_range(t, r, c_e601, 0.0, 1000.0, "mm");
    n.rh_pct = opt_in_range(t, r, c_rh, 0.0, 100.0, "%");
    n.wind_m_s = opt_in_range(t, r, c_u, 0.0, 60.0, "m/s");
    n.sunshine_h = opt_in_range(t, r, c_sun, 0.0, 24.0 * 31.0, "h");
    n.pressure_hPa = opt_in_range(t, r, c_pr, 300.0, 1100.0, "hPa");
  }
  for (const auto& [id, months] : seen)
    if (months.size() != 12) throw core::InputError(path, 0, "month", fmt::format("station {}: not 12 months", id));
  return out;
}

forcing::DailyRecord read_daily_record(const std::string& path, int station_id, double latitude_deg,
                                       double elevation_m) {
  const CsvTable t = CsvTable::read(path);
  const auto c_date = t.column("date"), c_t = t.column("tmean_C"), c_tx = t.column("tmax_C"),
             c_tn = t.column("tmin_C"), c_rh = t.column("rh_mean_pct"), c_u = t.column("wind_mean_m_s"),
             c_sun = t.column("sunshine_h"), c_p = t.column("precip_mm");
  if (t.rows() == 0) throw core::InputError(path, 0, "date", "no data rows");
  forcing::DailyRecord d;
  d.station_id = station_id;
  d.latitude_deg = latitude_deg;
  d.elevation_m = elevation_m;
  std::int64_t prev = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::int64_t day = parse_day(t, r, c_date);
    if (r == 0) d.first_day = day; else check_consecutive(t, r, c_date, prev, day);
    prev = day;
    double T = opt_num(t, r, c_t), Tx = opt_num(t, r, c_tx), Tn = opt_num(t, r, c_tn), rh = opt_num(t, r, c_rh),
           u = opt_num(t, r, c_u), sun = opt_num(t, r, c_sun), p = opt_num(t, r, c_p);
    auto reject = [&](double& v, const char* col, const std::string& why) {
      d.qc_notes.push_back(fmt::format("{}:{}: {} = {} rejected: {}", path, t.line_of(r), col, v, why));
      v = forcing::kNoData;
    };
    const double N = physics::daylight_hours(latitude_deg, core::day_of_year(core::date_of(day)));
    if (sun < 0 || sun > N + 0.05) reject(sun, "sunshine_h", fmt::format("outside 0..N = {:.2f} h", N));
    if (rh < 0 || rh > 100) reject(rh, "rh_mean_pct", "outside 0..100 %");
    if (u < 0) reject(u, "wind_mean_m_s", "negative");
    if (p < 0) reject(p, "precip_mm", "negative");
    for (auto [v, col] : {std::pair<double*, const char*>{&T, "tmean_C"}, {&Tx, "tmax_C"}, {&Tn, "tmin_C"}})
      if (!std::isnan(*v) && !(*v >= kTempLo && *v <= kTempHi)) reject(*v, col, "outside -60..50 degC");
    if (Tn > Tx) {
      reject(Tx, "tmax_C", "below tmin");
      Tn = forcing::kNoData;
    }
    d.tmean_C.push_back(T);
    d.tmax_C.push_back(Tx);
    d.tmin_C.push_back(Tn);
    d.rh_pct.push_back(rh);
    d.wind_m_s.push_back(u);
    d.sunshine_h.push_back(sun);
    d.precip_mm.push_back(p);
  }
  return d;
}

forcing::GridRecord read_grid_record(const std::string& path) {
  const CsvTable t = CsvTable::read(path);
  const auto c_y = t.column("year"), c_m = t.column("month");
  forcing::GridRecord g;
  struct Cols { std::size_t p, tm, tx, tn; };
  std::vector<Cols> cols;
  const std::regex re(R"(precip_mm_c([0-9.]+)E_([0-9.]+)N)");
  for (const auto& h : t.header()) {
    std::smatch mt;
    if (!std::regex_match(h, mt, re)) continue;
    const std::string id = h.substr(std::string("precip_mm_").size());
    forcing::GridCell c;
    c.longitude_deg = std::stod(mt[1].str());
    c.latitude_deg = std::stod(mt[2].str());
    cols.push_back({t.column(h), t.column("tmean_C_" + id), t.column("tmax_C_" + id), t.column("tmin_C_" + id)});
    g.cells.push_back(c);
  }
  if (g.cells.empty()) throw core::InputError(path, 0, "precip_mm_c<lon>E_<lat>N", "no grid cell columns");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const long long y = t.integer(r, c_y), m = t.integer(r, c_m);
    if (m < 1 || m > 12) throw core::InputError(path, t.line_of(r), "month", "expected 1..12");
    if (r > 0) {
      const long long py = g.year.back(), pm = g.month.back();
      const bool next = (m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1);
      if (!next) throw core::InputError(path, t.line_of(r), "month", "months must be consecutive");
    }
    g.year.push_back(static_cast<int>(y));
    g.month.push_back(static_cast<int>(m));
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const double p = t.number(r, cols[k].p);
      if (p < 0) throw core::InputError(path, t.line_of(r), t.header()[cols[k].p], "negative precipitation");
      if (p > 2000.0) throw core::InputError(path, t.line_of(r), t.header()[cols[k].p], fmt::format("{} mm in a month is not plausible", p));
      g.cells[k].precip_mm.push_back(p);
      g.cells[k].tmean_C.push_back(opt_in_range(t, r, cols[k].tm, kTempLo, kTempHi, "degC"));
      g.cells[k].tmax_C.push_back(opt_in_range(t, r, cols[k].tx, kTempLo, kTempHi, "degC"));
      g.cells[k].tmin_C.push_back(opt_in_range(t, r, cols[k].tn, kTempLo, kTempHi, "degC"));
    }
  }
  return g;
}

ClimateSite read_climate_site(const std::string& path) {
  const CsvTable t = CsvTable::read(path);
  const auto c_key = t.column("key"), c_val = t.column("value");
  ClimateSite s;
  double ice_window = forcing::kNoData;
  double ice_threshold = forcing::kNoData;
  std::map<std::string, double*> slots{
      {"latitude_deg", &s.site.latitude_deg},   {"longitude_deg", &s.longitude_deg},
      {"elevation_m", &s.site.elevation_m},     {"albedo", &s.site.albedo},
      {"angstrom_a", &s.site.angstrom_a},       {"angstrom_b", &s.site.angstrom_b},
      {"wind_height_m", &s.site.wind_height_m}, {"wind_function_area_km2", &s.site.wind_function_area_km2},
      {"lapse_rate_K_per_m", &s.lapse_rate_K_per_m},
      {"wet_threshold_mm", &s.wet_threshold_mm}, {"e601_to_open_water", &s.e601_to_open_water},
      {"ice_window_days", &ice_window},         {"ice_threshold_C", &ice_threshold}};
  std::map<std::string, int> line_of_key;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& key = t.text(r, c_key);
    auto it = slots.find(key);
    if (it == slots.end()) throw core::InputError(path, t.line_of(r), key, "unknown key");
    if (!line_of_key.emplace(key, t.line_of(r)).second) throw core::InputError(path, t.line_of(r), key, "repeated key");
    *it->second = t.number(r, c_val);
  }
  for (const auto& [key, ptr] : slots)
    if (!line_of_key.count(key)) throw core::InputError(path, 0, key, "required key missing");
  const auto line = [&](const std::string& key) { return line_of_key.at(key); };
  try {
    physics::validate(s.site, path.c_str());
  } catch (const core::InputError& e) {  // name the row that set the value
    throw core::InputError(path, line_of_key.count(e.key()) ? line(e.key()) : 0, e.key(), e.message());
  }
  if (!(s.lapse_rate_K_per_m >= 0 && s.lapse_rate_K_per_m < 0.02))
    throw core::InputError(path, line("lapse_rate_K_per_m"), "lapse_rate_K_per_m", "expected 0..0.02 K/m");
  if (!(s.wet_threshold_mm > 0)) throw core::InputError(path, line("wet_threshold_mm"), "wet_threshold_mm", "expected > 0");
  if (!(s.e601_to_open_water > 0 && s.e601_to_open_water <= 1.5))
    throw core::InputError(path, line("e601_to_open_water"), "e601_to_open_water", "expected 0..1.5");
  if (!(ice_window >= 1 && ice_window <= 90 && ice_window == std::trunc(ice_window)))
    throw core::InputError(path, line("ice_window_days"), "ice_window_days", "expected a whole number 1..90");
  s.ice.window_days = static_cast<int>(ice_window);
  s.ice.threshold_C = ice_threshold;
  return s;
}

ForcingCsv read_forcing_csv(const std::string& path) {
  const CsvTable t = CsvTable::read(path);
  ForcingCsv f;
  const auto c_date = t.column("date"), c_p = t.column("precip_mm");
  const auto c_e = t.find_column("evap_mm");
  f.has_evaporation = c_e.has_value();
  std::optional<std::size_t> c_t, c_tx, c_tn, c_rh, c_u, c_sun;
  if (f.has_evaporation) {
    c_t = t.find_column("tmean_C");
  } else {
    c_t = t.column("tmean_C"); c_tx = t.column("tmax_C"); c_tn = t.column("tmin_C");
    c_rh = t.column("rh_pct"); c_u = t.column("wind_m_s"); c_sun = t.column("sunshine_h");
    f.has_penman_inputs = true;
  }
  if (t.rows() == 0) throw core::InputError(path, 0, "date", "no data rows");
  auto& w = f.weather;
  std::int64_t prev = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::int64_t day = parse_day(t, r, c_date);
    if (r == 0) w.first_day = day; else check_consecutive(t, r, c_date, prev, day);
    prev = day;
    // Physically possible daily values (the world's daily records lie inside these bounds).
    auto in_range = [&](std::size_t c, double lo, double hi, const char* what) {
      const double v = t.number(r, c);
      if (v < lo || v > hi)
        throw core::InputError(path, t.line_of(r), t.header()[c], fmt::format("{} {} outside the possible range {} .. {}", what, v, lo, hi));
      return v;
    };
    w.precip_mm.push_back(in_range(c_p, 0.0, 2000.0, "precipitation (mm/d)"));
    if (c_e) f.evap_mm.push_back(in_range(*c_e, 0.0, 30.0, "evaporation (mm/d)"));
    if (c_t) w.tmean_C.push_back(in_range(*c_t, -80.0, 60.0, "temperature (degC)"));
    if (f.has_penman_inputs) {
      const double tx = in_range(*c_tx, -80.0, 60.0, "temperature (degC)"), tn = in_range(*c_tn, -80.0, 60.0, "temperature (degC)");
      if (tn > tx) throw core::InputError(path, t.line_of(r), "tmin_C", "tmin_C above tmax_C");
      // A day's mean lies between its extremes (0.05 degC for rounding): another value is a typing error.
      if (c_t && !(w.tmean_C.back() >= tn - 0.05 && w.tmean_C.back() <= tx + 0.05))
        throw core::InputError(path, t.line_of(r), "tmean_C",
                               fmt::format("{} degC lies outside the day's tmin_C .. tmax_C ({} .. {} degC)", w.tmean_C.back(), tn, tx));
      w.tmax_C.push_back(tx);
      w.tmin_C.push_back(tn);
      const double rh = t.number(r, *c_rh);
      if (rh < 0 || rh > 100) throw core::InputError(path, t.line_of(r), "rh_pct", "expected 0..100 %");
      w.rh_pct.push_back(rh);
      w.wind_m_s.push_back(in_range(*c_u, 0.0, 75.0, "wind speed (m/s)"));
      w.sunshine_h.push_back(in_range(*c_sun, 0.0, 24.0, "sunshine (h)"));
    }
  }
  return f;
}

}  // namespace daihai::io
