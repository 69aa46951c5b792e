import os

import pytest


@pytest.fixture(autouse=True)
def isolated_runs(tmp_path, monkeypatch):
    """Every test trains into its own run cache, never the project's runs/."""
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "runs"))
    yield tmp_path / "runs"


def pytest_configure(config):
    os.environ.setdefault("OMP_NUM_THREADS", "2")
