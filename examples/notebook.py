#!/usr/bin/env python3
"""A notebook-style workflow: run attrition from Python, load its JSON summary and its
per-path samples (Parquet and CSV) into pandas, and draw a chart with matplotlib.

Cells are marked with `# %%` (VS Code, Jupytext and Spyder run them one by one).

    python3 -m venv .venv && .venv/bin/pip install pandas pyarrow matplotlib
    cargo build --release
    .venv/bin/python examples/notebook.py            # writes target/notebook/*.png
    .venv/bin/python examples/notebook.py --check    # the same, asserting what it loaded

The binary is taken from $ATTRITION_BIN, else target/release/attrition, else
target/debug/attrition.
"""
# %% Setup
import argparse, json, os, subprocess, sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")  # files, not windows
import matplotlib.pyplot as plt
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("--check", action="store_true", help="assert what was loaded")
ap.add_argument("--out", default=str(ROOT / "target" / "notebook"))
args = ap.parse_args()
OUT = Path(args.out)
OUT.mkdir(parents=True, exist_ok=True)


def binary():
    for candidate in (os.environ.get("ATTRITION_BIN"),
                      ROOT / "target" / "release" / "attrition",
                      ROOT / "target" / "debug" / "attrition"):
        if candidate and Path(candidate).exists():
            return str(candidate)
    sys.exit("attrition is not built: run `cargo build --release` first")


