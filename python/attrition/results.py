"""What the commands return, read from their JSON (docs/output.md) and Parquet: each
result keeps the document as ``raw`` and shows its parts as tidy DataFrames (pandas, or
polars when the call said ``frame="polars"``). Nothing here computes a statistic: the
tables are the command's numbers, reshaped (the CDF sums its exact daily counts).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterator, List, Optional, Sequence

from . import _frames

PROBABILITY_COLUMNS = ["threshold", "date", "day", "p", "se"]
QUANTILE_COLUMNS = ["threshold", "metric", "level", "p", "day", "date"]
STOCK_COLUMNS = ["series", "metric", "date", "day", "p", "value"]


def _with_extras(rows: List[Dict[str, Any]], columns: List[str]) -> List[str]:
    """``columns``, then any other field the rows have, in first-seen order: the fields
    of newer schema versions (a quantile's 95% interval, an estimator's name) show up
    without a change here."""
    out = list(columns)
    for r in rows:
        out.extend(k for k in r if k not in out)
    return out


def _table(rows: List[Dict[str, Any]], columns: List[str], frame: str, keep: Sequence[str] = ()):
    """A table of ``rows``: ``*date`` columns as dates, ``day`` and ``*_day`` as whole
    days that may be missing; the columns in ``keep`` (a sweep's keys, such as
    ``sides.russia.rate_per_day``) as they are."""
    columns = _with_extras(rows, columns)
    typed = [c for c in columns if c not in keep]
    dates = [c for c in typed if c == "date" or c.endswith("_date")]
    days = [c for c in typed if c == "day" or c.endswith("_day")]
    return _frames.table(rows, columns, frame, dates=dates, days=days)


class Document:
    """A JSON document of the command: ``raw`` as it printed it (the envelope's
    ``schema``, ``schema_version`` and ``generator``, then the body), and the table
    library its DataFrames use (``frame``)."""

    #: The ``schema`` this class reads.
    SCHEMA = ""

    def __init__(self, raw: Dict[str, Any], frame: str = "pandas", log: Sequence[Any] = ()) -> None:
        if raw.get("schema") != self.SCHEMA:
            raise ValueError(f"expected a {self.SCHEMA} document, got {raw.get('schema')!r}")
        self.raw = raw
        self.frame = frame
        #: The command's notes and timings (:class:`attrition.Problem` of level info or note).
        self.log = list(log)

    def _records(self, rows: Sequence[Dict[str, Any]], dates: Sequence[str] = ()):
        return _frames.records(rows, self.frame, dates=dates)


class Result(Document):
    """One scenario's projection (``attrition run``).

    Attributes:
        raw: the JSON document, exactly as ``attrition run --format json`` prints it
            (docs/output.md), except that a scenario given as TOML text has
            ``scenario.file`` ``"<string>"``.
        frame: ``"pandas"`` or ``"polars"``, the library of the tables below.
        log: the command's notes (how many paths ran, in how long).
    """

    SCHEMA = "attrition.projection"

    def __init__(
        self,
        raw: Dict[str, Any],
        frame: str = "pandas",
        *,
        samples: Optional[str] = None,
        fan: Optional[List[Dict[str, Any]]] = None,
        keep: Any = None,
        log: Sequence[Any] = (),
    ) -> None:
        super().__init__(raw, frame, log)
        self._samples = samples
        self._fan = fan
        # The temporary folder holding the samples, removed with this result.
        self._keep = keep

    @property
    def projection(self) -> Dict[str, Any]:
        """The one projection of the document (``raw["projections"][0]``)."""
        return self.raw["projections"][0]

    @property
    def name(self) -> str:
        return self.projection["scenario"]["name"]

    @property
    def paths(self) -> int:
        return self.projection["run"]["paths"]

    @property
    def seed(self) -> int:
        return self.projection["run"]["seed"]

    @property
    def reference_date(self) -> _dt.date:
        return _dt.date.fromisoformat(self.projection["scenario"]["reference_date"])

    @property
    def horizon_date(self) -> _dt.date:
        return _dt.date.fromisoformat(self.projection["scenario"]["horizon_date"])

    @property
    def method(self) -> Any:
        """How the run spent its paths (``run.method``: randomized quasi-Monte Carlo with
        conditional probabilities by default, or plain Monte Carlo; docs/precision.md)."""
        return self.projection["run"].get("method")

    @property
    def effective_paths(self) -> float:
        """Kish's effective sample size of a weighted run (with observations); the path
        count otherwise."""
        weights = self.projection["run"].get("weights")
        return weights["effective_paths"] if weights else float(self.paths)

    def _thresholds(self) -> Iterator[Dict[str, Any]]:
        yield from self.projection["thresholds"]

    @property
    def crossing(self):
        """Crossing-date quantiles: one row per threshold and level ``p``, with the
        ``day`` (after the reference date) and ``date``, both missing where the quantile
        falls among paths that never cross, and their 95% interval (``ci_low_day``,
        ``ci_low_date``, ``ci_high_day``, ``ci_high_date``)."""
        rows = [
            {"threshold": t["name"], "metric": t["metric"], "level": t["level"], **q}
            for t in self._thresholds()
            for q in t["crossing"]
        ]
        return _table(rows, QUANTILE_COLUMNS, self.frame)

    @property
    def probabilities(self):
        """P(crossed by date) at each report date, one row per threshold and date, with
        its standard error ``se`` and its estimator (``method``: ``conditional``, ``rqmc``
        or ``plain``; ``conditioned_on`` the input a conditional one integrates out)."""
        rows = [
            {"threshold": t["name"], **c} for t in self._thresholds() for c in t["p_crossed_by"]
        ]
        return _table(rows, PROBABILITY_COLUMNS, self.frame)

    @property
    def thresholds(self):
        """One row per threshold: its metric, sides and level, P(crossed on day 0),
        P(not crossed by the horizon) with its standard error, and the mean crossing day
        and date of the paths that cross."""
        rows = []
        for t in self._thresholds():
            mean = t["mean_of_crossed"] or {}
            rows.append(
                {
                    "threshold": t["name"],
                    "metric": t["metric"],
                    "sides": "+".join(t["sides"]),
                    "level": t["level"],
                    "p_at_baseline": t["p_at_baseline"],
                    "p_not_crossed": t["p_not_crossed"],
                    "p_not_crossed_se": t["p_not_crossed_se"],
                    "mean_of_crossed_day": mean.get("day"),
                    "mean_of_crossed_date": mean.get("date"),
                }
            )
        columns = list(rows[0]) if rows else ["threshold"]
        return _frames.table(rows, columns, self.frame, dates=["mean_of_crossed_date"] if rows else [])

    @property
    def stocks(self):
        """Quantiles of the cumulative stocks at the report dates: one row per series
        (each side, ``combined``), metric (``casualties``, ``killed``), date and level,
        with the quantile's 95% interval (``ci_low``, ``ci_high``)."""
        return self._stock_table(self.projection["stocks"])

    @property
    def fan(self):
        """The fan chart's data: casualty quantiles on a weekly grid to the horizon, from
        the run's first 2,048 paths (docs/output.md, "Figures"), in the shape of
        :attr:`stocks`. Only for ``run(..., fan=True)`` or ``plot=DIR``."""
        if self._fan is None:
            raise ValueError("no fan chart data: run with fan=True (or plot=DIR)")
        return self._stock_table(self._fan)

    def _stock_table(self, series: List[Dict[str, Any]]):
        rows = [
            {"series": s["series"], "metric": s["metric"], "date": pt["date"], "day": pt["day"], **q}
            for s in series
            for pt in s["points"]
            for q in pt["quantiles"]
        ]
        return _table(rows, STOCK_COLUMNS, self.frame)

    def cdf(self, threshold: Optional[str] = None):
        """P(crossed by day) for every day from 0 to the horizon, from the exact counts of
        paths crossing on each day (``day_counts``; weighted runs weight them): one row
        per threshold (or only ``threshold``, by name) and day. It counts paths, so at a
        report date it is the plain estimate from the run's paths; :attr:`probabilities`
        may hold the conditional one, with a smaller error (docs/precision.md)."""
        rows = []
        reference = self.reference_date
        found = False
        for t in self._thresholds():
            if threshold is not None and t["name"] != threshold:
                continue
            found = True
            counts = t["day_counts"]
            total = sum(counts)
            running = 0
            # The last count is the paths that never cross.
            for day, c in enumerate(counts[:-1]):
                running += c
                rows.append(
                    {
                        "threshold": t["name"],
                        "day": day,
                        "date": (reference + _dt.timedelta(days=day)).isoformat(),
                        "p": running / total,
                    }
                )
        if threshold is not None and not found:
            names = ", ".join(repr(t["name"]) for t in self._thresholds())
            raise KeyError(f"no threshold named {threshold!r}; the thresholds are {names}")
        return _frames.table(rows, ["threshold", "day", "date", "p"], self.frame, dates=["date"], days=["day"])

    def samples(self, frame: Optional[str] = None):
        """The per-path samples (one row per path: its drawn inputs and the crossing day
        of each threshold, missing where not crossed; docs/output.md), read from the
        Parquet file the run wrote (or the CSV, for ``samples="FILE.csv"``). Only for
        ``run(..., samples=True)`` or ``samples=PATH``."""
        if self._samples is None:
            raise ValueError(
                "this run kept no samples: run(..., samples=True) keeps them (or samples='FILE.parquet')"
            )
        return _frames.read_samples(self._samples, _frames.check_frame(frame or self.frame))

    @property
    def samples_path(self) -> Optional[str]:
        """The samples file, if the run wrote one."""
        return self._samples

    def __repr__(self) -> str:
        return f"<attrition.Result {self.name}: {self.paths} paths, seed {self.seed}>"


