"""DCGAN generator and discriminator for 28x28 digits, optionally class-conditional.

One pair of constructors covers every architecture the study compares:
`width` (channels of the widest block; G and D widths vary independently for
capacity ratios), `depth` (extra 3x3 conv blocks at 14x14 for depth ratios),
`norm` ("none", "batch" or "virtual") and, for class conditioning,
`n_classes` and a `conditioning` design:
  "concat"      G: one-hot y concatenated to z; D: one-hot label maps as extra
                input channels (Mirza & Osindero 2014);
  "projection"  G as concat; D: an inner product of a label embedding with D's
                features added to its logit (Miyato & Koyama 2018);
  "cbn"         G: class-conditional batch norm (per-class scale and shift after
                every normalisation, no label input); D: projection.
`classify=True` gives D a second head that predicts the class from its
features, the auxiliary classifier of AC-GAN (Odena et al. 2017).

`clusters=k` (unconditional models) is self-conditioning (Liu et al. 2020): the training
images' k-means clusters (`data.pixel_clusters`) stand in for labels that are never given.
G reads its cluster from its own noise, with the clusters' shares in the data (stored with
its weights, so a published generator draws them unaided), and sees it one-hot beside z;
D is conditioned on the cluster of each image as a class-conditional D is on its label.

`minibatch_std=True` appends to D's last feature map one more channel holding the
standard deviation of those features across the batch (Karras et al. 2018): a batch of
near-identical fakes is then visible to D from any one of its images.

`codes=k` (unconditional models) is InfoGAN's categorical latent code (Chen et al.
2016): G reads a code c in 0..k-1 from its own noise (`latent_code`, uniform over the
k values) and sees it one-hot beside z; D gets a head Q that predicts c from an image.
MNIST's digits are k=10 disconnected shapes, which a continuous z alone can only join
by ambiguous strokes; a discrete code lets G jump between them without labels
(measured in bench/q1_design.md: within noise of the plain design at 6 epochs).

Shapes (w = width):
  G: z (+ one-hot y) -> Linear -> 2w x 7 x 7 -> ConvT -> w x 14 x 14 -> [depth x Conv3x3]
     -> ConvT -> 1 x 28 x 28, tanh
  D: x (+ label maps) -> Conv -> w x 14 x 14 -> [depth x Conv3x3] -> Conv -> 2w x 7 x 7
     [+ 1 minibatch-std channel] -> Linear -> logit (+ projection term)
  C (the digit classifier every metric looks through, not part of a GAN): two VGG blocks
     (2 x Conv3x3, BN, ReLU, MaxPool) -> 128-d features -> Linear -> 10 logits
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

NORMS = ("none", "batch", "virtual")
CONDITIONINGS = ("concat", "projection", "cbn")
FEATURES = 128  # width of the classifier's penultimate layer: the feature space of FID, KID and the embeddings


def latent_code(z: torch.Tensor, codes: int, cdf: torch.Tensor | None = None) -> torch.Tensor:
    """The categorical code a generator reads from its noise: the quantile bucket of z[:, 0], uniform
    over 0..codes-1 for z ~ N(0, I), or distributed as the shares whose cumulative sums are `cdf`; so
    that the generator stays a function of z alone."""
    u = torch.special.ndtr(z[:, 0].float())
    if cdf is None:
        return (u * codes).long().clamp_(0, codes - 1)
    return torch.searchsorted(cdf.to(u), u, right=True).clamp_(0, codes - 1)


class VirtualBatchNorm(nn.Module):
    """Virtual batch normalisation (Salimans et al. 2016).

    The input is `cat([reference, batch])`: the first `n_ref` rows are a
    reference batch fixed at the start of training. Reference rows are
    normalised with the reference statistics; every other row with statistics
    that mix the reference batch and that row alone (weight 1/(n_ref+1) for the
    row), so an example's output never depends on the rest of its batch.
    """

    def __init__(self, num_features: int, n_ref: int, eps: float = 1e-5):
        super().__init__()
        self.n_ref, self.eps = n_ref, eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dtype, x = x.dtype, x.float()
        spatial = tuple(range(2, x.dim()))
        ref, new = x[: self.n_ref], x[self.n_ref :]
        ref_mean = ref.mean((0, *spatial), keepdim=True)
        ref_sq = ref.pow(2).mean((0, *spatial), keepdim=True)
        new_mean = new.mean(spatial, keepdim=True) if spatial else new
        new_sq = new.pow(2).mean(spatial, keepdim=True) if spatial else new.pow(2)
        w = 1.0 / (self.n_ref + 1)
        mean = (1 - w) * ref_mean + w * new_mean
        var = (1 - w) * ref_sq + w * new_sq - mean.pow(2)
        ref_out = (ref - ref_mean) / torch.sqrt(ref_sq - ref_mean.pow(2) + self.eps)
        new_out = (new - mean) / torch.sqrt(var.clamp_min(0) + self.eps)
        shape = (1, -1) + (1,) * len(spatial)
        out = torch.cat([ref_out, new_out]) * self.weight.view(shape) + self.bias.view(shape)
        return out.to(dtype)


class ConditionalBatchNorm2d(nn.Module):
    """Batch norm whose scale and shift are looked up per class (de Vries et al. 2017)."""

    def __init__(self, num_features: int, n_classes: int):
        super().__init__()
        self.norm = nn.BatchNorm2d(num_features, affine=False)
        self.weight = nn.Embedding(n_classes, num_features)
        self.bias = nn.Embedding(n_classes, num_features)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        out = self.norm(x)
        return out * self.weight(y)[:, :, None, None].to(out.dtype) + self.bias(y)[:, :, None, None].to(out.dtype)


def _norm(kind: str, channels: int, n_ref: int, dims: int = 2, n_classes: int = 0) -> nn.Module:
    if n_classes:
        return ConditionalBatchNorm2d(channels, n_classes)
    if kind == "batch":
        return nn.BatchNorm2d(channels) if dims == 2 else nn.BatchNorm1d(channels)
    if kind == "virtual":
        return VirtualBatchNorm(channels, n_ref)
    return nn.Identity()


def _check(norm: str, conditioning: str = "concat") -> None:
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    if conditioning not in CONDITIONINGS:
        raise ValueError(f"conditioning must be one of {CONDITIONINGS}, got {conditioning!r}")


def _check_codes(codes: int, labels: int) -> None:
    if codes and (labels or codes < 2):
        raise ValueError(f"a latent code or clusters must number 0 or at least 2, and only without labels or "
                         f"another code; got {codes} with {labels} labels or codes")


def _init_dcgan(module: nn.Module) -> None:
    """Radford et al. 2015: weights from N(0, 0.02), norm scales from N(1, 0.02)."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, VirtualBatchNorm)) and m.weight is not None:
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    for m in module.modules():  # after the loop above, which sees the embeddings as plain layers
        if isinstance(m, ConditionalBatchNorm2d):
            nn.init.normal_(m.weight.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias.weight)


