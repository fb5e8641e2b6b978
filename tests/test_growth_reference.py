"""analysis.growth against WHO anthro's own output, case group by case group.

Golden values: ``tests/reference/reference_cases.csv`` (2,000 children run through
``anthro_zscores()`` of WHO anthro 1.1.0.9000 under R 4.2.2; see ``tests/reference/README.md``).
Every group is its own test, so a failure names the rule that broke (age boundaries, position
across 24 months, table edges, interpolation, restricted computation, oedema, missing values,
under-9-months standing). "Agree" means: the same value after rounding to 2 decimals (exact
float equality: both sides are the double nearest to a 2-decimal number), the same flag, the
same missingness.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.growth import compute_zscores

REFERENCE = Path(__file__).parent / "reference" / "reference_cases.csv"

# ours -> anthro's (z column, flag column)
INDICATORS = {"haz": ("zlen", "flen"), "waz": ("zwei", "fwei"),
              "whz": ("zwfl", "fwfl"), "baz": ("zbmi", "fbmi")}

VALID_GROUPS = [
    "A_age_boundary", "B_24mo_position", "C2_extreme_length", "C_extreme_weight_gross",
    "C_extreme_weight_wfa", "C_extreme_weight_wfl", "D_adjusted_boundary", "D_age_missing",
    "D_wfh_boundary", "D_wfl_boundary", "E_interp", "E_interp_adjusted", "F_missing",
    "G_oedema", "I_under9mo_standing", "J_random",
]
INVALID_GROUP = "H_invalid_input"


@cache
def _reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE)


@cache
def _ours() -> pd.DataFrame:
    ref = _reference()
    frame = ref.rename(columns={"lenhei_cm": "height_cm"})[
        ["sex", "age_days", "weight_kg", "height_cm", "measure", "oedema"]]
    return compute_zscores(frame)


def _disagreements(rows: pd.Series, ours_col: str) -> pd.DataFrame:
    """Rows of the mask where value, flag or missingness differ from anthro."""
    ref, ours = _reference(), _ours()
    zcol, fcol = INDICATORS[ours_col]
    a = ours[ours_col].to_numpy()
    b = ref[zcol].to_numpy()
    fa = ours[f"{ours_col}_flag"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    fb = ref[fcol].to_numpy(dtype=float)
    same_z = (a == b) | (np.isnan(a) & np.isnan(b))
    same_f = (fa == fb) | (np.isnan(fa) & np.isnan(fb))
    bad = rows.to_numpy() & ~(same_z & same_f)
    return pd.DataFrame({"case_id": ref["case_id"], "ours": a, "anthro": b,
                         "our_flag": fa, "anthro_flag": fb})[bad]


def test_all_groups_are_known():
    groups = set(_reference()["case_group"])
    assert groups == set(VALID_GROUPS) | {INVALID_GROUP}
    assert len(_reference()) == 2000


@pytest.mark.parametrize("indicator", list(INDICATORS))
@pytest.mark.parametrize("group", VALID_GROUPS)
def test_group_agrees_with_anthro(group, indicator):
    rows = _reference()["case_group"] == group
    assert rows.sum() > 0
    bad = _disagreements(rows, indicator)
    assert bad.empty, f"{group}/{indicator}: {len(bad)} disagreements\n{bad.head(10)}"


def test_zero_disagreements_on_all_valid_rows():
    """The headline figure: 0 disagreements over every valid reference case and indicator."""
    rows = _reference()["case_group"] != INVALID_GROUP
    total = sum(len(_disagreements(rows, ind)) for ind in INDICATORS)
    assert total == 0
    # ...and no valid reference row is called invalid.
    assert _ours().loc[rows.to_numpy(), "invalid_reason"].isna().all()


def test_groups_exercise_what_they_claim():
    """Guard against a golden file that no longer covers the rules (tests that cannot fail)."""
    ref = _reference()
    assert {0, 731, 1826, 1826.25, 1856}.issubset(set(ref["age_days"].dropna()))
    restricted = ref[ref["case_group"].str.startswith("C_extreme")]
    assert (restricted["zwei"].abs() > 3).sum() > 20 and (restricted["zwfl"].abs() > 3).sum() > 20
    assert (ref["fwei"] == 1).any() and (ref["fwfl"] == 1).any() and (ref["flen"] == 1).any()
    assert (ref["c9mo_flag"] == 1).sum() > 0
    assert (ref["oedema"] == "y").sum() > 10


def test_converted_length_and_bmi_agree():
    """``clenhei``/``cbmi`` were written by R with 15 significant digits: compare at that."""
    ref, ours = _reference(), _ours()
    rows = (ref["case_group"] != INVALID_GROUP).to_numpy()
    for mine, theirs in (("height_cm_adj", "clenhei"), ("bmi", "cbmi")):
        a = ours[mine].to_numpy()[rows]
        b = ref[theirs].to_numpy()[rows]
        a15 = np.array([float(f"{v:.15g}") for v in a])
        same = (a15 == b) | (np.isnan(a) & np.isnan(b))
        assert same.all(), f"{mine}: {(~same).sum()} differ"


def test_age_60_months_gets_no_zscore_but_is_not_invalid():
    ref, ours = _reference(), _ours()
    old = (ref["age_days"] >= 1826.25).to_numpy()
    assert old.sum() >= 4
    assert ours.loc[old, ["haz", "waz", "whz", "baz"]].isna().all().all()
    assert ours.loc[old, "invalid_reason"].isna().all()


class TestImpossibleRows:
    """Group H: where anthro gives garbage (WHZ −15.44, BAZ Inf), the project marks the row."""

    def _rows(self):
        ref = _reference()
        return ref["case_group"].eq(INVALID_GROUP).to_numpy()

    def test_every_impossible_row_has_a_reason(self):
        ours = _ours()[self._rows()]
        assert len(ours) == 10
        assert ours["invalid_reason"].notna().all()

    def test_no_inf_and_no_garbage(self):
        ours = _ours()[self._rows()]
        num = ours[["height_cm_adj", "bmi", "haz", "waz", "whz", "baz"]].to_numpy(dtype=float)
        assert not np.isinf(num).any()
        # WHZ and BAZ need both weight and length: every row here has one of them impossible.
        assert ours[["whz", "baz"]].isna().all().all()

    def test_the_still_computable_zscore_agrees_with_anthro(self):
        """Weight <= 0 with a good length keeps HAZ; length <= 0 with a good weight keeps WAZ."""
        ref, ours = _reference(), _ours()
        rows = self._rows()
        weight_bad = rows & (ref["weight_kg"] <= 0).to_numpy()
        height_bad = rows & (ref["lenhei_cm"] <= 0).to_numpy()
        only_weight = weight_bad & ~height_bad
        only_height = height_bad & ~weight_bad
        assert only_weight.sum() == 4 and only_height.sum() == 4
        np.testing.assert_array_equal(ours["haz"][only_weight], ref["zlen"][only_weight])
        assert ours["waz"][only_weight].isna().all()
        np.testing.assert_array_equal(ours["waz"][only_height], ref["zwei"][only_height])
        assert ours["haz"][only_height].isna().all()
        assert ours["invalid_reason"][only_weight].str.contains("weight_kg").all()
        assert ours["invalid_reason"][only_height].str.contains("height_cm").all()
