// Regression tests of the input-error contract of the daihai program (README, engine/app/main.cpp):
// a bad scenario, batch, inputs folder, forcing CSV or targets file ends the program with exit
// status 1 and a message naming the file, the line (where there is one) and the key or column and
// saying what was expected; nothing is written (neither the -o file nor its .partial file).
// Each case copies inputs/daihai and a small scenario into its own temporary directory under the
// build tree, breaks one thing, and drives the real program through std::system.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai;
namespace fs = std::filesystem;

using namespace daihai::testing;

namespace {

/// A scratch directory for one bad-input case.
struct TempDir : ScratchDir {
  explicit TempDir(const std::string& tag) : ScratchDir("bad_input_" + tag) {}
};

/// Replaces the first line that starts with `starts_with`, searching from the first line that
/// equals `after` (from the top when `after` is empty); returns its 1-based line number.
int replace_line(const fs::path& file, const std::string& after, const std::string& starts_with, const std::string& replacement) {
  std::istringstream in(read_text(file));
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  bool armed = after.empty();
  int found = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!armed) {
      armed = lines[i] == after;
      continue;
    }
    if (lines[i].rfind(starts_with, 0) == 0) {
      lines[i] = replacement;
      found = static_cast<int>(i) + 1;
      break;
    }
  }
  REQUIRE(found > 0);
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  write_text(file, out);
  return found;
}

/// Splits `text` into lines and returns the 1-based number of the first line starting with `prefix`.
int line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  int n = 0;
  for (std::string l; std::getline(in, l);) {
    ++n;
    if (l.rfind(prefix, 0) == 0) return n;
  }
  FAIL("no line starts with " << prefix);
  return 0;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<fs::path> partial_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".partial") out.push_back(e.path());
  return out;
}

// The small scenario every case starts from (line numbers below refer to it).
const char* kScenario =
    "[scenario]\n"                 // 1
    "name = \"bad_input\"\n"       // 2
    "start = 1955-01-01\n"         // 3
    "end = 1957-12-31\n"           // 4
    "inputs = \"inputs\"\n"        // 5
    "series = \"monthly\"\n"       // 6
    "integrator = \"dopri5\"\n"    // 7
    "\n"                           // 8
    "[climate]\n"                  // 9
    "source = \"generator\"\n"     // 10
    "seed = 20240601\n"            // 11
    "member = 0\n";                // 12

// The small batch every batch case starts from.
const char* kBatch =
    "[batch]\n"                                                   // 1
    "name = \"bad_batch\"\n"                                      // 2
    "measures = [\"yongxing_diversion\", \"cooling_retrofit\"]\n"  // 3
    "combinations = \"all\"\n"                                    // 4
    "members = 2\n"                                               // 5
    "\n"                                                          // 6
    "[scenario]\n"                                                // 7
    "start = 1955-01-01\n"                                        // 8
    "end = 1956-12-31\n"                                          // 9
    "inputs = \"inputs\"\n"                                       // 10
    "\n"                                                          // 11
    "[climate]\n"                                                 // 12
    "seed = 7\n";                                                 // 13

/// One case: a temporary directory with a copy of inputs/daihai in `inputs/`, a scenario file
/// and the output path the program is told to write.
struct Case {
  TempDir dir;
  fs::path inputs, scenario, output;
  explicit Case(const std::string& tag, const std::string& scenario_text = kScenario, const std::string& file = "scenario.toml")
      : dir(tag) {
    inputs = dir.path / "inputs";
    fs::copy(fs::path(DAIHAI_SOURCE_DIR) / "inputs" / "daihai", inputs, fs::copy_options::recursive);
    scenario = dir.path / file;
    write_text(scenario, scenario_text);
    output = dir.path / "out" / "result.h5";
  }
  Outcome run(const std::string& extra = "") { return run_daihai(dir.path, "run " + quoted(scenario) + " -o " + quoted(output) + extra); }
  Outcome batch(const std::string& extra = "") {
    return run_daihai(dir.path, "batch " + quoted(scenario) + " -o " + quoted(output) + " --threads 2" + extra);
  }
  /// Nothing written: no result file, no partial file anywhere in the case's directory.
  void check_nothing_written() const {
    CHECK_FALSE(fs::exists(output));
    CHECK_FALSE(fs::exists(output.string() + ".partial"));
    CHECK(partial_files(dir.path).empty());
  }
};

/// The input-error contract: exit 1; stderr names the file (by its file name; with ":line" when
/// `line` > 0), the key or column, and says what was expected (`expected` fragments, all of
/// them); nothing is written.
void check_input_error(const Case& c, const Outcome& o, const std::string& file_name, int line, const std::string& key,
                       const std::vector<std::string>& expected) {
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 1);
  CHECK(contains(o.err, "error"));
  CHECK(contains(o.err, file_name));
  if (line > 0) CHECK(contains(o.err, file_name + ":" + std::to_string(line) + ":"));
  if (!key.empty()) CHECK(contains(o.err, key));
  for (const auto& e : expected) CHECK(contains(o.err, e));
  c.check_nothing_written();
}

// ---- daily forcing CSV: made-up but physically plausible weather at the lake (40.5 N, 1220 m)

/// One row per day from `first` to `last`: a seasonal temperature cycle (-14 .. +20 degC monthly
/// means), summer rains (~420 mm/a), moderate humidity, wind and sunshine.
std::vector<std::string> forcing_rows(const core::Date& first, const core::Date& last) {
  std::vector<std::string> rows;
  const auto d0 = core::day_number(first), d1 = core::day_number(last);
  for (auto d = d0; d <= d1; ++d) {
    const core::Date date = core::date_of(d);
    const int doy = core::day_of_year(date);
    const double season = std::sin(2.0 * std::numbers::pi * (doy - 105) / 365.25);
    const double tmean = 3.0 + 17.0 * season;
    const double range = 11.0 + 2.0 * season;
    const bool summer = doy > 140 && doy < 270;
    const double precip = summer ? (doy % 5 == 0 ? 12.0 : (doy % 7 == 0 ? 4.0 : 0.0)) : (doy % 20 == 0 ? 2.0 : 0.0);
    const double rh = 50.0 + 15.0 * std::max(0.0, season) + (precip > 0 ? 15.0 : 0.0);
    const double wind = 3.2 - 0.8 * season;
    const double sunshine = precip > 0 ? 3.0 : 7.0 + 2.0 * season;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s,%.1f,%.2f,%.2f,%.2f,%.0f,%.1f,%.1f", core::format_date(date).c_str(), precip, tmean,
                  tmean + range / 2, tmean - range / 2, rh, wind, sunshine);
    rows.push_back(buf);
  }
  return rows;
}

