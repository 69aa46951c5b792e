# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Q4 · Do synthetic digits help a classifier that sees few real ones?
#
# With all 60,000 real digits the Q3 classifier is already near its ceiling,
# so we ask the question where it can matter: a classifier that sees only $n$
# real images per digit, helped by digits from the published CGAN. Every
# classifier has the Q3 architecture and is trained for the same total number
# of optimiser steps (pretraining then fine-tuning spends half of them on each
# phase), so differences come from the data. Every cell is a mean
# over seeds (each seed draws its own real images and its own initialisation),
# shown with its standard deviation; accuracy is always on the
# {glue:text}`q4_n_test` real test images, and every choice (the confidence threshold) is made on a validation
# split of the *training* set.
#
# **Where the information comes from.** The published CGAN learned from all
# 60k labelled images, so its samples carry far more than $n$ real images per
# digit do. Experiments A-C therefore measure how well that knowledge *transfers
# through generated images*, not whether a GAN creates information. The last
# experiment trains a CGAN on the same $n$ images the classifier sees.

# %% [markdown]
# ```{glue:md} q4_rerun
# :format: myst
# ```

# %% tags=["parameters", "hide-input"]
profile = "smoke"  # "smoke": a tiny budget for the tests; "report": the budget behind the book
seeds = 3  # seeds per cell (real subset, initialisation, batch order)
progress = False
publish = "auto"  # write book/figures/: "auto" (only at the report profile), True or False
scheduler = None  # where uncached runs train: None (GANUTILS_SCHEDULER or "local"), "in-process", tcp://host:8786

# %% tags=["hide-input"]
import hashlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import torch

from ganutils import artifacts, cache, evaluation, experiments, plots, stats, synthetic
from ganutils import classifier as classifier_module
from ganutils.classifier import accuracy
from ganutils.cluster import train_many
from ganutils.data import load_mnist, subset_per_class
from ganutils.io import sha256
from ganutils.report import glue, glue_markdown, rerun_box

publish, figures = experiments.start_chapter(globals())
settings = experiments.RETRAIN[profile]
x_train, y_train = load_mnist(train=True)
x_test, y_test = (t[: settings["test_images"]] for t in load_mnist(train=False))
reference_run = experiments.reference_classifier(profile, progress)
reference_classifier = reference_run.model
cgan_baseline, cgan_variants = experiments.cgan_variants(profile)
if profile == "report":
    generator, generator_id = artifacts.load_generator("../models/cgan.pt"), sha256("../models/cgan.pt")
else:
    smoke_run = train_many({"smoke": cgan_variants["projection D"]}, scheduler, progress)["smoke"]
    generator, generator_id = smoke_run.generator, cache.config_key(smoke_run.config)
steps, batch_size = settings["steps"], settings["batch_size"]

# %% [markdown]
# ## Data
#
# The real images for $n$ per digit and seed $s$ are the first $n$ of a seeded
# per-digit shuffle of the training set (so the subsets for one seed are
# nested). A validation split of training images outside every such subset
# chooses the confidence threshold and names the best strategy; the test images
# only report. The synthetic pool holds an equal number
# of CGAN samples per digit.

# %% tags=["hide-input"]
largest = max(max(settings["real_per_class"]), settings["portion_pool"])
used = torch.cat([subset_per_class(y_train, largest, seed=s) for s in range(seeds)])
outside = torch.ones(len(y_train), dtype=torch.bool)
outside[used] = False
candidates = torch.nonzero(outside).flatten()
validation = candidates[torch.randperm(len(candidates), generator=torch.Generator().manual_seed(123))
                        [: settings["validation"]]]
x_val, y_val = x_train[validation], y_train[validation]
x_syn, y_syn = synthetic.synthetic_pool(generator, settings["pool_per_class"], seed=30_000)
confidence = synthetic.label_confidence(reference_classifier, x_syn, y_syn)


def real(n, seed):
    """The n real training images per digit of seed `seed` (none for n = 0)."""
    if n == 0:
        return x_train[:0], y_train[:0]
    idx = subset_per_class(y_train, n, seed=seed)
    return x_train[idx], y_train[idx]


