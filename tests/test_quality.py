"""Data-quality checks on small synthetic frames whose answers are known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import quality
from analysis.kode import KategoriKualitas
from pengaturan_uji import kualitas as cfg


def _frame(n=600, seed=3, **over) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    f = pd.DataFrame({
        "puskesmas": rng.choice(["P1", "P2"], n),
        "posyandu": rng.choice([f"Y{i}" for i in range(6)], n),
        "sex": rng.choice([1, 2], n),
        # ages: uniform 0–59 months, so 6–29 vs 30–59 ≈ 24/30 = 0.8
        "age_days": rng.uniform(0, 1826, n),
        "weight_kg": np.round(rng.uniform(4, 20, n), 1),
        "height_cm": np.round(rng.uniform(50, 110, n), 1),
        "haz": rng.normal(-1, 1.0, n),
        "whz": rng.normal(0, 1.0, n),
        "haz_flag": 0, "waz_flag": 0, "whz_flag": 0,
    })
    for k, v in over.items():
        f[k] = v
    return f


def test_digit_preference_uniform_and_heaped():
    rng = np.random.default_rng(0)
    uniform = np.round(rng.uniform(50, 100, 5000), 1)
    assert quality.digit_preference_score(uniform, 1) < 5
    heaped = np.round(rng.uniform(50, 100, 1000))  # every decimal is 0
    assert quality.digit_preference_score(heaped, 1) == pytest.approx(100.0)
    # half on .0 and .5: chi² = n·(2·(0.5−0.1)²/0.1 + 8·0.1) = 4n → DPS = 100·sqrt(4/9)
    half = np.concatenate([np.full(500, 70.0), np.full(500, 70.5)])
    assert quality.digit_preference_score(half, 1) == pytest.approx(100 * np.sqrt(4 / 9))
    assert np.isnan(quality.digit_preference_score([1.0, 2.0], 1))


def test_sex_and_age_ratio_tests():
    ratio, p = quality.sex_ratio_test([1] * 50 + [2] * 50, 1.0)
    assert ratio == 1.0 and p == pytest.approx(1.0)
    ratio, p = quality.sex_ratio_test([1] * 80 + [2] * 20, 1.0)
    assert ratio == 4.0 and p < 0.001
    # exactly the expected 0.85 ratio: 85 young, 100 old → p = 1
    ages = [10 * 30.4375] * 85 + [40 * 30.4375] * 100 + [2 * 30.4375] * 30
    ratio, p = quality.age_ratio_test(ages, expected=0.85)
    assert ratio == pytest.approx(0.85) and p == pytest.approx(1.0)


def test_age_heaping_detects_whole_years():
    rng = np.random.default_rng(1)
    smooth = rng.uniform(6 * 30.4375, 60 * 30.4375, 3000)
    assert quality.age_heaping_index(smooth) == pytest.approx(1.0, abs=0.15)
    heaped = np.concatenate([smooth[:1500], np.full(1500, 24 * 30.4375)])
    assert quality.age_heaping_index(heaped) > 5


def test_distribution_smart_flags_and_moments():
    rng = np.random.default_rng(2)
    z = pd.Series(rng.normal(0, 1, 20000))
    d = quality.distribution(z, 3.0)
    assert d["sd"] == pytest.approx(1.0, abs=0.05)
    assert abs(d["skew"]) < 0.1 and abs(d["kurt"]) < 0.2
    z2 = pd.concat([z, pd.Series([8.0] * 40)], ignore_index=True)
    d2 = quality.distribution(z2, 3.0)
    assert d2["flag_pct"] >= 40 / len(z2) * 100
    assert d2["sd"] == pytest.approx(d["sd"], abs=0.05)


def test_grade_rules():
    k = cfg().kriteria
    assert quality.grade(2.5, k["whz_flag_pct"]) == 0
    assert quality.grade(2.6, k["whz_flag_pct"]) == 1
    assert quality.grade(8.0, k["whz_flag_pct"]) == 3
    assert quality.grade(0.5, k["sex_ratio_p"]) == 0
    assert quality.grade(0.0001, k["sex_ratio_p"]) == 3
    assert quality.grade(1.0, k["sd_whz"]) == 0
    assert quality.grade(0.86, k["sd_whz"]) == 1
    assert quality.grade(1.3, k["sd_whz"]) == 3
    assert quality.grade(-0.3, k["skew_whz"]) == 1
    assert quality.grade(float("nan"), k["skew_whz"]) is None


def test_clean_data_scores_well_and_bad_data_badly():
    good = quality.quality_table(_frame(), cfg(), by="puskesmas")
    assert good.loc[0, "puskesmas"] == "Seluruh kabupaten/kota"
    assert good.loc[0, "anak"] == 600
    assert good.loc[0, "skor"] <= 14
    n = 600
    bad = _frame(
        sex=[1] * 450 + [2] * 150,
        whz=np.random.default_rng(5).normal(0, 1.6, n),
        height_cm=np.round(np.random.default_rng(6).uniform(50, 110, n)),
    )
    t = quality.quality_table(bad, cfg(), by=None)
    assert t.loc[0, "skor"] >= 25
    assert t.loc[0, "kategori"] == KategoriKualitas.BERMASALAH
    assert t.loc[0, "penalti_sex_ratio_p"] == 10
    assert t.loc[0, "penalti_dps_tinggi"] == 10
    assert t.loc[0, "penalti_sd_whz"] == 20
    v = quality.verdict(t.loc[0], cfg())
    assert "Bermasalah" in v and "preferensi angka tinggi badan" in v


def test_small_groups_not_scored_and_worst_groups():
    f = _frame()
    t = quality.quality_table(f, cfg(), by="posyandu")
    assert (t["anak"].iloc[1:] < 200).all()
    assert (t.loc[t["anak"] < 50, "kategori"] == KategoriKualitas.TIDAK_DINILAI).all()
    w = quality.worst_groups(f, cfg(), by="posyandu", n=3)
    assert len(w) == 3
    assert list(w["skor"]) == sorted(w["skor"], reverse=True)
    small = quality.quality_table(f.head(20), cfg(), by=None)
    assert "terlalu sedikit" in quality.verdict(small.loc[0], cfg())


def test_duplicates_and_who_flags():
    f = _frame(n=100)
    f["child_key"] = [f"k{i}" for i in range(100)]
    f["measure_date"] = "2024-08-10"
    f = pd.concat([f, f.head(3)], ignore_index=True)
    f.loc[:9, "haz_flag"] = 1
    m = quality.metrics(f, cfg())
    assert m["duplikat"] == 3
    assert m["who_flag_pct"] == pytest.approx(10 / 103 * 100)
