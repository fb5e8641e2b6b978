"""Tests for analysis.convergence: scorecard levels (by hand), lokus package,
difference in change between lokus and other desa with its bootstrap CI."""

import numpy as np
import pandas as pd
import pytest

from analysis import convergence

SCORECARD = pd.DataFrame({
    "tahun": 2024,
    "kode_desa": ["A", "A", "A", "B", "B", "C"],
    "kelompok": ["ibu_hamil", "ibu_hamil", "anak_0_23", "ibu_hamil", "anak_2_6", "anak_0_23"],
    "layanan": ["ANC4", "TTD90", "IMUNISASI", "ANC4", "PAUD", "IMUNISASI"],
    "jumlah_seharusnya": [10, 10, 20, 5, 4, 0],
    "jumlah_diterima": [8, 5, 20, 5, 4, 0],
})
SERVICES = pd.DataFrame({
    "kelompok": ["ibu_hamil", "ibu_hamil", "anak_0_23", "anak_2_6"],
    "kode_layanan": ["ANC4", "TTD90", "IMUNISASI", "PAUD"],
    "nama_layanan": ["ANC 4 kali", "TTD 90 hari", "Imunisasi dasar lengkap", "PAUD"],
})


def test_levels_by_hand():
    lv = convergence.convergence_levels(SCORECARD).set_index(["kode_desa", "kelompok"])
    # A: ibu hamil (8 + 5) / 20 = 65 %; anak 0–23 20/20 = 100 %; total 33/40 = 82,5 %
    assert lv.loc[("A", "ibu_hamil"), "tingkat_pct"] == pytest.approx(65.0)
    assert lv.loc[("A", "anak_0_23"), "tingkat_pct"] == pytest.approx(100.0)
    assert lv.loc[("A", "total"), "tingkat_pct"] == pytest.approx(82.5)
    assert lv.loc[("A", "total"), "seharusnya"] == 40
    # nothing due: no level rather than 0 % or 100 %
    assert np.isnan(lv.loc[("C", "total"), "tingkat_pct"])


def test_desa_scorecard_wide():
    card = convergence.desa_scorecard(SCORECARD).set_index("kode_desa")
    assert card.loc["A", "tingkat_total"] == pytest.approx(82.5)
    assert np.isnan(card.loc["A", "tingkat_anak_2_6"])
    assert card.loc["B", "tingkat_anak_2_6"] == pytest.approx(100.0)


def test_lokus_package():
    lokus = pd.DataFrame({"kode_desa": ["A", "B", "D"], "nama_desa": ["Ala", "Bala", "Dala"]})
    out = convergence.lokus_package(SCORECARD, lokus).set_index("kode_desa")
    assert not out.loc["A", "paket_lengkap"]
    assert out.loc["B", "paket_lengkap"]
    # D filled no scorecard: not counted as having received the package
    assert not out.loc["D", "ada_kartu_skor"] and not out.loc["D", "paket_lengkap"]
    assert convergence.lokus_package(SCORECARD, lokus, ambang_pct=80).set_index(
        "kode_desa").loc["A", "paket_lengkap"]


def test_service_gaps_lowest_first():
    gaps = convergence.service_gaps(SCORECARD, ["A", "B"], SERVICES)
    assert gaps.loc[0, "kode_layanan"] == "TTD90"
    assert gaps.loc[0, "tingkat_pct"] == pytest.approx(50.0)
    assert gaps.loc[0, "kurang"] == 5
    anc = gaps.set_index("kode_layanan").loc["ANC4"]
    assert anc["tingkat_pct"] == pytest.approx(100 * 13 / 15)


def _counts(codes, n, stunted):
    return pd.DataFrame({"desa_code": codes, "n_stunting": n, "jumlah_stunting": stunted})


def test_desa_change_and_pooled_difference_by_hand():
    before = _counts(["A", "B", "C", "D"], [100, 100, 100, 50], [30, 20, 10, 5])
    after = _counts(["A", "B", "C", "E"], [100, 100, 100, 40], [20, 15, 10, 4])
    ch = convergence.desa_change(before, after)
    assert ch["kode_desa"].tolist() == ["A", "B", "C"]  # D, E not measured in both years
    assert ch.loc[0, "perubahan"] == pytest.approx(-10.0)
    res = convergence.lokus_vs_other(ch, ["A", "B"], n_boot=500)
    g = res["kelompok"].set_index("kelompok")
    # lokus: 50/200 = 25 % → 35/200 = 17,5 % (−7,5 pp); others 10 % → 10 % (0 pp)
    assert g.loc["lokus", "p_awal"] == pytest.approx(25.0)
    assert g.loc["lokus", "perubahan"] == pytest.approx(-7.5)
    assert g.loc["bukan_lokus", "perubahan"] == pytest.approx(0.0)
    assert res["selisih"] == pytest.approx(-7.5)
    assert res["selisih_awal"] == pytest.approx(15.0)


