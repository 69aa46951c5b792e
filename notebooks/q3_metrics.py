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
# # Q3 · How good are the samples? Several metrics, one lens
#
# Every metric here looks through the same MNIST classifier: its softmax for
# the success rate and the Inception score, its 128-d penultimate features for
# the Fréchet and kernel distances and for the manifold metrics. The reference
# is always the 10,000 real **test** images, which no model or choice in this
# study was fitted to.

# %% [markdown]
# ```{glue:md} q3_rerun
# :format: myst
# ```

# %% tags=["parameters", "hide-input"]
profile = "smoke"  # "smoke": a tiny budget for the tests; "report": the budget behind the book
seeds = 3  # must match Q2: the CGAN seeds scored here
progress = False
publish = "auto"  # write book/figures/: "auto" (only at the report profile), True or False
scheduler = None  # where uncached runs train: None (GANUTILS_SCHEDULER or "local"), "in-process", tcp://host:8786

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import torch
from matplotlib.colors import LogNorm

from ganutils import artifacts, evaluation, experiments, metrics, plots
from ganutils.cluster import train_many
from ganutils.data import load_mnist, subset_per_class, training_sample
from ganutils.report import glue, glue_markdown, rerun_box

publish, figures = experiments.start_chapter(globals())
n_eval = experiments.EVAL_SAMPLES[profile]
classifier_run = experiments.reference_classifier(profile, progress)
classifier = classifier_run.model
x_test, y_test = load_mnist(train=False)
x_train, y_train = load_mnist(train=True)

# %% [markdown]
# ## The classifier and the success rate
#
# The classifier (two VGG-style blocks of 3×3 convolutions with batch norm,
# a 128-unit layer and a softmax; random shifts of up to 2 pixels; trained on
# the 60k training images) is first scored on the real test set. The
# **success rate** of a CGAN is the same classifier's accuracy on generated
# images against the labels the CGAN was asked for: the digits of as many real
# training images, so that the samples hold MNIST's own mix of digits. Every
# metric in this chapter (and Q5) scores these same samples, so the published
# model has one number per metric here and in Q5 (Q2 scored it on its own
# draw of labels and noise, so Q2's figures for it differ slightly). The CGAN scored here is the one Q2 published.

# %% tags=["hide-input"]
test_logits, test_features = evaluation.classify(classifier, x_test)
test_hit = test_logits.argmax(1) == y_test
baseline, variants = experiments.cgan_variants(profile)
best = (artifacts.load_generator("../models/cgan.pt") if profile == "report"
        else train_many({"baseline": baseline}, scheduler, progress)["baseline"].generator)
x_ref, labels = training_sample(n_eval, seed=experiments.SCORE_LABELS_SEED)  # MNIST's own mix of digits
best_images = best.generate(labels=labels, seed=experiments.SCORE_NOISE_SEED)
best_logits, best_features = evaluation.classify_samples(best, classifier, labels=labels,
                                                         seed=experiments.SCORE_NOISE_SEED)
best_hit = best_logits.argmax(1) == labels
per_digit = pd.DataFrame({
    "real test accuracy %": [100 * test_hit[y_test == c].float().mean().item() for c in range(10)],
    "CGAN success %": [100 * best_hit[labels == c].float().mean().item() for c in range(10)],
})
glue("q3_test_accuracy", 100 * test_hit.float().mean().item())
glue("q3_success", 100 * best_hit.float().mean().item())
glue("q3_n_success", len(labels))
glue("q3_worst_success_digit", int(per_digit["CGAN success %"].idxmin()))
glue("q3_worst_success", per_digit["CGAN success %"].min())
print(f"real test accuracy {100 * test_hit.float().mean():.2f}% on {len(y_test)} images; "
      f"CGAN success {100 * best_hit.float().mean():.2f}% on {len(labels)} samples")
per_digit.T.style.format(precision=2)

# %% tags=["hide-input"]
confusion = pd.crosstab(pd.Series(labels.numpy(), name="requested digit"),
                        pd.Series(best_logits.argmax(1).numpy(), name="classifier reads"))
