"""The entries of the model zoo, one explicit ``register`` call each.

Scores are measured by the ``darkroom bench`` commands written in BENCHMARKS.md.
"""

from __future__ import annotations

from darkroom.classical import BM3D, BilateralDenoiser, GaussianDenoiser, Interpolate, NonLocalMeans
from darkroom.engine import ModelSpec
from darkroom.nets import (EDSR, ESPCN, FSRCNN, SRCNN, BlindDenoiser, ConvAutoencoder, DnCNN, FFDNet, GuidedOpponentFFDNet,
                           TransformerNet)
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
        spec=ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=31, tile=512, bf16=True, conditioned=True, channels_last=True),
        weights="ffdnet_gray.safetensors",
        data="stages 1-3: Train400 (400 gray 180×180 images; last 8 held out for validation); GPU stage: Train400 + "
             "BSD200 in gray (BSDS300's training split; the last 12 held out for validation), never BSD68",
        recipe="stage 1: recipes/ffdnet_gray.toml, 5,000 steps, σ uniform in [0, 75] (history: clipping at 1.0 until "
               "step 1250, then off; cosine horizon 6000 steps until step 3000, then 5000; batch 16 of 64×64, L1, "
               "AdamW 1e-3, EMA 0.999); stage 2: recipes/ffdnet_gray_finetune.toml from stage 1's weights, 9,000 steps "
               "(2,000, then resumed with a cosine horizon of 9,000), half the patches with σ in [0, 30], AdamW 3e-4; "
               "stage 3: recipes/ffdnet_gray_stage3.toml from stage 2's weights, 13,000 steps on 96×96 patches in "
               "batches of 8, AdamW 3e-4; GPU stage: recipes/ffdnet_gray_gpu.toml from stage 3's weights, 18,000 steps "
               "in batches of 128 patches of 96×96 cut on the GPU, AdamW 5e-4, step count set by --minutes 8",
        steps=45000,
        wall_time="stage 1: 101 min on 2 CPU cores shared with other work; stage 2: 58 min (3,456 s) on one core; "
                  "stage 3: 76 min (4,551 s) on one core; GPU stage: 7.2 min (433 s) on one lent NVIDIA H200, "
                  "shared with ffdnet_color's GPU stage",
        scores={"BSD68 σ=15 / 25 / 50 PSNR": "31.26 / 28.80 / 25.86", "BM3D, same run": "31.14 / 28.62 / 25.69",
                "BSD68 s/image (481×321), 1 thread (NHWC)": "0.192 (BM3D 3.84: 20.0× faster)",
                "BSD68 with --self-ensemble 8": "31.36 / 28.89 / 25.93 at 1.541 s/image (2.5× faster than BM3D)",
                "stage 3 (before the GPU stage), BSD68": "30.97 / 28.53 / 25.48"},
        paper="Zhang, Zuo, Zhang, 'FFDNet: Toward a Fast and Flexible Solution for CNN-Based Image Denoising', IEEE TIP 2018",
    )
)

