"""Published models: self-describing files that load without the code that trained them.

A file holds {"kind", "model" (constructor arguments), "state_dict", "machine"}; loading
checks the kind, so handing a classifier to `load_generator` fails with a clear
message instead of a shape error deep inside PyTorch.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from ganutils.io import load_torch, save_torch
from ganutils.models import Classifier, Generator


class ArtifactError(ValueError):
    """A model file is missing, damaged or of the wrong kind."""


def package(kind: str, model: nn.Module, kwargs: dict, machine: dict | None = None) -> dict:
    """`machine` (ganutils.device.describe_machine) records where and in which precision it was trained."""
    return {"kind": kind, "model": dict(kwargs), "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()}} \
        | ({"machine": machine} if machine else {})


def save_package(pkg: dict, path: str | Path) -> Path:
    return save_torch(pkg, path)


def read_package(path: str | Path, kind: str) -> dict:
    path = Path(path)
    if not path.exists():
        raise ArtifactError(f"{path}: no such model file")
    try:
        pkg = load_torch(path)
    except Exception as e:
        raise ArtifactError(f"{path}: not a readable model file ({e})") from e
    found = pkg.get("kind") if isinstance(pkg, dict) else None
    if found != kind:
        raise ArtifactError(f"{path}: expected a {kind} model file, found kind {found!r}")
    return pkg


class SampleGenerator:
    """A trained generator behind one call: `generate(labels=None, n=None, seed=0)`."""

    def __init__(self, generator: Generator):
        self.model = generator.eval()

    @property
    def conditional(self) -> bool:
        return self.model.n_classes > 0

    @torch.no_grad()
    def generate(self, labels=None, n: int | None = None, seed: int = 0, batch_size: int = 1000,
                 noise: torch.Tensor | None = None) -> torch.Tensor:
        """float32 CPU images (N,1,28,28) in [-1, 1]; one per label for a conditional model.

        Unconditional models ignore `labels` (N is then len(labels) unless `n` is given).
        The same seed gives the same images whatever the batch size. `noise` (N, z_dim)
        replaces the seeded draw, e.g. to share one z across several labels.
        """
        if labels is not None:
            labels = torch.as_tensor(labels, dtype=torch.long).flatten()
            if len(labels) and (labels.min() < 0 or labels.max() >= max(self.model.n_classes, 10)):
                raise ValueError(f"labels must lie in 0..{max(self.model.n_classes, 10) - 1}")
            n = len(labels) if n is None else n
        if self.conditional and labels is None:
            raise ValueError("this generator is class-conditional: pass labels")
        if n is None or n < 0:
            raise ValueError("pass n (a non-negative number of images) or labels")
        if self.conditional and n != len(labels):
            raise ValueError(f"n={n} disagrees with the {len(labels)} labels given")
        device = next(self.model.parameters()).device
        if noise is not None:
            if noise.shape != (n, self.model.z_dim):
                raise ValueError(f"noise must have shape ({n}, {self.model.z_dim}), got {tuple(noise.shape)}")
            z = noise.float()
        else:
            z = torch.randn(n, self.model.z_dim, generator=torch.Generator().manual_seed(seed))
        out = []
        for start in range(0, n, batch_size):
            y = labels[start : start + batch_size].to(device) if self.conditional else None
            out.append(self.model(z[start : start + batch_size].to(device), y).float().cpu())
        return torch.cat(out) if out else torch.empty(0, 1, 28, 28)


def generator_from_package(pkg: dict) -> SampleGenerator:
    model = Generator(**pkg["model"])
    model.load_state_dict(pkg["state_dict"])
    return SampleGenerator(model)


def classifier_from_package(pkg: dict) -> nn.Module:
    model = Classifier(**pkg["model"])
    model.load_state_dict(pkg["state_dict"])
    return model.eval()


def load_generator(path: str | Path) -> SampleGenerator:
    return generator_from_package(read_package(path, "generator"))


def load_classifier(path: str | Path) -> nn.Module:
    return classifier_from_package(read_package(path, "classifier"))
