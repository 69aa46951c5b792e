"""The study's settings in one place: budgets per profile and the variants each chapter compares.

Chapters share these plain values, so a run trained for one chapter is a cache
hit for the next (Q3 scores exactly the CGANs that Q2 trained).
"""

from __future__ import annotations

import dataclasses
import inspect

from ganutils import published
from ganutils.classifier import ClassifierConfig, ClassifierRun
from ganutils.cluster import resolve_scheduler
from ganutils.train import GanConfig

PROFILES = ("smoke", "report")
PARAMETERS = ("profile", "seeds", "progress", "publish", "scheduler")  # every chapter's papermill parameters
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}

CLASSIFIER = {
    "smoke": ClassifierConfig(epochs=2, n_train=4000, batch_size=64),
    "report": ClassifierConfig(),
}
# a second classifier (another seed, shorter training) that no model was trained against: Q5 scores
# class-loss models through it, since the frozen-classifier loss optimises what CLASSIFIER measures
JUDGE = {
    "smoke": ClassifierConfig(epochs=1, n_train=2000, batch_size=64, seed=1),
    "report": ClassifierConfig(epochs=2, seed=1),
}
EVAL_SAMPLES = {"smoke": 1000, "report": 10_000}  # generated images scored per run
# One protocol for every generator scored against the real test set (Q3, Q5): it is asked for the digits of
# a seeded draw of EVAL_SAMPLES training images (MNIST's own mix of digits) with one noise seed, so that a
# model has one number per metric wherever it is quoted
SCORE_LABELS_SEED = 1
SCORE_NOISE_SEED = 20_000
TEST_REFERENCE = {"smoke": 2000, "report": 10_000}  # real test images the Q5 metrics compare against
# The smoke budgets give ~190 generator steps (width 16, 3,000 images, batch 32, 2 epochs): the least that
# visibly trains a GAN on any CPU (samples' 7x7 pixel FID at 10-25% of an untrained G's, the same at 1 and 2
# threads and under AVX2), so the nbval checks can test that training worked; 9 steps, as before, did not.
DCGAN_BUDGET = {
    "smoke": dict(epochs=2, n_per_class=300, width_g=16, width_d=16, batch_size=32),
    "report": dict(epochs=4, width_g=32, width_d=32),
}
# Q1's long stage: the short comparison's best design trained longer with every seed, as it is and with G's
# width doubled, keeping the generator after every epoch so that the chapter shows where more epochs stop
# helping; the short-budget verdicts that could flip with training length are checked again at this budget
DCGAN_LONG = {"smoke": dict(epochs=3, snapshots=True), "report": dict(epochs=10, snapshots=True)}
# self-conditioning: k-means clusters of the training pixels (bench/q1_design.md: 10, 20, 50 clusters; 50 the best)
SELF_CONDITIONING_CLUSTERS = 50
BUDGET_CHECK = ("TTUR", "virtual BN", "label smoothing", "no normalisation")
BUDGET_CHECK_SEEDS = {"smoke": 1, "report": 2}  # one at the smoke budget keeps the tests short
# Q1's tuned stage: what the long stage found to help, combined (the better of its two designs plus every
# checked change that was better at the long budget), with an average of G's weights as Q2's long stage
# uses, trained three times as long again, every seed; its curves show whether FID has stopped falling (a
# self-conditioned design's FID still fell by about 0.1 an epoch at epoch 20: bench/q1_design.md)
DCGAN_TUNED = {"smoke": dict(epochs=4, ema=0.9, snapshots=True), "report": dict(epochs=30, ema=0.999, snapshots=True)}
_NOT_A_CHANGE = ("seed", "epochs", "snapshots")  # run settings, not design: never carried over by a combination
CGAN_BUDGET = {
    "smoke": dict(epochs=2, n_per_class=300, width_g=16, width_d=16, batch_size=32, n_classes=10),
    "report": dict(epochs=6, width_g=32, width_d=32, n_classes=10),
}

