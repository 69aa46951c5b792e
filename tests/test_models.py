import itertools

import pytest
import torch

from ganutils.models import Discriminator, Generator, VirtualBatchNorm, n_parameters


@pytest.mark.parametrize("norm,n_classes,conditioning,depth",
                         list(itertools.product(("none", "batch", "virtual"), (0, 10), ("concat", "projection", "cbn"),
                                                (0, 2))))
def test_shapes_for_every_option(norm, n_classes, conditioning, depth):
    if n_classes and conditioning == "cbn" and norm != "batch":
        with pytest.raises(ValueError, match="needs norm 'batch'"):
            Generator(width=8, norm=norm, n_classes=n_classes, conditioning=conditioning)
        return
    G = Generator(width=8, depth=depth, norm=norm, n_classes=n_classes, n_ref=4, conditioning=conditioning)
    D = Discriminator(width=8, depth=depth, norm=norm, n_classes=n_classes, conditioning=conditioning, n_ref=4)
    z, y = torch.randn(5, 100), torch.randint(0, 10, (5,))
    x = G(z, y if n_classes else None)
    assert x.shape == (5, 1, 28, 28) and x.abs().max() <= 1
    assert D(x, y if n_classes else None).shape == (5,)


def test_reference_dcgan_parameter_counts():
    # width 64, counted by hand: Linear 100*128*49, BN 2*128, ConvT 128*64*16, BN 2*64, ConvT 64*16 + 1
    assert n_parameters(Generator(width=64)) == 100 * 6272 + 256 + 128 * 64 * 16 + 128 + 64 * 16 + 1
    # Conv 1*64*16 + 64, Conv 64*128*16, BN 2*128, Linear 6272 + 1
    assert n_parameters(Discriminator(width=64)) == 64 * 16 + 64 + 64 * 128 * 16 + 256 + 6272 + 1


def test_capacity_and_depth_change_parameter_counts():
    assert n_parameters(Discriminator(width=16)) < n_parameters(Discriminator(width=32))
    assert n_parameters(Generator(width=16, depth=1)) > n_parameters(Generator(width=16, depth=0))


def test_unknown_norm_or_conditioning_is_refused():
    with pytest.raises(ValueError, match="norm must be one of"):
        Generator(norm="layer")
    with pytest.raises(ValueError, match="conditioning must be one of"):
        Discriminator(n_classes=10, conditioning="film")


def test_conditional_models_require_labels():
    with pytest.raises(ValueError, match="pass labels"):
        Generator(width=8, n_classes=10)(torch.randn(2, 100))


def test_vbn_matches_closed_form():
    torch.manual_seed(0)
    vbn = VirtualBatchNorm(3, n_ref=4)
    ref, x = torch.randn(4, 3, 5, 5), torch.randn(1, 3, 5, 5)
    out = vbn(torch.cat([ref, x]))
    # the example is normalised with statistics of (reference, itself), weight 1/(n_ref + 1) for itself
    w = 1 / 5
    mean = (1 - w) * ref.mean((0, 2, 3)) + w * x.mean((0, 2, 3))
    sq = (1 - w) * ref.pow(2).mean((0, 2, 3)) + w * x.pow(2).mean((0, 2, 3))
    expected = (x - mean.view(1, 3, 1, 1)) / torch.sqrt(sq - mean.pow(2) + vbn.eps).view(1, 3, 1, 1)
    assert torch.allclose(out[4:], expected, atol=1e-5)
    ref_expected = (ref - ref.mean((0, 2, 3), keepdim=True)) / torch.sqrt(ref.var((0, 2, 3), unbiased=False, keepdim=True) + vbn.eps)
    assert torch.allclose(out[:4], ref_expected, atol=1e-5)


def test_vbn_has_no_leakage_across_the_batch():
    torch.manual_seed(0)
    G = Generator(width=8, norm="virtual", n_ref=8)
    D = Discriminator(width=8, norm="virtual", n_ref=8)
    D.set_reference(torch.randn(8, 1, 28, 28), torch.zeros(8, dtype=torch.long))
    z = torch.randn(6, 100)
    z_other = z.clone()
    z_other[1:] = torch.randn(5, 100)  # change every example but the first
    assert torch.allclose(G(z)[0], G(z_other)[0], atol=1e-6)
    assert torch.allclose(G(z[:1])[0], G(z)[0], atol=1e-6)
    x = torch.randn(6, 1, 28, 28)
    assert torch.allclose(D(x)[:1], D(x[:1]), atol=1e-6)


def test_minibatch_std_lets_d_see_the_rest_of_its_batch():
    """Without normalisation each image's logit is its own; with the minibatch-std channel it also reads the
    batch's spread, so a batch of copies of one image scores that image otherwise than a varied batch does."""
    torch.manual_seed(0)
    plain, spread = Discriminator(width=8, norm="none"), Discriminator(width=8, norm="none", minibatch_std=True)
    x = torch.randn(6, 1, 28, 28)
    copies = x[:1].expand(6, -1, -1, -1)
    assert torch.allclose(plain(x)[0], plain(copies)[0], atol=1e-6)
    with torch.no_grad():
        spread.head.weight[:, -7 * 7 :] = 1.0  # the spread channel's weights, visible above DCGAN's small init
    assert spread(x)[0] - spread(copies)[0] > 1e-3  # copies have no spread; varied images a positive one
    assert n_parameters(spread) - n_parameters(plain) == 7 * 7  # the head's weights for the one extra channel
    with pytest.raises(ValueError, match="minibatch_std couples the examples"):
        Discriminator(width=8, norm="virtual", minibatch_std=True)


