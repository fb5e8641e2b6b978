"""Build the shipped wilayah reference files from the two source repositories.

Sources (both MIT, both public GitHub repositories):

* ``cahyadsn/wilayah``: ``db/wilayah.sql`` (Kemendagri codes and names, Kepmendagri
  300.2.2-2138/2430 Tahun 2025), ``db/wilayah_penduduk.sql`` (Dukcapil population, December
  2024) and ``db/wilayah_luas.sql`` (area per Kepmendagri 2025);
* ``cahyadsn/wilayah_boundaries``: ``db/{kab,kec,kel}/*.sql``, polygons as JSON ``[lat, lng]``
  paths inside SQL.

Each source is a bare git directory (as brought by ``fetch``), a clone, or a plain folder with
the ``db/`` tree. Run::

    python -m analysis.reference_build --wilayah PATH --batas PATH

It rewrites every file under ``analysis/data/reference/wilayah/`` and their rows in
``analysis/data/reference/manifest.csv`` (source, commit, licence, sha256, notes).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from analysis import config
from analysis.checksum import sha256_file
from analysis.demo.settings import DISTRICTS

# ------------------------------------------------------------------------------------ sources


@dataclass
class Source:
    """A source repository: a git directory (bare or not) read at one commit, or a folder.

    Attributes
    ----------
    root : Path
    git_dir : Path or None
        The git directory, when the source is a repository.
    commit : str
        The commit read (``HEAD`` resolved), or ``""`` for a plain folder.
    """

    root: Path
    git_dir: Path | None
    commit: str

    @classmethod
    def open(cls, path: str | Path, commit: str = "HEAD") -> Source:
        root = Path(path).expanduser().resolve()
        if (root / "HEAD").is_file() and (root / "objects").is_dir():
            git_dir: Path | None = root
        elif (root / ".git").exists():
            git_dir = root / ".git"
        else:
            git_dir = None
        source = cls(root, git_dir, "")
        if git_dir is not None:
            source.commit = source._git("rev-parse", f"{commit}^{{commit}}").strip()
        elif not (root / "db").is_dir():
            raise FileNotFoundError(f"{root}: bukan repositori git maupun folder berisi db/")
        return source

    def _git(self, *args: str) -> str:
        assert self.git_dir is not None
        return subprocess.run(["git", "--git-dir", str(self.git_dir), *args], check=True,
                              capture_output=True, text=True).stdout

    def files(self, prefix: str) -> list[str]:
        """Paths under ``prefix`` (a folder inside the source), sorted."""
        if self.git_dir is not None:
            out = self._git("ls-tree", "-r", "--name-only", self.commit, "--", prefix)
            return sorted(line for line in out.splitlines() if line)
        base = self.root / prefix
        return sorted(p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file())

    def read(self, path: str) -> str:
        """Text of one file at the commit."""
        if self.git_dir is not None:
            return self._git("show", f"{self.commit}:{path}")
        return (self.root / path).read_text(encoding="utf-8")

    def read_many(self, paths: list[str]) -> dict[str, str]:
        """Texts of many files, through one ``git cat-file --batch`` process."""
        if self.git_dir is None:
            return {p: self.read(p) for p in paths}
        request = "".join(f"{self.commit}:{p}\n" for p in paths).encode()
        out = subprocess.run(["git", "--git-dir", str(self.git_dir), "cat-file", "--batch"],
                             input=request, check=True, capture_output=True).stdout
        texts: dict[str, str] = {}
        pos = 0
        for p in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) < 3 or header[1] != b"blob":
                raise FileNotFoundError(f"{self.root}: {p} tidak ada pada {self.commit}")
            size = int(header[2])
            texts[p] = out[end + 1:end + 1 + size].decode("utf-8")
            pos = end + 1 + size + 1
        return texts

    def last_change(self, paths: list[str]) -> tuple[str, str]:
        """Commit and ISO date of the last change to any of ``paths`` (``("", "")`` without git)."""
        if self.git_dir is None:
            return "", ""
        out = self._git("log", "-1", "--format=%H %cs", self.commit, "--", *paths).split()
        return (out[0], out[1]) if out else ("", "")

    def date(self) -> str:
        """Commit date (``YYYY-MM-DD``) of the commit read."""
        if self.git_dir is None:
            return ""
        return self._git("log", "-1", "--format=%cs", self.commit).strip()


# ------------------------------------------------------------------------------------ parsing

_ROW_RE = re.compile(r"\(\s*'([0-9.]+)'\s*,\s*'((?:[^']|'')*)'((?:\s*,\s*(?:'[^',]*'|[^,()']*))*)\)")
_BOUNDARY_RE = re.compile(
    r"^\s*\(\s*'([0-9.]+)'\s*,\s*'((?:[^']|'')*)'\s*,\s*(-?[0-9.eE+-]+|NULL)\s*,\s*(-?[0-9.eE+-]+|NULL)\s*,"
    r"\s*'(\[.*\]|)'\s*\)\s*[,;]?\s*$")


def parse_rows(sql: str) -> pd.DataFrame:
    """``('kode','nama', v1, v2, ...)`` tuples of an INSERT dump.

    Returns
    -------
    DataFrame
        ``kode``, ``nama`` (``''`` unescaped, whitespace trimmed) and ``v1``... as text.
    """
    rows = []
    for match in _ROW_RE.finditer(sql):
        values = [v.strip().strip("'") for v in match.group(3).split(",")[1:]]
        rows.append([match.group(1), match.group(2).replace("''", "'").strip(), *values])
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=["kode", "nama", *[f"v{i}" for i in range(1, width - 1)]])


def parse_boundaries(sql: str) -> list[tuple[str, str, float, float, str]]:
    """Rows ``(kode, nama, lat, lng, path)`` of a ``wilayah_boundaries`` dump (one row per line)."""
    out = []
    for line in sql.splitlines():
        if not line.lstrip().startswith("('"):
            continue
        m = _BOUNDARY_RE.match(line)
        if m is None:
            raise ValueError(f"baris batas wilayah tidak terbaca: {line[:80]}")
        lat = float(m.group(3)) if m.group(3) != "NULL" else np.nan
        lng = float(m.group(4)) if m.group(4) != "NULL" else np.nan
        out.append((m.group(1), m.group(2).replace("''", "'").strip(), lat, lng, m.group(5)))
    return out


def _depth(node: object) -> int:
    d = 0
    while isinstance(node, list):
        d += 1
        node = node[0] if node else 0.0
    return d


def path_geometry(path: str) -> shapely.Geometry:
    """A (Multi)Polygon from a JSON path of ``[lat, lng]`` points, as ``(lng, lat)``.

    The source nests ``[[[lat, lng], ...]]`` (one polygon: rings) or ``[[[[lat, lng], ...]]]``
    (polygons of rings). Rings with fewer than 3 distinct points are dropped.
    """
    if not path.strip():
        return shapely.Polygon()
    data = json.loads(path)
    polygons = [data] if _depth(data) == 3 else data
    parts = []
    for rings in polygons:
        arrays = []
        for ring in rings:
            xy = np.asarray(ring, dtype=float)
            if xy.ndim != 2 or len(xy) < 3:
                continue
            xy = xy[:, ::-1]  # [lat, lng] -> (x = lng, y = lat)
            if not np.array_equal(xy[0], xy[-1]):
                xy = np.vstack([xy, xy[:1]])
            if len(xy) >= 4:
                arrays.append(xy)
        if arrays:
            parts.append(shapely.Polygon(arrays[0], arrays[1:]))
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


# ------------------------------------------------------------------------------ tabular data

#: Files of ``cahyadsn/wilayah`` read here.
CODES_FILE = "db/wilayah.sql"
POPULATION_FILE = "db/wilayah_penduduk.sql"
AREA_FILE = "db/wilayah_luas.sql"
#: Kepmendagri numbering: kab/kota numbers from 71 are kota.
KOTA_FROM = 71
_LEVEL_LENGTH = {"province": 2, "regency": 5, "district": 8, "village": 13}


@dataclass
class Codes:
    """The four levels of ``wilayah.sql`` with their derived columns (see :func:`read_codes`)."""

    provinces: pd.DataFrame
    regencies: pd.DataFrame
    districts: pd.DataFrame
    villages: pd.DataFrame


def read_codes(sql: str, demo_districts: tuple[str, ...]) -> Codes:
    """Provinces, kab/kota, kecamatan and desa/kelurahan from ``wilayah.sql``.

    ``village_type`` comes from the first digit of the fourth code segment (Kemendagri
    convention: 1 kelurahan, 2 desa, 3 desa adat); desa adat are ``desa`` (their names say
    "Desa Adat"). ``in_scope`` marks the districts of the demo (``demo_districts``).
    """
    rows = parse_rows(sql)[["kode", "nama"]]
    if not rows["kode"].is_unique:
        raise ValueError(f"{CODES_FILE}: kode ganda {rows.loc[rows['kode'].duplicated(), 'kode'].tolist()[:5]}")
    by_len = {level: rows[rows["kode"].str.len() == n].reset_index(drop=True) for level, n in _LEVEL_LENGTH.items()}
    odd = len(rows) - sum(len(f) for f in by_len.values())
    if odd:
        raise ValueError(f"{CODES_FILE}: {odd} kode dengan panjang tak dikenal")
    prov_name = dict(zip(by_len["province"]["kode"], by_len["province"]["nama"], strict=True))
    demo = set(demo_districts)

    p = by_len["province"].rename(columns={"kode": "province_code", "nama": "province_name"})

    r = by_len["regency"].rename(columns={"kode": "regency_code", "nama": "regency_name"})
    r.insert(1, "regency_code_nodot", r["regency_code"].str.replace(".", "", regex=False))
    r.insert(2, "province_code", r["regency_code"].str[:2])
    r.insert(3, "province_name", r["province_code"].map(prov_name))
    kota = r["regency_code"].str[3:5].astype(int) >= KOTA_FROM
    if (kota != r["regency_name"].str.startswith("Kota ")).any():
        bad = r.loc[kota != r["regency_name"].str.startswith("Kota "), "regency_code"].tolist()
        raise ValueError(f"{CODES_FILE}: nomor kab/kota tidak cocok dengan nama (kota dari {KOTA_FROM}): {bad}")
    r.insert(4, "regency_type", np.where(kota, "kota", "kabupaten"))
    r["regency_name_short"] = r["regency_name"].str.replace(
        r"^(Kabupaten|Kota)\s+(Administrasi\s+)?", "", regex=True)
    r["in_scope"] = r["regency_code"].isin(demo).astype(int)
    reg_name = dict(zip(r["regency_code"], r["regency_name"], strict=True))

    d = by_len["district"].rename(columns={"kode": "district_code", "nama": "district_name"})
    d.insert(1, "district_code_nodot", d["district_code"].str.replace(".", "", regex=False))
    d.insert(2, "regency_code", d["district_code"].str[:5])
    d.insert(3, "province_code", d["district_code"].str[:2])
    d["regency_name"] = d["regency_code"].map(reg_name)
    d["in_scope"] = d["regency_code"].isin(demo).astype(int)
    kec_name = dict(zip(d["district_code"], d["district_name"], strict=True))

    v = by_len["village"].rename(columns={"kode": "village_code", "nama": "village_name"})
    v.insert(1, "village_code_nodot", v["village_code"].str.replace(".", "", regex=False))
    v.insert(2, "district_code", v["village_code"].str[:8])
    v.insert(3, "regency_code", v["village_code"].str[:5])
    v.insert(4, "province_code", v["village_code"].str[:2])
    digit = v["village_code"].str[9]
    if not digit.isin(["1", "2", "3"]).all():
        unknown = v.loc[~digit.isin(["1", "2", "3"]), "village_code"].tolist()[:5]
        raise ValueError(f"{CODES_FILE}: jenis desa tak dikenal pada {unknown}")
    v["village_type"] = np.where(digit == "1", "kelurahan", "desa")
    v["district_name"] = v["district_code"].map(kec_name)
    v["regency_name"] = v["regency_code"].map(reg_name)
    v["in_scope"] = v["regency_code"].isin(demo).astype(int)

    for child, parent, key in ((r, p, "province_code"), (d, r, "regency_code"), (v, d, "district_code")):
        orphans = ~child[key].isin(set(parent[key]))
        if orphans.any():
            raise ValueError(f"{CODES_FILE}: {int(orphans.sum())} kode tanpa induk {key}")
    return Codes(p, r, d, v)


@dataclass
class Figures:
    """Population and area per province and kab/kota, with the repairs made to the source codes."""

    population: pd.DataFrame
    area: pd.DataFrame
    repairs: list[str]


#: Similarity (difflib ratio) above which a name with a known code is a misspelling of it.
SAME_NAME_RATIO = 0.85


def _name_key(names: pd.Series) -> list[str]:
    """Names compared case-insensitively, letters and digits only, single spaces, ``Kab`` spelt out."""
    key = names.str.casefold().str.replace(r"[^0-9a-z]+", " ", regex=True).str.strip()
    return key.str.replace(r"^kab ", "kabupaten ", regex=True).tolist()


def _match_codes(frame: pd.DataFrame, names: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows of ``frame`` (``kode``, ``nama``, values) keyed on the reference codes.

    Names are compared by :func:`_name_key`; a known code whose name differs by a typo (ratio
    at least :data:`SAME_NAME_RATIO`, e.g. "Papua Barat Oaya") is kept. A row whose code is not a
    reference code of its level (``wilayah_luas.sql`` has ``11.1``
    for ``11.10`` and ``31.0`` for ``31``: numbers that lost a digit) is matched by its exact
    name within its province; a row that matches neither is an error.
    """
    known = dict(zip(names["kode"], _name_key(names["nama"]), strict=True))
    by_name = {(k[:2], n): k for k, n in zip(names["kode"], _name_key(names["nama"]), strict=True)}
    repairs: list[str] = []
    codes = []
    for kode, nama, key in zip(frame["kode"], frame["nama"], _name_key(frame["nama"]), strict=True):
        if kode in known and known[kode] == key:
            codes.append(kode)
            continue
        if kode in known and difflib.SequenceMatcher(None, known[kode], key).ratio() >= SAME_NAME_RATIO:
            repairs.append(f"{file}: name '{nama}' of '{kode}' taken as a misspelling")
            codes.append(kode)
            continue
        fixed = by_name.get((kode[:2], key))
        if fixed is None:
            raise ValueError(f"{file}: kode {kode!r} ({nama}) tidak ada di {CODES_FILE}")
        repairs.append(f"{file}: '{kode}' -> '{fixed}' ({nama})")
        codes.append(fixed)
    out = frame.assign(kode=codes)
    if not out["kode"].is_unique:
        raise ValueError(f"{file}: kode ganda setelah pencocokan nama")
    return out, repairs


