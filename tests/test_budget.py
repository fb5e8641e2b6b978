"""Tests for analysis.budget: absorption and per-child figures checked by hand."""

import math

import pandas as pd
import pytest

from analysis import budget

BUDGET = pd.DataFrame({
    "tahun": 2024,
    "opd": ["Dinkes", "Dinkes", "DPMD", "PUPR", "Dinkes"],
    "kode_subkegiatan": ["1.02.01", "1.02.02", "2.01.01", "3.01.01", "1.02.03"],
    "nama_subkegiatan": ["PMT", "TTD", "KPM", "Air minum", "Koordinasi"],
    "kode_indikator": ["GIZI_KURANG_PMT", "BUMIL_TTD90", "", "AIR_MINUM_AMAN", None],
    "pagu": [100_000_000, 50_000_000, 20_000_000, 200_000_000, 30_000_000],
    "realisasi": [90_000_000, 25_000_000, 20_000_000, 120_000_000, 15_000_000],
    "kode_desa": ["64.74.01.1001", None, "64.74.01.1002", "64.74.02.1001", ""],
})
COVERAGE = pd.DataFrame({
    "tahun": 2024,
    "kode_desa": ["d1", "d2", "d1", "d2", "d1"],
    "kode_indikator": ["GIZI_KURANG_PMT", "GIZI_KURANG_PMT", "BUMIL_TTD90", "BUMIL_TTD90",
                       "AIR_MINUM_AMAN"],
    "sasaran": [200, 100, 50, 50, 1000],
    "capaian": [150, 50, 40, 10, 0],
})
INDICATORS = pd.DataFrame({
    "kode_indikator": ["GIZI_KURANG_PMT", "BUMIL_TTD90", "AIR_MINUM_AMAN"],
    "nama": ["Balita gizi kurang PMT", "Ibu hamil TTD 90", "Air minum aman"],
    "jenis": ["spesifik", "spesifik", "sensitif"],
    "kelompok_sasaran": ["balita", "ibu_hamil", "keluarga"],
})


def test_total_absorption_by_hand():
    out = budget.absorption(BUDGET)
    # pagu 400 juta; realisasi 270 juta → 67,5 %
    assert out.loc[0, "pagu"] == 400_000_000
    assert out.loc[0, "realisasi"] == 270_000_000
    assert out.loc[0, "sisa"] == 130_000_000
    assert out.loc[0, "serapan_pct"] == pytest.approx(67.5)
    assert out.loc[0, "baris"] == 5


def test_absorption_per_opd_by_hand():
    out = budget.absorption(BUDGET, ["opd"]).set_index("opd")
    # Dinkes: 180 juta planned, 130 juta spent → 72,2 %; PUPR 60 %; DPMD 100 %.
    assert out.loc["Dinkes", "pagu"] == 180_000_000
    assert out.loc["Dinkes", "serapan_pct"] == pytest.approx(100 * 130 / 180)
    assert out.loc["PUPR", "serapan_pct"] == pytest.approx(60.0)
    assert out.loc["DPMD", "serapan_pct"] == pytest.approx(100.0)
    assert list(out.index) == ["PUPR", "Dinkes", "DPMD"]  # largest budget first


def test_zero_pagu_gives_nan_absorption():
    b = BUDGET.iloc[:1].assign(pagu=0)
    assert math.isnan(budget.absorption(b).loc[0, "serapan_pct"])


def test_per_intervention_names_and_unlinked_lines():
    out = budget.per_intervention(BUDGET, INDICATORS).set_index("kode_indikator")
    assert out.loc["GIZI_KURANG_PMT", "nama"] == "Balita gizi kurang PMT"
    # the two lines without an indicator (blank and None) are grouped together
    assert out.loc["(tidak diisi)", "pagu"] == 50_000_000
    assert out.loc["(tidak diisi)", "nama"] == "Tidak terkait indikator katalog"


def test_cost_per_child_reached_by_hand():
    out = budget.cost_per_reached(BUDGET, COVERAGE, INDICATORS).set_index("kode_indikator")
    # PMT: Rp 90 juta for 150 + 50 = 200 children → Rp 450.000 per child reached.
    assert out.loc["GIZI_KURANG_PMT", "capaian"] == 200
    assert out.loc["GIZI_KURANG_PMT", "biaya_per_capaian"] == pytest.approx(450_000)
    # TTD: Rp 25 juta for 50 pregnant women → Rp 500.000.
    assert out.loc["BUMIL_TTD90", "biaya_per_capaian"] == pytest.approx(500_000)
    assert out.loc["BUMIL_TTD90", "kelompok_sasaran"] == "ibu_hamil"
    # nobody recorded as reached: no ratio rather than a division by zero
    assert math.isnan(out.loc["AIR_MINUM_AMAN", "biaya_per_capaian"])
    assert "(tidak diisi)" not in out.index


def test_cost_per_stunted_child_by_hand():
    # Rp 270 juta and 135 stunted children → Rp 2 juta per stunted child.
    assert budget.cost_per_stunted(BUDGET, 135) == pytest.approx(2_000_000)
    assert math.isnan(budget.cost_per_stunted(BUDGET, 0))


def test_lokus_spending_by_hand():
    out = budget.lokus_spending(BUDGET, ["64.74.01.1001", "64.74.02.1001", "64.74.03.1001"])
    row = out.iloc[0]
    # located: 90 + 20 + 120 = 230 juta; in lokus: 90 + 120 = 210 juta; total 270 juta.
    assert row["realisasi_berlokasi"] == 230_000_000
    assert row["realisasi_lokus"] == 210_000_000
    assert row["pct_lokus_total"] == pytest.approx(100 * 210 / 270)
    assert row["pct_lokus_berlokasi"] == pytest.approx(100 * 210 / 230)
    assert row["desa_lokus"] == 3 and row["desa_lokus_dibiayai"] == 2


def test_per_lokus_desa_lists_unfunded_first():
    lokus = pd.DataFrame({"kode_desa": ["64.74.01.1001", "64.74.03.1001"],
                          "nama_desa": ["Satu", "Tiga"]})
    out = budget.per_lokus_desa(BUDGET, lokus)
    assert out["nama_desa"].tolist() == ["Tiga", "Satu"]
    assert out.loc[0, "realisasi"] == 0
    assert out.loc[1, "serapan_pct"] == pytest.approx(90.0)


def test_empty_budget_is_empty_not_zero():
    empty = BUDGET.iloc[:0]
    assert budget.absorption(empty, ["opd"]).empty
    assert math.isnan(budget.absorption(empty).loc[0, "serapan_pct"])
