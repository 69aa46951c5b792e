"""Which speed-ups pay on this CPU: one training step of the reference DCGAN under each option.

Times `ganutils.train.gan_step` (the loop's own step) on in-memory MNIST batches,
after warm-up, and prints images/s per option. torch.compile's one-off compile
time is printed separately, since it is paid again by every run.
"""

from __future__ import annotations

import argparse
import time

import torch

from ganutils.data import load_mnist
from ganutils.models import Discriminator, Generator
from ganutils.train import GanConfig, gan_step


def measure(config: GanConfig, steps: int, channels_last: bool = False, fused: bool = False,
            compile_models: bool = False) -> tuple[float, float]:
    torch.manual_seed(0)
    x, _ = load_mnist()
    G, D = Generator(**config.generator_kwargs()), Discriminator(**config.discriminator_kwargs())
    if channels_last:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = dict(lr=2e-4, betas=(0.5, 0.999), **({"fused": True} if fused else {"foreach": True}))
    opt_g, opt_d = torch.optim.Adam(G.parameters(), **opt), torch.optim.Adam(D.parameters(), **opt)
    if compile_models:
        G, D = torch.compile(G), torch.compile(D)
    b = config.batch_size

    def step(i: int) -> None:
        gan_step(G, D, opt_g, opt_d, config, x[i * b % 50_000:][:b], None, torch.randn(b, config.z_dim), None)

    t0 = time.perf_counter()
    for i in range(3):
        step(i)
    warmup = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(steps):
        step(i)
    return steps * b / (time.perf_counter() - t0), warmup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--width", type=int, default=64)
    args = parser.parse_args()
    base = GanConfig(width_g=args.width, width_d=args.width)
    options = {
        "fp32": dict(config=base.replace(precision="fp32")),
        "bf16 autocast": dict(config=base),
        "bf16 + channels_last": dict(config=base, channels_last=True),
        "bf16 + fused Adam": dict(config=base, fused=True),
        "bf16 + channels_last + fused Adam": dict(config=base, channels_last=True, fused=True),
        "bf16 + torch.compile": dict(config=base, compile_models=True),
    }
    print(f"reference DCGAN width {args.width}, batch 128, {args.steps} timed steps after 3 warm-up steps\n")
    print("| option | images/s | warm-up s (includes compile) |")
    print("|---|---|---|")
    for name, kwargs in options.items():
        speed, warmup = measure(steps=args.steps, **kwargs)
        print(f"| {name} | {speed:.0f} | {warmup:.1f} |", flush=True)


if __name__ == "__main__":
    main()
