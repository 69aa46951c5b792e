"""Independent runs side by side: `train_all` with one worker per thread against `train` one run after another.

The report trains dozens of independent small GANs. With two CPU threads, one run at a time
uses both threads for every convolution; `train_all` instead trains two runs at once, one
thread each. Each set below is trained both ways from an empty run cache (one epoch on the
first `--images` training images, the report's architectures), alternately `--repeats` times;
the table gives the median wall time of each way and their ratio, every raw time beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import torch

from ganutils.data import load_mnist
from ganutils.train import GanConfig, train, train_all

SETS = {  # the kinds of run the report trains most of, four runs each
    "Q1 DCGAN, width 32": [GanConfig(width_g=32, width_d=32, seed=s) for s in range(4)],
    "Q2 CGAN, width 32": [GanConfig(width_g=32, width_d=32, n_classes=10, conditioning="projection", real_label=0.9,
                                    seed=s) for s in range(4)],
    "Q2 long stage, G width 64": [GanConfig(width_g=64, width_d=32, n_classes=10, conditioning="projection",
                                            real_label=0.9, ema=0.999, seed=s) for s in range(4)],
}


def wall_seconds(configs: list[GanConfig], parallel: bool) -> float:
    with tempfile.TemporaryDirectory() as runs:
        os.environ["GANUTILS_RUNS"] = runs
        t0 = time.perf_counter()
        if parallel:
            train_all(configs, progress=False)
        else:
            for config in configs:
                train(config, progress=False)
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=20_000, help="training images per run (one epoch)")
    parser.add_argument("--repeats", type=int, default=2, help="alternating measurements of each way")
    args = parser.parse_args()
    if not 1280 <= args.images <= 54_000 or args.repeats < 1:  # the rarest digit has 5,421 training images
        parser.error(f"--images must be in 1280..54000 and --repeats positive, got {args.images} and {args.repeats}")
    load_mnist()
    print(f"threads: {torch.get_num_threads()}, torch {torch.__version__}; one epoch of {args.images} images per run, "
          f"{args.repeats} alternating repeats, medians reported")
    print()
    print("| set of 4 runs | one after another, s | side by side (train_all), s | speed-up | raw (sequential / parallel) |")
    print("|---|---|---|---|---|")
    speedups = []
    for name, configs in SETS.items():
        configs = [c.replace(epochs=1, n_per_class=args.images // 10) for c in configs]
        sequential, parallel = [], []
        for _ in range(args.repeats):
            sequential.append(wall_seconds(configs, parallel=False))
            parallel.append(wall_seconds(configs, parallel=True))
        seq, par = statistics.median(sequential), statistics.median(parallel)
        speedups.append(seq / par)
        raw = " / ".join(", ".join(f"{t:.1f}" for t in times) for times in (sequential, parallel))
        print(f"| {name} | {seq:.1f} | {par:.1f} | {seq / par:.2f} | {raw} |")
    print()
    print(f"parallel speed-up (median over sets): {statistics.median(speedups):.2f}")


if __name__ == "__main__":
    main()
