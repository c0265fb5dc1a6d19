// daihai command-line program: subcommands run, batch and verify. The only place that maps
// exceptions to exit codes: 0 success, 1 bad input (file, key or value; nothing was written),
// 2 bad command line, 3 the simulation or the output failed (every run of a batch failed, or no
// run of a results file succeeded), 4 the results were written but some runs failed.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "batch/batch.hpp"
#include "batch/calibrate.hpp"
#include "batch/design.hpp"
#include "batch/ranks.hpp"
#include "io/merge.hpp"
#include "analysis/attribution.hpp"
#include "io/attribution_file.hpp"
#include "analysis/validation.hpp"
#include "io/validation_file.hpp"
#include "batch/threads.hpp"
#include "analysis/verification.hpp"
#include "io/verification_file.hpp"
#include "core/errors.hpp"
#include "io/calibration_file.hpp"
#include "io/hdf5.hpp"
#include "io/observations_file.hpp"
#include "io/output_paths.hpp"
#include "io/parallel.hpp"
#include "io/result_sink.hpp"
#include "io/scenario_file.hpp"
#include "io/monitoring_file.hpp"
#include "io/report_data.hpp"
#include "io/state_file.hpp"
#include "io/targets.hpp"
#include "io/version.hpp"
#include "scenario/recorder.hpp"
#include "scenario/run.hpp"

namespace fs = std::filesystem;
using namespace daihai;

namespace {

// Ctrl-C (SIGINT) and SIGTERM stop a batch between runs; the partial results file is kept, up to
// the last run written, for `--resume`.
std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted.store(true); }

// Set while the ranks of an MPI job write their results file together: an error on one rank then
// ends the whole job (the others would wait for it in the next collective call).
std::atomic<bool> g_collective{false};

// "rank R: " in an MPI job of several ranks, else "".
std::string rank_prefix() { return batch::ranks() > 1 ? fmt::format("rank {}: ", batch::rank()) : std::string(); }

struct Options {
  std::string input;
  std::string output;
  std::string targets;
  std::string csv;
  std::string observations;
  std::string scenario;
  std::vector<int> quantile_years;  // verify --quantiles
  std::string by_year_csv;          // verify --by-year-csv
  int trend_from = 2016, trend_to = 2021, area_year = 2030;  // attribute
  int threads = 0;
  std::size_t block_width = 0;  // batch --block-width (0: the engine's default)
  bool quiet = false;
  bool resume = false;
  std::string save_state;     // batch/run --save-state FILE
  std::string save_state_at;  // --save-state-at YYYY-MM-DD
  std::string restart;        // --restart FILE
  std::string monitoring;     // validate --monitoring FILE
  std::string lang = "zh";    // report --lang
  std::string costs;          // report --costs FILE
  std::string target;         // design --target
  double probability = 0.9;   // design --probability
  std::string vary;           // design --vary <measure>.<key>
  std::string shard;          // batch --shard I/N
  std::vector<std::string> parts;  // merge PARTS...
};

// The targets file of a command: the one given, else the nearest targets.toml: next to the
// scenario file or in a folder above it (a batch in scenarios/examples/ finds scenarios/targets.toml).
std::string targets_path(const Options& o, const std::string& scenario_file) {
  if (!o.targets.empty()) return o.targets;
  fs::path dir = fs::path(scenario_file).parent_path();
  if (dir.empty()) dir = ".";  // a file named without a folder: the working folder
  for (;;) {
    const fs::path p = (dir / "targets.toml").lexically_normal();
    if (fs::exists(p)) return p.string();
    const fs::path abs = fs::absolute(dir).lexically_normal();
    if (abs == abs.root_path() || abs.parent_path() == abs) return {};
    dir = (dir / "..").lexically_normal();
  }
}

std::string default_csv(const std::string& h5) {
  fs::path p(h5);
  p.replace_extension("");
  return p.string() + "_verification.csv";
}

// The files a plan reads (its scenario file, every input file, forcing files, the targets).
std::vector<std::string> files_read(const io::RunPlan& plan, const std::string& targets) {
  std::vector<std::string> reads{plan.file, targets};
  for (const auto& [path, sum] : plan.checksums) reads.push_back(path);
  for (const auto& r : plan.runs)
    if (!r.scenario.climate.csv_path.empty()) reads.push_back(r.scenario.climate.csv_path);
  return reads;
}

// An output's folder that does not exist yet is created when the output is written (as `mkdir -p`
// would), and the user is told so before anything runs: a mistyped folder name does not pass
// unnoticed. Unless quiet; in an MPI job rank 0 alone speaks.
void note_new_folder(const Options& o, const fs::path& folder) {
  if (o.quiet || folder.empty() || batch::rank() != 0) return;
  std::error_code ec;
  if (fs::exists(folder, ec) || ec) return;
  fmt::print(stderr, "daihai: note: the folder {} does not exist: it will be created for the output\n", folder.string());
}

// io::check_output_file (an output never destroys an input), then note_new_folder.
void check_output(const Options& o, const std::string& path, const std::vector<std::string>& allowed_extensions,
                  const std::vector<std::string>& reads) {
  io::check_output_file(path, allowed_extensions, reads);
  note_new_folder(o, fs::path(path).parent_path());
}

// What loading set aside (quality control of the climate records), unless quiet.
void print_notes(const scenario::LakeInputs& in, bool quiet) {
  if (quiet || in.notes.empty()) return;
  fmt::print(stderr, "daihai: note: {} value(s) of the climate records rejected by quality control (treated as missing):\n", in.notes.size());
  for (std::size_t i = 0; i < in.notes.size() && i < 5; ++i) fmt::print(stderr, "  {}\n", in.notes[i]);
  if (in.notes.size() > 5) fmt::print(stderr, "  ... and {} more\n", in.notes.size() - 5);
}

// Measures that start after the run's end do nothing: said, so that a typed year is not silent.
void print_late_measures(const io::RunPlan& plan, bool quiet) {
  if (quiet || plan.runs.empty()) return;
  std::set<std::string> said;
  const auto& end = plan.runs.front().scenario.end;
  for (const auto& r : plan.runs)
    for (const auto& m : r.scenario.measures)
      if (core::day_number(m.start) > core::day_number(end) && said.insert(m.name).second)
        fmt::print(stderr, "daihai: note: measure '{}' starts on {}, after the run's end ({}): it has no effect ({}:{})\n", m.name,
                   core::format_date(m.start), core::format_date(end), m.file, m.line);
}

