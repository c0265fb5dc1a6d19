// io/hdf5.hpp and io/result_sink.hpp: round trips, the partial-file protocol, fill values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <limits>

#include "core/errors.hpp"
#include "io/hdf5.hpp"
#include "io/result_sink.hpp"
#include "result_fixtures.hpp"

using namespace daihai;
namespace fs = std::filesystem;
using io::hdf5::DatasetOptions;

namespace {

const std::vector<int> kYears = {2015, 2016, 2017};

std::vector<scenario::RunResult> three_runs() {
  return {test::make_failed("baseline", 0, 0, "stage below the hypsometry table"),
          test::make_run("baseline", 1, 0, kYears, {5.0e7, 4.9e7, 4.8e7}, {1220.1, 1220.0, 1219.9}, {9.0, 9.5, 10.0}),
          test::make_run("yellow", 0, 0, kYears, {5.5e7, 6.0e7, 6.5e7}, {1220.5, 1220.8, 1221.0}, {8.0, 7.5, 7.0})};
}

io::BatchMetadata metadata() {
  io::BatchMetadata m;
  m.scenario_path = "scenarios/test.toml";
  m.scenario_text = "name = \"test\"\n# a scenario\n";
  m.input_checksums = {{"inputs/a.csv", "fnv1a64:0123456789abcdef"}};
  return m;
}

}  // namespace

TEST_CASE("hdf5 wrapper: numeric, string and attribute round trip", "[hdf5]") {
  const auto path = test::scratch_path("roundtrip.h5");
  {
    auto file = io::hdf5::File::create(path);
    auto g = file.create_group("g");
    const std::vector<double> m = {1.5, -2.0, 3.25, 4.0, 5.0, 6.125};
    auto ds = g.write("matrix", std::span<const double>(m), {2, 3},
                      DatasetOptions{.chunk = {1, 3}, .max_dims = {io::hdf5::kUnlimited, 3}, .deflate = 4}, -1.0);
    ds.set_attribute("units", "m");
    ds.set_attribute("scale", 2.5);
    const std::vector<std::int64_t> ints = {1, -2, 9000000000LL};
    g.write("ints", std::span<const std::int64_t>(ints), {3}, {}, io::hdf5::kFillInt64);
    const std::vector<std::int8_t> bytes = {0, 1, -1};
    g.write("bytes", std::span<const std::int8_t>(bytes), {3}, {}, io::hdf5::kFillInt8);
    g.write("names", std::vector<std::string>{"a", "", "Dàihǎi 岱海"});
    file.set_attribute("text", std::string("hello"));
    file.set_attribute("empty", std::string());
    file.set_attribute("list", std::vector<std::string>{"x", "y"});
    file.set_attribute("count", std::int64_t{42});
    ds.extend({3, 3});  // the new row reads as the fill value
  }
  auto file = io::hdf5::File::open(path);
  auto g = file.open_group("g");
  auto ds = g.open_dataset("matrix");
  CHECK(ds.dims() == std::vector<io::hdf5::Size>{3, 3});
  CHECK(ds.read_double() == std::vector<double>{1.5, -2.0, 3.25, 4.0, 5.0, 6.125, -1.0, -1.0, -1.0});
  CHECK(ds.double_attribute("_FillValue") == -1.0);
  CHECK(ds.string_attribute("units") == "m");
  CHECK(ds.double_attribute("scale") == 2.5);
  CHECK(g.open_dataset("ints").read_int64() == std::vector<std::int64_t>{1, -2, 9000000000LL});
  CHECK(g.open_dataset("bytes").read_int8() == std::vector<std::int8_t>{0, 1, -1});
  CHECK(g.open_dataset("names").read_strings() == std::vector<std::string>{"a", "", "Dàihǎi 岱海"});
  CHECK(g.open_dataset("names").read_strings(2) == std::vector<std::string>{"a", ""});  // the first rows only
  CHECK(g.open_dataset("names").read_strings(0).empty());
  CHECK_THROWS_AS(g.open_dataset("names").read_strings(4), io::hdf5::Hdf5Error);
  CHECK(file.string_attribute("text") == "hello");
  CHECK(file.string_attribute("empty").empty());
  CHECK(file.string_attribute("list") == "x");
  CHECK(file.string_array_attribute("list") == std::vector<std::string>{"x", "y"});
  CHECK(file.string_array_attribute("text") == std::vector<std::string>{"hello"});
  CHECK(file.int_attribute("count") == 42);
  CHECK(g.children() == std::vector<std::string>{"matrix", "ints", "bytes", "names"});
  CHECK(file.exists("g/matrix"));
  CHECK_FALSE(file.exists("h/matrix"));
}

