"""Training losses as pure functions plus thin modules."""

from darkroom.losses.noise_level import asymmetric_loss, total_variation
from darkroom.losses.pixel import PIXEL_LOSSES, PixelLoss, charbonnier_loss, l1_loss, mse_loss

__all__ = ["PIXEL_LOSSES", "PixelLoss", "asymmetric_loss", "charbonnier_loss", "l1_loss", "mse_loss", "total_variation"]
