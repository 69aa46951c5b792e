import copy
import dataclasses
import math
import warnings

import pytest
import torch
import torch.nn.functional as F

from ganutils import cache, data
from ganutils.cache import DamagedFileWarning
from ganutils.classifier import ClassifierConfig, train_classifier
from ganutils.data import load_mnist
from ganutils.models import Discriminator, Generator, latent_code
from ganutils.train import ConfigError, GanConfig, d_loss, g_loss, gan_step, r1_penalty, train

TINY = GanConfig(width_g=8, width_d=8, epochs=2, n_per_class=20, batch_size=32, seed=3)


@pytest.mark.parametrize("field,value,allowed", [
    ("epochs", -1, "positive integer"),
    ("epochs", 0, "positive integer"),
    ("loss", "wasserstein", "one of ('nonsaturating', 'saturating')"),
    ("norm_g", "layer", "one of ('none', 'batch', 'virtual')"),
    ("norm_d", "group", "one of ('none', 'batch', 'virtual')"),
    ("real_label", 0.3, "(0.5, 1.0]"),
    ("d_steps", 0, "positive integer"),
    ("lr_g", 0.0, "(0, 1)"),
    ("n_classes", 7, "0 (unconditional) or 10"),
    ("conditioning", "film", "one of ('concat', 'projection', 'cbn')"),
    ("n_per_class", 0, "positive integer"),
    ("batch_size", 2.5, "positive integer"),
    ("class_loss", "hinge", "one of ('none', 'auxiliary', 'frozen')"),
    ("class_loss", "auxiliary", "'none' for an unconditional GAN"),
    ("class_weight", 0, "a weight in (0, 100]"),
    ("frozen_classifier", ClassifierConfig(), "a ClassifierConfig when class_loss='frozen', else None"),
    ("codes", 1, "0 (no code) or an integer in 2..100"),
    ("codes", True, "0 (no code) or an integer in 2..100"),
    ("code_weight", -1.0, "a weight in (0, 100]"),
    ("clusters", 1, "0 (none) or an integer in 2..100"),
    ("clusters", 101, "0 (none) or an integer in 2..100"),
    ("r1", -1.0, "a weight in [0, 1000] (0 = no R1 penalty)"),
    ("r1", True, "a weight in [0, 1000] (0 = no R1 penalty)"),
    ("minibatch_std", 1, "True or False"),
])
def test_bad_config_names_parameter_and_allowed_values(field, value, allowed):
    with pytest.raises(ConfigError) as info:
        GanConfig(**{field: value})
    assert field in str(info.value) and allowed in str(info.value)


def test_frozen_class_loss_needs_a_classifier_config():
    with pytest.raises(ConfigError, match="frozen_classifier=None is not allowed"):
        GanConfig(n_classes=10, class_loss="frozen")


def test_added_options_leave_earlier_run_keys_unchanged():
    # the key of a config that does not use the class-loss options is what it was before they existed
    before = {k: v for k, v in dataclasses.asdict(TINY).items()
              if k not in ("class_loss", "class_weight", "frozen_classifier", "ema", "snapshots", "codes", "code_weight",
                           "r1", "minibatch_std", "clusters")}
    assert cache.config_key(TINY) == cache.config_key(before)
    conditional = TINY.replace(n_classes=10)
    assert cache.config_key(conditional.replace(class_loss="auxiliary")) != cache.config_key(conditional)
    assert cache.config_key(conditional.replace(class_loss="auxiliary", class_weight=0.5)) != cache.config_key(
        conditional.replace(class_loss="auxiliary"))


def _steps_with_class_loss(config, classifier=None, steps=60):
    """`steps` calls of the loop's own gan_step on real digits; returns G, D."""
    torch.manual_seed(0)
    G, D = Generator(**config.generator_kwargs()), Discriminator(**config.discriminator_kwargs())
    opt_g, opt_d = (torch.optim.Adam(m.parameters(), 2e-4, betas=(0.5, 0.999)) for m in (G, D))
    x, y = load_mnist(train=True)
    for i in range(steps):
        idx = torch.arange(i * 32, (i + 1) * 32)
        gan_step(G, D, opt_g, opt_d, config, x[idx], y[idx], torch.randn(32, config.z_dim), y[idx].roll(1),
                 classifier=classifier)
    return G, D


