#include "io/merge.hpp"

#include <hdf5.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/errors.hpp"
#include "io/result_sink.hpp"

namespace daihai::io {

std::string Shard::text() const { return fmt::format("{}/{}", index, count); }

Shard parse_shard(const std::string& text, const std::string& where, const std::string& key) {
  const auto slash = text.find('/');
  Shard s;
  const auto number = [&](std::string_view part, std::size_t& out) {
    const auto r = std::from_chars(part.data(), part.data() + part.size(), out);
    return !part.empty() && r.ec == std::errc() && r.ptr == part.data() + part.size();
  };
  const std::string_view v(text);
  if (slash == std::string::npos || !number(v.substr(0, slash), s.index) || !number(v.substr(slash + 1), s.count) || s.index < 1 ||
      s.index > s.count)
    throw core::InputError(where, 0, key, fmt::format("expected I/N with whole numbers 1 <= I <= N (e.g. 2/8), found '{}'", text));
  return s;
}

ShardSlice shard_slice(const Shard& s, std::size_t runs) {
  return {(s.index - 1) * runs / s.count, s.index * runs / s.count};
}

namespace {

const char* const kSame[] = {"scenario_text", "input_checksums", "engine_version", "git_commit"};
const char* const kSameWhat[] = {"the batch file's text", "the input files' checksums", "the engine version", "the engine's git commit"};

// The datasets with a leading run dimension: every dataset of /runs, /initial, /final, /annual,
// /balance and /series/<resolution> but the axes.
std::vector<std::string> run_datasets(const hdf5::File& f) {
  static const std::set<std::string> axes = {"year", "time", "time_bnds", "nv"};
  std::vector<std::string> out;
  std::vector<std::string> groups = {"runs", "initial", "final", "annual", "balance"};
  if (f.exists("series"))
    for (const auto& r : f.open_group("series").children()) groups.push_back("series/" + r);
  for (const auto& g : groups) {
    if (!f.exists(g)) continue;
    for (const auto& name : f.open_group(g).children())
      if (!axes.count(name)) out.push_back(g + "/" + name);
  }
  return out;
}

}  // namespace

ShardPart read_shard_part(const std::string& path) {
  hdf5::prepare_library();
  if (!std::filesystem::exists(path)) throw core::InputError(path, 0, "", "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw core::InputError(path, 0, "", "not an HDF5 file, so not a shard of a daihai batch");
  }
  const auto f = hdf5::File::open(path);
  if (f.has_attribute("daihai_partial"))
    throw core::InputError(path, 0, "daihai_partial", "an unfinished shard: finish it first (the same command with --resume)");
  if (!f.has_attribute("daihai_layout")) throw core::InputError(path, 0, "daihai_layout", "not a daihai results file");
  if (!f.has_attribute("shard")) throw core::InputError(path, 0, "shard", "a whole batch's results, not a shard (written without --shard)");
  ShardPart p;
  p.path = path;
  p.shard = parse_shard(f.string_attribute("shard"), path, "shard");
  p.first_run = static_cast<std::size_t>(f.int_attribute("shard_first_run"));
  p.runs = static_cast<std::size_t>(f.int_attribute("runs"));
  p.batch_runs = static_cast<std::size_t>(f.int_attribute("batch_runs"));
  return p;
}

std::vector<ShardPart> check_parts(const std::vector<std::string>& paths) {
  if (paths.empty()) throw core::InputError("command line", 0, "parts", "no shard files given");
  std::vector<ShardPart> parts;
  std::map<std::string, std::string> reference;  // attribute -> value in the first file
  for (const auto& path : paths) {
    parts.push_back(read_shard_part(path));
    const auto f = hdf5::File::open(path);
    for (std::size_t i = 0; i < std::size(kSame); ++i) {
      const std::string v = f.string_attribute(kSame[i]);
      if (reference.size() < std::size(kSame)) {
        reference.emplace(kSame[i], v);
        continue;
      }
      if (reference.at(kSame[i]) != v)
        throw core::InputError(path, 0, kSame[i], fmt::format("{} differs from that of {}: the parts come from different batches", kSameWhat[i],
                                                              paths.front()));
    }
    const auto& first = parts.front();
    const auto& p = parts.back();
    if (p.shard.count != first.shard.count || p.batch_runs != first.batch_runs)
      throw core::InputError(path, 0, "shard", fmt::format("shard {} of a batch of {} runs; {} is shard {} of {} runs", p.shard.text(), p.batch_runs,
                                                           first.path, first.shard.text(), first.batch_runs));
    const ShardSlice slice = shard_slice(p.shard, p.batch_runs);
    if (p.first_run != slice.first || p.runs != slice.last - slice.first)
      throw core::InputError(path, 0, "runs", fmt::format("shard {} should hold runs {}..{}, the file holds {} run(s) from {}", p.shard.text(),
                                                          slice.first, slice.last - 1, p.runs, p.first_run));
  }
  std::map<std::size_t, std::vector<std::string>> by_index;
  for (const auto& p : parts) by_index[p.shard.index].push_back(p.path);
  std::vector<std::string> doubled, missing;
  for (const auto& [i, files] : by_index)
    if (files.size() > 1) doubled.push_back(fmt::format("shard {}/{} in {}", i, parts.front().shard.count, fmt::join(files, " and ")));
  for (std::size_t i = 1; i <= parts.front().shard.count; ++i)
    if (!by_index.count(i)) missing.push_back(std::to_string(i));
  if (!doubled.empty())
    throw core::InputError("command line", 0, "parts", fmt::format("a shard given twice: {}", fmt::join(doubled, "; ")));
  if (!missing.empty())
    throw core::InputError("command line", 0, "parts",
                           fmt::format("shard(s) {} of {} missing (the batch's runs must all be present)", fmt::join(missing, ", "),
                                       parts.front().shard.count));
  std::sort(parts.begin(), parts.end(), [](const ShardPart& a, const ShardPart& b) { return a.shard.index < b.shard.index; });
  return parts;
}

hdf5::File merge_parts(const std::vector<ShardPart>& parts, const std::string& path) {
  std::filesystem::copy_file(parts.front().path, path, std::filesystem::copy_options::overwrite_existing);
  auto out = hdf5::File::open(path, true);
  const std::size_t total = parts.front().batch_runs;
  const auto names = run_datasets(out);
  for (const auto& name : names) {
    auto d = out.open_dataset(name);
    auto dims = d.dims();
    dims[0] = total;
    d.extend(dims);
  }
  for (std::size_t k = 1; k < parts.size(); ++k) {
    const ShardPart& p = parts[k];
    const auto in = hdf5::File::open(p.path);
    if (run_datasets(in) != names)
      throw core::InputError(p.path, 0, "", fmt::format("its datasets differ from those of {}", parts.front().path));
    for (const auto& name : names) {
      const auto from = in.open_dataset(name);
      auto to = out.open_dataset(name);
      const auto type = from.type();
      if (type.type_class() == hdf5::TypeClass::string) {
        to.write_slab(from.read_strings(), p.first_run);
        continue;
      }
      auto dims = from.dims();
      if (dims.empty() || dims[0] != p.runs) throw core::InputError(p.path, 0, name, fmt::format("expected {} rows", p.runs));
      const hsize_t cols = dims.size() > 1 ? dims[1] : 1;
      const bool is_float = type.type_class() == hdf5::TypeClass::floating;
      const hid_t mem = is_float ? (type.size() == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE) : (type.size() == 1 ? H5T_NATIVE_INT8 : H5T_NATIVE_INT64);
      const std::size_t elem = is_float ? type.size() : (type.size() == 1 ? 1 : 8);
      // A few hundred rows at a time: a daily series of a large shard does not fit in memory at once.
      const std::size_t block = std::max<std::size_t>(1, (std::size_t{64} << 20) / (cols * elem));
      std::vector<unsigned char> buf;
      std::vector<hdf5::Size> rows;
      for (std::size_t j0 = 0; j0 < p.runs; j0 += block) {
        const std::size_t n = std::min(block, p.runs - j0);
        buf.resize(n * cols * elem);
        if (dims.size() > 1)
          from.read_slab(buf.data(), mem, {j0, 0}, {n, cols});
        else
          from.read_slab(buf.data(), mem, {j0}, {n});
        rows.resize(n);
        for (std::size_t j = 0; j < n; ++j) rows[j] = p.first_run + j0 + j;
        to.write_rows(buf.data(), mem, rows, cols, false);
      }
    }
  }
  for (const char* a : {"shard", "shard_first_run", "batch_runs"}) out.delete_attribute(a);
  out.set_attribute("runs", static_cast<std::int64_t>(total));
  return out;
}

}  // namespace daihai::io
