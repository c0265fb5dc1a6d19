// Regression: the Dormand–Prince stepper is FSAL and cached the derivative of the previous day
// across the daily breakpoint, so with forcing that changes every day it rejected step after step
// (about 6 rejections and 5 accepted steps per day on the Daihai history). A smooth lake under
// daily-changing forcing needs about one accepted step per day.
#include <catch2/catch.hpp>

#include "support/test_lake.hpp"

using namespace daihai;

TEST_CASE("dopri5 takes about one step per day when the forcing changes every day", "[integrator][regression]") {
  auto in = testing::make_inputs({0.0, 10.0}, {0.0, 1e8}, {});
  in.forcing = testing::daily_forcing([](std::int64_t i) {
    return std::pair{(i % 3 == 0) ? 12.0 : 0.0, 2.0 + static_cast<double>(i % 5)};
  });
  auto run = testing::plain_run({2001, 1, 1}, {2004, 12, 31});
  const auto r = scenario::run_scenario(run, in);
  REQUIRE(r.ok);
  const double days = 4 * 365 + 1;
  CHECK(r.steps <= 1.05 * days);
  CHECK(r.rejected_steps <= 0.01 * days);
}
