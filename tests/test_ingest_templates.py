"""The blank Excel templates in ``templates/``: up to date, and readable once filled in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.ingest import read_eppgbm, read_table
from analysis.ingest.tables import TABLES, columns
from analysis.ingest.templates import write_templates
from test_ingest import EXPORT_HEADERS, make_rows

import openpyxl  # noqa: E402


def test_committed_templates_are_current(tmp_path):
    written = write_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted(["eppgbm.xlsx", *(f"{t}.xlsx" for t in TABLES)])
    for path in written:
        committed = config.TEMPLATES_DIR / path.name
        assert committed.is_file(), f"run python -m analysis.ingest.templates ({path.name} missing)"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} is stale: regenerate the templates"


def _example_value(col):
    if col.tipe in ("bulat",):
        return int(col.contoh)
    if col.tipe == "angka":
        return float(col.contoh.replace(",", "."))
    return col.contoh


@pytest.mark.parametrize("name", TABLES)
def test_filled_table_template_is_read(tmp_path, name):
    write_templates(tmp_path)
    path = tmp_path / f"{name}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    spec = columns(name)
    assert header == list(spec["kolom"])
    ws.append([_example_value(col) for col in spec.itertuples(index=False)])
    wb.save(path)
    table = read_table(name, path, kab="64.74", tahun=2024)
    assert len(table) == 1


def test_filled_eppgbm_template_is_read(tmp_path):
    write_templates(tmp_path)
    path = tmp_path / "eppgbm.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == EXPORT_HEADERS
    for record in make_rows(3).to_dict("records"):
        ws.append([record[h] for h in EXPORT_HEADERS])
    wb.save(path)
    result = read_eppgbm(path, "64.74", today=pd.Timestamp("2024-12-31"))
    assert (result.accounting["status"] == "dianalisis").all() and len(result.accounting) == 3


def test_data_readme_documents_every_column_and_reason():
    from analysis.ingest.eppgbm import column_spec, reasons
    from analysis.ingest.tables import schema

    text = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    for name in TABLES:
        assert f"## `{name}" in text, name
    for column in schema()["kolom"]:
        assert f"`{column}`" in text, column
    for title in column_spec()["judul"]:
        assert title in text, title
    for code in reasons().index:
        assert f"`{code}`" in text, code


def test_data_readme_examples_are_valid(tmp_path):
    import re

    text = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"^## `(\w+)[^\n]*\n.*?```\n(.*?)```", text, flags=re.S | re.M)
    names = [name for name, _ in examples]
    assert sorted(names) == sorted(["eppgbm", *TABLES])
    for name, body in examples:
        path = tmp_path / f"{name}.csv"
        path.write_text(body, encoding="utf-8")
        if name == "eppgbm":
            result = read_eppgbm(path, "64.74", today=pd.Timestamp("2024-12-31"))
            assert (result.accounting["status"] == "dianalisis").all()
        else:
            assert len(read_table(name, path, kab="64.74", tahun=2024)) >= 1
