"""WHO LMS tables read for generation, and the inverse of the z-score formula.

The demo generator decides a child's z-scores first and then writes the length/height and
weight that give exactly those z-scores back (up to the rounding of the recorded values to
0.1 cm and 0.1 kg). The inverse of ``z = ((y / M) ** L - 1) / (L * S)`` is
``y = M * (1 + L * S * z) ** (1 / L)``; for weight-based indicators WHO extrapolates linearly
beyond ±3 SD (the "restricted" computation), and the inverse does the same, so that
:func:`analysis.growth.compute_zscores` recovers the intended value on every row.

The forward formula is also needed here: the e-PPGBM export carries its own z-score columns
(``ZS BB/U``, ``ZS TB/U``, ``ZS BB/TB``), which the generator fills the way the register
application does, from the recorded values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analysis import config

#: Last age in days of the age-keyed tables (60 months).
MAX_DAY = 1826
#: Age in days from which length/height-for-age is a standing height (24 months).
HEIGHT_FROM_DAY = 731
#: Difference between recumbent length and standing height (WHO: 0.7 cm).
LYING_STANDING_CM = 0.7


@dataclass(frozen=True)
class Lms:
    """L, M and S arrays for one table, indexed ``[sex - 1, key]``.

    Attributes
    ----------
    l, m, s : numpy.ndarray, shape (2, n)
        Box-Cox power, median and coefficient of variation (NaN where no row exists).
    key_min : int
        Key of column 0 (day 0, or the smallest length in mm).
    """

    l: np.ndarray
    m: np.ndarray
    s: np.ndarray
    key_min: int

    def lookup(self, sex: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """L, M, S for integer keys, clipped into the table (callers mask what is out of range)."""
        col = np.clip(key - self.key_min, 0, self.l.shape[1] - 1)
        row = np.asarray(sex, dtype=np.intp) - 1
        return self.l[row, col], self.m[row, col], self.s[row, col]


def _read(name: str, key: str, scale: int) -> Lms:
    frame = pd.read_csv(config.WHO_DIR / f"{name}.csv")
    keys = np.rint(frame[key].to_numpy(dtype=float) * scale).astype(np.int64)
    key_min = int(keys.min())
    width = int(keys.max()) - key_min + 1
    arrays = []
    for col in ("l", "m", "s"):
        arr = np.full((2, width), np.nan)
        arr[frame["sex"].to_numpy() - 1, keys - key_min] = frame[col].to_numpy(dtype=float)
        arrays.append(arr)
    return Lms(*arrays, key_min=key_min)


@cache
def tables() -> dict[str, Lms]:
    """The four tables the generator needs, read once from ``config.WHO_DIR``.

    Returns
    -------
    dict of str to Lms
        ``"lh"`` length/height-for-age and ``"wa"`` weight-for-age (keyed by age in days),
        ``"wfl"`` weight-for-length and ``"wfh"`` weight-for-height (keyed by length in mm).
    """
    return {
        "lh": _read("lenanthro", "age", 1),
        "wa": _read("weianthro", "age", 1),
        "wfl": _read("wflanthro", "length", 10),
        "wfh": _read("wfhanthro", "height", 10),
    }


def _sd_value(l, m, s, k):
    return m * np.power(1.0 + l * s * k, 1.0 / l)


def invert(z: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray,
           restricted: bool) -> np.ndarray:
    """Measurement giving z-score ``z``: ``M * (1 + L * S * z) ** (1 / L)``.

    Parameters
    ----------
    z : numpy.ndarray
        Intended z-scores.
    l, m, s : numpy.ndarray
        LMS parameters per row.
    restricted : bool
        Apply WHO's linear extrapolation beyond ±3 SD (weight-based indicators).

    Returns
    -------
    numpy.ndarray
        The measurement in the table's unit (cm or kg).
    """
    with np.errstate(invalid="ignore"):
        y = _sd_value(l, m, s, z)
        if restricted:
            high = z > 3.0
            low = z < -3.0
            sd3 = _sd_value(l, m, s, 3.0)
            sd2 = _sd_value(l, m, s, 2.0)
            sd3n = _sd_value(l, m, s, -3.0)
            sd2n = _sd_value(l, m, s, -2.0)
            y = np.where(high, sd3 + (z - 3.0) * (sd3 - sd2), y)
            y = np.where(low, sd3n + (z + 3.0) * (sd2n - sd3n), y)
    return y


def zscore(y: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray,
           restricted: bool) -> np.ndarray:
    """Forward LMS z-score (with WHO's restriction beyond ±3 SD when ``restricted``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (np.power(y / m, l) - 1.0) / (l * s)
        if restricted:
            sd3 = _sd_value(l, m, s, 3.0)
            sd2 = _sd_value(l, m, s, 2.0)
            sd3n = _sd_value(l, m, s, -3.0)
            sd2n = _sd_value(l, m, s, -2.0)
            z = np.where(z > 3.0, 3.0 + (y - sd3) / (sd3 - sd2), z)
            z = np.where(z < -3.0, -3.0 + (y - sd3n) / (sd2n - sd3n), z)
    return z


def table_height(recorded_cm: np.ndarray, age_days: np.ndarray, lying: np.ndarray) -> np.ndarray:
    """Length/height as the WHO tables expect it (anthro's adjustment by ±0.7 cm).

    Under 731 days the tables hold recumbent length, from 731 days standing height; a child
    measured the other way is corrected by 0.7 cm.
    """
    young = age_days < HEIGHT_FROM_DAY
    adj = np.where(young & ~lying, LYING_STANDING_CM, 0.0)
    adj = np.where(~young & lying, -LYING_STANDING_CM, adj)
    return recorded_cm + adj


def height_for(haz: np.ndarray, sex: np.ndarray, age_days: np.ndarray) -> np.ndarray:
    """Length/height (table convention, unrounded) with length/height-for-age z ``haz``."""
    l, m, s = tables()["lh"].lookup(sex, np.clip(age_days, 0, MAX_DAY))
    return invert(haz, l, m, s, restricted=False)


def _wflh(sex: np.ndarray, height_adj_cm: np.ndarray, age_days: np.ndarray):
    t = tables()
    key = np.rint(height_adj_cm * 10).astype(np.int64)
    lf, mf, sf = t["wfl"].lookup(sex, key)
    lh, mh, sh = t["wfh"].lookup(sex, key)
    young = age_days < HEIGHT_FROM_DAY
    lo = np.where(young, 450, 650)
    hi = np.where(young, 1100, 1200)
    inside = (key >= lo) & (key <= hi)
    return np.where(young, lf, lh), np.where(young, mf, mh), np.where(young, sf, sh), inside


def weight_for(whz: np.ndarray, sex: np.ndarray, height_adj_cm: np.ndarray,
               age_days: np.ndarray) -> np.ndarray:
    """Weight with weight-for-length/height z ``whz`` at the (adjusted, 0.1 cm) height.

    Heights outside the tables (below 45 cm or above 110/120 cm) are clipped into them: the
    weight is still plausible, and the z-score computed back is missing, as in anthro.
    """
    t = tables()
    young = age_days < HEIGHT_FROM_DAY
    key = np.rint(height_adj_cm * 10).astype(np.int64)
    key = np.where(young, np.clip(key, 450, 1100), np.clip(key, 650, 1200))
    l, m, s, _ = _wflh(sex, key / 10.0, age_days)
    return invert(whz, l, m, s, restricted=True)


def zscores(sex: np.ndarray, age_days: np.ndarray, weight: np.ndarray, recorded_cm: np.ndarray,
            lying: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WAZ, HAZ and WHZ from recorded values, as the register application shows them.

    Parameters
    ----------
    sex : numpy.ndarray of int
        1 boy, 2 girl.
    age_days : numpy.ndarray of int
        Age at measurement; outside 0–1826 the age-based scores are NaN.
    weight, recorded_cm : numpy.ndarray of float
        Recorded weight (kg) and length/height (cm), NaN when missing.
    lying : numpy.ndarray of bool
        Measured lying down (``Terlentang``).

    Returns
    -------
    tuple of numpy.ndarray
        ``(waz, haz, whz)``, unrounded, NaN where not computable.
    """
    t = tables()
    ok_age = (age_days >= 0) & (age_days <= MAX_DAY)
    adj = table_height(recorded_cm, age_days, lying)
    l, m, s = t["wa"].lookup(sex, np.clip(age_days, 0, MAX_DAY))
    waz = np.where(ok_age, zscore(weight, l, m, s, restricted=True), np.nan)
    l, m, s = t["lh"].lookup(sex, np.clip(age_days, 0, MAX_DAY))
    haz = np.where(ok_age, zscore(adj, l, m, s, restricted=False), np.nan)
    safe = np.where(np.isnan(adj), 0.0, adj)
    l, m, s, inside = _wflh(sex, safe, age_days)
    whz = np.where(inside & ~np.isnan(adj), zscore(weight, l, m, s, restricted=True), np.nan)
    return waz, haz, whz
