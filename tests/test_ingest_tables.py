"""The other tables of the data package: schemas, types, ranges, references, messages."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import InputFileError, ParameterError
from analysis.ingest.tables import TABLES, columns, empty_table, parse_amount, read_table


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error(name, path, *fragments, **kwargs):
    with pytest.raises(InputFileError) as info:
        read_table(name, path, **kwargs)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    return info.value


def test_every_table_has_a_schema_and_an_empty_frame():
    for name in TABLES:
        spec = columns(name)
        assert len(spec) >= 3
        empty = empty_table(name)
        assert list(empty.columns)[-len(spec):] == list(spec["kolom"])
        assert empty.empty
    assert "tahun" in empty_table("anggaran").columns
    assert list(empty_table("target_prevalensi").columns) == ["tahun", "target_pct", "sumber"]
    with pytest.raises(ParameterError):
        columns("tidak_ada")


def test_coverage_semicolon_latin1_nodot_codes(tmp_path):
    path = write(tmp_path, "cakupan_layanan.csv",
                 "Kode_Desa;kode_indikator;sasaran;capaian\n6474011001;BUMIL_TTD90;48;39\n"
                 "64.74.01.1002;IMUNISASI_DASAR;40;40\n", encoding="latin-1")
    table = read_table("cakupan_layanan", path, kab="64.74", tahun=2024)
    assert list(table.columns) == ["tahun", "kode_desa", "kode_indikator", "sasaran", "capaian"]
    assert table["kode_desa"].tolist() == ["64.74.01.1001", "64.74.01.1002"]
    assert table["sasaran"].dtype == "Int64" and (table["tahun"] == 2024).all()


def test_capaian_above_sasaran(tmp_path):
    path = write(tmp_path, "cakupan_layanan.csv",
                 "kode_desa,kode_indikator,sasaran,capaian\n64.74.01.1001,BUMIL_TTD90,40,45\n")
    e = error("cakupan_layanan", path, "tidak boleh lebih besar dari 'sasaran'", kab="64.74")
    assert e.row == 2 and e.column == "capaian"


def test_negative_and_non_integer_counts(tmp_path):
    path = write(tmp_path, "cakupan_layanan.csv",
                 "kode_desa,kode_indikator,sasaran,capaian\n64.74.01.1001,BUMIL_TTD90,-4,0\n"
                 "64.74.01.1002,BUMIL_TTD90,\"4,5\",1\n")
    e = error("cakupan_layanan", path, "paling kecil 0", "baris 3 kolom 'sasaran': bukan bilangan bulat",
              kab="64.74")
    assert e.row == 2


def test_unknown_indicator_and_foreign_desa(tmp_path):
    path = write(tmp_path, "cakupan_layanan.csv",
                 "kode_desa,kode_indikator,sasaran,capaian\n64.02.01.2001,BUMIL_TTD90,4,1\n"
                 "64.74.01.1001,BUKAN_KODE,4,1\n")
    error("cakupan_layanan", path, "bukan desa/kelurahan kabupaten/kota ini", "indikator.csv", kab="64.74")


def test_aksi_range_status_and_assessment(tmp_path):
    path = write(tmp_path, "status_aksi.csv",
                 "aksi,tanggal_target,tanggal_selesai,bukti,status,penilaian_mandiri\n"
                 "1,31/03/2024,28/03/2024,Dokumen,Selesai,a\n9,31/03/2024,,,proses,B\n3,xx,,,tamat,E\n")
    e = error("status_aksi", path, "paling besar 8", "bukan tanggal", "belum, proses, selesai", "A, B, C, D")
    assert e.row == 3 and e.column == "aksi"


def test_aksi_normalised(tmp_path):
    path = write(tmp_path, "status_aksi.csv",
                 "aksi,tanggal_target,tanggal_selesai,bukti,status,penilaian_mandiri\n"
                 "1,31/03/2024,28/03/2024,Dokumen,Selesai,a\n2,2024-06-30,,,PROSES,\n")
    table = read_table("status_aksi", path)
    assert table["status"].tolist() == ["selesai", "proses"]
    assert table["penilaian_mandiri"].tolist()[0] == "A" and pd.isna(table["penilaian_mandiri"][1])
    assert table["tanggal_target"][1] == pd.Timestamp("2024-06-30")


def test_duplicate_key_rows(tmp_path):
    path = write(tmp_path, "status_aksi.csv",
                 "aksi,tanggal_target,tanggal_selesai,bukti,status,penilaian_mandiri\n"
                 "1,31/03/2024,,,proses,B\n1,31/03/2024,,,proses,B\n")
    assert error("status_aksi", path, "baris ganda").row == 3


def test_budget_amounts_and_optional_columns(tmp_path):
    path = write(tmp_path, "anggaran.csv",
                 "opd;kode_subkegiatan;nama_subkegiatan;pagu;realisasi\n"
                 "Dinas Kesehatan;1.02.02.2.02.0020;Gizi;Rp 1.250.000.000;\"1.100.000,50\"\n"
                 "Bappeda;5.01.01.2.01.0001;Rembuk;250000000;0\n")
    table = read_table("anggaran", path, kab="64.74", tahun=2023)
    assert table["pagu"].tolist() == [1_250_000_000, 250_000_000]
    assert table["realisasi"].tolist() == [1_100_000.5, 0]
    assert table["kode_indikator"].isna().all() and table["kode_desa"].isna().all()


def test_budget_negative_realisation(tmp_path):
    path = write(tmp_path, "anggaran.csv", "opd,kode_subkegiatan,nama_subkegiatan,pagu,realisasi\nX,1,Y,100,-5\n")
    assert error("anggaran", path, "paling kecil 0").column == "realisasi"


def test_scorecard_service_must_belong_to_group(tmp_path):
    path = write(tmp_path, "konvergensi_desa.csv",
                 "kode_desa,kelompok,layanan,jumlah_seharusnya,jumlah_diterima\n"
                 "64.74.01.1001,anak_0_23,IMUNISASI,10,8\n64.74.01.1001,ibu_hamil,PAUD,10,8\n")
    assert error("konvergensi_desa", path, "kode layanan tidak dikenal", kab="64.74").row == 3


def test_required_column_missing_lists_found(tmp_path):
    path = write(tmp_path, "profil_desa.csv", "kode_desa,nama_desa,jumlah_keluarga,perkiraan_balita\n64.74.01.1001,A,10,5\n")
    e = error("profil_desa", path, "kolom wajib 'keluarga_berisiko_stunting' tidak ada", "'jumlah_keluarga'")
    assert e.column == "keluarga_berisiko_stunting"


def test_header_only_and_not_a_table(tmp_path):
    error("lokus", write(tmp_path, "lokus.csv", "kode_desa,nama_desa,dasar_penetapan\n"), "hanya berisi baris judul")
    error("lokus", write(tmp_path, "lokus2.csv", "ini bukan tabel\n"), "baris judul kolom tidak ditemukan")


def test_xlsx_table_with_title_row(tmp_path):
    path = tmp_path / "target_prevalensi.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        frame = pd.DataFrame({"tahun": [2023, 2024], "target_pct": [16.5, 14.0], "sumber": ["RPJMD", "RPJMD"]})
        frame.to_excel(writer, index=False, startrow=2)
        writer.sheets["Sheet1"].write(0, 0, "Target prevalensi stunting")
    table = read_table("target_prevalensi", path)
    assert table["target_pct"].tolist() == [16.5, 14.0] and "tahun" in table.columns


def test_target_out_of_range(tmp_path):
    path = write(tmp_path, "target_prevalensi.csv", "tahun,target_pct,sumber\n2024,140,x\n")
    assert error("target_prevalensi", path, "paling besar 100").row == 2


def test_parse_amount():
    values, bad = parse_amount(pd.Series(["Rp 1.250.000", "1,250,000", "1250000", "12,5", "abc"], dtype=object))
    assert values[:4].tolist() == [1_250_000, 1_250_000, 1_250_000, 12.5]
    assert bad.tolist() == [False, False, False, False, True]
