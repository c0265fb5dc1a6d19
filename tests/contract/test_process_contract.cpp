// One contract for every registered process type and measure kind, run through the same
// harness: a process declares what it produces and reads, its rates are finite, it takes nothing
// from an empty store, every salt-carrying flux moves salt at the concentration of the water it
// moves, and it never changes the state; a measure kind declares its keys with units, keeps every
// schedule finite and non-negative, and changes nothing before its start date.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "core/units.hpp"
#include "management/measure_kind.hpp"
#include "model/schedules.hpp"
#include "physics/stores.hpp"
#include "support/test_lake.hpp"

using namespace daihai;
using physics::Index;
using physics::kLanes;

namespace {

// Every parameter the engine declares, at a value inside its valid range.
core::ParameterSet all_parameters() {
  core::ParameterSet p = testing::neutral_parameters();
  p.set(model::parameter_registry(), "lakebed_leakance_per_d", 1e-3, {"test", 0, "E", "", 0, 0});
  p.set(model::parameter_registry(), "river_tds_g_per_L", 0.4, {"test", 0, "E", "", 0, 0});
  p.set(model::parameter_registry(), "initial_aquifer_tds_g_per_L", 0.7, {"test", 0, "E", "", 0, 0});
  p.set(model::parameter_registry(), "recharge_tds_g_per_L", 0.3, {"test", 0, "E", "", 0, 0});
  p.set(model::parameter_registry(), "external_groundwater_inflow_m3_per_a", 1e6, {"test", 0, "E", "", 0, 0});
  p.set(model::parameter_registry(), "external_groundwater_tds_g_per_L", 0.9, {"test", 0, "E", "", 0, 0});
  p.set(model::parameter_registry(), "exposed_bed_reference_level_m", 10.0, {"test", 0, "E", "", 0, 0});
  return p;
}

// Lane states: even lanes hold water (stages and heads varying from lane to lane), odd lanes an
// empty lake and an empty aquifer (and dry rivers). Lake 0-10 m over a bowl of 1e7 m2 at the top.
struct Bench {
  physics::Hypsometry hyps{{0.0, 10.0}, {0.0, 1e7}};
  core::ParameterSet params = all_parameters();
  std::vector<const core::ParameterSet*> lanes = std::vector<const core::ParameterSet*>(kLanes, &params);
  physics::Stores stores{hyps, lanes, true, true};
  physics::BlockState x = physics::BlockState::Zero(kLanes, physics::kStores);
  physics::Derived d;
  physics::DayInputs day{1, 1};

  Bench() {
    for (Index l = 0; l < kLanes; ++l) {
      const bool wet = l % 2 == 0;
      const double h = 2.0 + 0.2 * double(l);
      x(l, physics::kVolume) = wet ? hyps.volume_at_stage(h) : 0.0;
      x(l, physics::kSalt) = wet ? 3.0 * x(l, physics::kVolume) : 0.0;  // 3 g/L
      x(l, physics::kAquifer) = wet ? (h + (l % 4 == 0 ? 1.5 : -1.5) + 100.0) * 0.1 * 50e6 : 0.0;  // head above or below the lake
      x(l, physics::kAquiferSalt) = 0.7 * x(l, physics::kAquifer);                                    // 0.7 g/L
      day.precip_m_per_s(l) = 2e-8;
      day.evap_fresh_m_per_s(l) = 5e-8;
      day.evap_sat_m_per_s(l) = 3e-8;
      day.pet_land_m_per_s(l) = 4e-8;
      day.ice(l) = l % 8 == 6 ? 1.0 : 0.0;
      day.runoff_m3_per_s(l) = wet ? 2.0 : 0.0;
      day.percolation_m3_per_s(l) = wet ? 0.3 : -0.3;
      day.schedule(l, 0) = 0.5;
    }
    stores.derive(x, d);
  }
};

}  // namespace

