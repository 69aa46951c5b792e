import math

import numpy as np
import pytest
import torch

from ganutils import metrics


def test_inception_score_closed_forms():
    identical = torch.tensor([[5.0, 1.0, 0.0, 0, 0, 0, 0, 0, 0, 0]]).repeat(100, 1)
    assert metrics.inception_score(identical, splits=10)[0] == pytest.approx(1.0)
    one_hot = torch.eye(10).repeat(10, 1) * 1000  # confident, uniform over 10 classes
    mean, std = metrics.inception_score(one_hot, splits=1)
    assert mean == pytest.approx(10.0) and std == pytest.approx(0.0, abs=1e-9)
    # with splits, p(y) is estimated per split and the score can only fall
    assert metrics.inception_score(one_hot, splits=10)[0] < 10.0
    with pytest.raises(ValueError, match="splits"):
        metrics.inception_score(one_hot, splits=0)
    # samples sorted by class must not fool the split estimate of p(y)
    sorted_by_class = (torch.eye(10) * 1000).repeat_interleave(100, 0)
    assert metrics.inception_score(sorted_by_class, splits=10)[0] > 9


def test_kl_to_uniform_and_coverage():
    uniform = torch.full((10,), 0.1, dtype=torch.float64)
    assert metrics.kl_to_uniform(uniform) == pytest.approx(0.0)
    collapsed = torch.zeros(10)
    collapsed[3] = 1
    assert metrics.kl_to_uniform(collapsed) == pytest.approx(math.log(10))
    assert metrics.digits_covered(collapsed) == 1 and metrics.digits_covered(uniform) == 10
    logits = torch.eye(10)[torch.tensor([0, 0, 1, 2])]
    assert metrics.class_shares(logits)[:3].tolist() == [0.5, 0.25, 0.25]


def test_within_class_diversity():
    features = torch.tensor([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0], [1.0, 1.0]])
    labels = torch.tensor([0, 0, 1, 1])
    div = metrics.within_class_diversity(features, labels, n_classes=3)
    assert div[0] == pytest.approx(5.0) and div[1] == pytest.approx(0.0) and math.isnan(div[2])


def test_fid_matches_gaussian_closed_form():
    rng = np.random.default_rng(0)
    n, d = 200_000, 3
    mu_a, mu_b = np.zeros(d), np.array([1.0, 0.0, -2.0])
    var_a, var_b = np.array([1.0, 2.0, 0.5]), np.array([4.0, 1.0, 0.5])
    a = torch.from_numpy(mu_a + rng.standard_normal((n, d)) * np.sqrt(var_a))
    b = torch.from_numpy(mu_b + rng.standard_normal((n, d)) * np.sqrt(var_b))
    # diagonal covariances: |mu_a - mu_b|^2 + sum (sqrt(var_a) - sqrt(var_b))^2
    closed = ((mu_a - mu_b) ** 2).sum() + ((np.sqrt(var_a) - np.sqrt(var_b)) ** 2).sum()
    assert metrics.frechet_distance(a, b) == pytest.approx(closed, rel=0.02)
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)


def test_kid_is_about_zero_for_one_distribution_and_positive_for_two():
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(2000, 16, generator=g), torch.randn(2000, 16, generator=g)
    same, spread = metrics.kernel_inception_distance(a, b, subsets=20, subset_size=500)
    assert abs(same) < 3 * spread + 1e-3
    shifted, _ = metrics.kernel_inception_distance(a, b + 1.0, subsets=20, subset_size=500)
    assert shifted > 0.1


def test_kid_and_fid_agree_with_torchmetrics():
    from torchmetrics.image.fid import FrechetInceptionDistance
    from torchmetrics.image.kid import KernelInceptionDistance

    class Identity(torch.nn.Module):  # the "images" are already features
        num_features = 8

        def forward(self, x):
            return x

    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(600, 8, generator=g, dtype=torch.float64), torch.randn(600, 8, generator=g, dtype=torch.float64) * 1.5 + 0.3
    fid = FrechetInceptionDistance(feature=Identity(), normalize=True).double()
    fid.update(a, real=True)
    fid.update(b, real=False)
    assert metrics.frechet_distance(a, b) == pytest.approx(float(fid.compute()), rel=1e-4)
    kid = KernelInceptionDistance(feature=Identity(), subsets=1, subset_size=600, normalize=True)
    kid.update(a.float(), real=True)
    kid.update(b.float(), real=False)
    ours, _ = metrics.kernel_inception_distance(a, b, subsets=1, subset_size=600)
    assert ours == pytest.approx(float(kid.compute()[0]), rel=1e-3)


