"""Prevalence against WHO anthro, and the fast per-desa path against first principles.

Golden values: ``tests/reference/prev_simple.csv`` is ``anthro::anthro_prevalence()`` on
``prevalence_input.csv`` without a survey design (see ``tests/reference/README.md``).

Which z-scores feed the comparison: the main test uses the z-scores anthro itself computed
for the same 938 children (``reference_cases.csv``, group ``J_random``). That isolates the
prevalence rules: a difference can only come from ``analysis.prevalence``, never from the
growth code (which has its own golden test). A second test runs the whole chain
(``analysis.growth.compute_zscores`` → ``prevalence_table``) once the growth module is there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.prevalence import prevalence_table, status_counts

REF = Path(__file__).resolve().parent / "reference"
TOL = 1e-6


def _anthro_frame() -> pd.DataFrame:
    inp = pd.read_csv(REF / "prevalence_input.csv")
    cases = pd.read_csv(REF / "reference_cases.csv")
    cases = cases[cases["case_group"] == "J_random"].set_index("case_id")
    z = cases[["zlen", "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi"]].rename(
        columns={"zlen": "haz", "flen": "haz_flag", "zwei": "waz", "fwei": "waz_flag",
                 "zwfl": "whz", "fwfl": "whz_flag", "zbmi": "baz", "fbmi": "baz_flag"})
    return inp.set_index("case_id").join(z)


def _compare(ours: pd.DataFrame, ref: pd.DataFrame) -> float:
    assert list(ours["Group"]) == list(ref["Group"])
    worst = 0.0
    for col in ref.columns[1:]:
        a = ref[col].to_numpy(dtype=float)
        b = ours[col].to_numpy(dtype=float)
        assert (np.isnan(a) == np.isnan(b)).all(), f"missingness differs in {col}"
        both = ~np.isnan(a)
        if both.any():
            diff = float(np.max(np.abs(a[both] - b[both])))
            assert diff <= TOL, f"{col}: max abs difference {diff}"
            worst = max(worst, diff)
    return worst


def test_reproduces_anthro_prev_simple():
    ref = pd.read_csv(REF / "prev_simple.csv")
    ours = prevalence_table(_anthro_frame())
    worst = _compare(ours, ref)
    assert worst < TOL
    assert ours.loc[0, "Group"] == "All"
    # n = children after the age exclusion (not the per-indicator count)
    assert ours.loc[0, "n"] >= ours.loc[0, "HAZ_pop"]


def test_full_chain_with_growth_module():
    from analysis import growth

    inp = pd.read_csv(REF / "prevalence_input.csv")
    frame = pd.DataFrame({
        "sex": inp["sex"], "age_days": inp["age_days"], "weight_kg": inp["weight_kg"],
        "height_cm": inp["lenhei_cm"], "measure": inp["measure"],
        "oedema": inp["oedema"].eq("y"),
    })
    z = growth.compute_zscores(frame)
    ours = prevalence_table(frame.join(z))
    _compare(ours, pd.read_csv(REF / "prev_simple.csv"))


def _toy() -> pd.DataFrame:
    return pd.DataFrame({
        "desa_code": ["A"] * 4 + ["B"] * 3,
        "sex": [1, 2, 1, 2, 1, 2, 1],
        "age_days": [100, 400, 800, 1200, 1500, 1700, 1900],
        "haz": [-3.5, -2.5, -1.0, 0.0, -2.1, np.nan, -4.0],
        "waz": [-2.5, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        "whz": [0.0, 2.5, -2.5, np.nan, 0.0, 0.0, 0.0],
        "baz": [0.0] * 7,
        "haz_flag": [0, 0, 0, 0, 0, 0, 0],
        "waz_flag": [0] * 7,
        "whz_flag": [0, 0, 0, 0, 0, 0, 0],
        "baz_flag": [0] * 7,
        "oedema": [False, False, False, True, False, False, False],
    })


def test_by_column_rules_by_hand():
    t = prevalence_table(_toy(), by="desa_code").set_index("Group")
    # the 1,900-day child is excluded; N = 6
    assert t.loc["All", "n"] == 6
    assert t.loc["A", "n"] == 4 and t.loc["B", "n"] == 2
    assert t.loc["A", "HA_2_r"] == pytest.approx(50.0)  # 2 of 4
    # the oedema child (no WHZ) counts as wasted: 2 of 4 in A (−2.5 and oedema)
    assert t.loc["A", "WH_2_r"] == pytest.approx(50.0)
    assert t.loc["A", "WHZ_pop"] == 4
    assert t.loc["A", "WH2_r"] == pytest.approx(25.0)  # oedema never counts above
    # but is left out of the mean of WHZ: (0 + 2.5 - 2.5) / 3 = 0
    assert t.loc["A", "WH_r"] == pytest.approx(0.0)
    # se with N = 6 (whole data set), n = 4 in A, r = 0.5
    se = np.sqrt(6 / 5) / 4 * np.sqrt(4 * 0.25) * 100
    assert t.loc["A", "HA_2_se"] == pytest.approx(se)
    # B: one child of one with HAZ → r = 1, CI collapses to [100, 100]
    assert t.loc["B", "HA_2_r"] == 100.0
    assert t.loc["B", "HA_2_ll"] == 100.0 and t.loc["B", "HA_2_ul"] == 100.0
    assert t.loc["B", "HA_3_ll"] == 0.0 and t.loc["B", "HA_3_ul"] == 0.0


def test_flagged_zscores_are_missing():
    f = _toy()
    f.loc[0, "haz_flag"] = 1
    t = prevalence_table(f, by="desa_code").set_index("Group")
    assert t.loc["A", "HAZ_pop"] == 3
    assert t.loc["A", "HA_2_r"] == pytest.approx(100 / 3)


def test_status_counts_match_prevalence_table():
    f = _toy()
    f = f[f["age_days"] <= 1826]
    s = status_counts(f, by="desa_code").set_index("desa_code")
    t = prevalence_table(f, by="desa_code").set_index("Group")
    for desa in ("A", "B"):
        assert s.loc[desa, "pct_stunting"] == pytest.approx(t.loc[desa, "HA_2_r"])
        assert s.loc[desa, "pct_wasting"] == pytest.approx(t.loc[desa, "WH_2_r"])
        assert s.loc[desa, "pct_overweight"] == pytest.approx(t.loc[desa, "WH2_r"])
        assert s.loc[desa, "pct_underweight"] == pytest.approx(t.loc[desa, "WA_2_r"])
    assert s.loc["A", "jumlah_sangat_pendek"] == 1
    assert s.loc["A", "jumlah_pendek"] == 1
    assert s.loc["A", "anak"] == 4
    assert (s["ll_stunting"] <= s["pct_stunting"]).all()
    assert (s["ul_stunting"] >= s["pct_stunting"]).all()


def test_status_counts_large_frame_is_fast_and_consistent():
    rng = np.random.default_rng(1)
    n = 45_000
    f = pd.DataFrame({
        "desa_code": rng.integers(0, 237, n).astype(str),
        "haz": rng.normal(-1, 1.2, n), "waz": rng.normal(-0.8, 1.1, n),
        "whz": rng.normal(-0.3, 1.1, n),
    })
    import time
    t0 = time.perf_counter()
    s = status_counts(f, by="desa_code")
    assert time.perf_counter() - t0 < 2.0
    assert len(s) == 237
    assert s["jumlah_stunting"].sum() == int((f["haz"] < -2).sum())
    assert s["anak"].sum() == n
