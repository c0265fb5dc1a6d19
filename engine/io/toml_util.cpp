#include "io/toml_util.hpp"

#include <algorithm>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace daihai::io {

toml::table parse_toml_file(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const int line = static_cast<int>(e.source().begin.line);
    std::string what(e.description());
    if (what.find("File could not be opened") != std::string::npos) throw core::InputError(path, 0, "", "cannot open the file");
    throw core::InputError(path, line, "", "malformed TOML: " + what);
  }
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

TomlTable::TomlTable(const toml::table& t, std::string file, std::string prefix)
    : t_(t), file_(std::move(file)), prefix_(std::move(prefix)) {}

std::string TomlTable::name(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

int TomlTable::line(const std::string& key) const {
  if (const toml::node* n = t_.get(key)) return line_of(*n);
  return line_of(t_);
}

void TomlTable::fail(const std::string& key, const std::string& message) const {
  throw core::InputError(file_, line(key), name(key), message);
}

const toml::node& TomlTable::node(const std::string& key) const {
  const toml::node* n = t_.get(key);
  if (n == nullptr) fail(key, "required key is missing");
  return *n;
}

std::optional<std::string> TomlTable::opt_string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  const auto v = node(key).value<std::string>();
  if (!v || !node(key).is_string()) fail(key, "expected a string");
  return *v;
}
std::string TomlTable::string(const std::string& key) const {
  node(key);
  return *opt_string(key);
}

std::optional<double> TomlTable::opt_number(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  const toml::node& n = node(key);
  if (!n.is_number()) fail(key, "expected a number");
  const double v = n.is_integer() ? static_cast<double>(*n.value<long long>()) : *n.value<double>();
  if (!std::isfinite(v)) fail(key, "expected a finite number (nan and inf are not allowed)");
  return v;
}
double TomlTable::number(const std::string& key) const {
  node(key);
  return *opt_number(key);
}

std::optional<long long> TomlTable::opt_integer(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  if (!node(key).is_integer()) fail(key, "expected an integer");
  return *node(key).value<long long>();
}
long long TomlTable::integer(const std::string& key) const {
  node(key);
  return *opt_integer(key);
}

std::optional<bool> TomlTable::opt_boolean(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  if (!node(key).is_boolean()) fail(key, "expected true or false");
  return *node(key).value<bool>();
}
bool TomlTable::boolean(const std::string& key) const {
  node(key);
  return *opt_boolean(key);
}

std::optional<core::Date> TomlTable::opt_date(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  const toml::node& n = node(key);
  try {
    if (n.is_date()) {
      const toml::date d = *n.value<toml::date>();
      core::Date out{d.year, d.month, d.day};
      core::day_number(out);  // validates
      return out;
    }
    if (n.is_string()) return core::parse_date(*n.value<std::string>());
  } catch (const std::invalid_argument& e) {
    fail(key, e.what());
  }
  fail(key, "expected a date YYYY-MM-DD");
}
core::Date TomlTable::date(const std::string& key) const {
  node(key);
  return *opt_date(key);
}

std::optional<TomlTable> TomlTable::opt_table(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  const toml::table* t = node(key).as_table();
  if (t == nullptr) fail(key, "expected a table");
  return TomlTable(*t, file_, name(key));
}
TomlTable TomlTable::table(const std::string& key) const {
  node(key);
  return *opt_table(key);
}

const toml::array& TomlTable::array(const std::string& key) const {
  const toml::array* a = node(key).as_array();
  if (a == nullptr) fail(key, "expected an array");
  return *a;
}

void TomlTable::only(const std::set<std::string>& allowed) const {
  for (auto&& [k, v] : t_) {
    const std::string key(k.str());
    if (allowed.count(key)) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw core::InputError(file_, line_of(v), name(key), fmt::format("unknown key (allowed here: {})", list));
  }
}

std::vector<std::string> TomlTable::string_list(const std::string& key) const {
  const toml::node& n = node(key);
  if (const auto s = n.value<std::string>(); s && n.is_string()) return {*s};
  const toml::array* a = n.as_array();
  if (a == nullptr || a->empty()) fail(key, "expected a name or a non-empty array of names");
  std::vector<std::string> out;
  for (const auto& e : *a) {
    const auto s = e.value<std::string>();
    if (!s || !e.is_string()) fail(key, "expected an array of names (strings)");
    if (std::find(out.begin(), out.end(), *s) != out.end()) fail(key, fmt::format("'{}' is listed twice", *s));
    out.push_back(*s);
  }
  return out;
}

}  // namespace daihai::io
