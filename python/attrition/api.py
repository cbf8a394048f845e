"""The public functions: one per command, each building the command line from Python
values, running it through :class:`attrition._cli.Invocation` and wrapping its JSON in a
result. A new command is one more function of this shape and a result class in
``results.py`` (docs/python.md, "Adding a command").
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _frames
from ._cli import (
    Argv,
    Invocation,
    PathLike,
    Scenario,
    as_list,
    grid_args,
    range_arg,
    set_args,
)
from .results import Backtest, Comparison, Fit, Result, Sensitivity, Sweep

Dates = Union[None, str, Any, Sequence[Any]]
SetValues = Union[None, Mapping[str, Any], Sequence[str], str]


def _engine(
    argv: Argv,
    *,
    paths: Optional[int],
    seed: Optional[int],
    threads: Optional[int],
    set: SetValues,
    by: Dates,
    quantiles: Optional[Sequence[float]],
) -> Argv:
    """The options `run` and `compare` share (README, "Commands")."""
    argv.opt("--paths", paths).opt("--seed", seed).opt("--threads", threads)
    argv += set_args(set)
    argv.each("--by", as_list(by))
    if quantiles is not None:
        argv.opt("--quantiles", ",".join(repr(float(q)) for q in quantiles))
    return argv


def _observe(argv: Argv, call: Invocation, observe: Any) -> Argv:
    """``--observe`` for each observations table: a CSV path or a DataFrame (written as
    CSV, named ``<observations N>`` in problems)."""
    for i, table in enumerate(as_list(observe)):
        argv.opt("--observe", call.table(table, "observations file", f"<observations {i + 1}>"))
    return argv


def run(
    scenario: Scenario,
    *,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    set: SetValues = None,
    observe: Any = None,
    by: Dates = None,
    quantiles: Optional[Sequence[float]] = None,
    threads: Optional[int] = None,
    plain: bool = False,
    target_se: Optional[float] = None,
    target_days: Optional[float] = None,
    round_paths: Optional[int] = None,
    stepping: Optional[str] = None,
    proposal: Optional[str] = None,
    min_effective_paths: Optional[int] = None,
    max_paths: Optional[int] = None,
    samples: Union[bool, PathLike] = False,
    fan: bool = False,
    plot: Optional[PathLike] = None,
    frame: str = "pandas",
) -> Result:
    """Runs one scenario (``attrition run``) and returns its projection.

    Args:
        scenario: a path to a scenario file, or its TOML text (a string that contains a
            newline or starts with ``[``); problems in text are named ``<string>``.
        paths, seed, threads: override the file's ``scenario.paths`` and
            ``scenario.seed``, and the worker threads (results never depend on them).
        set: what-ifs, as ``{"noise.sigma": 0.2, "sides.russia.rate_per_day": {"lo":
            900, "hi": 1200}}`` (values written as TOML) or ``["noise.sigma=0.2"]``.
        observe: observations to weight the paths by: a CSV path, a DataFrame with the
            same columns (name, date, lo, hi, ...), or a list of them.
        by: extra report dates (a date, an ISO string, or a list).
        quantiles: the crossing and stock quantiles to report, e.g. ``[0.1, 0.5, 0.9]``.
        plain: plain Monte Carlo instead of the default randomized quasi-Monte Carlo with
            conditional probabilities (docs/precision.md).
        target_se, target_days, round_paths: add rounds of ``round_paths`` paths until
            every reported standard error is at most ``target_se`` / every date's 95%
            interval at most ``target_days`` wide.
        stepping: ``"auto"`` or ``"daily"``; proposal: ``"auto"`` or ``"off"``.
        min_effective_paths: with observations, add paths until the effective sample
            size reaches this; max_paths: the most paths the rounds may use.
        samples: keep the per-path samples (``True``: in a temporary file removed with
            the result; a path ending in ``.parquet``: written there and kept), read by
            :meth:`Result.samples`.
        fan: also keep the fan chart's weekly quantiles (:attr:`Result.fan`).
        plot: also draw the SVG figures into this folder (implies ``fan``).
        frame: ``"pandas"`` (default) or ``"polars"`` for the result's tables.

    Raises:
        FileNotFoundError: ``scenario`` (or an ``observe`` path) does not exist.
        ScenarioError: the scenario, a ``set`` value, an observation row or an argument
            is wrong; ``.problems`` has every problem with its file, line, column, key.
        Interrupted: the run was interrupted (Ctrl-C, the notebook's stop button).
        RunError: the command failed otherwise.
    """
    frame = _frames.check_frame(frame)
    keep = None
    with Invocation() as call:
        file = call.scenario(scenario)
        argv = Argv(["run", file, "--format", "json"])
        _engine(argv, paths=paths, seed=seed, threads=threads, set=set, by=by, quantiles=quantiles)
        _observe(argv, call, observe)
        argv.flag("--plain", plain).opt("--target-se", target_se).opt("--target-days", target_days)
        argv.opt("--round-paths", round_paths)
        argv.opt("--stepping", stepping).opt("--proposal", proposal)
        argv.opt("--min-effective-paths", min_effective_paths).opt("--max-paths", max_paths)
        samples_path = None
        if samples is True:
            keep = tempfile.TemporaryDirectory(prefix="attrition-samples-")
            samples_path = os.path.join(keep.name, "samples.parquet")
        elif samples:
            samples_path = os.fspath(samples)
        argv.opt("--samples", samples_path)
        figures = None
        if plot is not None or fan:
            figures = os.fspath(plot) if plot is not None else os.path.join(call.folder, "figures")
            argv.opt("--plot", figures)
        try:
            raw, log = call.json(argv)
        except BaseException:
            if keep is not None:
                keep.cleanup()
            raise
        fan_series = None
        if figures is not None:
            with open(os.path.join(figures, "figures.json"), encoding="utf-8") as f:
                fan_series = json.load(f)["projections"][0]["fan"]
        for p in raw["projections"]:
            p["scenario"]["file"] = call.relabel_file(p["scenario"]["file"])
    return Result(raw, frame, samples=samples_path, fan=fan_series, keep=keep, log=log)


def compare(
    baseline: Scenario,
    *others: Scenario,
    threshold: Optional[str] = None,
    independent: bool = False,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    set: SetValues = None,
    by: Dates = None,
    quantiles: Optional[Sequence[float]] = None,
    threads: Optional[int] = None,
    plain: bool = False,
    observe: Any = None,
    frame: str = "pandas",
) -> Comparison:
    """Compares scenarios with ``baseline`` on common random numbers (``attrition
    compare``): how each one's crossing-date quantiles differ, with 95% confidence
    intervals, and how often each crosses first.

    Args:
        baseline, others: paths or TOML text, as for :func:`run` (text is named
            ``<string 1>``, ``<string 2>``, ... by position in problems).
        threshold: the threshold to compare, by name (default: the baseline's first).
        independent: give each scenario its own seed, to see what common random
            numbers save.
        paths, seed, set, by, quantiles, threads, plain, observe, frame: as for
            :func:`run` (``set`` and ``observe`` apply to every scenario; ``plain``:
            plain Monte Carlo paths, intervals from 32 batch-means groups instead of the
            16 scramblings).

    Raises: as :func:`run`.
    """
    if not others:
        raise TypeError("compare needs a baseline and at least one other scenario")
    frame = _frames.check_frame(frame)
    with Invocation() as call:
        files = [call.scenario(s, f"<string {i + 1}>") for i, s in enumerate((baseline, *others))]
        argv = Argv(["compare", *files, "--format", "json"])
        argv.opt("--threshold", threshold).flag("--independent", independent)
        _engine(argv, paths=paths, seed=seed, threads=threads, set=set, by=by, quantiles=quantiles)
        _observe(argv, call, observe)
        argv.flag("--plain", plain)
        raw, log = call.json(argv)
    return Comparison(raw, frame, log)


def sensitivity(
    scenario: Scenario,
    *,
    threshold: Optional[str] = None,
    group: Optional[str] = None,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    set: SetValues = None,
    by: Dates = None,
    quantiles: Optional[Sequence[float]] = None,
    threads: Optional[int] = None,
    frame: str = "pandas",
) -> Sensitivity:
    """Which assumption moves the date (``attrition sensitivity``; docs/sensitivity.md):
    the first-order and total Sobol indices of every uncertain input (and the
    day-to-day noise as one group) for each threshold's crossing day, P(crossed by) each
    report date and each side's casualties, with 95% bootstrap intervals; and the
    tornado, each input held at its 5th and 95th percentile.

    Args:
        scenario: a path or TOML text, as for :func:`run` (scenarios with observations
            are refused, as by the command).
        threshold: analyse one threshold, by name (default: all).
        group: ``"input"`` (default), ``"side"`` or ``"mechanism"``.
        paths: base paths (the indices cost ``paths * (groups + 2)`` paths).
        seed, set, by, threads, frame: as for :func:`run`.
        quantiles: the tornado's crossing-date quantiles (default: the median).

    Raises: as :func:`run`.
    """
    frame = _frames.check_frame(frame)
    with Invocation() as call:
        argv = Argv(["sensitivity", call.scenario(scenario), "--format", "json"])
        argv.opt("--threshold", threshold).opt("--group", group)
        _engine(argv, paths=paths, seed=seed, threads=threads, set=set, by=by, quantiles=quantiles)
        raw, log = call.json(argv)
        raw["scenario"]["file"] = call.relabel_file(raw["scenario"]["file"])
    return Sensitivity(raw, frame, log)


def sweep(
    scenario: Scenario,
    grid: Union[None, Mapping[str, Sequence[Any]], Sequence[str], str] = None,
    *,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    set: SetValues = None,
    observe: Any = None,
    by: Dates = None,
    quantiles: Optional[Sequence[float]] = None,
    threads: Optional[int] = None,
    plain: bool = False,
    stepping: Optional[str] = None,
    proposal: Optional[str] = None,
    frame: str = "pandas",
) -> Sweep:
    """Runs the scenario at every point of a grid (``attrition sweep``; docs/sweeps.md):
    the cross product of the values, each point a variant validated like ``set``, all
    on common random numbers; a row per point of the crossing-date quantiles, P(crossed
    by) each report date and P(not crossed).

    Args:
        scenario: a path or TOML text, as for :func:`run`.
        grid: the keys and their values, as ``{"noise.sigma": [0.1, 0.2],
            "sides.russia.rate_per_day": [[900, 1100], {"lo": 1000, "hi": 1300}]}``
            (values written as TOML; the last key varies fastest), or ``--grid``
            arguments as the command line takes them (``["noise.sigma=0.1,0.2"]``).
            None: the file's ``[sweep]`` table.
        paths, seed, set, observe, by, quantiles, threads, plain, stepping, proposal,
            frame: as for :func:`run` (paths and seed are each point's).

    Raises: as :func:`run`; a bad key or value names its ``--grid`` argument.
    """
    frame = _frames.check_frame(frame)
    with Invocation() as call:
        argv = Argv(["sweep", call.scenario(scenario), "--format", "json"])
        argv += grid_args(grid)
        _engine(argv, paths=paths, seed=seed, threads=threads, set=set, by=by, quantiles=quantiles)
        _observe(argv, call, observe)
        argv.flag("--plain", plain).opt("--stepping", stepping).opt("--proposal", proposal)
        raw, log = call.json(argv)
        raw["scenario"]["file"] = call.relabel_file(raw["scenario"]["file"])
    return Sweep(raw, frame, log)


def _series(
    argv: Argv,
    call: Invocation,
    corrections: Optional[PathLike],
    column: Optional[str],
    kind: Optional[str],
) -> Argv:
    if corrections is not None:
        argv.opt("--corrections", call.table(corrections, "corrections file", "<corrections>"))
    return argv.opt("--column", column).opt("--kind", kind)


def fit(
    series: Any,
    *,
    window: Union[None, str, Tuple[Any, Any]] = None,
    last: Optional[int] = None,
    corrections: Any = None,
    column: Optional[str] = None,
    kind: Optional[str] = None,
    side: Optional[str] = None,
    drift_horizon: Optional[int] = None,
    drift_history: Optional[int] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    frame: str = "pandas",
) -> Fit:
    """Fits a daily rate and its noise to a window of a dated series (``attrition fit``;
    docs/calibration.md).

    Args:
        series: a CSV path, or a DataFrame with a ``date`` column and a cumulative
            (``*_cumulative``) or daily column.
        window: the dates to fit, ``"FROM..TO"`` or a pair of dates; or ``last``: the
            last N days.
        corrections: a CSV (or DataFrame) of one-off corrections per date.
        column, kind: the column to read and whether it is ``"cumulative"`` or
            ``"daily"`` (default: from its name).
        side: the scenario side the fitted rate is for (default ``russia``).
        drift_horizon: widen the range by the rate's drift over this many days.
        drift_history, replicates, seed: the drift's history, bootstrap replicates
            and seed.

    Raises: FileNotFoundError, ScenarioError (a bad row names its file and line),
    Interrupted, RunError.
    """
    frame = _frames.check_frame(frame)
    with Invocation() as call:
        argv = Argv(["fit", call.table(series, "series file", "<series>"), "--format", "json"])
        _series(argv, call, corrections, column, kind)
        if window is not None:
            argv.opt("--window", range_arg(window))
        argv.opt("--last", last).opt("--side", side).opt("--drift-horizon", drift_horizon)
        argv.opt("--drift-history", drift_history).opt("--replicates", replicates).opt("--seed", seed)
        raw, log = call.json(argv)
    return Fit(raw, frame, log)


def backtest(
    scenario: Scenario,
    series: Any,
    *,
    origins: Union[str, Tuple[Any, Any]],
    every: Optional[str] = None,
    horizons: Optional[Sequence[int]] = None,
    window: Optional[int] = None,
    threshold_step: Optional[float] = None,
    corrections: Any = None,
    column: Optional[str] = None,
    kind: Optional[str] = None,
    side: Optional[str] = None,
    replicates: Optional[int] = None,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    drift_history: Optional[int] = None,
    frame: str = "pandas",
) -> Backtest:
    """Backtests a scenario's side against a series (``attrition backtest``): fits on the
    data up to each origin, projects, and scores against what followed.

    Args:
        scenario: a path or TOML text, as for :func:`run`.
        series, corrections, column, kind, side: as for :func:`fit`.
        origins: the first and last origin, ``"FROM..TO"`` or a pair of dates.
        every: the step between origins (``"month"``, ``"week"``, ``"14d"``, ``"3m"``).
        horizons: the horizons in days (default 30, 90, 180).
        window: days of data before each origin to fit on (default 90).
        threshold_step, replicates, paths, seed, threads, drift_history: as the
            command's options of the same names.

    Raises: as :func:`run`.
    """
    frame = _frames.check_frame(frame)
    with Invocation() as call:
        argv = Argv(["backtest", call.scenario(scenario), call.table(series, "series file", "<series>")])
        argv += ["--format", "json", "--origins", range_arg(origins)]
        _series(argv, call, corrections, column, kind)
        argv.opt("--every", every).opt("--window", window).opt("--side", side)
        if horizons is not None:
            argv.opt("--horizons", ",".join(str(int(h)) for h in horizons))
        argv.opt("--threshold-step", threshold_step).opt("--replicates", replicates)
        argv.opt("--paths", paths).opt("--seed", seed).opt("--threads", threads)
        argv.opt("--drift-history", drift_history)
        raw, log = call.json(argv)
    return Backtest(raw, frame, log)


def validate(*scenarios: Scenario) -> List[str]:
    """Checks scenarios without running them (``attrition validate``): a line per
    scenario saying what it holds, or :class:`ScenarioError` with every problem."""
    if not scenarios:
        raise TypeError("validate needs at least one scenario")
    with Invocation() as call:
        label = "<string>" if len(scenarios) == 1 else "<string {}>"
        files = [call.scenario(s, label.format(i + 1)) for i, s in enumerate(scenarios)]
        stdout, _ = call.call(["validate", *files])
    return [call.relabel(line) for line in stdout.decode("utf-8").splitlines()]