def read_figures(population_sql: str, area_sql: str, codes: Codes) -> Figures:
    """Population (Dukcapil, December 2024) and area (km²) per province and kab/kota."""
    names = pd.concat([
        codes.provinces.rename(columns={"province_code": "kode", "province_name": "nama"})[["kode", "nama"]],
        codes.regencies.rename(columns={"regency_code": "kode", "regency_name": "nama"})[["kode", "nama"]],
    ])
    pop = parse_rows(population_sql).rename(columns={"v1": "male", "v2": "female", "v3": "total"})
    pop = pop[pop["kode"] != "0"]  # the national total
    pop, rep_pop = _match_codes(pop, names, POPULATION_FILE)
    for column in ("male", "female", "total"):
        pop[column] = pd.to_numeric(pop[column]).astype("int64")
    if (pop["male"] + pop["female"] != pop["total"]).any():
        raise ValueError(f"{POPULATION_FILE}: pria + wanita != total")
    area = parse_rows(area_sql).rename(columns={"v1": "area_km2"})
    area, rep_area = _match_codes(area, names, AREA_FILE)
    area["area_km2"] = pd.to_numeric(area["area_km2"])
    return Figures(pop.set_index("kode"), area.set_index("kode"), rep_pop + rep_area)


# -------------------------------------------------------------------------------- boundaries

