#!/usr/bin/env python3
"""The spread of each P(crossed by) of the first threshold over seeds, by method: its
standard deviation over the seeds, the mean of its reported standard errors and their
ratio, and the variance reduction of the default (reduced) method against --plain at the
same paths.

    python3 scripts/spread.py SCENARIO.toml [--paths 100000] [--seeds 20]

Needs the release binary (cargo build --release).
"""
import argparse
import json
import os
import statistics
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "attrition")


def estimates(path, paths, seeds, plain):
    rows = []
    for s in range(1, seeds + 1):
        args = [BIN, "run", path, "-n", str(paths), "-s", str(s), "-f", "json", "-q"]
        if plain:
            args.append("--plain")
        out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True).stdout
        t = json.loads(out)["projections"][0]["thresholds"][0]
        rows.append([(c["date"], c["p"], c["se"]) for c in t["p_crossed_by"]])
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seeds", type=int, default=20)
    a = ap.parse_args()
    sd = {}
    print(f"{a.scenario}, {a.paths:,} paths, {a.seeds} seeds")
    print("| method | date | mean p | sd over seeds | mean reported se | sd / se |")
    print("| --- | --- | --- | --- | --- | --- |")
    for plain in (True, False):
        rows = estimates(a.scenario, a.paths, a.seeds, plain)
        name = "plain" if plain else "reduced"
        for k in range(len(rows[0])):
            ps = [r[k][1] for r in rows]
            ses = [r[k][2] for r in rows]
            s, m = statistics.stdev(ps), statistics.mean(ses)
            sd[(name, k)] = s
            ratio = f"{s / m:.2f}" if m > 0 else "n/a"
            print(f"| {name} | {rows[0][k][0]} | {statistics.mean(ps):.6f} | {s:.3g} | {m:.3g} | {ratio} |")
    print()
    for k in range(len(rows[0])):
        if sd[("reduced", k)] > 0:
            print(f"variance reduction at {rows[0][k][0]}: {(sd[('plain', k)] / sd[('reduced', k)]) ** 2:.0f} x")


if __name__ == "__main__":
    main()
