"""The HTML book builds strictly from the committed notebooks, and a missing glue key fails it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


def _build(source: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([JUPYTER_BOOK, "build", str(source), "--path-output", str(out), "--builder", "html",
                           "-W", "-n", "--keep-going"], capture_output=True, text=True, timeout=600)


def test_book_builds(tmp_path):
    result = _build(ROOT, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = tmp_path / "_build" / "html"
    chapter = (html / "notebooks" / "q1_dcgan.html").read_text()
    paper = (html / "book" / "paper.html").read_text()
    assert "Discussion" in chapter and "{glue" not in chapter
    assert "{glue" not in paper and "q1_best_name" not in paper  # every glue role resolved to its value
    assert (html / "index.html").exists()
    intro = (html / "book" / "intro.html").read_text()  # the kept outputs of make bench and make time-report
    assert "speedup:" in intro and "chapter q1_dcgan:" in intro


def test_missing_glue_key_fails_the_build(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book / "book", ignore=shutil.ignore_patterns("figures"))
    shutil.copy(ROOT / "_config.yml", book)
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n  - file: book/broken\n")
    (book / "book" / "broken.md").write_text("# Broken\n\nA value: {glue:text}`no_such_key`.\n")
    result = _build(book, tmp_path / "out")
    assert result.returncode != 0 and "No key 'no_such_key' found in glue data" in result.stdout + result.stderr


def test_paper_pdf_is_a_4_to_6_page_a4_paper_without_unresolved_references(tmp_path):
    result = subprocess.run([JUPYTER_BOOK, "build", str(ROOT), "--path-output", str(tmp_path), "--builder", "pdflatex",
                             "-W", "-n", "--keep-going"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    latex = tmp_path / "_build" / "latex"
    info = subprocess.run(["pdfinfo", str(latex / "paper.pdf")], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert 4 <= pages <= 6, f"the paper has {pages} pages"
    assert "595.276 x 841.89 pts (A4)" in info
    log = (latex / "paper.log").read_text(errors="replace")
    assert not re.search(r"(Reference|Citation) .* undefined|There were undefined references", log)
    text = subprocess.run(["pdftotext", str(latex / "paper.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "??" not in text and "{glue" not in text
