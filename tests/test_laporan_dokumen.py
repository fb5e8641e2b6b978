"""The report API (analysis.laporan.Laporan) without a kernel: blocks, numbering, outputs,
and re-running cells as JupyterLab does (the cell id comes with each execution)."""

from __future__ import annotations

import base64
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import config  # noqa: E402
from analysis.errors import ParameterError  # noqa: E402
from analysis.laporan.dokumen import METADATA_KEY, Laporan  # noqa: E402


@pytest.fixture
def lap(tmp_path):
    return Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False)


def test_area_name_year_and_default_title(lap):
    lap.judul(sumber={"e-PPGBM": "Agustus 2024"})
    block = lap.blok[0]
    assert lap.nama_wilayah == "Kota Bontang"
    assert block["jenis"] == "judul"
    assert "Kota Bontang" in block["html"] and "Tahun 2024" in block["html"]
    assert "e-PPGBM" in block["html"] and "Agustus 2024" in block["html"]
    assert lap.judul_laporan == "Analisis Situasi Percepatan Penurunan Stunting"


def test_sections_are_numbered_with_stable_ids(lap):
    lap.bagian("ringkasan", "Ringkasan")
    lap.bagian("prevalensi", "Prevalensi")
    lap.sub("prevalensi-kecamatan", "Per kecamatan")
    lap.sub("prevalensi-desa", "Per desa")
    lap.bagian("rekomendasi", "Rekomendasi")
    nomor = [(b["id"], b["nomor"]) for b in lap.blok]
    assert nomor == [("ringkasan", "1"), ("prevalensi", "2"), ("prevalensi-kecamatan", "2.1"),
                     ("prevalensi-desa", "2.2"), ("rekomendasi", "3")]


@pytest.mark.parametrize("bad", ["Ringkasan", "dua kata", "", "-awal", "garis_bawah"])
def test_bad_ids_are_rejected(lap, bad):
    with pytest.raises(ParameterError, match="id"):
        lap.bagian(bad, "x")


def test_duplicate_id_is_rejected_across_kinds(lap):
    lap.bagian("prevalensi", "Prevalensi")
    with pytest.raises(ParameterError, match="sudah dipakai"):
        lap.tabel(pd.DataFrame({"a": [1]}), judul="t", id="prevalensi")


def test_subsection_needs_a_section(lap):
    with pytest.raises(ParameterError, match="bagian"):
        lap.sub("x", "x")


def test_table_formats_numbers_the_indonesian_way(lap):
    df = pd.DataFrame({"Desa": ["A", "B"], "Balita": [1234, 56], "Prevalensi (%)": [14.31, None]})
    lap.tabel(df, judul="Prevalensi", id="t1", catatan="Catatan **penting**.")
    lap.tabel(df, judul="Lagi", id="t2", desimal={"Prevalensi (%)": 2})
    first, second = lap.blok
    assert first["nomor"] == 1 and second["nomor"] == 2
    assert "Tabel 1." in first["html"] and "Tabel 2." in second["html"]
    assert ">1.234<" in first["html"] and ">14,3<" in first["html"] and ">–<" in first["html"]
    assert ">14,31<" in second["html"]
    assert "<strong>penting</strong>" in first["html"]
    assert 'id="t1"' in first["html"]


def test_markdown_cannot_inject_html(lap):
    lap.teks("Teks <script>alert(1)</script> dan **tebal**.\n\n<img src=x onerror=alert(1)>")
    html = lap.blok[0]["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert "<strong>tebal</strong>" in html


def test_figure_is_an_embedded_png_and_closed(lap):
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    lap.gambar(fig, judul="Tren", id="tren", catatan="c")
    block = lap.blok[0]
    assert block["nomor"] == 1 and "Gambar 1." in block["html"]
    data = block["html"].split("data:image/png;base64,")[1].split('"')[0]
    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)


