"""Reference data: provenance of every file, checksums, and the lookup helpers."""

from __future__ import annotations

import pandas as pd
import pytest

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