TEST_CASE("hdf5 wrapper: failures throw Hdf5Error with the HDF5 error text", "[hdf5]") {
  const auto path = test::scratch_path("errors.h5");
  { io::hdf5::File::create(path); }
  auto file = io::hdf5::File::open(path);
  try {
    file.open_dataset("missing");
    FAIL("no exception");
  } catch (const io::hdf5::Hdf5Error& e) {
    const std::string what = e.what();
    CHECK(what.find("opening dataset 'missing'") != std::string::npos);
    CHECK(what.find("H5Dopen2") != std::string::npos);
  }
  CHECK_THROWS_AS(io::hdf5::File::open(test::scratch_path("does_not_exist.h5")), io::hdf5::Hdf5Error);
  CHECK_THROWS_AS(file.string_attribute("nope"), io::hdf5::Hdf5Error);
}

TEST_CASE("fnv1a64 checksums", "[hdf5]") {
  // Reference values of the FNV-1a 64-bit test suite.
  CHECK(io::fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(io::fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(io::fnv1a64("foobar") == 0x85944171f73967e8ULL);
  const auto path = test::scratch_path("checksum.txt");
  { std::ofstream(path) << "foobar"; }
  CHECK(io::file_checksum(path) == "fnv1a64:85944171f73967e8");
  CHECK_THROWS_AS(io::file_checksum(test::scratch_path("no_such_input.csv")), core::InputError);
}

TEST_CASE("ResultSink writes runs, fill values for failed runs, renames on commit", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_commit.h5");
  fs::remove(path);
  {
    io::ResultSink sink(path, metadata());
    CHECK(fs::exists(path + ".partial"));
    sink.write_all(three_runs());
    CHECK(sink.runs_written() == 3);
    CHECK_FALSE(fs::exists(path));
    sink.commit();
    CHECK_THROWS_AS(sink.commit(), io::ResultError);
    CHECK_THROWS_AS(sink.write(three_runs()[1]), io::ResultError);
  }
  REQUIRE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".partial"));

  auto file = io::open_result_file(path);
  CHECK(file.string_attribute("engine_version") == std::string(io::engine_version()));
  CHECK(file.string_attribute("git_commit") == std::string(io::git_commit()));
  CHECK(file.string_attribute("scenario_text") == metadata().scenario_text);
  CHECK(file.string_attribute("input_checksums") == "fnv1a64:0123456789abcdef  inputs/a.csv\n");
  CHECK(file.string_attribute("creation_time").size() == 20);
  CHECK(file.int_attribute("runs") == 3);

  auto runs = file.open_group("runs");
  CHECK(runs.open_dataset("scenario").read_strings() == std::vector<std::string>{"baseline", "baseline", "yellow"});
  CHECK(runs.open_dataset("status").read_int8() == std::vector<std::int8_t>{1, 0, 0});
  CHECK(runs.open_dataset("error").read_strings() ==
        std::vector<std::string>{"stage below the hypsometry table", "", ""});
  CHECK(runs.open_dataset("climate_member").read_int64() == std::vector<std::int64_t>{0, 1, 0});
  CHECK(runs.open_dataset("measure_yellow_river").read_int8() == std::vector<std::int8_t>{0, 0, 1});
  CHECK(runs.open_dataset("measure_pumping_cap").read_int8() == std::vector<std::int8_t>{0, 0, 0});
  CHECK(runs.open_dataset("run").read_int64() == std::vector<std::int64_t>{0, 1, 2});
  CHECK(runs.open_dataset("run").is_scale());

  const double F = io::hdf5::kFillDouble;
  auto annual = file.open_group("annual");
  CHECK(annual.open_dataset("year").read_int64() == std::vector<std::int64_t>{2015, 2016, 2017});
  auto area = annual.open_dataset("area_m2");
  CHECK(area.dims() == std::vector<io::hdf5::Size>{3, 3});
  CHECK(area.read_double() == std::vector<double>{F, F, F, 5.0e7, 4.9e7, 4.8e7, 5.5e7, 6.0e7, 6.5e7});
  CHECK(area.double_attribute("_FillValue") == F);
  CHECK(area.string_attribute("units") == "m2");
  CHECK(area.string_attribute("long_name") == "lake area");
  CHECK(area.string_attribute("cell_methods") ==
        "year: mean (interval: 1 day comment: mean of the states at the end (24:00) of each day of the interval)");

  auto series = file.open_group("series/monthly");
  CHECK(series.open_dataset("time").read_int64() == std::vector<std::int64_t>{16436, 16467, 16495});
  CHECK(series.open_dataset("time").string_attribute("units") == "days since 1970-01-01 00:00:00");
  CHECK(series.open_dataset("time").string_attribute("calendar") == "proleptic_gregorian");
  CHECK(series.open_dataset("time_bnds").read_int64() ==
        std::vector<std::int64_t>{16436, 16467, 16467, 16495, 16495, 16526});
  CHECK(series.open_dataset("evaporation_m3").read_double() == std::vector<double>{F, F, F, 2, 2, 3, 1, 2, 3});
  CHECK(series.open_dataset("evaporation_m3").string_attribute("cell_methods") == "time: sum");

  CHECK(file.open_group("initial").open_dataset("volume_m3").read_double() ==
        std::vector<double>{F, 1.0e8 + 1, 1.0e8});
  CHECK(file.open_group("final").open_dataset("salt_kg").read_double() == std::vector<double>{F, 2.1e9, 2.1e9});
  auto balance = file.open_group("balance");
  CHECK(balance.open_dataset("water_residual_m3").read_double() == std::vector<double>{F, 2e-3, 1e-3});
  CHECK(balance.open_dataset("steps").read_int64() == std::vector<std::int64_t>{io::hdf5::kFillInt64, 101, 100});
  CHECK(balance.open_dataset("rejected_steps").read_int64()[2] == 3);

  // No NaN anywhere in any float64 dataset.
  for (const char* g : {"initial", "final", "annual", "series/monthly", "balance"}) {
    auto group = file.open_group(g);
    for (const auto& name : group.children()) {
      auto ds = group.open_dataset(name);
      if (ds.type().type_class() != io::hdf5::TypeClass::floating) continue;
      for (double v : ds.read_double()) CHECK(std::isfinite(v));
    }
  }
}

