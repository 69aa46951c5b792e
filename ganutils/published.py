"""The published classifier as an input: trained once, then reused on every machine.

Every metric of the study looks through one classifier. Retrained on each new machine it comes out a few
bits different, so every later chapter's numbers would move with the machine, and a cold re-execution
spends minutes on it. So the chapters publish it with a record of the exact config it was trained from
(`models/classifier.json` beside `models/classifier.pt`), and a run cache that lacks that config adopts
the published file instead of training again. Another config (another precision, say, on a CPU without
native bf16) does not match and is trained as usual; a file whose checksum does not match its record is
reported and not used.
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
    save_json({"config": dataclasses.asdict(run.config), "test_accuracy": run.test_accuracy,
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
    if record.get("config") != dataclasses.asdict(config):
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


def reference_classifier(config: ClassifierConfig, progress: bool = False, models: Path | None = MODELS) -> ClassifierRun:
    """The run of `config`: from the run cache, else adopted from `models/classifier.pt` when that was
    published from `config`, else trained. `models=None` never adopts (the smoke profile's tiny classifier)."""
    if models is not None:
        adopt_classifier(config, Path(models) / "classifier.pt")
    return train_classifier(config, progress=progress)
