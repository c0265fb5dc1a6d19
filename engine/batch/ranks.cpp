#include "batch/ranks.hpp"

#include <cstdlib>
#include <exception>

#include "io/parallel.hpp"

#ifdef DAIHAI_MPI
#include <mpi.h>
#endif

namespace daihai::batch {

RankScope::RankScope([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
#ifdef DAIHAI_MPI
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
#endif
}

RankScope::~RankScope() {
#ifdef DAIHAI_MPI
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
#endif
}

int rank() { return io::parallel::rank(); }

int ranks() { return io::parallel::size(); }

void abort_job(int code) {
#ifdef DAIHAI_MPI
  if (ranks() > 1) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

std::size_t dealer_round(int n) { return 2 * static_cast<std::size_t>(n > 0 ? n : 1); }

// The shared counter: one 64-bit integer in a window exposed by rank 0.
struct WindowDealer::Counter {
#ifdef DAIHAI_MPI
  MPI_Win win = MPI_WIN_NULL;
  std::int64_t* base = nullptr;
#endif
};

WindowDealer::WindowDealer(std::size_t windows, std::size_t round, std::function<void(bool)> round_end)
    : windows_(windows), round_(round > 0 ? round : 1), round_end_(std::move(round_end)), counter_(new Counter) {
  source_.next = [this] { return next(); };
  source_.drained = [this] { drained(); };
#ifdef DAIHAI_MPI
  if (ranks() > 1) {
    const MPI_Aint bytes = rank() == 0 ? static_cast<MPI_Aint>(sizeof(std::int64_t)) : 0;
    MPI_Win_allocate(bytes, sizeof(std::int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &counter_->base, &counter_->win);
    if (rank() == 0) *counter_->base = 0;
    MPI_Win_lock_all(0, counter_->win);
    MPI_Barrier(MPI_COMM_WORLD);
  }
#endif
}

WindowDealer::~WindowDealer() {
#ifdef DAIHAI_MPI
  // Freeing the window is collective: not while an error unwinds one rank (the others would wait
  // in it for ever; the program then ends the job with MPI_Abort).
  if (counter_->win != MPI_WIN_NULL && std::uncaught_exceptions() == 0) {
    MPI_Win_unlock_all(counter_->win);
    MPI_Win_free(&counter_->win);
  }
#endif
  delete counter_;
}

std::int64_t WindowDealer::next() {
  if (start_ >= windows_) return WindowSource::kDone;
  std::int64_t got = 0;
#ifdef DAIHAI_MPI
  if (counter_->win != MPI_WIN_NULL) {
    const std::int64_t one = 1;
    MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, counter_->win);
    MPI_Win_flush(0, counter_->win);
  } else {
    got = static_cast<std::int64_t>(local_++);  // one process: its own count
  }
#else
  got = static_cast<std::int64_t>(local_++);
#endif
  const std::size_t k = start_ + static_cast<std::size_t>(got);
  if (static_cast<std::size_t>(got) < round_ && k < windows_) {
    ++taken_;
    return static_cast<std::int64_t>(k);
  }
  return WindowSource::kDrain;
}

void WindowDealer::drained() {
  const bool last = start_ + round_ >= windows_;
  round_end_(last);
#ifdef DAIHAI_MPI
  if (counter_->win != MPI_WIN_NULL) {
    // Every rank has stopped taking windows (they are all here): rank 0 sets the counter back.
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() == 0) {
      const std::int64_t zero = 0;
      std::int64_t old = 0;
      MPI_Fetch_and_op(&zero, &old, MPI_INT64_T, 0, 0, MPI_REPLACE, counter_->win);
      MPI_Win_flush(0, counter_->win);
    }
    MPI_Barrier(MPI_COMM_WORLD);
  }
#endif
  start_ += round_;
  local_ = 0;
}

}  // namespace daihai::batch