const char* kForcingHeader = "date,precip_mm,tmean_C,tmax_C,tmin_C,rh_pct,wind_m_s,sunshine_h";

std::string forcing_text(const std::vector<std::string>& rows) {
  std::string s = std::string("# made-up daily forcing for the daihai tests\n") + kForcingHeader + "\n";
  for (const auto& r : rows) s += r + "\n";
  return s;
}
// Line of row i (0-based) in forcing_text(): comment, header, then the rows.
int forcing_line(std::size_t row) { return static_cast<int>(row) + 3; }

const char* kCsvScenario =
    "[scenario]\n"
    "name = \"csv_forcing\"\n"
    "start = 1955-01-01\n"
    "end = 1957-12-31\n"
    "inputs = \"inputs\"\n"
    "series = \"daily\"\n"
    "\n"
    "[climate]\n"
    "source = \"csv\"\n"
    "file = \"forcing.csv\"\n";

std::string replace_cell(const std::string& row, std::size_t column, const std::string& value) {
  std::vector<std::string> cells;
  std::stringstream s(row);
  for (std::string c; std::getline(s, c, ',');) cells.push_back(c);
  REQUIRE(column < cells.size());
  cells[column] = value;
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
  return out;
}

}  // namespace

// =========================================================================== scenario files

TEST_CASE("bad input: malformed TOML in a scenario file", "[regression][bad_input]") {
  std::string text = kScenario;
  text.replace(text.find("end = 1957-12-31"), 16, "end = = 1957-12-31");
  Case c("malformed", text);
  check_input_error(c, c.run(), "scenario.toml", 4, "", {"malformed TOML"});
}

TEST_CASE("bad input: unknown key in the scenario table", "[regression][bad_input]") {
  std::string text = kScenario;
  text.replace(text.find("integrator"), 0, "colour = \"blue\"\n");  // becomes line 7
  Case c("unknown_key", text);
  check_input_error(c, c.run(), "scenario.toml", 7, "scenario.colour", {"unknown key", "start"});
}

TEST_CASE("bad input: unknown parameter in the parameters table", "[regression][bad_input]") {
  Case c("unknown_parameter", std::string(kScenario) + "\n[parameters]\nno_such_parameter = 1.0\n");
  check_input_error(c, c.run(), "scenario.toml", 15, "parameters.no_such_parameter", {"unknown parameter"});
}

TEST_CASE("bad input: scenario parameter override outside its valid range", "[regression][bad_input]") {
  Case c("override_range", std::string(kScenario) + "\n[parameters]\ngr4j_x1_mm = 300.0\nspecific_yield = 5.0\n");
  check_input_error(c, c.run(), "scenario.toml", 16, "parameters.specific_yield", {"valid range", "5"});
}

TEST_CASE("bad input: scenario measure override outside its valid range", "[regression][bad_input]") {
  Case c("measure_override_range", std::string(kScenario) + "\n[measures.yongxing_diversion]\nflow_m3_per_s = -1.0\n");
  check_input_error(c, c.run(), "scenario.toml", 15, "measures.yongxing_diversion.flow_m3_per_s", {"valid range"});
}

TEST_CASE("bad input: missing required key start", "[regression][bad_input]") {
  std::string text = kScenario;
  text.erase(text.find("start = 1955-01-01\n"), 19);
  Case c("missing_start", text);
  // A missing key has no line of its own: the line of its table [scenario] is named.
  check_input_error(c, c.run(), "scenario.toml", 1, "scenario.start", {"missing"});
}

TEST_CASE("bad input: end date before start date", "[regression][bad_input]") {
  std::string text = kScenario;
  text.replace(text.find("end = 1957-12-31"), 16, "end = 1954-12-31");
  Case c("end_before_start", text);
  check_input_error(c, c.run(), "scenario.toml", 4, "scenario.end", {"before the start"});
}

// =========================================================================== inputs folder

TEST_CASE("bad input: unknown measure kind in measures.toml", "[regression][bad_input]") {
  Case c("measure_kind");
  const int line = replace_line(c.inputs / "measures.toml", "[yongxing_diversion]", "kind =", "kind = \"teleportation\"");
  check_input_error(c, c.run(), "measures.toml", line, "yongxing_diversion.kind",
                    {"unknown measure kind", "expected", "diversion"});
}

TEST_CASE("bad input: parameters.toml without its vertical datum, or with an empty one", "[regression][bad_input]") {
  // Fault class: levels carried no vertical datum. Every lake names it; the outputs carry it.
  {
    Case c("no_datum");
    const int line = replace_line(c.inputs / "parameters.toml", "", "vertical_datum =", "");
    REQUIRE(line > 0);
    check_input_error(c, c.run(), "parameters.toml", 0, "vertical_datum", {"missing", "vertical datum"});
  }
  {
    Case c("empty_datum");
    const int line = replace_line(c.inputs / "parameters.toml", "", "vertical_datum =", "vertical_datum = \"  \"");
    check_input_error(c, c.run(), "parameters.toml", line, "vertical_datum", {"non-empty string"});
  }
  {
    Case c("control_datum");  // it becomes part of an output's long_name: one line of text
    const int line = replace_line(c.inputs / "parameters.toml", "", "vertical_datum =", "vertical_datum = \"a\\nb\"");
    check_input_error(c, c.run(), "parameters.toml", line, "vertical_datum", {"control character"});
  }
}

TEST_CASE("bad input: parameters.toml value outside its plausible range", "[regression][bad_input]") {
  Case c("plausible_range");
  const int line = replace_line(c.inputs / "parameters.toml", "[specific_yield]", "value =", "value = 0.30");
  check_input_error(c, c.run(), "parameters.toml", line, "specific_yield.value", {"plausible range", "0.3"});
}

TEST_CASE("bad input: parameters.toml value outside its valid range", "[regression][bad_input]") {
  Case c("valid_range");
  // 0.7 lies inside the (widened) plausible range but outside the declared valid range 1e-4 .. 0.6.
  const int value_line = replace_line(c.inputs / "parameters.toml", "[specific_yield]", "value =", "value = 0.70");
  const int range_line = replace_line(c.inputs / "parameters.toml", "[specific_yield]", "range =", "range = [0.05, 0.90]");
  const Outcome o = c.run();
  check_input_error(c, o, "parameters.toml", 0, "specific_yield", {"valid range"});
  CHECK((contains(o.err, "parameters.toml:" + std::to_string(value_line) + ":") ||
         contains(o.err, "parameters.toml:" + std::to_string(range_line) + ":")));
}

