"""Running the command: inputs given as paths or text made into files, the command line
built from Python values, the process run with its messages as JSON lines
(``--error-format json``), and its outcome turned into a value or an exception. Every
public function of the package goes through :class:`Invocation`.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import warnings
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._binary import binary
from .errors import (
    AttritionWarning,
    Interrupted,
    Problem,
    RunError,
    ScenarioError,
)

PathLike = Union[str, "os.PathLike[str]"]
#: A scenario: a path to a TOML file, or the TOML text itself (a string that contains a
#: newline or starts with ``[``).
Scenario = Union[str, "os.PathLike[str]"]

#: Exit statuses of the command (README: 0 ok, 1 failure, 2 bad input, 130 interrupted).
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

#: How long a stopped command may take to write nothing and exit, before it is killed.
STOP_SECONDS = 30.0


def is_toml_text(scenario: Scenario) -> bool:
    """Whether ``scenario`` is TOML text rather than a path: a ``str`` with a newline, or
    one whose first non-blank character is ``[`` (a ``Path`` is always a path)."""
    return isinstance(scenario, str) and ("\n" in scenario or scenario.lstrip().startswith("["))


def toml_value(value: Any) -> str:
    """A Python value written as TOML writes it after ``key =``, for ``set``: numbers,
    booleans, strings, dates, lists and dicts (inline tables such as ``{lo = 900, hi =
    1200}``)."""
    if type(value).__name__ == "datetime64":
        # A numpy datetime64 (any unit) as its day; .item() would give nanoseconds as int.
        return str(value.astype("datetime64[D]"))
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", None) == 0:
        # A numpy scalar (np.float64, np.int64, np.bool_) as the Python number it holds:
        # NumPy 2's repr() would write "np.float64(0.1)".
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string: the same escapes (\", \\, \n, \uXXXX).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, _dt.datetime):
        # A datetime (a pandas Timestamp) on its day, as dates are everywhere else.
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) >= 1):
        # A list, a tuple, or a numpy array (its elements as Python values).
        if getattr(getattr(value, "dtype", None), "kind", "") == "M":  # datetime64 array
            value = value.astype("datetime64[D]")
        items = list(value) if hasattr(value, "dtype") else value
        return "[" + ", ".join(toml_value(v) for v in items) + "]"
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) as a TOML value")


def _toml_key(key: Any) -> str:
    key = str(key)
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)


def set_args(values: Union[None, Mapping[str, Any], Sequence[str], str]) -> List[str]:
    """``--set KEY=VALUE`` arguments from a dict (``{"noise.sigma": 0.2}``, values
    written as TOML) or from ``KEY=VALUE`` strings as the command line takes them."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    if isinstance(values, Mapping):
        pairs = [f"{k}={toml_value(v)}" for k, v in values.items()]
    else:
        pairs = [str(v) for v in values]
    out: List[str] = []
    for p in pairs:
        out += ["--set", p]
    return out


def grid_args(grid: Union[None, Mapping[str, Sequence[Any]], Sequence[str], str]) -> List[str]:
    """``--grid KEY=V1,V2,...`` arguments from a dict of value lists (each value written
    as TOML, as for ``set``) or from ``KEY=V1,V2`` strings as the command line takes
    them."""
    if grid is None:
        return []
    if isinstance(grid, str):
        grid = [grid]
    if len(grid) == 0:
        raise ValueError("grid: give at least one key and its values (None uses the file's [sweep] table)")
    if isinstance(grid, Mapping):
        pairs = []
        for key, values in grid.items():
            if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
                raise TypeError(f"grid[{key!r}]: give a list of values, not {values!r}")
            pairs.append(f"{key}=" + ",".join(toml_value(v) for v in values))
    else:
        pairs = [str(g) for g in grid]
    out: List[str] = []
    for p in pairs:
        out += ["--grid", p]
    return out


def as_list(value: Any) -> List[Any]:
    """None as [], one value as [value], a list or tuple as a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def date_arg(value: Union[str, _dt.date]) -> str:
    """An ISO date from a string as given, a date, or a datetime (a pandas Timestamp) on
    its day."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, _dt.date) else str(value)


def range_arg(value: Union[str, Tuple[Any, Any]]) -> str:
    """``FROM..TO`` from a string as given or a pair of dates."""
    if isinstance(value, (tuple, list)):
        start, end = value
        return f"{date_arg(start)}..{date_arg(end)}"
    return str(value)


class Argv(list):
    """A command line under construction: options are added only when given."""

    def opt(self, flag: str, value: Any) -> "Argv":
        if value is not None:
            text = date_arg(value) if isinstance(value, _dt.date) else str(value)
            # `--paths=-5`, not `--paths -5`: a value that starts with a dash would be
            # read as an option, and the error would not name the flag.
            self += [f"{flag}={text}"] if text.startswith("-") else [flag, text]
        return self

    def flag(self, flag: str, on: bool) -> "Argv":
        if on:
            self.append(flag)
        return self

    def each(self, flag: str, values: Iterable[Any]) -> "Argv":
        for v in values:
            self.opt(flag, v)
        return self


class Invocation:
    """One run of the command and the files it needs: scenarios given as TOML text and
    tables given as DataFrames are written into a temporary folder, named in messages by
    a label (``<string>``), and the folder is removed on exit. Use as a context manager.
    """

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="attrition-")
        self.folder = self._dir.name
        # The temporary file of each input given as text or a table, and its label.
        self.labels: Dict[str, str] = {}
        # The text of scenarios given as strings, by label, to quote lines in errors.
        self.sources: Dict[str, str] = {}
        self._count = 0

    def __enter__(self) -> "Invocation":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._dir.cleanup()

    def _write(self, name: str, text: str, label: str) -> str:
        self._count += 1
        path = os.path.join(self.folder, f"{self._count}-{name}")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        self.labels[path] = label
        return path

    def scenario(self, scenario: Scenario, label: str = "<string>") -> str:
        """The path to give the command for ``scenario``: a path as it is (checked to
        exist, so that a mistyped one is a FileNotFoundError), TOML text as a file."""
        if is_toml_text(scenario):
            text = str(scenario)
            self.sources[label] = text
            return self._write("scenario.toml", text, label)
        return existing(scenario, "scenario file")

    def table(self, table: Any, what: str, label: str) -> str:
        """The path to give the command for a CSV input: a path (checked), or a pandas
        or polars DataFrame written as CSV."""
        if isinstance(table, (str, os.PathLike)):
            return existing(table, what)
        if hasattr(table, "to_csv"):  # pandas
            text = table.to_csv(index=False)
        elif hasattr(table, "write_csv"):  # polars
            text = table.write_csv()
        else:
            raise TypeError(f"{what}: give a path or a DataFrame, not {type(table).__name__}")
        return self._write("table.csv", text, label)

    def call(self, argv: Sequence[str]) -> Tuple[bytes, List[Problem]]:
        """Runs ``attrition --error-format json ARGV``: its standard output and its
        messages other than errors (warnings are also issued as :class:`AttritionWarning`).
        Raises :class:`ScenarioError` (exit 2), :class:`Interrupted` (exit 130, or a
        KeyboardInterrupt here, which stops the command first) or :class:`RunError`."""
        command = [binary(), "--error-format", "json", *argv]
        shown = ["attrition", *(self.labels.get(a, a) for a in argv)]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            try:
                code = proc.wait()
            except KeyboardInterrupt:
                stop(proc)
                raise Interrupted(shown) from None
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read().decode("utf-8", "replace")
        messages, other = self._messages(stderr)
        if code == 0:
            for m in messages:
                if m.level == "warning":
                    warnings.warn(str(m), AttritionWarning, stacklevel=3)
            return stdout, [m for m in messages if m.level != "error"]
        if code == EXIT_INTERRUPTED or code in (-signal.SIGINT, -signal.SIGTERM):
            raise Interrupted(shown)
        errors = [m for m in messages if m.level == "error"]
        if code == EXIT_BAD_INPUT:
            n = len(errors)
            summary = f"attrition {argv[0] if argv else ''}: " + (
                "1 problem" if n == 1 else f"{n} problems"
            )
            raise ScenarioError(
                summary, errors, returncode=code, command=shown, stderr=other, sources=self.sources
            )
        raise RunError(
            f"{' '.join(shown)} failed with exit status {code}",
            errors,
            returncode=code,
            command=shown,
            stderr=other,
        )

    def json(self, argv: Sequence[str]) -> Tuple[Dict[str, Any], List[Problem]]:
        """Runs the command and reads its standard output as one JSON document."""
        stdout, log = self.call(argv)
        return json.loads(stdout), log

    def _messages(self, stderr: str) -> Tuple[List[Problem], str]:
        """The JSON messages of standard error, with the temporary files of inputs given
        as text named by their labels; and any line that was not a message (a crash)."""
        messages: List[Problem] = []
        other: List[str] = []
        for line in stderr.splitlines():
            try:
                m = json.loads(line)
            except ValueError:
                m = None
            if not isinstance(m, dict) or m.get("schema") != "attrition.message":
                other.append(line)
                continue
            file = m.get("file")
            messages.append(
                Problem(
                    message=self.relabel(m.get("message", "")),
                    file=self.relabel_file(file),
                    line=m.get("line"),
                    column=m.get("column"),
                    key=m.get("key"),
                    argument=m.get("argument"),
                    level=m.get("level", "error"),
                )
            )
        return messages, "\n".join(other)

    def relabel(self, text: str) -> str:
        """`text` with the temporary files of inputs given as text named by their labels."""
        for path, label in self.labels.items():
            text = text.replace(path, label)
        return text

    def relabel_file(self, path: Optional[str]) -> Optional[str]:
        """The label of a temporary input file as the results name it, else ``path``."""
        return self.labels.get(path, path) if path is not None else None


def existing(path: PathLike, what: str) -> str:
    """``path`` as a string, or FileNotFoundError naming it (and how text is told from a
    path, when it could have been meant as TOML)."""
    text = os.fspath(path)
    if not os.path.exists(text):
        hint = ""
        if isinstance(path, str) and what == "scenario file" and "=" in text:
            hint = " (a string is read as TOML text only when it contains a newline or starts with '[')"
        raise FileNotFoundError(errno.ENOENT, f"{what} not found{hint}", text)
    return text


def stop(proc: "subprocess.Popen[bytes]") -> None:
    """Asks the command to stop as Ctrl-C does (it then writes nothing and exits 130),
    and kills it if it has not within STOP_SECONDS."""
    try:
        if sys.platform == "win32":
            proc.terminate()
        else:
            proc.send_signal(signal.SIGINT)
        proc.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except KeyboardInterrupt:
        # Interrupted again while waiting: stop now.
        proc.kill()
        proc.wait()
        raise
