"""Update each chapter's .ipynb from its paired py:percent source, keeping the executed outputs.

The code, the prose and the cell tags (hide-input, remove-cell, ...) come from the .py; the outputs
come from the existing .ipynb. This is `jupytext --update`, except for the tags: jupytext keeps a
cell's old tags whenever its .ipynb holds any (papermill writes `"tags": []`), so a tag added in the
.py would never reach the book.

    python tools/sync_notebooks.py q1_dcgan q2_cgan ...

After papermill has executed a chapter in place, `--fold-injected` folds the cell it inserted (tagged
injected-parameters, holding e.g. `profile = "report"`) like the parameters cell above it, so that the book
shows the values the outputs came from, one click away, and no chapter shows code unfolded.

    python tools/sync_notebooks.py --fold-injected q1_dcgan q2_cgan ...
"""

import sys
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _cells(notebook: nbformat.NotebookNode) -> list[tuple]:
    return [(c.cell_type, c.source, c.metadata.get("tags") or []) for c in notebook.cells
            if "injected-parameters" not in c.metadata.get("tags", [])]


def sync(chapter: str) -> None:
    source = jupytext.read(NOTEBOOKS / f"{chapter}.py")
    executed = NOTEBOOKS / f"{chapter}.ipynb"
    notebook, injected = source, []
    if executed.exists():
        old = nbformat.read(executed, 4)
        if _cells(old) == _cells(source):
            return  # already in sync: leave the executed notebook (and papermill's record of its run) untouched
        notebook = combine_inputs_with_outputs(source, old)
        injected = [c for c in old.cells if "injected-parameters" in c.metadata.get("tags", [])]
    for cell, source_cell in zip(notebook.cells, source.cells, strict=True):
        tags = source_cell.metadata.get("tags")
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    # the .py has no cell for the values papermill injected: keep them after the parameters cell, where
    # papermill put them, so that the book still shows what the outputs came from
    after = next((i + 1 for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    notebook.cells[after:after] = injected
    nbformat.write(notebook, executed)


def fold_injected(chapter: str) -> None:
    executed = NOTEBOOKS / f"{chapter}.ipynb"
    notebook = nbformat.read(executed, 4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "hide-input" not in tags:
            cell.metadata["tags"] = [*tags, "hide-input"]
    nbformat.write(notebook, executed)


if __name__ == "__main__":
    fold = sys.argv[1:2] == ["--fold-injected"]
    for chapter in sys.argv[1 + fold :]:
        (fold_injected if fold else sync)(chapter)
