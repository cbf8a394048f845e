#!/usr/bin/env bash
# What a sensitivity analysis costs against the plain runs it stands for.
#
#   scripts/sensitivity-cost.sh [scenario] [paths] [rounds]
#       (defaults: scenarios/status-quo.toml 100000 5)
#
# Each round runs, alternating: `attrition sensitivity` on N base paths, then k + 2 plain
# `attrition run`s of N paths (k the groups the analysis reports: the uncertain inputs
# and the noise). Engine times come from the summary lines on stderr (the Sobol part
# and the tornado part of the analysis, each run's). Prints the medians and the ratio
# of the Sobol part to the k + 2 runs: the issue's target is at most 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/status-quo.toml}
paths=${2:-100000}
rounds=${3:-5}
cargo build --release --quiet
bin=target/release/attrition
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

sobol=() tornado=() plain=()
groups=0 runs=0
for r in $(seq "$rounds"); do
  log=$("$bin" sensitivity "$scenario" --paths "$paths" --format json --out "$out/s.json" 2>&1 >/dev/null)
  sobol+=("$(sed -n 's/.*Sobol indices of .* paths) in \([0-9.]*\) s$/\1/p' <<<"$log")")
  tornado+=("$(sed -n 's/.*tornado of .* in \([0-9.]*\) s$/\1/p' <<<"$log")")
  groups=$(sed -n 's/.*Sobol indices of \([0-9]*\) groups.*/\1/p' <<<"$log")
  runs=$(sed -n 's/.*tornado of \([0-9]*\) runs.*/\1/p' <<<"$log")
  total=0
  for _ in $(seq $((groups + 2))); do
    t=$("$bin" run "$scenario" --paths "$paths" --format json --out "$out/r.json" 2>&1 >/dev/null |
      sed -n 's/.* paths in \([0-9.]*\) s$/\1/p')
    total=$(awk -v a="$total" -v b="$t" 'BEGIN {print a + b}')
  done
  plain+=("$total")
  echo "round $r: Sobol ${sobol[-1]} s, tornado ${tornado[-1]} s ($runs runs), $((groups + 2)) plain runs ${plain[-1]} s"
done
s=$(printf '%s\n' "${sobol[@]}" | median)
t=$(printf '%s\n' "${tornado[@]}" | median)
p=$(printf '%s\n' "${plain[@]}" | median)
echo "medians over $rounds rounds: Sobol $s s ($groups groups, $paths base paths), $((groups + 2)) plain runs $p s, tornado $t s ($runs runs)"
awk -v s="$s" -v p="$p" 'BEGIN {printf "Sobol / (k + 2) runs = %.2f\n", s / p}'
