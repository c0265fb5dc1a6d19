// The example scenarios run as shipped: the closed bowl from its own small lake folder (only the
// inputs of the processes it switches on are read), and the plan with each generic measure kind.
#include <catch2/catch.hpp>

#include <filesystem>

#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai;
using namespace daihai::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kExamples = fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "examples";

Outcome run_example(const ScratchDir& d, const fs::path& scenario, const std::string& out) {
  return run_daihai(d.path, "run " + quoted(scenario) + " -o " + quoted(d.path / out) + " -q");
}

}  // namespace

TEST_CASE("the closed bowl runs from its own folder, reading only what its processes need", "[examples][bowl]") {
  ScratchDir d("bowl");
  const Outcome o = run_example(d, kExamples / "closed_bowl" / "closed_bowl.toml", "bowl.h5");
  INFO(o.err);
  REQUIRE(o.status == 0);
  auto f = io::hdf5::File::open((d.path / "bowl.h5").string());
  const std::string checksums = f.string_attribute("input_checksums");
  INFO(checksums);
  CHECK(checksums.find("closed_bowl/lake/parameters.toml") != std::string::npos);
  CHECK(checksums.find("closed_bowl/lake/hypsometry.csv") != std::string::npos);
  CHECK(checksums.find("climate") == std::string::npos);          // no weather generator was fitted
  CHECK(checksums.find("water_use_history") == std::string::npos);
  CHECK(checksums.find("inputs/daihai") == std::string::npos);
  auto annual = f.open_group("annual");
  for (const char* v : {"lake_precipitation_m3", "lake_evaporation_m3", "scenario_inflow_m3", "level_m"}) CHECK(annual.exists(v));
  for (const char* v : {"aquifer_storage_m3", "catchment_runoff_m3", "pumping_towns_m3"}) CHECK_FALSE(annual.exists(v));
}

TEST_CASE("the plan with each generic measure kind runs and writes the measure's flux", "[examples][measures]") {
  ScratchDir d("measure_examples");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"reclaimed_water.toml", "inflow_reclaimed_water_m3"},
      {"river_dredging.toml", "catchment_runoff_m3"},
      {"irrigation_well_cap.toml", "irrigation_well_cap_reduction_m3"}};
  for (const auto& [file, variable] : cases) {
    INFO(file);
    const Outcome o = run_example(d, kExamples / file, file + ".h5");
    INFO(o.err);
    REQUIRE(o.status == 0);
    auto f = io::hdf5::File::open((d.path / (file + ".h5")).string());
    CHECK(f.open_group("annual").exists(variable));
  }
}
