"""Atomic outputs: render into a temporary folder, then rename into place.

A report is rendered into ``<reports>/<tahun>/.sementara/<folder>.<laporan>.<random>/``
(same file system as the destination, so ``os.replace`` is atomic). When every
step succeeded, :func:`publish` removes the report's cache stamp, moves each file
into the report folder with ``os.replace`` (a reader sees the old file or the new
one, never half a file) and the caller writes the stamp last. On failure the
temporary folder is deleted: nothing half-written is ever left in ``reports/``.

A process that is killed cannot delete its staging folder. Each staging folder therefore
holds an owner file locked (``flock``) by the rendering process for as long as it lives;
:func:`clean_abandoned`, run before every batch, removes the folders whose lock is free
(their owner is gone), never one that a concurrent run is still writing. Where ``flock`` is
not available, folders older than :data:`ABANDONED_AFTER` seconds count as abandoned.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP_FOLDER = ".sementara"
#: The file in a staging folder that its rendering process keeps locked.
OWNER_FILE = ".pemilik"
#: Without ``flock``: age (seconds) after which a staging folder is taken as abandoned.
ABANDONED_AFTER = 6 * 3600


def _lock(folder: Path) -> int | None:
    """Create and lock ``folder/OWNER_FILE``; the descriptor stays open while the process lives."""
    fd = os.open(folder / OWNER_FILE, os.O_CREAT | os.O_RDWR, 0o600)
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a file system without flock: the folder's age decides instead
            pass
    os.write(fd, str(os.getpid()).encode())
    return fd


@contextmanager
def staging(out_dir: Path, laporan: str) -> Iterator[Path]:
    """A temporary folder next to ``out_dir``, removed afterwards whatever happens."""
    root = out_dir.parent / TEMP_FOLDER
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.{laporan}.", dir=root))
    fd = None
    try:
        fd = _lock(tmp)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if fd is not None:
            os.close(fd)


def _abandoned(folder: Path) -> bool:
    owner = folder / OWNER_FILE
    if fcntl is None or not owner.is_file():
        # no lock to ask (Windows, or killed between mkdtemp and the lock): go by age
        try:
            return time.time() - folder.stat().st_mtime > (ABANDONED_AFTER if fcntl is None else 60)
        except OSError:
            return False
    try:
        fd = os.open(owner, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its owner is alive and rendering
    finally:
        os.close(fd)  # closing releases the lock we may have taken
    return True


def clean_abandoned(out_dirs: list[Path]) -> list[Path]:
    """Remove staging folders next to ``out_dirs`` whose rendering process is gone; return them."""
    removed: list[Path] = []
    for root in {d.parent / TEMP_FOLDER for d in out_dirs}:
        try:
            folders = [p for p in root.iterdir() if p.is_dir()]
        except OSError:
            continue
        for folder in folders:
            if _abandoned(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


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
