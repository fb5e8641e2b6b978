"""Input preparation for the z-scores: types, impossible values, age rounding, position rules.

:func:`prepare` turns the six input columns into plain numpy arrays, once, for all four
indicators. It applies WHO anthro's cleaning rules (``R/z-score.R``, ``R/utils.R``) and the
project's own rule for impossible values, where it deliberately differs from anthro.

Rules taken from anthro
-----------------------
- Age in days is rounded half up (``floor(x)``, plus one if the fraction is >= 0.5); the table
  row is that day. Age in months is ``age_days / 30.4375``, unrounded.
- Measured standing (``h``) before 9 months (unrounded months): the position is treated as
  unknown, so no 0.7 cm conversion is applied (anthro's ``c9mo_flag``).
- 0.7 cm conversion on the rounded age: < 731 days measured standing → +0.7 cm; >= 731 days
  measured lying → −0.7 cm; unknown position → unchanged.
- BMI = weight / (converted length in m)².
- Missing values are not errors: a missing input makes the z-scores that need it missing.
  Missing oedema means no oedema.

Where the project differs (impossible inputs)
---------------------------------------------
anthro computes numbers from impossible inputs (weight 0 gives WHZ −15.44, length 0 gives BAZ
``Inf``, a negative length gives a normal-looking BAZ) and stops the whole call on a negative
age. Here such a value is *invalid*: the row gets an Indonesian ``invalid_reason`` naming the
column and the problem, and every z-score that uses that input is NaN; the z-scores that do not
use it are still computed (weight 0 with a good length still gives HAZ). Invalid means:

========================  ================================================================
column                    invalid when (missing values are never invalid)
========================  ================================================================
``sex``                   not 1 or 2 (→ all four z-scores NaN)
``age_days``              not a number, infinite, or negative (→ all four NaN: the age also
                          picks the WHZ table and the 0.7 cm conversion)
``weight_kg``             not a number, infinite, or <= 0 (→ WAZ, WHZ, BAZ NaN)
``height_cm``             not a number, infinite, or <= 0 (→ HAZ, WHZ, BAZ NaN)
``measure``               not ``l``/``h`` in any case (→ HAZ, WHZ, BAZ NaN: the conversion
                          is unknown; anthro silently treats it as unknown)
``oedema``                not a yes/no value (→ WAZ, WHZ, BAZ NaN)
========================  ================================================================

Children aged 60 months (1826.25 days) or more get no z-score but are *not* invalid: they are
simply outside the WHO Child Growth Standards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

#: Columns compute_zscores needs; ``measure`` and ``oedema`` may be absent (all unknown / no).
REQUIRED_COLUMNS = ("sex", "age_days", "weight_kg", "height_cm")
OPTIONAL_COLUMNS = ("measure", "oedema")

# Reason texts shown to analysts (Bahasa Indonesia). Index 0 = no problem.
_NOT_NUMBER, _NOT_FINITE, _NOT_POSITIVE, _NEGATIVE, _UNKNOWN, _NOT_POSITIVE_ADJ = 1, 2, 3, 4, 5, 6
REASONS: dict[str, dict[int, str]] = {
    "sex": {_UNKNOWN: "jenis kelamin (sex) harus 1 (laki-laki) atau 2 (perempuan)"},
    "age_days": {
        _NOT_NUMBER: "umur (age_days) bukan angka",
        _NOT_FINITE: "umur (age_days) tidak terhingga",
        _NEGATIVE: "umur (age_days) tidak boleh negatif",
    },
    "weight_kg": {
        _NOT_NUMBER: "berat badan (weight_kg) bukan angka",
        _NOT_FINITE: "berat badan (weight_kg) tidak terhingga",
        _NOT_POSITIVE: "berat badan (weight_kg) harus lebih dari 0 kg",
    },
    "height_cm": {
        _NOT_NUMBER: "panjang/tinggi badan (height_cm) bukan angka",
        _NOT_FINITE: "panjang/tinggi badan (height_cm) tidak terhingga",
        _NOT_POSITIVE: "panjang/tinggi badan (height_cm) harus lebih dari 0 cm",
        _NOT_POSITIVE_ADJ: "panjang/tinggi badan (height_cm) harus lebih dari 0 cm setelah "
                           "koreksi posisi 0,7 cm",
    },
    "measure": {_UNKNOWN: "cara ukur (measure) harus 'l' (telentang) atau 'h' (berdiri)"},
    "oedema": {_UNKNOWN: "edema (oedema) harus ya ('y') atau tidak ('n')"},
}

# Accepted spellings of oedema (anthro accepts y/n and "1"/"2"; booleans and 0/1 are what
# pandas gives for a yes/no column; "ya"/"tidak" is how Indonesian forms write it).
_OEDEMA_YES = {"y", "ya", "yes", "true", "1", "1.0"}
_OEDEMA_NO = {"n", "t", "tidak", "no", "false", "0", "0.0", "2", "2.0"}


@dataclass
class Prepared:
    """Cleaned inputs as numpy arrays (length n, positional).

    Attributes
    ----------
    sex : int8
        1 male, 2 female, 0 missing or invalid (no z-score).
    has_age : bool
        Age present and valid.
    day : intp
        Age rounded half up to whole days, clipped to 0..1826 (only meaningful where
        ``age_ok``).
    day_float : float64
        Rounded age in days as float (NaN where no age), for the 731-day comparisons.
    age_months : float64
        ``age_days / 30.4375``, unrounded (NaN where no age).
    age_ok : bool
        Age present, valid and < 60 months: age-based z-scores allowed.
    weight : float64
        kg; NaN where missing or invalid.
    height_adj : float64
        cm, after the 0.7 cm conversion; NaN where height, position or age is invalid.
    bmi : float64
        kg/m²; NaN where weight or ``height_adj`` is NaN.
    measure : int8
        Position used: 1 lying, 2 standing, 0 unknown (missing, invalid, or standing < 9 months).
    oedema : bool
        Oedema present.
    bad : dict of str to numpy.ndarray of uint8
        Per input column, the reason code (0 = fine); keys as in :data:`REASONS`.
    """

    sex: np.ndarray
    has_age: np.ndarray
    day: np.ndarray
    day_float: np.ndarray
    age_months: np.ndarray
    age_ok: np.ndarray
    weight: np.ndarray
    height_adj: np.ndarray
    bmi: np.ndarray
    measure: np.ndarray
    oedema: np.ndarray
    bad: dict[str, np.ndarray]

    def invalid(self, *columns: str) -> np.ndarray:
        """True where any of ``columns`` holds an impossible value."""
        out = np.zeros(len(self.sex), dtype=bool)
        for c in columns:
            out |= self.bad[c] != 0
        return out


def _numeric(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Values as float64 (NaN = missing) and a mask of entries that are not numbers.

    Numeric columns (the normal case) cost one conversion; text columns are parsed, and blank
    text counts as missing, not as a wrong value.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return values, np.zeros(len(values), dtype=bool)
    parsed = pd.to_numeric(series, errors="coerce")
    values = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
    text = series.astype("string").str.strip()
    given = text.notna().to_numpy() & (text != "").fillna(False).to_numpy(dtype=bool)
    return values, given & np.isnan(values)


def _number_reasons(values: np.ndarray, not_number: np.ndarray, *, allow_zero: bool) -> np.ndarray:
    """Reason codes for a numeric measurement column (see :data:`REASONS`)."""
    code = np.zeros(len(values), dtype=np.uint8)
    code[not_number] = _NOT_NUMBER
    with np.errstate(invalid="ignore"):
        if allow_zero:
            code[values < 0] = _NEGATIVE
        else:
            code[values <= 0] = _NOT_POSITIVE
    # Last, so that -inf is reported as infinite rather than as "not positive".
    code[np.isinf(values)] = _NOT_FINITE
    return code


def _coded(series: pd.Series, classify) -> tuple[np.ndarray, np.ndarray]:
    """Map a categorical-like column through ``classify(value) -> int`` per distinct value.

    Factorising first means the Python-level work is per distinct value (a handful), not per
    row. ``classify`` returns -1 for an impossible value; missing values get code 0.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.array([classify(u) for u in uniques] + [0], dtype=np.int8)
    mapped = lookup[codes]  # the sentinel -1 indexes the appended 0: missing
    bad = mapped < 0
    mapped[bad] = 0
    return mapped, bad


