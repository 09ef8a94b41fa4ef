"""The entries of the model zoo, one explicit ``register`` call each.

A card names its network family (``darkroom.nets.FAMILIES``) and keyword arguments; the
geometry in its descriptor comes from the family (``spec_for``), so it is said only there.
Building a card's network waits until the model is loaded: importing the zoo builds none.

Scores are measured by the ``darkroom bench`` commands written in BENCHMARKS.md.
"""

from __future__ import annotations

from darkroom.classical import (BM3D, BilateralDenoiser, BM3DDeblock, DecodedJpeg, GaussianDenoiser, Interpolate, NonLocalMeans,
                                Blurred, Clahe, Dark, DarkChannelPrior, Gamma, Hazy, Lime, LocalLaplacian, MultiPatchDCP, RichardsonLucy,
                                UnsupervisedWiener, Wiener)
from darkroom.engine import ModelSpec
from darkroom.nets import FAMILIES
from darkroom.tasks import DEBLUR, DEHAZE, DEJPEG, DENOISE, ENHANCE, RECOGNIZE, SAMPLE, STYLIZE, UPSCALE
from darkroom.zoo.registry import ModelCard, get_card, register, spec_for

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
                spec=ModelSpec(UPSCALE.name, 0, 0, scale=_scale, tile=0, bf16=False),
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
            spec=ModelSpec(DENOISE.name, 0, 0, tile=0, bf16=False, conditioned=True), paper=_paper, license=_license,
        )
    )

register(
    ModelCard(
        name="jpeg", summary="the decoded JPEG itself (the baseline every JPEG table starts from)", build=DecodedJpeg,
        kwargs={}, spec=ModelSpec(DEJPEG.name, 0, 0, tile=0, conditioned=True), paper="ITU-T T.81 (JPEG), libjpeg",
    )
)
register(
    ModelCard(
        name="bm3d_jpeg", summary="BM3D told a noise level in proportion to libjpeg's quantization scale at q (bm3d package)",
        build=BM3DDeblock, kwargs={}, spec=ModelSpec(DEJPEG.name, 0, 0, tile=0, conditioned=True),
        paper="Dabov, Foi, Katkovnik & Egiazarian, 'Image denoising by sparse 3-D transform-domain collaborative "
              "filtering', IEEE TIP 2007, as a JPEG deblocker",
        license="the bm3d package's own license: free for non-commercial use only",
    )
)

_ARCNN = {"channels": 1, "residual": True}
_ARCNN_SCORES = {  # classic5 / LIVE1_gray PSNR at the model's own quality (benchmarks/weights_precision.py --only arcnn_qQ;
    # BENCHMARKS.md, JPEG artifact removal), beside the paper's as the FBCNN and SwinIR tables give it
    10: {"classic5 / LIVE1_gray PSNR, q = 10": "29.03 / 28.93", "published ARCNN": "29.03 / 28.96"},
    20: {"classic5 / LIVE1_gray PSNR, q = 20": "31.22 / 31.25", "published ARCNN": "31.15 / 31.29"},
    30: {"classic5 / LIVE1_gray PSNR, q = 30": "32.53 / 32.60", "published ARCNN": "32.51 / 32.67"},
    40: {"classic5 / LIVE1_gray PSNR, q = 40": "33.42 / 33.57", "published ARCNN": "33.32 / 33.63"},
}
# seconds on one core, bf16 autocast (avx512_bf16), sharing the machine with another training
_ARCNN_WALL = {10: "554 s", 20: "552 s", 30: "615 s", 40: "786 s"}
for _quality, _scores in _ARCNN_SCORES.items():
    register(
        ModelCard(
            name=f"arcnn_q{_quality}",
            summary=f"ARCNN for gray JPEGs saved at quality {_quality} (the paper's four layers; one model per quality)",
            build=FAMILIES["arcnn"],
            kwargs=_ARCNN,
            spec=spec_for(FAMILIES["arcnn"], _ARCNN, DEJPEG.name, 1, tile=512, bf16=True, channels_last=True),
            weights=f"arcnn_q{_quality}.safetensors",
            data=f"Train400 + BSD200 + T91 in gray (last 8 T91 held out for validation), JPEG at q = {_quality} by "
                 "libjpeg (Pillow); never classic5 or LIVE1",
            recipe=f"recipes/arcnn_q{_quality}.toml: batch 32 of 48×48, MSE, AdamW 1e-3, cosine, EMA 0.999, bf16 "
                   "autocast; the output adds the input back (residual)",
            steps=4000,
            wall_time=_ARCNN_WALL[_quality],
            scores=_scores,
            paper=FAMILIES["arcnn"].paper,
        )
    )

_DNCNN3 = {"channels": 1, "depth": 20, "features": 64}
register(
    ModelCard(
        name="dncnn3_jpeg",
        summary="DnCNN-3-style blind JPEG artifact remover: one DnCNN (20 layers, BN, residual) for every quality, gray",
        build=FAMILIES["dncnn"],
        kwargs=_DNCNN3,
        spec=spec_for(FAMILIES["dncnn"], _DNCNN3, DEJPEG.name, 1, tile=512, bf16=True, channels_last=True),
        weights="dncnn3_jpeg.safetensors",
        data="Train400 + BSD200 + T91 in gray (last 8 T91 held out for validation), JPEG at q drawn from 5-99 by "
             "libjpeg (Pillow); never classic5 or LIVE1",
        recipe="recipes/dncnn3_jpeg.toml: from dncnn_gray_s25's layers, batch 16 of 48×48, MSE, AdamW 5e-4, cosine, "
               "EMA 0.999, bf16 autocast",
        steps=8000,
        wall_time="60 min (3,577 s) on one core, sharing the machine with another training",
        scores={"classic5 PSNR, q = 10 / 20 / 30 / 40": "28.88 / 31.19 / 32.50 / 33.40",
                "LIVE1_gray PSNR, q = 10 / 20 / 30 / 40": "28.80 / 31.21 / 32.59 / 33.56",
                "published DnCNN-3, classic5 / LIVE1": "29.40 / 31.63 / 32.91 / 33.77; 29.19 / 31.59 / 32.98 / 33.96",
                "s/image, 1 thread (NHWC)": "2.72 on classic5 (9.6× ARCNN's time)"},
        paper=FAMILIES["dncnn"].paper,
    )
)

