#!/usr/bin/env python3
"""Reference peer for workload W0 = W1 (docs/bench/W1.md) without the daily noise.

Each path draws the four W1 lognormals once; the crossing day is then closed-form:
    day = ceil((2,000,000 - baseline_r - baseline_u) / (rate_r + rate_u)), 0 if the
baseline already reaches 2M, "does not cross" (H+1) if day > H = 1096.
Same output format and quantile definition as w1_numpy.py (inverted CDF over all paths).
numpy default_rng (PCG64), vectorised, in chunks.

usage: python3 w0_numpy.py --paths 1000000 --seed 1 [--chunk 1000000]
"""
import argparse, json, time
import numpy as np

TARGET, H = 2_000_000.0, 1096
Z95 = 1.6448536269514722


def lognormal_5_95(rng, lo, hi, n):
    mu = (np.log(lo) + np.log(hi)) / 2
    sd = (np.log(hi) - np.log(lo)) / (2 * Z95)
    return rng.lognormal(mu, sd, n)


def simulate_chunk(rng, n):
    base = lognormal_5_95(rng, 1.1e6, 1.3e6, n) + lognormal_5_95(rng, 5e5, 6e5, n)
    rate = lognormal_5_95(rng, 750, 1000, n) + lognormal_5_95(rng, 350, 430, n)
    day = np.maximum(np.ceil((TARGET - base) / rate), 0)
    return np.where(day > H, H + 1, day).astype(np.int64)


def summarize(day, n):
    counts = np.bincount(day, minlength=H + 2)           # days 0..H, H+1 = no cross
    cdf = np.cumsum(counts) / n
    def q(p):
        d = int(np.searchsorted(cdf, p, side="left"))
        return None if d > H else d
    return {"p5": q(0.05), "p50": q(0.50), "p95": q(0.95),
            "p_by_90": float(cdf[90]), "p_by_181": float(cdf[181]),
            "frac_no_cross": float(counts[H + 1] / n)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=1_000_000)
    a = ap.parse_args()
    t0 = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    days = np.concatenate([simulate_chunk(rng, min(a.chunk, a.paths - s))
                           for s in range(0, a.paths, a.chunk)])
    out = summarize(days, a.paths)
    secs = time.perf_counter() - t0
    print(json.dumps({**out, "paths": a.paths, "seconds": round(secs, 4),
                      "impl": "numpy " + np.__version__, "workload": "W0"}))


if __name__ == "__main__":
    main()
