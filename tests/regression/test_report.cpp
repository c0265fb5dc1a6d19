// The planner's report (`daihai report`) of a small factorial batch, in Chinese and English: the
// files are there, the figures' data equal what the results file holds, the CSV carries a BOM,
// the workbook opens in openpyxl with the same numbers and no NaN, the Chinese figures use the CJK
// font (no missing glyphs), and headless Chromium renders the page with its table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/verification.hpp"
#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai;
using namespace daihai::testing;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const char* kBatch =
    "[batch]\nname = \"report\"\nmeasures = [\"yongxing_diversion\", \"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 4\n"
    "[scenario]\nstart = 1955-01-01\nend = 2031-12-31\ninputs = \"INPUTS\"\nintegrator = \"rk4\"\n"
    "[climate]\nseed = 11\n"
    "[measures.yongxing_diversion]\nstart = 1958-01-01\n[measures.cooling_retrofit]\nstart = 1959-01-01\n"
    "[output]\nseries = \"none\"\n";

const char* kTargets =
    "plan_start = 1958\n"
    "[[target]]\nname = \"min_area\"\nquantity = \"area_m2\"\nstatistic = \"every_year\"\noperator = \">=\"\nvalue = 60\n"
    "unit = \"km2\"\nfrom = 2000\nto = 2031\nsource = \"test\"\n"
    "[[target]]\nname = \"area_2030\"\nquantity = \"area_m2\"\nstatistic = \"in_year\"\noperator = \">=\"\nvalue = 100\n"
    "unit = \"km2\"\nfrom = 2030\nto = 2030\nsource = \"test\"\n";