_QUALITY_UNET = {"channels": 3, "features": 48, "blocks": (2, 4, 2)}
register(
    ModelCard(
        name="dejpeg_unet",
        summary="darkroom's JPEG artifact remover: one quality-conditioned U-Net for every quality, gray and colour",
        build=FAMILIES["quality_unet"],
        kwargs=_QUALITY_UNET,
        spec=spec_for(FAMILIES["quality_unet"], _QUALITY_UNET, DEJPEG.name, 3, tile=512, bf16=True, conditioned=True,
                      channels_last=True),
        weights="dejpeg_unet.safetensors",
        data="Train400 (gray, as three equal channels) + BSD200 + T91 (colour; last 8 T91 held out for validation), "
             "JPEG at q drawn from 5-95 (three quarters below 50) by libjpeg (Pillow), colour 4:2:0; never classic5, "
             "LIVE1 or CBSD68",
        recipe="recipes/dejpeg_unet.toml: batch 24 of 72×72, L1, AdamW 5e-4, cosine, EMA 0.999, bf16 autocast",
        steps=18000,
        wall_time="73 min (4,408 s) on one core, sharing the machine with another training",
        scores={"classic5 PSNR, q = 10 / 20 / 30 / 40": "29.34 / 31.55 / 32.83 / 33.70",
                "LIVE1_gray PSNR, q = 10 / 20 / 30 / 40": "29.15 / 31.51 / 32.87 / 33.83",
                "published ARCNN, classic5 / LIVE1": "29.03 / 31.15 / 32.51 / 33.32; 28.96 / 31.29 / 32.67 / 33.63",
                "CBSD68 RGB PSNR, q = 10 / 20 / 30 / 40 (JPEG)": "27.30 / 29.56 / 30.86 / 31.77 (25.83 / 28.15 / 29.47 / 30.41)",
                "s/image, 1 thread (NHWC)": "0.229 on classic5 (0.80× ARCNN's time), 0.490 on LIVE1 (0.85×)"},
        paper=FAMILIES["quality_unet"].paper,
    )
)

_FFDNET_GRAY = {"channels": 1, "depth": 15, "features": 64}
register(
    ModelCard(
        name="ffdnet_gray",
        summary="FFDNet-style gray denoiser, one model for σ in [0, 75] (σ map input)",
        build=FAMILIES["ffdnet"],
        kwargs=_FFDNET_GRAY,
        spec=spec_for(FAMILIES["ffdnet"], _FFDNET_GRAY, DENOISE.name, 1, tile=512, bf16=False, conditioned=True, channels_last=True),
        weights="ffdnet_gray.safetensors",
        data="Train400 (stages 1-3; last 8 held out for validation), then Train400 + BSD200 in gray (last 12 held out); "
             "never BSD68",
        recipe="recipes/ffdnet_gray.toml (the GPU stage: 18,000 steps in batches of 128 patches of 96×96, from "
               "recipes/init/ffdnet_gray_stage3.safetensors, which recipes/ffdnet_gray_stage1.toml → _stage2 → _stage3 "
               "made on the CPU); history in docs/lab/denoise.md",
        steps=45000,
        wall_time="CPU stages: 101 + 58 + 76 min; GPU stage: 7.2 min on one lent NVIDIA H200",
        scores={"BSD68 σ=15 / 25 / 50 PSNR": "31.26 / 28.80 / 25.86", "BM3D, same run": "31.14 / 28.62 / 25.69",
                "BSD68 s/image (481×321), 1 thread (NHWC)": "0.192 (BM3D 3.84: 20.0× faster)",
                "BSD68 with --self-ensemble 8": "31.36 / 28.89 / 25.93 at 1.541 s/image (2.5× faster than BM3D)"},
        paper=FAMILIES["ffdnet"].paper,
    )
)

_FFDNET_COLOR = {"depth": 15, "features": 64}
register(
    ModelCard(
        name="ffdnet_color",
        summary="colour denoiser, one model for σ in [0, 75]: the gray FFDNet body on each opponent channel, guided by the noisy mean channel",
        build=FAMILIES["ffdnet_guided_opponent"],
        kwargs=_FFDNET_COLOR,
        spec=spec_for(FAMILIES["ffdnet_guided_opponent"], _FFDNET_COLOR, DENOISE.name, 3, tile=512, bf16=False, conditioned=True,
                      channels_last=True),
        weights="ffdnet_color.safetensors",
        data="BSD200 + T91 in colour (stage 1; last 8 T91 held out), then BSD200 (last 8 held out); never CBSD68",
        recipe="recipes/ffdnet_color.toml (the GPU stage: 21,500 steps in batches of 64 colour patches of 96×96, from "
               "recipes/init/ffdnet_color_stage1.safetensors, which recipes/ffdnet_color_stage1.toml made on the CPU from "
               "ffdnet_gray's stage 2); history in docs/lab/denoise.md",
        steps=32500,
        wall_time="CPU stage: 87 min on one core; GPU stage: 10.8 min on one lent NVIDIA H200",
        scores={"CBSD68 σ=25 PSNR (RGB)": "30.84", "CBM3D, same run": "30.80",
                "ffdnet_gray in the opponent space, same run": "30.81",
                "CBSD68 s/image (481×321), 1 thread (NHWC)": "0.595 (CBM3D 12.29: 20.7× faster)"},
        paper=FAMILIES["ffdnet_guided_opponent"].paper,
    )
)

_DNCNN_GRAY = {"channels": 1, "depth": 17, "features": 64}
register(
    ModelCard(
        name="dncnn_gray_s25",
        summary="DnCNN-S for gray images at σ = 25 (17 layers, 64 features, BN, residual), the paper's network",
        build=FAMILIES["dncnn"],
        kwargs=_DNCNN_GRAY,
        spec=spec_for(FAMILIES["dncnn"], _DNCNN_GRAY, DENOISE.name, 1, tile=512, bf16=True, channels_last=True),
        weights="dncnn_gray_s25.safetensors",
        data="Train400 (400 gray 180×180 images; last 8 held out for validation), AWGN σ = 25",
        recipe="recipes/dncnn_gray_s25.toml: batch 16 of 40×40 (the paper: 128), MSE, AdamW 1e-3, cosine, EMA 0.999",
        steps=4000,
        wall_time="36 min (2,144 s) on one core",
        scores={"BSD68 / Set12 σ=25 PSNR": "28.12 / 28.77", "ffdnet_gray, same run": "28.80 / 29.74",
                "published DnCNN-S": "29.23 / 30.44",
                "BSD68 s/image, 1 thread (NHWC)": "1.80 (ffdnet_gray 0.24: 7.5× faster)"},
        paper=FAMILIES["dncnn"].paper,
    )
)

_DNCNN_COLOR = {"channels": 3, "depth": 20, "features": 64}
register(
    ModelCard(
        name="dncnn_color_s25",
        summary="Colour DnCNN at σ = 25 (20 layers, 64 features, BN, residual, on RGB), the paper's colour depth",
        build=FAMILIES["dncnn"],
        kwargs=_DNCNN_COLOR,
        spec=spec_for(FAMILIES["dncnn"], _DNCNN_COLOR, DENOISE.name, 3, tile=512, bf16=False, channels_last=True),
        weights="dncnn_color_s25.safetensors",
        data="BSD200 + T91 (colour; last 8 held out for validation), AWGN σ = 25; never CBSD68",
        recipe="recipes/dncnn_color_s25.toml: batch 16 of 40×40 (the paper's CDnCNN-B: 128 of 50×50, "
               "σ in [0, 55]), MSE, AdamW 1e-3, cosine, EMA 0.999",
        steps=4000,
        wall_time="48 min (2,874 s) on one core, sharing the machine with a benchmark",
        scores={"CBSD68 σ=25 PSNR": "28.87", "ffdnet_color, same run": "30.84", "published CDnCNN-B": "31.24",
                "CBSD68 s/image, 1 thread (NHWC)": "2.16 (ffdnet_color 0.77: 2.8× faster)"},
        paper=FAMILIES["dncnn"].paper,
    )
)