class Comparison(Document):
    """Scenarios compared with a baseline on common random numbers
    (``attrition compare``; docs/output.md, "Comparisons")."""

    SCHEMA = "attrition.comparison"

    @property
    def comparison(self) -> Dict[str, Any]:
        return self.raw["comparison"]

    @property
    def baseline(self) -> str:
        return self.comparison["baseline"]

    @property
    def threshold(self) -> str:
        return self.comparison["threshold"]

    @property
    def quantiles(self):
        """One row per compared scenario and level ``p``: the baseline's and the
        scenario's crossing day and date, the difference in days (scenario minus
        baseline) and its 95% confidence interval (``ci_low``, ``ci_high``)."""
        reference = _dt.date.fromisoformat(self.comparison["reference_date"])

        def date(day: Optional[int]) -> Optional[str]:
            return None if day is None else (reference + _dt.timedelta(days=day)).isoformat()

        rows = [
            {
                "scenario": a["scenario"],
                **q,
                "baseline_date": date(q["baseline_day"]),
                "scenario_date": date(q["scenario_day"]),
            }
            for a in self.comparison["against"]
            for q in a["quantiles"]
        ]
        columns = [
            "scenario", "p", "baseline_day", "scenario_day", "diff_days", "ci_low", "ci_high",
            "baseline_date", "scenario_date",
        ]
        return _frames.table(
            rows,
            columns,
            self.frame,
            dates=["baseline_date", "scenario_date"],
            days=["baseline_day", "scenario_day", "diff_days"],
        )

    @property
    def first(self):
        """One row per compared scenario: P(it crosses first), P(the baseline does),
        P(the same day), with standard errors."""
        columns = [
            "scenario", "p_scenario_first", "se_scenario_first", "p_baseline_first",
            "se_baseline_first", "p_same_day",
        ]
        rows = [{c: a.get(c) for c in columns} for a in self.comparison["against"]]
        return _frames.table(rows, columns, self.frame)

    def __repr__(self) -> str:
        others = ", ".join(a["scenario"] for a in self.comparison["against"])
        return f"<attrition.Comparison {others} against {self.baseline} ({self.threshold})>"


