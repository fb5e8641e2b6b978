"""Weight-for-length/height z-score (WHZ), WHO Child Growth Standards."""

from __future__ import annotations

import numpy as np

from analysis.growth.inputs import Prepared
from analysis.growth.lms import flag_outside, zscore_rounded
from analysis.growth.tables import Tables


def whz(prep: Prepared, tables: Tables, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """WHZ of every row, rounded to 2 decimals, and its flag (|z| > 5).

    Parameters
    ----------
    prep : Prepared
        Cleaned inputs; uses ``weight`` (kg) and ``height_adj`` (cm).
    tables : Tables
        ``wflanthro`` (45–110 cm) and ``wfhanthro`` (65–120 cm).
    settings : dict
        ``analysis/data/config/growth.yaml``.

    Returns
    -------
    z, flag : numpy.ndarray

    Notes
    -----
    Table choice (anthro): the length table when the rounded age is < 731 days, the height
    table otherwise; without age, the measured position decides, and without both, converted
    length < 87 cm → length table. The converted length must lie inside the chosen table's
    window (inclusive) or WHZ is missing. Unlike the age-based z-scores, WHZ needs no age:
    it is computed with age missing, but not at 60 months or older.

    L, M and S are each interpolated linearly between the neighbouring 0.1 cm rows, with
    anthro's arithmetic: ``low = trunc(x·10)/10``, ``upper = trunc(x·10 + 1)/10``,
    ``f = (x − low)/0.1``, and the interpolated value only where ``f > 0``.
    """
    h = prep.height_adj
    lo_cut = settings["unknown_age_length_cut_cm"]
    cut = settings["standing_from_day"]
    no_age = ~prep.has_age
    with np.errstate(invalid="ignore"):
        join_l = ((prep.has_age & (prep.day_float < cut))
                  | (no_age & (prep.measure == 1))
                  | (no_age & (prep.measure == 0) & (h < lo_cut)))
        join_h = ((prep.has_age & (prep.day_float >= cut))
                  | (no_age & (prep.measure == 2))
                  | (no_age & (prep.measure == 0) & (h >= lo_cut)))
        wl, wh = settings["wfl_window_cm"], settings["wfh_window_cm"]
        in_window = np.where(join_l, (h >= wl[0]) & (h <= wl[1]),
                             join_h & (h >= wh[0]) & (h <= wh[1]))
        age_allows = no_age | (prep.age_months < settings["max_age_months"])
    allowed = (in_window & (prep.sex != 0) & age_allows & ~prep.oedema
               & ~prep.invalid("oedema", "age_days"))

    table = tables.wfhl
    which = np.where(join_l, 0, 1)
    sex = np.where(allowed, prep.sex, 0)
    safe_h = np.where(allowed, h, table.k_min / 10.0)
    x10 = safe_h * 10.0
    k_low = np.trunc(x10)
    k_up = np.trunc(x10 + 1.0)
    f = (safe_h - k_low / 10.0) / 0.1
    i_low = table.index(sex, which, k_low.astype(np.intp))
    i_up = table.index(sex, which, k_up.astype(np.intp))
    interp = f > 0

    def lms(values: np.ndarray) -> np.ndarray:
        low = values.take(i_low)
        up = values.take(i_up)
        return np.where(interp, low + f * (up - low), low)

    z = zscore_rounded(prep.weight, lms(table.l), lms(table.m), lms(table.s), restricted=True,
                       digits=settings["z_digits"])
    flags = settings["flags"]["whz"]
    return z, flag_outside(z, flags[0], flags[1])
