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
# # Q2 · Conditional GAN: asking for a digit
#
# A conditional GAN (Mirza & Osindero 2014) gives both networks the class
# label $y$: the generator draws $G(z, y)$ and the discriminator judges pairs
# $(x, y)$, so that
#
# $$\min_G \max_D \; \mathbb E_{x,y}\,\log D(x, y) + \mathbb E_{z,y}\,\log\bigl(1 - D(G(z, y), y)\bigr).$$
#
# We compare two ways of feeding $y$ to the discriminator, then tricks
# against one baseline, and ask whether the model collapses *within* a class
# (every "3" alike) even when it is asked for all ten classes.

# %% [markdown]
# ```{glue:md} q2_rerun
# :format: myst
# ```

# %% tags=["parameters", "hide-input"]
profile = "smoke"  # "smoke": a tiny budget for the tests; "report": the budget behind the book
seeds = 3  # seeds for the baseline and for the two best variants
progress = False  # tqdm progress bars while training
publish = "auto"  # write models/ and book/figures/: "auto" (only at the report profile), True or False
scheduler = None  # where uncached runs train: None (GANUTILS_SCHEDULER or "local"), "in-process", tcp://host:8786

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
import torch

from ganutils import artifacts, evaluation, experiments, metrics, plots, stats
from ganutils.cluster import train_many
from ganutils.data import training_sample
from ganutils.models import Discriminator, Generator, n_parameters
from ganutils.report import glue, glue_markdown, rerun_box
from ganutils.train import sample_epochs

publish, figures = experiments.start_chapter(globals())
classifier_run = experiments.reference_classifier(profile, progress)
classifier = classifier_run.model
n_eval = experiments.EVAL_SAMPLES[profile]

# %% [markdown]
# ## Three conditional architectures
#
# * **Concatenation** (the baseline). G receives $[z, \mathrm{onehot}(y)]$;
#   D receives the image with ten extra constant channels, the one-hot label
#   broadcast over the $28\times28$ grid.
# * **Projection D** (Miyato & Koyama 2018). D computes features $\phi(x)$ from
#   the image alone and outputs $\psi(\phi(x)) + e_y^\top \phi(x)$ with a
#   learned class embedding $e_y$: the label enters as an inner product, which
#   corresponds to modelling the log density ratio of each class. G as above.
# * **Projection D + conditional batch norm in G** (de Vries et al. 2017, as in
#   Miyato & Koyama's generator). G gets no label input; instead every batch
#   norm has a per-class scale and shift, $\gamma_y \hat h + \beta_y$, so the
#   label modulates every layer rather than only the first.

# %% tags=["hide-input"]
baseline, variants = experiments.cgan_variants(profile)
projection, cbn = variants["projection D"], variants["projection D + CBN G"]
layers = pd.DataFrame({
    "network": ["G concat", "G conditional BN", "D concat", "D projection"],
    "layers": ["[z, onehot y] → Linear → 2w·7·7, BN, ReLU → ConvT(2w→w), BN, ReLU → ConvT(w→1), tanh",
               "z → Linear → 2w·7·7, CBN(y), ReLU → ConvT(2w→w), CBN(y), ReLU → ConvT(w→1), tanh",
               "[x, 10 label maps] → Conv(11→w, s2), LReLU → Conv(w→2w, s2), BN, LReLU → Linear → logit",
               "x → Conv(1→w, s2), LReLU → Conv(w→2w, s2), BN, LReLU → φ(x); Linear(φ) + e_y·φ"],
    "parameters": [n_parameters(Generator(**baseline.generator_kwargs())),
                   n_parameters(Generator(**cbn.generator_kwargs())),
                   n_parameters(Discriminator(**baseline.discriminator_kwargs())),
                   n_parameters(Discriminator(**projection.discriminator_kwargs()))],
})
glue("q2_width", baseline.width_g)
glue("q2_epochs", baseline.epochs)
layers

# %% tags=["hide-input"]
# NBVAL_CHECK_OUTPUT
print(layers[["network", "parameters"]].to_string(index=False))