class Fit(Document):
    """A daily rate and its noise fitted to a window of a series (``attrition fit``;
    docs/calibration.md). ``raw["fit"]`` holds every number; ``attrition fit ...
    --format toml`` prints the same as a scenario fragment."""

    SCHEMA = "attrition.fit"

    @property
    def fit(self) -> Dict[str, Any]:
        return self.raw["fit"]

    @property
    def rate(self) -> tuple:
        """The fitted range of the daily rate, (lo, hi), as the fragment writes it."""
        return (self.fit["rate_lo"], self.fit["rate_hi"])

    @property
    def table(self):
        """The fit's numbers as one row (the nested trend, drift and diagnostics stay
        in ``raw``)."""
        row = {k: v for k, v in self.fit.items() if not isinstance(v, (dict, list)) and v is not None}
        return self._records([row], dates=["from", "to"])

    def __repr__(self) -> str:
        lo, hi = self.rate
        return f"<attrition.Fit {self.raw['side']}: {lo:.0f} to {hi:.0f} a day>"


class Backtest(Document):
    """Projections from fits on the data up to each origin, scored against what the
    series showed (``attrition backtest``; docs/calibration.md)."""

    SCHEMA = "attrition.backtest"

    @property
    def summary(self):
        """Scores per method and horizon: interval coverage, CRPS, errors."""
        return self._records(self.raw["summary"])

    @property
    def crossing_summary(self):
        """Crossing-date scores per method."""
        return self._records(self.raw["crossing_summary"])

    @property
    def forecasts(self):
        """Every projection scored: origin, method, horizon, the observed increase, its
        quantiles ``q05`` to ``q95`` and the CRPS."""
        rows = []
        for f in self.raw["forecasts"]:
            row = {k: v for k, v in f.items() if k != "q"}
            row.update(zip(("q05", "q25", "q50", "q75", "q95"), f["q"]))
            rows.append(row)
        return self._records(rows, dates=["origin"])

    @property
    def crossings(self):
        """Every crossing scored: origin, method, level, observed day and quantiles."""
        return self._records(self.raw["crossings"], dates=["origin"])

    @property
    def fits(self):
        """The fit at each origin."""
        return self._records(self.raw["fits"], dates=["origin"])

    def __repr__(self) -> str:
        return f"<attrition.Backtest {self.raw['inputs']['scenario']}: {len(self.raw['origins'])} origins>"


