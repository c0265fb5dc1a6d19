// Factorial effects against hand-computed values on a 2^2 design.
#include <catch2/catch.hpp>

#include "analysis/factorial.hpp"

using namespace daihai;

TEST_CASE("factorial effects of a 2^2 design by hand", "[factorial]") {
  // y(none) = 10, y(A) = 20, y(B) = 14, y(A+B) = 40 (mask bit 0 = A, bit 1 = B).
  // main A = (20 + 40)/2 − (10 + 14)/2 = 30 − 12 = 18; main B = (14 + 40)/2 − (10 + 20)/2 = 27 − 15 = 12;
  // AB = (10 + 40)/2 − (20 + 14)/2 = 25 − 17 = 8 (half the difference of A's effect with and without B: (26 − 10)/2);
  // alone A = 20 − 10 = 10, B = 14 − 10 = 4; dropped A = 40 − 14 = 26, B = 40 − 20 = 20.
  const auto e = analysis::factorial_effects({{"A", "B"}, {10, 20, 14, 40}});
  CHECK(e.main == std::vector<double>{18, 12});
  CHECK(e.alone == std::vector<double>{10, 4});
  CHECK(e.dropped == std::vector<double>{26, 20});
  REQUIRE(e.interaction.size() == 1);
  CHECK(e.interaction[0] == 8);
  CHECK(e.pairs[0] == std::pair<std::size_t, std::size_t>{0, 1});
  // An additive response has no interaction, and alone = dropped = main.
  const auto add = analysis::factorial_effects({{"A", "B"}, {1, 3, 6, 8}});
  CHECK(add.interaction[0] == 0);
  CHECK(add.main == std::vector<double>{2, 5});
  CHECK(add.alone == add.dropped);
}

TEST_CASE("scenario names map to combinations and bad designs are refused", "[factorial]") {
  const std::vector<std::string> m = {"cooling_retrofit", "yongxing_diversion", "well_sealing"};
  CHECK(analysis::combination_mask("baseline", m) == 0);
  CHECK(analysis::combination_mask("cooling_retrofit+well_sealing", m) == 5);
  CHECK(analysis::combination_mask("well_sealing+yongxing_diversion", m) == 6);
  CHECK_THROWS_WITH(analysis::combination_mask("cooling_retrofit+dredging", m), Catch::Contains("'dredging'"));
  CHECK_THROWS_WITH(analysis::combination_mask("well_sealing+well_sealing", m), Catch::Contains("twice"));
  CHECK_THROWS_AS(analysis::factorial_effects({{"A", "B"}, {1, 2, 3}}), std::invalid_argument);
  CHECK_THROWS_AS(analysis::factorial_effects({{}, {1}}), std::invalid_argument);
}
