"""Where training runs, and in which precision.

bf16 autocast is ~1.8-2x faster than fp32 where the hardware computes bf16 natively
(CUDA, CPUs with AMX or AVX512-BF16) and 2-9x *slower* where it is emulated (most
laptop CPUs, or any CPU under `ONEDNN_MAX_CPU_ISA=AVX2`). So "auto" is settled by a
short measurement of the study's own hot spot, a discriminator convolution forward
and backward, rather than by a list of CPU flags: the measurement also sees the
kernels that environment variables select. The answer is measured once per machine
and run cache (kept in `precision.json` there, so every process that shares the cache
keys a config alike), before any config is keyed, cached or published, and
`GANUTILS_PRECISION` (bf16 or fp32) overrides it.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import time

import torch

from ganutils.cache import remember, runs_root

PRECISIONS = ("auto", "bf16", "fp32")
BF16_MIN_SPEEDUP = 1.2  # bf16 must beat fp32 by this factor, so that a borderline machine stays on fp32


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast(device: torch.device | str, precision: str):
    """The autocast context for a resolved precision ("bf16" or "fp32")."""
    device_type = device if isinstance(device, str) else device.type
    return torch.autocast(device_type, dtype=torch.bfloat16, enabled=precision == "bf16")


def memory_format(precision: str) -> torch.memory_format:
    """channels_last pays for fp32 convolutions (+10-20% a training step under AVX-512 and AVX2 kernels,
    bench/ablation.md) but not under bf16, where the element-wise ops around the convolutions lose what
    the convolutions gain."""
    return torch.channels_last if precision == "fp32" else torch.contiguous_format


def _conv_step(conv: torch.nn.Module, x: torch.Tensor, precision: str) -> float:
    """Seconds for one forward and backward pass of `conv` on `x`."""
    if x.device.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    with autocast(x.device, precision):
        out = conv(x)
    out.float().sum().backward()
    if x.device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - t0


def measure_bf16_speedup(device: torch.device, batch: int = 128, rounds: int = 6) -> float:
    """fp32 time over bf16 time of D's 64->128 4x4 stride-2 convolution, forward and backward, at the
    training batch size: the study's costliest layer. Rounds alternate the two precisions and each
    keeps its best time, which is robust to other work on the machine; where bf16 is emulated (many
    times slower) the measurement stops early."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # on one thread the ratio reflects the kernels, not how busy the other cores are
    try:
        return _best_ratio(device, batch, rounds)
    finally:
        torch.set_num_threads(threads)


def _best_ratio(device: torch.device, batch: int, rounds: int) -> float:
    generator = torch.Generator().manual_seed(0)
    conv = torch.nn.Conv2d(64, 128, 4, 2, 1).to(device)
    x = torch.randn(batch, 64, 14, 14, generator=generator).to(device).requires_grad_()
    _conv_step(conv, x, "fp32"), _conv_step(conv, x, "bf16")  # warm-up: kernel selection
    best = {"fp32": float("inf"), "bf16": float("inf")}
    for _ in range(rounds):
        for precision in best:
            best[precision] = min(best[precision], _conv_step(conv, x, precision))
        if best["bf16"] > 2 * best["fp32"]:
            break
    return best["fp32"] / best["bf16"]


@functools.lru_cache(maxsize=8)
def _measured(machine: str, device_type: str, root: str) -> tuple[str, float]:
    """(precision, bf16 speed-up over fp32) for `machine`, measured once per run cache `root`."""
    known = remember("precision", machine, lambda: _measure(torch.device(device_type)))
    return known["precision"], known["bf16_speedup"]


def _measure(device: torch.device) -> dict[str, str | float]:
    if device.type == "cuda" and not torch.cuda.is_bf16_supported():
        return {"precision": "fp32", "bf16_speedup": 0.0}
    if device.type == "cpu" and not torch.backends.mkldnn.is_available():
        return {"precision": "fp32", "bf16_speedup": 0.0}
    speedup = measure_bf16_speedup(device)
    return {"precision": "bf16" if speedup >= BF16_MIN_SPEEDUP else "fp32", "bf16_speedup": speedup}


def _measured_here(device: torch.device | None) -> tuple[str, float]:
    """The measurement for this machine as its kernels are now (ONEDNN_MAX_CPU_ISA and ATEN_CPU_CAPABILITY
    show in `describe_machine`) and for the current run cache. Not per thread count: the measurement runs on
    one thread, and a notebook and the workers or subprocesses it starts on fewer threads must key alike."""
    device = device or default_device()
    machine = json.dumps({k: v for k, v in describe_machine().items() if k != "threads"}
                         | {"device type": device.type}, sort_keys=True)
    return _measured(machine, device.type, str(runs_root()))


def bf16_speedup(device: torch.device | None = None) -> float:
    """The measured bf16-over-fp32 speed of one convolution step here (0 where bf16 is unsupported)."""
    return _measured_here(device)[1]


def resolve_precision(precision: str, device: torch.device | None = None) -> str:
    """"bf16" or "fp32": `precision` itself unless it is "auto", then GANUTILS_PRECISION or the measurement."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision={precision!r} is not allowed: precision must be one of {PRECISIONS}")
    if precision != "auto":
        return precision
    forced = os.environ.get("GANUTILS_PRECISION", "auto")
    if forced not in PRECISIONS:
        raise ValueError(f"GANUTILS_PRECISION={forced!r} is not allowed: it must be one of {PRECISIONS}")
    if forced != "auto":
        return forced
    return _measured_here(device)[0]


def describe_machine(precision: str | None = None) -> dict[str, str | int | float]:
    """What a reader needs to know about where a number was measured."""
    device = default_device()
    info: dict[str, str | int | float] = {
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else _cpu_name(),
        "cpu kernels": f"{torch.backends.cpu.get_cpu_capability()}"
                       + (f", oneDNN ISA capped at {os.environ['ONEDNN_MAX_CPU_ISA']}"
                          if os.environ.get("ONEDNN_MAX_CPU_ISA") else ""),
        "threads": int(torch.get_num_threads()),
        "torch": str(torch.__version__),
    }
    if precision is not None:
        info["precision"] = precision
    return info


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
