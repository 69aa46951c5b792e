"""Do Q1's conclusions hold on another CPU?

Trains the Q1 baseline's report-profile seeds on the kernels this process gets
(run it under `ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2` to imitate a CPU
without AVX-512 or native bf16; precision "auto" then resolves to fp32), scores
them exactly as the Q1 chapter does (the published classifier, n samples against as
many training images), and checks each seed against the seed band that the committed
chapter measured: FID inside the committed seeds' 95% prediction interval (the chapter's
band for one further run, `stats.prediction_interval`), and all ten digits at >= 2% of the samples.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from ganutils import experiments, metrics
from ganutils.artifacts import load_classifier
from ganutils.classifier import predict
from ganutils.data import load_mnist
from ganutils.device import describe_machine
from ganutils.report import read_glue
from ganutils.train import GanConfig, train

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="baseline seeds to train (the chapter uses 3)")
    args = parser.parse_args()
    committed = read_glue(ROOT / "notebooks" / "q1_dcgan.ipynb")
    baseline = GanConfig(**experiments.DCGAN_BUDGET["report"])
    n_eval = experiments.EVAL_SAMPLES["report"]
    classifier = load_classifier(ROOT / "models" / "classifier.pt")
    x_train, _ = load_mnist(train=True)
    perm = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(0))
    real_features = predict(classifier, x_train[perm[:n_eval]])[1]
    low, high = committed["q1_fid_band_low"], committed["q1_fid_band_high"]

    print(f"machine: {describe_machine(baseline.precision)}")
    print(f"config: Q1 baseline at the report profile ({baseline.epochs} epochs, width {baseline.width_g}), "
          f"{n_eval} samples scored per seed with models/classifier.pt")
    print(f"committed band (Q1 chapter, {committed['q1_seeds']} seeds): FID {committed['q1_base_fid_mean']:.2f} "
          f"± {committed['q1_base_fid_std']:.2f}, band [{low:.2f}, {high:.2f}]")
    print()
    print("| seed | FID | digits ≥2% | smallest share % | KL to uniform | train s | verdict |")
    print("|---|---|---|---|---|---|---|")
    inside = 0
    for seed in range(args.seeds):
        run = train(baseline.replace(seed=seed), progress=False)
        logits, features = predict(classifier, run.generator.generate(n=n_eval, seed=10_000))
        shares = metrics.class_shares(logits)
        fid, covered = metrics.frechet_distance(features, real_features), metrics.digits_covered(shares)
        ok = low <= fid <= high and covered == 10
        inside += ok
        print(f"| {seed} | {fid:.2f} | {covered} | {100 * shares.min():.2f} | {metrics.kl_to_uniform(shares):.3f} | "
              f"{run.seconds:.0f} | {'inside the band' if ok else 'OUTSIDE the band'} |", flush=True)
    print()
    print(f"seeds inside the committed band with 10/10 digits: {inside} of {args.seeds}")


if __name__ == "__main__":
    main()
