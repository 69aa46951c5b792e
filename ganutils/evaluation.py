"""Evaluations are cached like runs: re-executing a chapter whose runs are cached draws no samples and
classifies nothing.

A generator's evaluation (its samples, drawn with a fixed seed, read by the classifier) costs
~10-20 s on a CPU, against ~0.1 s to load; a study re-executed with nothing changed was almost all
re-evaluation. Every entry is keyed by content digests (`io.digest`) of what it depends on: the
generator's and the classifier's weights, the labels asked for or the images given, the seed, and the
source of the code that computes it. A retrained model, another classifier, another sample count or an
edited metric can therefore never hit a stale entry, and the entries are checked like runs (a damaged
one is reported and recomputed).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
from torch import nn

import ganutils.classifier
from ganutils import artifacts, cache, metrics, models
from ganutils.artifacts import SampleGenerator
from ganutils.classifier import predict
from ganutils.io import digest


def code_digest(*modules) -> str:
    """Digest of the source of the modules that compute a result: editing them invalidates it."""
    return digest([inspect.getsource(module) for module in modules])


_CLASSIFY = code_digest(ganutils.classifier, models)
_SAMPLE_AND_CLASSIFY = code_digest(ganutils.classifier, models, artifacts)


def classify(classifier: nn.Module, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """`predict(classifier, images)`, cached: (logits (N, 10), features (N, 128))."""
    spec = {"what": "classify", "code": _CLASSIFY,
            "classifier": digest(classifier.state_dict()), "images": digest(images)}
    result = cache.memo("eval", spec, lambda: dict(zip(("logits", "features"), predict(classifier, images))))
    return result["logits"], result["features"]


def classify_samples(generator: SampleGenerator, classifier: nn.Module, *, seed: int, labels=None,
                     n: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The classifier's (logits, features) of `generator.generate(labels, n, seed)`, cached, so that a
    cached evaluation does not even draw the images."""
    labels = None if labels is None else torch.as_tensor(labels, dtype=torch.long)
    spec = {"what": "classify samples", "code": _SAMPLE_AND_CLASSIFY,
            "generator": digest(generator.model.state_dict()), "classifier": digest(classifier.state_dict()),
            "labels": None if labels is None else digest(labels), "n": n, "seed": seed}

    def compute() -> dict:
        logits, features = predict(classifier, generator.generate(labels=labels, n=n, seed=seed))
        return {"logits": logits, "features": features}

    result = cache.memo("eval", spec, compute)
    return result["logits"], result["features"]


def cached(function: Callable, *args, **kwargs):
    """`function(*args, **kwargs)`, computed once: for pure functions of tensors and plain values whose
    result is made of tensors, numbers, strings, lists and dicts (what `torch.load(weights_only=True)` reads)."""
    spec = {"what": f"{function.__module__}.{function.__qualname__}", "code": code_digest(inspect.getmodule(function)),
            "inputs": digest(list(args), kwargs)}
    return cache.memo("eval", spec, lambda: function(*args, **kwargs))


def nearest_images(images: torch.Tensor, pool: torch.Tensor, chunk: int = 250) -> tuple[torch.Tensor, torch.Tensor]:
    """Pixel-space L2 distance from each image to its nearest image in `pool`, and that image's index: the
    memorisation check (a copied training digit sits much closer to the training set than a new real one)."""
    flat_pool = pool.flatten(1).float()
    distances, indices = [], []
    for start in range(0, len(images), chunk):
        value, index = torch.cdist(images[start : start + chunk].flatten(1).float(), flat_pool).min(1)
        distances.append(value)
        indices.append(index)
    return torch.cat(distances), torch.cat(indices)


def reference(features: torch.Tensor) -> metrics.Reference:
    """`metrics.Reference.of(features)` with its k-NN radii cached (two 10k x 10k distance matrices)."""
    features = features.float()
    return metrics.Reference(features, cached(metrics.knn_radii, features, 3), cached(metrics.knn_radii, features, 5))


def all_metrics(logits: torch.Tensor, features: torch.Tensor, reference: metrics.Reference,
                requested: torch.Tensor | None = None) -> dict[str, float]:
    """`metrics.all_metrics`, cached (a few seconds each on 10,000 samples)."""
    return cached(metrics.all_metrics, logits, features, reference, requested)
