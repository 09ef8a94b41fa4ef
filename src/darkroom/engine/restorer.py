"""Running an image-to-image network on an image of any size, within bounded memory.

The image is padded to the network's size multiple and cut into overlapping tiles.
Each tile's output is weighted by a ramp that is zero within ``receptive_radius`` of
an inner tile edge (where the tile lacked context) and rises linearly across the rest
of the overlap; normalising by the summed weights blends neighbours smoothly, and
where the overlap covers the receptive field the tiled result equals the untiled one.
``self_ensemble`` = n runs each tile under n flips/rotations and averages the outputs
mapped back (``darkroom.ops.geometry``): n times the time for a steadier result.
The engine is stateless: a ``Restorer`` holds only a network in eval mode and its
spec, so one instance may serve several threads at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from darkroom.engine.precision import autocast, resolve_precision
from darkroom.ops.contract import check_finite
from darkroom.engine.spec import ModelSpec
from darkroom.errors import DarkroomError
from darkroom.ops.geometry import dihedral, ensemble_transforms, undo_dihedral
from darkroom.ops.pad import pad_to_multiple
from darkroom.ops.shape import check_image_batch


def tile_starts(length: int, tile: int, overlap: int, multiple: int = 1) -> list[int]:
    """Start offsets of tiles of side ``tile`` covering ``length`` with at least ``overlap``.

    Offsets are multiples of ``multiple`` (so a pixel-unshuffling network sees the same
    sub-pixel grid in every tile); ``length`` and ``tile`` must be multiples of it.

    >>> tile_starts(10, 4, 2)
    [0, 2, 4, 6]
    >>> tile_starts(3, 8, 2)
    [0]
    """
    if length <= tile:
        return [0]
    stride = max((tile - overlap) // multiple * multiple, multiple)
    starts = list(range(0, length - tile, stride))
    starts.append(length - tile)
    return starts


def blend_ramp(size: int, start: int, length: int, margin: int, overlap: int) -> torch.Tensor:
    """1-D weights for one tile: 0 within ``margin`` of an inner edge, linear up to 1 across the overlap."""
    w = torch.ones(size)
    ramp_len = max(overlap - 2 * margin, 1)
    pos = torch.arange(size, dtype=torch.float32)
    if start > 0:
        w = torch.minimum(w, ((pos - margin + 1) / (ramp_len + 1)).clamp(0, 1))
    if start + size < length:
        w = torch.minimum(w, ((size - pos - margin) / (ramp_len + 1)).clamp(0, 1))
    return w


@dataclass(frozen=True)
class Restorer:
    """Pad → tile → run → blend → crop → clamp, for a network described by ``spec``.

    >>> from darkroom.nets import DnCNN
    >>> r = Restorer(DnCNN(channels=1, depth=3).eval(), ModelSpec("denoise", 1, 1, receptive_radius=3, tile=32))
    >>> r(torch.rand(1, 1, 50, 70)).shape
    torch.Size([1, 1, 50, 70])
    """

    net: nn.Module
    spec: ModelSpec

    def __post_init__(self):
        if self.net.training:
            raise ValueError("Restorer needs a network in eval mode (call .eval() once when loading)")
        if self.spec.channels_last:  # once, before any call: the weights are then only read
            self.net.to(memory_format=torch.channels_last)

    def default_overlap(self, tile: int) -> int:
        return min(2 * self.spec.receptive_radius + 16, tile // 2)

    def min_tile(self) -> int:
        """The smallest tile whose default overlap still hides each tile's border from the
        output (a blending margin of the receptive radius on both sides): smaller tiles
        would leave seams and multiply the work, so they are refused."""
        m = self.spec.size_multiple
        need = max(4 * self.spec.receptive_radius + 4, 16)
        return -(-need // m) * m

    def __call__(
        self,
        x: torch.Tensor,
        condition: torch.Tensor | None = None,
        *,
        tile: int | None = None,
        overlap: int | None = None,
        batch: int | None = None,
        precision: str = "auto",
        device: str | torch.device | None = None,
        clamp: bool = True,
        self_ensemble: int = 1,
        on_tile: Callable[[int, int], None] | None = None,
    ) -> torch.Tensor:
        """Restore a (B, C, H, W) batch; returns (B, C_out, H·scale, W·scale) on x's device.

        ``device`` is where the network runs (default: where its weights are); it must be
        where ``darkroom.zoo.load(..., device=...)`` put the weights.

        ``condition`` is the (B, 1, H, W) map a conditioned model takes. ``tile`` = 0
        runs the whole image at once; None uses the spec's default. ``self_ensemble``
        (1, 2, 4 or 8) averages that many flipped/rotated runs.
        """
        spec = self.spec
        check_image_batch(x, "image", channels=(spec.in_channels,) if spec.in_channels else None)
        check_finite(x, "image")
        transforms = ensemble_transforms(self_ensemble)
        if spec.conditioned and condition is None:
            raise DarkroomError(f"this {spec.task} model needs a condition map (for example a noise level)")
        home = next((p.device for p in self.net.parameters()), None)
        dev = torch.device(device) if device is not None else home or x.device
        if home is not None and (home.type, home.index or 0) != (dev.type, dev.index or 0):
            # moving the weights here would change a network other threads may be running
            raise DarkroomError(f"this model's weights are on {home}, not {dev}: load it with device={str(dev)!r}")
        precision = resolve_precision(precision, dev, bf16_keeps_scores=spec.bf16)  # auto: the card decides
        tile = spec.tile if tile is None else tile
        if isinstance(tile, bool) or not isinstance(tile, int) or tile < 0 or 0 < tile < self.min_tile():
            raise DarkroomError(f"tile must be 0 (the whole image at once) or a whole number of at least "
                                f"{self.min_tile()} pixels for this model, got {tile!r}")
        if tile:
            tile = max(tile - tile % spec.size_multiple, spec.size_multiple)
        if batch is None:  # tiles run together: 4 of up to 512², fewer of larger ones, a megapixel at most
            batch = min(4, max(1, 2**20 // max(tile, 1) ** 2))
        if condition is not None:
            condition = _checked_kernel(condition, x) if spec.kernel_conditioned else _checked_condition(condition, x)
        outs = []
        for i in range(x.shape[0]):
            cond_i = None
            if condition is not None and spec.kernel_conditioned:
                cond_i = condition
            elif condition is not None:  # one map for the whole batch, or one per image
                j = i if condition.shape[0] > 1 else 0
                cond_i = condition[j : j + 1].expand(1, 1, *x.shape[-2:])
            outs.append(self._restore_one(x[i : i + 1], cond_i, tile, overlap, batch, precision, dev, on_tile, transforms))
        out = torch.cat(outs).to(x.device)
        return out.clamp(0, 1) if clamp else out

    def _run_once(self, tiles: torch.Tensor, conds: torch.Tensor | None, precision: str, dev: torch.device) -> torch.Tensor:
        tiles, (h, w) = pad_to_multiple(tiles.to(dev), self.spec.size_multiple)
        args = [tiles]
        if conds is not None:
            args.append(conds.to(dev) if self.spec.kernel_conditioned else pad_to_multiple(conds.to(dev), self.spec.size_multiple)[0])
        if self.spec.channels_last:
            args = [a.contiguous(memory_format=torch.channels_last) for a in args]
        with torch.inference_mode(), autocast(dev, precision):
            y = self.net(*args)
        s = self.spec.scale
        return y[..., : h * s, : w * s].float().contiguous()

    def _run(self, tiles, conds, precision, dev, transforms) -> torch.Tensor:
        if transforms == (0,):  # the plain run: no average to copy into
            return self._run_once(tiles, conds, precision, dev)
        total = 0
        for k in transforms:
            y = self._run_once(dihedral(tiles, k), None if conds is None else dihedral(conds, k), precision, dev)
            total = total + undo_dihedral(y, k)
        return total / len(transforms)

    def _restore_one(self, x, cond, tile, overlap, batch, precision, dev, on_tile, transforms) -> torch.Tensor:
        _, _, h0, w0 = x.shape
        s = self.spec.scale
        if not tile or (h0 <= tile and w0 <= tile):
            out = self._run(x, cond, precision, dev, transforms).cpu()
            if on_tile:
                on_tile(1, 1)
            return out
        # Pad once, so that every tile offset is a multiple of the network's size multiple.
        m = self.spec.size_multiple
        x, _ = pad_to_multiple(x, m)
        if cond is not None and not self.spec.kernel_conditioned:
            cond, _ = pad_to_multiple(cond, m)
        _, _, h, w = x.shape
        overlap = self.default_overlap(tile) if overlap is None else overlap
        margin = min(self.spec.receptive_radius, max(overlap // 2 - 1, 0))
        ys, xs = tile_starts(h, tile, overlap, m), tile_starts(w, tile, overlap, m)
        th, tw = min(tile, h), min(tile, w)
        out = torch.zeros(1, self.spec.out_channels or x.shape[1], h * s, w * s)
        weight = torch.zeros(1, 1, h * s, w * s)
        boxes = [(y0, x0) for y0 in ys for x0 in xs]
        for k in range(0, len(boxes), batch):
            chunk = boxes[k : k + batch]
            tiles = torch.cat([x[..., y0 : y0 + th, x0 : x0 + tw] for y0, x0 in chunk])
            if cond is None or self.spec.kernel_conditioned:
                conds = cond if cond is None else cond.expand(len(chunk), -1, -1, -1)
            else:
                conds = torch.cat([cond[..., y0 : y0 + th, x0 : x0 + tw] for y0, x0 in chunk])
            result = self._run(tiles, conds, precision, dev, transforms).cpu()
            for j, (y0, x0) in enumerate(chunk):
                wy = blend_ramp(th * s, y0 * s, h * s, margin * s, overlap * s)
                wx = blend_ramp(tw * s, x0 * s, w * s, margin * s, overlap * s)
                wmap = wy[:, None] * wx[None, :]
                out[..., y0 * s : (y0 + th) * s, x0 * s : (x0 + tw) * s] += result[j : j + 1] * wmap
                weight[..., y0 * s : (y0 + th) * s, x0 * s : (x0 + tw) * s] += wmap
            if on_tile:
                on_tile(min(k + batch, len(boxes)), len(boxes))
        return (out / weight)[..., : h0 * s, : w0 * s]


def _checked_kernel(kernel: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A blur kernel for the batch ``x``: (1, 1 or 2, kh, kw), finite, the first plane
    non-negative and summing to 1 (the second says whether the image is periodic), smaller than
    the image."""
    if kernel.ndim != 4 or kernel.shape[0] != 1 or kernel.shape[1] not in (1, 2):
        raise DarkroomError(f"the blur kernel is {tuple(kernel.shape)}; it must be (1, 1 or 2, height, width)")
    check_finite(kernel, "the blur kernel")
    if kernel.shape[-2] > x.shape[-2] or kernel.shape[-1] > x.shape[-1]:
        raise DarkroomError(f"the blur kernel ({kernel.shape[-2]}×{kernel.shape[-1]}) is larger than the image "
                            f"({x.shape[-2]}×{x.shape[-1]})")
    if float(kernel[:, 0].min()) < 0 or abs(float(kernel[:, 0].sum()) - 1) > 1e-3:
        raise DarkroomError("the blur kernel must be non-negative and sum to 1")
    return kernel


def _checked_condition(condition: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A condition map that fits the batch ``x``: (1 or B, 1, 1 or H, 1 or W), finite."""
    b, _, h, w = x.shape
    shape = tuple(condition.shape)
    if (condition.ndim != 4 or shape[0] not in (1, b) or shape[1] != 1 or shape[2] not in (1, h)
            or shape[3] not in (1, w)):
        raise DarkroomError(f"the condition map is {shape}; for a {b}×{x.shape[1]}×{h}×{w} batch it must be "
                            f"(1 or {b}, 1, 1 or {h}, 1 or {w})")
    check_finite(condition, "the condition map")
    return condition
