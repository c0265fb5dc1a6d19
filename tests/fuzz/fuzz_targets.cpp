// libFuzzer targets for every reader of user files (bench/fuzz.sh runs them; CI briefly). One
// source, one target per DAIHAI_FUZZ_TARGET: the bytes are written as the file the reader expects,
// in a scratch lake folder (a copy of the closed bowl's), and read. A reader may accept the bytes or
// refuse them with core::InputError (naming file, line and key); anything else — another
// exception, a crash, a sanitizer report, a hang — is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.hpp"
#include "io/climate_inputs.hpp"
#include "io/lake_inputs.hpp"
#include "io/monitoring_file.hpp"
#include "io/observations_file.hpp"
#include "io/result_sink.hpp"
#include "io/scenario_file.hpp"

namespace fs = std::filesystem;
using namespace daihai;

namespace {

// A scratch folder per process: lake/ (the closed bowl's inputs), forcing.csv.
const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "daihai_fuzz_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    const fs::path d = tmpl;
    const fs::path bowl = fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "examples" / "closed_bowl";
    fs::copy(bowl / "lake", d / "lake", fs::copy_options::recursive);
    fs::copy_file(bowl / "forcing.csv", d / "forcing.csv");
    return d;
  }();
  return dir;
}

std::string write(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path.string();
}

// A lake folder whose file `name` holds the bytes.
std::string lake_with(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const fs::path lake = scratch() / "fuzzed_lake";
  fs::remove_all(lake);
  fs::copy(scratch() / "lake", lake, fs::copy_options::recursive);
  write(lake / name, data, size);
  return lake.string();
}

void read(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
#if DAIHAI_FUZZ_TARGET == 1  // scenario and batch files (TOML)
  const std::string path = write(scratch() / "fuzzed.toml", data, size);
  if (text.find("[batch]") != std::string::npos)
    io::load_batch_file(path);
  else
    io::load_scenario_file(path);
#elif DAIHAI_FUZZ_TARGET == 2  // a daily forcing file (climate source = "csv")
  io::read_forcing_csv(write(scratch() / "forcing_fuzzed.csv", data, size));
#elif DAIHAI_FUZZ_TARGET == 3  // a daily climate record of a station
  io::read_daily_record(write(scratch() / "daily.csv", data, size), 53463, 40.82, 1063.0);
#elif DAIHAI_FUZZ_TARGET == 4  // a lake's hypsometry
  io::load_lake_inputs(lake_with("hypsometry.csv", data, size));
#elif DAIHAI_FUZZ_TARGET == 5  // a lake's parameters (TOML)
  io::load_lake_inputs(lake_with("parameters.toml", data, size));
#elif DAIHAI_FUZZ_TARGET == 6  // observations
  io::parse_observations(text, "observations.csv");
#elif DAIHAI_FUZZ_TARGET == 7  // a monitoring file
  io::parse_monitoring(text, "monitoring.csv");
#elif DAIHAI_FUZZ_TARGET == 8  // a parameter ensemble
  static const scenario::LakeInputs inputs = io::load_lake_inputs((scratch() / "lake").string());
  io::read_parameter_ensemble(write(scratch() / "ensemble.csv", data, size), inputs);
#elif DAIHAI_FUZZ_TARGET == 9  // the partial results file of an interrupted batch, resumed
  const fs::path out = scratch() / "resumed.h5";
  write(scratch() / "resumed.h5.partial", data, size);
  // The provenance the file claims, so that the reader goes past the provenance check into the
  // checkpoint, the digest and the layout.
  io::BatchMetadata meta;
  try {
    const auto f = io::hdf5::File::open((scratch() / "resumed.h5.partial").string());
    meta.scenario_text = f.string_attribute("scenario_text");
    meta.engine_version = f.string_attribute("engine_version");
    meta.git_commit = f.string_attribute("git_commit");
  } catch (const std::exception&) {
    // not an HDF5 file, or one without them: the reader says so
  }
  io::ResultSink sink(out.string(), meta, {}, io::SinkMode::resume);
  sink.suspend();
#else
#error "DAIHAI_FUZZ_TARGET: 1..9"
#endif
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    read(data, size);
  } catch (const core::InputError&) {
    // refused with a message naming the file: the expected outcome for bad bytes
  }
  return 0;
}
