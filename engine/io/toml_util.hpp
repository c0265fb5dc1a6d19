#pragma once
/// @file toml_util.hpp
/// Reading TOML files (toml++) with errors that name the file, the line and the key, and
/// checks for unknown keys. Used by every TOML reader of the engine.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/date.hpp"

namespace daihai::io {

/// Parses `path`; throws core::InputError with the parser's line and message on malformed
/// TOML or a missing file.
toml::table parse_toml_file(const std::string& path);

/// Line of a node in its file (0 when unknown).
int line_of(const toml::node& n);

/// A view of one table of a file: typed getters that throw core::InputError naming
/// `file`, the line of the key (or of the table when the key is missing) and `prefix.key`.
class TomlTable {
public:
  TomlTable(const toml::table& t, std::string file, std::string prefix);
  const toml::table& raw() const { return t_; }
  const std::string& file() const { return file_; }
  /// Full dotted name of `key` for messages.
  std::string name(const std::string& key) const;
  int line(const std::string& key) const;
  bool has(const std::string& key) const { return t_.contains(key); }

  std::string string(const std::string& key) const;
  std::optional<std::string> opt_string(const std::string& key) const;
  double number(const std::string& key) const;  ///< integer or float, finite
  std::optional<double> opt_number(const std::string& key) const;
  long long integer(const std::string& key) const;
  std::optional<long long> opt_integer(const std::string& key) const;
  bool boolean(const std::string& key) const;
  std::optional<bool> opt_boolean(const std::string& key) const;
  core::Date date(const std::string& key) const;  ///< a TOML date or a "YYYY-MM-DD" string
  std::optional<core::Date> opt_date(const std::string& key) const;
  TomlTable table(const std::string& key) const;
  std::optional<TomlTable> opt_table(const std::string& key) const;
  const toml::array& array(const std::string& key) const;
  /// A string, or a non-empty array of distinct strings, as a list (one element for a string).
  /// Throws core::InputError naming the key for anything else (a name listed twice included).
  std::vector<std::string> string_list(const std::string& key) const;

  /// Throws core::InputError for the first key of this table that is not in `allowed`,
  /// listing the allowed keys.
  void only(const std::set<std::string>& allowed) const;

private:
  const toml::node& node(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  const toml::table& t_;
  std::string file_;
  std::string prefix_;
};

}  // namespace daihai::io