# %% [markdown]
# ## Variants
#
# | variant | challenge addressed |
# |---|---|
# | projection D | how strongly D can check that image and label agree |
# | projection D + CBN G | how strongly G can act on the label (at every layer) |
# | label smoothing | an over-confident D (real targets 0.9) |
# | virtual BN | batch coupling in G and D (fixed reference batch) |
# | 2 D steps | balance: a better trained D per G step |
# | TTUR | balance by learning rates (D 4e-4, G 1e-4) |
# | D / G double width | capacity of each player |
# | projection D + smoothing | the two changes expected to help, combined (not a one-change variant) |
#
# Every variant is trained with seed 0; the baseline with several seeds. The
# two best variants (lowest FID against training images, so that the test set
# is never used for a choice) are then repeated with the same seeds.

# %% tags=["hide-input"]
runs = train_many({f"baseline (seed {s})": baseline.replace(seed=s) for s in range(seeds)} | variants,
                  scheduler, progress)

# %% [markdown]
# Each generator draws {glue:text}`q2_n_eval` images and is compared with as
# many real training images. It is asked for exactly the labels of those real
# images, so both sets hold the same mix of digits (MNIST's classes are not
# equal in size) and a distance between them measures the images alone.

# %% tags=["hide-input"]
x_real, real_labels = training_sample(n_eval, seed=0)
real_logits, real_features = evaluation.classify(classifier, x_real)
real_diversity = metrics.within_class_diversity(real_features, real_labels)
labels = real_labels  # the generators are asked for the real reference's digits


def score(run, generator=None):
    """Q2's measures of a run's generator (or of `generator`, another one from the same run)."""
    logits, features = evaluation.classify_samples(generator or run.generator, classifier, labels=labels, seed=10_000)
    hit = logits.argmax(1) == labels
    recall = [metrics.precision_recall(real_features[real_labels == c], features[labels == c])[1] for c in range(10)]
    diversity = metrics.within_class_diversity(features, labels) / real_diversity
    summary = {
        "success %": 100 * hit.float().mean().item(),
        "FID (train)": metrics.frechet_distance(features, real_features),
        "diversity ratio": float(diversity.mean()),
        "min class diversity": float(diversity.min()),
        "mean class recall": sum(recall) / 10,
        "train s": run.seconds,
    }
    per_class = pd.DataFrame({"success %": [100 * hit[labels == c].float().mean().item() for c in range(10)],
                              "diversity ratio": diversity.numpy(), "recall": recall})
    return summary, per_class, logits


scores = {name: score(run) for name, run in runs.items()}
table = pd.DataFrame({name: s[0] for name, s in scores.items()}).T
base_success = table.loc[[f"baseline (seed {s})" for s in range(seeds)], "success %"].to_numpy()
for name in variants:
    key = name.lower().replace(" + ", "_").replace(" ", "_")
    glue(f"q2_success_{key}", table.loc[name, "success %"])
    # one run against the baseline's seeds: the study's one rule (a 95% prediction interval)
    glue(f"q2_verdict_{key}", stats.verdict(stats.compare(base_success, [table.loc[name, "success %"]]),
                                            lower_is_better=False))
    glue(f"q2_fid_{key}", table.loc[name, "FID (train)"])
    glue(f"q2_div_{key}", table.loc[name, "diversity ratio"])
concat_variants = [name for name, config in variants.items() if config.conditioning == "concat"]
best_concat = max(concat_variants, key=lambda name: table.loc[name, "success %"])  # the best change keeping concat
glue("q2_best_concat_name", best_concat)
glue("q2_best_concat_success", table.loc[best_concat, "success %"])
print(f"{n_eval} samples per run, {n_eval // 10} per digit")
table.style.format(precision=3)

# %% [markdown]
# ## The two best variants, repeated with seeds
#
# One seed cannot separate close variants, so the two best of the first round
# are repeated with every seed; the lower mean FID over seeds decides which
# design goes on to the long stage below.

# %% tags=["hide-input"]
first_round = table.drop(index=[f"baseline (seed {s})" for s in range(1, seeds)])
finalists = ["baseline" if name.startswith("baseline") else name
             for name in first_round["FID (train)"].nsmallest(2).index]
repeats = {f"{variant} (seed {s})": variants[variant].replace(seed=s)
           for variant in finalists if variant != "baseline" for s in range(1, seeds)}  # the baseline has every seed
