// io/targets.hpp: loading scenarios/targets.toml and the errors of bad target files.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "io/targets.hpp"

using namespace daihai;

namespace {

const char* kGood = R"(plan_start = 2015
[[target]]
name = "minimum_area"
quantity = "area_m2"
statistic = "every_year"
operator = ">="
value = 50
unit = "km2"
from = 2020
to = 2050
source = "S18"

[[target]]
name = "salinity"
quantity = "tds_g_per_L"
statistic = "in_year"
operator = "<="
value = 12000.5
unit = "mg/L"
from = 2030
to = 2030
source = "none"
note = "a limit"
first_year_from = 2020
)";

// The core::InputError thrown by parse_targets(text).
core::InputError error_of(const std::string& text) {
  try {
    io::parse_targets(text, "bad.toml");
  } catch (const core::InputError& e) {
    return e;
  }
  FAIL("no InputError for:\n" << text);
  throw;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("targets: the shipped scenarios/targets.toml loads", "[targets]") {
  const auto targets = io::load_targets(std::string(DAIHAI_SOURCE_DIR) + "/scenarios/targets.toml");
  REQUIRE(targets.size() == 3);
  CHECK(targets[0].name == "no_further_shrinking");
  CHECK(targets[0].statistic == io::Statistic::trend);
  CHECK(targets[0].value == 0.0);
  CHECK(targets[0].unit == "km2/a");
  CHECK(targets[1].name == "minimum_area");
  CHECK(targets[1].statistic == io::Statistic::every_year);
  CHECK(targets[1].value == 50.0e6);
  CHECK(targets[1].from == 2020);
  CHECK(targets[1].to == 2050);
  CHECK(targets[1].first_year_from == 2016);
  CHECK(targets[2].name == "area_2030");
  CHECK(targets[2].statistic == io::Statistic::in_year);
  CHECK(targets[2].value == 70.0e6);
  CHECK(targets[2].source == "S23");
  CHECK(targets[2].line > 0);
}

TEST_CASE("targets: values converted to SI, defaults and optional keys", "[targets]") {
  const auto targets = io::parse_targets(kGood, "good.toml");
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].first_year_from == 2015);  // plan_start
  CHECK(targets[0].line == 2);
  CHECK(targets[0].holds(50.0e6));
  CHECK_FALSE(targets[0].holds(49.9e6));
  CHECK(targets[1].comparison == io::Comparison::less_equal);
  CHECK(targets[1].value == Approx(12.0005));
  CHECK(targets[1].value_as_given == 12000.5);
  CHECK(targets[1].first_year_from == 2020);
  CHECK(targets[1].note == "a limit");
  CHECK(targets[1].file == "good.toml");
}

TEST_CASE("targets: errors name file, line and key", "[targets]") {
  SECTION("unknown key") {
    const auto e = error_of(replace(kGood, "source = \"S18\"", "source = \"S18\"\nsauce = 1"));
    CHECK(e.file() == "bad.toml");
    CHECK(e.line() == 12);
    CHECK(e.key() == "sauce");
    CHECK(std::string(e.what()).find("bad.toml:12: key 'sauce': unknown key") == 0);
  }
  SECTION("unknown top-level key") {
    const auto e = error_of(std::string("colour = 1\n") + kGood);
    CHECK(e.line() == 1);
    CHECK(e.key() == "colour");
  }
  SECTION("missing key") {
    const auto e = error_of(replace(kGood, "unit = \"km2\"\n", ""));
    CHECK(e.line() == 2);
    CHECK(e.key() == "unit");
    CHECK(std::string(e.what()).find("missing required key") != std::string::npos);
  }
  SECTION("bad operator") {
    const auto e = error_of(replace(kGood, "operator = \">=\"", "operator = \">\""));
    CHECK(e.line() == 6);
    CHECK(e.key() == "operator");
    CHECK(std::string(e.what()).find("unknown operator '>'") != std::string::npos);
  }
  SECTION("unit that does not fit the quantity") {
    const auto e = error_of(replace(kGood, "unit = \"km2\"", "unit = \"m\""));
    CHECK(e.line() == 8);
    CHECK(e.key() == "unit");
    CHECK(std::string(e.what()).find("expected one of m2, km2, ha") != std::string::npos);
  }
  SECTION("trend needs a per-year unit") {
    const auto e = error_of(replace(kGood, "statistic = \"every_year\"", "statistic = \"trend\""));
    CHECK(e.key() == "unit");
    CHECK(std::string(e.what()).find("km2/a") != std::string::npos);
  }
  SECTION("unknown statistic and quantity") {
    const auto e = error_of(replace(replace(kGood, "every_year", "sometimes"), "\"area_m2\"", "\"volume\""));
    CHECK(e.key() == "quantity");
    CHECK(e.line() == 4);
    // every problem is listed
    CHECK(std::string(e.what()).find("bad.toml:5: key 'statistic': unknown statistic 'sometimes'") != std::string::npos);
  }
  SECTION("wrong type") {
    const auto e = error_of(replace(kGood, "from = 2020", "from = \"2020\""));
    CHECK(e.line() == 9);
    CHECK(e.key() == "from");
  }
  SECTION("from after to") {
    const auto e = error_of(replace(kGood, "from = 2020", "from = 2060"));
    CHECK(e.key() == "from");
    CHECK(std::string(e.what()).find("after to") != std::string::npos);
  }
  SECTION("in_year needs from == to") {
    const auto e = error_of(replace(kGood, "from = 2030", "from = 2029"));
    CHECK(e.line() == 20);
    CHECK(e.key() == "from");
  }
  SECTION("duplicate name") {
    const auto e = error_of(replace(kGood, "name = \"salinity\"", "name = \"minimum_area\""));
    CHECK(e.key() == "name");
    CHECK(std::string(e.what()).find("duplicate target name") != std::string::npos);
  }
  SECTION("invalid TOML") {
    const auto e = error_of("[[target]\nname = 1");
    CHECK(e.line() == 1);
    CHECK(std::string(e.what()).find("invalid TOML") != std::string::npos);
  }
  SECTION("no targets") {
    const auto e = error_of("plan_start = 2016\n");
    CHECK(e.key() == "target");
  }
  SECTION("missing file") {
    CHECK_THROWS_WITH(io::load_targets("no/such/targets.toml"), Catch::Contains("no/such/targets.toml: cannot open"));
  }
}
