"""Shared steps of the three age-keyed indicators (HAZ, WAZ, BAZ): lookup, z, rounding, flag."""

# ruff: noqa: E741 -- l, m, s are the published names of the LMS method's parameters

from __future__ import annotations

import numpy as np

from analysis.growth.lms import flag_outside, zscore_rounded
from analysis.growth.tables import AgeTable


def age_based(y: np.ndarray, allowed: np.ndarray, sex: np.ndarray, day: np.ndarray,
              table: AgeTable, *, restricted: bool, flags: list[float],
              digits: int) -> tuple[np.ndarray, np.ndarray]:
    """Rounded z-score and flag of measurement ``y`` against an age-keyed LMS table.

    Parameters
    ----------
    y : numpy.ndarray of float64
        Measurement in the table's unit (NaN = not computable).
    allowed : numpy.ndarray of bool
        Rows that may get a z-score (sex known, age valid and < 60 months, indicator-specific
        conditions). Other rows read the all-NaN block of the table.
    sex, day : numpy.ndarray
        Sex code (1/2) and age in rounded days (0..1826).
    table : AgeTable
    restricted : bool
        Use WHO's restricted computation beyond ±3 SD (WAZ, BAZ), not for HAZ.
    flags : list of float
        ``[lower, upper]`` implausibility cut-offs on the rounded z.
    digits : int
        Decimals of the rounded z (2).

    Returns
    -------
    z : numpy.ndarray of float64
        Rounded z-score, NaN where not computable.
    flag : numpy.ndarray of bool
        Flag (meaningless where ``z`` is NaN; the caller masks it).
    """
    idx = table.index(np.where(allowed, sex, 0), day)
    l = table.l.take(idx)
    m = table.m.take(idx)
    s = table.s.take(idx)
    z = zscore_rounded(y, l, m, s, restricted=restricted, digits=digits,
                       unit_power=table.unit_power and not restricted)
    return z, flag_outside(z, flags[0], flags[1])
