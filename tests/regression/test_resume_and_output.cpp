// Resuming an interrupted batch (--resume after a SIGKILL) and per-variable series resolution and
// precision ([output]): a resumed batch equals an uninterrupted one dataset by dataset, a partial
// file is never taken for a result, and monthly values written from daily runs equal the monthly
// means and totals of the daily values.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <map>

#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai;
using namespace daihai::testing;
namespace fs = std::filesystem;

namespace {

// 2 climate deltas x 25 climate members x 2 combinations = 100 runs of 2014-2030 (2030: the report
// year of the verification): two windows of 64 runs.
const char* kBatch =
    "[batch]\nname = \"resume\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 25\n"
    "climate_deltas = [ { delta_t_C = 0.0 }, { delta_t_C = 1.0, delta_p_pct = -5.0 } ]\n"
    "[scenario]\nstart = 2014-01-01\nend = 2030-12-31\ninputs = \"inputs\"\n"
    "[output]\nseries = \"none\"\nprecision = \"float32\"\n"
    "[output.variables]\nlevel_m = { series = \"daily\" }\narea_m2 = { series = \"monthly\" }\n"
    "tds_g_per_L = { series = \"monthly\", precision = \"float64\" }\n[climate]\nseed = 1\n";

// Targets inside 2014-2030, so that /verification is written and covers every run.
const char* kTargets =
    "plan_start = 2016\n"
    "[[target]]\nname = \"area_2018\"\nquantity = \"area_m2\"\nstatistic = \"in_year\"\noperator = \">=\"\nvalue = 50\n"
    "unit = \"km2\"\nfrom = 2018\nto = 2018\nsource = \"test\"\n"
    "[[target]]\nname = \"level_trend\"\nquantity = \"level_m\"\nstatistic = \"trend\"\noperator = \">=\"\nvalue = 0\n"
    "unit = \"m/a\"\nfrom = 2015\nto = 2019\nsource = \"test\"\n";

Outcome batch(const ScratchDir& d, const std::string& out, const std::string& extra = "", const std::string& env = "") {
  return shell(d.path, env + " " + quoted(DAIHAI_EXE) + " batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / out) +
                           " --threads 2 -q " + extra);
}

int h5diff_group(const ScratchDir& d, const std::string& a, const std::string& b, const std::string& group, std::string& log) {
  const Outcome o = shell(d.path, "h5diff -r " + quoted(d.path / a) + " " + quoted(d.path / b) + " " + group + " " + group);
  log = o.out + o.err;
  return o.exited ? o.status : -1;
}

}  // namespace

