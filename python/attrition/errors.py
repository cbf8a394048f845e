"""The exceptions the package raises, and :class:`Problem`, one located problem.

The command reports every problem of its input with the file, line, column, key path
and command-line argument it lies in (``attrition --error-format json``, docs/output.md);
:class:`ScenarioError` carries them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence


@dataclass(frozen=True)
class Problem:
    """One problem the command reported, as precisely located as its cause allows.

    Attributes:
        message: the sentence for people, without the place.
        file: the input it is in (a scenario file, ``<string>`` for a scenario given as
            TOML text, a series or observations CSV), or None.
        line, column: 1-based place in ``file`` (a CSV row has a line and no column).
        key: the scenario key path (``sides.russia.rate_per_day``), or None.
        argument: the command-line argument it lies in (``--set noise.sigma=-1``,
            ``--paths``, ``--observe``), or None.
        level: ``error``, ``warning``, ``note`` or ``info``.
    """

    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    key: Optional[str] = None
    argument: Optional[str] = None
    level: str = "error"

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            parts.append(place)
        if self.argument is not None and (self.file is not None or self.key is not None):
            parts.append(self.argument)
        if self.key is not None:
            parts.append(self.key)
        parts.append(self.message)
        return ": ".join(parts)


class AttritionError(Exception):
    """Base of the errors of a command that ran and failed.

    Attributes:
        problems: every error the command reported (:class:`Problem`).
        returncode: its exit status.
        command: the command line that ran.
        stderr: what it wrote on standard error that was not a message (normally empty).
    """

    def __init__(
        self,
        summary: str,
        problems: Sequence[Problem] = (),
        *,
        returncode: Optional[int] = None,
        command: Sequence[str] = (),
        stderr: str = "",
        sources: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.summary = summary
        self.problems = list(problems)
        self.returncode = returncode
        self.command = list(command)
        self.stderr = stderr
        # The TOML text of scenarios given as strings, by label, to quote their lines.
        self._sources = dict(sources or {})
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [self.summary]
        for p in self.problems:
            lines.append(f"  {p}")
            text = self._sources.get(p.file or "")
            if text is not None and p.line is not None:
                source = text.splitlines()
                if 0 < p.line <= len(source):
                    lines.append(f"    {p.line} | {source[p.line - 1]}")
        if self.stderr.strip():
            lines.append(self.stderr.rstrip())
        return "\n".join(lines)


class ScenarioError(AttritionError, ValueError):
    """Bad input (exit status 2): a scenario file or TOML string, a ``set`` value, an
    observations CSV row, a series, or an argument. ``problems`` holds every problem
    found, each with its file, line, column, key and argument where it has them."""


class RunError(AttritionError, RuntimeError):
    """The command failed at run time (exit status 1: an output that cannot be written,
    a failed thread pool) or ended abnormally."""


class BinaryNotFoundError(AttritionError, FileNotFoundError):
    """The ``attrition`` command is not installed beside this Python, or
    ``$ATTRITION_BIN`` names no file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class Interrupted(KeyboardInterrupt):
    """The run was interrupted (Ctrl-C, a notebook's interrupt, SIGTERM: exit status
    130) and wrote nothing. A :class:`KeyboardInterrupt`, so that ``except Exception``
    does not swallow it."""

    def __init__(self, command: Sequence[str] = ()) -> None:
        self.command = list(command)
        super().__init__("attrition was interrupted; no output was written")


class AttritionWarning(UserWarning):
    """A warning of the command about a result it did write (for example an effective
    sample size too small for the weighted figures to be trusted)."""
