"""Writes the corpus of broken scenario files in this folder: each is a valid base
scenario with one thing broken. tests/broken_files.rs runs the binary on every file and
compares the first error line with EXPECTED.tsv (regenerate that with
UPDATE_BROKEN=1 cargo test --test broken_files, and review the diff).

    cd tests/broken && python3 generate.py
"""
import os
BASE = '''# A valid scenario; each broken file changes one thing.
[scenario]
name = "base"
reference_date = 2025-12-31
horizon = 2027-12-31
report_dates = [2026-03-31, 2026-06-30]
paths = 1000
seed = 1

[noise]
model = "lognormal"
sigma = 0.3

[sides.russia]
casualties = { lo = 1_100_000, hi = 1_300_000 }
rate_per_day = { lo = 750, hi = 1_000 }
killed = { lo = 275_000, hi = 325_000 }
killed_share = { lo = 0.23, hi = 0.27 }

[sides.ukraine]
casualties = { lo = 500_000, hi = 600_000 }
rate_per_day = { total = "casualties", from = 2022-02-24 }

[[phases]]
name = "offensive"
start = 2026-04-01
end = 2026-06-30
multiplier = { lo = 1.2, hi = 1.5 }

[[thresholds]]
name = "2M combined"
level = 2_000_000
'''
cases = {}
def rep(name, old, new, count=1):
    assert old in BASE, (name, old)
    cases[name] = BASE.replace(old, new, count).encode()
