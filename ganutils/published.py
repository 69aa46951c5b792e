"""The published classifier as an input: trained once, then reused on every machine.

Every metric of the study looks through one classifier. Retrained on each new machine it comes out a few
bits different, so every later chapter's numbers would move with the machine, and a cold re-execution
spends minutes on it. So the chapters publish it with a record of the exact config it was trained from
(`models/classifier.json` beside `models/classifier.pt`), and a run cache that lacks that config adopts
the published file instead of training again. A config that differs only in precision (the machine's choice
on a CPU without native bf16, not the study's) is the same instrument: it adopts the published file under
the config it was trained from. Any other config is trained as usual; a file whose checksum does not match
its record is reported and not used.
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

from ganutils import cache
from ganutils.artifacts import read_package, save_package
from ganutils.cache import DamagedFileWarning
from ganutils.classifier import ClassifierConfig, ClassifierRun, train_classifier
from ganutils.io import save_json, sha256

MODELS = Path(__file__).resolve().parent.parent / "models"  # the repository's published models


def publish_classifier(run: ClassifierRun, path: str | Path) -> Path:
    """Write the classifier to `path` and its record (config, test accuracy, training time) beside it."""
    path = Path(path)
    save_package(run.package, path)
    save_json({"config": cache.config_data(run.config, use="published"), "test_accuracy": run.test_accuracy,
               "seconds": run.seconds, "sha256": sha256(path)}, path.with_suffix(".json"))
    return path


def adopt_classifier(config: ClassifierConfig, path: str | Path) -> bool:
    """Put the classifier published at `path` into the run cache as the run of `config`, if the cache lacks
    that run and the file was published from exactly `config`; returns whether it was adopted."""
    path = Path(path)
    record_path = path.with_suffix(".json")
    directory = cache.run_dir("classifier", config)
    if cache.is_finished(directory) or not (path.exists() and record_path.exists()):
        return False
    record = json.loads(record_path.read_text())
    if record.get("config") != cache.config_data(config, use="published"):
        return False
    if sha256(path) != record.get("sha256"):
        warnings.warn(f"{path}: does not match its record {record_path.name} (checksum); training the classifier "
                      "instead", DamagedFileWarning, stacklevel=2)
        return False
    result = {"kind": "classifier-run", "config": dataclasses.asdict(config), "classifier": read_package(path, "classifier"),
              "test_accuracy": record["test_accuracy"], "seconds": record["seconds"], "adopted from": str(path)}
    with cache.lock(directory):
        if not cache.is_finished(directory):
            cache.save_result(directory, result, config)
    return True


def as_published(config: ClassifierConfig, path: str | Path) -> ClassifierConfig:
    """`config` with the precision of the classifier published at `path` when precision is all they differ
    in (else `config` itself)."""
    record_path = Path(path).with_suffix(".json")
    if not record_path.exists():
        return config
    recorded = json.loads(record_path.read_text()).get("config", {})
    if {**cache.config_data(config, use="published"), "precision": recorded.get("precision")} != recorded:
        return config
    return dataclasses.replace(config, precision=recorded["precision"])


def reference_classifier(config: ClassifierConfig, progress: bool = False, models: Path | None = MODELS) -> ClassifierRun:
    """The run of `config`: from the run cache, else adopted from `models/classifier.pt` when that was
    published from `config` (whatever its precision), else trained. `models=None` never adopts (the smoke
    profile's tiny classifier)."""
    if models is not None:
        path = Path(models) / "classifier.pt"
        published_config = as_published(config, path)
        adopt_classifier(published_config, path)
        if cache.is_finished(cache.run_dir("classifier", published_config)):
            config = published_config
    return train_classifier(config, progress=progress)
