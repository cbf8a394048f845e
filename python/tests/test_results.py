"""The API's results are the command's: its JSON, unchanged, and tables that hold exactly
its numbers; the samples agree with the summary."""

import datetime as dt
import math

import pandas as pd
import pytest

import attrition

SCENARIO = "scenarios/status-quo.toml"
PATHS = 4000


def test_run_gives_the_cli_json_and_tables_of_its_numbers(cli):
    r = attrition.run(SCENARIO, paths=PATHS, seed=7, by=pd.Timestamp("2026-05-01"),
                      quantiles=[0.1, 0.5, 0.9])
    doc = cli("run", SCENARIO, "-n", PATHS, "-s", 7, "--by", "2026-05-01",
              "--quantiles", "0.1,0.5,0.9", "-f", "json")
    assert r.raw == doc
    p = doc["projections"][0]
    assert (r.name, r.paths, r.seed) == ("status-quo", PATHS, 7)
    assert r.reference_date == dt.date(2025, 12, 31)

    crossing = r.crossing
    want = [(t["name"], q["p"], q["day"], q["date"]) for t in p["thresholds"] for q in t["crossing"]]
    got = [(row.threshold, row.p, row.day, row.date.date().isoformat())
           for row in crossing.itertuples()]
    assert got == want
    assert sorted(set(crossing["p"])) == [0.1, 0.5, 0.9]
    assert str(crossing["day"].dtype) == "Int64"
    assert str(crossing["date"].dtype).startswith("datetime64")

    probabilities = r.probabilities
    want = [(t["name"], c["date"], c["p"], c["se"]) for t in p["thresholds"] for c in t["p_crossed_by"]]
    got = [(row.threshold, row.date.date().isoformat(), row.p, row.se)
           for row in probabilities.itertuples()]
    assert got == want
    assert "2026-05-01" in {d for _, d, _, _ in got}

    stocks = r.stocks
    want = [(s["series"], s["metric"], pt["date"], q["p"], q["value"])
            for s in p["stocks"] for pt in s["points"] for q in pt["quantiles"]]
    got = [(row.series, row.metric, row.date.date().isoformat(), row.p, row.value)
           for row in stocks.itertuples()]
    assert got == want

    t = r.thresholds.iloc[0]
    assert t.threshold == p["thresholds"][0]["name"]
    assert t.p_not_crossed == p["thresholds"][0]["p_not_crossed"]
    assert t.mean_of_crossed_day == p["thresholds"][0]["mean_of_crossed"]["day"]


def test_a_toml_string_runs_as_its_file_would(cli, tmp_path):
    text = open(SCENARIO, encoding="utf-8").read()
    r = attrition.run(text, paths=PATHS)
    doc = cli("run", SCENARIO, "-n", PATHS, "-f", "json")
    assert r.raw["projections"][0]["scenario"]["file"] == "<string>"
    doc["projections"][0]["scenario"]["file"] = "<string>"
    assert r.raw == doc


def test_set_as_a_dict_is_set_as_key_value_arguments(cli):
    r = attrition.run(SCENARIO, paths=PATHS, set={
        "noise.sigma": 0.2,
        "sides.russia.rate_per_day": {"lo": 900, "hi": 1200},
        "scenario.title": 'what "if"',
    })
    doc = cli("run", SCENARIO, "-n", PATHS, "-f", "json", "--set", "noise.sigma=0.2",
              "--set", "sides.russia.rate_per_day={ lo = 900, hi = 1200 }",
              "--set", 'scenario.title="what \\"if\\""')
    assert r.raw == doc
    assert r.projection["scenario"]["title"] == 'what "if"'
    assert attrition.run(SCENARIO, paths=PATHS, set=["noise.sigma=0.2"]).raw["projections"][0]["run"]["noise"]["sigma"] == 0.2


