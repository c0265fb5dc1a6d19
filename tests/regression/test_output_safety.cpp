// Regressions found by trying the program as a new user: an output path never destroys an input
// or a device, a CSV with a UTF-8 byte-order mark is read, and an interrupted batch leaves no
// results file behind.
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/cli.hpp"

using namespace daihai::testing;
namespace fs = std::filesystem;

namespace {
const char* kScenario =
    "[scenario]\nname = \"s\"\nstart = 1955-01-01\nend = 1957-12-31\ninputs = \"inputs\"\n"
    "[measures.cooling_retrofit]\n[climate]\nseed = 1\n";
}

TEST_CASE("an output path that is the scenario file or an input file is refused and the file is kept", "[regression]") {
  ScratchDir d("output_safety", true);
  write_text(d.path / "s.toml", kScenario);
  const std::string before = read_text(d.path / "s.toml");
  Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "s.toml"));
  CHECK(o.status == 1);
  CHECK(o.err.find("overwrite the input file") != std::string::npos);
  CHECK(read_text(d.path / "s.toml") == before);
  const std::string hyps = read_text(d.path / "inputs" / "hypsometry.csv");
  o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "inputs" / "hypsometry.csv"));
  CHECK(o.status == 1);
  CHECK(read_text(d.path / "inputs" / "hypsometry.csv") == hyps);
  o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "inputs"));
  CHECK(o.status == 1);
  CHECK(o.err.find("not a regular file") != std::string::npos);
  o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o /dev/null");
  CHECK(o.status == 1);
  CHECK(fs::is_character_file("/dev/null"));
}

TEST_CASE("an output folder that does not exist is created and the user is told so", "[regression]") {
  // Fault class: a mistyped output folder used to be created without a word.
  ScratchDir d("output_new_folder", true);
  write_text(d.path / "s.toml", kScenario);
  Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "new" / "sub" / "out.h5"));
  INFO(o.err);
  CHECK(o.status == 0);
  CHECK(fs::exists(d.path / "new" / "sub" / "out.h5"));
  CHECK(o.err.find("new/sub does not exist: it will be created") != std::string::npos);
  // An existing folder: no note.
  o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "new" / "sub" / "again.h5"));
  CHECK(o.status == 0);
  CHECK(o.err.find("does not exist") == std::string::npos);
}

TEST_CASE("an output path ending with '/' or below a file is refused before the run, naming why", "[regression]") {
  // Found by a new-user trial: 'new/' ran the whole batch, then failed renaming its partial file
  // (exit 3) and left the folder; below a file the message named the wrong path.
  ScratchDir d("output_path_shape", true);
  write_text(d.path / "s.toml", kScenario);
  Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "new") + "/");
  INFO(o.err);
  CHECK(o.status == 1);
  CHECK(o.err.find("ends with '/'") != std::string::npos);
  CHECK_FALSE(fs::exists(d.path / "new"));
  write_text(d.path / "afile", "x");
  o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "afile" / "sub" / "r.h5"));
  CHECK(o.status == 1);
  CHECK(o.err.find("afile': it is a file, not a folder") != std::string::npos);
}

TEST_CASE("a CSV that starts with a UTF-8 byte-order mark is read", "[regression]") {
  ScratchDir d("bom", true);
  const fs::path h = d.path / "inputs" / "hypsometry.csv";
  write_text(h, "\xEF\xBB\xBF" + read_text(h));
  write_text(d.path / "s.toml", kScenario);
  const Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "out.h5"));
  INFO(o.err);
  CHECK(o.status == 0);
  CHECK(fs::exists(d.path / "out.h5"));
}

TEST_CASE("an interrupted batch exits 130 and leaves no results file but its partial file for --resume", "[regression]") {
  ScratchDir d("interrupt", true);
  write_text(d.path / "b.toml",
             "[batch]\nname = \"b\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 400\n"
             "[scenario]\nstart = 1955-01-01\nend = 2050-12-31\ninputs = \"inputs\"\nintegrator = \"rk4\"\n[climate]\nseed = 1\n");
  const Outcome o = shell(d.path, "timeout --preserve-status -s INT 2 " + quoted(DAIHAI_EXE) + " batch " + quoted(d.path / "b.toml") + " -o " +
                                      quoted(d.path / "out.h5") + " --threads 2");
  INFO(o.err);
  CHECK(o.status == 130);
  CHECK(!fs::exists(d.path / "out.h5"));
  CHECK(fs::exists(d.path / "out.h5.partial"));
  CHECK(o.err.find("--resume") != std::string::npos);
  // The partial file is no result.
  const Outcome v = run_daihai(d.path, "verify " + quoted(d.path / "out.h5.partial"));
  CHECK(v.status == 1);
}

