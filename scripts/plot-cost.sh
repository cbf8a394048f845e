#!/usr/bin/env bash
# What --plot costs: the wall time of `run` with and without `--plot DIR`, per scenario.
#
#   scripts/plot-cost.sh [rounds] [scenario.toml ...]   (defaults: 7, scenarios/*.toml)
#   BIN=/path/to/attrition scripts/plot-cost.sh ...     (another build, e.g. an older one)
#
# Each round runs every scenario twice, alternating: without --plot, then with it, so
# that a slow spell of a shared machine hits both alike. The whole process is timed
# (load, both runs, rendering and writing every file), at the scenario's own path count
# and seed, on every core. Prints the medians and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
shift || true
if [ $# -eq 0 ]; then set -- scenarios/*.toml; fi
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; fi
bin=${BIN:-target/release/attrition}
out=target/plot-cost
rm -rf "$out" && mkdir -p "$out"

# Wall seconds of one command, to the millisecond.
seconds() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  printf "%.3f" "$(echo "scale=4; ($t1 - $t0) / 1000000000" | bc)"
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-26s %9s %9s %6s\n' scenario "plain s" "--plot s" ratio
for f in "$@"; do
  plain=() plot=()
  for r in $(seq "$rounds"); do
    plain+=("$(seconds "$bin" run -q "$f" -f json -o "$out/plain.json")")
    plot+=("$(seconds "$bin" run -q "$f" -f json -o "$out/plot.json" --plot "$out/figs")")
  done
  a=$(median "${plain[@]}")
  b=$(median "${plot[@]}")
  printf '%-26s %9s %9s %6.2f\n' "$(basename "$f" .toml)" "$a" "$b" "$(echo "scale=4; $b / $a" | bc)"
done
