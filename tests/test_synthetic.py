import pytest
import torch

from ganutils import synthetic


def _toy(n_per_class: int):
    y = torch.arange(10).repeat(n_per_class)
    return torch.randn(len(y), 1, 28, 28), y


def test_strategies_validate_their_inputs():
    real, syn = _toy(2), _toy(3)
    with pytest.raises(ValueError, match="strategy must be one of"):
        synthetic.train_strategy("oversample", real, syn, 0, steps=1, batch_size=4)
    with pytest.raises(ValueError, match="needs `keep`"):
        synthetic.train_strategy("filtered mix", real, syn, 0, steps=1, batch_size=4)


@pytest.mark.parametrize("strategy", synthetic.STRATEGIES)
def test_every_strategy_trains_a_classifier(strategy):
    real, syn = _toy(2), _toy(3)
    keep = torch.arange(30) % 2 == 0
    model = synthetic.train_strategy(strategy, real, syn, 0, steps=2, batch_size=8, keep=keep)
    assert model(torch.zeros(1, 1, 28, 28)).shape == (1, 10)
