import gzip
import pickle

import pytest
import torch

from ganutils import data


def test_train_and_test_shapes_range_counts():
    for train, n, counts in ((True, 60000, data.TRAIN_COUNTS), (False, 10000, data.TEST_COUNTS)):
        x, y = data.load_mnist(train=train)
        assert x.shape == (n, 1, 28, 28) and x.dtype == torch.float32
        assert y.shape == (n,) and y.dtype == torch.int64
        assert x.min() == -1.0 and x.max() == 1.0
        assert torch.bincount(y).tolist() == counts
        # scaling p / 127.5 - 1 puts every pixel on the 0..255 lattice
        p = (x[:100] + 1) * 127.5
        assert torch.allclose(p, p.round(), atol=1e-4)


def test_subset_per_class_is_balanced_seeded_and_without_replacement():
    _, y = data.load_mnist()
    a = data.subset_per_class(y, 7, seed=0)
    assert torch.bincount(y[a]).tolist() == [7] * 10
    assert len(set(a.tolist())) == 70
    assert torch.equal(a, data.subset_per_class(y, 7, seed=0))
    assert not torch.equal(a, data.subset_per_class(y, 7, seed=1))


@pytest.mark.parametrize("n", [0, -3, 6000])
def test_subset_rejects_impossible_sizes(n):
    _, y = data.load_mnist()
    with pytest.raises(ValueError, match="n_per_class"):
        data.subset_per_class(y, n, seed=0)


def test_batches_visit_each_example_once_per_epoch():
    x = torch.arange(10).float()
    seen = torch.cat([b for b, _ in data.batches(x, x, 3, torch.Generator().manual_seed(0))])
    assert len(seen) == 9 and len(set(seen.tolist())) == 9


def test_wrong_checksum_is_refused(tmp_path):
    bad = tmp_path / "mnist.pkl.gz"
    bad.write_bytes(gzip.compress(pickle.dumps(([], [], []))))
    with pytest.raises(data.DataError, match="md5"):
        data.read_pickle(bad)


def test_unpickler_refuses_code():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    blob = pickle.dumps(Evil())
    import io

    with pytest.raises(data.DataError, match="refusing to unpickle builtins.print"):
        data._NumpyOnlyUnpickler(io.BytesIO(blob)).load()


def test_damaged_idx_files_are_detected(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    data.materialise_raw_files(tmp_path)
    labels = raw / "t10k-labels-idx1-ubyte"
    blob = bytearray(labels.read_bytes())
    blob[-1] = (blob[-1] + 1) % 10  # one label changed: the class counts no longer match
    labels.write_bytes(bytes(blob))
    with pytest.raises(data.DataError, match="damaged"):
        data.load_mnist(train=False, root=tmp_path)
    labels.write_bytes(bytes(blob[:-100]))  # truncated
    data._load_mnist.cache_clear()
    with pytest.raises(data.DataError):
        data.load_mnist(train=False, root=tmp_path)


def test_atomic_writes_get_the_usual_file_mode(tmp_path):
    import os

    from ganutils.io import save_bytes

    umask = os.umask(0o022)
    try:
        path = save_bytes(b"x", tmp_path / "f.bin")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_saving_the_same_object_twice_gives_the_same_bytes(tmp_path):
    # published models are committed and Q4's caches are keyed by their sha256, so a re-save of
    # unchanged weights must not change the file
    from ganutils.io import load_torch, save_torch, sha256

    obj = {"w": torch.arange(6.0).view(2, 3), "name": "x"}
    a, b = save_torch(obj, tmp_path / "a.pt"), save_torch(obj, tmp_path / "sub" / "a.pt")
    assert sha256(a) == sha256(b)
    assert torch.equal(load_torch(a)["w"], obj["w"])


def test_training_sample_is_seeded_and_keeps_the_class_proportions():
    x_all, y_all = data.load_mnist(train=True)
    x, y = data.training_sample(20_000, seed=3)
    assert x.shape == (20_000, 1, 28, 28) and torch.equal(y, data.training_sample(20_000, seed=3)[1])
    assert not torch.equal(y, data.training_sample(20_000, seed=4)[1])
    share, expected = torch.bincount(y, minlength=10) / len(y), torch.bincount(y_all, minlength=10) / len(y_all)
    # each digit's share within 4 binomial standard deviations of the training set's
    assert ((share - expected).abs() < 4 * (expected * (1 - expected) / len(y)).sqrt()).all()
    x, y = data.training_sample(len(y_all), seed=0)  # everything, once: a permutation of the pairs
    assert torch.equal(y.sort().values, y_all.sort().values) and torch.isclose(x.sum(), x_all.sum())
    with pytest.raises(ValueError, match="n must lie in"):
        data.training_sample(0, seed=0)


def test_pixel_clusters_are_seeded_and_find_the_digits_without_their_labels():
    """k-means on pixels sees no label, yet on MNIST most of each cluster is one digit (purity: the share
    of images whose digit is their cluster's most common; about 0.2 for clusters that ignore the digit)."""
    x, y = data.training_sample(2000, seed=0)
    clusters = data.pixel_clusters(x, 10, seed=0)
    assert clusters.shape == (2000,) and set(clusters.tolist()) == set(range(10))
    assert torch.equal(clusters, data.pixel_clusters(x, 10, seed=0))
    purity = sum(torch.bincount(y[clusters == c]).max() for c in range(10)) / len(y)
    assert purity > 0.45  # measured 0.58 on all 60,000 images
    with pytest.raises(ValueError, match="k must lie in 2..2000"):
        data.pixel_clusters(x, 1)
