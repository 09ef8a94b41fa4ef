"""JPEG artifact removal: the task record, its protocol against the published JPEG row, and
the classical baseline against the decoded JPEG on real images."""

import pytest
import torch

from darkroom.benchmark import bench
from darkroom.errors import DarkroomError
from darkroom.tasks import DEJPEG
from darkroom.tasks.dejpeg import quality_request, through_gray
from darkroom.train import data_root

CLASSIC5 = data_root() / "classic5"
needs_data = pytest.mark.skipif(not CLASSIC5.is_dir(), reason="shared data not present")


@needs_data
def test_the_decoded_jpeg_scores_the_published_jpeg_row_on_classic5():
    # FBCNN's table, JPEG row on classic5 at q = 10 / 40: 27.82 / 32.43 dB
    rows = bench(DEJPEG, [CLASSIC5], ["jpeg"], [10, 40])
    assert [round(r.result.mean_psnr, 2) for r in rows] == [27.82, 32.43]
    assert all(r.result.mean_psnrb < r.result.mean_psnr for r in rows)  # a JPEG is blocky: PSNR-B below PSNR


def test_quality_requests_are_whole_numbers_from_1_to_100():
    assert quality_request(30).factor == 30 and quality_request(30, told=False).factor is None
    for bad in (0, 101, 12.5, "abc", float("nan")):
        with pytest.raises(DarkroomError, match="whole number from 1 to 100"):
            quality_request(bad)


def test_a_gray_model_on_colour_corrects_luminance_and_keeps_the_decoded_colour_differences():
    from darkroom.ops.color import rgb_to_gray

    x = torch.rand(1, 3, 16, 16, generator=torch.Generator().manual_seed(0))
    out = through_gray(lambda y, c: y * 0.5, x, None, None)
    assert torch.allclose(rgb_to_gray(out), rgb_to_gray(x) * 0.5, atol=1e-6)
    assert torch.allclose(out - rgb_to_gray(out), x - rgb_to_gray(x), atol=1e-6)


@needs_data
def test_bm3d_deblocking_beats_the_decoded_jpeg_on_a_real_photo():
    from darkroom.benchmark import load_clean
    from darkroom.classical import BM3DDeblock
    from darkroom.degrade.jpeg import jpeg_compress
    from darkroom.metrics import psnr, psnrb

    clean = load_clean(CLASSIC5 / "lena.bmp")[..., 192:320, 192:320]  # a 128×128 crop of a test image
    decoded = jpeg_compress(clean, 10)
    restored = (BM3DDeblock()(decoded, torch.full((1, 1, 1, 1), 0.10)) * 255).round() / 255
    # measured: +1.61 dB here; the σ rule was fitted on BSD200 training crops, not on classic5
    assert float(psnr(restored, clean) - psnr(decoded, clean)) > 1.0
    assert float(psnrb(restored, clean) - psnrb(decoded, clean)) > 1.0
