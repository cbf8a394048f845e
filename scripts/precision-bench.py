#!/usr/bin/env python3
"""Wall time to a stated precision: how long attrition takes to estimate P(crossed by
2026-06-30) to a standard error of 1e-4, by default (randomized quasi-Monte Carlo and
conditional probabilities) and with --plain, and, for W1, the numpy peer
(scripts/peers/w1_numpy.py) at the paths the binomial standard error asks for.

    python3 scripts/precision-bench.py [--rounds 3] [--se 1e-4] [--scenarios w1,...]

Each attrition time is the whole command, `attrition run FILE --set
'scenario.report_dates=[2026-06-30]' --target-se SE -f json` (the one report date makes
the figure the target binds on; P(not crossed) is held to the same error), from process
start to exit. --plain runs its rounds in 1,048,576 paths (the default 65,536 would
spend its time between rounds). The peer's time is its measured seconds per path (one
run of 1,000,000 paths per round) times the paths plain Monte Carlo needs for the
target, p (1 - p) / SE^2, with p from attrition's estimate. Runs alternate between the
methods, and the table reports medians. Needs the release binary (cargo build
--release) and, for the peer, python3 with numpy (as scripts/bench-vs-peer.sh: a
virtual environment in target/peer-venv is made if numpy is missing).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "attrition")
SCENARIOS = {
    "w1": "scenarios/bench/w1.toml",
    "status-quo-recent": "scenarios/status-quo-recent.toml",
    "peace-talks": "scenarios/peace-talks.toml",
}


def attrition(path, se, plain):
    args = [BIN, "run", path, "--set", "scenario.report_dates=[2026-06-30]",
            "--target-se", str(se), "-f", "json", "-q"]
    if plain:
        args += ["--plain", "--round-paths", "1048576", "--max-paths", "100000000"]
    start = time.perf_counter()
    out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True).stdout
    secs = time.perf_counter() - start
    p = json.loads(out)["projections"][0]
    c = p["thresholds"][0]["p_crossed_by"][0]
    return secs, p["run"]["paths"], c["p"], c["se"], p["run"]["precision"]["met"]


def peer_python():
    for py in (sys.executable, os.path.join(ROOT, "target", "peer-venv", "bin", "python")):
        if os.access(py, os.X_OK) and subprocess.run(
                [py, "-c", "import numpy"], capture_output=True).returncode == 0:
            return py
    venv = os.path.join(ROOT, "target", "peer-venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--quiet", "numpy"], check=True)
    return os.path.join(venv, "bin", "python")


def peer_seconds_per_path(py, seed):
    out = subprocess.run([py, os.path.join(ROOT, "scripts", "peers", "w1_numpy.py"),
                          "--paths", "1000000", "--seed", str(seed)],
                         check=True, capture_output=True).stdout
    return json.loads(out)["seconds"] / 1_000_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--se", type=float, default=1e-4)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    a = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit("error: build the release binary first: cargo build --release")
    py = peer_python()
    rows = []
    for name in a.scenarios.split(","):
        path = SCENARIOS[name]
        reduced, plain, peer = [], [], []
        for r in range(a.rounds):
            reduced.append(attrition(path, a.se, False))
            plain.append(attrition(path, a.se, True))
            if name == "w1":
                peer.append(peer_seconds_per_path(py, r + 1))
            print(f"{name} round {r + 1}: default {reduced[-1][0]:.2f} s ({reduced[-1][1]:,} paths), "
                  f"--plain {plain[-1][0]:.2f} s ({plain[-1][1]:,} paths)", file=sys.stderr)
        t_red = statistics.median(x[0] for x in reduced)
        t_plain = statistics.median(x[0] for x in plain)
        p = reduced[-1][2]
        line = {
            "scenario": name,
            "p": p,
            "default_seconds": t_red,
            "default_paths": reduced[-1][1],
            "default_se": reduced[-1][3],
            "plain_seconds": t_plain,
            "plain_paths": plain[-1][1],
            "plain_se": plain[-1][3],
            "met": all(x[4] for x in reduced + plain),
        }
        if peer:
            per_path = statistics.median(peer)
            need = p * (1 - p) / a.se**2
            line["peer_seconds_per_path"] = per_path
            line["peer_paths"] = need
            line["peer_seconds"] = per_path * need
        rows.append(line)
    print(f"| scenario | P(crossed by 2026-06-30) | default: s (paths) | --plain: s (paths) | numpy peer: s (paths) | --plain / default | peer / default |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        peer = (f"{r['peer_seconds']:.0f} ({r['peer_paths']:,.0f})" if "peer_seconds" in r else "n/a")
        ratio_peer = (f"{r['peer_seconds'] / r['default_seconds']:.0f} x" if "peer_seconds" in r else "n/a")
        print(f"| {r['scenario']} | {r['p']:.4f} | {r['default_seconds']:.2f} ({r['default_paths']:,}) | "
              f"{r['plain_seconds']:.2f} ({r['plain_paths']:,}) | {peer} | "
              f"{r['plain_seconds'] / r['default_seconds']:.0f} x | {ratio_peer} |")
    print(json.dumps(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
