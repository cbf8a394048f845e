#!/usr/bin/env python3
"""The tables of docs/retrospective.md, from the engine's own output.

    python3 scripts/retrospective.py            # rewrite the marked tables in place
    python3 scripts/retrospective.py --stdout   # print them instead
    python3 scripts/retrospective.py --check    # exit 1 if the file is out of date

Every number comes from `attrition run ... -f json` (and, for two figures, `--samples`):

- the January scenarios run with `--observe data/reports_2026.csv --observe
  data/reports_2026_combined.csv`; the table is each report's prior percentile (the share
  of the scenario's paths, before any weighting, whose stock on the report's date lies
  below the figure);
- scenarios/status-quo-updated.toml: its effective sample size and its crossing dates;
- scenarios/status-quo-2026-06.toml: its crossing dates, and with `--observe
  data/heldout_2026.csv` where the later figures fall in it.

The binary is $ATTRITION_BIN, else target/release/attrition, else target/debug/attrition
(build it first: `cargo build --release`). Python 3 standard library only.

The tables sit between `<!-- begin: NAME -->` and `<!-- end: NAME -->` in
docs/retrospective.md; everything else in the file is left as it is. The file is
replaced atomically (a temporary file beside it, then a rename), and only when a table
changed.
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "retrospective.md")

# The scenarios that could be run in January 2026 (reference date 2025-12-31).
JANUARY = [
    "status-quo",
    "status-quo-recent",
    "status-quo-calibrated",
    "escalation-2026",
    "ceasefire-2026",
    "peace-talks",
    "grind-and-offensives",
    "force-dependent",
]
REPORTS = ["data/reports_2026.csv", "data/reports_2026_combined.csv"]
HELDOUT = "data/heldout_2026.csv"
UPDATED = "scenarios/status-quo-updated.toml"
JUNE = "scenarios/status-quo-2026-06.toml"


class Failure(Exception):
    pass


def binary():
    env = os.environ.get("ATTRITION_BIN")
    if env:
        return env
    for kind in ("release", "debug"):
        path = os.path.join(ROOT, "target", kind, "attrition")
        if os.path.exists(path):
            return path
    raise Failure(
        "no attrition binary: build one with `cargo build --release` or set ATTRITION_BIN"
    )


def run(args):
    """One `attrition run` whose JSON is read back; its one projection."""
    cmd = [binary(), "run", *args, "-q", "-f", "json"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise Failure(
            f"`{' '.join(cmd)}` exited {done.returncode}: {done.stderr.strip()}"
        )
    return json.loads(done.stdout)["projections"][0]


def observe_args(files):
    return [a for f in files for a in ("--observe", f)]


def log_weights(scenario, extra):
    """The paths' log weights (and their drawn inputs) from --samples."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "samples.csv")
        run([scenario, *extra, "--samples", path])
        with open(path, newline="") as f:
            return list(csv.DictReader(f))


def kish(rows):
    """Kish's effective sample size (sum w)^2 / sum w^2 from the log weights, scaled by
    the largest so that nothing underflows."""
    lw = [float(r["log_weight"]) for r in rows]
    top = max(lw)
    if top == -math.inf:
        return 0.0
    w = [math.exp(x - top) for x in lw]
    return sum(w) ** 2 / sum(x * x for x in w)


def pct(p):
    """A percentile for the table: tails beyond every path marked."""
    if p >= 1.0:
        return "100†"
    if p <= 0.0:
        return "0†"
    # In the tails two decimals, rounded towards 50 so that a figure inside the paths
    # never reads as 100 or 0.
    if p >= 0.995:
        return f"{math.floor(10000 * p) / 100:.2f}"
    if p <= 0.005:
        return f"{math.ceil(10000 * p) / 100:.2f}"
    return f"{100 * p:.1f}"


def num(x):
    return f"{round(x):,}"


def quantile(qs, p):
    for q in qs:
        if abs(q["p"] - p) < 1e-9:
            return q
    raise Failure(f"no {p} quantile in the output")


def interval(o):
    return f"{num(o['value_p5'])} to {num(o['value_p95'])}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def percentiles_block(runs):
    names = [o["name"] for o in runs[JANUARY[0]]["observations"]]
    rows = []
    for i, name in enumerate(names):
        o = runs[JANUARY[0]]["observations"][i]
        row = [name, num(o["value"])]
        for s in JANUARY:
            obs = runs[s]["observations"][i]
            assert obs["name"] == name
            row.append(pct(obs["prior_percentile"]))
        rows.append(row)
    paths = runs[JANUARY[0]]["run"]["paths"]
    se = max(o["prior_percentile_se"] for s in JANUARY for o in runs[s]["observations"])
    return "\n".join(
        [
            table(["report", "figure", *[f"`{s}`" for s in JANUARY]], rows),
            "",
            f"Prior percentiles in % (of {paths:,} paths per scenario, seed of each file; "
            f"standard error at most {100 * se:.2f} points). † beyond every path. "
            "`figure` is the centre of the report's 90% interval, `sqrt(lo hi)` "
            "(data/README.md, section 12).",
        ]
    )


def recent_block(recent, updated):
    post = {o["name"]: o for o in updated["observations"]}
    rows = []
    for o in recent["observations"]:
        p5 = quantile(o["prior"], 0.05)["value"]
        p95 = quantile(o["prior"], 0.95)["value"]
        u = post.get(o["name"])
        after = "(not observed)"
        if u is not None:
            after = (
                f"{num(quantile(u['posterior'], 0.05)['value'])} to "
                f"{num(quantile(u['posterior'], 0.95)['value'])}"
            )
        rows.append(
            [
                o["name"],
                interval(o),
                f"{num(p5)} to {num(p95)}",
                pct(o["prior_percentile"]),
                after,
            ]
        )
    return table(
        [
            "report",
            "reported (90%)",
            "`status-quo-recent` prior (90%)",
            "percentile",
            "`status-quo-updated` posterior (90%)",
        ],
        rows,
    )


