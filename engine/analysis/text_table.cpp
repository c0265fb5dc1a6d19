#include "analysis/text_table.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace daihai::analysis {

std::string fixed_width_table(const std::vector<std::vector<std::string>>& cells, const std::vector<std::size_t>& left) {
  std::vector<std::size_t> width;
  for (const auto& r : cells) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    std::string line;
    for (std::size_t i = 0; i < cells[k].size(); ++i) {
      if (i > 0) line += "  ";
      const bool l = std::find(left.begin(), left.end(), i) != left.end();
      line += l ? fmt::format("{:<{}}", cells[k][i], width[i]) : fmt::format("{:>{}}", cells[k][i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (k == 0) out += std::string(line.size(), '-') + "\n";
  }
  return out;
}

}  // namespace daihai::analysis
