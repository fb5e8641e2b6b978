"""The safe writers (``analysis.safeio``): no formula, no link, numbers stay numbers.

Every XLSX is inspected at the XML level (``<f>`` elements are formulas, ``hyperlinks`` /
relationship parts are links), not through a reader that might hide them. Expected CSV text
follows OWASP's CSV-injection guidance: a text cell that starts with ``= + - @``, a tab or a
carriage return is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from analysis.errors import OutputFileError
from analysis.safeio import neutralise_csv_text, write_csv, write_xlsx
from hostile import PAYLOADS


def xlsx_parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()}


def assert_no_formula_or_link(path) -> None:
    parts = xlsx_parts(path)
    for name, xml in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            assert "<f>" not in xml and "<f " not in xml, name
            assert "<hyperlink" not in xml, name
    for name, xml in parts.items():
        if name.endswith(".rels"):
            assert "relationships/hyperlink" not in xml, name


def test_xlsx_text_that_looks_like_a_formula_or_link_stays_text(tmp_path):
    frame = pd.DataFrame({"posyandu": PAYLOADS, "n": range(len(PAYLOADS))})
    path = write_xlsx(tmp_path / "a.xlsx", {"Data": frame})
    assert_no_formula_or_link(path)
    back = pd.read_excel(path, sheet_name="Data", engine="calamine", dtype=str)
    assert back["posyandu"].tolist() == PAYLOADS


def test_xlsx_numbers_numbers_nan_empty_dates_dates(tmp_path):
    frame = pd.DataFrame({
        "z": [-1.25, np.nan, 3.0],
        "n": pd.array([1, None, 3], dtype="Int64"),
        "flag": pd.array([True, None, False], dtype="boolean"),
        "tanggal": [dt.date(2024, 8, 12), None, dt.date(2024, 1, 1)],
        "teks": ["-1,25", None, "+62"],
    })
    path = write_xlsx(tmp_path / "b.xlsx", {"Data": frame}, formats={"Data": {"z": "0.00"}})
    sheet = xlsx_parts(path)["xl/worksheets/sheet1.xml"]
    # row 2: number, number, boolean, date serial (45516 = 2024-08-12), inline/shared text
    assert re.search(r'<c r="A2"[^>]*><v>-1.25</v></c>', sheet)
    assert re.search(r'<c r="B2"[^>]*><v>1</v></c>', sheet)
    assert re.search(r'<c r="C2"[^>]*t="b"[^>]*><v>1</v></c>', sheet)
    assert re.search(r'<c r="D2"[^>]*><v>45516</v></c>', sheet)
    # row 3: every missing value is an empty cell (no "nan", no "<NA>", no 0)
    row3 = re.search(r'<row r="3"[^>]*?(?:/>|>(.*?)</row>)', sheet)  # absent or without values
    assert row3 is None or ("<v>" not in (row3.group(1) or "") and "<is>" not in (row3.group(1) or ""))
    assert '<row r="4"' in sheet
    back = pd.read_excel(path, engine="calamine")
    assert back["z"].tolist()[0] == -1.25 and np.isnan(back["z"].tolist()[1])
    assert back["teks"].tolist()[0] == "-1,25"  # text that looks negative stays text
    styles = xlsx_parts(path)["xl/styles.xml"]
    assert 'formatCode="0.00"' in styles


def test_xlsx_sheet_too_long_is_a_message(tmp_path, monkeypatch):
    import analysis.safeio as safeio

    monkeypatch.setattr(safeio, "XLSX_MAX_ROWS", 3)
    with pytest.raises(OutputFileError) as info:
        write_xlsx(tmp_path / "c.xlsx", {"Data": pd.DataFrame({"a": range(5)})})
    assert "c.xlsx" in str(info.value) and ".csv" in str(info.value)
    assert not (tmp_path / "c.xlsx").exists()


def test_csv_neutralises_text_cells_only():
    assert neutralise_csv_text("=1+1") == "'=1+1"
    assert neutralise_csv_text("+62 812") == "'+62 812"
    assert neutralise_csv_text("-2+3") == "'-2+3"
    assert neutralise_csv_text("@SUM(1)") == "'@SUM(1)"
    assert neutralise_csv_text("\t=1") == "'\t=1"
    assert neutralise_csv_text("\r=1") == "'\r=1"
    assert neutralise_csv_text("Posyandu Mawar") == "Posyandu Mawar"
    assert neutralise_csv_text("") == ""


def test_csv_file_payloads_prefixed_numbers_untouched(tmp_path):
    frame = pd.DataFrame({"posyandu": PAYLOADS, "haz": np.linspace(-3, 3, len(PAYLOADS)),
                          "baris": range(-2, len(PAYLOADS) - 2)})
    path = write_csv(tmp_path / "z.csv", frame)
    with open(path, encoding="utf-8", newline="") as fh:  # keep the CR inside a cell
        rows = list(csv.reader(fh))
    assert rows[0] == ["posyandu", "haz", "baris"]
    for (text, haz, _), payload, expected_haz in zip(rows[1:], PAYLOADS, frame["haz"], strict=True):
        if payload[0] in "=+-@\t\r":
            assert text == "'" + payload
        else:
            assert text == payload
        assert float(haz) == pytest.approx(expected_haz)  # "-3.0" stays a negative number
    assert rows[1][2] == "-2"


def test_csv_header_from_data_is_neutralised_too(tmp_path):
    path = write_csv(tmp_path / "h.csv", pd.DataFrame({"=cmd": ["x"]}))
    assert path.read_text(encoding="utf-8").splitlines()[0] == "'=cmd"


def test_write_failure_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    import analysis.safeio as safeio

    target = tmp_path / "z.xlsx"
    target.write_bytes(b"lama")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, "replace", boom)
    with pytest.raises(OutputFileError) as info:
        write_xlsx(target, {"Data": pd.DataFrame({"a": [1]})})
    assert "z.xlsx" in str(info.value) and "penuh" in str(info.value)
    assert target.read_bytes() == b"lama"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z.xlsx"]
