"""Training speed: the project's loop against a plain PyTorch loop of the same models.

The baseline is the pytorch/examples dcgan style: torchvision's MNIST dataset
with per-sample transforms (ToTensor, Normalize) through a DataLoader, fp32,
BCE on the discriminator logits, a fresh fake batch per step. The project loop
is `ganutils.train.train` itself (in-memory batches, precision "auto": bf16 autocast where this
machine computes bf16 natively and measurably faster, else fp32; per-epoch
checkpoints and sample grids included), run on the first `--images` training
images. Both train the reference DCGAN (width 64) and the reference CGAN
(width 64, one-hot label maps into D) for the same number of steps.

Baseline and project are measured alternately `--repeats` times, since the ratio of
one pair of runs moves noticeably between runs on this machine; the table gives medians and the
range of the per-repeat ratios. Prints images/s, the ratio, FLOPs per image (torch.utils.flop_counter), the
fraction of this machine's measured matmul peak, and peak memory; the last line
is `speedup: X.XX` (project over baseline, reference DCGAN).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset
from torch.utils.flop_counter import FlopCounterMode
from torchvision import datasets, transforms

from ganutils.data import data_root, load_mnist
from ganutils.device import bf16_speedup, describe_machine
from ganutils.models import Discriminator, Generator
from ganutils.train import GanConfig, d_loss, g_loss, train

REFERENCE = {
    "DCGAN": GanConfig(width_g=64, width_d=64),
    "CGAN": GanConfig(width_g=64, width_d=64, n_classes=10, conditioning="concat"),
}


def matmul_peak(dtype: torch.dtype, n: int = 2048, repeats: int = 10, trials: int = 3) -> float:
    """Best of `trials` timings of up to `repeats` n x n matmuls, in FLOP/s. Where the CPU emulates `dtype`
    (bf16 without native support: 0.3 GFLOP/s seen, a minute per 2048^3 matmul) the matrices shrink until
    one matmul takes about 0.2 s, so the bench does not spend minutes on a precision the project will not
    use there."""
    probe = torch.randn(256, 256, dtype=dtype)
    for _ in range(2):
        t0 = time.perf_counter()
        probe @ probe
        probe_seconds = time.perf_counter() - t0
    rate = 2 * 256**3 / probe_seconds
    n = min(n, max(256, int((0.2 * rate / 2) ** (1 / 3)) // 64 * 64))
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    t0 = time.perf_counter()
    a @ b  # warm-up, and how long one takes
    repeats = max(1, min(repeats, round(1.0 / (time.perf_counter() - t0))))
    best = 0.0
    for _ in range(trials):
        t0 = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = max(best, 2 * n**3 * repeats / (time.perf_counter() - t0))
    return best


def flops_per_image(config: GanConfig, batch: int = 128) -> float:
    """FLOPs of one training step (D on real and fake, G step through D), per real image."""
    G, D = Generator(**config.generator_kwargs()), Discriminator(**config.discriminator_kwargs())
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,)) if config.n_classes else None
    with FlopCounterMode(display=False) as counter:
        fake = G(torch.randn(batch, config.z_dim), y)
        loss = d_loss(D(x, y), D(fake.detach(), y))
        loss.backward()
        g_loss("nonsaturating", D(fake, y)).backward()
    return counter.get_total_flops() / batch


def baseline_images_per_second(config: GanConfig, steps: int, workers: int) -> float:
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    dataset = datasets.MNIST(str(data_root()), train=True, download=False, transform=tf)
    loader = DataLoader(Subset(dataset, range(steps * config.batch_size)), batch_size=config.batch_size,
                        shuffle=True, num_workers=workers, drop_last=True)
    torch.manual_seed(0)
    G, D = Generator(**config.generator_kwargs()), Discriminator(**config.discriminator_kwargs())
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    t0 = time.perf_counter()
    for x, y in loader:
        y = y if config.n_classes else None
        y_fake = torch.randint(0, 10, (len(x),)) if config.n_classes else None
        fake = G(torch.randn(len(x), config.z_dim), y_fake)
        out_real, out_fake = D(x, y), D(fake.detach(), y_fake)
        loss_d = F.binary_cross_entropy_with_logits(out_real, torch.ones_like(out_real)) + \
            F.binary_cross_entropy_with_logits(out_fake, torch.zeros_like(out_fake))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        out = D(fake, y_fake)
        loss_g = F.binary_cross_entropy_with_logits(out, torch.ones_like(out))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    return steps * config.batch_size / (time.perf_counter() - t0)


def project_images_per_second(config: GanConfig, steps: int) -> float:
    n_per_class = -(-steps * config.batch_size // 10)  # enough images for `steps` batches
    config = config.replace(epochs=1, n_per_class=n_per_class)
    with tempfile.TemporaryDirectory() as runs:
        os.environ["GANUTILS_RUNS"] = runs
        run = train(config, progress=False)
    done = len(run.history["loss_d"]) * config.d_steps
    return done * config.batch_size / run.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=120, help="training steps per measurement")
    parser.add_argument("--repeats", type=int, default=3,
                        help="alternating baseline/project measurements per model; medians are reported")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2],
                        help="DataLoader worker counts tried for the baseline; the fastest is the baseline")
    args = parser.parse_args()
    if args.steps < 1 or args.repeats < 1:
        parser.error(f"--steps and --repeats must be positive, got {args.steps} and {args.repeats}")
    load_mnist()  # materialise the files once, outside the timings
    peak32, peak16 = matmul_peak(torch.float32), matmul_peak(torch.bfloat16)
    precision = REFERENCE["DCGAN"].precision
    kind = "native bf16" if precision == "bf16" else "no fast bf16 (the project trains in fp32)"
    print(f"machine kind: {kind}; measured bf16 speed-up of a D convolution step: {bf16_speedup():.2f}x")
    print(f"machine: {describe_machine(precision)}")
    print(f"matmul peak (up to 2048^3): fp32 {peak32 / 1e9:.0f} GFLOP/s, bf16 {peak16 / 1e9:.0f} GFLOP/s")
    print(f"steps per measurement: {args.steps} of batch 128; baseline = the fastest of DataLoader workers "
          f"{args.workers}; {args.repeats} alternating repeats, medians reported")
    print()
    print("| model | FLOPs/image | baseline img/s | project img/s | ratio (min-max) | baseline % fp32 peak "
          f"| project % {precision} peak |")
    print("|---|---|---|---|---|---|---|")
    ratios, notes = {}, []
    for name, config in REFERENCE.items():
        flops = flops_per_image(config)
        bases, ours, per_repeat = [], [], []
        for _ in range(args.repeats):
            tried = {w: baseline_images_per_second(config, args.steps, w) for w in args.workers}
            per_repeat.append(", ".join(f"{w}: {v:.0f}" for w, v in tried.items()))
            bases.append(max(tried.values()))
            ours.append(project_images_per_second(config, args.steps))
        repeat_ratios = [o / b for o, b in zip(ours, bases)]
        base, own, ratio = statistics.median(bases), statistics.median(ours), statistics.median(repeat_ratios)
        ratios[name] = ratio
        notes.append(f"{name} baseline img/s by DataLoader workers, per repeat: {' | '.join(per_repeat)}")
        notes.append(f"{name} project img/s per repeat: {', '.join(f'{v:.0f}' for v in ours)}; "
                     f"ratio per repeat: {', '.join(f'{r:.2f}' for r in repeat_ratios)}")
        print(f"| {name} | {flops / 1e6:.0f} M | {base:.0f} | {own:.0f} | {ratio:.2f} "
              f"({min(repeat_ratios):.2f}-{max(repeat_ratios):.2f}) | "
              f"{100 * base * flops / peak32:.1f}% | {100 * own * flops / (peak16 if precision == 'bf16' else peak32):.1f}% |")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print("\n".join(notes))
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")
    print(f"speedup: {ratios['DCGAN']:.2f}")


if __name__ == "__main__":
    main()