TEST_CASE("validate, verify and calibrate refuse outputs onto their inputs or into the inputs folder", "[regression]") {
  ScratchDir d("output_safety_commands", true);
  write_text(d.path / "s.toml", kScenario);
  Outcome o = run_daihai(d.path, "run " + quoted(d.path / "s.toml") + " -o " + quoted(d.path / "out.h5") + " -q");
  REQUIRE(o.status == 0);
  const fs::path obs = fs::path(DAIHAI_SOURCE_DIR) / "tests" / "data" / "observations_daihai.csv";
  fs::copy_file(obs, d.path / "obs.csv");
  const std::string obs_text = read_text(d.path / "obs.csv");
  o = run_daihai(d.path, "validate " + quoted(d.path / "out.h5") + " --observations " + quoted(d.path / "obs.csv") + " --scenario s --csv " +
                             quoted(d.path / "obs.csv"));
  CHECK(o.status == 1);
  CHECK(read_text(d.path / "obs.csv") == obs_text);
  o = run_daihai(d.path, "verify " + quoted(d.path / "out.h5") + " --csv " + quoted(d.path / "s.toml"));
  CHECK(o.status == 1);
  CHECK(read_text(d.path / "s.toml") == kScenario);
  const std::string params = read_text(d.path / "inputs" / "parameters.toml");
  write_text(d.path / "cal.toml", std::string("[calibration]\nname = \"c\"\nobservations = \"obs.csv\"\nbudget = 4\nmembers = 1\nseed = 1\n"
                                              "[free]\nevaporation_multiplier = [0.6, 1.0]\n") + kScenario);
  o = run_daihai(d.path, "calibrate " + quoted(d.path / "cal.toml") + " -o " + quoted(d.path / "inputs"));
  CHECK(o.status == 1);
  CHECK(o.err.find("inputs folder") != std::string::npos);
  CHECK(read_text(d.path / "inputs" / "parameters.toml") == params);
}

TEST_CASE("a CSV header naming a column twice is bad input", "[regression]") {
  ScratchDir d("duplicate_column", true);
  write_text(d.path / "inputs" / "parameter_ensemble.csv", "member,evaporation_multiplier,evaporation_multiplier\n0,0.7,0.9\n");
  write_text(d.path / "b.toml", "[batch]\nname = \"b\"\nmeasures = []\ncombinations = \"all\"\nmembers = 1\nparameter_members = \"all\"\n"
                                "[scenario]\nstart = 1955-01-01\nend = 1956-12-31\ninputs = \"inputs\"\n[climate]\nseed = 1\n");
  const Outcome o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "out.h5"));
  CHECK(o.status == 1);
  CHECK(o.err.find("parameter_ensemble.csv:1") != std::string::npos);
  CHECK(o.err.find("appears twice") != std::string::npos);
}

TEST_CASE("a results file that cannot be written (a full disk) ends with exit 3 and no file, never a crash", "[regression]") {
  // A file-size limit makes writes fail as on a full disk (SIGXFSZ ignored, so write() returns an
  // error). A failed flush left the file open in the HDF5 library, whose clean-up at exit then
  // crashed the program (exit 139) after it had reported the error.
  ScratchDir d("full_disk", true);
  write_text(d.path / "b.toml",
             "[batch]\nname = \"b\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 4\n"
             "[scenario]\nstart = 1955-01-01\nend = 2000-12-31\ninputs = \"inputs\"\nseries = \"daily\"\nintegrator = \"rk4\"\n[climate]\nseed = 1\n");
  const Outcome o = shell(d.path, "bash -c \"trap '' XFSZ; ulimit -f 600; exec " + quoted(DAIHAI_EXE) + " batch " +
                                      quoted(d.path / "b.toml") + " -o " + quoted(d.path / "out.h5") + " -q\"");
  INFO(o.err);
  REQUIRE(o.exited);
  CHECK(o.status == 3);
  CHECK(o.err.find("daihai: error:") != std::string::npos);
  CHECK_FALSE(fs::exists(d.path / "out.h5"));
}

TEST_CASE("two outputs of one command that are the same file and a .partial output name are refused", "[regression]") {
  ScratchDir d("same_outputs", true);
  write_text(d.path / "b.toml",
             "[batch]\nname = \"b\"\nmeasures = [\"cooling_retrofit\"]\ncombinations = \"all\"\nmembers = 1\n"
             "[scenario]\nstart = 2014-01-01\nend = 2050-12-31\ninputs = \"inputs\"\nintegrator = \"rk4\"\n[climate]\nseed = 1\n");  // the targets' years
  const std::string targets = quoted(fs::path(DAIHAI_SOURCE_DIR) / "scenarios" / "targets.toml");
  // --csv naming the results file (also through another spelling of the path) would have replaced it.
  Outcome o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "r.h5") + " --csv " +
                                     quoted(d.path / "sub" / ".." / "r.h5") + " --targets " + targets);
  CHECK(o.status == 1);
  CHECK(o.err.find("same file") != std::string::npos);
  CHECK_FALSE(fs::exists(d.path / "r.h5"));
  o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "r.h5.partial"));
  CHECK(o.status == 1);
  CHECK(o.err.find(".partial") != std::string::npos);
  CHECK_FALSE(fs::exists(d.path / "r.h5.partial"));
  // The same command with distinct outputs works.
  o = run_daihai(d.path, "batch " + quoted(d.path / "b.toml") + " -o " + quoted(d.path / "r.h5") + " --csv " +
                             quoted(d.path / "t.csv") + " --targets " + targets + " -q");
  INFO(o.err);
  CHECK(o.status == 0);
  CHECK(fs::exists(d.path / "r.h5"));
  CHECK(fs::exists(d.path / "t.csv"));
}
