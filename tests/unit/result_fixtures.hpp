#pragma once
// Hand-made RunResults for the output and verification tests.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/run_result.hpp"

namespace daihai::test {

/// A unique path under the build tree for one test's files (the directory is created).
/// Areas in km² → m² (the annual datasets are SI).
inline std::vector<double> km2(std::vector<double> v) {
  for (auto& x : v) x *= 1e6;
  return v;
}

inline std::string scratch_path(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(DAIHAI_BINARY_DIR) / "test_scratch";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

/// A successful run over `years` with annual area_m2, level_m, tds_g_per_L as given (one value
/// per year), a 3-interval series and two states.
inline scenario::RunResult make_run(const std::string& scenario, int climate, int parameter, const std::vector<int>& years,
                                    const std::vector<double>& area_m2, const std::vector<double>& level_m,
                                    const std::vector<double>& tds) {
  scenario::RunResult r;
  r.scenario = scenario;
  r.measures = {{"yellow_river", scenario != "baseline"}, {"pumping_cap", false}};
  r.climate_member = climate;
  r.parameter_member = parameter;
  r.ok = true;
  r.initial = {{"volume_m3", "m3", "lake volume", 1.0e8 + climate}, {"salt_kg", "kg", "dissolved salt", 2.0e9}};
  r.final = {{"volume_m3", "m3", "lake volume", 0.9e8 + climate}, {"salt_kg", "kg", "dissolved salt", 2.1e9}};
  r.years = years;
  r.annual = {{"area_m2", "m2", "lake area", scenario::Aggregation::mean, area_m2, ""},
              {"level_m", "m", "lake level", scenario::Aggregation::mean, level_m, ""},
              {"tds_g_per_L", "g/L", "total dissolved solids", scenario::Aggregation::mean, tds, ""}};
  r.series_start_day = {16436, 16467, 16495};  // 2015-01-01, 2015-02-01, 2015-03-01
  r.series_end_day = {16466, 16494, 16525};
  r.series = {{"evaporation_m3", "m3", "open-water evaporation", scenario::Aggregation::total,
               {1.0 + climate, 2.0, 3.0}, "lake_water"},
              {"volume_m3", "m3", "lake volume", scenario::Aggregation::mean, {5.0, 6.0, 7.5 + parameter}, ""}};
  r.water_residual_m3 = 1e-3 * (climate + 1);
  r.salt_residual_kg = -2e-3;
  r.steps = 100 + static_cast<std::uint64_t>(climate);
  r.rejected_steps = 3;
  return r;
}

/// A failed run: identity and error only.
inline scenario::RunResult make_failed(const std::string& scenario, int climate, int parameter,
                                       const std::string& error) {
  scenario::RunResult r;
  r.scenario = scenario;
  r.measures = {{"yellow_river", scenario != "baseline"}, {"pumping_cap", false}};
  r.climate_member = climate;
  r.parameter_member = parameter;
  r.ok = false;
  r.error = error;
  return r;
}

}  // namespace daihai::test
