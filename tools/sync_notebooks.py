"""Update each chapter's .ipynb from its paired py:percent source, keeping the executed outputs.

The code, the prose and the cell tags (hide-input, remove-cell, ...) come from the .py; the outputs
come from the existing .ipynb. This is `jupytext --update`, except for the tags: jupytext keeps a
cell's old tags whenever its .ipynb holds any (papermill writes `"tags": []`), so a tag added in the
.py would never reach the book.

    python tools/sync_notebooks.py q1_dcgan q2_cgan ...
"""

import sys
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def sync(chapter: str) -> None:
    source = jupytext.read(NOTEBOOKS / f"{chapter}.py")
    executed = NOTEBOOKS / f"{chapter}.ipynb"
    notebook = combine_inputs_with_outputs(source, nbformat.read(executed, 4)) if executed.exists() else source
    for cell, source_cell in zip(notebook.cells, source.cells, strict=True):
        tags = source_cell.metadata.get("tags")
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    nbformat.write(notebook, executed)


if __name__ == "__main__":
    for chapter in sys.argv[1:]:
        sync(chapter)