def test_simpan_writes_json_and_excel_annex(lap, tmp_path):
    lap.judul(sumber=[("e-PPGBM", "Agustus 2024")])
    lap.bagian("ringkasan", "Ringkasan")
    df = pd.DataFrame({"Desa": ["A", "B"], "Prevalensi (%)": [14.31, 9.5]})
    lap.tabel(df, judul="Prevalensi desa", id="prev-desa", lampiran="Prevalensi desa")
    lap.tabel(df, judul="Tanpa lampiran", id="lain")
    lap.rekomendasi(["Perkuat posyandu."])
    lap.angka_kunci("prevalensi_stunting_register", nilai=12.3, satuan="%", ci=(10.1, 14.6),
                    sumber="e-PPGBM Agustus 2024", label="Prevalensi stunting (register)")
    lap.angka_kunci("tidak_ada", nilai=float("nan"), satuan="%")
    out = lap.simpan()
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert data["laporan"] == "analisis-situasi" and data["kab"] == "64.74" and data["tahun"] == 2024
    assert data["angka_kunci"][0] == {"kode": "prevalensi_stunting_register",
                                      "label": "Prevalensi stunting (register)", "nilai": 12.3,
                                      "satuan": "%", "ci": [10.1, 14.6], "sumber": "e-PPGBM Agustus 2024"}
    assert data["angka_kunci"][1]["nilai"] is None
    assert data["bagian"] == [{"id": "ringkasan", "nomor": "1", "judul": "Ringkasan"}]
    assert data["rekomendasi"] == ["Perkuat posyandu."]
    book = openpyxl.load_workbook(out["xlsx"])
    assert book.sheetnames == ["Keterangan", "Prevalensi desa"]
    sheet = book["Prevalensi desa"]
    assert [c.value for c in sheet[1]] == ["Desa", "Prevalensi (%)"]
    assert sheet["B2"].value == pytest.approx(14.31)  # raw numbers, not text


@pytest.mark.parametrize("name", ["x" * 32, "a/b", "Keterangan", ""])
def test_bad_sheet_names(lap, name):
    with pytest.raises(ParameterError, match="lampiran"):
        lap.tabel(pd.DataFrame({"a": [1]}), judul="t", id="t", lampiran=name)


def test_unknown_report_and_district_are_clear_errors(tmp_path):
    with pytest.raises(ParameterError, match="analisis-situasi"):
        Laporan("laporan-lain", "64.74", 2024, tmp_path)
    with pytest.raises(ParameterError, match="64.74"):
        Laporan("analisis-situasi", "99.99", 2024, tmp_path)


def test_province_view_and_interactive_output_folder():
    """With output_dir empty (an analyst in JupyterLab) nothing goes over an official report."""
    lap = Laporan("studi-tiru", "64", 2024, tampilkan=False)
    assert lap.nama_wilayah == "Provinsi Kalimantan Timur"
    assert lap.output_dir.parts[-3:] == (".interaktif", "2024", "64-provinsi-kalimantan-timur")
    assert Laporan("analisis-situasi", "64.74", 2024, "", tampilkan=False).output_dir == \
        config.REPORTS_DIR / ".interaktif" / "2024" / "64.74-kota-bontang"


