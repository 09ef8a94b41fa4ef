#!/usr/bin/env bash
# Peak resident memory and wall time of `darkroom dejpeg` (the default, dejpeg_unet, tiled
# engine) on a 4000×3000 (12-megapixel) colour photo saved as a JPEG at quality 20, measured
# with /usr/bin/time -v; then the same photo through ARCNN (its q = 20 model, luminance).
#   bash benchmarks/dejpeg_big_photo.sh      # in the activated venv
set -euo pipefail
big=${TMPDIR:-/tmp}/darkroom_big_4000x3000.png
python benchmarks/make_big_photo.py "$big" 4000 3000
python -c "from PIL import Image; Image.open('$big').save('${big%.png}_q20.jpg', quality=20)"
for model in dejpeg_unet arcnn; do
  rm -f "${big%.png}_$model.png"
  /usr/bin/time -v darkroom dejpeg "${big%.png}_q20.jpg" -o "${big%.png}_$model.png" --model $model 2>&1 \
    | grep -E "wrote|Maximum resident set size|Elapsed \(wall clock\)"
done
