#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "management/measure_kind.hpp"
#include "management/water_use.hpp"
#include "model/model.hpp"
#include "physics/stores.hpp"

namespace daihai::model {

namespace {

using physics::ProcessInstance;
using physics::Store;

// The process instances of a model, in evaluation order: the lake's own processes (registered
// types whose in_model() holds, Stage::lake), the water uses', the scenario's inflow, the
// measures', then the coupling of the stores (Stage::coupling), each group in registry order.
std::vector<ProcessInstance> process_list(const scenario::ScenarioSpec& s, const std::vector<scenario::MeasureSpec>& measures) {
  const scenario::Switches& sw = s.switches;
  std::vector<ProcessInstance> p;
  auto own = [&](physics::Stage stage) {
    for (const auto& t : physics::process_types())
      if (t.in_model && t.stage == stage && t.in_model(sw)) p.push_back({t.type, t.type, "", true, "the model's switches"});
  };
  own(physics::Stage::lake);
  if (sw.water_uses)
    for (const auto& use : management::water_uses())
      for (auto instance : use.processes(sw)) {
        instance.added_by = "water use " + use.name;
        p.push_back(std::move(instance));
      }
  if (s.inflow) p.push_back({"scheduled_inflow", "scenario_inflow", "inflow given by the scenario", true, "[inflow]"});
  for (const auto& m : measures) {
    const management::MeasureKind* kind = management::find_measure_kind(m.kind);
    if (kind->adds)
      for (auto instance : kind->adds(m)) p.push_back(std::move(instance));
  }
  own(physics::Stage::coupling);
  return p;
}

// Every measure turned on by any run, once, in the order of first appearance.
std::vector<scenario::MeasureSpec> measure_union(const std::vector<scenario::RunSpec>& runs) {
  std::vector<scenario::MeasureSpec> out;
  std::set<std::string> seen;
  for (const auto& r : runs)
    for (const auto& m : r.scenario.measures)
      if (seen.insert(m.name).second) out.push_back(m);
  return out;
}

void add_decls(std::vector<core::ParameterDecl>& to, const std::vector<core::ParameterDecl>& from) {
  for (const auto& d : from)
    if (std::none_of(to.begin(), to.end(), [&](const core::ParameterDecl& e) { return e.name == d.name; })) to.push_back(d);
}

// Every parameter the model reads must have a value in the inputs or in every run's overrides.
void check_parameters(const Model& m, const std::vector<scenario::RunSpec>& runs, const scenario::LakeInputs& in,
                      const std::vector<std::pair<std::string, std::string>>& reader) {
  std::string missing;
  for (const auto& d : m.parameters) {
    if (in.parameters.has(d.name)) continue;
    const bool everywhere = std::all_of(runs.begin(), runs.end(), [&](const auto& r) { return r.scenario.overrides.count(d.name) > 0; });
    if (everywhere) continue;
    std::string who;
    for (const auto& [name, by] : reader)
      if (name == d.name) who += (who.empty() ? "" : ", ") + by;
    missing += fmt::format("{}  {} [{}] ({}), read by {}", missing.empty() ? "" : "\n", d.name, d.unit, d.meaning, who);
  }
  if (!missing.empty())
    throw core::InputError((std::filesystem::path(in.dir) / "parameters.toml").string(), 0, "",
                           "the model needs parameters that have no value (give them here, with value, range, kind and source, or "
                           "switch off what reads them):\n" + missing);
}

void check_history(const scenario::LakeInputs& in) {
  const std::string file =
      in.water_use.file.empty() ? (std::filesystem::path(in.dir) / "water_use_history.csv").string() : in.water_use.file;
  if (in.water_use.years.empty())
    throw core::InputError(file, 0, "",
                           "the water uses are on but the lake has no water-use history (give this file, or set [switches] "
                           "water_uses = false)");
  for (const auto& use : management::water_uses())
    for (const auto& col : use.history_columns)
      if (!in.water_use.columns.count(col))
        throw core::InputError(file, 0, col, fmt::format("missing column (read by the water use '{}')", use.name));
}

std::vector<Output> declare_outputs(const Model& m, const std::vector<management::MeasureOutput>& measure_outputs,
                                    const std::string& vertical_datum) {
  using scenario::Aggregation;
  std::vector<Output> out;
  const std::string stage = "lake stage (water-surface elevation) above the vertical datum: " + vertical_datum;
  const std::string head = "head of the lumped basin aquifer above the vertical datum: " + vertical_datum;
  const struct {
    const char *name, *units;
    std::string long_name;
    bool aquifer;
  } states[] = {
      {"level_m", "m", stage, false},
      {"area_m2", "m2", "lake surface area", false},
      {"volume_m3", "m3", "lake volume", false},
      {"tds_g_per_L", "g/L", "total dissolved solids of the lake water", false},
      {"salt_dissolved_kg", "kg", "dissolved salt in the lake", false},
      {"salt_deposit_kg", "kg", "salt deposited on the lake bed", false},
      {"aquifer_head_m", "m", head, true},
      {"aquifer_storage_m3", "m3", "storage of the lumped basin aquifer above its base", true},
      {"aquifer_tds_g_per_L", "g/L", "total dissolved solids of the aquifer's water", true},
      {"aquifer_salt_kg", "kg", "salt dissolved in the aquifer", true},
      {"field_salt_kg", "kg", "salt withdrawn with water since the start of the run and left in the basin's fields and soils", false},
  };
  for (std::size_t k = 0; k < std::size(states); ++k) {
    if (states[k].aquifer && !m.switches.aquifer) continue;
    if (k == kFieldSaltOut && !m.to_fields) continue;
    out.push_back({states[k].name, states[k].units, states[k].long_name, Aggregation::mean, "", OutputKind::state, k});
  }
  for (std::size_t k = 0; k < m.fluxes.size(); ++k) {
    const auto& d = m.fluxes[k].decl;
    out.push_back({d.name + "_m3", "m3", d.long_name, Aggregation::total, d.store == Store::lake ? "lake_water" : "aquifer_water",
                   OutputKind::water, k});
  }
  for (std::size_t k = 0; k < m.fluxes.size(); ++k)
    if (m.fluxes[k].decl.salt)
      out.push_back({m.fluxes[k].decl.name + "_kg", "kg", "salt carried by " + m.fluxes[k].decl.name, Aggregation::total,
                     m.fluxes[k].decl.store == Store::lake ? "lake_salt" : "aquifer_salt", OutputKind::salt, k});
  if (m.to_fields) {
    out.push_back({"salt_to_fields_kg", "kg", "salt withdrawn with water and left in the basin's fields and soils (+ into them)",
                   Aggregation::total, "field_salt", OutputKind::field_salt, 0});
    if (m.switches.aquifer)
      out.push_back({"salt_returned_to_aquifer_kg", "kg",
                     "salt withdrawn with water that returns to the aquifer with the return flow (+ into the aquifer)", Aggregation::total,
                     "aquifer_salt", OutputKind::field_salt, 1});
  }
  out.push_back({"salt_deposition_kg", "kg", "salt moved from solution to the lake-bed deposit (net; inside the lake's salt)",
                 Aggregation::total, "", OutputKind::deposition, 0});
  for (std::size_t k = 0; k < m.fluxes.size(); ++k)
    if (m.fluxes[k].decl.demand)
      out.push_back({m.fluxes[k].decl.name + "_shortage_m3", "m3", "demand of " + m.fluxes[k].decl.name + " that its source could not meet",
                     Aggregation::total, "", OutputKind::shortage, k});
  for (std::size_t k = 0; k < measure_outputs.size(); ++k)
    out.push_back({measure_outputs[k].name, "m3", measure_outputs[k].long_name, Aggregation::total, "", OutputKind::measure_output, k});
  out.push_back({"precipitation_mm", "mm", "precipitation (forcing)", Aggregation::total, "", OutputKind::forcing, 0});
  out.push_back({"open_water_evaporation_mm", "mm",
                 "evaporation of fresh water from the lake's surface before the multiplier and the salinity correction: Penman with the "
                 "lake's heat storage, sublimation under ice",
                 Aggregation::total, "", OutputKind::forcing, 1});
  out.push_back({"ice_days", "d", "days with the lake ice-covered (from its heat budget)", Aggregation::total, "", OutputKind::forcing, 2});
  return out;
}

}  // namespace

const Flux* Model::find_flux(const std::string& name) const {
  for (const auto& f : fluxes)
    if (f.decl.name == name) return &f;
  return nullptr;
}

std::string Model::output_names() const {
  std::string s;
  for (const auto& o : outputs) s += (s.empty() ? "" : ", ") + o.name;
  return s;
}

const core::ParameterRegistry& parameter_registry() {
  static const core::ParameterRegistry registry = [] {
    std::vector<core::ParameterDecl> all;
    add_decls(all, physics::Stores::lake_parameters(true));
    add_decls(all, physics::Stores::aquifer_parameters());
    add_decls(all, physics::Stores::field_parameters());
    for (const auto& t : physics::process_types()) add_decls(all, t.parameters);
    for (const auto& u : management::water_uses()) add_decls(all, u.parameters);
    return core::ParameterRegistry(std::move(all));
  }();
  return registry;
}

Model assemble(const std::vector<scenario::RunSpec>& runs, const scenario::LakeInputs& in) {
  if (runs.empty()) throw std::invalid_argument("model::assemble: no runs");
  const scenario::ScenarioSpec& base = runs.front().scenario;
  for (const auto& r : runs)
    if (r.scenario.start != base.start || r.scenario.end != base.end || r.scenario.switches.catchment != base.switches.catchment ||
        r.scenario.switches.aquifer != base.switches.aquifer || r.scenario.switches.water_uses != base.switches.water_uses ||
        r.scenario.switches.precipitation != base.switches.precipitation ||
        r.scenario.switches.evaporation != base.switches.evaporation ||
        r.scenario.switches.salt_deposition != base.switches.salt_deposition ||
        r.scenario.switches.processes != base.switches.processes || r.scenario.inflow.has_value() != base.inflow.has_value())
      throw std::invalid_argument("model::assemble: the runs of one model must share their period, switches and inflow");
  if (in.vertical_datum.empty())
    throw core::InputError((std::filesystem::path(in.dir) / "parameters.toml").string(), 0, "vertical_datum",
                           "missing: the lake's levels and heads need a named vertical datum");
  Model m;
  m.switches = base.switches;
  m.measures = measure_union(runs);
  for (const auto& spec : m.measures)
    if (management::find_measure_kind(spec.kind) == nullptr)
      throw core::InputError(spec.file, spec.line, "measures." + spec.name,
                             fmt::format("unknown measure kind '{}' (expected {})", spec.kind, management::measure_kind_names()));
  m.processes = process_list(base, m.measures);

  // Fluxes, their columns of running totals (water, then salt) and schedule slots.
  std::vector<std::pair<std::string, std::string>> reader;  // parameter -> who reads it
  std::set<std::string> names;
  for (std::size_t p = 0; p < m.processes.size(); ++p) {
    const physics::ProcessType* type = physics::find_process_type(m.processes[p].type);
    if (type == nullptr) throw std::logic_error("model::assemble: unregistered process type " + m.processes[p].type);
    m.process_fluxes.emplace_back();
    for (auto& decl : type->fluxes(m.processes[p])) {
      if (!names.insert(decl.name).second)
        throw core::InputError(base.source_file, 0, "", fmt::format("two processes of the model produce the flux '{}'", decl.name));
      m.process_fluxes.back().push_back(m.fluxes.size());
      Flux f;
      f.decl = std::move(decl);
      f.process = p;
      m.fluxes.push_back(std::move(f));
    }
    add_decls(m.parameters, type->parameters);
    for (const auto& d : type->parameters) reader.emplace_back(d.name, "process " + m.processes[p].name);
  }
  const auto n_water = static_cast<physics::Index>(m.fluxes.size());
  physics::Index salt_col = physics::kStores + n_water;
  for (std::size_t k = 0; k < m.fluxes.size(); ++k) {
    Flux& f = m.fluxes[k];
    f.water = physics::kStores + static_cast<physics::Index>(k);
    if (f.decl.salt) f.salt = salt_col++;
    if (f.decl.scheduled) {
      f.schedule = static_cast<physics::Index>(m.layout.scheduled.size());
      m.layout.scheduled.push_back(f.decl.name);
    }
    m.layout.fluxes.push_back({f.decl.name, f.decl.store, f.decl.scheduled, f.decl.demand, f.decl.mirror});
  }
  m.state_size = salt_col;
  for (bool constant : {true, false})
    for (std::size_t k = 0; k < m.fluxes.size(); ++k) {
      const Flux& f = m.fluxes[k];
      if (f.decl.day_constant != constant) continue;
      const bool lake = f.decl.store == Store::lake;
      m.store_terms[lake ? physics::kVolume : physics::kAquifer].push_back({f.water, Weight::one});
      if (f.salt < 0) continue;
      m.store_terms[lake ? physics::kSalt : physics::kAquiferSalt].push_back({f.salt, Weight::one});
      if (!f.decl.to_fields) continue;
      m.to_fields = true;
      m.store_terms[physics::kFieldSalt].push_back({f.salt, Weight::to_fields});
      if (base.switches.aquifer) m.store_terms[physics::kAquiferSalt].push_back({f.salt, Weight::returned});
    }

  // Measures: multiplier slots for the fluxes they scale (unless scheduled), their outputs, checks.
  std::vector<management::MeasureOutput> measure_outputs;
  for (const auto& spec : m.measures) {
    const management::MeasureKind* kind = management::find_measure_kind(spec.kind);
    if (kind->check)
      if (const std::string problem = kind->check(spec, m.layout); !problem.empty())
        throw core::InputError(spec.file, spec.line, "measures." + spec.name, fmt::format("measure of kind '{}': {}", spec.kind, problem));
    if (kind->scales)
      for (const auto& name : kind->scales(spec)) {
        const Flux* f = m.find_flux(name);
        if (f == nullptr) continue;  // reported by the kind's check
        for (const std::string& n : {name, f->decl.mirror}) {
          Flux* g = n.empty() ? nullptr : const_cast<Flux*>(m.find_flux(n));
          if (g == nullptr || g->decl.scheduled || g->factor >= 0) continue;
          g->factor = static_cast<physics::Index>(m.layout.factors.size());
          m.layout.factors.push_back(n);
        }
      }
    if (kind->outputs)
      for (auto& o : kind->outputs(spec)) {
        m.layout.outputs.push_back(o.name);
        measure_outputs.push_back(std::move(o));
      }
  }

  // Parameters of the stores and water uses; inputs the water uses read.
  add_decls(m.parameters, physics::Stores::lake_parameters(base.switches.salt_deposition));
  for (const auto& d : physics::Stores::lake_parameters(base.switches.salt_deposition)) reader.emplace_back(d.name, "the lake store");
  if (base.switches.aquifer) {
    add_decls(m.parameters, physics::Stores::aquifer_parameters());
    for (const auto& d : physics::Stores::aquifer_parameters()) reader.emplace_back(d.name, "the aquifer store");
    if (m.to_fields) {
      add_decls(m.parameters, physics::Stores::field_parameters());
      for (const auto& d : physics::Stores::field_parameters()) reader.emplace_back(d.name, "the salt withdrawn to the fields");
    }
  }
  if (base.switches.water_uses) {
    for (const auto& use : management::water_uses()) {
      add_decls(m.parameters, use.parameters);
      for (const auto& d : use.parameters) reader.emplace_back(d.name, "water use " + use.name);
    }
    check_history(in);
  }
  check_parameters(m, runs, in, reader);
  m.outputs = declare_outputs(m, measure_outputs, in.vertical_datum);
  return m;
}

}  // namespace daihai::model
