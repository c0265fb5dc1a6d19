#include "io/targets.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/errors.hpp"
#include "core/units.hpp"

namespace daihai::io {

// Factors from the one units table (core/units.hpp): a per-year unit converts like its base unit.
const std::vector<TargetUnit> kTargetUnits = {
    {"area_m2", false, "m2", core::to_internal("m2")},
    {"area_m2", false, "km2", core::to_internal("km2")},
    {"area_m2", false, "ha", core::to_internal("ha")},
    {"area_m2", true, "m2/a", core::to_internal("m2")},
    {"area_m2", true, "km2/a", core::to_internal("km2")},
    {"area_m2", true, "ha/a", core::to_internal("ha")},
    {"level_m", false, "m", core::to_internal("m")},
    {"level_m", false, "cm", core::to_internal("cm")},
    {"level_m", true, "m/a", core::to_internal("m")},
    {"level_m", true, "cm/a", core::to_internal("cm")},
    {"tds_g_per_L", false, "g/L", core::to_internal("g/L")},
    {"tds_g_per_L", false, "kg/m3", core::to_internal("kg/m3")},
    {"tds_g_per_L", false, "mg/L", core::to_internal("mg/L")},
    {"tds_g_per_L", true, "g/L/a", core::to_internal("g/L")},
    {"tds_g_per_L", true, "kg/m3/a", core::to_internal("kg/m3")},
    {"tds_g_per_L", true, "mg/L/a", core::to_internal("mg/L")},
};


namespace {

struct Problem {
  int line;
  std::string key;
  std::string message;
};

int line_of(const toml::source_region& r) { return static_cast<int>(r.begin.line); }

class Loader {
public:
  explicit Loader(std::string path) : path_(std::move(path)) {}

  std::vector<Target> load(const std::string& text) {
    toml::table root;
    try {
      root = toml::parse(text, path_);
    } catch (const toml::parse_error& e) {
      throw core::InputError(path_, line_of(e.source()), "", std::string("invalid TOML: ") + std::string(e.description()));
    }
    int plan_start = 2016;
    const toml::array* targets = nullptr;
    int targets_line = 0;
    for (auto&& [key, node] : root) {
      const std::string k(key.str());
      if (k == "plan_start") {
        if (auto v = integer(node, k)) plan_start = *v;
      } else if (k == "target") {
        targets = node.as_array();
        targets_line = line_of(node.source());
        if (!targets || !targets->is_array_of_tables()) {
          add(line_of(node.source()), k, "expected an array of tables [[target]]");
          targets = nullptr;
        }
      } else {
        add(line_of(key.source()), k, "unknown key; expected 'plan_start' or [[target]] tables");
      }
    }
    std::vector<Target> out;
    if (!targets && problems_.empty()) add(targets_line, "target", "no [[target]] table in the file");
    if (targets) {
      std::set<std::string> names;
      for (const auto& node : *targets) {
        const auto& table = *node.as_table();
        Target t = target(table, plan_start);
        if (!t.name.empty() && !names.insert(t.name).second)
          add(t.line, "name", fmt::format("duplicate target name '{}'", t.name));
        out.push_back(std::move(t));
      }
    }
    if (!problems_.empty()) {
      std::string message = problems_.front().message;
      for (std::size_t i = 1; i < problems_.size(); ++i) {
        const auto& p = problems_[i];
        message += std::string("\n") + core::InputError(path_, p.line, p.key, p.message).what();
      }
      throw core::InputError(path_, problems_.front().line, problems_.front().key, message);
    }
    return out;
  }

private:
  std::string path_;
  std::vector<Problem> problems_;

  void add(int line, std::string key, std::string message) { problems_.push_back({line, std::move(key), std::move(message)}); }

  std::optional<int> integer(const toml::node& node, const std::string& key) {
    if (auto v = node.value_exact<std::int64_t>()) return static_cast<int>(*v);
    add(line_of(node.source()), key, "expected an integer (a year)");
    return std::nullopt;
  }

  std::optional<std::string> string(const toml::node& node, const std::string& key) {
    if (auto v = node.value_exact<std::string>()) return *v;
    add(line_of(node.source()), key, "expected a string");
    return std::nullopt;
  }

