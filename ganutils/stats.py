"""One significance rule for every comparison the study makes.

With two to five seeds per design, a difference counts only when a two-sided t-test at the 5% level
finds it: paired over seeds where both designs ran with the same seeds (the same initial weights, batch
order and, in Q4, the same real images per seed), Welch's test where they did not, and, for a variant
run once, a prediction interval from the baseline's seeds (is the run a plausible further draw of the
baseline?). Where the side that gives the spread has a single value, there is no verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

ALPHA = 0.05


@dataclass(frozen=True)
class Comparison:
    difference: float  # mean(variant) - mean(baseline)
    p_value: float  # nan where no test is possible
    test: str  # "paired t", "Welch t", "prediction interval" or "none"

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA  # False for nan


def compare(baseline: Sequence[float], variant: Sequence[float], paired: bool = False) -> Comparison:
    """Test variant against baseline (values per seed; `paired`: the i-th of each share seed i)."""
    b, v = np.asarray(baseline, dtype=float), np.asarray(variant, dtype=float)
    if len(b) == 0 or len(v) == 0:
        raise ValueError("compare needs at least one value on each side")
    difference = float(v.mean() - b.mean())
    if paired and len(b) != len(v):
        raise ValueError(f"a paired comparison needs as many variant values as baseline ones ({len(v)} vs {len(b)})")
    if len(b) < 2:  # every test takes its spread from the baseline's seeds (or from as many pairs)
        return Comparison(difference, math.nan, "none")
    if paired:
        d = v - b
        return Comparison(difference, _t_p_value(d.mean(), d.std(ddof=1) / math.sqrt(len(d)), len(d) - 1), "paired t")
    if len(v) == 1:
        return Comparison(difference, _t_p_value(difference, _prediction_scale(b), len(b) - 1), "prediction interval")
    return Comparison(difference, float(stats.ttest_ind(v, b, equal_var=False).pvalue), "Welch t")


def prediction_interval(baseline: Sequence[float]) -> tuple[float, float]:
    """The range outside which one further run differs from the baseline's seeds (`compare` with one value)."""
    b = np.asarray(baseline, dtype=float)
    if len(b) < 2:
        return -math.inf, math.inf
    half = stats.t.ppf(1 - ALPHA / 2, len(b) - 1) * _prediction_scale(b)
    return float(b.mean() - half), float(b.mean() + half)


def verdict(comparison: Comparison, lower_is_better: bool) -> str:
    """"better", "worse" or "within noise" for the variant; "not judged" where no test was possible."""
    if comparison.test == "none":
        return "not judged (one seed gives no spread)"
    if not comparison.significant:
        return "within noise"
    return "better" if (comparison.difference < 0) == lower_is_better else "worse"


def describe(comparison: Comparison) -> str:
    """The test and its p-value, for a table or the text."""
    if comparison.test == "none":
        return "no test (one seed)"
    return f"{comparison.test}, p = {format_p(comparison.p_value)}"


def format_p(p: float) -> str:
    """Two significant digits, three near the 5% threshold, where "0.05" could not say which side it is on."""
    return f"{p:.3g}" if 0.045 <= p < 0.055 else f"{p:.2g}"


def _prediction_scale(b: np.ndarray) -> float:
    """Standard error of one further draw minus the mean of the baseline's seeds `b`."""
    return b.std(ddof=1) * math.sqrt(1 + 1 / len(b))


def _t_p_value(estimate: float, standard_error: float, dof: int) -> float:
    if standard_error == 0:
        return 1.0 if estimate == 0 else 0.0
    return float(2 * stats.t.sf(abs(estimate) / standard_error, dof))
