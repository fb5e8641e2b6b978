"""Prevalence of stunting, wasting, underweight and overweight, the WHO anthro way.

Two entry points:

``prevalence_table(frame, by=None)``
    The full anthro table (all indicators, all cut-offs, mean and SD of z) for the whole
    data set and its WHO age and sex groups (or any grouping column). It reproduces the
    closed-form (no survey design) path of WHO ``anthro::anthro_prevalence`` exactly; the
    rules are those of ``tests/reference/README.md`` and are repeated below.

``status_counts(frame, by)``
    The fast path for long per-desa / per-kecamatan tables: counts of stunted, severely
    stunted, wasted, underweight and overweight children with the prevalence in percent and
    its Wilson 95 % interval (small desa need an interval that stays inside 0–100 %).

Rules of ``prevalence_table`` (WHO anthro, verified on ``prev_simple.csv``):

1. rows with an age above 1,826 days (rounded half up) are excluded; rows without an age
   stay in (they count in "All" and in the sex groups, not in the age groups);
2. flagged z-scores (``*_flag`` true) are set to missing;
3. a child with oedema counts below −3, −2 and −1 for WAZ, WHZ and BAZ (and never above
   +1), but is left out of the mean and SD of those z-scores;
4. age groups are built on unrounded months (days / 30.4375): [0,6) [6,12) [12,24) [24,36)
   [36,48) [48,60);
5. estimate r = mean of the 0/1 indicator (or of z) over the n non-missing rows of the group;
   standard error se = sqrt(N/(N−1)) / n · sqrt(Σ(x − r)²), where N is the number of rows of
   the whole data set after exclusions (domain estimation, each child its own cluster);
6. 95 % limits of a proportion: logistic(logit(r) ± t(0.975, N−1) · se / (r(1 − r)));
   r = 0 → [0, 0] and r = 1 → [1, 1]; of a mean: r ± t(0.975, N−1) · se;
7. SD of z is the sample standard deviation (n − 1) of the non-missing z in the group.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as st

from analysis.stats import wilson_ci

#: anthro's indicator prefix → (z-score column, flag column, oedema counts low, N label)
INDICATORS: dict[str, tuple[str, str, bool, str]] = {
    "HA": ("haz", "haz_flag", False, "HAZ"),
    "WA": ("waz", "waz_flag", True, "WAZ"),
    "BMI": ("baz", "baz_flag", True, "BMIZ"),
    "WH": ("whz", "whz_flag", True, "WHZ"),
}

#: anthro's cut-off suffix → (threshold in z, True when "below")
CUTOFFS: dict[str, tuple[float, bool]] = {
    "_3": (-3.0, True),
    "_2": (-2.0, True),
    "_1": (-1.0, True),
    "1": (1.0, False),
    "2": (2.0, False),
    "3": (3.0, False),
}

AGE_GROUPS: list[tuple[str, float, float]] = [
    ("00-05 mo", 0, 6),
    ("06-11 mo", 6, 12),
    ("12-23 mo", 12, 24),
    ("24-35 mo", 24, 36),
    ("36-47 mo", 36, 48),
    ("48-59 mo", 48, 60),
]

DAYS_PER_MONTH = 30.4375
MAX_AGE_DAYS = 1826

#: the five statuses of the per-desa tables: name → (z column, threshold, below)
STATUS: dict[str, tuple[str, float, bool]] = {
    "stunting": ("haz", -2.0, True),
    "sangat_pendek": ("haz", -3.0, True),
    "wasting": ("whz", -2.0, True),
    "underweight": ("waz", -2.0, True),
    "overweight": ("whz", 2.0, False),
}


def _truthy(series: pd.Series | None, index: pd.Index) -> pd.Series:
    """A boolean series from a flag or oedema column (bool, 0/1, 'y'/'n'); missing → False."""
    if series is None:
        return pd.Series(False, index=index)
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool)
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        low = series.astype("string").str.strip().str.lower()
        return low.isin(["y", "ya", "yes", "true", "1"]).fillna(False).astype(bool)
    return series.fillna(0).astype(float).astype(bool)


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply anthro's exclusions and build the per-child indicator columns.

    Parameters
    ----------
    frame : DataFrame
        ``sex`` (1 male, 2 female), ``age_days`` (days, may be fractional or missing),
        ``haz, waz, whz, baz`` (z), optional ``haz_flag … baz_flag`` and ``oedema``.

    Returns
    -------
    DataFrame
        The rows kept (age ≤ 1,826 days or missing), with ``age_group`` (label or NA),
        ``sex_label`` (``Male``/``Female``/NA), ``z_<IND>`` (z with flags and oedema set
        missing) and ``x_<IND><cut>`` (0/1 as float, NaN where unknown) for every indicator
        and cut-off, plus ``x_HA_2_WH_2`` and ``x_HA_2_WH2`` (stunted and wasted /
        stunted and overweight).
    """
    age = pd.to_numeric(frame["age_days"], errors="coerce").astype(float)
    # anthro rounds half up before comparing with 1826 days
    age_rounded = pd.Series(np.floor(age.to_numpy() + 0.5), index=age.index)
    keep = age_rounded.isna() | (age_rounded <= MAX_AGE_DAYS)
    base = frame.loc[keep]
    age = age.loc[keep]
    out = pd.DataFrame(index=base.index)
    months = age / DAYS_PER_MONTH
    labels = pd.Series(pd.NA, index=base.index, dtype="string")
    for label, lo, hi in AGE_GROUPS:
        labels[(months >= lo) & (months < hi)] = label
    out["age_group"] = labels
    sex = pd.to_numeric(base["sex"], errors="coerce")
    out["sex_label"] = pd.Series(
        np.select([sex == 1, sex == 2], ["Male", "Female"], default=""), index=base.index
    ).replace("", pd.NA).astype("string")
    oedema = _truthy(base.get("oedema"), base.index)
    for ind, (zcol, fcol, oed_low, _) in INDICATORS.items():
        z = pd.to_numeric(base[zcol], errors="coerce").astype(float)
        z = z.mask(_truthy(base.get(fcol), base.index))
        if oed_low:
            z = z.mask(oedema)
        out[f"z_{ind}"] = z
        for cut, (thr, below) in CUTOFFS.items():
            hit = (z < thr) if below else (z > thr)
            x = hit.astype(float).where(z.notna())
            if oed_low:
                x = x.mask(oedema, 1.0 if below else 0.0)
            out[f"x_{ind}{cut}"] = x
    ha2, wh2, wh_2 = out["x_HA_2"], out["x_WH2"], out["x_WH_2"]
    out["x_HA_2_WH_2"] = (ha2 * wh_2).where(ha2.notna() & wh_2.notna())
    out["x_HA_2_WH2"] = (ha2 * wh2).where(ha2.notna() & wh2.notna())
    return out