_CBDNET_GRAY = {"channels": 1, "depth": 15, "features": 64, "level_bins": 2, "level_band": (0.1, 0.5)}
register(
    ModelCard(
        name="cbdnet_gray",
        summary="blind gray denoiser: CBDNet-style noise-estimation subnet in front of ffdnet_gray (σ̂ map × strength)",
        build=FAMILIES["cbdnet"],
        kwargs=_CBDNET_GRAY,
        spec=spec_for(FAMILIES["cbdnet"], _CBDNET_GRAY, DENOISE.name, 1, tile=512, bf16=False, conditioned=True, blind=True,
                      channels_last=True),
        weights="cbdnet_gray.safetensors",
        data="estimator: Train400 patches with AWGN σ ∈ [0, 75] and BSD200 colour patches through the camera-noise "
             "pipeline (optional JPEG), one channel kept; denoiser: a frozen copy of ffdnet_gray",
        recipe="recipes/cbdnet_gray.toml, the last (joint) stage: CBDNet's joint loss through the frozen ffdnet_gray, "
               "from recipes/init/cbdnet_gray_low_estimator.safetensors (earlier stages in docs/lab/denoise.md). Trained "
               "with 4 brightness bins, served with 2. Rerun through the one loop it scores 30.71 / 28.46 / 25.81 on BSD68 "
               "(darkroom bench denoise --data BSD68 --model cbdnet_gray --sigma 15 --sigma 25 --sigma 50 --weights "
               "runs/cbdnet_gray/cbdnet_gray.safetensors), the shipped weights' scores within 0.01 dB",
        steps=10500,
        wall_time="five stages, 68 min in all on one or two CPU cores (the last: 12.9 min on one core)",
        scores={"BSD68 σ=15 / 25 / 50 PSNR (blind)": "30.71 / 28.45 / 25.81",
                "ffdnet_gray told the true σ, same run": "31.26 / 28.80 / 25.86",
                "CBSD68 camera noise (12 images, opponent space)": "24.81"},
        paper=FAMILIES["cbdnet"].paper,
    )
)

_CBDNET_COLOR = {"channels": 3, "depth": 15, "features": 64, "level_bins": 4}
register(
    ModelCard(
        name="cbdnet_color",
        summary="blind colour denoiser: the CBDNet-style estimator on each channel, pooled per brightness, in front of "
                "a copy of ffdnet_color fine-tuned on camera noise (σ̂ map × strength)",
        build=FAMILIES["cbdnet"],
        kwargs=_CBDNET_COLOR,
        spec=spec_for(FAMILIES["cbdnet"], _CBDNET_COLOR, DENOISE.name, 3, tile=512, bf16=False, conditioned=True, blind=True,
                      channels_last=True),
        weights="cbdnet_color.safetensors",
        data="BSD200 + T91 colour patches, half with AWGN σ ∈ [0, 75], half through the camera-noise pipeline (half of "
             "those JPEG-compressed)",
        recipe="recipes/cbdnet_color.toml (CBDNet's joint loss; the denoiser learns too, at a fifth of the estimator's "
               "rate). Rerun through the one loop it scores 28.33 dB on the camera-noise benchmark below (darkroom bench "
               "denoise --data CBSD68 --limit 12 --noise camera --model cbdnet_color --weights "
               "runs/cbdnet_color/cbdnet_color.safetensors), the shipped weights' 28.30",
        steps=6000,
        wall_time="59 min (3,532 s) on one core",
        scores={"CBSD68 camera noise (12 images), PSNR (RGB)": "28.30",
                "best single σ told, same run: CBM3D / ffdnet_color": "25.47 / 25.32",
                "CBSD68 AWGN σ=15 / 25 / 50 (blind)": "32.19 / 29.89 / 27.11",
                "ffdnet_color told the true σ, same run": "33.56 / 30.84 / 27.55"},
        paper=FAMILIES["cbdnet"].paper,
    )
)

register(
    ModelCard(
        name="dae_mnist",
        summary="convolutional denoising autoencoder for 28×28 handwritten digits (survey 000's example)",
        build=FAMILIES["conv_autoencoder"],
        kwargs={"channels": 1, "features": 32},
        spec=spec_for(FAMILIES["conv_autoencoder"], {"channels": 1, "features": 32}, DENOISE.name, 1, tile=0, bf16=False,
                      channels_last=True),
        weights="dae_mnist.safetensors",
        data="MNIST test split, first 8,000 digits (the last 2,000 are the test set; the last 500 of the 8,000 validate)",
        recipe="recipes/dae_mnist.toml (noise x + 0.5·N(0, 1) clipped to [0, 1]; binary cross-entropy; AdamW "
               "one-cycle 2e-3; batch 128; 30 epochs)",
        steps=1740,
        wall_time="146 s on one core, sharing the machine with two other trainings",
        scores={"MNIST last 2,000, PSNR": "19.16 dB", "noisy input": "9.38 dB",
                "Gaussian filter (σ tuned on training digits)": "12.38 dB", "non-local means (OpenCV)": "10.04 dB"},
        paper="Vincent, Larochelle, Bengio, Manzagol, 'Extracting and Composing Robust Features with Denoising "
              "Autoencoders', ICML 2008; the Keras convolutional denoising-autoencoder tutorial",
    )
)

# Learned upscalers. Scores: `darkroom bench upscale --data Set5 --data Set14 ...` (BENCHMARKS.md),
# Y-channel PSNR dB / SSIM with crop = scale, MATLAB-bicubic LR inputs.
_SR_DATA = "T91 + BSD200 (the 291 images; last 8 held out for validation), MATLAB-bicubic LR made on the fly, 8 dihedral flips"
_SR_PAPERS = {
    "srcnn": "Dong, Loy, He, Tang, 'Image Super-Resolution Using Deep Convolutional Networks', TPAMI 2016",
    "srcnn_multiscale": "Dong, Loy, He, Tang, 'Image Super-Resolution Using Deep Convolutional Networks', TPAMI 2016; "
                        "multi-scale training as in Kim, Lee, Lee, 'Accurate Image Super-Resolution Using Very Deep "
                        "Convolutional Networks' (VDSR), CVPR 2016",
    "fsrcnn": "Dong, Loy, Tang, 'Accelerating the Super-Resolution Convolutional Neural Network', ECCV 2016",
    "espcn": "Shi et al., 'Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel CNN', CVPR 2016",
    "edsr": "Lim, Son, Kim, Nah, Lee, 'Enhanced Deep Residual Networks for Single Image Super-Resolution', CVPRW 2017 "
            "(compact: 32 features, 8 blocks, sub-pixel upsampler, nearest-neighbour anchor)",
}
_SR_FAMILY = {"srcnn": "srcnn", "srcnn_multiscale": "srcnn", "fsrcnn": "fsrcnn", "espcn": "espcn", "edsr": "edsr"}
_SR_KWARGS = {"srcnn": {"residual": True}, "srcnn_multiscale": {"residual": True}, "fsrcnn": {}, "espcn": {},
              "edsr": {"features": 32, "blocks": 8}}