class Generator(nn.Module):
    def __init__(self, z_dim: int = 100, width: int = 64, depth: int = 0, norm: str = "batch",
                 n_classes: int = 0, n_ref: int = 64, conditioning: str = "concat", codes: int = 0,
                 clusters: int = 0):
        super().__init__()
        _check(norm, conditioning)
        _check_codes(codes, n_classes)
        _check_codes(clusters, n_classes + codes)
        self.cbn = bool(n_classes) and conditioning == "cbn"
        if self.cbn and norm != "batch":
            raise ValueError(f"conditioning 'cbn' needs norm 'batch' in the generator, got {norm!r}")
        self.z_dim, self.n_classes, self.norm, self.n_ref, self.codes = z_dim, n_classes, norm, n_ref, codes
        self.clusters = clusters
        if clusters:  # cumulative shares of the clusters in the data, set by `set_cluster_shares`
            self.register_buffer("cluster_cdf", torch.linspace(1 / clusters, 1, clusters))
        label_inputs = (n_classes if (n_classes and not self.cbn) else 0) + codes + clusters
        norm_classes = n_classes if self.cbn else 0
        self.project = nn.Linear(z_dim + label_inputs, 2 * width * 7 * 7, bias=norm == "none")
        self.project_norm = _norm(norm, 2 * width, n_ref, n_classes=norm_classes)
        self.up1 = nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=norm == "none")
        self.up1_norm = _norm(norm, width, n_ref, n_classes=norm_classes)
        self.blocks = nn.ModuleList(nn.Conv2d(width, width, 3, 1, 1, bias=norm == "none") for _ in range(depth))
        self.block_norms = nn.ModuleList(_norm(norm, width, n_ref, n_classes=norm_classes) for _ in range(depth))
        self.up2 = nn.ConvTranspose2d(width, 1, 4, 2, 1)
        self.width = width
        if norm == "virtual":  # the fixed reference batch travels with the weights
            g = torch.Generator().manual_seed(1234)
            self.register_buffer("z_ref", torch.randn(n_ref, z_dim, generator=g))
            self.register_buffer("y_ref", torch.arange(n_ref) % max(n_classes, 1))
        _init_dcgan(self)

    def set_cluster_shares(self, shares: torch.Tensor) -> None:
        self.cluster_cdf.copy_(shares.double().cumsum(0).div(shares.sum()).float())

    def code(self, z: torch.Tensor) -> torch.Tensor | None:
        """The category G reads from `z`: its InfoGAN code or its cluster; None when it reads neither."""
        if self.codes:
            return latent_code(z, self.codes)
        if self.clusters:
            return latent_code(z, self.clusters, self.cluster_cdf)
        return None

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if self.norm == "virtual":
            z = torch.cat([self.z_ref.to(z.dtype), z])
            y = None if y is None else torch.cat([self.y_ref, y])
        if self.n_classes:
            if y is None:
                raise ValueError("this generator is class-conditional: pass labels y")
            if not self.cbn:
                z = torch.cat([z, F.one_hot(y, self.n_classes).to(z.dtype)], 1)
        if self.codes or self.clusters:
            z = torch.cat([z, F.one_hot(self.code(z), self.codes or self.clusters).to(z.dtype)], 1)

        def norm(layer: nn.Module, h: torch.Tensor) -> torch.Tensor:
            return layer(h, y) if self.cbn else layer(h)

        h = self.project(z).view(len(z), 2 * self.width, 7, 7)
        h = F.relu(norm(self.project_norm, h))
        h = F.relu(norm(self.up1_norm, self.up1(h)))
        for conv, layer in zip(self.blocks, self.block_norms):
            h = F.relu(norm(layer, conv(h)))
        x = torch.tanh(self.up2(h))
        return x[self.n_ref :] if self.norm == "virtual" else x


