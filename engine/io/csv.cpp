#include "io/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace daihai::io {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Splits one record; a quoted field may not span lines in these tables.
std::vector<std::string> split_record(const std::string& line, const std::string& path, int lineno) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.push_back(trim(field));
      field.clear();
    } else {
      field += ch;
    }
  }
  if (quoted) throw core::InputError(path, lineno, "", "unterminated double quote");
  out.push_back(trim(field));
  return out;
}

}  // namespace

CsvTable CsvTable::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError(path, 0, "", "cannot open the file");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), path);
}

CsvTable CsvTable::parse(const std::string& text, const std::string& path) {
  CsvTable t;
  t.path_ = path;
  // A UTF-8 byte-order mark (as spreadsheet programs write) is not part of the first field.
  const bool bom = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0;
  std::istringstream in(bom ? text.substr(3) : text);
  std::string line;
  int lineno = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string stripped = trim(line);
    if (stripped.empty() || stripped[0] == '#') continue;
    auto fields = split_record(line, path, lineno);
    if (!have_header) {
      for (std::size_t i = 0; i < fields.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (fields[i] == fields[j]) throw core::InputError(path, lineno, fields[i], "this column appears twice in the header");
      t.header_ = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != t.header_.size())
      throw core::InputError(path, lineno, "",
                             fmt::format("expected {} fields as in the header, found {}", t.header_.size(), fields.size()));
    t.cells_.push_back(std::move(fields));
    t.lines_.push_back(lineno);
  }
  if (!have_header) throw core::InputError(path, 0, "", "no header row (the file is empty or all comments)");
  return t;
}

std::optional<std::size_t> CsvTable::find_column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvTable::column(const std::string& name) const {
  if (auto c = find_column(name)) return *c;
  throw core::InputError(path_, 0, name, "missing column in the header");
}

std::optional<double> CsvTable::optional_number(std::size_t row, std::size_t col) const {
  const std::string& s = cells_[row][col];
  if (s.empty()) return std::nullopt;
  double v = 0.0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(v))
    throw core::InputError(path_, lines_[row], header_[col], fmt::format("expected a finite number, found '{}'", s));
  return v;
}

double CsvTable::number(std::size_t row, std::size_t col) const {
  if (auto v = optional_number(row, col)) return *v;
  throw core::InputError(path_, lines_[row], header_[col], "expected a number, found an empty cell");
}

long long CsvTable::integer(std::size_t row, std::size_t col) const {
  const std::string& s = cells_[row][col];
  long long v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size())
    throw core::InputError(path_, lines_[row], header_[col], fmt::format("expected a whole number, found '{}'", s));
  return v;
}

void TableProblems::add(std::size_t row, std::size_t col, const std::string& message) {
  problems_.emplace_back(t_.path(), t_.line_of(row), t_.header()[col], message);
}

void TableProblems::throw_if_any(const std::string& what) const {
  if (problems_.empty()) return;
  if (problems_.size() == 1) throw problems_.front();
  std::string message = std::to_string(problems_.size()) + " problems in " + what + ":";
  for (const auto& p : problems_) message += "\n  " + std::string(p.what());
  const auto& first = problems_.front();
  throw core::InputError(first.file(), first.line(), first.key(), message);
}

}  // namespace daihai::io