TEST_CASE("bad input: an implausible temperature in the gridded climate months", "[regression][bad_input]") {
  Case c("grid_temperature");
  // -160 degC for 2006-02 in the first cell (a unit or typing error, not weather).
  const int line = replace_line(c.inputs / "climate" / "cma_grid0.5_monthly_daihai_cells_2006-2015.csv", "", "2006,2,",
                                "2006,2,3.0,-160.0,-2.3,-16.0,3.4,2.6,2.8,-9.9,-11.7,-8.6,-2.5,-4.6,-1.3,-15.8,-17.5,-14.5");
  check_input_error(c, c.run(), "cma_grid0.5_monthly_daihai_cells_2006-2015.csv", line, "tmean_C_c112.75E_40.75N",
                    {"-160", "plausible range"});
}

TEST_CASE("bad input: a site constant out of range names its row in site.csv", "[regression][bad_input]") {
  Case c("site_latitude");
  const int line = replace_line(c.inputs / "climate" / "site.csv", "", "latitude_deg,", "latitude_deg,140.55,deg N,\"typo\"");
  check_input_error(c, c.run(), "site.csv", line, "latitude_deg", {"66 degrees"});
}

TEST_CASE("bad input: an inflow table that does not exist names the scenario key", "[regression][bad_input]") {
  Case c("inflow_table", std::string(kScenario) + "[inflow]\ntable = \"nope.csv\"\n");  // lines 13, 14
  check_input_error(c, c.run(), "scenario.toml", 14, "inflow.table", {"nope.csv", "does not exist"});
}

TEST_CASE("bad input: negative area in hypsometry.csv", "[regression][bad_input]") {
  Case c("negative_area");
  const int line = replace_line(c.inputs / "hypsometry.csv", "", "1209.1,", "1209.1,-24.8,E,anchors,\"broken\"");
  check_input_error(c, c.run(), "hypsometry.csv", line, "area_km2", {"negative"});
}

TEST_CASE("bad input: hypsometry levels not increasing", "[regression][bad_input]") {
  Case c("levels_not_increasing");
  const int line = replace_line(c.inputs / "hypsometry.csv", "", "1215.6,", "1213.6,57.0,E,anchors,\"broken\"");
  check_input_error(c, c.run(), "hypsometry.csv", line, "level_m", {"increase"});
}

TEST_CASE("bad input: hypsometry area decreasing as the level rises", "[regression][bad_input]") {
  Case c("area_decreasing");
  const int line = replace_line(c.inputs / "hypsometry.csv", "", "1215.6,", "1215.6,47.0,E,anchors,\"broken\"");
  check_input_error(c, c.run(), "hypsometry.csv", line, "area_km2", {"decrease"});
}

// =========================================================================== forcing CSV

TEST_CASE("good input: a small scenario with a CSV forcing runs and writes its file", "[regression][bad_input]") {
  Case c("csv_good", kCsvScenario);
  write_text(c.dir.path / "forcing.csv", forcing_text(forcing_rows({1955, 1, 1}, {1957, 12, 31})));
  const Outcome o = c.run();
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  REQUIRE(o.status == 0);
  REQUIRE(fs::exists(c.output));
  CHECK(partial_files(c.dir.path).empty());
  {
    auto file = io::hdf5::File::open(c.output.string());
    CHECK(file.open_group("runs").open_dataset("status").read_int8() == std::vector<std::int8_t>{0});
    CHECK(file.open_group("annual").open_dataset("year").read_int64() == std::vector<std::int64_t>{1955, 1956, 1957});
    const auto level = file.open_group("annual").open_dataset("level_m").read_double();
    REQUIRE(level.size() == 3);
    for (double h : level) {
      CHECK(std::isfinite(h));
      CHECK(h > 1204.1);  // inside the hypsometry table
      CHECK(h < 1229.0);
    }
    CHECK(file.open_group("series/daily").open_dataset("time").dims() == std::vector<io::hdf5::Size>{365 + 366 + 365});
  }
  // verify of the written file with a targets file that has a bad operator: an input error too.
  const fs::path targets = c.dir.path / "targets_bad.toml";
  write_text(targets,
             "[[target]]\nname = \"t\"\nquantity = \"level_m\"\nstatistic = \"in_year\"\noperator = \"=>\"\n"
             "value = 1220\nunit = \"m\"\nfrom = 1956\nto = 1956\nsource = \"test\"\n");
  const Outcome v = run_daihai(c.dir.path, "verify " + quoted(c.output) + " --targets " + quoted(targets));
  INFO("verify stderr: " << v.err);
  REQUIRE(v.exited);
  CHECK(v.status == 1);
  CHECK(contains(v.err, "targets_bad.toml:5:"));
  CHECK(contains(v.err, "operator"));
  CHECK(contains(v.err, "=>"));
  CHECK(contains(v.err, "expected"));
}

TEST_CASE("bad input: forcing CSV with a missing day", "[regression][bad_input]") {
  Case c("csv_missing_day", kCsvScenario);
  auto rows = forcing_rows({1955, 1, 1}, {1957, 12, 31});
  rows.erase(rows.begin() + 100);  // 1955-04-11 is missing; the next row is the old row 101
  write_text(c.dir.path / "forcing.csv", forcing_text(rows));
  check_input_error(c, c.run(), "forcing.csv", forcing_line(100), "date", {"missing day", "1955-04-11"});
}

TEST_CASE("bad input: forcing CSV with nan in a cell", "[regression][bad_input]") {
  Case c("csv_nan", kCsvScenario);
  auto rows = forcing_rows({1955, 1, 1}, {1957, 12, 31});
  rows[400] = replace_cell(rows[400], 5, "nan");  // rh_pct
  write_text(c.dir.path / "forcing.csv", forcing_text(rows));
  check_input_error(c, c.run(), "forcing.csv", forcing_line(400), "rh_pct", {"finite number", "nan"});
}

TEST_CASE("bad input: forcing CSV with an empty cell", "[regression][bad_input]") {
  Case c("csv_empty_cell", kCsvScenario);
  auto rows = forcing_rows({1955, 1, 1}, {1957, 12, 31});
  rows[700] = replace_cell(rows[700], 1, "");  // precip_mm
  write_text(c.dir.path / "forcing.csv", forcing_text(rows));
  check_input_error(c, c.run(), "forcing.csv", forcing_line(700), "precip_mm", {"expected a number", "empty"});
}

