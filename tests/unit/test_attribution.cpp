// analysis/attribution.hpp against hand-computed Shapley values of synthetic factorial batches.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/attribution.hpp"

using namespace daihai::analysis;

namespace {

// A member's runs for measures {a, b, c}: volume falling by `trend(mask)` m3 a year over 2016-2021
// and area(mask) m2 in 2030.
template <class Trend, class Area>
void add_member(AttributionInput& in, const std::string& member, Trend trend, Area area) {
  for (unsigned m = 0; m < 8; ++m) {
    AttributionInput::Run r;
    r.on = {(m & 1u) != 0, (m & 2u) != 0, (m & 4u) != 0};
    r.member = member;
    r.ok = true;
    for (int y : in.years) {
      r.volume_m3.push_back(1e9 + trend(m) * (y - 2016));
      r.area_m2.push_back(y == 2030 ? area(m) : 0.0);
    }
    in.runs.push_back(r);
  }
}

AttributionInput base() {
  AttributionInput in;
  in.measures = {"a", "b", "c"};
  for (int y = 2010; y <= 2035; ++y) in.years.push_back(y);
  return in;
}

}  // namespace

TEST_CASE("attribution: additive measures get their own effects, and the shares add up to the change", "[attribution]") {
  AttributionInput in = base();
  // Baseline −30e6 m3/a; a adds 10e6, b 5e6, c 0.
  add_member(in, "m0", [](unsigned m) { return -30e6 + ((m & 1u) ? 10e6 : 0.0) + ((m & 2u) ? 5e6 : 0.0); },
             [](unsigned m) { return 1e6 * (10 + ((m & 1u) ? 20 : 0) + ((m & 4u) ? 3 : 0)); });
  const auto t = compute_attribution(in, 2016, 2021, 2030);
  REQUIRE(t.members == 1);
  CHECK(t.plan_change_m3_per_a.median == Approx(15e6));
  CHECK(t.measures[0].trend_share_m3_per_a.median == Approx(10e6));
  CHECK(t.measures[1].trend_share_m3_per_a.median == Approx(5e6));
  CHECK(t.measures[2].trend_share_m3_per_a.median == Approx(0.0).margin(1e-3));
  CHECK(t.measures[0].trend_share_fraction.median == Approx(2.0 / 3.0));
  CHECK(t.measures[0].alone_area_m2.median == Approx(20e6));
  CHECK(t.measures[0].dropped_area_m2.median == Approx(20e6));
  CHECK(t.measures[2].alone_area_m2.median == Approx(3e6));
  CHECK(t.baseline_area_m2.median == Approx(10e6));
  CHECK(t.plan_area_m2.median == Approx(33e6));
}

TEST_CASE("attribution: an interaction is split equally between the measures that make it", "[attribution]") {
  AttributionInput in = base();
  // a and b only act together (+12e6 when both are on): each gets 6e6; alone each does nothing,
  // dropped from the plan each loses the whole 12e6 in area terms.
  auto both = [](unsigned m) { return (m & 1u) && (m & 2u); };
  add_member(in, "m0", [&](unsigned m) { return -20e6 + (both(m) ? 12e6 : 0.0); },
             [&](unsigned m) { return both(m) ? 12e6 : 0.0; });
  // A second member with no effect at all: the medians then lie halfway.
  add_member(in, "m1", [](unsigned) { return -20e6; }, [](unsigned) { return 0.0; });
  const auto t = compute_attribution(in, 2016, 2021, 2030);
  REQUIRE(t.members == 2);
  CHECK(t.measures[0].trend_share_m3_per_a.median == Approx(3e6));  // median of {6e6, 0}
  CHECK(t.measures[0].trend_share_m3_per_a.p95 == Approx(0.95 * 6e6));
  CHECK(t.measures[1].trend_share_m3_per_a.p95 == Approx(0.95 * 6e6));
  CHECK(t.measures[2].trend_share_m3_per_a.p95 == Approx(0.0).margin(1e-3));
  CHECK(t.measures[0].alone_area_m2.p95 == Approx(0.0).margin(1e-9));
  CHECK(t.measures[0].dropped_area_m2.p95 == Approx(0.95 * 12e6));
}

TEST_CASE("attribution: a missing combination or a failed run is reported", "[attribution]") {
  AttributionInput in = base();
  add_member(in, "m0", [](unsigned) { return 0.0; }, [](unsigned) { return 0.0; });
  in.runs.pop_back();
  CHECK_THROWS_WITH(compute_attribution(in, 2016, 2021, 2030), Catch::Contains("lacks the combination 'a+b+c'"));
  in.runs.clear();
  add_member(in, "m0", [](unsigned) { return 0.0; }, [](unsigned) { return 0.0; });
  in.runs[3].ok = false;
  CHECK_THROWS_WITH(compute_attribution(in, 2016, 2021, 2030), Catch::Contains("no member"));
  add_member(in, "m1", [](unsigned) { return 1.0; }, [](unsigned) { return 1.0; });
  CHECK(compute_attribution(in, 2016, 2021, 2030).members_skipped == 1);
  CHECK_THROWS_AS(compute_attribution(in, 2016, 2016, 2030), std::invalid_argument);
  CHECK_THROWS_AS(compute_attribution(in, 2016, 2021, 2099), std::invalid_argument);
}
