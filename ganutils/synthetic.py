"""Synthetic training data for the classifier (Q4): pools, confidence, mixing, strategies.

Every strategy trains the same classifier architecture for the same total number of optimiser steps
(pretrain + fine-tune splits them between its two phases), so differences between strategies come from
the data.
"""

from __future__ import annotations

import torch

from ganutils.artifacts import SampleGenerator
from ganutils.classifier import Classifier, ClassifierConfig, fit_classifier
from ganutils.evaluation import classify

STRATEGIES = ("real only", "mix", "filtered mix", "pretrain + fine-tune", "synthetic only")


def synthetic_pool(generator: SampleGenerator, per_class: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """`per_class` generated images of every digit, with the labels they were asked for."""
    labels = torch.arange(10).repeat_interleave(per_class)
    return generator.generate(labels=labels, seed=seed), labels


def first_per_class(per_class: int, pool_per_class: int) -> torch.Tensor:
    """Indices of the first `per_class` images of every digit in a pool made by `synthetic_pool`."""
    if not 0 <= per_class <= pool_per_class:
        raise ValueError(f"per_class must be in 0..{pool_per_class}, got {per_class}")
    return torch.cat([torch.arange(c * pool_per_class, c * pool_per_class + per_class) for c in range(10)])


def label_confidence(classifier: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The classifier's probability of the intended label for each image (its reading is cached)."""
    logits, _ = classify(classifier, x)
    return torch.softmax(logits, 1)[torch.arange(len(y)), y]


def filter_confidence(x_real: torch.Tensor, y_real: torch.Tensor, x_pool: torch.Tensor, y_pool: torch.Tensor,
                      seed: int, steps: int, batch_size: int) -> torch.Tensor:
    """`label_confidence` of the pool by a classifier trained on the real images alone: the filter of a
    setting where no classifier trained on all real data exists."""
    return label_confidence(fit(x_real, y_real, seed, steps, batch_size), x_pool, y_pool)


def fit_config(seed: int, batch_size: int) -> ClassifierConfig:
    """A Q4 classifier's settings: the Q3 classifier's (architecture, optimiser, schedule, augmentation)
    with its own seed and batch size."""
    return ClassifierConfig(batch_size=batch_size, seed=seed)


def fit(x: torch.Tensor, y: torch.Tensor, seed: int, steps: int, batch_size: int,
        init: Classifier | None = None) -> Classifier:
    return fit_classifier(x, y, fit_config(seed, batch_size), progress=False, init=init, steps=steps)


def train_strategy(strategy: str, real: tuple[torch.Tensor, torch.Tensor], synthetic: tuple[torch.Tensor, torch.Tensor],
                   seed: int, steps: int, batch_size: int, keep: torch.Tensor | None = None) -> Classifier:
    """One classifier trained by `strategy` on real and synthetic (images, labels), `steps` optimiser steps in all.

    "filtered mix" uses only the synthetic images where `keep` is True; "pretrain + fine-tune"
    trains on synthetic images for the first half of the steps, then on the real ones for the rest."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if not (isinstance(steps, int) and steps >= 2):
        raise ValueError(f"steps must be an integer of at least 2, got {steps!r}")
    (xr, yr), (xs, ys) = real, synthetic
    if strategy == "real only":
        return fit(xr, yr, seed, steps, batch_size)
    if strategy == "synthetic only":
        return fit(xs, ys, seed, steps, batch_size)
    if strategy == "pretrain + fine-tune":
        pretrained = fit(xs, ys, seed, steps // 2, batch_size)
        return fit(xr, yr, seed, steps - steps // 2, batch_size, init=pretrained)
    if strategy == "filtered mix":
        if keep is None:
            raise ValueError("the filtered mix needs `keep`, a mask over the synthetic images")
        xs, ys = xs[keep], ys[keep]
    return fit(torch.cat([xr, xs]), torch.cat([yr, ys]), seed, steps, batch_size)
