#!/usr/bin/env python3
"""How often compare's nominal 95% intervals of quantile differences hold the long-run
difference: status-quo against peace-talks over 100 seeds, at 4,096 and 20,000 paths, by
default and with --plain; the long-run difference from one run of 2,000,000 paths. Prints,
per method and size, the count of seeds (of 100) whose interval holds it for p5 ... p95.

    cargo build --release && python3 scripts/compare-coverage.py [BINARY]

About half a minute on two cores (README, "Comparing scenarios").
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "attrition")
A, B = "scenarios/status-quo.toml", "scenarios/peace-talks.toml"


def quantiles(paths, seed, plain):
    args = [BIN, "compare", A, B, "-n", str(paths), "-s", str(seed), "-q", "-f", "json"]
    out = subprocess.run(args + (["--plain"] if plain else []), capture_output=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)["comparison"]["against"][0]["quantiles"]


truth = [q["diff_days"] for q in quantiles(2_000_000, 999, False)]
print("long-run differences (2,000,000 paths):", truth)
for paths in (4096, 20000):
    for plain in (False, True):
        held = [0] * len(truth)
        for seed in range(100):
            for i, q in enumerate(quantiles(paths, seed, plain)):
                if q["ci_low"] is not None and q["ci_low"] <= truth[i] <= q["ci_high"]:
                    held[i] += 1
        print(f"{paths} paths, {'--plain' if plain else 'default'}: held in {held} of 100 seeds")
