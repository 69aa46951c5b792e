import os
import shutil
import tempfile
from pathlib import Path

import pytest
import torch

from ganutils import device
from ganutils.cluster import available_cores


def pytest_configure(config):
    # Notebook kernels started by nbval inherit this: they train into a fresh cache, never runs/. pytest-xdist's
    # workers inherit the controller's, so the chapters share one cache as in a single process (Q3 reads the
    # CGANs that Q2 trained; a run two chapters need trains once, under the cache's lock). Removed at the end.
    if "PYTEST_XDIST_WORKER" not in os.environ:
        config.session_runs = os.environ["GANUTILS_RUNS"] = tempfile.mkdtemp(prefix="ganutils-runs-")
        # precision "auto" is measured once, here, before any test runs and with the machine otherwise idle;
        # every test's own run cache starts with this record (`isolated_runs`) instead of measuring again
        # (3-4 s per test where bf16 is emulated). tests/test_device.py measures in fresh caches itself.
        device.bf16_speedup()
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1:
        # the workers share the cores: each (and every kernel or subprocess it starts) trains on its share of
        # the threads, and in-process, instead of each starting a Dask cluster on every core
        threads = max(1, available_cores() // workers)
        os.environ["OMP_NUM_THREADS"] = str(threads)
        os.environ.setdefault("GANUTILS_SCHEDULER", "in-process")
        torch.set_num_threads(threads)


def pytest_unconfigure(config):
    if hasattr(config, "session_runs"):  # the controller's: 100-200 MB a session, which /tmp kept before
        shutil.rmtree(config.session_runs, ignore_errors=True)


# The longest test files first (measured: `make test-time`), so that pytest-xdist's workers, which take whole
# files in this order (`--no-loadscope-reorder`), finish together instead of one running a long file alone
# at the end; the order within a file, and so a chapter's cells, is kept.
LONGEST_FIRST = ("tests/test_portability.py", "tests/nbval/q1_dcgan.ipynb", "tests/nbval/q2_cgan.ipynb",
                 "tests/nbval/q5_bonus.ipynb", "tests/test_book.py", "tests/nbval/q4_retraining.ipynb",
                 "tests/test_notebooks.py", "tests/nbval/q3_metrics.ipynb")


def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def isolated_runs(tmp_path, monkeypatch):
    """Every Python test trains into its own run cache, which holds the session's precision measurement."""
    runs = tmp_path / "runs"
    measured = Path(os.environ["GANUTILS_RUNS"]) / "precision.json"
    if measured.exists():
        runs.mkdir()
        shutil.copy(measured, runs / "precision.json")
    monkeypatch.setenv("GANUTILS_RUNS", str(runs))
    yield runs
