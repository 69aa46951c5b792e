# %% [markdown]
# Regression checks, appended to the chapter by `tests/nbval/reference.py` (not part of the book).
# They print only what another CPU cannot change; see that file.

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
untrained = artifacts.SampleGenerator(Generator(**baseline.generator_kwargs()))
pooled = lambda images: torch.nn.functional.avg_pool2d(images.float(), 4).flatten(1)  # 7x7 pixels, as in Q1's check
pixel_fid = lambda images: metrics.frechet_distance(pooled(images), pooled(x_real))
untrained_fid = pixel_fid(untrained.generate(labels=labels, seed=10_000))
base_fids = torch.tensor([pixel_fid(runs[f"baseline (seed {s})"].generator.generate(labels=labels, seed=10_000))
                          for s in range(seeds)])
first_round = [f"baseline (seed {s})" for s in range(seeds)] + list(variants)
print("first-round rows:", list(table.index[: len(first_round)]) == first_round, len(first_round))
print("long-stage rows (2 designs x seeds, averaged and raw):", len(long_table))  # which variants win depends on the CPU
print("columns:", list(table.columns))
print("labels asked for follow the real reference:", bool((labels == real_labels).all()), len(labels))
# measured: 10-12% at 1 and 2 threads and under AVX2 kernels
print("every baseline seed has trained (pixel FID below 40% of an untrained G's):", bool((base_fids < 0.4 * untrained_fid).all()))
print("success rates are percentages:", bool(table["success %"].between(0, 100).all()))
