#!/usr/bin/env python3
"""The table of docs/sensitivity.md: which inputs drive each shipped scenario's crossing
date, from `attrition sensitivity --format json` (standard library only).

For each scenario: the threshold asked about (2M combined casualties, or the first
threshold the reference date has not yet passed), the groups with the largest total
indices of its crossing day (with their 95% intervals), the noise's, the sum of the
first-order indices, and the tornado's widest bar.

usage: python3 scripts/sensitivity_table.py [--attrition BIN] [--paths N]
"""
import argparse, json, os, subprocess

SCENARIOS = [
    "status-quo", "status-quo-recent", "status-quo-calibrated", "escalation-2026",
    "ceasefire-2026", "peace-talks", "grind-and-offensives", "force-dependent",
    "status-quo-2026-06",
]


def threshold_of(name):
    # The June 2026 scenario starts past 2M combined casualties: its next mark.
    return "2.5M combined casualties" if name == "status-quo-2026-06" else "2M combined casualties"


def fmt(i, key="total"):
    return f"{i['group']} {i[key]:.2f} ({i[key + '_lo']:.2f} to {i[key + '_hi']:.2f})"


def row(binary, name, paths):
    doc = json.loads(subprocess.run(
        [binary, "sensitivity", f"scenarios/{name}.toml", "-f", "json", "-q",
         "--paths", str(paths), "--threshold", threshold_of(name)],
        check=True, capture_output=True, text=True).stdout)
    day = next(o for o in doc["outputs"] if o["kind"] == "crossing_day")
    ranked = sorted(day["indices"], key=lambda i: -i["total"])
    top = [i for i in ranked if i["group"] != "noise"][:3]
    noise = next((i for i in day["indices"] if i["group"] == "noise"), None)
    t = doc["tornado"][0]
    bar = t["bars"][0]
    def median(end):
        q = next(c for c in end["crossing"] if c["p"] == 0.5)
        return q["date"] or "not crossed"
    widest = (f"{bar['input']}: {median(bar['low'])} (p5) / {median(bar['high'])} (p95), "
              f"unheld run {median(t['baseline'])}")
    return (f"| `{name}` | {day['threshold']} | " + "; ".join(fmt(i) for i in top)
            + f" | {fmt(noise) if noise else 'no noise'} | {day['sum_first']:.2f} | {widest} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attrition", default=os.environ.get("ATTRITION_BIN", "target/release/attrition"))
    ap.add_argument("--paths", type=int, default=20_000)
    a = ap.parse_args()
    print(f"Base paths {a.paths:,} each, the file's seed; groups by input; total indices of the crossing day.\n")
    print("| scenario | threshold | largest total indices (95% interval) | noise | sum of first-order | tornado's widest bar: median crossing with the input at p5 / p95 |")
    print("| --- | --- | --- | --- | ---: | --- |")
    for name in SCENARIOS:
        print(row(a.attrition, name, a.paths))


if __name__ == "__main__":
    main()
