"""Many runs at once: a chapter's independent runs trained on a Dask cluster.

`train_many({name: config})` returns every run (a `GanRun` or `ClassifierRun` per name) and trains
only those that the run cache lacks. Where they train is the `scheduler` argument or else the environment
variable GANUTILS_SCHEDULER:

  "local" (default)  a `LocalCluster` on this machine, one single-threaded run per core, where that was
                     measured to train faster than one run on every thread (`plan_local`); else, or when
                     the work would not repay the cluster's start-up, plain in-process training
  "in-process"       no Dask: one run after another in this process
  "tcp://host:8786"  an existing Dask cluster whose workers see the same run cache directory

Nothing but the wall time changes. A worker trains with the same `train` the notebook would call, so a
run has the same key, writes the same checkpoints under the same file lock, and has the same weights
for the same number of threads; the notebook then reads every result from the run cache, which stays
the single source of truth. A worker killed mid-run leaves its last checkpoint: Dask reruns the task on
another worker and it resumes there. A config submitted twice (under two names, or by two chapters at
once) trains once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

import torch
from filelock import FileLock
from tqdm import tqdm

from ganutils import cache
from ganutils.classifier import ClassifierConfig, ClassifierRun, train_classifier
from ganutils.device import default_device, describe_machine
from ganutils.models import Discriminator, Generator
from ganutils.train import GanConfig, GanRun, gan_step, train

SCHEDULER_ENV = "GANUTILS_SCHEDULER"
SCHEDULERS = ("local", "in-process")  # or a scheduler address, tcp://host:port
MIN_CLUSTER_IMAGES = 200_000  # images (epochs x training set) below which a LocalCluster's start-up does not pay
MIN_PARALLEL_GAIN = 1.1  # single-threaded runs side by side must beat one run on every thread by this much

Config = GanConfig | ClassifierConfig
Run = GanRun | ClassifierRun


def resolve_scheduler(scheduler: str | None = None) -> str:
    """`scheduler`, else GANUTILS_SCHEDULER, else "local"; an address is checked for a listening scheduler.

    Fails at once, naming GANUTILS_SCHEDULER and the allowed values, on anything else."""
    value = scheduler if scheduler is not None else os.environ.get(SCHEDULER_ENV, "local")
    allowed = f"one of {SCHEDULERS} or a Dask scheduler address such as tcp://host:8786"
    if value in SCHEDULERS:
        return value
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("tcp", "tls") or not parts.hostname or not _port(parts):
        raise ValueError(f"{SCHEDULER_ENV} (or the scheduler argument) = {value!r} is not allowed: "
                         f"it must be {allowed}")
    try:
        socket.create_connection((parts.hostname, _port(parts)), timeout=5).close()
    except OSError as e:
        raise ValueError(f"{SCHEDULER_ENV} (or the scheduler argument) = {value!r}: no Dask scheduler "
                         f"answers there ({e}); start one (`dask scheduler`) or use {allowed}") from None
    return value


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def _kind(config: Config) -> str:
    if isinstance(config, GanConfig):
        return "gan"
    if isinstance(config, ClassifierConfig):
        return "classifier"
    raise TypeError(f"train_many takes GanConfig or ClassifierConfig values, got {type(config).__name__}")


def _load(config: Config, progress: bool = False) -> Run:
    return train(config, progress=progress) if isinstance(config, GanConfig) else train_classifier(config, progress)


def _images(config: Config) -> int:
    """Training images a run processes: its share of the work."""
    if isinstance(config, GanConfig):
        return config.epochs * (60_000 if config.n_per_class is None else 10 * config.n_per_class)
    return config.epochs * (config.n_train or 60_000)


def cost(config: Config) -> float:
    """A run's relative training cost: images processed times the convolution work per image, which grows
    with the square of each network's width (D's counted once per D step)."""
    if isinstance(config, GanConfig):
        return _images(config) * (config.width_g ** 2 + config.d_steps * config.width_d ** 2)
    return _images(config) * config.width ** 2


def longest_first(pending: list[Config]) -> list[Config]:
    """`pending` ordered by decreasing cost: started first, the longest runs no longer finish alone on one
    worker while the others idle at the end of a stage (longest-processing-time-first scheduling)."""
    return sorted(pending, key=cost, reverse=True)


def train_many(configs: Mapping[str, Config], scheduler=None, progress: bool = True) -> dict[str, Run]:
    """Every run in `configs` (name -> GanConfig or ClassifierConfig), training the uncached ones where
    `scheduler` says (see the module docstring; a `distributed.Client` is accepted too)."""
    kinds = {name: _kind(config) for name, config in configs.items()}
    pending: dict[str, Config] = {}  # run directory -> config, each config once however often it is named
    for name, config in configs.items():
        directory = cache.run_dir(kinds[name], config)
        if not cache.is_finished(directory):
            pending.setdefault(str(directory), config)
    if pending:
        started = time.perf_counter()
        where = _train_pending(longest_first(list(pending.values())), scheduler, progress)
        _log_stage(list(pending), where, time.perf_counter() - started)
    return {name: _load(config) for name, config in configs.items()}


def _log_stage(directories: list[str], where: str, seconds: float) -> None:
    """Append what a call trained, where and in how long to `stages.jsonl` in the run cache: the record
    bench/scaling.py predicts other core counts from."""
    record = {"finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "where": where,
              "wall s": round(seconds, 1), "runs": [os.path.basename(d) for d in directories]}
    path = cache.runs_root() / "stages.jsonl"
    with FileLock(str(path) + ".lock"), open(path, "a") as f:
        f.write(json.dumps(record) + "\n")


def _train_pending(pending: list[Config], scheduler, progress: bool) -> str:
    """Train `pending`; returns where, in words."""
    local_workers = None
    if scheduler is None or isinstance(scheduler, str):
        scheduler = resolve_scheduler(scheduler)
        if scheduler == "local":
            local_workers, _ = plan_local(pending)
            if local_workers == 1:
                scheduler = "in-process"
    if scheduler == "in-process":
        for config in pending:
            _load(config, progress)
        return f"in-process, {torch.get_num_threads()} threads"
    from distributed import as_completed

    cache.runs_root().mkdir(parents=True, exist_ok=True)  # workers check that they see it
    with _client(scheduler, local_workers) as (client, threads_per_run):
        futures = {client.submit(train_on_worker, config, str(cache.runs_root()), threads_per_run,
                                 key=f"train-{_kind(config)}-{cache.config_key(config)}", pure=False,
                                 priority=len(pending) - rank): config  # Dask starts higher priorities first
                   for rank, config in enumerate(pending)}
        bar = tqdm(total=len(futures), desc=f"runs on {len(client.scheduler_info()['workers'])} Dask workers",
                   unit="run", disable=not progress)
        for future in as_completed(futures):
            try:
                future.result()
            except Exception as e:
                e.add_note(f"while training {_kind(futures[future])} config {cache.config_key(futures[future])} "
                           f"on a Dask worker")
                raise
            bar.update()
        bar.close()
        workers = client.scheduler_info()["workers"]
        return (f"{'local' if scheduler == 'local' else 'Dask'} cluster, {len(workers)} workers, "
                f"{threads_per_run or 'their own'} thread(s) a run")


@contextlib.contextmanager
def _client(scheduler, local_workers: int | None) -> Iterator[tuple[object, int | None]]:
    """(a Dask client, torch threads per run: None keeps each worker's own setting)."""
    from distributed import Client

    if not isinstance(scheduler, str):  # a Client made by the caller
        yield scheduler, None
        return
    if scheduler != "local":
        with Client(scheduler, timeout="10s") as client:
            yield client, None
        return
    with local_cluster(local_workers) as client:
        yield client, max(1, available_cores() // local_workers)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[object]:
    """A Dask client of a `LocalCluster` of `workers` single-threaded worker processes, which leaves this
    process's environment as it found it: distributed's nanny sets OMP_NUM_THREADS=1 (and the MKL, OpenBLAS
    and malloc variables) in the *parent's* `os.environ` before it spawns a worker, so every process started
    afterwards (a notebook kernel, a test's subprocess) would silently train on one thread."""
    from distributed import Client, LocalCluster

    environ = dict(os.environ)
    try:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            _restore_environ(environ)
            yield client
    finally:
        _restore_environ(environ)


def _restore_environ(environ: dict[str, str]) -> None:
    for name in set(os.environ) - set(environ):
        del os.environ[name]
    os.environ.update(environ)


def train_on_worker(config: Config, runs: str, threads: int | None) -> str:
    """Train `config` into the run cache `runs` (it must be the notebook's); returns the run's key."""
    if not os.path.isdir(runs):
        raise RuntimeError(f"this worker ({socket.gethostname()}) cannot see the run cache {runs}: start "
                           f"workers where the notebook's GANUTILS_RUNS directory is mounted at the same path")
    os.environ["GANUTILS_RUNS"] = runs
    _relax_malloc_trim()
    if threads:
        torch.set_num_threads(threads)
    # else the worker's own setting: one thread per task slot, as Dask's nanny sets OMP_NUM_THREADS=1
    _load(config)
    return cache.config_key(config)


def _relax_malloc_trim() -> None:
    """Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also switches off glibc's adaptive
    mmap threshold: every tensor above 128 KB is then mapped and unmapped anew, and a training run on a worker
    took twice as long as in a plain process (8.8 s against 4.6 s, measured). Restore roomy thresholds
    (Linux/glibc only; elsewhere nothing happens)."""
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD: glibc's adaptive ceiling on 64-bit
        libc.mallopt(-1, 64 * 1024 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def plan_local(pending: list[Config]) -> tuple[int, int]:
    """(workers, torch threads per worker) for a LocalCluster training `pending`.

    One single-threaded run per core when that trains more images per second in all than one run on every
    thread (measured, `parallel_gain`, with a 10% margin for the cluster's own costs); never more workers
    than runs; one worker (in-process training) otherwise, or when the machine has a single core, there is
    one run, or the runs together process fewer than MIN_CLUSTER_IMAGES images."""
    cores = available_cores()
    if cores == 1 or len(pending) == 1 or sum(_images(c) for c in pending) < MIN_CLUSTER_IMAGES:
        return 1, cores
    if parallel_gain() < MIN_PARALLEL_GAIN:
        return 1, cores
    workers = min(len(pending), cores)
    return workers, max(1, cores // workers)


def describe_plan(gain: float | None = None) -> str:
    """What `scheduler="local"` does on this machine, in words (for timing reports); `gain` replaces the run
    cache's measurement."""
    chosen = os.environ.get(SCHEDULER_ENV, "local")
    if chosen != "local":
        return f"{SCHEDULER_ENV}={chosen}: runs train there"
    cores, gain = available_cores(), parallel_gain() if gain is None else gain
    layout = (f"on a Dask LocalCluster of up to {cores} single-threaded workers" if gain >= MIN_PARALLEL_GAIN
              and cores > 1 else "one after another, in-process, on every thread")
    return (f"{cores} cores; {cores} single-threaded runs at once train {gain:.2f}x the images per second of one "
            f"run on {cores} threads, so uncached runs train {layout} (in-process whenever fewer than "
            f"{MIN_CLUSTER_IMAGES:,} training images are pending)")


def parallel_gain() -> float:
    """Images per second of one single-threaded run per core, all at once, over one run on every thread;
    measured once per machine and run cache (`threads.json` there)."""
    machine = json.dumps(describe_machine() | {"cores": available_cores()}, sort_keys=True)
    return cache.remember("threads", machine, measure_parallel_speed)["gain"]


def step_speed(threads: int, seconds: float = 3.0) -> float:
    """Images per second of width-32 DCGAN training steps (batch 128, this machine's precision) on `threads`
    threads, over about `seconds` after a warm-up."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return _timed_steps(seconds)
    finally:
        torch.set_num_threads(previous)


def _timed_steps(seconds: float) -> float:
    config = GanConfig(width_g=32, width_d=32)
    device = default_device()
    torch.manual_seed(0)
    G, D = Generator(**config.generator_kwargs()).to(device), Discriminator(**config.discriminator_kwargs()).to(device)
    opt_g, opt_d = (torch.optim.Adam(m.parameters(), 2e-4, betas=(0.5, 0.999), foreach=True) for m in (G, D))
    x, z = torch.randn(128, 1, 28, 28, device=device), torch.randn(128, config.z_dim, device=device)
    for _ in range(3):
        gan_step(G, D, opt_g, opt_d, config, x, None, z, None)
    steps, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        gan_step(G, D, opt_g, opt_d, config, x, None, z, None)
        steps += 1
    return 128 * steps / (time.perf_counter() - started)


def measure_parallel_speed() -> dict[str, float]:
    """One run on every core's thread against one single-threaded run per core, all at once (separate
    processes, as on a LocalCluster): what `plan_local` decides between."""
    import multiprocessing

    cores = available_cores()
    together = step_speed(cores)
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        apart = sum(pool.map(step_speed, [1] * cores))
    return {f"images/s, one run on {cores} threads": together,
            f"images/s, {cores} single-threaded runs at once": apart, "gain": apart / together}