#: Folders of ``cahyadsn/wilayah_boundaries`` per level.
BOUNDARY_DIRS = {"kabkota": "db/kab", "kecamatan": "db/kec", "desa": "db/kel"}
#: Grid of the shipped coordinates (degrees; 1e-5° is about 1.1 m).
GRID = 1e-5
#: Gaps between neighbouring desa narrower than this (degrees, about 55 m) are slivers left
#: by the source's separate simplification of each polygon; they are merged into the
#: neighbour with the longest shared border.
GAP_WIDTH = 5e-4
#: Simplification tolerance of a district's desa layer: its extent divided by this, so that an
#: A4 map of the district (about 16 cm wide) loses at most about 0.16 mm of detail.
EXTENT_DIVISOR = 1000.0
TOLERANCE_RANGE = (1e-4, 3e-3)
#: Tolerance of the national kab/kota layer (province maps; degrees, about 55 m).
KABKOTA_TOLERANCE = 5e-4


def read_boundaries(source: Source, level: str) -> pd.DataFrame:
    """Source polygons of one level: ``code``, ``source_name``, ``lat``, ``lng``, ``geometry``.

    Geometries are repaired with ``make_valid`` (structure method: rings kept as areas,
    collapsed parts dropped) and snapped to :data:`GRID`; rows without a path are dropped.
    """
    files = [f for f in source.files(BOUNDARY_DIRS[level]) if f.endswith(".sql")]
    texts = source.read_many(files)
    rows = [(kode, nama, lat, lng, path_geometry(path))
            for f in files for kode, nama, lat, lng, path in parse_boundaries(texts[f])]
    frame = pd.DataFrame(rows, columns=["code", "source_name", "lat", "lng", "geometry"])
    if not frame["code"].is_unique:
        raise ValueError(f"{BOUNDARY_DIRS[level]}: kode ganda")
    geom = frame["geometry"].to_numpy()
    invalid = int((~shapely.is_valid(geom)).sum())
    geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    geom = shapely.set_precision(geom, GRID)
    geom = np.array([_polygonal(g) for g in geom], dtype=object)
    frame["geometry"] = geom
    frame.attrs["repaired"] = invalid
    return frame[~shapely.is_empty(geom)].reset_index(drop=True)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (a Polygon or MultiPolygon; empty if none)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def district_tolerance(geoms: np.ndarray) -> float:
    """Simplification tolerance (degrees) for one district: extent / :data:`EXTENT_DIVISOR`.

    The extent is the larger of the width and the height / 1.3 (a map is at most about
    1.3 times as tall as wide on A4).
    """
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    extent = max(maxx - minx, (maxy - miny) / 1.3)
    return float(np.clip(extent / EXTENT_DIVISOR, *TOLERANCE_RANGE))


