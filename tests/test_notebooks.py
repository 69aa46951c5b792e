"""Every chapter runs end to end at the smoke profile, and the committed report is current."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest
import yaml
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

ROOT = Path(__file__).resolve().parent.parent
NBVAL = ROOT / "tests" / "nbval"
_spec = importlib.util.spec_from_file_location("nbval_reference", NBVAL / "reference.py")
nbval_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbval_reference)
# The chapters are the notebooks the book's table of contents lists.
CHAPTERS = [Path(e["file"]).name for e in yaml.safe_load((ROOT / "_toc.yml").read_text())["chapters"]
            if e["file"].startswith("notebooks/")]


def _code_cells(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]


def _tags(nb) -> list[list[str]]:
    """Every cell's tags (hide-input, remove-cell, ...): they decide what a reader of the book sees."""
    return [c.metadata.get("tags", []) for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]


def test_chapters_exist_and_make_knows_them():
    assert CHAPTERS, "no chapter notebooks found"
    makefile = (ROOT / "Makefile").read_text()
    listed = next(line for line in makefile.splitlines() if line.startswith("CHAPTERS :="))
    assert listed.split(":=")[1].split() == CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_nbval_reference_is_the_smoke_run_of_the_current_source(chapter):
    """nbval re-executes tests/nbval/<chapter>.ipynb: the chapter's current code plus its regression checks
    (`make nbval-refresh`)."""
    reference = nbformat.read(NBVAL / f"{chapter}.ipynb", 4)
    expected = nbval_reference.reference_notebook(chapter)
    assert _code_cells(reference) == _code_cells(expected), f"run `make nbval-refresh`: {chapter} reference is stale"
    assert reference.metadata.get("papermill", {}).get("parameters", {}) == {"profile": "smoke", "seeds": 2}
    checked = [c for c in reference.cells if c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source]
    assert checked and all(c.outputs for c in checked), "every chapter checks some outputs"
    assert any(nbval_reference.CHECK_TAG in c.metadata.get("tags", []) for c in checked)


BAD_PARAMETERS = {
    "bad profile": ({"profile": "huge"}, r"profile must be one of \('smoke', 'report'\)"),
    "unknown name": ({"epochs": 5}, r"unknown parameter\(s\) \['epochs'\]"),
}


def _chapter_ipynb(chapter: str, directory: Path) -> Path:
    """The chapter's .py source as an unexecuted .ipynb in `directory`, for papermill."""
    path = directory / f"{chapter}.ipynb"
    nbformat.write(jupytext.read(ROOT / "notebooks" / f"{chapter}.py"), path)
    return path


# Every chapter checks its parameters in one call right after its imports (`experiments.start_chapter`): an
# unknown name stops each chapter before any work; a bad value, checked by the same call, is shown on one.
def test_a_bad_parameter_value_fails_before_any_work_in_a_kernel(tmp_path):
    """As a reader's papermill run meets it: in a Jupyter kernel, whose own names (In, Out, get_ipython...)
    must not be taken for unknown parameters on the way to the bad value."""
    parameters, message = BAD_PARAMETERS["bad profile"]
    with pytest.raises(papermill.PapermillExecutionError, match=message):
        papermill.execute_notebook(str(_chapter_ipynb(CHAPTERS[0], tmp_path)), str(tmp_path / "out.ipynb"), parameters=parameters,
                                   cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    assert not any(tmp_path.glob("runs/*/manifest.json"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_stops_on_an_unknown_parameter_before_any_work(chapter, tmp_path, monkeypatch, isolated_runs):
    """Every chapter, with papermill's injected cell, executed in this process up to its parameter check:
    no kernel to start for each (a kernel's run is the test above)."""
    parameters, message = BAD_PARAMETERS["unknown name"]
    notebook = parameterize_notebook(load_notebook_node(str(_chapter_ipynb(chapter, tmp_path))), parameters,
                                     kernel_name="python3", language="python")
    cells = [c.source for c in notebook.cells if c.cell_type == "code"]
    check = next(i for i, code in enumerate(cells) if "experiments.start_chapter(globals())" in code)
    monkeypatch.chdir(ROOT / "notebooks")
    namespace: dict = {}
    with pytest.raises(ValueError, match=message):
        for i, code in enumerate(cells[: check + 1]):
            exec(compile(code, f"{chapter} cell {i}", "exec"), namespace)
    assert not any(isolated_runs.glob("*/manifest.json"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_committed_notebook_is_the_report_run_of_the_current_source(chapter):
    committed = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", 4)
    source = jupytext.read(ROOT / "notebooks" / f"{chapter}.py")
    assert _code_cells(committed) == _code_cells(source), f"run `make experiments`: {chapter}.ipynb is stale"
    assert _tags(committed) == _tags(source), f"run `make notebooks`: {chapter}.ipynb has other cell tags than its .py"
    assert committed.metadata.get("papermill", {}).get("parameters", {}).get("profile") == "report"
    assert not [o for c in committed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "ganutils", "tests", "tools", "notebooks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_sync_leaves_a_chapter_in_sync_untouched_and_updates_an_edited_one(tmp_path, monkeypatch):
    """`make notebooks` (run by `make nbval-refresh`) must not rewrite a committed report run whose source
    has not changed: rewriting drops papermill's record of the run. An edit still reaches the .ipynb, with
    the outputs kept."""
    spec = importlib.util.spec_from_file_location("sync_notebooks", ROOT / "tools" / "sync_notebooks.py")
    sync_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync_notebooks)
    monkeypatch.setattr(sync_notebooks, "NOTEBOOKS", tmp_path)
    chapter = "q3_metrics"  # the smallest committed chapter
    for suffix in (".py", ".ipynb"):
        (tmp_path / f"{chapter}{suffix}").write_bytes((ROOT / "notebooks" / f"{chapter}{suffix}").read_bytes())
    committed = (tmp_path / f"{chapter}.ipynb").read_bytes()
    sync_notebooks.sync(chapter)
    assert (tmp_path / f"{chapter}.ipynb").read_bytes() == committed
    source = (tmp_path / f"{chapter}.py").read_text()
    first_heading = next(line for line in source.splitlines() if line.startswith("# # "))
    (tmp_path / f"{chapter}.py").write_text(source.replace(first_heading, first_heading + " (edited)", 1))
    sync_notebooks.sync(chapter)
    synced = nbformat.read(tmp_path / f"{chapter}.ipynb", 4)
    assert any("(edited)" in c.source for c in synced.cells if c.cell_type == "markdown")
    executed = {c.source: c.outputs for c in nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", 4).cells
                if c.cell_type == "code"}
    code = [c for c in synced.cells if c.cell_type == "code"]
    assert code and all(c.outputs == executed[c.source] for c in code) and any(c.outputs for c in code)
    tags = [c.metadata.get("tags", []) for c in code]  # papermill's injected values survive, after the parameters
    assert "parameters" in tags[0] and "injected-parameters" in tags[1] and "hide-input" in tags[1]
