"""Writes the worst accepted scenario files measured in docs/reliability.md (Limits): every
count at its limit (limits.toml), and files of 1 MiB that only the loader reads (a big
array, long lines, many unknown keys). Not part of the test suite: the loader tests check
each limit at its border.

    python3 tests/broken/limits.py /tmp/limits
"""
import datetime, os, sys
os.makedirs(sys.argv[1] if len(sys.argv) > 1 else "/tmp/limits", exist_ok=True)
os.chdir(sys.argv[1] if len(sys.argv) > 1 else "/tmp/limits")
d0 = datetime.date(2025, 12, 31)
H = 36525
def day(i): return (d0 + datetime.timedelta(days=i)).isoformat()
S = [f"s{i}" for i in range(16)]
out = ['[scenario]\nname = "limits"\nreference_date = 2025-12-31\nhorizon_days = %d\npaths = 2048\nseed = 9223372036854775807' % H]
# 1,000 report dates spread over the horizon, ten to a line
rd = [day(1 + i * 36) for i in range(1000)]
out.append("report_dates = [\n" + "\n".join("  " + ", ".join(rd[i:i+10]) + "," for i in range(0, 1000, 10)) + "\n]\n")
out.append('[noise]\nmodel = "lognormal"\ncv = 0.3\ncorrelation = 0.5\n')
for s in S:
    out.append(f'[sides.{s}]\ncasualties = {{ lo = 100_000, hi = 200_000 }}\nrate_per_day = {{ lo = 100, hi = 300 }}\nkilled = {{ lo = 20_000, hi = 40_000 }}\nkilled_share = {{ lo = 0.2, hi = 0.3, shape = "uniform" }}\n')
for i in range(100):
    a = 1 + (i * 365) % (H - 400)
    out.append(f'[[phases]]\nname = "p{i}"\nstart = {day(a)}\nend = {day(a + 300)}\nmultiplier = {{ lo = 0.9, hi = 1.2 }}\n')
for i in range(10):
    out.append(f'[[events]]\nname = "e{i}"\nprobability = 0.5\nstart = {{ from = {day(10 + i)}, monthly_hazard = 0.05 }}\nmultiplier = {{ lo = 0.5, hi = 1.5 }}\nend_monthly_hazard = 0.1\n')
names = [f"r{i}" for i in range(20)]
out.append('[regimes]\nstep = "day"\ninitial = "r0"\n')
for i, n in enumerate(names):
    nxt = ", ".join(f"{m} = {0.05}" for m in names)
    out.append(f'[regimes.states.{n}]\nmultiplier = {{ lo = 0.8, hi = 1.25 }}\nnext = {{ {nxt} }}\n')
out.append('[seasonality]\namplitude = 0.3\npeak_month = 7\n')
out.append('[trend]\npercent_per_month = { lo = -0.5, hi = 0.5 }\n')
inputs = [f"sides.{s}.{k}" for s in S for k in ["casualties", "rate_per_day", "killed", "killed_share"]] + [f"phases.p{i}.multiplier" for i in range(100)]
for g in range(50):
    out.append(f'[[correlations]]\ninputs = ["{inputs[2*g]}", "{inputs[2*g+1]}"]\nrho = 0.3\n')
for t in range(20):
    out.append(f'[[thresholds]]\nname = "t{t}"\nmetric = "{"killed" if t % 2 else "casualties"}"\nlevel = {(t + 1) * 1_000_000}\n')
open("limits.toml", "w").write("\n".join(out))
# 1 MiB of unknown keys, each line as long as allowed (32 KiB)
open("long-lines.toml", "w").write("\n".join("k%d%s = 1" % (i, "k" * 32750) for i in range(31)) + "\n")
# 1 MiB of short unknown keys (diagnostics capped at 100)
lines = []; size = 0; i = 0
while size < (1 << 20) - 40:
    l = f"key_{i} = 1"; lines.append(l); size += len(l) + 1; i += 1
open("many-keys.toml", "w").write("\n".join(lines) + "\n")
# 1 MiB of numbers in one array, under the line limit
open("big-array.toml", "w").write("x = [\n" + "\n".join(",".join(["1"] * 16000) + "," for _ in range(32)) + "\n]\n")
