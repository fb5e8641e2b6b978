"""Small statistical helpers shared by every report: proportions, their CIs,
differences between two proportions, funnel-plot control limits and positions.

All proportions are fractions (0–1) in and out; reports convert to percent.
Only scipy is imported (statsmodels costs ~1.5 s at import; keep it for models).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats as _st

from analysis.kode import PosisiCorong

#: z of the funnel plot's control limits: 95 % and 99,8 % (two-sided; Spiegelhalter 2005).
#: The words of :class:`~analysis.kode.PosisiCorong` name these two levels.
FUNNEL_Z: tuple[float, float] = (1.96, 3.09)


def wilson_ci(successes: ArrayLike, n: ArrayLike,
              level: float = 0.95) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval for a binomial proportion, vectorised.

    Parameters
    ----------
    successes, n : array-like of int
        Count of events and number of trials. ``n == 0`` gives NaN limits.
    level : float
        Confidence level.

    Returns
    -------
    (lower, upper) : arrays of fractions.

    Notes
    -----
    Wilson rather than Wald because desa counts are small: it never leaves
    [0, 1] and keeps reasonable coverage at 0 or all events.
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = _st.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    lower = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    upper = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return lower, upper


def diff_ci(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike,
            level: float = 0.95) -> pd.DataFrame:
    """Difference of two independent proportions p1 − p2 with Newcombe's hybrid Wilson CI.

    Returns a frame with ``diff``, ``lower``, ``upper`` (fractions) and ``significant``
    (True when the interval excludes 0: the difference is larger than its noise).

    Notes
    -----
    Newcombe (1998), method 10: each proportion's Wilson score interval (``l_i``, ``u_i``),
    then ``lower = d − sqrt((p1 − l1)² + (u2 − p2)²)``, ``upper = d + sqrt((u1 − p1)² +
    (p2 − l2)²)``. The test suite checks it against the paper's worked examples.
    """
    x1, n1, x2, n2 = (np.asarray(a, dtype=float) for a in (x1, n1, x2, n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_ci(x1, n1, level)
    l2, u2 = wilson_ci(x2, n2, level)
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    out = pd.DataFrame({"diff": d, "lower": lower, "upper": upper})
    out["significant"] = (out["lower"] > 0) | (out["upper"] < 0)
    return out


def funnel_limits(p0: float, n: ArrayLike,
                  z: float = 1.96) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Control limits of a funnel plot around a reference proportion ``p0``.

    Parameters
    ----------
    p0 : float
        The reference proportion (e.g. the district prevalence), as a fraction.
    n : array-like
        Number of children measured in each unit.
    z : float
        1.96 for the 95 % limits, 3.09 for 99.8 %.

    Notes
    -----
    Normal approximation to the binomial (Spiegelhalter 2005); a unit above the
    upper 99.8 % limit is a hotspot that is very unlikely to be noise.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = z * np.sqrt(p0 * (1 - p0) / n)
    return np.clip(p0 - half, 0, 1), np.clip(p0 + half, 0, 1)


def funnel_position(x: ArrayLike, n: ArrayLike, p0: float,
                    z: tuple[float, float] = FUNNEL_Z) -> NDArray[Any]:
    """Position of each unit on the funnel plot around ``p0`` (one rule for desa and districts).

    Parameters
    ----------
    x, n : array-like
        Events (stunted children) and trials (children with a usable HAZ) per unit.
    p0 : float
        Reference proportion (fraction).
    z : (float, float)
        z of the inner and outer limits (:data:`FUNNEL_Z`).

    Returns
    -------
    ndarray of str
        :class:`~analysis.kode.PosisiCorong` codes: above the outer limit, above the inner,
        within, below the inner, below the outer; ``tanpa_data`` where ``n`` is 0 or missing.
        Limits are those of :func:`funnel_limits` (clipped to 0–1), so a unit drawn above the
        99,8 % line of a chart is the unit called ``atas_998``.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
    lo_in, hi_in = funnel_limits(p0, n, z[0])
    lo_out, hi_out = funnel_limits(p0, n, z[1])
    return np.select(
        [~(n > 0), p > hi_out, p > hi_in, p < lo_out, p < lo_in],
        [PosisiCorong.TANPA_DATA.value, PosisiCorong.ATAS_998.value, PosisiCorong.ATAS_95.value,
         PosisiCorong.BAWAH_998.value, PosisiCorong.BAWAH_95.value],
        default=PosisiCorong.DALAM.value).astype(object)
