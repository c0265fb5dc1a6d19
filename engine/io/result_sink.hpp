#pragma once
/// @file result_sink.hpp
/// io::ResultSink, the only code that writes run results: one HDF5 file per batch, written from
/// one thread in run order into `NAME.h5.partial` and renamed to `NAME.h5` by commit(); a sink
/// destroyed without commit() or suspend() removes its partial file, so a failed batch leaves no
/// half-written result. The partial file is checkpointed every SinkOptions::row_chunk runs and
/// carries the root attribute `daihai_partial` until commit(), so an interrupted batch can be
/// resumed (SinkMode::resume) and its partial file is never read as a result. The layout is
/// documented in `outputs/README.md`.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/hdf5.hpp"
#include "io/output_spec.hpp"
#include "io/version.hpp"
#include "scenario/run_result.hpp"

namespace daihai::io {

/// A RunResult that does not fit the file being written (a year or time axis different from
/// the earlier runs, a variable missing or extra, a measure list that changed, a bad name), or
/// a sink used after commit(). The message names the run (index, scenario, members) and what
/// differs.
class ResultError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Provenance of a batch, written as attributes of the file root.
struct BatchMetadata {
  std::string engine_version = io::engine_version();  ///< root attribute `engine_version`
  std::string git_commit = io::git_commit();          ///< root attribute `git_commit`
  std::string scenario_path;                     ///< root attribute `scenario_file`
  std::string scenario_text;                     ///< root attribute `scenario_text` (the file's full text)
  /// input file path -> checksum as made by file_checksum(); root attribute `input_checksums`,
  /// one line per file: "<checksum>  <path>", sorted by path.
  std::map<std::string, std::string> input_checksums;
  /// A shard of the batch (`daihai batch --shard I/N`): "I/N", root attribute `shard`; empty for
  /// a whole batch. A shard's file holds its runs only: its row j is run `shard_first_run + j` of
  /// the batch (the `run` coordinates say so; root attributes `shard_first_run`, `batch_runs`).
  std::string shard;
  std::size_t shard_first_run = 0;  ///< with `shard`: the batch index of its first run
  std::size_t batch_runs = 0;       ///< with `shard`: the number of runs of the whole batch
};

/// Thrown on the other processes of a parallel sink when rank 0 failed an operation they took
/// part in (rank 0 throws, and reports, the error itself). `input` tells whether rank 0's error
/// was a core::InputError (exit code 2) or another failure.
class PeerError : public std::runtime_error {
public:
  PeerError(const std::string& what, bool input) : std::runtime_error(what), input_(input) {}
  bool input() const noexcept { return input_; }

private:
  bool input_;
};

/// The root attribute `input_checksums` of `m`: one line "<checksum>  <path>" per input file, by path.
std::string checksum_lines(const BatchMetadata& m);

/// What a state's value of an interval (a day, a month, a year) is: the mean of its end-of-day
/// values, each the state at 24:00 of one day of the interval (for a daily series, the state at
/// the end of the day, i.e. 00:00 of the next; the interval itself is the cell [first day 00:00,
/// day after the last 00:00) of `time_bnds`). Written into the states' `cell_methods`.
inline constexpr const char* kStateSampling = "mean of the states at the end (24:00) of each day of the interval";

/// The CF `cell_methods` of a [run, axis] variable: "<axis>: sum" for a flux total,
/// "<axis>: mean (interval: 1 day comment: <kStateSampling>)" for a state (CF 1.8 §7.3.2-7.3.3:
/// a mean of samples taken once a day).
std::string cell_methods(const char* axis_name, scenario::Aggregation aggregation);

/// FNV-1a 64-bit hash (offset basis 14695981039346656037, prime 1099511628211) of `bytes`.
std::uint64_t fnv1a64(std::string_view bytes);

/// "fnv1a64:" followed by the 16 lower-case hex digits of fnv1a64() over the bytes of the file
/// `path`. Throws core::InputError naming the file when it cannot be read.
std::string file_checksum(const std::string& path);

/// file_checksum() of each path, keyed by the path as given.
std::map<std::string, std::string> file_checksums(const std::vector<std::string>& paths);

/// Storage tuning of a ResultSink (the shapes are documented, with the measurements that chose
/// them, in outputs/README.md and bench/README.md).
struct SinkOptions {
  /// Per-variable series resolution and precision, deflate level and shuffle (io::OutputSpec;
  /// its defaults: monthly float64 series of every variable).
  OutputSpec output;
  /// Runs per chunk of every [run, year] and [run, time] dataset, and runs between checkpoints
  /// (flush of the partial file with the count of complete runs). Equal to the window of
  /// batch::run_streaming, so that a checkpoint writes complete chunks, each compressed once.
  std::size_t row_chunk = 64;
  std::size_t monthly_chunk = 120;  ///< intervals per chunk of monthly series (10 years)
  /// The variables and axes every run will have (names, units, long names, aggregation, budget;
  /// the values are ignored), known before the first run from the model's declarations
  /// (scenario::declared_layout): the datasets are created with the file. Without it they are
  /// created from the first successful run.
  std::optional<scenario::RunResult> layout;
  std::size_t daily_chunk = 365;    ///< intervals per chunk of daily series (one year)
  /// Every process of MPI_COMM_WORLD writes this one file with parallel HDF5 (a build with
  /// DAIHAI_MPI; see ResultSink::write(run, index)). Needs `layout` and `runs`.
  bool parallel = false;
  /// With `parallel`: the number of runs of the batch; every [run, ...] dataset is created with
  /// that many rows, so that no process changes an extent while the others write.
  std::size_t runs = 0;
};

/// How a ResultSink opens its partial file.
enum class SinkMode {
  create,  ///< a new `NAME.h5.partial` (an existing one is replaced)
  resume,  ///< continue the existing `NAME.h5.partial` of an interrupted batch after its last checkpoint
};

/// Writes the runs of one batch into one HDF5 file (layout: `outputs/README.md`).
///
/// Use from one thread: construct, write() each run in run order (or write_all()), optionally
/// add more groups through file() (e.g. io::write_verification), then commit().
/// The file is open and being written during the batch; nothing is kept in memory per run
/// beyond what one write() needs, so thousands of runs stream through.
///
/// Series variables go to `/series/monthly` or `/series/daily` (or nowhere) in float64 or
/// float32 as SinkOptions::output says; runs hand in series at the finest resolution asked for,
/// and monthly values are aggregated from daily ones (means of states, sums of fluxes).
/// Variables (initial/final states, annual and series variables) and the year and time axes
/// are taken from the first successful run; every later successful run must have the same axes
/// and the same variable names (in any order), else write() throws ResultError before writing
/// anything of that run. Rows of failed runs (`ok == false`) hold each variable's `_FillValue`.
/// A successful run with a non-finite value (or a value beyond the float32 range in a float32
/// series) is recorded as failed, with an error text naming the variable and index (no NaN or
/// infinity ever reaches the file).
/// `/runs` records each run's identity: scenario, measures, climate and parameter member and the
/// climate deltas (`delta_t_C` [K], `delta_p_pct` [percent]); a non-finite delta is a ResultError.
class ResultSink {
public:
  /// SinkMode::create: creates `path + ".partial"` (truncating a stale one) and writes the root
  /// provenance attributes. Throws hdf5::Hdf5Error when the file cannot be created.
  ///
  /// SinkMode::resume: reopens the partial file of an interrupted batch. It is accepted only when
  /// its provenance (scenario text, input checksums, engine version and git commit) equals
  /// `metadata` and the rows up to its last checkpoint hash to the digest recorded with that
  /// checkpoint; rows beyond the checkpoint are cut off and writing continues at run
  /// runs_written(). Throws core::InputError naming the partial file and what differs, or
  /// saying that it is damaged (delete it and start again), or that it does not exist.
  ///
  /// SinkOptions::parallel: every process of MPI_COMM_WORLD constructs the sink together; rank 0
  /// creates (or resumes) the file alone, pre-sized to SinkOptions::runs rows, then every process
  /// opens it for parallel writing. An error on rank 0 is thrown there and as PeerError elsewhere.
  ResultSink(std::string path, BatchMetadata metadata, SinkOptions options = {}, SinkMode mode = SinkMode::create);
  /// Closes and removes the partial file unless commit() or suspend() succeeded. Never throws.
  ~ResultSink();
  ResultSink(const ResultSink&) = delete;
  ResultSink& operator=(const ResultSink&) = delete;

