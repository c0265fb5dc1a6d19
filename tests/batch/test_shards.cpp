// Shards of a batch (`daihai batch --shard I/N`, the tasks of a job array) and their merging
// (`daihai merge`): the merged file equals the file of the whole batch run in one process (h5diff
// group by group, /verification included), a missing or doubled shard is refused, a finished
// shard is kept when the array is resubmitted, and a shard's file is not taken for a result.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "io/hdf5.hpp"
#include "io/merge.hpp"
#include "support/cli.hpp"
#include "support/sharded_batch.hpp"

using namespace daihai;
using namespace daihai::testing;
namespace fs = std::filesystem;

TEST_CASE("shard slices are consecutive, balanced and cover every run once", "[batch][shards]") {
  for (std::size_t runs : {1u, 2u, 7u, 64u, 3200u})
    for (std::size_t n = 1; n <= std::min<std::size_t>(runs, 9); ++n) {
      std::size_t next = 0, smallest = runs, largest = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        const auto s = io::shard_slice({i, n}, runs);
        CHECK(s.first == next);
        next = s.last;
        smallest = std::min(smallest, s.last - s.first);
        largest = std::max(largest, s.last - s.first);
      }
      CHECK(next == runs);
      CHECK(largest - smallest <= 1);
    }
  CHECK_THROWS(io::parse_shard("0/3", "command line", "--shard"));
  CHECK_THROWS(io::parse_shard("4/3", "command line", "--shard"));
  CHECK_THROWS(io::parse_shard("1.5/3", "command line", "--shard"));
  CHECK_THROWS(io::parse_shard("2", "command line", "--shard"));
  CHECK(io::parse_shard("2/3", "command line", "--shard").text() == "2/3");
}

TEST_CASE("shards 1/3, 2/3 and 3/3 merged equal the batch run whole", "[batch][shards]") {
  ShardedBatch w("shards_merge");
  const Outcome whole = w.batch("whole.h5");
  INFO(whole.err);
  REQUIRE(whole.status == 0);
  for (int i = 1; i <= 3; ++i) {
    const Outcome o = w.batch("part_" + std::to_string(i) + ".h5", " --shard " + std::to_string(i) + "/3");
    INFO(o.err);
    REQUIRE(o.status == 0);
    // A shard has no target table; its runs are a third of the batch's.
    CHECK(o.out.empty());
    const io::ShardPart part = io::read_shard_part((w.path / ("part_" + std::to_string(i) + ".h5")).string());
    CHECK(part.batch_runs == kShardedRuns);
    CHECK(part.runs == io::shard_slice({static_cast<std::size_t>(i), 3}, kShardedRuns).last - part.first_run);
  }
  const Outcome m = w.daihai("merge part_3.h5 part_1.h5 part_2.h5 -o merged.h5");
  INFO(m.err);
  REQUIRE(m.status == 0);
  CHECK(m.out.find("minimum_area") != std::string::npos);  // the target table, as the batch printed it
  CHECK(m.out == whole.out);
  w.check_equal("whole.h5", "merged.h5");
  CHECK_FALSE(fs::exists(w.path / "merged.h5.partial"));
}

TEST_CASE("a missing or doubled shard is refused and nothing is written", "[batch][shards]") {
  ShardedBatch w("shards_refused");
  for (int i = 1; i <= 3; ++i) REQUIRE(w.batch("part_" + std::to_string(i) + ".h5", " --shard " + std::to_string(i) + "/3").status == 0);
  const Outcome missing = w.daihai("merge part_1.h5 part_3.h5 -o merged.h5");
  CHECK(missing.status == 2);  // the parts named on the command line
  CHECK(missing.err.find("shard(s) 2 of 3 missing") != std::string::npos);
  fs::copy_file(w.path / "part_2.h5", w.path / "again.h5");
  const Outcome doubled = w.daihai("merge part_1.h5 part_2.h5 again.h5 part_3.h5 -o merged.h5");
  CHECK(doubled.status == 2);
  CHECK(doubled.err.find("shard 2/3 in part_2.h5 and again.h5") != std::string::npos);
  // A shard of another split of the batch is not a part of this one.
  REQUIRE(w.batch("other.h5", " --shard 2/4").status == 0);
  const Outcome other = w.daihai("merge part_1.h5 other.h5 part_3.h5 -o merged.h5");
  CHECK(other.status == 1);
  CHECK(other.err.find("other.h5") != std::string::npos);
  CHECK_FALSE(fs::exists(w.path / "merged.h5"));
  CHECK_FALSE(fs::exists(w.path / "merged.h5.partial"));
  // A part is not a result: verify and report want the merged file.
  const Outcome verify = w.daihai("verify part_1.h5");
  CHECK(verify.status == 1);
  CHECK(verify.err.find("merge the parts first") != std::string::npos);
}

TEST_CASE("a resubmitted shard keeps its finished file and another shard's is written again", "[batch][shards]") {
  ShardedBatch w("shards_resubmitted");
  REQUIRE(w.batch("part_1.h5", " --shard 1/2").status == 0);
  const auto written = fs::last_write_time(w.path / "part_1.h5");
  const Outcome again = w.batch("part_1.h5", " --shard 1/2");
  CHECK(again.status == 0);
  CHECK(again.err.find("already complete") != std::string::npos);
  CHECK(fs::last_write_time(w.path / "part_1.h5") == written);
  // The same file name for another shard is not a finished part of it: simulated.
  const Outcome other = w.batch("part_1.h5", " --shard 2/2");
  CHECK(other.status == 0);
  CHECK(other.err.find("already complete") == std::string::npos);
  CHECK(io::read_shard_part((w.path / "part_1.h5").string()).shard.index == 2);
}

TEST_CASE("an interrupted shard resumes into the same part", "[batch][shards]") {
  ShardedBatch w("shards_resume");
  REQUIRE(w.batch("part_2.h5", " --shard 2/2").status == 0);
  fs::rename(w.path / "part_2.h5", w.path / "uninterrupted.h5");
  // Killed (SIGKILL) after the shard's 6th run of the batch reached its file.
  const Outcome killed = w.here("DAIHAI_TEST_KILL_AFTER_RUNS=" + std::to_string(kShardedRuns / 2 + 6) + " " + quoted(DAIHAI_EXE) +
                                           " batch sharded.toml --shard 2/2 -o part_2.h5 --threads 2 -q");
  CHECK((!killed.exited || killed.status == 128 + 9));  // the shell reports its child killed by SIGKILL
  REQUIRE(fs::exists(w.path / "part_2.h5.partial"));
  // Another shard's command does not take it over.
  const Outcome wrong = w.batch("part_2.h5", " --shard 1/2 --resume");
  CHECK(wrong.status == 1);
  CHECK(wrong.err.find("shard 2/2") != std::string::npos);
  const Outcome resumed = w.batch("part_2.h5", " --shard 2/2 --resume");
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  w.check_equal("uninterrupted.h5", "part_2.h5");
}