def _clean_coverage(geoms: np.ndarray) -> np.ndarray:
    cleaned = shapely.coverage_clean(geoms, gap_width=GAP_WIDTH)
    return np.array([_polygonal(g) for g in cleaned], dtype=object)


@dataclass
class Layers:
    """The shipped boundary layers and what the build did to them.

    ``kecamatan_extra`` holds the source polygons of kecamatan that have no desa polygon at
    all (usually empty): every other kecamatan is the union of its desa, computed by the reader.
    """

    desa: pd.DataFrame
    kecamatan_extra: pd.DataFrame
    kabkota: pd.DataFrame
    notes: dict[str, str]


def build_layers(raw_desa: pd.DataFrame, raw_kec: pd.DataFrame, raw_kab: pd.DataFrame) -> Layers:
    """Desa polygons that tile each district, and kab/kota polygons that tile each province.

    Per kab/kota, the desa polygons are made a clean coverage (overlaps removed, slivers
    narrower than :data:`GAP_WIDTH` merged into the neighbour with the longest shared border)
    and simplified together with ``shapely.coverage_simplify`` (Visvalingam-Whyatt; shared
    borders stay shared, so no gaps open) at :func:`district_tolerance`. Kecamatan are the union
    of their desa (by the reader), so desa and kecamatan borders coincide.

    The kab/kota layer (for province maps) is the union of the cleaned desa per kab/kota,
    cleaned again and simplified per province at the province's own tolerance, so that the
    districts of a province share their borders. A kab/kota without desa polygons takes its
    source polygon.
    """
    desa = raw_desa.assign(regency_code=raw_desa["code"].str[:5], district_code=raw_desa["code"].str[:8])
    kec_source = raw_kec.set_index("code")["geometry"]
    kab_source = raw_kab.set_index("code")["geometry"]
    desa_out = []
    kab_raw: dict[str, shapely.Geometry] = {}
    tolerances: dict[str, float] = {}
    for kab, group in desa.groupby("regency_code", sort=True):
        cleaned = _clean_coverage(group["geometry"].to_numpy())
        kab_raw[str(kab)] = shapely.coverage_union_all(cleaned)
        tolerances[str(kab)] = district_tolerance(cleaned)
        simplified = shapely.coverage_simplify(cleaned, tolerances[str(kab)])
        desa_out.append(group[["code"]].assign(geometry=simplified))
    desa_frame = pd.concat(desa_out, ignore_index=True)

    extra = sorted(set(kec_source.index) - set(desa["district_code"]))
    extra_frame = pd.DataFrame({
        "code": extra,
        "geometry": [shapely.simplify(kec_source[k], tolerances.get(k[:5], TOLERANCE_RANGE[0]),
                                      preserve_topology=True) for k in extra],
    })

    missing_kab = sorted(set(kab_source.index) - set(kab_raw))
    for kab in missing_kab:
        kab_raw[kab] = kab_source[kab]
    kab_rows = []
    prov_tolerances = {}
    for prov in sorted({c[:2] for c in kab_raw}):
        codes = sorted(c for c in kab_raw if c[:2] == prov)
        cleaned = _clean_coverage(np.array([kab_raw[c] for c in codes], dtype=object))
        prov_tolerances[prov] = district_tolerance(cleaned)
        kab_rows += list(zip(codes, shapely.coverage_simplify(cleaned, prov_tolerances[prov]), strict=True))
    kab_frame = pd.DataFrame(kab_rows, columns=["code", "geometry"])

    for name, frame in (("desa", desa_frame), ("kecamatan", extra_frame), ("kabkota", kab_frame)):
        geom = frame["geometry"].to_numpy()
        if len(geom) and (~shapely.is_valid(geom) | shapely.is_empty(geom)).any():
            raise ValueError(f"{name}: poligon tidak valid atau kosong setelah penyederhanaan")
    tol, ptol = pd.Series(tolerances), pd.Series(prov_tolerances)
    notes = {
        "desa": (f"per kab/kota: shapely coverage_clean (gaps < {GAP_WIDTH:g} deg merged, overlaps removed) and "
                 f"coverage_simplify at the district's extent/{EXTENT_DIVISOR:g} deg (median {tol.median():.5f}, "
                 f"range {tol.min():.5f}-{tol.max():.5f}); kecamatan = union of their desa (computed by the reader)"),
        "kecamatan": ("source polygons of kecamatan without any desa polygon: " + ", ".join(extra)) if extra else "",
        "kabkota": (f"union of the cleaned desa polygons per kab/kota; per province coverage_clean and "
                    f"coverage_simplify at the province's extent/{EXTENT_DIVISOR:g} deg (median {ptol.median():.5f})"
                    + (f"; without desa polygons, source polygon: {', '.join(missing_kab)}" if missing_kab else "")),
    }
    return Layers(desa_frame, extra_frame, kab_frame, notes)