// The state files of a batch: --save-state FILE --save-state-at DAY (every run's state at the start of
// DAY, written after the batch) and --restart FILE (every run starts from its saved state).
struct StateFiles {
  batch::StateOptions options;
  io::StateFile saved;
  std::vector<scenario::LaneState> restart;

  StateFiles(const io::RunPlan& plan, const Options& o) {
    const auto& s0 = plan.runs.front().scenario;
    if (o.save_state.empty() != o.save_state_at.empty())
      throw core::InputError("command line", 0, o.save_state.empty() ? "--save-state" : "--save-state-at",
                             "--save-state FILE and --save-state-at YYYY-MM-DD go together");
    if (!o.save_state.empty()) {
      if (o.resume)
        throw core::InputError("command line", 0, "--save-state",
                               "--save-state with --resume: the runs already in the partial file would have no state; run the batch "
                               "again without --resume to save its states");
      try {
        options.save_day = core::day_number(core::parse_date(o.save_state_at));
      } catch (const std::exception&) {
        throw core::InputError("command line", 0, "--save-state-at", fmt::format("expected a date YYYY-MM-DD, found '{}'", o.save_state_at));
      }
      const std::int64_t first = core::day_number(s0.start), last = core::day_number(s0.end);
      if (*options.save_day <= first || *options.save_day > last + 1)
        throw core::InputError("command line", 0, "--save-state-at",
                               fmt::format("{}: a state is saved at the start of a day after the run's first ({}) and at most the day after "
                                           "its last ({})",
                                           o.save_state_at, core::format_date(s0.start), core::format_date(core::date_of(last + 1))));
      saved.integrator = s0.integrator;
      saved.columns = io::state_columns(*plan.model);
      for (const auto& p : plan.model->processes) saved.processes.push_back(p.name);
      options.on_state = [this, &plan](std::size_t i, scenario::LaneState&& s, std::int64_t origin) {
        const auto& sc = plan.runs[i].scenario;
        saved.runs[plan.runs[i].index] = {sc.name, sc.climate.member, sc.parameter_member, sc.climate.delta_t_C, sc.climate.delta_p_pct,
                                          io::weather_identity(sc.climate), origin, std::move(s)};
      };
    }
    if (!o.restart.empty()) {
      const io::StateFile file = io::read_state_file(o.restart);
      restart = io::restart_states(plan, file, o.restart);
      for (const auto& run : plan.runs) {
        options.restart.push_back(&restart[options.restart.size()]);
        options.forcing_origin.push_back(file.runs.at(run.index).forcing_origin);
      }
    }
  }
};

// Which runs this process simulates: the whole batch, one shard of it (--shard I/N, the runs of
// its slice into a file of their own) or, as one rank of an MPI job, the windows handed to it
// (the ranks write one file together).
struct Partition {
  std::optional<io::Shard> shard;
  io::ShardSlice slice;   // the runs of this results file
  bool parallel = false;  // one of several MPI ranks
};

Partition partition(const io::RunPlan& plan, const Options& o) {
  // The program without MPI started by mpirun: every process would run the whole batch.
  const char* world = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (!io::hdf5::File::parallel_available() && world != nullptr && std::atoi(world) > 1)
    throw core::InputError("command line", 0, "mpirun",
                           "this daihai was built without MPI: under mpirun use the MPI build (make mpi: build/mpi/daihai)");
  Partition p;
  p.parallel = batch::ranks() > 1;
  p.slice = {0, plan.runs.size()};
  if (!o.shard.empty()) {
    if (p.parallel)
      throw core::InputError("command line", 0, "--shard",
                             "a shard is one process's part of a batch: run shards without mpirun (a job array), or the whole batch with mpirun");
    p.shard = io::parse_shard(o.shard, "command line", "--shard");
    if (!o.csv.empty())
      throw core::InputError("command line", 0, "--csv", "a shard has no target table (daihai merge writes it): --csv goes with merge");
    if (p.shard->count > plan.runs.size())
      throw core::InputError("command line", 0, "--shard", fmt::format("{} shards for a batch of {} run(s): at most one shard per run",
                                                                      p.shard->count, plan.runs.size()));
    p.slice = io::shard_slice(*p.shard, plan.runs.size());
  }
  if ((p.shard || p.parallel) && !o.save_state.empty())
    throw core::InputError("command line", 0, "--save-state", "saving the runs' states needs every run in one process: not with --shard or mpirun");
  return p;
}

// True when `path` is the finished file of this shard of this batch (same text, inputs, engine):
// a resubmitted job array keeps it.
bool shard_done(const std::string& path, const io::BatchMetadata& meta) {
  try {
    const io::ShardPart part = io::read_shard_part(path);
    const auto f = io::hdf5::File::open(path);
    return part.shard.text() == meta.shard && f.string_attribute("scenario_text") == meta.scenario_text &&
           f.string_attribute("input_checksums") == io::checksum_lines(meta) && f.string_attribute("engine_version") == meta.engine_version &&
           f.string_attribute("git_commit") == meta.git_commit;
  } catch (const std::exception&) {
    return false;  // not a finished shard of this batch: written again
  }
}

// The batch summary: failed runs and the largest balance residuals.
struct Tally {
  std::size_t failed = 0;
  double worst_water = 0.0, worst_salt = 0.0;
  void add(const scenario::RunResult& r) {
    if (!r.ok) {
      ++failed;
      return;
    }
    worst_water = std::max(worst_water, std::abs(r.water_residual_m3));
    worst_salt = std::max(worst_salt, std::abs(r.salt_residual_kg));
  }
};

