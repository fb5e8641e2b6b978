"""Prevalence trend against targets: AARR, required AARR, the on-course rule,
the register trend per weighing round and a model-based projection.

Two series are kept apart everywhere in this module and never mixed:

* the **register** series (e-PPGBM), computed from the district's own
  measurements: one figure per weighing round (``periode``) and one annual
  figure per year (the year's last round, as in every other report);
* the **survey** series (SSGI 2021, SSGI 2022, SKI 2023, SSGI 2024) as
  published, from ``analysis.reference.survey_prevalence()``, each point
  labelled with its source.

The register usually reads far lower than the surveys (the "two numbers"
problem), so a rate of reduction is only ever computed within one series.

Progress to a target is judged as the Global Nutrition Report and
WHO/UNICEF do: the average annual rate of reduction

    AARR = 1 − (P_t2 / P_t1) ** (1 / (t2 − t1))

and the *required* AARR (the one that takes a prevalence to the target by
the target year); a series is *on course* when its observed AARR is at least
the required AARR.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats as st

from analysis import text
from analysis.errors import DataUnavailableError
from analysis.prevalence import prevalence_table

#: Columns of :func:`register_rounds`.
ROUND_COLUMNS = ["periode", "tahun", "waktu", "n", "stunting", "prevalensi",
                 "ci_bawah", "ci_atas"]


# ---------------------------------------------------------------------------
# AARR and the on-course rule
# ---------------------------------------------------------------------------

def aarr(p1: ArrayLike, t1: ArrayLike, p2: ArrayLike, t2: ArrayLike) -> Any:
    """Average annual rate of reduction between two prevalence figures.

    Parameters
    ----------
    p1, p2 : float or array-like
        Prevalence at the start and at the end, in percent (or any unit, as
        long as both are the same; only their ratio matters). Must be > 0.
    t1, t2 : float or array-like
        Years of the two figures (``t2 > t1``).

    Returns
    -------
    float or ndarray
        AARR as a fraction per year (``0.274`` = 27.4 % per year). Positive
        when prevalence falls, negative when it rises. NaN where the inputs do
        not define a rate (a non-positive prevalence, ``t2 <= t1``).

    Notes
    -----
    ``AARR = 1 − (p2 / p1) ** (1 / (t2 − t1))`` (Global Nutrition Report;
    WHO/UNICEF). It is the constant yearly relative reduction that turns
    ``p1`` into ``p2``. Example: 27,1 % in 2022 → 14,3 % in 2024 gives
    ``1 − (14.3 / 27.1) ** 0.5 = 0.274``.
    """
    p1, t1, p2, t2 = (np.asarray(a, dtype=float) for a in (p1, t1, p2, t2))
    with np.errstate(invalid="ignore", divide="ignore"):
        span = t2 - t1
        ok = (p1 > 0) & (p2 > 0) & (span > 0)
        out = np.where(ok, 1.0 - np.power(np.where(ok, p2 / p1, 1.0),
                                          1.0 / np.where(ok, span, 1.0)), np.nan)
    return float(out) if out.ndim == 0 else out


def required_aarr(p_now: ArrayLike, t_now: ArrayLike, target: ArrayLike,
                  t_target: ArrayLike) -> Any:
    """AARR needed to take a prevalence to a target by the target year.

    Parameters
    ----------
    p_now : float
        Prevalence at the start, in percent.
    t_now : float
        Year of ``p_now``.
    target : float
        Target prevalence, in percent (same unit as ``p_now``).
    t_target : float
        Year by which the target is to be reached (``> t_now``).

    Returns
    -------
    float
        Required AARR as a fraction per year; ≤ 0 when the prevalence is
        already at or below the target (it may then even rise that fast).
        NaN when ``t_target <= t_now``.

    Notes
    -----
    Same formula as :func:`aarr` with the target as the end point.
    """
    return aarr(p_now, t_now, target, t_target)


def on_course(observed: float | None, required: float | None) -> bool | float:
    """The on-course rule: observed AARR ≥ required AARR.

    Returns
    -------
    bool, or NaN when either rate is undefined.
    """
    if observed is None or required is None:
        return math.nan
    if math.isnan(observed) or math.isnan(required):
        return math.nan
    return bool(observed >= required - 1e-12)


def assess_target(series: pd.DataFrame, target_pct: float, target_year: int) -> dict[str, Any]:
    """Judge one prevalence series against one target with the on-course rule.

    Parameters
    ----------
    series : DataFrame
        Columns ``tahun`` (int) and ``prevalensi`` (percent), one row per year
        of a single series (register *or* survey, never both).
    target_pct : float
        Target prevalence, percent.
    target_year : int
        Year of the target.

    Returns
    -------
    dict
        ``tahun_awal``, ``p_awal``, ``tahun_akhir``, ``p_akhir`` (the series'
        first and latest points), ``aarr_observasi`` (fraction/year over that
        span), ``dasar_wajib`` (``"terakhir"`` or ``"awal"``: the point the
        required AARR starts from), ``aarr_wajib`` (fraction/year),
        ``sesuai_jalur`` (bool or NaN), ``tercapai`` (latest ≤ target, only
        meaningful when ``tahun_akhir >= target_year``).

    Notes
    -----
    The observed AARR runs from the first to the latest point of the series.
    When the target year lies after the latest point, the required AARR runs
    from the latest point to the target (the pace needed from now on). When
    the target year is the latest year or earlier, "from now on" has no time
    left, so the required AARR runs from the first point to the target: the
    pace that would have reached the target on time. For a target in the
    latest year the rule then reduces to "latest prevalence ≤ target".
    """
    s = series.dropna(subset=["prevalensi"]).sort_values("tahun")
    result: dict[str, Any] = {"tahun_awal": np.nan, "p_awal": np.nan, "tahun_akhir": np.nan,
              "p_akhir": np.nan, "aarr_observasi": np.nan, "dasar_wajib": None,
              "aarr_wajib": np.nan, "sesuai_jalur": np.nan, "tercapai": np.nan}
    if s.empty:
        return result
    first, last = s.iloc[0], s.iloc[-1]
    result.update(tahun_awal=int(first["tahun"]), p_awal=float(first["prevalensi"]),
                  tahun_akhir=int(last["tahun"]), p_akhir=float(last["prevalensi"]))
    if len(s) >= 2:
        result["aarr_observasi"] = aarr(first["prevalensi"], first["tahun"],
                                        last["prevalensi"], last["tahun"])
    if target_year > last["tahun"]:
        result["dasar_wajib"] = "terakhir"
        result["aarr_wajib"] = required_aarr(last["prevalensi"], last["tahun"],
                                             target_pct, target_year)
    else:
        result["dasar_wajib"] = "awal"
        result["aarr_wajib"] = required_aarr(first["prevalensi"], first["tahun"],
                                             target_pct, target_year)
        result["tercapai"] = bool(last["prevalensi"] <= target_pct)
    result["sesuai_jalur"] = on_course(result["aarr_observasi"], result["aarr_wajib"])
    return result


def assess_targets(series: dict[str, pd.DataFrame], targets: pd.DataFrame) -> pd.DataFrame:
    """Judge every series against every target.

    Parameters
    ----------
    series : dict of str to DataFrame
        Series name (e.g. ``"register"``, ``"survei"``) → frame with ``tahun``
        and ``prevalensi`` (see :func:`assess_target`).
    targets : DataFrame
        Columns ``kode`` (e.g. ``"nasional"``), ``label`` (reader-facing),
        ``target_pct``, ``tahun_target``.

    Returns
    -------
    DataFrame
        One row per series × target: ``seri``, ``kode``, ``label``,
        ``target_pct``, ``tahun_target`` and the keys of
        :func:`assess_target`.
    """
    rows = []
    t: Any
    for name, frame in series.items():
        for t in targets.itertuples(index=False):
            res = assess_target(frame, float(t.target_pct), int(t.tahun_target))
            rows.append({"seri": name, "kode": t.kode, "label": t.label,
                         "target_pct": float(t.target_pct),
                         "tahun_target": int(t.tahun_target), **res})
    cols = ["seri", "kode", "label", "target_pct", "tahun_target", "tahun_awal", "p_awal",
            "tahun_akhir", "p_akhir", "aarr_observasi", "dasar_wajib", "aarr_wajib",
            "sesuai_jalur", "tercapai"]
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------
# Register series
# ---------------------------------------------------------------------------

def periode_to_time(periode: str | Iterable[str]) -> np.ndarray:
    """Decimal year of a weighing round: ``"2024-08"`` → 2024.625 (mid-month).

    Parameters
    ----------
    periode : str or array-like of str
        ``"YYYY-MM"``.

    Returns
    -------
    ndarray of float, years.
    """
    p = pd.Series(np.atleast_1d(np.asarray(periode, dtype=object)), dtype="string")
    year = p.str.slice(0, 4).astype(int).to_numpy()
    month = p.str.slice(5, 7).astype(int).to_numpy()
    return year + (month - 0.5) / 12.0


def register_prevalence(frame: pd.DataFrame) -> dict[str, Any]:
    """Stunting prevalence (HAZ < −2) of one set of measurements.

    Parameters
    ----------
    frame : DataFrame
        One row per child, growth inputs and outputs (``sex``, ``age_days``,
        ``haz``, ``haz_flag``, ``oedema``, …).

    Returns
    -------
    dict
        ``n`` (children with a usable HAZ), ``stunting`` (of whom HAZ < −2),
        ``prevalensi``, ``ci_bawah``, ``ci_atas`` (percent, anthro's 95 %
        interval).

    Notes
    -----
    Everything comes from ``analysis.prevalence.prevalence_table``
    (``HAZ_pop``, ``HA_2_r``, ``HA_2_ll``, ``HA_2_ul``), the function the
    situation analysis uses, so the review reports the very same figure:
    flagged HAZ and ages above 1,826 days are left out, as in WHO anthro.
    The count of stunted children is ``HA_2_r × HAZ_pop`` (exact: ``HA_2_r``
    is the mean of a 0/1 indicator over those children).
    """
    empty: dict[str, Any] = {"n": 0, "stunting": 0, "prevalensi": np.nan, "ci_bawah": np.nan,
             "ci_atas": np.nan}
    if frame.empty:
        return empty
    row = prevalence_table(frame).iloc[0]
    n = int(row["HAZ_pop"])
    if n == 0:
        return empty
    return {"n": n, "stunting": int(round(float(row["HA_2_r"]) / 100 * n)),
            "prevalensi": float(row["HA_2_r"]), "ci_bawah": float(row["HA_2_ll"]),
            "ci_atas": float(row["HA_2_ul"])}


def latest_per_child(measurements: pd.DataFrame) -> pd.DataFrame:
    """One row per child and weighing round: the child's latest measurement in it.

    Parameters
    ----------
    measurements : DataFrame
        Canonical measurements (``periode``, ``child_key``, ``measure_date``).

    Returns
    -------
    DataFrame, same columns, fewer rows.

    Notes
    -----
    Ties (the same child twice on the same day) are broken as
    ``analysis.dataset.measurements_for_year`` breaks them (by file and row),
    so the last round of a year holds exactly the same children.
    """
    order = [c for c in ("measure_date", "sumber_berkas", "baris") if c in measurements]
    m = measurements.sort_values(order, kind="stable") if order else measurements
    return m.drop_duplicates(["periode", "child_key"], keep="last").sort_index()


def register_rounds(measurements: pd.DataFrame) -> pd.DataFrame:
    """Register prevalence per weighing round.

    Parameters
    ----------
    measurements : DataFrame
        Canonical analysed measurements of all years (``tahun``, ``periode``,
        ``child_key``, ``measure_date`` and the growth columns).

    Returns
    -------
    DataFrame
        :data:`ROUND_COLUMNS`: ``periode`` (``"2024-08"``), ``tahun``,
        ``waktu`` (decimal year, mid-month), ``n`` (children with a usable
        HAZ), ``stunting`` (HAZ < −2), ``prevalensi``, ``ci_bawah``,
        ``ci_atas`` (percent), sorted by ``periode``.

    Notes
    -----
    Each child counts once per round (its latest measurement in the round).
    The last round of a year is, by construction, the annual figure that
    ``analysis.dataset.measurements_for_year`` gives.
    """
    rows = []
    m = latest_per_child(measurements)
    for periode, grp in m.groupby("periode", sort=True):
        res = register_prevalence(grp)
        rows.append({"periode": str(periode), "tahun": int(str(periode)[:4]),
                     "waktu": float(periode_to_time(str(periode))[0]), **res})
    return pd.DataFrame(rows, columns=ROUND_COLUMNS)


def register_annual(frames: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """Annual register prevalence, computed exactly as the situation analysis does.

    Parameters
    ----------
    frames : mapping of int to DataFrame
        Year → the measurements its annual figure is computed on (the year's last weighing
        round, one row per child: ``analysis.dataset.measurements_for_year``; the report
        layer builds the mapping, :func:`analysis.laporan.bersama.register_tahunan`).

    Returns
    -------
    DataFrame
        ``tahun``, ``periode`` (the round used), ``n``, ``stunting``,
        ``prevalensi``, ``ci_bawah``, ``ci_atas`` (percent), ``sumber``
        (``"e-PPGBM <periode>"``).
    """
    rows = []
    for y, frame in frames.items():
        if frame.empty:
            continue
        periode = str(frame["periode"].max())
        rows.append({"tahun": int(y), "periode": periode, **register_prevalence(frame),
                     "sumber": f"e-PPGBM {periode}"})
    return pd.DataFrame(rows, columns=["tahun", "periode", "n", "stunting", "prevalensi",
                                       "ci_bawah", "ci_atas", "sumber"])


def survey_series(surveys: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """The published survey series of one area, labelled by source.

    Parameters
    ----------
    surveys : DataFrame
        ``analysis.reference.survey_prevalence()`` (``area_code``, ``year``,
        ``source``, ``prevalence_pct``, ``reliability``, …).
    area_code : str
        Kemendagri code: ``"64.74"``, ``"64"`` or ``"ID"``.

    Returns
    -------
    DataFrame
        ``tahun``, ``sumber`` (``"SSGI 2022"``, ``"SKI 2023"``),
        ``survei`` (``"SSGI"``/``"SKI"``), ``prevalensi`` (percent),
        ``keandalan`` (``reported``/``inferred``/``derived``/
        ``press-unconfirmed``), sorted by year.
    """
    s = surveys[surveys["area_code"].astype(str) == str(area_code)].copy()
    out = pd.DataFrame({
        "tahun": s["year"].astype(int),
        "sumber": s["source"].astype(str) + " " + s["year"].astype(int).astype(str),
        "survei": s["source"].astype(str),
        "prevalensi": s["prevalence_pct"].astype(float),
        "keandalan": s["reliability"].astype(str),
    })
    return out.sort_values("tahun").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Projection: a binomial GLM on the register rounds
# ---------------------------------------------------------------------------

class TrendFit(TypedDict):
    """A fitted register trend (:func:`fit_trend_model`)."""

    result: Any
    t0: float
    dispersi: float
    slope: float
    slope_ci: tuple[float, float]
    odds_ratio_per_tahun: float
    n_putaran: int


def fit_trend_model(rounds: pd.DataFrame) -> TrendFit:
    """Fit a binomial GLM (logit link) of stunted / not stunted on time.

    Parameters
    ----------
    rounds : DataFrame
        :func:`register_rounds` output (``waktu``, ``n``, ``stunting``); at
        least three rounds with ``n > 0``.

    Returns
    -------
    dict
        ``result`` (statsmodels GLM results), ``t0`` (the centring year),
        ``dispersi`` (the Pearson dispersion used as scale, ≥ 1),
        ``slope`` (change in log-odds per year), ``slope_ci`` (its CI),
        ``odds_ratio_per_tahun``, ``n_putaran`` (rounds used).

    Notes
    -----
    *Model.* ``logit P(HAZ < −2) = b0 + b1 · (t − t0)`` with the counts of
    each weighing round as binomial trials (``statsmodels`` GLM, Binomial
    family). Why this model: the data are counts of stunted children out of
    children measured; the logit keeps every fitted and projected value
    between 0 and 100 %; a constant log-odds slope is close to a constant
    relative rate of reduction (the AARR's own assumption) at the
    prevalences seen here, and it weighs each round by its number of
    children.

    *Over-dispersion.* Rounds differ by more than binomial noise (different
    posyandu report, different children come). The scale is therefore the
    Pearson χ² / residual df (quasi-binomial), floored at 1, so the
    intervals widen when the rounds scatter more than counts alone explain.
    """
    import statsmodels.api as sm  # noqa: PLC0415  (statsmodels costs ~1.5 s; only the review needs it)

    r = rounds[rounds["n"] > 0]
    if len(r) < 3:
        raise DataUnavailableError(
            "Proyeksi memerlukan sedikitnya 3 putaran penimbangan dengan data; "
            f"tersedia {len(r)}.")
    t0 = float(np.floor(r["waktu"].mean()))
    x = sm.add_constant(r["waktu"].to_numpy(dtype=float) - t0, has_constant="add")
    y = np.column_stack([r["stunting"].to_numpy(dtype=float),
                         (r["n"] - r["stunting"]).to_numpy(dtype=float)])
    model = sm.GLM(y, x, family=sm.families.Binomial())
    first = model.fit()
    df_resid = max(int(first.df_resid), 1)
    dispersion = max(1.0, float(first.pearson_chi2) / df_resid)
    result = model.fit(scale=dispersion)
    slope = float(result.params[1])
    lo, hi = result.conf_int()[1]
    return {"result": result, "t0": t0, "dispersi": dispersion, "slope": slope,
            "slope_ci": (float(lo), float(hi)), "odds_ratio_per_tahun": math.exp(slope),
            "n_putaran": int(len(r))}


def project(fit: TrendFit, waktu: ArrayLike, level: float) -> pd.DataFrame:
    """Projected prevalence with a confidence interval at given times.

    Parameters
    ----------
    fit : dict
        :func:`fit_trend_model` output.
    waktu : float or array-like
        Decimal years (e.g. ``2025.625`` for August 2025).
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``waktu``, ``prevalensi``, ``ci_bawah``, ``ci_atas`` (percent).

    Notes
    -----
    The interval is Wald on the logit scale, back-transformed: it reflects
    the uncertainty of the fitted line only (not the spread of a single
    future round around it). It assumes the log-odds keep falling (or
    rising) in a straight line as they did over the fitted rounds, that the
    children weighed stay comparable (same coverage and measurement quality)
    and that no new programme changes the pace.
    """
    t = np.atleast_1d(np.asarray(waktu, dtype=float))
    res = fit["result"]
    x = np.column_stack([np.ones_like(t), t - fit["t0"]])
    eta = x @ np.asarray(res.params)
    cov = np.asarray(res.cov_params())
    se = np.sqrt(np.einsum("ij,jk,ik->i", x, cov, x))
    z = st.norm.ppf(0.5 + level / 2)
    return pd.DataFrame({"waktu": t, "prevalensi": 100 * _expit(eta),
                         "ci_bawah": 100 * _expit(eta - z * se),
                         "ci_atas": 100 * _expit(eta + z * se)})


def _expit(v: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-v)))


def projection_time(year: int, rounds: pd.DataFrame) -> float:
    """Decimal time of the annual round in ``year``: the month of the latest round.

    The annual figure is the year's last round, so a projection for a year is
    made at the month in which the latest year's last round was held.
    """
    last = str(rounds["periode"].max())
    month = int(last[5:7])
    return year + (month - 0.5) / 12.0


def survey_labels(series: pd.DataFrame) -> str:
    """The surveys in a series as prose, by year: ``"SSGI 2021, SSGI 2022, SKI 2023 dan SSGI 2024"``.

    Parameters
    ----------
    series : DataFrame
        Has ``tahun`` and ``sumber`` (:func:`survey_series`, or
        the studi tiru's long trend table, whose register rows (``seri``) are left out);
        duplicates (several districts) count once.
    """
    if "seri" in series.columns:
        series = series[series["seri"] == "survei"]
    if series.empty:
        return "tidak ada survei"
    unique = series[["tahun", "sumber"]].drop_duplicates().sort_values(["tahun", "sumber"])
    return text.daftar(unique["sumber"].tolist())