@pytest.mark.parametrize("limit", [0, 1200 ** 2])  # every kernel per subset / only the large set's
def test_kid_from_whole_kernel_matrices_equals_kid_subset_by_subset(monkeypatch, limit):
    """Small sets read each subset's kernel sums from the whole sets' kernel matrix; larger ones compute them
    per subset: the same subsets, the same number (to rounding)."""
    g = torch.Generator().manual_seed(3)
    a, b = torch.randn(1500, 16, generator=g), torch.randn(700, 16, generator=g) * 1.2 + 0.1
    whole = metrics.kernel_inception_distance(a, b, subsets=7, subset_size=500, seed=4)
    monkeypatch.setattr(metrics, "KID_FULL_KERNEL_MAX", limit)
    monkeypatch.setattr(metrics, "_REFERENCE_SUMS", {})  # the reference's sums computed again, the other way
    by_subset = metrics.kernel_inception_distance(a, b, subsets=7, subset_size=500, seed=4)
    assert whole == pytest.approx(by_subset, rel=1e-9) and whole[0] > 0 and whole[1] > 0


def test_kid_reuses_a_reference_only_when_it_is_the_same(monkeypatch):
    """The reference's own kernel sums are kept for the next model scored against it, never for another
    reference (a changed value), another sample count or another seed."""
    g = torch.Generator().manual_seed(5)
    a, b, c = torch.randn(800, 8, generator=g), torch.randn(300, 8, generator=g), torch.randn(300, 8, generator=g) + 0.2
    changed = a.clone()
    changed[0, 0] += 1.0
    cases = [(a, b, 0), (a, c, 0), (changed, c, 0), (a, c[:250], 0), (a, c, 1)]
    kept = [metrics.kernel_inception_distance(x, y, subsets=5, subset_size=200, seed=s) for x, y, s in cases]
    fresh = []
    for x, y, s in cases:
        monkeypatch.setattr(metrics, "_REFERENCE_SUMS", {})
        fresh.append(metrics.kernel_inception_distance(x, y, subsets=5, subset_size=200, seed=s))
    assert kept == fresh and len(set(kept)) == len(cases)


def test_precision_recall_density_coverage_of_a_set_against_itself():
    x = torch.randn(500, 8, generator=torch.Generator().manual_seed(2))
    assert metrics.precision_recall(x, x) == (1.0, 1.0)
    density, coverage = metrics.density_coverage(x, x)
    assert coverage == 1.0 and density >= 1.0  # every point lies in its own ball, plus its k neighbours' balls


def test_precision_recall_see_collapse():
    g = torch.Generator().manual_seed(3)
    real = torch.randn(1000, 4, generator=g)
    collapsed = real[:50].repeat(20, 1) + 0.01 * torch.randn(1000, 4, generator=g)  # 5% of the modes, sharp
    precision, recall = metrics.precision_recall(real, collapsed)
    _, coverage = metrics.density_coverage(real, collapsed)
    assert precision > 0.9 and recall < 0.3 and coverage < 0.3


def test_nearest_images_finds_an_exact_copy_and_the_closed_form_distance():
    from ganutils.evaluation import nearest_images
    pool = torch.zeros(5, 1, 2, 2)
    pool[3] = 1.0
    images = torch.stack([pool[3], torch.full((1, 2, 2), 0.5)])
    distances, indices = nearest_images(images, pool, chunk=1)
    assert indices[0] == 3 and distances[0] == 0
    assert math.isclose(distances[1].item(), 1.0, rel_tol=1e-6)  # sqrt(4 * 0.5^2) to the zero and to the ones
