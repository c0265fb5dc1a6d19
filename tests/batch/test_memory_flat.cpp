// Peak memory of a batch does not grow with the results of its runs: results stream to the file in
// windows (two in flight, batch::streaming_window), forcing and schedules are shared per climate
// realisation and measure combination and dropped after their windows, verification keeps three
// annual series per run. What may grow with the number of runs is small per run (the run list,
// the verification's annual series, HDF5's chunk caches until they are full); the results
// themselves (here monthly series of every variable over 30 years) must not.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "io/hdf5.hpp"
#include "support/cli.hpp"

using namespace daihai;
using namespace daihai::testing;

namespace {

std::string batch(int members) {
  return "[batch]\nname = \"memory\"\nmeasures = [\"cooling_retrofit\", \"yongxing_diversion\", \"yellow_river_diversion\", "
         "\"agricultural_saving\", \"well_sealing\"]\ncombinations = \"all\"\nmembers = " +
         std::to_string(members) +
         "\n\n[scenario]\nstart = 2000-01-01\nend = 2029-12-31\ninputs = \"inputs\"\nseries = \"monthly\"\n"
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

/// Bytes of monthly series one run of `file` holds (every dataset of /series/monthly but its axes).
double series_bytes_per_run(const std::filesystem::path& file) {
  auto f = io::hdf5::File::open(file.string());
  auto g = f.open_group("series/monthly");
  double bytes = 0.0;
  for (const auto& name : g.children()) {
    const auto dims = g.open_dataset(name).dims();
    if (dims.size() == 2) bytes += static_cast<double>(dims[1]) * static_cast<double>(g.open_dataset(name).type().size());
  }
  return bytes;
}

}  // namespace

TEST_CASE("peak memory of a batch does not grow with the results of its runs", "[batch][memory]") {
  if (std::system("test -x /usr/bin/time") != 0) {
    WARN("/usr/bin/time (Debian package time) not found: skipped");
    return;
  }
  ScratchDir dir("memory_flat", true);
  write_text(dir.path / "small.toml", batch(16));  // 512 runs: two windows on two threads
  write_text(dir.path / "large.toml", batch(64));  // 2,048 runs
  const long small = peak_kb(dir, "small.toml");
  const long large = peak_kb(dir, "large.toml");
  const double per_run = series_bytes_per_run(dir.path / "large.toml.h5");
  const double growth_per_run = (static_cast<double>(large - small) * 1024.0) / (2048 - 512);
  INFO("peak: " << small / 1024 << " MB for 512 runs, " << large / 1024 << " MB for 2,048 runs; " << growth_per_run
                << " bytes more per run, while a run's series hold " << per_run << " bytes");
  WARN("peak: " << small / 1024 << " MB for 512 runs, " << large / 1024 << " MB for 2,048 runs; " << growth_per_run
                << " bytes more per run, a run's series " << per_run << " bytes");
  REQUIRE(per_run > 100e3);  // 30 years of monthly series of every variable
  // Results held in memory would add at least a run's series per run; what does grow (the run
  // list and the verification's series, ~8 kB per 30-year run on one thread, and allocator
  // fragmentation across two threads' arenas, which depends on timing: 29-30 kB per run in all
  // on an idle machine, more under load) stays well below it.
  CHECK(growth_per_run < 0.5 * per_run);
  CHECK(large < 1024L * 1024L);  // and well under 1 GB
}