// Simulates a plan and writes its results file; prints the target table.
int simulate(const io::RunPlan& plan, const Options& o) {
  const int threads = batch::resolve_threads(o.threads);
  const Partition part = partition(plan, o);
  const bool speak = !o.quiet && batch::rank() == 0;  // the ranks of an MPI job speak through rank 0
  print_notes(*plan.inputs, !speak);
  print_late_measures(plan, !speak);
  // Targets are checked before anything runs: a bad targets file is an input error.
  const std::string tpath = targets_path(o, plan.file);
  std::vector<io::Target> targets;
  if (!tpath.empty()) targets = io::load_targets(tpath);
  else if (speak)
    fmt::print(stderr, "daihai: note: no targets.toml next to {} or in a folder above it: no target table (give --targets FILE)\n",
               plan.file);
  std::vector<int> years;
  for (int y = plan.runs.front().scenario.start.year; y <= plan.runs.front().scenario.end.year; ++y) years.push_back(y);
  const auto problems = analysis::coverage_problems(years, targets);
  // Targets given on the command line must fit the period; the default targets file next to the
  // scenario is skipped (with a note) for runs whose period does not cover it.
  if (!o.targets.empty() && !problems.empty())
    throw core::InputError(o.targets, 0, "", fmt::format("the targets do not fit the run's period {}..{}: {}", years.front(),
                                                         years.back(), problems.front()));
  // A shard's runs are part of the ensemble: the merged file is verified (daihai merge).
  const bool verify = !targets.empty() && problems.empty() && !part.shard;
  if (!targets.empty() && !problems.empty() && speak)
    fmt::print(stderr, "daihai: no target verification for this period ({})\n", problems.front());
  batch::preflight(plan);
  // State files: the runs' states saved at the start of a day, or the runs started from them.
  StateFiles state_files(plan, o);
  batch::StateOptions& states = state_files.options;
  auto reads = files_read(plan, tpath);
  if (!o.restart.empty()) reads.push_back(o.restart);
  if (!o.save_state.empty()) {
    check_output(o, o.save_state, {".h5"}, reads);
    io::check_distinct_outputs({o.output, o.save_state});
  }
  check_output(o, o.output, {".h5"}, reads);
  const std::string csv = o.csv.empty() ? default_csv(o.output) : o.csv;
  if (verify) check_output(o, csv, {".csv"}, reads);
  io::check_distinct_outputs({o.output, o.output + ".partial", verify ? csv : std::string()});
  // The results file is opened (as NAME.h5.partial) before the runs, so an unwritable output
  // stops the command at once; the partial file is removed unless the batch completes.
  io::check_output_variables(plan);
  io::BatchMetadata meta;
  meta.scenario_path = plan.file;
  meta.scenario_text = plan.text;
  meta.input_checksums = plan.checksums;
  if (!tpath.empty()) meta.input_checksums[tpath] = io::file_checksum(tpath);
  // The states a restarted batch starts from are an input like any other (a resume or a merge
  // with another state file is refused).
  if (!o.restart.empty()) meta.input_checksums[o.restart] = io::file_checksum(o.restart);
  if (part.shard) {
    meta.shard = part.shard->text();
    meta.shard_first_run = part.slice.first;
    meta.batch_runs = plan.runs.size();
    if (shard_done(o.output, meta)) {
      if (speak) fmt::print(stderr, "daihai: shard {} of this batch is already complete in {}: kept\n", meta.shard, o.output);
      return 0;
    }
  }
  // A partial file left by an interrupted batch is continued with --resume and never replaced
  // without it (it may hold hours of runs).
  // (Rank 0 looks for it and decides for the ranks of an MPI job: it is the one to make the file.)
  const std::string partial = o.output + ".partial";
  bool resuming = false;
  io::parallel::on_root([&] {
    io::check_not_locked(partial, "continue it with --resume (or delete it to start again)");
    resuming = o.resume && fs::exists(partial);
    if (!o.resume && fs::exists(partial))
      throw core::InputError(partial, 0, "", "left by an interrupted batch: continue it with --resume, or delete it to start again");
  });
  resuming = io::parallel::from_root(resuming);
  io::SinkOptions sink_options;
  sink_options.output = plan.output;
  sink_options.layout = scenario::declared_layout(*plan.model, plan.runs.front(), batch::series_selection(plan));
  sink_options.parallel = part.parallel;
  sink_options.runs = plan.runs.size();
  io::ResultSink sink(o.output, meta, sink_options, resuming ? io::SinkMode::resume : io::SinkMode::create);
  g_collective = part.parallel;
  const std::vector<scenario::RunResult> resumed = sink.take_resumed_runs();
  const std::size_t mine = part.slice.last - part.slice.first;  // runs of this results file
  const std::size_t skipped = sink.runs_written();
  if (skipped > mine) throw core::InputError(partial, 0, "resume_runs", "holds more runs than the batch has: delete it and start again");

  if (!part.parallel) {  // an MPI job ends as a whole (scancel, mpirun's Ctrl-C): its last checkpoint is kept
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
  }
  const bool tty = speak && !part.parallel && isatty(fileno(stderr));
  const auto t0 = std::chrono::steady_clock::now();
  if (speak && resuming) fmt::print(stderr, "daihai: resuming {}: {} of {} run(s) already done\n", partial, skipped, mine);
  if (speak)
    fmt::print(stderr, "daihai: {} run(s) of '{}'{} on {}{} thread(s), {} to {}\n", mine - skipped, plan.name,
               part.shard ? fmt::format(" (shard {}: runs {}..{})", meta.shard, part.slice.first, part.slice.last - 1) : std::string(),
               part.parallel ? fmt::format("{} ranks x ", batch::ranks()) : std::string(),
               std::min<std::size_t>(static_cast<std::size_t>(threads), mine), core::format_date(plan.runs.front().scenario.start),
               core::format_date(plan.runs.front().scenario.end));
  const std::int64_t run_days = core::day_number(plan.runs.front().scenario.end) - core::day_number(plan.runs.front().scenario.start) + 1;
  Tally tally;
  for (const auto& r : resumed) tally.add(r);  // runs already in a resumed file count in the summary
  // Test hook: DAIHAI_TEST_KILL_AFTER_RUNS=N kills the process with SIGKILL right after the N-th
  // run is handed to the results file, as a power loss would (tests of --resume).
  const char* kill_env = std::getenv("DAIHAI_TEST_KILL_AFTER_RUNS");
  const std::size_t kill_after = kill_env != nullptr ? std::strtoull(kill_env, nullptr, 10) : 0;
  const auto consume = [&](std::size_t index, scenario::RunResult&& r) {
    tally.add(r);
    if (!r.ok && r.error != "interrupted")  // an error: said whatever the verbosity
      fmt::print(stderr, "{}daihai: {}run {} ({}, climate member {}, parameter member {}) failed: {}\n", tty ? "\n" : "",
                 part.parallel ? fmt::format("rank {}: ", batch::rank()) : std::string(), index, r.scenario, r.climate_member,
                 r.parameter_member, r.error);
    if (g_interrupted.load()) return;
    if (part.parallel)
      sink.write(r, index);
    else
      sink.write(r);
    if (kill_after != 0 && index + 1 == kill_after) std::raise(SIGKILL);
  };
  const auto progress = [&](std::size_t done, std::size_t) {
    if (!tty) return;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // `done` counts the runs of this invocation; runs skipped on --resume are already done.
    const double rate = s > 0 ? static_cast<double>(done) * static_cast<double>(run_days) / s : 0.0;
    const double eta = done > 0 ? s * static_cast<double>(mine - skipped - done) / static_cast<double>(done) : 0.0;
    done += skipped;
    const int width = 30;
    const int filled = static_cast<int>(width * done / std::max<std::size_t>(mine, 1));
    fmt::print(stderr, "\r  [{}{}] {}/{} runs, {:.2f} M run-days/s, ETA {:.0f} s   ", std::string(filled, '#'),
               std::string(width - filled, '.'), done, mine, rate / 1e6, eta);
  };
  const std::size_t window = batch::streaming_window(threads, batch::block_width(plan, o.block_width));
  const auto skip = [&](std::size_t i) { return i < part.slice.first || i >= part.slice.last || i - part.slice.first < skipped; };
  const auto on_histories = [&](const batch::Histories& h) {
    if (speak) fmt::print(stderr, "{}", batch::format_histories(plan, h));
  };
  if (part.parallel) {
    // Windows handed out by dynamic work sharing; the ranks write their rows together at the end
    // of each round (a checkpoint: what an interrupted job keeps) and at the end.
    batch::WindowDealer dealer((plan.runs.size() + window - 1) / window, batch::dealer_round(batch::ranks()), [&](bool last) {
      if (!last) sink.checkpoint();
    });
    batch::run_streaming(plan, threads, consume, progress, &g_interrupted, window, skip, o.block_width, on_histories, &states,
                         &dealer.source());
    sink.gather();
    g_collective = false;
    if (!sink.holds_file()) return 0;  // rank 0 finishes the file and reports
    tally = Tally{};
    for (const auto& r : sink.written_runs()) tally.add(r);
  } else {
    batch::run_streaming(plan, threads, consume, progress, &g_interrupted, window, skip, o.block_width, on_histories, &states);
  }
  if (tty) fmt::print(stderr, "\n");
  const auto interrupted = [&] {
    const std::size_t kept = sink.runs_written();
    sink.suspend();
    fmt::print(stderr, "daihai: interrupted; {} of {} run(s) kept in {} (not a result): continue with the same command and --resume\n",
               kept, mine, partial);
    return 130;
  };
  if (g_interrupted.load()) return interrupted();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // The target table from the runs in the file (all of them, also those of a resumed file).
  std::optional<analysis::VerificationTable> table;
  if (verify) {
    table = io::verify_file(sink.file(), partial, targets);
    io::write_verification(sink, *table);
  }
  if (g_interrupted.load()) return interrupted();
  const double write_s = sink.write_seconds();
  if (!o.save_state.empty()) {
    io::write_state_file(o.save_state, state_files.saved);
    if (speak)
      fmt::print(stderr, "daihai: wrote the state of {} run(s) at the start of {} to {}\n", state_files.saved.runs.size(), o.save_state_at,
                 o.save_state);
  }
  sink.commit();

  if (speak) {
    fmt::print(stderr, "daihai: {} run(s) in {:.1f} s ({:.2f} M run-days/s), {} failed; largest balance residuals {:.3g} m3 water, {:.3g} kg salt\n",
               mine - skipped, seconds, static_cast<double>(mine - skipped) * static_cast<double>(run_days) / seconds / 1e6, tally.failed,
               tally.worst_water, tally.worst_salt);
    fmt::print(stderr, "daihai: wrote {} ({:.1f} s of the time writing it)\n", o.output, write_s);
    if (part.shard) fmt::print(stderr, "daihai: shard {}: merge the parts with 'daihai merge PARTS... -o RESULTS.h5' (no target table until then)\n", meta.shard);
  }
  if (table) {
    io::write_csv(*table, csv);
    fmt::print("{}", analysis::format_table(*table));
    std::fflush(stdout);
    if (speak) fmt::print(stderr, "daihai: wrote {}\n", csv);
  }
  // Failed runs are an outcome, whatever the verbosity: said, and in the exit code.
  if (tally.failed > 0)
    fmt::print(stderr, "daihai: {} of {} run(s) failed (their errors are in /runs/error of {})\n", tally.failed, mine, o.output);
  return tally.failed == 0 ? 0 : tally.failed == mine ? 3 : 4;
}