TEST_CASE("a batch killed with SIGKILL and resumed equals an uninterrupted batch", "[regression][resume]") {
  ScratchDir d("resume", true);
  write_text(d.path / "b.toml", kBatch);
  write_text(d.path / "targets.toml", kTargets);
  Outcome o = batch(d, "full.h5");
  INFO(o.err);
  REQUIRE(o.status == 0);

  // Killed right after run 90 was handed to the file: the last checkpoint holds 64 runs, and rows
  // 64..89 were written but not checkpointed.
  o = batch(d, "res.h5", "", "DAIHAI_TEST_KILL_AFTER_RUNS=90");
  CHECK((!o.exited || o.status == 128 + SIGKILL));  // the shell may report the signal as an exit status
  CHECK_FALSE(fs::exists(d.path / "res.h5"));
  REQUIRE(fs::exists(d.path / "res.h5.partial"));

  // The partial file is no result, and is not replaced without --resume.
  o = run_daihai(d.path, "verify " + quoted(d.path / "res.h5.partial"));
  CHECK(o.status == 1);
  CHECK(o.err.find("unfinished batch") != std::string::npos);
  fs::copy_file(d.path / "res.h5.partial", d.path / "renamed.h5");
  o = run_daihai(d.path, "verify " + quoted(d.path / "renamed.h5") + " --targets " + quoted(d.path / "targets.toml"));
  CHECK(o.status == 1);
  CHECK(o.err.find("unfinished batch") != std::string::npos);
  o = run_daihai(d.path, "validate " + quoted(d.path / "renamed.h5") + " --observations " +
                             quoted(fs::path(DAIHAI_SOURCE_DIR) / "tests" / "data" / "observations_daihai.csv"));
  CHECK(o.status == 1);
  o = batch(d, "res.h5");
  CHECK(o.status == 1);
  CHECK(o.err.find("--resume") != std::string::npos);
  REQUIRE(fs::exists(d.path / "res.h5.partial"));

  o = shell(d.path, quoted(DAIHAI_EXE) + " batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "res.h5") +
                        " --threads 2 --resume");
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(o.err.find("64 of 100 run(s) already done") != std::string::npos);
  CHECK_FALSE(fs::exists(d.path / "res.h5.partial"));
  for (const char* g : {"/runs", "/initial", "/final", "/annual", "/series", "/balance", "/verification"}) {
    std::string log;
    const int rc = h5diff_group(d, "full.h5", "res.h5", g, log);
    INFO("h5diff " << g << ": " << log);
    CHECK(rc == 0);
  }
  {
    auto f = io::hdf5::File::open((d.path / "res.h5").string());
    CHECK_FALSE(f.has_attribute("daihai_partial"));
    CHECK_FALSE(f.has_attribute("resume_runs"));
    CHECK(f.int_attribute("runs") == 100);
    // The verification counted every run, the 64 read back from the partial file included: 4
    // scenarios (2 combinations x 2 deltas) of 25 members.
    const auto runs = f.open_group("verification").open_dataset("runs").read_int64();
    CHECK(runs == std::vector<std::int64_t>{25, 25, 25, 25});
  }
  const Outcome vf = run_daihai(d.path, "verify " + quoted(d.path / "full.h5"));
  const Outcome vr = run_daihai(d.path, "verify " + quoted(d.path / "res.h5"));
  CHECK(vr.status == 0);
  CHECK(vf.out == vr.out);
}

TEST_CASE("resume refuses a partial file of another scenario text or a damaged one and keeps it", "[regression][resume]") {
  ScratchDir d("resume_refused", true);
  write_text(d.path / "b.toml", kBatch);
  write_text(d.path / "targets.toml", kTargets);
  Outcome o = batch(d, "res.h5", "", "DAIHAI_TEST_KILL_AFTER_RUNS=70");
  CHECK((!o.exited || o.status == 128 + SIGKILL));  // the shell may report the signal as an exit status
  REQUIRE(fs::exists(d.path / "res.h5.partial"));
  const std::string partial = read_text(d.path / "res.h5.partial");

  write_text(d.path / "b.toml", std::string(kBatch) + "# a changed line\n");
  o = batch(d, "res.h5", "--resume");
  CHECK(o.status == 1);
  CHECK(o.err.find("scenario file's text differs") != std::string::npos);
  CHECK(fs::exists(d.path / "res.h5.partial"));

  write_text(d.path / "b.toml", kBatch);
  write_text(d.path / "targets.toml", std::string(kTargets) + "# changed\n");
  o = batch(d, "res.h5", "--resume");
  CHECK(o.status == 1);
  CHECK(o.err.find("differs from the one the batch was started with") != std::string::npos);
  CHECK(o.err.find("targets.toml") != std::string::npos);  // names the file that changed
  write_text(d.path / "targets.toml", kTargets);

  // A file cut short (killed while the operating system wrote it) or with overwritten bytes.
  write_text(d.path / "res.h5.partial", partial.substr(0, partial.size() / 2));
  o = batch(d, "res.h5", "--resume");
  CHECK(o.status == 1);
  CHECK(o.err.find("damaged") != std::string::npos);
  // Overwritten bytes at seven places (k/8 of the file): one place alone may fall into space no
  // checkpointed row uses (e.g. the unused tail of a [run] chunk), which a resume rightly ignores.
  std::string flipped = partial;
  for (std::size_t k = 1; k < 8; ++k)
    for (std::size_t i = flipped.size() * k / 8; i < flipped.size() * k / 8 + 4096 && i < flipped.size(); ++i) flipped[i] = '\x5a';
  write_text(d.path / "res.h5.partial", flipped);
  o = batch(d, "res.h5", "--resume");
  CHECK(o.exited);
  CHECK(o.status == 1);
  CHECK(o.err.find("damaged") != std::string::npos);
  CHECK(fs::exists(d.path / "res.h5.partial"));
  CHECK_FALSE(fs::exists(d.path / "res.h5"));

  // Starting again after deleting it works; --resume without a partial file starts afresh.
  fs::remove(d.path / "res.h5.partial");
  o = batch(d, "res.h5", "--resume");
  INFO(o.err);
  CHECK(o.status == 0);
  CHECK(fs::exists(d.path / "res.h5"));
}

