#pragma once
/// @file text_file.hpp
/// Whole-file text reading and writing with errors that name the file, and CSV field quoting.
#include <string>

namespace daihai::io {

/// The bytes of `path`; throws core::InputError naming the file when it cannot be read.
std::string read_text_file(const std::string& path);

/// Writes `text` to `path` (replacing it), through `path.writing` renamed when complete, so a
/// failed write leaves no half-written file. Throws std::runtime_error naming the file when it
/// cannot be written (an output failure: exit 3).
void write_text_file(const std::string& path, const std::string& text);

/// `field` as one CSV field (RFC 4180): quoted, with doubled quotes, when it holds a comma, a
/// quote or a line break; unchanged otherwise.
std::string csv_quote(const std::string& field);

}  // namespace daihai::io
