// The inverse design's search against a known monotone response.
#include <catch2/catch.hpp>

#include <cmath>

#include "batch/design.hpp"

using namespace daihai;

TEST_CASE("the design search finds the smallest value meeting the probability of a known response", "[design]") {
  // P(v) = v over [0, 1] with 100 members: the answer is 0.9, to the resolution 1/2^7 of the bisection.
  auto linear = [](double v) { return batch::DesignPoint{v, std::floor(v * 100.0) / 100.0, 100, 0, {}}; };
  const auto a = batch::monotone_search(0.0, 1.0, 0.9, 7, linear);
  REQUIRE(a.found);
  CHECK(a.value >= 0.9);
  CHECK(a.value <= 0.9 + 1.0 / 128.0);
  CHECK(a.monotone);
  CHECK(a.points.size() == 9);  // the two ends and seven steps
  // Sampling half-width at p = 0.9 with 100 members: 1.645 sqrt(0.9 x 0.1 / 100) = 0.04935.
  CHECK(a.sampling_half_width == Approx(0.04935).epsilon(1e-3));
  CHECK(a.indistinct_low < a.value);
  // A response that never reaches the probability: no value suffices.
  const auto none = batch::monotone_search(0.0, 1.0, 0.9, 7, [](double v) { return batch::DesignPoint{v, 0.5 * v, 100, 0, {}}; });
  CHECK_FALSE(none.found);
  CHECK(none.points.size() == 1);
  // Already met at the bottom of the range.
  const auto low = batch::monotone_search(0.2, 1.0, 0.1, 7, linear);
  CHECK(low.found);
  CHECK(low.value == 0.2);
  // A response that falls somewhere is flagged.
  const auto bumpy = batch::monotone_search(0.0, 1.0, 0.5, 4, [](double v) {
    return batch::DesignPoint{v, v < 0.3 ? 0.4 : v < 0.6 ? 0.3 : 0.9, 100, 0, {}};
  });
  CHECK_FALSE(bumpy.monotone);
}