def _logit_ci(r: np.ndarray, n: np.ndarray, N: int, t: float) -> tuple[np.ndarray, np.ndarray]:
    """Logit-scale CI of proportions ``r`` (fractions); exact 0 or 1 stay put."""
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t * np.sqrt(N / (N - 1) / (n * r * (1 - r)))
        logit = np.log(r / (1 - r))
        lo = 1 / (1 + np.exp(-(logit - half)))
        hi = 1 / (1 + np.exp(-(logit + half)))
    edge = (r == 0) | (r == 1)
    lo = np.where(edge, r, lo)
    hi = np.where(edge, r, hi)
    return lo, hi


def _summarise(prep: pd.DataFrame, keys: pd.Series | None, N: int) -> pd.DataFrame:
    """Estimates for each group of ``keys`` (None = the whole data set), anthro's columns."""
    t = st.t.ppf(0.975, N - 1) if N > 1 else np.nan
    grouper = keys if keys is not None else pd.Series("All", index=prep.index)
    g = prep.groupby(grouper, sort=False, dropna=True)
    cols: dict[str, pd.Series] = {}

    def prop(name: str, label: str) -> None:
        x = prep[name]
        n = g[name].count().astype(float)
        s = g[name].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (s / n).to_numpy()
        nn = n.to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(N / (N - 1)) / nn * np.sqrt(nn * r * (1 - r))
        lo, hi = _logit_ci(r, nn, N, t)
        idx = n.index
        cols[f"{label}_r"] = pd.Series(r * 100, index=idx)
        cols[f"{label}_se"] = pd.Series(se * 100, index=idx)
        cols[f"{label}_ll"] = pd.Series(lo * 100, index=idx)
        cols[f"{label}_ul"] = pd.Series(hi * 100, index=idx)
        del x

    for ind, (_, _, _, pop) in INDICATORS.items():
        # N of the indicator: children with a usable status (oedema included)
        n_pop = g[f"x_{ind}_2"].count()
        cols[f"{pop}_pop"] = n_pop
        cols[f"{pop}_unwpop"] = n_pop
        for cut in CUTOFFS:
            prop(f"x_{ind}{cut}", f"{ind}{cut}")
        z = f"z_{ind}"
        n = g[z].count().astype(float)
        mean = g[z].mean()
        sd = g[z].std(ddof=1)
        nn = n.to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(N / (N - 1)) / nn * np.sqrt((nn - 1) * sd.to_numpy() ** 2)
        se = np.where(nn == 1, 0.0, se)
        cols[f"{ind}_r"] = mean
        cols[f"{ind}_se"] = pd.Series(se, index=n.index)
        cols[f"{ind}_ll"] = mean - t * cols[f"{ind}_se"]
        cols[f"{ind}_ul"] = mean + t * cols[f"{ind}_se"]
        cols[f"{ind}_stdev"] = sd
    for combo in ("HA_2_WH_2", "HA_2_WH2"):
        n_pop = g[f"x_{combo}"].count()
        if combo == "HA_2_WH_2":
            cols[f"{combo}_pop"] = n_pop
            cols[f"{combo}_unwpop"] = n_pop
        prop(f"x_{combo}", combo)
    out = pd.DataFrame(cols)
    out.index.name = "Group"
    return out.reset_index()


