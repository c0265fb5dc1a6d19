// Peak memory of a batch does not grow with the number of runs: results stream to the file in
// windows, forcing is shared per climate realisation and dropped after its window, verification
// keeps three annual series per run. A batch 8 times larger must peak within a small margin of the
// smaller one (measured: 59 and 66 MB; the 3,200-run benchmark in bench/ peaks at ~230 MB).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "support/cli.hpp"

using namespace daihai::testing;

namespace {

std::string batch(int members) {
  return "[batch]\nname = \"memory\"\nmeasures = [\"cooling_retrofit\", \"yongxing_diversion\", \"yellow_river_diversion\", "
         "\"agricultural_saving\", \"groundwater_cap\"]\ncombinations = \"all\"\nmembers = " +
         std::to_string(members) +
         "\n\n[scenario]\nstart = 2000-01-01\nend = 2002-12-31\ninputs = \"inputs\"\nseries = \"monthly\"\n"
         "integrator = \"rk4\"\n\n[climate]\nseed = 7\n";
}

/// Peak resident memory (kB) of `daihai batch` on `file`, from GNU time.
long peak_kb(const ScratchDir& dir, const std::string& file) {
  const Outcome o = shell(dir.path, "/usr/bin/time -f 'peak_kb=%M' -o " + quoted(dir.path / (file + ".rss")) + " " +
                                        quoted(DAIHAI_EXE) + " batch " + quoted(dir.path / file) + " -o " +
                                        quoted(dir.path / (file + ".h5")) + " -q --threads 2");
  INFO(o.err);
  REQUIRE(o.exited);
  REQUIRE(o.status == 0);
  const std::string t = read_text(dir.path / (file + ".rss"));
  const auto at = t.find("peak_kb=");
  REQUIRE(at != std::string::npos);
  return std::stol(t.substr(at + 8));
}

}  // namespace

TEST_CASE("peak memory of a batch stays flat in the number of runs", "[batch][memory]") {
  if (std::system("test -x /usr/bin/time") != 0) {
    WARN("/usr/bin/time (Debian package time) not found: skipped");
    return;
  }
  ScratchDir dir("memory_flat", true);
  write_text(dir.path / "small.toml", batch(8));   // 256 runs
  write_text(dir.path / "large.toml", batch(64));  // 2,048 runs
  const long small = peak_kb(dir, "small.toml");
  const long large = peak_kb(dir, "large.toml");
  INFO("peak: " << small / 1024 << " MB for 256 runs, " << large / 1024 << " MB for 2,048 runs");
  // Flat: 8 times the runs may add at most 25 % (the verification's per-run annual series and
  // the run table grow with the runs, by a few kB per run).
  CHECK(large < small * 1.25);
  CHECK(large < 1024L * 1024L);  // and well under 1 GB
}
