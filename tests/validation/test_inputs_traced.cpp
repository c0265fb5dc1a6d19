// Every input value of inputs/daihai is traced in inputs/SOURCES.md, and every parameter the
// engine declares has a unit and a valid range.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "management/measure_kind.hpp"
#include "management/water_use.hpp"
#include "model/model.hpp"

namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
const fs::path kInputs = fs::path(DAIHAI_SOURCE_DIR) / "inputs";
}  // namespace

TEST_CASE("every declared parameter has a unit, a meaning and a valid range", "[inputs]") {
  for (const auto& d : daihai::model::parameter_registry().all()) {
    INFO(d.name);
    CHECK(!d.unit.empty());
    CHECK(!d.meaning.empty());
    CHECK(d.min < d.max);
    CHECK(d.to_si > 0.0);
  }
  for (const auto& k : daihai::management::measure_kinds())
    for (const auto& d : k.keys) {
      INFO(k.kind << "." << d.name);
      CHECK(!d.unit.empty());
      CHECK(d.min < d.max);
    }
}

TEST_CASE("every Daihai parameter and measure value has a row in inputs/SOURCES.md", "[inputs]") {
  const std::string sources = slurp(kInputs / "SOURCES.md");
  REQUIRE(!sources.empty());
  const toml::table params = toml::parse_file((kInputs / "daihai" / "parameters.toml").string());
  std::size_t n = 0;
  for (auto&& [k, v] : params) {
    INFO("parameter " << k.str());
    CHECK(sources.find(std::string(k.str())) != std::string::npos);
    if (k.str() == "vertical_datum") {  // the one top-level text: the datum of the folder's levels
      CHECK(v.is_string());
      continue;
    }
    const auto* t = v.as_table();
    REQUIRE(t != nullptr);
    CHECK(t->contains("source"));
    CHECK(t->contains("kind"));
    CHECK(t->contains("range"));
    ++n;
  }
  CHECK(n == daihai::model::parameter_registry().all().size());
  const toml::table measures = toml::parse_file((kInputs / "daihai" / "measures.toml").string());
  for (auto&& [k, v] : measures) {
    const std::string name(k.str());
    INFO("measure " << name);
    CHECK(sources.find(name + " start") != std::string::npos);
    for (auto&& [key, value] : *v.as_table()) {
      if (!value.is_table()) continue;
      INFO("key " << key.str());
      CHECK(sources.find(std::string(key.str())) != std::string::npos);
      CHECK(value.as_table()->contains("source"));
    }
  }
}

TEST_CASE("every file in inputs/ is named in inputs/SOURCES.md or its folder's SOURCES.md", "[inputs]") {
  const std::string sources = slurp(kInputs / "SOURCES.md");
  for (const auto& e : fs::recursive_directory_iterator(kInputs)) {
    if (!e.is_regular_file() || e.path().filename() == "SOURCES.md") continue;
    INFO(e.path().string());
    CHECK(sources.find(e.path().filename().string()) != std::string::npos);
  }
}

TEST_CASE("docs/lake-inputs.md names every parameter the engine declares", "[inputs][docs]") {
  const std::string doc = slurp(fs::path(DAIHAI_SOURCE_DIR) / "docs" / "lake-inputs.md");
  REQUIRE(!doc.empty());
  for (const auto& d : daihai::model::parameter_registry().all()) {
    INFO(d.name);
    CHECK(doc.find("`" + d.name + "`") != std::string::npos);
  }
}
