// Each measure changes exactly its own schedules by its designed amount, and nothing else.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "model/schedules.hpp"
#include "support/test_lake.hpp"

using namespace daihai;

namespace {

scenario::LakeInputs lake_with_uses() {
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e8}, {1.0, 3.0, 1.0});
  in.water_use.years = {2000, 2030};
  in.water_use.columns["irrigated_area_km2"] = {200.0, 200.0};
  in.water_use.columns["town_use_m3_per_a"] = {5e6, 5e6};
  in.water_use.columns["lake_abstraction_m3_per_a"] = {1e6, 1e6};
  const auto& reg = model::parameter_registry();
  auto set = [&](const char* n, double v) { in.parameters.set(reg, n, v, {"test", 0, "E", "", v, v}); };
  set("irrigation_net_depth_mm", 180.0);
  set("irrigation_groundwater_share", 0.8);
  set("power_plant_use_m3_per_a", 1.119e7);
  set("power_plant_lake_share", 0.5);
  set("power_plant_first_year", 2006.0);
  return in;
}

scenario::MeasureSpec yellow_river() {
  return {"yellow_river_diversion", "diversion", {2022, 10, 1},
          {{"flow_m3_per_s", 3.02}, {"days_per_year", 169}, {"season_start_doy", 218}, {"conveyance_loss", 0.05}, {"tds_g_per_L", 0.5}}};
}

// The schedules of `run`'s own model, by flux name (the river withdrawal's as "river_demand").
std::map<std::string, std::vector<double>> schedules(const scenario::RunSpec& run, const scenario::LakeInputs& in) {
  const model::Model m = model::assemble({run}, in);
  const management::Schedules s = model::build_schedules(m, run, model::run_parameters(run.scenario, in), in);
  const auto n = static_cast<std::size_t>(core::day_number(run.scenario.end) - core::day_number(run.scenario.start) + 1);
  std::map<std::string, std::vector<double>> out;
  for (std::size_t k = 0; k < m.layout.scheduled.size(); ++k) {
    const std::string& name = m.layout.scheduled[k];
    out[name == "river_withdrawal_irrigation" ? "river_demand" : name] = s.rate[k] ? *s.rate[k] : std::vector<double>(n, 0.0);
  }
  return out;
}

double sum_days(const std::vector<double>& rate, std::size_t from, std::size_t to) {
  double t = 0.0;
  for (std::size_t i = from; i < to; ++i) t += rate[i] * 86400.0;
  return t;
}

struct PlanPair {
  std::map<std::string, std::vector<double>> base, with;
  std::int64_t first_day;
};

PlanPair plans(const scenario::MeasureSpec& m, core::Date start, core::Date end) {
  const auto in = lake_with_uses();
  auto run = testing::plain_run(start, end);
  run.scenario.switches.water_uses = true;
  run.scenario.switches.aquifer = true;
  run.scenario.switches.catchment = true;  // the rivers irrigation takes from
  PlanPair p;
  p.first_day = core::day_number(start);
  p.base = schedules(run, in);
  run.scenario.measures.push_back(m);
  p.with = schedules(run, in);
  return p;
}

void only_changes(const PlanPair& p, const std::set<std::string>& names) {
  for (const auto& [name, rate] : p.base) {
    if (names.count(name)) continue;
    INFO("schedule " << name);
    REQUIRE(p.with.count(name));
    CHECK(p.with.at(name) == rate);
  }
}

}  // namespace

TEST_CASE("Yellow River diversion: each full intake season delivers 3.02 m3/s x 169 d x (1 - loss), nothing else changes",
          "[measures]") {
  const auto p = plans(yellow_river(), {2020, 1, 1}, {2026, 12, 31});
  const auto& rate = p.with.at("diversion_yellow_river_diversion");
  CHECK(p.base.count("diversion_yellow_river_diversion") == 0);
  only_changes(p, {"diversion_yellow_river_diversion"});
  const double per_season = 3.02 * 169 * 86400.0 * (1.0 - 0.05);
  for (int y : {2023, 2024, 2025}) {
    const auto s = static_cast<std::size_t>(core::day_number({y, 1, 1}) + 217 - p.first_day);  // 6 August
    CHECK(sum_days(rate, s, s + 169) == Approx(per_season).epsilon(1e-12));
    CHECK(rate[s - 1] == 0.0);        // the day before the season
    CHECK(rate[s + 169] == 0.0);      // the day after it
  }
  // Nothing before the first water on 2022-10-01; the 2022 season runs from then to its end.
  const auto first_water = static_cast<std::size_t>(core::day_number({2022, 10, 1}) - p.first_day);
  CHECK(sum_days(rate, 0, first_water) == 0.0);
  CHECK(rate[first_water] == Approx(3.02 * 0.95));
}

