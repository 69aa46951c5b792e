"""What a converged Q4 costs on this CPU: time per optimiser step and validation accuracy at 400, 1600 and 6400
steps of batch 64 for candidate classifiers, on Q4's slowest-converging cell (the mix: 10 real images per digit
plus 1000 samples per digit of models/cgan.pt, seed 0). Each budget is a run of its own with its own
one-cycle schedule. A planning probe for issue #17 (not part of the report): a converged Q4 grid is about 190
classifiers at the converged budget, so steps x ms/step says whether it fits a session.

    python bench/q4_cost.py > bench/q4_cost.md
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

from ganutils import artifacts, synthetic
from ganutils.classifier import ClassifierConfig, accuracy, fit_classifier
from ganutils.data import load_mnist, subset_per_class
from ganutils.device import describe_machine


class LeNet(nn.Module):
    """LeNet-5 with ReLU and max-pooling (a candidate only; the chapters use `models.Classifier`)."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                  nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU())
        self.head = nn.Linear(84, 10)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", nargs="+", default=["lenet", "vgg8", "vgg16"],
                        help="lenet, or vggW: the Q3 architecture (models.Classifier) at width W")
    parser.add_argument("--budgets", type=int, nargs="+", default=[400, 1600, 6400])
    args = parser.parse_args()
    x_train, y_train = load_mnist(train=True)
    real = subset_per_class(y_train, 10, seed=0)
    outside = torch.ones(len(y_train), dtype=torch.bool)
    outside[real] = False
    candidates = torch.nonzero(outside).flatten()
    validation = candidates[torch.randperm(len(candidates), generator=torch.Generator().manual_seed(123))[:5000]]
    x_val, y_val = x_train[validation], y_train[validation]
    x_syn, y_syn = synthetic.synthetic_pool(artifacts.load_generator("models/cgan.pt"), 1000, seed=30_000)
    x, y = torch.cat([x_train[real], x_syn]), torch.cat([y_train[real], y_syn])
    print(f"# Q4 classifier cost: mix of 10 real + 1000 synthetic images per digit, seed 0, batch 64, "
          f"validation {len(validation)} training images\n\nmachine: {describe_machine()}\n")
    print("| classifier | steps | validation % | ms/step |")
    print("|---|---|---|---|")
    for name in args.candidates:
        if name != "lenet" and not (name.startswith("vgg") and name[3:].isdigit()):
            parser.error(f"candidates are lenet or vggW (W a width), got {name!r}")
        for steps in args.budgets:
            config = ClassifierConfig(batch_size=64, seed=0, width=32 if name == "lenet" else int(name[3:]))
            torch.manual_seed(config.seed)
            init = LeNet() if name == "lenet" else None
            start = time.perf_counter()
            model = fit_classifier(x, y, config, progress=False, init=init, steps=steps)
            seconds = time.perf_counter() - start
            print(f"| {name} | {steps} | {100 * accuracy(model, x_val, y_val):.2f} | "
                  f"{1000 * seconds / steps:.1f} |", flush=True)
