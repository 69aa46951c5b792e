# %% [markdown]
# Regression checks, appended to the chapter by `tests/nbval/reference.py` (not part of the book).
# They print only what another CPU cannot change; see that file.

# %%
# NBVAL_CHECK_OUTPUT
pca_rows = pca_table.filter(like="PCA", axis=0)
print("rows:", list(pca_table.index), list(class_table.index))
print("more PCA components give a lower FID:", bool(pca_rows["FID"].is_monotonic_decreasing))
print("the largest PCA model's samples read as their digit at least half the time:",
      bool(pca_rows["success %"].iloc[-1] >= 50))
print("success rates are percentages:", bool(runs_table[["success %", "judge success %"]].stack().between(0, 100).all()))
