"""Atomic outputs: render into a temporary folder, then rename into place.

A report is rendered into ``<reports>/<tahun>/.sementara/<folder>.<laporan>.<random>/``
(same file system as the destination, so ``os.replace`` is atomic). When every
step succeeded, :func:`publish` removes the report's cache stamp, moves each file
into the report folder with ``os.replace`` (a reader sees the old file or the new
one, never half a file) and the caller writes the stamp last. On failure the
temporary folder is deleted: nothing half-written is ever left in ``reports/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

TEMP_FOLDER = ".sementara"


@contextmanager
def staging(out_dir: Path, laporan: str):
    """A temporary folder next to ``out_dir``, removed afterwards whatever happens."""
    root = out_dir.parent / TEMP_FOLDER
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.{laporan}.", dir=root))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tidy(out_dirs: list[Path]) -> None:
    """Remove the empty staging folders next to ``out_dirs`` (after a batch: no race with workers)."""
    for root in {d.parent / TEMP_FOLDER for d in out_dirs}:
        try:
            root.rmdir()  # only if empty
        except OSError:
            pass


def publish(tmp: Path, out_dir: Path, names: list[str], stamp: Path | None = None) -> list[Path]:
    """Move ``names`` from ``tmp`` into ``out_dir`` (each with an atomic rename)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if stamp is not None:
        stamp.unlink(missing_ok=True)
    moved = []
    for name in names:
        target = out_dir / name
        os.replace(tmp / name, target)
        moved.append(target)
    return moved


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically (temporary file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
