import dataclasses
import warnings

import pytest
import torch

from ganutils import published
from ganutils.cache import DamagedFileWarning
from ganutils.classifier import ClassifierConfig, train_classifier

TINY = ClassifierConfig(epochs=1, n_train=200, batch_size=50, width=4)


def _no_training(*args, **kwargs):
    pytest.fail("trained a classifier that was published from this very config")


def _publish(tmp_path, monkeypatch):
    """Train TINY in one run cache and publish it; then start another, empty run cache (a new machine)."""
    run = train_classifier(TINY, progress=False)
    path = published.publish_classifier(run, tmp_path / "models" / "classifier.pt")
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "other-machine-runs"))
    return run, path


def test_a_new_run_cache_adopts_the_published_classifier_instead_of_training(tmp_path, monkeypatch):
    run, path = _publish(tmp_path, monkeypatch)
    monkeypatch.setattr("ganutils.classifier.fit_classifier", _no_training)
    adopted = published.reference_classifier(TINY, models=path.parent)
    assert adopted.test_accuracy == run.test_accuracy and adopted.seconds == run.seconds
    assert all(torch.equal(a, b) for a, b in zip(adopted.model.state_dict().values(), run.model.state_dict().values()))
    assert not published.adopt_classifier(TINY, path)  # already in the cache: nothing to adopt


def test_another_config_or_a_damaged_file_is_trained_instead(tmp_path, monkeypatch):
    _, path = _publish(tmp_path, monkeypatch)
    assert not published.adopt_classifier(dataclasses.replace(TINY, seed=1), path)  # published from another config
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")  # damaged after publishing
    with pytest.warns(DamagedFileWarning, match="does not match its record"):
        assert not published.adopt_classifier(TINY, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DamagedFileWarning)
        assert not published.adopt_classifier(TINY, tmp_path / "nowhere" / "classifier.pt")  # nothing published
    assert published.reference_classifier(TINY, models=None).test_accuracy >= 0  # models=None: trained as usual
