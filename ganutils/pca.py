"""PCA as a generative model of digits: the classical baseline the GANs are measured against (Q5).

Per digit, PCA keeps the top-k directions of the training images. A new digit
is the class mean plus those directions weighted by coefficients drawn from the
Gaussian that PCA fits (independent, variance = the explained variance), then
clipped to the pixel range. Unlike a GAN it has a likelihood: scikit-learn's
`PCA.score` is the average log-likelihood under probabilistic PCA (Tipping &
Bishop 1999), which adds isotropic noise in the discarded directions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.decomposition import PCA


@dataclass
class PcaGenerator:
    models: list[PCA]  # one per digit

    @property
    def components(self) -> int:
        return self.models[0].n_components_

    def generate(self, labels, seed: int = 0) -> torch.Tensor:
        """One image per label, float32 (N, 1, 28, 28) in [-1, 1]; the same seed gives the same images."""
        labels = torch.as_tensor(labels, dtype=torch.long).flatten()
        if len(labels) and (labels.min() < 0 or labels.max() >= len(self.models)):
            raise ValueError(f"labels must lie in 0..{len(self.models) - 1}")
        rng = np.random.default_rng(seed)
        out = np.empty((len(labels), 28 * 28), dtype=np.float32)
        for digit, model in enumerate(self.models):
            rows = np.flatnonzero(labels.numpy() == digit)
            if not len(rows):
                continue
            coefficients = rng.standard_normal((len(rows), model.n_components_)) * np.sqrt(model.explained_variance_)
            out[rows] = model.inverse_transform(coefficients)
        return torch.from_numpy(out).clamp(-1, 1).view(-1, 1, 28, 28)

    def log_likelihood(self, x: torch.Tensor, y: torch.Tensor) -> float:
        """Mean log-likelihood (nats per image) of images under their own digit's probabilistic PCA."""
        flat, y = x.flatten(1).double().numpy(), y.numpy()
        total = sum(self.models[d].score(flat[y == d]) * (y == d).sum() for d in range(len(self.models)) if (y == d).any())
        return float(total / len(y))


def fit_pca(x: torch.Tensor, y: torch.Tensor, components: int, n_classes: int = 10) -> PcaGenerator:
    """A PCA per digit with `components` directions, fitted on images x (N,1,28,28) in [-1, 1]."""
    if not (isinstance(components, int) and 1 <= components <= 28 * 28):
        raise ValueError(f"components must be an integer in 1..784, got {components!r}")
    flat = x.flatten(1).double().numpy()
    models = []
    for digit in range(n_classes):
        rows = flat[y.numpy() == digit]
        if len(rows) <= components:
            raise ValueError(f"digit {digit} has {len(rows)} images, too few for {components} components")
        models.append(PCA(n_components=components, svd_solver="randomized", random_state=0).fit(rows))
    return PcaGenerator(models)
