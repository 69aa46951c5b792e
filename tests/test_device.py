"""Precision is settled by measurement before a config is keyed; where bf16 is emulated it is never chosen."""

import json
import os
import subprocess
import sys

import pytest
import torch

from ganutils import artifacts, cache, device
from ganutils.classifier import ClassifierConfig
from ganutils.train import ConfigError, GanConfig, train

FORCED_AVX2 = {"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"}


def test_auto_is_resolved_before_the_config_is_keyed():
    resolved = device.resolve_precision("auto")
    assert resolved in ("bf16", "fp32")
    for config in (GanConfig(), ClassifierConfig()):
        assert config.precision == resolved
        assert cache.config_key(config) == cache.config_key(config.replace(precision=resolved)
                                                            if isinstance(config, GanConfig) else
                                                            ClassifierConfig(precision=resolved))
    assert cache.config_key(GanConfig(precision="bf16")) != cache.config_key(GanConfig(precision="fp32"))


def test_environment_overrides_the_measurement(monkeypatch):
    for forced in ("bf16", "fp32"):
        monkeypatch.setenv("GANUTILS_PRECISION", forced)
        assert GanConfig().precision == forced and ClassifierConfig().precision == forced
    monkeypatch.setenv("GANUTILS_PRECISION", "fp16")
    with pytest.raises(ValueError, match=r"GANUTILS_PRECISION='fp16' is not allowed: it must be one of"):
        GanConfig()


def test_bad_precision_names_the_parameter_and_allowed_values():
    with pytest.raises(ConfigError, match=r"precision='half' is not allowed: precision must be one of \('auto'"):
        GanConfig(precision="half")
    with pytest.raises(ValueError, match=r"precision='half' is not allowed"):
        ClassifierConfig(precision="half")


def test_emulated_bf16_resolves_to_fp32():
    """Under AVX2 kernels bf16 is emulated and several times slower: the measurement must see it."""
    code = ("from ganutils import device; from ganutils.train import GanConfig; "
            "print(device.bf16_speedup(), GanConfig().precision)")
    out = subprocess.run([sys.executable, "-c", code], env=os.environ | FORCED_AVX2 | {"GANUTILS_PRECISION": "auto"},
                         capture_output=True, text=True, check=True).stdout.split()
    assert float(out[0]) < 1.0 and out[1] == "fp32", out


def test_bf16_is_measured_faster_where_it_is_chosen(tmp_path, monkeypatch):
    monkeypatch.delenv("GANUTILS_PRECISION", raising=False)  # the measurement itself, not an override
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "fresh"))  # not the session's record (conftest.py)
    speedup = device.bf16_speedup()
    assert (speedup >= device.BF16_MIN_SPEEDUP) == (device.resolve_precision("auto") == "bf16")
    assert (tmp_path / "fresh" / "precision.json").exists()  # measured here, in the fresh cache


def test_runs_and_published_models_record_the_machine(tmp_path):
    config = GanConfig(width_g=8, width_d=8, epochs=1, n_per_class=10, batch_size=20)
    run = train(config, progress=False)
    machine = run.generator_package["machine"]
    assert machine["precision"] == config.precision and machine["threads"] == torch.get_num_threads()
    assert {"device", "cpu kernels", "torch"} <= set(machine)
    path = artifacts.save_package(run.publishable(), tmp_path / "g.pt")
    stored = artifacts.read_package(path, "generator")
    assert stored["machine"] == machine and stored["trained"]["config"]["precision"] == config.precision


def test_autocast_follows_the_resolved_precision():
    conv = torch.nn.Conv2d(1, 2, 3)
    x = torch.randn(1, 1, 5, 5)
    with device.autocast("cpu", "bf16"):
        assert conv(x).dtype == torch.bfloat16
    with device.autocast(torch.device("cpu"), "fp32"):
        assert conv(x).dtype == torch.float32


def test_processes_sharing_a_run_cache_share_one_decision(tmp_path, monkeypatch):
    """Two processes that measured separately (at once, slowing each other down) could key one config two ways."""
    monkeypatch.delenv("GANUTILS_PRECISION", raising=False)
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path))
    first = device.resolve_precision("auto")
    record = json.loads((tmp_path / "precision.json").read_text())
    ((machine, entry),) = record.items()
    assert entry["precision"] == first
    other = "fp32" if first == "bf16" else "bf16"
    record[machine]["precision"] = other  # as if another process sharing the cache had decided first
    (tmp_path / "precision.json").write_text(json.dumps(record))
    out = subprocess.run([sys.executable, "-c", "from ganutils.train import GanConfig; print(GanConfig().precision)"],
                         env=os.environ, capture_output=True, text=True, check=True).stdout.strip()
    assert out == other


def test_a_damaged_precision_record_is_reported_and_measured_again(tmp_path, monkeypatch):
    monkeypatch.delenv("GANUTILS_PRECISION", raising=False)
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path))
    (tmp_path / "precision.json").write_text("{truncated")
    with pytest.warns(UserWarning, match="precision.json is damaged"):
        precision = device.resolve_precision("auto")
    assert json.loads((tmp_path / "precision.json").read_text()).popitem()[1]["precision"] == precision
