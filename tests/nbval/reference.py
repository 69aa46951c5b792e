"""The nbval reference of a chapter: the chapter's own cells, then its regression checks.

The checks (tests/nbval/checks/<chapter>.py, py:percent) run in the chapter's namespace
after its last cell and print only what another CPU cannot change: names, counts,
shapes, and properties of the trained smoke models with margins that a real bug
breaks (a trained generator well ahead of an untrained one, real images far ahead of
both). GAN training amplifies last-bit differences between CPU kernels, so no
measured number is compared exactly. Keeping the checks out of the chapter keeps
test plumbing out of the book.

    python tests/nbval/reference.py CHAPTER OUT.ipynb   # then papermill executes OUT at the smoke profile
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent.parent
CHECK_TAG = "regression-check"


def check_cells(chapter: str) -> list:
    cells = jupytext.read(ROOT / "tests" / "nbval" / "checks" / f"{chapter}.py", fmt="py:percent").cells
    for cell in cells:
        cell.metadata.setdefault("tags", []).append(CHECK_TAG)
    return cells


def reference_notebook(chapter: str) -> nbformat.NotebookNode:
    notebook = jupytext.read(ROOT / "notebooks" / f"{chapter}.py")
    notebook.cells += check_cells(chapter)
    return notebook


if __name__ == "__main__":
    chapter, out = sys.argv[1:]
    nbformat.write(reference_notebook(chapter), out)