namespace {

std::vector<double> read(const fs::path& file, const std::string& dataset) {
  auto f = io::hdf5::File::open(file.string());
  return f.open_dataset(dataset).read_double();
}

std::size_t type_size(const fs::path& file, const std::string& dataset) {
  auto f = io::hdf5::File::open(file.string());
  const auto t = f.open_dataset(dataset).type();
  REQUIRE(t.type_class() == io::hdf5::TypeClass::floating);
  return t.size();
}

const char* kScenarioHead = "[climate]\nseed = 1\n[scenario]\nname = \"s\"\nstart = 2014-01-01\nend = 2016-12-31\ninputs = \"inputs\"\n";

}  // namespace

TEST_CASE("per-variable series: monthly values from daily runs equal the monthly aggregates of the daily values", "[regression][output]") {
  ScratchDir d("output_resolution", true);
  write_text(d.path / "daily.toml", std::string(kScenarioHead) + "series = \"daily\"\n");
  write_text(d.path / "monthly.toml", std::string(kScenarioHead) + "series = \"monthly\"\n");
  write_text(d.path / "mixed.toml", std::string(kScenarioHead) +
                                        "[output]\nseries = \"none\"\n[output.variables]\n"
                                        "level_m = { series = \"monthly\" }\n"
                                        "lake_evaporation_m3 = { series = \"monthly\", precision = \"float32\" }\n"
                                        "area_m2 = { series = \"daily\", precision = \"float32\" }\n");
  for (const char* s : {"daily", "monthly", "mixed"}) {
    const Outcome o = run_daihai(d.path, std::string("run ") + quoted(d.path / (std::string(s) + ".toml")) + " -q -o " +
                                             quoted(d.path / (std::string(s) + ".h5")));
    INFO(s << ": " << o.err);
    REQUIRE(o.status == 0);
  }
  const fs::path daily = d.path / "daily.h5", monthly = d.path / "monthly.h5", mixed = d.path / "mixed.h5";
  const auto day = read(daily, "/series/daily/time");
  REQUIRE(day.size() == 1096);
  const auto month_start = read(mixed, "/series/monthly/time");
  REQUIRE(month_start.size() == 36);
  CHECK(month_start == read(monthly, "/series/monthly/time"));
  CHECK(read(mixed, "/series/monthly/time_bnds") == read(monthly, "/series/monthly/time_bnds"));

  // Monthly means of the daily level and monthly totals of the daily evaporation, by hand.
  const auto level_d = read(daily, "/series/daily/level_m");
  const auto evap_d = read(daily, "/series/daily/lake_evaporation_m3");
  std::vector<double> level_m(36, 0.0), evap_m(36, 0.0), days(36, 0.0);
  for (std::size_t i = 0, m = 0; i < day.size(); ++i) {
    if (m + 1 < 36 && day[i] >= month_start[m + 1]) ++m;
    level_m[m] += level_d[i];
    evap_m[m] += evap_d[i];
    days[m] += 1.0;
  }
  CHECK(days[0] == 31);
  CHECK(days[1] == 28);
  CHECK(days[25] == 29);  // February 2016
  for (auto& x : level_m) x /= days[&x - level_m.data()];
  const auto level_mixed = read(mixed, "/series/monthly/level_m");
  const auto level_monthly = read(monthly, "/series/monthly/level_m");
  const auto evap_mixed = read(mixed, "/series/monthly/lake_evaporation_m3");
  const auto evap_monthly = read(monthly, "/series/monthly/lake_evaporation_m3");
  for (std::size_t m = 0; m < 36; ++m) {
    INFO("month " << m);
    CHECK(level_mixed[m] == Approx(level_m[m]).epsilon(1e-14));
    CHECK(level_mixed[m] == Approx(level_monthly[m]).epsilon(1e-14));
    CHECK(evap_mixed[m] == static_cast<double>(static_cast<float>(evap_monthly[m])) );
    CHECK(evap_mixed[m] == Approx(evap_m[m]).epsilon(1e-6));  // float32 rounding
  }
  // The daily area in float32 equals the float64 daily area rounded to float32.
  const auto area_d = read(daily, "/series/daily/area_m2");
  const auto area_mixed = read(mixed, "/series/daily/area_m2");
  REQUIRE(area_mixed.size() == area_d.size());
  for (std::size_t i = 0; i < area_d.size(); ++i) CHECK(area_mixed[i] == static_cast<double>(static_cast<float>(area_d[i])));

  // Types: float32 where asked for; budgets and states always float64.
  CHECK(type_size(mixed, "/series/monthly/lake_evaporation_m3") == 4);
  CHECK(type_size(mixed, "/series/daily/area_m2") == 4);
  CHECK(type_size(mixed, "/series/monthly/level_m") == 8);
  CHECK(type_size(mixed, "/annual/lake_evaporation_m3") == 8);
  CHECK(type_size(mixed, "/initial/volume_m3") == 8);
  CHECK(type_size(mixed, "/final/volume_m3") == 8);
  {
    auto f = io::hdf5::File::open(mixed.string());
    CHECK_FALSE(f.exists("series/daily/level_m"));
    CHECK_FALSE(f.exists("series/monthly/area_m2"));
    CHECK_FALSE(f.exists("series/monthly/tds_g_per_L"));
    CHECK(f.open_dataset("/series/monthly/lake_evaporation_m3").string_attribute("cell_methods") == "time: sum");
  }

  // The water balance closes from the file: change of lake and aquifer storage = sum of the
  // annual totals of every flux with budget lake_water or aquifer_water, to the run's residual.
  {
    auto f = io::hdf5::File::open(mixed.string());
    auto annual = f.open_group("annual");
    double sum = 0.0, scale = 0.0;
    for (const auto& name : annual.children()) {
      auto ds = annual.open_dataset(name);
      if (!ds.has_attribute("budget")) continue;
      const std::string b = ds.string_attribute("budget");
      if (b != "lake_water" && b != "aquifer_water") continue;
      for (double x : ds.read_double()) {
        sum += x;
        scale += std::abs(x);
      }
    }
    const double change = f.open_dataset("/final/volume_m3").read_double()[0] - f.open_dataset("/initial/volume_m3").read_double()[0] +
                          f.open_dataset("/final/aquifer_storage_m3").read_double()[0] -
                          f.open_dataset("/initial/aquifer_storage_m3").read_double()[0];
    const double residual = f.open_dataset("/balance/water_residual_m3").read_double()[0];
    REQUIRE(scale > 1e6);
    CHECK(std::abs(change - sum - residual) <= 1e-9 * scale);
    CHECK(std::abs(change - sum) <= 1e-6 * scale);
  }
}