# SRCNN and FSRCNN see luminance only, as in their papers; colour comes from bicubic
# (darkroom.tasks.upscale.through_gray).
_SR_CHANNELS = {"srcnn": 1, "srcnn_multiscale": 1, "fsrcnn": 1, "espcn": 3, "edsr": 3}
_SR_SUMMARY = {
    "srcnn": "SRCNN 9-5-5 on luminance (bicubic pre-upsampling, residual), one model per scale as in the paper",
    "srcnn_multiscale": "SRCNN 9-5-5 on luminance (bicubic pre-upsampling, residual), one set of weights for ×2/×3/×4",
    "fsrcnn": "FSRCNN (56, 12, 4) on luminance: post-upsampling with a 9×9 transposed convolution",
    "espcn": "ESPCN: three convolutions and a sub-pixel (pixel-shuffle) upsampler",
    "edsr": "the default upscaler: compact EDSR-style residual network with a sub-pixel upsampler",
}
# (family, scale): (weights file, recipe, steps, wall time, {benchmark: score})
_SR_RUNS: dict[tuple[str, int], tuple[str, str, int, str, dict]] = {
    ("srcnn_multiscale", 2): ("srcnn_multiscale.safetensors", "recipes/srcnn_multiscale.toml", 50000, "113 min (6,775 s): one core beside the FSRCNN runs, two threads for the last 8,000 steps", {'Set5 ×2 PSNR/SSIM (Y)': '35.08 / 0.9455', 'Set14 ×2 PSNR/SSIM (Y)': '31.72 / 0.8998'}),
    ("srcnn_multiscale", 3): ("srcnn_multiscale.safetensors", "recipes/srcnn_multiscale.toml", 50000, "113 min (6,775 s): one core beside the FSRCNN runs, two threads for the last 8,000 steps", {'Set5 ×3 PSNR/SSIM (Y)': '32.13 / 0.9038', 'Set14 ×3 PSNR/SSIM (Y)': '29.03 / 0.8162'}),
    ("srcnn_multiscale", 4): ("srcnn_multiscale.safetensors", "recipes/srcnn_multiscale.toml", 50000, "113 min (6,775 s): one core beside the FSRCNN runs, two threads for the last 8,000 steps", {'Set5 ×4 PSNR/SSIM (Y)': '30.21 / 0.8584', 'Set14 ×4 PSNR/SSIM (Y)': '27.35 / 0.7466'}),
    ("srcnn", 2): ("srcnn_x2.safetensors", "recipes/srcnn_x2.toml", 10000, "25 min (1,479 s) on one core, beside an EDSR run", {'Set5 ×2 PSNR/SSIM (Y)': '36.67 / 0.9547', 'Set14 ×2 PSNR/SSIM (Y)': '32.48 / 0.9076'}),
    ("srcnn", 3): ("srcnn_x3.safetensors", "recipes/srcnn_x3.toml", 15000, "38 min (2,300 s) on one core, beside an EDSR run", {'Set5 ×3 PSNR/SSIM (Y)': '32.71 / 0.9095', 'Set14 ×3 PSNR/SSIM (Y)': '29.33 / 0.8222'}),
    ("srcnn", 4): ("srcnn_x4.safetensors", "recipes/srcnn_x4.toml", 10000, "26 min (1,579 s) on one core, beside an EDSR run", {'Set5 ×4 PSNR/SSIM (Y)': '30.33 / 0.8617', 'Set14 ×4 PSNR/SSIM (Y)': '27.50 / 0.7527'}),
    ("fsrcnn", 2): ("fsrcnn_x2.safetensors", "recipes/fsrcnn_x2.toml", 15000, "14 min (815 s) on one core", {'Set5 ×2 PSNR/SSIM (Y)': '36.99 / 0.9566', 'Set14 ×2 PSNR/SSIM (Y)': '32.72 / 0.9094'}),
    ("fsrcnn", 3): ("fsrcnn_x3.safetensors", "recipes/fsrcnn_x3.toml", 170000, "80 min (4,775 s) on one core, the SRCNN run on the other", {'Set5 ×3 PSNR/SSIM (Y)': '32.97 / 0.9141', 'Set14 ×3 PSNR/SSIM (Y)': '29.49 / 0.8251'}),
    ("fsrcnn", 4): ("fsrcnn_x4.safetensors", "recipes/fsrcnn_x4.toml", 15000, "8 min (468 s) on one core", {'Set5 ×4 PSNR/SSIM (Y)': '30.71 / 0.8709', 'Set14 ×4 PSNR/SSIM (Y)': '27.69 / 0.7582'}),
    ("espcn", 2): ("espcn_x2.safetensors", "recipes/espcn_x2.toml", 4000, "14 min on 2 CPU cores shared with other runs", {'Set5 ×2 PSNR/SSIM (Y)': '34.86 / 0.9438', 'Set14 ×2 PSNR/SSIM (Y)': '31.28 / 0.8965'}),
    ("espcn", 3): ("espcn_x3.safetensors", "recipes/espcn_x3.toml", 10000, "42 min on 2 CPU cores shared with other runs", {'Set5 ×3 PSNR/SSIM (Y)': '31.34 / 0.8854', 'Set14 ×3 PSNR/SSIM (Y)': '28.34 / 0.8040'}),
    ("espcn", 4): ("espcn_x4.safetensors", "recipes/espcn_x4.toml", 4000, "10 min on 2 CPU cores shared with other runs", {'Set5 ×4 PSNR/SSIM (Y)': '29.13 / 0.8278', 'Set14 ×4 PSNR/SSIM (Y)': '26.56 / 0.7293'}),
    ("edsr", 2): ("edsr_x2.safetensors", "recipes/edsr_x2.toml", 40000, "118 min (7,050 s): 47 min for the first 3,000 steps on shared cores, 71 min for the rest on one core", {'Set5 ×2 PSNR/SSIM (Y)': '37.52 / 0.9591', 'Set14 ×2 PSNR/SSIM (Y)': '33.13 / 0.9131'}),
    ("edsr", 3): ("edsr_x3.safetensors", "recipes/edsr_x3.toml", 50000, "72 min (4,297 s): 9 min for the first 800 steps on shared cores, 63 min for the rest on one core", {'Set5 ×3 PSNR/SSIM (Y)': '33.65 / 0.9212', 'Set14 ×3 PSNR/SSIM (Y)': '29.79 / 0.8322'}),
    ("edsr", 4): ("edsr_x4.safetensors", "recipes/edsr_x4.toml", 35000, "43 min (2,582 s): 8 min for the first 800 steps on shared cores, 35 min for the rest on one core", {'Set5 ×4 PSNR/SSIM (Y)': '31.36 / 0.8827', 'Set14 ×4 PSNR/SSIM (Y)': '28.06 / 0.7686'}),
}