# ------------------------------------------------------------------------------------ tables

#: Shipped files (relative to ``analysis/data/reference``). Provinces and kab/kota stay CSV:
#: ``analysis.render.paths`` reads them with the standard library only.
FILES = {
    "provinces": "wilayah/provinces.csv",
    "regencies": "wilayah/regencies.csv",
    "districts": "wilayah/districts.parquet",
    "villages": "wilayah/villages.parquet",
    "boundaries_desa": "wilayah/boundaries_desa.parquet",
    "boundaries_kabkota": "wilayah/boundaries_kabkota.parquet",
    "boundaries_kecamatan": "wilayah/boundaries_kecamatan.parquet",
}
#: Rows per Parquet row group: a district's rows sit in one or two groups (codes are sorted),
#: so reading one district decompresses little.
ROW_GROUP = {"districts": 2048, "villages": 4096, "boundaries_desa": 1024}


def _centroids(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.set_index("code")[["lat", "lng"]].round(6).rename(
        columns={"lat": "centroid_lat", "lng": "centroid_lng"})


def build_tables(codes: Codes, figures: Figures, raw: dict[str, pd.DataFrame],
                 desa_codes: set[str]) -> dict[str, pd.DataFrame]:
    """The four tables, with counts, population, area and source centroids."""
    v = codes.villages.copy()
    v = v.join(_centroids(raw["desa"]), on="village_code")
    v["has_boundary"] = v["village_code"].isin(desa_codes)

    counts = v.assign(kel=v["village_type"] == "kelurahan")
    kec_counts = counts.groupby("district_code").agg(n_villages=("village_code", "size"), n_kelurahan=("kel", "sum"))
    kec_counts["n_desa"] = kec_counts["n_villages"] - kec_counts["n_kelurahan"]
    d = codes.districts.join(kec_counts[["n_villages", "n_desa", "n_kelurahan"]], on="district_code")
    d = d.join(_centroids(raw["kecamatan"]), on="district_code")

    kab_counts = counts.groupby("regency_code").agg(n_villages=("village_code", "size"), n_kelurahan=("kel", "sum"))
    kab_counts["n_desa"] = kab_counts["n_villages"] - kab_counts["n_kelurahan"]
    kab_counts["n_districts"] = codes.districts.groupby("regency_code").size()
    r = codes.regencies.copy()
    pop, area = figures.population, figures.area
    r["population_male_2024s2"] = r["regency_code"].map(pop["male"]).astype("Int64")
    r["population_female_2024s2"] = r["regency_code"].map(pop["female"]).astype("Int64")
    r["population_total_2024s2"] = r["regency_code"].map(pop["total"]).astype("Int64")
    r["area_km2"] = r["regency_code"].map(area["area_km2"])
    r = r.join(kab_counts[["n_districts", "n_villages", "n_desa", "n_kelurahan"]], on="regency_code")
    r = r.join(_centroids(raw["kabkota"]), on="regency_code")
    order = ["regency_code", "regency_code_nodot", "province_code", "province_name", "regency_type",
             "regency_name", "regency_name_short", "in_scope", "population_male_2024s2",
             "population_female_2024s2", "population_total_2024s2", "area_km2", "n_districts",
             "n_villages", "n_desa", "n_kelurahan", "centroid_lat", "centroid_lng"]
    r = r[order]

    p = codes.provinces.copy()
    p["population_total_2024s2"] = p["province_code"].map(pop["total"]).astype("Int64")
    p["area_km2"] = p["province_code"].map(area["area_km2"])
    p["n_regencies"] = p["province_code"].map(r.groupby("province_code").size())
    p["n_districts"] = p["province_code"].map(d.groupby("province_code").size())
    p["n_villages"] = p["province_code"].map(v.groupby("province_code").size())

    d = d[["district_code", "district_code_nodot", "regency_code", "province_code", "district_name",
           "regency_name", "in_scope", "n_villages", "n_desa", "n_kelurahan", "centroid_lat", "centroid_lng"]]
    v = v[["village_code", "village_code_nodot", "district_code", "regency_code", "province_code",
           "village_name", "village_type", "district_name", "regency_name", "in_scope", "has_boundary",
           "centroid_lat", "centroid_lng"]]
    return {"provinces": p, "regencies": r, "districts": d, "villages": v}


def check(tables: dict[str, pd.DataFrame], layers: Layers) -> list[str]:
    """What must hold before anything is written (a list of problems; empty when all is well)."""
    problems = []
    t = tables
    for name, key in (("provinces", "province_code"), ("regencies", "regency_code"),
                      ("districts", "district_code"), ("villages", "village_code")):
        if not t[name][key].is_unique:
            problems.append(f"{name}: {key} tidak unik")
    if t["regencies"]["population_total_2024s2"].isna().any():
        problems.append("regencies: penduduk kosong untuk " + ", ".join(
            t["regencies"].loc[t["regencies"]["population_total_2024s2"].isna(), "regency_code"]))
    if t["regencies"]["area_km2"].isna().any():
        problems.append("regencies: luas kosong untuk " + ", ".join(
            t["regencies"].loc[t["regencies"]["area_km2"].isna(), "regency_code"]))
    if t["regencies"]["n_districts"].isna().any() or t["districts"]["n_villages"].isna().any():
        problems.append("kab/kota tanpa kecamatan atau kecamatan tanpa desa")
    known = set(t["villages"]["village_code"])
    if not set(layers.desa["code"]) <= known:
        problems.append(f"batas desa: {len(set(layers.desa['code']) - known)} kode tidak ada di {CODES_FILE}")
    if set(layers.kabkota["code"]) != set(t["regencies"]["regency_code"]):
        problems.append("batas kab/kota tidak mencakup semua kab/kota")
    covered = set(layers.desa["code"].str[:8]) | set(layers.kecamatan_extra["code"])
    if covered != set(t["districts"]["district_code"]):
        lacking = len(set(t["districts"]["district_code"]) - covered)
        problems.append(f"batas kecamatan: {lacking} kecamatan tanpa poligon")
    for name, frame in (("desa", layers.desa), ("kabkota", layers.kabkota)):
        minx, miny, maxx, maxy = shapely.total_bounds(frame["geometry"].to_numpy())
        if not (94 <= minx and maxx <= 142 and -12 <= miny and maxy <= 7):
            problems.append(f"batas {name}: koordinat di luar Indonesia "
                            f"({minx:.2f}, {miny:.2f}, {maxx:.2f}, {maxy:.2f})")
    return problems


# ------------------------------------------------------------------------------------ writing

CODES_REPO = "https://github.com/cahyadsn/wilayah"
BOUNDARIES_REPO = "https://github.com/cahyadsn/wilayah_boundaries"
KEPMENDAGRI = ("Kementerian Dalam Negeri (Kepmendagri No. 300.2.2-2138 Tahun 2025, as amended by "
               "No. 300.2.2-2430 Tahun 2025), compiled by cahyadsn/wilayah")
BOUNDARY_PUBLISHER = "cahyadsn/wilayah_boundaries (Kemendagri codes; upstream survey source not stated)"


def _licence(source: Source) -> str:
    """``MIT (c) <holder>`` from the source's LICENSE file."""
    text = source.read("LICENSE")
    kind = "MIT" if text.lstrip().startswith("MIT") else text.splitlines()[0].strip()
    holder = re.search(r"Copyright \(c\)\s*(.+)", text, flags=re.IGNORECASE)
    return f"{kind} (c) {holder.group(1).strip()}" if holder else kind


def _version(source: Source, paths: list[str], name: str) -> str:
    head = f"{name} HEAD {source.commit} ({source.date()})" if source.commit else f"{name} (folder {source.root})"
    parts = []
    for path in paths:
        commit, date = source.last_change([path])
        if commit:
            parts.append(f"{path.removeprefix('db/')} at {commit} ({date})")
    return head + (": " + ", ".join(parts) if parts else "")


def write_parquet(frame: pd.DataFrame, path: Path, row_group: int | None = None) -> None:
    """A table as Parquet (zstd), deterministic for the same input and library versions."""

    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, path, compression="zstd", compression_level=15, row_group_size=row_group)


