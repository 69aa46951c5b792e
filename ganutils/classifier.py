"""The digit classifier that every metric in the study looks through.

A small VGG-style CNN (conv layers + softmax; `models.Classifier`). Its 128-d penultimate layer is
the feature space for FID, KID, precision/recall and the embedding plots, so
it is trained once on the 60k training images, cached like a GAN run, and
published as `models/classifier.pt`. Random shifts of up to 2 pixels are the
only augmentation; no hyper-parameter was chosen on the test set.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from ganutils import cache
from ganutils.artifacts import classifier_from_package, package
from ganutils.data import load_mnist
from ganutils.device import autocast, default_device, describe_machine, resolve_precision
from ganutils.models import FEATURES, Classifier


@dataclass(frozen=True)
class ClassifierConfig:
    epochs: int = 8
    batch_size: int = 128
    lr: float = 2e-3
    width: int = 32
    shift: int = 2  # random translation, pixels
    seed: int = 0
    n_train: int | None = None  # first n of a seeded permutation; None = all 60k (smoke tests use fewer)
    precision: str = "auto"  # "bf16" or "fp32"; "auto" is resolved here, before the config is keyed

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "width"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 1):
                raise ValueError(f"{name}={value!r} is not allowed: {name} must be a positive integer")
        if not 0 < self.lr < 1:
            raise ValueError(f"lr={self.lr!r} is not allowed: lr must be in (0, 1)")
        if not (isinstance(self.shift, int) and 0 <= self.shift <= 4):
            raise ValueError(f"shift={self.shift!r} is not allowed: shift must be an integer in 0..4")
        if self.n_train is not None and not (isinstance(self.n_train, int) and 10 <= self.n_train <= 60000):
            raise ValueError(f"n_train={self.n_train!r} is not allowed: n_train must be None or in 10..60000")
        object.__setattr__(self, "precision", resolve_precision(self.precision))  # validates it too


def random_shift(x: torch.Tensor, pixels: int, generator: torch.Generator) -> torch.Tensor:
    """Translate every image independently by up to `pixels` in each direction (zero = background)."""
    if pixels == 0:
        return x
    n, size = len(x), x.shape[-1]
    padded = F.pad(x, (pixels,) * 4, value=-1.0)
    dy, dx = (torch.randint(0, 2 * pixels + 1, (2, n), generator=generator)).to(x.device)
    rows = (dy[:, None] + torch.arange(size, device=x.device))[:, :, None]
    cols = (dx[:, None] + torch.arange(size, device=x.device))[:, None, :]
    return padded[torch.arange(n, device=x.device)[:, None, None], 0, rows, cols].unsqueeze(1)


def fit_classifier(x: torch.Tensor, y: torch.Tensor, config: ClassifierConfig, progress: bool = True,
                   init: Classifier | None = None, steps: int | None = None) -> Classifier:
    """Train a classifier on (x, y) with a one-cycle schedule, for `config.epochs` epochs or,
    when given, exactly `steps` batches (a fixed budget whatever the dataset size).

    `init` continues from an existing model (pretrain-then-fine-tune)."""
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"fit_classifier needs as many labels as images and at least one image, got {len(x)} and {len(y)}")
    if steps is not None and steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    device = x.device
    torch.manual_seed(config.seed)
    model = init if init is not None else Classifier(width=config.width)
    model = model.to(device).train()
    rng = torch.Generator().manual_seed(config.seed)
    batch_size = min(config.batch_size, len(x))
    per_epoch = len(x) // batch_size
    steps = steps or config.epochs * per_epoch
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=1e-4, foreach=True)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    bar = tqdm(total=steps, desc="classifier", disable=not progress, mininterval=1.0)
    done = 0
    while done < steps:
        order = torch.randperm(len(x), generator=rng).to(device)
        for start in range(0, per_epoch * batch_size, batch_size):
            if done == steps:
                break
            idx = order[start : start + batch_size]
            with autocast(device, config.precision):
                loss = F.cross_entropy(model(random_shift(x[idx], config.shift, rng)).float(), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            schedule.step()
            bar.update()
            done += 1
    bar.close()
    return model.eval()


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch_size: int = 500) -> tuple[torch.Tensor, torch.Tensor]:
    """(logits (N,10), penultimate features (N,128)) in float32 on the CPU."""
    model.eval().to(memory_format=torch.channels_last)  # fp32 convolutions run ~1.7x faster in this layout here
    device = next(model.parameters()).device
    logits, feats = [], []
    for start in range(0, len(x), batch_size):
        f = model.features(x[start : start + batch_size].to(device).contiguous(memory_format=torch.channels_last))
        feats.append(f.float().cpu())
        logits.append(model.head(f).float().cpu())
    if not logits:
        return torch.empty(0, 10), torch.empty(0, FEATURES)
    return torch.cat(logits), torch.cat(feats)


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    return (predict(model, x)[0].argmax(1) == y.cpu()).float().mean().item()


@dataclass
class ClassifierRun:
    config: ClassifierConfig
    model: Classifier
    test_accuracy: float
    seconds: float
    package: dict


def train_classifier(config: ClassifierConfig, progress: bool = True) -> ClassifierRun:
    """The MNIST classifier for `config`, trained on the training set (or loaded from the cache)."""
    directory = cache.run_dir("classifier", config)
    with cache.lock(directory):
        result = cache.load_result(directory)
        if result is None:
            x, y = load_mnist(train=True)
            if config.n_train is not None:
                keep = torch.randperm(len(x), generator=torch.Generator().manual_seed(config.seed))[: config.n_train]
                x, y = x[keep], y[keep]
            device = default_device()
            t0 = time.perf_counter()
            model = fit_classifier(x.to(device), y.to(device), config, progress)
            seconds = time.perf_counter() - t0
            x_test, y_test = load_mnist(train=False)
            result = {"kind": "classifier-run", "config": dataclasses.asdict(config),
                      "classifier": package("classifier", model, model.kwargs, describe_machine(config.precision)),
                      "test_accuracy": accuracy(model, x_test, y_test), "seconds": seconds}
            cache.save_result(directory, result, config)
    model = classifier_from_package(result["classifier"])
    return ClassifierRun(config, model, result["test_accuracy"], result["seconds"], result["classifier"])