for (_family, _scale), (_weights, _recipe, _steps, _wall, _scores) in _SR_RUNS.items():
    _channels = _SR_CHANNELS[_family]
    _kw = {"scale": _scale, "channels": _channels, **_SR_KWARGS[_family]}
    register(
        ModelCard(
            name=f"{_family}_x{_scale}",
            summary=f"{_SR_SUMMARY[_family]} — ×{_scale}",
            build=FAMILIES[_SR_FAMILY[_family]],
            kwargs=_kw,
            spec=spec_for(FAMILIES[_SR_FAMILY[_family]], _kw, UPSCALE.name, _channels, scale=_scale, tile=256, bf16=False,
                          channels_last=True),
            weights=_weights,
            data=_SR_DATA + ("; luminance only: the training images as 8-bit gray" if _channels == 1 else ""),
            recipe=_recipe,
            steps=_steps,
            wall_time=_wall,
            scores=_scores,
            paper=_SR_PAPERS[_family],
        )
    )

# Fast style transfer: one transformation network per style, trained by the `fast_style`
# objective (recipes/style_NAME.toml) under the feature network this machine has
# (random multi-scale filters: no VGG-19 weights can be fetched here). Measured with
# `python benchmarks/style_transfer.py` (BENCHMARKS.md).
_STYLE_RUNS = {
    # name: (style image, steps, wall time, {measure: value})
    "candy": ("candy.jpg", 1500, "41 min (2,440 s) on one CPU core, beside two other training runs on the 2-core machine",
              {"1080×1080 photo, 1 thread": "6.67 s; Gatys, 10 L-BFGS iterations, same run: 580 s (87×)",
               "384 px: network / Gatys 100 iterations": "0.30 s / 316 s",
               "style distance photo → network / → Gatys 100 it. (384 px)": "2.43e-08 → 7.55e-11 / 2.73e-09"}),
    "mosaic": ("mosaic.jpg", 1500, "40 min (2,428 s) on one CPU core, beside two other training runs on the 2-core machine",
               {"1080×1080 photo, 1 thread": "7.48 s; Gatys, 10 L-BFGS iterations, same run: 580 s (77×)",
                "384 px: network / Gatys 100 iterations": "0.31 s / 317 s",
                "style distance photo → network / → Gatys 100 it. (384 px)": "5.65e-09 → 2.77e-11 / 6.34e-10"}),
}
_STYLE_RERUNS = {  # python benchmarks/style_transfer.py --compare NAME runs/style_NAME/style_NAME.safetensors
    "candy": "its recipe rerun through the one loop (2,630 s on one core) reaches a style distance of 9.66e-11 at "
             "384 px against these weights' 7.54e-11 (the photo's: 2.43e-08)",
    "mosaic": "its recipe was not rerun through the one loop",
}
for _name, (_image, _steps, _wall, _scores) in _STYLE_RUNS.items():
    register(
        ModelCard(
            name=_name,
            summary=f"fast style transfer in the style of {_image} (one forward pass, any size)",
            build=FAMILIES["transformer"],
            kwargs={"width": 32, "blocks": 5},
            # instance norm takes statistics over the whole image: never tile
            spec=spec_for(FAMILIES["transformer"], {"width": 32, "blocks": 5}, STYLIZE.name, 3, tile=0, bf16=False),
            weights=f"style_{_name}.safetensors",
            data=f"content: random 128² crops (0.6–1 of the shorter side) of BSD200 + T91; style: "
                 f"fast_neural_style/style-images/{_image} at 384 px",
            recipe=f"recipes/style_{_name}.toml (Adam one-cycle 1e-3, batch 4 of 128² crops; features: random multi-scale "
                   "filters, content random3+random5, style 3…23 px). The weights were trained by the former "
                   "fast-style trainer; " + _STYLE_RERUNS[_name],
            steps=_steps,
            wall_time=_wall,
            scores=_scores,
            paper="Johnson, Alahi, Fei-Fei, 'Perceptual Losses for Real-Time Style Transfer and Super-Resolution', "
                  "ECCV 2016; instance norm (Ulyanov et al. 2016); resize-convolution (Odena et al. 2016)",
        )
    )

# Classifiers and generative models: not image-to-image, so the engine never runs them; their
# cards make them listed, loadable by name and documented like the others. The classifiers'
# class names and input normalisation travel in their weight files (darkroom.recognize).
_MNIST_DATA = ("MNIST test split as this project has it: the first 8,000 digits (a seeded 10 %, 800, validate); "
               "the last 2,000 are the test set and were never trained on")
register(
    ModelCard(
        name="mnist_small_resnet",
        summary="the default MNIST classifier: a small residual network (28×28 gray digits, 10 classes)",
        build=FAMILIES["small_resnet"],
        kwargs={"channels": 1, "classes": 10},
        spec=ModelSpec(RECOGNIZE.name, 1, 0, tile=0, bf16=False),
        weights="mnist_small_resnet.safetensors",
        data=_MNIST_DATA,
        recipe="recipes/mnist_small_resnet.toml ('digits' augmentation: ±10° rotation, ±8 % shift, 0.9–1.1 zoom; "
               "AdamW, weight decay 5e-4, one-cycle learning rate peaking at 3e-3, batch 64, 12 epochs, seed 0)",
        steps=1344,
        wall_time="236 s on one CPU core (avx512_bf16 machine, fp32), beside two other trainings",
        scores={"MNIST last 2,000, accuracy": "99.30 %", "validation (800)": "99.12 %"},
        paper=FAMILIES["small_resnet"].paper,
    )
)
register(
    ModelCard(
        name="mnist_survey_cnn",
        summary="survey 002's Keras CNN, trained on MNIST (28×28 gray digits, 10 classes)",
        build=FAMILIES["survey_cnn"],
        kwargs={"channels": 1, "classes": 10, "size": 28},
        spec=ModelSpec(RECOGNIZE.name, 1, 0, tile=0, bf16=False),
        weights="mnist_survey_cnn.safetensors",
        data=_MNIST_DATA,
        recipe="recipes/mnist_survey_cnn.toml (as mnist_small_resnet, one-cycle peak 1e-3, 12 epochs)",
        steps=1344,
        wall_time="86 s on one CPU core (avx512_bf16 machine, fp32), beside two other trainings",
        scores={"MNIST last 2,000, accuracy": "99.25 %", "validation (800)": "99.25 %"},
        paper=FAMILIES["survey_cnn"].paper,
    )
)
register(
    ModelCard(
        name="vae_mnist",
        summary="variational autoencoder of MNIST digits with a 2-D code (darkroom sample vae)",
        build=FAMILIES["vae"],
        kwargs={"latent": 2, "features": 32, "hidden": 16},
        spec=ModelSpec(SAMPLE.name, 0, 1, tile=0, bf16=False),
        weights="vae_mnist.safetensors",
        data="the first 8,000 MNIST test-split digits (the last 500 of them validate); tested on the last 2,000",
        recipe="recipes/vae_mnist.toml: AdamW 1e-3, batch 128, 20 epochs, seed 0",
        steps=1160,
        wall_time="185 s on one core, sharing the machine with two other trainings",
        scores={"test negative ELBO (Bernoulli on grey levels)": "166.2 nats",
                "Fréchet distance on our classifier's features": "132.72 (8 of 10 classes present)"},
        paper=FAMILIES["vae"].paper,
    )
)
register(
    ModelCard(
        name="dcgan_mnist",
        summary="DCGAN generator of MNIST digits (darkroom sample gan; the discriminator is not shipped)",
        build=FAMILIES["dcgan"],
        kwargs={"latent": 64, "features": 32},
        spec=ModelSpec(SAMPLE.name, 0, 1, tile=0, bf16=False),
        weights="dcgan_mnist.safetensors",
        data="the first 8,000 MNIST test-split digits (the last 500 held out, unused)",
        recipe="recipes/dcgan_mnist.toml: Adam 2e-4, β₁ 0.5, batch 128, 12 epochs, seed 0",
        steps=696,
        wall_time="100 s on one core, sharing the machine with two other trainings",
        scores={"Fréchet distance on our classifier's features": "23.03 (10 of 10 classes present)",
                "label entropy": "2.097 of 2.303"},
        paper=FAMILIES["dcgan"].paper,
    )
)

