"""Training losses as pure functions plus thin modules."""

from darkroom.losses.pixel import PIXEL_LOSSES, PixelLoss, charbonnier_loss, l1_loss, mse_loss

__all__ = ["PIXEL_LOSSES", "PixelLoss", "charbonnier_loss", "l1_loss", "mse_loss"]
