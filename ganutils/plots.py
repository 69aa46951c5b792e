"""Figures shared by the chapters: sample grids, training curves, class histograms.

Functions return matplotlib figures; `save` writes one atomically as a PNG for
the paper, so the notebook shows it and the paper includes the same file.

Figures are drawn at the size they are printed: `COLUMN` wide for one column of the
IEEE paper, `PAGE` wide for a figure across both (`:figclass: wide` in book/paper.md),
so that text set at 7-8 pt here is 7-8 pt on paper (a 10-inch figure shrunk into a
column printed its 7 pt legend at 2.5 pt).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.ticker import MaxNLocator
from torchvision.utils import make_grid

from ganutils.io import atomic_write

COLUMN = 3.5  # inches: one column of IEEEtran's two
PAGE = 7.16  # inches: both columns
plt.rcParams.update({"font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8, "xtick.labelsize": 7,
                     "ytick.labelsize": 7, "legend.fontsize": 7, "figure.titlesize": 8})


def save(fig: plt.Figure, path: str | Path | None, dpi: int = 150) -> None:
    if path is not None:
        atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=dpi, bbox_inches="tight"))


def _as_float(images: torch.Tensor) -> torch.Tensor:
    if images.dtype == torch.uint8:
        return images.float() / 255.0
    return (images.float().clamp(-1, 1) + 1) / 2


def show_grid(images: torch.Tensor, nrow: int = 10, title: str | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Images in [-1, 1] (float) or 0..255 (uint8) as one grey grid."""
    if ax is None:
        side = max(2.0, 0.3 * nrow)
        _, ax = plt.subplots(figsize=(side, side * max(1, len(images) // nrow) / nrow))
    grid = make_grid(_as_float(images), nrow=nrow, padding=1, pad_value=1.0)[0]
    ax.imshow(grid.numpy(), cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def grids(named_images: dict[str, torch.Tensor], nrow: int = 10, ncols: int = 4, width: float = PAGE) -> plt.Figure:
    """Several labelled grids side by side, `width` inches in all."""
    n = len(named_images)
    rows, cols = -(-n // ncols), min(n, ncols)
    size = width / cols
    fig, axes = plt.subplots(rows, cols, figsize=(width, (size + 0.15) * rows), squeeze=False)
    for ax, (name, images) in zip(axes.flat, named_images.items()):
        show_grid(images, nrow=nrow, title=name, ax=ax)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def smooth(values, window: int = 25) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if len(values) < window:
        return values
    return np.convolve(values, np.ones(window) / window, mode="valid")


def training_curves(histories: dict[str, dict], window: int = 25) -> plt.Figure:
    """Losses and mean discriminator outputs against generator steps, one line per run."""
    fig, axes = plt.subplots(1, 3, figsize=(PAGE, 2.5), layout="constrained")
    for name, h in histories.items():
        axes[0].plot(smooth(h["loss_d"], window), label=name, lw=1)
        axes[1].plot(smooth(h["loss_g"], window), label=name, lw=1)
        line = axes[2].plot(smooth(h["d_real"], window), lw=1)[0]
        axes[2].plot(smooth(h["d_fake"], window), lw=1, ls="--", color=line.get_color())
    for ax, title in zip(axes, ("discriminator loss", "generator loss", "D(x) solid, D(G(z)) dashed")):
        ax.set_title(title)
        ax.set_xlabel("generator step")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=min(len(histories), 5))
    return fig


def class_share_bars(shares: dict[str, torch.Tensor], min_share: float = 0.02) -> plt.Figure:
    """Per-digit share of samples for each run, with the uniform 10% and the coverage floor."""
    names = list(shares)
    fig, ax = plt.subplots(figsize=(COLUMN, 2.6), layout="constrained")
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        ax.bar(np.arange(10) + i * width - 0.4 + width / 2, shares[name].numpy(), width, label=name)
    ax.axhline(0.1, color="k", lw=0.8, ls=":")
    ax.axhline(min_share, color="r", lw=0.8, ls="--")
    ax.set_xticks(range(10))
    ax.set_xlabel("digit predicted by the classifier")
    ax.set_ylabel("share of samples")
    fig.legend(loc="outside upper center", ncol=2)
    return fig


def over_training(curves: dict[str, list[dict[int, float]]], ylabel: str, floor: float | None = None,
                  log: bool = True) -> plt.Figure:
    """A metric against epochs, one line per design: the mean over its seeds (one {epoch: value} per seed)
    with the seeds' range shaded, and the real-data floor dashed."""
    fig, ax = plt.subplots(figsize=(COLUMN, 2.4), layout="constrained")
    for name, seeds in curves.items():
        epochs = sorted(set.intersection(*(set(seed) for seed in seeds)))
        values = np.array([[seed[e] for e in epochs] for seed in seeds])
        line = ax.plot(epochs, values.mean(0), marker="o", ms=2.5, lw=1, label=f"{name} ({len(seeds)} seeds)")[0]
        if len(seeds) > 1:
            ax.fill_between(epochs, values.min(0), values.max(0), color=line.get_color(), alpha=0.2, lw=0)
    if floor is not None:
        ax.axhline(floor, color="k", lw=0.8, ls="--", label="real images")
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    fig.legend(loc="outside upper center", ncol=2)
    return fig
