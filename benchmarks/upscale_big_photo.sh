#!/usr/bin/env bash
# Peak resident memory and wall time of `darkroom upscale --scale 2` (the default upscaler,
# tiled engine) on a 4000×3000 RGB photo, measured with /usr/bin/time -v; then a crop across
# a tile boundary, tiled vs untiled (benchmarks/tile_seam_crop.py).
#   bash benchmarks/upscale_big_photo.sh      # in the activated venv
set -euo pipefail
big=${TMPDIR:-/tmp}/darkroom_big_4000x3000.png
python benchmarks/make_big_photo.py "$big" 4000 3000
rm -f "${big%.png}_x2.png"
/usr/bin/time -v darkroom upscale "$big" -o "${big%.png}_x2.png" --scale 2 2>&1 \
  | grep -E "wrote|Maximum resident set size|Elapsed \(wall clock\)"
python benchmarks/tile_seam_crop.py "$big" "${big%.png}_x2.png"
