"""Choosing the desa lokus of a year, as a district team does it from last year's register.

The Aksi 1 team ranks desa by the number of stunted children and by prevalence in the last
weighing round of the previous year and decrees the top ones (about 10–20 % of desa). Real
choices are not purely technical, so a little noise in the ranking lets a few lokus be
ordinary desa, which the lokus rubric (A = 100 % of lokus with high counts or prevalence) can
then detect.
"""

from __future__ import annotations

import numpy as np

from analysis.demo import settings


def count_for(d: settings.District, year: int, n_desa: int) -> int:
    """Number of lokus desa in ``year`` (the district's own figure, else a share of desa)."""
    if year in d.jumlah_lokus:
        return min(n_desa, d.jumlah_lokus[year])
    share = float(settings.params()["lokus"]["proporsi_desa"])
    return int(min(n_desa, max(1, round(share * n_desa))))


def select(measured: np.ndarray, stunted: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of the ``n`` desa chosen as lokus.

    Parameters
    ----------
    measured, stunted : numpy.ndarray of int
        Per desa: children measured and children with HAZ < −2 in the previous year's last round.
    n : int
        How many lokus to decree.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray of int
        Sorted desa indices.
    """
    p = settings.params()["lokus"]
    w = float(p["bobot_jumlah_kasus"])
    prevalence = np.divide(stunted, measured, out=np.zeros(len(measured)), where=measured > 0)
    count_rank = np.argsort(np.argsort(stunted, kind="stable"), kind="stable") / max(len(stunted) - 1, 1)
    prev_rank = np.argsort(np.argsort(prevalence, kind="stable"), kind="stable") / max(len(stunted) - 1, 1)
    score = w * count_rank + (1 - w) * prev_rank + rng.normal(0.0, float(p["sd_acak_peringkat"]), len(stunted))
    return np.sort(np.argsort(-score, kind="stable")[:n])
