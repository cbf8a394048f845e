#!/usr/bin/env bash
# CI's Slurm check: on a real single-node Slurm cluster started here from Debian's packages
# (scripts/slurm-cluster.sh), a sweep runs as a job array of shards
# (examples/slurm/shard.sbatch, four tasks of two points each) with a merge job that
# depends on it (examples/slurm/merge.sbatch, afterok), and the merged result must be the
# bytes of the same sweep run here in one process. Everything started is stopped.
#
#   scripts/slurm-ci.sh                      # uses target/debug/attrition
#   ATTRITION_BIN=target/release/attrition scripts/slurm-ci.sh
#
# Needs root. Exit 0 when the merged bytes match, 1 with a reason and the logs otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/slurm-cluster.sh
. scripts/slurm-cluster.sh

bin=$(realpath "${ATTRITION_BIN:-target/debug/attrition}")
[ -x "$bin" ] || fail "no attrition binary at $bin (build it first, or set ATTRITION_BIN)"
started=$(date +%s)
cluster_start
say "cluster up in $(($(date +%s) - started)) s"

# The sweep: 8 points (a ceasefire's start x the noise), 4 array tasks of two points each.
sweep=(sweep scenarios/ceasefire-2026.toml
    --grid 'phases[0].start=2026-03-01,2026-05-01,2026-07-01,2026-09-01'
    --grid 'noise.sigma=0.1,0.3'
    -n 20000)
shards=4
jobs_started=$(date +%s)
# Jobs run here (the scenario's path is relative); their logs go to the work folder.
array=$(ATTRITION="$bin" sbatch --parsable --chdir="$PWD" --output="$work/job/slurm-%A_%a.out" \
    --array="0-$((shards - 1))" examples/slurm/shard.sbatch "$work/parts" "${sweep[@]}") ||
    fail "sbatch refused the array job"
array=${array%%;*}
say "array job $array: $shards shards; merge job after it (afterok), waiting"
ATTRITION="$bin" timeout "$timeout_s" sbatch --wait --parsable --chdir="$PWD" \
    --output="$work/job/slurm-%j.out" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    examples/slurm/merge.sbatch "$work/parts" "$work/merged.csv" -f csv >"$work/merge.id" ||
    fail "the merge job failed or never ran (array $array; the job logs are above)"
states=$(scontrol show job "$array" 2>/dev/null | grep -o 'JobState=[A-Z]*' | sort | uniq -c |
    awk '{printf "%s %s ", $1, $2}')
say "jobs done in $(($(date +%s) - jobs_started)) s (array tasks: ${states% })"
parts=$(find "$work/parts" -name 'part-*.json' | wc -l)
[ "$parts" = "$shards" ] || fail "$parts parts written, $shards expected"

say "the same sweep in one process, compared byte for byte"
"$bin" "${sweep[@]}" -f csv -q >"$work/local.csv"
cmp "$work/merged.csv" "$work/local.csv" || fail "the merged sweep differs from the one-process run"
say "merged bytes match ($(wc -l <"$work/local.csv") lines); the Slurm step took $(($(date +%s) - started)) s"