  /// After a resume: for each run already in the file (runs 0 .. runs_written()-1), what
  /// verification and the batch summary need: identity, status, error, the year axis, the annual
  /// `area_m2`, `level_m` and `tds_g_per_L`, and the balance residuals (other fields empty).
  /// Empty for a new file. Moves the runs out (a second call returns nothing).
  std::vector<scenario::RunResult> take_resumed_runs();

  /// Makes every run written so far durable: records their number and a digest of their rows
  /// as root attributes (`resume_runs`, `resume_digest`) and flushes the file (H5Fflush).
  /// write() does this by itself after every SinkOptions::row_chunk runs. A parallel sink:
  /// collective (every process calls it); the rows held by every process are written with
  /// collective HDF5 calls, the text rows (scenario, error, branch date: HDF5 cannot write
  /// variable-length strings in parallel) by rank 0 with the file reopened by it alone, which
  /// also records the checkpoint; throws on every process when one failed (PeerError elsewhere).
  void checkpoint();
  /// checkpoint(), then closes the partial file and keeps it for a later SinkMode::resume
  /// (used on Ctrl-C). The sink is finished afterwards, like after commit().
  void suspend();
  /// Seconds spent in write() and checkpoint() so far (HDF5, compression and flushes).
  double write_seconds() const;

