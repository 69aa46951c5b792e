"""Scale-out, measured on this machine and predicted for more cores (`make scaling` -> bench/scaling.md).

1. One run's speed at 1 thread and on every core's thread, and the speed of one single-threaded run per
   core side by side (`ganutils.cluster.measure_parallel_speed`, what `scheduler="local"` decides on: a
   width-32 DCGAN training step, batch 128, in this machine's precision).
2. One training stage cold, in-process against a local Dask cluster: Q1's report-profile stage (the
   baseline seeds and every variant, 13 runs) shortened to `--epochs` epoch(s) each, trained from an
   empty run cache once in-process on every thread, once on a LocalCluster of one single-threaded
   worker per core (on `--per-class` images per digit, so that both fit in a few minutes).
3. The report's cold re-execution predicted at 2, 8, 16 and 64 cores from what a cold re-execution
   recorded (`--cache`: its run cache, whose `stages.jsonl` lists every stage `train_many` trained and
   every run its own training time; `--times`: its chapter times, the output of `time_report.sh cold`).
   Assumptions, stated in the output: every core trains a run as fast as one core here (one run per
   single-threaded worker); a stage's runs are spread longest first over the workers, so a stage takes at
   least its longest run (the floor as cores grow); everything else a chapter does (evaluation, plots,
   Q4's small classifier fits) stays serial and takes what it took here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from datetime import datetime
from pathlib import Path

import torch

from ganutils import cache, cluster, experiments
from ganutils.device import describe_machine
from ganutils.io import load_torch

CORES = (2, 8, 16, 64)


def stage_cold(epochs: int, per_class: int) -> dict[str, float]:
    """Wall seconds of Q1's stage at `epochs` epochs of `per_class` images per digit a run, from an empty cache,
    in-process and on a cluster."""
    baseline, variants = experiments.dcgan_variants("report")
    configs = {f"baseline (seed {s})": baseline.replace(seed=s) for s in range(3)} | variants
    configs = {name: config.replace(epochs=epochs, n_per_class=per_class) for name, config in configs.items()}
    cores = cluster.available_cores()
    wall = {}
    for where in ("in-process", "cluster"):
        with tempfile.TemporaryDirectory() as runs:
            os.environ["GANUTILS_RUNS"] = runs
            started = time.perf_counter()
            if where == "in-process":
                cluster.train_many(configs, "in-process", progress=False)
            else:
                with cluster.local_cluster(cores) as client:
                    cluster.train_many(configs, client, progress=False)
            wall[where] = time.perf_counter() - started
    return wall | {"runs": len(configs), "distinct runs": len({cache.config_key(c) for c in configs.values()})}


def makespan(seconds: list[float], workers: int) -> float:
    """Longest-first list scheduling of independent runs on `workers` identical workers."""
    loads = [0.0] * workers
    for s in sorted(seconds, reverse=True):
        loads[loads.index(min(loads))] += s
    return max(loads) if seconds else 0.0


def run_seconds(runs: Path, name: str, speed: dict[int, float]) -> float:
    """A run's training time converted to one thread (runs record the threads they trained on)."""
    result = load_torch(runs / name / "result.pt")
    package = result.get("generator") or result.get("classifier")
    threads = int(package.get("machine", {}).get("threads", 1))
    return result["seconds"] * speed.get(threads, speed[max(speed)]) / speed[1]  # as if trained on one thread


