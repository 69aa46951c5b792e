"""Sample-quality and mode-collapse metrics, all seen through the MNIST classifier.

Inputs are the classifier's logits or 128-d penultimate features (see
`classifier.predict`), so every metric here is cheap and has a closed-form
sanity check in the tests.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import torch

from ganutils.io import digest


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


def inception_score(logits: torch.Tensor, splits: int = 10, seed: int = 0) -> tuple[float, float]:
    """exp(E_x KL(p(y|x) || p(y))) with the MNIST classifier, as mean and std over `splits` equal parts.

    1 for identical predictions, K (=10) for confident predictions spread evenly over K classes.
    The samples are shuffled (by `seed`) before splitting: samples ordered by class would
    otherwise give each split a single class and a score near 1."""
    if not 1 <= splits <= len(logits):
        raise ValueError(f"splits must be in 1..{len(logits)}, got {splits}")
    order = torch.randperm(len(logits), generator=torch.Generator().manual_seed(seed))
    log_p = torch.log_softmax(logits[order].double(), 1)
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
    with warnings.catch_warnings():  # singular covariances (dead features) are fine; the check below guards
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        root = scipy.linalg.sqrtm(cov_a @ cov_b)
    if np.iscomplexobj(root):
        if np.abs(root.imag).max() > 1e-3 * max(1.0, np.abs(root.real).max()):
            raise ValueError(f"FID: matrix square root has a large imaginary part ({np.abs(root.imag).max():.3g}); use more samples")
        root = root.real
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))


# KID's kernel matrix of two whole sets with at most this many entries (128 MiB in float64) is computed once,
# and each subset's kernel sum read from it; a larger pair of sets is computed subset by subset.
KID_FULL_KERNEL_MAX = 4096 ** 2
_REFERENCE_SUMS: dict[tuple, list[float]] = {}  # the first set's own kernel sums per subset, for the next model


def kernel_inception_distance(features_a: torch.Tensor, features_b: torch.Tensor, subsets: int = 100,
                              subset_size: int = 1000, seed: int = 0) -> tuple[float, float]:
    """KID (Binkowski et al. 2018): unbiased MMD^2 with the cubic kernel (x.y/d + 1)^3,
    averaged over `subsets` random subsets of `subset_size` from each set; (mean, std).

    Pass the reference (real) features as `features_a`: scoring many models against one reference, its
    own subsets' kernel sums are the same each time (same seed and sizes) and are computed once. The
    subsets of a small set overlap heavily (1,000 generated samples give subsets of all 1,000), so there
    the kernel matrix of the whole sets is computed once and a subset's kernel sum is u.K.v, with u and v
    the subsets' 0/1 indicators."""
    a, b = features_a.double(), features_b.double()
    m = min(subset_size, len(a), len(b))
    if m < 2:
        raise ValueError("KID needs at least 2 samples in each set")
    d = a.shape[1]
    whole: dict[str, torch.Tensor] = {}

    def kernel_sum(pair: str, p: torch.Tensor, i: torch.Tensor, q: torch.Tensor, j: torch.Tensor) -> float:
        """The sum of k(p_s, q_t) over s in i and t in j, without the diagonal for a set with itself."""
        diagonal = p is q
        if len(p) * len(q) > KID_FULL_KERNEL_MAX:
            k = (p[i] @ q[j].T / d + 1) ** 3
            return float(k.sum() - (k.diagonal().sum() if diagonal else 0))
        if pair not in whole:
            whole[pair] = (p @ q.T / d + 1) ** 3
        u, v = torch.zeros(len(p), dtype=p.dtype), torch.zeros(len(q), dtype=q.dtype)
        u[i], v[j] = 1.0, 1.0
        return float(u @ whole[pair] @ v - (whole[pair].diagonal()[i].sum() if diagonal else 0))

    generator = torch.Generator().manual_seed(seed)
    draws = [(torch.randperm(len(a), generator=generator)[:m], torch.randperm(len(b), generator=generator)[:m])
             for _ in range(subsets)]
    key = (digest(a), len(b), m, subsets, seed)  # a's subsets depend on len(b): both come from one generator
    if key not in _REFERENCE_SUMS:
        if len(_REFERENCE_SUMS) >= 32:
            _REFERENCE_SUMS.clear()
        _REFERENCE_SUMS[key] = [kernel_sum("aa", a, i, a, i) for i, _ in draws]
    values = [(xx + kernel_sum("bb", b, j, b, j)) / (m * (m - 1)) - 2 * kernel_sum("ab", a, i, b, j) / m**2
              for xx, (i, j) in zip(_REFERENCE_SUMS[key], draws)]
    return float(np.mean(values)), float(np.std(values))


