#include "io/scenario_file.hpp"
#include "io/monitoring_file.hpp"

#include <algorithm>
#include <limits>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/errors.hpp"
#include "io/csv.hpp"
#include "io/result_sink.hpp"
#include "io/text_file.hpp"
#include "io/lake_inputs.hpp"
#include "io/climate_forcing.hpp"
#include "io/toml_util.hpp"
#include "management/measure_kind.hpp"
#include "model/model.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

namespace {


std::string relative_to(const std::string& file, const std::string& p) {
  const fs::path q(p);
  if (q.is_absolute()) return q.string();
  return (fs::path(file).parent_path() / q).lexically_normal().string();
}

// Measure overrides given in the scenario: [measures.<name>] tables, validated now.
struct MeasureOverride {
  std::string name;
  int line = 0;
  std::optional<core::Date> start;
  std::map<std::string, double> values;  // SI
  std::map<std::string, std::vector<std::string>> names;
};

struct Base {
  scenario::ScenarioSpec spec;
  OutputSpec output;
  std::shared_ptr<const scenario::LakeInputs> inputs;
  std::vector<MeasureOverride> measures;         // in file order
  std::vector<scenario::MeasureSpec> defined;    // measures the file defines itself ([measures.<name>] with a kind)
  std::shared_ptr<const AssimilationSpec> assimilation;
};

// ---------------------------------------------------------------------------------- [assimilation]

// [assimilation]: monitoring = "<file>" (relative to the scenario file), relaxation in [0, 1].
// Every row must lie inside the run period and observe a quantity the model has.
std::shared_ptr<const AssimilationSpec> read_assimilation(const TomlTable& t, const std::string& path, scenario::ScenarioSpec& s) {
  t.only({"monitoring", "relaxation", "note"});
  auto a = std::make_shared<AssimilationSpec>();
  a->file = path;
  a->line = t.line("monitoring");
  a->monitoring_file = relative_to(path, t.string("monitoring"));
  if (!fs::is_regular_file(a->monitoring_file))
    throw core::InputError(path, t.line("monitoring"), t.name("monitoring"),
                           fmt::format("the monitoring file '{}' does not exist or is not a file", a->monitoring_file));
  a->rows = load_monitoring(a->monitoring_file);
  a->enkf.relaxation = t.opt_number("relaxation").value_or(0.0);
  if (a->enkf.relaxation < 0.0 || a->enkf.relaxation > 1.0)
    throw core::InputError(path, t.line("relaxation"), t.name("relaxation"),
                           fmt::format("expected a relaxation to prior spread in [0, 1], found {}", a->enkf.relaxation));
  const std::int64_t first = core::day_number(s.start), last = core::day_number(s.end);
  for (const auto& r : a->rows) {
    if (r.first_day() < first || r.analysis_day() >= last)
      throw core::InputError(r.file, r.line, "time",
                             fmt::format("the observation's time lies outside the run ({} to {}; a figure is assimilated after its day "
                                         "or period, so the run must go on after it)",
                                         core::format_date(s.start), core::format_date(s.end)));
    if (r.quantity == analysis::Monitored::aquifer_head && !s.switches.aquifer)
      throw core::InputError(r.file, r.line, "quantity", "an aquifer head, but the scenario has no aquifer ([switches] aquifer = false)");
  }
  s.switches.processes["assimilation_update"] = true;
  return a;
}

// ---------------------------------------------------------------------------------- [output]

SeriesResolution parse_resolution(const TomlTable& t, const std::string& key, bool allow_none) {
  const std::string v = t.string(key);
  if (v == "daily") return SeriesResolution::daily;
  if (v == "monthly") return SeriesResolution::monthly;
  if (allow_none && (v == "none" || v == "annual")) return SeriesResolution::none;
  throw core::InputError(t.file(), t.line(key), t.name(key),
                         allow_none ? "expected \"daily\", \"monthly\", \"annual\" or \"none\"" : "expected \"daily\" or \"monthly\"");
}

Precision parse_precision(const TomlTable& t, const std::string& key) {
  const std::string v = t.string(key);
  if (v == "float64") return Precision::float64;
  if (v == "float32") return Precision::float32;
  throw core::InputError(t.file(), t.line(key), t.name(key), "expected \"float64\" or \"float32\"");
}

// The [output] table (and the older `series` key of [scenario], which sets the default
// resolution; giving both is an error). Variable names are checked against a run's outputs
// later (io::check_output_variables), since only a run knows them.
OutputSpec read_output(const TomlTable& top, const TomlTable& sc, const std::string& path) {
  OutputSpec o;
  o.file = path;
  if (sc.has("series")) o.defaults.resolution = parse_resolution(sc, "series", false);
  const auto out = top.opt_table("output");
  if (!out) return o;
  out->only({"series", "precision", "deflate", "shuffle", "variables"});
  if (out->has("series")) {
    if (sc.has("series"))
      throw core::InputError(path, out->line("series"), out->name("series"),
                             fmt::format("the series resolution is also given by scenario.series (line {}): give it in [output] only",
                                         sc.line("series")));
    o.defaults.resolution = parse_resolution(*out, "series", true);
  }
  if (out->has("precision")) o.defaults.precision = parse_precision(*out, "precision");
  if (auto d = out->opt_integer("deflate")) {
    if (*d < 0 || *d > 9) throw core::InputError(path, out->line("deflate"), out->name("deflate"), "expected 0 .. 9 (zlib level, 0 = none)");
    o.deflate = static_cast<int>(*d);
  }
  o.shuffle = out->opt_boolean("shuffle").value_or(o.shuffle);
  if (auto vars = out->opt_table("variables")) {
    for (auto&& [k, v] : vars->raw()) {
      const std::string name(k.str());
      if (!v.is_table())
        throw core::InputError(path, line_of(v), vars->name(name),
                               "expected a table such as { series = \"monthly\", precision = \"float32\" }");
      const TomlTable vt = vars->table(name);
      vt.only({"series", "precision"});
      VariableOutput choice = o.defaults;
      if (vt.has("series")) choice.resolution = parse_resolution(vt, "series", true);
      if (vt.has("precision")) choice.precision = parse_precision(vt, "precision");
      o.variables[name] = choice;
      o.lines[name] = line_of(v);
    }
  }
  return o;
}

// A measure defined by a scenario or batch file itself: `kind`, `start` and every design value
// of the kind (plain numbers in the kind's units, names as strings).
scenario::MeasureSpec define_measure(const TomlTable& mt, const std::string& name, int line) {
  scenario::MeasureSpec m;
  m.name = name;
  m.file = mt.file();
  m.line = line;
  m.kind = mt.string("kind");
  const management::MeasureKind* kind = management::find_measure_kind(m.kind);
  if (kind == nullptr)
    throw core::InputError(mt.file(), mt.line("kind"), mt.name("kind"),
                           fmt::format("unknown measure kind (expected {})", management::measure_kind_names()));
  m.start = mt.date("start");
  std::set<std::string> allowed = {"kind", "start", "note"};
  for (const auto& key : kind->keys) {
    allowed.insert(key.name);
    const double x = mt.number(key.name);
    core::check_valid(key, x, mt.file(), mt.line(key.name), mt.name(key.name));
    m.values[key.name] = x * key.to_si;
  }
  for (const auto& key : kind->name_keys) {
    allowed.insert(key.name);
    m.names[key.name] = mt.string_list(key.name);
    if (!key.list && m.names[key.name].size() != 1)
      throw core::InputError(mt.file(), mt.line(key.name), mt.name(key.name), "expected one name");
  }
  mt.only(allowed);
  return m;
}

// [climate]: where the weather comes from.
void read_climate(const TomlTable& c, const std::string& path, scenario::ScenarioSpec& s) {
  c.only({"source", "seed", "member", "observed_months", "delta_t_C", "delta_p_pct", "delta_ramp", "file"});
  const std::string src = c.opt_string("source").value_or("generator");
  if (src == "generator") {
    s.climate.source = scenario::ClimateSpec::Source::generator;
  } else if (src == "csv") {
    s.climate.source = scenario::ClimateSpec::Source::csv;
    s.climate.csv_path = relative_to(path, c.string("file"));
    if (!fs::exists(s.climate.csv_path))
      throw core::InputError(path, c.line("file"), c.name("file"), fmt::format("forcing file '{}' does not exist", s.climate.csv_path));
  } else {
    throw core::InputError(path, c.line("source"), c.name("source"), "expected \"generator\" or \"csv\"");
  }
  if (auto seed = c.opt_integer("seed")) {
    if (*seed < 0) throw core::InputError(path, c.line("seed"), c.name("seed"), "expected a non-negative integer");
    s.climate.seed = static_cast<std::uint64_t>(*seed);
  }
  if (auto m = c.opt_integer("member")) {
    if (*m < 0 || *m > 1000000) throw core::InputError(path, c.line("member"), c.name("member"), "expected 0 .. 1000000");
    s.climate.member = static_cast<int>(*m);
  }
  s.climate.observed_months = c.opt_boolean("observed_months").value_or(true);
  // Keys of the weather generator mean nothing for weather read from a file: refused, never ignored.
  if (s.climate.source == scenario::ClimateSpec::Source::csv)
    for (const char* key : {"seed", "member", "observed_months", "delta_t_C", "delta_p_pct"})
      if (c.has(key))
        throw core::InputError(path, c.line(key), c.name(key),
                               "applies to generated weather only: with source = \"csv\" the weather is the file's");
  s.climate.delta_t_C = c.opt_number("delta_t_C").value_or(0.0);
  s.climate.delta_p_pct = c.opt_number("delta_p_pct").value_or(0.0);
  if (s.climate.delta_t_C < -10 || s.climate.delta_t_C > 10)
    throw core::InputError(path, c.line("delta_t_C"), c.name("delta_t_C"), "expected -10 .. 10 degC");
  if (s.climate.delta_p_pct < -90 || s.climate.delta_p_pct > 200)
    throw core::InputError(path, c.line("delta_p_pct"), c.name("delta_p_pct"), "expected -90 .. 200 %");
  if (c.has("delta_ramp")) {
    const auto bad = [&] {
      return core::InputError(path, c.line("delta_ramp"), c.name("delta_ramp"),
                              "expected [first_year, last_year] with 1800 <= first_year < last_year <= 2300 (the deltas grow "
                              "linearly from none at the start of first_year to full at the end of last_year)");
    };
    const toml::array& a = c.array("delta_ramp");
    if (a.size() != 2 || !a[0].is_integer() || !a[1].is_integer()) throw bad();
    const long long y0 = a[0].value<long long>().value(), y1 = a[1].value<long long>().value();
    if (y0 < 1800 || y1 > 2300 || y0 >= y1) throw bad();
    if (s.climate.source != scenario::ClimateSpec::Source::generator)
      throw core::InputError(path, c.line("delta_ramp"), c.name("delta_ramp"), "a delta ramp applies to generated weather only");
    s.climate.delta_ramp_first_year = static_cast<int>(y0);
    s.climate.delta_ramp_last_year = static_cast<int>(y1);
  }
}

// [switches]: which parts of the model are on.
// Groups of processes and stores, and any process type the model has of its own accord by name.
void read_switches(const TomlTable& sw, scenario::ScenarioSpec& s) {
  std::set<std::string> keys = {"catchment", "aquifer", "water_uses", "precipitation", "evaporation", "salt_deposition"};
  for (const auto& t : physics::process_types())
    if (t.in_model) keys.insert(t.type);
  sw.only(keys);
  for (const auto& t : physics::process_types())
    if (t.in_model && sw.has(t.type)) s.switches.processes[t.type] = sw.boolean(t.type);
  s.switches.catchment = sw.opt_boolean("catchment").value_or(true);
  s.switches.aquifer = sw.opt_boolean("aquifer").value_or(true);
  s.switches.water_uses = sw.opt_boolean("water_uses").value_or(true);
  s.switches.precipitation = sw.opt_boolean("precipitation").value_or(true);
  s.switches.evaporation = sw.opt_boolean("evaporation").value_or(true);
  s.switches.salt_deposition = sw.opt_boolean("salt_deposition").value_or(true);
}

// [inflow]: a constant or tabulated inflow of the scenario.
void read_inflow(const TomlTable& inf, const std::string& path, scenario::ScenarioSpec& s) {
  inf.only({"rate_m3_per_s", "table", "tds_g_per_L"});
  scenario::InflowSpec spec;
  spec.tds_g_per_L = inf.opt_number("tds_g_per_L").value_or(0.0);
  if (spec.tds_g_per_L < 0) throw core::InputError(path, inf.line("tds_g_per_L"), inf.name("tds_g_per_L"), "must not be negative");
  if (inf.has("rate_m3_per_s") == inf.has("table"))
    throw core::InputError(path, inf.line("rate_m3_per_s"), inf.name("rate_m3_per_s"), "give exactly one of rate_m3_per_s or table");
  if (auto r = inf.opt_number("rate_m3_per_s")) {
    if (*r < 0) throw core::InputError(path, inf.line("rate_m3_per_s"), inf.name("rate_m3_per_s"), "must not be negative");
    spec.day.push_back(core::day_number(s.start));
    spec.rate_m3_per_s.push_back(*r);
  } else {
    const std::string tpath = relative_to(path, inf.string("table"));
    if (!fs::is_regular_file(tpath))
      throw core::InputError(path, inf.line("table"), inf.name("table"), fmt::format("inflow table '{}' does not exist", tpath));
    const CsvTable t = CsvTable::read(tpath);
    const auto cd = t.column("date"), cr = t.column("rate_m3_per_s");
    for (std::size_t row = 0; row < t.rows(); ++row) {
      core::Date d;
      try {
        d = core::parse_date(t.text(row, cd));
      } catch (const std::invalid_argument& e) {
        throw core::InputError(tpath, t.line_of(row), "date", e.what());
      }
      const double q = t.number(row, cr);
      if (q < 0) throw core::InputError(tpath, t.line_of(row), "rate_m3_per_s", "must not be negative");
      if (!spec.day.empty() && core::day_number(d) <= spec.day.back())
        throw core::InputError(tpath, t.line_of(row), "date", "dates must increase");
      spec.day.push_back(core::day_number(d));
      spec.rate_m3_per_s.push_back(q);
    }
    if (spec.day.empty()) throw core::InputError(tpath, 0, "", "the inflow table has no rows");
    if (spec.day.front() > core::day_number(s.start))
      throw core::InputError(tpath, t.line_of(0), "date",
                             fmt::format("the table starts after the run ({}): give the rate from the run's first day on",
                                         core::format_date(s.start)));
  }
  s.inflow = spec;
}

// [parameters]: overrides of declared parameters, in their declared units.
void read_overrides(const TomlTable& par, const std::string& path, scenario::ScenarioSpec& s) {
  for (auto&& [k, v] : par.raw()) {
    const std::string name(k.str());
    const core::ParameterDecl* d = model::parameter_registry().find(name);
    if (d == nullptr) throw core::InputError(path, line_of(v), par.name(name), "unknown parameter (not declared by the engine)");
    const double x = par.number(name);
    core::check_valid(*d, x, path, line_of(v), par.name(name));
    s.overrides[name] = x;
    s.override_lines[name] = line_of(v);
  }
}

// [measures.<name>]: measures turned on, with overrides of their design values, or defined here.
void read_measures(const TomlTable& ms, const std::string& path, Base& b) {
  for (auto&& [k, v] : ms.raw()) {
    const std::string name(k.str());
    if (!v.is_table()) throw core::InputError(path, line_of(v), ms.name(name), "expected a table [measures.<name>]");
    const TomlTable mt = ms.table(name);
    const scenario::MeasureSpec* design = nullptr;
    for (const auto& m : b.inputs->measure_designs)
      if (m.name == name) design = &m;
    if (design == nullptr && mt.has("kind")) {
      b.defined.push_back(define_measure(mt, name, line_of(v)));
      b.measures.push_back({name, line_of(v), std::nullopt, {}, {}});
      continue;
    }
    if (design == nullptr) {
      std::string known;
      for (const auto& m : b.inputs->measure_designs) known += (known.empty() ? "" : ", ") + m.name;
      throw core::InputError(path, line_of(v), ms.name(name),
                             fmt::format("unknown measure (the inputs define: {}); to define a new one here give its kind, start "
                                         "and every design value",
                                         known.empty() ? "none" : known));
    }
    const management::MeasureKind* kind = management::find_measure_kind(design->kind);
    std::set<std::string> keys = {"start", "kind"};
    for (const auto& key : kind->keys) keys.insert(key.name);
    for (const auto& key : kind->name_keys) keys.insert(key.name);
    mt.only(keys);
    if (auto kd = mt.opt_string("kind"); kd && *kd != design->kind)
      throw core::InputError(path, mt.line("kind"), mt.name("kind"),
                             fmt::format("measure '{}' is of kind '{}' in the inputs", name, design->kind));
    MeasureOverride o;
    o.name = name;
    o.line = line_of(v);
    o.start = mt.opt_date("start");
    for (const auto& key : kind->keys) {
      if (auto x = mt.opt_number(key.name)) {
        core::check_valid(key, *x, path, mt.line(key.name), mt.name(key.name));
        o.values[key.name] = *x * key.to_si;
      }
    }
    for (const auto& key : kind->name_keys)
      if (mt.has(key.name)) o.names[key.name] = mt.string_list(key.name);
    b.measures.push_back(std::move(o));
  }
}

Base read_base(const toml::table& root, const std::string& path, bool batch, const std::set<std::string>& extra_tables = {}) {
  const TomlTable top(root, path, "");
  std::set<std::string> allowed = {"scenario", "climate", "switches", "inflow", "parameters", "measures", "output", "assimilation"};
  if (batch) allowed.insert("batch");
  allowed.insert(extra_tables.begin(), extra_tables.end());
  if (!batch && top.has("batch"))
    throw core::InputError(path, top.line("batch"), "batch", "this is a batch file: run it with 'daihai batch'");
  top.only(allowed);
  Base b;
  scenario::ScenarioSpec& s = b.spec;
  s.source_file = path;
  const TomlTable sc = top.table("scenario");
  sc.only({"name", "start", "end", "inputs", "series", "integrator", "note"});
  if (!batch || sc.has("name")) s.name = sc.string("name");
  s.start = sc.date("start");
  s.end = sc.date("end");
  if (core::day_number(s.end) < core::day_number(s.start))
    throw core::InputError(path, sc.line("end"), sc.name("end"), "the end date is before the start date");
  const std::string inputs_dir = relative_to(path, sc.string("inputs"));
  if (!fs::is_directory(inputs_dir))
    throw core::InputError(path, sc.line("inputs"), sc.name("inputs"), fmt::format("the inputs folder '{}' does not exist", inputs_dir));
  auto inputs = std::make_shared<scenario::LakeInputs>(load_lake_inputs(inputs_dir));
  b.inputs = inputs;
  b.output = read_output(top, sc, path);
  // The runs produce series at the finest resolution any variable asks for; the results file
  // aggregates them to each variable's own resolution.
  s.resolution = b.output.finest() == SeriesResolution::daily ? scenario::Resolution::daily : scenario::Resolution::monthly;
  s.integrator = sc.opt_string("integrator").value_or("dopri5");
  if (s.integrator != "dopri5" && s.integrator != "rk4")
    throw core::InputError(path, sc.line("integrator"), sc.name("integrator"), "expected \"dopri5\" or \"rk4\"");

  const auto climate = top.opt_table("climate");
  if (climate) read_climate(*climate, path, s);
  // Generated weather depends on its seed: never a silent default (the file's text, recorded in
  // every results file, then holds it).
  if (s.climate.source == scenario::ClimateSpec::Source::generator && !(climate && climate->has("seed")))
    throw core::InputError(path, climate ? climate->line("seed") : 0, climate ? climate->name("seed") : std::string("climate.seed"),
                           "the weather generator needs its seed, e.g. [climate] seed = 20240601 (the weather, and so every result, "
                           "depends on it), or source = \"csv\" with a forcing file");
  attach_climate(*inputs, s.climate.source == scenario::ClimateSpec::Source::generator);
  if (auto sw = top.opt_table("switches")) read_switches(*sw, s);
  if (auto inf = top.opt_table("inflow")) read_inflow(*inf, path, s);
  if (auto par = top.opt_table("parameters")) read_overrides(*par, path, s);
  if (auto ms = top.opt_table("measures")) read_measures(*ms, path, b);
  if (auto as = top.opt_table("assimilation")) b.assimilation = read_assimilation(*as, path, s);
  return b;
}

// True when the file itself gives measure `name`'s design value `key`.
bool overridden(const Base& b, const std::string& name, const std::string& key) {
  for (const auto& o : b.measures)
    if (o.name == name && o.values.count(key)) return true;
  for (const auto& m : b.defined)
    if (m.name == name) return true;
  return false;
}

scenario::MeasureSpec measure_for(const Base& b, const std::string& name) {
  for (const auto& m : b.defined)
    if (m.name == name) return m;
  for (const auto& m : b.inputs->measure_designs) {
    if (m.name != name) continue;
    scenario::MeasureSpec out = m;
    for (const auto& o : b.measures) {
      if (o.name != name) continue;
      if (o.start) out.start = *o.start;
      for (const auto& [k, v] : o.values) out.values[k] = v;
      for (const auto& [k, v] : o.names) out.names[k] = v;
      out.file = b.spec.source_file;
      out.line = o.line;
    }
    return out;
  }
  throw std::logic_error("measure_for: unknown measure " + name);
}

// The inputs' measures, then those the file defines itself.
// Every measure known to a plan: the inputs' measures in the order of their file (canonical: the
// order of a combination's measures in scenario names), then those the scenario file defines.
std::vector<std::string> known_measures(const Base& b) {
  std::vector<const scenario::MeasureSpec*> designs;
  for (const auto& m : b.inputs->measure_designs) designs.push_back(&m);
  std::stable_sort(designs.begin(), designs.end(), [](const auto* x, const auto* y) { return x->line < y->line; });
  std::vector<std::string> out;
  for (const auto* m : designs) out.push_back(m->name);
  for (const auto& m : b.defined) out.push_back(m.name);
  return out;
}

// The run's uncertain design values (every known measure's keys with a plausible range, in the
// key's unit; NaN where the measure is off), from its measures as they stand.
// The design values /runs records: every key with a plausible range, and every key a batch varies
// (`variant_keys`, "<measure>.<key>").
void set_design_values(const Base& b, scenario::RunSpec& r, const std::set<std::string>& variant_keys = {}) {
  r.design_values.clear();
  for (const auto& name : known_measures(b)) {
    const scenario::MeasureSpec design = measure_for(b, name);
    const management::MeasureKind* kind = management::find_measure_kind(design.kind);
    const scenario::MeasureSpec* on = nullptr;
    for (const auto& m : r.scenario.measures)
      if (m.name == name) on = &m;
    for (const auto& key : kind->keys) {
      if (!design.ranges.count(key.name) && !variant_keys.count(name + "." + key.name)) continue;
      const double v = on != nullptr ? on->values.at(key.name) / key.to_si : std::numeric_limits<double>::quiet_NaN();
      r.design_values.push_back({name + "." + key.name, key.unit, v});
    }
  }
}

scenario::RunSpec make_run(const Base& b, const std::vector<std::string>& on, std::size_t index) {
  scenario::RunSpec r;
  r.index = index;
  r.scenario = b.spec;
  r.scenario.measures.clear();
  for (const auto& name : known_measures(b)) {
    const bool is_on = std::find(on.begin(), on.end(), name) != on.end();
    r.measure_flags.emplace_back(name, is_on);
    if (is_on) r.scenario.measures.push_back(measure_for(b, name));
  }
  set_design_values(b, r);
  return r;
}

// Checks one climate delta value: finite (TomlTable::number) and inside its range.
double delta_value(const TomlTable& t, const std::string& key, double lo, double hi, const char* unit) {
  const double x = t.number(key);
  if (x < lo || x > hi)
    throw core::InputError(t.file(), t.line(key), t.name(key), fmt::format("value {} outside {} .. {} {}", x, lo, hi, unit));
  return x + 0.0;  // -0 becomes +0, so that it groups and prints as 0
}

}  // namespace