TEST_CASE("ResultSink removes the partial file when not committed", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_abandoned.h5");
  fs::remove(path);
  {
    io::ResultSink sink(path, metadata());
    sink.write(three_runs()[1]);
    CHECK(fs::exists(sink.partial_path()));
  }
  CHECK_FALSE(fs::exists(path + ".partial"));
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("ResultSink: a run that does not fit throws and leaves no result", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_mismatch.h5");
  fs::remove(path);
  auto runs = three_runs();
  SECTION("different year axis") {
    try {
      io::ResultSink sink(path, metadata());
      sink.write(runs[1]);
      auto other = runs[2];
      other.years = {2016, 2017, 2018};
      sink.write(other);
      FAIL("no exception");
    } catch (const io::ResultError& e) {
      CHECK(std::string(e.what()).find("year axis differs") != std::string::npos);
    }
  }
  SECTION("missing variable") {
    try {
      io::ResultSink sink(path, metadata());
      sink.write(runs[1]);
      auto other = runs[2];
      other.annual.pop_back();
      sink.write(other);
      FAIL("no exception");
    } catch (const io::ResultError& e) {
      CHECK(std::string(e.what()).find("lacks annual variable 'tds_g_per_L'") != std::string::npos);
      CHECK(std::string(e.what()).find("run 1 (scenario 'yellow'") != std::string::npos);
    }
  }
  SECTION("extra variable") {
    io::ResultSink sink(path, metadata());
    sink.write(runs[1]);
    auto other = runs[2];
    other.series.push_back({"extra_m3", "m3", "extra", scenario::Aggregation::total, {1, 2, 3}, ""});
    CHECK_THROWS_WITH(sink.write(other), Catch::Contains("has series variable 'extra_m3'"));
  }
  SECTION("changed measure list") {
    io::ResultSink sink(path, metadata());
    sink.write(runs[1]);
    auto other = runs[2];
    other.measures.pop_back();
    CHECK_THROWS_AS(sink.write(other), io::ResultError);
  }
  CHECK_FALSE(fs::exists(path + ".partial"));
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("ResultSink records a run with a non-finite value as failed", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_nan.h5");
  auto runs = three_runs();
  runs[2].annual[1].values[1] = std::numeric_limits<double>::quiet_NaN();
  {
    io::ResultSink sink(path, metadata());
    sink.write_all(runs);
    sink.commit();
  }
  auto file = io::open_result_file(path);
  auto g = file.open_group("runs");
  CHECK(g.open_dataset("status").read_int8() == std::vector<std::int8_t>{1, 0, 1});
  CHECK(g.open_dataset("error").read_strings()[2] == "output check: non-finite value of annual 'level_m' in year 2016");
  for (double v : file.open_group("annual").open_dataset("level_m").read_double()) CHECK(std::isfinite(v));
}

TEST_CASE("ResultSink with only failed runs still writes consistent groups", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_all_failed.h5");
  {
    io::ResultSink sink(path, metadata());
    sink.write(test::make_failed("baseline", 0, 0, "boom"));
    sink.commit();
  }
  auto file = io::open_result_file(path);
  CHECK(file.open_group("annual").open_dataset("year").dims() == std::vector<io::hdf5::Size>{0});
  CHECK(file.open_group("runs").open_dataset("status").read_int8() == std::vector<std::int8_t>{1});
}

TEST_CASE("ResultSink: large provenance text, zero-length axes, handles left open", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_edge.h5");
  auto meta = metadata();
  meta.scenario_text = std::string(200000, 'x');  // beyond the 64 KiB compact attribute limit
  auto run = three_runs()[1];
  for (auto& v : run.series) v.values.clear();
  run.series_start_day.clear();
  run.series_end_day.clear();
  SECTION("commit refuses while a handle into the file is open") {
    io::ResultSink sink(path, meta);
    sink.write(run);
    auto leaked = sink.file().open_group("runs");
    CHECK_THROWS_WITH(sink.commit(), Catch::Contains("still open"));
  }
  SECTION("large text and zero-length series") {
    {
      io::ResultSink sink(path, meta);
      sink.write(run);
      sink.write(run);
      sink.commit();
    }
    auto file = io::open_result_file(path);
    CHECK(file.string_attribute("scenario_text").size() == 200000);
    CHECK(file.open_group("series/monthly").open_dataset("evaporation_m3").dims() == std::vector<io::hdf5::Size>{2, 0});
  }
}

TEST_CASE("open_result_file rejects files that are not daihai results", "[hdf5]") {
  const auto plain = test::scratch_path("plain.h5");
  {
    auto f = io::hdf5::File::create(plain);
    f.create_group("something");
  }
  CHECK_THROWS_AS(io::open_result_file(plain), core::InputError);
  CHECK_THROWS_WITH(io::open_result_file(plain), Catch::Contains("not a daihai result file"));
  const auto text = test::scratch_path("not_hdf5.h5");
  { std::ofstream(text) << "hello"; }
  CHECK_THROWS_WITH(io::open_result_file(text), Catch::Contains("not an HDF5 file"));
  CHECK_THROWS_AS(io::open_result_file(test::scratch_path("missing.h5")), core::InputError);
}

TEST_CASE("a result file opens in xarray/netCDF-4 with named dimensions", "[hdf5][python]") {
  const auto path = test::scratch_path("sink_xarray.h5");
  {
    io::ResultSink sink(path, metadata());
    sink.write_all(three_runs());
    sink.commit();
  }
  const std::string script = std::string(DAIHAI_SOURCE_DIR) + "/tests/data/check_netcdf_layout.py";
  const std::string log = test::scratch_path("sink_xarray.log");
  const std::string cmd = std::string(DAIHAI_PYTHON) + " " + script + " " + path + " > " + log + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream in(log);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
    WARN("skipped: " << DAIHAI_PYTHON << " lacks xarray or netCDF4: " << output);
    return;
  }
  INFO(output);
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 0);
}

