#pragma once
/// @file errors.hpp
/// Typed exceptions of the engine. Library code throws these and never exits; only
/// `app/main.cpp` maps them to exit codes.
#include <stdexcept>
#include <string>

namespace daihai::core {

/// An error in what the user gave the engine: a file, a key, a value. Its message names the
/// file, the line (0 when unknown) and the key, then says what was expected, e.g.
/// `scenarios/x.toml:12: key 'start': expected a date YYYY-MM-DD`.
class InputError : public std::runtime_error {
public:
  /// @param file path as the user gave it; @param line 1-based line or 0 when unknown;
  /// @param key the key, column or field ("" when none); @param message what was expected.
  InputError(std::string file, int line, std::string key, const std::string& message);
  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  const std::string& key() const noexcept { return key_; }
  const std::string& message() const noexcept { return message_; }  ///< what was expected, without the place

private:
  std::string file_;
  int line_;
  std::string key_;
  std::string message_;
};

/// A failure while a run is simulated (a stage leaving the hypsometry table, a non-finite
/// state): the run is recorded as failed with this text and the other runs of a batch go on.
class RunError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace daihai::core