for name, run in train_many(repeats, scheduler, progress).items():
    runs[name], scores[name] = run, score(run)
table = pd.DataFrame({name: s[0] for name, s in scores.items()}).T


def seed_rows(variant):
    if variant == "baseline":
        return [f"baseline (seed {s})" for s in range(seeds)]
    return [variant] + [f"{variant} (seed {s})" for s in range(1, seeds)]


best_variant, runner_up = sorted(finalists, key=lambda v: table.loc[seed_rows(v), "FID (train)"].mean())
summary = pd.DataFrame({
    variant: {f"{metric} {stat}": getattr(table.loc[seed_rows(variant), metric], stat)()
              for metric in ("success %", "FID (train)", "diversity ratio") for stat in ("mean", "std")}
    for variant in dict.fromkeys(["baseline", best_variant, runner_up])
}).T
for key, variant in (("base", "baseline"), ("best", best_variant), ("second", runner_up)):
    for metric, short in (("success %", "success"), ("FID (train)", "fid"), ("diversity ratio", "div")):
        glue(f"q2_{key}_{short}_mean", summary.loc[variant, f"{metric} mean"])
        glue(f"q2_{key}_{short}_std", float(summary.loc[variant, f"{metric} std"]) if seeds > 1 else 0.0)
# the study's one rule: a two-sided t-test at 5%, paired by seed (both finalists ran seeds 0..seeds-1)
finalists_test = stats.compare(table.loc[seed_rows(best_variant), "FID (train)"].to_numpy(),
                               table.loc[seed_rows(runner_up), "FID (train)"].to_numpy(), paired=True)
verdict = ("not judged: one seed gives no spread to compare it with" if finalists_test.test == "none" else
           f"{'significant' if finalists_test.significant else 'within noise'} ({stats.describe(finalists_test)})")
glue("q2_finalists_verdict", verdict)
glue("q2_second_variant", runner_up)
glue("q2_best_variant", best_variant)
glue("q2_seeds", seeds)
glue("q2_n_eval", n_eval)
worst_name = table["FID (train)"].idxmax()
glue("q2_worst_name", worst_name)
glue("q2_worst_fid", table.loc[worst_name, "FID (train)"])
glue("q2_worst_success", table.loc[worst_name, "success %"])
summary.style.format(precision=3)

# %% [markdown]
# ## The best design, trained longer
#
# The comparison above ranks designs at a short budget. The model the study
# publishes comes from a longer stage: the best design trained again for
# {glue:text}`q2_long_epochs` epochs with every seed and, because the long
# runs' samples still vary less within a digit than real ones do (diversity
# ratio below 1), the same design with G's width doubled
# ({glue:text}`q2_wide_width` channels), which gives G more room to spread
# each class. Every long run also keeps an exponential moving average (EMA) of
# G's weights (decay {glue:text}`q2_long_ema` per G step; Yazici et al. 2019).
# The average does not change training, so each run also yields its raw
# generator and the table shows what averaging alone is worth. Of all these
# generators (every design and seed, averaged and raw), the one with the lowest
# FID against training images becomes `models/cgan.pt`.

# %% tags=["hide-input"]
best_config = baseline if best_variant == "baseline" else variants[best_variant]
long_designs = experiments.long_cgan_designs(best_variant, best_config, profile)
design_rows = {design: [f"{design}, {config.epochs} epochs (seed {s})" for s in range(seeds)]
               for design, config in long_designs.items()}
long_runs = train_many({name: config.replace(seed=s) for design, config in long_designs.items()
                        for s, name in enumerate(design_rows[design])}, scheduler, progress)
for name, run in long_runs.items():
    runs[name], scores[name] = run, score(run)
    scores[f"{name}, raw"] = score(run, artifacts.generator_from_package(run.raw_generator_package))
