"""Looking inside a CNN: first-layer filters, feature maps, and activation maximisation.

After Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks" (ECCV 2014)
for filters and feature maps, and Erhan et al. (2009) / Simonyan et al. (2014) for
activation maximisation: gradient ascent on the input image to excite one channel of
one layer, regularised by random jitter and a periodic Gaussian blur (Yosinski et al.,
"Understanding Neural Networks Through Deep Visualization", 2015). ``gradient_ascent``
is the shared engine that DeepDream also drives.

Layers are named as in ``model.named_modules()`` (``"stages.1.conv2"``,
``"features.4"``), so any torchvision-style model works.

>>> import torch
>>> from darkroom.nets import SmallResNet
>>> net = SmallResNet(channels=1, classes=10).eval()
>>> feature_maps(net, torch.rand(1, 1, 28, 28), "stages.0").shape
torch.Size([32, 28, 28])
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from darkroom.degrade import blur, gaussian_kernel
from darkroom.errors import DarkroomError
from darkroom.ops import check_image_batch


def find_layer(model: nn.Module, name: str) -> nn.Module:
    modules = dict(model.named_modules())
    if name not in modules or name == "":
        convs = [n for n, m in modules.items() if isinstance(m, nn.Conv2d)]
        raise DarkroomError(f"no layer {name!r}; convolution layers are: {', '.join(convs[:12])}{' …' if len(convs) > 12 else ''}")
    return modules[name]


def first_conv(model: nn.Module) -> nn.Conv2d:
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            return module
    raise DarkroomError("the model has no Conv2d layer")


def first_layer_filters(model: nn.Module) -> Tensor:
    """The first convolution's kernels as (out, in, k, k) images, each scaled to [0, 1].

    Three-channel kernels are shown in colour; others channel by channel.
    """
    w = first_conv(model).weight.detach().float()
    if w.shape[1] != 3:
        w = w.reshape(-1, 1, *w.shape[-2:])
    low = w.amin(dim=(1, 2, 3), keepdim=True)
    high = w.amax(dim=(1, 2, 3), keepdim=True)
    return (w - low) / (high - low).clamp_min(1e-12)


@torch.no_grad()
def feature_maps(model: nn.Module, x: Tensor, layer: str) -> Tensor:
    """The (C, H, W) activations of ``layer`` for one input image (B = 1)."""
    check_image_batch(x)
    captured: list[Tensor] = []
    handle = find_layer(model, layer).register_forward_hook(lambda m, i, o: captured.append(o))
    try:
        model(x)
    finally:
        handle.remove()
    if not captured or captured[0].ndim != 4:
        raise DarkroomError(f"layer {layer!r} does not produce (B, C, H, W) feature maps")
    return captured[0][0]


def layer_objective(model: nn.Module, layer: str, channel: int | None = None) -> Callable[[Tensor], Tensor]:
    """A function image → scalar: the mean activation of ``channel`` (or all channels' mean square)."""
    target = find_layer(model, layer)

    def objective(x: Tensor) -> Tensor:
        captured: list[Tensor] = []
        handle = target.register_forward_hook(lambda m, i, o: captured.append(o))
        try:
            model(x)
        finally:
            handle.remove()
        act = captured[0]
        if channel is None:
            return act.pow(2).mean()
        if not 0 <= channel < act.shape[1]:
            raise DarkroomError(f"layer {layer!r} has {act.shape[1]} channels; channel {channel} does not exist")
        return act[:, channel].mean()

    return objective


def gradient_ascent(x: Tensor, objective: Callable[[Tensor], Tensor], *, steps: int = 100, lr: float = 0.05,
                    jitter: int = 4, blur_every: int = 4, blur_sigma: float = 0.5, generator: torch.Generator | None = None,
                    normalize: Callable[[Tensor], Tensor] = lambda t: t, progress: Callable[[int, float], None] | None = None) -> Tensor:
    """Change the [0, 1] image ``x`` to increase ``objective(normalize(x))``.

    Each step rolls the image by a random jitter (so the result does not depend on
    the pixel grid), takes a gradient step normalised by its mean absolute value (so
    ``lr`` is in pixel units whatever the layer's scale), rolls back, clamps to [0, 1],
    and every ``blur_every`` steps blurs slightly to suppress high-frequency patterns.
    """
    check_image_batch(x)
    g = generator if generator is not None else torch.Generator().manual_seed(0)
    x = x.detach().clone()
    kernel = gaussian_kernel(3, blur_sigma) if blur_every else None
    for step in range(steps):
        dy, dx = (int(v) for v in torch.randint(-jitter, jitter + 1, (2,), generator=g)) if jitter else (0, 0)
        shifted = torch.roll(x, (dy, dx), dims=(-2, -1)).requires_grad_(True)
        value = objective(normalize(shifted))
        (grad,) = torch.autograd.grad(value, shifted)
        grad = grad / grad.abs().mean().clamp_min(1e-12)
        x = torch.roll((shifted + lr * grad).detach(), (-dy, -dx), dims=(-2, -1)).clamp(0, 1)
        if kernel is not None and (step + 1) % blur_every == 0:
            x = blur(x, kernel)
        if progress:
            progress(step, float(value))
    return x


def maximize_activation(model: nn.Module, layer: str, channel: int, *, size: int = 64, channels: int = 3,
                        steps: int = 200, lr: float = 0.05, seed: int = 0,
                        normalize: Callable[[Tensor], Tensor] = lambda t: t) -> Tensor:
    """The image (1, C, size, size) that most excites ``channel`` of ``layer``, from soft noise."""
    g = torch.Generator().manual_seed(seed)
    start = 0.5 + 0.05 * torch.randn(1, channels, size, size, generator=g)
    model.eval()
    params = list(model.parameters())
    trainable = [p.requires_grad for p in params]
    for p in params:  # gradients flow to the image only
        p.requires_grad_(False)
    try:
        return gradient_ascent(start.clamp(0, 1), layer_objective(model, layer, channel), steps=steps, lr=lr,
                               generator=g, normalize=normalize)
    finally:
        for p, flag in zip(params, trainable):
            p.requires_grad_(flag)
