#!/usr/bin/env bash
# Benchmark: the standard batch (bench/standard_batch.toml: 32 combinations x 100 climate members, 1955-2050,
# 3,200 runs of 35,064 days) with 1 and 2 threads. Prints the timings and, last, one line:
#   run_days_per_s=... speedup_2t=... peak_rss_mb=... h5_mb=...
# (run-days per second and peak memory of the 2-thread run, including HDF5 output).
# Usage: bash bench/standard_batch.sh   (after `make run` or `make test` has built build/release/daihai)
set -euo pipefail
cd "$(dirname "$0")/.."
exe=build/release/daihai
[ -x "$exe" ] || { cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)" --target daihai; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=3200
days=$(( $(date -d 2050-12-31 +%s) / 86400 - $(date -d 1955-01-01 +%s) / 86400 + 1 ))
declare -A wall rss
for t in 1 2; do
  /usr/bin/time -f "%e %M" -o "$out/time_$t" "$exe" batch bench/standard_batch.toml -o "$out/bench_$t.h5" \
      --threads "$t" -q --csv "$out/bench_$t.csv" > /dev/null
  read -r wall[$t] rss[$t] < "$out/time_$t"
  echo "threads=$t wall_s=${wall[$t]} peak_rss_mb=$(( rss[$t] / 1024 ))"
done
h5diff -q "$out/bench_1.h5" "$out/bench_2.h5" /annual /annual && echo "1 and 2 threads: identical /annual"
h5_mb=$(awk -v b="$(stat -c %s "$out/bench_2.h5")" 'BEGIN { printf "%.1f", b / 1048576 }')
awk -v r="$runs" -v d="$days" -v w1="${wall[1]}" -v w2="${wall[2]}" -v m="${rss[2]}" -v h="$h5_mb" \
  'BEGIN { printf "run_days_per_s=%.3g speedup_2t=%.2f peak_rss_mb=%d h5_mb=%s\n", r * d / w2, w1 / w2, m / 1024, h }'