def run(strategy, n, seed, synthetic_data=(x_syn, y_syn), keep=None, tag="", on="test", budget=None):
    """Test (`on="test"`) or validation accuracy of one classifier, which is trained once and scored on both,
    cached by everything it depends on. `budget` replaces the common number of steps (the budget check only)."""
    uses_synthetic = strategy != "real only"
    budget = budget or steps
    spec = dict(strategy=strategy, n=n, seed=seed, steps=budget, batch_size=batch_size,
                code=evaluation.code_digest(synthetic, classifier_module),  # an edited strategy never hits a stale entry
                evaluated=(len(y_test), len(y_val)),
                tag=tag if uses_synthetic else "", generator=generator_id if uses_synthetic else None,
                synthetic=len(synthetic_data[1]) if uses_synthetic else 0,
                keep=None if keep is None else hashlib.sha256(keep.numpy().tobytes()).hexdigest()[:16])

    def compute():
        model = synthetic.train_strategy(strategy, real(n, seed), synthetic_data, seed, budget, batch_size, keep)
        return {"test": 100 * accuracy(model, x_test, y_test), "validation": 100 * accuracy(model, x_val, y_val)}

    return cache.memo("retrain", spec, compute)[on]


def against_real_only(real_only, values):
    """The study's one rule for strategy-vs-real-only accuracies per seed (paired: a seed draws the same
    real images for every strategy), as a phrase for the text."""
    comparison = stats.compare(real_only, values, paired=True)
    outcome = {"better": "beats real data alone", "worse": "falls below real data alone",
               "within noise": "is within noise of real data alone"}.get(stats.verdict(comparison, lower_is_better=False),
                                                                         "is not judged (one seed)")
    return f"{outcome} ({stats.describe(comparison)})"


def pool_tag(per_class):
    """Cache tag of the first `per_class` synthetic images of every digit ("" = the whole pool)."""
    return "" if per_class == settings["pool_per_class"] else f"first {per_class} per digit"


def mean_std(values):
    return f"{np.mean(values):.1f} ± {np.std(values, ddof=1) if len(values) > 1 else 0:.1f}"


glue("q4_n_test", len(y_test))
glue("q4_steps", steps)
glue("q4_classifier_lr", synthetic.fit_config(0, batch_size).lr)
glue("q4_own_gan_steps", settings["own_gan_steps"])
glue("q4_batch", batch_size)
glue("q4_seeds", seeds)
glue("q4_pool", settings["pool_per_class"])
glue("q4_sizes", ", ".join(map(str, settings["real_per_class"])))
print(f"{len(y_syn)} synthetic images ({settings['pool_per_class']} per digit); validation {len(y_val)} images; "
      f"{steps} steps of batch {batch_size} per classifier (pretrain + fine-tune: half on each phase); {seeds} seeds")

# %% [markdown]
# ## Choosing the confidence threshold on validation data
#
# The filtered mix keeps only synthetic images to which the Q3 classifier
# (trained on all real data, as the brief suggests) gives the intended label a
# probability of at least $\tau$. $\tau$ is chosen by validation accuracy with
# the headline number of real images per digit ({glue:text}`q4_key_n`, the size
# nearest ten), seed 0.

# %% tags=["hide-input"]
n_key = min(settings["real_per_class"], key=lambda n: abs(n - 10))  # the headline size
threshold_scores = {tau: run("filtered mix", n_key, 0, keep=confidence >= tau, on="validation")
                    for tau in settings["thresholds"]}
tau = max(threshold_scores, key=threshold_scores.get)
keep = confidence >= tau
glue("q4_tau", tau)
glue("q4_kept_pct", 100 * keep.float().mean().item())
pd.DataFrame({"validation accuracy %": threshold_scores,
              "synthetic images kept %": {t: 100 * (confidence >= t).float().mean().item() for t in threshold_scores}})

# %% [markdown]
# ## A. Strategies against the number of real images
#
# * **real only**: the $n$ real images per digit;
# * **mix**: real and all synthetic images, batches drawn uniformly from the union;
# * **filtered mix**: the same with only the synthetic images that pass $\tau$;
# * **pretrain + fine-tune**: train on synthetic images for the first half of the
#   steps, then continue on the real ones for the second half;
# * **synthetic only**: no real image at all (the "classification accuracy score",
#   train on synthetic, test on real), the same for every $n$.