# Deblurring. Non-blind models are told the kernel (ModelSpec.kernel_conditioned); the blind
# network is told nothing. Scores: benchmarks/deblur.py (BENCHMARKS.md, Deblurring).
register(
    ModelCard(
        name="blurred", summary="the blurred image itself (the row every deblurring table starts from)",
        build=Blurred, kwargs={}, spec=ModelSpec(DEBLUR.name, 0, 0, tile=0), paper="-",
    )
)
_SKIMAGE = "BSD-3-Clause (scikit-image)"
_DECONVOLUTIONS = [
    ("wiener", Wiener, "Wiener–Hunt deconvolution given the kernel, balance from the estimated noise (scikit-image)",
     "Wiener, 1949; Hunt, 'A matrix theory proof of the discrete convolution theorem', 1971; skimage.restoration.wiener"),
    ("richardson_lucy", RichardsonLucy, "Richardson–Lucy deconvolution given the kernel, stopped early for the noise (scikit-image)",
     "Richardson, JOSA 1972; Lucy, AJ 1974; skimage.restoration.richardson_lucy"),
    ("unsupervised_wiener", UnsupervisedWiener, "Wiener–Hunt deconvolution with its balance sampled by Gibbs sampling (scikit-image)",
     "Orieux, Giovannelli & Rodet, 'Bayesian estimation of regularization and point spread function parameters for "
     "Wiener-Hunt deconvolution', JOSA A 2010; skimage.restoration.unsupervised_wiener"),
]
for _name, _cls, _summary, _paper in _DECONVOLUTIONS:
    register(
        ModelCard(
            name=_name, summary=_summary, build=_cls, kwargs={}, paper=_paper, license=_SKIMAGE,
            spec=ModelSpec(DEBLUR.name, 0, 0, tile=0, conditioned=True, kernel_conditioned=True),
        )
    )
# The scores: benchmarks/deblur.py nonblind (Levin's 8 kernels, σ = 2.55 / 7.65, BENCHMARKS.md).
_PNP_SCORES = {
    "ffdnet_gray": {"Set12, Levin kernels, σ = 2.55, PSNR (mean of 8)": "31.96 (Wiener 26.68)",
                    "BSD68 first 12, σ = 2.55": "30.90 (Richardson–Lucy 26.78)",
                    "Set12 / BSD68 first 4, σ = 7.65": "28.78 / 27.32 (Wiener 24.59 / 24.91)"},
    "ffdnet_color": {"CBSD68 first 6, 8 camera-shake kernels, σ = 2.55, RGB PSNR (mean of 8)": "32.38 (Wiener 27.35, "
                                                                                              "blurred 24.00)"},
}
for _channels, _denoiser, _kwargs in ((1, "ffdnet_gray", {"denoiser": "ffdnet", **_FFDNET_GRAY}),
                                      (3, "ffdnet_color", {"denoiser": "ffdnet_guided_opponent", **_FFDNET_COLOR})):
    register(
        ModelCard(
            name=f"pnp_{_denoiser}",
            summary=f"plug-and-play deconvolution given the kernel: half-quadratic splitting with the shipped {_denoiser} "
                    "as the prior (8 iterations, DPIR's schedule)",
            build=FAMILIES["pnp"],
            kwargs=_kwargs,
            spec=spec_for(FAMILIES["pnp"], _kwargs, DEBLUR.name, _channels, tile=1024, bf16=False, conditioned=True,
                          kernel_conditioned=True, channels_last=True),
            weights=f"{_denoiser}.safetensors",
            data=f"none of its own: the shipped {_denoiser}'s weights, loaded as they are (no new training)",
            recipe=f"the denoiser's, recipes/{_denoiser}.toml; nothing trained for deblurring",
            steps=get_card(_denoiser).steps,
            wall_time=f"none beyond {_denoiser}'s",
            scores=_PNP_SCORES[_denoiser],
            paper=FAMILIES["pnp"].paper,
        )
    )
_DEEPDEBLUR = {"channels": 3, "features": 32, "blocks": 3, "levels": 3}
register(
    ModelCard(
        name="deepdeblur",
        summary="the blind deblurring default: Nah et al.'s multi-scale CNN (3 levels, 5×5 convolutions, 3 ResBlocks a "
                "level, 32 features), told nothing",
        build=FAMILIES["deepdeblur"],
        kwargs=_DEEPDEBLUR,
        spec=spec_for(FAMILIES["deepdeblur"], _DEEPDEBLUR, DEBLUR.name, 3, tile=1024, bf16=False, channels_last=True),
        weights="deepdeblur.safetensors",
        data="BSD200 (its last 8 photos validate; never a benchmark set): 128² patches blurred on the fly by Boracchi–Foi "
             "camera-shake trajectories (80 %), defocus disks and Gaussians up to 25 px, a quarter varying across the "
             "patch, then AWGN σ ≤ 3 and 8 bits",
        recipe="recipes/deepdeblur_stage1.toml (the multi-scale content loss, AdamW 1e-3 cosine, batch 6, EMA 0.999, "
               "bf16 autocast on this CPU), then recipes/deepdeblur.toml (the same at 5e-4 from stage 1's weights, a "
               "12,750-step schedule stopped at step 9,000 by the session's end; the EMA weights of that checkpoint)",
        steps=13000,
        wall_time="49 + 117 min on one CPU core (bf16 autocast, avx512_bf16), sharing the machine with other runs",
        scores={"Levin09, 32 real camera-shake photos, PSNR at the best shift": "23.89 (blurred 23.19; stage 1 alone: 24.03 when it "
                                                                                "shipped, history)",
                "held-out BSD200 photos, the recipe's validation": "22.03 (stage 1 alone 21.81; the runs' logs in docs/lab/logs)",
                "CBSD68 first 6, 8 camera-shake kernels, σ = 2.55, RGB PSNR": "24.92 (blurred 24.00; stage 1 alone 24.62)",
                "the adversarial term, 200 more steps from stage 1": "no gain (docs/lab/deblur.md)"},
        paper=FAMILIES["deepdeblur"].paper,
    )
)