register(
    ModelCard(
        name="ffdnet_color",
        summary="colour denoiser, one model for σ in [0, 75]: the gray FFDNet body on each opponent channel, guided by the noisy mean channel",
        build=GuidedOpponentFFDNet,
        kwargs={"depth": 15, "features": 64},
        spec=ModelSpec("denoise", 3, 3, size_multiple=2, receptive_radius=31, tile=512, bf16=True, conditioned=True, channels_last=True),
        weights="ffdnet_color.safetensors",
        data="stage 1: BSD200 + T91 in colour (the last 8 T91 images held out for validation), from ffdnet_gray's "
             "stage 2 (Train400); GPU stage: BSD200 (the last 8 held out), never CBSD68",
        recipe="stage 1: recipes/ffdnet_color.toml from ffdnet_gray's stage-2 weights: 11,000 steps, batch 8 of 64×64, half the "
               "patches with σ in [0, 30], L1, AdamW 3e-4, EMA 0.999 (cosine horizon 12,000 steps until step 2,750, "
               "15,000 until 8,500, then 11,000); GPU stage: recipes/ffdnet_color_gpu.toml from stage 1's weights, "
               "21,500 steps in batches of 64 colour patches of 96×96 cut on the GPU, AdamW 3e-4 (cosine horizon "
               "23,500 set by --minutes 8 until step 15,000, where the call's time ran out; resumed with --minutes 2.5, "
               "horizon 21,500)",
        steps=32500,
        wall_time="stage 1: 87 min (5,243 s) on one core; GPU stage: 10.8 min (650 s as its log counts, without the seconds "
                  "after step 15,000 that the stopped first call lost) on one lent NVIDIA H200, the first 7.2 min shared with ffdnet_gray's GPU stage",
        scores={"CBSD68 σ=25 PSNR (RGB)": "30.84", "CBM3D, same run": "30.80",
                "ffdnet_gray in the opponent space, same run": "30.81",
                "stage 1 (before the GPU stage)": "30.47",
                "CBSD68 s/image (481×321), 1 thread (NHWC)": "0.595 (CBM3D 12.29: 20.7× faster)"},
        paper="Zhang, Zuo, Zhang, 'FFDNet', IEEE TIP 2018; luminance-guided chroma as in Dabov et al., 'Color image "
              "denoising via sparse 3D collaborative filtering with grouping constraint in luminance-chrominance space', ICIP 2007",
    )
)

register(
    ModelCard(
        name="dncnn_gray_s25",
        summary="DnCNN-S for gray images at σ = 25 (17 layers, 64 features, BN, residual), the paper's network",
        build=DnCNN,
        kwargs={"channels": 1, "depth": 17, "features": 64},
        spec=ModelSpec("denoise", 1, 1, size_multiple=1, receptive_radius=17, tile=512, bf16=True, channels_last=True),
        weights="dncnn_gray_s25.safetensors",
        data="Train400 (400 gray 180×180 images; last 8 held out for validation), AWGN σ = 25",
        recipe="recipes/dncnn_gray_s25.toml: 4,000 steps, batch 16 of 40×40 (the paper: 128), MSE, AdamW 1e-3 "
               "with a cosine schedule, EMA 0.999 (paused at step 1,500 and resumed)",
        steps=4000,
        wall_time="36 min (2,144 s) on one core",
        scores={"BSD68 / Set12 σ=25 PSNR": "28.12 / 28.77", "ffdnet_gray, same run": "28.80 / 29.74",
                "published DnCNN-S": "29.23 / 30.44",
                "BSD68 s/image, 1 thread (NHWC)": "1.80 (ffdnet_gray 0.24: 7.5× faster)"},
        paper="Zhang, Zuo, Chen, Meng, Zhang, 'Beyond a Gaussian Denoiser: Residual Learning of Deep CNN for Image "
              "Denoising', IEEE TIP 2017",
    )
)

register(
    ModelCard(
        name="dncnn_color_s25",
        summary="Colour DnCNN at σ = 25 (20 layers, 64 features, BN, residual, on RGB), the paper's colour depth",
        build=DnCNN,
        kwargs={"channels": 3, "depth": 20, "features": 64},
        spec=ModelSpec("denoise", 3, 3, size_multiple=1, receptive_radius=20, tile=512, bf16=True, channels_last=True),
        weights="dncnn_color_s25.safetensors",
        data="BSD200 + T91 (colour; last 8 held out for validation), AWGN σ = 25; never CBSD68",
        recipe="recipes/dncnn_color_s25.toml: 4,000 steps, batch 16 of 40×40 (the paper's CDnCNN-B: 128 of 50×50, "
               "σ in [0, 55]), MSE, AdamW 1e-3 with a cosine schedule, EMA 0.999",
        steps=4000,
        wall_time="48 min (2,874 s) on one core, sharing the machine with a benchmark",
        scores={"CBSD68 σ=25 PSNR": "28.87", "ffdnet_color, same run": "30.84", "published CDnCNN-B": "31.24",
                "CBSD68 s/image, 1 thread (NHWC)": "2.16 (ffdnet_color 0.77: 2.8× faster)",
                "continued to step 12,000 / fine-tuned with blown highlights (not shipped)":
                    "29.08 / 30.06 on CBSD68, but 7 sky photos lose up to 13.5 / 5.5 dB (BENCHMARKS.md)"},
        paper="Zhang, Zuo, Chen, Meng, Zhang, 'Beyond a Gaussian Denoiser: Residual Learning of Deep CNN for Image "
              "Denoising', IEEE TIP 2017",
    )
)

