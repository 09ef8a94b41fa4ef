"""Print a run's learning curve (validation PSNR against step and wall time) as Markdown.

    python benchmarks/learning_curve.py runs/ffdnet_gray                       # a run folder (its log.jsonl)
    python benchmarks/learning_curve.py docs/lab/logs/edsr_x3.jsonl.gz        # a kept log
"""

import gzip
import json
import sys
from pathlib import Path

source = Path(sys.argv[1])
log = source / "log.jsonl" if source.is_dir() else source
text = gzip.decompress(log.read_bytes()).decode() if log.suffix == ".gz" else log.read_text()
records = [json.loads(line) for line in text.splitlines() if line]
print("| step | wall time (min) | validation PSNR (dB) |")
print("|---|---|---|")
for r in records:
    if "val_psnr" in r:
        print(f"| {r['step']} | {r['wall_s'] / 60:.1f} | {r['val_psnr']:.2f} |")