# Q2: the best design of the short comparison, trained again for longer with every seed, as it is and with
# G's width doubled; the best of these generators (by FID against training images) is published
CGAN_LONG = {"smoke": dict(epochs=3, ema=0.9), "report": dict(epochs=20, ema=0.999)}


# Q4: classifiers trained on few real digits plus synthetic ones, all for the same number of steps.
RETRAIN = {
    "smoke": dict(real_per_class=(1, 5), pool_per_class=30, steps=15, long_steps=30, batch_size=32, validation=500, test_images=500,
                  thresholds=(0.5, 0.9), portions=(0.5, 1.0), portion_pool=10, ratios=(0, 1, 3),
                  own_gan_sizes=(5,), own_gan_steps=30),
    "report": dict(real_per_class=(1, 5, 10, 50, 100, 1000), pool_per_class=1000, steps=100, long_steps=400, batch_size=64,
                   validation=5000, test_images=10_000, thresholds=(0.5, 0.9, 0.99, 0.999), portions=(0.1, 0.2, 0.5, 1.0),
                   portion_pool=100, ratios=(0, 1, 3, 10, 30, 100), own_gan_sizes=(10, 100), own_gan_steps=1000),
}


# Q5: PCA as a generative model, with this many components per digit
PCA_COMPONENTS = {"smoke": (2, 10), "report": (2, 5, 10, 20, 50)}
# Q5: sample counts at which the metrics' dependence on n is measured, and draws per count
SAMPLE_COUNTS = {"smoke": ((100, 300), 2), "report": ((100, 250, 500, 1000, 2500, 5000, 10_000), 5)}


def reference_classifier(profile: str, progress: bool = False) -> ClassifierRun:
    """The classifier every chapter measures through: at the report profile the published one wherever it
    was published from this very config (`ganutils.published`), else trained (and cached) here."""
    return published.reference_classifier(CLASSIFIER[check_profile(profile)], progress,
                                          published.MODELS if profile == "report" else None)


def check_parameters(namespace: dict) -> None:
    """Fail on a papermill parameter the chapter does not define (papermill itself only warns).

    Called right after a chapter's imports, when its namespace holds only modules, functions,
    classes and the parameters, so any other plain value was injected under an unknown name."""
    unknown = sorted(name for name, value in namespace.items()
                     if not name.startswith("_") and name not in _IPYTHON_NAMES and name not in PARAMETERS
                     and not callable(value) and not inspect.ismodule(value))
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}: the chapters take {PARAMETERS}")


def start_chapter(namespace: dict) -> tuple[bool, str | None]:
    """Check a chapter's parameters before any work; return (publish, figures directory or None).

    Every chapter calls this right after its imports, so a bad papermill parameter stops the
    run before anything is trained or written."""
    check_parameters(namespace)
    profile = check_profile(namespace["profile"])
    check_seeds(namespace["seeds"])
    resolve_scheduler(namespace.get("scheduler"))  # GANUTILS_SCHEDULER when the chapter has no such parameter
    publish = resolve_publish(namespace["publish"], profile)
    return publish, "../book/figures" if publish else None


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    return profile


def check_seeds(seeds: int) -> int:
    if not (isinstance(seeds, int) and not isinstance(seeds, bool) and seeds >= 1):
        raise ValueError(f"seeds must be a positive integer, got {seeds!r}")
    return seeds


def resolve_publish(publish, profile: str) -> bool:
    """Whether a chapter writes models/ and book/figures/: "auto" means only at the report profile."""
    if publish == "auto":
        return profile == "report"
    if not isinstance(publish, bool):
        raise ValueError(f"publish must be 'auto', True or False, got {publish!r}")
    return publish