def test_the_samples_hold_the_summary_s_paths():
    # Plain Monte Carlo: every figure counts the paths the samples hold.
    r = attrition.run(SCENARIO, paths=PATHS, samples=True, plain=True)
    assert r.method == {"name": "plain"}
    s = r.samples()
    assert list(s["path"]) == list(range(PATHS))
    for t in r.projection["thresholds"]:
        day = s[f"crossing_day.{t['name']}"]
        assert abs(day.isna().mean() - t["p_not_crossed"]) < 1e-12
        for c in t["p_crossed_by"]:
            assert c["method"] == "plain"
            assert abs((day <= c["day"]).sum() / PATHS - c["p"]) < 1e-12
    # The CDF from the exact day counts gives the same probabilities.
    cdf = r.cdf()
    for row in r.probabilities.itertuples():
        at = cdf[(cdf.threshold == row.threshold) & (cdf.day == row.day)]
        assert abs(at.p.iloc[0] - row.p) < 1e-12
    assert len(r.cdf("2M combined casualties")) == r.projection["scenario"]["horizon_days"] + 1
    with pytest.raises(KeyError, match="no threshold named 'nope'"):
        r.cdf("nope")
    # The temporary samples go with the result.
    path = r.samples_path
    del r, s
    import gc
    gc.collect()
    import os
    assert not os.path.exists(path)


