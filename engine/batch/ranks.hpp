#pragma once
/// @file ranks.hpp
/// The processes of an MPI job (`mpirun -np R daihai batch ...`) and the hand-out of a batch's
/// windows of runs to them. The only code that knows ranks; in a build without MPI (the default)
/// the program is rank 0 of 1 and nothing here talks to anyone.
#include <cstddef>
#include <cstdint>
#include <functional>

#include "batch/batch.hpp"

namespace daihai::batch {

/// Starts MPI for the program's lifetime (MPI_Init_thread, funneled: only the main thread calls
/// MPI) and finalises it on destruction. Without DAIHAI_MPI: nothing.
class RankScope {
public:
  RankScope(int& argc, char**& argv);
  ~RankScope();
  RankScope(const RankScope&) = delete;
  RankScope& operator=(const RankScope&) = delete;
};

/// This process's rank in MPI_COMM_WORLD (0 without MPI).
int rank();
/// The number of processes of the job (1 without MPI or outside mpirun).
int ranks();
/// Ends every process of the job with exit code `code` (MPI_Abort); without MPI, std::exit.
[[noreturn]] void abort_job(int code);

/// Hands out the windows of a batch to the ranks by dynamic work sharing: a counter on rank 0 that
/// each rank increments for its next window (MPI one-sided fetch-and-add: no rank waits for
/// another to ask), so a rank whose windows are slow takes fewer. Windows are handed out in rounds
/// of `round` windows; when a round is handed out each rank finishes its windows, then every rank
/// calls `round_end(last)` together (the results file's collective checkpoint; `last` for the
/// round that ends the batch) and the next round starts. Collective: every rank constructs and
/// destroys it together. The windows a rank gets depend on timing; the results do not.
class WindowDealer {
public:
  WindowDealer(std::size_t windows, std::size_t round, std::function<void(bool last)> round_end);
  ~WindowDealer();
  WindowDealer(const WindowDealer&) = delete;
  WindowDealer& operator=(const WindowDealer&) = delete;

  /// The source run_streaming() takes windows from (valid while the dealer lives).
  const WindowSource& source() const noexcept { return source_; }
  /// Windows this rank simulated so far.
  std::size_t taken() const noexcept { return taken_; }

private:
  std::int64_t next();
  void drained();

  std::size_t windows_, round_, start_ = 0, taken_ = 0, local_ = 0;
  std::function<void(bool)> round_end_;
  WindowSource source_;
  struct Counter;
  Counter* counter_ = nullptr;
};

/// The rounds of a WindowDealer for `ranks` processes: two windows per rank, so that a rank that
/// finishes early finds a window left and the collective checkpoint comes every two windows.
std::size_t dealer_round(int ranks);

}  // namespace daihai::batch
