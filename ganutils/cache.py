"""The run cache: a finished run is reused instead of retrained.

A run's identity is its full config (plus a code version that is bumped when
training semantics change), hashed into a directory name under `runs/`
(override with GANUTILS_RUNS). Inside:
  progress.json      epoch, checkpoint file name and its sha256 (written after the checkpoint)
  checkpoint-E.pt    state after epoch E, so an interrupted run resumes
  result.pt          what a finished run produced
  manifest.json      config and sha256 of result.pt; present only once finished
Every file is written atomically, and a checksum mismatch marks the file as
damaged: it is reported and retrained, never used. A file lock keeps two
processes from training the same config at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock

from ganutils.io import load_torch, save_json, save_torch, sha256

CODE_VERSION = 1


class DamagedFileWarning(UserWarning):
    """A cached file failed its checksum and is being rebuilt."""


def runs_root() -> Path:
    return Path(os.environ.get("GANUTILS_RUNS", Path(__file__).resolve().parent.parent / "runs"))


def config_data(config: Any, use: str = "key") -> dict:
    """The values that identify a config. Fields added after runs were cached carry
    `metadata={"key": "if-changed"}` and join the key only when set away from their default,
    so adding an option does not invalidate every earlier run; `use="published"` applies the
    same rule to what a published model records."""
    if not dataclasses.is_dataclass(config):
        return dict(config)
    data = dataclasses.asdict(config)
    for f in dataclasses.fields(config):
        if f.metadata.get(use) == "if-changed" and getattr(config, f.name) == f.default:
            del data[f.name]
    return data


def config_key(config: Any) -> str:
    data = config_data(config)
    text = json.dumps({"code_version": CODE_VERSION, **data}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_dir(kind: str, config: Any) -> Path:
    return runs_root() / f"{kind}-{config_key(config)}"


def lock(directory: Path) -> FileLock:
    directory.mkdir(parents=True, exist_ok=True)
    return FileLock(str(directory / ".lock"))


def _load_verified(directory: Path, record: str, what: str, then: str) -> dict | None:
    """Load the file a JSON record names after checking its sha256; None when there is no
    record, and a warning plus a cleared directory when the file is damaged."""
    record_path = directory / record
    if not record_path.exists():
        return None
    try:
        entry = json.loads(record_path.read_text())
        path = directory / entry.get("file", "result.pt")
        if sha256(path) != entry["sha256"]:
            raise ValueError("checksum mismatch")
        return load_torch(path)
    except Exception as e:
        warnings.warn(f"{directory.name}: {what} is damaged ({e}); {then}", DamagedFileWarning, stacklevel=3)
        clear(directory)
        return None


def load_result(directory: Path) -> dict | None:
    """The finished result, or None when the run is unfinished or damaged (then it is cleared)."""
    return _load_verified(directory, "manifest.json", "cached result", "retraining")


def save_result(directory: Path, result: dict, config: Any) -> None:
    save_torch(result, directory / "result.pt")
    data = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(config)
    save_json({"config": data, "sha256": sha256(directory / "result.pt")}, directory / "manifest.json")
    for old in directory.glob("checkpoint-*.pt"):
        old.unlink()
    (directory / "progress.json").unlink(missing_ok=True)


def load_checkpoint(directory: Path) -> dict | None:
    """The latest verified checkpoint, or None (a damaged one is reported and dropped)."""
    return _load_verified(directory, "progress.json", "checkpoint", "training from scratch")


def save_checkpoint(directory: Path, state: dict, epoch: int) -> None:
    name = f"checkpoint-{epoch}.pt"
    save_torch(state, directory / name)
    save_json({"epoch": epoch, "file": name, "sha256": sha256(directory / name)}, directory / "progress.json")
    for old in directory.glob("checkpoint-*.pt"):
        if old.name != name:
            old.unlink()


def clear(directory: Path) -> None:
    """Remove everything but the lock file."""
    for path in directory.iterdir():
        if path.name == ".lock":
            continue
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def memo(kind: str, spec: dict, compute) -> dict:
    """A small result (a dict of numbers) computed once per `spec` and then read from the cache.

    `spec` must name everything the result depends on (checksums of input files included)."""
    directory = run_dir(kind, spec)
    with lock(directory):
        result = load_result(directory)
        if result is None:
            result = compute()
            save_result(directory, result, spec)
    return result


def is_finished(directory: Path) -> bool:
    """Whether the run in `directory` has a result that passes its checksum (nothing is loaded)."""
    try:
        entry = json.loads((directory / "manifest.json").read_text())
        return sha256(directory / "result.pt") == entry["sha256"]
    except (OSError, ValueError, KeyError):
        return False


def remember(name: str, machine: str, measure: Callable[[], dict]) -> dict:
    """A measurement of this machine (`measure()`), taken once for every process that shares the run cache
    and kept in `<name>.json` there under `machine`, a description of the machine and its settings.

    Processes that measured separately (worse: at the same time, slowing each other down) could decide
    differently, e.g. key one config in two precisions and train it twice. A damaged record is reported
    and measured again."""
    path = runs_root() / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        try:
            known = json.loads(path.read_text())
        except FileNotFoundError:
            known = {}
        except ValueError as e:
            warnings.warn(f"{path} is damaged ({e}); measuring again", stacklevel=2)
            known = {}
        if machine not in known:
            known[machine] = measure()
            save_json(known, path)
    return known[machine]
