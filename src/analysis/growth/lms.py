"""The LMS z-score formula, its restricted form, R's rounding and the flag rule, written once.

Every indicator module (``haz``, ``waz``, ``whz``, ``baz``) calls these; nothing else in the
package computes a z-score. The arithmetic follows WHO ``anthro`` (``R/z-score-helper.R``)
operation by operation, because the z-scores are rounded to 2 decimals before flagging and a
different order of floating-point operations could move a value across a rounding boundary.

Equal to R to the last bit
--------------------------
R evaluates every ``+ - * /`` of anthro's formula as one IEEE double operation, as numpy does,
so those agree bit for bit. The exception is ``^``: R calls ``R_pow`` (``src/main/arithmetic.c``),
which squares ``x^2`` by multiplication, returns 1 for ``1^y`` and ``x^0``, and otherwise calls
the C library's ``pow`` (glibc on Linux; ``powl`` only on 64-bit Windows). numpy's vectorised
``power`` is its own SIMD code where the CPU has AVX-512: it differs from glibc's ``pow`` in
the last bit for about 5 % of arguments (at most 1 ulp, measured). After rounding that matters
only for the rare z-score whose unrounded value lies within about 1e-11 of a half-way point
(x.xx5): :func:`zscore_rounded` therefore computes everything vectorised and then recomputes,
with R's own ``pow`` (:func:`r_pow`, CPython's ``math.pow`` is the C library's), only the rows
whose z lies within :data:`RECHECK_MARGIN` of a half-way point, about 10 per million. The result
is what R computes on the same machine; ``tests/test_growth_halfway.py`` checks it on
constructed half-way cases.
"""

# ruff: noqa: E741 -- l, m, s are the published names of the LMS method's parameters

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import numpy as np

#: ``power(x, y)`` over arrays of the same shape; may reuse ``x`` as its output.
Power = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Rows whose unrounded z-score lies closer than ``RECHECK_MARGIN * (1 + |z|)`` to a rounding
#: half-way point are recomputed with the C library's ``pow``. The vectorised and the C power
#: differ by at most 1 ulp (measured on 1 M random arguments); propagated through the formula
#: that moves z by at most ~2e-11 in the worst table row (weight-for-age, where |L·S| falls to
#: 1.1e-5 and ``(p - 1) / (L·S)`` amplifies the error of ``p``) and by < 5e-15·(1 + |z|)
#: elsewhere, so 1e-8 is a safety factor of > 100 even for a 4-ulp disagreement, and costs a
#: recomputation for about 10 rows in a million children (``benchmarks/bench_growth.py``: 10 of
#: the 3 M weight-based z-scores of 1 M random children). Results do not depend on the value as long as it
#: exceeds that error bound; 0 turns the recomputation off (the benchmark times the plain
#: vectorised path that way, and a test proves the half-way cases need it).
RECHECK_MARGIN = 1e-8

# R's fround (src/nmath/fround.c) returns x unchanged once M_LOG10_2 * (0.5 + logb(x)) + digits
# exceeds DBL_DIG: "rounding to so many digits that no rounding is needed".
_M_LOG10_2 = 0.301029995663981195213738894724
_DBL_DIG = 15


