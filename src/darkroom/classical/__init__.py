"""Non-learned baselines behind the same call as the networks."""

from darkroom.classical.deblock import BM3DDeblock, DecodedJpeg
from darkroom.classical.dehaze import Clahe, DarkChannelPrior, Hazy, MultiPatchDCP
from darkroom.classical.deconvolve import Blurred, RichardsonLucy, UnsupervisedWiener, Wiener
from darkroom.classical.enhance import Dark, Gamma, Lime, LocalLaplacian
from darkroom.classical.denoise import BM3D, BilateralDenoiser, GaussianDenoiser, NonLocalMeans
from darkroom.classical.resize import Interpolate

__all__ = ["BM3D", "Blurred", "BM3DDeblock", "BilateralDenoiser", "Clahe", "Dark", "DarkChannelPrior", "DecodedJpeg", "Gamma", "Lime", "LocalLaplacian", "Hazy", "MultiPatchDCP", "GaussianDenoiser", "Interpolate", "NonLocalMeans", "RichardsonLucy", "UnsupervisedWiener",
           "Wiener"]