register(
    ModelCard(
        name="cbdnet_gray",
        summary="blind gray denoiser: CBDNet-style noise-estimation subnet in front of ffdnet_gray (σ̂ map × strength)",
        build=BlindDenoiser,
        kwargs={"channels": 1, "depth": 15, "features": 64, "level_bins": 2, "level_band": (0.1, 0.5)},
        spec=ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=51, tile=512, bf16=True, conditioned=True, blind=True, channels_last=True),
        weights="cbdnet_gray.safetensors",
        data="estimator: Train400 patches with AWGN σ ∈ [0, 75] and BSD200 colour patches through the camera-noise "
             "pipeline (optional JPEG), one channel kept; denoiser: the frozen ffdnet_gray (its GPU stage, as shipped; its own copy)",
        recipe="stage 1: python -m darkroom.train.noise_estimator --out checkpoints/cbdnet_gray --steps 3000 --smoothing 0 "
               "(asymmetric loss α = 0.3 + 0.05 × TV, AdamW one-cycle 1e-3, batch 16 of 64×64); stages 2–4: CBDNet's joint "
               "loss through the frozen ffdnet_gray (2: map averaged over 31×31; 3: pooled per brightness, interquartile; "
               "4: pooled per brightness, quantiles 0.1–0.5; 5: as 4, through ffdnet_gray's GPU stage), commands in "
               "checkpoints/README.md",
        steps=10500,
        wall_time="stage 1: 21 min on 2 CPU cores shared with the test suite; stages 2, 3, 4, 5: 11.7, 9.5, 13.2 and 12.9 min "
                  "on one core",
        scores={"BSD68 σ=15 / 25 / 50 PSNR (blind)": "30.71 / 28.46 / 25.81",
                "ffdnet_gray told the true σ, same run": "31.26 / 28.80 / 25.86",
                "CBSD68 camera noise (12 images, opponent space)": "24.81"},
        paper="Guo, Yan, Zhang, Zuo, Zhang, 'Toward Convolutional Blind Denoising of Real Photographs', CVPR 2019",
    )
)

register(
    ModelCard(
        name="cbdnet_color",
        summary="blind colour denoiser: the CBDNet-style estimator on each channel, pooled per brightness, in front of "
                "a copy of ffdnet_color fine-tuned on camera noise (σ̂ map × strength)",
        build=BlindDenoiser,
        kwargs={"channels": 3, "depth": 15, "features": 64, "level_bins": 4},
        spec=ModelSpec("denoise", 3, 3, size_multiple=2, receptive_radius=51, tile=512, bf16=True, conditioned=True, blind=True, channels_last=True),
        weights="cbdnet_color.safetensors",
        data="BSD200 + T91 colour patches, half with AWGN σ ∈ [0, 75], half through the camera-noise pipeline (half of "
             "those JPEG-compressed); estimator from cbdnet_gray's joint stage, denoiser from ffdnet_color",
        recipe="python -m darkroom.train.noise_estimator --channels 3 --out checkpoints/cbdnet_color --steps 6000 "
               "--batch 8 --lr 5e-4 --reconstruction-weight 1 --asymmetric-weight 0.5 --level-bins 4 --train-denoiser "
               "--denoiser-lr 1e-4 --init checkpoints/cbdnet_gray_joint/checkpoint.pt (CBDNet's joint loss: squared error "
               "+ 0.5 × asymmetric α = 0.3 + 0.05 × TV; AdamW one-cycle, 64×64 patches; the denoiser learns too)",
        steps=6000,
        wall_time="59 min (3,532 s) on one core",
        scores={"CBSD68 camera noise (12 images), PSNR (RGB)": "28.30",
                "best single σ told, same run: CBM3D / ffdnet_color": "25.47 / 25.32",
                "CBSD68 AWGN σ=15 / 25 / 50 (blind)": "32.19 / 29.89 / 27.11",
                "ffdnet_color told the true σ, same run": "33.56 / 30.84 / 27.55"},
        paper="Guo, Yan, Zhang, Zuo, Zhang, 'Toward Convolutional Blind Denoising of Real Photographs', CVPR 2019; noise "
              "level function after Liu, Szeliski, Kang, Zitnick, Freeman, TPAMI 2008",
    )
)

