#pragma once
/// @file threads.hpp
/// Thread-count control for batches (OpenMP lives in batch/ only).

namespace daihai::batch {

/// Number of OpenMP threads a batch uses when the user does not say (OMP_NUM_THREADS or the
/// number of cores).
int default_threads();

/// The thread count to use for `requested` (0 = default); throws std::invalid_argument when
/// `requested` is negative.
int resolve_threads(int requested);

/// Keeps memory a finished run freed inside the process for the next run instead of handing it
/// back to the kernel (glibc `mallopt`: a fixed mmap threshold of 256 MiB and a trim threshold of
/// 1 GiB). Every run allocates and frees a few MB of per-day tables; returning them and faulting
/// them in again cost more than the simulation itself on virtual machines (page faults measured
/// at ~20 % of a batch's time, bench/README.md). Peak memory is unchanged: it is reused, not grown.
/// Call once at start-up, before any thread exists.
void keep_freed_memory();

}  // namespace daihai::batch
