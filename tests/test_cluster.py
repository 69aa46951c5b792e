"""Training on a Dask cluster (ganutils.cluster) and the cached evaluations (ganutils.evaluation)."""

import json
import os
import signal
import threading
import time
import warnings

import pytest
import torch

from ganutils import cache, cluster, evaluation, experiments, metrics
from ganutils.cache import DamagedFileWarning
from ganutils.classifier import ClassifierConfig, train_classifier
from ganutils.models import Classifier
from ganutils.train import GanConfig, train

TINY = GanConfig(width_g=8, width_d=8, epochs=2, n_per_class=20, batch_size=32, seed=3)
TINY_CLASSIFIER = ClassifierConfig(epochs=1, n_train=500, batch_size=64, width=8)


@pytest.fixture(scope="module")
def dask_client():
    with cluster.local_cluster(2) as client:
        yield client


def test_a_local_dask_cluster_leaves_the_environment_of_later_processes_alone():
    """distributed's nanny writes OMP_NUM_THREADS=1 into its parent's environment: a subprocess started
    after a LocalCluster (a notebook kernel, a resumed run) trained on one thread and gave other weights."""
    before = dict(os.environ)
    with cluster.local_cluster(1) as client:
        assert client.run(lambda: os.environ.get("OMP_NUM_THREADS")) != {}  # the worker itself is up
        assert dict(os.environ) == before
    assert dict(os.environ) == before


def _same_weights(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), name