# Dehazing. Every dehazer is told the strength s of t' = t^s (ModelSpec.conditioned) and sees the
# whole image (tile 0): A is global. Scores: benchmarks/dehaze.py (BENCHMARKS.md, Dehazing).
_DEHAZE_SPEC = ModelSpec(DEHAZE.name, 3, 3, tile=0, conditioned=True)
_HE = "He, Sun, Tang, 'Single Image Haze Removal Using Dark Channel Prior', CVPR 2009 / TPAMI 2011"
for _name, _cls, _summary, _paper, _license in (
    ("hazy", Hazy, "the hazy image itself (the row every dehazing table starts from)", "-", "MIT"),
    ("clahe", Clahe, "contrast-limited adaptive histogram equalisation of CIELAB's L (OpenCV), the naive baseline",
     "Zuiderveld, 'Contrast Limited Adaptive Histogram Equalization', Graphics Gems IV, 1994; cv2.createCLAHE", _OPENCV),
    ("dcp", DarkChannelPrior, "the dark channel prior: 15×15 patches, ω = 0.95, t₀ = 0.1, A from the brightest 0.1 %, "
     "t refined by the guided filter (kornia)", _HE, "MIT"),
    ("dcp_multipatch", MultiPatchDCP, "the dark channel prior with a per-pixel patch size (7 at edges, 31 on smooth bright "
     "surfaces, 15 elsewhere): PMS-Net's patch map, by a rule",
     "Chen, Yeh, Hsu, Lin, 'PMS-Net: Robust Haze Removal Based on Patch Map for Single Images', CVPR 2019; " + _HE, "MIT"),
):
    register(ModelCard(name=_name, summary=_summary, build=_cls, kwargs={}, spec=_DEHAZE_SPEC, paper=_paper, license=_license))
_DEHAZENET = {"features": 16, "maxout_group": 4, "scale_filters": 16}
register(
    ModelCard(
        name="dehazenet",
        summary="DehazeNet as the paper gives it (Maxout, 3/5/7 multi-scale mapping, 7×7 local maximum, BReLU), "
                "recovered through the guided-filter-refined t and A",
        build=FAMILIES["dehazenet"],
        kwargs=_DEHAZENET,
        spec=_DEHAZE_SPEC,
        weights="dehazenet.safetensors",
        data="BSD200 (its last 8 photos give the held-out patches; never SOTS): 16×16 patches, each hazed with one "
             "uniform t in (0.05, 1) and A = 1, the paper's protocol",
        recipe="recipes/dehazenet.toml (the transmission objective: squared error on t, AdamW 2e-3 cosine, batch 128, "
               "EMA 0.999)",
        steps=20000,
        wall_time="575 s on one CPU core, sharing the machine with two other runs",
        scores={"SOTS-indoor subset (50 pairs), RGB PSNR / SSIM": "15.07 / 0.724 (the prior 18.95; published DehazeNet "
                                                                 "21.14 on all of SOTS-indoor)",
                "held-out patches, RMSE of t": "0.105 (the dark channel's own estimate: 0.149)"},
        paper=FAMILIES["dehazenet"].paper,
    )
)
_HAZE_UNET = {"features": (24, 48, 64, 64), "prior": True}
register(
    ModelCard(
        name="haze_unet",
        summary="the dehazing default: a compact U-Net correcting the dark channel prior's t and A, recovered through "
                "the scattering model",
        build=FAMILIES["haze_unet"],
        kwargs=_HAZE_UNET,
        spec=_DEHAZE_SPEC,
        weights="haze_unet.safetensors",
        data="BSD200 (its last 8 photos validate; never SOTS): 128² patches hazed through the scattering model with a "
             "random depth proxy (degrade.scene.random_depth), β in [0.5, 2.5], A in [0.7, 1] tinted ±5 %, a tenth left "
             "clear, AWGN σ ≤ 2, 8 bits",
        recipe="recipes/haze_unet.toml (L1 on the recovered image, AdamW 1e-3 cosine, batch 8, EMA 0.999)",
        steps=10000,
        wall_time="40 min (2,402 s) on one CPU core, three runs sharing two cores",
        scores={"SOTS-indoor subset (50 pairs), RGB PSNR / SSIM": "18.11 / 0.840 (prior 18.95; DehazeNet 15.07)",
                "held-out BSD200 photos hazed with random depth (16 pairs)": "21.90 (prior 20.31; DehazeNet 16.78)",
                "DehazeNet's uniform-t patches mixed in (30 %)": "21.77 on the same pairs: no gain (docs/lab/dehaze.md)"},
        paper=FAMILIES["haze_unet"].paper,
    )
)

# Low light and enhancement. Every enhancer sees the whole image (tile 0: the learned ones read global
# features), and the task's finish blends toward the input by the strength. Scores: benchmarks/enhance.py
# (BENCHMARKS.md, Low light and enhancement).
_ENHANCE_SPEC = ModelSpec(ENHANCE.name, 3, 3, tile=0)
_PARIS = ("Paris, Hasinoff & Kautz, 'Local Laplacian Filters: Edge-aware Image Processing with a Laplacian Pyramid', "
          "SIGGRAPH 2011; Aubry et al., 'Fast Local Laplacian Filters', ACM TOG 2014")
for _name, _cls, _kwargs, _summary, _paper, _license in (
    ("dark", Dark, {}, "the under-exposed image itself (the row every low-light table starts from)", "-", "MIT"),
    ("gamma", Gamma, {}, "a global gamma per image, bringing the mean luminance to 0.45 (never darkening)",
     "textbook gamma correction", "MIT"),
    ("clahe_lowlight", Clahe, {}, "contrast-limited adaptive histogram equalisation of CIELAB's L (OpenCV)",
     "Zuiderveld, 'Contrast Limited Adaptive Histogram Equalization', Graphics Gems IV, 1994; cv2.createCLAHE", _OPENCV),
    ("lime", Lime, {}, "LIME: the max-RGB illumination map refined by structure-aware smoothing (the sped-up solver, "
     "α 0.15, σ 2), then L / T^0.8; without the paper's BM3D step",
     "Guo, Li & Ling, 'LIME: Low-Light Image Enhancement via Illumination Map Estimation', IEEE TIP 2017", "MIT"),
    ("local_laplacian_detail", LocalLaplacian, {"preset": "local_laplacian_detail"},
     "the local Laplacian filter, detail enhancement (σ_r 0.8 in log luminance, α 0.25): too fine-grained for HDRNet's grid to copy (docs/lab/enhance.md)",
     _PARIS, "MIT"),
    ("local_laplacian_tone", LocalLaplacian, {"preset": "local_laplacian_tone"},
     "the local Laplacian filter, tone mapping (σ_r 0.4 in log luminance, β 0.3): the operator hdrnet_tone learns",
     _PARIS, "MIT"),
):
    register(ModelCard(name=_name, summary=_summary, build=_cls, kwargs=_kwargs, spec=_ENHANCE_SPEC, paper=_paper,
                       license=_license))