register(
    ModelCard(
        name="dae_mnist",
        summary="convolutional denoising autoencoder for 28×28 handwritten digits (survey 000's example)",
        build=ConvAutoencoder,
        kwargs={"channels": 1, "features": 32},
        spec=ModelSpec("denoise", 1, 1, size_multiple=4, receptive_radius=14, tile=0, bf16=False, channels_last=True),
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
_SR_BUILD = {"srcnn": SRCNN, "srcnn_multiscale": SRCNN, "fsrcnn": FSRCNN, "espcn": ESPCN, "edsr": EDSR}
_SR_KWARGS = {"srcnn": {"residual": True}, "srcnn_multiscale": {"residual": True}, "fsrcnn": {}, "espcn": {},
              "edsr": {"features": 32, "blocks": 8}}
# SRCNN and FSRCNN see luminance only, as in their papers; colour comes from bicubic
# (darkroom.tasks.upscale.run_upscaler).
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
    ("srcnn", 2): ("srcnn_x2.safetensors", "recipes/srcnn_x2.toml (from srcnn_multiscale)", 10000, "25 min (1,479 s) on one core, beside an EDSR run", {'Set5 ×2 PSNR/SSIM (Y)': '36.67 / 0.9547', 'Set14 ×2 PSNR/SSIM (Y)': '32.48 / 0.9076'}),
    ("srcnn", 3): ("srcnn_x3.safetensors", "recipes/srcnn_x3.toml (from srcnn_multiscale)", 15000, "38 min (2,300 s) on one core, beside an EDSR run", {'Set5 ×3 PSNR/SSIM (Y)': '32.71 / 0.9095', 'Set14 ×3 PSNR/SSIM (Y)': '29.33 / 0.8222'}),
    ("srcnn", 4): ("srcnn_x4.safetensors", "recipes/srcnn_x4.toml (from srcnn_multiscale)", 10000, "26 min (1,579 s) on one core, beside an EDSR run", {'Set5 ×4 PSNR/SSIM (Y)': '30.33 / 0.8617', 'Set14 ×4 PSNR/SSIM (Y)': '27.50 / 0.7527'}),
    ("fsrcnn", 2): ("fsrcnn_x2.safetensors", "recipes/fsrcnn_x2.toml (from fsrcnn_x3)", 15000, "14 min (815 s) on one core", {'Set5 ×2 PSNR/SSIM (Y)': '36.99 / 0.9566', 'Set14 ×2 PSNR/SSIM (Y)': '32.72 / 0.9094'}),
    ("fsrcnn", 3): ("fsrcnn_x3.safetensors", "recipes/fsrcnn_x3.toml", 170000, "80 min (4,775 s) on one core, the SRCNN run on the other", {'Set5 ×3 PSNR/SSIM (Y)': '32.97 / 0.9141', 'Set14 ×3 PSNR/SSIM (Y)': '29.49 / 0.8251'}),
    ("fsrcnn", 4): ("fsrcnn_x4.safetensors", "recipes/fsrcnn_x4.toml (from fsrcnn_x3)", 15000, "8 min (468 s) on one core", {'Set5 ×4 PSNR/SSIM (Y)': '30.71 / 0.8709', 'Set14 ×4 PSNR/SSIM (Y)': '27.69 / 0.7582'}),
    ("espcn", 2): ("espcn_x2.safetensors", "recipes/espcn_x2.toml", 4000, "14 min on 2 CPU cores shared with other runs", {'Set5 ×2 PSNR/SSIM (Y)': '34.86 / 0.9438', 'Set14 ×2 PSNR/SSIM (Y)': '31.28 / 0.8965'}),
    ("espcn", 3): ("espcn_x3.safetensors", "recipes/espcn_x3.toml", 10000, "42 min on 2 CPU cores shared with other runs", {'Set5 ×3 PSNR/SSIM (Y)': '31.34 / 0.8854', 'Set14 ×3 PSNR/SSIM (Y)': '28.34 / 0.8040'}),
    ("espcn", 4): ("espcn_x4.safetensors", "recipes/espcn_x4.toml", 4000, "10 min on 2 CPU cores shared with other runs", {'Set5 ×4 PSNR/SSIM (Y)': '29.13 / 0.8278', 'Set14 ×4 PSNR/SSIM (Y)': '26.56 / 0.7293'}),
    ("edsr", 2): ("edsr_x2.safetensors", "recipes/edsr_x2.toml (3000 steps, resumed with --steps 9000, 30000, then 40000)", 40000, "118 min (7,050 s): 47 min for the first 3,000 steps on shared cores, 71 min for the rest on one core", {'Set5 ×2 PSNR/SSIM (Y)': '37.52 / 0.9591', 'Set14 ×2 PSNR/SSIM (Y)': '33.13 / 0.9131'}),
    ("edsr", 3): ("edsr_x3.safetensors", "recipes/edsr_x3.toml (800 steps, resumed with --steps 3000, 15000, 35000, then 50000)", 50000, "72 min (4,297 s): 9 min for the first 800 steps on shared cores, 63 min for the rest on one core", {'Set5 ×3 PSNR/SSIM (Y)': '33.65 / 0.9212', 'Set14 ×3 PSNR/SSIM (Y)': '29.79 / 0.8322'}),
    ("edsr", 4): ("edsr_x4.safetensors", "recipes/edsr_x4.toml (800 steps, resumed with --steps 3000, 15000, then 35000)", 35000, "43 min (2,582 s): 8 min for the first 800 steps on shared cores, 35 min for the rest on one core", {'Set5 ×4 PSNR/SSIM (Y)': '31.36 / 0.8827', 'Set14 ×4 PSNR/SSIM (Y)': '28.06 / 0.7686'}),
}

for (_family, _scale), (_weights, _recipe, _steps, _wall, _scores) in _SR_RUNS.items():
    _channels = _SR_CHANNELS[_family]
    _net = _SR_BUILD[_family](scale=_scale, channels=_channels, **_SR_KWARGS[_family])
    register(
        ModelCard(
            name=f"{_family}_x{_scale}",
            summary=f"{_SR_SUMMARY[_family]} — ×{_scale}",
            build=_SR_BUILD[_family],
            kwargs={"scale": _scale, "channels": _channels, **_SR_KWARGS[_family]},
            spec=ModelSpec("upscale", _channels, _channels, scale=_scale, receptive_radius=_net.receptive_radius, tile=256, bf16=False,
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

# Fast style transfer: one transformation network per style, trained with
# `python -m darkroom.train.fast_style` under the feature network this machine has
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
for _name, (_image, _steps, _wall, _scores) in _STYLE_RUNS.items():
    register(
        ModelCard(
            name=_name,
            summary=f"fast style transfer in the style of {_image} (one forward pass, any size)",
            build=TransformerNet,
            kwargs={"width": 32, "blocks": 5},
            # instance norm takes statistics over the whole image: never tile
            spec=ModelSpec("stylize", 3, 3, size_multiple=4, tile=0, bf16=False),
            weights=f"style_{_name}.safetensors",
            data=f"content: random 128² crops (0.6–1 of the shorter side) of BSD200 + T91; style: "
                 f"fast_neural_style/style-images/{_image} at 384 px",
            recipe=f"python -m darkroom.train.fast_style --style {_image} --name style_{_name} --out "
                   f"checkpoints/style_{_name} --steps {_steps} --batch 4 --size 128 (Adam one-cycle 1e-3; "
                   "features: random multi-scale filters, content random3+random5, style 3…23 px)",
            steps=_steps,
            wall_time=_wall,
            scores=_scores,
            paper="Johnson, Alahi, Fei-Fei, 'Perceptual Losses for Real-Time Style Transfer and Super-Resolution', "
                  "ECCV 2016; instance norm (Ulyanov et al. 2016); resize-convolution (Odena et al. 2016)",
        )
    )
