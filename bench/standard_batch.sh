#!/usr/bin/env bash
# Benchmark: the standard batch (bench/standard_batch.toml: 32 combinations x 100 climate members, 1955-2050,
# 3,200 runs of 35,064 days) with 1 and 2 threads, in blocks of BLOCK_WIDTH runs (default: the engine's, 32).
# Prints the timings and, last, one line:
#   run_days_per_s=... ns_per_run_day_1t=... speedup_2t=... peak_rss_mb=... h5_mb=... block_width=...
# (run-days per second and peak memory of the 2-thread run, including HDF5 output; ns per run-day of the 1-thread
# run; the speedup as the ratio of the two wall times of this one invocation).
# Usage: bash bench/standard_batch.sh [EXE]   (EXE defaults to build/release/daihai, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/release/daihai}
[ -x "$exe" ] || { cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)" --target daihai; }
width=${BLOCK_WIDTH:-32}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=3200
days=$(( $(date -d 2050-12-31 +%s) / 86400 - $(date -d 1955-01-01 +%s) / 86400 + 1 ))
declare -A wall rss
block=()
if "$exe" batch --help 2>&1 | grep -q -- --block-width; then block=(--block-width "$width"); else width=1; fi
for t in 1 2; do
  /usr/bin/time -f "%e %M" -o "$out/time_$t" "$exe" batch bench/standard_batch.toml -o "$out/bench_$t.h5" \
      --threads "$t" -q "${block[@]}" --csv "$out/bench_$t.csv" > /dev/null
  read -r wall[$t] rss[$t] < "$out/time_$t"
  echo "threads=$t wall_s=${wall[$t]} peak_rss_mb=$(( rss[$t] / 1024 ))"
done
h5diff -q "$out/bench_1.h5" "$out/bench_2.h5" /annual /annual && echo "1 and 2 threads: identical /annual"
h5_mb=$(awk -v b="$(stat -c %s "$out/bench_2.h5")" 'BEGIN { printf "%.1f", b / 1048576 }')
awk -v r="$runs" -v d="$days" -v w1="${wall[1]}" -v w2="${wall[2]}" -v m="${rss[2]}" -v h="$h5_mb" -v b="$width" \
  'BEGIN { printf "run_days_per_s=%.3g ns_per_run_day_1t=%.0f speedup_2t=%.2f peak_rss_mb=%d h5_mb=%s block_width=%s\n",
           r * d / w2, w1 * 1e9 / (r * d), w1 / w2, m / 1024, h, b }'
