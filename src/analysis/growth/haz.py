"""Length/height-for-age z-score (HAZ), WHO Child Growth Standards."""

from __future__ import annotations

import numpy as np

from analysis.growth._agebased import age_based
from analysis.growth.inputs import Prepared
from analysis.growth.tables import Tables


def haz(prep: Prepared, tables: Tables, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """HAZ of every row, rounded to 2 decimals, and its flag (|z| > 6).

    Parameters
    ----------
    prep : Prepared
        Cleaned inputs; uses ``height_adj`` (cm, after the 0.7 cm conversion).
    tables : Tables
        ``lenanthro`` (L = 1 throughout, so this is (y − M)/(M·S)).
    settings : dict
        ``analysis/data/config/growth.yaml``.

    Returns
    -------
    z, flag : numpy.ndarray
        See :func:`analysis.growth._agebased.age_based`.

    Notes
    -----
    No restricted computation (as anthro). Oedema does not affect HAZ. Not computable without
    sex, age (< 60 months) or length; NaN where the length, position or age is invalid.
    """
    allowed = (prep.sex != 0) & prep.age_ok
    return age_based(prep.height_adj, allowed, prep.sex, prep.day, tables.haz,
                     restricted=False, flags=settings["flags"]["haz"],
                     digits=settings["z_digits"])