def _simulated(effect_pp, n_desa=60, seed=1):
    rng = np.random.default_rng(seed)
    codes = [f"D{i:03d}" for i in range(n_desa)]
    n = rng.integers(80, 200, size=n_desa)
    base = rng.uniform(0.08, 0.25, size=n_desa)
    lokus = codes[: n_desa // 3]
    after_p = base - np.where(np.isin(codes, lokus), effect_pp / 100, 0.0)
    before = _counts(codes, n, rng.binomial(n, base))
    after = _counts(codes, n, rng.binomial(n, np.clip(after_p, 0.001, 0.999)))
    return convergence.desa_change(before, after), lokus


def test_bootstrap_detects_a_real_faster_fall():
    ch, lokus = _simulated(effect_pp=8)
    res = convergence.lokus_vs_other(ch, lokus)
    assert res["selisih"] == pytest.approx(-8, abs=3)
    assert res["ci"][0] < res["selisih"] < res["ci"][1]
    assert res["bermakna"] and res["ci"][1] < 0


def test_bootstrap_null_usually_covers_zero_and_is_reproducible():
    covered = 0
    for seed in range(20):
        ch, lokus = _simulated(effect_pp=0, seed=seed)
        res = convergence.lokus_vs_other(ch, lokus, n_boot=400)
        covered += res["ci"][0] < 0 < res["ci"][1]
    assert covered >= 16
    ch, lokus = _simulated(effect_pp=0)
    assert convergence.lokus_vs_other(ch, lokus)["ci"] == convergence.lokus_vs_other(ch, lokus)["ci"]


def test_no_lokus_measured_gives_no_difference():
    ch, _ = _simulated(effect_pp=0)
    res = convergence.lokus_vs_other(ch, ["nowhere"])
    assert np.isnan(res["selisih"]) and not res["bermakna"]


def _rtm(effect_pp, n_desa=150, seed=5):
    """Desa with stable true prevalence; lokus = the top fifth by *observed* baseline."""
    rng = np.random.default_rng(seed)
    codes = np.array([f"D{i:03d}" for i in range(n_desa)])
    n = rng.integers(40, 90, size=n_desa)
    true = rng.uniform(0.08, 0.25, size=n_desa)
    before = rng.binomial(n, true)
    lokus = codes[np.argsort(-before / n)[: n_desa // 5]]
    after_p = true - np.where(np.isin(codes, lokus), effect_pp / 100, 0.0)
    after = rng.binomial(n, np.clip(after_p, 0.001, 0.999))
    ch = convergence.desa_change(_counts(codes, n, before), _counts(codes, n, after))
    return ch, lokus


def test_regression_to_the_mean_makes_the_naive_comparison_optimistic():
    naive, adjusted = [], []
    for seed in range(8):
        ch, lokus = _rtm(effect_pp=0, seed=seed)
        naive.append(convergence.lokus_vs_other(ch, lokus, n_boot=200)["selisih"])
        res = convergence.lokus_vs_other_adjusted(ch, lokus)
        adjusted.append(res["selisih"])
        assert res["kemiringan_awal"] < 0  # high starters fall back
    # no programme effect at all, yet lokus "fall faster" in the naive comparison
    assert np.mean(naive) < -2
    # adjusting for the starting prevalence removes most of that
    assert abs(np.mean(adjusted)) < abs(np.mean(naive)) / 2


def test_adjusted_comparison_finds_a_real_effect():
    ch, lokus = _rtm(effect_pp=6, n_desa=300)
    res = convergence.lokus_vs_other_adjusted(ch, lokus)
    assert res["ci"][0] < -6 < res["ci"][1] or res["selisih"] == pytest.approx(-6, abs=3)
    assert res["bermakna"] and res["selisih"] < 0


def test_adjusted_needs_both_groups():
    ch, _ = _simulated(effect_pp=0)
    assert np.isnan(convergence.lokus_vs_other_adjusted(ch, [])["selisih"])