class Sensitivity(Document):
    """Sobol indices and a tornado of one scenario (``attrition sensitivity``;
    docs/sensitivity.md, docs/output.md)."""

    SCHEMA = "attrition.sensitivity"

    @property
    def groups(self):
        """One row per group of inputs: its name and the inputs in it."""
        rows = [{"group": g["name"], "inputs": list(g["inputs"])} for g in self.raw["groups"]]
        return _frames.table(rows, ["group", "inputs"], self.frame)

    @property
    def indices(self):
        """One row per output and group: the output (``output``, its ``kind``,
        ``threshold``, ``side``, ``date``), the group, and its first-order and total
        indices with their 95% intervals (``first``, ``first_lo``, ``first_hi``,
        ``total``, ``total_lo``, ``total_hi``)."""
        rows = []
        for o in self.raw["outputs"]:
            head = {k: o.get(k) for k in ("output", "kind", "threshold", "side", "date")}
            for i in o["indices"]:
                rows.append({**head, **i})
        columns = ["output", "kind", "threshold", "side", "date", "group", "first",
                   "first_lo", "first_hi", "total", "total_lo", "total_hi"]
        return _table(rows, columns, self.frame)

    @property
    def tornado(self):
        """One row per threshold, held input, end (``low`` at the input's 5th percentile,
        ``high`` at its 95th) and crossing-date quantile: the held value, the ``--set``
        that holds it (None where the command has none), and the crossing day and date;
        the unheld run's as ``input`` None, end ``unheld``."""
        rows = []
        for t in self.raw["tornado"]:
            for q in t["baseline"]["crossing"]:
                rows.append({"threshold": t["threshold"], "input": None, "end": "unheld",
                             "value": None, "set": None, "level": q["p"],
                             "day": q["day"], "date": q["date"]})
            for bar in t["bars"]:
                for end in ("low", "high"):
                    held = bar[end]
                    for q in held["crossing"]:
                        rows.append({"threshold": t["threshold"], "input": bar["input"],
                                     "end": end, "value": held.get("value"),
                                     "set": held.get("set"), "level": q["p"],
                                     "day": q["day"], "date": q["date"]})
        columns = ["threshold", "input", "end", "value", "set", "level", "day", "date"]
        return _table(rows, columns, self.frame)

    def __repr__(self) -> str:
        return (f"<attrition.Sensitivity {self.raw['scenario']['name']}: "
                f"{len(self.raw['groups'])} groups, {len(self.raw['outputs'])} outputs>")


