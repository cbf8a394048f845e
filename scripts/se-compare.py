#!/usr/bin/env python3
"""Compares the reported errors of two builds of attrition on the same runs: each
probability's standard error and each crossing quantile's interval width, and the ratio
of variances (old / new: above 1, the new build is more precise at the same paths).

    python3 scripts/se-compare.py OLD_BINARY NEW_BINARY

Used to measure antithetic day-to-day noise (docs/precision.md, "What else was
measured"), whose build is the branch experiment-antithetic.
"""
import json, subprocess, sys
def get(b, f, n, extra=()):
    d = json.loads(subprocess.run([b, "run", f, "-n", str(n), "-q", "-f", "json", *extra], capture_output=True, check=True).stdout)
    p = d["projections"][0]
    out = []
    for t in p["thresholds"]:
        for c in t["p_crossed_by"]:
            out.append((t["name"][:10], c["date"], c["method"][:4], c["se"]))
        for q in t["crossing"]:
            if q.get("ci_low_day") is not None and q.get("ci_high_day") is not None:
                out.append((t["name"][:10], "q%g" % q["p"], "ciw", q["ci_high_day"] - q["ci_low_day"]))
    return out
if len(sys.argv) != 3:
    sys.exit(__doc__)
old_bin, new_bin = sys.argv[1], sys.argv[2]
for f, n in [("scenarios/bench/w1.toml", 65536), ("scenarios/status-quo.toml", 100000), ("scenarios/status-quo-recent.toml", 100000), ("scenarios/peace-talks.toml", 100000)]:
    old = get(old_bin, f, n); new = get(new_bin, f, n)
    print(f)
    for a, b in zip(old, new):
        r = (a[3] / b[3]) ** 2 if b[3] else float("nan")
        print("  %-10s %-10s %-4s old %.3g new %.3g  var ratio %.2f" % (a[0], a[1], a[2], a[3], b[3], r))