def test_blocks_are_tagged_for_the_renderer(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("analysis.laporan.dokumen._display", lambda html, meta: shown.append((html, meta)))
    lap = Laporan("analisis-situasi", "64.74", 2024, tmp_path)
    lap.bagian("ringkasan", "Ringkasan")
    lap.kotak("Isi", judul="Pesan utama", jenis="peringatan")
    assert shown[0][1] == {"jenis": "bagian", "id": "ringkasan", "nomor": "1", "judul": "Ringkasan"}
    assert shown[1][1]["subjenis"] == "peringatan"
    assert METADATA_KEY == "konvergensi"
    with pytest.raises(ParameterError, match="jenis"):
        lap.kotak("x", jenis="merah")


def test_key_list_goes_to_the_json_with_plain_values(lap, tmp_path):
    import numpy as np

    lap.daftar_kunci("lokus_rekomendasi", [
        {"kode_desa": "64.74.01.1001", "peringkat": np.int64(1), "skor": np.float64(71.5)},
        {"kode_desa": "64.74.01.1002", "peringkat": 2, "skor": float("nan")},
    ], label="Lokus", sumber="skor prioritas")
    out = lap.simpan()
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    (lst,) = doc["daftar_kunci"]
    assert lst["kode"] == "lokus_rekomendasi" and lst["label"] == "Lokus"
    assert lst["butir"][0] == {"kode_desa": "64.74.01.1001", "peringkat": 1, "skor": 71.5}
    assert lst["butir"][1]["skor"] is None
    with pytest.raises(ParameterError, match="kode"):
        lap.daftar_kunci("Lokus Baru", [])


def test_annex_only_table_is_in_the_workbook_but_not_the_report(lap):
    lap.bagian("cakupan", "Cakupan")
    lap.lampiran(pd.DataFrame({"Desa": ["A", "B"], "Cakupan (%)": [50.0, 75.5]}), "Cakupan desa",
                 "Cakupan per desa")
    out = lap.simpan()
    assert all(b["jenis"] != "tabel" for b in lap.blok)
    book = openpyxl.load_workbook(out["xlsx"])
    assert "Cakupan desa" in book.sheetnames
    rows = list(book["Cakupan desa"].iter_rows(values_only=True))
    assert rows == [("Desa", "Cakupan (%)"), ("A", 50), ("B", 75.5)]
    with pytest.raises(ParameterError, match="sudah dipakai"):
        lap.lampiran(pd.DataFrame({"x": [1]}), "Cakupan desa", "lagi")


# ------------------------------------------------------------------ re-running cells ----
class Cells:
    """Stands in for JupyterLab: which cell runs, and the execution counter."""

    def __init__(self, monkeypatch):
        self.count = 0
        self.cell: str | None = None
        monkeypatch.setattr("analysis.laporan.dokumen.current_run",
                            lambda: None if self.cell is None else (self.cell, self.count))

    def run(self, cell: str | None) -> None:
        self.cell = cell
        self.count += 1


def _cell_a(lap, n_rows: int = 2) -> None:
    lap.bagian("ringkasan", "Ringkasan")
    lap.tabel(pd.DataFrame({"a": range(n_rows)}), judul="Satu", id="t-satu", lampiran="Lembar satu")
    lap.angka_kunci("jumlah", nilai=n_rows, satuan="anak")


def _cell_b(lap) -> None:
    lap.bagian("data", "Data")
    lap.tabel(pd.DataFrame({"b": [1]}), judul="Dua", id="t-dua", lampiran="Lembar dua")


def test_a_cell_run_again_replaces_what_it_made(monkeypatch, tmp_path):
    cells = Cells(monkeypatch)
    lap = Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False)
    cells.run("sel-a")
    _cell_a(lap)
    cells.run("sel-b")
    _cell_b(lap)
    cells.run("sel-a")          # the analyst edits cell A and runs it again: no "already used"
    _cell_a(lap, n_rows=5)
    assert [b.get("id") for b in lap.blok] == ["ringkasan", "t-satu", "data", "t-dua"]
    assert [b.get("nomor") for b in lap.blok] == ["1", 1, "2", 2]   # in place, same numbers
    assert lap.blok[1]["baris"] == 5
    out = lap.simpan()
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    assert [f["nilai"] for f in doc["angka_kunci"]] == [5]
    assert openpyxl.load_workbook(out["xlsx"]).sheetnames == ["Keterangan", "Lembar satu", "Lembar dua"]


def test_ids_stay_unique_across_cells(monkeypatch, tmp_path):
    cells = Cells(monkeypatch)
    lap = Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False)
    cells.run("sel-a")
    _cell_a(lap)
    cells.run("sel-lain")       # a different cell reusing an id is still a mistake
    with pytest.raises(ParameterError, match="sudah dipakai"):
        lap.bagian("ringkasan", "Lagi")
    with pytest.raises(ParameterError, match="sudah dipakai"):
        lap.lampiran(pd.DataFrame({"x": [1]}), "Lembar satu", "lagi")


def test_without_a_cell_id_a_repeated_id_is_refused(monkeypatch, tmp_path):
    """The renderer's kernel sends no cell id: a template with a repeated id fails loudly."""
    cells = Cells(monkeypatch)
    lap = Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False)
    cells.run(None)
    _cell_a(lap)
    cells.run(None)
    with pytest.raises(ParameterError, match="sudah dipakai"):
        _cell_a(lap)