table = pd.DataFrame({name: s[0] for name, s in scores.items()}).T
long_rows = [name for rows in design_rows.values() for name in rows]
long_table = table.loc[long_rows + [f"{name}, raw" for name in long_rows]]
best_name = long_table["FID (train)"].idxmin()
best_is_raw = best_name.endswith(", raw")
best = runs[best_name.removesuffix(", raw")]
best_generator = artifacts.generator_from_package(best.publishable(raw=best_is_raw))
(plain_design, plain_config), (wide_design, wide_config) = long_designs.items()
for design, prefix in ((plain_design, "q2"), (wide_design, "q2_wide")):
    rows = design_rows[design]
    for weights, tag in ((rows, "long"), ([f"{name}, raw" for name in rows], "raw")):
        for metric, short in (("success %", "success"), ("FID (train)", "fid"), ("diversity ratio", "div"),
                              ("mean class recall", "recall")):
            glue(f"{prefix}_{tag}_{short}_mean", table.loc[weights, metric].mean())
            glue(f"{prefix}_{tag}_{short}_std", float(table.loc[weights, metric].std(ddof=1)) if seeds > 1 else 0.0)
    glue(f"{prefix}_long_minutes", table.loc[rows, "train s"].mean() / 60)
raw_fid = table.loc[[f"{name}, raw" for name in long_rows], "FID (train)"].to_numpy()
ema_fid = table.loc[long_rows, "FID (train)"].to_numpy()
ema_test = stats.compare(raw_fid, ema_fid, paired=True)  # the average against the raw G of the same run
ema_verdict = (f"lowers FID in {(ema_fid < raw_fid).sum()} of {len(ema_fid)} runs "
               f"({stats.describe(ema_test)}: {stats.verdict(ema_test, lower_is_better=True)})")
glue("q2_ema_verdict", ema_verdict)
glue("q2_long_epochs", plain_config.epochs)
glue("q2_long_ema", plain_config.ema)
glue("q2_wide_width", wide_config.width_g)
glue("q2_best_name", best_name)
glue("q2_best_success", table.loc[best_name, "success %"])
if publish:
    artifacts.save_package(best.publishable(raw=best_is_raw), "../models/cgan.pt")
long_table.style.format(precision=3)

# %% [markdown]
# ## Style and class: one noise vector per column
#
# Each column shares one $z$ across the ten rows (digits 0-9). If the model
# separates class from style, a column keeps its slant and stroke width while
# the digit changes.

# %% tags=["hide-input"]
generator = best_generator
z = torch.randn(10, generator.model.z_dim, generator=torch.Generator().manual_seed(7))
grid = generator.generate(labels=torch.arange(10).repeat_interleave(10), noise=z.repeat(10, 1))
fig, ax = plt.subplots(figsize=(plots.COLUMN, plots.COLUMN))
plots.show_grid(grid, nrow=10, ax=ax, title="published CGAN: one digit per row, one noise vector z per column")
plots.save(fig, figures and f"{figures}/q2_style_grid.png")
plt.show()

# %% [markdown]
# ### Over training and across variants
#
# Fixed noise after every epoch of the best run (rows are digits), then the
# last epoch of each variant.

# %% tags=["hide-input"]
recorded = sample_epochs(best.config)
shown = sorted({round(i * (len(recorded) - 1) / 5) for i in range(6)})  # at most six, first and last included
fig = plots.grids({f"epoch {recorded[i]}": best.samples[i] for i in shown}, nrow=10, ncols=len(shown))
plots.save(fig, figures and f"{figures}/q2_evolution.png")
plt.show()
fig = plots.grids({name: run.samples[-1] for name, run in runs.items()
                   if ("(seed" not in name or "seed 0" in name) and "epochs" not in name}, nrow=10, ncols=4)
plots.save(fig, figures and f"{figures}/q2_variants.png")
plt.show()

# %% [markdown]
# ## Failure cases
#
# For every digit, the ten samples of the best run that the classifier finds
# least like the digit they were asked to be (lowest probability of the
# conditioning label), with the classifier's own reading.

# %% tags=["hide-input"]
_, _, logits = scores[best_name]
images = best_generator.generate(labels=labels, seed=10_000)  # the images score() classified
p_label = torch.softmax(logits, 1)[torch.arange(len(labels)), labels]
worst = torch.cat([torch.nonzero(labels == c).flatten()[p_label[labels == c].argsort()[:10]] for c in range(10)])
fig, ax = plt.subplots(figsize=(plots.COLUMN, plots.COLUMN))
plots.show_grid(images[worst], nrow=10, ax=ax, title="least convincing 10 per digit (rows = requested digit)")
plots.save(fig, figures and f"{figures}/q2_failures.png")
plt.show()
readings = logits[worst].argmax(1).view(10, 10)
pd.DataFrame(readings.numpy(), index=[f"asked {c}" for c in range(10)]).style.set_caption("classifier's reading")