TEST_CASE("ResultSink streams more runs than one growth step and cuts the extent on commit", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_many.h5");
  const std::size_t n = 2500;  // beyond the first two capacities (1024, 2048)
  {
    io::ResultSink sink(path, metadata());
    for (std::size_t k = 0; k < n; ++k) {
      if (k % 1000 == 7) {
        sink.write(test::make_failed("baseline", static_cast<int>(k), 0, "failed"));
        continue;
      }
      auto r = test::make_run("baseline", static_cast<int>(k), 0, kYears, {1.0, 2.0, static_cast<double>(k)},
                              {1.0, 2.0, 3.0}, {1.0, 2.0, 3.0});
      sink.write(r);
    }
    sink.commit();
  }
  auto file = io::open_result_file(path);
  CHECK(file.int_attribute("runs") == static_cast<std::int64_t>(n));
  auto area = file.open_group("annual").open_dataset("area_m2");
  REQUIRE(area.dims() == std::vector<io::hdf5::Size>{n, 3});
  const auto values = area.read_double();
  CHECK(values[3 * (n - 1) + 2] == static_cast<double>(n - 1));
  CHECK(values[3 * 1007 + 2] == io::hdf5::kFillDouble);
  CHECK(values[3 * 2007 + 2] == io::hdf5::kFillDouble);
  const auto run = file.open_group("series/monthly").open_dataset("run").read_int64();
  REQUIRE(run.size() == n);
  CHECK(run.back() == static_cast<std::int64_t>(n - 1));
  CHECK(file.open_group("runs").open_dataset("scenario").read_strings().size() == n);
  const auto status = file.open_group("runs").open_dataset("status").read_int8();
  CHECK(std::count(status.begin(), status.end(), std::int8_t{1}) == 3);
}

