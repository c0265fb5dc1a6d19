// Batches as MPI jobs (`mpirun -np 2 daihai batch ...`, the 'mpi' build): the ranks share the
// runs by dynamic work sharing and write one file with parallel HDF5; the file equals the one
// the whole batch writes in one process (h5diff group by group), also when one rank gets no
// runs, when runs fail, and when a killed job is resumed under MPI.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "io/hdf5.hpp"
#include "support/cli.hpp"
#include "support/failing_batch.hpp"
#include "support/sharded_batch.hpp"

using namespace daihai;
using namespace daihai::testing;
namespace fs = std::filesystem;

namespace {

// `mpirun -np RANKS daihai batch BATCH -o OUT --threads 1` with the MPI build.
Outcome mpi_batch(const ShardedBatch& w, int ranks, const std::string& batch, const std::string& out, const std::string& extra = "",
                  const std::string& env = "") {
  REQUIRE(fs::exists(DAIHAI_MPI_EXE));  // built by `make test` (cmake --build --preset mpi)
  return w.here(env + " " + quoted(DAIHAI_MPIRUN) + " --allow-run-as-root --oversubscribe -np " + std::to_string(ranks) + " " +
                        quoted(DAIHAI_MPI_EXE) + " batch " + batch + " -o " + out + " --threads 1" + extra);
}

}  // namespace

TEST_CASE("a 2-rank MPI job writes the file of the batch run in one process", "[batch][mpi]") {
  ShardedBatch w("mpi_equal");
  const Outcome whole = w.batch("whole.h5");
  REQUIRE(whole.status == 0);
  const Outcome o = mpi_batch(w, 2, "sharded.toml", "mpi.h5");
  INFO(o.err);
  REQUIRE(o.exited);
  REQUIRE(o.status == 0);
  CHECK(o.out == whole.out);  // the target table, printed once (by rank 0)
  CHECK(o.err.find("2 ranks") != std::string::npos);
  w.check_equal("whole.h5", "mpi.h5");
  CHECK_FALSE(fs::exists(w.path / "mpi.h5.partial"));
  // A single-rank MPI job is the serial batch.
  REQUIRE(mpi_batch(w, 1, "sharded.toml", "one.h5").status == 0);
  w.check_equal("whole.h5", "one.h5");
}

TEST_CASE("an MPI job whose runs leave a rank with nothing to do", "[batch][mpi]") {
  // 2 runs: one window, taken by one rank; the other takes part in every collective call only.
  ShardedBatch w("mpi_idle");
  std::string text = kShardedBatch;
  text.replace(text.find("members = 5"), 11, "members = 1");
  text.replace(text.find("[\"yongxing_diversion\", \"well_sealing\"]"), 38, "[\"yongxing_diversion\"]");
  text.replace(text.find("[assimilation]"), std::string::npos, "");  // one member: nothing to condition
  write_text(w.path / "two.toml", text);
  REQUIRE(w.daihai("batch two.toml -o whole.h5 --threads 2").status == 0);
  for (int ranks : {2, 3}) {
    const std::string out = "mpi_" + std::to_string(ranks) + ".h5";
    const Outcome o = mpi_batch(w, ranks, "two.toml", out);
    INFO(o.err);
    REQUIRE(o.status == 0);
    w.check_equal("whole.h5", out);
  }
}

TEST_CASE("a failing run under MPI is recorded like any failed run", "[batch][mpi][failures]") {
  ShardedBatch w("mpi_failing");
  write_text(w.path / "some_fail.toml", kFailingBatch);
  REQUIRE(w.daihai("batch some_fail.toml -o whole.h5 --threads 2").status == 4);  // some runs failed
  const Outcome o = mpi_batch(w, 2, "some_fail.toml", "mpi.h5");
  INFO(o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 4);  // some runs failed, not every one
  CHECK(o.err.find("failed: ") != std::string::npos);
  w.check_equal("whole.h5", "mpi.h5");
  auto f = io::hdf5::File::open((w.path / "mpi.h5").string());
  std::size_t failed = 0;
  for (auto s : f.open_dataset("runs/status").read_int8()) failed += s == 1 ? 1 : 0;
  CHECK(failed == 4);
}

