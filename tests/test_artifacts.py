import pytest
import torch

from ganutils import artifacts, load_classifier, load_generator
from ganutils.classifier import Classifier, ClassifierConfig, predict, random_shift
from ganutils.models import Generator


def _save_generator(tmp_path, **kwargs):
    torch.manual_seed(0)
    model = Generator(width=8, **kwargs)
    path = tmp_path / "g.pt"
    artifacts.save_package(artifacts.package("generator", model, dict(width=8, **kwargs)), path)
    return path


def test_generate_is_seeded_and_independent_of_batch_size(tmp_path):
    gen = load_generator(_save_generator(tmp_path))
    a = gen.generate(n=10, seed=1)
    assert a.shape == (10, 1, 28, 28) and a.dtype == torch.float32 and a.abs().max() <= 1
    assert torch.allclose(a, gen.generate(n=10, seed=1, batch_size=3), atol=1e-5)
    assert not torch.equal(a, gen.generate(n=10, seed=2))
    assert gen.generate(labels=[3, 4], seed=0).shape == (2, 1, 28, 28)  # labels ignored, count used


def test_conditional_generator_needs_valid_labels(tmp_path):
    gen = load_generator(_save_generator(tmp_path, n_classes=10))
    assert gen.generate(labels=torch.arange(10), seed=0).shape == (10, 1, 28, 28)
    with pytest.raises(ValueError, match="class-conditional"):
        gen.generate(n=4)
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.9"):
        gen.generate(labels=[10])


def test_wrong_kind_missing_and_garbage_files_are_refused(tmp_path):
    clf_path = tmp_path / "clf.pt"
    model = Classifier(width=4)
    artifacts.save_package(artifacts.package("classifier", model, model.kwargs), clf_path)
    assert isinstance(load_classifier(clf_path), Classifier)
    with pytest.raises(artifacts.ArtifactError, match="expected a generator model file, found kind 'classifier'"):
        load_generator(clf_path)
    with pytest.raises(artifacts.ArtifactError, match="no such model file"):
        load_generator(tmp_path / "missing.pt")
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"not a model")
    with pytest.raises(artifacts.ArtifactError, match="not a readable model file"):
        load_classifier(garbage)


def test_classifier_shapes_and_shift():
    model = Classifier(width=4)
    logits, features = predict(model, torch.zeros(3, 1, 28, 28))
    assert logits.shape == (3, 10) and features.shape == (3, 128)
    x = torch.full((2, 1, 28, 28), -1.0)
    x[:, :, 14, 14] = 1.0
    shifted = random_shift(x, 2, torch.Generator().manual_seed(0))
    assert shifted.shape == x.shape and (shifted == 1).sum() == 2  # each bright pixel moved, none lost
    with pytest.raises(ValueError, match="n_train"):
        ClassifierConfig(n_train=5)


def test_fit_classifier_learns_a_separable_toy_task_and_respects_a_step_budget():
    from ganutils.classifier import fit_classifier

    g = torch.Generator().manual_seed(0)
    y = torch.arange(10).repeat(20)
    x = torch.full((200, 1, 28, 28), -1.0)
    for i, label in enumerate(y.tolist()):  # digit k = a bright 6x6 patch at a class-specific place
        r, c = divmod(label, 5)
        x[i, 0, 2 + 12 * r : 8 + 12 * r, 2 + 5 * c : 8 + 5 * c] = 1.0
    x = x + 0.1 * torch.randn(x.shape, generator=g)
    model = fit_classifier(x, y, ClassifierConfig(epochs=1, batch_size=20, shift=0), progress=False, steps=60)
    assert (predict(model, x)[0].argmax(1) == y).float().mean() > 0.9
    with pytest.raises(ValueError, match="at least one image"):
        fit_classifier(x[:0], y[:0], ClassifierConfig(), progress=False)
