"""Errors: every problem with its place, as the command found it; a bad path, a bad TOML
string, a missing binary and an interrupted run each raise their own clear exception."""

import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

import attrition

SCENARIO = "scenarios/status-quo.toml"
#: Minutes of work: 200 million W1 paths.
LONG = dict(scenario="scenarios/bench/w1.toml", paths=200_000_000)


def test_a_broken_file_names_every_problem_s_line_column_and_key(tmp_path):
    text = Path(SCENARIO).read_text(encoding="utf-8").replace(
        "rate_per_day = { total", "rate_per_dya = { total")
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(broken)
    problems = e.value.problems
    lines = text.splitlines()
    typos = [i + 1 for i, l in enumerate(lines) if l.startswith("rate_per_dya")]
    unknown = [p for p in problems if p.key and p.key.endswith("rate_per_dya")]
    assert [(p.file, p.line, p.column, p.key) for p in unknown] == [
        (str(broken), typos[0], 1, "sides.russia.rate_per_dya"),
        (str(broken), typos[1], 1, "sides.ukraine.rate_per_dya"),
    ]
    assert "did you mean 'rate_per_day'" in unknown[0].message
    assert {p.key for p in problems} >= {"sides.russia.rate_per_day", "sides.ukraine.rate_per_day"}
    assert isinstance(e.value, ValueError) and e.value.returncode == 2
    # The same problems as the command prints for people, one per line.
    out = subprocess.run([attrition.binary(), "validate", str(broken)], capture_output=True, text=True)
    assert [f"error: {p}" for p in problems] == out.stderr.splitlines()


def test_a_bad_toml_string_points_into_the_string():
    text = "[scenario]\nname = \"x\"\nreference_date = 2025-12-31\nhorizon = \"soon\"\n"
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(text)
    p = next(p for p in e.value.problems if p.key == "scenario.horizon")
    assert (p.file, p.line, p.column) == ("<string>", 4, 11)
    # The message quotes the offending line of the string.
    assert '4 | horizon = "soon"' in str(e.value)
    # Not TOML at all: the parser's place.
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run("[scenario\nname = 1\n")
    (p,) = e.value.problems
    assert (p.file, p.line, p.column) == ("<string>", 1, 10)
    assert "invalid TOML" in p.message
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(text.replace('"soon"', "2026-13-01"))
    (p,) = e.value.problems
    assert (p.file, p.line, p.column) == ("<string>", 4, 11)
    # No temporary path leaks into what the user sees.
    assert "attrition-" not in str(e.value)


def test_a_bad_path_is_a_file_not_found_error():
    with pytest.raises(FileNotFoundError) as e:
        attrition.run("scenarios/no-such.toml")
    assert e.value.filename == "scenarios/no-such.toml"
    assert "scenario file not found" in str(e.value)
    # One line of TOML that neither starts with '[' nor has a newline reads as a path,
    # and the error says how text is told apart.
    with pytest.raises(FileNotFoundError, match="starts with '\\['"):
        attrition.run('name = "x"')
    with pytest.raises(FileNotFoundError, match="observations file not found"):
        attrition.run(SCENARIO, observe="nope.csv")
    with pytest.raises(FileNotFoundError):
        attrition.compare(SCENARIO, "nope.toml")


def test_a_set_problem_names_its_argument_and_key():
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(SCENARIO, paths=1000, set={"noise.sigma": -1})
    (p,) = e.value.problems
    assert (p.file, p.key, p.argument, p.line) == (SCENARIO, "noise.sigma", "--set noise.sigma=-1", None)


def test_an_observation_row_names_its_table_and_line():
    obs = pd.DataFrame({"name": ["ok", "bad"], "date": ["2026-04-30", "2026-13-30"],
                        "lo": [1_200_000, 1], "hi": [1_400_000, 2]})
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(SCENARIO, paths=1000, observe=obs)
    (p,) = e.value.problems
    assert (p.file, p.line, p.argument) == ("<observations 1>", 3, "--observe")
    assert p.message.startswith("date:")