TEST_CASE("cooling retrofit ends the power plant's lake and well use at its date, nothing else changes", "[measures]") {
  const scenario::MeasureSpec m{"cooling_retrofit", "cooling_retrofit", {2019, 1, 1}, {}};
  const auto p = plans(m, {2015, 1, 1}, {2022, 12, 31});
  only_changes(p, {"power_plant_evaporation", "pumping_power_plant"});
  const auto cut = static_cast<std::size_t>(core::day_number({2019, 1, 1}) - p.first_day);
  for (const char* name : {"power_plant_evaporation", "pumping_power_plant"}) {
    const auto& b = p.base.at(name);
    const auto& w = p.with.at(name);
    CHECK(sum_days(w, 0, cut) == sum_days(b, 0, cut));
    CHECK(sum_days(w, cut, w.size()) == 0.0);
    // Before the retrofit the plant used 1.119e7 m3/a, split half and half.
    const auto y2016 = static_cast<std::size_t>(core::day_number({2016, 1, 1}) - p.first_day);
    CHECK(sum_days(b, y2016, y2016 + 366) == Approx(0.5 * 1.119e7).epsilon(1e-12));
  }
}

TEST_CASE("agricultural saving reduces irrigation by the converted area and the retrofit saving, nothing else", "[measures]") {
  const scenario::MeasureSpec m{"agricultural_saving", "agricultural_saving", {2016, 1, 1},
                                {{"converted_area_km2", 140e6}, {"retrofit_area_km2", 40.7e6}, {"retrofit_saving_fraction", 0.3},
                                 {"ramp_years", 5}}};
  const auto p = plans(m, {2014, 1, 1}, {2024, 12, 31});
  only_changes(p, {"pumping_irrigation", "river_demand"});
  // After the ramp (from 2021): irrigation = ((200 − 140) km2 × 0.18 m) − 40.7 km2 × 0.18 m × 0.3.
  const auto y = static_cast<std::size_t>(core::day_number({2022, 1, 1}) - p.first_day);
  const double expected = (60e6 * 0.18 - 40.7e6 * 0.18 * 0.3);
  const double got = sum_days(p.with.at("pumping_irrigation"), y, y + 365) + sum_days(p.with.at("river_demand"), y, y + 365);
  CHECK(got == Approx(expected).epsilon(1e-12));
  const double before = sum_days(p.base.at("pumping_irrigation"), y, y + 365) + sum_days(p.base.at("river_demand"), y, y + 365);
  CHECK(before == Approx(200e6 * 0.18).epsilon(1e-12));
}

TEST_CASE("groundwater cap limits each calendar year's pumping to the cap, pro rata over all wells", "[measures]") {
  const scenario::MeasureSpec m{"groundwater_cap", "groundwater_cap", {2017, 1, 1}, {{"cap_m3_per_a", 2.0e7}}};
  const auto p = plans(m, {2015, 1, 1}, {2020, 12, 31});
  only_changes(p, {"pumping_irrigation", "pumping_towns", "pumping_power_plant"});
  for (int year : {2015, 2016, 2017, 2018}) {
    const auto a = static_cast<std::size_t>(core::day_number({year, 1, 1}) - p.first_day);
    const auto b = static_cast<std::size_t>(core::day_number({year + 1, 1, 1}) - p.first_day);
    double base = 0.0, with = 0.0;
    for (const char* n : {"pumping_irrigation", "pumping_towns", "pumping_power_plant"}) {
      base += sum_days(p.base.at(n), a, b);
      with += sum_days(p.with.at(n), a, b);
    }
    // Demand: 200 km2 × 0.18 m × 0.8 + 5e6 + 0.5 × 1.119e7 = 3.9355e7 m3/a.
    CHECK(base == Approx(200e6 * 0.18 * 0.8 + 5e6 + 0.5 * 1.119e7).epsilon(1e-12));
    if (year < 2017) CHECK(with == Approx(base).epsilon(1e-15));
    else CHECK(with == Approx(2.0e7).epsilon(1e-12));
  }
}
