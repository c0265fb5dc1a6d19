// Calibration of a synthetic lake whose "true" parameters are known: DDS recovers the
// identifiable ones from observations made by the true run, reports the one the observations
// cannot see as such, and gives the same result for any thread count.
#include <catch2/catch.hpp>

#include <cmath>

#include "batch/calibrate.hpp"
#include "support/test_lake.hpp"

using namespace daihai;
using analysis::Observation;
using analysis::ObservationKind;

namespace {

// A 10-year plain lake: a bowl with a constant inflow, daily-varying evaporation, salt.
io::CalibrationSpec synthetic_spec() {
  auto in = testing::make_inputs({0.0, 20.0}, {0.0, 2e8}, {});
  in.forcing = testing::daily_forcing([](std::int64_t i) {
    const double season = std::sin(2.0 * M_PI * static_cast<double>(i) / 365.25);
    return std::pair{(i % 4 == 0) ? 4.0 : 0.0, 3.0 + 2.5 * season};
  }, true);  // the engine's estimate: the evaporation multiplier applies
  io::CalibrationSpec spec;
  spec.name = "synthetic";
  spec.plan.inputs = std::make_shared<const scenario::LakeInputs>(in);
  auto run = testing::plain_run({2001, 1, 1}, {2010, 12, 31});
  run.scenario.resolution = scenario::Resolution::monthly;
  run.scenario.inflow = scenario::InflowSpec{{core::day_number({2001, 1, 1})}, {3.0}, 0.3};
  spec.plan.runs.push_back(run);
  spec.members = 1;
  spec.budget = 250;
  spec.block = 5;
  spec.seed = 7;
  // evaporation multiplier, initial stage and initial TDS are seen by the observations below;
  // the river TDS is not (the catchment is off): it is not identifiable.
  spec.free = {{"evaporation_multiplier", 0.5, 1.2, 1.0},
               {"initial_level_m", 6.0, 14.0, 10.0},
               {"initial_tds_g_per_L", 0.5, 5.0, 1.0},
               {"river_tds_g_per_L", 0.1, 2.0, 1.0}};
  return spec;
}

const std::vector<double> kTruth = {0.8, 9.0, 2.0, 0.5};

std::vector<Observation> observations_of_truth(const io::CalibrationSpec& spec) {
  auto run = spec.plan.runs.front();
  for (std::size_t i = 0; i < spec.free.size(); ++i) run.scenario.overrides[spec.free[i].name] = kTruth[i];
  const auto series = analysis::annual_series(scenario::run_scenario(run, *spec.plan.inputs));
  std::vector<Observation> obs;
  auto add = [&](ObservationKind kind, int start, int end) {
    Observation o;
    o.kind = kind;
    o.start = start;
    o.end = end;
    o.confidence = 'H';
    o.value = analysis::simulate(o, series);
    o.tolerance = std::max(1e-3 * std::abs(o.value), 1e-6);
    obs.push_back(o);
  };
  add(ObservationKind::level, 2001, 2001);
  add(ObservationKind::level, 2010, 2010);
  add(ObservationKind::area, 2003, 2006);
  add(ObservationKind::level_trend, 2001, 2010);
  add(ObservationKind::tds, 2005, 2005);
  return obs;
}

}  // namespace

TEST_CASE("calibrating a synthetic lake recovers its identifiable parameters within 10 percent", "[calibration]") {
  const auto spec = synthetic_spec();
  const auto obs = observations_of_truth(spec);
  const auto result = batch::calibrate(spec, obs, 2);
  const auto& best = result.evaluations[result.best];
  INFO("objective " << best.objective << " after " << result.evaluations.size() << " evaluations");
  REQUIRE(result.evaluations.size() == 250);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(spec.free[i].name << " = " << best.x[i] << ", truth " << kTruth[i]);
    CHECK(std::abs(best.x[i] / kTruth[i] - 1.0) < 0.10);
  }
  // The river TDS does not enter this lake: every value of it fits equally well.
  auto other = best.x;
  other[3] = 1.9;
  const auto moved = batch::evaluate_candidates(spec, obs, {best.x, other}, 1);
  CHECK(moved[0].objective == moved[1].objective);
  // The prior was far off; the fit is close.
  CHECK(best.objective < 1e-2 * result.evaluations.front().objective);
}

TEST_CASE("a calibration gives the same evaluations for 1 and 2 threads", "[calibration]") {
  auto spec = synthetic_spec();
  spec.budget = 40;
  const auto obs = observations_of_truth(spec);
  const auto one = batch::calibrate(spec, obs, 1);
  const auto two = batch::calibrate(spec, obs, 2);
  REQUIRE(one.evaluations.size() == two.evaluations.size());
  for (std::size_t i = 0; i < one.evaluations.size(); ++i) {
    CHECK(one.evaluations[i].x == two.evaluations[i].x);
    CHECK(one.evaluations[i].objective == two.evaluations[i].objective);
  }
  CHECK(one.ensemble == two.ensemble);
}

TEST_CASE("MCMC after DDS: the posterior holds the truth, constrains what the observations see and not what they cannot", "[calibration]") {
  auto spec = synthetic_spec();
  spec.budget = 150;
  spec.mcmc_chains = 4;
  spec.mcmc_generations = 400;
  spec.ensemble_size = 30;
  auto obs = observations_of_truth(spec);
  for (auto& o : obs) o.tolerance = 0.02 * std::abs(o.value);  // errors of 2 %: a posterior of finite width
  const auto r = batch::calibrate(spec, obs, 2);
  REQUIRE(r.mcmc.chains.size() == 4);
  REQUIRE(r.mcmc.chains.front().size() == 400);
  REQUIRE(r.identifiability.size() == 4);
  REQUIRE(r.mcmc_rhat.size() == 4);
  CHECK(r.mcmc_ensemble.size() == 30);
  for (const auto& [c, t] : r.mcmc_ensemble) CHECK(t >= 200);  // drawn from the second halves only
  // The calibrated set is the best of every method.
  CHECK(r.best_objective <= r.evaluations[r.best].objective);
  for (const auto& o : r.mcmc.objectives)
    for (double j : o) CHECK(r.best_objective <= j);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& id = r.identifiability[i];
    INFO(id.parameter << " q05 " << id.q05 << " q95 " << id.q95 << " truth " << kTruth[i] << " R-hat " << r.mcmc_rhat[i]);
    CHECK(id.q05 <= kTruth[i]);
    CHECK(kTruth[i] <= id.q95);
    CHECK(id.verdict == "identified");
  }
  // The river TDS never reaches this lake: its posterior is its prior box.
  CHECK(r.identifiability[3].verdict == "not");
  // Same chains for another thread count.
  const auto one = batch::calibrate(spec, obs, 1);
  CHECK(one.mcmc.chains == r.mcmc.chains);
}
