"""Compare the numbers of two sets of rendered reports (a refactoring must not change them).

    .venv/bin/python benchmarks/compare_reports.py BASELINE_DIR NEW_DIR [--tahun 2024]

Both folders hold ``<tahun>/<area folder>/<laporan>.json`` and ``<laporan>-lampiran.xlsx``
(the layout of ``reports/``). For every report present in the baseline it compares

- the JSON's key figures (``angka_kunci``: value, CI, unit, source, label), key lists
  (``daftar_kunci``), recommendations (``rekomendasi``) and outline (ids and titles of
  sections, subsections, tables and figures);
- every cell of every sheet of the Excel annex (numbers exactly, text as text), except the
  render date on the ``Keterangan`` sheet.

It prints one line per difference and a summary; exit status 0 when nothing differs. Not a
benchmark (``run.py`` only discovers ``bench_*.py``): a check run by hand after a refactoring.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import openpyxl

OUTLINE = ("bagian", "subbagian", "tabel", "gambar")
#: Keys of the JSON that change on every render and are not compared.
VOLATILE = {"dibuat", "versi"}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def _diff_values(where: str, a: Any, b: Any, out: list[str]) -> None:
    """Recursive comparison of JSON values; appends one line per leaf that differs."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key in VOLATILE:
                continue
            if key not in a or key not in b:
                out.append(f"{where}.{key}: {'hilang di baru' if key in a else 'baru'}")
                continue
            _diff_values(f"{where}.{key}", a[key], b[key], out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} butir → {len(b)} butir")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff_values(f"{where}[{i}]", x, y, out)
    elif not _same(a, b):
        out.append(f"{where}: {a!r} → {b!r}")


def compare_json(old: dict, new: dict) -> list[str]:
    """Differences in key figures, key lists, recommendations and outline."""
    out: list[str] = []
    figures_old = {f["kode"]: f for f in old.get("angka_kunci", [])}
    figures_new = {f["kode"]: f for f in new.get("angka_kunci", [])}
    _diff_values("angka_kunci", figures_old, figures_new, out)
    if list(figures_old) != list(figures_new) and set(figures_old) == set(figures_new):
        out.append("angka_kunci: urutan berubah")
    lists_old = {f["kode"]: f for f in old.get("daftar_kunci", [])}
    lists_new = {f["kode"]: f for f in new.get("daftar_kunci", [])}
    _diff_values("daftar_kunci", lists_old, lists_new, out)
    _diff_values("rekomendasi", old.get("rekomendasi", []), new.get("rekomendasi", []), out)
    for part in OUTLINE:
        _diff_values(part, old.get(part, []), new.get(part, []), out)
    for key in ("laporan", "judul", "aksi", "kab", "wilayah", "tahun", "sumber"):
        _diff_values(key, old.get(key), new.get(key), out)
    return out


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def compare_xlsx(old: Path, new: Path) -> list[str]:
    """Cell-by-cell differences of two annex workbooks (render date excluded)."""
    a, b = _sheets(old), _sheets(new)
    out: list[str] = []
    if list(a) != list(b):
        out.append(f"lembar: {list(a)} → {list(b)}")
    for name in a:
        if name not in b:
            continue
        rows_a, rows_b = a[name], b[name]
        if len(rows_a) != len(rows_b):
            out.append(f"[{name}] {len(rows_a)} baris → {len(rows_b)} baris")
        for i, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=False), start=1):
            if name == "Keterangan" and ra and ra[0] == "Disusun":
                continue
            if len(ra) != len(rb):
                out.append(f"[{name}] baris {i}: {len(ra)} kolom → {len(rb)} kolom")
            for j, (x, y) in enumerate(zip(ra, rb, strict=False), start=1):
                if not _same(x, y):
                    out.append(f"[{name}] baris {i} kolom {j}: {x!r} → {y!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("baru", type=Path)
    parser.add_argument("--tahun", default="2024")
    args = parser.parse_args(argv)
    base = args.baseline / args.tahun
    new = args.baru / args.tahun
    total = 0
    reports = sorted(p for p in base.glob("*/*.json") if not p.name.startswith("."))
    for path in reports:
        rel = path.relative_to(base)
        other = new / rel
        if not other.is_file():
            print(f"{rel}: tidak ada di hasil baru")
            total += 1
            continue
        diffs = compare_json(json.loads(path.read_text(encoding="utf-8")),
                             json.loads(other.read_text(encoding="utf-8")))
        annex = path.with_name(path.stem + "-lampiran.xlsx")
        if annex.is_file():
            diffs += compare_xlsx(annex, other.with_name(annex.name))
        for line in diffs:
            print(f"{rel}: {line}")
        total += len(diffs)
    print(f"{len(reports)} laporan dibandingkan, {total} perbedaan.")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
