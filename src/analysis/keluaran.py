"""Area names, slugs and output folders.

An *area* is a district (Kemendagri code ``"64.74"``) or a province (``"64"``).
Every report is written to ``reports/<tahun>/<code>-<slug>/<laporan>.*``:
``64.74-kota-bontang`` for a district, ``64-provinsi-kalimantan-timur`` for a
province view. The slug comes from the name in ``analysis/data/reference/wilayah``.

Only the standard library is used here: the notebook kernel imports this module.
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


@cache
def _table(name: str, key: str) -> dict[str, dict[str, str]]:
    path = config.WILAYAH_DIR / name
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[key]: row for row in csv.DictReader(fh)}


def districts() -> dict[str, dict[str, str]]:
    """All districts of ``regencies.csv`` keyed by Kemendagri code."""
    return _table("regencies.csv", "regency_code")


def provinces() -> dict[str, dict[str, str]]:
    """All provinces of ``provinces.csv`` keyed by code."""
    return _table("provinces.csv", "province_code")


def check_area(code: str, parameter: str = "kab") -> str:
    """Return ``code`` if it is a known district or province code.

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
    """``reports/<tahun>/<code>-<slug>/`` for an area and year."""
    root = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    return root / str(int(tahun)) / area_folder(code)