// Merges the shard files of a batch into its results file, verified like the batch's own.
int merge(const Options& o) {
  check_output(o, o.output, {".h5"}, o.parts);
  const std::vector<io::ShardPart> parts = io::check_parts(o.parts);
  std::string scenario_file, recorded;
  {
    const auto f = io::hdf5::File::open(parts.front().path);
    scenario_file = f.string_attribute("scenario_file");
    recorded = f.string_attribute("input_checksums");
  }
  // The targets as the batch found them (next to its batch file), checked against the checksum
  // the shards recorded; --targets for others.
  const std::string tpath = targets_path(o, scenario_file);
  std::vector<io::Target> targets;
  if (!tpath.empty()) {
    const std::string line = io::file_checksum(tpath) + "  " + tpath + "\n";
    const bool known = recorded.find("  " + tpath + "\n") != std::string::npos;
    if (o.targets.empty() && !known) {
      if (!o.quiet) fmt::print(stderr, "daihai: note: the shards ran without {}: no target table\n", tpath);
    } else {
      if (known && ("\n" + recorded).find("\n" + line) == std::string::npos)
        throw core::InputError(tpath, 0, "", "the targets file differs from the one the shards ran with (input_checksums)");
      targets = io::load_targets(tpath);
    }
  }
  const std::string csv = o.csv.empty() ? default_csv(o.output) : o.csv;
  if (!targets.empty()) check_output(o, csv, {".csv"}, o.parts);
  const std::string partial = o.output + ".partial";
  if (const auto parent = fs::path(partial).parent_path(); !parent.empty()) fs::create_directories(parent);
  std::optional<analysis::VerificationTable> table;
  try {
    auto file = io::merge_parts(parts, partial);
    if (!targets.empty()) {
      std::vector<int> years;
      for (auto y : file.open_dataset("annual/year").read_int64()) years.push_back(static_cast<int>(y));
      const auto problems = analysis::coverage_problems(years, targets);
      if (problems.empty()) {
        table = io::verify_file(file, partial, targets);
        io::write_verification(file, *table);
      } else if (!o.quiet) {
        fmt::print(stderr, "daihai: no target verification for this period ({})\n", problems.front());
      }
    }
    file.close_file();
    fs::rename(partial, o.output);
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw;
  }
  if (!o.quiet) fmt::print(stderr, "daihai: merged {} shard(s), {} run(s), into {}\n", parts.size(), parts.front().batch_runs, o.output);
  if (table) {
    io::write_csv(*table, csv);
    fmt::print("{}", analysis::format_table(*table));
    std::fflush(stdout);
    if (!o.quiet) fmt::print(stderr, "daihai: wrote {}\n", csv);
  }
  return 0;
}

