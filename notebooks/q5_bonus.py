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
# # Q5 · PCA against GANs, embeddings, confidence, and a classification loss
#
# Four studies around the models of Q1-Q3:
#
# 1. **PCA as a generative model.** Is a GAN worth its training time against
#    the oldest density model there is?
# 2. **Embeddings and confidence.** Where do synthetic digits sit in the
#    classifier's feature space, and how sure is the classifier about them?
# 3. **A classification loss in the CGAN.** An auxiliary-classifier
#    discriminator (AC-GAN) and, separately, a pretrained classifier that G must
#    convince.
# 4. **How many samples does a metric need?** FID, KID and the manifold
#    metrics against the number of samples, with the real-data floor beside them.
#
# All metrics are the Q3 suite on the classifier's 128-d features, with the
# first {glue:text}`q5_n_reference` real test images as reference (all of them at the
# report profile).

# %% tags=["parameters", "hide-input"]
profile = "smoke"  # "smoke": a tiny budget for the tests; "report": the budget behind the book
seeds = 3  # seeds for every CGAN with a classification loss (the plain CGAN's come from Q2)
progress = False
publish = "auto"  # write models/ and book/figures/: "auto" (only at the report profile), True or False

# %% tags=["hide-input"]
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import torch
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from ganutils import artifacts, experiments, metrics, plots
from ganutils.classifier import predict, train_classifier
from ganutils.data import load_mnist, training_sample
from ganutils.pca import fit_pca
from ganutils.report import glue
from ganutils.train import train

publish, figures = experiments.start_chapter(globals())
n_eval = experiments.EVAL_SAMPLES[profile]
classifier = train_classifier(experiments.CLASSIFIER[profile], progress=progress).model
judge_run = train_classifier(experiments.JUDGE[profile], progress=progress)
x_train, y_train = load_mnist(train=True)
x_test, y_test = (t[: experiments.TEST_REFERENCE[profile]] for t in load_mnist(train=False))
test_logits, test_features = predict(classifier, x_test)
reference = metrics.Reference.of(test_features)
x_pick, labels = training_sample(n_eval, seed=0)  # generators are asked for these real images' digits


def score(images, requested=None):
    logits, features = predict(classifier, images)
    return metrics.all_metrics(logits, features, reference, requested)


# %% [markdown]
# ## 1. PCA against GANs
#
# For each digit, PCA with $k$ components is fitted on that digit's training
# images $x\in[-1,1]^{784}$; a sample is $\mu_c + \sum_{i\le k} a_i v_i$ with
# $a_i \sim \mathcal N(0, \lambda_i)$, the Gaussian PCA fits to the
# coefficients, clipped to $[-1, 1]$. Probabilistic PCA also gives a
# log-likelihood for held-out digits (nats per test image, with isotropic
# noise in the discarded directions); a GAN gives none. Each model draws
# {glue:text}`q5_n_eval` samples, for the digits of as many real training
# images (so that generated and real sets hold the same mix); the DCGAN is
# unconditional, so it has no success rate.

# %% tags=["hide-input"]
glue("q5_n_eval", n_eval)
glue("q5_n_reference", len(y_test))
plain, class_variants = experiments.class_loss_variants(profile)
dcgan_config, _ = experiments.dcgan_variants(profile)
rows, timings, likelihood, pca_samples = {}, {}, {}, {}
for k in experiments.PCA_COMPONENTS[profile]:
    t0 = time.perf_counter()
    model = fit_pca(x_train, y_train, k)
    images = model.generate(labels, seed=40_000)
    timings[f"PCA k={k}"] = time.perf_counter() - t0
    likelihood[k] = model.log_likelihood(x_test, y_test)
    rows[f"PCA k={k}"] = score(images, labels)
    pca_samples[k] = images