TEST_CASE("bad input: forcing CSV that does not cover the run period", "[regression][bad_input]") {
  Case c("csv_short", kCsvScenario);
  write_text(c.dir.path / "forcing.csv", forcing_text(forcing_rows({1955, 1, 1}, {1956, 6, 30})));
  // No single line is at fault: the message names the file, the column and both periods.
  check_input_error(c, c.run(), "forcing.csv", 0, "date", {"1956-06-30", "1957-12-31"});
}

TEST_CASE("bad input: forcing CSV that starts after the run start", "[regression][bad_input]") {
  Case c("csv_late", kCsvScenario);
  write_text(c.dir.path / "forcing.csv", forcing_text(forcing_rows({1955, 3, 1}, {1957, 12, 31})));
  check_input_error(c, c.run(), "forcing.csv", 0, "date", {"1955-03-01", "1955-01-01"});
}

TEST_CASE("bad input: forcing CSV file that does not exist", "[regression][bad_input]") {
  Case c("csv_absent", kCsvScenario);
  check_input_error(c, c.run(), "scenario.toml", 10, "climate.file", {"forcing.csv", "does not exist"});
}

TEST_CASE("bad input leaves an existing result file untouched", "[regression][bad_input]") {
  Case c("keep_old_result");
  const Outcome good = c.run(" -q");
  INFO("stderr (good run): " << good.err);
  REQUIRE(good.status == 0);
  REQUIRE(fs::exists(c.output));
  const std::string before = read_text(c.output);
  std::string text = kScenario;
  write_text(c.scenario, text.replace(text.find("end = 1957-12-31"), 16, "end = 1954-12-31"));
  const Outcome bad = c.run();
  INFO("stderr (bad run): " << bad.err);
  REQUIRE(bad.exited);
  CHECK(bad.status == 1);
  CHECK(contains(bad.err, "scenario.toml:4:"));
  CHECK(read_text(c.output) == before);
  CHECK(partial_files(c.dir.path).empty());
}

// =========================================================================== batch files

TEST_CASE("bad input: batch with an unknown measure name", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("\"cooling_retrofit\"]"), 19, "\"cooling_retrofit\", \"moon_water\"]");
  Case c("batch_unknown_measure", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 3, "batch.measures", {"unknown measure", "moon_water"});
}

TEST_CASE("bad input: batch with members = 0", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("members = 2"), 11, "members = 0");
  Case c("batch_members", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 5, "batch.members", {"expected 1"});
}

TEST_CASE("bad input: batch with an unknown combinations mode", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("\"all\""), 5, "\"some\"");
  Case c("batch_combinations", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 4, "batch.combinations", {"expected", "all", "list"});
}

TEST_CASE("bad input: batch list naming a measure that is not varied", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("\"all\"\n"), 6, "\"list\"\nlist = [[\"yongxing_diversion\"], [\"well_sealing\"]]\n");
  Case c("batch_list", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 5, "batch.list", {"well_sealing", "not in batch.measures"});
}

TEST_CASE("bad input: batch list mode without list entries", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("\"all\"\n"), 6, "\"list\"\nlist = []\n");
  Case c("batch_empty_list", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 5, "batch.list", {"empty"});
}

TEST_CASE("bad input: batch list naming the same combination twice", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("\"all\"\n"), 6,
               "\"list\"\nlist = [[\"cooling_retrofit\", \"yongxing_diversion\"], [\"yongxing_diversion\", \"cooling_retrofit\"]]\n");
  Case c("batch_list_twice", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 5, "batch.list", {"listed twice"});
}

// Batch files with a climate-delta axis: `text` replaces line 6 (the empty line after members).
std::string with_deltas(const std::string& lines) {
  std::string text = kBatch;
  text.replace(text.find("members = 2\n\n"), 13, "members = 2\n" + lines + "\n");
  return text;
}

