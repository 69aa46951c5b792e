import pytest
import torch

from ganutils.pca import fit_pca


def _two_digit_data(n=400, seed=0):
    """Images whose pixels vary along two known directions per digit, with known variances."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(10).repeat_interleave(n)
    means = torch.rand(10, 784, generator=g) * 0.4 - 0.5
    directions = torch.linalg.qr(torch.randn(784, 2, generator=g)).Q.T  # orthonormal rows
    coefficients = torch.randn(len(y), 2, generator=g) * torch.tensor([0.3, 0.1])
    x = means[y] + coefficients @ directions
    return x.view(-1, 1, 28, 28), y, means, directions


def test_samples_follow_the_fitted_gaussian():
    x, y, means, directions = _two_digit_data()
    model = fit_pca(x, y, components=2)
    labels = torch.full((4000,), 3)
    samples = model.generate(labels, seed=1).flatten(1).double()
    assert samples.shape == (4000, 784)
    centred = samples - means[3].double()
    coefficients = centred @ directions.double().T
    # nothing outside the two directions, and within them the covariance of the training images
    assert (centred - coefficients @ directions.double()).abs().max() < 1e-4
    train_coefficients = (x[y == 3].flatten(1).double() - means[3].double()) @ directions.double().T
    fitted = torch.linalg.eigvalsh(torch.cov(train_coefficients.T)).tolist()
    assert torch.linalg.eigvalsh(torch.cov(coefficients.T)).tolist() == pytest.approx(fitted, rel=0.06)


def test_generation_is_seeded_and_checks_labels():
    x, y, _, _ = _two_digit_data(n=50)
    model = fit_pca(x, y, components=2)
    labels = torch.tensor([0, 5, 9])
    assert torch.equal(model.generate(labels, seed=3), model.generate(labels, seed=3))
    assert not torch.equal(model.generate(labels, seed=3), model.generate(labels, seed=4))
    with pytest.raises(ValueError, match="labels must lie in 0..9"):
        model.generate([10])
    with pytest.raises(ValueError, match="components must be an integer"):
        fit_pca(x, y, components=0)


def test_likelihood_prefers_enough_components():
    x, y, _, _ = _two_digit_data()
    x = x + 0.01 * torch.randn(x.shape, generator=torch.Generator().manual_seed(2))
    one, two = fit_pca(x, y, 1), fit_pca(x, y, 2)
    assert two.log_likelihood(x, y) > one.log_likelihood(x, y)