// A shell word for `s` (single quotes, embedded quotes escaped).
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The planner's report: the engine computes the factorial effects (io/report_data.hpp) and
// engine/report/make_report.py draws the figures, the page and the spreadsheet.
int report(const Options& o) {
  // The report is written whole into DIR.writing and then replaces DIR: a failure leaves the
  // earlier report as it was. DIR must be new, empty or an earlier report (never another folder).
  const fs::path out = fs::path(o.output).lexically_normal();
  if (o.output.empty() || out.filename().empty() || out == ".")
    throw core::InputError("command line", 0, "-o", "expected a folder for the report, e.g. outputs/report");
  if (fs::exists(out) && !fs::is_directory(out))
    throw core::InputError(o.output, 0, "-o", "the report goes into a folder; this is a file");
  if (fs::is_directory(out) && !fs::is_empty(out) && !fs::exists(out / "index.html"))
    throw core::InputError(o.output, 0, "-o", "this folder holds other files, not an earlier report: choose a new folder");
  const analysis::VerificationTable table = io::read_verification(o.input);
  const fs::path writing = out.string() + ".writing";
  const fs::path data = writing / "data";
  try {
    fs::remove_all(writing);
    fs::create_directories(data);
  } catch (const fs::filesystem_error& e) {
    fmt::print(stderr, "daihai: error: cannot make the report folder {}: {}\n", writing.string(), e.code().message());
    return 3;
  }
  try {
    const std::size_t effects = io::write_effects_csv(table, (data / "effects.csv").string());
    if (effects == 0 && !o.quiet)
      fmt::print(stderr, "daihai: note: {} holds no full factorial batch (every on/off combination, no variants): the report has no measure effects\n",
                 o.input);
    if (!o.costs.empty()) {
      std::vector<std::string> measures;  // every measure named in the results' scenarios
      for (const auto& row : table.rows) {
        std::stringstream in(row.scenario);
        for (std::string m; std::getline(in, m, '+');) {
          m = m.substr(0, m.find('['));
          if (m != "baseline" && std::find(measures.begin(), measures.end(), m) == measures.end()) measures.push_back(m);
        }
      }
      io::write_costs_csv(o.costs, measures, (data / "costs.csv").string());
    }
  } catch (...) {
    fs::remove_all(writing);
    throw;
  }
  const char* env = std::getenv("DAIHAI_REPORT_SCRIPT");
  const std::string script = env != nullptr ? env : DAIHAI_REPORT_SCRIPT;
  const std::string cmd = "/usr/bin/python3 " + shell_quote(script) + " --results " + shell_quote(o.input) + " --out " +
                          shell_quote(writing.string()) + " --lang " + shell_quote(o.lang) + " --effects " +
                          shell_quote((data / "effects.csv").string()) + " > /dev/null";
  const int status = std::system(cmd.c_str());
  if (status != 0) {
    fs::remove_all(writing);
    fmt::print(stderr, "daihai: error: drawing the report failed (/usr/bin/python3 {}, exit {}): see its message above; nothing written\n",
               script, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 3;
  }
  fs::remove_all(out);
  fs::rename(writing, out);
  if (!o.quiet) fmt::print(stderr, "daihai: wrote the report to {} (open {})\n", out.string(), (out / "index.html").string());
  return 0;
}

// Inverse design: the smallest design value meeting a target with a probability (batch/design.hpp).
int design(const Options& o) {
  const io::RunPlan plan = io::load_batch_file(o.input);
  const std::string tpath = targets_path(o, plan.file);
  if (tpath.empty()) throw core::InputError(o.input, 0, "--targets", "no targets.toml next to the batch file: give --targets FILE");
  const auto targets = io::load_targets(tpath);
  batch::DesignQuery q;
  const auto dot = o.vary.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == o.vary.size())
    throw core::InputError("command line", 0, "--vary", fmt::format("expected <measure>.<key>, found '{}'", o.vary));
  q.measure = o.vary.substr(0, dot);
  q.key = o.vary.substr(dot + 1);
  q.target = o.target;
  q.probability = o.probability;
  q.scenario = o.scenario;
  batch::preflight(plan);
  const auto answer = batch::design_search(plan, targets, q, batch::resolve_threads(o.threads));
  fmt::print("{}", batch::format_design(answer));
  return 0;
}

// A results file none of whose runs succeeded has nothing to verify or validate: an error (exit 3).
bool nothing_succeeded(const Options& o, const char* command) {
  if (io::successful_runs(o.input) > 0) return false;
  fmt::print(stderr, "daihai: error: {}: no run of the file succeeded (see /runs/error): nothing to {}\n", o.input, command);
  return true;
}