def test_class_losses_act_on_the_player_they_name():
    """The frozen classifier's loss makes G's digits more readable as the requested label than
    the same steps without it; the auxiliary head learns to classify real digits."""
    judge_config = ClassifierConfig(epochs=1, n_train=2000, batch_size=64)
    judge = train_classifier(judge_config, progress=False).model.eval().requires_grad_(False)
    base = GanConfig(width_g=16, width_d=16, n_classes=10, conditioning="projection", batch_size=32)
    labels = torch.arange(10).repeat_interleave(20)
    z = torch.randn(len(labels), base.z_dim, generator=torch.Generator().manual_seed(1))

    def judged_loss(G):
        with torch.no_grad():
            return F.cross_entropy(judge(G.eval()(z, labels)), labels).item()

    plain, _ = _steps_with_class_loss(base)
    frozen, _ = _steps_with_class_loss(base.replace(class_loss="frozen", class_weight=10.0,
                                                    frozen_classifier=judge_config), classifier=judge)
    assert judged_loss(frozen) < 0.8 * judged_loss(plain)

    _, D = _steps_with_class_loss(base.replace(class_loss="auxiliary"))
    x, y = load_mnist(train=False)
    with torch.no_grad():
        _, classes = D.eval()(x[:500], y[:500], with_classes=True)
    assert (classes.argmax(1) == y[:500]).float().mean() > 0.3  # chance is 0.1


