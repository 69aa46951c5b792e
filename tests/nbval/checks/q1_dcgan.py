# %% [markdown]
# Regression checks, appended to the chapter by `tests/nbval/reference.py` (not part of the book).
# They print only what another CPU cannot change; see that file.

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
untrained = artifacts.SampleGenerator(Generator(**baseline.generator_kwargs()))
pooled = lambda images: torch.nn.functional.avg_pool2d(images.float(), 4).flatten(1)  # 7x7 pixels
# FID of 7x7-pooled pixels, not of classifier features: the smoke classifier itself differs between CPUs and
# thread counts, so an FID through it moved an untrained G's score by 10% (measured at 1 and 2 threads)
pixel_fid = lambda images: metrics.frechet_distance(pooled(images), pooled(x_train[perm[:n_eval]]))
untrained_fid = pixel_fid(untrained.generate(n=n_eval, seed=10_000))
base_fids = torch.tensor([pixel_fid(runs[f"baseline (seed {s})"].generator.generate(n=n_eval, seed=10_000))
                          for s in range(seeds)])
real_row = results.loc["real images (held out)"]
print("rows:", [row for row in results.index if row != "fp32"])  # the fp32 check runs only where the baseline is bf16
print("columns:", list(results.columns))
print("samples per run:", n_eval, "| sample grids:", sorted({tuple(run.samples.shape[1:]) for run in runs.values()}))
print("real held-out images cover 10 digits with FID below 2:", real_row["digits ≥2%"] == 10 and real_row["FID"] < 2)
# measured: 14-21% at 1 and 2 threads and under AVX2 kernels
print("every baseline seed has trained (pixel FID below 40% of an untrained G's):", bool((base_fids < 0.4 * untrained_fid).all()))
print("FID and KL are finite for every row:", bool(results[["FID", "KL to uniform"]].abs().lt(float("inf")).all().all()))

# %%
# NBVAL_CHECK_OUTPUT
print("combined stage:", len(tuned_runs), "seeds | generators kept per run:",
      sorted({len(run.snapshot_packages) for run in tuned_runs.values()}), "| epochs:", tuned_epochs)
print("every combined run publishes its weight average, with the raw G kept beside it and different:",
      all(run.raw_generator_package is not None and not all(
          torch.equal(run.generator_package["state_dict"][k], run.raw_generator_package["state_dict"][k])
          for k in run.generator_package["state_dict"]) for run in tuned_runs.values()))
print("the published model is a long-stage or combined-stage run:", published_name in {**stage, **tuned})
print("collapse table: rows for the short baseline, the published model and real test images:", len(collapse) == 3)
