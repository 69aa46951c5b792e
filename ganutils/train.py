"""The GAN training loop: one config, one function, nothing hidden.

`train(GanConfig(...))` returns a finished `GanRun`, from the run cache when
that exact config has been trained before. The loop follows pytorch/examples'
dcgan: per real batch one discriminator step; every `d_steps` discriminator
steps one generator step on the last fake batch. An epoch is one pass of D over
the real data, so `d_steps=5` gives G a fifth of the updates per epoch.

Losses (logits l, sigma the logistic function, softplus(t) = log(1 + e^t)):
  D:                 BCE(l_real, real_label) + BCE(l_fake, 0)
  G, saturating:     mean log(1 - sigma(l_fake)) = -mean softplus(l_fake)   (the minimax game)
  G, nonsaturating:  -mean log sigma(l_fake)      =  mean softplus(-l_fake)
`real_label < 1` is one-sided label smoothing (Salimans et al. 2016).
`ema > 0` also keeps an exponential moving average of G's weights (decay `ema` per G
step, as in Karras et al. 2018 and Yazici et al. 2019); it does not change training,
and the run publishes the averaged generator with the raw one kept beside it.
Self-conditioning (unconditional models, `clusters` = k > 0): the training images' k-means clusters
(`data.pixel_clusters`) replace the labels no unconditional model may see; G reads a cluster from its noise
with the clusters' shares, and D is conditioned on each image's cluster by `conditioning` as on a label.

`r1 = gamma > 0` adds to D's loss the R1 penalty gamma/2 * E ||grad_x D(x)||^2 on real images (Mescheder
et al. 2018): it damps D's slope on the data, the oscillation that keeps a GAN from settling.
`minibatch_std=True` gives D the spread of its features across the batch (`models.Discriminator`).
`snapshots=True` keeps the generator after every recorded epoch (`sample_epochs`), so that a
chapter can follow FID over training and see where more epochs stop helping.

An InfoGAN code (unconditional models, `codes` = k > 0, weight mu = code_weight): G reads a categorical
code c = G.code(z) in 0..k-1 from its noise, D's head Q predicts it, and both D and G add
mu * CE(Q(G(z)), c), the mutual-information bound of Chen et al. 2016 for a uniform categorical code.

A class loss (conditional models only, weight lambda = class_weight, CE = cross-entropy):
  "auxiliary"  AC-GAN (Odena et al. 2017): D gets a class head c(x);
               D adds lambda * [CE(c(x_real), y) + CE(c(G(z, y)), y)], G adds lambda * CE(c(G(z, y)), y)
  "frozen"     G adds lambda * CE(C(G(z, y)), y) for a pretrained classifier C that is never updated,
               on the first FROZEN_BATCH fakes of each batch (C costs ~9x G's forward pass per image)
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from tqdm import tqdm

from ganutils import cache
from ganutils.artifacts import SampleGenerator, generator_from_package, package
from ganutils.classifier import ClassifierConfig, train_classifier
from ganutils.data import batches, load_mnist, pixel_clusters, subset_per_class
from ganutils.device import PRECISIONS, autocast, default_device, describe_machine, memory_format, resolve_precision
from ganutils.models import CONDITIONINGS, NORMS, Discriminator, Generator

LOSSES = ("nonsaturating", "saturating")
FROZEN_BATCH = 32
CLASS_LOSSES = ("none", "auxiliary", "frozen")
_ADDED = {"key": "if-changed"}  # options added after runs were cached: unused, they leave run keys unchanged
# options about what a run keeps, not what it learns: a published model records them only when set, so a
# file published before the option existed is rewritten byte for byte (Q4 keys its fits on cgan.pt's bytes)
_KEPT = {"key": "if-changed", "published": "if-changed"}
SAMPLE_GRID = 100  # fixed-noise images recorded after every epoch (at most MAX_SAMPLE_GRIDS times a run)
MAX_SAMPLE_GRIDS = 20


class ConfigError(ValueError):
    """A config value is outside what the study supports."""


class TrainingDiverged(RuntimeError):
    """Losses became NaN or infinite; nothing was published."""


def _require(ok: bool, name: str, value, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"{name}={value!r} is not allowed: {name} must be {allowed}")


def _positive_int(name: str, value) -> None:
    _require(isinstance(value, int) and not isinstance(value, bool) and value >= 1, name, value, "a positive integer")


@dataclass(frozen=True)
class GanConfig:
    # architecture
    z_dim: int = 100
    width_g: int = 64
    width_d: int = 64
    depth_g: int = 0
    depth_d: int = 0
    norm_g: str = "batch"
    norm_d: str = "batch"
    n_classes: int = 0
    conditioning: str = "concat"
    # objective and balance
    loss: str = "nonsaturating"
    real_label: float = 1.0
    d_steps: int = 1
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    # budget and data
    batch_size: int = 128
    epochs: int = 5
    seed: int = 0
    n_per_class: int | None = None
    precision: str = "auto"  # "bf16" or "fp32" autocast; "auto" is resolved on construction (ganutils.device)
    # a classification loss (Q5)
    class_loss: str = field(default="none", metadata=_ADDED)
    class_weight: float = field(default=1.0, metadata=_ADDED)
    frozen_classifier: ClassifierConfig | None = field(default=None, metadata=_ADDED)  # C for class_loss="frozen"
    codes: int = field(default=0, metadata=_ADDED)  # categories of an InfoGAN latent code; 0 = none
    code_weight: float = field(default=1.0, metadata=_ADDED)
    ema: float = field(default=0.0, metadata=_ADDED)  # decay of G's weight average; 0 = none
    clusters: int = field(default=0, metadata=_ADDED)  # k-means clusters of a self-conditioned GAN; 0 = none
    r1: float = field(default=0.0, metadata=_ADDED)  # weight gamma of D's R1 penalty; 0 = none
    minibatch_std: bool = field(default=False, metadata=_ADDED)  # D sees its features' spread over the batch
    snapshots: bool = field(default=False, metadata=_KEPT)  # keep G after every recorded epoch (learning curves)

    def __post_init__(self) -> None:
        for name in ("z_dim", "width_g", "width_d", "d_steps", "batch_size", "epochs"):
            _positive_int(name, getattr(self, name))
        for name in ("depth_g", "depth_d"):
            value = getattr(self, name)
            _require(isinstance(value, int) and 0 <= value <= 8, name, value, "an integer in 0..8")
        for name in ("norm_g", "norm_d"):
            _require(getattr(self, name) in NORMS, name, getattr(self, name), f"one of {NORMS}")
        _require(self.n_classes in (0, 10), "n_classes", self.n_classes, "0 (unconditional) or 10")
        _require(self.conditioning in CONDITIONINGS, "conditioning", self.conditioning, f"one of {CONDITIONINGS}")
        _require(not (self.n_classes and self.conditioning == "cbn" and self.norm_g != "batch"), "norm_g", self.norm_g,
                 "'batch' when conditioning is 'cbn' (class-conditional batch norm)")
        _require(self.loss in LOSSES, "loss", self.loss, f"one of {LOSSES}")
        _require(0.5 < self.real_label <= 1.0, "real_label", self.real_label, "in (0.5, 1.0] (1.0 = no smoothing)")
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            _require(isinstance(value, (int, float)) and 0 < value < 1, name, value, "a learning rate in (0, 1)")
        for name in ("beta1", "beta2"):
            value = getattr(self, name)
            _require(isinstance(value, (int, float)) and 0 <= value < 1, name, value, "in [0, 1)")
        _require(isinstance(self.seed, int) and self.seed >= 0, "seed", self.seed, "a non-negative integer")
        if self.n_per_class is not None:
            _positive_int("n_per_class", self.n_per_class)
        _require(self.precision in PRECISIONS, "precision", self.precision, f"one of {PRECISIONS}")
        object.__setattr__(self, "precision", resolve_precision(self.precision))  # part of the key: never "auto"
        _require(isinstance(self.ema, (int, float)) and 0 <= self.ema < 1, "ema", self.ema,
                 "a decay in [0, 1) (0 = no weight average)")
        _require(isinstance(self.snapshots, bool), "snapshots", self.snapshots, "True or False")
        _require(isinstance(self.r1, (int, float)) and not isinstance(self.r1, bool) and 0 <= self.r1 <= 1000, "r1",
                 self.r1, "a weight in [0, 1000] (0 = no R1 penalty)")
        _require(isinstance(self.minibatch_std, bool), "minibatch_std", self.minibatch_std, "True or False")
        _require(not (self.minibatch_std and self.norm_d == "virtual"), "minibatch_std", self.minibatch_std,
                 "False when norm_d is 'virtual' (virtual BN keeps an example's output free of its batch)")
        _require(self.class_loss in CLASS_LOSSES, "class_loss", self.class_loss, f"one of {CLASS_LOSSES}")
        _require(self.class_loss == "none" or self.n_classes, "class_loss", self.class_loss,
                 "'none' for an unconditional GAN (n_classes=0)")
        _require(isinstance(self.class_weight, (int, float)) and 0 < self.class_weight <= 100, "class_weight",
                 self.class_weight, "a weight in (0, 100]")
        _require(isinstance(self.codes, int) and not isinstance(self.codes, bool) and self.codes in range(0, 101)
                 and self.codes != 1, "codes", self.codes, "0 (no code) or an integer in 2..100")
        _require(not (self.codes and self.n_classes), "codes", self.codes,
                 "0 for a class-conditional GAN (an InfoGAN code replaces labels; it does not add to them)")
        _require(isinstance(self.clusters, int) and not isinstance(self.clusters, bool)
                 and self.clusters in range(0, 101) and self.clusters != 1, "clusters", self.clusters,
                 "0 (none) or an integer in 2..100")
        _require(not (self.clusters and (self.n_classes or self.codes)), "clusters", self.clusters,
                 "0 for a class-conditional GAN or one with an InfoGAN code (clusters stand in for labels)")
        _require(not (self.clusters and self.conditioning == "cbn"), "conditioning", self.conditioning,
                 "'concat' or 'projection' with clusters (the generator reads its cluster from its noise)")
        _require(isinstance(self.code_weight, (int, float)) and 0 < self.code_weight <= 100, "code_weight",
                 self.code_weight, "a weight in (0, 100]")
        frozen = self.class_loss == "frozen"
        _require(isinstance(self.frozen_classifier, ClassifierConfig) if frozen else self.frozen_classifier is None,
                 "frozen_classifier", self.frozen_classifier,
                 "a ClassifierConfig when class_loss='frozen', else None")

    def replace(self, **changes) -> GanConfig:
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ConfigError(f"unknown GanConfig parameter(s) {sorted(unknown)}; known: {[f.name for f in dataclasses.fields(self)]}")
        return dataclasses.replace(self, **changes)

    def generator_kwargs(self) -> dict:
        kwargs = dict(z_dim=self.z_dim, width=self.width_g, depth=self.depth_g, norm=self.norm_g, n_classes=self.n_classes)
        if self.n_classes and self.conditioning == "cbn":
            kwargs["conditioning"] = "cbn"
        for option in ("codes", "clusters"):  # only when set: packages published before the option stay as they were
            if getattr(self, option):
                kwargs[option] = getattr(self, option)
        return kwargs

    def discriminator_kwargs(self) -> dict:
        return dict(width=self.width_d, depth=self.depth_d, norm=self.norm_d, n_classes=self.n_classes or self.clusters,
                    conditioning=self.conditioning, classify=self.class_loss == "auxiliary", codes=self.codes,
                    minibatch_std=self.minibatch_std)


@dataclass
class GanRun:
    config: GanConfig
    directory: str
    history: dict[str, list[float]]  # per generator step: loss_d, loss_g, d_real, d_fake, epoch
    samples: torch.Tensor  # uint8 (len(sample_epochs(config)), 100, 1, 28, 28): fixed noise (rows = digits if conditional)
    seconds: float  # training time, excluding cache loads
    generator_package: dict  # with ema > 0, the averaged generator
    raw_generator_package: dict | None = None  # with ema > 0, the generator as trained, else None
    snapshot_packages: dict[int, dict] | None = None  # with snapshots, {epoch: generator package} (as published)

    @property
    def generator(self) -> SampleGenerator:
        return generator_from_package(self.generator_package)

    def publishable(self, raw: bool = False) -> dict:
        """The generator's package (with `raw`, the unaveraged one) plus how it was trained, for models/."""
        if raw and self.raw_generator_package is None:
            raise ValueError("this run kept no weight average, so it has no separate raw generator")
        chosen = self.raw_generator_package if raw else self.generator_package
        return chosen | {"trained": {"config": cache.config_data(self.config, use="published"), "seconds": self.seconds,
                                     "weights": "raw" if raw or not self.config.ema else "average"}}


