"""The entries of the model zoo, one explicit ``register`` call each.

Scores are measured by the ``darkroom bench`` commands written in BENCHMARKS.md.
"""

from __future__ import annotations

from darkroom.classical import BM3D, BilateralDenoiser, GaussianDenoiser, Interpolate, NonLocalMeans
from darkroom.engine import ModelSpec
from darkroom.nets import ConvAutoencoder, FFDNet
from darkroom.zoo.registry import ModelCard, register

_INTERPOLATION_PAPERS = {
    "nearest": "nearest neighbour",
    "bilinear": "MATLAB imresize 'bilinear' (triangle kernel)",
    "bicubic": "Keys, 'Cubic convolution interpolation for digital image processing', IEEE TASSP 1981; MATLAB imresize",
    "lanczos3": "Duchon, 'Lanczos filtering in one and two dimensions', 1979; MATLAB imresize 'lanczos3'",
}

for _method, _paper in _INTERPOLATION_PAPERS.items():
    for _scale in (2, 3, 4):
        register(
            ModelCard(
                name=f"{_method}_x{_scale}",
                summary=f"{_method} interpolation ×{_scale} (baseline, no learning)",
                build=Interpolate,
                kwargs={"scale": _scale, "method": _method},
                spec=ModelSpec("upscale", 0, 0, scale=_scale, tile=0, bf16=False),
                paper=_paper,
            )
        )

_OPENCV = "Apache-2.0 (OpenCV)"
_CLASSICAL_DENOISERS = [
    ("gaussian", GaussianDenoiser, "Gaussian low-pass, width σ/25 px (OpenCV)", "textbook low-pass filter", _OPENCV),
    ("bilateral", BilateralDenoiser, "bilateral filter, σ_r = 2σ, σ_s = 1.5 px (OpenCV)",
     "Tomasi & Manduchi, 'Bilateral filtering for gray and color images', ICCV 1998", _OPENCV),
    ("nlm", NonLocalMeans, "non-local means, h = σ, 7×7 patches, 21×21 search (OpenCV)",
     "Buades, Coll & Morel, 'A non-local algorithm for image denoising', CVPR 2005", _OPENCV),
    ("bm3d", BM3D, "BM3D (gray) / CBM3D (color) given σ (bm3d package)",
     "Dabov, Foi, Katkovnik & Egiazarian, 'Image denoising by sparse 3-D transform-domain collaborative filtering', IEEE TIP 2007",
     "the bm3d package's own license: free for non-commercial use only"),
]
for _name, _cls, _summary, _paper, _license in _CLASSICAL_DENOISERS:
    register(
        ModelCard(
            name=_name, summary=_summary, build=_cls, kwargs={},
            spec=ModelSpec("denoise", 0, 0, tile=0, bf16=False, conditioned=True), paper=_paper, license=_license,
        )
    )

register(
    ModelCard(
        name="ffdnet_gray",
        summary="FFDNet-style gray denoiser, one model for σ in [0, 75] (σ map input)",
        build=FFDNet,
        kwargs={"channels": 1, "depth": 15, "features": 64},
        spec=ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=31, tile=512, bf16=True, conditioned=True),
        weights="ffdnet_gray.safetensors",
        data="Train400 (400 gray 180×180 images; last 8 held out for validation)",
        recipe="recipes/ffdnet_gray.toml (history: clipping at 1.0 until step 1250, then off; cosine "
               "horizon 6000 steps until step 3000, then 5000; batch 16 of 64×64, L1, AdamW 1e-3, EMA 0.999)",
        steps=5000,
        wall_time="101 min on 2 CPU cores (fp32), shared with other work",
        scores={"BSD68 σ=25 PSNR/SSIM": "28.04 / 0.7708", "BSD68 σ=25 s/image (481×321)": 0.568,
                "BM3D, same run": "28.62 / 0.8037, 6.75 s/image"},
        paper="Zhang, Zuo, Zhang, 'FFDNet: Toward a Fast and Flexible Solution for CNN-Based Image Denoising', IEEE TIP 2018",
    )
)

register(
    ModelCard(
        name="dae_mnist",
        summary="convolutional denoising autoencoder for 28×28 handwritten digits (survey 000's example)",
        build=ConvAutoencoder,
        kwargs={"channels": 1, "features": 32},
        spec=ModelSpec("denoise", 1, 1, size_multiple=4, receptive_radius=14, tile=0, bf16=False),
        weights="dae_mnist.safetensors",
        data="MNIST test split, first 8,000 digits (the last 2,000 are the test set)",
        recipe="benchmarks/mnist_dae.py (noise x + 0.5·N(0, 1) clipped to [0, 1]; binary cross-entropy; AdamW "
               "one-cycle 2e-3; batch 128; 30 epochs)",
        steps=30 * 62,
        wall_time="15 min on 2 CPU cores, shared with other training",
        scores={"MNIST last 2,000, PSNR": "19.06 dB", "noisy input": "9.38 dB",
                "Gaussian filter (σ tuned on training digits)": "12.38 dB", "non-local means (OpenCV)": "10.04 dB"},
        paper="Vincent, Larochelle, Bengio, Manzagol, 'Extracting and Composing Robust Features with Denoising "
              "Autoencoders', ICML 2008; the Keras convolutional denoising-autoencoder tutorial",
    )
)