def test_infogan_code_is_learned_by_q_and_used_by_g():
    """After the loop's own steps with an InfoGAN code, D's Q head reads G's code from G's images far
    above chance: G draws the ten codes differently and Q tells them apart (without the code loss the
    head would have no reason to, so this fails if either player ignores the term)."""
    with pytest.raises(ConfigError, match="codes=10 is not allowed: codes must be 0 for a class-conditional GAN"):
        GanConfig(n_classes=10, codes=10)
    config = GanConfig(width_g=16, width_d=16, batch_size=32, codes=10)
    G, D = _steps_with_class_loss(config, steps=100)
    z = torch.randn(500, config.z_dim, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        _, codes = D.eval()(G.eval()(z), with_classes=True)
    assert (codes.argmax(1) == latent_code(z, 10)).float().mean() > 0.3  # chance is 0.1 (measured: 0.48)
    assert GanConfig(codes=10).generator_kwargs()["codes"] == 10 and "codes" not in GanConfig().generator_kwargs()


def test_r1_penalty_is_the_squared_input_gradient_of_d():
    """For a linear D(x) = <w, x> every image's gradient is w, so the penalty is ||w||^2 whatever the batch."""
    w = torch.randn(1, 28, 28, generator=torch.Generator().manual_seed(0))
    x = torch.randn(5, 1, 28, 28, requires_grad=True)
    assert r1_penalty((x * w).flatten(1).sum(1), x).item() == pytest.approx(w.square().sum().item(), rel=1e-5)
    with pytest.raises(ConfigError, match="minibatch_std=True is not allowed: minibatch_std must be False when norm_d"):
        GanConfig(norm_d="virtual", minibatch_std=True)


def test_r1_adds_gamma_half_its_gradient_to_ds_update():
    """One D step of the loop with plain SGD (lr 1, so a parameter moves by minus its gradient): with
    r1 = gamma the step differs from the same step without it by exactly gamma/2 times R1's own gradient,
    computed here independently (a missing, halved or sign-flipped term fails this)."""
    config = GanConfig(width_g=8, width_d=8, batch_size=16, norm_d="none", precision="fp32")
    torch.manual_seed(0)
    G, D = Generator(**config.generator_kwargs()), Discriminator(**config.discriminator_kwargs())
    x, z = load_mnist(train=False)[0][:16], torch.randn(16, config.z_dim)

    def d_gradient(gamma: float) -> list[torch.Tensor]:
        moved = copy.deepcopy(D)
        gan_step(G, moved, None, torch.optim.SGD(moved.parameters(), lr=1.0), config.replace(r1=gamma), x, None, z,
                 None, g_step=False)
        return [before - after for before, after in zip(D.parameters(), moved.parameters())]

    x_grad = x.clone().requires_grad_(True)
    expected = torch.autograd.grad(50.0 / 2 * r1_penalty(D(x_grad), x_grad), list(D.parameters()), allow_unused=True)
    expected = [torch.zeros_like(p) if e is None else e for p, e in zip(D.parameters(), expected)]
    assert max(e.abs().max() for e in expected) > 1e-3  # large enough that a missing term would show
    for with_r1, without, e in zip(d_gradient(50.0), d_gradient(0.0), expected):
        torch.testing.assert_close(with_r1 - without, e, atol=1e-5, rtol=1e-3)


def test_a_self_conditioned_gan_trains_on_clusters_never_on_digits(monkeypatch):
    """D sees each real image with its pixel cluster and each fake with the cluster G read from its noise;
    the published generator is unconditional and carries the training images' cluster shares."""
    for bad, message in [(dict(n_classes=10), "clusters must be 0 for a class-conditional GAN"),
                         (dict(codes=10), "clusters must be 0 for a class-conditional GAN or one with an InfoGAN"),
                         (dict(conditioning="cbn"), "conditioning must be 'concat' or 'projection' with clusters")]:
        with pytest.raises(ConfigError, match=message):
            GanConfig(clusters=5, **bad)
    config = TINY.replace(clusters=5, conditioning="projection", epochs=1)
    x, y = load_mnist(train=True)
    subset = x[data.subset_per_class(y, config.n_per_class, seed=config.seed)]
    clusters = data.pixel_clusters(subset, 5, seed=config.seed)
    seen = []
    original = Discriminator.forward

    def recording(self, images, labels=None, with_classes=False):
        seen.append((images.detach(), labels))
        return original(self, images, labels, with_classes)

    monkeypatch.setattr(Discriminator, "forward", recording)
    G = train(config, progress=False).generator
    monkeypatch.undo()
    assert not G.conditional
    shares = torch.bincount(clusters, minlength=5) / len(clusters)
    assert torch.allclose(G.model.cluster_cdf, shares.cumsum(0), atol=1e-6)
    real_images, real_labels = seen[0]  # the loop's first D call is on a real batch
    rows = [int((subset.flatten(1) == image.flatten()).all(1).nonzero()[0]) for image in real_images]
    assert torch.equal(real_labels.cpu(), clusters[rows])  # the real batch's clusters, not its digits
    assert seen[1][1] is not None and seen[1][1].max() < 5  # the fakes: clusters too


def test_cbn_needs_batch_norm_in_the_generator():
    with pytest.raises(ConfigError, match="norm_g='virtual' is not allowed: norm_g must be 'batch' when conditioning is 'cbn'"):
        GanConfig(n_classes=10, conditioning="cbn", norm_g="virtual")


def test_replace_rejects_unknown_parameters():
    with pytest.raises(ConfigError, match="unknown GanConfig parameter"):
        TINY.replace(learning_rate=1e-3)


def test_losses_closed_form():
    zero = torch.zeros(4)
    assert g_loss("nonsaturating", zero).item() == pytest.approx(math.log(2))
    assert g_loss("saturating", zero).item() == pytest.approx(-math.log(2))
    assert d_loss(zero, zero).item() == pytest.approx(2 * math.log(2))
    # a confident, correct D: real logit +20, fake -20
    assert d_loss(torch.full((4,), 20.0), torch.full((4,), -20.0)).item() == pytest.approx(0.0, abs=1e-6)
    # with smoothing 0.9 the optimum on real is sigma(l) = 0.9, not 1
    best = torch.logit(torch.tensor(0.9))
    smoothed = lambda logit: d_loss(torch.full((1,), logit), torch.full((1,), -20.0), 0.9).item()
    assert smoothed(best.item()) < smoothed(best.item() + 1) and smoothed(best.item()) < smoothed(best.item() - 1)
    # the saturating loss has a vanishing gradient where D rejects fakes, the non-saturating one does not
    logits = torch.full((1,), -8.0, requires_grad=True)
    g_loss("saturating", logits).backward()
    saturating_grad = logits.grad.abs().item()
    logits.grad = None
    g_loss("nonsaturating", logits).backward()
    assert saturating_grad < 1e-3 < logits.grad.abs().item()


def test_tiny_run_records_history_and_samples():
    run = train(TINY, progress=False)
    steps = 2 * (200 // 32)
    assert len(run.history["loss_d"]) == steps and len(run.history["epoch"]) == steps
    assert run.samples.shape == (2, 100, 1, 28, 28) and run.samples.dtype == torch.uint8
    images = run.generator.generate(n=5, seed=0)
    assert images.shape == (5, 1, 28, 28) and images.abs().max() <= 1


@pytest.mark.parametrize("precision", ["fp32", "bf16"])  # fp32 trains in channels_last (ganutils.device)
def test_snapshots_keep_the_generator_of_every_recorded_epoch(precision):
    run = train(TINY.replace(snapshots=True, precision=precision), progress=False)
    assert sorted(run.snapshot_packages) == [1, 2]
    last, published = run.snapshot_packages[2]["state_dict"], run.generator_package["state_dict"]
    assert all(torch.equal(last[k], published[k]) for k in published)  # the last one is the published generator
    first = run.snapshot_packages[1]["state_dict"]
    assert not all(torch.equal(first[k], last[k]) for k in last)
    assert train(TINY, progress=False).snapshot_packages is None
    assert cache.config_key(TINY.replace(snapshots=True)) != cache.config_key(TINY)
    # a published model records what a run keeps only when set: without snapshots, as before the option
    assert run.publishable()["trained"]["config"]["snapshots"] is True
    assert "snapshots" not in train(TINY, progress=False).publishable()["trained"]["config"]


def test_cache_hit_reuses_the_run(monkeypatch):
    first = train(TINY, progress=False)
    monkeypatch.setattr("ganutils.train._train", lambda *a, **k: pytest.fail("retrained a cached run"))
    second = train(TINY, progress=False)
    assert second.history == first.history
    assert cache.config_key(TINY) != cache.config_key(TINY.replace(seed=4))


def test_damaged_result_is_detected_and_retrained():
    first = train(TINY, progress=False)
    result = cache.run_dir("gan", TINY) / "result.pt"
    blob = bytearray(result.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    result.write_bytes(bytes(blob))
    with pytest.warns(DamagedFileWarning, match="damaged"):
        second = train(TINY, progress=False)
    assert second.history == first.history  # retrained from scratch, deterministically


def _interrupt_after_first_epoch(monkeypatch):
    original = cache.save_checkpoint

    def save_then_die(directory, state, epoch):
        original(directory, state, epoch)
        if epoch == 1:
            raise KeyboardInterrupt("simulated kill after epoch 1")

    monkeypatch.setattr(cache, "save_checkpoint", save_then_die)


@pytest.mark.parametrize("config", [TINY, TINY.replace(ema=0.9)], ids=["plain", "weight average"])
def test_interrupted_run_resumes_to_the_same_weights(monkeypatch, tmp_path, config):
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "uninterrupted"))
    reference = train(config, progress=False)
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "interrupted"))
    with monkeypatch.context() as m:
        _interrupt_after_first_epoch(m)
        with pytest.raises(KeyboardInterrupt):
            train(config, progress=False)
    assert (cache.run_dir("gan", config) / "checkpoint-1.pt").exists()
    resumed = train(config, progress=False)
    assert resumed.history == reference.history
    for name, tensor in reference.generator_package["state_dict"].items():
        assert torch.equal(tensor, resumed.generator_package["state_dict"][name]), name