def sample_epochs(config: GanConfig) -> list[int]:
    """Epochs after which the fixed-noise grid is recorded: every epoch for short runs, else evenly spaced."""
    every = max(1, config.epochs // MAX_SAMPLE_GRIDS)
    return [e for e in range(1, config.epochs + 1) if e % every == 0 or e == config.epochs]


def g_loss(kind: str, logits_fake: torch.Tensor) -> torch.Tensor:
    if kind == "saturating":
        return -F.softplus(logits_fake).mean()
    return F.softplus(-logits_fake).mean()


def d_loss(logits_real: torch.Tensor, logits_fake: torch.Tensor, real_label: float = 1.0) -> torch.Tensor:
    real = F.binary_cross_entropy_with_logits(logits_real, torch.full_like(logits_real, real_label))
    fake = F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake))
    return real + fake


def r1_penalty(logits_real: torch.Tensor, x_real: torch.Tensor) -> torch.Tensor:
    """E ||grad_x D(x)||^2 over the batch, differentiable (for D's update); `x_real` must require grad."""
    (grad,) = torch.autograd.grad(logits_real.float().sum(), x_real, create_graph=True)
    return grad.float().square().flatten(1).sum(1).mean()


def to_uint8(x: torch.Tensor) -> torch.Tensor:
    return ((x.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).cpu()


def train(config: GanConfig, progress: bool = True) -> GanRun:
    """Train (or load from the cache) the GAN described by `config`."""
    directory = cache.run_dir("gan", config)
    with cache.lock(directory):
        result = cache.load_result(directory)
        if result is None:
            result = _train(config, directory, progress)
            cache.save_result(directory, result, config)
    return GanRun(
        config=config,
        directory=str(directory),
        history=result["history"],
        samples=result["samples"],
        seconds=result["seconds"],
        generator_package=result["generator"],
        raw_generator_package=result.get("raw_generator"),
        snapshot_packages=result.get("snapshots"),
    )


def gan_step(G: Generator, D: Discriminator, opt_g, opt_d, config: GanConfig, x_real, y_real, z, y_fake,
             g_step: bool = True, classifier: torch.nn.Module | None = None) -> torch.Tensor | None:
    """One discriminator update and, if `g_step`, one generator update on the same fake batch.

    `classifier` is the frozen C of class_loss="frozen". Returns (loss_d, loss_g, mean D(x),
    mean D(G(z))) as a tensor without a host sync, or None when no generator step was taken."""
    auxiliary = config.class_loss == "auxiliary"
    code = G.code(z) if config.codes else None  # the InfoGAN code, which D's head Q must read back
    if config.clusters:
        y_fake = G.code(z)  # the cluster G drew, on which D judges its image
    if config.r1:
        x_real = x_real.detach().requires_grad_(True)
    with autocast(x_real.device, config.precision):
        with torch.set_grad_enabled(g_step):
            fake = G(z, y_fake)
        if code is not None:
            logits_real = D(x_real)
            logits_fake, codes_fake = D(fake.detach(), with_classes=True)
        elif auxiliary:
            (logits_real, classes_real), (logits_fake, classes_fake) = (
                D(x_real, y_real, with_classes=True), D(fake.detach(), y_fake, with_classes=True))
        else:
            logits_real, logits_fake = D(x_real, y_real), D(fake.detach(), y_fake)
        loss_d = d_loss(logits_real.float(), logits_fake.float(), config.real_label)
        if auxiliary:
            loss_d = loss_d + config.class_weight * (F.cross_entropy(classes_real.float(), y_real)
                                                     + F.cross_entropy(classes_fake.float(), y_fake))
        if code is not None:
            loss_d = loss_d + config.code_weight * F.cross_entropy(codes_fake.float(), code)
        if config.r1:
            loss_d = loss_d + config.r1 / 2 * r1_penalty(logits_real, x_real)
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    if not g_step:
        return None
    D.requires_grad_(False)  # G's step needs gradients through D, not D's own (they would be discarded)
    with autocast(x_real.device, config.precision):
        if code is not None:
            logits, codes = D(fake, with_classes=True)
            loss_g = g_loss(config.loss, logits.float()) + config.code_weight * F.cross_entropy(codes.float(), code)
        elif auxiliary:
            logits, classes = D(fake, y_fake, with_classes=True)
            loss_g = g_loss(config.loss, logits.float()) + config.class_weight * F.cross_entropy(classes.float(), y_fake)
        else:
            loss_g = g_loss(config.loss, D(fake, y_fake).float())
        if config.class_loss == "frozen":
            seen = slice(0, FROZEN_BATCH)
            loss_g = loss_g + config.class_weight * F.cross_entropy(classifier(fake[seen]).float(), y_fake[seen])
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    D.requires_grad_(True)
    opt_g.step()
    return torch.stack([loss_d.detach(), loss_g.detach(), torch.sigmoid(logits_real.detach().float()).mean(),
                        torch.sigmoid(logits_fake.detach().float()).mean()])


def _stack(grids: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack(grids) if grids else torch.empty(0, SAMPLE_GRID, 1, 28, 28, dtype=torch.uint8)


def _fake_labels(config: GanConfig, n: int, generator: torch.Generator) -> torch.Tensor | None:
    return torch.randint(0, config.n_classes, (n,), generator=generator) if config.n_classes else None


@torch.no_grad()
def recalibrate_batchnorm(model: Generator, config: GanConfig, device, n_batches: int = 20, batch_size: int = 500) -> None:
    """Replace running statistics with exact averages for the final weights, so eval-mode
    sampling matches what training saw and an image does not depend on its batch."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    generator = torch.Generator().manual_seed(10_000 + config.seed)
    model.train()
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    for _ in range(n_batches):
        z = torch.randn(batch_size, config.z_dim, generator=generator).to(device)
        y = _fake_labels(config, batch_size, generator)
        model(z, None if y is None else y.to(device))
    for m in norms:
        m.momentum = 0.1
    model.eval()


def training_images(config: GanConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """The training images a run of `config` sees, with their digits (all 60,000, or `n_per_class` of each)."""
    x, y = load_mnist(train=True)
    if config.n_per_class is not None:
        keep = subset_per_class(y, config.n_per_class, seed=config.seed)
        x, y = x[keep], y[keep]
    return x, y


def _train(config: GanConfig, directory, progress: bool) -> dict:
    device = default_device()
    x, y = training_images(config)
    if config.clusters:  # the digits' labels are never seen: the clusters take their place
        y = pixel_clusters(x, config.clusters, seed=config.seed)
    if len(x) < config.batch_size:
        raise ConfigError(f"batch_size={config.batch_size} exceeds the {len(x)} training images")
    layout = memory_format(config.precision)
    x, y = x.to(device, memory_format=layout), y.to(device)

    torch.manual_seed(config.seed)
    G = Generator(**config.generator_kwargs())
    if config.clusters:
        G.set_cluster_shares(torch.bincount(y, minlength=config.clusters))
    G = G.to(device, memory_format=layout)
    D = Discriminator(**config.discriminator_kwargs()).to(device, memory_format=layout)
    rng = torch.Generator().manual_seed(config.seed)  # shuffling, noise and fake labels
    ref = torch.randperm(len(x), generator=rng)[: D.n_ref].to(device)
    D.set_reference(x[ref], y[ref])
    fixed_z = torch.randn(SAMPLE_GRID, config.z_dim, generator=torch.Generator().manual_seed(config.seed + 1)).to(device)
    fixed_y = (torch.arange(SAMPLE_GRID) // (SAMPLE_GRID // 10)).to(device) if config.n_classes else None
    opt_g = torch.optim.Adam(G.parameters(), lr=config.lr_g, betas=(config.beta1, config.beta2), foreach=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=config.lr_d, betas=(config.beta1, config.beta2), foreach=True)
    classifier = None
    if config.class_loss == "frozen":
        classifier = train_classifier(config.frozen_classifier, progress=False).model.to(device).eval()
        classifier.requires_grad_(False)  # gradients flow through C to G's images, never into C
    average = AveragedModel(G, multi_avg_fn=get_ema_multi_avg_fn(config.ema)) if config.ema else None

    history: dict[str, list[float]] = {k: [] for k in ("loss_d", "loss_g", "d_real", "d_fake", "epoch")}
    samples: list[torch.Tensor] = []
    snapshots: dict[int, dict] = {}
    start_epoch, seconds, resumed = 0, 0.0, []
    checkpoint = cache.load_checkpoint(directory)
    if checkpoint is not None:
        G.load_state_dict(checkpoint["G"])
        D.load_state_dict(checkpoint["D"])
        opt_g.load_state_dict(checkpoint["opt_g"])
        opt_d.load_state_dict(checkpoint["opt_d"])
        rng.set_state(checkpoint["rng"])
        if average is not None:
            average.load_state_dict(checkpoint["average"])
        history, samples = checkpoint["history"], list(checkpoint["samples"])
        snapshots = checkpoint.get("snapshots", {})
        start_epoch, seconds = checkpoint["epoch"], checkpoint["seconds"]
        resumed = checkpoint.get("resumed", []) + [start_epoch]

    steps_per_epoch = len(x) // config.batch_size
    bar = tqdm(total=config.epochs * steps_per_epoch, initial=start_epoch * steps_per_epoch,
               desc=f"GAN {cache.config_key(config)[:8]}", disable=not progress, mininterval=1.0)
    for epoch in range(start_epoch, config.epochs):
        t0 = time.perf_counter()
        G.train()
        D.train()
        logged = []
        for step, (x_real, y_real) in enumerate(batches(x, y, config.batch_size, rng)):
            z = torch.randn(config.batch_size, config.z_dim, generator=rng).to(device)
            y_fake = _fake_labels(config, config.batch_size, rng)
            d_steps_done = epoch * steps_per_epoch + step + 1  # counted across epochs: G steps never skip a boundary
            stats = gan_step(G, D, opt_g, opt_d, config, x_real, y_real if config.n_classes or config.clusters else None, z,
                             None if y_fake is None else y_fake.to(device), g_step=d_steps_done % config.d_steps == 0,
                             classifier=classifier)
            if stats is not None:
                logged.append(stats)
                if average is not None:
                    average.update_parameters(G)
            bar.update()
            if progress and step % 100 == 0 and logged:
                values = logged[-1].tolist()
                bar.set_postfix(epoch=epoch + 1, loss_d=f"{values[0]:.3f}", loss_g=f"{values[1]:.3f}",
                                d_real=f"{values[2]:.2f}", d_fake=f"{values[3]:.2f}")
        if logged:
            table = torch.stack(logged).float().cpu()
            if not torch.isfinite(table).all():
                bad = int((~torch.isfinite(table).all(1)).nonzero()[0])
                raise TrainingDiverged(
                    f"losses became non-finite in epoch {epoch + 1} (generator step {bad} of the epoch) for config "
                    f"{cache.config_key(config)}; nothing was published. Lower lr_g/lr_d or set precision='fp32'.")
            for name, column in zip(("loss_d", "loss_g", "d_real", "d_fake"), table.T):
                history[name].extend(column.tolist())
            history["epoch"].extend([epoch + 1] * len(table))
        if epoch + 1 in sample_epochs(config):
            with torch.no_grad(), autocast(device, config.precision):
                G.eval()
                samples.append(to_uint8(G(fixed_z, fixed_y)))
            if config.snapshots:
                snapshots[epoch + 1] = _finished_generator(average.module if average else G, config, device)
        seconds += time.perf_counter() - t0
        cache.save_checkpoint(directory, {
            "G": G.state_dict(), "D": D.state_dict(), "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(),
            "rng": rng.get_state(), "history": history, "samples": _stack(samples),
            "epoch": epoch + 1, "seconds": seconds, "resumed": resumed, "snapshots": snapshots}
            | ({"average": average.state_dict()} if average else {}), epoch + 1)
    bar.close()

    recalibrate_batchnorm(G, config, device)
    machine = describe_machine(config.precision)  # the machine that finished the run
    published = {"generator": package("generator", G, config.generator_kwargs(), machine)}
    if average is not None:
        recalibrate_batchnorm(average.module, config, device)  # running statistics for the averaged weights
        published = {"generator": package("generator", average.module, config.generator_kwargs(), machine),
                     "raw_generator": published["generator"]}
    return {
        "kind": "gan-run",
        "config": dataclasses.asdict(config),
        **published,
        "discriminator": {k: v.cpu() for k, v in D.state_dict().items()},
        "history": history,
        "samples": _stack(samples),
        "seconds": seconds,
        "resumed": resumed,  # epochs after which an interrupted run was resumed
    } | ({"snapshots": snapshots} if config.snapshots else {})


def _finished_generator(model: Generator, config: GanConfig, device) -> dict:
    """A copy of `model` as a published generator would be (batch-norm statistics recalibrated), leaving
    the model in training untouched."""
    # in the layout the model trains in: fp32 convolutions in channels_last compute other last bits, and the
    # last snapshot must be the published generator exactly
    copy = Generator(**config.generator_kwargs()).to(device, memory_format=memory_format(config.precision))
    copy.load_state_dict(model.state_dict())
    recalibrate_batchnorm(copy, config, device)
    return package("generator", copy, config.generator_kwargs())
