"""Sample-quality and mode-collapse metrics, all seen through the MNIST classifier.

Inputs are the classifier's logits or 128-d penultimate features (see
`classifier.predict`), so every metric here is cheap and has a closed-form
sanity check in the tests.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
import torch


def class_shares(logits: torch.Tensor, n_classes: int = 10) -> torch.Tensor:
    """Fraction of samples the classifier assigns to each class."""
    counts = torch.bincount(logits.argmax(1), minlength=n_classes).double()
    return counts / counts.sum()


def kl_to_uniform(shares: torch.Tensor) -> float:
    """KL(p || uniform) in nats: 0 for perfectly balanced classes, log K when one class takes all."""
    p = shares.double()
    nz = p > 0
    return float((p[nz] * torch.log(p[nz] * len(p))).sum())


def digits_covered(shares: torch.Tensor, min_share: float = 0.02) -> int:
    """Number of classes holding at least `min_share` of the samples."""
    return int((shares >= min_share).sum())


def within_class_diversity(features: torch.Tensor, labels: torch.Tensor, n_classes: int = 10,
                           max_per_class: int = 1000) -> torch.Tensor:
    """Mean pairwise Euclidean distance of features within each class (NaN for classes with < 2 samples).

    Collapse inside a class shows up as a value well below the same figure on real images."""
    out = torch.full((n_classes,), float("nan"), dtype=torch.float64)
    for c in range(n_classes):
        f = features[labels == c][:max_per_class].double()
        if len(f) >= 2:
            out[c] = torch.pdist(f).mean()
    return out


def inception_score(logits: torch.Tensor, splits: int = 10) -> tuple[float, float]:
    """exp(E_x KL(p(y|x) || p(y))) with the MNIST classifier, as mean and std over `splits` equal parts.

    1 for identical predictions, K (=10) for confident predictions spread evenly over K classes."""
    if not 1 <= splits <= len(logits):
        raise ValueError(f"splits must be in 1..{len(logits)}, got {splits}")
    log_p = torch.log_softmax(logits.double(), 1)
    scores = []
    for part in torch.tensor_split(log_p, splits):
        log_marginal = torch.logsumexp(part, 0) - math.log(len(part))
        kl = (part.exp() * (part - log_marginal)).sum(1).mean()
        scores.append(math.exp(kl))
    return float(np.mean(scores)), float(np.std(scores))


def frechet_distance(features_a: torch.Tensor, features_b: torch.Tensor) -> float:
    """FID between Gaussian fits of two feature sets, computed in float64.

    |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)); raises if the matrix square
    root has a non-negligible imaginary part (a sign of too few samples)."""
    a, b = features_a.double().numpy(), features_b.double().numpy()
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(cov_a @ cov_b)
    if np.iscomplexobj(root):
        if np.abs(root.imag).max() > 1e-3 * max(1.0, np.abs(root.real).max()):
            raise ValueError(f"FID: matrix square root has a large imaginary part ({np.abs(root.imag).max():.3g}); use more samples")
        root = root.real
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))
