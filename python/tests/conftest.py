"""Shared by the Python API's tests: they run from the repository's root (the scenario and
data paths are relative to it) against the installed package and its command, or the
binary ATTRITION_BIN names."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def cli():
    """Runs the same command the package runs, directly: its JSON output."""
    import attrition

    def run(*args):
        out = subprocess.run(
            [attrition.binary(), *map(str, args)], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    return run