# %% tags=["hide-input"]
strategies = ["real only", "mix", "filtered mix", "pretrain + fine-tune"]
scores = {}
for n in settings["real_per_class"]:
    for strategy in strategies:
        scores[(n, strategy)] = [run(strategy, n, s, keep=keep if strategy == "filtered mix" else None)
                                 for s in range(seeds)]
synthetic_only = [run("synthetic only", 0, s) for s in range(seeds)]
full_real = 100 * experiments.reference_classifier(profile, progress).test_accuracy
table_a = pd.DataFrame({strategy: {n: mean_std(scores[(n, strategy)]) for n in settings["real_per_class"]}
                        for strategy in strategies})
for (n, strategy), values in scores.items():
    key = strategy.replace(" + ", "_").replace(" ", "_").replace("-", "_")
    glue(f"q4_a_{n}_{key}", float(np.mean(values)))
    glue(f"q4_a_{n}_{key}_std", float(np.std(values, ddof=1)) if seeds > 1 else 0.0)
table_a.index.name = "real per digit"
glue("q4_synthetic_only", float(np.mean(synthetic_only)))
glue("q4_synthetic_only_std", float(np.std(synthetic_only, ddof=1)) if seeds > 1 else 0.0)
glue("q4_full_real", full_real)
validation_by_n = {(n, k): np.mean([run(k, n, s, keep=keep if k == "filtered mix" else None, on="validation")
                                     for s in range(seeds)]) for n in settings["real_per_class"] for k in strategies}
best_by_n = {n: max(strategies, key=lambda k: validation_by_n[(n, k)]) for n in settings["real_per_class"]}
for n in settings["real_per_class"]:  # the mix against real data alone at every size, for the text
    glue(f"q4_a_{n}_verdict", against_real_only(scores[(n, "real only")], scores[(n, "mix")]))
glue("q4_best_by_n", "; ".join(f"{n} per digit: {name}" for n, name in best_by_n.items()))
n_top = max(settings["real_per_class"])
mix_gap = np.mean(scores[(n_top, "mix")]) - np.mean(scores[(n_top, "real only")])
glue("q4_n_top", n_top)
glue("q4_top_synthetic_pct", 100 * settings["pool_per_class"] / (settings["pool_per_class"] + n_top))
glue("q4_top_real_only", float(np.mean(scores[(n_top, "real only")])))
glue("q4_top_pretrain_fine_tune", float(np.mean(scores[(n_top, "pretrain + fine-tune")])))
glue("q4_mix_at_top_verdict", f"{abs(mix_gap):.1f} points {'below' if mix_gap < 0 else 'above'} real data alone; "
     f"it {against_real_only(scores[(n_top, 'real only')], scores[(n_top, 'mix')])}")
table_a

# %% tags=["hide-input"]
fig, ax = plt.subplots(figsize=(plots.COLUMN, 3.2), layout="constrained")
sizes = list(settings["real_per_class"])
for strategy in strategies:
    values = np.array([scores[(n, strategy)] for n in sizes])
    mean, std = values.mean(1), values.std(1, ddof=1) if seeds > 1 else np.zeros(len(sizes))
    ax.plot(sizes, mean, marker="o", label=strategy)
    ax.fill_between(sizes, mean - std, mean + std, alpha=0.2)
ax.axhline(np.mean(synthetic_only), color="k", ls="--", lw=1, label="synthetic only")
ax.axhline(full_real, color="k", ls=":", lw=1, label="all 60k real (Q3)")
ax.set_xscale("log")
ax.set_xticks(sizes, [str(n) for n in sizes])  # the sizes measured, in plain digits (not 10^k in tiny superscripts)
ax.minorticks_off()
ax.set_xlabel("real images per digit")
ax.set_ylabel("test accuracy %")
fig.legend(loc="outside lower center", ncol=2)
plots.save(fig, figures and f"{figures}/q4_strategies.png")
plt.show()

# %% [markdown]
# ### The headline: 10 real images per digit (or the nearest size)
#
# The best strategy with synthetic images, chosen by its mean accuracy on the
# validation images (never on the test set), is compared with real data alone by
# the study's one rule: a two-sided t-test at 5%, here paired over seeds, since
# a seed draws the same real images for every strategy.