TEST_CASE("bad input: batch climate delta of temperature outside -10 to 10 degC", "[regression][bad_input]") {
  Case c("batch_delta_t", with_deltas("climate_deltas = [ { delta_t_C = 0.0 }, { delta_t_C = 12.5 } ]"), "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 6, "batch.climate_deltas[1].delta_t_C", {"12.5", "-10 .. 10"});
}

TEST_CASE("bad input: batch climate delta of precipitation below -90 %", "[regression][bad_input]") {
  Case c("batch_delta_p", with_deltas("climate_deltas = [\n  { delta_t_C = 1.5, delta_p_pct = -95 },\n]"), "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 7, "batch.climate_deltas[0].delta_p_pct", {"-90 .. 200"});
}

TEST_CASE("bad input: batch climate delta with an unknown key on its own line", "[regression][bad_input]") {
  Case c("batch_delta_key",
         with_deltas("climate_deltas = [\n  { delta_t_C = 1.0 },\n  { delta_T = 1.0 },\n]"), "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 8, "batch.climate_deltas[1].delta_T", {"unknown key", "delta_p_pct"});
}

TEST_CASE("bad input: batch climate delta that is not a finite number", "[regression][bad_input]") {
  Case text_case("batch_delta_text", with_deltas("climate_deltas = [ { delta_p_pct = \"minus five\" } ]"), "batch.toml");
  check_input_error(text_case, text_case.batch(), "batch.toml", 6, "batch.climate_deltas[0].delta_p_pct", {"expected"});
  Case nan_case("batch_delta_nan", with_deltas("climate_deltas = [ { delta_t_C = nan } ]"), "batch.toml");
  check_input_error(nan_case, nan_case.batch(), "batch.toml", 6, "batch.climate_deltas[0].delta_t_C", {"finite"});
}

TEST_CASE("bad input: batch climate deltas that are not tables or repeat", "[regression][bad_input]") {
  Case number("batch_delta_number", with_deltas("climate_deltas = [ 1.5 ]"), "batch.toml");
  check_input_error(number, number.batch(), "batch.toml", 6, "batch.climate_deltas[0]", {"expected a table"});
  Case empty("batch_delta_empty", with_deltas("climate_deltas = []"), "batch.toml");
  check_input_error(empty, empty.batch(), "batch.toml", 6, "batch.climate_deltas", {"at least one"});
  Case twice("batch_delta_twice",
             with_deltas("climate_deltas = [\n  { delta_t_C = 1.5, delta_p_pct = 0 },\n  { delta_t_C = 1.5 },\n]"),
             "batch.toml");
  check_input_error(twice, twice.batch(), "batch.toml", 8, "batch.climate_deltas[1]", {"listed twice"});
}

TEST_CASE("bad input: climate delta ramp that is not two increasing years", "[regression][bad_input]") {
  for (const char* ramp : {"[2050, 2016]", "[2016]", "[2016.5, 2050]", "[1700, 2050]"}) {
    Case c("batch_delta_ramp", std::string(kBatch) + "delta_ramp = " + ramp + "\n", "batch.toml");
    check_input_error(c, c.batch(), "batch.toml", 14, "climate.delta_ramp", {"first_year < last_year"});
  }
}

// =========================================================================== targets file

TEST_CASE("bad input: targets file with a bad operator", "[regression][bad_input]") {
  Case c("targets_operator");
  std::string targets = read_text(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "targets.toml");
  const int line = line_starting(targets, "operator = \">=\"");
  targets.replace(targets.find("operator = \">=\""), 15, "operator = \"=>\"");
  write_text(c.dir.path / "my_targets.toml", targets);
  check_input_error(c, c.run(" --targets " + quoted(c.dir.path / "my_targets.toml")), "my_targets.toml", line, "operator",
                    {"=>", "expected"});
}

// =========================================================================== verify on files that are not results

TEST_CASE("bad input: verify on a text file", "[regression][bad_input]") {
  TempDir d("verify_text");
  write_text(d.path / "notes.h5", "this is not an HDF5 file\n");
  const Outcome o = run_daihai(d.path, "verify " + quoted(d.path / "notes.h5"));
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 1);
  CHECK(contains(o.err, "notes.h5"));
  CHECK(contains(o.err, "not an HDF5 file"));
  CHECK(o.out.empty());
}

TEST_CASE("bad input: verify on an empty file", "[regression][bad_input]") {
  TempDir d("verify_empty");
  write_text(d.path / "empty.h5", "");
  const Outcome o = run_daihai(d.path, "verify " + quoted(d.path / "empty.h5"));
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 1);
  CHECK(contains(o.err, "empty.h5"));
  CHECK(o.out.empty());
}

TEST_CASE("bad input: verify on an HDF5 file that is not a daihai result", "[regression][bad_input]") {
  TempDir d("verify_foreign");
  const fs::path path = d.path / "foreign.h5";
  {
    auto f = io::hdf5::File::create(path.string());
    auto g = f.create_group("data");
    const std::vector<double> v = {1.0, 2.0, 3.0};
    g.write("values", std::span<const double>(v), {3}, {}, io::hdf5::kFillDouble);
  }
  for (const std::string& extra : {std::string(), " --targets " + quoted(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "targets.toml")}) {
    const Outcome o = run_daihai(d.path, "verify " + quoted(path) + extra);
    INFO("stderr: " << o.err << " (args:" << extra << ")");
    REQUIRE(o.exited);
    CHECK(o.status == 1);
    CHECK(contains(o.err, "foreign.h5"));
    CHECK(contains(o.err, "not a daihai result"));
    CHECK(contains(o.err, "daihai_layout"));
    CHECK(o.out.empty());
  }
}

TEST_CASE("bad input: verify on a truncated HDF5 file", "[regression][bad_input]") {
  // Not a case of the contract's list, but must not crash: a clear message and a non-zero status.
  TempDir d("verify_truncated");
  const fs::path path = d.path / "cut.h5";
  {
    auto f = io::hdf5::File::create(path.string());
    auto g = f.create_group("data");
    const std::vector<double> v(20000, 1.5);
    g.write("values", std::span<const double>(v), {v.size()}, {}, io::hdf5::kFillDouble);
  }
  const std::string bytes = read_text(path);
  write_text(path, bytes.substr(0, 2000));
  const Outcome o = run_daihai(d.path, "verify " + quoted(path));
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);  // not killed by a signal
  CHECK(o.status != 0);
  CHECK(o.status < 128);
  CHECK(contains(o.err, "cut.h5"));
  CHECK(o.out.empty());
}

// =========================================================================== regressions: bugs these tests found, fixed

TEST_CASE("bad command line exits with status 2", "[regression][bad_input]") {
  // README and main.cpp: "2 bad command line". CLI11_PARSE returns CLI11's own codes (105, 106, 109).
  TempDir d("command_line");
  for (const std::string& args : {std::string(""), std::string("frobnicate"), std::string("run"),
                                 "batch " + quoted(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "daihai_plan.toml") + " -o " +
                                     quoted(d.path / "x.h5") + " --threads -1"}) {
    const Outcome o = run_daihai(d.path, args);
    INFO("args: " << args << " stderr: " << o.err);
    REQUIRE(o.exited);
    CHECK(o.status == 2);
    CHECK_FALSE(fs::exists(d.path / "x.h5"));
  }
}

TEST_CASE("a scenario file that does not exist is bad input naming the file", "[regression][bad_input]") {
  TempDir d("missing_file");
  const Outcome o = run_daihai(d.path, "run " + quoted(d.path / "no_such.toml") + " -o " + quoted(d.path / "x.h5"));
  CHECK(o.status == 1);
  CHECK(contains(o.err, "no_such.toml"));
  CHECK_FALSE(fs::exists(d.path / "x.h5"));
}

TEST_CASE("bad input: initial level above the hypsometry table is an input error", "[regression][bad_input]") {
  // scenario/run.cpp throws core::InputError (line 0) from inside the run; batch::run_all catches it as a
  // run failure, so the program writes a result file with status 1 and exits 3 instead of 1.
  Case c("initial_level", std::string(kScenario) + "\n[parameters]\ninitial_level_m = 1230.0\n");
  check_input_error(c, c.run(), "scenario.toml", 15, "initial_level_m", {"hypsometry"});
}

TEST_CASE("bad input: initial level above the hypsometry table in parameters.toml names that file", "[regression][bad_input]") {
  Case c("initial_level_inputs");
  const int line = replace_line(c.inputs / "parameters.toml", "[initial_level_m]", "value =", "value = 1229.5");
  replace_line(c.inputs / "parameters.toml", "[initial_level_m]", "range =", "range = [1225.3, 1230.0]");
  check_input_error(c, c.run(), "parameters.toml", line, "initial_level_m", {"hypsometry"});
}

