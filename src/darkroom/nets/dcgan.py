"""DCGAN: "Unsupervised Representation Learning with Deep Convolutional Generative
Adversarial Networks" (Radford, Metz, Chintala; ICLR 2016), sized for 28×28 digits.

The paper's rules: no pooling (strided convolutions in the discriminator, fractionally
strided ones in the generator), batch normalisation in both except the generator's
output and the discriminator's input, ReLU in the generator with tanh at the output,
LeakyReLU (0.2) in the discriminator, weights from N(0, 0.02). Widths are half the
paper's (32 base filters instead of 64): enough for digits, and 4× cheaper on a CPU.
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family


def dcgan_init(module: nn.Module) -> None:
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class Generator(nn.Module):
    def __init__(self, *, latent: int = 64, features: int = 32):
        super().__init__()
        self.latent = latent
        self.body = nn.Sequential(
            nn.ConvTranspose2d(latent, 4 * features, 7, 1, 0, bias=False), nn.BatchNorm2d(4 * features), nn.ReLU(True),  # 7×7
            nn.ConvTranspose2d(4 * features, 2 * features, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * features), nn.ReLU(True),  # 14
            nn.ConvTranspose2d(2 * features, 1, 4, 2, 1), nn.Tanh(),  # 28×28 in [-1, 1]
        )
        self.apply(dcgan_init)

    def forward(self, z: Tensor) -> Tensor:
        return self.body(z.view(z.shape[0], -1, 1, 1))


class Discriminator(nn.Module):
    def __init__(self, *, features: int = 32):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, features, 4, 2, 1), nn.LeakyReLU(0.2, True),  # 14
            nn.Conv2d(features, 2 * features, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * features), nn.LeakyReLU(0.2, True),  # 7
            nn.Conv2d(2 * features, 1, 7, 1, 0),  # one logit
        )
        self.apply(dcgan_init)

    def forward(self, x: Tensor) -> Tensor:
        return self.body(x).flatten()


FAMILY = Family(
    "dcgan", Generator,
    paper="Radford, Metz, Chintala, 'Unsupervised Representation Learning with Deep Convolutional Generative "
          "Adversarial Networks', ICLR 2016",
    tiny={"latent": 8, "features": 4},
)
