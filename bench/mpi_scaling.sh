#!/usr/bin/env bash
# Benchmark: the standard batch (bench/standard_batch.toml, 3,200 runs of 35,064 days) as an MPI job
# of 1 and 2 ranks x 1 thread (strong scaling: the same batch), and half of it on 1 rank against the
# whole on 2 (weak scaling: runs per rank fixed), with the serial program on 1 and 2 threads for
# comparison, all in this one invocation (ratios, not absolute times, on a noisy machine). Checks
# that every file equals the serial one (h5diff) and prints last one line:
#   strong_speedup_2r=... strong_efficiency_2r=... weak_efficiency_2r=... ns_per_run_day_1r=... bytes_per_run=... write_s_2r=...
# Usage: bash bench/mpi_scaling.sh   (needs build/release/daihai and build/mpi/daihai: make build mpi)
set -euo pipefail
cd "$(dirname "$0")/.."
serial=build/release/daihai mpi=build/mpi/daihai
[ -x "$serial" ] && [ -x "$mpi" ] || { echo "build first: make build mpi" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mpirun=(mpirun --oversubscribe --bind-to none)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
days=$(( $(date -d 2050-12-31 +%s) / 86400 - $(date -d 1955-01-01 +%s) / 86400 + 1 ))
# The weak-scaling half: 50 climate members (1,600 runs), the batch's inputs found from bench/.
sed 's/^members = 100/members = 50/' bench/standard_batch.toml > bench/.half_batch.toml
trap 'rm -rf "$out" bench/.half_batch.toml' EXIT

declare -A wall writes
run() {  # name, then the command; records the wall time and the seconds rank 0 spent writing
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /dev/null 2> "$out/$name.err"
  t1=$(date +%s.%N)
  wall[$name]=$(awk -v a="$t1" -v b="$t0" "BEGIN { print a - b }")
  writes[$name]=$(sed -n 's/.*(\([0-9.]*\) s of the time writing it).*/\1/p' "$out/$name.err")
  printf '%-10s wall %6.2f s  writing %s s\n' "$name" "${wall[$name]}" "${writes[$name]:-?}"
}
run serial_1t "$serial" batch bench/standard_batch.toml -o "$out/serial.h5" --threads 1
run serial_2t "$serial" batch bench/standard_batch.toml -o "$out/serial_2t.h5" --threads 2
run mpi_1r "${mpirun[@]}" -np 1 "$mpi" batch bench/standard_batch.toml -o "$out/mpi_1r.h5" --threads 1
run mpi_2r "${mpirun[@]}" -np 2 "$mpi" batch bench/standard_batch.toml -o "$out/mpi_2r.h5" --threads 1
run half_1r "${mpirun[@]}" -np 1 "$mpi" batch bench/.half_batch.toml -o "$out/half_1r.h5" --threads 1
for f in mpi_1r mpi_2r; do
  for g in /runs /annual /series /balance; do
    h5diff -q "$out/serial.h5" "$out/$f.h5" $g $g || { echo "DIFFERENT: $f $g" >&2; exit 1; }
  done
done
echo "1 and 2 ranks: files equal the serial file (h5diff /runs /annual /series /balance)"
for f in serial_1t mpi_1r mpi_2r; do echo "$f: $(grep -o 'the histories took [0-9.]* s' "$out/$f.err" || true)"; done
bytes=$(stat -c %s "$out/mpi_2r.h5")
awk -v s1="${wall[mpi_1r]}" -v s2="${wall[mpi_2r]}" -v h="${wall[half_1r]}" -v d="$days" -v b="$bytes" -v w="${writes[mpi_2r]:-0}" \
    -v t1="${wall[serial_1t]}" -v t2="${wall[serial_2t]}" \
  'BEGIN { printf "strong_speedup_2r=%.2f strong_efficiency_2r=%.2f weak_efficiency_2r=%.2f ns_per_run_day_1r=%.0f bytes_per_run=%.0f write_s_2r=%s serial_speedup_2t=%.2f mpi_1r_over_serial_1t=%.2f\n",
           s1 / s2, s1 / s2 / 2, h / s2, s1 * 1e9 / (3200 * d), b / 3200, w, t1 / t2, s1 / t1 }'