def write_boundaries(frame: pd.DataFrame, path: Path, row_group: int | None = None) -> None:
    """Polygons as GeoParquet 1.1 (WKB, EPSG:4326, zstd, rings oriented counter-clockwise):
    ``code``, ``regency_code``, ``geometry``."""

    out = geopandas.GeoDataFrame(
        {"code": frame["code"].astype(str).to_numpy(), "regency_code": frame["code"].astype(str).str[:5].to_numpy()},
        # exterior rings counter-clockwise (RFC 7946, and what signed-area tools expect)
        geometry=geopandas.GeoSeries(shapely.orient_polygons(frame["geometry"].to_numpy()), crs="EPSG:4326"),
    ).sort_values("code").reset_index(drop=True)
    out.to_parquet(path, compression="zstd", compression_level=15, row_group_size=row_group, index=False,
                   schema_version="1.1.0")


def write_all(out_dir: Path, tables: dict[str, pd.DataFrame], layers: Layers) -> dict[str, Path]:
    """Write every shipped wilayah file into ``out_dir/wilayah``; stale files there are removed."""
    folder = out_dir / "wilayah"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {key: out_dir / rel for key, rel in FILES.items()}
    for stale in folder.iterdir():
        if stale.is_file() and stale not in paths.values():
            stale.unlink()
    for key in ("provinces", "regencies"):
        tables[key].to_csv(paths[key], index=False, lineterminator="\n")
    for key in ("districts", "villages"):
        write_parquet(tables[key], paths[key], ROW_GROUP[key])
    write_boundaries(layers.desa, paths["boundaries_desa"], ROW_GROUP["boundaries_desa"])
    write_boundaries(layers.kabkota, paths["boundaries_kabkota"])
    write_boundaries(layers.kecamatan_extra, paths["boundaries_kecamatan"])
    return paths


