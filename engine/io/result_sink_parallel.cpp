// io::ResultSink written by every process of an MPI job (SinkOptions::parallel): rank 0 makes the
// file, every process writes its rows with collective parallel HDF5 calls at each checkpoint, and
// rank 0 alone writes what parallel HDF5 cannot (variable-length text) and records the checkpoint.
// Without DAIHAI_MPI the program is one process (rank 0 of 1) and a parallel sink is refused.
#include "io/result_sink_state.hpp"

#include <exception>

#include <fmt/format.h>

#include "core/errors.hpp"

#ifdef DAIHAI_MPI
#include <mpi.h>
#endif

namespace daihai::io {

namespace parallel {

int rank() {
#ifdef DAIHAI_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) return 0;
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
#else
  return 0;
#endif
}

int size() {
#ifdef DAIHAI_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) return 1;
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
#else
  return 1;
#endif
}

void on_root(const std::function<void()>& step) {
  int kind = 0;  // 0 done, 1 input error, 2 other failure
  std::string message;
  std::exception_ptr error;
  if (rank() == 0) {
    try {
      step();
    } catch (const core::InputError& e) {
      kind = 1;
      message = e.what();
      error = std::current_exception();
    } catch (const std::exception& e) {
      kind = 2;
      message = e.what();
      error = std::current_exception();
    }
  }
#ifdef DAIHAI_MPI
  if (size() > 1) {
    MPI_Bcast(&kind, 1, MPI_INT, 0, MPI_COMM_WORLD);
    unsigned long long length = message.size();
    MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    message.resize(length);
    if (length > 0) MPI_Bcast(message.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  }
#endif
  if (kind == 0) return;
  if (error) std::rethrow_exception(error);
  throw PeerError("rank 0 failed: " + message, kind == 1);
}

bool from_root(bool value) {
#ifdef DAIHAI_MPI
  if (size() > 1) {
    int v = value ? 1 : 0;
    MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v != 0;
  }
#endif
  return value;
}

}  // namespace parallel

#ifdef DAIHAI_MPI
namespace {

// The text rows of every process, packed: per row the dataset path, the row and the text.
void pack(std::string& out, const std::string& s) {
  const std::uint64_t n = s.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out += s;
}

std::string unpack(const std::string& in, std::size_t& at) {
  std::uint64_t n = 0;
  if (at + sizeof n > in.size()) throw ResultError("parallel sink: damaged text rows");
  std::memcpy(&n, in.data() + at, sizeof n);
  at += sizeof n;
  if (at + n > in.size()) throw ResultError("parallel sink: damaged text rows");
  std::string s = in.substr(at, n);
  at += n;
  return s;
}

// Every process's `mine` on rank 0 (empty elsewhere).
std::vector<std::string> gather_to_root(const std::string& mine) {
  const int n = parallel::size(), me = parallel::rank();
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(me == 0 ? n : 0), offsets(me == 0 ? n : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string all;
  if (me == 0) {
    for (int i = 0, at = 0; i < n; at += lengths[static_cast<std::size_t>(i)], ++i) offsets[static_cast<std::size_t>(i)] = at;
    all.resize(static_cast<std::size_t>(offsets.back() + lengths.back()));
  }
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (me == 0)
    for (int i = 0; i < n; ++i) out.push_back(all.substr(static_cast<std::size_t>(offsets[static_cast<std::size_t>(i)]),
                                                         static_cast<std::size_t>(lengths[static_cast<std::size_t>(i)])));
  return out;
}

std::uint64_t sum_over_ranks(std::uint64_t mine) {
  unsigned long long in = mine, out = 0;  // unsigned: the digest's sum wraps modulo 2^64
  MPI_Allreduce(&in, &out, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return out;
}

// The native memory type for an empty collective write into `d`.
hid_t native_of(const Dataset& d) {
  const auto type = d.type();
  if (type.type_class() == hdf5::TypeClass::floating) return type.size() == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
  return type.size() == 1 ? H5T_NATIVE_INT8 : H5T_NATIVE_INT64;
}

}  // namespace
#endif

void ResultSink::open_parallel([[maybe_unused]] SinkMode mode) {
#ifndef DAIHAI_MPI
  throw ResultError("a parallel results file needs a build with MPI and parallel HDF5 (the 'mpi' preset)");
#else
  State& s = *state_;
  if (!s.options.layout || s.options.runs == 0)
    throw ResultError("a parallel results file needs the declared layout and the number of runs");
  unsigned long long runs = 0;
  parallel::on_root([&] {
    // Parallel HDF5 1.10.8 never completed a collective write into a partial file whose rows the
    // serial program had written (both ranks waited for each other inside H5Dwrite): such a file
    // is continued by the serial program.
    if (mode == SinkMode::resume) {
      hdf5::prepare_library();
      bool parallel_made = false;
      try {
        parallel_made = hdf5::File::open(partial_path_).has_attribute("written_in_parallel");
      } catch (const std::exception&) {
        parallel_made = true;  // not readable: the resume below says why
      }
      if (!parallel_made)
        throw core::InputError(partial_path_, 0, "written_in_parallel",
                               "this partial file was written by the program without MPI: continue it with that program "
                               "(build/release/daihai batch ... --resume), not under mpirun");
    }
    open_serial(mode);  // creates, or resumes after checking, the partial file
    State& root = *state_;
    root.file.set_attribute("written_in_parallel", std::int64_t{1});
    // Room for every run; never cut here (a resumed serial file may have more rows, cut by commit()):
    // a file whose chunks were cut before the ranks wrote to it hung their next collective write.
    if (root.capacity < root.options.runs) root.resize(root.options.runs);
    checkpoint();
    runs = root.runs;
    root.detach();
    root.file.close_file();
  });
  MPI_Bcast(&runs, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  s.file = hdf5::File::open_parallel(partial_path_);
  s.reopen();
  s.learn_series(*s.options.layout);
  s.runs = runs;
  s.parallel = true;
#endif
}

void ResultSink::gather() {
  if (committed_ || !state_) throw ResultError("ResultSink::gather(): the sink '" + path_ + "' is committed");
  if (!state_->parallel) throw ResultError("ResultSink::gather(): not a parallel sink");
  const auto t0 = std::chrono::steady_clock::now();
  state_->sync_parallel(partial_path_, true);
  state_->write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (parallel::rank() != 0) {
    state_.reset();
    suspended_ = true;  // rank 0 finishes the file
  }
}

void ResultSink::State::sync_parallel([[maybe_unused]] const std::string& partial_path, [[maybe_unused]] bool hand_over) {
#ifndef DAIHAI_MPI
  throw ResultError("a parallel results file needs a build with MPI and parallel HDF5");
#else
  // 1. The held rows, one collective write per dataset in the same order on every process.
  for (Dataset* d : extendable) {
    if (d == &scenario_ds || d == &error_ds || d == &branch_ds) continue;
    const auto dims = d->dims();
    const hsize_t cols = dims.size() > 1 ? dims[1] : 1;
    const auto it = pending.find(d);
    if (it == pending.end())
      d->write_rows(nullptr, native_of(*d), {}, cols, true);
    else
      d->write_rows(it->second.bytes.data(), it->second.mem_type, it->second.rows, cols, true);
  }
  pending.clear();
  // 2. The text rows to rank 0; the rows written and the digest summed over the processes.
  std::string packed;
  for (const auto& t : pending_text) {
    pack(packed, t.path);
    pack(packed, std::to_string(t.row));
    pack(packed, t.text);
  }
  pending_text.clear();
  const std::vector<std::string> texts = gather_to_root(packed);
  runs += sum_over_ranks(held_runs);
  held_runs = 0;
  const std::uint64_t total_digest = sum_over_ranks(digest);
  // 3. Every process closes the file; rank 0 opens it alone for the text and the checkpoint.
  detach();
  file.close_file();
  parallel::on_root([&] {
    file = hdf5::File::open(partial_path, true);
    reopen();
    std::map<std::string, Dataset*> by_path;
    for (Dataset* d : {&scenario_ds, &error_ds, &branch_ds}) by_path[path(*d)] = d;
    for (const auto& from : texts) {
      for (std::size_t at = 0; at < from.size();) {
        const std::string where = unpack(from, at);
        const auto row = static_cast<hsize_t>(std::stoull(unpack(from, at)));
        const std::string text = unpack(from, at);
        const auto d = by_path.find(where);
        if (d == by_path.end()) throw ResultError("parallel sink: text rows for an unknown dataset " + where);
        d->second->write_slab(std::vector<std::string>{text}, row);
      }
    }
    file.set_attribute("resume_runs", static_cast<std::int64_t>(runs));
    file.set_attribute("resume_digest", fmt::format("{:016x}", total_digest));
    hdf5::check(H5Fflush(file.id(), H5F_SCOPE_LOCAL), "flushing '" + partial_path + "'");
    if (!hand_over) {
      detach();
      file.close_file();
    }
  });
  if (hand_over) {  // rank 0 goes on as a serial sink
    parallel = false;
    digest = total_digest;
    return;
  }
  // 4. Every process opens it again for the next rows.
  file = hdf5::File::open_parallel(partial_path);
  reopen();
#endif
}

}  // namespace daihai::io