  Target target(const toml::table& table, int plan_start) {
    Target t;
    t.file = path_;
    t.line = line_of(table.source());
    t.first_year_from = plan_start;
    static const std::vector<std::string> required = {"name", "quantity", "statistic", "operator", "value",
                                                      "unit", "from",     "to",        "source"};
    static const std::set<std::string> optional = {"note", "first_year_from"};
    for (auto&& [key, node] : table) {
      const std::string k(key.str());
      if (std::find(required.begin(), required.end(), k) == required.end() && !optional.count(k))
        add(line_of(key.source()), k,
            "unknown key; expected name, quantity, statistic, operator, value, unit, from, to, source, note, "
            "first_year_from");
    }
    for (const auto& k : required)
      if (!table.contains(k)) add(t.line, k, "missing required key in this [[target]]");

    bool unit_ok = false;
    bool quantity_ok = false;
    bool statistic_ok = false;
    if (auto n = table.get("name")) {
      if (auto v = string(*n, "name")) {
        t.name = *v;
        const bool valid = !v->empty() && std::all_of(v->begin(), v->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        });
        if (!valid) add(line_of(n->source()), "name", "expected letters, digits and '_' only");
      }
    }
    if (auto n = table.get("quantity")) {
      if (auto v = string(*n, "quantity")) {
        t.quantity = *v;
        quantity_ok = *v == "area_m2" || *v == "level_m" || *v == "tds_g_per_L";
        if (!quantity_ok)
          add(line_of(n->source()), "quantity",
              fmt::format("unknown quantity '{}'; expected area_m2, level_m or tds_g_per_L", *v));
      }
    }
    if (auto n = table.get("statistic")) {
      if (auto v = string(*n, "statistic")) {
        statistic_ok = true;
        if (*v == "trend") t.statistic = Statistic::trend;
        else if (*v == "every_year") t.statistic = Statistic::every_year;
        else if (*v == "in_year") t.statistic = Statistic::in_year;
        else {
          statistic_ok = false;
          add(line_of(n->source()), "statistic",
              fmt::format("unknown statistic '{}'; expected trend, every_year or in_year", *v));
        }
      }
    }
    if (auto n = table.get("operator")) {
      if (auto v = string(*n, "operator")) {
        if (*v == ">=") t.comparison = Comparison::greater_equal;
        else if (*v == "<=") t.comparison = Comparison::less_equal;
        else add(line_of(n->source()), "operator", fmt::format("unknown operator '{}'; expected \">=\" or \"<=\"", *v));
      }
    }
    if (auto n = table.get("value")) {
      if (auto v = n->value<double>(); v && (n->is_integer() || n->is_floating_point()) && std::isfinite(*v))
        t.value_as_given = *v;
      else
        add(line_of(n->source()), "value", "expected a finite number");
    }
    if (auto n = table.get("unit")) {
      if (auto v = string(*n, "unit")) {
        t.unit = *v;
        if (quantity_ok && statistic_ok) {
          const bool per_year = t.statistic == Statistic::trend;
          for (const auto& u : kTargetUnits)
            if (t.quantity == u.quantity && per_year == u.per_year && t.unit == u.unit) {
              t.value = t.value_as_given * u.to_si;
              unit_ok = true;
            }
          if (!unit_ok) {
            std::string accepted;
            for (const auto& u : kTargetUnits)
              if (t.quantity == u.quantity && per_year == u.per_year) accepted += (accepted.empty() ? "" : ", ") + std::string(u.unit);
            add(line_of(n->source()), "unit",
                fmt::format("unit '{}' does not fit a {} target on {}; expected one of {}", t.unit,
                            to_string(t.statistic), t.quantity, accepted));
          }
        }
      }
    }
    std::optional<int> from, to;
    if (auto n = table.get("from")) from = integer(*n, "from");
    if (auto n = table.get("to")) to = integer(*n, "to");
    if (from) t.from = *from;
    if (to) t.to = *to;
    if (from && to) {
      if (*from > *to) add(line_of(table.get("from")->source()), "from", fmt::format("from ({}) is after to ({})", *from, *to));
      if (statistic_ok && t.statistic == Statistic::in_year && *from != *to)
        add(line_of(table.get("from")->source()), "from", "an in_year target needs from == to (the year checked)");
      if (statistic_ok && t.statistic == Statistic::trend && *from == *to)
        add(line_of(table.get("from")->source()), "from", "a trend target needs at least two years (from < to)");
    }
    if (auto n = table.get("first_year_from")) {
      if (auto v = integer(*n, "first_year_from")) t.first_year_from = *v;
    }
    if (auto n = table.get("source")) {
      if (auto v = string(*n, "source")) t.source = *v;
    }
    if (auto n = table.get("note")) {
      if (auto v = string(*n, "note")) t.note = *v;
    }
    return t;
  }
};

}  // namespace

std::vector<Target> parse_targets(const std::string& text, const std::string& path) { return Loader(path).load(text); }

std::vector<Target> load_targets(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError(path, 0, "", "cannot open the targets file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_targets(text.str(), path);
}

}  // namespace daihai::io
