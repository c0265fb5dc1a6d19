#pragma once
/// @file csv.hpp
/// A strict reader for the comma-separated tables in `inputs/`: `#` comment lines, one header
/// row, columns read by header name (extra columns allowed), RFC 4180 double quotes. Every
/// error names the file, the line and the column.
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace daihai::io {

/// A parsed CSV table. Row `r` came from line `line_of(r)` of `path`.
class CsvTable {
public:
  /// Reads `path`; throws core::InputError when the file cannot be opened, has no header, or a
  /// row has a different number of fields than the header.
  static CsvTable read(const std::string& path);
  /// Parses `text` as if it were the file `path` (for tests and embedded tables).
  static CsvTable parse(const std::string& text, const std::string& path);

  const std::string& path() const { return path_; }
  std::size_t rows() const { return cells_.size(); }
  const std::vector<std::string>& header() const { return header_; }
  /// Column index of `name`; throws core::InputError naming the file and the missing column.
  std::size_t column(const std::string& name) const;
  /// Column index of `name`, or nullopt.
  std::optional<std::size_t> find_column(const std::string& name) const;
  int line_of(std::size_t row) const { return lines_[row]; }
  /// Raw text of a cell (quotes removed, surrounding white space trimmed).
  const std::string& text(std::size_t row, std::size_t col) const { return cells_[row][col]; }
  /// The cell as a finite number; throws core::InputError naming file, line and column when it
  /// is empty, not a number, NaN or infinite.
  double number(std::size_t row, std::size_t col) const;
  /// The cell as a finite number, or nullopt when it is empty; throws like number() otherwise.
  std::optional<double> optional_number(std::size_t row, std::size_t col) const;
  /// The cell as an integer; throws core::InputError when it is not a whole number.
  long long integer(std::size_t row, std::size_t col) const;

private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> cells_;
  std::vector<int> lines_;
};

/// The problems of a table's rows, collected so that every row is checked before one error
/// reports them all (a user fixes a file in one pass).
class TableProblems {
public:
  explicit TableProblems(const CsvTable& t) : t_(t) {}
  /// A problem of row `row`, column `col`: `message` says what was expected.
  void add(std::size_t row, std::size_t col, const std::string& message);
  /// Runs one cell's check `read`; a core::InputError it throws becomes a problem. Returns
  /// whether it passed.
  template <class Read>
  bool cell(Read&& read) {
    try {
      read();
      return true;
    } catch (const core::InputError& e) {
      problems_.push_back(e);
      return false;
    }
  }
  /// Throws nothing without problems; the problem itself when there is one; else a
  /// core::InputError at the first problem whose message is "<n> problems in <what>:" and every
  /// problem, one per line.
  void throw_if_any(const std::string& what) const;

private:
  const CsvTable& t_;
  std::vector<core::InputError> problems_;
};

}  // namespace daihai::io
