"""The Typer application, its shared options, and reading/writing many images for a command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from darkroom.errors import DarkroomError

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Deep-learning image restoration, recognition and generation on an ordinary CPU.")
# Nothing printed is console markup: paths and names are the user's text ("photo [copy].png"), and a
# line is never wrapped, so a log keeps one line per file whatever the terminal's width.
out_console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
err_console = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)

OUT_OF_MEMORY = "out of memory; give a smaller --tile (e.g. --tile 256) or a lower --max-pixels, or close other programs"


def is_out_of_memory(exc: BaseException) -> bool:
    """NumPy's MemoryError, or torch's allocator failing (a RuntimeError on the CPU, OutOfMemoryError on a GPU)."""
    return isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError" or (
        isinstance(exc, RuntimeError) and ("can't allocate memory" in str(exc) or "DefaultCPUAllocator" in str(exc)))


def _print_version(value: bool) -> None:
    if value:
        from darkroom import __version__

        out_console.print(f"darkroom {__version__}", highlight=False, markup=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Deep-learning image restoration, recognition and generation on an ordinary CPU."""

Inputs = Annotated[list[str], typer.Argument(help="Image files, folders or glob patterns.")]
Output = Annotated[Path, typer.Option("-o", "--output", help="Output file (one input) or folder.")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace existing outputs (even an input file).")]
MaxPixels = Annotated[Optional[int], typer.Option("--max-pixels", help="Refuse images with more pixels than this (decompression-bomb guard).")]
Tile = Annotated[Optional[int], typer.Option("--tile", help="Tile side in pixels (0: whole image at once).")]
Precision = Annotated[str, typer.Option("--precision", help="auto, the default (bf16 where this machine computes it natively and the model keeps its scores, else fp32), fp32, bf16, or fp16 (CUDA).")]
Device = Annotated[Optional[str], typer.Option("--device", help="cpu or cuda (default: cpu).")]
SelfEnsemble = Annotated[int, typer.Option("--self-ensemble", help="Average 1, 2, 4 or 8 flipped/rotated runs (n× the time).")]


def check_self_ensemble(n: int) -> None:
    """Fail on a bad --self-ensemble before any file is read."""
    from darkroom.ops.geometry import ensemble_transforms

    ensemble_transforms(n, "--self-ensemble")


def output_paths(files: list[Path], output: Path) -> list[Path]:
    from darkroom.io.image import WRITABLE

    suffix = output.suffix.lower()
    if output.is_dir():  # an existing folder, whatever its name (even "shots.png")
        pass
    elif suffix and suffix not in WRITABLE:  # out.gif, out.xyz: never a folder made by mistake
        raise DarkroomError(f"-o {output}: darkroom does not write {output.suffix} files; name a "
                            f"{', '.join(sorted(WRITABLE))} file, or a folder (create it first if its name has a dot)")
    elif len(files) == 1 and suffix in WRITABLE:
        return [output]
    if suffix in WRITABLE and not output.is_dir():
        raise DarkroomError(f"{len(files)} inputs need a folder for -o, not the file name {output}")
    if output.exists() and not output.is_dir():
        raise DarkroomError(f"{output} is a file; with several inputs, -o must name a folder")
    names = [f.name if f.suffix.lower() in WRITABLE else f.stem + ".png" for f in files]
    if len(set(names)) != len(names):
        raise DarkroomError("two inputs share a file name; process them into separate folders")
    return [output / n for n in names]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def process_images(inputs: list[str], output: Path, overwrite: bool, max_pixels: int | None, transform, verb: str) -> None:
    """Read → transform (the ``ImageFile`` and its path, to pixels) → write each input; skip finished outputs; report per-file
    errors and go on."""
    from darkroom.io import DEFAULT_MAX_PIXELS, list_images, read_image, write_image
    from darkroom.io.image import SameOutputExists, remove_stale_parts

    files = list_images(inputs)
    targets = output_paths(files, output)
    if not overwrite:  # an input is never replaced unless asked, and saying "skip" would hide that nothing was done
        clash = next((dst for src, dst in zip(files, targets) if dst.exists() and _same_file(src, dst)), None)
        if clash is not None:
            raise DarkroomError(f"{clash} is an input and the output; choose another -o, or pass --overwrite to replace it")
    failures = 0
    limit = DEFAULT_MAX_PIXELS if max_pixels is None else max_pixels
    for folder in {dst.parent for dst in targets}:
        remove_stale_parts(folder)
    with Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task(verb, total=len(files))
        for src, dst in zip(files, targets):
            bar.update(task, description=f"{verb} {src.name}")
            if dst.exists() and not overwrite:
                err_console.print(f"skip {dst} (exists; --overwrite to redo)")
                bar.advance(task)
                continue
            try:
                img = read_image(src, max_pixels=limit)
                for note in img.notes:
                    err_console.print(f"warning: {src}: {note}")
                result = transform(img, src)
                for note in write_image(dst, result, exif=img.exif, icc_profile=img.icc_profile, overwrite=overwrite):
                    err_console.print(f"warning: {dst}: {note}")
                err_console.print(f"wrote {dst}")
            except SameOutputExists:  # another darkroom run over the same folder finished this file meanwhile
                err_console.print(f"skip {dst} (written meanwhile by another run)")
            except DarkroomError as exc:
                failures += 1
                message = str(exc)
                err_console.print(f"error: {message if message.startswith(str(src)) else f'{src}: {message}'}")
            except (MemoryError, RuntimeError) as exc:
                if not is_out_of_memory(exc):
                    raise
                failures += 1
                err_console.print(f"error: {src}: {OUT_OF_MEMORY}")
            bar.advance(task)
    if failures:
        raise typer.Exit(1)
