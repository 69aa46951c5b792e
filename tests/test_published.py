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


def test_a_config_that_differs_only_in_precision_adopts_the_published_classifier(tmp_path, monkeypatch):
    """A CPU without native bf16 resolves "auto" to fp32: the published bf16 classifier is still the instrument."""
    trained_as, used_as = dataclasses.replace(TINY, precision="bf16"), dataclasses.replace(TINY, precision="fp32")
    run = train_classifier(trained_as, progress=False)
    path = published.publish_classifier(run, tmp_path / "models" / "classifier.pt")
    monkeypatch.setenv("GANUTILS_RUNS", str(tmp_path / "fp32-machine-runs"))
    monkeypatch.setattr("ganutils.classifier.fit_classifier", _no_training)
    adopted = published.reference_classifier(used_as, models=path.parent)
    assert adopted.config == trained_as and adopted.test_accuracy == run.test_accuracy
    assert published.as_published(dataclasses.replace(used_as, seed=1), path).precision == "fp32"  # another config