if profile == "report":  # the published models; the CGAN's file records its training time
    cgan_package = artifacts.read_package("../models/cgan.pt", "generator")
    cgan, cgan_seconds = artifacts.generator_from_package(cgan_package), cgan_package["trained"]["seconds"]
    dcgan = artifacts.load_generator("../models/dcgan.pt")
else:
    cgan_run = train(plain, progress=progress)
    cgan, cgan_seconds, dcgan = cgan_run.generator, cgan_run.seconds, train(dcgan_config, progress=progress).generator
rows["DCGAN (Q1)"] = score(dcgan.generate(n=n_eval, seed=40_000))
rows["CGAN (published)"] = score(cgan.generate(labels=labels, seed=40_000), labels)
timings["DCGAN (Q1)"] = train(dcgan_config, progress=progress).seconds
timings["CGAN (published)"] = cgan_seconds
pca_table = pd.DataFrame(rows).T
pca_table["fit + sample s"] = pd.Series(timings)
for name, row in pca_table.iterrows():
    key = name.lower().replace(" ", "_").replace("=", "").replace("(", "").replace(")", "")
    for metric in ("success %", "FID", "precision", "recall"):
        if not np.isnan(row[metric]):
            glue(f"q5_{metric.split()[0].lower()}_{key}", float(row[metric]))
best_pca = pca_table.filter(like="PCA", axis=0)["FID"].idxmin()
glue("q5_best_pca", best_pca)
glue("q5_best_pca_fid", pca_table.loc[best_pca, "FID"])
glue("q5_pca_seconds", max(v for k, v in timings.items() if k.startswith("PCA")))
glue("q5_cgan_seconds", timings["CGAN (published)"])
pca_table.style.format(precision=3)

