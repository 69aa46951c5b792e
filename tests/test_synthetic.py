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
        synthetic.train_strategy("filtered mix", real, syn, 0, steps=2, batch_size=4)


@pytest.mark.parametrize("strategy", synthetic.STRATEGIES)
def test_every_strategy_trains_a_classifier(strategy):
    real, syn = _toy(2), _toy(3)
    keep = torch.arange(30) % 2 == 0
    model = synthetic.train_strategy(strategy, real, syn, 0, steps=2, batch_size=8, keep=keep)
    assert model(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


def test_pretrain_fine_tune_spends_the_same_total_budget(monkeypatch):
    """Every strategy trains `steps` optimiser steps in all: pretrain + fine-tune splits them, it does not double them."""
    spent = []
    monkeypatch.setattr(synthetic, "fit_classifier", lambda x, y, config, progress, init, steps: spent.append(steps))
    for strategy in synthetic.STRATEGIES:
        spent.clear()
        synthetic.train_strategy(strategy, _toy(2), _toy(3), 0, steps=7, batch_size=4, keep=torch.ones(30, dtype=torch.bool))
        assert sum(spent) == 7, (strategy, spent)
    with pytest.raises(ValueError, match="steps must be an integer of at least 2"):
        synthetic.train_strategy("mix", _toy(2), _toy(3), 0, steps=1, batch_size=4)


def test_first_per_class_indexes_a_pool_by_digit():
    assert synthetic.first_per_class(2, 5).tolist() == [i + d for d in range(0, 50, 5) for i in (0, 1)]
    with pytest.raises(ValueError, match="per_class"):
        synthetic.first_per_class(6, 5)