def _classify_measure(value) -> int:
    text = str(value).strip().lower()
    return {"l": 1, "h": 2, "": 0}.get(text, -1)


def _classify_oedema(value) -> int:
    if isinstance(value, (bool, np.bool_)):
        return 1 if value else 0
    text = str(value).strip().lower()
    if text in _OEDEMA_YES:
        return 1
    if text in _OEDEMA_NO or text == "":
        return 0
    return -1


def _oedema(frame: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    if "oedema" not in frame.columns:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    col = frame["oedema"]
    if col.dtype == bool:
        return col.to_numpy(), np.zeros(n, dtype=bool)
    if pd.api.types.is_bool_dtype(col.dtype):  # nullable boolean: <NA> = no oedema
        return col.to_numpy(dtype=bool, na_value=False), np.zeros(n, dtype=bool)
    mapped, bad = _coded(col, _classify_oedema)
    return mapped == 1, bad


def _measure(frame: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    if "measure" not in frame.columns:
        return np.zeros(n, dtype=np.int8), np.zeros(n, dtype=bool)
    return _coded(frame["measure"], _classify_measure)


def prepare(frame: pd.DataFrame, settings: dict) -> Prepared:
    """Clean the input columns (see the module docstring for every rule).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``sex``, ``age_days`` (days, float), ``weight_kg`` (kg), ``height_cm`` (cm, as
        measured), optionally ``measure`` and ``oedema``.
    settings : dict
        ``analysis/data/config/growth.yaml``.

    Returns
    -------
    Prepared

    Raises
    ------
    analysis.errors.ParameterError
        A required column is absent (a programming error upstream, not a data problem).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ParameterError("frame", f"kolom wajib tidak ada: {', '.join(missing)}.",
                             allowed=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS))
    n = len(frame)
    bad: dict[str, np.ndarray] = {}

    # Sex: 1 or 2; anything else present is impossible.
    sex_raw, sex_nan = _numeric(frame["sex"])
    sex = np.zeros(n, dtype=np.int8)
    sex[sex_raw == 1] = 1
    sex[sex_raw == 2] = 2
    bad["sex"] = np.where((sex == 0) & (~np.isnan(sex_raw) | sex_nan), _UNKNOWN, 0).astype(np.uint8)

    # Age.
    age, age_nan = _numeric(frame["age_days"])
    bad["age_days"] = _number_reasons(age, age_nan, allow_zero=True)
    age = np.where(bad["age_days"] != 0, np.nan, age)
    has_age = ~np.isnan(age)
    # anthro's round_up: floor, then up if the fraction is >= 0.5 (not floor(x + 0.5), which
    # differs just below .5 in floating point).
    day_float = np.floor(age)
    day_float += (age - day_float) >= 0.5
    age_months = age / settings["days_per_month"]
    with np.errstate(invalid="ignore"):
        age_ok = has_age & (age_months < settings["max_age_months"])
    day = np.where(age_ok, day_float, 0).astype(np.intp)
    # Guard: < 60 months always means day <= 1826; clip so an index can never leave the table.
    np.clip(day, 0, settings["max_table_day"], out=day)

    # Weight and height.
    weight, w_nan = _numeric(frame["weight_kg"])
    bad["weight_kg"] = _number_reasons(weight, w_nan, allow_zero=False)
    weight = np.where(bad["weight_kg"] != 0, np.nan, weight)
    height, h_nan = _numeric(frame["height_cm"])
    bad["height_cm"] = _number_reasons(height, h_nan, allow_zero=False)

    # Position and oedema.
    measure, measure_bad = _measure(frame, n)
    bad["measure"] = np.where(measure_bad, _UNKNOWN, 0).astype(np.uint8)
    oedema, oedema_bad = _oedema(frame, n)
    bad["oedema"] = np.where(oedema_bad, _UNKNOWN, 0).astype(np.uint8)

    # Standing before 9 months: position unknown (no conversion), as anthro does.
    with np.errstate(invalid="ignore"):
        young_standing = (measure == 2) & (age_months < settings["under_months_standing"])
    measure = np.where(young_standing, 0, measure).astype(np.int8)

    # 0.7 cm conversion on the rounded age.
    adj = settings["position_adjust_cm"]
    cut = settings["standing_from_day"]
    with np.errstate(invalid="ignore"):
        plus = (day_float < cut) & (measure == 2)
        minus = (day_float >= cut) & (measure == 1)
    height_adj = height.copy()
    height_adj[plus] = height[plus] + adj
    height_adj[minus] = height[minus] - adj
    unusable = (bad["height_cm"] != 0) | (bad["measure"] != 0) | (bad["age_days"] != 0)
    height_adj[unusable] = np.nan
    # A positive length under 0.7 cm measured lying after 24 months would become <= 0.
    with np.errstate(invalid="ignore"):
        nonpositive = height_adj <= 0
    bad["height_cm"][nonpositive] = _NOT_POSITIVE_ADJ
    height_adj[nonpositive] = np.nan

    # BMI with the converted length, squared by multiplication as R does for ^2.
    h_m = height_adj / 100.0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        bmi = weight / (h_m * h_m)
    # Only absurd magnitudes (e.g. 1e300 kg) overflow; keep the promise of no inf in the output.
    bmi[np.isinf(bmi)] = np.nan

    return Prepared(
        sex=sex, has_age=has_age, day=day, day_float=day_float, age_months=age_months,
        age_ok=age_ok, weight=weight, height_adj=height_adj, bmi=bmi, measure=measure,
        oedema=oedema, bad=bad,
    )


def invalid_reasons(bad: dict[str, np.ndarray], index: pd.Index) -> pd.Series:
    """One text per row joining the reasons of every impossible column; <NA> where valid.

    Parameters
    ----------
    bad : dict of str to numpy.ndarray of uint8
        Reason codes per input column (``Prepared.bad``, possibly assembled from blocks).
    index : pandas.Index
        Index of the input frame (the result is aligned to it).

    Returns
    -------
    pandas.Series of dtype ``string``
        Reasons separated by ``"; "``, in column order.
    """
    columns = list(REASONS)
    any_bad = np.zeros(len(index), dtype=bool)
    for c in columns:
        any_bad |= bad[c] != 0
    rows = np.flatnonzero(any_bad)
    if not len(rows):  # the usual case: a scalar fill is cheapest
        return pd.Series(pd.NA, index=index, dtype="string", name="invalid_reason")
    # Position of each row's text in `texts`; -1 = valid (<NA>). Taking from a small string
    # array is far faster than building a million-element object array of None.
    which = np.full(len(index), -1, dtype=np.intp)
    codes = np.stack([bad[c][rows] for c in columns], axis=1)
    # Distinct combinations are few even when many rows are invalid: build each text once.
    combos, inverse = np.unique(codes, axis=0, return_inverse=True)
    texts = ["; ".join(REASONS[c][k] for c, k in zip(columns, combo, strict=True) if k) for combo in combos]
    which[rows] = inverse.ravel()
    values = pd.array(texts, dtype="string").take(which, allow_fill=True)
    return pd.Series(values, index=index, name="invalid_reason", copy=False)
