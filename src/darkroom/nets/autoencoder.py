"""The convolutional denoising autoencoder of the Keras tutorials that survey 000 shows on
MNIST (after Vincent et al., "Extracting and Composing Robust Features with Denoising
Autoencoders", ICML 2008).

Encoder: two blocks of 3×3 convolution (``features`` filters, ReLU) and 2×2 max-pooling,
28×28 → 7×7. Decoder: two blocks of 3×3 convolution and 2× nearest upsampling, then a
3×3 convolution to one channel and a sigmoid. Trained to map noisy digits to clean ones.
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class ConvAutoencoder(nn.Module):
    def __init__(self, *, channels: int = 1, features: int = 32):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, features, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(features, features, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.decoder = nn.Sequential(
            nn.Conv2d(features, features, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(features, features, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(features, channels, 3, padding=1), nn.Sigmoid(),
        )

    def forward(self, noisy: Tensor) -> Tensor:
        return self.decoder(self.encoder(noisy))


FAMILY = Family(
    "conv_autoencoder", ConvAutoencoder,
    paper="Vincent, Larochelle, Bengio, Manzagol, 'Extracting and Composing Robust Features with Denoising "
          "Autoencoders', ICML 2008; the Keras convolutional denoising-autoencoder tutorial",
    geometry=lambda **_: Geometry(4, 14),  # two 2× poolings
    tiny={"channels": 1, "features": 4},
)
