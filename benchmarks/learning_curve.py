"""Print a run's learning curve (validation PSNR against step and wall time) as Markdown.

    python benchmarks/learning_curve.py runs/ffdnet_gray
"""

import json
import sys
from pathlib import Path

run = Path(sys.argv[1])
records = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line]
print("| step | wall time (min) | validation PSNR (dB) |")
print("|---|---|---|")
for r in records:
    if "val_psnr" in r:
        print(f"| {r['step']} | {r['wall_s'] / 60:.1f} | {r['val_psnr']:.2f} |")
