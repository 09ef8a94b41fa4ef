"""Run the `darkroom` CLI on every bad or awkward input of tests/badfiles.py and print a
Markdown table of exit codes and messages (the table in docs/bad_inputs.md).

    python benchmarks/bad_inputs.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from badfiles import CASES, make_files  # noqa: E402

folder = Path(tempfile.mkdtemp())
print("| input | command | exit | what the CLI printed (stderr) | output |")
print("|---|---|---|---|---|")
for name, template, _, _, expected in CASES:
    make_files(folder)
    (folder / "out.png").unlink(missing_ok=True)
    args = template.format(d=folder).split()
    done = subprocess.run([sys.executable, "-m", "darkroom.cli", *args], capture_output=True, text=True)
    message = " ".join(done.stderr.split()).replace(str(folder) + "/", "").replace("|", "\\|")
    output = "-"
    if expected and (folder / "out.png").exists():
        from darkroom.io import read_image

        img = read_image(folder / "out.png")
        output = f"{img.pixels.shape}, {img.pixels.dtype}" + (", alpha" if img.has_alpha else "")
    shown = "darkroom " + " ".join("." if a == str(folder) else a.replace(str(folder) + "/", "") for a in args)
    print(f"| {name} | `{shown}` | {done.returncode} | {message} | {output} |")
