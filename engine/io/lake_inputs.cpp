#include "io/lake_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/climate_forcing.hpp"
#include "io/csv.hpp"
#include "io/result_sink.hpp"
#include "io/toml_util.hpp"
#include "management/measure_kind.hpp"
#include "model/model.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kKinds = {"D", "E", "C"};

void check_kind_source(const TomlTable& t) {
  const std::string kind = t.string("kind");
  if (!kKinds.count(kind)) throw core::InputError(t.file(), t.line("kind"), t.name("kind"), "expected D (direct), E (estimate) or C (calibrated)");
  if (t.string("source").empty()) throw core::InputError(t.file(), t.line("source"), t.name("source"), "the source must not be empty");
}

// The `value` of a table with `range = [low, high]` (both in the declaration's unit): the range
// ordered and inside the valid range of `d`, the value inside it.
struct RangedValue {
  double value, low, high;
};
RangedValue ranged_value(const TomlTable& t, const core::ParameterDecl& d, const std::string& path) {
  const auto& range = t.array("range");
  if (range.size() != 2 || !range[0].is_number() || !range[1].is_number())
    throw core::InputError(path, t.line("range"), t.name("range"), "expected [low, high] plausible range");
  const double lo = range[0].value<double>().value_or(0.0), hi = range[1].value<double>().value_or(0.0);
  if (!(lo <= hi)) throw core::InputError(path, t.line("range"), t.name("range"), fmt::format("[{}, {}]: expected low <= high", lo, hi));
  if (lo < d.min || hi > d.max)
    throw core::InputError(path, t.line("range"), t.name("range"),
                           fmt::format("plausible range [{}, {}] exceeds the valid range [{}, {}] {}", lo, hi, d.min, d.max, d.unit));
  const double v = t.number("value");
  core::check_valid(d, v, path, t.line("value"), t.name("value"));
  if (!(lo <= v && v <= hi))
    throw core::InputError(path, t.line("value"), t.name("value"), fmt::format("value {} lies outside its plausible range [{}, {}]", v, lo, hi));
  return {v, lo, hi};
}

}  // namespace

core::ParameterSet load_parameters(const std::string& path, std::string* vertical_datum) {
  const toml::table root = parse_toml_file(path);
  const auto& reg = model::parameter_registry();
  core::ParameterSet p;
  bool datum_given = false;
  for (auto&& [k, node] : root) {
    const std::string name(k.str());
    if (name == kVerticalDatumKey) {
      const auto* text = node.as_string();
      const auto control = [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; };
      if (text != nullptr && std::any_of(text->get().begin(), text->get().end(), control))
        throw core::InputError(path, line_of(node), name, "expected one line of text: the datum's name holds a control character");
      if (text == nullptr || text->get().find_first_not_of(" \t") == std::string::npos)
        throw core::InputError(path, line_of(node), name,
                               "expected the name of the vertical datum every level and head of this folder is measured from, "
                               "as a non-empty string (e.g. \"1985 National Height Datum\")");
      if (vertical_datum != nullptr) *vertical_datum = text->get();
      datum_given = true;
      continue;
    }
    const toml::table* tbl = node.as_table();
    if (tbl == nullptr)
      throw core::InputError(path, line_of(node), name, "expected a table [name] with value, range, kind and source");
    const TomlTable t(*tbl, path, name);
    t.only({"value", "range", "kind", "source", "unit", "note"});
    const core::ParameterDecl* d = reg.find(name);
    if (d == nullptr) throw core::InputError(path, line_of(node), name, "unknown parameter (not declared by the engine)");
    if (auto unit = t.opt_string("unit"); unit && *unit != d->unit)
      throw core::InputError(path, t.line("unit"), t.name("unit"), fmt::format("the engine declares this parameter in '{}'", d->unit));
    check_kind_source(t);
    const RangedValue r = ranged_value(t, *d, path);
    p.set(reg, name, r.value, {path, t.line("value"), t.string("kind"), t.string("source"), r.low, r.high});
  }
  if (!datum_given)
    throw core::InputError(path, 0, kVerticalDatumKey,
                           "missing: every lake's parameters name the vertical datum of its levels and heads "
                           "(vertical_datum = \"...\" before the first table)");
  return p;
}

namespace {

std::shared_ptr<const physics::Hypsometry> read_hypsometry(const std::string& path) {
  const CsvTable t = CsvTable::read(path);
  const auto cl = t.column("level_m"), ca = t.column("area_km2");
  std::vector<double> h, a;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    h.push_back(t.number(r, cl));
    const double area = t.number(r, ca);
    if (area < 0.0) throw core::InputError(path, t.line_of(r), "area_km2", "area must not be negative");
    if (r > 0 && !(h.back() > h[h.size() - 2]))
      throw core::InputError(path, t.line_of(r), "level_m", "levels must increase strictly from row to row");
    if (r > 0 && area * 1e6 < a.back())
      throw core::InputError(path, t.line_of(r), "area_km2", "area must not decrease as the level rises");
    a.push_back(area * 1e6);
  }
  if (h.size() < 2) throw core::InputError(path, 0, "", "a hypsometry needs at least 2 rows");
  return std::make_shared<const physics::Hypsometry>(std::move(h), std::move(a));
}