def crossing_rows(projection):
    rows = []
    for t in projection["thresholds"]:
        q = {c["p"]: c["date"] or "not crossed" for c in t["crossing"]}
        rows.append(
            [
                t["name"],
                q[0.05],
                q[0.25],
                q[0.5],
                q[0.75],
                q[0.95],
                f"{t['p_at_baseline']:.3f}",
            ]
        )
    return table(["threshold", "p5", "p25", "median", "p75", "p95", "already on day 0"], rows)


def by_date_rows(projection):
    dates = projection["scenario"]["report_dates"]
    rows = []
    for t in projection["thresholds"]:
        by = {c["date"]: c for c in t["p_crossed_by"]}
        rows.append([t["name"]] + [f"{by[d]['p']:.3f}" for d in dates])
    return table(["P(crossed by)", *dates], rows)


def updated_block(updated, samples):
    w = updated["run"]["weights"]
    paths = updated["run"]["paths"]
    return "\n".join(
        [
            f"`attrition run {UPDATED}` ({paths:,} paths, seed "
            f"{updated['run']['seed']}): the engine reports an effective sample size of "
            f"{w['effective_paths']:,.1f} paths, with {w['zero_weight_paths']:,} paths of "
            f"zero weight; Kish's effective sample size computed from the `--samples` log "
            f"weights is {kish(samples):,.2f} paths. The highest log weight is "
            f"{w['best_log_weight']:.2f}.",
            "",
            crossing_rows(updated),
            "",
            by_date_rows(updated),
        ]
    )


def june_block(june):
    paths = june["run"]["paths"]
    return "\n".join(
        [
            f"`attrition run {JUNE}` ({paths:,} paths, seed {june['run']['seed']}):",
            "",
            crossing_rows(june),
            "",
            by_date_rows(june),
        ]
    )


def heldout_block(june_obs, samples):
    rows = []
    for o in june_obs["observations"]:
        p5 = quantile(o["prior"], 0.05)["value"]
        p95 = quantile(o["prior"], 0.95)["value"]
        rows.append(
            [
                o["name"],
                num(o["value"]),
                f"{num(p5)} to {num(p95)}",
                pct(o["prior_percentile"]),
            ]
        )
    # The GS pace after the reference date against the scenario's drawn Russian rate:
    # a path's rate is its mean daily casualties, so this is the pace check that the
    # stock percentile dilutes with the baseline's spread.
    gs = {}
    with open(os.path.join(ROOT, "data", "ua_gs_russian_personnel.csv"), newline="") as f:
        for r in csv.DictReader(f):
            gs[r["date"]] = int(r["personnel_cumulative"])
    start, end, days = "2026-06-30", "2026-08-08", 39
    pace = (gs[end] - gs[start]) / days
    rates = [float(r["sides.russia.rate_per_day"]) for r in samples]
    below = sum(1 for r in rates if r < pace) / len(rates)
    return "\n".join(
        [
            table(
                [
                    "held-out figure",
                    "figure",
                    "`status-quo-2026-06` on that date (90%)",
                    "percentile",
                ],
                rows,
            ),
            "",
            f"The General Staff's pace from {start} to {end}: {gs[end] - gs[start]:,} in "
            f"{days} days, {pace:,.0f} a day, lies at the {pct(below)}th percentile of the "
            f"scenario's drawn Russian rate (`sides.russia.rate_per_day` in `--samples`, "
            f"{len(rates):,} paths).",
        ]
    )


def blocks():
    runs = {s: run([f"scenarios/{s}.toml", *observe_args(REPORTS)]) for s in JANUARY}
    updated = run([UPDATED])
    updated_samples = log_weights(UPDATED, [])
    june = run([JUNE])
    june_obs = run([JUNE, *observe_args([HELDOUT])])
    june_samples = log_weights(JUNE, [])
    return {
        "percentiles": percentiles_block(runs),
        "recent": recent_block(runs["status-quo-recent"], updated),
        "updated": updated_block(updated, updated_samples),
        "june": june_block(june),
        "heldout": heldout_block(june_obs, june_samples),
    }


def fill(text, tables):
    for name, body in tables.items():
        pattern = re.compile(
            rf"(<!-- begin: {name} -->\n).*?(<!-- end: {name} -->)", re.DOTALL
        )
        if not pattern.search(text):
            raise Failure(f"{DOC}: no `<!-- begin: {name} -->` ... `<!-- end: {name} -->`")
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


def write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".retrospective-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--stdout", action="store_true", help="print the tables")
    mode.add_argument("--check", action="store_true", help="exit 1 if the doc is stale")
    args = ap.parse_args()
    try:
        tables = blocks()
        if args.stdout:
            for name, body in tables.items():
                print(f"<!-- {name} -->\n{body}\n")
            return 0
        with open(DOC) as f:
            old = f.read()
        new = fill(old, tables)
        if args.check:
            if new != old:
                print(f"{DOC} is out of date: run python3 scripts/retrospective.py", file=sys.stderr)
                return 1
            return 0
        if new != old:
            write_atomic(DOC, new)
            print(f"updated {os.path.relpath(DOC, ROOT)}", file=sys.stderr)
        return 0
    except Failure as e:
        print(f"retrospective: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