def manifest_rows(paths: dict[str, Path], out_dir: Path, codes_src: Source, bounds_src: Source,
                  tables: dict[str, pd.DataFrame], layers: Layers, figures: Figures,
                  repaired: dict[str, int], retrieved: str) -> pd.DataFrame:
    """One manifest row per shipped file."""

    codes_licence, bounds_licence = _licence(codes_src), _licence(bounds_src)
    v_codes = _version(codes_src, [CODES_FILE], "cahyadsn/wilayah")
    v_figures = _version(codes_src, [CODES_FILE, POPULATION_FILE, AREA_FILE], "cahyadsn/wilayah")
    v_bounds = _version(bounds_src, [BOUNDARY_DIRS["desa"], BOUNDARY_DIRS["kecamatan"], BOUNDARY_DIRS["kabkota"]],
                        "cahyadsn/wilayah_boundaries")
    both = f"{codes_licence}; {bounds_licence}"
    t = tables
    n_missing = int((~t["villages"]["has_boundary"]).sum())
    fixes = "; ".join(figures.repairs)
    figure_note = ("population Ditjen Dukcapil semester II (December) 2024 (db/wilayah_penduduk.sql), area "
                   "Kepmendagri 2025 and BIG letter B-16.10/DIGD-BIG/IGD.04.04/12/2024 (db/wilayah_luas.sql)"
                   + (f"; codes repaired by name: {fixes}" if fixes else ""))
    centroid = "centroid_lat/lng from the lat/lng columns of cahyadsn/wilayah_boundaries"
    spec = {
        "provinces": (KEPMENDAGRI, f"{CODES_REPO} (db/wilayah.sql, db/wilayah_penduduk.sql, db/wilayah_luas.sql)",
                      v_figures, codes_licence, f"{len(t['provinces'])} provinces; {figure_note}"),
        "regencies": (KEPMENDAGRI, f"{CODES_REPO} (db/wilayah.sql, db/wilayah_penduduk.sql, db/wilayah_luas.sql); "
                      f"centroids {BOUNDARIES_REPO}", f"{v_figures}; {v_bounds}", both,
                      f"{len(t['regencies'])} kabupaten/kota; in_scope = the demo districts; {figure_note}; "
                      f"{centroid}"),
        "districts": (KEPMENDAGRI, f"{CODES_REPO} (db/wilayah.sql); centroids {BOUNDARIES_REPO}",
                      f"{v_codes}; {v_bounds}", both, f"{len(t['districts'])} kecamatan; {centroid}"),
        "villages": (KEPMENDAGRI, f"{CODES_REPO} (db/wilayah.sql); centroids {BOUNDARIES_REPO}",
                     f"{v_codes}; {v_bounds}", both,
                     f"{len(t['villages'])} desa/kelurahan; village_type from the 4th code segment (1 kelurahan, "
                     f"2 desa, 3 desa adat = desa); has_boundary false for {n_missing} without own polygon; "
                     f"{centroid}"),
        "boundaries_desa": (BOUNDARY_PUBLISHER, f"{BOUNDARIES_REPO} (db/kel/*/*.sql)", v_bounds, bounds_licence,
                            f"{len(layers.desa)} desa/kelurahan polygons; [lat,lng] -> (lng,lat), make_valid "
                            f"({repaired['desa']} repaired), snapped to {GRID:g} deg; {layers.notes['desa']}; "
                            "GeoParquet 1.1, WKB, EPSG:4326"),
        "boundaries_kabkota": (BOUNDARY_PUBLISHER, f"{BOUNDARIES_REPO} (db/kel/*/*.sql; db/kab/*.sql as fallback)",
                               v_bounds, bounds_licence,
                               f"{len(layers.kabkota)} kab/kota polygons; {layers.notes['kabkota']}; "
                               "GeoParquet 1.1, WKB, EPSG:4326"),
        "boundaries_kecamatan": (BOUNDARY_PUBLISHER, f"{BOUNDARIES_REPO} (db/kec/*.sql)", v_bounds, bounds_licence,
                                 f"{len(layers.kecamatan_extra)} rows: "
                                 + (layers.notes["kecamatan"] or "every kecamatan has desa polygons; "
                                    "kecamatan polygons are the union of their desa (analysis.reference)")
                                 + "; GeoParquet 1.1, WKB, EPSG:4326"),
    }
    rows = []
    for key, (publisher, url, version, licence, notes) in spec.items():
        rows.append({"file": FILES[key], "publisher": publisher, "source_url": url, "version": version,
                     "retrieved": retrieved, "licence": licence, "sha256": sha256_file(paths[key]), "notes": notes})
    return pd.DataFrame(rows)


