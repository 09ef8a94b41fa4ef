"""The verbs users call from Python. Each is one line over ``darkroom.engine.run.run_task``
with its task's record; they take NumPy arrays (H×W or H×W×C; uint8, uint16 or float) or
torch tensors (C×H×W or B×C×H×W) and return the same kind and dtype.

>>> import numpy as np
>>> upscale(np.zeros((10, 12, 3), np.uint8), 2).shape
(20, 24, 3)
"""

from __future__ import annotations

from darkroom.engine.run import run_task
from darkroom.errors import DarkroomError
from darkroom.tasks import DEBLUR, DEHAZE, DEJPEG, DENOISE, ENHANCE, STYLIZE, UPSCALE
from darkroom.tasks.deblur import kernel_request
from darkroom.tasks.dehaze import haze_request
from darkroom.tasks.dejpeg import naming_request, quality_request
from darkroom.tasks.enhance import enhance_request
from darkroom.tasks.denoise import NoiseLevel
from darkroom.tasks.upscale import scale_request


def denoise(image, sigma=None, strength: float = 1.0, model: str | None = None, *, tile: int | None = None,
            precision: str = "auto", device: str | None = None, self_ensemble: int = 1):
    """Remove noise from ``image``, returning the same kind and dtype.

    ``sigma`` (0–255) is a number or an (H, W) map; without it the level is estimated
    (``darkroom.tasks.denoise``). Gray images use a gray model; colour images a colour model
    (``ffdnet_color`` unless ``model`` names another), or a gray model on each channel of the
    opponent colour space. ``self_ensemble`` = 2, 4 or 8 averages that many flipped/rotated
    runs: n times the time, a little more PSNR (BENCHMARKS.md).
    """
    return run_task(DENOISE, image, NoiseLevel(sigma, strength), model, tile=tile, precision=precision, device=device,
                    self_ensemble=self_ensemble)


def dejpeg(image, quality=None, strength: float = 1.0, model: str | None = None, *, tile: int | None = None,
           precision: str = "auto", device: str | None = None, self_ensemble: int = 1):
    """Remove JPEG blocking and ringing from a decoded ``image``, returning the same kind and dtype.

    ``quality`` is the JPEG quality factor (1–100) the image was saved at; without it, it is
    predicted from the pixels (``darkroom.tasks.dejpeg``). ``strength`` scales the correction
    (0 returns the input, up to 2). ``model``: ``dejpeg_unet`` (the default, gray and colour),
    ``arcnn`` (the per-quality model nearest ``quality``), ``dncnn3_jpeg``, ``bm3d_jpeg``.
    """
    request = quality_request(quality, True, strength)
    if request.strength == 0:  # the input itself, exactly (a gray image through a colour model would round)
        from darkroom.engine.run import choose_model
        from darkroom.ops.contract import channel_count, from_batch, to_batch

        choose_model(DEJPEG, model, 3 if channel_count(image) >= 3 else 1, naming_request(model, request))
        x, kind = to_batch(image, "image")
        return from_batch(x, kind)
    return run_task(DEJPEG, image, request, model, tile=tile, precision=precision, device=device,
                    self_ensemble=self_ensemble)


def deblur(image, kernel=None, model: str | None = None, *, tile: int | None = None, precision: str = "auto",
           device: str | None = None, self_ensemble: int = 1):
    """Remove blur from ``image``, returning the same kind and dtype.

    ``kernel`` is the blur's point-spread function, a 2-D float array (normalized to sum 1 if
    it does not): given, plug-and-play deconvolution with the shipped FFDNet runs
    (``pnp_ffdnet_gray`` / ``pnp_ffdnet_color``); without it, the blind multi-scale network
    (``deepdeblur``). ``model`` picks another: ``wiener``, ``richardson_lucy``,
    ``unsupervised_wiener`` (given a kernel), ``blurred`` (the input).
    """
    return run_task(DEBLUR, image, kernel_request(kernel), model, tile=tile, precision=precision, device=device,
                    self_ensemble=self_ensemble)