TEST_CASE("a killed rank ends the MPI job and the partial file resumes under MPI", "[batch][mpi][resume]") {
  ShardedBatch w("mpi_killed");
  REQUIRE(w.batch("whole.h5").status == 0);
  // The rank that hands run 12 to the file dies (SIGKILL) as a node would; mpirun ends the job.
  const Outcome killed = mpi_batch(w, 2, "sharded.toml", "mpi.h5", "", "DAIHAI_TEST_KILL_AFTER_RUNS=12");
  CHECK(killed.status != 0);
  REQUIRE(fs::exists(w.path / "mpi.h5.partial"));
  CHECK_FALSE(fs::exists(w.path / "mpi.h5"));
  const Outcome refused = mpi_batch(w, 2, "sharded.toml", "mpi.h5");
  CHECK(refused.status == 1);
  CHECK(refused.err.find("--resume") != std::string::npos);
  const Outcome resumed = mpi_batch(w, 2, "sharded.toml", "mpi.h5", " --resume");
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  w.check_equal("whole.h5", "mpi.h5");
}

TEST_CASE("under MPI, bad input is reported once and a shard is refused", "[batch][mpi][errors]") {
  ShardedBatch w("mpi_errors");
  write_text(w.path / "bad.toml", std::string(kShardedBatch) + "\n[nonsense]\nx = 1\n");
  const Outcome bad = mpi_batch(w, 2, "bad.toml", "bad.h5");
  CHECK(bad.status == 1);
  const auto first = bad.err.find("daihai: error:");
  REQUIRE(first != std::string::npos);
  CHECK(bad.err.find("daihai: error:", first + 1) == std::string::npos);  // rank 0 speaks for both
  const Outcome shard = mpi_batch(w, 2, "sharded.toml", "part.h5", " --shard 1/2");
  CHECK(shard.status == 2);  // a bad command line
  CHECK(shard.err.find("--shard") != std::string::npos);
  CHECK_FALSE(fs::exists(w.path / "bad.h5.partial"));
  CHECK_FALSE(fs::exists(w.path / "part.h5.partial"));
}

TEST_CASE("an MPI job killed after a checkpoint resumes its saved runs under MPI", "[batch][mpi][resume]") {
  // 4 combinations x 80 members, 1955-1990: 320 runs, windows of 64 runs (one thread, blocks of
  // 16), a checkpoint every 2 windows per rank: 256 runs are in the file when run 300 kills its rank.
  ShardedBatch w("mpi_resume_saved");
  std::string text = kShardedBatch;
  text.replace(text.find("members = 5"), 11, "members = 80");
  text.replace(text.find("end = 2050-12-31"), 16, "end = 1990-12-31");
  text.replace(text.find("[assimilation]"), std::string::npos, "");
  write_text(w.path / "many.toml", text);
  REQUIRE(w.daihai("batch many.toml -o whole.h5 --threads 2").status == 0);
  const Outcome killed = mpi_batch(w, 2, "many.toml", "mpi.h5", " --block-width 16", "DAIHAI_TEST_KILL_AFTER_RUNS=300");
  CHECK(killed.status != 0);
  REQUIRE(fs::exists(w.path / "mpi.h5.partial"));
  CHECK(io::hdf5::File::open((w.path / "mpi.h5.partial").string()).int_attribute("resume_runs") == 256);
  fs::copy_file(w.path / "mpi.h5.partial", w.path / "copy.h5.partial");
  const Outcome resumed = mpi_batch(w, 2, "many.toml", "mpi.h5", " --block-width 16 --resume");
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(resumed.err.find("256 of 320 run(s) already done") != std::string::npos);
  w.check_equal("whole.h5", "mpi.h5");
  // The serial program continues a parallel job's file too.
  REQUIRE(w.daihai("batch many.toml -o copy.h5 --threads 2 --resume").status == 0);
  w.check_equal("whole.h5", "copy.h5");
}

TEST_CASE("a partial file of the serial program is refused under MPI and continued without it", "[batch][mpi][resume]") {
  ShardedBatch w("mpi_resume_serial");
  REQUIRE(w.batch("whole.h5").status == 0);
  const Outcome killed = w.here("DAIHAI_TEST_KILL_AFTER_RUNS=12 " + quoted(DAIHAI_EXE) + " batch sharded.toml -o part.h5 --threads 2 -q");
  REQUIRE(fs::exists(w.path / "part.h5.partial"));
  const Outcome refused = mpi_batch(w, 2, "sharded.toml", "part.h5", " --resume");
  CHECK(refused.status == 1);
  CHECK(refused.err.find("written by the program without MPI") != std::string::npos);
  CHECK(fs::exists(w.path / "part.h5.partial"));  // kept
  REQUIRE(w.batch("part.h5", " --resume").status == 0);
  w.check_equal("whole.h5", "part.h5");
}