def update_manifest(manifest_path: Path, rows: pd.DataFrame) -> pd.DataFrame:
    """Replace the ``wilayah/`` rows of the manifest with ``rows``; other rows stay as they are."""
    old = pd.read_csv(manifest_path, dtype=str, keep_default_na=False)
    kept = old[~old["file"].str.startswith("wilayah/")]
    new = pd.concat([kept, rows[old.columns]], ignore_index=True).sort_values("file", kind="stable")
    new.to_csv(manifest_path, index=False, lineterminator="\n")
    return new


# --------------------------------------------------------------------------------------- main


def build(wilayah: str | Path, batas: str | Path, out_dir: Path | None = None, *,
          wilayah_commit: str = "HEAD", batas_commit: str = "HEAD", retrieved: str | None = None,
          log: Callable[[str], None] = print) -> pd.DataFrame:
    """Rebuild every wilayah file and its manifest rows; returns the new manifest rows.

    Parameters
    ----------
    wilayah, batas : path
        ``cahyadsn/wilayah`` and ``cahyadsn/wilayah_boundaries``: git directories or folders.
    out_dir : Path, optional
        The reference folder (default: ``analysis/data/reference`` of this package).
    retrieved : str, optional
        Retrieval date for the manifest (default: the current month, ``YYYY-MM``).
    """


    out_dir = out_dir or config.REFERENCE_DIR
    retrieved = retrieved or pd.Timestamp.now().strftime("%Y-%m")
    start = time.monotonic()
    codes_src, bounds_src = Source.open(wilayah, wilayah_commit), Source.open(batas, batas_commit)
    log(f"kode wilayah: {codes_src.root} {codes_src.commit[:8]}; batas: {bounds_src.root} {bounds_src.commit[:8]}")
    codes = read_codes(codes_src.read(CODES_FILE), DISTRICTS)
    figures = read_figures(codes_src.read(POPULATION_FILE), codes_src.read(AREA_FILE), codes)
    log(f"  {len(codes.provinces)} provinsi, {len(codes.regencies)} kab/kota, {len(codes.districts)} kecamatan, "
        f"{len(codes.villages)} desa/kelurahan; perbaikan kode: {len(figures.repairs)}")
    raw = {level: read_boundaries(bounds_src, level) for level in BOUNDARY_DIRS}
    repaired = {level: int(frame.attrs.get("repaired", 0)) for level, frame in raw.items()}
    log("  poligon sumber: " + ", ".join(f"{k} {len(v)}" for k, v in raw.items())
        + f" ({time.monotonic() - start:.0f} s)")
    known = set(codes.villages["village_code"])
    unknown = sorted(set(raw["desa"]["code"]) - known)
    if unknown:
        log(f"  {len(unknown)} poligon desa tanpa kode Kemendagri diabaikan: {', '.join(unknown[:10])}")
        raw["desa"] = raw["desa"][raw["desa"]["code"].isin(known)].reset_index(drop=True)
    layers = build_layers(raw["desa"], raw["kecamatan"], raw["kabkota"])
    log(f"  poligon dibersihkan dan disederhanakan ({time.monotonic() - start:.0f} s)")
    tables = build_tables(codes, figures, raw, set(layers.desa["code"]))
    problems = check(tables, layers)
    if problems:
        raise ValueError("Data wilayah tidak lolos pemeriksaan:\n- " + "\n- ".join(problems))
    paths = write_all(out_dir, tables, layers)
    rows = manifest_rows(paths, out_dir, codes_src, bounds_src, tables, layers, figures, repaired, retrieved)
    update_manifest(out_dir / "manifest.csv", rows)
    for key, path in paths.items():
        log(f"  {FILES[key]}: {path.stat().st_size / 1e6:.2f} MB")
    log(f"selesai dalam {time.monotonic() - start:.0f} s")
    return rows


def main(argv: list[str] | None = None) -> int:

    parser = argparse.ArgumentParser(
        prog="python -m analysis.reference_build",
        description="Bangun ulang data rujukan wilayah (kode, nama, penduduk, luas, batas) dari "
                    "cahyadsn/wilayah dan cahyadsn/wilayah_boundaries, lalu perbarui manifest.csv.")
    parser.add_argument("--wilayah", required=True, help="repositori cahyadsn/wilayah (folder git atau salinan)")
    parser.add_argument("--batas", required=True, help="repositori cahyadsn/wilayah_boundaries")
    parser.add_argument("--commit-wilayah", default="HEAD")
    parser.add_argument("--commit-batas", default="HEAD")
    parser.add_argument("--keluaran", type=Path, default=None,
                        help="folder data rujukan (bawaan: analysis/data/reference paket ini)")
    parser.add_argument("--diambil", default=None, help="tanggal pengambilan untuk manifest (YYYY-MM)")
    args = parser.parse_args(argv)
    build(args.wilayah, args.batas, args.keluaran, wilayah_commit=args.commit_wilayah,
          batas_commit=args.commit_batas, retrieved=args.diambil)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