def test_vbn_reference_batch_is_fixed_and_saved():
    G = Generator(width=8, norm="virtual", n_ref=8)
    assert "z_ref" in G.state_dict()
    before = G.z_ref.clone()
    G(torch.randn(3, 100)).sum().backward()
    assert torch.equal(before, G.z_ref)


def test_batchnorm_couples_examples_but_vbn_does_not():
    torch.manual_seed(0)
    bn_g = Generator(width=8, norm="batch").train()
    z = torch.randn(6, 100)
    z_other = z.clone()
    z_other[1:] += 1.0
    assert not torch.allclose(bn_g(z)[0], bn_g(z_other)[0], atol=1e-4)  # the leak VBN removes


def test_class_conditional_batchnorm_changes_style_by_label_only_through_the_norms():
    torch.manual_seed(0)
    G = Generator(width=8, n_classes=10, conditioning="cbn").eval()
    assert G.project.in_features == 100  # no label input: the label acts through the norms
    with torch.no_grad():
        for m in G.modules():
            if m.__class__.__name__ == "ConditionalBatchNorm2d":
                m.bias.weight[3] += 1.0
    z = torch.randn(2, 100)
    assert not torch.allclose(G(z, torch.tensor([3, 3])), G(z, torch.tensor([4, 4])))


def test_auxiliary_class_head():
    D = Discriminator(width=8, n_classes=10, conditioning="projection", classify=True)
    x, y = torch.randn(6, 1, 28, 28), torch.randint(0, 10, (6,))
    logits, classes = D(x, y, with_classes=True)
    assert logits.shape == (6,) and classes.shape == (6, 10)
    assert torch.equal(D(x, y), logits)
    with pytest.raises(ValueError, match="needs n_classes"):
        Discriminator(width=8, classify=True)
    with pytest.raises(ValueError, match="no class head"):
        Discriminator(width=8, n_classes=10)(x, y, with_classes=True)


def test_infogan_code_is_uniform_read_from_the_noise_and_steers_the_generator():
    from ganutils.models import latent_code
    z = torch.randn(20_000, 100, generator=torch.Generator().manual_seed(0))
    code = latent_code(z, 10)
    shares = torch.bincount(code, minlength=10) / len(z)
    assert code.min() == 0 and code.max() == 9 and (shares - 0.1).abs().max() < 0.01  # uniform over 10 values
    assert torch.equal(latent_code(torch.tensor([[-9.0], [0.01], [9.0]]), 4), torch.tensor([0, 2, 3]))
    G = Generator(width=8, codes=10).eval()
    assert G.project.in_features == 110 and G(z[:4]).shape == (4, 1, 28, 28)
    one = z[:1].clone()
    moved = one.clone()
    moved[0, 0] = 3.0 if code[0] < 9 else -3.0  # another bucket, everything else equal
    with torch.no_grad():
        G.project.weight[:, 100:] += torch.randn(G.project.weight.shape[0], 10)  # make the code visible
        assert not torch.allclose(G(one), G(moved))
    D = Discriminator(width=8, codes=10)
    logits, codes = D(torch.randn(6, 1, 28, 28), with_classes=True)
    assert logits.shape == (6,) and codes.shape == (6, 10)
    for bad in (dict(codes=1), dict(codes=10, n_classes=10)):
        with pytest.raises(ValueError, match="codes"):
            Generator(width=8, **bad)
        with pytest.raises(ValueError, match="codes"):
            Discriminator(width=8, **bad)


def test_a_self_conditioned_generator_draws_its_cluster_from_the_noise_with_the_data_shares():
    """The cluster shares travel with the weights, so a published generator needs no labels: its
    clusters come out of its own noise as often as they occur in the training images."""
    from ganutils.artifacts import generator_from_package, package
    shares = torch.tensor([0.5, 0.3, 0.15, 0.05])
    G = Generator(width=8, clusters=4)
    G.set_cluster_shares(shares * 60)  # counts or shares: normalised either way
    z = torch.randn(40_000, 100, generator=torch.Generator().manual_seed(0))
    drawn = torch.bincount(G.code(z), minlength=4) / len(z)
    assert (drawn - shares).abs().max() < 0.01
    loaded = generator_from_package(package("generator", G, dict(width=8, clusters=4)))
    assert not loaded.conditional and torch.equal(loaded.model.code(z), G.code(z))
    assert G.project.in_features == 104 and loaded.generate(n=3, seed=1).shape == (3, 1, 28, 28)
    for bad in (dict(clusters=1), dict(clusters=4, n_classes=10), dict(clusters=4, codes=10)):
        with pytest.raises(ValueError, match="clusters"):
            Generator(width=8, **bad)
