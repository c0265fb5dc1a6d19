#pragma once
/// @file merge.hpp
/// Shards of a batch (`daihai batch B.toml --shard I/N -o part_I.h5`, e.g. the tasks of a Slurm
/// job array) and their merging into the one results file the whole batch would have written
/// (`daihai merge part_*.h5 -o OUT.h5`).
#include <cstddef>
#include <string>
#include <vector>

#include "io/hdf5.hpp"

namespace daihai::io {

/// Shard `index` (1-based) of `count`.
struct Shard {
  std::size_t index = 0;
  std::size_t count = 0;
  std::string text() const;  ///< "I/N"
};

/// Parses "I/N" (integers, 1 <= I <= N). Throws core::InputError naming `where` and `key` (e.g.
/// "command line", "--shard") when the text is not of that form.
Shard parse_shard(const std::string& text, const std::string& where, const std::string& key);

/// The runs of shard `s` of a batch of `runs` runs: consecutive batch indices first .. last−1 with
/// first = ⌊(I−1)·runs/N⌋ and last = ⌊I·runs/N⌋, so shards differ by at most one run.
struct ShardSlice {
  std::size_t first = 0, last = 0;
};
ShardSlice shard_slice(const Shard& s, std::size_t runs);

/// One part of a sharded batch, as its file says.
struct ShardPart {
  std::string path;
  Shard shard;
  std::size_t first_run = 0;   ///< root attribute `shard_first_run`
  std::size_t runs = 0;        ///< rows in the file (root attribute `runs`)
  std::size_t batch_runs = 0;  ///< root attribute `batch_runs`
};

/// Reads the shard attributes of a finished results file written with --shard. Throws
/// core::InputError naming the file when it is not one (not HDF5, unfinished, not a shard).
ShardPart read_shard_part(const std::string& path);

/// Checks that `paths` are the parts of one sharded batch: each a finished shard file; the same
/// batch text, input checksums, engine version, git commit and run count in all; every shard
/// 1..N present exactly once and holding its slice's runs. Returns the parts in shard order.
/// Throws core::InputError naming the missing shards, or the files of a doubled shard, or the
/// file that differs and in what.
std::vector<ShardPart> check_parts(const std::vector<std::string>& paths);

/// Writes the parts' rows, in batch order, into the new file `path` (replaced when it exists): a
/// copy of shard 1 whose [run, ...] datasets are extended to the batch's runs, the other shards'
/// rows written at their batch index, and the root attributes of a whole batch (`runs`; no
/// `shard`, `shard_first_run`, `batch_runs`). Returns the file open for writing, so that the
/// caller can add `/verification` before giving it its final name. Throws hdf5::Hdf5Error or
/// core::InputError (a part whose datasets differ from shard 1's).
hdf5::File merge_parts(const std::vector<ShardPart>& parts, const std::string& path);

}  // namespace daihai::io