@pytest.fixture
def one_thread():
    """In-process training on the one thread a run gets on a Dask worker started by a nanny."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_local_dask_cluster_with_two_workers_matches_in_process_training(dask_client, isolated_runs, monkeypatch,
                                                                        one_thread):
    configs = {"dcgan": TINY, "cgan": TINY.replace(n_classes=10, conditioning="projection", seed=4),
               "classifier": TINY_CLASSIFIER}
    on_workers = cluster.train_many(configs, scheduler=dask_client, progress=False)
    monkeypatch.setenv("GANUTILS_RUNS", str(isolated_runs.parent / "in-process"))
    for name in ("dcgan", "cgan"):
        here = train(configs[name], progress=False)
        assert on_workers[name].history == here.history
        _same_weights(on_workers[name].generator_package["state_dict"], here.generator_package["state_dict"])
        assert on_workers[name].directory.endswith(os.path.basename(here.directory))  # same key
    _same_weights(on_workers["classifier"].package["state_dict"], train_classifier(TINY_CLASSIFIER, False).package["state_dict"])


def test_worker_killed_mid_run_is_resumed_from_its_checkpoint_and_finishes(dask_client, isolated_runs, monkeypatch,
                                                                          one_thread):
    config = TINY.replace(epochs=4, n_per_class=100, seed=7)
    progress_file = cache.run_dir("gan", config) / "progress.json"
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(runs=cluster.train_many({"run": config}, dask_client, False)))
    thread.start()
    deadline = time.time() + 120
    while not progress_file.exists() and thread.is_alive() and time.time() < deadline:
        time.sleep(0.01)
    busy = [address for address, tasks in dask_client.processing().items() if tasks]
    assert busy and progress_file.exists(), "the run finished (or never started) before a worker could be killed"
    pid = dask_client.run(os.getpid, workers=busy)[busy[0]]
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=300)
    assert not thread.is_alive() and "runs" in outcome
    result = cache.load_result(cache.run_dir("gan", config))
    assert result["resumed"] and result["resumed"][0] >= 1, "the rerun trained from scratch instead of resuming"
    assert len(outcome["runs"]["run"].history["loss_d"]) == 4 * (1000 // 32)
    # resumed on a worker, the run ends where an uninterrupted one does
    monkeypatch.setenv("GANUTILS_RUNS", str(isolated_runs.parent / "uninterrupted"))
    _same_weights(outcome["runs"]["run"].generator_package["state_dict"],
                  train(config, progress=False).generator_package["state_dict"])


def test_dask_scheduler_address_sends_the_runs_to_that_cluster(dask_client, monkeypatch, isolated_runs):
    monkeypatch.setenv("GANUTILS_SCHEDULER", dask_client.scheduler.address)  # as the README's commands set it
    runs = cluster.train_many({"run": TINY.replace(seed=11)}, progress=False)
    (stage,) = [json.loads(line) for line in (isolated_runs / "stages.jsonl").read_text().splitlines()]
    assert stage["where"].startswith("Dask cluster, 2 workers") and stage["runs"] == [os.path.basename(runs["run"].directory)]


def test_duplicate_submissions_to_the_cluster_train_once(monkeypatch, isolated_runs):
    submitted = []
    original = cluster._train_pending
    monkeypatch.setattr(cluster, "_train_pending",
                        lambda pending, scheduler, progress: (submitted.append(pending), original(pending, scheduler, progress)))
    runs = cluster.train_many({"a": TINY, "b": TINY.replace(), "c": TINY.replace(seed=5)}, "in-process", False)
    assert [len(p) for p in submitted] == [2]
    assert runs["a"].directory == runs["b"].directory and runs["a"].history == runs["b"].history
    assert len(list(isolated_runs.glob("gan-*"))) == 2
    cluster.train_many({"again": TINY}, "in-process", False)  # cached: nothing is submitted
    assert len(submitted) == 1


def test_a_stage_starts_its_longest_runs_first(monkeypatch, isolated_runs):
    """Longest-processing-time first: the costliest runs start first, so no long run is left training alone
    on one worker while the others idle at the end of a stage."""
    short, wide, long_ = TINY.replace(seed=1), TINY.replace(seed=2, width_g=2 * TINY.width_g), TINY.replace(seed=3, epochs=3 * TINY.epochs)
    assert cluster.cost(wide) > cluster.cost(short) and cluster.cost(long_) == 3 * cluster.cost(short)
    assert cluster.cost(TINY.replace(d_steps=2)) > cluster.cost(TINY)  # D's work counts once per D step
    assert cluster.longest_first([short, wide, long_]) == sorted([short, wide, long_], key=cluster.cost, reverse=True)
    submitted = []
    monkeypatch.setattr(cluster, "_train_pending", lambda pending, scheduler, progress: submitted.append(pending) or "nowhere")
    monkeypatch.setattr(cluster, "_load", lambda config, progress=False: config)
    cluster.train_many({"short": short, "wide": wide, "long": long_}, "in-process", False)
    assert submitted == [cluster.longest_first([short, wide, long_])]


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense", "tcp://:8786", "http://host:8786"])
def test_bad_scheduler_address_fails_at_once_naming_the_cluster_variable(monkeypatch, address):
    monkeypatch.setenv("GANUTILS_SCHEDULER", address)
    started = time.perf_counter()
    with pytest.raises(ValueError, match="GANUTILS_SCHEDULER.*" + "local.*in-process.*tcp://host:8786"):
        cluster.train_many({"run": TINY}, progress=False)
    assert time.perf_counter() - started < 6
    assert not any(cache.runs_root().glob("gan-*")), "nothing may train before the address is checked"
    with pytest.raises(ValueError, match="GANUTILS_SCHEDULER"):  # a chapter checks it before any work
        experiments.start_chapter({"profile": "smoke", "seeds": 1, "progress": False, "publish": False,
                                   "scheduler": None})


def test_cluster_plan_uses_in_process_training_where_workers_would_not_pay(monkeypatch):
    monkeypatch.setattr(cluster, "available_cores", lambda: 16)
    monkeypatch.setattr(cluster, "parallel_gain", lambda: 1.5)
    big = GanConfig(epochs=4, width_g=32, width_d=32)
    assert cluster.plan_local([big]) == (1, 16)  # one run: in-process, with every core
    assert cluster.plan_local([TINY, TINY.replace(seed=1)]) == (1, 16)  # too little work to start workers
    assert cluster.plan_local([big.replace(seed=s) for s in range(20)]) == (16, 1)  # one single-threaded run a core
    assert cluster.plan_local([big.replace(seed=s) for s in range(4)]) == (4, 4)  # fewer runs than cores
    monkeypatch.setattr(cluster, "parallel_gain", lambda: 0.9)  # runs side by side slower: in-process
    assert cluster.plan_local([big.replace(seed=s) for s in range(20)]) == (1, 16)
    monkeypatch.setattr(cluster, "available_cores", lambda: 1)
    assert cluster.plan_local([big.replace(seed=s) for s in range(20)]) == (1, 1)


def test_parallel_gain_for_the_cluster_plan_is_measured_once_per_run_cache(monkeypatch, isolated_runs):
    calls = []
    monkeypatch.setattr(cluster, "measure_parallel_speed", lambda: calls.append(1) or {"gain": 1.4})
    assert cluster.parallel_gain() == cluster.parallel_gain() == 1.4
    assert len(calls) == 1 and (isolated_runs / "threads.json").exists()


def test_worker_speed_measurement_runs_single_threaded_runs_side_by_side():
    measured = cluster.measure_parallel_speed()
    cores = cluster.available_cores()
    assert measured[f"images/s, {cores} single-threaded runs at once"] > 0
    assert measured["gain"] == pytest.approx(measured[f"images/s, {cores} single-threaded runs at once"]
                                             / measured[f"images/s, one run on {cores} threads"])


# --- cached evaluations --------------------------------------------------------------------------------

def _count_predictions(monkeypatch) -> list:
    calls = []
    original = evaluation.predict
    monkeypatch.setattr(evaluation, "predict", lambda model, x: calls.append(len(x)) or original(model, x))
    return calls


def test_metric_cache_for_cluster_runs_hits_and_is_invalidated_by_what_it_depends_on(monkeypatch):
    calls = _count_predictions(monkeypatch)
    generator = train(TINY.replace(n_classes=10), progress=False).generator
    torch.manual_seed(0)
    classifier = Classifier(width=8).eval()
    labels = torch.arange(10).repeat(20)
    first = evaluation.classify_samples(generator, classifier, labels=labels, seed=1)
    again = evaluation.classify_samples(generator, classifier, labels=labels, seed=1)
    assert calls == [200] and all(torch.equal(a, b) for a, b in zip(first, again))  # a hit: nothing recomputed
    from ganutils.classifier import predict

    assert all(torch.equal(a, b) for a, b in zip(first, predict(classifier, generator.generate(labels=labels, seed=1))))
    evaluation.classify_samples(generator, classifier, labels=labels, seed=2)  # another seed
    evaluation.classify_samples(generator, classifier, labels=labels[:100], seed=1)  # another sample count
    with torch.no_grad():
        next(classifier.parameters()).add_(0.01)  # another classifier
    evaluation.classify_samples(generator, classifier, labels=labels, seed=1)
    assert calls == [200, 200, 100, 200]


def test_metric_cache_of_real_images_and_of_all_metrics_hits_and_misses(monkeypatch):
    calls = _count_predictions(monkeypatch)
    torch.manual_seed(0)
    classifier = Classifier(width=8).eval()
    images = torch.rand(300, 1, 28, 28) * 2 - 1
    logits, features = evaluation.classify(classifier, images)
    evaluation.classify(classifier, images.clone())
    evaluation.classify(classifier, images.flip(0))
    assert calls == [300, 300]
    reference = metrics.Reference.of(features[:150])
    computed = []
    original = metrics.all_metrics
    monkeypatch.setattr(metrics, "all_metrics", lambda *a: computed.append(1) or original(*a))
    row = evaluation.all_metrics(logits[150:], features[150:], reference)
    assert evaluation.all_metrics(logits[150:], features[150:], reference) == pytest.approx(row, nan_ok=True)
    evaluation.all_metrics(logits[150:], features[150:], reference, logits[150:].argmax(1))
    assert len(computed) == 2


def test_damaged_metric_cache_entry_is_reported_and_recomputed(monkeypatch, isolated_runs):
    torch.manual_seed(0)
    classifier = Classifier(width=8).eval()
    images = torch.rand(50, 1, 28, 28) * 2 - 1
    expected = evaluation.classify(classifier, images)
    (entry,) = isolated_runs.glob("eval-*/result.pt")
    entry.write_bytes(entry.read_bytes()[:100])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = evaluation.classify(classifier, images)
    assert any(issubclass(w.category, DamagedFileWarning) for w in caught)
    assert all(torch.equal(a, b) for a, b in zip(expected, again))


def test_metric_cache_keys_digest_values_and_structure():
    from ganutils.io import digest

    x = torch.arange(6.0)
    assert digest(x) == digest(x.clone()) != digest(x.to(torch.float64)) != digest(x.view(2, 3))
    assert digest({"a": x, "b": [1, None]}) == digest({"b": [1, None], "a": x.clone()})
    assert digest([x, 1]) != digest([x, 2]) and digest(1) != digest(1.0) and digest("1") != digest(1)
    assert digest(metrics.Reference.of(torch.randn(20, 3, generator=torch.Generator().manual_seed(0)))) == digest(
        metrics.Reference.of(torch.randn(20, 3, generator=torch.Generator().manual_seed(0))))
    with pytest.raises(TypeError):
        digest(object())  # no silent fallback for a value it cannot describe
