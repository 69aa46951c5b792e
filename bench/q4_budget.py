"""How many optimiser steps Q4's classifiers need before they stop improving: validation (and test)
accuracy of each strategy at budgets of 100 to 3200 steps of batch 64 (each budget a run of its own, with
its own one-cycle schedule), with 10 real images per digit and with all real training images, one seed.
A probe for the chapter's budget choice (issue #17), not part of the report.

    GANUTILS_RUNS=... python bench/q4_budget.py > bench/q4_budget.md
"""

from __future__ import annotations

import argparse
import time

import torch

from ganutils import artifacts, cache, synthetic
from ganutils.classifier import accuracy
from ganutils.data import load_mnist, subset_per_class
from ganutils.io import sha256

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=int, nargs="+", default=[100, 200, 400, 800, 1600, 3200])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    x_train, y_train = load_mnist(train=True)
    x_test, y_test = load_mnist(train=False)
    # a validation split outside every real subset the chapter draws (1000 per digit, seeds 0-2)
    used = torch.cat([subset_per_class(y_train, 1000, seed=s) for s in range(3)])
    outside = torch.ones(len(y_train), dtype=torch.bool)
    outside[used] = False
    candidates = torch.nonzero(outside).flatten()
    validation = candidates[torch.randperm(len(candidates), generator=torch.Generator().manual_seed(123))[:5000]]
    rest = torch.ones(len(y_train), dtype=torch.bool)
    rest[validation] = False
    generator = artifacts.load_generator("models/cgan.pt")
    synthetic_data = synthetic.synthetic_pool(generator, 1000, seed=30_000)
    print(f"# Q4 budget probe: seed {args.seed}, batch 64, validation {len(validation)} training images, "
          f"test {len(y_test)}, {len(synthetic_data[1])} synthetic images from models/cgan.pt\n")
    print("| real per digit | strategy | steps | validation % | test % | seconds |")
    print("|---|---|---|---|---|---|")
    for n in (10, "all"):
        idx = torch.nonzero(rest).flatten() if n == "all" else subset_per_class(y_train, n, seed=args.seed)
        real = x_train[idx], y_train[idx]
        for strategy in ("real only", "mix", "pretrain + fine-tune", "synthetic only"):
            if strategy == "synthetic only" and n == "all":
                continue  # the same classifiers as with 10 per digit
            for steps in args.budgets:
                spec = dict(strategy=strategy, n=n, seed=args.seed, steps=steps, generator=sha256("models/cgan.pt"))

                def compute(strategy=strategy, real=real, steps=steps):
                    start = time.perf_counter()
                    model = synthetic.train_strategy(strategy, real, synthetic_data, args.seed, steps, 64)
                    return {"validation": 100 * accuracy(model, x_train[validation], y_train[validation]),
                            "test": 100 * accuracy(model, x_test, y_test), "seconds": time.perf_counter() - start}

                result = cache.memo("q4-budget-probe", spec, compute)
                print(f"| {n} | {strategy} | {steps} | {result['validation']:.2f} | {result['test']:.2f} | "
                      f"{result['seconds']:.0f} |", flush=True)