# %% tags=["hide-input"]
def against_real(by_strategy, budget=None):
    """The best strategy with synthetic images, chosen by validation accuracy, against real data alone, from
    test accuracies per seed: (its name, real-only accuracies, its accuracies, gain, seed spread, verdict)."""
    real_only = np.array(by_strategy["real only"])
    validation_mean = {k: np.mean([run(k, n_key, s, keep=keep if k == "filtered mix" else None, on="validation",
                                       budget=budget) for s in range(seeds)]) for k in strategies[1:]}
    best_strategy = max(validation_mean, key=validation_mean.get)
    best = np.array(by_strategy[best_strategy])
    spread = max(real_only.std(ddof=1), best.std(ddof=1)) if seeds > 1 else 0.0
    return best_strategy, real_only, best, best.mean() - real_only.mean(), spread, against_real_only(real_only, best)


best_strategy, real_only, best, gain, spread, verdict = against_real({k: scores[(n_key, k)] for k in strategies})
for key, value in {"q4_key_n": n_key, "q4_key_real": real_only.mean(), "q4_key_real_std": spread,
                   "q4_key_best_strategy": best_strategy, "q4_key_best": best.mean(), "q4_key_gain": gain,
                   "q4_key_verdict": verdict}.items():
    glue(key, value)
print(f"n = {n_key} per digit: real only {real_only.mean():.2f}, {best_strategy} {best.mean():.2f} "
      f"(gain {gain:.2f} points, spread {spread:.2f}): {verdict}")

# %% [markdown]
# ## Budget check: is the training budget the limit?
#
# At {glue:text}`q4_steps` steps the mixes stay close to the accuracy of
# synthetic data alone at every number of real images (table A): a classifier sees
# {glue:text}`q4_steps` × {glue:text}`q4_batch` images, fewer than the synthetic
# pool holds. The headline comparison is therefore repeated, unchanged but for
# a budget of {glue:text}`q4_long_steps` steps for every strategy. Both budgets
# are reported; neither was chosen by its test accuracy.

# %% tags=["hide-input"]
long_steps = settings["long_steps"]
long_scores = {strategy: [run(strategy, n_key, s, keep=keep if strategy == "filtered mix" else None,
                              budget=long_steps) for s in range(seeds)] for strategy in strategies}
long_scores["synthetic only"] = [run("synthetic only", 0, s, budget=long_steps) for s in range(seeds)]
table_e = pd.DataFrame({
    f"{steps} steps": {k: mean_std(scores[(n_key, k)]) for k in strategies} | {"synthetic only": mean_std(synthetic_only)},
    f"{long_steps} steps": {k: mean_std(v) for k, v in long_scores.items()},
}).rename_axis(f"{n_key} real per digit")
long_best_strategy, long_real, long_best, long_gain, long_spread, long_verdict = against_real(long_scores, long_steps)
for key, value in {"q4_long_steps": long_steps, "q4_long_real": long_real.mean(), "q4_long_spread": long_spread,
                   "q4_long_best_strategy": long_best_strategy, "q4_long_best": long_best.mean(),
                   "q4_long_gain": long_gain, "q4_long_verdict": long_verdict,
                   "q4_long_synthetic_only": float(np.mean(long_scores["synthetic only"]))}.items():
    glue(key, value)
# the gain is capped by what the synthetic digits can teach (synthetic-only accuracy)
long_wins = int(sum(b > r for b, r in zip(long_best, long_real)))
headroom = float(np.mean(long_scores["synthetic only"]) - long_real.mean())
glue("q4_long_wins", long_wins)
glue("q4_headroom", headroom)
short_scores = {k: scores[(n_key, k)] for k in strategies} | {"synthetic only": synthetic_only}
still_learning = [k for k in long_scores  # strategies the longer budget improves, paired by seed
                  if stats.verdict(stats.compare(short_scores[k], long_scores[k], paired=True), False) == "better"]
glue("q4_still_learning", ", ".join(still_learning) if still_learning else "none")
print(f"{long_steps} steps, n = {n_key} per digit: real only {long_real.mean():.2f}, {long_best_strategy} "
      f"{long_best.mean():.2f} (gain {long_gain:.2f} points, spread {long_spread:.2f}): {long_verdict}; "
      f"better in {long_wins} of {seeds} seeds; synthetic-only headroom {headroom:.2f} points")
table_e

# %% [markdown]
# ## B. Portions of the real and synthetic pools
#
# Real pool: {glue:text}`q4_portion_pool` images per digit; synthetic pool: the
# whole synthetic set. Each is used at the listed fractions, with plain mixing
# (0% synthetic = real only).

