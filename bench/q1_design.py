"""Which changes to Q1's combined design move an unconditional DCGAN toward the real floor: candidates
trained from one seed at an equal epoch budget, FID (the chapter's protocol: 10,000 samples, the reference
classifier's features, 10,000 training images) after every recorded epoch, with digit coverage and the
classifier's mean confidence at the end. A probe for the next Q1 long stage, not part of the report: one seed
says where to spend the chapter's seeds, not which design is better.

    GANUTILS_RUNS=... python bench/q1_design.py --epochs 6 > bench/q1_design.md
"""

from __future__ import annotations

import argparse
import time

import torch

from ganutils import artifacts, evaluation, experiments, metrics
from ganutils.data import load_mnist
from ganutils.device import describe_machine
from ganutils.train import train


def candidates(epochs: int, seed: int) -> dict:
    baseline, variants = experiments.dcgan_variants("report")
    # the combined design as the chapter builds it today: G double width + lr doubled + weight average
    wide = baseline.replace(width_g=2 * baseline.width_g, **experiments.DCGAN_LONG["report"])
    combined = experiments.tuned_dcgan_design(wide, [variants["lr doubled"]], baseline, "report")
    combined = combined.replace(epochs=epochs, seed=seed)
    return {
        "combined": combined,
        "+ InfoGAN code (10)": combined.replace(codes=10),
        "+ D double width": combined.replace(width_d=2 * combined.width_d),
        "+ InfoGAN code + D double width": combined.replace(codes=10, width_d=2 * combined.width_d),
        "+ D depth 1": combined.replace(depth_d=1),
        "+ G and D depth 1": combined.replace(depth_g=1, depth_d=1),
        "+ R1 (gamma 1)": combined.replace(r1=1.0),
        "+ R1 (gamma 10)": combined.replace(r1=10.0),
        "+ minibatch std": combined.replace(minibatch_std=True),
        **{f"+ self-conditioning ({k} clusters)": combined.replace(clusters=k, conditioning="projection")
           for k in (10, 20, 50)},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="train only these candidates (names as in the table)")
    args = parser.parse_args()
    designs = candidates(args.epochs, args.seed)
    if args.only:
        designs = {name: designs[name] for name in args.only}
    classifier = experiments.reference_classifier("report").model
    x, _ = load_mnist(train=True)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    _, real = evaluation.classify(classifier, x[perm[:10_000]])

    def scores(package: dict) -> tuple[float, int, float]:
        logits, features = evaluation.classify_samples(artifacts.generator_from_package(package), classifier,
                                                       n=10_000, seed=10_000)
        shares = torch.bincount(logits.argmax(1), minlength=10) / len(logits)
        confidence = logits.float().softmax(1).max(1).values.mean()
        return metrics.frechet_distance(features, real), int((shares >= 0.02).sum()), 100 * float(confidence)

    print(f"machine: {describe_machine(next(iter(designs.values())).precision)}; seed {args.seed}, "
          f"{args.epochs} epochs each\n")
    curves, rows = {}, []
    for name, config in designs.items():
        start = time.time()
        run = train(config, progress=False)
        curves[name] = {epoch: scores(package)[0] for epoch, package in sorted(run.snapshot_packages.items())}
        fid, digits, confidence = scores(run.generator_package)
        raw_fid = scores(run.raw_generator_package)[0] if run.raw_generator_package else float("nan")
        rows.append(f"| {name} | {fid:.2f} | {raw_fid:.2f} | {digits} | {confidence:.1f} | "
                    f"{run.seconds / config.epochs:.0f} |")
        print(f"{name}: trained in {run.seconds:.0f} s (wall {time.time() - start:.0f} s)", flush=True)
    print("\n| design | FID (weight average) | FID (raw G) | digits >= 2% | mean confidence % | s per epoch |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    epochs = sorted({e for curve in curves.values() for e in curve})
    print("\nFID of the weight average after each recorded epoch:\n")
    print("| design | " + " | ".join(str(e) for e in epochs) + " |")
    print("|---|" + "---|" * len(epochs))
    for name, curve in curves.items():
        print(f"| {name} | " + " | ".join(f"{curve[e]:.2f}" if e in curve else "" for e in epochs) + " |")