_LOWLIGHT_DATA = ("BSD200 (its last 8 photos validate; never CBSD68, LIME or DICM): 256² patches (content shrunk by up to 2) "
                  "darkened through the camera pipeline (degrade.LowLight: exposure 0.02–0.5 in linear raw, shot noise "
                  "1e-4–4e-3, white-balance cast ±10 %, JPEG q 60–95 on a third), a sixth left well exposed")
_LOWLIGHT_SCORE = "CBSD68 darkened, exposure 0.1 / 0.03, RGB PSNR"
_VALIDATION_SCORE = "held-out BSD200 photos darkened (the recipes' validation)"
register(
    ModelCard(
        name="hdrnet_lowlight",
        summary="the low-light default: HDRNet's bilateral grid of affine colour transforms, trained on synthetic low light",
        build=FAMILIES["hdrnet"],
        kwargs={},
        spec=_ENHANCE_SPEC,
        weights="hdrnet_lowlight.safetensors",
        data=_LOWLIGHT_DATA,
        recipe="recipes/hdrnet_lowlight.toml (L1 to the clean patch, AdamW 1e-3 cosine, batch 8, EMA 0.999)",
        steps=4250,
        wall_time="52 min (3,130 s) on one CPU core, two runs sharing two cores",
        scores={_LOWLIGHT_SCORE: "19.79 / 18.65 (gamma 15.47 / 13.54, LIME 15.32 / 12.82)", _VALIDATION_SCORE: "19.66 (gamma 15.09, LIME 14.61; the run itself logged 24.08 on the pixel objective's own random darkening of 256² crops)"},
        paper=FAMILIES["hdrnet"].paper,
    )
)
register(
    ModelCard(
        name="deepupe",
        summary="DeepUPE-style illumination estimation: S from a compact U-Net at 128², guided-filter upsampling, I/S",
        build=FAMILIES["deepupe"],
        kwargs={},
        spec=_ENHANCE_SPEC,
        weights="deepupe.safetensors",
        data=_LOWLIGHT_DATA,
        recipe="recipes/deepupe.toml (the illumination objective: MSE of I/S, 0.01 × edge-aware smoothness of S, 0.1 × "
               "colour angle; AdamW 1e-3 cosine, batch 8, EMA 0.999)",
        steps=2000,
        wall_time="28 min (1,667 s) on one CPU core, two runs sharing two cores",
        scores={_LOWLIGHT_SCORE: "16.29 / 13.35 (gamma 15.47 / 13.54)", _VALIDATION_SCORE: "15.64 (gamma 15.09)"},
        paper=FAMILIES["deepupe"].paper,
    )
)
_ZERO_DCE_SPEC = ModelSpec(ENHANCE.name, 3, 3, receptive_radius=FAMILIES["zero_dce"].geometry_of({}).receptive_radius, tile=512)
register(
    ModelCard(
        name="zero_dce",
        summary="Zero-DCE as its paper gives it (DCE-Net: 7 layers, 8 iterated curves), trained without references on SICE",
        build=FAMILIES["zero_dce"],
        kwargs={},
        spec=_ZERO_DCE_SPEC,
        weights="zero_dce.safetensors",
        data="ZeroDCE_train_subset: 400 SICE multi-exposure images as Zero-DCE++ ships them (Guo et al.; CC BY-NC 4.0, "
             "academic research use only), no ground truth; 128² crops, content shrunk by up to 4",
        recipe="recipes/zero_dce.toml (the four non-reference losses weighted as the authors' script: spatial 1, exposure "
               "10 at E = 0.6, colour 5, smoothness 200; AdamW 1e-3 cosine, batch 8, EMA 0.999)",
        steps=1500,
        wall_time="19 min (1,153 s) on one CPU core, three runs sharing two cores",
        scores={_LOWLIGHT_SCORE: "16.06 / 11.63 (gamma 15.47 / 13.54; published LOL-v1 14.86, not comparable)", _VALIDATION_SCORE: "15.10 (gamma 15.09, CLAHE 12.24)",
                "the first run, its smoothness term 24 times too weak": "11.25 (docs/lab/enhance.md)"},
        paper=FAMILIES["zero_dce"].paper,
        license="CC BY-NC 4.0 (its training images: academic research use only)",
    )
)
register(
    ModelCard(
        name="zero_dce_synthetic",
        summary="Zero-DCE trained without references on synthetic low light (BSD200 darkened; the clean photos never shown)",
        build=FAMILIES["zero_dce"],
        kwargs={},
        spec=_ZERO_DCE_SPEC,
        weights="zero_dce_synthetic.safetensors",
        data="BSD200 (its last 8 photos validate): 128² patches darkened as for hdrnet_lowlight, none left well exposed; "
             "only the dark patch is seen",
        recipe="recipes/zero_dce_synthetic.toml (as recipes/zero_dce.toml)",
        steps=1250,
        wall_time="17 min (1,030 s) on one CPU core, three runs sharing two cores",
        scores={_LOWLIGHT_SCORE: "11.63 / 13.23 (gamma 15.47 / 13.54)", _VALIDATION_SCORE: "11.92 (gamma 15.09, CLAHE 12.24: below both)"},
        paper=FAMILIES["zero_dce"].paper,
    )
)
register(
    ModelCard(
        name="hdrnet_tone",
        summary="HDRNet trained to copy the local Laplacian filter's tone mapping (local_laplacian_tone) at a fraction of its time",
        build=FAMILIES["hdrnet"],
        kwargs={},
        spec=_ENHANCE_SPEC,
        weights="hdrnet_tone.safetensors",
        data="BSD200 (its last 8 photos validate; never CBSD68): whole photos, landscape, 320×480, and the filter's output "
             "on each (HDRNet's operator protocol)",
        recipe="recipes/hdrnet_tone.toml (the operator objective: L2 to the filter's 8-bit output, AdamW 1e-3 cosine, "
               "batch 4, EMA 0.999)",
        steps=2000,
        wall_time="30 min (1,824 s) on one CPU core, three runs sharing two cores; stopped at step 2,000 of its 2,500 by the "
                  "session's clock (the EMA weights of that checkpoint)",
        scores={"CBSD68, PSNR to the filter's output": "36.64 (the unchanged photo 26.44)",
                "12-megapixel photo, one thread": "1.83 s against the filter's 19.9 s: 10.9×"},
        paper=FAMILIES["hdrnet"].paper + "; " + _PARIS,
    )
)
