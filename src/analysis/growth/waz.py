"""Weight-for-age z-score (WAZ), WHO Child Growth Standards."""

from __future__ import annotations

import numpy as np

from analysis.growth._agebased import age_based
from analysis.growth.inputs import Prepared
from analysis.growth.tables import Tables


def waz(prep: Prepared, tables: Tables, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """WAZ of every row, rounded to 2 decimals, and its flag (z < −6 or z > 5).

    Parameters
    ----------
    prep : Prepared
        Cleaned inputs; uses ``weight`` (kg).
    tables : Tables
        ``weianthro``.
    settings : dict
        ``analysis/data/config/growth.yaml``.

    Returns
    -------
    z, flag : numpy.ndarray

    Notes
    -----
    Restricted computation beyond ±3 SD. Missing (not computed) with oedema, or when the
    oedema value is unreadable: weight then includes fluid (prevalence counts oedema below −3).
    """
    allowed = (prep.sex != 0) & prep.age_ok & ~prep.oedema & ~prep.invalid("oedema")
    return age_based(prep.weight, allowed, prep.sex, prep.day, tables.waz,
                     restricted=True, flags=settings["flags"]["waz"],
                     digits=settings["z_digits"])