def prevalence_table(frame: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Prevalence table in WHO anthro's shape.

    Parameters
    ----------
    frame : DataFrame
        One row per child: ``sex`` (1/2), ``age_days`` (days), ``haz, waz, whz, baz`` (z),
        ``haz_flag, waz_flag, whz_flag, baz_flag`` (WHO flags, optional) and ``oedema``
        (bool or ``y``/``n``, optional), as returned by ``analysis.growth.compute_zscores``
        joined to its inputs.
    by : str or list of str, optional
        ``None``: anthro's groups (All, six age groups, sex, age × sex) with anthro's labels
        (``"Age group: 00-05 mo"``, ``"Sex: Female"``, ``"Age + sex: 00-05 mo.Female"``).
        A column name (or several): ``All`` and then one row per value, ``Group`` holding the
        value (several columns joined with ``"."``), the columns themselves carried along.

    Returns
    -------
    DataFrame
        One row per group, the first the whole data set (``Group == "All"``). ``n`` (children
        in the group after exclusions), ``HAZ_pop`` … (children with a usable status per
        indicator), and per indicator ``HA``, ``WA``, ``BMI``, ``WH`` and cut-off ``_3, _2,
        _1, 1, 2, 3`` the columns ``<IND><cut>_r, _se, _ll, _ul`` in percent; ``<IND>_r,
        _se, _ll, _ul`` mean z and its CI; ``<IND>_stdev`` SD of z; ``HA_2_WH_2_*`` and
        ``HA_2_WH2_*`` stunted and wasted / stunted and overweight.
    """
    prep = prepare(frame)
    N = len(prep)
    parts = [_summarise(prep, None, N)]
    n_all = [N]
    if by is None:
        age = prep["age_group"]
        sex = prep["sex_label"]
        agesex = (age + "." + sex)
        order_age = [a for a, _, _ in AGE_GROUPS]
        specs = [
            (age, "Age group: ", order_age),
            (sex, "Sex: ", ["Female", "Male"]),
            (agesex, "Age + sex: ", [f"{a}.{s}" for s in ("Female", "Male") for a in order_age]),
        ]
        for keys, prefix, order in specs:
            part = _summarise(prep, keys, N).set_index("Group")
            present = [o for o in order if o in part.index]
            part = part.loc[present]
            counts = keys.value_counts()
            n_all.extend(int(counts.get(o, 0)) for o in present)
            part.index = [prefix + o for o in present]
            part.index.name = "Group"
            parts.append(part.reset_index())
        out = pd.concat(parts, ignore_index=True)
        out.insert(1, "n", n_all)
        return out
    cols = [by] if isinstance(by, str) else list(by)
    keyframe = frame.loc[prep.index, cols].astype("string")
    keys = keyframe.iloc[:, 0]
    for c in cols[1:]:
        keys = keys + "." + keyframe[c]
    part = _summarise(prep, keys, N)
    part = part.sort_values("Group", kind="stable").reset_index(drop=True)
    counts = keys.value_counts()
    n_all.extend(int(counts.get(k, 0)) for k in part["Group"])
    first = keyframe.assign(_key=keys).drop_duplicates("_key").set_index("_key")
    for c in cols:
        part[c] = part["Group"].map(first[c])
    out = pd.concat([parts[0], part], ignore_index=True)
    out.insert(1, "n", n_all)
    return out


def status_counts(frame: pd.DataFrame, by: str | Sequence[str] | None = None,
                  level: float = 0.95) -> pd.DataFrame:
    """Counts and prevalence of the five nutrition statuses per group (fast path).

    Parameters
    ----------
    frame : DataFrame
        One row per child with ``haz, waz, whz`` (z), optional ``*_flag`` and ``oedema``,
        and the grouping column(s). Flagged z-scores are treated as missing; a child with
        oedema counts as wasted and underweight (as in anthro). The age exclusion is the
        caller's (``measurements_for_year`` already keeps under-fives only).
    by : str or list of str, optional
        Grouping column(s), e.g. ``"desa_code"``; None gives one row for the whole frame.
    level : float
        Confidence level of the Wilson interval.

    Returns
    -------
    DataFrame
        One row per group, the ``by`` columns, ``anak`` (children in the group) and for each
        status in ``stunting, sangat_pendek, wasting, underweight, overweight``:
        ``n_<s>`` (children with a usable z), ``jumlah_<s>`` (children with the status),
        ``pct_<s>``, ``ll_<s>``, ``ul_<s>`` (percent, Wilson interval).
        ``pendek`` (−3 ≤ HAZ < −2) is added as ``jumlah_pendek`` for the Kemendagri form.
    """
    index = frame.index
    oedema = _truthy(frame.get("oedema"), index)
    work = pd.DataFrame(index=index)
    if by is None:
        cols: list[str] = []
        work["_all"] = "All"
        keys = ["_all"]
    else:
        cols = [by] if isinstance(by, str) else list(by)
        for c in cols:
            work[c] = frame[c]
        keys = cols
    work["anak"] = 1
    zs = {}
    for zcol, flag in (("haz", "haz_flag"), ("waz", "waz_flag"), ("whz", "whz_flag")):
        z = pd.to_numeric(frame[zcol], errors="coerce").astype(float)
        zs[zcol] = z.mask(_truthy(frame.get(flag), index))
    for name, (zcol, thr, below) in STATUS.items():
        z = zs[zcol]
        if zcol in ("waz", "whz"):
            z = z.mask(oedema)
        hit = (z < thr) if below else (z > thr)
        known = z.notna()
        if zcol in ("waz", "whz"):
            hit = hit | (oedema if below else False)
            known = known | oedema
        work[f"n_{name}"] = known.astype(int)
        work[f"jumlah_{name}"] = (hit & known).astype(int)
    summed = with_rates(work.groupby(keys, sort=True, dropna=False).sum(numeric_only=True)
                        .reset_index(), level)
    if by is None:
        summed = summed.drop(columns="_all")
    return summed


def with_rates(counts: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Add rates to status counts: ``pct_<s>``, ``ll_<s>``, ``ul_<s>`` and ``jumlah_pendek``.

    Parameters
    ----------
    counts : DataFrame
        ``n_<s>`` and ``jumlah_<s>`` for every status ``<s>`` of :data:`STATUS` (as summed by
        :func:`status_counts`, or rolled up from per-desa counts at national scale).
    level : float
        Confidence level of the Wilson interval.

    Returns
    -------
    DataFrame
        A copy with the percent (NaN where ``n`` is 0), its Wilson limits in percent and
        ``jumlah_pendek`` (−3 ≤ HAZ < −2: stunting minus severe stunting).
    """
    out = counts.copy()
    for name in STATUS:
        n = out[f"n_{name}"].to_numpy(dtype=float)
        x = out[f"jumlah_{name}"].to_numpy(dtype=float)
        lo, hi = wilson_ci(x, n, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"pct_{name}"] = np.where(n > 0, x / n * 100, np.nan)
        out[f"ll_{name}"] = lo * 100
        out[f"ul_{name}"] = hi * 100
    out["jumlah_pendek"] = out["jumlah_stunting"] - out["jumlah_sangat_pendek"]
    return out