std::vector<ClimateDelta> read_climate_deltas(const TomlTable& batch, const scenario::ClimateSpec& base) {
  const ClimateDelta base_delta{base.delta_t_C, base.delta_p_pct};
  if (!batch.has("climate_deltas")) return {base_delta};
  if (base.source != scenario::ClimateSpec::Source::generator)
    throw core::InputError(batch.file(), batch.line("climate_deltas"), batch.name("climate_deltas"),
                           "climate deltas apply to generated weather: [climate] source must be \"generator\"");
  const toml::array& a = batch.array("climate_deltas");
  if (a.empty())
    throw core::InputError(batch.file(), batch.line("climate_deltas"), batch.name("climate_deltas"),
                           "expected at least one delta, e.g. [ { delta_t_C = 0.0, delta_p_pct = 0.0 } ]");
  if (a.size() > 1000)
    throw core::InputError(batch.file(), batch.line("climate_deltas"), batch.name("climate_deltas"), "at most 1000 deltas");
  std::vector<ClimateDelta> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const toml::node& e = *a.get(i);
    const std::string where = fmt::format("{}[{}]", batch.name("climate_deltas"), i);
    const toml::table* t = e.as_table();
    if (t == nullptr)
      throw core::InputError(batch.file(), line_of(e), where,
                             "expected a table { delta_t_C = <degC>, delta_p_pct = <%> }");
    const TomlTable d(*t, batch.file(), where);
    d.only({"delta_t_C", "delta_p_pct"});
    if (t->empty()) throw core::InputError(batch.file(), line_of(e), where, "expected delta_t_C and/or delta_p_pct");
    ClimateDelta cd = base_delta;
    if (d.has("delta_t_C")) cd.delta_t_C = delta_value(d, "delta_t_C", -10.0, 10.0, "degC");
    if (d.has("delta_p_pct")) cd.delta_p_pct = delta_value(d, "delta_p_pct", -90.0, 200.0, "%");
    for (const auto& prev : out)
      if (prev.delta_t_C == cd.delta_t_C && prev.delta_p_pct == cd.delta_p_pct)
        throw core::InputError(batch.file(), line_of(e), where,
                               fmt::format("the delta (delta_t_C = {}, delta_p_pct = {}) is listed twice", cd.delta_t_C,
                                           cd.delta_p_pct));
    out.push_back(cd);
  }
  return out;
}

