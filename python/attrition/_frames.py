"""Tables as pandas or polars DataFrames, from rows of plain values: every result builds
its rows once and leaves the library to this file. Dates become dates (pandas
``datetime64``, polars ``Date``), days whole numbers that may be missing (pandas
``Int64``), so that a quantile not crossed is a missing value, never a float NaN day.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Optional, Sequence

FRAMES = ("pandas", "polars")


def check_frame(frame: str) -> str:
    """``frame`` if it names a supported library, else a ValueError saying which do."""
    if frame not in FRAMES:
        raise ValueError(f"frame={frame!r}: give 'pandas' or 'polars'")
    if frame == "polars":
        try:
            import polars  # noqa: F401
        except ImportError as e:
            raise ImportError(
                "frame='polars' needs polars: pip install polars (or pip install 'attrition[polars]')"
            ) from e
    return frame


def date(text: Optional[str]) -> Optional[_dt.date]:
    """An ISO date of the JSON, or None."""
    return None if text is None else _dt.date.fromisoformat(text)


def table(
    rows: Iterable[Dict[str, Any]],
    columns: Sequence[str],
    frame: str,
    *,
    dates: Sequence[str] = (),
    days: Sequence[str] = (),
):
    """A DataFrame of ``rows`` (dicts) with ``columns`` in that order; ``dates`` hold ISO
    dates or None, ``days`` whole numbers or None."""
    rows = list(rows)
    data: Dict[str, List[Any]] = {c: [r.get(c) for r in rows] for c in columns}
    for c in dates:
        data[c] = [date(v) for v in data[c]]
    if frame == "polars":
        import polars as pl

        schema: Dict[str, Any] = {c: pl.Int64 for c in days}
        schema.update({c: pl.Date for c in dates})
        return pl.DataFrame(data, schema_overrides=schema, strict=False)
    import pandas as pd

    df = pd.DataFrame(data, columns=list(columns))
    for c in dates:
        df[c] = pd.to_datetime(df[c])
    for c in days:
        df[c] = df[c].astype("Int64")
    return df


def records(rows: Iterable[Dict[str, Any]], frame: str, *, dates: Sequence[str] = ()):
    """A DataFrame of JSON records as they are (their keys as columns, in first-seen
    order), with ``dates`` as dates: for results whose rows are flat already."""
    rows = list(rows)
    columns: List[str] = []
    for r in rows:
        columns.extend(k for k in r if k not in columns)
    return table(rows, columns, frame, dates=[c for c in dates if c in columns])


def read_samples(path: str, frame: str):
    """A samples file of the command (Parquet, or CSV when its name says so) as a
    DataFrame."""
    csv = path.lower().endswith(".csv")
    if frame == "polars":
        import polars as pl

        return pl.read_csv(path) if csv else pl.read_parquet(path)
    import pandas as pd

    return pd.read_csv(path) if csv else pd.read_parquet(path)
