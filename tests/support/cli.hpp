#pragma once
// Helpers for tests that drive the daihai program itself: scratch directories under the build
// tree, text files, and running a command with its output captured.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace daihai::testing {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

/// A fresh directory under the build tree (optionally holding a copy of inputs/daihai as
/// `inputs/`), removed with everything in it on destruction.
struct ScratchDir {
  fs::path path;
  explicit ScratchDir(const std::string& tag, bool copy_inputs = false) {
    static std::atomic<int> counter{0};
    path = fs::path(DAIHAI_BINARY_DIR) / "test_scratch" /
           (tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
    if (copy_inputs) fs::copy(fs::path(DAIHAI_SOURCE_DIR) / "inputs" / "daihai", path / "inputs", fs::copy_options::recursive);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

/// `p` in single quotes for a shell command line.
inline std::string quoted(const fs::path& p) {
  std::string s = "'";
  s += p.string();
  s += "'";
  return s;
}

/// How a command ended and what it printed.
struct Outcome {
  bool exited = false;  ///< terminated normally (not by a signal)
  int status = -1;      ///< exit status when exited
  std::string err;      ///< stderr
  std::string out;      ///< stdout
};

/// Runs the shell command line `cmd` with stdout and stderr captured in files of `dir`.
inline Outcome shell(const fs::path& dir, const std::string& cmd) {
  const fs::path err = dir / "stderr.txt", out = dir / "stdout.txt";
  const int rc = std::system((cmd + " >" + quoted(out) + " 2>" + quoted(err)).c_str());
  Outcome o;
  o.exited = rc != -1 && WIFEXITED(rc);
  o.status = o.exited ? WEXITSTATUS(rc) : -1;
  o.err = read_text(err);
  o.out = read_text(out);
  fs::remove(err);
  fs::remove(out);
  return o;
}

/// Runs `daihai ARGS` (the program built with the tests) in `dir`.
inline Outcome run_daihai(const fs::path& dir, const std::string& args) {
  return shell(dir, quoted(DAIHAI_EXE) + " " + args);
}

}  // namespace daihai::testing
