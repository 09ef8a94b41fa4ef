"""Whole noisy training batches cut in a few tensor operations on the training device.

``PairedPatches`` (``darkroom.train.data``) builds a batch one sample at a time in Python, on
one CPU core, beside every step: 15 ms for 128 patches of 96×96 on this project's CPU
(``benchmarks/batch_sampling.py``), where a lent H200's whole training step of the gray FFDNet
took 23 ms (1 / 43.8 steps a second, in its log) while a second run shared the GPU. Here instead every photo lives on the training device, padded to one size, and one
gather cuts all the patches of a batch with their flips and rotations (the 8 symmetries of the
square, as in ``darkroom.augment.dihedral``), so the CPU only queues work. On a CPU that
gather is slower than the per-sample loop (2.3× the time in the same benchmark), so CPU recipes keep
``PairedPatches``. Then AWGN is added as FFDNet trains (Zhang, Zuo and Zhang,
"FFDNet: Toward a Fast and Flexible Solution for CNN-Based Image Denoising", IEEE TIP 2018):
one σ per patch, unclipped, with the σ/255 the network is told.

Batch ``b`` is a pure function of (seed, b, batch size), so a resumed run sees the batches it
would have seen. It is not the same batch that ``PairedPatches`` gives for the same seed: a recipe chooses one
sampler (``sampler = "device"``) and keeps it. Written by hand because no library cuts seeded
per-sample crops with per-sample symmetries in one gather.
"""

from __future__ import annotations

import torch

from darkroom.degrade import add_gaussian_noise, sample_param
from darkroom.errors import DarkroomError


def _landscape(image: torch.Tensor) -> torch.Tensor:
    # Transposing is one of the 8 symmetries every patch is drawn with anyway, so storing every
    # photo wide changes no patch's odds, and the padded stack is no taller than it is wide.
    return image.transpose(-2, -1) if image.shape[-2] > image.shape[-1] else image


class DeviceBatches:
    """Batches of (noisy, clean, σ/255) from ``images`` (uint8 (C, H, W) tensors), made on ``device``.

    ``sigma`` is a recipe's AWGN level: a number, a range (low, high) or a mixture of ranges,
    in 0–255 units. ``conditioned`` returns σ/255 as a (B, 1, 1, 1) tensor, else an empty one.

    >>> photos = [torch.randint(0, 256, (1, 40, 30), dtype=torch.uint8) for _ in range(3)]
    >>> batches = DeviceBatches(photos, (0, 50), patch=16, batch=4, seed=0, device="cpu")
    >>> noisy, clean, sigma = batches(0)
    >>> tuple(noisy.shape), tuple(sigma.shape)
    ((4, 1, 16, 16), (4, 1, 1, 1))
    >>> bool(torch.equal(batches(0)[0], noisy))  # the same batch again for the same index
    True
    """

    def __init__(self, images: list[torch.Tensor], sigma, *, patch: int, batch: int, seed: int,
                 device: str | torch.device, conditioned: bool = True):
        if not images:
            raise DarkroomError("no training images")
        if len({im.shape[0] for im in images}) != 1:
            raise DarkroomError("training images must all have the same number of channels")
        wide = [_landscape(im) for im in images]
        small = [tuple(im.shape[-2:]) for im in wide if min(im.shape[-2:]) < patch]
        if small:
            raise DarkroomError(f"{len(small)} training images are smaller than the patch size {patch}")
        self.device = torch.device(device)
        self.sizes = torch.tensor([im.shape[-2:] for im in wide])
        height, width = (int(v) for v in self.sizes.max(0).values)
        stack = torch.zeros(len(wide), wide[0].shape[0], height, width, dtype=torch.uint8)
        for i, im in enumerate(wide):
            stack[i, :, : im.shape[-2], : im.shape[-1]] = im
        self.stack = stack.to(self.device)
        self.sigma, self.patch, self.batch, self.seed, self.conditioned = sigma, patch, batch, seed, conditioned

    def __call__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        b, p = self.batch, self.patch
        # The few numbers per patch come from a CPU generator, the noise from one on the device:
        # both seeded by (seed, index), so either device gives a reproducible batch.
        key = self.seed * 1_000_003 + int(index)
        g = torch.Generator().manual_seed(key)
        which = torch.randint(len(self.sizes), (b,), generator=g)
        room = self.sizes[which] - p + 1
        top = (torch.rand(b, generator=g) * room[:, 0]).long()
        left = (torch.rand(b, generator=g) * room[:, 1]).long()
        symmetry = torch.randint(8, (b,), generator=g)
        sigma = sample_param(self.sigma, b, g).float()

        dev = self.device
        along = torch.arange(p, device=dev)
        rows, cols = along.view(1, p, 1).expand(b, p, p), along.view(1, 1, p).expand(b, p, p)
        # bits 0, 1, 2 of the symmetry: flip the rows, flip the columns, transpose
        flip_rows, flip_cols, swap = (((symmetry >> k) & 1).bool().to(dev).view(b, 1, 1) for k in range(3))
        rows, cols = torch.where(flip_rows, p - 1 - rows, rows), torch.where(flip_cols, p - 1 - cols, cols)
        rows, cols = torch.where(swap, cols, rows), torch.where(swap, rows, cols)
        rows = rows + top.to(dev).view(b, 1, 1)
        cols = cols + left.to(dev).view(b, 1, 1)
        channels = torch.arange(self.stack.shape[1], device=dev).view(1, -1, 1, 1)
        clean = self.stack[which.to(dev).view(b, 1, 1, 1), channels, rows[:, None], cols[:, None]].float() / 255.0

        noise_generator = torch.Generator(device=dev).manual_seed(key)
        noisy = add_gaussian_noise(clean, sigma.to(dev), noise_generator)
        cond = (sigma / 255.0).view(b, 1, 1, 1).to(dev) if self.conditioned else torch.zeros(b, 0, device=dev)
        nhwc = torch.channels_last
        return noisy.contiguous(memory_format=nhwc), clean.contiguous(memory_format=nhwc), cond
