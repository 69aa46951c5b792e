# %% [markdown]
# Regression checks, appended to the chapter by `tests/nbval/reference.py` (not part of the book).
# They print only what another CPU cannot change; see that file.

# %%
# NBVAL_CHECK_OUTPUT
generated = table.drop(index=["real (train)", "real (train), equal per digit"])
print("rows:", list(table.index))
print("columns:", list(table.columns))
print("per-digit table:", per_digit.shape, "| test images:", len(y_test))
print("classifier test accuracy at least 90%:", classifier_run.test_accuracy >= 0.9)
print("real images: IS at least 5, precision and recall at least 0.7:",
      bool(is_real[0] >= 5 and table.loc["real (train)", "precision"] >= 0.7 and table.loc["real (train)", "recall"] >= 0.7))
print("real images' FID below 5% of every generator's:", bool((table.loc["real (train)", "FID"] < 0.05 * generated["FID"]).all()))
print("IS lies in [1, 10]:", bool(table["IS"].between(1, 10).all()))
