"""The wilayah build (``python -m analysis.reference_build``) on a small source tree made here.

The source formats copy the two repositories: ``cahyadsn/wilayah`` (``db/wilayah.sql``,
``db/wilayah_penduduk.sql``, ``db/wilayah_luas.sql``) and ``cahyadsn/wilayah_boundaries``
(``db/{kab,kec,kel}``; JSON paths of ``[lat, lng]`` points inside SQL).
"""

from __future__ import annotations

import json
import shutil
import subprocess

import geopandas
import pandas as pd
import pytest
import shapely

from analysis import config
from analysis import reference_build as rb
from analysis.checksum import sha256_file

LICENCE = "MIT License\n\nCopyright (c) 2017-2025 Cahya DSN\n\nPermission is hereby granted...\n"


def _path(*rings_lnglat):
    """A source path: one polygon of rings, points written [lat, lng] as the source does."""
    return json.dumps([[[y, x] for x, y in ring] for ring in rings_lnglat])


def _box(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


CODES = """-- header
INSERT INTO wilayah (kode, nama)
VALUES
('64','Kalimantan Timur'),
('64.74','Kota Bontang'),
('64.74.01','Bontang Utara'),
('64.74.01.1001','Bontang Kuala'),
('64.74.01.1002','Api-api'),
('64.74.01.1003','Lok Tuan'),
('64.74.02','Bontang Selatan'),
('64.74.02.1001','Tanjung Laut'),
('64.74.02.1002','Ba''u Baru');
"""
POPULATION = """INSERT INTO wilayah_penduduk(kode, nama, pria, wanita, total)
VALUES
('0','INDONESIA','10','10','20'),
('64','Kalimantan Timur','100','90','190'),
('64.74','Kota  Bontang','100','90','190');
"""
AREA = """INSERT INTO wilayah_luas(kode,nama,luas)
VALUES
('64.0','Kalimantan Timur',126951.758),
('64.74','Kota Bontang',160.2);
"""


def _boundary_sql(rows):
    lines = ["INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES"]
    for i, (kode, nama, path) in enumerate(rows):
        end = ";" if i == len(rows) - 1 else ","
        lines.append(f"\t('{kode}','{nama}',0.15,117.45,'{path}'){end}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("sumber")
    wil, bat = root / "wilayah", root / "wilayah_boundaries"
    for folder, files in {
        wil: {"db/wilayah.sql": CODES, "db/wilayah_penduduk.sql": POPULATION, "db/wilayah_luas.sql": AREA},
        bat: {
            # 1001 and 1002 leave a 20 m sliver between them (x = 117.4500 .. 117.4502), closed by
            # 1003 below and 2001 above; 2001 is a bow-tie (self-intersecting ring) that
            # make_valid repairs into two triangles
            "db/kel/64/wilayah_boundaries_kel_64.74.sql": _boundary_sql([
                ("64.74.01.1001", "Bontang Kuala", _path(_box(117.40, 0.10, 117.4500, 0.15))),
                ("64.74.01.1002", "Api-api", _path(_box(117.4502, 0.10, 117.50, 0.15))),
                ("64.74.01.1003", "Lok Tuan", _path(_box(117.40, 0.05, 117.50, 0.10))),
                ("64.74.02.1001", "Tanjung Laut",
                 _path([(117.40, 0.15), (117.50, 0.15), (117.40, 0.20), (117.50, 0.20), (117.40, 0.15)])),
            ]),
            "db/kec/wilayah_boundaries_kec_64.sql": _boundary_sql([
                ("64.74.01", "Bontang Utara", _path(_box(117.40, 0.05, 117.50, 0.15))),
                ("64.74.02", "Bontang Selatan", _path(_box(117.40, 0.15, 117.50, 0.20))),
            ]),
            "db/kab/wilayah_boundaries_kab_64.sql": _boundary_sql([
                ("64.74", "Kota Bontang", _path(_box(117.40, 0.05, 117.50, 0.20))),
            ]),
        },
    }.items():
        for rel, text in {**files, "LICENSE": LICENCE}.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    # the boundaries source as a git repository (read at a commit), the codes as a plain folder
    git = ["git", "-C", str(bat), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], check=True)
    out = root / "reference"
    (out / "wilayah").mkdir(parents=True)
    shutil.copy(config.REFERENCE_DIR / "manifest.csv", out / "manifest.csv")
    (out / "wilayah" / "kabkota_64_17.geojson").write_text("{}", encoding="utf-8")  # a stale file
    rb.build(wil, bat, out, retrieved="2026-12", log=lambda _: None)
    return out


def test_parse_rows_unescapes_quotes_and_reads_values():
    rows = rb.parse_rows("('11.01.02.2018','Pasi Kuala Ba''u'),\n( '64', 'Kalimantan Timur' , '10', 2.5)")
    assert rows["nama"].tolist() == ["Pasi Kuala Ba'u", "Kalimantan Timur"]
    assert rows.loc[1, ["v1", "v2"]].tolist() == ["10", "2.5"]


def test_path_geometry_swaps_lat_lng_and_reads_both_nestings():
    polygon = rb.path_geometry("[[[0.1,117.4],[0.1,117.5],[0.2,117.5],[0.1,117.4]]]")
    assert polygon.geom_type == "Polygon" and polygon.bounds == (117.4, 0.1, 117.5, 0.2)
    multi = rb.path_geometry("[[[[0.1,117.4],[0.1,117.5],[0.2,117.5]]],[[[1,118],[1,118.1],[1.1,118.1]]]]")
    assert multi.geom_type == "MultiPolygon" and len(multi.geoms) == 2
    assert rb.path_geometry("").is_empty


def test_build_writes_every_file_with_its_checksum_in_the_manifest(sources):
    manifest = pd.read_csv(sources / "manifest.csv", dtype=str, keep_default_na=False)
    rows = manifest[manifest["file"].str.startswith("wilayah/")].set_index("file")
    assert sorted(rows.index) == sorted(rb.FILES.values())
    assert sorted(p.name for p in (sources / "wilayah").iterdir()) == sorted(
        f.split("/")[1] for f in rb.FILES.values())  # the stale GeoJSON is gone
    for rel, row in rows.iterrows():
        assert row["sha256"] == sha256_file(sources / rel)
        assert row["licence"].startswith("MIT (c) ")
        assert row["retrieved"] == "2026-12"
    # the boundaries were read from a git repository: its commit is recorded; the codes from a folder
    commit = rows.loc["wilayah/boundaries_desa.parquet", "version"].split("HEAD ")[1].split()[0]
    assert len(commit) == 40 and all(c in "0123456789abcdef" for c in commit)
    assert rows.loc["wilayah/districts.parquet", "version"].startswith("cahyadsn/wilayah (folder ")
    # the other reference files keep their rows
    assert "who/lenanthro.csv" in set(manifest["file"])
    # the mangled area code "64.0" is matched by the province's name
    assert "'64.0' -> '64'" in rows.loc["wilayah/provinces.csv", "notes"]


def test_build_tables(sources):
    reg = pd.read_csv(sources / "wilayah" / "regencies.csv", dtype=str).iloc[0]
    assert reg["regency_type"] == "kota" and reg["regency_name_short"] == "Bontang"
    assert reg["population_total_2024s2"] == "190" and reg["area_km2"] == "160.2"
    assert reg["n_districts"] == "2" and reg["n_villages"] == "5" and reg["n_kelurahan"] == "5"
    vil = pd.read_parquet(sources / "wilayah" / "villages.parquet").set_index("village_code")
    assert vil.loc["64.74.02.1002", "village_name"] == "Ba'u Baru"
    assert not vil.loc["64.74.02.1002", "has_boundary"] and vil["has_boundary"].sum() == 4
    assert vil.loc["64.74.01.1001", "centroid_lng"] == pytest.approx(117.45)


def test_build_polygons_are_lnglat_repaired_and_gap_free(sources):
    desa = geopandas.read_parquet(sources / "wilayah" / "boundaries_desa.parquet")
    assert list(desa["code"]) == ["64.74.01.1001", "64.74.01.1002", "64.74.01.1003", "64.74.02.1001"]
    assert desa.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = desa.total_bounds
    assert (minx, maxx) == pytest.approx((117.40, 117.50)) and (miny, maxy) == pytest.approx((0.05, 0.20))
    assert shapely.is_valid(desa.geometry.to_numpy()).all()
    assert shapely.coverage_is_valid(desa.geometry.to_numpy())
    # the 20 m sliver between 1001 and 1002 was merged: their union is one polygon without holes
    north = shapely.union_all(desa.geometry.iloc[:2].to_numpy())
    assert north.geom_type == "Polygon" and not north.interiors
    assert north.area == pytest.approx(0.1 * 0.05, rel=1e-6)
    assert desa.geometry.iloc[3].geom_type == "MultiPolygon"  # the repaired bow-tie
    kab = geopandas.read_parquet(sources / "wilayah" / "boundaries_kabkota.parquet")
    assert list(kab["code"]) == ["64.74"]
    assert len(geopandas.read_parquet(sources / "wilayah" / "boundaries_kecamatan.parquet")) == 0
