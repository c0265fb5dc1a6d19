#include <catch2/catch.hpp>

#include "core/date.hpp"

using namespace daihai::core;

TEST_CASE("date: stepping day by day agrees with the day-number conversion over two centuries", "[date]") {
  const std::int64_t first = day_number({1899, 12, 25}), last = day_number({2101, 1, 5});
  Date d = date_of(first);
  int doy = day_of_year(d);
  for (std::int64_t n = first; n <= last; ++n, step_day(d), doy = d.month == 1 && d.day == 1 ? 1 : doy + 1) {
    const Date e = date_of(n);
    REQUIRE(d.year == e.year);
    REQUIRE(d.month == e.month);
    REQUIRE(d.day == e.day);
    REQUIRE(doy == day_of_year(e));
  }
  // 1900 is not a leap year, 2000 is.
  Date feb{1900, 2, 28};
  step_day(feb);
  CHECK((feb.month == 3 && feb.day == 1));
  Date leap{2000, 2, 28};
  step_day(leap);
  CHECK((leap.month == 2 && leap.day == 29));
  CHECK(fractional_year({2001, 1, 1}, 1) == Approx(2001.0 + 0.5 / 365.0));
  CHECK(fractional_year({2000, 12, 31}, 366) == Approx(2000.0 + 365.5 / 366.0));
}