class Discriminator(nn.Module):
    def __init__(self, width: int = 64, depth: int = 0, norm: str = "batch", n_classes: int = 0,
                 conditioning: str = "concat", n_ref: int = 64, classify: bool = False, codes: int = 0,
                 minibatch_std: bool = False):
        super().__init__()
        _check(norm, conditioning)
        if minibatch_std and norm == "virtual":
            raise ValueError("minibatch_std couples the examples of a batch, which norm 'virtual' exists to avoid")
        if classify and not n_classes:
            raise ValueError("classify=True (an auxiliary class head) needs n_classes > 0")
        _check_codes(codes, n_classes)
        self.n_classes, self.conditioning, self.norm, self.n_ref = n_classes, conditioning, norm, n_ref
        label_maps = n_classes if (n_classes and conditioning == "concat") else 0
        self.conv1 = nn.Conv2d(1 + label_maps, width, 4, 2, 1)
        self.blocks = nn.ModuleList(nn.Conv2d(width, width, 3, 1, 1, bias=norm == "none") for _ in range(depth))
        self.block_norms = nn.ModuleList(_norm(norm, width, n_ref) for _ in range(depth))
        self.conv2 = nn.Conv2d(width, 2 * width, 4, 2, 1, bias=norm == "none")
        self.conv2_norm = _norm(norm, 2 * width, n_ref)
        self.minibatch_std = minibatch_std
        features = (2 * width + minibatch_std) * 7 * 7
        self.head = nn.Linear(features, 1)
        self.projection = bool(n_classes) and conditioning in ("projection", "cbn")
        if self.projection:
            self.embed = nn.Embedding(n_classes, features)
        # AC-GAN's class head, or InfoGAN's Q head that predicts G's latent code
        self.classifier = nn.Linear(features, n_classes or codes) if classify or codes else None
        if norm == "virtual":  # filled with real images by `set_reference` before training
            self.register_buffer("x_ref", torch.zeros(n_ref, 1, 28, 28))
            self.register_buffer("y_ref", torch.zeros(n_ref, dtype=torch.long))
        _init_dcgan(self)

    def set_reference(self, x: torch.Tensor, y: torch.Tensor) -> None:
        if self.norm == "virtual":
            self.x_ref.copy_(x[: self.n_ref])
            self.y_ref.copy_(y[: self.n_ref])

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None,
                with_classes: bool = False) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Logits of 'real', shape (N,); with `with_classes`, also the auxiliary head's logits (N, n_classes or codes)."""
        if with_classes and self.classifier is None:
            raise ValueError("this discriminator has no class head: build it with classify=True")
        if self.n_classes and y is None:
            raise ValueError("this discriminator is class-conditional: pass labels y")
        if self.norm == "virtual":
            x = torch.cat([self.x_ref.to(x.dtype), x])
            y = None if y is None else torch.cat([self.y_ref, y])
        if self.n_classes and self.conditioning == "concat":
            maps = F.one_hot(y, self.n_classes).to(x.dtype)[:, :, None, None].expand(-1, -1, 28, 28)
            x = torch.cat([x, maps], 1)
        h = F.leaky_relu(self.conv1(x), 0.2)
        for conv, norm in zip(self.blocks, self.block_norms):
            h = F.leaky_relu(norm(conv(h)), 0.2)
        h = F.leaky_relu(self.conv2_norm(self.conv2(h)), 0.2)
        if self.minibatch_std:
            spread = (h.float().var(0, unbiased=False) + 1e-8).sqrt().mean()
            h = torch.cat([h, spread.to(h.dtype).expand(len(h), 1, *h.shape[2:])], 1)
        h = h.flatten(1)
        out = self.head(h).squeeze(1)
        if self.projection:
            out = out + (self.embed(y) * h).sum(1)
        start = self.n_ref if self.norm == "virtual" else 0
        if with_classes:
            return out[start:], self.classifier(h)[start:]
        return out[start:]


def n_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


class Classifier(nn.Module):
    def __init__(self, width: int = 32, dropout: float = 0.3):
        super().__init__()

        def block(c_in: int, c_out: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                nn.MaxPool2d(2))

        self.body = nn.Sequential(block(1, width), block(width, 2 * width), nn.Flatten(),
                                  nn.Dropout(dropout), nn.Linear(2 * width * 7 * 7, FEATURES, bias=False),
                                  nn.BatchNorm1d(FEATURES), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(FEATURES, 10))
        self.kwargs = dict(width=width, dropout=dropout)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate-layer embedding (N, 128) of images in [-1, 1]."""
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))