std::vector<ParameterMember> read_parameter_ensemble(const std::string& path, const scenario::LakeInputs& inputs) {
  const CsvTable t = CsvTable::read(path);
  const auto cm = t.column("member");
  // Each column: a parameter, or a measure's uncertain design value.
  struct Column {
    std::size_t index;
    const core::ParameterDecl* decl;
    std::string measure, key;  // empty measure: a parameter
    double low, high;          // the plausible range, in the declared unit
  };
  std::vector<Column> cols;
  for (std::size_t c = 0; c < t.header().size(); ++c) {
    const std::string& name = t.header()[c];
    if (name == "member" || name == "objective" || name == "weight" || name == "note") continue;
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      const std::string measure = name.substr(0, dot), key = name.substr(dot + 1);
      const scenario::MeasureSpec* design = nullptr;
      for (const auto& m : inputs.measure_designs)
        if (m.name == measure) design = &m;
      if (design == nullptr || !design->ranges.count(key))
        throw core::InputError(path, 0, name, "unknown column: not an uncertain design value (a key with a range) of a measure of the inputs");
      const management::MeasureKind* kind = management::find_measure_kind(design->kind);
      const core::ParameterDecl* decl = nullptr;
      for (const auto& k : kind->keys)
        if (k.name == key) decl = &k;
      const auto& r = design->ranges.at(key);
      cols.push_back({c, decl, measure, key, r[0] / decl->to_si, r[1] / decl->to_si});
      continue;
    }
    const core::ParameterDecl* decl = model::parameter_registry().find(name);
    if (decl == nullptr) throw core::InputError(path, 0, name, "unknown parameter column (not declared by the engine)");
    double low = decl->min, high = decl->max;
    if (inputs.parameters.has(name)) {
      low = inputs.parameters.origin(name).plausible_min;
      high = inputs.parameters.origin(name).plausible_max;
    }
    cols.push_back({c, decl, "", "", low, high});
  }
  std::vector<ParameterMember> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    ParameterMember m;
    const long long id = t.integer(r, cm);
    if (id < 0 || id > 1000000) throw core::InputError(path, t.line_of(r), "member", "expected 0 .. 1000000");
    for (const auto& prev : out)
      if (prev.member == id) throw core::InputError(path, t.line_of(r), "member", fmt::format("member {} appears twice", id));
    m.member = static_cast<int>(id);
    for (const auto& col : cols) {
      const std::string& name = t.header()[col.index];
      const double v = t.number(r, col.index);
      core::check_valid(*col.decl, v, path, t.line_of(r), name);
      if (v < col.low || v > col.high)
        throw core::InputError(path, t.line_of(r), name, fmt::format("value {} lies outside its plausible range [{}, {}] {}", v, col.low,
                                                                     col.high, col.decl->unit));
      if (col.measure.empty()) m.values[name] = v;
      else m.measure_values[col.measure][col.key] = v * col.decl->to_si;
    }
    out.push_back(std::move(m));
  }
  if (out.empty()) throw core::InputError(path, 0, "", "the ensemble has no rows");
  return out;
}

