// The program over a batch with a climate-delta axis: /runs records the deltas in run order, the
// target table has a row per combination and delta, and `daihai verify --quantiles` /
// `--by-year-csv` print and save the per-year statistics (exit 2 for a year outside the file).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai::testing;

namespace {

const char* kTargets = R"(plan_start = 2016
[[target]]
name = "area_70"
quantity = "area_m2"
statistic = "in_year"
operator = ">="
value = 70
unit = "km2"
from = 2030
to = 2030
source = "test"
)";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("verify prints and saves per-year quantiles of a batch with climate deltas", "[contract][verify_by_year]") {
  ScratchDir d("verify_by_year", true);
  write_text(d.path / "t.toml", kTargets);
  write_text(d.path / "b.toml",
             "[batch]\nname = \"b\"\nmeasures = [\"yellow_river_diversion\"]\ncombinations = \"all\"\nmembers = 1\n"
             "climate_deltas = [ { delta_t_C = 0.0 }, { delta_t_C = 1.5, delta_p_pct = -5.0 } ]\n"
             "[scenario]\nstart = 2015-01-01\nend = 2031-12-31\ninputs = \"inputs\"\nintegrator = \"rk4\"\n[climate]\nseed = 3\n");
  const auto h5 = d.path / "out.h5";
  const Outcome o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(h5) + " -q --targets " +
                                           quoted(d.path / "t.toml") + " --csv " + quoted(d.path / "table.csv"));
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(o.out.find("+1.5") != std::string::npos);

  const auto f = daihai::io::hdf5::File::open(h5.string());
  const auto runs = f.open_group("runs");
  // delta outer, combination inner: (0, baseline), (0, yellow), (1.5, baseline), (1.5, yellow)
  CHECK(runs.open_dataset("delta_t_C").read_double() == std::vector<double>{0.0, 0.0, 1.5, 1.5});
  CHECK(runs.open_dataset("delta_p_pct").read_double() == std::vector<double>{0.0, 0.0, -5.0, -5.0});
  CHECK(runs.open_dataset("scenario").read_strings() ==
        std::vector<std::string>{"baseline", "yellow_river_diversion", "baseline", "yellow_river_diversion"});
  CHECK(f.open_group("verification").open_dataset("delta_t_C").read_double() == std::vector<double>{0.0, 0.0, 1.5, 1.5});

  const auto csv = d.path / "by_year.csv";
  const Outcome v = run_daihai(d.path, "verify " + quoted(h5) + " --quantiles 2030,2031 --by-year-csv " + quoted(csv));
  INFO(v.err);
  REQUIRE(v.status == 0);
  CHECK(v.out.find("Per year") != std::string::npos);
  CHECK(v.out.find("area_70 by Y") != std::string::npos);
  const auto rows = lines_of(read_text(csv));
  // header + 4 scenarios x 17 years (2015..2031)
  REQUIRE(rows.size() == 1 + 4 * 17);
  CHECK(rows[0].rfind("scenario,delta_t_C,delta_p_pct,year,area_km2_p05,", 0) == 0);
  CHECK(rows[1].rfind("baseline,0,0,2015,", 0) == 0);
  CHECK(rows[1 + 3 * 17 + 16].rfind("yellow_river_diversion,1.5,-5,2031,", 0) == 0);

  // With one member every quantile is that member's annual mean: p05 = p95 = /annual/area_m2.
  const auto area = f.open_group("annual").open_dataset("area_m2").read_double();
  std::vector<std::string> cells;
  std::istringstream row(rows[1 + 2 * 17 + 15]);  // baseline at +1.5 degC, 2030 = run 2, year index 15
  for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
  REQUIRE(cells.size() > 8);
  CHECK(cells[3] == "2030");
  CHECK(std::stod(cells[4]) == Approx(area[2 * 17 + 15] * 1e-6).epsilon(1e-9));
  CHECK(std::stod(cells[8]) == Approx(area[2 * 17 + 15] * 1e-6).epsilon(1e-9));

  const Outcome bad = run_daihai(d.path, "verify " + quoted(h5) + " --quantiles 1990");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("1990") != std::string::npos);
  CHECK(bad.out.empty());
}
