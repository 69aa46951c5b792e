# %% [markdown]
# Regression checks, appended to the chapter by `tests/nbval/reference.py` (not part of the book).
# They print only what another CPU cannot change; see that file.

# %%
# NBVAL_CHECK_OUTPUT
accuracies = [v for values in scores.values() for v in values] + synthetic_only
print("rows:", list(table_a.index), "| columns:", list(table_a.columns))
print("cells:", len(scores), "x", seeds, "seeds | synthetic pool:", tuple(x_syn.shape), "| validation images:", len(y_val))
print("validation and test images are disjoint from every real subset:", not bool(outside[validation].logical_not().any()))
print("accuracies are percentages:", all(0 <= a <= 100 for a in accuracies))
print("the full-data classifier reaches 90%:", full_real >= 90)
