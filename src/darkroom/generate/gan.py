"""Sampling the MNIST DCGAN (``darkroom.nets.dcgan``). It is trained as Radford et al. (2016)
do, by the ``gan`` objective of ``darkroom.train.objectives`` (``darkroom train
recipes/dcgan_mnist.toml``): Adam (lr 2e-4, β₁ 0.5), batches of 128, the non-saturating
generator loss of Goodfellow et al. (2014), pixels on [−1, 1] for the generator's tanh.
"""

from __future__ import annotations


import torch
from torch import Tensor

from darkroom.nets.dcgan import Generator


@torch.no_grad()
def sample_gan(generator: Generator, z: Tensor | int, seed: int = 0) -> Tensor:
    """Digits in [0, 1] for the codes ``z`` (or ``z`` fresh codes drawn from ``seed``)."""
    if isinstance(z, int):
        z = torch.randn(z, generator.latent, generator=torch.Generator().manual_seed(seed))
    was_training = generator.training
    generator.eval()
    out = (generator(z) + 1) / 2
    generator.train(was_training)
    return out.clamp(0, 1)
