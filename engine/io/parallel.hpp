#pragma once
/// @file parallel.hpp
/// The processes that write one results file together (an MPI job: io::ResultSink with
/// SinkOptions::parallel) and the steps rank 0 takes for all of them. In a build without MPI
/// (DAIHAI_MPI off) the program is rank 0 of 1 and each function is the single-process case.
#include <functional>

namespace daihai::io::parallel {

/// This process's rank in MPI_COMM_WORLD (0 without MPI, or before MPI_Init).
int rank();
/// The number of processes of the job (1 without MPI, or before MPI_Init).
int size();
/// Runs `step` on rank 0 only and tells every process whether it succeeded: rank 0 rethrows its
/// own error; the others throw io::PeerError (io/result_sink.hpp) with its text, marked as an input
/// error when it was a core::InputError. Collective: every process must call it.
void on_root(const std::function<void()>& step);
/// Rank 0's `value` on every process (MPI_Bcast). Collective.
bool from_root(bool value);

}  // namespace daihai::io::parallel
