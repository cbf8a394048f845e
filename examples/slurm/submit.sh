#!/bin/bash
# Submits an attrition command as a Slurm job array of N shards and a merge that waits for
# them (afterok), and prints the two job ids. Run it from the folder the scenario paths
# are relative to, on a file system the nodes share.
#
#   examples/slurm/submit.sh N PARTS_DIR OUT [MERGE OPTIONS...] -- COMMAND [ARGS...]
#   examples/slurm/submit.sh 100 parts sweep.csv -f csv -- \
#       sweep scenarios/ceasefire-2026.toml --grid 'phases[0].start=2026-03-01,...' -n 100000
#
# Extra sbatch options (a partition, an account, a time limit) go in SBATCH_ARGS, e.g.
# SBATCH_ARGS="--partition=short --time=00:30:00". ATTRITION names the binary.
set -euo pipefail

if [ $# -lt 4 ]; then
    echo "usage: submit.sh N PARTS_DIR OUT [MERGE OPTIONS...] -- COMMAND [ARGS...]" >&2
    exit 2
fi
n=$1
parts=$2
out=$3
shift 3
merge_opts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    merge_opts+=("$1")
    shift
done
if [ $# -eq 0 ]; then
    echo "submit.sh: no command: put it after --" >&2
    exit 2
fi
shift
here=$(dirname "$0")
mkdir -p "$parts"
# shellcheck disable=SC2086 # SBATCH_ARGS is a list of options
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="0-$((n - 1))" "$here/shard.sbatch" "$parts" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    "$here/merge.sbatch" "$parts" "$out" "${merge_opts[@]}")
echo "array job $array ($n shards), merge job ${merge%%;*} (after every shard succeeded)"
