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

scenario::MeasureSpec yellow_river(double delivery = 0.7, double ice_days = 105) {
  return {"yellow_river_diversion",
          "diversion",
          {2022, 10, 1},
          {{"flow_m3_per_s", 3.02},
           {"days_per_year", 169},
           {"season_start_doy", 218},
           {"delivery_fraction", delivery},
           {"ice_start_doy", 335},
           {"ice_days", ice_days},
           {"conveyance_loss", 0.05},
           {"tds_g_per_L", 0.5}}};
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

TEST_CASE("Yellow River diversion: each intake season delivers the delivered share of 3.02 m3/s x 169 d less the loss, never in "
          "the river's ice period, nothing else changes",
          "[measures]") {
  const auto p = plans(yellow_river(), {2020, 1, 1}, {2026, 12, 31});
  const auto& rate = p.with.at("diversion_yellow_river_diversion");
  CHECK(p.base.count("diversion_yellow_river_diversion") == 0);
  only_changes(p, {"diversion_yellow_river_diversion"});
  const double per_season = 3.02 * 0.7 * 169 * 86400.0 * (1.0 - 0.05);
  const auto day = [&](int y, int m, int d) { return static_cast<std::size_t>(core::day_number({y, m, d}) - p.first_day); };
  for (int y : {2023, 2024, 2025}) {
    // From day 218 (6 August, 5 August in a leap year) to the eve of day 335 (117 days), then from
    // the end of the ice (day 335 + 105 days, in March) until the 169 days are complete (52 more).
    const std::size_t s = day(y, 1, 1) + 217;
    const std::size_t ice = day(y, 1, 1) + 334;
    const std::size_t thaw = ice + 105;
    CHECK(rate[s - 1] == 0.0);
    CHECK(sum_days(rate, s, ice) == Approx(3.02 * 0.7 * 0.95 * 86400.0 * 117).epsilon(1e-12));
    CHECK(sum_days(rate, ice, thaw) == 0.0);  // no intake under the river's ice
    CHECK(sum_days(rate, s, thaw + 52) == Approx(per_season).epsilon(1e-12));
    CHECK(rate[thaw + 52] == 0.0);  // the season ends with its 169th day
  }
  // Nothing before the first water on 2022-10-01; the 2022 season runs from then to its end.
  const auto first_water = day(2022, 10, 1);
  CHECK(sum_days(rate, 0, first_water) == 0.0);
  CHECK(rate[first_water] == Approx(3.02 * 0.7 * 0.95));
  // A full delivery and no ice window: the design season of 169 consecutive days.
  const auto full = plans(yellow_river(1.0, 0), {2022, 1, 1}, {2024, 12, 31});
  const auto& r = full.with.at("diversion_yellow_river_diversion");
  const auto s = static_cast<std::size_t>(core::day_number({2023, 1, 1}) + 217 - full.first_day);
  CHECK(sum_days(r, s, s + 169) == Approx(3.02 * 169 * 86400.0 * 0.95).epsilon(1e-12));
  CHECK(r[s + 169] == 0.0);
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
                                {{"converted_area_km2", 140e6},
                                 {"ramp_years", 5},
                                 {"converted_area_total_km2", 140e6},
                                 {"second_ramp_years", 0},
                                 {"retrofit_area_km2", 40.7e6},
                                 {"retrofit_saving_fraction", 0.3},
                                 {"crop_switch_area_km2", 0},
                                 {"crop_switch_saving_mm", 0}}};
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

TEST_CASE("agricultural saving: the second stage of conversion and the crop switch, as documented", "[measures]") {
  // 140 km2 converted by the end of 2020, 173 km2 by the end of 2023, 14 km2 switched to
  // low-water crops (150 mm/a less) by the end of 2020; irrigated area 200 km2 at 0.18 m.
  const scenario::MeasureSpec m{"agricultural_saving", "agricultural_saving", {2016, 1, 1},
                                {{"converted_area_km2", 140e6},
                                 {"ramp_years", 5},
                                 {"converted_area_total_km2", 173e6},
                                 {"second_ramp_years", 3},
                                 {"retrofit_area_km2", 0},
                                 {"retrofit_saving_fraction", 0.3},
                                 {"crop_switch_area_km2", 14e6},
                                 {"crop_switch_saving_mm", 0.15}}};
  const auto p = plans(m, {2014, 1, 1}, {2026, 12, 31});
  only_changes(p, {"pumping_irrigation", "river_demand"});
  auto year_total = [&](int y) {
    const auto a = static_cast<std::size_t>(core::day_number({y, 1, 1}) - p.first_day);
    const auto b = static_cast<std::size_t>(core::day_number({y + 1, 1, 1}) - p.first_day);
    return sum_days(p.with.at("pumping_irrigation"), a, b) + sum_days(p.with.at("river_demand"), a, b);
  };
  // After both stages (2025): (200 − 173) km2 × 0.18 m − 14 km2 × 0.15 m.
  CHECK(year_total(2025) == Approx(27e6 * 0.18 - 14e6 * 0.15).epsilon(1e-9));
  // Between the stages the conversion grows: 2021 lies inside the second stage.
  CHECK(year_total(2021) < 60e6 * 0.18 - 14e6 * 0.15);
  CHECK(year_total(2021) > year_total(2025));
}

TEST_CASE("well sealing removes wells x yield a year from the pumping left after every other edit", "[measures][well_sealing]") {
  // 667 wells by the end of 2020 (from 2017), 1,000 by the end of 2023, 3e4 m3 a year each; the
  // irrigation pumping is 200 km2 × 0.18 m × 0.8 = 2.88e7 m3/a, which 1,000 wells would exceed.
  const scenario::MeasureSpec m{"well_sealing", "well_sealing", {2017, 1, 1},
                                {{"wells_first", 667}, {"first_years", 4}, {"wells_total", 1000}, {"second_years", 3},
                                 {"yield_m3_per_well_a", 3e4}},
                                {},
                                {{"fluxes", {"pumping_irrigation"}}}};
  const auto p = plans(m, {2015, 1, 1}, {2026, 12, 31});
  only_changes(p, {"pumping_irrigation"});
  auto year = [&](const std::map<std::string, std::vector<double>>& s, int y) {
    const auto a = static_cast<std::size_t>(core::day_number({y, 1, 1}) - p.first_day);
    const auto b = static_cast<std::size_t>(core::day_number({y + 1, 1, 1}) - p.first_day);
    return sum_days(s.at("pumping_irrigation"), a, b);
  };
  const double demand = 200e6 * 0.18 * 0.8;
  CHECK(year(p.base, 2021) == Approx(demand).epsilon(1e-12));
  CHECK(year(p.with, 2016) == year(p.base, 2016));
  // In 2018 the wells sealed grow linearly from 667/4 to 2·667/4 over the year: 1.5 × 166.75 on average.
  CHECK(year(p.base, 2018) - year(p.with, 2018) == Approx(1.5 * 667.0 / 4.0 * 3e4).epsilon(2e-3));
  // From 2024 on, 1,000 wells × 3e4 = 3e7 m3/a exceeds the demand: nothing is pumped.
  CHECK(year(p.with, 2025) == Approx(0.0).margin(1e-6));
  // Monotone: more wells, less pumping.
  for (int y = 2017; y < 2025; ++y) CHECK(year(p.with, y + 1) <= year(p.with, y) + 1e-6);
}
