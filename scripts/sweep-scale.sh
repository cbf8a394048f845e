#!/usr/bin/env bash
# The scale measurement of docs/performance.md: a sweep of 1,000 points x 100,000 paths
# (ceasefire-2026: 100 ceasefire starts, every third day from 2026-03-01, x 10 residual
# rates) as a Slurm job array of one point per task on a single-node cluster started here
# (scripts/slurm-cluster.sh), merged by a dependent job; then the merge of the 1,000 parts
# timed again with /usr/bin/time -v (REPEAT times), and the same sweep in one process,
# compared byte for byte. Prints a summary; takes about 15 minutes on 2 cores.
#
#   cargo build --release && scripts/sweep-scale.sh
#   PATHS=2000 SHARDS=100 scripts/sweep-scale.sh     # a quick rehearsal
#
# Needs root (as scripts/slurm-ci.sh). ATTRITION_BIN (default target/release/attrition),
# PATHS (100000), SHARDS (1000), REPEAT (5), SLURM_CI_TIMEOUT (default here 7200 s).
set -euo pipefail
cd "$(dirname "$0")/.."
export SLURM_CI_TIMEOUT=${SLURM_CI_TIMEOUT:-7200}
# shellcheck source=scripts/slurm-cluster.sh
. scripts/slurm-cluster.sh

bin=$(realpath "${ATTRITION_BIN:-target/release/attrition}")
[ -x "$bin" ] || fail "no attrition binary at $bin (cargo build --release, or set ATTRITION_BIN)"
paths=${PATHS:-100000}
shards=${SHARDS:-1000}
repeat=${REPEAT:-5}
dates=$(python3 -c 'import datetime as d; s = d.date(2026, 3, 1); print(",".join(str(s + d.timedelta(days=3 * i)) for i in range(100)))')
sweep=(sweep scenarios/ceasefire-2026.toml
    --grid "phases[0].start=$dates"
    --grid 'phases[0].multiplier=0.005,0.01,0.02,0.05,0.1,0.2,0.3,0.5,0.7,1'
    -n "$paths")
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

# High throughput (Slurm's guide for many short jobs): schedule a finished task's
# successor at once rather than batching submissions for 3 s (batch_sched_delay).
cluster_start "MaxArraySize=1000001" "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0"
cpus=$(nproc)

# Each task's run timed: wall and CPU seconds, one line per task.
timed="$work/timed-attrition"
cat >"$timed" <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$work/log/tasks.txt" -f "%e %U %S" "$bin" "\$@"
EOF
chmod +x "$timed"

say "array of $shards shards: 1,000 points x $paths paths"
t0=$(now)
array=$(ATTRITION="$timed" sbatch --parsable --chdir="$PWD" --output=/dev/null \
    --array="0-$((shards - 1))" examples/slurm/shard.sbatch "$work/parts" "${sweep[@]}") ||
    fail "sbatch refused the array job"
array=${array%%;*}
wait_for "the array job $array" sh -c "[ -z \"\$(squeue -h -j $array -o %i)\" ]"
t1=$(now)
parts=$(find "$work/parts" -name 'part-*.json' | wc -l)
[ "$parts" = "$shards" ] || fail "$parts parts written, $shards expected"
size=$(du -sm "$work/parts" | cut -f1)
say "array done in $(secs "$t0" "$t1") s; $parts parts, $size MB"
python3 - "$work/log/tasks.txt" "$((1000 * paths))" <<'EOF'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall = [r[0] for r in rows]
cpu = sum(r[1] + r[2] for r in rows)
print(f"{len(rows)} tasks: median {statistics.median(wall):.2f} s wall each (min {min(wall):.2f}, max {max(wall):.2f}); "
      f"{cpu:.0f} CPU seconds in all, {int(sys.argv[2]) / cpu:,.0f} paths per CPU second")
EOF

say "merge job (afterok)"
t2=$(now)
ATTRITION="$bin" timeout "$timeout_s" sbatch --wait --parsable --chdir="$PWD" \
    --output="$work/job/merge-%j.out" --dependency="afterok:$array" \
    examples/slurm/merge.sbatch "$work/parts" "$work/merged.csv" -f csv >/dev/null ||
    fail "the merge job failed"
t3=$(now)
say "merge job done in $(secs "$t2" "$t3") s (queueing included)"

say "merge timed $repeat times (/usr/bin/time -v)"
for i in $(seq "$repeat"); do
    /usr/bin/time -v "$bin" merge "$work"/parts/part-*.json -f csv --out "$work/again.csv" -q \
        2>"$work/log/merge-time-$i.txt"
    cmp "$work/again.csv" "$work/merged.csv" || fail "merge $i gave other bytes"
    grep -E "Elapsed|Maximum resident" "$work/log/merge-time-$i.txt" | tr -s ' ' | tr '\n' ' '
    echo
done

say "the same sweep in one process ($cpus threads)"
t4=$(now)
/usr/bin/time -o "$work/log/local-time.txt" -f "%e s wall, %U s user, %S s system, %M KB" \
    "$bin" "${sweep[@]}" -f csv -q >"$work/local.csv"
t5=$(now)
cat "$work/log/local-time.txt"
cmp "$work/merged.csv" "$work/local.csv" || fail "the merged sweep differs from the one-process run"
say "one process: $(secs "$t4" "$t5") s; merged bytes match"
total=$((1000 * paths))
python3 - "$total" "$cpus" "$(secs "$t0" "$t1")" "$(secs "$t4" "$t5")" <<'EOF'
import sys
total, cpus, array, local = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"paths per core-second: array {total / (array * cpus):,.0f}, one process {total / (local * cpus):,.0f}")
EOF
