#include <catch2/catch.hpp>

#include <stdexcept>

#include "physics/hypsometry.hpp"

using daihai::physics::Hypsometry;

TEST_CASE("hypsometry: volume is the exact integral of a piecewise-linear area", "[hypsometry]") {
  const Hypsometry h({100.0, 102.0, 105.0}, {0.0, 4e6, 10e6});
  CHECK(h.volume_at_stage(100.0) == 0.0);
  CHECK(h.volume_at_stage(101.0) == Approx(0.5 * 2e6 * 1.0));        // triangle
  CHECK(h.volume_at_stage(102.0) == Approx(4e6));
  CHECK(h.volume_at_stage(105.0) == Approx(4e6 + 3.0 * (4e6 + 10e6) / 2));
  CHECK(h.area_at_stage(103.5) == Approx(7e6));
}

TEST_CASE("hypsometry: stage from volume inverts volume from stage", "[hypsometry]") {
  const Hypsometry h({1204.1, 1209.1, 1214.0, 1225.5, 1225.9}, {0.0, 24.8e6, 49.2e6, 182e6, 200e6});
  for (double v = 0.0; v <= h.max_volume_m3(); v += h.max_volume_m3() / 997.0) {
    const double s = h.stage_at_volume(v);
    CHECK(h.volume_at_stage(s) == Approx(v).margin(1e-6 * h.max_volume_m3() * 1e-6));
    CHECK(h.area_at_volume(v) == Approx(h.area_at_stage(s)).margin(1.0));
  }
  double prev_s = -1e9, prev_a = -1.0;
  for (double v = 0.0; v <= h.max_volume_m3(); v += h.max_volume_m3() / 211.0) {
    CHECK(h.stage_at_volume(v) > prev_s);
    CHECK(h.area_at_volume(v) >= prev_a);
    prev_s = h.stage_at_volume(v);
    prev_a = h.area_at_volume(v);
  }
}

TEST_CASE("hypsometry: outside the table is an error, never an extrapolation", "[hypsometry]") {
  const Hypsometry h({0.0, 10.0}, {1e6, 2e6});
  CHECK_THROWS_AS(h.area_at_stage(10.01), std::out_of_range);
  CHECK_THROWS_AS(h.volume_at_stage(-0.01), std::out_of_range);
  CHECK_THROWS_AS(h.stage_at_volume(h.max_volume_m3() * 1.0001), std::out_of_range);
  CHECK_THROWS_AS(h.stage_at_volume(-1.0), std::out_of_range);
  CHECK_THROWS_WITH(h.area_at_stage(11.0), Catch::Contains("outside the hypsometry table"));
}

TEST_CASE("hypsometry: bad tables are rejected", "[hypsometry]") {
  CHECK_THROWS_AS(Hypsometry({0.0}, {1.0}), std::invalid_argument);
  CHECK_THROWS_AS(Hypsometry({0.0, 1.0}, {1.0}), std::invalid_argument);
  CHECK_THROWS_WITH(Hypsometry({0.0, 2.0, 1.0}, {1.0, 2.0, 3.0}), Catch::Contains("row 2"));
  CHECK_THROWS_WITH(Hypsometry({0.0, 1.0, 2.0}, {1.0, 3.0, 2.0}), Catch::Contains("must not decrease"));
  CHECK_THROWS_WITH(Hypsometry({0.0, 1.0}, {-1.0, 2.0}), Catch::Contains("negative area"));
}

TEST_CASE("hypsometry: the hinted search gives the plain search's stage and area wherever the hint starts", "[hypsometry]") {
  const Hypsometry h({1204.1, 1209.1, 1214.0, 1225.5, 1225.9}, {0.0, 24.8e6, 49.2e6, 182e6, 200e6});
  for (std::size_t start = 0; start < 6; ++start) {  // 4 segments, and hints beyond the table
    std::size_t hint = start;
    for (double v = 0.0; v <= h.max_volume_m3(); v += h.max_volume_m3() / 97.0) {
      const auto a = h.stage_area_at_volume(v, hint);
      CHECK(a.stage_m == h.stage_at_volume(v));
      CHECK(a.area_m2 == Approx(h.area_at_volume(v)).epsilon(1e-14));
    }
    const auto top = h.stage_area_at_volume(h.max_volume_m3(), hint);
    CHECK(top.stage_m == Approx(1225.9));
    CHECK_THROWS_AS(h.stage_area_at_volume(h.max_volume_m3() * 1.0001, hint), std::out_of_range);
    CHECK_THROWS_AS(h.stage_area_at_volume(-1.0, hint), std::out_of_range);
  }
}
