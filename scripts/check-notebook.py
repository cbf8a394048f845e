#!/usr/bin/env python3
"""Runs examples/notebook.ipynb top to bottom with nbclient and checks what it showed.

    python scripts/check-notebook.py            # run and check (CI)
    python scripts/check-notebook.py --write    # run and save the outputs in the notebook

Run it with a Python that has the attrition package installed (`pip install .`, plus
matplotlib, nbclient, nbformat and ipykernel): the notebook's kernel is this Python. It
fails when a cell fails (the notebook asserts what it read against the engine's
summary), when a chart cell shows no image, when a cell's output is an error, or when the
outputs saved in the notebook are not the ones it gives now (its text outputs: tables
and printed lines; the images are checked to exist, not compared, since they depend on
the matplotlib version). After a change that moves the numbers, `--write` saves the new
outputs; review the diff as for golden files.
"""

import argparse
import copy
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


def texts(cell):
    """A code cell's text outputs, as compared: streams and plain-text results."""
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append((o["name"], o["text"]))
        elif o["output_type"] in ("execute_result", "display_data"):
            out.append(("text/plain", o["data"].get("text/plain", "")))
        elif o["output_type"] == "error":
            out.append(("error", o["ename"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="save the fresh outputs in the notebook")
    args = ap.parse_args()

    saved = nbformat.read(NOTEBOOK, as_version=4)
    nb = copy.deepcopy(saved)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"notebook: a cell failed:\n{e}", file=sys.stderr)
        return 1

    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, 1):
        kinds = {k for o in cell.outputs for k in o.get("data", {})}
        if "plt.show()" in cell.source and "image/png" not in kinds:
            problems.append(f"code cell {i} draws a chart but shows no image")
        if any(o["output_type"] == "error" for o in cell.outputs):
            problems.append(f"code cell {i} shows an error")
    if not any("notebook checks passed" in t for c in code for _, t in texts(c)):
        problems.append("the checks cell did not say 'notebook checks passed'")

    if args.write:
        if problems:
            print("\n".join(["notebook: not saved:"] + problems), file=sys.stderr)
            return 1
        nbformat.write(nb, NOTEBOOK)
        print(f"notebook: ran {len(code)} code cells; outputs saved in {NOTEBOOK.relative_to(ROOT)}")
        return 0

    before = [c for c in saved.cells if c.cell_type == "code"]
    if [c.source for c in before] != [c.source for c in code]:
        problems.append("internal: the cells changed while running")
    for i, (old, new) in enumerate(zip(before, code), 1):
        if texts(old) != texts(new):
            problems.append(
                f"code cell {i}: the saved outputs are not the ones it gives now "
                "(rerun with --write after a change that moves the numbers, and review the diff)\n"
                f"  saved: {texts(old)!r:.600}\n  now:   {texts(new)!r:.600}"
            )
    if problems:
        print("\n".join(["notebook: FAILED"] + problems), file=sys.stderr)
        return 1
    print(f"notebook: {len(code)} code cells ran; charts drawn, checks passed, saved outputs current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