def dehaze(image, strength: float = 1.0, model: str | None = None, *, precision: str = "auto", device: str | None = None):
    """Remove haze from ``image``, returning the same kind and dtype.

    ``strength`` s (0–1) keeps some haze as a cue of depth: the image is recovered with t^s
    (``darkroom.tasks.dehaze``). ``model``: ``haze_unet`` (the default), ``dehazenet``, ``dcp``,
    ``dcp_multipatch``, ``clahe`` or ``hazy`` (the input). A gray image is dehazed as three
    equal channels and comes back gray.
    """
    return run_task(DEHAZE, image, haze_request(strength), model, precision=precision, device=device)


def enhance(image, strength: float = 1.0, model: str | None = None, *, precision: str = "auto", device: str | None = None):
    """Brighten an under-exposed ``image`` (or, with an operator model, enhance its detail or
    tone), returning the same kind and dtype: 16-bit in, 16-bit out.

    ``strength`` (0–1) moves from the input (0) to the model's output (1). ``model``:
    ``hdrnet_lowlight`` (the default), ``deepupe``, ``zero_dce``, ``zero_dce_synthetic``,
    ``lime``, ``gamma``, ``clahe_lowlight``, ``dark`` (the input); ``hdrnet_tone`` (HDRNet's fast
    copy of ``local_laplacian_tone``, the local Laplacian filter's tone mapping) and
    ``local_laplacian_detail`` (the filter's detail enhancement, exact and slow).
    An all-black image has nothing to recover and comes back unchanged.

    >>> import numpy as np
    >>> int(enhance(np.zeros((8, 8, 3), np.uint8), model="gamma").max())
    0
    """
    return run_task(ENHANCE, image, enhance_request(strength), model, precision=precision, device=device)


def haze_transmission(image, model: str | None = None, *, device: str | None = None):
    """The transmission map t that ``model`` (default ``haze_unet``) sees in ``image``: a float32
    (H, W) NumPy array on [0, 1], 1 where the view is clear, near 0 where haze hides it.

    >>> import numpy as np
    >>> haze_transmission(np.full((40, 40, 3), 0.5, np.float32), "dcp").shape
    (40, 40)
    """
    import torch

    from darkroom.engine.run import choose_model, gray_as_color
    from darkroom.ops.alpha import split_alpha
    from darkroom.ops.contract import check_finite, to_batch
    from darkroom.tasks.dehaze import HazeStrength
    from darkroom.zoo import load_shared

    name = choose_model(DEHAZE, model, 3, HazeStrength())
    restorer = load_shared(name, device)
    if not hasattr(restorer.net, "transmission"):
        raise DarkroomError(f"{name} estimates no transmission map; use haze_unet, dehazenet, dcp or dcp_multipatch")
    x, _ = to_batch(image)
    color, _ = split_alpha(x)
    check_finite(color)
    home = next((p.device for p in restorer.net.parameters()), torch.device("cpu"))
    with torch.no_grad():
        t = restorer.net.transmission(gray_as_color(restorer.spec, color).to(home))
    return t[0, 0].float().clamp(0, 1).cpu().numpy()


def upscale(image, scale: int = 2, model: str | None = None, *, tile: int | None = None, precision: str = "auto",
            device: str | None = None, self_ensemble: int = 1):
    """Upscale ``image`` by ``scale`` (2, 3 or 4), returning the same kind and dtype.

    ``model`` is a family (``bicubic``, ``srcnn``, ``edsr``, ...) or an exact zoo name.
    """
    return run_task(UPSCALE, image, scale_request(scale), model, tile=tile, precision=precision, device=device,
                    self_ensemble=self_ensemble)


def stylize(image, model: str = "candy", *, size: int | None = None, device: str | None = None):
    """Restyle ``image`` with a trained style network, returning the same kind and dtype.

    ``size`` (pixels) resizes the longest side first (the network never tiles); gray images
    are styled as RGB and come back gray.
    """
    from darkroom.engine.run import choose_model
    from darkroom.ops.contract import from_batch, to_batch
    from darkroom.ops.resize import resize_longest

    choose_model(STYLIZE, model, 3, None)  # an unknown style fails before any resizing
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 16):
        raise DarkroomError(f"size must be a whole number of at least 16 pixels, got {size!r}")
    if size is not None:  # resize every channel, alpha included, before styling
        x, kind = to_batch(image, "image")
        image = from_batch(resize_longest(x, size, min_side=4).clamp(0, 1), kind)
    return run_task(STYLIZE, image, None, model, device=device)