# %% tags=["hide-input"]
ks = list(likelihood)
glue("q5_ll_low", likelihood[ks[0]])
glue("q5_ll_high", likelihood[ks[-1]])
glue("q5_k_low", ks[0])
glue("q5_k_high", ks[-1])
fig, axes = plt.subplots(1, 2, figsize=(9, 3), gridspec_kw={"width_ratios": [1, 1.6]})
axes[0].plot(ks, [likelihood[k] for k in ks], marker="o", label="test log-likelihood (nats)")
axes[0].set_xlabel("PCA components per digit")
axes[0].set_ylabel("nats per test image")
twin = axes[0].twinx()
twin.plot(ks, [pca_table.loc[f"PCA k={k}", "FID"] for k in ks], marker="s", color="C3", label="FID")
twin.set_ylabel("FID", color="C3")
axes[0].set_title("more components: higher likelihood; FID?", fontsize=9)
show = torch.cat([pca_samples[k][:: n_eval // 10][:10] for k in ks] + [
    cgan.generate(labels=torch.arange(10), seed=40_000)])
plots.show_grid(show, nrow=10, ax=axes[1], title=f"rows: PCA k = {', '.join(map(str, ks))}; last row: CGAN")
fig.tight_layout()
plots.save(fig, figures and f"{figures}/q5_pca.png")
plt.show()

# %% [markdown]
# ## 2. A classification loss in the CGAN
#
# Both variants start from the best Q2 design (projection D, one-sided label
# smoothing, same budget) and add one term, with weight $\lambda = 1$:
#
# * **AC-GAN head** (Odena et al. 2017). D gets a second linear head $c(x)$ on
#   its features that predicts the digit. D minimises its GAN loss plus
#   $\mathrm{CE}(c(x), y) + \mathrm{CE}(c(G(z,y)), y)$; G adds
#   $\mathrm{CE}(c(G(z,y)), y)$. Unlike the original AC-GAN, D keeps its
#   projection term, so this is one change against the plain CGAN.
# * **Frozen classifier.** G adds $\mathrm{CE}(C(G(z,y)), y)$ for the
#   pretrained Q3 classifier $C$, whose weights never change.
#
# The frozen-classifier model is trained against the very classifier that
# computes success, IS and the feature metrics, so its scores through that
# lens are suspect. Every model is therefore also read by a **judge**: a
# second classifier of the same architecture, another seed and a shorter
# schedule, that no generator ever saw.

# %% tags=["hide-input"]
judge = judge_run.model
glue("q5_judge_accuracy", 100 * judge_run.test_accuracy)
configs = {"plain CGAN": plain} | class_variants
train_features = predict(classifier, x_pick)[1]
class_rows, class_runs = {}, {}
for name, config in configs.items():
    for s in range(seeds):
        run = train(config.replace(seed=s), progress=progress)
        images = run.generator.generate(labels=labels, seed=50_000)
        logits, features = predict(classifier, images)
        row = metrics.all_metrics(logits, features, reference, labels)
        row["judge success %"] = 100 * (predict(judge, images)[0].argmax(1) == labels).float().mean().item()
        row["FID (train)"] = metrics.frechet_distance(features, train_features)  # for choosing; never the test set
        row["train s"] = run.seconds
        class_rows[(name, s)], class_runs[(name, s)] = row, run
runs_table = pd.DataFrame(class_rows).T
class_table = runs_table.groupby(level=0, sort=False).agg(["mean", "std"])
for name in configs:
    key = name.lower().replace(" ", "_").replace("-", "")
    for metric, short in (("success %", "success"), ("judge success %", "judge"), ("FID", "fid"),
                          ("recall", "recall"), ("precision", "precision"), ("train s", "seconds")):
        glue(f"q5_{key}_{short}", float(class_table.loc[name, (metric, "mean")]))
        glue(f"q5_{key}_{short}_std", float(class_table.loc[name, (metric, "std")]) if seeds > 1 else 0.0)
glue("q5_seeds", seeds)
class_table[["success %", "judge success %", "FID", "precision", "recall", "IS", "train s"]].style.format(precision=3)

# %% [markdown]
# The model published as `models/acgan.pt` is the run with a classification
# loss and the lowest FID against *training* features (the test set chooses
# nothing).

# %% tags=["hide-input"]
candidates = runs_table.loc[list(class_variants)]
acgan_name, acgan_seed = candidates["FID (train)"].idxmin()
acgan = class_runs[(acgan_name, acgan_seed)]
glue("q5_acgan_name", f"{acgan_name} (seed {acgan_seed})")
if publish:
    artifacts.save_package(acgan.publishable(), "../models/acgan.pt")
fig = plots.grids({f"{name}, seed 0": class_runs[(name, 0)].samples[-1] for name in configs}, nrow=10, ncols=3)
plots.save(fig, figures and f"{figures}/q5_class_loss.png")
plt.show()

# %% [markdown]
# ## 3. Real and synthetic digits in the classifier's feature space
#
# 100 random real test images and 100 samples of the published CGAN (random
# digits), through the classifier's 128-d penultimate layer, projected to two
# dimensions by PCA (linear, keeps global distances) and by t-SNE (perplexity
# 30; keeps neighbourhoods, not distances). Colour is the digit (true label for
# real images, requested label for synthetic ones); circles are real, crosses
# synthetic.

# %% tags=["hide-input"]
pick = torch.randperm(len(x_test), generator=torch.Generator().manual_seed(5))[:100]
fake_labels = torch.randint(0, 10, (100,), generator=torch.Generator().manual_seed(6))
fake_images = cgan.generate(labels=fake_labels, seed=60_000)
real_logits, real_features = predict(classifier, x_test[pick])
fake_logits, fake_features = predict(classifier, fake_images)
both = torch.cat([real_features, fake_features]).numpy()
digits = torch.cat([y_test[pick], fake_labels]).numpy()
is_real = np.r_[np.ones(100, bool), np.zeros(100, bool)]
embeddings = {"PCA": PCA(2, random_state=0).fit_transform(both),
              "t-SNE": TSNE(2, perplexity=30, init="pca", random_state=0).fit_transform(both)}
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
for ax, (name, points) in zip(axes, embeddings.items()):
    for real_set, marker in ((True, "o"), (False, "x")):
        mask = is_real == real_set
        ax.scatter(*points[mask].T, c=digits[mask], cmap="tab10", vmin=-0.5, vmax=9.5, marker=marker, s=22,
                   facecolors="none" if real_set else None, linewidths=1.0)
    for d in range(10):
        ax.annotate(str(d), points[digits == d].mean(0), fontsize=11, weight="bold", ha="center")
    ax.set_title(f"{name} of classifier features (o real, x synthetic)", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
fig.tight_layout()
plots.save(fig, figures and f"{figures}/q5_embeddings.png")
plt.show()


def centroid_gap(features, digits, real_mask):
    """Mean distance between the real and the synthetic centroid of each digit, over the mean
    distance between centroids of different real digits."""
    f = torch.as_tensor(features)
    real_c = torch.stack([f[(digits == d) & real_mask].mean(0) for d in range(10)])
    fake_c = torch.stack([f[(digits == d) & ~real_mask].mean(0) for d in range(10)])
    between = torch.cdist(real_c, real_c)
    return float((real_c - fake_c).norm(dim=1).mean() / between[~torch.eye(10, dtype=torch.bool)].mean())


glue("q5_centroid_gap", centroid_gap(both, torch.as_tensor(digits), torch.as_tensor(is_real)))

# %% [markdown]
# ## 4. How confident is the classifier?
#
# The classifier's probability of the digit's label (true label for real
# images, requested label for synthetic ones), per digit, for the same 100 +
# 100 images; the dashed line is the mean over all {glue:text}`q5_n_eval`
# samples of each set.

# %% tags=["hide-input"]
real_conf = torch.softmax(real_logits, 1)[torch.arange(100), y_test[pick]].numpy()
fake_conf = torch.softmax(fake_logits, 1)[torch.arange(100), fake_labels].numpy()
large_real = torch.softmax(test_logits, 1)[torch.arange(len(y_test)), y_test]
large_fake_logits = predict(classifier, cgan.generate(labels=labels, seed=40_000))[0]
large_fake = torch.softmax(large_fake_logits, 1)[torch.arange(len(labels)), labels]
fig, axes = plt.subplots(1, 2, figsize=(10, 3), sharey=True)
for ax, (name, conf, digit, large) in zip(axes, (("real test images", real_conf, y_test[pick], large_real),
                                                  ("CGAN samples", fake_conf, fake_labels, large_fake))):
    sns.stripplot(x=digit.numpy(), y=conf, ax=ax, size=4, jitter=0.25, hue=digit.numpy(), palette="tab10",
                  legend=False)
    ax.axhline(float(large.mean()), color="k", ls="--", lw=0.8)
    ax.set_xlabel("digit")
    ax.set_title(f"{name}: p(label | image)", fontsize=9)
axes[0].set_ylabel("classifier confidence")
fig.tight_layout()
plots.save(fig, figures and f"{figures}/q5_confidence.png")
plt.show()
glue("q5_conf_real", float(large_real.mean()))
glue("q5_conf_fake", float(large_fake.mean()))
glue("q5_conf_real_low", 100 * float((large_real < 0.9).float().mean()))
glue("q5_conf_fake_low", 100 * float((large_fake < 0.9).float().mean()))

# %% [markdown]
# ## 5. How many samples does a metric need?
#
# Every number above used {glue:text}`q5_n_eval` samples. Here the published
# CGAN and, as the floor, real training images are scored against the full
# test reference with $n$ samples, several independent draws per $n$ (mean ±
# std). An unbiased metric is flat in $n$; a biased one drifts.

# %% tags=["hide-input"]
counts, draws = experiments.SAMPLE_COUNTS[profile]
x_pool, pool_labels = training_sample(max(counts) * draws, seed=8)
pool_fake_features = predict(classifier, cgan.generate(labels=pool_labels, seed=70_000))[1]
pool_real_features = predict(classifier, x_pool)[1]
curves = []
for n in counts:
    for draw in range(draws):
        for source, pool in (("CGAN", pool_fake_features), ("real (train)", pool_real_features)):
            idx = torch.randperm(len(pool), generator=torch.Generator().manual_seed(1000 * n + draw))[:n]
            f = pool[idx]
            precision, recall = metrics.precision_recall(reference.features, f, k=3, real_radii=reference.radii_k3)
            kid, _ = metrics.kernel_inception_distance(reference.features, f, subsets=20, subset_size=min(1000, n))
            curves.append({"n": n, "source": source, "FID": metrics.frechet_distance(reference.features, f),
                           "KID ×1e3": 1e3 * kid, "precision": precision, "recall": recall})
curves = pd.DataFrame(curves)
summary = curves.groupby(["source", "n"]).agg(["mean", "std"])
fig, axes = plt.subplots(1, 4, figsize=(12, 2.8))
for ax, metric in zip(axes, ("FID", "KID ×1e3", "precision", "recall")):
    for source in ("CGAN", "real (train)"):
        part = summary.loc[source, metric]
        ax.errorbar(part.index, part["mean"], yerr=part["std"], marker="o", ms=3, capsize=2, label=source)
    ax.set_xscale("log")
    ax.set_xlabel("samples n")
    ax.set_title(metric, fontsize=9)
axes[0].legend(fontsize=7)
fig.tight_layout()
plots.save(fig, figures and f"{figures}/q5_sample_count.png")
plt.show()
small, large = min(counts), max(counts)
for source, key in (("CGAN", "cgan"), ("real (train)", "real")):
    for n, tag in ((small, "small"), (large, "large")):
        glue(f"q5_fid_{key}_{tag}", float(summary.loc[(source, n), ("FID", "mean")]))
        glue(f"q5_kid_{key}_{tag}", float(summary.loc[(source, n), ("KID ×1e3", "mean")]))
    glue(f"q5_recall_{key}_small", float(summary.loc[(source, small), ("recall", "mean")]))
    glue(f"q5_recall_{key}_large", float(summary.loc[(source, large), ("recall", "mean")]))
glue("q5_n_small", small)
glue("q5_n_large", large)
glue("q5_draws", draws)
ratio = lambda n: summary.loc[("CGAN", n), ("FID", "mean")] / summary.loc[("real (train)", n), ("FID", "mean")]
glue("q5_fid_ratio_small", float(ratio(small)))
glue("q5_fid_ratio_large", float(ratio(large)))
summary.xs("mean", axis=1, level=1).round(3)

# %% [markdown]
# ## Discussion
#
# *PCA against GANs.* PCA is fitted in {glue:text}`q5_pca_seconds:.1f` s or
# less, against {glue:text}`q5_cgan_seconds:.0f` s of CGAN training, and it has
# what a GAN lacks: a likelihood (from {glue:text}`q5_ll_low:.0f` nats per test
# image with {glue:text}`q5_k_low` components to {glue:text}`q5_ll_high:.0f` with
# {glue:text}`q5_k_high`) and axes one can inspect (each digit's principal components). Its samples are what a Gaussian can give: the best, {glue:text}`q5_best_pca`,
# reaches FID {glue:text}`q5_best_pca_fid:.2f`, against
# {glue:text}`q5_fid_cgan_published:.2f` for the published CGAN. Few components give smooth,
# blurry averages; many components add detail as well as noise (independent
# coefficients produce strokes that no digit has), so likelihood keeps
# rising while sample quality does not follow: likelihood and sample quality
# are different goals. The GAN's samples are sharp and diverse, but it offers
# no likelihood, no guarantee of coverage, and minutes of training.
#
# *A classification loss.* Over {glue:text}`q5_seeds` seeds, the plain CGAN
# reaches {glue:text}`q5_plain_cgan_success:.2f` ± {glue:text}`q5_plain_cgan_success_std:.2f`%
# success (judge: {glue:text}`q5_plain_cgan_judge:.2f`%) and FID
# {glue:text}`q5_plain_cgan_fid:.2f` ± {glue:text}`q5_plain_cgan_fid_std:.2f`;
# the AC-GAN head {glue:text}`q5_acgan_head_success:.2f` ±
# {glue:text}`q5_acgan_head_success_std:.2f`% (judge
# {glue:text}`q5_acgan_head_judge:.2f`%), FID {glue:text}`q5_acgan_head_fid:.2f` ±
# {glue:text}`q5_acgan_head_fid_std:.2f`; the frozen classifier
# {glue:text}`q5_frozen_classifier_success:.2f` ±
# {glue:text}`q5_frozen_classifier_success_std:.2f`% (judge
# {glue:text}`q5_frozen_classifier_judge:.2f`%), FID
# {glue:text}`q5_frozen_classifier_fid:.2f` ± {glue:text}`q5_frozen_classifier_fid_std:.2f`.
# The judge ({glue:text}`q5_judge_accuracy:.2f`% on real test digits) agrees
# with the measuring classifier to within the seed spread, so neither loss
# merely games the instrument. The AC-GAN head, which learns its classifier
# together with D, makes the requested digit more reliable at no cost in FID.
# The frozen classifier helps success less and costs FID: G can satisfy a
# fixed classifier with strokes that the classifier accepts but real digits do
# not have, which moves the whole feature distribution. (Training times in the
# table were measured while other jobs shared the CPU and are not comparable.)
# The published `models/acgan.pt` is {glue:text}`q5_acgan_name`.
#
# *Embeddings.* In both projections the synthetic digits fall inside the
# clusters of their real class rather than beside them: the gap between the
# real and synthetic centroid of a digit is {glue:text}`q5_centroid_gap:.2f` of
# the mean distance between two real digits' centroids. PCA shows the global
# layout (in the two leading directions 7 and 9, and 5 and 8, overlap); t-SNE separates
# the ten clusters more cleanly, but its distances between clusters mean
# nothing.
#
# *Confidence.* The classifier gives real test digits a mean probability of
# {glue:text}`q5_conf_real:.3f` for their label and CGAN samples
# {glue:text}`q5_conf_fake:.3f`; {glue:text}`q5_conf_real_low:.1f`% of real
# and {glue:text}`q5_conf_fake_low:.1f`% of synthetic images fall below 0.9.
# The classifier is near-certain on most digits of either kind; its doubts
# concentrate on a few ambiguous shapes, and the synthetic failures of Q2 are
# such shapes.
#
# *Sample count.* FID is biased upward at small $n$: the CGAN scores
# {glue:text}`q5_fid_cgan_small:.2f` with {glue:text}`q5_n_small` samples and
# {glue:text}`q5_fid_cgan_large:.2f` with {glue:text}`q5_n_large`, and even real
# training images score {glue:text}`q5_fid_real_small:.2f` and
# {glue:text}`q5_fid_real_large:.2f` ({glue:text}`q5_draws` draws each). KID has
# no such bias: real images stay near zero at every $n$
# ({glue:text}`q5_kid_real_small:.1f` and {glue:text}`q5_kid_real_large:.1f`
# ×10⁻³), though it is noisy with few samples. Recall, a share of the real set
# covered by the generated manifold, depends on $n$ by construction. So FIDs
# are comparable only at equal $n$, and the "ratio to the floor" changes with
# $n$ too: {glue:text}`q5_fid_ratio_small:.1f` at {glue:text}`q5_n_small`
# samples, {glue:text}`q5_fid_ratio_large:.1f` at {glue:text}`q5_n_large`.
