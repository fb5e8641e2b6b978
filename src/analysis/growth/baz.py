"""BMI-for-age z-score (BAZ), WHO Child Growth Standards."""

from __future__ import annotations

import numpy as np

from analysis.growth._agebased import age_based
from analysis.growth.inputs import Prepared
from analysis.growth.tables import Tables


def baz(prep: Prepared, tables: Tables, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """BAZ of every row, rounded to 2 decimals, and its flag (|z| > 5).

    Parameters
    ----------
    prep : Prepared
        Cleaned inputs; uses ``bmi`` (kg/m², from the converted length).
    tables : Tables
        ``bmianthro``.
    settings : dict
        ``analysis/data/config/growth.yaml``.

    Returns
    -------
    z, flag : numpy.ndarray

    Notes
    -----
    Restricted computation beyond ±3 SD. Missing with oedema (or an unreadable oedema value).
    NaN when weight, length, position or age is invalid (the BMI is then undefined).
    """
    allowed = (prep.sex != 0) & prep.age_ok & ~prep.oedema & ~prep.invalid("oedema")
    return age_based(prep.bmi, allowed, prep.sex, prep.day, tables.baz,
                     restricted=True, flags=settings["flags"]["baz"],
                     digits=settings["z_digits"])
