"""The variational autoencoder of Kingma & Welling, "Auto-Encoding Variational Bayes"
(ICLR 2014), with the convolutional encoder/decoder of the Keras MNIST example that
survey 000 shows.

The encoder maps a 28×28 digit to the mean and log-variance of a Gaussian over a
``latent``-dimensional code; a code is drawn with the reparameterisation trick
(z = μ + σ·ε) so gradients pass through the sampling; the decoder maps z to Bernoulli
means for each pixel. With ``latent`` = 2 the code space can be drawn as the survey's
manifold figure.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from darkroom.nets.family import Family


class VAE(nn.Module):
    def __init__(self, *, latent: int = 2, features: int = 32, hidden: int = 16):
        super().__init__()
        self.latent = latent
        self.encoder = nn.Sequential(
            nn.Conv2d(1, features, 3, stride=2, padding=1), nn.ReLU(),           # 14×14
            nn.Conv2d(features, 2 * features, 3, stride=2, padding=1), nn.ReLU(),  # 7×7
            nn.Flatten(), nn.Linear(2 * features * 49, hidden), nn.ReLU(),
        )
        self.to_mean = nn.Linear(hidden, latent)
        self.to_log_var = nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(
            nn.Linear(latent, 2 * features * 49), nn.ReLU(), nn.Unflatten(1, (2 * features, 7, 7)),
            nn.ConvTranspose2d(2 * features, 2 * features, 4, stride=2, padding=1), nn.ReLU(),  # 14×14
            nn.ConvTranspose2d(2 * features, features, 4, stride=2, padding=1), nn.ReLU(),      # 28×28
            nn.Conv2d(features, 1, 3, padding=1),
        )

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        h = self.encoder(x)
        return self.to_mean(h), self.to_log_var(h)

    def decode_logits(self, z: Tensor) -> Tensor:
        return self.decoder(z)

    def decode(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.decode_logits(z))

    def forward(self, x: Tensor, generator: torch.Generator | None = None) -> tuple[Tensor, Tensor, Tensor]:
        """Bernoulli logits of the reconstruction, and the posterior's mean and log-variance."""
        mean, log_var = self.encode(x)
        eps = torch.randn(mean.shape, generator=generator, device=mean.device, dtype=mean.dtype)
        z = mean + torch.exp(0.5 * log_var) * eps
        return self.decode_logits(z), mean, log_var


FAMILY = Family(
    "vae", VAE,
    paper="Kingma & Welling, 'Auto-Encoding Variational Bayes', ICLR 2014; the Keras MNIST VAE example (survey 000)",
    tiny={"latent": 2, "features": 4, "hidden": 4},
)
