#pragma once
/// @file text_table.hpp
/// Fixed-width text tables for the terminal (verification, validation, attribution share one).
#include <cstddef>
#include <string>
#include <vector>

namespace daihai::analysis {

/// `cells` (rows of strings, the first the header) as fixed-width text: each column padded to
/// its widest cell, the columns in `left` left-aligned and the others right-aligned, two spaces
/// between columns, no trailing spaces, a rule of '-' under the header row. Rows may have fewer
/// cells than the widest. Empty `cells`: "".
std::string fixed_width_table(const std::vector<std::vector<std::string>>& cells, const std::vector<std::size_t>& left = {0});

}  // namespace daihai::analysis
