#pragma once
/// @file version.hpp
/// The engine's version and the git commit it was built from (provenance of results files).
/// Defined in a file generated at configure time, so a new commit recompiles one file only.

namespace daihai::io {

/// Engine version, e.g. "0.1.0".
const char* engine_version();
/// Short git commit of the source tree at configure time ("unknown" outside git).
const char* git_commit();

}  // namespace daihai::io
