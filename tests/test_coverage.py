"""Coverage against targets on a hand-checked toy table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import coverage

IND = pd.DataFrame({
    "kode_indikator": ["TTD", "ASI", "KTD", "PBI"],
    "nama": ["TTD ibu hamil", "ASI eksklusif", "Kehamilan tidak diinginkan", "PBI JKN"],
    "jenis": ["spesifik", "spesifik", "sensitif", "sensitif"],
    "kelompok_sasaran": ["ibu_hamil", "baduta", "keluarga", "keluarga"],
    "target_2024_pct": [80, 80, 15.5, np.nan],
    "arah": ["naik", "naik", "turun", "naik"],
})

COV = pd.DataFrame({
    "kode_desa": ["D1", "D1", "D1", "D1", "D2", "D2", "D2"],
    "kode_indikator": ["TTD", "ASI", "KTD", "PBI", "TTD", "ASI", "KTD"],
    "sasaran": [50, 20, 100, 40, 10, 0, 100],
    "capaian": [30, 18, 20, 10, 9, 0, 10],
})


def test_coverage_table_gaps_by_hand():
    t = coverage.coverage_table(COV, IND).set_index(["kode_desa", "kode_indikator"])
    assert t.loc[("D1", "TTD"), "cakupan_pct"] == pytest.approx(60.0)
    assert t.loc[("D1", "TTD"), "kesenjangan_pp"] == pytest.approx(20.0)
    assert t.loc[("D1", "TTD"), "belum_terlayani"] == 20
    assert t.loc[("D1", "TTD"), "kurang_dari_target"] == 10  # 80 % of 50 = 40, has 30
    assert not t.loc[("D1", "TTD"), "tercapai"]
    # above target on a 'naik' indicator: no gap
    assert t.loc[("D1", "ASI"), "kesenjangan_pp"] == 0
    assert t.loc[("D1", "ASI"), "tercapai"]
    # 'turun': 20 % unwanted pregnancies against a 15.5 % ceiling → 4.5 pp gap
    assert t.loc[("D1", "KTD"), "kesenjangan_pp"] == pytest.approx(4.5)
    assert t.loc[("D2", "KTD"), "kesenjangan_pp"] == 0
    # no target → NaN gap, NA reached
    assert np.isnan(t.loc[("D1", "PBI"), "kesenjangan_pp"])
    assert pd.isna(t.loc[("D1", "PBI"), "tercapai"])
    # sasaran 0 → no coverage
    assert np.isnan(t.loc[("D2", "ASI"), "cakupan_pct"])


def test_indicator_summary_and_matrix():
    t = coverage.coverage_table(COV, IND)
    s = coverage.indicator_summary(t).set_index("kode_indikator")
    assert s.loc["TTD", "cakupan_pct"] == pytest.approx(39 / 60 * 100)
    assert s.loc["TTD", "desa_di_bawah_target"] == 1
    assert s.index[0] == "TTD"  # largest pooled gap first
    m = coverage.gap_matrix(t)
    assert list(m.columns) == ["TTD", "ASI", "KTD"]
    assert m.loc["D2", "TTD"] == 0


def test_target_groups_and_desa_summary():
    t = coverage.coverage_table(COV, IND)
    g = coverage.target_groups(t)
    assert g.loc[0, "kelompok_sasaran"] == "ibu_hamil"
    assert "kelompok" not in g  # words are added at display (analysis.kode)
    assert "keluarga" in set(g["kelompok_sasaran"])  # PBI only, no target
    d = coverage.desa_summary(t).set_index("kode_desa")
    assert d.loc["D1", "indikator_di_bawah_target"] == 2
    assert d.loc["D1", "kesenjangan_rata_pp"] == pytest.approx((20 + 0 + 4.5) / 3)
    assert d.loc["D1", "kesenjangan_terbesar"] == "TTD"
    assert pd.isna(d.loc["D2", "kesenjangan_terbesar"])
    assert d.loc["D1", "cakupan_spesifik_pct"] == pytest.approx((60 + 90) / 2)