# syntax
rep("syntax-unclosed-table-header", "[noise]", "[noise")
rep("syntax-unterminated-string", 'name = "base"', 'name = "base')
rep("syntax-missing-equals", "seed = 1", "seed 1")
rep("syntax-bare-key-with-space", "seed = 1", "random seed = 1")
rep("syntax-unclosed-inline-table", "rate_per_day = { lo = 750, hi = 1_000 }", "rate_per_day = { lo = 750, hi = 1_000")
rep("syntax-double-equals", "seed = 1", "seed = = 1")
cases["truncated-mid-table"] = BASE[:BASE.index("[sides.ukraine]") + 8].encode()
cases["truncated-mid-value"] = BASE[:BASE.index("1_300_000") + 4].encode()
cases["truncated-after-scenario"] = BASE[:BASE.index("[noise]")].encode()
cases["empty"] = b""
cases["only-comments"] = b"# nothing here\n# at all\n"
cases["binary-garbage"] = bytes(range(256)) * 4
cases["utf16-le"] = b"\xff\xfe" + BASE.encode("utf-16-le")
cases["utf16-be"] = b"\xfe\xff" + BASE.encode("utf-16-be")
cases["bom-then-error"] = b"\xef\xbb\xbf" + BASE.replace("seed = 1", "seed = -1").encode()
cases["latin1-byte"] = BASE.replace('name = "base"', 'name = "caf\xe9"').encode("latin-1")
cases["nul-byte"] = BASE.replace("seed = 1", "seed = 1\x00").encode()
rep("duplicate-key", "seed = 1", "seed = 1\nseed = 2")
rep("duplicate-table", "[noise]", "[scenario]\nname = \"again\"\n\n[noise]")
rep("duplicate-side", "[sides.ukraine]", "[sides.russia]")
# unknown keys and typos
rep("typo-top-level", "[[thresholds]]", "[[threshold]]")
rep("typo-reference-date", "reference_date", "refrence_date")
rep("typo-side-key", "casualties = { lo = 500_000", "casualites = { lo = 500_000")
rep("typo-noise-key", "sigma = 0.3", "sigam = 0.3")
rep("unknown-key-no-match", "seed = 1", "seed = 1\ncolour = \"red\"")
rep("typo-range-key", "{ lo = 750, hi = 1_000 }", "{ lo = 750, hii = 1_000 }")
rep("typo-phase-key", "multiplier = { lo = 1.2", "multiplyer = { lo = 1.2")
# wrong types
rep("type-paths-string", "paths = 1000", 'paths = "many"')
rep("type-seed-float", "seed = 1", "seed = 1.5")
rep("type-reference-date-int", "reference_date = 2025-12-31", "reference_date = 20251231")
cases["type-sides-string"] = ('sides = "russia"\n' + BASE.replace("[sides.russia]", "[sidez.russia]").replace("[sides.ukraine]", "[sidez.ukraine]")).encode()
rep("type-report-dates-not-array", "report_dates = [2026-03-31, 2026-06-30]", "report_dates = 2026-03-31")
rep("type-casualties-string", "casualties = { lo = 500_000, hi = 600_000 }", 'casualties = "half a million"')
rep("type-casualties-bool", "casualties = { lo = 500_000, hi = 600_000 }", "casualties = true")
rep("type-level-string", "level = 2_000_000", 'level = "2M"')
rep("type-name-int", 'name = "base"', "name = 42")
cases["type-noise-not-table"] = ('noise = "lognormal"\n' + BASE.replace('[noise]\nmodel = "lognormal"\nsigma = 0.3\n', "")).encode()
# range shapes
rep("range-lognormal-lo-above-hi", "{ lo = 750, hi = 1_000 }", "{ lo = 1_750, hi = 1_000 }")
rep("range-lognormal-lo-zero", "{ lo = 750, hi = 1_000 }", "{ lo = 0, hi = 1_000 }")
rep("range-uniform-lo-above-hi", "{ lo = 0.23, hi = 0.27 }", '{ lo = 0.27, hi = 0.23, shape = "uniform" }')
rep("range-triangular-mode-outside", "{ lo = 750, hi = 1_000 }", '{ lo = 750, mode = 1_200, hi = 1_000, shape = "triangular" }')
rep("range-pert-missing-mode", "{ lo = 750, hi = 1_000 }", '{ lo = 750, hi = 1_000, shape = "pert" }')
rep("range-pert-negative-lambda", "{ lo = 750, hi = 1_000 }", '{ lo = 750, mode = 800, hi = 1_000, shape = "pert", lambda = -1 }')
rep("range-normal-interval-above-one", "{ lo = 750, hi = 1_000 }", '{ lo = 750, hi = 1_000, shape = "normal", interval = 1.5 }')
rep("range-fixed-negative", "{ lo = 750, hi = 1_000 }", '{ value = -5, shape = "fixed" }')
rep("range-unknown-shape", "{ lo = 750, hi = 1_000 }", '{ lo = 750, hi = 1_000, shape = "weibull" }')
rep("range-array-of-one", "{ lo = 275_000, hi = 325_000 }", "[275_000]")
rep("range-array-of-three", "{ lo = 275_000, hi = 325_000 }", "[275_000, 300_000, 325_000]")
rep("range-too-wide", "{ lo = 750, hi = 1_000 }", "{ lo = 0.001, hi = 1e9 }")
rep("range-negative-lo", "{ lo = 500_000, hi = 600_000 }", "{ lo = -500_000, hi = 600_000 }")
# NaN and infinities
rep("number-nan", "{ lo = 750, hi = 1_000 }", "{ lo = nan, hi = 1_000 }")
rep("number-inf", "{ lo = 750, hi = 1_000 }", "{ lo = 750, hi = inf }")
rep("number-negative-inf", "level = 2_000_000", "level = -inf")
# too large
rep("too-large-casualties", "{ lo = 1_100_000, hi = 1_300_000 }", "{ lo = 1e299, hi = 1e300 }")
rep("too-large-rate", "{ lo = 750, hi = 1_000 }", "{ lo = 1e19, hi = 1e20 }")
rep("too-large-multiplier", "{ lo = 1.2, hi = 1.5 }", "{ lo = 1e8, hi = 1e9 }")
rep("too-large-level", "level = 2_000_000", "level = 1e30")
rep("too-large-integer", "paths = 1000", "paths = 99999999999999999999")
rep("too-many-paths", "paths = 1000", "paths = 2_000_000_000")
# dates
rep("date-february-30", "start = 2026-04-01", "start = 2026-02-30")
rep("date-string-month-13", "horizon = 2027-12-31", 'horizon = "2027-13-01"')
rep("date-string-april-31", "end = 2026-06-30", 'end = "2026-04-31"')
rep("date-with-time", "horizon = 2027-12-31", "horizon = 2027-12-31T12:00:00")
rep("date-not-iso", "horizon = 2027-12-31", 'horizon = "31/12/2027"')
rep("dates-report-out-of-order", "[2026-03-31, 2026-06-30]", "[2026-06-30, 2026-03-31]")
rep("dates-report-before-reference", "[2026-03-31, 2026-06-30]", "[2025-03-31, 2026-06-30]")
rep("dates-report-after-horizon", "[2026-03-31, 2026-06-30]", "[2026-03-31, 2028-06-30]")
rep("dates-horizon-before-reference", "horizon = 2027-12-31", "horizon = 2025-06-30")
rep("dates-phase-end-before-start", "end = 2026-06-30", "end = 2026-03-01")
rep("dates-phase-after-horizon", "start = 2026-04-01\nend = 2026-06-30", "start = 2028-04-01\nend = 2028-06-30")
rep("dates-implied-rate-from-after-to", "from = 2022-02-24", "from = 2026-02-24")
# unknown or repeated sides
rep("side-unknown-in-threshold", "level = 2_000_000", 'level = 2_000_000\nsides = ["russia", "ukrane"]')
rep("side-unknown-in-phase", "multiplier = { lo = 1.2, hi = 1.5 }", 'multiplier = { lo = 1.2, hi = 1.5 }\nsides = ["belarus"]')
rep("side-unknown-in-multipliers", "multiplier = { lo = 1.2, hi = 1.5 }", "multipliers = { russia = 1.2, rusia = 1.3 }")
rep("side-listed-twice", "level = 2_000_000", 'level = 2_000_000\nsides = ["russia", "russia"]')
rep("side-killed-threshold-without-killed", "level = 2_000_000", 'level = 2_000_000\n\n[[thresholds]]\nname = "killed"\nmetric = "killed"\nlevel = 500_000')
rep("side-named-combined", "[sides.ukraine]", "[sides.combined]")
cases["side-none"] = BASE[:BASE.index("[sides.russia]")].encode() + b"[sides]\n\n" + BASE[BASE.index("[[phases]]"):].encode()
# horizons and paths
rep("horizon-zero-days", "horizon = 2027-12-31", "horizon_days = 0")
rep("horizon-centuries", "horizon = 2027-12-31", "horizon = 2325-12-31")
rep("paths-zero", "paths = 1000", "paths = 0")
rep("paths-negative", "paths = 1000", "paths = -5")
# missing pieces and other rules
cases["missing-noise"] = BASE.replace('[noise]\nmodel = "lognormal"\nsigma = 0.3\n', "").encode()
rep("missing-reference-date", "reference_date = 2025-12-31\n", "")
rep("killed-share-above-one", "{ lo = 0.23, hi = 0.27 }", "{ lo = 0.23, hi = 1.27 }")
rep("killed-without-share", "killed_share = { lo = 0.23, hi = 0.27 }\n", "")
rep("noise-none-with-sigma", 'model = "lognormal"', 'model = "none"')
rep("noise-sigma-and-cv", "sigma = 0.3", "sigma = 0.3\ncv = 0.3")
rep("noise-unknown-model", 'model = "lognormal"', 'model = "poisson"')
rep("threshold-level-zero", "level = 2_000_000", "level = 0")
rep("range-interval-too-small", "{ lo = 750, hi = 1_000 }", "{ lo = 750, hi = 1_000, interval = 1e-17 }")
rep("noise-sigma-too-large", "sigma = 0.3", "sigma = 3")
rep("horizon-after-year-9999", "reference_date = 2025-12-31\nhorizon = 2027-12-31", "reference_date = 9999-06-30\nhorizon_days = 400")
dates = []
import datetime
d0 = datetime.date(2025, 12, 31)
for i in range(1, 1002):
    dates.append(f'"{(d0 + datetime.timedelta(days=i)).isoformat()}"')
cases["too-many-report-dates"] = BASE.replace("horizon = 2027-12-31", "horizon = 2028-12-31").replace(
    "report_dates = [2026-03-31, 2026-06-30]", "report_dates = [" + ", ".join(dates) + "]").encode()
for name, data in cases.items():
    open(name + ".toml", "wb").write(data)
print(len(cases), "files")
