#include "core/errors.hpp"

#include <fmt/format.h>

namespace daihai::core {

namespace {
std::string compose(const std::string& file, int line, const std::string& key, const std::string& message) {
  std::string where = file.empty() ? std::string("<input>") : file;
  if (line > 0) where += fmt::format(":{}", line);
  if (!key.empty()) return fmt::format("{}: key '{}': {}", where, key, message);
  return fmt::format("{}: {}", where, message);
}
}  // namespace

InputError::InputError(std::string file, int line, std::string key, const std::string& message)
    : std::runtime_error(compose(file, line, key, message)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      message_(message) {}

}  // namespace daihai::core
