"""Where a report goes: area codes, names, slugs and output folders.

An *area* is a district (Kemendagri code ``"64.74"``) or a province (``"64"``). Every
official report is written to ``reports/<tahun>/<code>-<slug>/<laporan>.*``:
``64.74-kota-bontang`` for a district, ``64-provinsi-kalimantan-timur`` for a province view.
An interactive run (a notebook opened in JupyterLab with ``output_dir`` empty) writes to the
scratch folder ``reports/.interaktif/<tahun>/<code>-<slug>/`` instead, so that trying things
never overwrites a published report (the portal ignores hidden folders).

Why a module of its own, outside both ``analysis.render`` and ``analysis.laporan``: the
renderer (which validates requests before anything runs) and the report API (which writes the
JSON and the annex) both need the same folder rule, and neither may import the other.

Only the standard library is used: the render driver imports this module and deliberately
avoids pandas (importing it costs 1.2–2.4 s on the project machine, measured with
``/usr/bin/time python -c "import pandas"``). It therefore reads the two small wilayah tables
with :mod:`csv` instead of :mod:`analysis.reference`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

from analysis import config
from analysis.errors import ParameterError

_DISTRICT_RE = re.compile(r"^\d{2}\.\d{2}$")
_PROVINCE_RE = re.compile(r"^\d{2}$")
#: Scratch folder (under ``reports/``) of interactive runs.
INTERAKTIF = ".interaktif"


@cache
def _table(name: str, key: str) -> dict[str, dict[str, str]]:
    path = config.WILAYAH_DIR / name
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[key]: row for row in csv.DictReader(fh)}


def districts() -> dict[str, dict[str, str]]:
    """All districts of ``regencies.csv`` keyed by Kemendagri code (values as text)."""
    return _table("regencies.csv", "regency_code")


def provinces() -> dict[str, dict[str, str]]:
    """All provinces of ``provinces.csv`` keyed by code (values as text)."""
    return _table("provinces.csv", "province_code")


def check_area(code: str, parameter: str = "kab") -> str:
    """Return ``code`` (stripped) if it is a known district or province code.

    Raises
    ------
    ParameterError
        Naming ``parameter`` and the known codes, when the code is unknown.
    """
    code = str(code).strip()
    if _DISTRICT_RE.match(code) and code in districts():
        return code
    if _PROVINCE_RE.match(code) and code in provinces():
        return code
    allowed = ", ".join(sorted(k for k, v in districts().items() if v.get("in_scope") == "1"))
    raise ParameterError(
        parameter,
        f"kode wilayah '{code}' tidak dikenal (kode Kemendagri kabupaten/kota seperti "
        "'64.74', atau kode provinsi dua angka seperti '64').",
        allowed,
    )


def is_province(code: str) -> bool:
    """True for a two-digit province code."""
    return bool(_PROVINCE_RE.match(str(code)))


def area_name(code: str) -> str:
    """Name of a district (``'Kota Bontang'``) or province (``'Provinsi Kalimantan Timur'``)."""
    code = check_area(code)
    if is_province(code):
        return f"Provinsi {provinces()[code]['province_name']}"
    return districts()[code]["regency_name"]


def slugify(text: str) -> str:
    """``'Kota Bontang'`` → ``'kota-bontang'`` (ASCII, lower case, hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def area_folder(code: str) -> str:
    """Folder name of an area: ``'64.74-kota-bontang'``, ``'64-provinsi-kalimantan-timur'``."""
    code = check_area(code)
    return f"{code}-{slugify(area_name(code))}"


def output_dir(code: str, tahun: int, reports_dir: Path | None = None) -> Path:
    """``reports/<tahun>/<code>-<slug>/``: the official folder of an area and year."""
    root = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    return root / str(int(tahun)) / area_folder(code)


def interactive_dir(code: str, tahun: int, reports_dir: Path | None = None) -> Path:
    """``reports/.interaktif/<tahun>/<code>-<slug>/``: the scratch folder of interactive runs."""
    root = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    return root / INTERAKTIF / str(int(tahun)) / area_folder(code)