TEST_CASE("bad input: batch first_member beyond the climate member range", "[regression][bad_input]") {
  // A scenario accepts member 0 .. 1000000; a batch accepts any first_member >= 0 and casts
  // first_member + k to int, so 2147483647 + 1 is recorded as climate member -2147483648.
  std::string text = kBatch;
  text.replace(text.find("members = 2\n"), 12, "members = 2\nfirst_member = 2147483647\n");
  Case c("first_member", text, "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 6, "first_member", {"expected"});
}

TEST_CASE("bad input: batch override of a measure not varied names its line", "[regression][bad_input]") {
  // scenario_file.cpp passes line 0 although the [measures.<name>] table has a line.
  Case c("override_not_varied", std::string(kBatch) + "\n[measures.well_sealing]\nyield_m3_per_well_a = 2e4\n", "batch.toml");
  check_input_error(c, c.batch(), "batch.toml", 15, "measures.well_sealing", {"does not vary"});
}

// =========================================================================== found by trying the program as a new user

TEST_CASE("bad input: generator keys in a climate table that reads a CSV file", "[regression][bad_input]") {
  Case c("csv_with_seed", std::string(kCsvScenario) + "seed = 3\n");  // line 11
  write_text(c.dir.path / "forcing.csv", forcing_text(forcing_rows({1955, 1, 1}, {1957, 12, 31})));
  check_input_error(c, c.run(), "scenario.toml", 11, "climate.seed", {"generated weather only"});
}

TEST_CASE("bad input: a climate member in a batch file", "[regression][bad_input]") {
  Case c("batch_climate_member", std::string(kBatch) + "member = 3\n", "batch.toml");  // line 14
  check_input_error(c, c.batch(), "batch.toml", 14, "climate.member", {"first_member"});
}

TEST_CASE("bad input: a measure naming the same flux twice", "[regression][bad_input]") {
  Case c("duplicate_flux", std::string(kScenario) + "\n[measures.well_sealing]\n");
  const int line = replace_line(c.inputs / "measures.toml", "[well_sealing]", "fluxes =", "fluxes = [\"pumping_irrigation\", \"pumping_irrigation\"]");
  check_input_error(c, c.run(), "measures.toml", line, "well_sealing.fluxes", {"listed twice"});
}

TEST_CASE("bad input: an inflow table without rows or starting after the run", "[regression][bad_input]") {
  SECTION("no rows") {
    Case c("inflow_empty", std::string(kScenario) + "[inflow]\ntable = \"inflow.csv\"\n");
    write_text(c.dir.path / "inflow.csv", "date,rate_m3_per_s\n");
    check_input_error(c, c.run(), "inflow.csv", 0, "", {"no rows"});
  }
  SECTION("first row after the run's first day") {
    Case c("inflow_late", std::string(kScenario) + "[inflow]\ntable = \"inflow.csv\"\n");
    write_text(c.dir.path / "inflow.csv", "date,rate_m3_per_s\n1956-01-01,1.0\n");
    check_input_error(c, c.run(), "inflow.csv", 2, "date", {"starts after the run"});
  }
}

TEST_CASE("bad input: a hypsometry whose areas are all zero", "[regression][bad_input]") {
  Case c("hypsometry_zero");
  // Every data row's area set to 0 (a column of zeros holds no water).
  std::istringstream in(read_text(c.inputs / "hypsometry.csv"));
  std::string out;
  bool header = false;
  for (std::string l; std::getline(in, l);) {
    if (l.empty() || l[0] == '#' || !header) {
      header = header || (!l.empty() && l[0] != '#');
      out += l + "\n";
      continue;
    }
    out += replace_cell(l, 1, "0.0") + "\n";
  }
  write_text(c.inputs / "hypsometry.csv", out);
  check_input_error(c, c.run(), "hypsometry.csv", 0, "", {"holds no water"});
}

TEST_CASE("bad input: an initial level at the top of the hypsometry table", "[regression][bad_input]") {
  Case c("initial_level_top");
  std::istringstream in(read_text(c.inputs / "hypsometry.csv"));
  std::string last;
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l[0] != '#') last = l;
  const std::string top = last.substr(0, last.find(','));
  Case s("initial_level_top_scenario", std::string(kScenario) + "\n[parameters]\ninitial_level_m = " + top + "\n");
  check_input_error(s, s.run(), "scenario.toml", 15, "initial_level_m", {"no room"});
}

TEST_CASE("bad input: forcing CSV values outside the physically possible range", "[regression][bad_input]") {
  struct Bad { std::size_t column; const char* value; const char* name; };
  for (const Bad& b : {Bad{1, "5000", "precip_mm"}, Bad{2, "-120", "tmean_C"}, Bad{6, "90", "wind_m_s"}, Bad{7, "25", "sunshine_h"}}) {
    Case c(std::string("csv_range_") + b.name, kCsvScenario);
    auto rows = forcing_rows({1955, 1, 1}, {1957, 12, 31});
    rows[40] = replace_cell(rows[40], b.column, b.value);
    write_text(c.dir.path / "forcing.csv", forcing_text(rows));
    INFO(b.name);
    check_input_error(c, c.run(), "forcing.csv", forcing_line(40), b.name, {"possible range"});
  }
}

TEST_CASE("bad input: a forcing day's mean temperature outside its minimum and maximum", "[regression][bad_input]") {
  // Found by a new-user trial: tmean_C = 40 on a day of -16..-3 degC ran without a word.
  Case c("csv_tmean_outside", kCsvScenario);
  auto rows = forcing_rows({1955, 1, 1}, {1957, 12, 31});
  rows[40] = replace_cell(rows[40], 2, "40.0");
  write_text(c.dir.path / "forcing.csv", forcing_text(rows));
  check_input_error(c, c.run(), "forcing.csv", forcing_line(40), "tmean_C", {"outside the day's tmin_C .. tmax_C"});
}

TEST_CASE("bad command line: empty paths exit with status 2", "[regression][bad_input]") {
  TempDir d("empty_path");
  const std::string plan = quoted(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "history.toml");
  for (const std::string& args : {"run " + plan + " -o ''", std::string("run '' -o x.h5"), "run " + plan + " -o x.h5 --csv ''"}) {
    const Outcome o = run_daihai(d.path, args);
    INFO("args: " << args << " stderr: " << o.err);
    REQUIRE(o.exited);
    CHECK(o.status == 2);
    CHECK(contains(o.err, "expected a path"));
    CHECK_FALSE(fs::exists(d.path / "x.h5"));
  }
}

