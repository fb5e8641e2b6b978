"""Reference data shipped in ``analysis/data/reference/``: wilayah codes, boundaries, surveys, indicators.

Every file read here is listed in ``analysis/data/reference/manifest.csv`` with its source, licence and
sha256; a file is checked against its recorded checksum the first time it is read in a process,
and :class:`~analysis.errors.ReferenceDataError` is raised when it is missing or was changed.

Codes are Kemendagri codes as strings (``"64.74"``); tables are read with ``dtype=str`` and
numeric columns are converted explicitly. Each function returns a fresh copy, so callers may
modify what they get.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.checksum import sha256_file
from analysis.errors import ParameterError, ReferenceDataError

MANIFEST_NAME = "manifest.csv"

# Numeric columns per wilayah table (everything else stays a string).
_NUMERIC = {
    "regencies.csv": ["in_scope", "population_male_2024s2", "population_female_2024s2",
                      "population_total_2024s2", "area_km2", "n_districts", "n_villages",
                      "n_desa", "n_kelurahan", "centroid_lat", "centroid_lng"],
    "districts.csv": ["in_scope", "n_villages", "n_desa", "n_kelurahan", "centroid_lat",
                      "centroid_lng"],
    "villages.csv": ["in_scope", "centroid_lat", "centroid_lng"],
    "provinces.csv": ["population_total_2024s2", "area_km2", "n_regencies", "n_districts",
                      "n_villages"],
}

BOUNDARY_FILES = {
    "kabkota": "wilayah/kabkota_64_17.geojson",
    "kecamatan": "wilayah/kecamatan_64_17.geojson",
    "desa": "wilayah/desa_kelurahan_64_1771.geojson",
}


@cache
def manifest() -> pd.DataFrame:
    """The provenance manifest: one row per reference file (path relative to ``analysis/data/reference``).

    Returns
    -------
    pandas.DataFrame
        Columns ``file, publisher, source_url, version, retrieved, licence, sha256, notes``.
    """
    path = config.REFERENCE_DIR / MANIFEST_NAME
    if not path.is_file():
        raise ReferenceDataError(f"Manifes data rujukan tidak ditemukan: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@cache
def _verified(relative: str) -> Path:
    """Path of a reference file after checking it against the manifest (once per process)."""
    path = config.REFERENCE_DIR / relative
    if not path.is_file():
        raise ReferenceDataError(f"Berkas data rujukan tidak ditemukan: {path}")
    entry = manifest().loc[lambda m: m["file"] == relative, "sha256"]
    if entry.empty:
        raise ReferenceDataError(
            f"Berkas data rujukan {relative} tidak tercatat di {MANIFEST_NAME} (asal-usul wajib dicatat).")
    if sha256_file(path) != entry.iloc[0]:
        raise ReferenceDataError(
            f"Berkas data rujukan {relative} berbeda dari checksum di {MANIFEST_NAME}; "
            "data rujukan tidak boleh diubah. Pulihkan berkas aslinya.")
    return path


@cache
def _read_csv(relative: str) -> pd.DataFrame:
    frame = pd.read_csv(_verified(relative), dtype=str, keep_default_na=False)
    for column in _NUMERIC.get(Path(relative).name, []):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def provinces() -> pd.DataFrame:
    """Provinces 17 (Bengkulu) and 64 (Kalimantan Timur)."""
    return _read_csv("wilayah/provinces.csv").copy()


def regencies(in_scope_only: bool = False) -> pd.DataFrame:
    """Kabupaten/kota with Kemendagri and BPS codes, population and area.

    Parameters
    ----------
    in_scope_only : bool
        Keep only the 11 districts the suite reports on.
    """
    frame = _read_csv("wilayah/regencies.csv").copy()
    return frame[frame["in_scope"] == 1].reset_index(drop=True) if in_scope_only else frame


def kecamatan(kab: str | None = None) -> pd.DataFrame:
    """Kecamatan (``district_code``, ``district_name``, ...), optionally of one kabupaten/kota."""
    frame = _read_csv("wilayah/districts.csv").copy()
    if kab is not None:
        frame = frame[frame["regency_code"] == _check_kab(kab)].reset_index(drop=True)
    return frame


def villages(kab: str | None = None) -> pd.DataFrame:
    """Desa/kelurahan (``village_code``, ``village_name``, ``village_type``, ...)."""
    frame = _read_csv("wilayah/villages.csv").copy()
    if kab is not None:
        frame = frame[frame["regency_code"] == _check_kab(kab)].reset_index(drop=True)
    return frame


def boundaries(level: str):
    """Boundary polygons as a GeoDataFrame (WGS84).

    Parameters
    ----------
    level : {"kabkota", "kecamatan", "desa"}
        Desa polygons exist for Kalimantan Timur and Kota Bengkulu only.
    """
    if level not in BOUNDARY_FILES:
        raise ParameterError("level", f"tingkat wilayah '{level}' tidak dikenal.",
                             allowed=", ".join(BOUNDARY_FILES))
    import geopandas  # lazy: heavy import

    return geopandas.read_file(_verified(BOUNDARY_FILES[level]))


def survey_prevalence() -> pd.DataFrame:
    """Published survey stunting prevalence (SSGI 2021/2022/2024, SKI 2023) with sources."""
    frame = _read_csv("survei/stunting_prevalence.csv").copy()
    frame["year"] = pd.to_numeric(frame["year"]).astype("int64")
    frame["prevalence_pct"] = pd.to_numeric(frame["prevalence_pct"], errors="coerce")
    return frame


def indicators() -> pd.DataFrame:
    """The indicator catalogue (Perpres 72/2021 specific and sensitive indicators)."""
    frame = _read_csv("indikator.csv").copy()
    frame["target_2024_pct"] = pd.to_numeric(frame["target_2024_pct"], errors="coerce")
    return frame


def services() -> pd.DataFrame:
    """Desa convergence scorecard services (``kelompok``, ``kode_layanan``, ...)."""
    return _read_csv("layanan_konvergensi.csv").copy()


def _check_kab(kab: str) -> str:
    kab = str(kab).strip()
    codes = _read_csv("wilayah/regencies.csv")["regency_code"]
    if kab not in set(codes):
        in_scope = _read_csv("wilayah/regencies.csv").query("in_scope == 1")["regency_code"]
        raise ParameterError("kab", f"kode kabupaten/kota '{kab}' tidak dikenal.",
                             allowed=", ".join(in_scope))
    return kab


def district_name(kab: str) -> str:
    """Official name of a kabupaten/kota, e.g. ``"Kota Bontang"`` for ``"64.74"``."""
    frame = _read_csv("wilayah/regencies.csv")
    return str(frame.loc[frame["regency_code"] == _check_kab(kab), "regency_name"].iloc[0])


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Kota Bontang"`` → ``"kota-bontang"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def district_slug(kab: str) -> str:
    """Slug of the district name for folder names, e.g. ``"kota-bontang"``."""
    return slugify(district_name(kab))
