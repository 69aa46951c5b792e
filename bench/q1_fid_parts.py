"""Where an unconditional DCGAN's FID comes from: the mix of digits, or the digits themselves.

FID on the reference classifier's features (the chapters' protocol: 10,000 samples against 10,000 training
images) is split three ways for each generator:
  - mix only: real training images drawn with the generator's digit shares (as the classifier reads them),
    scored against the real reference. What the wrong proportions alone cost, with perfect digits.
  - balanced: the generator's own samples drawn with equal shares per digit. What is left with the right mix.
  - per digit: each digit's samples against the real images of that digit, beside the same figure for real
    test images (that digit's floor), and the share of samples the classifier reads with confidence < 0.9.
The published CGAN (asked for MNIST's own mix of digits) is scored the same way, for contrast. A diagnostic
for issue 15 (what would move Q1's DCGAN toward the floor), not part of the report.

    GANUTILS_RUNS=... python bench/q1_fid_parts.py > bench/q1_fid_parts.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from ganutils import artifacts, evaluation, experiments, metrics
from ganutils.data import load_mnist
from ganutils.train import train

ROOT = Path(__file__).resolve().parent.parent
N = 10_000


def resample(labels: torch.Tensor, shares: torch.Tensor, n: int, seed: int) -> torch.Tensor:
    """Indices of `n` draws (with replacement) whose labels follow `shares`."""
    g = torch.Generator().manual_seed(seed)
    counts = (shares.double() * n).round().long()
    picks = []
    for c, count in enumerate(counts.tolist()):
        pool = (labels == c).nonzero().flatten()
        if count and len(pool):
            picks.append(pool[torch.randint(len(pool), (count,), generator=g)])
    return torch.cat(picks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design-seeds", type=int, nargs="*", default=[0, 1, 2],
                        help="also score the cached 6-epoch combined design of bench/q1_design.py with these seeds")
    args = parser.parse_args()
    classifier = experiments.reference_classifier("report").model
    x, y = load_mnist(train=True)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))[:N]
    _, real = evaluation.classify(classifier, x[perm])
    real_y = y[perm]
    x_test, y_test = load_mnist(train=False)
    test_logits, test = evaluation.classify(classifier, x_test)

    generators = {"published dcgan.pt": artifacts.load_generator(ROOT / "models" / "dcgan.pt")}
    if args.design_seeds:
        sys.path.insert(0, str(ROOT / "bench"))
        import q1_design

        for seed in args.design_seeds:
            run = train(q1_design.candidates(6, seed)["combined"], progress=False)
            generators[f"combined, 6 epochs, seed {seed}"] = artifacts.generator_from_package(run.generator_package)
    generators["published cgan.pt"] = artifacts.load_generator(ROOT / "models" / "cgan.pt")
    cgan_labels = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(1))[:N]]

    floor = metrics.frechet_distance(test, real)
    per_digit_floor = [metrics.frechet_distance(test[y_test == c], real[real_y == c]) for c in range(10)]
    print(f"real floor (test vs training images): FID {floor:.2f}; images the classifier reads with confidence "
          f"< 0.9: test {100 * (test_logits.float().softmax(1).max(1).values < 0.9).float().mean():.1f}%\n")
    print("| generator | FID | mix only | balanced | confidence < 0.9 | digit shares % (0-9) |")
    print("|---|---|---|---|---|---|")
    per_digit = {}
    for name, generator in generators.items():
        labels = cgan_labels if generator.conditional else None
        logits, features = evaluation.classify_samples(generator, classifier, labels=labels, n=N, seed=10_000)
        read = logits.argmax(1)
        shares = metrics.class_shares(logits)
        fid = metrics.frechet_distance(features, real)
        mix_only = metrics.frechet_distance(real[resample(real_y, shares, N, seed=1)], real)
        balanced = metrics.frechet_distance(features[resample(read, torch.full((10,), 0.1), N, seed=2)], real)
        unsure = 100 * float((logits.float().softmax(1).max(1).values < 0.9).float().mean())
        per_digit[name] = [metrics.frechet_distance(features[read == c], real[real_y == c]) for c in range(10)]
        print(f"| {name} | {fid:.2f} | {mix_only:.2f} | {balanced:.2f} | {unsure:.1f}% | "
              f"{' / '.join(f'{100 * s:.1f}' for s in shares.tolist())} |")
    print("\nFID of each digit's samples (as the classifier reads them) against real training images of that digit:\n")
    print("| generator | " + " | ".join(str(c) for c in range(10)) + " |")
    print("|---|" + "---|" * 10)
    print("| real test images (floor) | " + " | ".join(f"{v:.2f}" for v in per_digit_floor) + " |")
    for name, values in per_digit.items():
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in values) + " |")


if __name__ == "__main__":
    main()
