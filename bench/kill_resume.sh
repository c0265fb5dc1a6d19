#!/usr/bin/env bash
# Crash safety (a check, not a test): runs a batch uninterrupted once for reference, then N times
# (default 20) kills the batch process itself (the daihai program, SIGKILL: no clean-up, as a power
# loss or the out-of-memory killer would) and resumes it with --resume. Half of the kills land at a
# random moment of the run, the other half during a checkpoint: the script watches the partial
# file and kills the program the moment it grows (the checkpoint is being written), after a random
# 0-20 ms. Every outcome is tallied:
#   identical         the resumed file holds the same results as the uninterrupted one
#                     (bench/same_results.py: every dataset and attribute but the writing's own)
#   refused_kept      the resume refused the partial file as damaged and left it as it was
#   no_partial        killed before the partial file existed (nothing to resume; a new run)
#   finished          the batch had finished before the kill (its file compared as above)
#   DIFFERENT / LOST  a resumed file that differs, or a refused partial file that was changed:
#                     failures (exit 1)
# Usage: bash bench/kill_resume.sh [N] [BATCH.toml]   (after make run; default the 960-run climate batch)
set -uo pipefail
cd "$(dirname "$0")/.."
exe=build/release/daihai
py=/usr/bin/python3
[ -x "$exe" ] || { echo "build first (make run)" >&2; exit 2; }
n=${1:-20}
batch=${2:-scenarios/daihai_plan_climate.toml}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { local file=$1; shift; "$exe" batch "$batch" -o "$file" -q --threads 2 "$@"; }
# In the background, `exec` makes the forked shell the daihai program itself: $! is its process.
run_exec() { exec "$exe" batch "$batch" -o "$1" -q --threads 2; }

start=$(date +%s.%N)
run "$out/ref.h5" > /dev/null 2>&1 || { echo "the uninterrupted batch failed" >&2; exit 2; }
seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "uninterrupted: ${seconds} s ($batch)"

identical=0; refused_kept=0; no_partial=0; finished=0; different=0; lost=0
size_of() { stat -c %s "$1" 2> /dev/null || echo 0; }
for i in $(seq 1 "$n"); do
  rm -f "$out/p.h5" "$out/p.h5.partial"
  run_exec "$out/p.h5" > /dev/null 2>&1 &
  pid=$!
  sleep 0.05
  comm=$(cat "/proc/$pid/comm" 2> /dev/null || echo gone)
  [ "$comm" = daihai ] || [ "$comm" = gone ] || { echo "process $pid is '$comm', not daihai" >&2; exit 2; }
  if [ $((i % 2)) = 1 ]; then
    moment="random"
    sleep "$(awk -v s="$RANDOM" -v t="$seconds" 'BEGIN { srand(s); printf "%.2f", 0.1 + rand() * t }')"
  else
    # During a checkpoint: the k-th growth of the partial file (k = 1..4), then 0-20 ms.
    k=$((RANDOM % 4 + 1)); seen=0; last=$(size_of "$out/p.h5.partial")
    while kill -0 "$pid" 2> /dev/null && [ "$seen" -lt "$k" ]; do
      now=$(size_of "$out/p.h5.partial")
      [ "$now" != "$last" ] && { seen=$((seen + 1)); last=$now; }
      sleep 0.002
    done
    sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", rand() * 0.02 }')"
    moment="checkpoint $k"
  fi
  kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
  if [ ! -f "$out/p.h5.partial" ]; then
    if [ -f "$out/p.h5" ]; then
      finished=$((finished + 1))
      $py bench/same_results.py "$out/ref.h5" "$out/p.h5" > /dev/null || { different=$((different + 1)); echo "kill $i ($moment): finished file differs"; }
    else
      no_partial=$((no_partial + 1))
    fi
    continue
  fi
  cp "$out/p.h5.partial" "$out/before.partial"
  if run "$out/p.h5" --resume > /dev/null 2> "$out/err.txt"; then
    if verdict=$($py bench/same_results.py "$out/ref.h5" "$out/p.h5"); then
      identical=$((identical + 1))
    else
      different=$((different + 1)); echo "kill $i ($moment): resumed file differs: $verdict"
    fi
  elif grep -q "damaged" "$out/err.txt" && cmp -s "$out/before.partial" "$out/p.h5.partial"; then
    refused_kept=$((refused_kept + 1)); echo "kill $i ($moment): refused: $(head -c 200 "$out/err.txt")"
  else
    lost=$((lost + 1)); echo "kill $i ($moment): resume failed and the partial file changed: $(head -c 300 "$out/err.txt")"
  fi
done
echo "kills=$n identical=$identical refused_kept=$refused_kept no_partial=$no_partial finished=$finished DIFFERENT=$different LOST=$lost"
[ "$different" = 0 ] && [ "$lost" = 0 ]
