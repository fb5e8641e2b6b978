"""The privacy check used by the render smoke tests can fail (it is not vacuous)."""

from __future__ import annotations

import pytest

from rendered import assert_no_personal_data


def test_a_leaked_nik_or_name_is_caught(tmp_path):
    rows = ["NIK,Nama,Nama Ortu,Alamat"] + [
        f"64740127092300{i:02d},Anak Nomor {i},Ibu Nomor {i},Jalan Mawar No. {i}" for i in range(60)]
    export = tmp_path / "eppgbm.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "laporan.html").write_text("<p>Prevalensi 12,3 %</p>", encoding="utf-8")
    assert_no_personal_data(out, export)
    (out / "laporan.json").write_text('{"catatan": "Anak Nomor 7"}', encoding="utf-8")
    with pytest.raises(AssertionError, match="laporan.json"):
        assert_no_personal_data(out, export)


def test_number_text_cells_finds_numbers_stored_as_text(tmp_path):
    import openpyxl

    from rendered import number_text_cells

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Uji"
    ws.append(["Nama", "Nilai"])
    for text_value in ("14,1–16,6", "240 / 1.385", "+8,7*", "71,9 (B)", "1.234", "12,5 %"):
        ws.append(["x", text_value])
    ws.append(["Bontang Utara", 14.3])
    ws.append(["RT 3", "Posyandu Melati 2"])
    book.save(tmp_path / "a.xlsx")
    found = number_text_cells(tmp_path / "a.xlsx")
    assert [v for _, _, v in found] == ["14,1–16,6", "240 / 1.385", "+8,7*", "71,9 (B)", "1.234", "12,5 %"]
