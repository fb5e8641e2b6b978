"""Indonesian formatting (analysis.text): literal expected strings, written by hand.

Conventions checked (as Indonesian government documents write them): a dot groups thousands,
a comma marks decimals, a non-breaking space before ``%`` and inside money, a true minus sign
(U+2212), an en dash for a missing value and inside ranges, month names in Indonesian.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis import text

NB = "\u00a0"


@pytest.mark.parametrize("value, decimals, expected", [
    (1234.5, 1, "1.234,5"),
    (1234567.891, 2, "1.234.567,89"),
    (1234, 0, "1.234"),
    (0, 0, "0"),
    (0.5, 2, "0,50"),
    (-5.12, 1, "\u22125,1"),          # a true minus sign
    (-0.04, 1, "0,0"),                # a tiny negative that prints as zero has no sign
    (np.int64(15735), 0, "15.735"),
    (None, 1, "–"), (float("nan"), 1, "–"), (pd.NA, 0, "–"), (np.nan, 0, "–"),
])
def test_angka(value, decimals, expected):
    assert text.angka(value, decimals) == expected


def test_persen_and_changes():
    assert text.persen(14.31) == f"14,3{NB}%"
    assert text.persen(90, 0) == f"90{NB}%"
    assert text.persen(5, sign=True) == f"+5,0{NB}%"
    assert text.persen(0, sign=True) == f"0,0{NB}%"
    assert text.persen(None) == "–"
    assert text.poin_persen(-2.5) == f"\u22122,5{NB}poin persen"
    assert text.poin_persen(3.25, 2) == f"+3,25{NB}poin persen"
    assert text.poin_persen(float("nan")) == "–"
    assert text.bertanda(-5.12) == "\u22125,1"
    assert text.bertanda(3.0) == "+3,0"
    assert text.bertanda(0.04) == "0,0"
    assert text.bertanda(-0.004, 2) == "0,00"
    assert text.bertanda(1.234, 2) == "+1,23"
    assert text.bertanda(None) == "–"


def test_ranges():
    assert text.rentang(12.1, 15.9) == f"12,1–15,9{NB}%"
    assert text.rentang(12.1, 15.94, unit="") == "12,1–15,9"
    assert text.rentang(0.5, 1.25, 2) == f"0,50–1,25{NB}%"
    assert text.rentang(float("nan"), 15.9) == "–"
    assert text.rentang_bulat(1, 3) == "1–3"
    assert text.rentang_bulat(2, 2) == "2"
    assert text.rentang_bulat(pd.NA, 2) == "–"


def test_rupiah():
    assert text.rupiah(1_500_000) == f"Rp{NB}1.500.000"
    assert text.rupiah(999_999.6) == f"Rp{NB}1.000.000"
    assert text.rupiah(1_500_000, compact=True) == f"Rp{NB}1,5{NB}juta"
    assert text.rupiah(178e9, compact=True) == f"Rp{NB}178,0{NB}miliar"
    assert text.rupiah(2.5e12, compact=True) == f"Rp{NB}2,5{NB}triliun"
    assert text.rupiah(93_100_000, compact=True) == f"Rp{NB}93,1{NB}juta"
    assert text.rupiah(750_000, compact=True) == f"Rp{NB}750.000"
    assert text.rupiah(None) == "–"


def test_dates_and_weighing_rounds():
    assert text.tanggal(dt.date(2026, 11, 22)) == "22 November 2026"
    assert text.tanggal("2024-08-17") == "17 Agustus 2024"
    assert text.tanggal(pd.Timestamp("2024-02-01 10:30")) == "1 Februari 2024"
    assert text.tanggal(dt.datetime(2024, 3, 5, 8, 0)) == "5 Maret 2024"
    assert text.tanggal(dt.date(2024, 8, 17), "medium") == "17 Agu 2024"
    assert text.tanggal(None) == "–"
    assert text.periode("2024-08") == "Agustus 2024"
    assert text.periode("2023-02") == "Februari 2023"
    assert text.periode("2024-12") == "Desember 2024"
    assert text.periode("2024") == "2024"          # not a round: written as given


def test_lists_as_prose():
    assert text.daftar(["Bontang Kuala", "Kanaan", "Belimbing"]) == "Bontang Kuala, Kanaan dan Belimbing"
    assert text.daftar(["a", "b"], "atau") == "a atau b"
    assert text.daftar(["satu"]) == "satu"
    assert text.daftar([]) == ""
    assert text.daftar([1, 2]) == "1 dan 2"


# Data in prose: the escaped value must print exactly as typed once Markdown is rendered
# (expected HTML written by hand from CommonMark's rules for backslash escapes).
@pytest.mark.parametrize(("value", "html"), [
    ("[x](javascript:alert(1))", "<p>Nama: [x](javascript:alert(1))</p>"),
    ("Dinas *Kesehatan*", "<p>Nama: Dinas *Kesehatan*</p>"),
    ("<script>alert(1)</script>", "<p>Nama: &lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("a_b_c", "<p>Nama: a_b_c</p>"),
    ("`kode`", "<p>Nama: `kode`</p>"),
])
def test_data_prints_as_typed_in_markdown(value, html):
    from analysis.laporan.markdown import markdown

    assert markdown("Nama: " + text.data(value)) == html


def test_data_never_opens_a_block():
    from analysis.laporan.markdown import markdown

    assert markdown(text.data("1. Posyandu Melati")) == "<p>1. Posyandu Melati</p>"
    assert markdown(text.data("- Dinas")) == "<p>- Dinas</p>"
    assert text.data(None) == "–"
    assert text.data("Kutai\nKartanegara") == "Kutai Kartanegara"
