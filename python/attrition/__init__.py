"""attrition from Python: run scenario projections, compare scenarios, sweep grids of
what-ifs, analyse sensitivity, fit and backtest rates, and get the results as pandas (or
polars) DataFrames.

The package runs the ``attrition`` command that its wheel installs (no Rust toolchain
needed at run time) and reads its JSON and Parquet outputs; it never parses the tables
printed for people. docs/python.md documents it::

    import attrition
    r = attrition.run("scenarios/status-quo.toml", paths=20_000, samples=True)
    r.crossing          # crossing-date quantiles per threshold
    r.probabilities     # P(crossed by date) at the report dates
    r.stocks            # stock quantiles at the report dates
    r.samples()         # one row per path
    r.raw               # the JSON document

Errors in the input raise :class:`ScenarioError`, whose ``problems`` carry each
problem's file, line, column, key and argument.
"""

from ._binary import binary
from .api import backtest, compare, fit, run, sensitivity, sweep, validate
from .errors import (
    AttritionError,
    AttritionWarning,
    BinaryNotFoundError,
    Interrupted,
    Problem,
    RunError,
    ScenarioError,
)
from .results import Backtest, Comparison, Fit, Result, Sensitivity, Sweep


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("attrition")
    except metadata.PackageNotFoundError:  # run from the source tree, not installed
        return "0+unknown"


__version__ = _version()

__all__ = [
    "run",
    "compare",
    "fit",
    "backtest",
    "sensitivity",
    "sweep",
    "validate",
    "binary",
    "Result",
    "Comparison",
    "Fit",
    "Backtest",
    "Sensitivity",
    "Sweep",
    "Problem",
    "AttritionError",
    "ScenarioError",
    "RunError",
    "Interrupted",
    "BinaryNotFoundError",
    "AttritionWarning",
]