def predict(runs: Path, times: Path, speed: dict[int, float]) -> list[str]:
    chapters = [(m[1], float(m[2]), datetime.fromisoformat(m[3].replace("Z", "+00:00")))
                for m in re.finditer(r"chapter (\S+): ([\d.]+) s \(finished (\S+)\)", times.read_text())]
    stages = [json.loads(line) for line in (runs / "stages.jsonl").read_text().splitlines()]
    lines = ["| chapter | wall here (s) | stages | runs trained | serial rest (s) | "
             + " | ".join(f"{n} cores (s)" for n in CORES) + " | floor (s) |", "|---" * (6 + len(CORES)) + "|"]
    totals = {n: 0.0 for n in CORES} | {"floor": 0.0, "here": 0.0}
    start = None
    for name, wall, finished in chapters:
        begun = finished.timestamp() - wall
        mine = [s for s in stages if begun <= datetime.fromisoformat(s["finished"].replace("Z", "+00:00")).timestamp()
                <= finished.timestamp()]
        if mine:
            per_stage = [[run_seconds(runs, r, speed) for r in s["runs"]] for s in mine]
            serial = wall - sum(s["wall s"] for s in mine)
        else:  # trained before stages were logged: the runs that finished in the chapter's window, one stage
            finished_here = [d.name for d in runs.iterdir() if (d / "manifest.json").exists() and d.name.split("-")[0] in ("gan", "classifier")
                             and begun <= (d / "manifest.json").stat().st_mtime <= finished.timestamp()]
            per_stage = [[run_seconds(runs, r, speed) for r in finished_here]]
            serial = wall - sum(load_torch(runs / r / "result.pt")["seconds"] for r in finished_here)
            name += " (†)"
        predicted = {n: serial + sum(makespan(t, n) for t in per_stage) for n in CORES}
        floor = serial + sum(max(t) for t in per_stage if t)
        for n in CORES:
            totals[n] += predicted[n]
        totals["floor"] += floor
        totals["here"] += wall
        lines.append(f"| {name} | {wall:.0f} | {len(mine)} | {sum(map(len, per_stage))} | {serial:.0f} | "
                     + " | ".join(f"{predicted[n]:.0f}" for n in CORES) + f" | {floor:.0f} |")
        start = start or begun
    lines.append(f"| **all** | {totals['here']:.0f} | | | | " + " | ".join(f"{totals[n]:.0f}" for n in CORES)
                 + f" | {totals['floor']:.0f} |")
    lines.append("")
    lines.append("(†) no stage recorded (the chapter ran before train_many logged its stages): its runs, found by "
                 "their finish times, count as one stage trained one after another.")
    lines.append("")
    lines.append("predicted cold report, minutes: " + ", ".join(f"{n} cores {totals[n] / 60:.0f}" for n in CORES)
                 + f"; floor (unlimited cores) {totals['floor'] / 60:.0f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1, help="epochs per run in the cold stage (default 1)")
    parser.add_argument("--per-class", type=int, default=2000,
                        help="training images per digit in the cold stage (default 2000: a third of MNIST)")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("GANUTILS_RUNS", "runs")),
                        help="run cache of a cold report re-execution (default $GANUTILS_RUNS or runs/)")
    parser.add_argument("--times", type=Path, default=Path("bench/time_report.md"),
                        help="chapter times of that re-execution (default bench/time_report.md)")
    args = parser.parse_args()
    cache_dir = args.cache.resolve()
    print(f"# Scale-out ({datetime.now().date()})\n")
    print(f"machine: {json.dumps(describe_machine())}\n")
    cores = cluster.available_cores()
    one = cluster.step_speed(1)
    speed = cluster.measure_parallel_speed()
    print(f"## 1. Training speed, one run and {cores} side by side (width-32 DCGAN step, batch 128)\n")
    print(f"- images/s, one run on 1 thread: {one:.0f}")
    for key, value in speed.items():
        print(f"- {key}: {value:.2f}" if key == "gain" else f"- {key}: {value:.0f}")
    threads = {1: one, cores: speed[f"images/s, one run on {cores} threads"]}
    print(f"\nplan for `scheduler=\"local\"` here, from this measurement: {cluster.describe_plan(speed['gain'])}\n")
    print(f"## 2. One stage cold: Q1's 13 report runs, each {args.epochs} epoch(s) of {10 * args.per_class:,} images, "
          f"{cluster.available_cores()} cores\n")
    wall = stage_cold(args.epochs, args.per_class)
    print(f"- in-process ({torch.get_num_threads()} threads, one run after another): {wall['in-process']:.0f} s")
    print(f"- LocalCluster ({cluster.available_cores()} workers x 1 thread): {wall['cluster']:.0f} s")
    print(f"- cluster / in-process: {wall['cluster'] / wall['in-process']:.2f}"
          f" ({wall['runs']} runs, {wall['distinct runs']} distinct: on a machine without native bf16 the"
          " 'fp32' variant is the baseline itself and trains once)\n")
    print("## 3. The report's cold re-execution, predicted for more cores\n")
    if not (cache_dir / "stages.jsonl").exists() or "finished" not in args.times.read_text():
        print(f"Not predicted: no cold re-execution has been recorded yet ({cache_dir / 'stages.jsonl'} and chapter "
              f"times with finish times in {args.times}, from `make time-report` with the chapters on train_many).")
        return
    print(f"From {args.times} and the stages recorded in {cache_dir / 'stages.jsonl'}. Assumptions: one run per "
          "single-threaded worker, each core as fast as one core here; a stage's runs spread longest first over "
          "the workers (a stage never takes less than its longest run: the floor); the rest of each chapter "
          "(evaluation, plots, Q4's small classifier fits) stays serial and takes what it took here.\n")
    for line in predict(cache_dir, args.times, threads):
        print(line)


if __name__ == "__main__":
    main()
