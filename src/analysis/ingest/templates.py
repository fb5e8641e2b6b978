"""Blank Excel templates for the data package (``templates/*.xlsx``), written from the schemas.

One workbook per table (header row, column formats, drop-down lists for coded columns, and a
``Petunjuk`` sheet explaining each column) and one for the e-PPGBM export. Regenerate with
``python -m analysis.ingest.templates``; the files are deterministic (fixed document date), so
an unchanged schema gives byte-identical files. Written through :func:`analysis.safeio.xlsx_workbook`:
no schema text (examples, notes) can become a formula or a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analysis import config, safeio
from analysis.ingest import parsing
from analysis.ingest.eppgbm import column_spec
from analysis.ingest.tables import TABLES, columns

#: Fixed document date, so that the files only change when the schema does.
DOCUMENT_DATE = dt.datetime(2024, 1, 1)
#: Rows prepared with validation and formats below the header.
PREPARED_ROWS = 500
_FORMATS = {"bulat": "0", "angka": "0.0", "rupiah": "#,##0", "tanggal": "dd/mm/yyyy"}
_TYPE_TEXT = {"teks": "teks", "kode": "kode (teks)", "pilihan": "pilihan", "bulat": "bilangan bulat",
              "angka": "angka", "rupiah": "rupiah", "tanggal": "tanggal"}


@contextmanager
def _workbook(path: Path) -> Iterator[Any]:
    with safeio.xlsx_workbook(path, properties={"title": path.stem, "author": "konvergensi",
                                                "created": DOCUMENT_DATE}) as wb:
        yield wb


def _instructions(wb, header: list[str], rows: list[list[str]]) -> None:
    ws = wb.add_worksheet("Petunjuk")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    for c, title in enumerate(header):
        safeio.write_cell(ws, 0, c, title, bold)
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            safeio.write_cell(ws, i, c, value)
    ws.set_column(0, 0, 28)
    ws.set_column(1, len(header) - 1, 24)


def write_table_template(name: str, out_dir: Path) -> Path:
    """Write ``<out_dir>/<name>.xlsx`` for one table of :data:`analysis.ingest.tables.TABLES`."""
    spec = columns(name)
    path = out_dir / f"{name}.xlsx"
    with _workbook(path) as wb:
        _table_sheets(wb, name, spec)
    return path


def _table_sheets(wb, name: str, spec) -> None:
    ws = wb.add_worksheet(name[:31])
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for i, col in enumerate(parsing.records(spec)):
        safeio.write_cell(ws, 0, i, col.kolom, head)
        fmt = _FORMATS.get(col.tipe)
        ws.set_column(i, i, max(14, len(col.kolom) + 2), wb.add_format({"num_format": fmt}) if fmt else None)
        if col.nilai:
            ws.data_validation(1, i, PREPARED_ROWS, i, {"validate": "list", "source": col.nilai.split("|")})
        elif col.tipe in ("bulat", "angka", "rupiah") and col.min == col.min:
            rule = {"validate": "integer" if col.tipe == "bulat" else "decimal", "criteria": ">=",
                    "value": col.min}
            if col.max == col.max:
                rule = {**rule, "criteria": "between", "minimum": col.min, "maximum": col.max}
                rule.pop("value")
            ws.data_validation(1, i, PREPARED_ROWS, i, rule)
    ws.freeze_panes(1, 0)
    _instructions(wb, ["kolom", "jenis", "wajib", "boleh kosong", "nilai yang diperbolehkan", "contoh", "keterangan"],
                  [[c.kolom, _TYPE_TEXT[c.tipe], "ya" if c.wajib else "tidak", "ya" if c.boleh_kosong else "tidak",
                    _allowed(c), c.contoh, c.keterangan] for c in parsing.records(spec)])


def _allowed(col) -> str:
    if col.nilai:
        return ", ".join(col.nilai.split("|"))
    parts = []
    if col.min == col.min:
        parts.append(f">= {col.min:g}")
    if col.max == col.max:
        parts.append(f"<= {col.max:g}")
    if col.tidak_lebih_dari:
        parts.append(f"<= {col.tidak_lebih_dari}")
    if col.rujukan == "desa":
        parts.append("kode desa/kelurahan Kemendagri kabupaten/kota ini")
    elif col.rujukan == "indikator":
        parts.append("kode di analysis/data/reference/indikator.csv")
    elif col.rujukan == "layanan":
        parts.append("kode di analysis/data/reference/layanan_konvergensi.csv (sesuai kelompok)")
    return "; ".join(parts)


def write_eppgbm_template(out_dir: Path) -> Path:
    """Write ``<out_dir>/eppgbm.xlsx``: the export's headers in the export's order."""
    spec = column_spec()
    path = out_dir / "eppgbm.xlsx"
    with _workbook(path) as wb:
        _eppgbm_sheets(wb, spec)
    return path


def _eppgbm_sheets(wb, spec) -> None:
    ws = wb.add_worksheet("eppgbm")
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for i, col in enumerate(parsing.records(spec)):
        safeio.write_cell(ws, 0, i, col.judul, head)
        fmt = date if col.kolom in ("tgl_lahir", "tanggal_pengukuran") else text if col.kolom == "nik" else None
        ws.set_column(i, i, max(12, len(col.judul) + 2), fmt)
        if col.kolom == "jk":
            ws.data_validation(1, i, PREPARED_ROWS, i, {"validate": "list", "source": ["L", "P"]})
        if col.kolom == "cara_ukur":
            ws.data_validation(1, i, PREPARED_ROWS, i, {"validate": "list", "source": ["Berdiri", "Terlentang"]})
    ws.freeze_panes(1, 0)
    _instructions(wb, ["kolom", "wajib", "data pribadi (dibuang saat dibaca)", "judul lain yang dikenali",
                       "contoh", "keterangan"],
                  [[c.judul, "ya" if c.wajib else "tidak", "ya" if c.pribadi else "tidak",
                    ", ".join(a for a in c.alias.split("|") if a), c.contoh, c.keterangan]
                   for c in parsing.records(spec)])


def write_templates(out_dir: Path | None = None) -> list[Path]:
    """Write every template into ``out_dir`` (default ``config.TEMPLATES_DIR``)."""
    out_dir = Path(out_dir) if out_dir is not None else config.TEMPLATES_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_eppgbm_template(out_dir)] + [write_table_template(name, out_dir) for name in TABLES]


if __name__ == "__main__":  # pragma: no cover
    for written in write_templates():
        print(written)