RunPlan load_scenario_file(const std::string& path, const std::set<std::string>& extra_tables) {
  RunPlan plan;
  plan.file = path;
  plan.text = read_text_file(path);
  const toml::table root = parse_toml_file(path);
  const Base b = read_base(root, path, false, extra_tables);
  plan.name = b.spec.name;
  plan.output = b.output;
  plan.inputs = b.inputs;
  plan.checksums = b.inputs->checksums;
  plan.assimilation = b.assimilation;
  if (b.assimilation) plan.checksums[b.assimilation->monitoring_file] = file_checksum(b.assimilation->monitoring_file);
  plan.measure_names = known_measures(b);
  std::vector<std::string> on;
  for (const auto& o : b.measures) on.push_back(o.name);
  plan.runs.push_back(make_run(b, on, 0));
  if (b.assimilation)
    throw core::InputError(path, b.assimilation->line, "assimilation",
                           "a single run has no ensemble to condition: [assimilation] belongs in a batch file with at least two members "
                           "(daihai batch)");
  plan.model = std::make_shared<const model::Model>(model::assemble(plan.runs, *plan.inputs));
  return plan;
}

namespace {

// One design value a batch varies: `[batch] variants = { "<measure>.<key>" = [v1, v2, ...] }`, values
// in the key's declared unit (internal units here) or, for "start", dates (day numbers here).
struct Variant {
  std::string measure, key;
  std::vector<double> values;   // internal units, or day numbers for "start"
  std::vector<std::string> text;  // as written in scenario names
};

// A combination with one value of each variant of its measures: a scenario of the batch.
struct Cell {
  std::vector<std::string> on;
  std::vector<std::tuple<std::string, std::string, double>> values;  // (measure, key, value)
  std::string name;
};

std::vector<Variant> read_variants(const TomlTable& t, const Base& b, const std::vector<std::string>& varied) {
  std::vector<Variant> out;
  for (const auto& [k, node] : t.raw()) {
    const std::string full(k.str());
    const std::string where = t.name(full);
    const auto dot = full.find('.');
    Variant v;
    v.measure = full.substr(0, dot == std::string::npos ? 0 : dot);
    v.key = dot == std::string::npos ? std::string() : full.substr(dot + 1);
    if (std::find(varied.begin(), varied.end(), v.measure) == varied.end())
      throw core::InputError(t.file(), t.line(full), where, "expected \"<measure>.<key>\" of a measure in batch.measures");
    const scenario::MeasureSpec design = measure_for(b, v.measure);
    const management::MeasureKind* kind = management::find_measure_kind(design.kind);
    const core::ParameterDecl* decl = nullptr;
    for (const auto& kd : kind->keys)
      if (kd.name == v.key) decl = &kd;
    if (decl == nullptr && v.key != "start")
      throw core::InputError(t.file(), t.line(full), where, fmt::format("'{}' has no design value '{}'", v.measure, v.key));
    const toml::array* a = node.as_array();
    if (a == nullptr || a->empty() || a->size() > 100)
      throw core::InputError(t.file(), t.line(full), where, "expected an array of 1 to 100 values");
    for (const auto& e : *a) {
      if (v.key == "start") {
        core::Date d{};
        if (const auto* td = e.as_date()) d = {static_cast<int>(td->get().year), static_cast<int>(td->get().month), static_cast<int>(td->get().day)};
        else if (const auto* ts = e.as_string()) {
          try {
            d = core::parse_date(ts->get());
          } catch (const std::exception&) {
            throw core::InputError(t.file(), line_of(e), where, fmt::format("expected dates YYYY-MM-DD, found '{}'", ts->get()));
          }
        } else {
          throw core::InputError(t.file(), line_of(e), where, "expected dates YYYY-MM-DD");
        }
        v.values.push_back(static_cast<double>(core::day_number(d)));
        v.text.push_back(core::format_date(d));
      } else {
        const auto x = e.value<double>();
        if (!x || !std::isfinite(*x)) throw core::InputError(t.file(), line_of(e), where, "expected numbers");
        core::check_valid(*decl, *x, t.file(), line_of(e), where);
        v.values.push_back(*x * decl->to_si);
        v.text.push_back(fmt::format("{:g}", *x));
      }
      if (std::count(v.text.begin(), v.text.end(), v.text.back()) > 1)
        throw core::InputError(t.file(), line_of(e), where, fmt::format("the value {} is listed twice", v.text.back()));
    }
    out.push_back(std::move(v));
  }
  // Keys in a fixed order (measure, then key), so names do not depend on the file's order.
  std::sort(out.begin(), out.end(), [](const Variant& x, const Variant& y) { return std::tie(x.measure, x.key) < std::tie(y.measure, y.key); });
  return out;
}

// Every combination with every product of the values of its measures' variants, named
// "<measure>[<key>=<value>,...]+..." (measures in the combination's order).
std::vector<Cell> expand_cells(const std::vector<std::vector<std::string>>& combos, const std::vector<Variant>& variants) {
  std::vector<Cell> out;
  for (const auto& on : combos) {
    std::vector<const Variant*> active;
    for (const auto& v : variants)
      if (std::find(on.begin(), on.end(), v.measure) != on.end()) active.push_back(&v);
    std::vector<std::size_t> pick(active.size(), 0);
    for (;;) {
      Cell c;
      c.on = on;
      for (const auto& m : on) {
        std::string part = m, args;
        for (std::size_t i = 0; i < active.size(); ++i)
          if (active[i]->measure == m) {
            args += (args.empty() ? "" : ",") + active[i]->key + "=" + active[i]->text[pick[i]];
            c.values.emplace_back(m, active[i]->key, active[i]->values[pick[i]]);
          }
        c.name += (c.name.empty() ? "" : "+") + part + (args.empty() ? "" : "[" + args + "]");
      }
      if (c.name.empty()) c.name = "baseline";
      out.push_back(std::move(c));
      std::size_t i = 0;
      while (i < active.size() && ++pick[i] == active[i]->values.size()) pick[i++] = 0;
      if (i == active.size()) break;
    }
  }
  return out;
}

}  // namespace

