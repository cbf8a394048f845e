#!/usr/bin/env bash
# How `attrition merge` scales with the number of parts (docs/performance.md): one sweep of
# 1,000 points (the grid of scripts/sweep-scale.sh) at PATHS paths a point, split here,
# without a cluster, into N = 10, 100 and 1,000 parts; each set merged REPEAT times under
# /usr/bin/time -v. Prints, per N, the parts' size and the merge's median wall time and
# largest resident set; every merge must print the same bytes.
#
#   cargo build --release && scripts/merge-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${ATTRITION_BIN:-target/release/attrition}")
paths=${PATHS:-1000}
repeat=${REPEAT:-5}
dates=$(python3 -c 'import datetime as d; s = d.date(2026, 3, 1); print(",".join(str(s + d.timedelta(days=3 * i)) for i in range(100)))')
sweep=(sweep scenarios/ceasefire-2026.toml
    --grid "phases[0].start=$dates"
    --grid 'phases[0].multiplier=0.005,0.01,0.02,0.05,0.1,0.2,0.3,0.5,0.7,1'
    -n "$paths" -j 1 -q)
work=$(mktemp -d /tmp/attrition-merge-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT

for n in 10 100 1000; do
    mkdir -p "$work/$n"
    for i in $(seq 0 $((n - 1))); do
        "$bin" "${sweep[@]}" --shard "$i/$n" --out "$work/$n/part-$(printf %06d "$i").json"
    done
    size=$(du -sm "$work/$n" | cut -f1)
    for r in $(seq "$repeat"); do
        /usr/bin/time -f "%e %M" -o "$work/time-$n-$r" \
            "$bin" merge "$work/$n"/part-*.json -f csv --out "$work/merged-$n.csv" -q
    done
    cmp "$work/merged-$n.csv" "$work/merged-10.csv"
    python3 - "$n" "$size" "$work"/time-"$n"-* <<'EOF'
import statistics, sys
n, size, files = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = [open(f).read().split() for f in files]
wall = sorted(float(r[0]) for r in rows)
rss = max(int(r[1]) for r in rows)
print(f"{n:>5} parts, {size:>4} MB: merge median {statistics.median(wall):.2f} s "
      f"(of {', '.join(f'{w:.2f}' for w in wall)}), at most {rss / 1024:.1f} MB resident")
EOF
done
