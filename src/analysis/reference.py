"""Reference data shipped in ``analysis/data/reference/``: wilayah codes, boundaries, surveys, indicators.

Every file read here is listed in ``analysis/data/reference/manifest.csv`` with its source, licence and
sha256; a file is checked against its recorded checksum the first time it is read in a process,
and :class:`~analysis.errors.ReferenceDataError` is raised when it is missing or was changed.

Codes are Kemendagri codes as strings (``"64.74"``); CSV tables are read with ``dtype=str`` and
numeric columns are converted explicitly, Parquet tables are typed. Each function returns a
fresh frame, so callers may modify what they get.

The wilayah files (all 38 provinces, 514 kab/kota, 7,285 kecamatan, 83,762 desa/kelurahan and
their polygons) are built by :mod:`analysis.reference_build`; this module is their only reader.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import geopandas
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from analysis import config
from analysis.checksum import sha256_file
from analysis.errors import ParameterError, ReferenceDataError

MANIFEST_NAME = "manifest.csv"

# Numeric columns of the CSV tables (everything else stays a string; Parquet files are typed).
_NUMERIC = {
    "regencies.csv": ["in_scope", "population_male_2024s2", "population_female_2024s2",
                      "population_total_2024s2", "area_km2", "n_districts", "n_villages",
                      "n_desa", "n_kelurahan", "centroid_lat", "centroid_lng"],
    "provinces.csv": ["population_total_2024s2", "area_km2", "n_regencies", "n_districts",
                      "n_villages"],
}

#: The wilayah tables (built by :mod:`analysis.reference_build`).
WILAYAH_FILES = {
    "provinces": "wilayah/provinces.csv",
    "regencies": "wilayah/regencies.csv",
    "districts": "wilayah/districts.parquet",
    "villages": "wilayah/villages.parquet",
}

#: Boundary polygons (GeoParquet, EPSG:4326). Kecamatan polygons are the union of their desa;
#: the kecamatan file holds only kecamatan without any desa polygon (usually none).
BOUNDARY_FILES = {
    "kabkota": "wilayah/boundaries_kabkota.parquet",
    "kecamatan": "wilayah/boundaries_kecamatan.parquet",
    "desa": "wilayah/boundaries_desa.parquet",
}

_DISTRICT_RE = re.compile(r"^\d{2}\.\d{2}$")
_PROVINCE_RE = re.compile(r"^\d{2}$")


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


@cache
def _read_parquet(relative: str, regency: str | None = None, province: str | None = None) -> pd.DataFrame:
    """A Parquet table, or the rows of one kab/kota or province (read with a row-group filter)."""
    filters = None
    if regency is not None:
        filters = [("regency_code", "=", regency)]
    elif province is not None:  # "64." <= code < "64/" ("/" follows "." in ASCII)
        filters = [("regency_code", ">=", f"{province}."), ("regency_code", "<", f"{province}/")]
    return pq.read_table(_verified(relative), filters=filters).to_pandas()


def provinces() -> pd.DataFrame:
    """The 38 provinces (``province_code``, ``province_name``, population, area, counts)."""
    return _read_csv(WILAYAH_FILES["provinces"]).copy()


def regencies(in_scope_only: bool = False, province: str | None = None) -> pd.DataFrame:
    """The 514 kabupaten/kota with Kemendagri codes, population (Dukcapil, December 2024) and area.

    Parameters
    ----------
    in_scope_only : bool
        Keep only the districts of the demo (``in_scope == 1``).
    province : str, optional
        Keep only the kab/kota of one province (``"64"``).
    """
    frame = _read_csv(WILAYAH_FILES["regencies"])
    if in_scope_only:
        frame = frame[frame["in_scope"] == 1]
    if province is not None:
        frame = frame[frame["province_code"] == check_province(province)]
    return frame.reset_index(drop=True)


def kecamatan(kab: str | None = None) -> pd.DataFrame:
    """Kecamatan (``district_code``, ``district_name``, ...), optionally of one kabupaten/kota."""
    if kab is None:
        return _read_parquet(WILAYAH_FILES["districts"]).copy()
    return _read_parquet(WILAYAH_FILES["districts"], regency=check_district(kab)).copy()


def villages(kab: str | None = None) -> pd.DataFrame:
    """Desa/kelurahan (``village_code``, ``village_name``, ``village_type``, ``has_boundary``, ...).

    ``village_type`` is ``"desa"`` or ``"kelurahan"``; ``has_boundary`` is False for a desa
    without a polygon of its own (a recent split whose area lies in its parent's polygon).
    """
    if kab is None:
        return _read_parquet(WILAYAH_FILES["villages"]).copy()
    return _read_parquet(WILAYAH_FILES["villages"], regency=check_district(kab)).copy()


# Attribute columns of boundaries(level), joined from the tables (one home for names).
_DESA_ATTRS = {"village_code": "code", "village_code_nodot": "code_nodot", "village_name": "name",
               "province_code": "province_code", "regency_code": "regency_code", "regency_name": "regency_name",
               "district_code": "district_code", "district_name": "district_name",
               "village_type": "village_type", "in_scope": "in_scope", "centroid_lat": "centroid_lat",
               "centroid_lng": "centroid_lng"}
_KEC_ATTRS = {"district_code": "code", "district_code_nodot": "code_nodot", "district_name": "name",
              "province_code": "province_code", "regency_code": "regency_code", "regency_name": "regency_name",
              "in_scope": "in_scope", "centroid_lat": "centroid_lat", "centroid_lng": "centroid_lng"}
_KAB_ATTRS = {"regency_code": "code", "regency_code_nodot": "code_nodot", "regency_name": "name",
              "province_code": "province_code", "province_name": "province_name", "regency_type": "regency_type",
              "in_scope": "in_scope", "centroid_lat": "centroid_lat", "centroid_lng": "centroid_lng"}


def _polygons(relative: str, regency: str | None, province: str | None) -> pd.DataFrame:
    """``code`` and shapely ``geometry`` of one boundary file (optionally one district/province)."""
    frame = _read_parquet(relative, regency=regency, province=province)
    return pd.DataFrame({"code": frame["code"].to_numpy(),
                         "geometry": shapely.from_wkb(frame["geometry"].to_numpy())})


def _union(geoms: np.ndarray) -> shapely.Geometry:
    """Union of edge-matched desa polygons (fast coverage union; a general union if noding differs)."""
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(geoms)


def boundaries(level: str, kab: str | None = None, province: str | None = None) -> geopandas.GeoDataFrame:
    """Boundary polygons (WGS84 longitude/latitude) with codes and names.

    Parameters
    ----------
    level : {"kabkota", "kecamatan", "desa"}
    kab : str, optional
        Only the polygons of one kabupaten/kota (``"64.74"``): the fast path of the maps.
    province : str, optional
        Only the polygons of one province (``"64"``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``code``, ``code_nodot``, ``level``, ``name``, ``province_code``, ``regency_code``,
        ``regency_name``, (kecamatan and desa) ``district_code``, ``district_name``, (desa)
        ``village_type``, (kabkota) ``province_name``, ``regency_type``; ``in_scope``,
        ``centroid_lat``, ``centroid_lng``, ``geometry``; sorted by code.

    Notes
    -----
    Desa polygons tile each district without gaps or overlaps (see the reference README);
    kecamatan polygons are the union of their desa, so the two levels share every border.
    The kab/kota layer is simplified per province for province maps.
    """
    if level not in BOUNDARY_FILES:
        raise ParameterError("level", f"tingkat wilayah '{level}' tidak dikenal.",
                             allowed=", ".join(BOUNDARY_FILES))
    regency = check_district(kab) if kab is not None else None
    prov = check_province(province) if province is not None else None
    if level == "kabkota":
        polys = _polygons(BOUNDARY_FILES["kabkota"], regency, prov)
        attrs = regencies().rename(columns=_KAB_ATTRS)[list(_KAB_ATTRS.values())]
        attrs["regency_code"], attrs["regency_name"] = attrs["code"], attrs["name"]
    elif level == "desa":
        polys = _polygons(BOUNDARY_FILES["desa"], regency, prov)
        table = villages(regency) if regency else villages()
        if prov is not None:
            table = table[table["province_code"] == prov]
        attrs = table.rename(columns=_DESA_ATTRS)[list(_DESA_ATTRS.values())]
    else:
        desa = _polygons(BOUNDARY_FILES["desa"], regency, prov)
        groups = desa.groupby(desa["code"].str[:8], sort=True)["geometry"]
        union = [(code, _union(g.to_numpy())) for code, g in groups]
        extra = _polygons(BOUNDARY_FILES["kecamatan"], regency, prov)
        polys = pd.concat([pd.DataFrame(union, columns=["code", "geometry"]), extra], ignore_index=True)
        table = kecamatan(regency) if regency else kecamatan()
        if prov is not None:
            table = table[table["province_code"] == prov]
        attrs = table.rename(columns=_KEC_ATTRS)[list(_KEC_ATTRS.values())]
        attrs["district_code"], attrs["district_name"] = attrs["code"], attrs["name"]
    frame = attrs.merge(polys, on="code", how="inner").sort_values("code").reset_index(drop=True)
    frame.insert(2, "level", level)
    return geopandas.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


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


def check_district(kab: str) -> str:
    """``kab`` when it is one of the 514 Kemendagri kabupaten/kota codes (``"64.74"``).

    Raises
    ------
    ParameterError
        Naming the code and, when its province is known, the codes of that province.
    """
    code = str(kab).strip()
    reg = _read_csv(WILAYAH_FILES["regencies"])
    if code in set(reg["regency_code"]):
        return code
    prov = reg[reg["province_code"] == code[:2]]
    if _DISTRICT_RE.match(code) and len(prov):
        allowed = ", ".join(f"{c} ({n})" for c, n in zip(prov["regency_code"], prov["regency_name"], strict=True))
        hint = f"provinsi {prov['province_name'].iloc[0]} memiliki kode berikut."
    else:
        allowed = None
        hint = ("gunakan kode Kemendagri dua bagian dengan titik, misalnya '64.74' untuk Kota Bontang "
                "atau '32.01' untuk Kabupaten Bogor.")
    raise ParameterError("kab", f"kode kabupaten/kota '{code}' tidak dikenal; {hint}", allowed=allowed)


def check_province(code: str) -> str:
    """``code`` when it is one of the 38 province codes (``"64"``); else :class:`ParameterError`."""
    code = str(code).strip()
    prov = _read_csv(WILAYAH_FILES["provinces"])
    if code in set(prov["province_code"]):
        return code
    raise ParameterError("provinsi", f"kode provinsi '{code}' tidak dikenal (dua angka, misalnya '64').",
                         allowed=", ".join(prov["province_code"]))


_check_kab = check_district  # former private name, kept for callers not yet migrated


def district_name(kab: str) -> str:
    """Official name of a kabupaten/kota, e.g. ``"Kota Bontang"`` for ``"64.74"``."""
    frame = _read_csv(WILAYAH_FILES["regencies"])
    return str(frame.loc[frame["regency_code"] == check_district(kab), "regency_name"].iloc[0])


def province_name(code: str) -> str:
    """Name of a province, e.g. ``"Kalimantan Timur"`` for ``"64"`` (also accepts a kab/kota code)."""
    code = str(code).strip()
    prov = check_province(code[:2] if _DISTRICT_RE.match(code) else code)
    frame = _read_csv(WILAYAH_FILES["provinces"])
    return str(frame.loc[frame["province_code"] == prov, "province_name"].iloc[0])


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Kota Bontang"`` → ``"kota-bontang"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def district_slug(kab: str) -> str:
    """Slug of the district name for folder names, e.g. ``"kota-bontang"``."""
    return slugify(district_name(kab))