def dcgan_variants(profile: str) -> tuple[GanConfig, dict[str, GanConfig]]:
    """The Q1 baseline and its one-change variants."""
    baseline = GanConfig(**DCGAN_BUDGET[check_profile(profile)])
    w = baseline.width_d
    variants = {
        "saturating loss": baseline.replace(loss="saturating"),
        "D half width": baseline.replace(width_d=max(1, w // 2)),
        "D double width": baseline.replace(width_d=2 * w),
        "no normalisation": baseline.replace(norm_g="none", norm_d="none"),
        "virtual BN": baseline.replace(norm_g="virtual", norm_d="virtual"),
        "3 D steps": baseline.replace(d_steps=3),
        "5 D steps": baseline.replace(d_steps=5),
        "TTUR": baseline.replace(lr_d=4e-4, lr_g=1e-4),
        "label smoothing": baseline.replace(real_label=0.9),
        "lr halved": baseline.replace(lr_g=baseline.lr_g / 2, lr_d=baseline.lr_d / 2),
        "lr doubled": baseline.replace(lr_g=2 * baseline.lr_g, lr_d=2 * baseline.lr_d),
        "batch halved": baseline.replace(batch_size=baseline.batch_size // 2),
        "batch doubled": baseline.replace(batch_size=2 * baseline.batch_size),
        # balancing at an equal number of generator updates: three times the epochs for D
        "3 D steps at equal G steps": baseline.replace(d_steps=3, epochs=3 * baseline.epochs),
        # a discrete choice between digits without their labels: a code G reads from its noise, or clusters
        "InfoGAN code": baseline.replace(codes=10),
        "self-conditioning": baseline.replace(clusters=SELF_CONDITIONING_CLUSTERS, conditioning="projection"),
    }
    if baseline.precision != "fp32":  # "auto" chose bf16 here: the same run in fp32 checks that autocast changes
        variants["fp32"] = baseline.replace(precision="fp32")  # nothing learned (elsewhere it is the baseline)
    return baseline, variants


def long_dcgan_designs(best_name: str, best: GanConfig, profile: str, seeds: int,
                       also_check: tuple[str, ...] = ()) -> tuple[dict[str, GanConfig], dict[str, GanConfig]]:
    """Q1's long stage and its budget check, each as {"name (seed s)": config}.

    The stage: the best short design as it is and with G twice as wide, `seeds` seeds each. The check:
    the baseline with `seeds` seeds, each BUDGET_CHECK variant with BUDGET_CHECK_SEEDS, and each variant in
    `also_check` (chosen by its short-budget seed-0 run) with as many seeds from seed 1 on, so that the run
    that chose it does not also vouch for it; all at the long budget, a variant that trains for a multiple of
    the baseline's epochs for that multiple of the long budget's (when the best design is the baseline, the
    stage and the check share its runs)."""
    long, n_check = DCGAN_LONG[check_profile(profile)], min(BUDGET_CHECK_SEEDS[profile], seeds)
    baseline, variants = dcgan_variants(profile)
    designs = {best_name: at_long_budget(best, baseline, profile),
               f"{best_name}, G double width": at_long_budget(best.replace(width_g=2 * best.width_g), baseline, profile)}
    stage = {f"{name} (seed {s})": config.replace(seed=s)
             for name, config in designs.items() for s in range(check_seeds(seeds))}
    check = {f"baseline (seed {s})": baseline.replace(seed=s, **long) for s in range(seeds)}
    check |= {f"{name} (seed {s})": at_long_budget(variants[name], baseline, profile).replace(seed=s)
              for name in BUDGET_CHECK for s in range(n_check)}
    check |= {f"{name} (seed {s})": at_long_budget(variants[name], baseline, profile).replace(seed=s)
              for name in dict.fromkeys(also_check) if name not in BUDGET_CHECK for s in range(1, 1 + n_check)}
    return stage, check


def at_long_budget(config: GanConfig, baseline: GanConfig, profile: str) -> GanConfig:
    """`config` at Q1's long budget, keeping its ratio of epochs to the baseline's (3 D steps at equal G steps
    trains three times the epochs, at either budget)."""
    long = DCGAN_LONG[check_profile(profile)]
    if config.epochs % baseline.epochs:
        raise ValueError(f"epochs={config.epochs} is not a multiple of the baseline's {baseline.epochs}")
    return config.replace(**long | {"epochs": long["epochs"] * config.epochs // baseline.epochs})


def tuned_dcgan_design(start: GanConfig, adopted: list[GanConfig], baseline: GanConfig, profile: str) -> GanConfig:
    """Q1's tuned design: `start` with the changes each `adopted` variant makes to `baseline`, at the
    DCGAN_TUNED budget. Variants that change the same setting differently (each other, or `start`'s own
    change) cannot be combined."""
    changes: dict = {}
    for variant in adopted:
        for field in dataclasses.fields(variant):
            value, own = getattr(variant, field.name), getattr(start, field.name)
            if field.name in _NOT_A_CHANGE or value == getattr(baseline, field.name):
                continue
            if changes.get(field.name, value) != value:
                raise ValueError(f"adopted variants set {field.name} to both {changes[field.name]!r} and {value!r}")
            if own not in (value, getattr(baseline, field.name)):
                raise ValueError(f"an adopted variant sets {field.name} to {value!r}, the design it joins to {own!r}")
            changes[field.name] = value
    return start.replace(**changes, **DCGAN_TUNED[check_profile(profile)])


def adoptable(start: GanConfig, ranked: dict[str, GanConfig], baseline: GanConfig, profile: str) -> tuple[list[str], list[str]]:
    """Which of the variants that helped (`ranked`, best first) join `start` in the tuned design, as
    (taken, left out): each in turn, unless it sets a setting that `start` or one already taken sets otherwise,
    or makes a design GanConfig refuses (an InfoGAN code beside self-conditioning's clusters), or changes the
    budget rather than the design (more epochs than the baseline's)."""
    taken, left_out = [], []
    for name, variant in ranked.items():
        if variant.epochs != baseline.epochs:
            left_out.append(name)
            continue
        try:
            tuned_dcgan_design(start, [ranked[n] for n in taken] + [variant], baseline, profile)
        except ValueError:
            left_out.append(name)
        else:
            taken.append(name)
    return taken, left_out


def cgan_variants(profile: str) -> tuple[GanConfig, dict[str, GanConfig]]:
    """The Q2 baseline (label concatenation, Mirza & Osindero) and its one-change variants."""
    baseline = GanConfig(**CGAN_BUDGET[check_profile(profile)])
    w = baseline.width_d
    return baseline, {
        "projection D": baseline.replace(conditioning="projection"),
        "projection D + CBN G": baseline.replace(conditioning="cbn"),
        "label smoothing": baseline.replace(real_label=0.9),
        "virtual BN": baseline.replace(norm_g="virtual", norm_d="virtual"),
        "2 D steps": baseline.replace(d_steps=2),
        "TTUR": baseline.replace(lr_d=4e-4, lr_g=1e-4),
        "D double width": baseline.replace(width_d=2 * w),
        "G double width": baseline.replace(width_g=2 * baseline.width_g),
        # not a one-change variant: the two single changes expected to help, combined
        "projection D + smoothing": baseline.replace(conditioning="projection", real_label=0.9),
    }


def long_cgan_designs(best_name: str, best: GanConfig, profile: str) -> dict[str, GanConfig]:
    """Q2's long stage: the best short-budget design at the long budget, and the same with G twice as wide."""
    long = best.replace(**CGAN_LONG[check_profile(profile)])
    return {best_name: long, f"{best_name}, G double width": long.replace(width_g=2 * best.width_g)}


def class_loss_variants(profile: str) -> tuple[GanConfig, dict[str, GanConfig]]:
    """Q5: the best Q2 design (projection D + label smoothing) with a classification loss added."""
    _, variants = cgan_variants(profile)
    plain = variants["projection D + smoothing"]
    return plain, {
        "AC-GAN head": plain.replace(class_loss="auxiliary"),
        "frozen classifier": plain.replace(class_loss="frozen", frozen_classifier=CLASSIFIER[check_profile(profile)]),
    }