namespace {

// Every dataset of the result groups of two files, compared value by value (numbers as double).
void check_same_datasets(const std::string& a, const std::string& b) {
  auto fa = io::hdf5::File::open(a), fb = io::hdf5::File::open(b);
  for (const char* g : {"runs", "initial", "final", "annual", "series/monthly", "balance"}) {
    auto ga = fa.open_group(g), gb = fb.open_group(g);
    REQUIRE(ga.children() == gb.children());
    for (const auto& name : ga.children()) {
      INFO(g << "/" << name);
      auto da = ga.open_dataset(name), db = gb.open_dataset(name);
      CHECK(da.dims() == db.dims());
      CHECK(da.type().size() == db.type().size());
      if (da.type().type_class() == io::hdf5::TypeClass::string)
        CHECK(da.read_strings() == db.read_strings());
      else
        CHECK(da.read_double() == db.read_double());
    }
  }
}

}  // namespace

TEST_CASE("ResultSink suspended and resumed writes the same datasets as in one pass", "[hdf5][sink][resume]") {
  const auto one = test::scratch_path("sink_one_pass.h5");
  const auto two = test::scratch_path("sink_resumed.h5");
  io::SinkOptions options;
  options.row_chunk = 4;  // a checkpoint every 4 runs
  options.output.variables["evaporation_m3"] = {io::SeriesResolution::monthly, io::Precision::float32};
  const auto run = [](int k) {
    // runs 0..5 fail, so the variables appear only after the first checkpoint
    if (k < 6 || k == 9) return test::make_failed("baseline", k, 0, "failed " + std::to_string(k));
    return test::make_run(k % 2 ? "baseline" : "yellow_river", k, 0, kYears, {1.0 * k, 2.0, 3.0}, {1.0, 2.0, 3.0},
                          {1.0, 2.0, 3.0});
  };
  {
    io::ResultSink sink(one, metadata(), options);
    for (int k = 0; k < 13; ++k) sink.write(run(k));
    sink.commit();
  }
  {
    io::ResultSink sink(two, metadata(), options);
    for (int k = 0; k < 7; ++k) sink.write(run(k));
    sink.suspend();
  }
  REQUIRE(fs::exists(two + ".partial"));
  CHECK_THROWS_WITH(io::open_result_file(two + ".partial"), Catch::Contains("unfinished batch"));
  {
    auto other = metadata();
    other.scenario_text += "\n# changed";
    CHECK_THROWS_WITH(io::ResultSink(two, other, options, io::SinkMode::resume), Catch::Contains("scenario file's text differs"));
    REQUIRE(fs::exists(two + ".partial"));
  }
  {
    io::ResultSink sink(two, metadata(), options, io::SinkMode::resume);
    REQUIRE(sink.runs_written() == 7);
    const auto back = sink.take_resumed_runs();
    REQUIRE(back.size() == 7);
    CHECK_FALSE(back[5].ok);
    CHECK(back[5].error == "failed 5");
    CHECK(back[6].ok);
    CHECK(back[6].scenario == "yellow_river");
    CHECK(back[6].climate_member == 6);
    CHECK(back[6].years == kYears);
    REQUIRE(back[6].annual.size() == 3);
    for (const auto& v : back[6].annual)
      if (v.name == "area_m2") CHECK(v.values == std::vector<double>{6.0, 2.0, 3.0});
    CHECK(back[6].water_residual_m3 == 7e-3);
    for (int k = 7; k < 13; ++k) sink.write(run(k));
    sink.commit();
  }
  check_same_datasets(one, two);
  auto file = io::open_result_file(two);
  CHECK(file.open_dataset("series/monthly/evaporation_m3").type().size() == 4);
  CHECK(file.open_dataset("series/monthly/volume_m3").type().size() == 8);
  CHECK(file.open_dataset("series/monthly/evaporation_m3").double_attribute("_FillValue") ==
        static_cast<double>(io::hdf5::kFillFloat));
}

TEST_CASE("ResultSink records a run whose float32 series value overflows as failed", "[hdf5][sink]") {
  const auto path = test::scratch_path("sink_float32_range.h5");
  io::SinkOptions options;
  options.output.defaults.precision = io::Precision::float32;
  {
    io::ResultSink sink(path, metadata(), options);
    sink.write(test::make_run("baseline", 0, 0, kYears, {1, 2, 3}, {1, 2, 3}, {1, 2, 3}));
    auto big = test::make_run("baseline", 1, 0, kYears, {1, 2, 3}, {1, 2, 3}, {1, 2, 3});
    big.series[0].values[1] = 1e39;  // beyond the float32 range (3.4e38)
    sink.write(big);
    sink.commit();
  }
  auto file = io::open_result_file(path);
  CHECK(file.open_dataset("runs/status").read_int8() == std::vector<std::int8_t>{0, 1});
  CHECK_THAT(file.open_dataset("runs/error").read_strings()[1], Catch::Contains("outside the float32 range"));
}