def test_a_series_row_names_its_file_and_line(tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("date,x_cumulative\n2025-01-01,10\n2025-01-02,oops\n2025-01-03,30\n")
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.fit(csv, last=2)
    (p,) = e.value.problems
    assert (p.file, p.line) == (str(csv), 3)


def test_a_bad_argument_names_it():
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(SCENARIO, paths=0)
    (p,) = e.value.problems
    assert p.argument == "--paths" and "0 is not in 1..=" in p.message
    with pytest.raises(ValueError, match="frame='arrow'"):
        attrition.run(SCENARIO, frame="arrow")


def test_an_output_that_cannot_be_written_names_its_argument(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(attrition.ScenarioError) as e:
        attrition.run(SCENARIO, paths=1000, samples=blocker / "s.parquet")
    (p,) = e.value.problems
    assert p.argument == "--samples" and "is not a folder" in p.message


def test_a_weak_weighting_warns():
    with pytest.warns(attrition.AttritionWarning, match="effective sample size"):
        r = attrition.run("scenarios/status-quo-updated.toml", paths=500)
    assert r.effective_paths < 500


def test_a_wrong_binary_override_is_said(monkeypatch):
    monkeypatch.setenv("ATTRITION_BIN", "/no/such/attrition")
    with pytest.raises(attrition.BinaryNotFoundError, match="ATTRITION_BIN"):
        attrition.run(SCENARIO)
    assert issubclass(attrition.BinaryNotFoundError, FileNotFoundError)


def _children():
    """The pids of this process's child processes (Linux)."""
    me = str(os.getpid())
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            # Fields after the command name (in parentheses): state, ppid, ...
            if stat.rsplit(")", 1)[1].split()[1] == me:
                pids.append(int(d))
    return pids


@pytest.fixture
def interruptible():
    """SIGINT raises KeyboardInterrupt here, as in a terminal or a notebook kernel, even
    where this process was started with SIGINT ignored (a background job of a shell
    without job control); and a command still running after 60 s is killed, so that a
    broken interrupt fails the test instead of running for minutes."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    done = threading.Event()

    def watchdog():
        if not done.wait(60):
            for pid in _children():
                os.kill(pid, signal.SIGKILL)

    threading.Thread(target=watchdog, daemon=True).start()
    yield
    done.set()
    signal.signal(signal.SIGINT, before)


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")
def test_an_interrupt_stops_the_command_and_raises_interrupted(interruptible):
    # A notebook's stop button sends SIGINT to the kernel only: the package must stop
    # the command itself, wait for it, and raise.
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(attrition.Interrupted) as e:
        attrition.run(LONG["scenario"], paths=LONG["paths"])
    assert time.monotonic() - started < 10
    assert isinstance(e.value, KeyboardInterrupt)
    assert not isinstance(e.value, Exception), "except Exception must not swallow it"
    assert "no output was written" in str(e.value)
    assert _children() == [], "the command is not left running"


def _signal_the_command(sig):
    """Sends ``sig`` to the command this process runs, half a second after it starts."""

    def send():
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            kids = _children()
            if kids:
                time.sleep(0.5)
                for pid in kids:
                    os.kill(pid, sig)
                return
            time.sleep(0.05)

    threading.Thread(target=send, daemon=True).start()


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")
def test_a_command_stopped_from_outside_raises_interrupted(interruptible):
    # SIGTERM to the command (a job scheduler, `kill`): it exits 130.
    _signal_the_command(signal.SIGTERM)
    with pytest.raises(attrition.Interrupted):
        attrition.run(LONG["scenario"], paths=LONG["paths"], samples=True)


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")
def test_a_command_that_dies_is_a_run_error(interruptible):
    _signal_the_command(signal.SIGKILL)
    with pytest.raises(attrition.RunError, match="exit status -9"):
        attrition.run(LONG["scenario"], paths=LONG["paths"])
