#include "io/text_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sstream>

#include "core/errors.hpp"

namespace daihai::io {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError(path, 0, "", "cannot open the file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text_file(const std::string& path, const std::string& text) {
  // Written next to its place and renamed when complete: a failed write (a full disk) leaves no
  // half-written file, and the failure is the output's (std::runtime_error), not the input's.
  const std::string tmp = path + ".writing";
  if (const auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {  // made only when written
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error("cannot create '" + path + "'");
    out << text;
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw std::runtime_error("cannot write '" + path + "' (disk full?): no file written");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write '" + path + "': no file written");
  }
}

std::string csv_quote(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace daihai::io
