"""Every chapter runs end to end at the smoke profile, and the committed report is current."""

import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("q*.py"))


def _code_cells(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]


def test_chapters_exist():
    assert CHAPTERS, "no chapter notebooks found"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_at_smoke_profile(chapter, tmp_path):
    source = tmp_path / f"{chapter}.ipynb"
    nbformat.write(jupytext.read(ROOT / "notebooks" / f"{chapter}.py"), source)
    out = tmp_path / f"{chapter}-smoke.ipynb"
    papermill.execute_notebook(str(source), str(out), parameters={"profile": "smoke"},
                               cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    executed = nbformat.read(out, 4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_bad_profile_fails_before_any_work(chapter, tmp_path):
    source = tmp_path / f"{chapter}.ipynb"
    nbformat.write(jupytext.read(ROOT / "notebooks" / f"{chapter}.py"), source)
    with pytest.raises(papermill.PapermillExecutionError, match="profile must be one of"):
        papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), parameters={"profile": "huge"},
                                   cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    assert not any(tmp_path.glob("runs/*/manifest.json"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_committed_notebook_is_the_report_run_of_the_current_source(chapter):
    committed = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", 4)
    source = jupytext.read(ROOT / "notebooks" / f"{chapter}.py")
    assert _code_cells(committed) == _code_cells(source), f"run `make experiments`: {chapter}.ipynb is stale"
    assert committed.metadata.get("papermill", {}).get("parameters", {}).get("profile") == "report"
    assert not [o for c in committed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "ganutils", "tests", "notebooks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
