#!/bin/bash
# Submits a daihai batch as a job array of N shards and its merge step (run once every shard
# succeeded). Prints the two job ids. To run one failed task again: sbatch --array=I --export=ALL,DAIHAI=...,BATCH=...,PARTS=...,SHARDS=N
# bench/slurm/daihai_array.sbatch (finished shards are kept, interrupted ones resumed), then the merge step.
#   bench/slurm/submit_array.sh N DAIHAI BATCH PARTS_DIR OUT.h5 [extra sbatch options...]
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: $0 N DAIHAI BATCH PARTS_DIR OUT.h5 [sbatch options...]" >&2; exit 2; }
n=$1 daihai=$2 batch=$3 parts=$4 out=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
array=$(sbatch --parsable --array="1-$n" "$@" --export="ALL,DAIHAI=$daihai,BATCH=$batch,PARTS=$parts,SHARDS=$n" "$here/daihai_array.sbatch")
# The merge waits for every task; when one fails it is cancelled rather than left pending for ever.
merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --kill-on-invalid-dep=yes "$@" --export="ALL,DAIHAI=$daihai,PARTS=$parts,OUT=$out" \
  "$here/daihai_merge.sbatch")
echo "$array $merge"
