#!/usr/bin/env bash
# Robustness check (not a test): runs the climate plan batch (960 runs), kills it with SIGKILL at a
# random moment, resumes it with --resume, and counts the partial files that could not be resumed.
# Prints last: kills=... resumed=... damaged=... finished_before_kill=...
# Usage: bash bench/kill_resume.sh [iterations, default 16]   (after make run / make test)
set -uo pipefail
cd "$(dirname "$0")/.."
exe=build/release/daihai
[ -x "$exe" ] || { echo "build first (make run)" >&2; exit 2; }
n=${1:-16}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ok=0; damaged=0; finished=0
for i in $(seq 1 "$n"); do
  rm -f "$out/p.h5" "$out/p.h5.partial"
  "$exe" batch scenarios/daihai_plan_climate.toml -o "$out/p.h5" -q --threads 2 > /dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 1 + rand() * 11 }')"
  kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
  if [ ! -f "$out/p.h5.partial" ]; then finished=$((finished + 1)); continue; fi
  if "$exe" batch scenarios/daihai_plan_climate.toml -o "$out/p.h5" -q --threads 2 --resume > /dev/null 2> "$out/err.txt"; then
    ok=$((ok + 1))
  else
    damaged=$((damaged + 1)); head -c 300 "$out/err.txt"; echo
  fi
done
echo "kills=$((ok + damaged)) resumed=$ok damaged=$damaged finished_before_kill=$finished"
