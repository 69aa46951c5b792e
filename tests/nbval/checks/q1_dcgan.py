# %% [markdown]
# Regression checks, appended to the chapter by `tests/nbval/reference.py` (not part of the book).
# They print only what another CPU cannot change; see that file.

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
untrained = artifacts.SampleGenerator(Generator(**baseline.generator_kwargs()))
untrained_fid = evaluate(*evaluation.classify_samples(untrained, classifier, n=n_eval, seed=10_000))["FID"]
base_fids = results.loc[[f"baseline (seed {s})" for s in range(seeds)], "FID"]
real_row = results.loc["real images (held out)"]
print("rows:", list(results.index))
print("columns:", list(results.columns))
print("samples per run:", n_eval, "| sample grids:", sorted({tuple(run.samples.shape[1:]) for run in runs.values()}))
print("real held-out images cover 10 digits with FID below 2:", real_row["digits ≥2%"] == 10 and real_row["FID"] < 2)
print("every baseline seed has trained (FID below 90% of an untrained G's):", bool((base_fids < 0.9 * untrained_fid).all()))
print("FID and KL are finite for every row:", bool(results[["FID", "KL to uniform"]].abs().lt(float("inf")).all().all()))
