"""Tables whose data stay numbers: page formatting, joined cells, the annex's number cells."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.laporan import Laporan
from analysis.laporan.kolom import Rasio, Rentang, excel_formats, tampilan


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Kecamatan": ["Bontang Utara", "Bontang Selatan"],
        "Diukur": pd.array([4957, 1385], dtype="Int64"),
        "Stunting": pd.array([612, 240], dtype="Int64"),
        "Prevalensi (%)": [12.345, 17.3285],
        "SK bawah": [11.45, 15.35],
        "SK atas": [13.3, 19.44],
        "Perubahan (poin)": [-1.25, 8.75],
    })


def test_page_cells_join_pairs_and_sign():
    cols = tampilan(_frame(), desimal=1,
                    gabung={"SK 95 % (%)": Rentang("SK bawah", "SK atas"),
                            "Stunting / diukur": Rasio("Stunting", "Diukur")},
                    bertanda=["Perubahan (poin)"])
    assert [c.judul for c in cols] == ["Kecamatan", "Stunting / diukur", "Prevalensi (%)", "SK 95 % (%)",
                                       "Perubahan (poin)"]
    cells = {c.judul: c.sel for c in cols}
    # Literal Indonesian forms: thousands dot, decimal comma, en dash, minus sign U+2212.
    assert cells["Stunting / diukur"] == ["612 / 4.957", "240 / 1.385"]
    assert cells["Prevalensi (%)"] == ["12,3", "17,3"]
    assert cells["SK 95 % (%)"] == ["11,4–13,3", "15,4–19,4"]
    assert cells["Perubahan (poin)"] == ["−1,2", "+8,8"]
    assert [c.angka for c in cols] == [False, True, True, True, True]


def test_excel_formats_follow_decimals_and_sign():
    formats = excel_formats(_frame(), desimal={"Prevalensi (%)": 2}, bertanda=["Perubahan (poin)"])
    assert formats["Diukur"] == "#,##0"
    assert formats["Prevalensi (%)"] == "#,##0.00"
    assert formats["SK atas"] == "#,##0.0"
    assert formats["Perubahan (poin)"] == "+#,##0.0;-#,##0.0;#,##0.0"
    assert "Kecamatan" not in formats


def test_unknown_pair_column_is_a_clear_error():
    with pytest.raises(ParameterError, match="SK tengah"):
        tampilan(_frame(), gabung={"SK": Rentang("SK tengah", "SK atas")})


def test_annex_keeps_numbers_as_numbers_with_formats(tmp_path):
    lap = Laporan(laporan="analisis-situasi", kab="64.74", tahun=2024, output_dir=tmp_path, tampilkan=False)
    lap.bagian("bagian-uji", "Uji")
    lap.tabel(_frame(), judul="Uji", id="uji", lampiran="Uji",
              gabung={"SK 95 % (%)": Rentang("SK bawah", "SK atas")}, bertanda=["Perubahan (poin)"])
    lap.simpan()
    ws = openpyxl.load_workbook(tmp_path / "analisis-situasi-lampiran.xlsx")["Uji"]
    header = [c.value for c in ws[1]]
    assert header == list(_frame().columns)            # both interval columns, not one text cell
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["Diukur"].value == 4957 and row["Diukur"].data_type == "n"
    assert row["SK bawah"].value == pytest.approx(11.45) and row["SK bawah"].number_format == "#,##0.0"
    assert row["Perubahan (poin)"].number_format == "+#,##0.0;-#,##0.0;#,##0.0"
    assert row["Kecamatan"].data_type == "s"


def test_annex_text_starting_with_equals_is_text(tmp_path):
    lap = Laporan(laporan="analisis-situasi", kab="64.74", tahun=2024, output_dir=tmp_path, tampilkan=False)
    lap.bagian("bagian-uji", "Uji")
    lap.tabel(pd.DataFrame({"Posyandu": ["=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0"],
                            "Anak": [1, 2]}), judul="Uji", id="uji", lampiran="Uji")
    lap.simpan()
    ws = openpyxl.load_workbook(tmp_path / "analisis-situasi-lampiran.xlsx")["Uji"]
    assert [c.data_type for c in ws["A"][1:]] == ["s", "s"]   # never "f" (formula)
    assert ws["A2"].hyperlink is None
