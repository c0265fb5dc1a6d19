#pragma once
// A scratch folder holding a small conditioned factorial batch (2 measures x 5 climate members =
// 20 runs, 1955-2050, the monitoring file assimilated) and the default targets, for the tests of
// shards and of MPI jobs: each compares a file with the one the whole batch writes in one process.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "support/cli.hpp"

namespace daihai::testing {

inline constexpr std::size_t kShardedRuns = 20;

inline const char* kShardedBatch =
    "[batch]\n"
    "name = \"sharded\"\n"
    "measures = [\"yongxing_diversion\", \"well_sealing\"]\n"
    "combinations = \"all\"\n"
    "members = 5\n"
    "\n"
    "[scenario]\n"
    "start = 1955-01-01\n"
    "end = 2050-12-31\n"
    "inputs = \"inputs\"\n"
    "integrator = \"rk4\"\n"
    "series = \"monthly\"\n"
    "\n"
    "[climate]\n"
    "source = \"generator\"\n"
    "seed = 20240601\n"
    "observed_months = true\n"
    "\n"
    "[assimilation]\n"
    "monitoring = \"inputs/monitoring.csv\"\n";

struct ShardedBatch : ScratchDir {
  explicit ShardedBatch(const std::string& tag) : ScratchDir(tag, true) {
    write_text(path / "sharded.toml", kShardedBatch);
    fs::copy_file(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "targets.toml", path / "targets.toml");
  }

  /// `daihai batch sharded.toml -o OUT` (2 threads) with `extra` arguments.
  Outcome batch(const std::string& out, const std::string& extra = "") const {
    return daihai("batch sharded.toml -o " + out + " --threads 2" + extra);
  }

  /// `daihai ARGS` run in this folder.
  Outcome daihai(const std::string& args) const { return here("'" DAIHAI_EXE "' " + args); }

  /// A shell command run in this folder.
  Outcome here(const std::string& cmd) const { return shell(path, "cd " + quoted(path) + " && " + cmd); }

  /// Every result group of `a` and `b` equal (h5diff; root attributes such as creation_time are
  /// not compared), the same groups present, and the same run count.
  void check_equal(const std::string& a, const std::string& b) const {
    std::vector<std::string> groups;
    {
      auto fa = io::hdf5::File::open((path / a).string());
      auto fb = io::hdf5::File::open((path / b).string());
      CHECK(fa.children() == fb.children());
      CHECK(fa.int_attribute("runs") == fb.int_attribute("runs"));
      CHECK(fa.string_attribute("scenario_text") == fb.string_attribute("scenario_text"));
      for (const auto& g : fa.children()) groups.push_back("/" + g);
    }
    CHECK(groups.size() >= 6);
    for (const auto& g : groups) {
      const Outcome o = shell(path, "h5diff -r " + quoted(path / a) + " " + quoted(path / b) + " " + g + " " + g);
      INFO(a << " vs " << b << ", h5diff " << g << ": " << o.out << o.err);
      CHECK(o.status == 0);
    }
  }
};

}  // namespace daihai::testing