def attrition(*argv):
    """Runs the CLI and returns its stdout; a failure shows its error message."""
    r = subprocess.run([binary(), *map(str, argv)], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"attrition {' '.join(map(str, argv))} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


# %% Run two scenarios and load the summary
PATHS = 20_000
doc = json.loads(attrition("run", "scenarios/status-quo.toml", "scenarios/ceasefire-2026.toml",
                           "--paths", PATHS, "--format", "json", "--quiet"))
crossing = pd.concat([
    pd.json_normalize(p["thresholds"], record_path="crossing", meta=["name"]).assign(
        scenario=p["scenario"]["name"])
    for p in doc["projections"]
])
print(crossing.pivot_table(index=["scenario", "name"], columns="p", values="date", aggfunc="first"))
# The noise each run used, as numbers (sigma for lognormal, shape for gamma, cv for both).
print(pd.DataFrame([{"scenario": p["scenario"]["name"], **p["run"]["noise"]} for p in doc["projections"]])
      .set_index("scenario")[["model", "sigma", "cv", "shape", "correlation"]])

# %% Per-path samples of the ceasefire scenario, as Parquet and as CSV
parquet, csv = OUT / "ceasefire-paths.parquet", OUT / "ceasefire-paths.csv"
for f in (parquet, csv):
    attrition("run", "scenarios/ceasefire-2026.toml", "--paths", PATHS, "--samples", f,
              "--format", "json", "--out", OUT / "ceasefire.json", "--quiet")
paths = pd.read_parquet(parquet)
paths_csv = pd.read_csv(csv)
day = paths["crossing_day.2M combined casualties"]   # missing (NA) where not crossed
print(paths.describe().T[["mean", "min", "max"]])

# %% Chart: P(crossed by date) for both scenarios, from the samples of each
fig, ax = plt.subplots(figsize=(8, 4.5))
reference = pd.Timestamp(doc["projections"][0]["scenario"]["reference_date"])
for name in ("status-quo", "ceasefire-2026"):
    f = OUT / f"{name}-paths.parquet"
    attrition("run", f"scenarios/{name}.toml", "--paths", PATHS, "--samples", f,
              "--format", "json", "--out", OUT / f"{name}.json", "--quiet")
    d = pd.read_parquet(f)["crossing_day.2M combined casualties"].dropna().sort_values()
    cdf = pd.Series(range(1, len(d) + 1), index=reference + pd.to_timedelta(d.values, "D")) / PATHS
    ax.step(cdf.index, cdf.values, where="post", label=name)
ax.set(title="When do combined casualties reach 2 million?",
       ylabel="P(crossed by date)", xlabel="date")
ax.legend()
fig.autofmt_xdate()
chart = OUT / "crossing-cdf.png"
fig.savefig(chart, dpi=120, bbox_inches="tight")
print(f"chart written to {chart}")

# %% Peace talks: crossing with and without the ceasefire, from the samples
talks_parquet = OUT / "peace-talks-paths.parquet"
talks = json.loads(attrition("run", "scenarios/peace-talks.toml", "--paths", PATHS,
                             "--samples", talks_parquet, "--format", "json", "--quiet"))
talks_event = talks["projections"][0]["events"][0]
talks_paths = pd.read_parquet(talks_parquet)
print(f"ceasefire happened on {talks_event['p_happened']:.1%} of paths")
print(talks_paths.groupby("events.ceasefire.happened")["crossing_day.2M combined casualties"]
      .describe()[["count", "25%", "50%", "75%"]])

# %% Calibration: the fitted rate as JSON (the same numbers as the TOML fragment)
fit = json.loads(attrition("fit", "data/ua_gs_russian_personnel.csv", "--corrections",
                           "data/ua_gs_russian_losses_corrections.csv",
                           "--window", "2025-10-03..2025-12-31", "--format", "json"))
print(json.dumps({k: fit[k] for k in fit if k not in ("diagnostics",)}, indent=1)[:600])

# %% Checks (run with --check): what the notebook loaded is what the tool computed
if args.check:
    passed = failed = 0

    def check(ok, what):
        global passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("ok      " if ok else "FAILED  ") + what)

    summary = json.loads((OUT / "ceasefire-2026.json").read_text())["projections"][0]
    t = summary["thresholds"][0]
    check(doc["schema_version"] == 3 and len(doc["projections"]) == 2, "JSON has two projections")
    import math
    noise = doc["projections"][0]["run"]["noise"]
    check(noise["model"] == "lognormal" and noise["shape"] is None
          and abs(noise["cv"] - math.sqrt(math.expm1(noise["sigma"] ** 2))) < 1e-15,
          "run.noise as fields: cv = sqrt(exp(sigma^2) - 1)")
    check(len(paths) == PATHS and list(paths["path"]) == list(range(PATHS)), "one Parquet row per path")
    import pyarrow.parquet as pq
    schema = pq.read_schema(parquet)
    check([str(schema.field(c).type) for c in ("path", "sides.russia.casualties", day.name)]
          == ["int64", "double", "int32"], "Parquet column types: int64, double, nullable int32")
    check(paths.drop(columns=[c for c in paths if c.startswith("crossing_day")]).equals(
        paths_csv.drop(columns=[c for c in paths_csv if c.startswith("crossing_day")])),
        "CSV and Parquet samples hold the same numbers")
    check(abs(day.isna().mean() - t["p_not_crossed"]) < 1e-12, "P(not crossed) from samples = summary")
    counts = t["day_counts"]
    for c in t["p_crossed_by"]:
        # The summary counts every path's crossing day exactly (day_counts); its P(crossed
        # by) averages each path's conditional probability instead (docs/precision.md), an
        # estimate of the same number with a far smaller error: within 4 of the samples'.
        share = (day <= c["day"]).sum() / PATHS
        check((day <= c["day"]).sum() == sum(counts[: c["day"] + 1]),
              f"paths crossed by {c['date']} from samples = summary's day counts")
        binomial = math.sqrt(max(share * (1 - share), 1 / PATHS) / PATHS)
        check(abs(share - c["p"]) < 4 * binomial,
              f"P(crossed by {c['date']}) from samples ({share}) within 4 se of summary ({c['p']})")
    median = int(day.fillna(10**9).sort_values().iloc[PATHS // 2 - 1])
    check(median == t["crossing"][2]["day"], "median crossing day from samples = summary")
    check(chart.exists() and chart.stat().st_size > 10_000, "chart written")
    happened = talks_paths["events.ceasefire.happened"] == 1
    check(abs(happened.mean() - talks_event["p_happened"]) < 1e-12,
          "P(ceasefire happened) from samples = summary")
    for flag, key in ((True, "with_event"), (False, "without_event")):
        group = talks_paths.loc[happened == flag, "crossing_day.2M combined casualties"]
        want = talks_event["thresholds"][0][key]
        n = len(group)
        med = int(group.fillna(10**9).sort_values().iloc[-(-n // 2) - 1])
        check(n == want["paths"] and med == want["crossing"][2]["day"],
              f"{key}: paths and median crossing day from samples = summary")
    print(f"notebook: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
