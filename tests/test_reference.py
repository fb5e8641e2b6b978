"""Reference data: provenance of every file, checksums, and the lookup helpers."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from analysis import config, reference
from analysis.checksum import sha256_file
from analysis.errors import ParameterError, ReferenceDataError

MANIFEST_COLUMNS = ["file", "publisher", "source_url", "version", "retrieved", "licence",
                    "sha256", "notes"]


def _data_files():
    return sorted(
        p.relative_to(config.REFERENCE_DIR).as_posix()
        for p in config.REFERENCE_DIR.rglob("*")
        if p.is_file() and p.name not in ("README.md", reference.MANIFEST_NAME)
    )


def test_manifest_has_provenance_for_every_file():
    manifest = reference.manifest()
    assert list(manifest.columns) == MANIFEST_COLUMNS
    assert sorted(manifest["file"]) == _data_files()
    for column in ("publisher", "source_url", "version", "retrieved", "licence", "sha256"):
        assert (manifest[column].str.strip() != "").all(), column


@pytest.mark.parametrize("relative", _data_files())
def test_every_checksum_matches(relative):
    recorded = reference.manifest().set_index("file").loc[relative, "sha256"]
    assert sha256_file(config.REFERENCE_DIR / relative) == recorded


def test_changed_file_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "reference"
    (fake / "wilayah").mkdir(parents=True)
    (fake / "wilayah" / "provinces.csv").write_text("province_code\n64\n", encoding="utf-8")
    (fake / reference.MANIFEST_NAME).write_bytes(
        (config.REFERENCE_DIR / reference.MANIFEST_NAME).read_bytes())
    monkeypatch.setattr(config, "REFERENCE_DIR", fake)
    reference.manifest.cache_clear()
    reference._verified.cache_clear()
    reference._read_csv.cache_clear()
    try:
        with pytest.raises(ReferenceDataError, match="checksum"):
            reference.provinces()
    finally:
        monkeypatch.undo()
        reference.manifest.cache_clear()
        reference._verified.cache_clear()
        reference._read_csv.cache_clear()


def test_codes_stay_strings_and_counts_match_the_readme():
    reg = reference.regencies(in_scope_only=True)
    assert len(reg) == 11
    assert "64.10" not in set(reg["regency_code"])  # would be a float mangled to 64.1
    assert set(reg["regency_code"]) >= {"64.02", "64.74", "17.71"}
    assert len(reference.kecamatan("64.02")) == 20
    assert len(reference.villages("64.02")) == 237
    assert len(reference.villages("17.71")) == 67


def test_district_name_and_slug():
    assert reference.district_name("64.74") == "Kota Bontang"
    assert reference.district_slug("64.02") == "kabupaten-kutai-kartanegara"
    with pytest.raises(ParameterError, match="64.74"):
        reference.district_name("99.99")


def test_survey_and_indicators_are_typed():
    survey = reference.survey_prevalence()
    assert survey["year"].dtype == "int64"
    assert pd.api.types.is_float_dtype(survey["prevalence_pct"])
    assert {"SSGI", "SKI"} <= set(survey["source"])
    assert reference.indicators()["kode_indikator"].is_unique
    assert reference.services()["kode_layanan"].notna().all()


def test_boundaries_unknown_level():
    with pytest.raises(ParameterError):
        reference.boundaries("provinsi")


# ------------------------------------------------------------------- the whole country
# Expected values: Kepmendagri No. 300.2.2-2138 Tahun 2025 as amended by 300.2.2-2430 Tahun 2025,
# as compiled in cahyadsn/wilayah db/wilayah.sql (counted with grep on that file), and the
# population of Ditjen Dukcapil, semester II 2024 (db/wilayah_penduduk.sql).

def test_counts_per_level_equal_the_kepmendagri_list():
    assert len(reference.provinces()) == 38
    reg = reference.regencies()
    assert len(reg) == 514
    assert (reg["regency_type"] == "kabupaten").sum() == 416
    assert (reg["regency_type"] == "kota").sum() == 98
    assert len(reference.kecamatan()) == 7285
    vil = reference.villages()
    assert len(vil) == 83762
    assert set(vil["village_type"]) == {"desa", "kelurahan"}
    assert (vil["village_type"] == "kelurahan").sum() == 8496
    for frame, key in ((reference.provinces(), "province_code"), (reg, "regency_code"),
                       (reference.kecamatan(), "district_code"), (vil, "village_code")):
        assert frame[key].is_unique, key
    # counts carried by the parents agree with the children
    assert reg["n_villages"].sum() == 83762 and reg["n_districts"].sum() == 7285
    assert reference.provinces()["n_regencies"].sum() == 514


def test_population_and_area_for_every_district():
    reg = reference.regencies().set_index("regency_code")
    assert reg["population_total_2024s2"].notna().all() and reg["area_km2"].notna().all()
    assert reg.loc["32.01", "population_total_2024s2"] == 5_809_790
    assert reg.loc["64.74", "population_total_2024s2"] == 191_811
    assert reg.loc["64.74", "area_km2"] == pytest.approx(160.2)
    # wilayah_luas.sql writes 11.10 as "11.1": repaired by name (manifest notes)
    assert reg.loc["11.10", "area_km2"] == pytest.approx(1851.615)
    assert (reg["population_male_2024s2"] + reg["population_female_2024s2"]
            == reg["population_total_2024s2"]).all()


def test_demo_names_still_resolve():
    kec = reference.kecamatan("64.74").set_index("district_code")["district_name"]
    assert kec.to_dict() == {"64.74.01": "Bontang Utara", "64.74.02": "Bontang Selatan",
                             "64.74.03": "Bontang Barat"}
    bontang = reference.villages("64.74").set_index("village_code")
    assert len(bontang) == 15 and (bontang["village_type"] == "kelurahan").all()
    assert bontang.loc["64.74.01.1001", "village_name"] == "Bontang Kuala"
    assert bontang.loc["64.74.03.1003", "village_name"] == "Kanaan"
    kukar = reference.villages("64.02")
    assert sorted(kukar.loc[kukar["village_name"] == "Sumber Sari", "village_code"]) == [
        "64.02.02.2014", "64.02.07.2007", "64.02.19.2007"]
    assert reference.kecamatan("64.02").set_index("district_code").loc["64.02.01", "district_name"] == "Muara Muntai"


@pytest.mark.parametrize(("kab", "name", "n_kec", "n_desa", "first_kec", "first_desa"), [
    ("32.01", "Kabupaten Bogor", 40, 435, "Cibinong", ("32.01.01.1001", "Pondok Rajeg")),
    ("52.03", "Kabupaten Lombok Timur", 21, 254, "Keruak", ("52.03.01.2001", "Tanjung Luar")),
])
def test_district_outside_the_demo_has_kecamatan_desa_and_polygons(kab, name, n_kec, n_desa, first_kec, first_desa):
    assert reference.district_name(kab) == name
    kec, vil = reference.kecamatan(kab), reference.villages(kab)
    assert len(kec) == n_kec and len(vil) == n_desa
    assert kec.sort_values("district_code")["district_name"].iloc[0] == first_kec
    assert dict(zip(vil["village_code"], vil["village_name"], strict=True))[first_desa[0]] == first_desa[1]
    desa_poly = reference.boundaries("desa", kab)
    assert set(desa_poly["code"]) == set(vil.loc[vil["has_boundary"], "village_code"])
    assert len(desa_poly) >= 0.98 * n_desa
    kec_poly = reference.boundaries("kecamatan", kab)
    assert sorted(kec_poly["code"]) == sorted(kec["district_code"])
    assert (kec_poly["name"].to_numpy() == kec.sort_values("district_code")["district_name"].to_numpy()).all()
    kab_poly = reference.boundaries("kabkota", kab)
    assert list(kab_poly["code"]) == [kab]
    for frame in (desa_poly, kec_poly, kab_poly):
        assert frame.crs.to_epsg() == 4326
        assert shapely.is_valid(frame.geometry.to_numpy()).all()
        assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


def test_coordinates_are_longitude_latitude_of_indonesia():
    for level in ("kabkota", "desa"):
        minx, miny, maxx, maxy = reference.boundaries(level, province="64").total_bounds
        assert 95 <= minx and maxx <= 141 and -11 <= miny and maxy <= 6, level
    # exterior rings counter-clockwise (RFC 7946 orientation; signed areas come out positive)
    desa = reference.boundaries("desa", "64.74")
    rings = shapely.get_exterior_ring(shapely.get_parts(desa.geometry.to_numpy()))
    assert shapely.is_ccw(rings).all()
    # Bontang Kuala (64.74.01.1001) lies at about 117.5 E, 0.13 N (the source stores [lat, lng])
    desa = reference.boundaries("desa", "64.74").set_index("code")
    minx, miny, maxx, maxy = desa.loc["64.74.01.1001", "geometry"].bounds
    assert 117.4 < minx < maxx < 117.6 and 0.05 < miny < maxy < 0.2


@pytest.mark.parametrize("kab", ["64.74", "64.02", "32.01"])
def test_kecamatan_are_gap_free_unions_of_their_desa(kab):
    desa = reference.boundaries("desa", kab)
    kec = reference.boundaries("kecamatan", kab).set_index("code")
    assert shapely.coverage_is_valid(desa.geometry.to_numpy())  # no overlaps, shared edges identical
    assert shapely.coverage_is_valid(kec.geometry.to_numpy())
    for code, part in desa.groupby("district_code"):
        assert part.union_all().symmetric_difference(kec.loc[code, "geometry"]).area < 1e-12
    # no slivers: every hole left inside the district is a real enclave (> 1 km², about 8e-5 deg²),
    # such as Kota Samarinda inside Kutai Kartanegara or Kota Bogor inside Kabupaten Bogor
    whole = shapely.coverage_union_all(kec.geometry.to_numpy())
    holes = [shapely.Polygon(r).area for p in shapely.get_parts(whole) for r in p.interiors]
    assert all(a > 8e-5 for a in holes), sorted(holes)[:3]


def test_province_layer_tiles_the_province():
    kab = reference.boundaries("kabkota", province="64")
    assert sorted(kab["code"]) == sorted(reference.regencies(province="64")["regency_code"])
    assert shapely.coverage_is_valid(kab.geometry.to_numpy())
    assert kab.set_index("code").loc["64.74", "name"] == "Kota Bontang"


def test_every_district_code_is_accepted_and_an_unknown_one_is_explained():
    for kab in reference.regencies()["regency_code"]:
        assert reference.check_district(kab) == kab
    with pytest.raises(ParameterError, match=r"32\.01 \(Kabupaten Bogor\)"):
        reference.check_district("32.99")
    with pytest.raises(ParameterError, match="64.74"):
        reference.check_district("6474")
    assert reference.province_name("64") == "Kalimantan Timur"
    assert reference.province_name("52.03") == "Nusa Tenggara Barat"
    with pytest.raises(ParameterError, match="provinsi"):
        reference.province_name("99")