def test_weight_average_is_published_beside_the_raw_generator():
    run = train(TINY.replace(ema=0.9), progress=False)
    plain = train(TINY, progress=False)
    assert run.history == plain.history  # averaging does not change training
    raw, averaged = run.raw_generator_package["state_dict"], run.generator_package["state_dict"]
    for name, tensor in plain.generator_package["state_dict"].items():
        assert torch.equal(tensor, raw[name]), name
    weight = "project.weight"
    assert not torch.equal(raw[weight], averaged[weight])
    # the average lies between the start of training and the final weights, nearer the end (decay 0.9)
    assert (averaged[weight] - raw[weight]).norm() < 0.5 * raw[weight].norm()
    assert plain.raw_generator_package is None
    assert run.publishable()["trained"]["config"]["ema"] == 0.9


def test_damaged_checkpoint_is_not_used(monkeypatch):
    with monkeypatch.context() as m:
        _interrupt_after_first_epoch(m)
        with pytest.raises(KeyboardInterrupt):
            train(TINY, progress=False)
    checkpoint = cache.run_dir("gan", TINY) / "checkpoint-1.pt"
    checkpoint.write_bytes(checkpoint.read_bytes()[:1000])  # truncated
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = train(TINY, progress=False)
    assert any(issubclass(w.category, DamagedFileWarning) for w in caught)
    assert len(run.history["loss_d"]) == 2 * (200 // 32)


def test_conditional_and_virtual_runs_train():
    run = train(TINY.replace(n_classes=10, conditioning="projection", norm_g="virtual", norm_d="virtual", epochs=1),
                progress=False)
    images = run.generator.generate(labels=[0, 1, 2], seed=0)
    assert images.shape == (3, 1, 28, 28)


def test_diverged_losses_stop_the_run_and_publish_nothing(monkeypatch):
    from ganutils import train as train_module
    from ganutils.train import TrainingDiverged

    monkeypatch.setattr(train_module, "g_loss", lambda kind, logits: logits.mean() * float("nan"))
    with pytest.raises(TrainingDiverged, match="non-finite in epoch 1.*nothing was published"):
        train(TINY, progress=False)
    assert not (cache.run_dir("gan", TINY) / "manifest.json").exists()
    assert not (cache.run_dir("gan", TINY) / "progress.json").exists()


def _train_tiny_in_subprocess(runs: str) -> list[float]:
    import os

    os.environ["GANUTILS_RUNS"] = runs
    return train(TINY, progress=False).history["loss_d"]


def test_two_processes_training_one_config_share_one_result(tmp_path):
    import multiprocessing

    runs = str(tmp_path / "shared-runs")
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        first, second = pool.map(_train_tiny_in_subprocess, [runs, runs])
    assert first == second
    directory = next((tmp_path / "shared-runs").glob("gan-*"))
    assert sorted(p.name for p in directory.iterdir()) == [".lock", "manifest.json", "result.pt"]


def test_sigkill_mid_epoch_then_rerun_matches_an_uninterrupted_run(tmp_path, monkeypatch):
    import os
    import signal
    import subprocess
    import sys
    import time

    config = TINY.replace(epochs=3, n_per_class=60)
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "uninterrupted"))
    reference = train(config, progress=False)

    runs = tmp_path / "killed"
    monkeypatch.setenv("GANUTILS_RUNS", str(runs))
    script = ("from ganutils.train import GanConfig, train\n"
              f"train(GanConfig(**{vars(config)!r}), progress=False)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "GANUTILS_RUNS": str(runs)})
    progress_file = cache.run_dir("gan", config) / "progress.json"
    deadline = time.time() + 120
    while not progress_file.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # into the next epoch
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not (cache.run_dir("gan", config) / "manifest.json").exists()
    resumed = train(config, progress=False)
    assert resumed.history == reference.history
    for name, tensor in reference.generator_package["state_dict"].items():
        assert torch.equal(tensor, resumed.generator_package["state_dict"][name]), name


def test_long_runs_on_few_images_record_a_bounded_number_of_grids():
    from ganutils.train import sample_epochs

    assert sample_epochs(TINY.replace(epochs=6)) == [1, 2, 3, 4, 5, 6]
    long = TINY.replace(epochs=45, n_per_class=4, batch_size=16, d_steps=5)  # 2 D steps an epoch: G steps are rare
    assert len(sample_epochs(long)) <= 23 and sample_epochs(long)[-1] == 45
    run = train(long, progress=False)
    assert run.samples.shape[0] == len(sample_epochs(long))
    assert len(run.history["loss_g"]) == 45 * 2 // 5