class Sweep(Document):
    """One scenario at every point of a grid (``attrition sweep``; docs/sweeps.md,
    docs/output.md). Every table has a row per point (``point``, from 0, the last key
    varying fastest) and a column per swept key holding the point's value: a number for
    numeric keys, the value's TOML text (``"{lo=1000,hi=1300}"``) otherwise."""

    SCHEMA = "attrition.sweep"

    @property
    def keys(self) -> List[str]:
        """The swept keys, in the grid's order."""
        return [p["key"] for p in self.raw["parameters"]]

    def _points(self) -> Iterator[Dict[str, Any]]:
        """Each point's document with its ``head``: ``point`` and the swept values."""
        keys = self.keys
        for p in self.raw["points"]:
            yield {"point": p["point"], **dict(zip(keys, p["values"]))}, p

    @property
    def parameters(self):
        """One row per point: ``point`` and the value of each swept key."""
        rows = [head for head, _ in self._points()]
        return _frames.table(rows, ["point", *self.keys], self.frame)

    @property
    def crossing(self):
        """Crossing-date quantiles: one row per point, threshold and level ``p``, with
        the ``day`` and ``date`` (missing where the quantile falls among paths that never
        cross) and their 95% interval, as :attr:`Result.crossing`."""
        rows = [
            {**head, "threshold": t["name"], **q}
            for head, p in self._points()
            for t in p["thresholds"]
            for q in t["crossing"]
        ]
        columns = ["point", *self.keys, "threshold", "p", "day", "date"]
        return _table(rows, columns, self.frame, keep=self.keys)

    @property
    def probabilities(self):
        """P(crossed by date) at each report date: one row per point, threshold and
        date, with its standard error ``se`` and estimator (``method``)."""
        rows = [
            {**head, "threshold": t["name"], **c}
            for head, p in self._points()
            for t in p["thresholds"]
            for c in t["p_crossed_by"]
        ]
        columns = ["point", *self.keys, "threshold", "date", "day", "p", "se"]
        return _table(rows, columns, self.frame, keep=self.keys)

    @property
    def thresholds(self):
        """One row per point and threshold: P(not crossed by the horizon) and its
        standard error."""
        rows = [
            {**head, "threshold": t["name"], "p_not_crossed": t["p_not_crossed"],
             "p_not_crossed_se": t["p_not_crossed_se"]}
            for head, p in self._points()
            for t in p["thresholds"]
        ]
        columns = ["point", *self.keys, "threshold", "p_not_crossed", "p_not_crossed_se"]
        return _frames.table(rows, columns, self.frame)

    def __repr__(self) -> str:
        return (f"<attrition.Sweep {self.raw['scenario']['name']}: "
                f"{len(self.raw['points'])} points over {', '.join(self.keys)}>")