TEST_CASE("every process type honours the process contract", "[contract][processes]") {
  Bench b;
  for (const auto& type : physics::process_types()) {
    INFO("process type " << type.type);
    CHECK(!type.description.empty());
    for (const auto& p : type.parameters) {
      INFO("parameter " << p.name);
      CHECK(core::find_unit(p.unit).has_value());
      CHECK(!p.meaning.empty());
      CHECK(p.min <= p.max);
    }
    physics::ProcessInstance inst{type.type, type.type, ""};
    const auto fluxes = type.fluxes(inst);
    REQUIRE(!fluxes.empty());
    physics::ProcessSetup setup;
    setup.lanes = b.lanes;
    setup.hypsometry = &b.hyps;
    setup.tds_kg_per_m3 = physics::Lanes::Constant(0.5);
    for (Index l = 0; l < kLanes; ++l) setup.forcing_source.push_back(l);  // every lane its own forcing
    Index col = physics::kStores;
    for (const auto& f : fluxes) {
      CHECK(!f.name.empty());
      CHECK(!f.long_name.empty());
      physics::FluxSlots s;
      s.water = col++;
      if (f.salt) s.salt = col++;
      if (f.scheduled) s.schedule = 0;
      setup.slots.push_back(s);
    }
    auto process = type.make(inst, setup);
    physics::BlockState dxdt = physics::BlockState::Zero(kLanes, col);
    physics::BlockState x = b.x;
    x.conservativeResize(kLanes, col);
    x.rightCols(col - physics::kStores).setZero();
    const physics::BlockState x_before = x;
    physics::DayInputs day = b.day;  // each process starts from the bench's day (begin_day may publish into it)
    process->begin_day(b.d, day);
    process->rates({x, b.d, day}, dxdt);
    physics::BlockState again = physics::BlockState::Zero(kLanes, col);
    process->rates({x, b.d, day}, again);
    CHECK((again == dxdt).all());       // a pure function of its inputs
    CHECK((x == x_before).all());       // the state is untouched
    REQUIRE(dxdt.isFinite().all());
    const auto& p = b.params;
    for (std::size_t k = 0; k < fluxes.size(); ++k) {
      const auto& f = fluxes[k];
      INFO("flux " << f.name);
      for (Index l = 0; l < kLanes; ++l) {
        const double q = dxdt(l, setup.slots[k].water);
        const bool empty = l % 2 == 1;
        if (empty) CHECK(q >= 0.0);  // nothing taken from an empty store (or from dry rivers)
        if (!f.salt || q == 0.0) continue;
        // Salt moves at the concentration of the water it moves: its store's when leaving it, the
        // source's when entering.
        const double c = dxdt(l, setup.slots[k].salt) / q;
        const std::set<double> sources = {b.d.tds_kg_per_m3(l),         b.d.aquifer_tds_kg_per_m3(l),
                                          setup.tds_kg_per_m3(l),       p.si("river_tds_g_per_L"),
                                          p.si("recharge_tds_g_per_L"), p.si("external_groundwater_tds_g_per_L")};
        bool matches = false;
        for (double s : sources) matches = matches || std::abs(c - s) <= 1e-12 * std::max(1.0, s);
        CHECK(matches);
        const double own = f.store == physics::Store::lake ? b.d.tds_kg_per_m3(l) : b.d.aquifer_tds_kg_per_m3(l);
        if (q < 0.0 && f.name != "river_withdrawal") CHECK(c == Approx(own).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("a model declares an output for every flux of every process in it", "[contract][outputs]") {
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e8}, {});
  auto run = testing::plain_run({2001, 1, 1}, {2001, 12, 31});
  run.scenario.switches = {};  // everything on
  run.scenario.switches.processes["assimilation_update"] = true;  // as with an [assimilation] table
  run.scenario.inflow = scenario::InflowSpec{{core::day_number({2001, 1, 1})}, {1.0}, 0.3};
  for (const auto& k : management::measure_kinds()) (void)k;
  const model::Model m = model::assemble({run}, in);
  std::set<std::string> types;
  for (const auto& p : m.processes) types.insert(p.type);
  CHECK(types.size() == physics::process_types().size());  // every registered type is in the full model
  std::set<std::string> outputs;
  for (const auto& o : m.outputs) {
    CHECK(core::find_unit(o.units).has_value());
    CHECK(!o.long_name.empty());
    outputs.insert(o.name);
  }
  for (const auto& f : m.fluxes) {
    INFO(f.decl.name);
    CHECK(outputs.count(f.decl.name + "_m3"));
    CHECK(outputs.count(f.decl.name + "_kg") == (f.decl.salt ? 1u : 0u));
    CHECK(outputs.count(f.decl.name + "_shortage_m3") == (f.decl.demand ? 1u : 0u));
  }
}

TEST_CASE("every measure kind honours the measure contract", "[contract][measures]") {
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e8}, {});
  in.water_use.years = {2000, 2010};
  in.water_use.columns["irrigated_area_km2"] = {100.0, 120.0};
  in.water_use.columns["town_use_m3_per_a"] = {4e6, 5e6};
  in.water_use.columns["lake_abstraction_m3_per_a"] = {1e6, 1e6};
  in.parameters.set(model::parameter_registry(), "irrigation_net_depth_mm", 200.0, {"test", 0, "E", "", 0, 0});
  in.parameters.set(model::parameter_registry(), "power_plant_use_m3_per_a", 1e7, {"test", 0, "E", "", 0, 0});
  auto run = testing::plain_run({2003, 1, 1}, {2006, 12, 31});
  run.scenario.switches = {};
  const core::Date start{2004, 7, 1};
  for (const auto& kind : management::measure_kinds()) {
    INFO("measure kind " << kind.kind);
    CHECK(!kind.description.empty());
    scenario::MeasureSpec m{"m", kind.kind, start, {}};
    m.file = "test.toml";
    for (const auto& key : kind.keys) {
      CHECK(core::find_unit(key.unit).has_value());
      CHECK(!key.meaning.empty());
      m.values[key.name] = (key.min + 0.1 * (key.max - key.min)) * key.to_si;
    }
    for (const auto& key : kind.name_keys) m.names[key.name] = {"pumping_irrigation"};
    auto with = run;
    with.scenario.measures.push_back(m);
    const model::Model model = model::assemble({with}, in);
    const auto p = model::run_parameters(with.scenario, in);
    const auto base = model::build_schedules(model, run, p, in);
    const auto edited = model::build_schedules(model, with, p, in);
    const auto before = static_cast<std::size_t>(core::day_number(start) - core::day_number(run.scenario.start));
    auto value = [](const management::Series& d, std::size_t i, double neutral) { return d ? (*d)[i] : neutral; };
    for (std::size_t k = 0; k < edited.rate.size(); ++k) {
      INFO("schedule " << model.layout.scheduled[k]);
      for (std::size_t i = 0; i < 1461; ++i) {
        const double r = value(edited.rate[k], i, 0.0);
        REQUIRE(std::isfinite(r));
        CHECK(r >= 0.0);
        if (i < before) CHECK(r == value(base.rate[k], i, 0.0));
      }
    }
    for (std::size_t k = 0; k < edited.factor.size(); ++k)
      for (std::size_t i = 0; i < 1461; ++i) {
        const double f = value(edited.factor[k], i, 1.0);
        REQUIRE(std::isfinite(f));
        CHECK(f >= 0.0);
        if (i < before) CHECK(f == 1.0);
      }
    for (const auto& out : edited.output)
      for (std::size_t i = 0; i < 1461; ++i) {
        CHECK(value(out, i, 0.0) >= 0.0);
        if (i < before) CHECK(value(out, i, 0.0) == 0.0);
      }
  }
}
