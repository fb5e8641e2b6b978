"""Interval functions (analysis.stats) against published worked examples.

Sources:

- Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison
  of seven methods. Statistics in Medicine 17:857–872. Table I, method 3 (Wilson score
  interval without continuity correction), 95 %.
- Newcombe RG (1998b). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. Statistics in Medicine 17:873–890. Table II,
  method 10 (hybrid score interval from the Wilson limits, no continuity correction), 95 %.
- Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance. Statistics in
  Medicine 24:1185–1202: control limits p0 ± z·sqrt(p0(1 − p0)/n) (normal approximation);
  the expected limits below are that formula worked by hand.

The published values are given to 4 decimals; the functions must agree to that precision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import stats
from analysis.kode import PosisiCorong

# (successes, n) → Wilson 95 % limits, Newcombe (1998a) Table I
WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]

# (x1, n1, x2, n2) → difference and method-10 95 % limits, Newcombe (1998b) Table II
NEWCOMBE = [
    (56, 70, 48, 80, 0.2000, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.6000, 0.1705, 0.8090),
    (6, 7, 2, 7, 0.5714, 0.0582, 0.8062),
    (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
    (0, 10, 0, 20, 0.0000, -0.1611, 0.2775),
    (10, 10, 0, 20, 1.0000, 0.6791, 1.0000),
]


@pytest.mark.parametrize("x, n, lo, hi", WILSON)
def test_wilson_matches_newcombe_1998a(x, n, lo, hi):
    low, high = stats.wilson_ci([x], [n])
    assert low[0] == pytest.approx(lo, abs=5e-5)
    assert high[0] == pytest.approx(hi, abs=5e-5)


def test_wilson_is_vectorised_and_empty_groups_have_no_interval():
    low, high = stats.wilson_ci([81, 15, 0], [263, 148, 0])
    assert low[:2] == pytest.approx([0.2553, 0.0624], abs=5e-5)
    assert np.isnan(low[2]) and np.isnan(high[2])


@pytest.mark.parametrize("x1, n1, x2, n2, d, lo, hi", NEWCOMBE)
def test_difference_matches_newcombe_1998b(x1, n1, x2, n2, d, lo, hi):
    out = stats.diff_ci([x1], [n1], [x2], [n2]).iloc[0]
    assert out["diff"] == pytest.approx(d, abs=5e-5)
    assert out["lower"] == pytest.approx(lo, abs=5e-5)
    assert out["upper"] == pytest.approx(hi, abs=5e-5)
    assert bool(out["significant"]) == (lo > 0 or hi < 0)


def test_significance_follows_the_interval():
    out = stats.diff_ci(pd.Series([56, 5]), pd.Series([70, 56]), [48, 0], [80, 29])
    assert out["significant"].tolist() == [True, False]   # (a) excludes 0, (d) does not


def test_funnel_limits_by_hand():
    # p0 = 0,2, n = 100: half-width 1,96 · sqrt(0,2 · 0,8 / 100) = 1,96 · 0,04 = 0,0784
    lo, hi = stats.funnel_limits(0.2, [100], 1.96)
    assert (lo[0], hi[0]) == (pytest.approx(0.1216), pytest.approx(0.2784))
    # 99,8 %: 3,09 · 0,04 = 0,1236; limits are clipped to 0–1 for small n
    lo, hi = stats.funnel_limits(0.2, [100, 4], 3.09)
    assert hi[0] == pytest.approx(0.3236) and lo[1] == 0.0


def test_funnel_positions_on_both_sides():
    # p0 = 0,2, n = 100: 95 % limits 12,16–27,84 %, 99,8 % limits 7,64–32,36 %
    pos = stats.funnel_position([40, 30, 20, 10, 5, 3], [100, 100, 100, 100, 100, 0], 0.2)
    assert list(pos) == [PosisiCorong.ATAS_998, PosisiCorong.ATAS_95, PosisiCorong.DALAM,
                         PosisiCorong.BAWAH_95, PosisiCorong.BAWAH_998, PosisiCorong.TANPA_DATA]
    assert stats.FUNNEL_Z == (1.96, 3.09)
