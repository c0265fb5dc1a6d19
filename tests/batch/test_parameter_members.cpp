// Parameter members: a batch with `parameter_members` runs every combination with each row of
// the inputs' parameter ensemble, records the member in /runs, and the members differ.
#include <catch2/catch.hpp>

#include <filesystem>

#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai::testing;
namespace fs = std::filesystem;

TEST_CASE("a batch with parameter members runs each ensemble row and records its member", "[batch][ensemble]") {
  ScratchDir d("parameter_members", true);
  write_text(d.path / "inputs" / "parameter_ensemble.csv",
             "# two parameter sets\nmember,objective,evaporation_multiplier,gr4j_x1_mm\n0,1.0,0.70,400\n7,2.0,0.95,250\n");
  write_text(d.path / "b.toml",
             "[batch]\nname = \"b\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"list\"\nlist = [[\"cooling_retrofit\"]]\n"
             "members = 2\nparameter_members = \"all\"\n"
             "[scenario]\nstart = 1955-01-01\nend = 1959-12-31\ninputs = \"inputs\"\nintegrator = \"rk4\"\n[climate]\nseed = 1\n");
  const Outcome o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "out.h5") + " -q");
  INFO(o.err);
  REQUIRE(o.status == 0);
  const auto f = daihai::io::hdf5::File::open((d.path / "out.h5").string());
  const auto pm = f.open_group("runs").open_dataset("parameter_member").read_int64();
  const auto cm = f.open_group("runs").open_dataset("climate_member").read_int64();
  REQUIRE(pm == std::vector<std::int64_t>{0, 0, 7, 7});
  REQUIRE(cm == std::vector<std::int64_t>{0, 1, 0, 1});
  const auto level = f.open_group("final").open_dataset("level_m").read_double();
  CHECK(level[0] != level[2]);  // same climate member, other parameters
  CHECK(level[1] != level[3]);

  // A parameter the engine does not declare, or a value outside its valid range, is bad input.
  write_text(d.path / "inputs" / "parameter_ensemble.csv", "member,evaporation_multiplier\n0,7.5\n");
  const Outcome bad = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "bad.h5") + " -q");
  CHECK(bad.status == 1);
  CHECK(bad.err.find("parameter_ensemble.csv:2") != std::string::npos);
  CHECK(bad.err.find("evaporation_multiplier") != std::string::npos);
  CHECK(!fs::exists(d.path / "bad.h5"));
}

TEST_CASE("uncertain measure design values: members sample them, /runs records each run's, bad columns are input errors",
          "[batch][ensemble][design]") {
  ScratchDir d("design_members", true);
  write_text(d.path / "inputs" / "parameter_ensemble.csv",
             "member,evaporation_multiplier,yellow_river_diversion.delivery_fraction,well_sealing.yield_m3_per_well_a\n"
             "0,0.80,0.45,12000\n3,0.85,0.95,55000\n");
  write_text(d.path / "b.toml",
             "[batch]\nname = \"b\"\nmeasures = [\"yellow_river_diversion\", \"well_sealing\"]\ncombinations = \"all\"\n"
             "members = 1\nparameter_members = \"all\"\n"
             "[scenario]\nstart = 2020-01-01\nend = 2024-12-31\ninputs = \"inputs\"\nintegrator = \"rk4\"\n[climate]\nseed = 1\n");
  const Outcome o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "out.h5") + " -q");
  INFO(o.err);
  REQUIRE(o.status == 0);
  const auto f = daihai::io::hdf5::File::open((d.path / "out.h5").string());
  const auto runs = f.open_group("runs");
  const auto pm = runs.open_dataset("parameter_member").read_int64();
  const auto yellow = runs.open_dataset("measure_yellow_river_diversion").read_int8();
  const auto wells = runs.open_dataset("measure_well_sealing").read_int8();
  const auto delivery = runs.open_dataset("design_yellow_river_diversion.delivery_fraction").read_double();
  const auto yield = runs.open_dataset("design_well_sealing.yield_m3_per_well_a").read_double();
  CHECK(runs.open_dataset("design_well_sealing.yield_m3_per_well_a").string_attribute("units") == "m3/a");
  REQUIRE(pm.size() == 8);  // 4 combinations x 2 members
  for (std::size_t r = 0; r < pm.size(); ++r) {
    INFO("run " << r);
    const bool first = pm[r] == 0;
    CHECK(delivery[r] == (yellow[r] ? (first ? 0.45 : 0.95) : daihai::io::hdf5::kFillDouble));
    CHECK(yield[r] == (wells[r] ? (first ? 12000.0 : 55000.0) : daihai::io::hdf5::kFillDouble));
  }
  // The two members deliver different volumes of Yellow River water in 2023.
  const auto div = f.open_group("annual").open_dataset("diversion_yellow_river_diversion_m3").read_double();
  const auto years = f.open_group("annual").open_dataset("year").read_int64();
  const std::size_t ny = years.size(), y2023 = 3;
  REQUIRE(years[y2023] == 2023);
  for (std::size_t r = 0; r < pm.size(); ++r)
    for (std::size_t q = 0; q < pm.size(); ++q)
      if (yellow[r] && yellow[q] && pm[r] == 0 && pm[q] == 3)
        CHECK(div[q * ny + y2023] / div[r * ny + y2023] == Approx(0.95 / 0.45).epsilon(1e-9));

  // A value outside the measure's plausible range (measures.toml) or a key without one is bad input.
  write_text(d.path / "inputs" / "parameter_ensemble.csv", "member,yellow_river_diversion.delivery_fraction\n0,0.2\n");
  Outcome bad = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "bad.h5") + " -q");
  CHECK(bad.status == 1);
  CHECK(bad.err.find("parameter_ensemble.csv:2") != std::string::npos);
  CHECK(bad.err.find("plausible range") != std::string::npos);
  write_text(d.path / "inputs" / "parameter_ensemble.csv", "member,yellow_river_diversion.flow_m3_per_s\n0,3.0\n");
  bad = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "bad.h5") + " -q");
  CHECK(bad.status == 1);
  CHECK(bad.err.find("yellow_river_diversion.flow_m3_per_s") != std::string::npos);
  CHECK(!fs::exists(d.path / "bad.h5"));
}
