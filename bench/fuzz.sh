#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets ('fuzz' preset: clang, AddressSanitizer + UBSan) and runs each
# for MINUTES minutes (default 10), two at a time on a 2-core machine (one worker each), starting from
# its seed corpus tests/fuzz/corpus/<target>. New inputs are kept in build/fuzz/corpus/<target>;
# a finding (crash, sanitizer report, uncaught exception other than core::InputError, timeout above
# 10 s, memory above 2 GB) is written to build/fuzz/findings/<target>/ (crash-*, leak-*, timeout-*,
# oom-*) and listed at the end: make it a regression test, fix it. Inputs slower than 5 s are kept
# there too (slow-unit-*) and listed apart: run them again alone (a loaded machine also makes them).
# Prints per target the executions, the coverage reached and the findings.
#   bash bench/fuzz.sh [MINUTES] [TARGET...]     e.g. bash bench/fuzz.sh 1 toml monitoring
# FUZZ_SECONDS=S runs each target S seconds instead (the CI's short pass).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
[ $# -gt 0 ] && shift
seconds=${FUZZ_SECONDS:-$((minutes * 60))}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(toml forcing_csv climate_record hypsometry parameters observations monitoring parameter_ensemble resume)
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j "$(nproc)" > /dev/null
parallel=${FUZZ_PARALLEL:-$(nproc)}
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp"
run_one() {
  local t=$1
  mkdir -p "build/fuzz/corpus/$t" "build/fuzz/findings/$t"
  # -rss_limit_mb: a reader that allocates without bound is a finding; -timeout: so is a hang.
  "build/fuzz/fuzz_$t" "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -report_slow_units=5 -artifact_prefix="build/fuzz/findings/$t/" -print_final_stats=1 > "build/fuzz/$t.log" 2>&1 || true
  local execs cov
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build/fuzz/$t.log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "build/fuzz/$t.log" | tail -1 | grep -o '[0-9]*' || echo '?')
  printf '%-20s %5s s  %10s executions  coverage %6s  findings %s  slow units %s\n' "$t" "$seconds" "$execs" "$cov" \
    "$(find "build/fuzz/findings/$t" -type f ! -name 'slow-unit-*' | wc -l)" "$(find "build/fuzz/findings/$t" -type f -name 'slow-unit-*' | wc -l)"
}
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
done
wait
found=$(find build/fuzz/findings -type f ! -name 'slow-unit-*' | wc -l)
echo "findings: $found (build/fuzz/findings/)"
[ "$found" = 0 ]