TEST_CASE("bad output tables are refused with file line and key", "[regression][output]") {
  ScratchDir d("output_bad", true);
  const std::pair<std::string, std::string> cases[] = {
      {"[output]\n[output.variables]\nlevel = { series = \"monthly\" }\n", "output.variables.level"},
      {"[output]\nseries = \"weekly\"\n", "output.series"},
      {"[output]\nprecision = \"float16\"\n", "output.precision"},
      {"[output]\ndeflate = 12\n", "output.deflate"},
      {"[output]\ncolour = 1\n", "colour"},
      {"[output]\n[output.variables]\nlevel_m = \"monthly\"\n", "output.variables.level_m"},
  };
  for (const auto& [table, key] : cases) {
    write_text(d.path / "s.toml", std::string(kScenarioHead) + table);
    const Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "out.h5"));
    INFO(table << " -> " << o.err);
    CHECK(o.status == 1);
    CHECK(o.err.find(key) != std::string::npos);
    CHECK(o.err.find("s.toml") != std::string::npos);
    CHECK_FALSE(fs::exists(d.path / "out.h5"));
    CHECK_FALSE(fs::exists(d.path / "out.h5.partial"));
  }
  write_text(d.path / "s.toml", std::string(kScenarioHead) + "series = \"daily\"\n[output]\nseries = \"monthly\"\n");
  const Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "out.h5"));
  CHECK(o.status == 1);
  CHECK(o.err.find("[output] only") != std::string::npos);
}