scenario::History read_history(const std::string& path) {
  const CsvTable t = CsvTable::read(path);
  scenario::History hist;
  hist.file = path;
  const auto cy = t.column("year");
  std::vector<std::size_t> value_cols;
  for (std::size_t c = 0; c < t.header().size(); ++c) {
    const std::string& name = t.header()[c];
    if (name == "year" || name == "kind" || name == "source" || name == "note") continue;
    value_cols.push_back(c);
    hist.columns[name];
  }
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const long long y = t.integer(r, cy);
    if (!hist.years.empty() && y <= hist.years.back()) throw core::InputError(path, t.line_of(r), "year", "years must increase");
    hist.years.push_back(static_cast<int>(y));
    for (auto c : value_cols) {
      const double v = t.number(r, c);
      if (v < 0.0) throw core::InputError(path, t.line_of(r), t.header()[c], "a water use must not be negative");
      hist.columns[t.header()[c]].push_back(v);
    }
  }
  if (hist.years.empty()) throw core::InputError(path, 0, "", "the history table has no rows");
  return hist;
}

std::vector<scenario::MeasureSpec> read_measures(const std::string& path) {
  const toml::table root = parse_toml_file(path);
  std::vector<scenario::MeasureSpec> out;
  for (auto&& [k, node] : root) {
    const std::string name(k.str());
    const toml::table* tbl = node.as_table();
    if (tbl == nullptr) throw core::InputError(path, line_of(node), name, "expected a table [measure_name]");
    const TomlTable t(*tbl, path, name);
    scenario::MeasureSpec m;
    m.name = name;
    m.file = path;
    m.line = line_of(node);
    m.kind = t.string("kind");
    const management::MeasureKind* kind = management::find_measure_kind(m.kind);
    if (kind == nullptr)
      throw core::InputError(path, t.line("kind"), t.name("kind"), fmt::format("unknown measure kind (expected {})", management::measure_kind_names()));
    m.start = t.date("start");
    std::set<std::string> allowed = {"kind", "start", "start_source", "note"};
    for (const auto& key : kind->keys) {
      allowed.insert(key.name);
      const TomlTable v = t.table(key.name);
      v.only({"value", "range", "kind", "source", "unit", "note"});
      check_kind_source(v);
      if (v.has("range")) {  // an uncertain design value: the parameter ensemble may sample it
        const RangedValue r = ranged_value(v, key, path);
        m.values[key.name] = r.value * key.to_si;
        if (r.low < r.high) m.ranges[key.name] = {r.low * key.to_si, r.high * key.to_si};
      } else {
        const double x = v.number("value");
        core::check_valid(key, x, path, v.line("value"), v.name("value"));
        m.values[key.name] = x * key.to_si;
      }
    }
    for (const auto& key : kind->name_keys) {
      allowed.insert(key.name);
      m.names[key.name] = t.string_list(key.name);
      if (!key.list && m.names[key.name].size() != 1)
        throw core::InputError(path, t.line(key.name), t.name(key.name), "expected one name");
    }
    t.only(allowed);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

scenario::LakeInputs load_lake_inputs(const std::string& dir) {
  if (!fs::is_directory(dir)) throw core::InputError(dir, 0, "", "the inputs folder does not exist");
  scenario::LakeInputs in;
  in.dir = dir;
  const std::string params = (fs::path(dir) / "parameters.toml").string();
  const std::string hyps = (fs::path(dir) / "hypsometry.csv").string();
  const std::string hist = (fs::path(dir) / "water_use_history.csv").string();
  const std::string meas = (fs::path(dir) / "measures.toml").string();
  if (!fs::exists(params)) throw core::InputError(params, 0, "", "every lake folder needs its parameters file");
  if (!fs::exists(hyps)) throw core::InputError(hyps, 0, "", "every lake folder needs its hypsometry (columns level_m, area_km2)");
  in.parameters = load_parameters(params, &in.vertical_datum);
  try {
    in.hypsometry = read_hypsometry(hyps);
  } catch (const std::invalid_argument& e) {
    throw core::InputError(hyps, 0, "", e.what());
  }
  std::vector<std::string> read = {params, hyps};
  in.water_use.file = hist;
  if (fs::exists(hist)) {
    in.water_use = read_history(hist);
    read.push_back(hist);
  }
  if (fs::exists(meas)) {
    in.measure_designs = read_measures(meas);
    read.push_back(meas);
  }
  for (const auto& f : read) in.checksums[f] = file_checksum(f);
  return in;
}

}  // namespace daihai::io
