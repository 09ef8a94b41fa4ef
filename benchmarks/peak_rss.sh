#!/usr/bin/env bash
# Peak resident memory and wall time of the CLI on a 6000×4000 RGB photo through the shipped
# ~0.5 M-parameter denoiser (tiled engine), measured with /usr/bin/time -v.
#   bash benchmarks/peak_rss.sh
set -euo pipefail
big=${TMPDIR:-/tmp}/darkroom_big_6000x4000.png
python benchmarks/make_big_photo.py "$big" 6000 4000
rm -f "${big%.png}_out.png"
/usr/bin/time -v darkroom denoise "$big" -o "${big%.png}_out.png" --sigma 15 --model ffdnet_gray 2>&1 \
  | grep -E "wrote|Maximum resident set size|Elapsed \(wall clock\)"
