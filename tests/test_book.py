"""The HTML book builds strictly from the committed notebooks and reads well in a real browser; a missing
glue key fails it; the paper is an IEEE paper with numbered tables."""

import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


def _build(source: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([JUPYTER_BOOK, "build", str(source), "--path-output", str(out), "--builder", "html",
                           "-W", "-n", "--keep-going"], capture_output=True, text=True, timeout=600)


CHAPTERS = ("q1_dcgan", "q2_cgan", "q3_metrics", "q4_retraining", "q5_bonus")
PAGES = tuple(f"notebooks/{chapter}.html" for chapter in CHAPTERS) + ("book/paper.html", "book/intro.html")
SCREENSHOTS = ROOT / "_build" / "screenshots"  # for a reviewer: every page at desktop and phone width
WIDTHS = {"desktop": "1400,2400", "phone": "390,2400"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The HTML book, built once for this module."""
    out = tmp_path_factory.mktemp("book")
    result = _build(ROOT, out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / "_build" / "html"


def test_book_builds(book):
    html = book
    chapter = (html / "notebooks" / "q1_dcgan.html").read_text()
    paper = (html / "book" / "paper.html").read_text()
    assert "Discussion" in chapter and "{glue" not in chapter
    assert "{glue" not in paper and "q1_best_name" not in paper  # every glue role resolved to its value
    assert (html / "index.html").exists()
    intro = (html / "book" / "intro.html").read_text()  # the kept outputs of make bench and make time-report
    assert "speedup:" in intro and "chapter q2_cgan:" in intro and "q1_dcgan" in intro  # Q1: parts, see its note


def _chromium(*args: str) -> str:
    """Headless Chromium with every network request refused: the book must work offline."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Chromium is missing: `make browser` installs Debian's chromium"
    result = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", *args],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _screenshot_path(page: Path, width: str) -> Path:
    name = page.relative_to(page.parents[1]).with_suffix("").as_posix().replace("/", "-")
    return SCREENSHOTS / f"{name}-{width}.png"


def _rendered(page: Path) -> BeautifulSoup:
    """The page's DOM once its scripts ran, and its screenshot at desktop width, from one Chromium start."""
    dom = _chromium("--virtual-time-budget=20000", f"--window-size={WIDTHS['desktop']}",
                    f"--screenshot={_screenshot_path(page, 'desktop')}", "--dump-dom", page.as_uri())
    return BeautifulSoup(dom, "html.parser")


def _screenshot(page: Path, width: str) -> Path:
    path = _screenshot_path(page, width)
    _chromium("--virtual-time-budget=20000", f"--window-size={WIDTHS[width]}", f"--screenshot={path}", page.as_uri())
    return path


def test_book_pages_in_a_real_browser_offline(book):
    """Opened in headless Chromium without a network: every formula typeset (no raw TeX), every figure and
    glued value there, and each chapter opening with prose and its re-run box, its code folded."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = [book / page for page in PAGES]
    with ThreadPoolExecutor(2) as pool:
        rendered = dict(zip(PAGES, pool.map(_rendered, pages)))
        shots = list(pool.map(lambda page: _screenshot(page, "phone"), pages))
    shots += [_screenshot_path(page, "desktop") for page in pages]
    assert all(shot.exists() and shot.stat().st_size > 10_000 for shot in shots)
    for page, dom in rendered.items():
        article = dom.select_one("article") or dom
        formulas = article.select(".math")
        raw = [f.get_text()[:40] for f in formulas if not f.find("mjx-container")]
        assert not raw, f"{page}: formulas left as raw TeX (MathJax did not run offline): {raw[:3]}"
        images = article.select("img")
        missing = [img["src"] for img in images if not (book / page).parent.joinpath(img["src"]).is_file()]
        assert not missing, f"{page}: missing figures {missing}"
        text = article.get_text(" ")
        assert "{glue" not in text and "No key" not in text, page
        if page.startswith("notebooks/"):
            assert formulas or page.endswith("q4_retraining.html"), f"{page}: no formula found at all"
            assert images, f"{page}: no figure"
            box = next((a for a in article.select("div.admonition") if "Re-run this chapter" in a.get_text()), None)
            command = f"papermill notebooks/{Path(page).stem}.ipynb"  # highlighted code: spans joined without spaces
            assert box is not None and command in box.get_text(""), f"{page}: no re-run box with its command"
            first = next(el for el in article.select("h1 ~ p, h1 ~ div.cell, section > p, div.cell")
                         if el.name == "p" or el.select_one("div.cell_input"))
            assert first.name == "p", f"{page} starts with code, not prose"
            unfolded = [cell for cell in article.select("div.cell_input") if not cell.find_parent("details")]
            assert not unfolded, f"{page}: {len(unfolded)} code cell(s) shown unfolded"
    assert rendered["notebooks/q2_cgan.html"].select("mjx-container"), "Q2's opening formulas were not typeset"


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
    source = (ROOT / "book" / "paper.md").read_text()
    tables, figures = source.count(":::{table}"), source.count("```{figure}")
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][:tables]
    captions = re.findall(r"TABLE ([IVX]+)\b", text)  # IEEE: "TABLE I" above each table, cited from the text
    assert captions[:tables] == roman, captions
    assert all(re.search(rf"Table {n}\b", text) for n in roman), "a table is never cited"
    assert all(re.search(rf"Fig\. {n}\b", text) for n in range(1, figures + 1)), "a figure is never cited"
