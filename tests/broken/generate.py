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
# dynamics (docs/scenarios.md, Dynamics): each appends one section to the base
def app(name, text):
    cases[name] = (BASE + "\n" + text).encode()
EV = '[[events]]\nname = "ceasefire"\nprobability = 0.4\nstart = { from = 2026-03-01, to = 2026-09-30 }\nmultiplier = 0.1\n'
app("event-probability-above-1", EV.replace("probability = 0.4", "probability = 1.5"))
app("event-probability-range-above-1", EV.replace("probability = 0.4", "probability = { lo = 0.5, hi = 1.2, shape = \"uniform\" }"))
app("event-start-before-reference", EV.replace("from = 2026-03-01", "from = 2025-06-01"))
app("event-start-window-reversed", EV.replace("to = 2026-09-30", "to = 2026-01-31"))
app("event-start-after-horizon", EV.replace("start = { from = 2026-03-01, to = 2026-09-30 }", "start = 2029-01-01"))
app("event-start-window-and-hazard", EV.replace("to = 2026-09-30", "to = 2026-09-30, monthly_hazard = 0.1"))
app("event-hazard-zero", EV.replace("to = 2026-09-30", "monthly_hazard = 0"))
app("event-duration-and-end-hazard", EV + "duration_days = 90\nend_monthly_hazard = 0.1\n")
app("event-end-hazard-above-1", EV + "end_monthly_hazard = 2\n")
app("event-duplicate-name", EV + "\n" + EV)
app("event-missing-multiplier", EV.replace("multiplier = 0.1\n", ""))
app("event-unknown-side", EV.replace("multiplier = 0.1", "multipliers = { russia = 0.1, ukrain = 0.1 }"))
app("event-typo-key", EV.replace("probability = 0.4", "probabilty = 0.4"))
RG = '[regimes]\nstep = "month"\ninitial = "grind"\n[regimes.states.grind]\nmultiplier = 1\nnext = { grind = 0.9, offensive = 0.1 }\n[regimes.states.offensive]\nmultiplier = 1.4\nnext = { grind = 0.25, offensive = 0.75 }\n'
app("regime-row-sum-not-one", RG.replace("grind = 0.9, offensive = 0.1", "grind = 0.9, offensive = 0.2"))
app("regime-probability-negative", RG.replace("grind = 0.25, offensive = 0.75", "grind = 1.25, offensive = -0.25"))
app("regime-unknown-next", RG.replace("grind = 0.25, offensive = 0.75", "grind = 0.25, ofensive = 0.75"))
app("regime-unknown-initial", RG.replace('initial = "grind"', 'initial = "lull"'))
app("regime-initial-sum-not-one", RG.replace('initial = "grind"', 'initial = { grind = 0.5, offensive = 0.4 }'))
app("regime-step-typo", RG.replace('step = "month"', 'step = "monthly"'))
app("regime-missing-next", RG.replace("next = { grind = 0.25, offensive = 0.75 }\n", ""))
app("regime-no-states", '[regimes]\nstep = "day"\ninitial = "grind"\n[regimes.states]\n')
app("season-eleven-months", '[seasonality]\nmonths = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n')
app("season-negative-factor", '[seasonality]\nmonths = [1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1]\n')
app("season-amplitude-above-1", '[seasonality]\namplitude = 1.5\npeak_month = 7\n')
app("season-peak-month-13", '[seasonality]\namplitude = 0.2\npeak_month = 13\n')
app("trend-below-minus-99", '[trend]\npercent_per_month = -120\n')
app("trend-range-reversed", '[trend]\npercent_per_month = { lo = 2, hi = -1 }\n')
app("trend-shape-unknown", '[trend]\npercent_per_month = { lo = -1, hi = 2, shape = "lognormal" }\n')
CR = '[[correlations]]\ninputs = ["sides.russia.rate_per_day", "sides.ukraine.casualties"]\nrho = 0.5\n'
app("correlation-unknown-input", CR.replace("sides.ukraine.casualties", "sides.ukraine.casualtes"))
app("correlation-implied-rate", CR.replace("sides.ukraine.casualties", "sides.ukraine.rate_per_day"))
app("correlation-rho-one", CR.replace("rho = 0.5", "rho = 1"))
app("correlation-one-input", CR.replace('"sides.russia.rate_per_day", ', ""))
app("correlation-input-twice", CR + "\n" + CR.replace("rho = 0.5", "rho = 0.2"))
app("correlation-rho-and-spearman", CR + "spearman = 0.4\n")
cases["correlation-pert-input"] = (BASE.replace("rate_per_day = { lo = 750, hi = 1_000 }", "rate_per_day = { lo = 750, mode = 900, hi = 1_000, shape = \"pert\" }") + "\n" + CR).encode()
FB = BASE.replace("killed_share = { lo = 0.23, hi = 0.27 }\n", "killed_share = { lo = 0.23, hi = 0.27 }\nforce = { lo = 600_000, hi = 750_000 }\n")
cases["force-without-section"] = FB.encode()
cases["force-side-missing-force"] = (FB + '\n[force]\nlaw = "square"\n').encode()
cases["force-law-typo"] = (FB.replace('rate_per_day = { total = "casualties", from = 2022-02-24 }', 'rate_per_day = { total = "casualties", from = 2022-02-24 }\nforce = 400_000') + '\n[force]\nlaw = "squared"\n').encode()
cases["force-return-above-1"] = (FB.replace('rate_per_day = { total = "casualties", from = 2022-02-24 }', 'rate_per_day = { total = "casualties", from = 2022-02-24 }\nforce = 400_000\nreturn_to_duty = 1.5') + '\n[force]\nlaw = "square"\n').encode()
cases["force-return-without-force"] = BASE.replace("killed_share = { lo = 0.23, hi = 0.27 }\n", "killed_share = { lo = 0.23, hi = 0.27 }\nreturn_to_duty = 1.5\n").encode()
cases["force-zero"] = (FB.replace("force = { lo = 600_000, hi = 750_000 }", "force = 0").replace('rate_per_day = { total = "casualties", from = 2022-02-24 }', 'rate_per_day = { total = "casualties", from = 2022-02-24 }\nforce = 400_000') + '\n[force]\nlaw = "linear"\n').encode()
cases["noise-correlation-without-noise"] = BASE.replace('model = "lognormal"\nsigma = 0.3', 'model = "none"\ncorrelation = 0.5').encode()
app("correlation-spearman-bound", '[[correlations]]\ninputs = ["sides.russia.rate_per_day", "sides.russia.casualties", "sides.ukraine.casualties"]\nspearman = -0.49\n')
cases["noise-correlation-negative"] = BASE.replace("sigma = 0.3", "sigma = 0.3\ncorrelation = -0.2").encode()
# bad input that got through, or cost too much (issue 12 item 6); the big-file cases
# (a 5 MB key, a line past the limit, a file past 1 MiB) are generated at test time by
# tests/broken_files.rs, not committed
cases["nul-in-key"] = BASE.replace("seed = 1", "se\x00ed = 1").encode()
rep("dotted-key-too-deep", "[[thresholds]]", "[" + ".".join(["a"] * 100) + "]\n\n[[thresholds]]")
rep("nested-arrays-too-deep", "seed = 1", "seed = " + "[" * 200 + "]" * 200)
rep("nested-inline-tables-too-deep", "seed = 1", "seed = " + "{ a = " * 200 + "1" + " }" * 200)
rep("unknown-key-long", "seed = 1", "seed = 1\n" + "k" * 2000 + " = 1")
rep("unknown-key-control-characters", "seed = 1", 'seed = 1\n"red\\u001b[31m\\u202e" = 1')
rep("noise-unknown-model-long", 'model = "lognormal"', 'model = "' + "x" * 500 + '"')
rep("noise-cv-subnormal", 'model = "lognormal"\nsigma = 0.3', 'model = "gamma"\ncv = 1e-320')
rep("noise-cv-tiny-gamma", 'model = "lognormal"\nsigma = 0.3', 'model = "gamma"\ncv = 1e-160')
rep("noise-sigma-tiny", "sigma = 0.3", "sigma = 1e-9")
rep("seed-above-toml-range", "seed = 1", "seed = 18446744073709551615")
rep("seed-2-pow-63", "seed = 1", "seed = 9223372036854775808")
PH = "".join(f'[[phases]]\nname = "surge {i}"\nstart = 2026-07-01\nmultiplier = 1e6\n\n' for i in range(55))
rep("overflow-stacked-phases", "[[thresholds]]", PH + "[[thresholds]]")
cases["overflow-trend-century"] = (BASE.replace("horizon = 2027-12-31", "horizon = 2125-12-31") + "\n[trend]\npercent_per_month = 1000\n").encode()
EVX = "".join(f'[[events]]\nname = "e{i}"\nprobability = 1\nstart = 2026-03-01\nmultiplier = 1e6\n\n' for i in range(10))
cases["overflow-events-and-regimes"] = (BASE + "\n" + EVX + '[regimes]\nstep = "month"\ninitial = "a"\n[regimes.states.a]\nmultiplier = 1e6\nnext = { a = 1 }\n\n[seasonality]\nmonths = [1e6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1e6]\n\n' + "".join(f'[[phases]]\nname = "q{i}"\nstart = 2026-07-01\nmultiplier = 1e6\n\n' for i in range(40))).encode()
rep("too-many-thresholds", "[[thresholds]]", "".join(f'[[thresholds]]\nname = "t{i}"\nlevel = {i + 1}_000_000\n\n' for i in range(20)) + "[[thresholds]]")
rep("too-many-sides", "[[phases]]", "".join(f'[sides.s{i}]\ncasualties = 1000\nrate_per_day = 10\n\n' for i in range(15)) + "[[phases]]")
rep("too-many-phases", "[[thresholds]]", "".join(f'[[phases]]\nname = "p{i}"\nstart = 2026-07-01\nmultiplier = 1.01\n\n' for i in range(100)) + "[[thresholds]]")
app("too-many-events", "".join(f'[[events]]\nname = "e{i}"\nprobability = 0.1\nstart = 2026-03-01\nmultiplier = 0.5\n\n' for i in range(11)))
app("too-many-regimes", '[regimes]\nstep = "month"\ninitial = "r0"\n' + "".join(f'[regimes.states.r{i}]\nmultiplier = 1\nnext = {{ r0 = 1 }}\n' for i in range(21)))
app("too-many-correlations", "".join(f'[[phases]]\nname = "c{i}"\nstart = 2026-07-01\nmultipliers = {{ russia = [1, 1.1], ukraine = [1, 1.1] }}\n\n' for i in range(51)) + "".join(f'[[correlations]]\ninputs = ["phases.c{i}.multipliers.russia", "phases.c{i}.multipliers.ukraine"]\nrho = 0.5\n\n' for i in range(51)))
rep("name-too-long", 'name = "offensive"', 'name = "' + "o" * 101 + '"')
rep("side-name-too-long", "[sides.ukraine]", "[sides.u" + "k" * 100 + "]")
rep("title-too-long", 'name = "base"', 'name = "base"\ntitle = "' + "t" * 201 + '"')
for name, data in cases.items():
    open(name + ".toml", "wb").write(data)
print(len(cases), "files")
