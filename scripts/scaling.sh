#!/usr/bin/env bash
# How well a run uses two cores, against what this machine allows any program.
#
#   scripts/scaling.sh [w1|w1g] [paths] [rounds]     (defaults: w1 1000000 7)
#
# Each round runs, in this order: the workload on one thread; the same on two threads;
# and two independent one-thread processes of half the paths each, started together.
# The last is the ceiling for any parallel program on this machine: the two processes
# share nothing, so whatever slows them down (cores sharing caches, memory or a power
# budget with each other or with other tenants) is the machine's, not the program's.
# Prints the medians of the engine times (from stderr) and both speed-ups.
set -euo pipefail
cd "$(dirname "$0")/.."
workload=${1:-w1}
paths=${2:-1000000}
rounds=${3:-7}
case "$workload" in
  w1 | w1g) ;;
  *) echo "error: workload is w1 or w1g" >&2; exit 2 ;;
esac
cargo build --release --quiet
bin=target/release/attrition
scenario=scenarios/bench/$workload.toml
half=$((paths / 2))

# Engine seconds of one run (paths, threads, output file), read from its summary line
# on stderr.
engine_time() {
  "$bin" run "$scenario" --paths "$1" --threads "$2" --format json --out "$3" 2>&1 >/dev/null |
    sed -n 's/.* paths in \([0-9.]*\) s$/\1/p'
}

one=() two=() pair=()
for r in $(seq "$rounds"); do
  one+=("$(engine_time "$paths" 1 target/scaling-1.json)")
  two+=("$(engine_time "$paths" 2 target/scaling-2.json)")
  engine_time "$half" 1 target/scaling-a.json >target/scaling-a.txt &
  engine_time "$half" 1 target/scaling-b.json >target/scaling-b.txt
  wait
  # The pair is done when the slower process is.
  pair+=("$(sort -n target/scaling-a.txt target/scaling-b.txt | tail -1)")
  echo "round $r: 1 thread ${one[-1]} s, 2 threads ${two[-1]} s, two processes ${pair[-1]} s" >&2
done

python3 - "$workload" "$paths" "${one[*]}" "${two[*]}" "${pair[*]}" <<'PY'
import statistics, sys
workload, paths, *series = sys.argv[1:]
one, two, pair = ([float(x) for x in s.split()] for s in series)
m1, m2, mp = (statistics.median(s) for s in (one, two, pair))
print(f"workload {workload}, {int(paths):,} paths, {len(one)} rounds (medians)")
print(f"  1 thread                      : {m1:.3f} s")
print(f"  2 threads                     : {m2:.3f} s   speed-up {m1 / m2:.2f} x")
print(f"  2 independent processes (half): {mp:.3f} s   ceiling {m1 / mp:.2f} x")
PY