def knn_radii(x: torch.Tensor, k: int, chunk: int = 2048) -> torch.Tensor:
    """Distance from each point to its k-th nearest other point of the same set.

    The manifold metrics below take these for the real set as `real_radii`, so a
    reference set shared by many models is measured once."""
    x = x.float()
    radii = []
    for start in range(0, len(x), chunk):
        dist = torch.cdist(x[start : start + chunk], x)
        radii.append(dist.topk(k + 1, dim=1, largest=False).values[:, k])  # the point itself is at distance 0
    return torch.cat(radii)


def _ball_counts(points: torch.Tensor, centres: torch.Tensor, radii: torch.Tensor, chunk: int = 2048) -> torch.Tensor:
    """For every point, how many of the balls B(centre, radius) contain it."""
    counts = []
    for start in range(0, len(points), chunk):
        inside = torch.cdist(points[start : start + chunk], centres) <= radii[None, :]
        counts.append(inside.sum(1))
    return torch.cat(counts)


def precision_recall(real: torch.Tensor, fake: torch.Tensor, k: int = 3,
                     real_radii: torch.Tensor | None = None) -> tuple[float, float]:
    """Improved precision and recall (Kynkaanniemi et al. 2019): precision is the share of fake
    samples inside the real manifold (union of k-NN balls of real points), recall the share of
    real samples inside the fake manifold."""
    real, fake = real.float(), fake.float()
    real_radii = knn_radii(real, k) if real_radii is None else real_radii
    precision = (_ball_counts(fake, real, real_radii) > 0).float().mean()
    recall = (_ball_counts(real, fake, knn_radii(fake, k)) > 0).float().mean()
    return float(precision), float(recall)


def density_coverage(real: torch.Tensor, fake: torch.Tensor, k: int = 5,
                     real_radii: torch.Tensor | None = None) -> tuple[float, float]:
    """Density and coverage (Naeem et al. 2020): density counts, per fake sample, the real k-NN
    balls containing it (divided by k; about 1 for matching distributions, above 1 when fakes
    crowd dense regions); coverage is the share of real balls holding at least one fake."""
    real, fake = real.float(), fake.float()
    radii = knn_radii(real, k) if real_radii is None else real_radii
    density = _ball_counts(fake, real, radii).float().sum() / (k * len(fake))
    nearest_fake = torch.cat([torch.cdist(real[s : s + 2048], fake).min(1).values for s in range(0, len(real), 2048)])
    coverage = (nearest_fake <= radii).float().mean()
    return float(density), float(coverage)


@dataclass(frozen=True)
class Reference:
    """The real feature set every model is scored against, with its k-NN radii measured once."""

    features: torch.Tensor
    radii_k3: torch.Tensor
    radii_k5: torch.Tensor

    @classmethod
    def of(cls, features: torch.Tensor) -> Reference:
        return cls(features.float(), knn_radii(features, 3), knn_radii(features, 5))


def all_metrics(logits: torch.Tensor, features: torch.Tensor, reference: Reference,
                requested: torch.Tensor | None = None) -> dict[str, float]:
    """Every Q3 metric of one sample set: success (when the labels asked for are given), IS,
    FID, KID (x1e3; 100 subsets of up to 1,000), precision/recall (k=3), density/coverage (k=5)."""
    precision, recall = precision_recall(reference.features, features, k=3, real_radii=reference.radii_k3)
    density, coverage = density_coverage(reference.features, features, k=5, real_radii=reference.radii_k5)
    kid, _ = kernel_inception_distance(reference.features, features, subsets=100, subset_size=min(1000, len(features)))
    return {
        "success %": math.nan if requested is None else 100 * (logits.argmax(1) == requested).float().mean().item(),
        "IS": inception_score(logits)[0],
        "FID": frechet_distance(reference.features, features),
        "KID ×1e3": 1e3 * kid,
        "precision": precision, "recall": recall, "density": density, "coverage": coverage,
    }


def by_sample_count(reference: Reference, pools: dict[str, torch.Tensor], counts: list[int],
                    draws: int) -> list[dict]:
    """FID, KID (x1e3; 20 subsets), precision and recall of `draws` random n-sample draws from each pool of
    features, for every n in `counts`, against the whole reference: how much a metric's value owes to n.
    One row per (n, draw, pool)."""
    rows = []
    for n in counts:
        for draw in range(draws):
            for source, pool in pools.items():
                f = pool[torch.randperm(len(pool), generator=torch.Generator().manual_seed(1000 * n + draw))[:n]]
                precision, recall = precision_recall(reference.features, f, k=3, real_radii=reference.radii_k3)
                kid, _ = kernel_inception_distance(reference.features, f, subsets=20, subset_size=min(1000, n))
                rows.append({"n": n, "source": source, "FID": frechet_distance(reference.features, f),
                             "KID ×1e3": 1e3 * kid, "precision": precision, "recall": recall})
    return rows
