"""Every hostile variant of an export (``hostile.export_variants``) through validate and zscores.

A first step towards the fuzz test of issue 16 (point 9): no traceback, exit 0 or 1, no formula
in any xlsx written, and rows in = analysed + excluded for every file that can be read.
"""

from __future__ import annotations

import pandas as pd

import hostile
from analysis.errors import KonvergensiError
from test_cli_data import run
from test_ingest import check_accounting, make_rows, read
from test_safeio import assert_no_formula_or_link


def test_every_hostile_variant_is_handled(tmp_path, capsys):
    variants = hostile.export_variants(tmp_path / "masuk", make_rows(8))
    assert len(variants) == 13
    outcomes = {}
    for name, path in variants.items():
        try:
            result = read(path)
        except KonvergensiError as exc:
            outcomes[name] = "ditolak"
            assert path.name in str(exc)
        else:
            outcomes[name] = "dibaca"
            check_accounting(result, len(result.rows))
        code, out, err = run(["validate", str(path), "--kab", "64.74"], capsys)
        assert code in (0, 1) and "Traceback" not in out + err and "Galat internal" not in err, name
        xlsx = tmp_path / "keluar" / f"{name}.xlsx"
        code, out, err = run(["zscores", str(path), "-o", str(xlsx), "--kab", "64.74"], capsys)
        assert code in (0, 1) and "Traceback" not in out + err and "Galat internal" not in err, name
        if code == 0:
            assert_no_formula_or_link(xlsx)
            assert len(pd.read_excel(xlsx, engine="calamine")) == len(read(path).rows)
    assert outcomes == {
        "payload_teks": "dibaca", "judul_kurung": "dibaca", "kolom_ganda": "ditolak", "kolom_kosong": "dibaca",
        "latin1": "dibaca", "utf16": "dibaca", "lembar_ganda": "dibaca", "sel_jauh": "ditolak",
        "dimensi_bohong": "dibaca", "rumus": "dibaca", "bom_zip": "ditolak", "html_xls": "dibaca",
        "teks_xls": "dibaca"}
