#!/bin/bash
# Starts a single-node Slurm cluster on this machine (Debian's slurm-wlm and munge: munged,
# slurmctld and slurmd on localhost, everything under a scratch folder), submits
# bench/slurm/daihai_mpi.sbatch (2 ranks) and the job array of bench/slurm/submit_array.sh
# (2 shards and the merge) on a small batch, waits for them, and compares both results files with
# the batch run in one process (h5diff, group by group). Prints the wall times; exits non-zero on
# any difference or failure. Needs root (the daemons), the serial and MPI builds.
#   bash bench/slurm/test_single_node.sh [BATCH]   (default: the 20-run test batch below)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# The daemons run as root here (a test cluster in a scratch folder); 77: skipped (CTest's SKIP_RETURN_CODE).
[ "$(id -u)" = 0 ] || { echo "skipped: starting slurmctld, slurmd and munged needs root" >&2; exit 77; }
serial=$root/build/release/daihai mpi=$root/build/mpi/daihai
[ -x "$serial" ] && [ -x "$mpi" ] || { echo "build first: make build mpi" >&2; exit 2; }
for p in slurmctld slurmd munged sbatch h5diff mpirun; do command -v $p >/dev/null || { echo "missing $p: apt-get install slurm-wlm munge hdf5-tools openmpi-bin" >&2; exit 2; }; done
batch_src=""
[ $# -ge 1 ] && batch_src=$(realpath "$1")
work=$(mktemp -d /tmp/daihai-slurm.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
mkdir -p state spool munge log run
cp -r "$root/inputs/daihai" inputs
cp "$root/scenarios/targets.toml" .
if [ $# -ge 1 ]; then  # a batch of this repository, its inputs being inputs/daihai (copied here)
  sed -e "s#^inputs = .*#inputs = \"inputs\"#" -e 's#^monitoring = "[^"]*monitoring.csv"#monitoring = "inputs/monitoring.csv"#' "$batch_src" > batch.toml
else
cat > batch.toml <<'TOML'
[batch]
name = "slurm_test"
measures = ["yongxing_diversion", "well_sealing"]
combinations = "all"
members = 5
[scenario]
start = 1955-01-01
end = 2050-12-31
inputs = "inputs"
integrator = "rk4"
series = "monthly"
[climate]
source = "generator"
seed = 20240601
observed_months = true
[assimilation]
monitoring = "inputs/monitoring.csv"
TOML
fi

# --- munge: its own key and socket, so that a system munged is not disturbed
dd if=/dev/urandom of=munge/munge.key bs=1024 count=1 status=none
chmod 600 munge/munge.key
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" --pid-file="$work/munge/pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge/seed"
pids+=("$(cat munge/pid)")

# --- Slurm: one node (this machine), one partition
host=$(hostname -s)
port=$((20000 + $$ % 20000))  # not Slurm's default ports: a cluster already on this machine is left alone
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
cat > slurm.conf <<CONF
ClusterName=daihai-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF=$work/slurm.conf
# CI runs as root; OpenMPI refuses root unless told (jobs inherit the environment: --export=ALL).
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
sleep 2
pids+=("$(cat run/slurmctld.pid)" "$(cat run/slurmd.pid)")
for i in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
  [ "$i" = 60 ] && { echo "the node never became idle:"; sinfo; tail -20 log/slurmctld.log log/slurmd.log; exit 1; }
done
echo "slurm: node $host idle ($cpus CPUs)"

# --- the reference: the batch in one process
t0=$(date +%s.%N)
"$serial" batch batch.toml -o serial.h5 --threads "$cpus" -q > /dev/null
t_serial=$(awk -v a="$(date +%s.%N)" -v b="$t0" "BEGIN { print a - b }")

wait_for() {  # job ids...: until none is pending or running; fails when one did not complete
  for i in $(seq 600); do
    [ -z "$(squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null)" ] && break
    sleep 1
  done
  for j in "$@"; do
    state=$(scontrol show job "$j" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 || true)
    case "$state" in JobState=COMPLETED|"") ;; *) echo "job $j: $state"; cat ./*.log; exit 1 ;; esac
  done
}

# --- an MPI job: 2 ranks x 1 thread
t0=$(date +%s.%N)
job=$(sbatch --parsable --ntasks=2 --cpus-per-task=1 --export="ALL,DAIHAI=$mpi,BATCH=batch.toml,OUT=mpi.h5" "$root/bench/slurm/daihai_mpi.sbatch")
wait_for "$job"
t_mpi=$(awk -v a="$(date +%s.%N)" -v b="$t0" "BEGIN { print a - b }")

# --- a job array of 2 shards and the merge
t0=$(date +%s.%N)
read -r array merge < <("$root/bench/slurm/submit_array.sh" 2 "$serial" batch.toml parts array.h5 --cpus-per-task=1)
wait_for "$array" "$merge"
t_array=$(awk -v a="$(date +%s.%N)" -v b="$t0" "BEGIN { print a - b }")

status=0
for f in mpi.h5 array.h5; do
  for g in /runs /initial /final /annual /series /balance /verification; do
    if ! h5diff -r serial.h5 "$f" "$g" "$g" > /dev/null; then echo "DIFFERENT: $f $g"; status=1; fi
  done
done
printf 'wall time: serial %.1f s (%s threads), MPI job 2 ranks %.1f s, job array 2 tasks + merge %.1f s (from submission)\n' \
  "$t_serial" "$cpus" "$t_mpi" "$t_array"
[ $status = 0 ] && echo "slurm: the MPI job's and the job array's files equal the serial file"
exit $status