int verify(const Options& o) {
  if (!o.csv.empty()) check_output(o, o.csv, {".csv"}, {o.input, o.targets});
  if (!o.by_year_csv.empty()) check_output(o, o.by_year_csv, {".csv"}, {o.input, o.targets});
  if (!o.csv.empty() && !o.by_year_csv.empty()) io::check_distinct_outputs({o.csv, o.by_year_csv});
  if (nothing_succeeded(o, "verify")) return 3;
  analysis::VerificationTable table;
  if (o.targets.empty()) {
    table = io::read_verification(o.input);
  } else {
    const auto targets = io::load_targets(o.targets);
    try {
      table = io::verify_file(o.input, targets);
    } catch (const analysis::VerificationError& e) {
      throw core::InputError(o.targets, 0, "", std::string("these targets do not fit the results: ") + e.what());
    }
  }
  // The per-year statistics are checked before anything is printed or written.
  std::string by_year;
  try {
    if (!o.quantile_years.empty()) by_year = analysis::format_by_year(table, o.quantile_years);
    if (!o.by_year_csv.empty() && o.quantile_years.empty()) analysis::format_by_year(table, {});
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "daihai: error: --quantiles: {}\n", e.what());
    return 2;
  } catch (const analysis::VerificationError& e) {
    throw core::InputError(o.input, 0, "/verification/by_year", e.what());
  }
  fmt::print("{}", analysis::format_table(table));
  if (!by_year.empty()) fmt::print("\n{}", by_year);
  if (!o.csv.empty()) io::write_csv(table, o.csv);
  if (!o.by_year_csv.empty()) io::write_by_year_csv(table, o.by_year_csv);
  return 0;
}

int validate(const Options& o) {
  if (!o.csv.empty()) check_output(o, o.csv, {".csv"}, {o.input, o.observations, o.monitoring});
  std::size_t heads = 0;
  const auto observations = !o.observations.empty() ? io::load_observations(o.observations)
                                                    : io::as_observations(io::load_monitoring(o.monitoring), &heads);
  if (heads > 0 && observations.empty())
    throw core::InputError(o.monitoring, 0, "quantity", "only aquifer heads: validation compares the lake's level, area, volume and TDS");
  if (heads > 0 && !o.quiet)
    fmt::print(stderr, "daihai: note: {} aquifer head row(s) of {} left out (validation compares lake quantities)\n", heads, o.monitoring);
  std::optional<std::string> scenario;
  if (!o.scenario.empty()) scenario = o.scenario;
  if (nothing_succeeded(o, "validate")) return 3;
  const auto table = io::validate_file(o.input, observations, scenario);
  fmt::print("{}", analysis::format_validation(table));
  const std::string skill = analysis::format_series_skill(analysis::series_skill(table));
  if (!skill.empty()) fmt::print("\n{}", skill);
  if (!o.csv.empty()) io::write_validation_csv(table, o.csv);
  return 0;
}

// Every observation must lie inside the fitted run's years, and some record of the lake (not only
// a prior) must be fitted: input errors, found before anything runs.
void check_calibration_observations(const io::CalibrationSpec& spec, const std::vector<analysis::Observation>& observations,
                                    const std::string& path) {
  const auto& s = spec.plan.runs.front().scenario;
  for (const auto& ob : observations)
    if (ob.start < s.start.year || ob.end > s.end.year)
      throw core::InputError(ob.file, ob.line, analysis::to_string(ob.kind),
                             fmt::format("its period {}..{} lies outside the fitted run's years {}..{} ({})", ob.start, ob.end,
                                         s.start.year, s.end.year, path));
  const auto fitted = batch::fitted_observations(spec, observations);
  if (std::none_of(fitted.begin(), fitted.end(),
                   [](const analysis::Observation& ob) { return ob.kind != analysis::ObservationKind::evaporation_depth; }))
    throw core::InputError(path, 0, "calibration.calibrate_until",
                           fmt::format("no record of the lake ends by {}: only priors would be fitted", spec.calibrate_until));
}

int calibrate(const Options& o) {
  const io::CalibrationSpec spec = io::load_calibration_file(o.input);
  io::check_output_folder(o.output);
  note_new_folder(o, fs::path(o.output).parent_path());
  const auto observations = io::load_observations(spec.observations);
  check_calibration_observations(spec, observations, o.input);
  batch::preflight(spec.plan);
  const int threads = batch::resolve_threads(o.threads);
  if (!o.quiet)
    fmt::print(stderr, "daihai: calibrating '{}': {} free parameters, {} evaluations{} x {} climate members, {} thread(s)\n", spec.name,
               spec.free.size(), spec.budget,
               (spec.glue_samples > 0 ? fmt::format(" and {} GLUE samples", spec.glue_samples) : std::string()) +
                   (spec.mcmc_chains > 0 ? fmt::format(" and {} MCMC chains x {} generations", spec.mcmc_chains, spec.mcmc_generations)
                                         : std::string()),
               spec.members, threads);
  const bool tty = !o.quiet && isatty(fileno(stderr));
  const auto result = batch::calibrate(spec, observations, threads, [&](std::size_t done, std::size_t total, double best) {
    if (!o.quiet) fmt::print(stderr, "{}  {}/{} evaluations, best objective {:.4g}{}", tty ? "\r" : "", done, total, best, tty ? "   " : "\n");
  });
  if (tty) fmt::print(stderr, "\n");
  batch::write_calibration(spec, result, o.output);
  fmt::print("Prior parameters\n{}\nCalibrated parameters (objective {:.4g}, found by {})\n{}\n{}", analysis::format_validation(result.prior_table),
             result.best_objective, result.best_method, analysis::format_validation(result.best_table),
             analysis::format_split_sample(result.best_table, result.independent_table, batch::fitted_flags(spec, result.best_table),
                                           spec.calibrate_until));
  if (!result.identifiability.empty()) fmt::print("\n{}", batch::format_identifiability(result));
  std::fflush(stdout);
  if (!o.quiet)
    fmt::print(stderr, "daihai: calibration took {:.0f} s; wrote {}/ (parameters.toml, parameter_ensemble.csv, evaluations.csv, validation.txt{}{}{})\n",
               result.seconds, o.output, result.glue_samples.empty() ? "" : ", glue_samples.csv",
               result.mcmc.chains.empty() ? "" : ", mcmc_chains.csv", result.identifiability.empty() ? "" : ", identifiability.txt");
  return 0;
}

