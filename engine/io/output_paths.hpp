#pragma once
/// @file output_paths.hpp
/// Checks made before a command writes anything, so that no output ever destroys an input.
#include <string>
#include <vector>

namespace daihai::io {

/// Refuses an output file path (throws core::InputError naming the path and the reason) when it
/// is an existing folder or device, lies inside a lake's inputs folder (a folder holding both
/// parameters.toml and hypsometry.csv, or any folder below one), is an existing file whose
/// extension is not one of `allowed_extensions` (e.g. {".h5"}: results may replace results, never
/// a scenario or a document), is one of the files the command reads (`reads`), ends in `.partial`
/// (the name of an unfinished batch's file), or sits in a folder that cannot be created or written.
void check_output_file(const std::string& path, const std::vector<std::string>& allowed_extensions,
                       const std::vector<std::string>& reads);

/// Refuses (throws core::InputError naming both) two outputs of one command that are the same
/// file, whether or not it exists yet (paths compared after making them absolute and resolving
/// links and `..`), e.g. `--csv` equal to `-o`. Empty paths are ignored.
void check_distinct_outputs(const std::vector<std::string>& paths);

/// Refuses an output folder (throws core::InputError) when it exists and is not a folder, is or
/// lies inside a lake's inputs folder, or cannot be created or written.
void check_output_folder(const std::string& path);

/// Throws core::InputError naming `path` when another process holds a lock on it — the HDF5
/// library locks a file while a program has it open (unless HDF5_USE_FILE_LOCKING=FALSE), so a
/// partial results file that is locked is being written by a batch still running, not damaged or
/// left by an interrupted one. `what` says what was about to be done with it. No error when the
/// file does not exist or locks are not supported where it lives.
void check_not_locked(const std::string& path, const std::string& what);

}  // namespace daihai::io
