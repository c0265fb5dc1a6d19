#!/usr/bin/env bash
# Compares this engine with an earlier commit of it, in one invocation on one machine: builds the commit's daihai
# in a temporary worktree, runs the default plan batch with both and prints the largest difference of the annual
# area, level and TDS (absolute and relative), then runs bench/standard_batch.sh with each executable.
# Usage: bash bench/compare_engines.sh COMMIT   (after `make run` or `make test` has built build/release/daihai)
set -euo pipefail
cd "$(dirname "$0")/.."
commit=${1:?usage: bench/compare_engines.sh COMMIT}
new=build/release/daihai
[ -x "$new" ] || { cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)" --target daihai; }
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" "$commit" >/dev/null
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" -j "$(nproc)" --target daihai >/dev/null
old="$work/build/daihai"
# The difference is only meaningful when the commit has the same inputs and plan file (a change of the engine
# alone); otherwise each engine runs its own commit's files and the difference is skipped.
if git diff --quiet "$commit" HEAD -- inputs scenarios/daihai_plan.toml scenarios/targets.toml; then
  "$old" batch scenarios/daihai_plan.toml -o "$work/old.h5" --threads 2 -q >/dev/null
  "$new" batch scenarios/daihai_plan.toml -o "$work/new.h5" --threads 2 -q >/dev/null
  /usr/bin/python3 - "$work/old.h5" "$work/new.h5" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for v in ("area_m2", "level_m", "tds_g_per_L"):
    x, y = a["annual/" + v][...], b["annual/" + v][...]
    d = np.abs(x - y)
    print(f"{v}: largest difference {d.max():.3g} (relative {np.max(d / np.abs(x)):.3g}), identical: {np.array_equal(x, y)}")
PY
else
  echo "inputs or the plan file changed since $commit: no difference of results (the benchmark below still compares speed)"
fi
echo "--- $commit (its own bench/standard_batch.toml and inputs)"; (cd "$work/src" && bash bench/standard_batch.sh "$old")
echo "--- this engine"; bash bench/standard_batch.sh "$new"