// Rows of a CSV file (no quoted commas in the files read here).
std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("the report of a factorial batch, in Chinese and English", "[regression][report]") {
  ScratchDir d("report", true);
  std::string batch = kBatch;
  batch.replace(batch.find("INPUTS"), 6, (fs::path(DAIHAI_SOURCE_DIR) / "inputs" / "daihai").string());
  write_text(d.path / "b.toml", batch);
  write_text(d.path / "targets.toml", kTargets);
  auto in = [&](const std::string& name) { return quoted(d.path / name); };
  const Outcome run = run_daihai(d.path, "batch " + in("b.toml") + " -o " + in("r.h5") + " -q --threads 2");
  INFO(run.err);
  REQUIRE(run.status == 0);

  for (const std::string lang : {"zh", "en"}) {
    INFO(lang);
    const Outcome rep = run_daihai(d.path, "report " + in("r.h5") + " -o " + in("rep_" + lang) + " --lang " + lang);
    INFO(rep.err);
    REQUIRE(rep.status == 0);
    CHECK_FALSE(contains(rep.err, "missing from current font"));  // the CJK font carries every glyph
    CHECK_FALSE(contains(rep.err, "findfont"));
    const fs::path dir = d.path / ("rep_" + lang);
    for (const char* f : {"index.html", "fan_area.png", "fan_level.png", "fan_tds.png", "share_by_year.png", "effects.png", "budget.png",
                          "ranked.csv", "effects.csv", "report.xlsx"}) {
      INFO(f);
      REQUIRE(fs::exists(dir / f));
      CHECK(fs::file_size(dir / f) > 200);
    }
    // The CSV opens in spreadsheet programs as UTF-8: it starts with a byte order mark.
    std::ifstream csv(dir / "ranked.csv", std::ios::binary);
    char bom[3] = {};
    csv.read(bom, 3);
    CHECK((static_cast<unsigned char>(bom[0]) == 0xEF && static_cast<unsigned char>(bom[1]) == 0xBB &&
           static_cast<unsigned char>(bom[2]) == 0xBF));
  }

  // The fan chart's median of the baseline in 1962 is the type 7 median of the members' /annual area.
  const auto f = io::hdf5::File::open((d.path / "r.h5").string());
  const auto scen = f.open_group("runs").open_dataset("scenario").read_strings();
  const auto years = f.open_group("annual").open_dataset("year").read_int64();
  const auto area = f.open_group("annual").open_dataset("area_m2").read_double();
  const std::size_t ny = years.size(), y = static_cast<std::size_t>(std::find(years.begin(), years.end(), 1962) - years.begin());
  std::vector<double> base;
  for (std::size_t r = 0; r < scen.size(); ++r)
    if (scen[r] == "baseline") base.push_back(area[r * ny + y] * 1e-6);
  REQUIRE(base.size() == 4);
  const double median = analysis::quantile_type7(base, 0.5);
  bool found = false;
  for (const auto& row : csv_rows(d.path / "rep_en" / "data" / "fan_area.csv"))
    if (row.size() == 7 && row[0] == "baseline" && row[1] == "1962") {
      found = true;
      CHECK(std::stod(row[4]) == Approx(median).epsilon(1e-12));
    }
  CHECK(found);

  // The workbook: the ranked sheet's joint probabilities are /verification's, and no cell is NaN.
  const auto joint = f.open_group("verification").open_dataset("all_targets_probability").read_double();
  write_text(d.path / "xl.py",
             "import openpyxl, math, sys\n"
             "wb = openpyxl.load_workbook(sys.argv[1])\n"
             "ws = wb[\"ranked\"]\n"
             "bad = [c.coordinate for r in ws.iter_rows() for c in r if isinstance(c.value, float) and not math.isfinite(c.value)]\n"
             "print(\"bad\", len(bad))\n"
             "print(\" \".join(\"%.12g\" % r[-1].value for r in ws.iter_rows(min_row=2)))\n");
  const Outcome xl = shell(d.path, "/usr/bin/python3 " + in("xl.py") + " " + in("rep_en/report.xlsx"));
  INFO(xl.err);
  REQUIRE(xl.status == 0);
  CHECK(contains(xl.out, "bad 0"));
  std::vector<double> from_xlsx;
  std::stringstream ss(xl.out.substr(xl.out.find('\n') + 1));
  for (double v; ss >> v;) from_xlsx.push_back(v);
  std::vector<double> expected(joint.begin(), joint.end());
  std::sort(expected.begin(), expected.end());
  std::sort(from_xlsx.begin(), from_xlsx.end());
  REQUIRE(from_xlsx.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(from_xlsx[i] == Approx(expected[i]).margin(1e-12));

  // Costs, when given: each combination's capital and annual cost, and its cost per km² gained by the
  // report year against the baseline: (capital + annual x years from the plan start) / area gained.
  write_text(d.path / "costs.csv",
             "measure,capital_wan_cny,annual_wan_cny_per_a,source\nyongxing_diversion,1000,10,test\ncooling_retrofit,3000,0,test\n");
  const Outcome costed = run_daihai(d.path, "report " + in("r.h5") + " -o " + in("rep_cost") + " --lang en --costs " + in("costs.csv"));
  INFO(costed.err);
  REQUIRE(costed.status == 0);
  {
    const auto rows = csv_rows(d.path / "rep_cost" / "ranked.csv");
    REQUIRE(rows.size() == 5);  // header and four combinations
    const std::size_t area_col = 4, cost_col = rows[0].size() - 1;
    double base_area = 0.0;
    for (const auto& row : rows)
      if (row[0] == "baseline (no measure)") base_area = std::stod(row[area_col]);
    const int first = static_cast<int>(f.open_group("verification").open_dataset("min_area_probability").int_attribute("first_year_from"));
    for (const auto& row : rows)
      if (row[0] == "full plan") {
        const double plan_years = 2030 - first + 1;
        const double cost_per_km2 = (1000.0 + 3000.0 + 10.0 * plan_years) / (std::stod(row[area_col]) - base_area);
        CHECK(std::stod(row[cost_col]) == Approx(cost_per_km2).margin(0.051));
      }
  }
  write_text(d.path / "bad_costs.csv", "measure,capital_wan_cny,annual_wan_cny_per_a,source\ndredging,1,1,x\n");
  const Outcome bad = run_daihai(d.path, "report " + in("r.h5") + " -o " + in("rep_bad") + " --costs " + in("bad_costs.csv"));
  CHECK(bad.status == 1);
  CHECK(contains(bad.err, "bad_costs.csv:2"));

  // The effects of the 2x2 design are in the report's data.
  const auto effects = csv_rows(d.path / "rep_en" / "data" / "effects.csv");
  CHECK(effects.size() > 1 + 3 * 2);

  // Headless Chromium renders the page: a screenshot that is not blank and the ranked table in the DOM.
  const std::string page = "file://" + (d.path / "rep_zh" / "index.html").string();
  const Outcome dom = shell(d.path, "chromium --headless --no-sandbox --disable-gpu --dump-dom " + daihai::testing::quoted(fs::path(page)));
  INFO(dom.err);
  REQUIRE(dom.status == 0);
  CHECK(contains(dom.out, "<table id=\"ranked\""));
  CHECK(contains(dom.out, "同时满足全部目标的概率"));
  const Outcome shot = shell(d.path, "chromium --headless --no-sandbox --disable-gpu --window-size=1200,1600 --screenshot=" +
                                         in("shot.png") + " " + daihai::testing::quoted(fs::path(page)));
  REQUIRE(fs::exists(d.path / "shot.png"));
  write_text(d.path / "px.py", "import matplotlib.image as m, sys\nprint(float(m.imread(sys.argv[1])[..., :3].std()))\n");
  const Outcome pixels = shell(d.path, "/usr/bin/python3 " + in("px.py") + " " + in("shot.png"));
  REQUIRE(pixels.status == 0);
  CHECK(std::stod(pixels.out) > 0.05);  // not a blank page
}

TEST_CASE("report refuses what it cannot draw", "[regression][report]") {
  ScratchDir d("report_bad", true);
  write_text(d.path / "not.h5", "not an HDF5 file");
  const Outcome o = run_daihai(d.path, "report " + quoted(d.path / "not.h5") + " -o " + quoted(d.path / "rep"));
  CHECK(o.status == 1);
  const Outcome lang = run_daihai(d.path, "report " + quoted(d.path / "not.h5") + " -o " + quoted(d.path / "rep") + " --lang fr");
  CHECK(lang.status == 2);
  write_text(d.path / "file", "x");
  const Outcome out = run_daihai(d.path, "report " + quoted(d.path / "not.h5") + " -o " + quoted(d.path / "file"));
  CHECK(out.status == 1);
}

TEST_CASE("design refuses what it cannot search, before anything runs", "[regression][design]") {
  ScratchDir d("design_bad", true);
  const std::string plan = quoted(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "daihai_plan.toml");
  const Outcome target = run_daihai(d.path, "design " + plan + " --target area_2040 --vary yellow_river_diversion.delivery_fraction");
  CHECK(target.status == 1);
  CHECK(contains(target.err, "no target 'area_2040'"));
  const Outcome key = run_daihai(d.path, "design " + plan + " --target area_2030 --vary yellow_river_diversion.flow_m3_per_s");
  CHECK(key.status == 1);
  CHECK(contains(key.err, "plausible range"));
  const Outcome off = run_daihai(d.path, "design " + plan + " --target area_2030 --scenario baseline --vary yellow_river_diversion.delivery_fraction");
  CHECK(off.status == 1);
  CHECK(contains(off.err, "not on in 'baseline'"));
  const Outcome form = run_daihai(d.path, "design " + plan + " --target area_2030 --vary delivery");
  CHECK(form.status == 2);  // a bad command line
  CHECK(contains(form.err, "<measure>.<key>"));
  const Outcome p = run_daihai(d.path, "design " + plan + " --target area_2030 --probability 1.5 --vary yellow_river_diversion.delivery_fraction");
  CHECK(p.status == 2);
}

TEST_CASE("a batch in a sub-folder finds the targets above it, and without any it says so", "[regression][report]") {
  ScratchDir d("targets_above", true);
  std::string batch = kBatch;
  batch.replace(batch.find("INPUTS"), 6, (fs::path(DAIHAI_SOURCE_DIR) / "inputs" / "daihai").string());
  fs::create_directories(d.path / "sub" / "deeper");
  write_text(d.path / "sub" / "deeper" / "b.toml", batch);
  const Outcome none = run_daihai(d.path, "batch " + quoted(d.path / "sub" / "deeper" / "b.toml") + " -o " + quoted(d.path / "n.h5"));
  CHECK(none.status == 0);
  CHECK(contains(none.err, "no targets.toml next to"));
  write_text(d.path / "targets.toml", kTargets);
  const Outcome found = run_daihai(d.path, "batch " + quoted(d.path / "sub" / "deeper" / "b.toml") + " -o " + quoted(d.path / "f.h5"));
  INFO(found.err);
  CHECK(found.status == 0);
  CHECK(contains(found.out, "all P"));
}
