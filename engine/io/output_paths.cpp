#include "io/output_paths.hpp"

#include <cerrno>

#include <fcntl.h>

#include <sys/file.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace daihai::io {

namespace fs = std::filesystem;

namespace {

// The lake inputs folder `p` is in (or is), or "" when none.
std::string inputs_folder_of(const fs::path& p) {
  std::error_code ec;
  for (fs::path d = fs::weakly_canonical(p, ec); !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / "parameters.toml", ec) && fs::exists(d / "hypsometry.csv", ec)) return d.string();
    if (d == d.parent_path()) break;
  }
  return {};
}

// The folder `dir` exists and is writable, or the nearest folder above it that exists is writable
// (the missing ones are made when the output is written): nothing is created by the check.
void check_writable(const fs::path& dir, const std::string& what) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  while (!p.empty() && !fs::exists(p, ec) && p.has_parent_path() && p.parent_path() != p) p = p.parent_path();
  if (!fs::is_directory(p, ec))  // the nearest existing ancestor is a file: no folder can be made below it
    throw core::InputError(what, 0, "", fmt::format("cannot write into '{}': it is a file, not a folder", p.string()));
  if (access(p.c_str(), W_OK) != 0)
    throw core::InputError(what, 0, "", fmt::format("cannot write into the folder '{}'", p.string()));
}

}  // namespace

void check_output_file(const std::string& path, const std::vector<std::string>& allowed_extensions,
                       const std::vector<std::string>& reads) {
  std::error_code ec;
  const fs::path p(path);
  if (fs::exists(p, ec) && !fs::is_regular_file(p, ec))
    throw core::InputError(path, 0, "", "the output path exists and is not a regular file (a folder or a device); give a file name");
  if (!p.has_filename())  // "dir/": a folder's name, not a file's
    throw core::InputError(path, 0, "", "the output path ends with '/': give a file name (e.g. 'results.h5'), not a folder");
  const std::string inputs = inputs_folder_of(p.has_parent_path() ? p.parent_path() : fs::path("."));
  if (!inputs.empty())
    throw core::InputError(path, 0, "", fmt::format("refusing to write into the lake inputs folder '{}'", inputs));
  if (p.extension() == ".partial")
    throw core::InputError(path, 0, "", "'.partial' names the file of an unfinished batch; give the results file's own name");
  for (const auto& r : reads)
    if (!r.empty() && fs::exists(p, ec) && fs::equivalent(p, r, ec))
      throw core::InputError(path, 0, "", fmt::format("the output would overwrite the input file '{}'", r));
  if (fs::exists(p, ec)) {
    const std::string ext = p.extension().string();
    if (std::find(allowed_extensions.begin(), allowed_extensions.end(), ext) == allowed_extensions.end()) {
      std::string allowed;
      for (const auto& a : allowed_extensions) allowed += (allowed.empty() ? "" : " or ") + a;
      throw core::InputError(path, 0, "", fmt::format("refusing to overwrite an existing file that is not a {} output", allowed));
    }
  }
  check_writable(p.has_parent_path() ? p.parent_path() : fs::path("."), path);
}

void check_distinct_outputs(const std::vector<std::string>& paths) {
  std::vector<std::pair<fs::path, std::string>> seen;
  for (const auto& path : paths) {
    if (path.empty()) continue;
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::absolute(path), ec);
    if (ec) key = fs::absolute(path).lexically_normal();
    for (const auto& [other, name] : seen)
      if (other == key) throw core::InputError(path, 0, "", fmt::format("the same file as the output '{}'; give each output its own file", name));
    seen.emplace_back(key, path);
  }
}

void check_output_folder(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  if (fs::exists(p, ec) && !fs::is_directory(p, ec))
    throw core::InputError(path, 0, "", "the output path exists and is not a folder");
  const std::string inputs = inputs_folder_of(p);
  if (!inputs.empty())
    throw core::InputError(path, 0, "", fmt::format("refusing to write into the lake inputs folder '{}'", inputs));
  check_writable(p, path);
}

void check_not_locked(const std::string& path, const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // missing or unreadable: the caller's next step says so
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases the probe's lock when it got one
  if (locked)
    throw core::InputError(path, 0, "",
                           fmt::format("another program has this file open and locked — a batch still writing it, not a damaged or an "
                                       "interrupted one: wait for it to finish or stop it, then {}; nothing was changed",
                                       what));
}

}  // namespace daihai::io
