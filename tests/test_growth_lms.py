"""analysis.growth.lms: the LMS formula, restricted computation, R's rounding, flags."""

# ruff: noqa: E741 -- l, m, s are the published names of the LMS method's parameters

from __future__ import annotations

import numpy as np
import pytest

from analysis.growth.lms import flag_outside, round_r, zscore_lms, zscore_lms_restricted


def test_lms_at_median_is_zero_and_l1_is_linear():
    l, m, s = np.array([0.3, 1.0]), np.array([10.0, 80.0]), np.array([0.1, 0.04])
    np.testing.assert_allclose(zscore_lms(m, l, m, s), [0.0, 0.0], atol=1e-15)
    # L = 1 (length tables): z = (y - M) / (M S)
    assert zscore_lms(np.array([84.0]), l[1:], m[1:], s[1:])[0] == pytest.approx(4 / 3.2)


def test_restricted_equals_lms_inside_3sd_and_linear_outside():
    l, m, s = np.full(3, -0.35), np.full(3, 8.0), np.full(3, 0.09)
    sd = lambda k: 8.0 * (1 + (-0.35) * 0.09 * k) ** (1 / -0.35)  # noqa: E731
    y = np.array([9.0, sd(3) + 0.5 * (sd(3) - sd(2)), sd(-3) - 0.25 * (sd(-2) - sd(-3))])
    z = zscore_lms_restricted(y.copy(), l, m, s)
    assert z[0] == pytest.approx(zscore_lms(y[:1], l[:1], m[:1], s[:1])[0])
    assert z[1] == pytest.approx(3.5)
    assert z[2] == pytest.approx(-3.25)
    # The unrestricted LMS value differs out there (otherwise this test proves nothing).
    assert abs(zscore_lms(y[1:2], l[:1], m[:1], s[:1])[0] - 3.5) > 0.01


def test_restricted_keeps_nan():
    z = zscore_lms_restricted(np.array([np.nan, 5.0]), np.array([0.3, np.nan]),
                              np.array([5.0, 5.0]), np.array([0.1, 0.1]))
    assert np.isnan(z).all()


@pytest.mark.parametrize(("x", "digits", "expected"), [
    # Examples from R's ?round (R >= 4.0.0): the stored double decides, exact ties go to even.
    (0.15, 1, 0.1), (0.25, 1, 0.2), (0.35, 1, 0.3), (-0.15, 1, -0.1),
    (2.675, 2, 2.67),     # stored as 2.67499999...; numpy's np.round gives 2.68
    (0.015, 2, 0.01),     # stored as 0.01499999...; np.round gives 0.02
    (0.125, 2, 0.12),     # exact tie, 2 is even
    (0.375, 2, 0.38),     # exact tie, 8 is even
    (-5.005, 2, -5.0),    # the flag cut-off: not flagged
    (1.0, 2, 1.0), (0.0, 2, 0.0), (-3.456, 2, -3.46),
])
def test_round_r_matches_r(x, digits, expected):
    assert round_r(np.array([x]), digits)[0] == expected


def test_round_r_differs_from_numpy_where_r_differs():
    x = np.array([2.675, 0.015])
    assert not np.array_equal(round_r(x, 2), np.round(x, 2))


def test_round_r_nan_passthrough_and_agrees_with_numpy_on_random_values():
    rng = np.random.default_rng(7)
    x = rng.normal(0, 3, 100_000)
    # For values not within an ulp of a .xx5 boundary both methods agree.
    np.testing.assert_array_equal(round_r(x, 2), np.round(x, 2))
    assert np.isnan(round_r(np.array([np.nan]), 2)[0])


def test_flag_is_strict_and_false_on_nan():
    z = np.array([-6.0, -6.01, 5.0, 5.01, np.nan])
    np.testing.assert_array_equal(flag_outside(z, -6, 5), [False, True, False, True, False])
