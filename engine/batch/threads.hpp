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

}  // namespace daihai::batch
