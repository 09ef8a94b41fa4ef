"""Using the MNIST VAE (``darkroom.nets.vae``): the negative ELBO (the ``vae`` objective of
``darkroom.train.objectives``; ``darkroom train recipes/vae_mnist.toml`` trains it), samples,
the 2-D latent manifold (survey 000's Figure 17) and latent interpolation.

The likelihood is Bernoulli on grey levels, as in the Keras example the survey follows;
its negative ELBO (nats per digit) is therefore not comparable with figures quoted on
binarised MNIST.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from darkroom.nets.vae import VAE


def negative_elbo(logits: Tensor, x: Tensor, mean: Tensor, log_var: Tensor) -> Tensor:
    """Per-image −ELBO = reconstruction cross-entropy + KL(q(z|x) ‖ N(0, I)), in nats."""
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
    kl = 0.5 * (mean.square() + log_var.exp() - 1 - log_var).sum(1)
    return reconstruction + kl


@torch.no_grad()
def evaluate_vae(vae: VAE, images: Tensor, seed: int = 0, batch: int = 500) -> float:
    """Mean −ELBO over ``images`` (N, 1, 28, 28) in [0, 1], one posterior sample each."""
    g = torch.Generator().manual_seed(seed)
    vae.eval()
    total = 0.0
    for i in range(0, len(images), batch):
        x = images[i : i + batch]
        logits, mean, log_var = vae(x, g)
        total += float(negative_elbo(logits, x, mean, log_var).sum())
    return total / len(images)


@torch.no_grad()
def sample_vae(vae: VAE, n: int, seed: int = 0) -> Tensor:
    z = torch.randn(n, vae.latent, generator=torch.Generator().manual_seed(seed))
    return vae.eval().decode(z)


@torch.no_grad()
def latent_manifold(vae: VAE, steps: int = 15, spread: float = 1.5) -> Tensor:
    """Decoded digits on a ``steps``×``steps`` grid of the 2-D code space, row by row
    (through the Gaussian's quantiles, as in Kingma & Welling's figure)."""
    if vae.latent != 2:
        raise ValueError("the manifold figure needs a VAE with a 2-D latent space")
    normal = torch.distributions.Normal(0.0, 1.0)
    q = normal.icdf(torch.linspace(0.05, 0.95, steps)) * spread / 1.645
    grid = torch.stack(torch.meshgrid(q.flip(0), q, indexing="ij"), -1).reshape(-1, 2)[:, [1, 0]]
    return vae.eval().decode(grid)


@torch.no_grad()
def interpolate(vae: VAE, a: Tensor, b: Tensor, steps: int = 10) -> Tensor:
    """Decode the straight path between the posterior means of digits ``a`` and ``b``."""
    (ma, _), (mb, _) = vae.encode(a[None]), vae.encode(b[None])
    t = torch.linspace(0, 1, steps)[:, None]
    return vae.eval().decode(ma + t * (mb - ma))