int attribute(const Options& o) {
  if (!o.csv.empty()) {
    check_output(o, o.csv, {".csv"}, {o.input});
    io::check_distinct_outputs({o.csv});
  }
  const analysis::AttributionInput in = io::read_attribution_input(o.input);
  analysis::AttributionTable table;
  try {
    table = analysis::compute_attribution(in, o.trend_from, o.trend_to, o.area_year);
  } catch (const std::invalid_argument& e) {
    throw core::InputError(o.input, 0, "", e.what());
  }
  fmt::print("{}", analysis::format_attribution(table));
  if (!o.csv.empty()) io::write_attribution_csv(table, o.csv);
  return 0;
}

int sensitivity(const Options& o) {
  const io::CalibrationSpec spec = io::load_calibration_file(o.input);
  batch::preflight(spec.plan);
  const auto s = batch::sensitivity(spec, batch::resolve_threads(o.threads));
  fmt::print("{}", batch::format_sensitivity(s));
  return 0;
}

}  // namespace

// A path given on the command line must not be empty (`-o ""` is a command-line error).
const CLI::Validator kPath([](std::string& v) { return v.empty() ? std::string("expected a path, not an empty string") : std::string(); },
                           "PATH");

int main(int argc, char** argv) {
  const batch::RankScope mpi(argc, argv);  // MPI for the program's lifetime (a build with DAIHAI_MPI)
  batch::keep_freed_memory();
  CLI::App app{"daihai: water and salt balance of closed lakes (Daihai Lake by default)"};
  app.set_version_flag("--version", std::string("daihai ") + io::engine_version() + " (" + io::git_commit() + ")");
  app.require_subcommand(1);
  Options o;

  CLI::App* run = app.add_subcommand("run", "simulate one scenario file and write its results (HDF5)");
  run->add_option("scenario", o.input, "scenario file (TOML), e.g. scenarios/history.toml")->required()->check(kPath);
  run->add_option("-o,--output", o.output, "results file to write (.h5)")->required()->check(kPath);
  run->add_option("--targets", o.targets, "targets file (default: targets.toml next to the scenario file)")->check(kPath);
  run->add_option("--csv", o.csv, "where to write the target table as CSV (default: next to the results)")->check(kPath);
  run->add_option("--save-state", o.save_state, "write every run's full state at --save-state-at to this file (.h5)")->check(kPath);
  run->add_option("--save-state-at", o.save_state_at, "the day (YYYY-MM-DD) whose start the saved state is at");
  run->add_option("--restart", o.restart, "start every run from its state in this file (written by --save-state)")->check(kPath);
  run->add_flag("-q,--quiet", o.quiet, "print only the target table and errors (failed runs among them)");
  run->add_flag("--resume", o.resume, "continue OUTPUT.partial left by an interrupted run instead of refusing it");

  CLI::App* bat = app.add_subcommand("batch", "simulate every run of a batch file in parallel and write one results file");
  bat->add_option("batch", o.input, "batch file (TOML), e.g. scenarios/daihai_plan.toml")->required()->check(kPath);
  bat->add_option("-o,--output", o.output, "results file to write (.h5)")->required()->check(kPath);
  bat->add_option("--threads", o.threads, "threads (default: all cores or OMP_NUM_THREADS)")->check(CLI::Range(0, 4096));
  bat->add_option("--block-width", o.block_width,
                  fmt::format("runs simulated together as one block (rk4 batches; default {}; results do not depend on it)",
                              batch::kDefaultBlockWidth))
      ->check(CLI::Range(1, 64));
  bat->add_option("--targets", o.targets, "targets file (default: targets.toml next to the batch file)")->check(kPath);
  bat->add_option("--csv", o.csv, "where to write the target table as CSV (default: next to the results)")->check(kPath);
  bat->add_option("--save-state", o.save_state, "write every run's full state at --save-state-at to this file (.h5)")->check(kPath);
  bat->add_option("--save-state-at", o.save_state_at, "the day (YYYY-MM-DD) whose start the saved state is at");
  bat->add_option("--restart", o.restart, "start every run from its state in this file (written by --save-state)")->check(kPath);
  bat->add_flag("-q,--quiet", o.quiet, "print only the target table and errors (failed runs among them)");
  bat->add_flag("--resume", o.resume,
                "continue OUTPUT.partial left by an interrupted batch (same batch file, inputs and engine); without it an existing partial file is refused");
  bat->add_option("--shard", o.shard,
                  "simulate only shard I of N of the batch's runs (consecutive runs, balanced) into OUTPUT, e.g. --shard 2/8 for a job "
                  "array's task; join the parts with 'daihai merge'. A finished shard of the same batch is kept")
      ->check(CLI::Validator([](std::string& v) { return v.empty() ? std::string("expected I/N, not an empty string") : std::string(); }, "I/N"));

  CLI::App* mer = app.add_subcommand("merge", "join the shard files of a batch (batch --shard I/N) into its one results file");
  mer->add_option("parts", o.parts, "the shard files, every shard 1..N once (e.g. part_*.h5)")->required()->check(kPath);
  mer->add_option("-o,--output", o.output, "results file to write (.h5)")->required()->check(kPath);
  mer->add_option("--targets", o.targets, "targets file (default: targets.toml next to the batch file the shards ran)")->check(kPath);
  mer->add_option("--csv", o.csv, "where to write the target table as CSV (default: next to the results)")->check(kPath);
  mer->add_flag("-q,--quiet", o.quiet, "print only the target table and errors (failed runs among them)");

  CLI::App* ver = app.add_subcommand("verify", "print the target table of a results file (recomputed with --targets)");
  ver->add_option("results", o.input, "results file (.h5) written by run or batch")->required()->check(kPath);
  ver->add_option("--targets", o.targets, "recompute the table from /annual with these targets")->check(kPath);
  ver->add_option("--csv", o.csv, "also write the table as CSV to this file")->check(kPath);
  ver->add_option("--quantiles", o.quantile_years,
                  "also print the 5/25/50/75/95 % quantiles of area, level and TDS and the probability each target is "
                  "met by then, for these years (e.g. 2030,2040,2050)")
      ->delimiter(',')
      ->check(CLI::Range(1, 9999).description("years"));
  ver->add_option("--by-year-csv", o.by_year_csv,
                  "also write the per-year quantiles and probabilities of every scenario and year as CSV to this file")
      ->check(kPath);

  CLI::App* val = app.add_subcommand("validate", "compare a results file with published observations");
  val->add_option("results", o.input, "results file (.h5) written by run or batch")->required()->check(kPath);
  // One source of figures: a bad command line (exit 2) otherwise.
  CLI::Option_group* figures = val->add_option_group("figures", "what to compare with (one of them)");
  figures->add_option("--observations", o.observations, "observations CSV (e.g. inputs/daihai/observations.csv)")->check(kPath);
  figures->add_option("--monitoring", o.monitoring, "or a monitoring file (e.g. inputs/daihai/monitoring.csv), rows as annual means")
      ->check(kPath);
  figures->require_option(1);
  val->add_option("--scenario", o.scenario, "scenario to compare (default: the one with every measure on)");
  val->add_option("--csv", o.csv, "also write the table as CSV to this file")->check(kPath);

  CLI::App* rep = app.add_subcommand("report", "the planner's report of a results file: figures, a page, the tables as CSV and xlsx");
  rep->add_option("results", o.input, "results file (.h5) written by batch")->required()->check(kPath);
  rep->add_option("-o,--output", o.output, "folder for the report (made if missing)")->required();
  rep->add_option("--lang", o.lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  rep->add_option("--costs", o.costs, "costs per measure (measure,capital_wan_cny,annual_wan_cny_per_a,source) for the ranked table")
      ->check(kPath);
  rep->add_flag("-q,--quiet", o.quiet, "print nothing but errors");

  CLI::App* des = app.add_subcommand("design", "the smallest design value of a measure that meets a target with a given probability");
  des->add_option("batch", o.input, "batch file (TOML), e.g. scenarios/daihai_plan.toml")->required()->check(kPath);
  des->add_option("--target", o.target, "a target's name (targets.toml next to the batch, or --targets)")->required();
  des->add_option("--probability", o.probability, "the probability it must be met with, in (0, 1] (default 0.9)")->check(CLI::Range(0.0, 1.0));
  des->add_option("--vary", o.vary, "the design value to vary, <measure>.<key> (a key with a plausible range)")->required();
  des->add_option("--scenario", o.scenario, "the combination (default: every measure on)");
  des->add_option("--targets", o.targets, "targets file")->check(kPath);
  des->add_option("--threads", o.threads, "threads (default: all cores or OMP_NUM_THREADS)")->check(CLI::Range(0, 4096));

  CLI::App* att = app.add_subcommand("attribute", "what each measure of a factorial batch does: its share of the change of the "
                                                   "volume trend, its effect on the area alone and when dropped from the plan");
  att->add_option("results", o.input, "results file (.h5) of a batch holding every on/off combination of its measures")->required()->check(kPath);
  att->add_option("--from", o.trend_from, "first year of the volume trend (default 2016)")->check(CLI::Range(1, 9999));
  att->add_option("--to", o.trend_to, "last year of the volume trend (default 2021)")->check(CLI::Range(1, 9999));
  att->add_option("--year", o.area_year, "year of the area compared (default 2030)")->check(CLI::Range(1, 9999));
  att->add_option("--csv", o.csv, "also write the table as CSV to this file")->check(kPath);

  CLI::App* cal = app.add_subcommand("calibrate", "fit the free parameters of a calibration file to its observations (DDS)");
  cal->add_option("calibration", o.input, "calibration file (TOML), e.g. scenarios/calibration.toml")->required()->check(kPath);
  cal->add_option("-o,--output", o.output, "folder for the calibration's outputs")->required()->check(kPath);
  cal->add_option("--threads", o.threads, "threads (default: all cores or OMP_NUM_THREADS)")->check(CLI::Range(0, 4096));
  cal->add_flag("-q,--quiet", o.quiet, "print only the tables and errors");

  CLI::App* sen = app.add_subcommand("sensitivity", "Morris screening of a calibration file's free parameters on the lake area");
  sen->add_option("calibration", o.input, "calibration file (TOML), e.g. scenarios/calibration.toml")->required()->check(kPath);
  sen->add_option("--threads", o.threads, "threads (default: all cores or OMP_NUM_THREADS)")->check(CLI::Range(0, 4096));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other command-line problem exits 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (run->parsed()) {
      const io::RunPlan plan = io::load_scenario_file(o.input);
      return simulate(plan, o);
    }
    if (bat->parsed()) {
      const io::RunPlan plan = io::load_batch_file(o.input);
      return simulate(plan, o);
    }
    if (mer->parsed()) return merge(o);
    try {
      if (val->parsed()) return validate(o);
      if (cal->parsed()) return calibrate(o);
      if (sen->parsed()) return sensitivity(o);
      if (att->parsed()) return attribute(o);
      if (rep->parsed()) return report(o);
      if (des->parsed()) return design(o);
      return verify(o);
    } catch (const io::hdf5::Hdf5Error& e) {
      // The file given to verify is not a readable HDF5 file: bad input.
      throw core::InputError(o.input, 0, "", std::string("not a readable daihai results file: ") + e.what());
    }
  } catch (const io::PeerError& e) {
    return e.input() ? 1 : 3;  // rank 0 failed a step the ranks took together, and said why
  } catch (const core::InputError& e) {
    // Before the ranks of an MPI job write together, they all read the same inputs and fail alike:
    // rank 0 speaks for them. Afterwards an error on one rank ends the job.
    if (g_collective.load() || batch::rank() == 0) fmt::print(stderr, "daihai: error: {}{}\n", rank_prefix(), e.what());
    const int code = e.file() == "command line" ? 2 : 1;  // a bad command line, or bad input
    if (g_collective.load()) batch::abort_job(code);
    return code;
  } catch (const std::exception& e) {
    fmt::print(stderr, "daihai: error: {}{}\n", rank_prefix(), e.what());
    if (g_collective.load()) batch::abort_job(3);
    return 3;
  }
}