TEST_CASE("bad input: a targets file given on the command line that the run's period cannot verify", "[regression][bad_input]") {
  Case c("targets_period");
  write_text(c.dir.path / "targets.toml", "[[target]]\nname = \"area_2030\"\nquantity = \"area_m2\"\nstatistic = \"in_year\"\noperator = \">=\"\nvalue = 50\nunit = \"km2\"\nfrom = 2030\nto = 2030\nsource = \"test\"\n");
  check_input_error(c, c.run(" --targets " + quoted(c.dir.path / "targets.toml")), "targets.toml", 0, "", {"do not fit", "1955..1957"});
}

TEST_CASE("a target table that cannot be written is refused before anything runs", "[regression][bad_input]") {
  std::string text = kScenario;
  text.replace(text.find("end = 1957-12-31"), 16, "end = 2031-12-31");  // the target table reports 2030
  Case c("csv_unwritable", text);
  write_text(c.dir.path / "plain_file", "not a folder\n");
  const fs::path csv = c.dir.path / "plain_file" / "table.csv";
  write_text(c.dir.path / "targets.toml", "plan_start = 1955\n[[target]]\nname = \"area_1957\"\nquantity = \"area_m2\"\nstatistic = \"in_year\"\noperator = \">=\"\nvalue = 50\nunit = \"km2\"\nfrom = 1957\nto = 1957\nsource = \"test\"\n");
  const Outcome o = c.run(" --targets " + quoted(c.dir.path / "targets.toml") + " --csv " + quoted(csv));
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 1);
  CHECK(contains(o.err, "table.csv"));
  CHECK(contains(o.err, "cannot write"));
  c.check_nothing_written();
}

TEST_CASE("bad input: calibration keys out of range name their line", "[regression][bad_input]") {
  const std::string head = "[calibration]\nname = \"c\"\nobservations = \"obs.csv\"\nbudget = 4\nmembers = 1\n";  // lines 1-5
  for (const std::string& bad : {std::string("mcmc_chains = 1"), std::string("mcmc_generations = 2"), std::string("glue_samples = -3")}) {
    Case c("calibration_keys", head + bad + "\nseed = 1\n[free]\nevaporation_multiplier = [0.6, 1.0]\n" + kScenario, "cal.toml");
    fs::copy_file(fs::path(DAIHAI_SOURCE_DIR) / "tests" / "data" / "observations_daihai.csv", c.dir.path / "obs.csv");
    const Outcome o = run_daihai(c.dir.path, "calibrate " + quoted(c.scenario) + " -o " + quoted(c.dir.path / "cal_out"));
    INFO(bad);
    check_input_error(c, o, "cal.toml", 6, bad.substr(0, bad.find(' ')), {"expected"});
    CHECK_FALSE(fs::exists(c.dir.path / "cal_out"));
  }
}

TEST_CASE("bad input: measure and salt values outside their ranges name file, line and key", "[regression][bad_input]") {
  SECTION("a delivery fraction above 1 in a scenario") {
    Case c("delivery_fraction", std::string(kScenario) + "\n[measures.yellow_river_diversion]\ndelivery_fraction = 1.5\n");
    check_input_error(c, c.run(), "scenario.toml", 15, "measures.yellow_river_diversion.delivery_fraction", {"valid range"});
  }
  SECTION("a negative well yield in a scenario") {
    Case c("negative_yield", std::string(kScenario) + "\n[measures.well_sealing]\nyield_m3_per_well_a = -2e4\n");
    check_input_error(c, c.run(), "scenario.toml", 15, "measures.well_sealing.yield_m3_per_well_a", {"valid range"});
  }
  SECTION("a design value outside its documented range in measures.toml") {
    Case c("yield_outside_range", std::string(kScenario) + "\n[measures.well_sealing]\n");
    const int line = replace_line(c.inputs / "measures.toml", "[well_sealing]", "yield_m3_per_well_a =",
                                  "yield_m3_per_well_a = { value = 9.0e4, range = [1.0e4, 6.0e4], kind = \"E\", source = \"x\" }");
    check_input_error(c, c.run(), "measures.toml", line, "yield_m3_per_well_a", {"range"});
  }
  SECTION("a salt return fraction above 1 in a scenario") {
    Case c("salt_return", std::string(kScenario) + "\n[parameters]\nsalt_return_fraction = 1.5\n");
    check_input_error(c, c.run(), "scenario.toml", 15, "parameters.salt_return_fraction", {"valid range"});
  }
}

// =========================================================================== found by a second new-user trial

namespace {

// A calibration file around kScenario (1955-1957), observations within those years.
struct CalibrationCase {
  Case c;
  explicit CalibrationCase(const std::string& tag, const std::string& calibration_extra, const std::string& free,
                           const std::string& scenario_extra = "", const std::string& observations = "")
      : c(tag, "[calibration]\nname = \"c\"\nobservations = \"obs.csv\"\nbudget = 4\nmembers = 1\n" + calibration_extra + "seed = 1\n[free]\n" + free +
                   std::string(kScenario) + scenario_extra,
          "cal.toml") {
    write_text(c.dir.path / "obs.csv",
               observations.empty() ? std::string("kind,value,unit,start,end,source,confidence,tolerance,note\n"
                                                  "level_change,-0.3,m,1955,1957,test,H,0.3,\"\"\n")
                                    : observations);
  }
  Outcome run() { return run_daihai(c.dir.path, "calibrate " + quoted(c.scenario) + " -o " + quoted(c.dir.path / "cal_out")); }
};

}  // namespace

