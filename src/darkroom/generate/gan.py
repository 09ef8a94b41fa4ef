"""Training the MNIST DCGAN (``darkroom.nets.dcgan``) as Radford et al. (2016) do: Adam
(lr 2e-4, β₁ 0.5), batches of 128, the non-saturating generator loss of Goodfellow et
al. (2014). Pixels are scaled to [−1, 1] to match the generator's tanh. Each epoch
records both losses and the discriminator's mean scores on real and fake digits, and a
fixed set of latent codes is decoded so samples can be compared across epochs.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F
from torch import Tensor

from darkroom.nets.dcgan import Discriminator, Generator


def train_gan(images: Tensor, *, epochs: int = 20, batch: int = 128, lr: float = 2e-4, latent: int = 64, seed: int = 0,
              log=print) -> tuple[Generator, list[dict], list[Tensor]]:
    """``images`` (N, 1, 28, 28) in [0, 1]. Returns the generator, the curves and per-epoch sample grids."""
    torch.manual_seed(seed)
    generator, discriminator = Generator(latent=latent), Discriminator()
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(seed)
    fixed = torch.randn(64, latent, generator=torch.Generator().manual_seed(seed + 1))
    real_all = images * 2 - 1
    curve, snapshots, t0 = [], [], time.perf_counter()
    for epoch in range(1, epochs + 1):
        generator.train()
        discriminator.train()
        order = torch.randperm(len(images), generator=g)
        sums = {"loss_d": 0.0, "loss_g": 0.0, "d_real": 0.0, "d_fake": 0.0}
        steps = len(images) // batch
        for i in range(steps):
            real = real_all[order[i * batch : (i + 1) * batch]]
            fake = generator(torch.randn(batch, latent, generator=g))
            # discriminator: real → 1, fake → 0
            real_logits, fake_logits = discriminator(real), discriminator(fake.detach())
            loss_d = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                      + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            # generator: make the discriminator call fakes real (non-saturating loss)
            fooled = discriminator(fake)
            loss_g = F.binary_cross_entropy_with_logits(fooled, torch.ones_like(fooled))
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
            sums["loss_d"] += float(loss_d.detach())
            sums["loss_g"] += float(loss_g.detach())
            sums["d_real"] += float(torch.sigmoid(real_logits.detach()).mean())
            sums["d_fake"] += float(torch.sigmoid(fake_logits.detach()).mean())
        curve.append({"epoch": epoch, **{k: v / steps for k, v in sums.items()}, "wall_s": round(time.perf_counter() - t0, 1)})
        log(curve[-1])
        snapshots.append(sample_gan(generator, fixed))
    return generator.eval(), curve, snapshots


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