RunPlan load_batch_file(const std::string& path) {
  RunPlan plan;
  plan.file = path;
  plan.text = read_text_file(path);
  const toml::table root = parse_toml_file(path);
  const Base b = read_base(root, path, true);
  const TomlTable top(root, path, "");
  const TomlTable bt = top.table("batch");
  bt.only({"name", "measures", "combinations", "list", "members", "first_member", "parameter_members", "parameter_sampling", "climate_deltas",
           "variants", "note"});
  if (auto c = top.opt_table("climate"); c && c->has("member"))
    throw core::InputError(path, c->line("member"), c->name("member"),
                           "in a batch the climate members are [batch] members and first_member, not [climate] member");
  plan.name = bt.string("name");
  plan.output = b.output;
  plan.inputs = b.inputs;
  plan.checksums = b.inputs->checksums;
  plan.assimilation = b.assimilation;
  if (b.assimilation) plan.checksums[b.assimilation->monitoring_file] = file_checksum(b.assimilation->monitoring_file);
  plan.measure_names = known_measures(b);
  const auto known = known_measures(b);
  auto measure_list = [&](const toml::array& a, const std::string& key) {
    std::vector<std::string> out;
    for (const auto& e : a) {
      const auto s = e.value<std::string>();
      if (!s || !e.is_string()) throw core::InputError(path, line_of(e), bt.name(key), "expected measure names (strings)");
      if (std::find(known.begin(), known.end(), *s) == known.end())
        throw core::InputError(path, line_of(e), bt.name(key), fmt::format("unknown measure '{}'", *s));
      if (std::find(out.begin(), out.end(), *s) != out.end())
        throw core::InputError(path, line_of(e), bt.name(key), fmt::format("measure '{}' listed twice", *s));
      out.push_back(*s);
    }
    return out;
  };
  const std::vector<std::string> varied = measure_list(bt.array("measures"), "measures");
  const std::string mode = bt.string("combinations");
  std::vector<std::vector<std::string>> combos;
  if (mode == "all") {
    if (varied.size() > 16) throw core::InputError(path, bt.line("measures"), bt.name("measures"), "at most 16 measures for \"all\"");
    for (std::size_t mask = 0; mask < (std::size_t{1} << varied.size()); ++mask) {
      std::vector<std::string> on;
      for (std::size_t i = 0; i < varied.size(); ++i)
        if (mask & (std::size_t{1} << i)) on.push_back(varied[i]);
      combos.push_back(on);
    }
  } else if (mode == "list") {
    for (const auto& e : bt.array("list")) {
      const toml::array* a = e.as_array();
      if (a == nullptr) throw core::InputError(path, line_of(e), bt.name("list"), "expected arrays of measure names");
      const auto on = measure_list(*a, "list");
      for (const auto& m : on)
        if (std::find(varied.begin(), varied.end(), m) == varied.end())
          throw core::InputError(path, line_of(e), bt.name("list"), fmt::format("measure '{}' is not in batch.measures", m));
      // The same combination twice would count each of its members twice in the verification.
      auto sorted = on;
      std::sort(sorted.begin(), sorted.end());
      for (const auto& c : combos) {
        auto other = c;
        std::sort(other.begin(), other.end());
        if (other == sorted)
          throw core::InputError(path, line_of(e), bt.name("list"),
                                 fmt::format("the combination [{}] is listed twice", fmt::join(on, ", ")));
      }
      combos.push_back(on);
    }
    if (combos.empty()) throw core::InputError(path, bt.line("list"), bt.name("list"), "the list is empty");
  } else {
    throw core::InputError(path, bt.line("combinations"), bt.name("combinations"), "expected \"all\" or \"list\"");
  }
  // Canonical names: a combination's measures in the order of the inputs' measures file, so the
  // results of different batches join.
  for (auto& on : combos)
    std::sort(on.begin(), on.end(), [&](const std::string& x, const std::string& y) {
      return std::find(known.begin(), known.end(), x) < std::find(known.begin(), known.end(), y);
    });
  const std::vector<Variant> variants = bt.has("variants") ? read_variants(bt.table("variants"), b, varied) : std::vector<Variant>{};
  std::set<std::string> variant_keys;
  for (const auto& v : variants)
    if (v.key != "start") variant_keys.insert(v.measure + "." + v.key);
  const std::vector<Cell> cells = expand_cells(combos, variants);
  const long long members = bt.integer("members");
  if (members < 1 || members > 100000) throw core::InputError(path, bt.line("members"), bt.name("members"), "expected 1 .. 100000");
  const long long first = bt.opt_integer("first_member").value_or(0);
  if (first < 0 || first + members - 1 > 1000000)
    throw core::InputError(path, bt.line("first_member"), bt.name("first_member"),
                           "expected 0 .. 1000000 for every member (first_member + members - 1)");
  for (const auto& o : b.measures)
    if (std::find(varied.begin(), varied.end(), o.name) == varied.end())
      throw core::InputError(path, o.line, "measures." + o.name, "overrides a measure that batch.measures does not vary");
  // Parameter members: rows of <inputs>/parameter_ensemble.csv (none: the inputs' parameters).
  std::vector<ParameterMember> ensemble;
  if (bt.has("parameter_members")) {
    const std::string ens_path = (fs::path(b.inputs->dir) / "parameter_ensemble.csv").string();
    ensemble = read_parameter_ensemble(ens_path, *b.inputs);
    plan.checksums[ens_path] = file_checksum(ens_path);
    std::size_t wanted = ensemble.size();
    if (const auto n = bt.raw().get("parameter_members"); n->is_integer()) {
      const long long k = *n->value<long long>();
      if (k < 1 || static_cast<std::size_t>(k) > ensemble.size())
        throw core::InputError(path, bt.line("parameter_members"), bt.name("parameter_members"),
                               fmt::format("expected 1 .. {} (the rows of {}) or \"all\"", ensemble.size(), ens_path));
      wanted = static_cast<std::size_t>(k);
    } else if (bt.string("parameter_members") != "all") {
      throw core::InputError(path, bt.line("parameter_members"), bt.name("parameter_members"), "expected a number of members or \"all\"");
    }
    ensemble.resize(wanted);
  }
  // "crossed" (default): every parameter member with every climate member; "paired": climate
  // member k with parameter member k only, one joint draw of weather and parameters per member;
  // with more climate members than parameter members the parameter members are taken in turn
  // (climate member k with parameter member k mod P), each with as many weathers as the others
  // give or take one.
  bool paired = false;
  if (bt.has("parameter_sampling")) {
    const std::string sampling = bt.string("parameter_sampling");
    if (sampling != "crossed" && sampling != "paired")
      throw core::InputError(path, bt.line("parameter_sampling"), bt.name("parameter_sampling"), "expected \"crossed\" or \"paired\"");
    paired = sampling == "paired";
    if (paired && static_cast<long long>(ensemble.size()) > members)
      throw core::InputError(path, bt.line("parameter_sampling"), bt.name("parameter_sampling"),
                             fmt::format("\"paired\" takes one parameter member per climate member, in turn: parameter_members = {} is more "
                                         "than members = {} (some parameter members would never run)",
                                         ensemble.size(), members));
  }
  if (ensemble.empty()) ensemble.push_back({});  // the inputs' own parameter set, member 0
  const std::vector<ClimateDelta> deltas = read_climate_deltas(bt, b.spec.climate);

  // Climate delta (outer), parameter member, climate member, measure combination (inner): the
  // runs sharing one climate realisation (delta, parameter member, climate member) are adjacent.
  // Paired: climate delta, climate member (with its parameter member), measure combination.
  for (const auto& delta : deltas) {
    for (std::size_t p = 0; p < (paired ? 1 : ensemble.size()); ++p) {
      for (long long mem = first; mem < first + members; ++mem) {
        const ParameterMember& pm = ensemble[paired ? static_cast<std::size_t>(mem - first) % ensemble.size() : p];
        for (const Cell& cell : cells) {
          scenario::RunSpec r = make_run(b, cell.on, plan.runs.size());
          r.scenario.name = cell.name;
          r.scenario.climate.member = static_cast<int>(mem);
          r.scenario.climate.delta_t_C = delta.delta_t_C;
          r.scenario.climate.delta_p_pct = delta.delta_p_pct;
          r.scenario.parameter_member = pm.member;
          // The scenario's own overrides win over the ensemble's values.
          for (const auto& [k, v] : pm.values) r.scenario.overrides.emplace(k, v);
          for (auto& m : r.scenario.measures) {
            const auto it = pm.measure_values.find(m.name);
            if (it == pm.measure_values.end()) continue;
            for (const auto& [key, v] : it->second)
              if (!overridden(b, m.name, key)) m.values[key] = v;
          }
          // The cell's variant values win over the ensemble's and the file's.
          for (auto& m : r.scenario.measures)
            for (const auto& [measure, key, value] : cell.values)
              if (m.name == measure) {
                if (key == "start") m.start = core::date_of(static_cast<std::int64_t>(value));
                else m.values[key] = value;
              }
          set_design_values(b, r, variant_keys);
          plan.runs.push_back(std::move(r));
        }
      }
    }
  }
  if (b.assimilation) {
    // Conditioning needs an ensemble: at least two members (climate x parameter) per climate delta.
    std::set<std::pair<int, int>> ensemble_members;
    for (const auto& r : plan.runs) ensemble_members.emplace(r.scenario.climate.member, r.scenario.parameter_member);
    if (ensemble_members.size() < 2)
      throw core::InputError(path, b.assimilation->line, "assimilation",
                             "conditioning needs an ensemble: [batch] members (or parameter_members) must give at least two members");
  }
  plan.model = std::make_shared<const model::Model>(model::assemble(plan.runs, *plan.inputs));
  return plan;
}

}  // namespace daihai::io
