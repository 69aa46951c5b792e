"""Atomic files and checksums.

Every file the project writes (data, checkpoints, published models, tables)
goes through here, so an interrupted process never leaves a half-written file
where a reader expects a whole one, and a damaged file is recognised by its
checksum instead of being trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest(*parts: Any) -> str:
    """sha256 of tensors (dtype, shape and values), state dicts, and plain JSON values, in order: a key
    for results computed from them, so a changed model or input can never hit a stale cache entry."""
    h = hashlib.sha256()

    def add(part: Any) -> None:
        if isinstance(part, torch.Tensor):
            t = part.detach().cpu().contiguous()
            h.update(f"tensor {t.dtype} {tuple(t.shape)}".encode())
            h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
        elif isinstance(part, dict):
            h.update(f"dict {len(part)}".encode())
            for name in sorted(part, key=str):
                h.update(json.dumps(str(name)).encode())
                add(part[name])
        elif isinstance(part, (list, tuple)):
            h.update(f"sequence {len(part)}".encode())
            for item in part:
                add(item)
        elif dataclasses.is_dataclass(part) and not isinstance(part, type):
            h.update(f"dataclass {type(part).__qualname__}".encode())
            add({f.name: getattr(part, f.name) for f in dataclasses.fields(part)})
        else:  # a plain value; json.dumps fails on anything else rather than guess
            h.update(json.dumps(part).encode())

    for part in parts:
        add(part)
    return h.hexdigest()


def atomic_write(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call `write(tmp)` on a temporary file next to `path`, then rename it.

    The rename is atomic on POSIX, so readers see the old file or the new one,
    never a partial one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the mode a plain open() would
    try:
        write(Path(tmp))
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_torch(obj: Any, path: str | Path) -> Path:
    """Saving the same object twice gives the same bytes: torch names the records inside its
    zip archive after a file *path* (here the random temporary name), but not after a file object."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            torch.save(obj, f)

    return atomic_write(path, write)


def save_json(obj: Any, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n"))


def save_bytes(data: bytes, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def load_torch(path: str | Path) -> Any:
    """Load a file written by `save_torch`; never unpickles arbitrary objects."""
    return torch.load(path, map_location="cpu", weights_only=True)