# %% [markdown]
# ## Collapse within a class
#
# Per digit: the share of samples the classifier reads as the requested digit,
# the within-class diversity of classifier features relative to real images of
# that digit, and the recall of the real digit's feature manifold
# (Kynkäänniemi et al. 2019, k = 3): the share of real images of that digit
# that lie within the generated manifold.

# %% tags=["hide-input"]
per_class = pd.concat({name: scores[name][1] for name in ["baseline (seed 0)", best_name]}, axis=1)
fig, axes = plt.subplots(1, 3, figsize=(plots.PAGE, 2.4), layout="constrained")
for ax, metric in zip(axes, ("success %", "diversity ratio", "recall")):
    per_class.xs(metric, axis=1, level=1).plot.bar(ax=ax, legend=False, rot=0)
    ax.set_title(metric)
    ax.set_xlabel("digit")
axes[0].set_ylim(max(0, per_class.xs("success %", axis=1, level=1).values.min() - 5), 100)
axes[1].axhline(1.0, color="k", lw=0.8, ls=":")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2)
plots.save(fig, figures and f"{figures}/q2_per_class.png")
plt.show()
best_classes = scores[best_name][1]
glue("q2_min_class_div", float(best_classes["diversity ratio"].min()))
glue("q2_min_class_div_digit", int(best_classes["diversity ratio"].idxmin()))
glue("q2_min_class_recall", float(best_classes["recall"].min()))
glue("q2_min_class_recall_digit", int(best_classes["recall"].idxmin()))
glue("q2_min_class_success", float(best_classes["success %"].min()))
glue("q2_min_class_success_digit", int(best_classes["success %"].idxmin()))
per_class.style.format(precision=3)

# %% [markdown]
# ## Training curves

# %% tags=["hide-input"]
fig = plots.training_curves({name: runs[name].history for name in
                             ["baseline (seed 0)", "projection D", "projection D + CBN G", "label smoothing"] if name in runs})
plots.save(fig, figures and f"{figures}/q2_curves.png")
plt.show()

