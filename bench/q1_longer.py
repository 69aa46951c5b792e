"""How far Q1's combined design still falls with more epochs: one seed trained for twice the chapter's
combined-stage budget, FID (the chapter's protocol: 10,000 samples, the reference classifier's features,
10,000 training images) after every recorded epoch. A probe for the next long stage, not part of the report.

    GANUTILS_RUNS=... python bench/q1_longer.py --epochs 40 > bench/q1_longer.md
"""

from __future__ import annotations

import argparse
import time

import torch

from ganutils import artifacts, evaluation, experiments, metrics
from ganutils.data import load_mnist
from ganutils.train import train

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    baseline, variants = experiments.dcgan_variants("report")
    # the combined design as the chapter builds it from today's verdicts: G double width + lr doubled + average
    wide = baseline.replace(width_g=2 * baseline.width_g, **experiments.DCGAN_LONG["report"])
    combined = experiments.tuned_dcgan_design(wide, [variants["lr doubled"]], baseline, "report")
    config = combined.replace(epochs=args.epochs, seed=args.seed)
    classifier = experiments.reference_classifier("report").model
    x, _ = load_mnist(train=True)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    _, real = evaluation.classify(classifier, x[perm[:10_000]])

    def fid(package: dict) -> float:
        _, features = evaluation.classify_samples(artifacts.generator_from_package(package), classifier,
                                                  n=10_000, seed=10_000)
        return metrics.frechet_distance(features, real)

    start = time.time()
    run = train(config, progress=False)
    print(f"combined design, seed {args.seed}, {args.epochs} epochs: trained in {run.seconds:.0f} s "
          f"(wall {time.time() - start:.0f} s, cache {'hit' if time.time() - start < 0.5 * run.seconds else 'miss'})\n")
    print("| epoch | FID (weight average) |\n|---|---|")
    for epoch, package in sorted(run.snapshot_packages.items()):
        print(f"| {epoch} | {fid(package):.2f} |")
    print(f"\nraw G after epoch {args.epochs}: FID {fid(run.raw_generator_package):.2f}")
