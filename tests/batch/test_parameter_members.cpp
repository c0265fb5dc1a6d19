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
             "[scenario]\nstart = 1955-01-01\nend = 1959-12-31\ninputs = \"inputs\"\nintegrator = \"rk4\"\n");
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
