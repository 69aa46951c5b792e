import math

import pytest
from scipy import stats as scipy_stats

from ganutils import stats


def test_a_single_run_is_tested_against_the_baseline_seeds_by_a_prediction_interval():
    baseline = [1.0, 2.0, 3.0]  # mean 2, sd 1
    t = scipy_stats.t.ppf(0.975, 2)  # 4.303
    edge = 2 + t * math.sqrt(4 / 3)
    assert stats.prediction_interval(baseline) == pytest.approx((2 - t * math.sqrt(4 / 3), edge))
    assert stats.compare(baseline, [edge]).p_value == pytest.approx(0.05)
    assert stats.compare(baseline, [edge + 0.01]).significant
    assert not stats.compare(baseline, [edge - 0.01]).significant
    assert stats.verdict(stats.compare(baseline, [edge + 1]), lower_is_better=True) == "worse"
    assert stats.verdict(stats.compare(baseline, [2 - t * 2]), lower_is_better=True) == "better"
    assert stats.verdict(stats.compare(baseline, [2.5]), lower_is_better=True) == "within noise"


def test_paired_comparison_uses_the_differences_per_seed():
    baseline, variant = [90.0, 95.0, 85.0], [91.0, 96.2, 85.8]  # differences 1.0, 1.2, 0.8: mean 1, sd 0.2
    comparison = stats.compare(baseline, variant, paired=True)
    expected = 2 * scipy_stats.t.sf(1.0 / (0.2 / math.sqrt(3)), 2)
    assert comparison.test == "paired t"
    assert comparison.p_value == pytest.approx(expected)
    assert comparison.significant  # the seeds' own spread (5 points) does not hide a consistent gain
    assert not stats.compare(baseline, variant).significant  # unpaired, the same numbers are within noise
    assert stats.verdict(comparison, lower_is_better=False) == "better"
    with pytest.raises(ValueError, match="as many variant values"):
        stats.compare([1.0, 2.0], [1.0], paired=True)


def test_no_verdict_without_a_spread():
    assert stats.verdict(stats.compare([1.0], [5.0]), lower_is_better=True).startswith("not judged")
    assert stats.verdict(stats.compare([1.0], [2.0], paired=True), lower_is_better=True).startswith("not judged")
    assert stats.prediction_interval([1.0]) == (-math.inf, math.inf)
    assert stats.compare([2.0, 2.0], [2.0, 2.0], paired=True).p_value == 1.0  # identical: no difference at all
    with pytest.raises(ValueError, match="at least one value"):
        stats.compare([], [1.0])


def test_p_values_near_the_threshold_show_which_side_they_are_on():
    assert stats.format_p(0.0503) == "0.0503" and stats.format_p(0.0497) == "0.0497"  # both "0.05" at 2 digits
    assert stats.format_p(0.0081) == "0.0081" and stats.format_p(0.61) == "0.61"