TEST_CASE("a conditioned batch killed and resumed equals the uninterrupted one", "[regression][resume][assimilation]") {
  // Conditioning uses every member: the resumed batch simulates every history again, so the runs it
  // still has to do start from the same conditioned lakes.
  ScratchDir d("resume_assim", true);
  write_text(d.path / "m.csv", "quantity,value,unit,time,sd,source\narea,60,km2,2014,6,test\ntds,5,g/L,2016-12-31,1,test\n");
  write_text(d.path / "b.toml", std::string(kBatch) + "[assimilation]\nmonitoring = \"m.csv\"\n");
  write_text(d.path / "targets.toml", kTargets);
  Outcome o = batch(d, "full.h5");
  INFO(o.err);
  REQUIRE(o.status == 0);
  o = batch(d, "res.h5", "", "DAIHAI_TEST_KILL_AFTER_RUNS=90");
  REQUIRE(fs::exists(d.path / "res.h5.partial"));
  o = batch(d, "res.h5", "--resume");
  INFO(o.err);
  REQUIRE(o.status == 0);
  for (const char* g : {"/runs", "/final", "/annual", "/series", "/balance", "/verification"}) {
    std::string log;
    const int rc = h5diff_group(d, "full.h5", "res.h5", g, log);
    INFO("h5diff " << g << ": " << log);
    CHECK(rc == 0);
  }
}

// A partial file another program holds open (HDF5 locks a file while it is open) belongs to a
// batch still running: said so, with and without --resume, and nothing is changed — not called
// damaged (whose advice, delete it, would destroy the running batch) nor interrupted.
TEST_CASE("a partial file locked by a running batch is diagnosed as such", "[regression][resume][lock]") {
  ScratchDir d("locked", true);
  write_text(d.path / "b.toml", kBatch);
  const fs::path partial = d.path / "out.h5.partial";
  write_text(partial, "being written");
  const int fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);  // as the HDF5 library of a running batch holds it
  for (const std::string extra : {"", " --resume"}) {
    const Outcome o = batch(d, "out.h5", extra);
    INFO(o.err);
    CHECK(o.status == 1);
    CHECK(o.err.find("locked") != std::string::npos);
    CHECK(o.err.find("is damaged") == std::string::npos);
    CHECK(read_text(partial) == "being written");
  }
  ::close(fd);
  // Released: the usual advice for a partial file that is not an HDF5 file.
  const Outcome after = batch(d, "out.h5", " --resume");
  INFO(after.err);
  CHECK(after.status == 1);
  CHECK(after.err.find("another program") == std::string::npos);
}

// A batch file named without a folder, in a folder with no targets.toml up to the root: the search
// for targets starts in the working folder (it failed with "cannot make absolute path", exit 3).
TEST_CASE("a batch file named without its folder and no targets file runs", "[regression][targets]") {
  ScratchDir d("bare_name", true);
  write_text(d.path / "b.toml", kBatch);
  const Outcome o = shell(d.path, "cd " + quoted(d.path) + " && " + quoted(DAIHAI_EXE) + " batch b.toml -o out.h5 --threads 2");
  INFO(o.err);
  CHECK(o.status == 0);
  CHECK(o.err.find("no targets.toml") != std::string::npos);
  CHECK(fs::exists(d.path / "out.h5"));
}