  /// Appends `run` as the next row of every [run, ...] dataset. Throws ResultError when the
  /// run does not fit (see the class comment) or the sink is committed; hdf5::Hdf5Error when
  /// HDF5 fails.
  void write(const scenario::RunResult& run);
  /// write() of each run in order.
  void write_all(const std::vector<scenario::RunResult>& runs);

  /// A parallel sink (SinkOptions::parallel): holds `run` as row `index` until the next
  /// checkpoint(). Each row is written by one process, rows in ascending order per process;
  /// when the processes call checkpoint() together, rows 0 .. runs_written()+(rows held by all)-1
  /// must all have been given. Validation as write(); throws ResultError (e.g. for a serial sink).
  void write(const scenario::RunResult& run, std::size_t index);
  /// A parallel sink: the last checkpoint(), after which the file is written by rank 0 alone
  /// (its sink goes on as a serial one: file(), written_runs(), commit()); the other processes'
  /// sinks are finished and keep the file. Collective, like checkpoint().
  void gather();
  /// False on the processes other than rank 0 after gather() (nothing left for them to do).
  bool holds_file() const noexcept { return state_ != nullptr; }
  /// What verification and the batch summary need (as take_resumed_runs()) of every run written
  /// so far, read back from the file. Throws ResultError after commit().
  std::vector<scenario::RunResult> written_runs();
  /// Number of runs written so far.
  std::size_t runs_written() const;

  /// The open file, for reading what was written and writing further groups (e.g.
  /// `/verification`) before commit(); its [run, ...] datasets are cut to the runs written. Any
  /// handle taken from it must be closed (destroyed) before commit(). Throws ResultError after
  /// commit() and on a parallel sink before gather().
  hdf5::File& file();

  /// Finishes the axes, flushes, closes and renames `NAME.h5.partial` to `NAME.h5` (replacing
  /// an existing file). Throws ResultError when called twice or when handles into the file are
  /// still open, hdf5::Hdf5Error or std::filesystem::filesystem_error when closing or renaming
  /// fails (the partial file is then removed by the destructor).
  void commit();

  const std::string& path() const noexcept { return path_; }                  ///< the final path
  const std::string& partial_path() const noexcept { return partial_path_; }  ///< path + ".partial"

private:
  struct State;
  void open_serial(SinkMode mode);
  void open_parallel(SinkMode mode);  // result_sink_parallel.cpp
  void write_row(const scenario::RunResult& run, std::size_t index);
  std::string path_;
  std::string partial_path_;
  std::unique_ptr<State> state_;
  bool committed_ = false;
  bool suspended_ = false;
};

/// Opens an existing daihai result file read-only and checks it is a finished one (root attribute
/// `daihai_layout`, no `daihai_partial` attribute, the groups `runs`, `annual`). Throws
/// core::InputError naming the file and the missing group or attribute when it is not a daihai
/// result or is the partial file of an unfinished batch, hdf5::Hdf5Error when it is not an HDF5
/// file at all (the message includes the path).
hdf5::File open_result_file(const std::string& path);

/// The number of successful runs (`/runs/status` 0) of the finished results file `path`; throws
/// like open_result_file().
std::size_t successful_runs(const std::string& path);

/// The dataset `name` of `group` (whose path in the file is `group_path`) of the results file
/// `file`; throws core::InputError naming the file and the dataset's path when it is missing.
hdf5::Dataset require_dataset(const hdf5::Group& group, const std::string& group_path, const std::string& name,
                              const std::string& file);

/// Current layout version, root attribute `daihai_layout`.
inline constexpr std::int64_t kResultLayoutVersion = 2;

}  // namespace daihai::io
