"""analysis.growth.inputs: age rounding, position rules, impossible values and their reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.errors import ParameterError
from analysis.growth.inputs import invalid_reasons, prepare


def _prep(**cols):
    n = max(len(v) for v in cols.values())
    base = {"sex": [1] * n, "age_days": [400.0] * n, "weight_kg": [9.0] * n,
            "height_cm": [75.0] * n, "measure": ["l"] * n, "oedema": [False] * n}
    base.update(cols)
    frame = pd.DataFrame(base)
    return prepare(frame, config.load_settings("growth")), frame


def test_age_rounds_half_up_to_days():
    p, _ = _prep(age_days=[730.5, 730.49999999, 0.5, 0.0, 1826.2])
    np.testing.assert_array_equal(p.day, [731, 730, 1, 0, 1826])


def test_age_60_months_is_out_of_range_not_invalid():
    p, _ = _prep(age_days=[1826.0, 1826.24, 1826.25, 1900.0])
    np.testing.assert_array_equal(p.age_ok, [True, True, False, False])
    assert (p.bad["age_days"] == 0).all()


def test_position_conversion_uses_rounded_age():
    # 730.5 rounds to 731: lying is converted down; 730.4 stays below: standing converted up.
    p, _ = _prep(age_days=[730.5, 730.4, 730.4, 800.0, 800.0, np.nan],
                 measure=["l", "h", "l", "h", "l", "l"],
                 height_cm=[80.0] * 6)
    np.testing.assert_allclose(p.height_adj, [79.3, 80.7, 80.0, 80.0, 79.3, 80.0])


def test_standing_under_9_months_gets_no_conversion():
    nine = 9 * 30.4375
    p, _ = _prep(age_days=[nine - 0.01, nine], measure=["h", "h"], height_cm=[70.0, 70.0])
    np.testing.assert_array_equal(p.measure, [0, 2])
    np.testing.assert_allclose(p.height_adj, [70.0, 70.7])


def test_measure_any_case_and_missing():
    p, _ = _prep(measure=["L", " h ", None, "", "H"], age_days=[400.0] * 5)
    np.testing.assert_array_equal(p.measure, [1, 2, 0, 0, 2])
    assert (p.bad["measure"] == 0).all()


@pytest.mark.parametrize(("column", "value", "text"), [
    ("weight_kg", 0.0, "berat badan (weight_kg) harus lebih dari 0 kg"),
    ("weight_kg", -3.0, "berat badan (weight_kg) harus lebih dari 0 kg"),
    ("weight_kg", np.inf, "berat badan (weight_kg) tidak terhingga"),
    ("height_cm", 0.0, "panjang/tinggi badan (height_cm) harus lebih dari 0 cm"),
    ("height_cm", -np.inf, "panjang/tinggi badan (height_cm) tidak terhingga"),
    ("age_days", -1.0, "umur (age_days) tidak boleh negatif"),
    ("age_days", np.inf, "umur (age_days) tidak terhingga"),
    ("sex", 3, "jenis kelamin (sex) harus 1 (laki-laki) atau 2 (perempuan)"),
    ("sex", 0, "jenis kelamin (sex) harus 1 (laki-laki) atau 2 (perempuan)"),
    ("measure", "x", "cara ukur (measure) harus 'l' (telentang) atau 'h' (berdiri)"),
    ("oedema", "mungkin", "edema (oedema) harus ya ('y') atau tidak ('n')"),
])
def test_each_impossible_value_has_its_reason(column, value, text):
    p, frame = _prep(**{column: [value, None if column in ("measure", "oedema") else np.nan]})
    reasons = invalid_reasons(p.bad, frame.index)
    assert reasons.iloc[0] == text
    assert pd.isna(reasons.iloc[1])  # missing is not impossible


def test_text_numbers_are_parsed_and_garbage_is_reported():
    p, frame = _prep(weight_kg=["9.5", "abc", "", None], height_cm=["75", "75", "75", "x"])
    np.testing.assert_array_equal(p.weight[[0]], [9.5])
    assert np.isnan(p.weight[1:]).all()
    reasons = invalid_reasons(p.bad, frame.index).tolist()
    assert reasons[0] is pd.NA and reasons[2] is pd.NA
    assert reasons[1] == "berat badan (weight_kg) bukan angka"
    assert reasons[3] == "panjang/tinggi badan (height_cm) bukan angka"


def test_several_reasons_are_joined_in_column_order():
    p, frame = _prep(sex=[5], weight_kg=[0.0], measure=["q"])
    assert invalid_reasons(p.bad, frame.index).iloc[0] == (
        "jenis kelamin (sex) harus 1 (laki-laki) atau 2 (perempuan); "
        "berat badan (weight_kg) harus lebih dari 0 kg; "
        "cara ukur (measure) harus 'l' (telentang) atau 'h' (berdiri)")


def test_tiny_length_that_becomes_nonpositive_after_conversion_is_invalid():
    p, frame = _prep(height_cm=[0.7, 0.5], measure=["l", "l"], age_days=[900.0, 900.0])
    assert np.isnan(p.height_adj).all()
    assert invalid_reasons(p.bad, frame.index).str.contains("koreksi posisi").all()


@pytest.mark.parametrize(("values", "expected"), [
    ([True, False, None], [True, False, False]),
    (["y", "N", None], [True, False, False]),
    (["Y", "n", ""], [True, False, False]),
    ([1, 0, 2], [True, False, False]),
])
def test_oedema_spellings(values, expected):
    p, _ = _prep(oedema=values, age_days=[400.0] * 3)
    np.testing.assert_array_equal(p.oedema, expected)
    assert (p.bad["oedema"] == 0).all()


def test_nullable_boolean_oedema_missing_means_no():
    frame = pd.DataFrame({"sex": [1, 1], "age_days": [1.0, 2.0], "weight_kg": [3.0, 3.0],
                          "height_cm": [50.0, 50.0],
                          "oedema": pd.array([True, None], dtype="boolean")})
    p = prepare(frame, config.load_settings("growth"))
    np.testing.assert_array_equal(p.oedema, [True, False])


def test_missing_required_column_is_a_parameter_error():
    with pytest.raises(ParameterError, match="weight_kg"):
        prepare(pd.DataFrame({"sex": [1], "age_days": [1.0], "height_cm": [50.0]}),
                config.load_settings("growth"))
