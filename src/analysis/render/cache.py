"""Cache keys: rerun a report only when one of its inputs changed.

The key of a report is the SHA-256 of: the checksums of every data file the
report may read (the whole folder of each district involved, all years), the
parameter values, the template's bytes, the package version, a digest of the
package's own files (code, layout templates, rules kept as data under
``src/analysis``), of ``analysis/data/config`` and of the reference manifest, and the
requested formats. Never the template alone: a changed data file, parameter,
weight in ``analysis/data/config`` or line of analysis code re-renders, so a report is
never silently stale after an update that kept the version number. The key is stored next to the
outputs (``.<laporan>.kunci.json``) and written last, so an interrupted render
is redone.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from analysis import __version__, config
from analysis.checksum import sha256_file
from analysis.render import atomic

#: Files that are never inputs (editor and OS litter).
_IGNORED = {".DS_Store", "Thumbs.db"}


_DIGESTS: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (remembered per process while size and mtime are unchanged)."""
    stat = path.stat()
    memo = (str(path), stat.st_size, stat.st_mtime_ns)
    if memo not in _DIGESTS:
        _DIGESTS[memo] = sha256_file(path)
    return _DIGESTS[memo]


def input_files(folders: list[Path]) -> list[Path]:
    """Every data file under the given folders (sorted, hidden files ignored)."""
    files: list[Path] = []
    for folder in folders:
        if folder.is_file():
            files.append(folder)
        elif folder.is_dir():
            files.extend(p for p in folder.rglob("*") if p.is_file() and p.name not in _IGNORED
                         and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return sorted(set(files))


#: Suffixes of the package files whose content can change a report.
_CODE_SUFFIXES = {".py", ".yaml", ".yml", ".csv", ".css", ".typ", ".j2", ".html", ".tpl", ".json"}


@cache
def code_digest() -> str:
    """Digest of the package version, its code and data files, ``analysis/data/config`` and the reference manifest."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    # Reference files are covered by their checksums in the manifest (hashing the manifest is
    # enough and keeps tens of MB of boundaries out of every start-up).
    files = [p for p in sorted(package.rglob("*"))
             if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts
             and not p.is_relative_to(config.REFERENCE_DIR)]
    files += [p for p in sorted(config.CONFIG_DIR.glob("*.yaml")) if p not in files]
    manifest = config.REFERENCE_DIR / "manifest.csv"
    if manifest.is_file():
        files.append(manifest)
    for path in files:
        # names relative to their folder, so moving the checkout keeps the key
        base = package if path.is_relative_to(package) else path.parent
        h.update(path.relative_to(base).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def cache_key(*, laporan: str, values: dict, template: Path, data_files: list[Path],
              data_root: Path, formats: tuple[str, ...]) -> str:
    """The cache key of one report (see the module docstring)."""
    payload = {
        "laporan": laporan,
        "parameter": {k: v for k, v in sorted(values.items()) if k != "output_dir"},
        "templat": file_digest(template),
        "data": {str(p.relative_to(data_root)) if p.is_relative_to(data_root) else str(p): file_digest(p)
                 for p in data_files},
        "versi": __version__,
        "kode": code_digest(),
        "format": sorted(formats),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def stamp_path(out_dir: Path, laporan: str) -> Path:
    """Where the key of a rendered report is kept."""
    return out_dir / f".{laporan}.kunci.json"


def is_fresh(out_dir: Path, laporan: str, key: str, outputs: list[str]) -> bool:
    """True if the stored key equals ``key`` and every output file exists with its recorded size.

    A stamp that is truncated or unreadable, or an output whose size differs from the one
    recorded when it was published (a file cut short by a full disk, a copy interrupted by
    hand), makes the report stale, so the next run renders it again and replaces both.
    """
    stamp = stamp_path(out_dir, laporan)
    try:
        stored = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(stored, dict) or stored.get("kunci") != key:
        return False
    sizes = stored.get("ukuran")
    if not isinstance(sizes, dict):
        return False
    for name in outputs:
        try:
            if (out_dir / name).stat().st_size != sizes.get(name):
                return False
        except OSError:
            return False
    return True


def write_stamp(out_dir: Path, laporan: str, key: str, outputs: list[str]) -> None:
    """Record ``key`` and the size of each output for a report whose outputs were just written."""
    sizes = {name: (out_dir / name).stat().st_size for name in outputs}
    atomic.write_text(stamp_path(out_dir, laporan),
                      json.dumps({"kunci": key, "keluaran": outputs, "ukuran": sizes}, indent=1))
