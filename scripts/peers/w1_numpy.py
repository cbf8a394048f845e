#!/usr/bin/env python3
"""Reference peer for workload W1 ("status quo to 2 million", docs/bench/W1.md).

Plain numpy, written the way a competent modeler would in a notebook: vectorised over
paths, stepping day by day, dropping paths from the active set once they cross, and
processing paths in chunks so memory stays bounded. RNG: numpy default_rng (PCG64).

Quantiles are of the crossing day over all paths, by the inverted CDF (the smallest day d
with P(day <= d) >= q); a path that does not cross counts as day H+1, and a quantile that
lands there is reported as null.

usage: python3 w1_numpy.py --paths 1000000 --seed 1 [--chunk 100000] [--noise lognormal|gamma]

--noise gamma runs variant W1g (gamma day-to-day multipliers, same mean and CV).
"""
import argparse, json, time
import numpy as np

TARGET, H, SIGMA = 2_000_000.0, 1096, 0.3
Z95 = 1.6448536269514722
K_GAMMA = 1 / (np.exp(SIGMA**2) - 1)   # W1g shape: same mean and CV as the lognormal


def lognormal_5_95(rng, lo, hi, n):
    mu = (np.log(lo) + np.log(hi)) / 2
    sd = (np.log(hi) - np.log(lo)) / (2 * Z95)
    return rng.lognormal(mu, sd, n)


def simulate_chunk(rng, n, noise="lognormal"):
    """Crossing day of n paths (H+1 = does not cross)."""
    base = lognormal_5_95(rng, 1.1e6, 1.3e6, n) + lognormal_5_95(rng, 5e5, 6e5, n)
    rate_r = lognormal_5_95(rng, 750, 1000, n)
    rate_u = lognormal_5_95(rng, 350, 430, n)
    day = np.full(n, H + 1, dtype=np.int64)
    day[base >= TARGET] = 0
    idx = np.flatnonzero(base < TARGET)                  # active paths
    cum, rr, ru = base[idx], rate_r[idx], rate_u[idx]
    for d in range(1, H + 1):
        if idx.size == 0:
            break
        if noise == "gamma":
            m = rng.gamma(K_GAMMA, 1 / K_GAMMA, (2, idx.size))    # W1g: mean-one gamma
        else:
            m = rng.lognormal(-SIGMA**2 / 2, SIGMA, (2, idx.size))   # mean-one multipliers
        cum += rr * m[0] + ru * m[1]
        hit = cum >= TARGET
        if hit.any():
            day[idx[hit]] = d
            keep = ~hit
            idx, cum, rr, ru = idx[keep], cum[keep], rr[keep], ru[keep]
    return day


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
    ap.add_argument("--chunk", type=int, default=100_000)
    ap.add_argument("--noise", choices=("lognormal", "gamma"), default="lognormal")
    a = ap.parse_args()
    t0 = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    days = np.concatenate([simulate_chunk(rng, min(a.chunk, a.paths - s), a.noise)
                           for s in range(0, a.paths, a.chunk)])
    out = summarize(days, a.paths)
    secs = time.perf_counter() - t0
    print(json.dumps({**out, "paths": a.paths, "seconds": round(secs, 4),
                      "impl": "numpy " + np.__version__,
                      "workload": "W1g" if a.noise == "gamma" else "W1"}))


if __name__ == "__main__":
    main()