# %% [markdown]
# ## Discussion
#
# *Setting.* {glue:text}`q2_epochs` epochs over the 60k labelled images at base
# width {glue:text}`q2_width`; {glue:text}`q2_n_eval` samples per run (with the
# digits of as many real training images); {glue:text}`q2_seeds` seeds for the
# baseline and the two best variants.
#
# *Best and worst.* The best variant is **{glue:text}`q2_best_variant`**:
# success {glue:text}`q2_best_success_mean:.2f` ± {glue:text}`q2_best_success_std:.2f`%
# and FID {glue:text}`q2_best_fid_mean:.2f` ± {glue:text}`q2_best_fid_std:.2f` over
# seeds, against the baseline's {glue:text}`q2_base_success_mean:.2f` ±
# {glue:text}`q2_base_success_std:.2f`% and {glue:text}`q2_base_fid_mean:.2f` ±
# {glue:text}`q2_base_fid_std:.2f`. The runner-up,
# {glue:text}`q2_second_variant`, reaches FID {glue:text}`q2_second_fid_mean:.2f` ±
# {glue:text}`q2_second_fid_std:.2f`; the gap between the two is
# {glue:text}`q2_finalists_verdict`. Trained for {glue:text}`q2_long_epochs`
# epochs (about {glue:text}`q2_long_minutes:.0f` minutes per seed on this CPU, as
# recorded; some long runs shared the two cores with other jobs, so these times
# overstate an uncontended run),
# the same design reaches {glue:text}`q2_long_success_mean:.2f` ±
# {glue:text}`q2_long_success_std:.2f`% success and FID
# {glue:text}`q2_long_fid_mean:.2f` ± {glue:text}`q2_long_fid_std:.2f` with the
# weight average, against {glue:text}`q2_raw_success_mean:.2f` ±
# {glue:text}`q2_raw_success_std:.2f`% and {glue:text}`q2_raw_fid_mean:.2f` ±
# {glue:text}`q2_raw_fid_std:.2f` for the same runs' raw generators. With
# G twice as wide (about {glue:text}`q2_wide_long_minutes:.0f` minutes per
# seed) the raw generators reach {glue:text}`q2_wide_raw_success_mean:.2f` ±
# {glue:text}`q2_wide_raw_success_std:.2f`% and FID
# {glue:text}`q2_wide_raw_fid_mean:.2f` ± {glue:text}`q2_wide_raw_fid_std:.2f`
# (averaged: {glue:text}`q2_wide_long_fid_mean:.2f` ±
# {glue:text}`q2_wide_long_fid_std:.2f`), with diversity ratio
# {glue:text}`q2_wide_raw_div_mean:.2f` against
# {glue:text}`q2_raw_div_mean:.2f` at the narrower width. The best of all
# these generators, {glue:text}`q2_best_name`
# ({glue:text}`q2_best_success:.2f`% success on this chapter's samples), is published as
# `models/cgan.pt` and is the model of Q3-Q5. Against the raw generator of the
# same run, the weight average {glue:text}`q2_ema_verdict`.
# The worst run is {glue:text}`q2_worst_name` (FID {glue:text}`q2_worst_fid:.2f`,
# success {glue:text}`q2_worst_success:.2f`%).
#
# *Mode collapse.* Conditioning rules out the Q1 failure of missing digits,
# so collapse can only hide inside a class. For the best run the least varied
# digit is {glue:text}`q2_min_class_div_digit` (diversity ratio
# {glue:text}`q2_min_class_div:.2f` of real), the worst-recalled digit
# {glue:text}`q2_min_class_recall_digit` (recall
# {glue:text}`q2_min_class_recall:.2f`), and the hardest digit to produce
# {glue:text}`q2_min_class_success_digit`
# ({glue:text}`q2_min_class_success:.1f`% success).
#
# *Projection.* Feeding the label as ten constant input maps lets D
# check class only through its first convolution; the projection term
# $e_y^\top\phi(x)$ asks D to match the class against its final features, and
# that pressure reaches G. Projection D alone reaches
# {glue:text}`q2_success_projection_d:.1f`% success (FID
# {glue:text}`q2_fid_projection_d:.2f`; {glue:text}`q2_verdict_projection_d`
# against the baseline's seeds), while the best single change that keeps
# concatenation, {glue:text}`q2_best_concat_name`, reaches
# {glue:text}`q2_best_concat_success:.1f`%. Its within-class diversity ratio is
# {glue:text}`q2_div_projection_d:.2f` against the baseline's
# {glue:text}`q2_base_div_mean:.2f` (below 1: digits more typical than real
# ones), and the per-digit recall above shows how much of each class's variety
# survives.
#
# *Conditional batch norm.* With no label at G's input, the class acts only
# through per-class scales and shifts initialised at the identity; at this
# budget it reaches {glue:text}`q2_success_projection_d_cbn_g:.1f`% success
# ({glue:text}`q2_verdict_projection_d_cbn_g` against the baseline's seeds). Whether
# longer training rescues it, this study did not test.
#
# *Balance and capacity.* Success against the baseline's seeds, by the study's
# one rule (a run outside the seeds' 95% prediction interval differs). Two D
# steps per G step ({glue:text}`q2_success_2_d_steps:.1f`%:
# {glue:text}`q2_verdict_2_d_steps`) and TTUR
# ({glue:text}`q2_success_ttur:.1f`%: {glue:text}`q2_verdict_ttur`) give G
# fewer or smaller updates at a fixed budget of D steps, as in Q1. Doubling
# D's width ({glue:text}`q2_success_d_double_width:.1f`%:
# {glue:text}`q2_verdict_d_double_width`) or G's
# ({glue:text}`q2_success_g_double_width:.1f`%:
# {glue:text}`q2_verdict_g_double_width`); label smoothing
# ({glue:text}`q2_success_label_smoothing:.1f`%:
# {glue:text}`q2_verdict_label_smoothing`) and virtual BN
# ({glue:text}`q2_success_virtual_bn:.1f`%: {glue:text}`q2_verdict_virtual_bn`).

# %% tags=["remove-cell"]
glue_markdown("q2_rerun", rerun_box("q2_cgan", seeds, [classifier_run, *runs.values()]))
