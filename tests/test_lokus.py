"""Lokus score: shrinkage, components, ranking rules, sensitivity, comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import lokus
from analysis.kode import PosisiCorong, StatusLokus
from analysis.pengaturan import Bobot
from pengaturan_uji import lokus as cfg


def _now() -> pd.DataFrame:
    # D_small: 2 of 4 stunted (50 % raw, pure noise); D_big: 60 of 300 (20 %), D_mid …
    return pd.DataFrame({
        "desa_code": ["D_small", "D_big", "D_mid", "D_low", "D_hot"],
        "anak": [4, 300, 120, 150, 200],
        "n_stunting": [4, 300, 120, 150, 200],
        "jumlah_stunting": [2, 60, 18, 9, 70],
    })


def _prev() -> pd.DataFrame:
    return pd.DataFrame({
        "desa_code": ["D_small", "D_big", "D_mid", "D_low", "D_hot"],
        "n_stunting": [5, 280, 110, 140, 190],
        "jumlah_stunting": [1, 70, 15, 10, 40],
    })


def _cov() -> pd.DataFrame:
    return pd.DataFrame({"kode_desa": ["D_big", "D_mid", "D_low", "D_hot"],
                         "kesenjangan_rata_pp": [10.0, 30.0, 5.0, 20.0]})


def test_shrink_pulls_small_desa_most():
    x = np.array([2, 60, 18, 9, 70])
    n = np.array([4, 300, 120, 150, 200])
    est, m = lokus.shrink(x, n)
    p0 = x.sum() / n.sum()
    raw = x / n
    assert 0 < m < np.inf
    # every estimate lies between its raw value and p0
    assert np.all((est - p0) * (raw - p0) >= -1e-12)
    assert np.all(np.abs(est - p0) <= np.abs(raw - p0) + 1e-12)
    # the 4-child desa is pulled far more (relative) than the 300-child one
    assert abs(est[0] - raw[0]) / abs(raw[0] - p0) > abs(est[1] - raw[1]) / abs(raw[1] - p0)


def test_shrink_no_real_variation_gives_district_value():
    # binomial noise only: identical proportions → τ² ≤ 0 → all at p0
    est, m = lokus.shrink([10, 20, 5], [100, 200, 50])
    assert m == np.inf
    assert np.allclose(est, 0.1)
    est, m = lokus.shrink([0, 0], [10, 20])
    assert np.allclose(est, 0.0)


def test_funnel_positions():
    f = lokus.funnel([70, 2, 9], [200, 4, 150], p0=0.2)
    assert f.loc[0, "posisi_funnel"] == PosisiCorong.ATAS_998
    assert f.loc[1, "posisi_funnel"] == PosisiCorong.DALAM  # 50 % of 4 children is noise
    # 6 % of 150 against 20 %: z = −4,3, below the outer (99,8 %) limit
    assert f.loc[2, "posisi_funnel"] == PosisiCorong.BAWAH_998


def test_score_ranks_and_marks_small_desa():
    inp = lokus.desa_inputs(_now(), _prev(), _cov())
    assert inp.attrs["p0"] == pytest.approx(159 / 774)
    s = lokus.score(inp, cfg())
    assert s.loc[0, "desa_code"] == "D_hot"  # high prevalence, many cases, rising
    small = s.set_index("desa_code").loc["D_small"]
    assert small["data_sedikit"] and not small["direkomendasikan"]
    assert s["peringkat"].iloc[-1] == small["peringkat"]
    # contributions add up to the score; weights sum to 1
    contrib = s[[f"kontribusi_{k}" for k in lokus.COMPONENTS]].sum(axis=1)
    assert np.allclose(contrib, s["skor"])
    assert sum(s.attrs["bobot"].values()) == pytest.approx(1.0)
    assert s["skor"].between(0, 100).all()
    # 5 desa · 15 % → ceil 0.75 = 1, but min_lokus 3 → 3 recommended (none small)
    assert s["direkomendasikan"].sum() == 3


def test_missing_component_gets_no_weight():
    inp = lokus.desa_inputs(_now(), None, None)
    w = lokus.effective_weights(cfg().bobot, inp)
    assert w["perubahan"] == 0 and w["kesenjangan_cakupan"] == 0
    assert w["prevalensi"] + w["jumlah_stunting"] == pytest.approx(1.0)


def test_weights_change_the_order():
    inp = lokus.desa_inputs(_now(), _prev(), _cov())
    by_cases = lokus.score(inp, cfg(), Bobot(prevalensi=0, jumlah_stunting=1, kesenjangan_cakupan=0, perubahan=0))
    by_gap = lokus.score(inp, cfg(), Bobot(prevalensi=0, jumlah_stunting=0, kesenjangan_cakupan=1, perubahan=0))
    assert by_cases.loc[0, "desa_code"] == "D_hot"
    assert by_gap.loc[0, "desa_code"] == "D_mid"


def test_sensitivity_and_comparison():
    inp = lokus.desa_inputs(_now(), _prev(), _cov())
    per_set, per_desa = lokus.sensitivity(inp, cfg())
    assert per_set.loc[0, "bobot"] == "utama"
    assert per_set.loc[0, "sama_dengan_utama"] == per_set.loc[0, "jumlah_lokus"]
    assert len(per_set) == 1 + len(cfg().bobot_alternatif)
    assert per_desa["masuk_daftar"].max() <= per_desa["jumlah_set"].iloc[0]
    s = lokus.score(inp, cfg())
    dec = pd.DataFrame({"kode_desa": ["D_hot", "D_low", "D_gone"]})
    c = lokus.compare_decreed(s, dec).set_index("desa_code")
    assert c.loc["D_hot", "status"] == StatusLokus.TETAP
    assert c.loc["D_gone", "status"] == StatusLokus.TANPA_DATA
    assert (c["status"] == StatusLokus.BARU).sum() == 2
    share = lokus.decreed_share_high_burden(s, dec)
    assert 0 <= share <= 100


def test_number_of_lokus_bounds():
    assert lokus.number_of_lokus(237, cfg()) == 36  # ceil(0.15 · 237)
    assert lokus.number_of_lokus(15, cfg()) == 3
    assert lokus.number_of_lokus(2, cfg()) == 2


def test_only_a_rise_counts_as_change():
    inp = lokus.desa_inputs(_now(), _prev(), _cov())
    comp = lokus.components(inp)
    falling = inp["perubahan_pp"] <= 0
    assert falling.any() and (~falling).any()
    assert (comp.loc[falling, "s_perubahan"] == 0).all()
    # when every desa improved, the component adds nothing to any score
    better = _prev().assign(jumlah_stunting=lambda f: f["n_stunting"] // 2)
    s = lokus.score(lokus.desa_inputs(_now(), better, _cov()), cfg())
    assert (s["kontribusi_perubahan"] == 0).all()
