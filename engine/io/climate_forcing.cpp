#include "io/climate_forcing.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "forcing/derive_forcing.hpp"
#include "forcing/weather_generator.hpp"
#include "io/climate_inputs.hpp"
#include "io/result_sink.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

namespace {

// The climate of a lake, shared read-only by the forcing builder of every run: its site
// constants (when the folder has them) and, for generated weather, the fitted generator.
struct Climate {
  std::string site_path;
  bool have_site = false;
  bool have_generator = false;
  ClimateSite site;
  forcing::GeneratorParameters generator;
  std::vector<forcing::ObservedMonth> observed;  // 2006–2015 gridded months at the lake
  std::array<double, 12> offsets{};               // grid-to-lake temperature offsets
};

// The days [first_day, first_day + n) of a forcing CSV; throws when it does not cover them.
forcing::DailyForcing forcing_from_csv(const std::string& path, const Climate& c, std::int64_t first_day, std::int64_t n) {
  const ForcingCsv csv = read_forcing_csv(path);
  if (!c.have_site && (csv.has_penman_inputs || !csv.weather.tmean_C.empty()))
    throw core::InputError(c.site_path, 0, "",
                           fmt::format("the forcing file {} gives temperatures: its Penman evaporation, land PET and ice rule need the "
                                       "lake's site constants in this file",
                                       path));
  const std::int64_t have0 = csv.weather.first_day;
  const auto have_n = static_cast<std::int64_t>(csv.weather.size());
  if (first_day < have0 || first_day + n > have0 + have_n)
    throw core::InputError(path, 0, "date",
                           fmt::format("the file covers {} to {}, the run needs {} to {}", core::format_date(core::date_of(have0)),
                                       core::format_date(core::date_of(have0 + have_n - 1)),
                                       core::format_date(core::date_of(first_day)),
                                       core::format_date(core::date_of(first_day + n - 1))));
  const auto a = static_cast<std::size_t>(first_day - have0), b = a + static_cast<std::size_t>(n);
  auto cut = [&](const std::vector<double>& v) {
    return v.empty() ? std::vector<double>{} : std::vector<double>(v.begin() + a, v.begin() + b);
  };
  if (csv.has_penman_inputs) {
    forcing::DailyWeather w;
    w.first_day = first_day;
    w.precip_mm = cut(csv.weather.precip_mm);
    w.tmean_C = cut(csv.weather.tmean_C);
    w.tmax_C = cut(csv.weather.tmax_C);
    w.tmin_C = cut(csv.weather.tmin_C);
    w.rh_pct = cut(csv.weather.rh_pct);
    w.wind_m_s = cut(csv.weather.wind_m_s);
    w.sunshine_h = cut(csv.weather.sunshine_h);
    return forcing::derive_forcing(w, c.site.site);
  }
  // Evaporation given directly: land PET from Oudin where temperature is given, else the open-water
  // evaporation times the Oudin/Penman ratio of the fitted climate (642/1155 mm/a ≈ 0.56, see
  // inputs/SOURCES.md, climate section).
  return forcing::forcing_from_evaporation(first_day, cut(csv.weather.precip_mm), cut(csv.evap_mm), cut(csv.weather.tmean_C),
                                           c.site.site, c.site.ice, 0.56);
}

// Fits the weather generator to the records of `dir` (Daihai's station normals, a daily station
// record and the gridded months) and adds their checksums.
void fit_generator(Climate& climate, const fs::path& dir, scenario::LakeInputs& in) {
  Climate* c = &climate;
  const std::string normals = (dir / "cma_normals_1981-2010_monthly_4stations.csv").string();
  const std::string daily = (dir / "hohhot_53463_daily_2014-2021.csv").string();
  const std::string grid = (dir / "cma_grid0.5_monthly_daihai_cells_2006-2015.csv").string();
  const auto stations = read_station_normals(normals);
  // Seasonal means: Jining 53480 and Youyu 53478, the two nearest basic stations (~64 km);
  // daily structure: Hohhot 53463 (inputs/SOURCES.md, climate section).
  std::vector<forcing::StationNormals> fit;
  const forcing::StationNormals* hohhot = nullptr;
  for (const auto& s : stations) {
    if (s.station_id == 53480 || s.station_id == 53478) fit.push_back(s);
    if (s.station_id == 53463) hohhot = &s;
  }
  if (fit.size() != 2 || hohhot == nullptr)
    throw core::InputError(normals, 0, "station_id", "expected the normals of Jining 53480, Youyu 53478 and Hohhot 53463");
  const auto record = read_daily_record(daily, 53463, hohhot->latitude_deg, hohhot->elevation_m);
  in.notes.insert(in.notes.end(), record.qc_notes.begin(), record.qc_notes.end());
  const auto grid_record = read_grid_record(grid);
  c->observed = forcing::interpolate_grid(grid_record, c->site.site.latitude_deg, c->site.longitude_deg);
  forcing::FitOptions opt;
  opt.latitude_deg = c->site.site.latitude_deg;
  opt.target_elevation_m = c->site.site.elevation_m;
  opt.lapse_rate_K_per_m = c->site.lapse_rate_K_per_m;
  opt.wet_threshold_mm = c->site.wet_threshold_mm;
  c->generator = forcing::fit_generator(fit, record, {forcing::annual_precip_totals(c->observed), forcing::annual_precip_totals(record)},
                                        opt);
  c->offsets = forcing::temperature_offsets(c->observed, c->generator);
  c->have_generator = true;
  for (const auto& f : {normals, daily, grid}) in.checksums[f] = file_checksum(f);
}

}  // namespace

void attach_climate(scenario::LakeInputs& in, bool generator) {
  const fs::path dir = fs::path(in.dir) / "climate";
  const std::string site = (dir / "site.csv").string();
  auto c = std::make_shared<Climate>();
  c->site_path = site;
  c->have_site = fs::exists(site);
  if (c->have_site) {
    c->site = read_climate_site(site);
    in.checksums[site] = file_checksum(site);
  } else if (generator) {
    throw core::InputError(site, 0, "", "the weather generator needs the lake's site constants (or use [climate] source = \"csv\")");
  }
  if (generator) fit_generator(*c, dir, in);
  in.forcing = [c](const scenario::ClimateSpec& spec, std::int64_t first_day, std::int64_t n) {
    if (spec.source == scenario::ClimateSpec::Source::csv) return forcing_from_csv(spec.csv_path, *c, first_day, n);
    if (!c->have_generator) throw std::logic_error("generated weather asked of inputs loaded for forcing files only");
    const bool ramp = spec.delta_ramp_last_year > spec.delta_ramp_first_year;
    const std::int64_t ramp_first = ramp ? core::day_number({spec.delta_ramp_first_year, 1, 1}) : 0;
    const std::int64_t ramp_last = ramp ? core::day_number({spec.delta_ramp_last_year, 12, 31}) : 0;
    forcing::DailyWeather w = forcing::generate(c->generator, first_day, n, spec.seed, spec.member,
                                                forcing::ClimateDelta{spec.delta_t_C, spec.delta_p_pct, ramp_first, ramp_last});
    if (spec.observed_months) forcing::apply_observed_months(w, c->observed, c->offsets);
    return forcing::derive_forcing(w, c->site.site);
  };
}

}  // namespace daihai::io