TEST_CASE("bad input: calibration settings that cannot give a meaningful fit", "[regression][bad_input]") {
  SECTION("a design value without a plausible range") {
    CalibrationCase k("cal_no_range", "", "\"well_sealing.wells_first\" = [100, 1000]\n", "\n[measures.well_sealing]\n");
    const Outcome o = k.run();
    check_input_error(k.c, o, "cal.toml", 8, "free.well_sealing.wells_first", {"no plausible range"});
    CHECK_FALSE(fs::exists(k.c.dir.path / "cal_out"));
  }
  SECTION("bounds outside a design value's plausible range") {
    CalibrationCase k("cal_outside_range", "", "\"well_sealing.yield_m3_per_well_a\" = [2.0e4, 9.0e4]\n", "\n[measures.well_sealing]\n");
    check_input_error(k.c, k.run(), "cal.toml", 8, "free.well_sealing.yield_m3_per_well_a", {"plausible range"});
  }
  SECTION("every weight zero") {
    CalibrationCase k("cal_weights", "", "evaporation_multiplier = [0.7, 1.0]\n", "\n[weights]\nH = 0.0\nM = 0.0\nL = 0.0\n");
    check_input_error(k.c, k.run(), "cal.toml", 0, "weights", {"at least one weight"});
  }
  SECTION("an ensemble larger than the chains keep") {
    CalibrationCase k("cal_ensemble", "mcmc_chains = 2\nmcmc_generations = 6\nensemble_size = 10\n", "evaporation_multiplier = [0.7, 1.0]\n");
    check_input_error(k.c, k.run(), "cal.toml", 8, "calibration.ensemble_size", {"at most the 6 states"});
  }
  SECTION("an observation outside the fitted run's years, found before anything runs") {
    CalibrationCase k("cal_obs_period", "", "evaporation_multiplier = [0.7, 1.0]\n", "",
                      "kind,value,unit,start,end,source,confidence,tolerance,note\nlevel_change,-0.3,m,1955,1957,test,H,0.3,\"\"\n"
                      "volume_change,-9.88e8,m3,1961,2019,S1,H,2.5e8,\"\"\n");
    const Outcome o = k.run();
    check_input_error(k.c, o, "obs.csv", 3, "volume_change", {"outside the fitted run's years 1955..1957"});
    CHECK_FALSE(fs::exists(k.c.dir.path / "cal_out"));
  }
  SECTION("a split year before every record of the lake") {
    CalibrationCase k("cal_until", "calibrate_until = 1800\n", "evaporation_multiplier = [0.7, 1.0]\n");
    check_input_error(k.c, k.run(), "cal.toml", 0, "calibration.calibrate_until", {"only priors"});
  }
}

TEST_CASE("bad input: well numbers that unseal wells or count fractions of a well", "[regression][bad_input]") {
  SECTION("fewer wells in all than in the first stage") {
    Case c("wells_total", std::string(kScenario) + "\n[measures.well_sealing]\nwells_total = 10\n");
    check_input_error(c, c.run(), "", 0, "measures.well_sealing", {"cannot unseal"});
  }
  SECTION("a fraction of a well") {
    Case c("wells_fraction", std::string(kScenario) + "\n[measures.well_sealing]\nwells_first = 66.7\n");
    check_input_error(c, c.run(), "scenario.toml", 15, "measures.well_sealing.wells_first", {"whole"});
  }
  SECTION("a fraction of an intake day") {  // was run as 170 without a word
    Case c("days_fraction", std::string(kScenario) + "\n[measures.yongxing_diversion]\ndays_per_year = 169.5\n");
    check_input_error(c, c.run(), "scenario.toml", 15, "measures.yongxing_diversion.days_per_year", {"whole"});
  }
}

TEST_CASE("bad input: a lake folder without a parameter its model reads is a load error, never another lake's value",
          "[regression][bad_input]") {
  Case c("missing_parameter");
  const fs::path params = c.inputs / "parameters.toml";
  std::string text = read_text(params);
  const auto from = text.find("[evaporation_multiplier]");
  REQUIRE(from != std::string::npos);
  text.erase(from, text.find("\n[", from + 1) + 1 - from);
  write_text(params, text);
  check_input_error(c, c.run(), "parameters.toml", 0, "evaporation_multiplier", {});
}

TEST_CASE("a measure that starts after the run's end is named in a note", "[regression][bad_input]") {
  Case c("late_measure", std::string(kScenario) + "\n[measures.yellow_river_diversion]\nstart = 2060-01-01\n");
  const Outcome o = c.run();
  INFO(o.err);
  CHECK(o.status == 0);
  CHECK(contains(o.err, "measure 'yellow_river_diversion' starts on 2060-01-01, after the run's end (1957-12-31): it has no effect"));
}

TEST_CASE("bad input: two outputs of verify that are one file, and attribution across climate deltas", "[regression][bad_input]") {
  std::string text = kBatch;
  text.replace(text.find("members = 2\n"), 12, "members = 1\nclimate_deltas = [ { delta_t_C = 0.0 }, { delta_t_C = 1.0 } ]\n");
  Case c("verify_same_csv", text, "batch.toml");
  REQUIRE(c.batch(" -q").status == 0);
  const Outcome same = run_daihai(c.dir.path, "verify " + quoted(c.output) + " --csv " + quoted(c.dir.path / "z.csv") + " --by-year-csv " +
                                                  quoted(c.dir.path / "z.csv"));
  INFO(same.err);
  CHECK(same.status == 1);
  CHECK(contains(same.err, "z.csv"));
  CHECK_FALSE(fs::exists(c.dir.path / "z.csv"));
  const Outcome attr = run_daihai(c.dir.path, "attribute " + quoted(c.output) + " --from 1955 --to 1956 --year 1956");
  INFO(attr.err);
  CHECK(attr.status == 1);
  CHECK(contains(attr.err, "several climate deltas"));
}

// Seeds are never silent defaults: generated weather and a calibration's search need theirs.
TEST_CASE("bad input: generated weather or a calibration without a seed", "[regression][bad_input][seeds]") {
  SECTION("a [climate] table without seed") {
    std::string text = kScenario;
    text.replace(text.find("seed = 20240601\n"), 16, "");
    Case c("climate_no_seed", text);
    check_input_error(c, c.run(), "scenario.toml", 9, "climate.seed", {"needs its seed"});
  }
  SECTION("no [climate] table at all (generated weather by default)") {
    std::string text = kScenario;
    text.erase(text.find("[climate]"));
    Case c("no_climate", text);
    check_input_error(c, c.run(), "scenario.toml", 0, "climate.seed", {"needs its seed"});
  }
  SECTION("a calibration without seed") {
    Case c("calibration_no_seed",
           "[calibration]\nname = \"c\"\nobservations = \"obs.csv\"\nbudget = 4\nmembers = 1\n[free]\nevaporation_multiplier = [0.6, 1.0]\n" +
               std::string(kScenario),
           "cal.toml");
    fs::copy_file(fs::path(DAIHAI_SOURCE_DIR) / "tests" / "data" / "observations_daihai.csv", c.dir.path / "obs.csv");
    const Outcome o = run_daihai(c.dir.path, "calibrate " + quoted(c.scenario) + " -o " + quoted(c.dir.path / "cal_out"));
    check_input_error(c, o, "cal.toml", 1, "calibration.seed", {"seed is required"});
  }
}