def _vector_power(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.power(x, y, out=x)


def r_pow(x: float, y: float) -> float:
    """R's ``x ^ y`` for doubles on Linux: ``R_pow`` of ``src/main/arithmetic.c``.

    Parameters
    ----------
    x, y : float

    Returns
    -------
    float
        ``x * x`` for ``y == 2``; 1 for ``x == 1`` or ``y == 0``; for ``x == 0``: 0, ``+Inf``
        or ``y`` (NaN) by the sign of ``y``; for finite arguments the C library's ``pow``
        (``math.pow``, with NaN where C returns NaN and ``±Inf`` where it overflows, instead of
        Python's exceptions); otherwise NaN propagates and infinities follow R's rules.
    """
    if y == 2.0:
        return x * x
    if x == 1.0 or y == 0.0:
        return 1.0
    if x == 0.0:
        return 0.0 if y > 0.0 else (math.inf if y < 0.0 else y)
    if math.isfinite(x) and math.isfinite(y):
        try:
            return math.pow(x, y)
        except ValueError:  # negative base, non-integer exponent: C pow gives NaN
            return math.nan
        except OverflowError:  # C pow gives ±HUGE_VAL: negative only for x < 0 and odd y
            return -math.inf if x < 0.0 and y % 2.0 == 1.0 else math.inf
    if math.isnan(x) or math.isnan(y):
        return x + y
    if math.isinf(x):
        if x > 0:
            return 0.0 if y < 0.0 else math.inf
        if math.isfinite(y) and y == math.floor(y):  # (-Inf) ^ n
            return 0.0 if y < 0.0 else (x if math.fmod(y, 2.0) != 0.0 else -x)
    if math.isinf(y) and x >= 0:
        if y > 0:
            return math.inf if x >= 1 else 0.0
        return math.inf if x < 1 else 0.0
    return math.nan


def _libm_power(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """:func:`r_pow` element by element (for the few rows near a rounding half-way point)."""
    return np.fromiter(map(r_pow, x.tolist(), y.tolist()), dtype=np.float64, count=len(x))


def _zscore(y: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray, *, restricted: bool,
            unit_power: bool, power: Power) -> np.ndarray:
    """anthro's ``compute_zscore`` / ``compute_zscore_adjusted`` with a given ``^``."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = y / m
        powered = ratio if unit_power else power(ratio, l)
        powered -= 1.0
        z = np.divide(powered, s * l, out=powered)
        if not restricted:
            return z
        high = z > 3.0
        low = z < -3.0
        # R evaluates the SD curves on every row and keeps them where |z| > 3; evaluating them
        # only there gives the same values for those rows at a fraction of the cost.
        if high.any():
            li, mi, si, yi = l[high], m[high], s[high], y[high]
            sd3 = _sd_value(li, mi, si, 3.0, power)
            sd23 = sd3 - _sd_value(li, mi, si, 2.0, power)
            z[high] = 3.0 + (yi - sd3) / sd23
        if low.any():
            li, mi, si, yi = l[low], m[low], s[low], y[low]
            sd3n = _sd_value(li, mi, si, -3.0, power)
            sd23n = _sd_value(li, mi, si, -2.0, power) - sd3n
            z[low] = -3.0 + (yi - sd3n) / sd23n
    return z


def _sd_value(l: np.ndarray, m: np.ndarray, s: np.ndarray, k: float, power: Power) -> np.ndarray:
    """Measurement at ``k`` SD: ``m * ((1 + l * s * k) ^ (1 / l))`` (anthro's ``calc_sd``)."""
    return m * power(1.0 + l * s * k, 1.0 / l)


def zscore_lms(y: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray, *,
               unit_power: bool = False) -> np.ndarray:
    """Unrestricted LMS z-score, ``((y / M) ** L - 1) / (S * L)``, vectorised.

    Parameters
    ----------
    y : numpy.ndarray of float64
        Measurement in the unit of the table (cm, kg or kg/m²). NaN gives NaN.
    l, m, s : numpy.ndarray of float64
        Box-Cox power, median and coefficient of variation for each row (NaN where the row has
        no table entry).
    unit_power : bool, default False
        The caller guarantees L = 1 on every row (the length/height-for-age table): the power
        is skipped. ``x ** 1`` is exactly ``x`` in numpy and in glibc's ``pow`` (error below
        1 ulp, so an exactly representable result is returned exactly), so the result is bit
        for bit R's, and one power over a million rows (~15 ms) is saved.

    Returns
    -------
    numpy.ndarray of float64
        The z-score, unrounded, with numpy's power (see the module docstring for the last bit;
        :func:`zscore_rounded` gives R's rounded value).

    Notes
    -----
    Same operation order as anthro's ``compute_zscore`` (power, minus one, then divide by the
    product ``s * l``). Used as is for length/height-for-age; weight-based indicators use
    :func:`zscore_lms_restricted`.
    """
    return _zscore(y, l, m, s, restricted=False, unit_power=unit_power, power=_vector_power)


def zscore_lms_restricted(y: np.ndarray, l: np.ndarray, m: np.ndarray,
                          s: np.ndarray) -> np.ndarray:
    """LMS z-score with WHO's restricted computation beyond ±3 SD, vectorised.

    Parameters
    ----------
    y, l, m, s : numpy.ndarray of float64
        As for :func:`zscore_lms`.

    Returns
    -------
    numpy.ndarray of float64
        The z-score, unrounded. Where the LMS z-score exceeds +3,
        ``3 + (y - SD3) / (SD3 - SD2)``; below −3, ``-3 + (y - SD-3) / (SD-2 - SD-3)``, with
        ``SDk = M * (1 + L * S * k) ** (1 / L)``.

    Notes
    -----
    The skewness of weight makes the LMS curve unreliable in the tails, so WHO extrapolates
    linearly from the distance between the 2 and 3 SD curves (WHO 2006, chapter 7). The SD
    curves are evaluated only for the rows beyond ±3 (a few percent in practice), which is
    what keeps this cheap on a million rows.
    """
    return _zscore(y, l, m, s, restricted=True, unit_power=False, power=_vector_power)


def zscore_rounded(y: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray, *,
                   restricted: bool, digits: int, unit_power: bool = False) -> np.ndarray:
    """The z-score rounded to ``digits`` decimals, equal to anthro's under R on Linux.

    Parameters
    ----------
    y, l, m, s : numpy.ndarray of float64
        As for :func:`zscore_lms`.
    restricted : bool
        WHO's restricted computation beyond ±3 SD (weight-based indicators).
    digits : int
        Decimals (``z_digits`` of ``growth.yaml``).
    unit_power : bool, default False
        As for :func:`zscore_lms` (no power is evaluated, so nothing needs recomputing).

    Returns
    -------
    numpy.ndarray of float64
        ``round(z, digits)`` as R computes it; NaN where z is not computable or infinite (only
        absurd magnitudes overflow; the output never holds ``inf``).

    Notes
    -----
    Vectorised, then the rows whose unrounded z lies within ``RECHECK_MARGIN * (1 + |z|)``
    of a half-way point are computed again with :func:`r_pow` in place of numpy's power and
    rounded again (see the module docstring).
    """
    z = _zscore(y, l, m, s, restricted=restricted, unit_power=unit_power, power=_vector_power)
    z[np.isinf(z)] = np.nan
    recheck = 0.0 if unit_power else RECHECK_MARGIN
    rounded, rows = _round_r(z, digits, recheck)
    if rows is not None and len(rows):
        again = _zscore(y[rows], l[rows], m[rows], s[rows], restricted=restricted,
                        unit_power=unit_power, power=_libm_power)
        again[np.isinf(again)] = np.nan
        rounded[rows] = round_r(again, digits)
    return rounded


@cache
def _no_rounding_from(digits: int) -> float:
    """Smallest ``|x|`` that R's ``round(x, digits)`` returns unchanged (a power of two)."""
    # logb(x) = e for 2^e <= x < 2^(e+1); find the least integer e meeting fround's test, with
    # the same double arithmetic as the C code.
    e = math.floor((_DBL_DIG - digits) / _M_LOG10_2) - 2
    while not _M_LOG10_2 * (0.5 + e) + digits > _DBL_DIG:
        e += 1
    while _M_LOG10_2 * (0.5 + (e - 1)) + digits > _DBL_DIG:
        e -= 1
    return math.ldexp(1.0, e)


def _fround(ax: np.ndarray, digits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R's ``fround`` on ``|x|``, operation for operation; also ``|du - dd|`` (twice the
    distance to the half-way point between the candidates) and where ``x`` is on the grid."""
    p10 = 10.0 ** digits
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, 1e308 * 100: see big
        x10 = ax * p10
        i10 = np.floor(x10)
        xd = i10 / p10
        xu = np.ceil(x10) / p10
        du = xu - ax
        dd = ax - xd
        up = (du < dd) | ((du == dd) & (np.fmod(i10, 2.0) == 1.0))
        out = np.where(up, xu, xd)
        big = ax >= _no_rounding_from(digits)
        out[big] = ax[big]
        return out, np.abs(du - dd), xu == xd


#: ``|x|`` from which :func:`_round_r` applies R's algorithm to every value instead of
#: screening (its screen is sized for values below; only absurd inputs get there).
_SCREEN_UP_TO = 1e3


def _round_r(x: np.ndarray, digits: int, margin: float) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`round_r`; with ``margin > 0`` also the positions of the values within
    ``margin * (1 + |x|)`` of a half-way point (not counting values on the grid itself).

    Away from a half-way point R's choice is simply the nearest candidate, ``rint(x·10^d) /
    10^d``; only values whose ``x·10^d`` lies within ``screen`` of ``k + 0.5`` (a fraction of a
    percent of them) or that are large go through R's own algorithm (:func:`_fround`). The
    screen is far wider than the error of ``x·10^d`` (< 1.2e-16·10^d·1e3 below 1e3) and than
    ``margin``, so the screened-out values are rounded as R rounds them.
    """
    p10 = 10.0 ** digits
    screen = p10 * (1.0 + _SCREEN_UP_TO) * max(margin, 1e-12)
    with np.errstate(invalid="ignore", over="ignore"):  # inf and huge |x|: checked below
        x10 = x * p10
        k = np.rint(x10)
        out = k / p10
        frac = np.subtract(x10, k, out=x10)
        np.abs(frac, out=frac)
        check = frac > 0.5 - screen
        if len(k):  # two reductions instead of a pass building |x| >= 1e3 for every row
            extreme = max(abs(float(np.fmax.reduce(k))), abs(float(np.fmin.reduce(k))))
            if not extreme < p10 * _SCREEN_UP_TO:  # also inf, or NaN when all are NaN
                check |= np.abs(x) >= _SCREEN_UP_TO
    rows = np.flatnonzero(check)
    near = None
    if len(rows):
        sub = x[rows]
        ax = np.abs(sub)
        rounded, gap, on_grid = _fround(ax, digits)
        out[rows] = np.copysign(rounded, sub)
        if margin > 0:
            near = rows[(gap < 2.0 * margin * (1.0 + ax)) & ~on_grid]
    return out, near


def round_r(x: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` decimals exactly as R (>= 4.0.0) ``round(x, digits)`` does.

    Parameters
    ----------
    x : numpy.ndarray of float64
        Values; NaN stays NaN.
    digits : int
        Number of decimals, > 0.

    Returns
    -------
    numpy.ndarray of float64

    Notes
    -----
    R 4 (``src/nmath/fround.c`` since R 4.0.0, the "r3d.C" algorithm of PR#17668; R 3.x
    rounded ``(x - floor(x)) * 10^d`` in long double instead) does not "multiply, round half
    even, divide" (numpy's ``np.round``) nor round half up. For ``|x|`` it takes the two
    candidates ``xd = floor(|x|·10^d) / 10^d`` and ``xu = ceil(|x|·10^d) / 10^d`` and returns
    the one *nearer in double arithmetic* (``xu - |x|`` against ``|x| - xd``); on an exact tie
    the candidate with an even last digit wins; the sign is put back afterwards, and ``|x|``
    so large that ``log10(|x|) + d > 15`` (estimated from the binary exponent) is returned
    unchanged. So 0.125 (exactly representable) → 0.12, 0.135 (stored as
    0.13500000000000000888) → 0.14, 2.675 (stored 2.67499999999999982) → 2.67; and since the
    candidates are doubles too, 5.005 (stored 1.1e-16 low, but 5.01 is stored 2.1e-16 low) is
    an exact tie → 5.00, 5.015 likewise → 5.02. Results can differ from ``np.round`` in the
    last digit for about one value in a few thousand. anthro rounds every z-score this way
    before it sets a flag, so this rule decides flags at the cut-offs.

    Computed as the nearest candidate ``rint(x·10^d) / 10^d``, which is R's choice wherever
    ``x`` is not within float error of a half-way point, and with R's operations themselves for
    the values near one (and for ``|x| >= 1e3``); ``tests/test_growth_halfway.py`` checks it
    against a transcription of ``fround`` on half-way points and values of every magnitude.
    """
    return _round_r(x, digits, 0.0)[0]


def flag_outside(z: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """WHO implausibility flag: ``z < lower or z > upper`` (strict), False where z is NaN.

    Parameters
    ----------
    z : numpy.ndarray of float64
        Rounded z-scores.
    lower, upper : float
        Cut-offs (``analysis/data/config/growth.yaml``, ``flags``).

    Returns
    -------
    numpy.ndarray of bool
        The caller masks the NaN rows (the flag is missing there, not False).
    """
    with np.errstate(invalid="ignore"):
        return (z < lower) | (z > upper)