def test_the_default_run_counts_its_samples_and_conditions_its_probabilities():
    # Randomized quasi-Monte Carlo with conditional probabilities (docs/precision.md):
    # the day counts, quantiles and CDF count the sampled paths; P(crossed by) at a
    # report date integrates a baseline out, and agrees with the paths' share within its
    # plain standard error.
    r = attrition.run(SCENARIO, paths=PATHS, samples=True)
    assert r.method["name"] == "reduced"
    s = r.samples()
    cdf = r.cdf()
    for t in r.projection["thresholds"]:
        day = s[f"crossing_day.{t['name']}"]
        counts = day.dropna().astype(int).value_counts()
        assert [counts.get(d, 0) for d in range(len(t["day_counts"]) - 1)] == t["day_counts"][:-1]
        assert t["day_counts"][-1] == day.isna().sum()
        median = int(day.fillna(10**9).sort_values().iloc[PATHS // 2 - 1])
        assert median == next(q["day"] for q in t["crossing"] if q["p"] == 0.5)
        for c in t["p_crossed_by"]:
            share = (day <= c["day"]).mean()
            at = cdf[(cdf.threshold == t["name"]) & (cdf.day == c["day"])].p.iloc[0]
            assert abs(at - share) < 1e-12
            plain_se = math.sqrt(max(share * (1 - share), 1 / PATHS) / PATHS)
            assert abs(share - c["p"]) < 4 * plain_se, (c, share)
    assert set(r.probabilities["method"]) <= {"conditional", "rqmc", "plain"}
    assert {"ci_low_day", "ci_high_day", "ci_low_date", "ci_high_date"} <= set(r.crossing.columns)
    assert str(r.crossing["ci_low_day"].dtype) == "Int64"
    assert (r.crossing["ci_low_day"] <= r.crossing["day"]).all()
    assert {"ci_low", "ci_high"} <= set(r.stocks.columns)


def test_samples_to_a_file_are_kept(tmp_path):
    out = tmp_path / "paths.parquet"
    r = attrition.run(SCENARIO, paths=2000, samples=out)
    assert out.exists() and r.samples().shape[0] == 2000
    with pytest.raises(ValueError, match="samples=True"):
        attrition.run(SCENARIO, paths=2000).samples()


def test_the_fan_is_the_figures_data(tmp_path):
    r = attrition.run(SCENARIO, paths=3000, plot=tmp_path / "fig")
    assert (tmp_path / "fig" / "figures.json").exists()
    fan = r.fan
    assert set(fan["series"]) == {"russia", "ukraine", "combined"}
    days = sorted(set(fan["day"]))
    assert days[1] - days[0] == 7, "a weekly grid"
    assert attrition.run(SCENARIO, paths=3000, fan=True).fan.equals(fan)
    # Figures never change the numbers.
    assert r.raw == attrition.run(SCENARIO, paths=3000).raw
    with pytest.raises(ValueError, match="fan=True"):
        attrition.run(SCENARIO, paths=1000).fan


def test_compare_gives_the_cli_json(cli):
    a, b = "scenarios/status-quo-recent.toml", "scenarios/escalation-2026.toml"
    c = attrition.compare(a, b, paths=PATHS, seed=11)
    assert c.raw == cli("compare", a, b, "-n", PATHS, "-s", 11, "-f", "json")
    pair = c.raw["comparison"]["against"][0]
    q = c.quantiles
    assert list(q["diff_days"]) == [x["diff_days"] for x in pair["quantiles"]]
    assert list(q["ci_low"]) == [x["ci_low"] for x in pair["quantiles"]]
    assert (q["scenario_date"] - q["baseline_date"]).dt.days.tolist() == list(q["diff_days"])
    assert c.first.p_scenario_first.iloc[0] == pair["p_scenario_first"]
    assert (c.baseline, c.threshold) == ("status-quo-recent", "2M combined casualties")
    plain = attrition.compare(a, b, paths=PATHS, seed=11, plain=True)
    assert plain.raw == cli("compare", a, b, "-n", PATHS, "-s", 11, "--plain", "-f", "json")
    assert plain.raw["comparison"]["method"]["name"] == "plain"


def test_sensitivity_gives_the_cli_json_and_tables_of_its_numbers(cli):
    s = attrition.sensitivity(SCENARIO, paths=2048, seed=3, threshold="2M combined casualties")
    assert s.raw == cli("sensitivity", SCENARIO, "-n", 2048, "-s", 3,
                        "--threshold", "2M combined casualties", "-f", "json")
    first_output = s.raw["outputs"][0]
    idx = s.indices
    rows = idx[idx.output == first_output["output"]]
    assert list(rows.group) == [i["group"] for i in first_output["indices"]]
    assert list(rows.total) == [i["total"] for i in first_output["indices"]]
    assert list(s.groups.group) == [g["name"] for g in s.raw["groups"]]
    t = s.tornado
    bars = s.raw["tornado"][0]["bars"]
    low = t[(t.input == bars[0]["input"]) & (t.end == "low")]
    assert list(low.day) == [q["day"] for q in bars[0]["low"]["crossing"]]
    assert t[t.end == "unheld"].shape[0] == len(s.raw["tornado"][0]["baseline"]["crossing"])
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.sensitivity(SCENARIO, paths=2048, threshold="no such threshold")
    assert "--threshold" in str(e.value)


def test_sweep_gives_the_cli_json_and_tables_of_its_numbers(cli):
    grid = {"noise.sigma": [0.1, 0.25], "sides.russia.rate_per_day": [[900, 1100], {"lo": 1000, "hi": 1300}]}
    s = attrition.sweep(SCENARIO, grid, paths=1024, seed=5)
    assert s.raw == cli("sweep", SCENARIO, "-n", 1024, "-s", 5, "--grid", "noise.sigma=0.1,0.25",
                        "--grid", "sides.russia.rate_per_day=[900, 1100],{ lo = 1000, hi = 1300 }",
                        "-f", "json")
    # The same grid as command-line strings gives the same figures (the values' text is
    # as given).
    again = attrition.sweep(SCENARIO, ["noise.sigma=0.1,0.25",
                                       "sides.russia.rate_per_day=[900,1100],{lo=1000,hi=1300}"],
                            paths=1024, seed=5)
    assert [p["thresholds"] for p in again.raw["points"]] == [p["thresholds"] for p in s.raw["points"]]
    assert s.keys == ["noise.sigma", "sides.russia.rate_per_day"]
    params = s.parameters
    assert list(params["noise.sigma"]) == [0.1, 0.1, 0.25, 0.25]
    assert list(params["sides.russia.rate_per_day"])[:2] == ["[900, 1100]", "{ lo = 1000, hi = 1300 }"]
    point = s.raw["points"][3]
    threshold = point["thresholds"][0]
    c = s.crossing
    rows = c[(c.point == 3) & (c.threshold == threshold["name"])]
    assert list(rows.day) == [q["day"] for q in threshold["crossing"]]
    assert set(rows["noise.sigma"]) == {0.25}
    p = s.probabilities
    rows = p[(p.point == 3) & (p.threshold == threshold["name"])]
    assert list(rows.p) == [q["p"] for q in threshold["p_crossed_by"]]
    assert list(rows.se) == [q["se"] for q in threshold["p_crossed_by"]]
    t = s.thresholds
    assert t[(t.point == 3) & (t.threshold == threshold["name"])].p_not_crossed.iloc[0] == threshold["p_not_crossed"]
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.sweep(SCENARIO, {"noise.no_such_key": [1, 2]}, paths=1024)
    assert e.value.problems[0].argument.startswith("--grid")
    with pytest.raises(TypeError):
        attrition.sweep(SCENARIO, {"noise.sigma": 0.1})


def test_numpy_and_pandas_values_are_written_as_toml(cli):
    import numpy as np

    s = attrition.sweep(SCENARIO, {"noise.sigma": np.linspace(0.1, 0.2, 2)}, paths=1024, seed=5)
    assert [p["key"] for p in s.raw["parameters"]] == ["noise.sigma"]
    assert s.raw["parameters"][0]["values"] == [0.1, 0.2]
    r = attrition.run(SCENARIO, paths=1024, seed=5,
                      set={"noise.sigma": np.float64(0.2), "scenario.paths": np.int64(1024),
                           "scenario.horizon": pd.Timestamp("2029-06-30")})
    doc = cli("run", SCENARIO, "-n", 1024, "-s", 5, "--set", "noise.sigma=0.2",
              "--set", "scenario.paths=1024", "--set", "scenario.horizon=2029-06-30", "-f", "json")
    assert r.raw["projections"][0]["thresholds"] == doc["projections"][0]["thresholds"]
    with pytest.raises(ValueError):
        attrition.sweep(SCENARIO, {})
    # numpy dates (nanoseconds inside) are written as their days.
    from attrition._cli import toml_value
    assert toml_value(np.array(["2026-03-01"], dtype="datetime64[ns]")) == "[2026-03-01]"
    assert toml_value(np.datetime64("2026-03-01T00:00:00.000000000")) == "2026-03-01"


def test_a_negative_number_is_refused_naming_its_option():
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(SCENARIO, paths=-5)
    assert "--paths" in str(e.value)


def test_fit_and_backtest_give_the_cli_json(cli):
    series = "data/ua_gs_russian_personnel.csv"
    corrections = "data/ua_gs_russian_losses_corrections.csv"
    f = attrition.fit(series, corrections=corrections, window=("2025-10-03", dt.date(2025, 12, 31)))
    doc = cli("fit", series, "--corrections", corrections, "--window", "2025-10-03..2025-12-31",
              "--format", "json")
    # The command line it ran is recorded in the fit; the rest is the same.
    assert f.raw.pop("command").endswith("--window 2025-10-03..2025-12-31")
    doc.pop("command")
    assert f.raw == doc
    assert f.rate == (doc["fit"]["rate_lo"], doc["fit"]["rate_hi"])
    assert f.table["mean"].iloc[0] == doc["fit"]["mean"]

    b = attrition.backtest("scenarios/status-quo-calibrated.toml", series, corrections=corrections,
                           origins="2025-06-01..2025-08-01", paths=500, horizons=[30, 90])
    doc = cli("backtest", "scenarios/status-quo-calibrated.toml", series, "--corrections",
              corrections, "--origins", "2025-06-01..2025-08-01", "-n", 500, "--horizons", "30,90",
              "-f", "json")
    assert b.raw == doc
    forecasts = b.forecasts
    assert len(forecasts) == len(doc["forecasts"])
    assert list(forecasts["q50"]) == [x["q"][2] for x in doc["forecasts"]]
    assert len(b.summary) == len(doc["summary"])


def test_a_series_may_be_a_dataframe(cli):
    df = pd.read_csv("data/ua_gs_russian_personnel.csv")
    f = attrition.fit(df, last=90)
    doc = cli("fit", "data/ua_gs_russian_personnel.csv", "--last", 90, "--format", "json")
    assert f.raw["fit"] == doc["fit"]
    assert f.raw["series"]["file"] != doc["series"]["file"]


def test_polars_frames_hold_the_same_numbers():
    pl = pytest.importorskip("polars")
    r = attrition.run(SCENARIO, paths=2000, samples=True, frame="polars")
    assert isinstance(r.crossing, pl.DataFrame)
    assert r.crossing["day"].to_list() == [q["day"] for t in r.projection["thresholds"]
                                            for q in t["crossing"]]
    assert r.stocks["date"].dtype == pl.Date
    assert r.samples().height == 2000
    assert isinstance(r.samples(frame="pandas"), pd.DataFrame)


def test_validate_says_what_a_scenario_holds():
    (line,) = attrition.validate(SCENARIO)
    assert line.startswith(f"{SCENARIO}: ok (status-quo: 2 sides")
    (line,) = attrition.validate(open(SCENARIO, encoding="utf-8").read())
    assert line.startswith("<string>: ok")
