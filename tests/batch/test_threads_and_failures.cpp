// Batch tests of the daihai program: results do not depend on the number of threads (compared
// with h5diff group by group; the root attributes, creation_time among them, are not compared),
// and a run that fails inside a batch is recorded in /runs while the other runs complete.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "support/cli.hpp"
#include "support/failing_batch.hpp"

using namespace daihai;
namespace fs = std::filesystem;

using namespace daihai::testing;

namespace {


/// A scratch directory holding a copy of inputs/daihai.
struct Workspace : ScratchDir {
  explicit Workspace(const std::string& tag) : ScratchDir("batch_" + tag, true) {}
};

Outcome run_batch(const Workspace& w, const fs::path& batch, const fs::path& out, int threads, const std::string& extra = "") {
  return run_daihai(w.path, "batch " + quoted(batch) + " -o " + quoted(out) + " --threads " +
                           std::to_string(threads) + extra);
}

bool h5diff_available() { return std::system("command -v h5diff >/dev/null 2>&1") == 0; }

/// h5diff of one group of two files; its exit status (0 identical, 1 differences, 2 error).
int h5diff_group(const Workspace& w, const fs::path& a, const fs::path& b, const std::string& group, std::string& log) {
  const Outcome o = shell(w.path, "h5diff -r " + quoted(a) + " " + quoted(b) + " " + group + " " + group);
  log = o.out + o.err;
  REQUIRE(o.exited);
  return o.status;
}

const std::vector<std::string> kGroups = {"/runs", "/initial", "/final", "/annual", "/series", "/balance", "/verification"};

/// Runs `batch` with 1 thread and with each of `others`, and compares every result group present
/// in the files with h5diff, and the root attributes other than creation_time through the wrapper.
void check_thread_independence(const Workspace& w, const fs::path& batch, const std::vector<int>& others,
                               const std::string& extra, bool expect_verification) {
  const fs::path one = w.path / "threads_1.h5";
  const Outcome o1 = run_batch(w, batch, one, 1, extra);
  INFO("stderr (1 thread): " << o1.err);
  REQUIRE(o1.exited);
  REQUIRE(o1.status == 0);
  REQUIRE(fs::exists(one));
  for (int n : others) {
    const fs::path many = w.path / ("threads_" + std::to_string(n) + ".h5");
    const Outcome on = run_batch(w, batch, many, n, extra);
    INFO("stderr (" << n << " threads): " << on.err);
    REQUIRE(on.exited);
    REQUIRE(on.status == 0);
    REQUIRE(fs::exists(many));

    std::vector<std::string> present;
    {
      auto fa = io::hdf5::File::open(one.string());
      auto fb = io::hdf5::File::open(many.string());
      for (const auto& g : kGroups) {
        const std::string name = g.substr(1);
        CHECK(fa.exists(name) == fb.exists(name));
        if (fa.exists(name)) present.push_back(g);
      }
      CHECK(fa.children() == fb.children());
      // Root provenance: everything but the creation time must agree.
      for (const char* a : {"Conventions", "title", "engine_version", "git_commit", "scenario_file", "scenario_text",
                            "input_checksums", "checksum_algorithm"})
        CHECK(fa.string_attribute(a) == fb.string_attribute(a));
      CHECK(fa.int_attribute("runs") == fb.int_attribute("runs"));
      CHECK(fa.int_attribute("daihai_layout") == fb.int_attribute("daihai_layout"));
    }
    for (const char* g : {"/runs", "/initial", "/final", "/annual", "/series", "/balance"})
      CHECK(std::find(present.begin(), present.end(), g) != present.end());
    CHECK((std::find(present.begin(), present.end(), "/verification") != present.end()) == expect_verification);
    for (const auto& g : present) {
      std::string log;
      const int rc = h5diff_group(w, one, many, g, log);
      INFO("h5diff " << g << " (1 vs " << n << " threads): " << log);
      CHECK(rc == 0);
    }
  }
}

// 2 measure combinations (baseline, yongxing_diversion from 1956) x 3 climate members.
const char* kThreadsBatch =
    "[batch]\n"
    "name = \"threads\"\n"
    "measures = [\"yongxing_diversion\"]\n"
    "combinations = \"all\"\n"
    "members = 3\n"
    "\n"
    "[scenario]\n"
    "start = 1955-01-01\n"
    "end = 1960-12-31\n"
    "inputs = \"inputs\"\n"
    "series = \"daily\"\n"
    "integrator = \"dopri5\"\n"
    "\n"
    "[climate]\n"
    "source = \"generator\"\n"
    "seed = 20240601\n"
    "observed_months = true\n"
    "\n"
    "[measures.yongxing_diversion]\n"
    "start = 1956-01-01\n";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("batch results are identical with 1 and 2 threads", "[batch][threads]") {
  if (!h5diff_available()) {
    WARN("h5diff (hdf5-tools) not found: skipped");
    return;
  }
  Workspace w("threads");
  const fs::path batch = w.path / "threads.toml";
  write_text(batch, kThreadsBatch);
  check_thread_independence(w, batch, {2}, " -q", false);
}

TEST_CASE("batch results are bit-identical for blocks of 1, 3, 8 and 32 runs", "[batch][block]") {
  if (!h5diff_available()) {
    WARN("h5diff (hdf5-tools) not found: skipped");
    return;
  }
  Workspace w("widths");
  const fs::path batch = w.path / "widths.toml";
  // rk4 (dopri5 takes one run per block): 2 combinations x 20 members = 40 runs, so blocks of 32
  // leave 8 runs for a second block and blocks of 3 one run for the last.
  write_text(batch, replaced(replaced(kThreadsBatch, "integrator = \"dopri5\"", "integrator = \"rk4\""), "members = 3", "members = 20"));
  const fs::path reference = w.path / "width_32.h5";
  const Outcome o = run_batch(w, batch, reference, 2, " -q --block-width 32");
  INFO(o.err);
  REQUIRE(o.status == 0);
  for (const char* width : {"1", "3", "8"}) {
    const fs::path other = w.path / (std::string("width_") + width + ".h5");
    const Outcome on = run_batch(w, batch, other, 2, std::string(" -q --block-width ") + width);
    INFO("blocks of " << width << ": " << on.err);
    REQUIRE(on.status == 0);
    for (const char* g : {"/runs", "/initial", "/final", "/annual", "/series", "/balance"}) {
      std::string log;
      const int rc = h5diff_group(w, reference, other, g, log);
      INFO("h5diff " << g << " (blocks of 32 vs " << width << "): " << log);
      CHECK(rc == 0);
    }
  }
}

TEST_CASE("batch verification table is identical with 1 and 2 threads", "[batch][threads]") {
  // The verification needs the report year 2030 on the annual axis: a monthly run 1955-2030, 2 members,
  // with targets over 2020..2030 of each statistic.
  if (!h5diff_available()) {
    WARN("h5diff (hdf5-tools) not found: skipped");
    return;
  }
  Workspace w("threads_verification");
  const fs::path batch = w.path / "threads.toml", targets = w.path / "targets.toml";
  write_text(batch, replaced(replaced(replaced(kThreadsBatch, "end = 1960-12-31", "end = 2030-12-31"), "\"daily\"", "\"monthly\""),
                             "members = 3", "members = 2"));
  write_text(targets,
             "plan_start = 2016\n"
             "[[target]]\nname = \"no_shrinking\"\nquantity = \"area_m2\"\nstatistic = \"trend\"\noperator = \">=\"\n"
             "value = 0\nunit = \"km2/a\"\nfrom = 2020\nto = 2030\nsource = \"test\"\n"
             "[[target]]\nname = \"minimum_area\"\nquantity = \"area_m2\"\nstatistic = \"every_year\"\noperator = \">=\"\n"
             "value = 60\nunit = \"km2\"\nfrom = 2020\nto = 2030\nsource = \"test\"\n"
             "[[target]]\nname = \"tds_2030\"\nquantity = \"tds_g_per_L\"\nstatistic = \"in_year\"\noperator = \"<=\"\n"
             "value = 5\nunit = \"g/L\"\nfrom = 2030\nto = 2030\nsource = \"test\"\n");
  check_thread_independence(w, batch, {2}, " -q --targets " + quoted(targets) + " --csv " + quoted(w.path / "table.csv"), true);
}

TEST_CASE("h5diff of batch groups detects a different climate", "[batch][threads]") {
  // Guards the comparison above: files that differ must not compare equal.
  if (!h5diff_available()) {
    WARN("h5diff (hdf5-tools) not found: skipped");
    return;
  }
  Workspace w("threads_differ");
  const fs::path a = w.path / "a.toml", b = w.path / "b.toml";
  const std::string text = replaced(kThreadsBatch, "end = 1960-12-31", "end = 1956-12-31");
  write_text(a, text);
  write_text(b, replaced(text, "seed = 20240601", "seed = 20240602"));
  REQUIRE(run_batch(w, a, w.path / "a.h5", 2, " -q").status == 0);
  REQUIRE(run_batch(w, b, w.path / "b.h5", 2, " -q").status == 0);
  std::string log;
  CHECK(h5diff_group(w, w.path / "a.h5", w.path / "b.h5", "/annual", log) == 1);
  CHECK(h5diff_group(w, w.path / "a.h5", w.path / "b.h5", "/runs", log) == 0);  // same identities
}



TEST_CASE("a failing run inside a batch is recorded and the others complete", "[batch][failures]") {
  Workspace w("failures");
  const fs::path batch = w.path / "some_fail.toml", out = w.path / "out" / "some_fail.h5";
  write_text(batch, kFailingBatch);
  const Outcome o = run_batch(w, batch, out, 2);
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 4);  // some runs failed, not every one
  REQUIRE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));

  auto file = io::hdf5::File::open(out.string());
  auto runs = file.open_group("runs");
  const auto status = runs.open_dataset("status").read_int8();
  const auto error = runs.open_dataset("error").read_strings();
  const auto scenario = runs.open_dataset("scenario").read_strings();
  const auto yellow = runs.open_dataset("measure_yellow_river_diversion").read_int8();
  const auto member = runs.open_dataset("climate_member").read_int64();
  const std::size_t n = 8;  // 4 combinations x 2 members
  REQUIRE(status.size() == n);
  REQUIRE(error.size() == n);
  REQUIRE(yellow.size() == n);
  CHECK(file.int_attribute("runs") == static_cast<std::int64_t>(n));

  const auto annual_years = file.open_group("annual").open_dataset("year").read_int64();
  CHECK(annual_years == std::vector<std::int64_t>{1955, 1956, 1957, 1958});
  const std::size_t ny = annual_years.size();
  const auto level = file.open_group("annual").open_dataset("level_m").read_double();
  const auto area = file.open_group("annual").open_dataset("area_m2").read_double();
  REQUIRE(level.size() == n * ny);
  REQUIRE(area.size() == n * ny);
  const auto final_volume = file.open_group("final").open_dataset("volume_m3").read_double();
  const auto water_residual = file.open_group("balance").open_dataset("water_residual_m3").read_double();
  REQUIRE(final_volume.size() == n);
  REQUIRE(water_residual.size() == n);

  std::size_t failed = 0;
  for (std::size_t r = 0; r < n; ++r) {
    INFO("run " << r << " (" << scenario[r] << ", member " << member[r] << "): error '" << error[r] << "'");
    CHECK(member[r] == static_cast<std::int64_t>(r / 4));  // climate member outer, 4 combinations inner
    const bool should_fail = yellow[r] == 1;
    CHECK(status[r] == (should_fail ? 1 : 0));
    if (should_fail) {
      ++failed;
      CHECK_FALSE(error[r].empty());
      CHECK(error[r].find("hypsometry") != std::string::npos);
      for (std::size_t y = 0; y < ny; ++y) CHECK(level[r * ny + y] == io::hdf5::kFillDouble);
      CHECK(final_volume[r] == io::hdf5::kFillDouble);
      CHECK(water_residual[r] == io::hdf5::kFillDouble);
    } else {
      CHECK(error[r].empty());
      for (std::size_t y = 0; y < ny; ++y) {
        const double h = level[r * ny + y], a = area[r * ny + y];
        CHECK(std::isfinite(h));
        CHECK(h != io::hdf5::kFillDouble);
        CHECK(h > 1204.1);
        CHECK(h < 1229.0);
        CHECK(std::isfinite(a));
        CHECK(a > 0.0);
        CHECK(a != io::hdf5::kFillDouble);
      }
      CHECK(std::isfinite(final_volume[r]));
      CHECK(final_volume[r] != io::hdf5::kFillDouble);
    }
  }
  CHECK(failed == 4);
  // The program reports each failed run on stderr.
  CHECK(o.err.find("failed: ") != std::string::npos);
}

