#!/usr/bin/env bash
# Runs attrition and the numpy peer (scripts/peers/w1_numpy.py) on the same workload, in
# alternation, and prints both simulation times, their ratio (medians) and both results;
# then compares the two crossing-day distributions at 200,000 paths each (two-sample
# Kolmogorov-Smirnov, and each probability within 3 standard errors of the difference).
#
#   scripts/bench-vs-peer.sh [w1|w1g] [paths] [rounds]     (defaults: w1 1000000 5)
#
# Needs python3 with numpy: if python3 cannot import numpy, the script makes a virtual
# environment in target/peer-venv and installs numpy there (python3 -m venv, then pip;
# on Debian or Ubuntu the venv module is the python3-venv package). Threads: attrition
# uses every core (pin with ATTRITION_THREADS=N); numpy is single-threaded here.
# Method: attrition runs --plain (plain Monte Carlo, as the peer), the raw speed per
# path; ATTRITION_METHOD=reduced times the default method instead (about 15% more per
# path, for far smaller errors: docs/precision.md, scripts/precision-bench.py).
set -euo pipefail
cd "$(dirname "$0")/.."
workload=${1:-w1}
paths=${2:-1000000}
rounds=${3:-5}
peer=scripts/peers/w1_numpy.py
[ -f "$peer" ] || { echo "error: $peer not found" >&2; exit 2; }
case "$workload" in
  w1) noise=lognormal ;;
  w1g) noise=gamma ;;
  *) echo "error: workload is w1 or w1g" >&2; exit 2 ;;
esac

python=python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
  if [ ! -x target/peer-venv/bin/python ]; then
    echo "installing numpy into target/peer-venv ..." >&2
    python3 -m venv target/peer-venv
    target/peer-venv/bin/pip install --quiet numpy
  fi
  python=target/peer-venv/bin/python
fi
cargo build --release --quiet
bin=target/release/attrition
threads=()
[ -n "${ATTRITION_THREADS:-}" ] && threads=(--threads "$ATTRITION_THREADS")
case "${ATTRITION_METHOD:-plain}" in
  plain) threads+=(--plain) ;;
  reduced) ;;
  *) echo "error: ATTRITION_METHOD is plain or reduced" >&2; exit 2 ;;
esac

ours=() theirs=()
for r in $(seq "$rounds"); do
  p=$("$python" "$peer" --paths "$paths" --seed "$r" --noise "$noise")
  theirs+=("$(printf '%s' "$p" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
  a=$("$bin" run "scenarios/bench/$workload.toml" --paths "$paths" --seed "$r" "${threads[@]}" \
        --format json --out target/bench-$workload.json 2>&1 >/dev/null)
  ours+=("$(printf '%s' "$a" | sed -n 's/.* paths in \([0-9.]*\) s$/\1/p')")
  echo "round $r: numpy ${theirs[-1]} s, attrition ${ours[-1]} s" >&2
  last_peer=$p
done

"$python" - "$workload" "$paths" "${ours[*]}" "${theirs[*]}" "$last_peer" target/bench-$workload.json <<'PY'
import json, statistics, sys
workload, paths, ours, theirs, peer, path = sys.argv[1:]
ours = [float(x) for x in ours.split()]
theirs = [float(x) for x in theirs.split()]
mo, mt = statistics.median(ours), statistics.median(theirs)
peer = json.loads(peer)
t = json.load(open(path))["projections"][0]["thresholds"][0]
q = {c["p"]: c["day"] for c in t["crossing"]}
print(f"workload {workload}, {int(paths):,} paths, {len(ours)} rounds in alternation")
print(f"  numpy peer : median {mt:.3f} s   (runs: {', '.join(f'{x:.3f}' for x in theirs)})")
print(f"  attrition  : median {mo:.3f} s   (runs: {', '.join(f'{x:.3f}' for x in ours)})")
print(f"  speed-up   : {mt / mo:.1f} x")
print("  results (last round, same seed):")
print(f"    numpy     p5 {peer['p5']}  p50 {peer['p50']}  p95 {peer['p95']}  "
      f"P(by 90) {peer['p_by_90']:.4f}  P(by 181) {peer['p_by_181']:.4f}")
print(f"    attrition p5 {q[0.05]}  p50 {q[0.5]}  p95 {q[0.95]}  "
      f"P(by 90) {t['p_crossed_by'][0]['p']:.4f}  P(by 181) {t['p_crossed_by'][1]['p']:.4f}")
PY

echo "comparing crossing-day distributions (200,000 paths each) ..." >&2
cargo run --release --quiet --example crossing_days -- "scenarios/bench/$workload.toml" 200000 99 > target/days-$workload.json
"$python" - "$peer" "$noise" target/days-$workload.json <<'PY'
import json, math, os, sys
import numpy as np
peer_path, noise, ours_path = sys.argv[1:]
sys.path.insert(0, os.path.dirname(peer_path))
import w1_numpy as peer
n = 200_000
rng = np.random.default_rng(12345)
days = np.concatenate([peer.simulate_chunk(rng, 100_000, noise) for _ in range(n // 100_000)])
theirs = np.bincount(days, minlength=peer.H + 2).astype(float)
ours = np.array(json.load(open(ours_path))[0]["counts"], dtype=float)
fa, fb = np.cumsum(ours) / ours.sum(), np.cumsum(theirs) / theirs.sum()
d = float(np.max(np.abs(fa - fb)))
crit = 1.9495 * math.sqrt(2 / n)   # alpha = 0.001
print(f"  two-sample KS on crossing days: D = {d:.4f} (critical {crit:.4f} at alpha 0.001): "
      + ("agree" if d < crit else "DIFFER"))
ok = d < crit
for day in (90, 181):
    p, q = fa[day], fb[day]
    se = math.sqrt(p * (1 - p) / n + q * (1 - q) / n)
    z = abs(p - q) / se if se > 0 else 0.0
    ok &= z < 3
    print(f"  P(by day {day}): attrition {p:.4f}, numpy {q:.4f}: {z:.1f} standard errors")
sys.exit(0 if ok else 1)
PY
