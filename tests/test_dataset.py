"""``load_district``: all years, the tables, the missing list, the Parquet cache."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config, dataset
from analysis.errors import DataUnavailableError, InputFileError, ParameterError
from test_ingest import make_rows, write_csv


@pytest.fixture
def processed(tmp_path, monkeypatch):
    folder = tmp_path / "processed"
    monkeypatch.setattr(config, "PROCESSED_DIR", folder)
    return folder


def package(root):
    """A small data package for Kota Bontang: 2023 (one round) and 2024 (two rounds)."""
    district = root / "64.74"
    for year in (2023, 2024):
        (district / str(year)).mkdir(parents=True)
    rows = make_rows(6)
    feb = rows.assign(**{"Tanggal Pengukuran": "14/02/2024"})
    aug = rows.assign(**{"Tanggal Pengukuran": "12/08/2024"})
    aug.loc[5, "Tanggal Pengukuran"] = "03/09/2024"  # a late measurement in the August round
    write_csv(district / "2024" / "eppgbm_02.csv", feb)
    write_csv(district / "2024" / "EPPGBM_08.csv", aug.iloc[:5])
    write_csv(district / "2024" / "eppgbm_09.csv", aug.iloc[5:], sep=";")
    write_csv(district / "2023" / "eppgbm.csv", rows.assign(**{"Tanggal Pengukuran": "10/08/2023"}))
    (district / "target_prevalensi.csv").write_text("tahun;target_pct;sumber\n2023;16;RPJMD\n2024;\"14,0\";RPJMD\n",
                                                   encoding="utf-8")
    (district / "2024" / "cakupan_layanan.csv").write_text(
        "kode_desa,kode_indikator,sasaran,capaian\n64.74.01.1001,BUMIL_TTD90,48,39\n", encoding="utf-8")
    (district / "2023" / "cakupan_layanan.csv").write_text(
        "kode_desa,kode_indikator,sasaran,capaian\n64.74.01.1001,BUMIL_TTD90,40,30\n", encoding="utf-8")
    (district / "2024" / "lokus.csv").write_text("kode_desa,nama_desa,dasar_penetapan\n64.74.01.1002,Bontang Baru,SK\n",
                                                encoding="utf-8")
    return district


def test_load_district_reads_every_year(tmp_path, processed):
    package(tmp_path)
    data = dataset.load_district("64.74", tmp_path)
    assert data.kab == "64.74" and data.nama == "Kota Bontang"
    assert data.tahun_tersedia == [2023, 2024]
    assert len(data.accounting) == 6 + 6 + 6 == len(data.measurements)
    assert set(data.measurements["periode"]) == {"2023-08", "2024-02", "2024-08"}
    assert data.coverage["tahun"].tolist() == [2023, 2024]
    assert data.targets["target_pct"].tolist() == [16.0, 14.0]
    assert len(data.lokus) == 1 and data.lokus["tahun"].iloc[0] == 2024
    assert sorted(data.missing) == sorted(["profil_desa", "anggaran", "status_aksi", "konvergensi_desa", "lokus:2023"])
    assert data.budget.empty and "pagu" in data.budget.columns and "tahun" in data.budget.columns


def test_measurements_for_year_takes_the_last_round_one_row_per_child(tmp_path, processed):
    package(tmp_path)
    data = dataset.load_district("64.74", tmp_path)
    latest = dataset.measurements_for_year(data, 2024)
    assert len(latest) == 6 and latest["child_key"].is_unique
    assert set(latest["periode"]) == {"2024-08"}
    assert latest["measure_date"].max() == pd.Timestamp("2024-09-03")
    assert len(dataset.measurements_for_year(data, 2023)) == 6
    with pytest.raises(DataUnavailableError, match="2022"):
        dataset.measurements_for_year(data, 2022)


def test_cache_is_used_and_invalidated(tmp_path, processed, monkeypatch):
    district = package(tmp_path)
    first = dataset.load_district("64.74", tmp_path)
    assert len(list(processed.joinpath("64.74").iterdir())) == 1

    def boom(*_a, **_k):
        raise AssertionError("inputs read again although nothing changed")

    monkeypatch.setattr(dataset, "read_district", boom)
    cached = dataset.load_district("64.74", tmp_path)
    pd.testing.assert_frame_equal(cached.measurements, first.measurements)
    pd.testing.assert_frame_equal(cached.accounting, first.accounting)
    pd.testing.assert_frame_equal(cached.coverage, first.coverage)
    assert cached.missing == first.missing and cached.tahun_tersedia == first.tahun_tersedia
    monkeypatch.undo()
    monkeypatch.setattr(config, "PROCESSED_DIR", processed)
    (district / "2024" / "lokus.csv").write_text("kode_desa,nama_desa,dasar_penetapan\n64.74.01.1003,Lok Tuan,SK\n",
                                                encoding="utf-8")
    changed = dataset.load_district("64.74", tmp_path)
    assert changed.lokus["kode_desa"].tolist() == ["64.74.01.1003"]
    assert len(list(processed.joinpath("64.74").iterdir())) == 1  # the stale cache is gone


def test_bad_table_names_file_row_column(tmp_path, processed):
    district = package(tmp_path)
    (district / "2024" / "cakupan_layanan.csv").write_text(
        "kode_desa,kode_indikator,sasaran,capaian\n64.74.01.1001,BUMIL_TTD90,4,39\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"cakupan_layanan.csv, baris 2, kolom 'capaian'"):
        dataset.load_district("64.74", tmp_path)


def test_unknown_district_and_missing_folder(tmp_path, processed):
    with pytest.raises(ParameterError):
        dataset.load_district("99.99", tmp_path)
    with pytest.raises(DataUnavailableError, match="64.01"):
        dataset.load_district("64.01", tmp_path)


def test_loading_never_generates_the_demo(tmp_path, processed, monkeypatch):
    """Without a data folder the demo is read, never made: a missing demo names the command."""
    calls = []
    monkeypatch.setattr(config, "DEMO_DIR", tmp_path / "demo")
    monkeypatch.setattr(dataset, "ensure_demo", lambda districts=None: calls.append(districts))
    with pytest.raises(DataUnavailableError, match="konvergensi demo"):
        dataset.load_district("64.74")
    assert calls == []
    package(tmp_path / "demo")  # once the demo exists, it is what data_root=None reads
    data = dataset.load_district("64.74")
    assert len(data.measurements) == 18 and calls == []


def test_missing_tables_of_a_year():
    missing = ["anggaran", "lokus:2023", "status_aksi:2024", "eppgbm:2022"]
    assert dataset.missing_for_year(missing, 2024) == ["anggaran", "status_aksi"]
    assert dataset.missing_for_year(missing, 2023) == ["anggaran", "lokus"]
    assert dataset.missing_for_year([], 2024) == []


def test_demo_complete(tmp_path):
    package(tmp_path)
    assert dataset.demo_complete(tmp_path, ["64.74"], years=(2023, 2024))
    assert not dataset.demo_complete(tmp_path, ["64.74"], years=(2022, 2023, 2024))
    assert not dataset.demo_complete(tmp_path, ["17.71"], years=(2024,))