TEST_CASE("failed runs are said and counted in the exit code also when quiet", "[batch][failures]") {
  Workspace w("fail_quiet");
  const fs::path batch = w.path / "some_fail.toml", out = w.path / "some_fail.h5";
  write_text(batch, kFailingBatch);
  const Outcome o = run_batch(w, batch, out, 2, " -q");
  CHECK(o.status == 4);
  CHECK(o.err.find("failed: ") != std::string::npos);
  CHECK(o.err.find("4 of 8 run(s) failed") != std::string::npos);
}

TEST_CASE("a batch in which every run fails exits 3", "[batch][failures]") {
  Workspace w("all_fail");
  const fs::path batch = w.path / "all_fail.toml", out = w.path / "all_fail.h5";
  write_text(batch, replaced(kFailingBatch, "combinations = \"all\"",
                             "combinations = \"list\"\nlist = [[\"yellow_river_diversion\"]]"));
  const Outcome o = run_batch(w, batch, out, 2);
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 3);
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
  REQUIRE(fs::exists(out));  // written: it records the failures
  {
    auto file = io::hdf5::File::open(out.string());
    CHECK(file.open_group("runs").open_dataset("status").read_int8() == std::vector<std::int8_t>{1, 1});
  }
  // Nothing to verify or validate in it: an error.
  const Outcome verify = run_daihai(w.path, "verify " + quoted(out));
  CHECK(verify.status == 3);
  CHECK(verify.err.find("no run of the file succeeded") != std::string::npos);
  const Outcome validate = run_daihai(w.path, "validate " + quoted(out) + " --observations " +
                                                  quoted(fs::path(DAIHAI_SOURCE_DIR) / "inputs" / "daihai" / "observations.csv"));
  CHECK(validate.status == 3);
  CHECK(validate.err.find("no run of the file succeeded") != std::string::npos);
}

TEST_CASE("failed runs are recorded under their own climate delta", "[batch][failures]") {
  Workspace w("fail_delta");
  const fs::path batch = w.path / "fail_delta.toml", out = w.path / "fail_delta.h5";
  write_text(batch, replaced(kFailingBatch, "members = 2", "members = 1\nclimate_deltas = [ { delta_t_C = 2.0, delta_p_pct = 10.0 } ]"));
  const Outcome o = run_batch(w, batch, out, 2);
  INFO("stderr: " << o.err);
  REQUIRE(o.exited);
  REQUIRE(o.status == 4);  // written, some runs failed
  auto runs = io::hdf5::File::open(out.string()).open_group("runs");
  // 4 combinations; the two with the Yellow River diversion fail.
  CHECK(runs.open_dataset("status").read_int8() == std::vector<std::int8_t>{0, 1, 0, 1});
  CHECK(runs.open_dataset("delta_t_C").read_double() == std::vector<double>(4, 2.0));
  CHECK(runs.open_dataset("delta_p_pct").read_double() == std::vector<double>(4, 10.0));
}