confusion = confusion.reindex(index=range(10), columns=range(10), fill_value=0)  # digits never read count 0
fig, axes = plt.subplots(1, 2, figsize=(plots.PAGE, 2.9), layout="constrained")
per_digit.plot.bar(ax=axes[0], rot=0, ylim=(max(0, per_digit.values.min() - 2), 100.2), legend=False)
axes[0].set_xlabel("digit")
axes[0].set_ylabel("% read as the digit")
axes[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
errors = confusion.where(~np.eye(len(confusion), dtype=bool))  # the diagonal (99-100%) would hide the errors
sns.heatmap(errors, annot=errors.map(lambda c: "" if c != c or c == 0 else f"{c:.0f}"), fmt="", cmap="Reds",
            norm=LogNorm(vmin=1, vmax=max(2, errors.max().max())), cbar=False, linewidths=0.3, linecolor="0.9",
            ax=axes[1])
axes[1].set_title(f"CGAN errors: samples (of {len(labels)}) read as another digit")
plots.save(fig, figures and f"{figures}/q3_success.png")
plt.show()

# %% [markdown]
# ## Inception score with the MNIST classifier
#
# $\mathrm{IS} = \exp\bigl(\mathbb E_x\, \mathrm{KL}(p(y\mid x)\,\|\,p(y))\bigr)$,
# between 1 (every image gets the same prediction) and 10 (confident
# predictions spread evenly over the ten digits). The samples are shuffled
# (ordered by class, each split would hold one digit and score near 1), cut
# into splits, and the score is reported as mean ± std over 10 splits. Because
# $p(y)$ is estimated inside each split, the score drops as splits get
# smaller: the plot shows how much.

# %% tags=["hide-input"]
real_sample = test_logits[torch.randperm(len(test_logits), generator=torch.Generator().manual_seed(0))][:n_eval]
is_real = metrics.inception_score(real_sample)
is_best = metrics.inception_score(best_logits)
glue("q3_is_real", is_real[0])
glue("q3_is_real_std", is_real[1])
glue("q3_is_best", is_best[0])
glue("q3_is_best_std", is_best[1])
split_counts = [s for s in (1, 2, 5, 10, 20, 50, 100, 200) if s <= n_eval // 5]
curve = pd.DataFrame({
    "real test": [metrics.inception_score(real_sample, s)[0] for s in split_counts],
    "CGAN": [metrics.inception_score(best_logits, s)[0] for s in split_counts],
}, index=pd.Index(split_counts, name="splits"))
glue("q3_is_best_1split", curve.loc[1, "CGAN"])
glue("q3_is_best_maxsplit", curve["CGAN"].iloc[-1])
glue("q3_is_max_splits", split_counts[-1])
fig, ax = plt.subplots(figsize=(4.5, 3))
curve.plot(ax=ax, marker="o", logx=True)
ax.set_ylabel("Inception score")
ax.set_title(f"IS against the number of splits ({n_eval} samples)", fontsize=9)
fig.tight_layout()
plots.save(fig, figures and f"{figures}/q3_is_splits.png")
plt.show()
curve.T.style.format(precision=3)

# %% [markdown]
# ## Every metric for every Q2 variant
#
# Against the real test features (all 10,000): **FID** (Fréchet distance of
# Gaussian fits, float64), **KID** (unbiased MMD² with the cubic polynomial
# kernel, 100 subsets of 1,000, ×10³ in the table), **precision / recall**
# (Kynkäänniemi et al. 2019, k = 3: the share of samples inside the real
# manifold, and of real images inside the generated one) and **density /
# coverage** (Naeem et al. 2020, k = 5). The row "real (train)" scores real
# training images the same way: the floor any generator is measured against.
#
# MNIST's digits are not equally common, so the generators are asked for the
# labels of the real training images of that row: generated and real sets then
# hold the same mix of digits. Asked for an equal number per digit instead, a
# perfect conditional model would still be scored against the test set's
# unequal mix; the rows "equal per digit" show what that mismatch adds, on real
# images and on the published CGAN.

# %% tags=["hide-input"]
reference = evaluation.reference(test_features)
ref_labels = labels  # the digits of x_ref, drawn above: the published CGAN's samples are the same
balanced = subset_per_class(y_train, n_eval // 10, seed=experiments.SCORE_LABELS_SEED)
balanced_labels = torch.arange(10).repeat_interleave(n_eval // 10)
real_logits, real_features = evaluation.classify(classifier, x_ref)
rows = {"real (train)": evaluation.all_metrics(real_logits, real_features, reference, ref_labels),
        "real (train), equal per digit": evaluation.all_metrics(*evaluation.classify(classifier, x_train[balanced]),
                                                                reference, y_train[balanced])}
names = {f"baseline (seed {s})": baseline.replace(seed=s) for s in range(seeds)} | variants
variant_runs = train_many(names, scheduler, progress)
for name, run in variant_runs.items():
    scored = evaluation.classify_samples(run.generator, classifier, labels=ref_labels, seed=experiments.SCORE_NOISE_SEED)
    rows[name] = evaluation.all_metrics(*scored, reference, ref_labels)
rows["published CGAN"] = evaluation.all_metrics(best_logits, best_features, reference, ref_labels)
scored = evaluation.classify_samples(best, classifier, labels=balanced_labels, seed=experiments.SCORE_NOISE_SEED)
rows["published CGAN, equal per digit"] = evaluation.all_metrics(*scored, reference, balanced_labels)
table = pd.DataFrame(rows).T
short = {"success %": "success", "IS": "is", "FID": "fid", "KID ×1e3": "kid", "precision": "precision",
         "recall": "recall", "density": "density", "coverage": "coverage"}
for name, row in table.iterrows():  # every cell of the table, for the paper
    key = name.lower().replace(" + ", "_").replace(",", "").replace(" ", "_").replace("(", "").replace(")", "")
    for metric, value in row.items():
        if not np.isnan(value):
            glue(f"q3_{short[metric]}_{key}", float(value))
floor = table.loc["real (train)", "FID"]
base = table.loc[[f"baseline (seed {s})" for s in range(seeds)]]
glue("q3_fid_floor", floor)
glue("q3_base_fid_mean", base["FID"].mean())
glue("q3_base_fid_std", base["FID"].std(ddof=1) if seeds > 1 else 0.0)
glue("q3_best_fid", table.loc["published CGAN", "FID"])
glue("q3_best_fid_ratio", table.loc["published CGAN", "FID"] / floor)
glue("q3_best_fid_balanced_ratio", table.loc["published CGAN, equal per digit", "FID"] / floor)
glue("q3_n_eval", n_eval)
table.style.format(precision=3)

# %% [markdown]
# ### Where the metrics agree and where they do not
#
# Spearman rank correlations across the generated rows: a value near 1 means two
# metrics order the variants alike. (FID and KID are distances, lower is better;
# all others are higher-is-better, so agreement between a distance and a score
# shows as a *negative* correlation.)

# %% tags=["hide-input"]
generated = table.loc[list(names)]  # the Q2 variants, one row per trained model
agreement = generated.corr(method="spearman")
fig, ax = plt.subplots(figsize=(plots.COLUMN, 3.0), layout="constrained")
sns.heatmap(agreement, annot=True, fmt=".2f", cmap="vlag", vmin=-1, vmax=1, ax=ax, annot_kws={"size": 7})
plots.save(fig, figures and f"{figures}/q3_agreement.png")
plt.show()
glue("q3_rho_fid_kid", agreement.loc["FID", "KID ×1e3"])
glue("q3_rho_fid_precision", agreement.loc["FID", "precision"])
glue("q3_rho_fid_recall", agreement.loc["FID", "recall"])
glue("q3_rho_precision_recall", agreement.loc["precision", "recall"])
glue("q3_rho_is_fid", agreement.loc["IS", "FID"])

# %% [markdown]
# ## Memorisation check: nearest training images
#
# If the CGAN copied training digits, its samples would sit much closer to
# their nearest training image (pixel space, L2) than new real digits do. We
# compare the nearest-neighbour distances of 1,000 CGAN samples with those of
# 1,000 real test images, and show samples beside their nearest neighbours.

# %% tags=["hide-input"]
n_nn = min(1000, n_eval)
gen_pick = torch.randperm(n_eval, generator=torch.Generator().manual_seed(2))[:n_nn]
gen_dist, gen_idx = evaluation.nearest_images(best_images[gen_pick], x_train)
test_dist, _ = evaluation.nearest_images(x_test[:n_nn], x_train)
glue("q3_nn_gen_median", gen_dist.median().item())
glue("q3_nn_test_median", test_dist.median().item())
glue("q3_nn_gen_below_test_p1", 100 * (gen_dist < test_dist.quantile(0.01)).float().mean().item())
fig, axes = plt.subplots(1, 2, figsize=(plots.PAGE, 2.3), gridspec_kw={"width_ratios": [1, 1.4]},
                         layout="constrained")
axes[0].hist([test_dist.numpy(), gen_dist.numpy()], bins=40, label=["real test", "CGAN"], histtype="step")
axes[0].set_xlabel("L2 distance to nearest training image")
axes[0].legend()
pairs = torch.stack([best_images[gen_pick[:10]], x_train[gen_idx[:10]]], 0).flatten(0, 1)
plots.show_grid(pairs, nrow=10, ax=axes[1], title="top: CGAN samples; bottom: nearest training image")
plots.save(fig, figures and f"{figures}/q3_nearest.png")
plt.show()

# %% [markdown]
# ## Discussion
#
# *The lens.* The classifier scores {glue:text}`q3_test_accuracy:.2f`% on the
# real test set. The published CGAN reaches a success rate of
# {glue:text}`q3_success:.2f`% on {glue:text}`q3_n_success` samples (MNIST's
# mix of digits); its weakest digit is {glue:text}`q3_worst_success_digit`
# ({glue:text}`q3_worst_success:.1f`%).
#
# *Inception score.* Real test images score {glue:text}`q3_is_real:.3f` ±
# {glue:text}`q3_is_real_std:.3f` and the CGAN {glue:text}`q3_is_best:.3f` ±
# {glue:text}`q3_is_best_std:.3f` (10 splits). With one split the CGAN scores
# {glue:text}`q3_is_best_1split:.3f`, with {glue:text}`q3_is_max_splits`
# splits {glue:text}`q3_is_best_maxsplit:.3f`: the number of splits must be
# stated with any IS.
#
# *Distances.* Real training images sit at FID {glue:text}`q3_fid_floor:.3f`
# from the test set, the floor; drawn with an equal number per digit they sit at
# {glue:text}`q3_fid_real_train_equal_per_digit:.3f`. The published CGAN's FID is
# {glue:text}`q3_best_fid:.3f`, {glue:text}`q3_best_fid_ratio:.2f` times that
# floor (asked for an equal number per digit,
# {glue:text}`q3_fid_published_cgan_equal_per_digit:.3f`, or
# {glue:text}`q3_best_fid_balanced_ratio:.2f` times); the baseline's is {glue:text}`q3_base_fid_mean:.3f` ±
# {glue:text}`q3_base_fid_std:.3f` over seeds ({glue:text}`q3_n_eval` samples
# per model).
#
# *Agreement.* Across variants FID and KID rank alike (Spearman
# {glue:text}`q3_rho_fid_kid:.2f`); FID against precision
# {glue:text}`q3_rho_fid_precision:.2f` and against recall
# {glue:text}`q3_rho_fid_recall:.2f`; precision against recall
# {glue:text}`q3_rho_precision_recall:.2f`. IS against FID:
# {glue:text}`q3_rho_is_fid:.2f`.
#
# *Memorisation.* The median distance from a CGAN sample to its nearest
# training image is {glue:text}`q3_nn_gen_median:.2f`, against
# {glue:text}`q3_nn_test_median:.2f` for real test images;
# {glue:text}`q3_nn_gen_below_test_p1:.1f`% of the samples are closer to a
# training image than 99% of the test images are.

# %% tags=["remove-cell"]
glue_markdown("q3_rerun", rerun_box("q3_metrics", seeds, [classifier_run, *variant_runs.values()]))