# %% tags=["hide-input"]
pool = settings["portion_pool"]
glue("q4_portion_pool", pool)
portions = settings["portions"]
grid = pd.DataFrame(index=pd.Index([int(p * 100) for p in portions], name="real % of pool"),
                    columns=pd.Index([0] + [int(p * 100) for p in portions], name="synthetic % of pool"), dtype=float)
for p_real in portions:
    n = max(1, int(round(p_real * pool)))
    grid.loc[int(p_real * 100), 0] = np.mean([run("real only", n, s) for s in range(seeds)])
    for p_syn in portions:
        count = int(round(p_syn * settings["pool_per_class"]))
        idx = synthetic.first_per_class(count, settings["pool_per_class"])
        grid.loc[int(p_real * 100), int(p_syn * 100)] = np.mean(
            [run("mix", n, s, synthetic_data=(x_syn[idx], y_syn[idx]), tag=pool_tag(count)) for s in range(seeds)])
low_real, high_real = grid.index.min(), grid.index.max()
for real_pct, tag in ((low_real, "low"), (high_real, "high")):  # each real portion without and with all synthetic
    glue(f"q4_portion_{tag}_real_pct", int(real_pct))
    glue(f"q4_portion_{tag}_none", float(grid.loc[real_pct, 0]))
    glue(f"q4_portion_{tag}_all", float(grid.loc[real_pct, grid.columns.max()]))
fig, ax = plt.subplots(figsize=(plots.COLUMN, 2.4), layout="constrained")
sns.heatmap(grid, annot=True, fmt=".1f", cmap="viridis", ax=ax, annot_kws={"size": 7}, cbar=False)
ax.set_title(f"test accuracy %, mean of {seeds} seeds")
plots.save(fig, figures and f"{figures}/q4_portions.png")
plt.show()

# %% [markdown]
# ## C. How many synthetic images per real one?
#
# At {glue:text}`q4_key_n` real images per digit, plain mixing with a growing
# ratio of synthetic to real images (0 = real only).

# %% tags=["hide-input"]
ratio_rows = {}
for ratio in settings["ratios"]:
    count = min(settings["pool_per_class"], ratio * n_key)
    idx = synthetic.first_per_class(count, settings["pool_per_class"])
    values = ([run("real only", n_key, s) for s in range(seeds)] if ratio == 0 else
              [run("mix", n_key, s, synthetic_data=(x_syn[idx], y_syn[idx]), tag=pool_tag(count))
               for s in range(seeds)])
    validation = ([run("real only", n_key, s, on="validation") for s in range(seeds)] if ratio == 0 else
                  [run("mix", n_key, s, synthetic_data=(x_syn[idx], y_syn[idx]), tag=pool_tag(count), on="validation")
                   for s in range(seeds)])
    ratio_rows[ratio] = {"synthetic per digit": count, "accuracy %": mean_std(values), "mean": np.mean(values),
                         "validation": np.mean(validation)}
ratio_table = pd.DataFrame(ratio_rows).T.rename_axis("synthetic : real")
best_ratio = ratio_table["validation"].astype(float).idxmax()  # chosen on validation images
glue("q4_best_ratio", int(best_ratio))
glue("q4_best_ratio_accuracy", float(ratio_table.loc[best_ratio, "mean"]))
ratio_table.drop(columns=["mean", "validation"])

# %% [markdown]
# ## D. A CGAN that saw only the few real images
#
# For each size and seed we train the Q2 projection CGAN on exactly the real
# images the classifier gets, for a fixed number of generator steps, and
# repeat the comparison with its samples. The confidence filter now uses the
# real-only classifier of the same seed, since a classifier trained on all
# real data would not exist in this setting.

