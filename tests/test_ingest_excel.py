"""Excel input that cannot hurt: every data sheet read, bounded before reading, formulas named.

The workbooks are written by hand (``hostile.write_xlsx``) so that each test says exactly what
the file holds. Files that once killed the process are read in a child process with a memory
limit: before the fix the child aborted (Rust allocation failure, exit 134); now it must exit
1 with a message naming the file.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hostile
from analysis.errors import InputFileError
from analysis.ingest import read_table
from test_ingest import EXPORT_HEADERS, check_accounting, make_rows, read, write_csv

#: Address space given to a child process reading a hostile file (bytes).
CHILD_MEMORY = 3 * 1024**3


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def validate_in_child(path: Path, *args: str) -> subprocess.CompletedProcess:
    """``konvergensi validate PATH`` in a child process with bounded memory."""
    code = "import sys; from analysis import cli; sys.exit(cli.main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "validate", str(path), "--kab", "64.74", *args],
                          capture_output=True, text=True, timeout=300, preexec_fn=_limit_memory,
                          env={"KONVERGENSI_SALT": "salt-khusus-pengujian", "PATH": "/usr/bin:/bin",
                               "HOME": str(path.parent)})


# ------------------------------------------------------------------ every data sheet

def test_rows_on_a_second_sheet_are_read(tmp_path):
    """Break 3: only the first data sheet was read ("Baris dibaca: 100" for 200 rows)."""
    first, second = make_rows(100), make_rows(100)
    second["Tanggal Pengukuran"] = "12/11/2024"
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {
        "Agustus": hostile.frame_rows(first), "Februari": hostile.frame_rows(second)})
    result = read(path)
    check_accounting(result, 200)
    assert (result.accounting["status"] == "dianalisis").all()
    assert result.accounting["sumber_berkas"].value_counts().to_dict() == {
        "eppgbm.xlsx/Agustus": 100, "eppgbm.xlsx/Februari": 100}
    assert result.files[0].sheets == ["Agustus", "Februari"]


def test_validate_counts_rows_of_every_sheet(tmp_path, capsys):
    from test_cli_data import run

    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {
        "Data 1": hostile.frame_rows(make_rows(100)), "Data 2": hostile.frame_rows(make_rows(100))})
    code, out, err = run(["validate", str(path), "--kab", "64.74"], capsys)
    assert code == 0, out + err
    assert "Baris dibaca: 200" in out
    assert "data dibaca dari 2 lembar: 'Data 1', 'Data 2'" in out


def test_sheet_with_a_broken_header_refuses_the_file_and_names_the_sheet(tmp_path):
    broken = make_rows(3).drop(columns=["Berat"])
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {
        "Data": hostile.frame_rows(make_rows(3)), "Susulan": hostile.frame_rows(broken)})
    with pytest.raises(InputFileError) as info:
        read(path)
    message = str(info.value)
    assert "eppgbm.xlsx" in message and "lembar 'Susulan'" in message and "'Berat'" in message


def test_other_sheets_are_named(tmp_path):
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {
        "Petunjuk": [["Data diunduh dari e-PPGBM"], ["Bulan: Agustus"]],
        "Data": hostile.frame_rows(make_rows(4)), "Kosong": []})
    result = read(path)
    check_accounting(result, 4)
    assert any("'Petunjuk'" in note and "tidak dibaca" in note for note in result.files[0].notes)
    assert result.accounting["sumber_berkas"].eq("eppgbm.xlsx").all()  # one data sheet: plain name


def test_table_rows_on_two_sheets_are_read_and_problems_name_the_sheet(tmp_path):
    header = ["aksi", "tanggal_target", "tanggal_selesai", "bukti", "status", "penilaian_mandiri"]
    path = hostile.write_xlsx(tmp_path / "status_aksi.xlsx", {
        "Aksi 1-4": [header] + [[i, "31/03/2024", None, None, "proses", "B"] for i in range(1, 5)],
        "Aksi 5-8": [header] + [[i, "31/03/2024", None, None, "proses", "B"] for i in range(5, 9)]})
    table = read_table("status_aksi", path, kab="64.74", tahun=2024)
    assert table["aksi"].tolist() == list(range(1, 9))
    (tmp_path / "b").mkdir()
    bad = hostile.write_xlsx(tmp_path / "b" / "status_aksi.xlsx", {
        "Aksi 1-4": [header] + [[i, "31/03/2024", None, None, "proses", "B"] for i in range(1, 5)],
        "Aksi 5-8": [header, [5, "31/03/2024", None, None, "entah", "B"]]})
    with pytest.raises(InputFileError) as info:
        read_table("status_aksi", bad, kab="64.74", tahun=2024)
    assert "lembar 'Aksi 5-8', baris 2, kolom 'status'" in str(info.value)


# --------------------------------------------------------------- bounded before reading

def test_stray_cell_at_the_last_cell_of_the_sheet_is_refused_with_its_place(tmp_path):
    """Break 4: a 43 KB xlsx with one cell at XFD1048576 made the reader allocate ~550 GB (exit 134)."""
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {"Data": hostile.sheet_xml(
        hostile.frame_rows(make_rows(50)), extra_cells={"XFD1048576": "x"})})
    done = validate_in_child(path)
    assert done.returncode == 1, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "eppgbm.xlsx" in done.stdout and "XFD1048576" in done.stdout
    assert "panicked" not in done.stderr and "Traceback" not in done.stdout + done.stderr


def test_stray_cell_message_in_process(tmp_path):
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {"Data": hostile.sheet_xml(
        hostile.frame_rows(make_rows(5)), extra_cells={"XFD1048576": "x"}, dimension="A1:AG6")})
    with pytest.raises(InputFileError) as info:
        read(path)
    message = str(info.value)
    assert "lembar 'Data'" in message and "XFD1048576" in message and "hapus" in message.lower()


def test_zip_bomb_is_refused_before_reading(tmp_path):
    """Break 4: an 8 MB zip-bomb xlsx aborted the process like the stray cell."""
    path = hostile.zip_bomb_xlsx(tmp_path / "eppgbm.xlsx", EXPORT_HEADERS, inflated_mb=2100)
    assert path.stat().st_size < 8 * 1024**2
    done = validate_in_child(path)
    assert done.returncode == 1, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "eppgbm.xlsx" in done.stdout and "dimampatkan" in done.stdout


def test_compression_ratio_alone_is_refused(tmp_path):
    path = hostile.zip_bomb_xlsx(tmp_path / "eppgbm.xlsx", EXPORT_HEADERS, inflated_mb=60)
    with pytest.raises(InputFileError) as info:
        read(path)
    assert "dimampatkan" in str(info.value) and "eppgbm.xlsx" in str(info.value)


def test_a_lying_dimension_is_not_trusted_either_way(tmp_path):
    rows = hostile.frame_rows(make_rows(4))
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {"Data": hostile.sheet_xml(rows, dimension="A1:XFD1048576")})
    check_accounting(read(path), 4)


def test_stray_cell_near_the_table_is_not_a_row(tmp_path):
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {"Data": hostile.sheet_xml(
        hostile.frame_rows(make_rows(5)), extra_cells={"BZ400": "catatan"})})
    result = read(path)
    check_accounting(result, 5)
    assert any("BZ400" in note for note in result.files[0].notes)


def test_xlsb_is_refused_with_advice(tmp_path):
    import zipfile

    path = tmp_path / "eppgbm.xlsb"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01")
    with pytest.raises(InputFileError) as info:
        read(path)
    assert ".xlsb" in str(info.value) and ".xlsx" in str(info.value)


def test_word_document_renamed_xlsx(tmp_path):
    import zipfile

    path = tmp_path / "eppgbm.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputFileError) as info:
        read(path)
    assert "Word" in str(info.value)


# ----------------------------------------------------------------------- formulas

def test_formula_cells_without_cached_values_are_named(tmp_path):
    """Break (low): formula cells without values were reported as "Berat dan tinggi sama-sama kosong"."""
    rows = hostile.frame_rows(make_rows(4))
    berat, tinggi = EXPORT_HEADERS.index("Berat"), EXPORT_HEADERS.index("Tinggi")
    rows[2][berat] = hostile.formula("B2*1000")
    rows[2][tinggi] = hostile.formula("C2/10")
    rows[3][berat] = hostile.formula("11+0,5")
    path = hostile.write_xlsx(tmp_path / "eppgbm.xlsx", {"Data": rows})
    result = read(path)
    check_accounting(result, 4)
    acc = result.accounting.set_index("baris")
    assert acc.loc[3, "alasan_kode"] == "rumus_tanpa_nilai" and acc.loc[3, "kolom"] == "Berat, Tinggi"
    assert acc.loc[4, "alasan_kode"] == "rumus_tanpa_nilai" and acc.loc[4, "kolom"] == "Berat"
    assert "rumus" in acc.loc[3, "alasan"].lower()
    assert acc.loc[2, "status"] == "dianalisis"


def test_formula_cells_in_a_table_are_a_problem_with_row_and_column(tmp_path):
    header = ["tahun", "target_pct", "sumber"]
    path = hostile.write_xlsx(tmp_path / "target_prevalensi.xlsx", {
        "Target": [header, [2024, hostile.formula("B3-1"), "RPJMD"], [2025, 13.5, "RPJMD"]]})
    with pytest.raises(InputFileError) as info:
        read_table("target_prevalensi", path)
    assert "baris 2, kolom 'target_pct'" in str(info.value) and "rumus" in str(info.value)


# ----------------------------------------------------- check content, not the extension

def test_html_table_saved_as_xls_is_read(tmp_path):
    """domain.md §9: PMT history downloads are HTML tables saved as .xls."""
    path = hostile.html_table_xls(tmp_path / "eppgbm.xls", hostile.frame_rows(make_rows(5)),
                                  title="Riwayat PMT")
    result = read(path)
    check_accounting(result, 5)
    assert (result.accounting["status"] == "dianalisis").all()
    assert any("HTML" in note for note in result.files[0].notes)


def test_html_without_a_table_is_a_message(tmp_path):
    path = tmp_path / "eppgbm.xls"
    path.write_text("<html><body><p>Sesi Anda telah berakhir. Silakan masuk lagi.</p></body></html>",
                    encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read(path)
    assert "HTML" in str(info.value) and "tabel" in str(info.value)


def test_csv_text_saved_as_xls_is_read(tmp_path):
    path = tmp_path / "eppgbm.xls"
    write_csv(path, make_rows(3), sep=";")
    result = read(path)
    check_accounting(result, 3)
    assert any("teks" in note for note in result.files[0].notes)


def test_spreadsheet_2003_xml_saved_as_xls_is_read(tmp_path):
    rows = hostile.frame_rows(make_rows(3))
    body = "".join("<Row>" + "".join(f'<Cell><Data ss:Type="String">{"" if v is None else v}</Data></Cell>'
                                     for v in row) + "</Row>" for row in rows)
    path = tmp_path / "eppgbm.xls"
    path.write_text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data">'
                    f"<Table>{body}</Table></Worksheet></Workbook>", encoding="utf-8")
    check_accounting(read(path), 3)


def test_large_file_read_is_bounded_by_inspection_cost(tmp_path):
    """The inspection reads the zip members once; a normal workbook is inspected, not refused."""
    from analysis.ingest.workbook import inspect_xlsx

    frame = make_rows(300)
    path = tmp_path / "eppgbm.xlsx"
    frame.to_excel(path, index=False)
    info = inspect_xlsx(path)
    assert [s.name for s in info.sheets] == ["Sheet1"]
    assert info.sheets[0].max_row == 301 and info.sheets[0].max_col == len(EXPORT_HEADERS)
    pd.testing.assert_frame_equal(read(path).accounting, read(write_csv(tmp_path / "e.csv", frame)).accounting
                                  .assign(sumber_berkas="eppgbm.xlsx"))
