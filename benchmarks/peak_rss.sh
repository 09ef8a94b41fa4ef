#!/usr/bin/env bash
# Peak resident memory and wall time of the CLI on a 6000×4000 RGB photo through a shipped
# ~0.5 M-parameter denoiser (tiled engine), measured with /usr/bin/time -v. Arguments go to
# `darkroom denoise`; without any, the photo takes the no-σ default (the blind cbdnet_color).
#   bash benchmarks/peak_rss.sh
#   bash benchmarks/peak_rss.sh --sigma 15 --model ffdnet_gray
set -euo pipefail
big=${TMPDIR:-/tmp}/darkroom_big_6000x4000.png
python benchmarks/make_big_photo.py "$big" 6000 4000
rm -f "${big%.png}_out.png"
/usr/bin/time -v darkroom denoise "$big" -o "${big%.png}_out.png" "$@" 2>&1 \
  | grep -E "wrote|Maximum resident set size|Elapsed \(wall clock\)"
