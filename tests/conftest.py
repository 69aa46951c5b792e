import os
import tempfile

import pytest


def pytest_configure(config):
    # Notebook kernels started by nbval inherit this: they train into a fresh cache, never runs/.
    os.environ["GANUTILS_RUNS"] = tempfile.mkdtemp(prefix="ganutils-runs-")


@pytest.fixture(autouse=True)
def isolated_runs(tmp_path, monkeypatch):
    """Every Python test trains into its own run cache."""
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "runs"))
    yield tmp_path / "runs"
