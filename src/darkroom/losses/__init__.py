"""Training losses as pure functions plus thin modules."""

from darkroom.losses.noise_level import asymmetric_loss
from darkroom.losses.perceptual import content_loss, gram_matrix, style_loss
from darkroom.losses.pixel import PIXEL_LOSSES, PixelLoss, charbonnier_loss, l1_loss, mse_loss
from darkroom.losses.smoothness import total_variation

__all__ = ["PIXEL_LOSSES", "PixelLoss", "asymmetric_loss", "charbonnier_loss", "content_loss", "gram_matrix", "l1_loss",
           "mse_loss", "style_loss", "total_variation"]