# %% tags=["hide-input"]
def own_gan(n, s):
    """The Q2 projection CGAN trained on the n real images per digit of seed s, for about own_gan_steps G steps."""
    batch = min(64, 5 * n)
    epochs = max(1, settings["own_gan_steps"] // (10 * n // batch))
    return cgan_variants["projection D"].replace(n_per_class=n, seed=s, batch_size=batch, epochs=epochs)


own_runs = train_many({(n, s): own_gan(n, s) for n in settings["own_gan_sizes"] for s in range(seeds)},
                      scheduler, progress)
own_rows = {}
for n in settings["own_gan_sizes"]:
    values = {s: [] for s in ("real only", "mix", "filtered mix", "pretrain + fine-tune", "synthetic only")}
    for s in range(seeds):
        own = own_runs[(n, s)]
        own_x, own_y = synthetic.synthetic_pool(own.generator, settings["pool_per_class"], seed=30_000)
        own_id = cache.config_key(own.config)
        own_confidence = evaluation.cached(synthetic.filter_confidence, *real(n, s), own_x, own_y, s, steps, batch_size)
        own_keep = own_confidence >= tau
        for strategy in values:
            keep_arg = own_keep if strategy == "filtered mix" else None
            values[strategy].append(run(strategy, n, s, synthetic_data=(own_x, own_y), keep=keep_arg,
                                        tag=f"own gan {own_id}"))
    own_rows[n] = {strategy: mean_std(v) for strategy, v in values.items()}
    for strategy in values:  # each strategy with the own GAN's samples against the same real images alone
        if strategy != "real only":
            key = strategy.replace(" + ", "_").replace(" ", "_").replace("-", "_")
            glue(f"q4_own_{n}_{key}_verdict", against_real_only(values["real only"], values[strategy]))
    glue(f"q4_own_{n}_real", float(np.mean(values["real only"])))
    own_best = max((k for k in values if k != "real only"), key=lambda k: np.mean(values[k]))
    glue(f"q4_own_{n}_best", float(np.mean(values[own_best])))
    glue(f"q4_own_{n}_best_strategy", own_best)
    glue(f"q4_own_{n}_spread", float(max(np.std(values[k], ddof=1) for k in ("real only", own_best)))
         if seeds > 1 else 0.0)
    for strategy, accuracies in values.items():  # every cell, the harmful ones included
        key = strategy.replace(" + ", "_").replace(" ", "_").replace("-", "_")
        glue(f"q4_own_{n}_{key}", float(np.mean(accuracies)))
pd.DataFrame(own_rows).T.rename_axis("real per digit")

# %% [markdown]
# ## Discussion
#
# *Setting.* Every classifier has the Q3 architecture and trains for
# {glue:text}`q4_steps` steps of batch {glue:text}`q4_batch` in all, whatever
# its data (pretraining then fine-tuning: half on each phase); {glue:text}`q4_seeds` seeds per cell; {glue:text}`q4_pool`
# synthetic images per digit from `models/cgan.pt`; accuracy on
# {glue:text}`q4_n_test` real test images.
#
# *The headline.* With {glue:text}`q4_key_n` real images per digit, real data
# alone gives {glue:text}`q4_key_real:.1f`% and the best strategy with synthetic
# images, **{glue:text}`q4_key_best_strategy`**, {glue:text}`q4_key_best:.1f`%: a
# gain of {glue:text}`q4_key_gain:.1f` points against a seed spread of
# {glue:text}`q4_key_real_std:.1f`, so at {glue:text}`q4_steps` steps it
# {glue:text}`q4_key_verdict`. Synthetic images alone, with no real image at
# all, reach {glue:text}`q4_synthetic_only:.1f` ±
# {glue:text}`q4_synthetic_only_std:.1f`% (the classification accuracy score of
# the CGAN); all 60k real images, trained far longer, give
# {glue:text}`q4_full_real:.2f`%.
#
# *Is the budget the limit?* With {glue:text}`q4_long_steps` steps for every
# strategy, real data alone gives {glue:text}`q4_long_real:.1f`% and
# {glue:text}`q4_long_best_strategy` {glue:text}`q4_long_best:.1f`% (synthetic
# only {glue:text}`q4_long_synthetic_only:.1f`%): a gain of
# {glue:text}`q4_long_gain:.1f` points, so it {glue:text}`q4_long_verdict`.
# Strategies that the longer budget improves (paired by seed):
# {glue:text}`q4_still_learning`. Those were still learning at
# {glue:text}`q4_steps` steps, so table A understates them: a fixed budget
# makes conditions comparable only if it is large enough for the largest
# training set.
#
# *The spread.* {glue:text}`q4_long_best_strategy` is higher than real data alone in
# {glue:text}`q4_long_wins` of {glue:text}`q4_seeds` seeds, each with its own
# ten digits per class. The seed spread (up to {glue:text}`q4_long_spread:.1f`
# points) comes from which ten digits a seed draws; pairing by seed
# takes it out of the comparison, since every strategy of a seed sees the
# same real digits. The gain is capped by what the synthetic digits can
# teach: synthetic digits alone reach {glue:text}`q4_long_synthetic_only:.1f`%,
# {glue:text}`q4_headroom:+.1f` points against real data alone. At one digit
# per class (table A) real data alone gives {glue:text}`q4_a_1_real_only:.1f` ±
# {glue:text}`q4_a_1_real_only_std:.1f`% and the mix {glue:text}`q4_a_1_mix:.1f` ±
# {glue:text}`q4_a_1_mix_std:.1f`%: it {glue:text}`q4_a_1_verdict`. At five per
# class real data alone gives {glue:text}`q4_a_5_real_only:.1f` ±
# {glue:text}`q4_a_5_real_only_std:.1f`% and the mix {glue:text}`q4_a_5_mix:.1f` ±
# {glue:text}`q4_a_5_mix_std:.1f`%: it {glue:text}`q4_a_5_verdict`.
#
# *Did the training strategy have to change?* The best strategy by mean
# validation accuracy, at each number of real digits: {glue:text}`q4_best_by_n`.
# At one per digit pretraining on synthetic digits then fine-tuning on the ten
# real ones gives {glue:text}`q4_a_1_pretrain_fine_tune:.1f`%, against
# {glue:text}`q4_a_1_mix:.1f`% for the mix.
# With the most real digits, {glue:text}`q4_n_top` per digit,
# {glue:text}`q4_top_synthetic_pct:.0f`% of the mix's images are still synthetic,
# and the mix ends {glue:text}`q4_mix_at_top_verdict`; pretraining then
# fine-tuning, which ends on real data, gives
# {glue:text}`q4_top_pretrain_fine_tune:.1f`% (real data alone:
# {glue:text}`q4_top_real_only:.1f`%). The confidence filter keeps
# {glue:text}`q4_kept_pct:.1f`% of the samples at the threshold chosen on
# validation data, $\tau =$ {glue:text}`q4_tau`, since the published CGAN almost
# always draws the digit it is asked for. Of the synthetic-to-real ratios of
# table C, {glue:text}`q4_best_ratio`:1 gives the best mean validation
# accuracy (test: {glue:text}`q4_best_ratio_accuracy:.1f`%).
#
# *Where the gain comes from.* The CGAN saw all 60k labelled digits, and its
# samples can pass that knowledge on. The control is a CGAN trained on only the
# real digits the classifier sees. With ten per class, against
# {glue:text}`q4_own_10_real:.1f`% for real data alone:
# the mix {glue:text}`q4_own_10_mix:.1f`%
# ({glue:text}`q4_own_10_mix_verdict`),
# the filtered mix {glue:text}`q4_own_10_filtered_mix:.1f`%
# ({glue:text}`q4_own_10_filtered_mix_verdict`),
# pretraining then fine-tuning {glue:text}`q4_own_10_pretrain_fine_tune:.1f`%
# ({glue:text}`q4_own_10_pretrain_fine_tune_verdict`) and
# its samples alone {glue:text}`q4_own_10_synthetic_only:.1f`%
# ({glue:text}`q4_own_10_synthetic_only_verdict`).
# With 100 per class, against {glue:text}`q4_own_100_real:.1f`%:
# the mix {glue:text}`q4_own_100_mix:.1f`%
# ({glue:text}`q4_own_100_mix_verdict`),
# the filtered mix {glue:text}`q4_own_100_filtered_mix:.1f`%
# ({glue:text}`q4_own_100_filtered_mix_verdict`),
# pretraining then fine-tuning {glue:text}`q4_own_100_pretrain_fine_tune:.1f`%
# ({glue:text}`q4_own_100_pretrain_fine_tune_verdict`) and
# its samples alone {glue:text}`q4_own_100_synthetic_only:.1f`%
# ({glue:text}`q4_own_100_synthetic_only_verdict`).
# A GAN cannot add information its training images lack; at best it acts as a
# learned augmentation of them, and the verdicts above say whether it did even that.

# %% tags=["remove-cell"]
glue_markdown("q4_rerun", rerun_box("q4_retraining", seeds, [reference_run, *own_runs.values()]))
