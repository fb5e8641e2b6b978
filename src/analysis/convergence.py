"""Convergence in the desa: the desa scorecard (KPM), whether the desa lokus
received the full service package, and whether prevalence fell faster in
lokus than elsewhere.

Inputs are canonical tables of ``analysis.dataset``: the ``scorecard``
(``konvergensi_desa``: ``kode_desa``, ``kelompok`` in ``ibu_hamil`` /
``anak_0_23`` / ``anak_2_6``, ``layanan`` (a ``kode_layanan``),
``jumlah_seharusnya``, ``jumlah_diterima``), the ``lokus`` table
(``kode_desa``, ``nama_desa``) and per-desa stunting counts from
``analysis.prevalence.status_counts``.

Convergence level = services received ÷ services that should have been
received, per target group and in total (Kartu skor konvergensi desa).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Target groups of the scorecard, in reading order.
GROUPS = ("ibu_hamil", "anak_0_23", "anak_2_6")


def _clean(scorecard: pd.DataFrame) -> pd.DataFrame:
    s = scorecard.copy()
    s["kode_desa"] = s["kode_desa"].astype("string")
    for col in ("jumlah_seharusnya", "jumlah_diterima"):
        s[col] = pd.to_numeric(s[col], errors="coerce").fillna(0.0)
    return s


def _level(received, due):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.asarray(due) > 0, 100 * np.asarray(received, float) / np.asarray(due),
                        np.nan)


def convergence_levels(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Convergence level per desa and target group, and in total.

    Parameters
    ----------
    scorecard : DataFrame
        Canonical ``scorecard`` table of one year.

    Returns
    -------
    DataFrame
        Long form: ``kode_desa``, ``kelompok`` (a group of :data:`GROUPS` or
        ``"total"``), ``seharusnya``, ``diterima`` (services), ``tingkat_pct``
        (diterima ÷ seharusnya × 100; NaN when nothing was due).

    Notes
    -----
    The total pools the services of all groups (services received ÷ services
    due), as the scorecard does; it is not the mean of the group levels.
    """
    s = _clean(scorecard)
    g = s.groupby(["kode_desa", "kelompok"], sort=True).agg(
        seharusnya=("jumlah_seharusnya", "sum"), diterima=("jumlah_diterima", "sum")).reset_index()
    t = s.groupby("kode_desa", sort=True).agg(
        seharusnya=("jumlah_seharusnya", "sum"), diterima=("jumlah_diterima", "sum")).reset_index()
    t["kelompok"] = "total"
    out = pd.concat([g, t[g.columns]], ignore_index=True)
    out["tingkat_pct"] = _level(out["diterima"], out["seharusnya"])
    order = {k: i for i, k in enumerate(GROUPS + ("total",))}
    out["_o"] = out["kelompok"].map(order).fillna(len(order))
    return out.sort_values(["kode_desa", "_o"]).drop(columns="_o").reset_index(drop=True)


def desa_scorecard(scorecard: pd.DataFrame) -> pd.DataFrame:
    """One row per desa with its convergence level per group and in total.

    Returns
    -------
    DataFrame
        ``kode_desa``, ``tingkat_ibu_hamil``, ``tingkat_anak_0_23``,
        ``tingkat_anak_2_6``, ``tingkat_total`` (percent; NaN where a group
        had nothing due), ``seharusnya``, ``diterima`` (total services).
    """
    cols = ["kode_desa"] + [f"tingkat_{g}" for g in GROUPS] + ["tingkat_total", "seharusnya",
                                                               "diterima"]
    if scorecard.empty:
        return pd.DataFrame(columns=cols)
    lv = convergence_levels(scorecard)
    wide = lv.pivot(index="kode_desa", columns="kelompok", values="tingkat_pct")
    wide = wide.reindex(columns=list(GROUPS) + ["total"])
    wide.columns = [f"tingkat_{c}" for c in wide.columns]
    totals = lv[lv["kelompok"] == "total"].set_index("kode_desa")[["seharusnya", "diterima"]]
    return wide.join(totals).reset_index()[cols]


def lokus_package(scorecard: pd.DataFrame, lokus: pd.DataFrame,
                  ambang_pct: float = 100.0) -> pd.DataFrame:
    """Did each desa lokus receive the full service package?

    Parameters
    ----------
    scorecard : DataFrame
        Canonical ``scorecard`` table of the year.
    lokus : DataFrame
        ``kode_desa``, ``nama_desa`` of the desa lokus.
    ambang_pct : float
        Total convergence level (percent) that counts as the full package
        (100 = every service due was received).

    Returns
    -------
    DataFrame
        One row per lokus: ``kode_desa``, ``nama_desa``, the level columns of
        :func:`desa_scorecard`, ``ada_kartu_skor`` (the desa filled the
        scorecard), ``paket_lengkap`` (total level ≥ ``ambang_pct``; False
        without a scorecard), sorted by total level, lowest first.
    """
    card = desa_scorecard(scorecard)
    out = lokus[["kode_desa", "nama_desa"]].copy()
    out["kode_desa"] = out["kode_desa"].astype("string")
    out = out.merge(card, on="kode_desa", how="left")
    out["ada_kartu_skor"] = out["tingkat_total"].notna()
    out["paket_lengkap"] = (out["tingkat_total"] >= ambang_pct - 1e-9).fillna(False).astype(bool)
    return out.sort_values(["tingkat_total", "kode_desa"], na_position="first",
                           kind="stable").reset_index(drop=True)


def service_gaps(scorecard: pd.DataFrame, desa_codes, services: pd.DataFrame) -> pd.DataFrame:
    """Convergence level of each service across a set of desa (e.g. the lokus).

    Parameters
    ----------
    scorecard : DataFrame
        Canonical ``scorecard`` table of the year.
    desa_codes : iterable of str
        The desa to pool.
    services : DataFrame
        ``analysis.reference.services()`` (``kelompok``, ``kode_layanan``,
        ``nama_layanan``).

    Returns
    -------
    DataFrame
        ``kelompok``, ``kode_layanan``, ``nama_layanan``, ``seharusnya``,
        ``diterima``, ``tingkat_pct``, ``kurang`` (services due but not
        received); lowest level first.
    """
    s = _clean(scorecard)
    s = s[s["kode_desa"].isin({str(c) for c in desa_codes})]
    g = s.groupby(["kelompok", "layanan"], sort=True).agg(
        seharusnya=("jumlah_seharusnya", "sum"), diterima=("jumlah_diterima", "sum")).reset_index()
    g = g.rename(columns={"layanan": "kode_layanan"})
    g = g.merge(services[["kelompok", "kode_layanan", "nama_layanan"]],
                on=["kelompok", "kode_layanan"], how="left")
    g["nama_layanan"] = g["nama_layanan"].fillna(g["kode_layanan"])
    g["tingkat_pct"] = _level(g["diterima"], g["seharusnya"])
    g["kurang"] = g["seharusnya"] - g["diterima"]
    cols = ["kelompok", "kode_layanan", "nama_layanan", "seharusnya", "diterima", "tingkat_pct",
            "kurang"]
    return g[cols].sort_values(["tingkat_pct", "kurang"], ascending=[True, False],
                               kind="stable").reset_index(drop=True)


def desa_change(counts_before: pd.DataFrame, counts_after: pd.DataFrame,
                desa_col: str = "desa_code") -> pd.DataFrame:
    """Stunting counts of each desa in two years side by side.

    Parameters
    ----------
    counts_before, counts_after : DataFrame
        ``analysis.prevalence.status_counts(frame, by=desa_col)`` of the two
        years (``n_stunting``, ``jumlah_stunting``).
    desa_col : str
        Name of the desa code column in the counts.

    Returns
    -------
    DataFrame
        ``kode_desa``, ``n_awal``, ``stunting_awal``, ``n_akhir``,
        ``stunting_akhir`` (children), ``p_awal``, ``p_akhir`` (percent),
        ``perubahan`` (percentage points); only desa with children measured
        in both years.
    """
    a = counts_before[[desa_col, "n_stunting", "jumlah_stunting"]].rename(
        columns={desa_col: "kode_desa", "n_stunting": "n_awal", "jumlah_stunting": "stunting_awal"})
    b = counts_after[[desa_col, "n_stunting", "jumlah_stunting"]].rename(
        columns={desa_col: "kode_desa", "n_stunting": "n_akhir", "jumlah_stunting": "stunting_akhir"})
    for f in (a, b):
        f["kode_desa"] = f["kode_desa"].astype("string")
    out = a.merge(b, on="kode_desa", how="inner")
    out = out[(out["n_awal"] > 0) & (out["n_akhir"] > 0)].copy()
    out["p_awal"] = 100 * out["stunting_awal"] / out["n_awal"]
    out["p_akhir"] = 100 * out["stunting_akhir"] / out["n_akhir"]
    out["perubahan"] = out["p_akhir"] - out["p_awal"]
    return out.reset_index(drop=True)


def _pooled_change(frame: pd.DataFrame) -> tuple[float, float, float]:
    pa = frame["stunting_awal"].sum() / frame["n_awal"].sum()
    pb = frame["stunting_akhir"].sum() / frame["n_akhir"].sum()
    return 100 * pa, 100 * pb, 100 * (pb - pa)


def lokus_vs_other(change: pd.DataFrame, lokus_codes, n_boot: int = 2000, seed: int = 2024,
                   level: float = 0.95) -> dict:
    """Did prevalence fall faster in the lokus than in the other desa?

    Parameters
    ----------
    change : DataFrame
        :func:`desa_change` output.
    lokus_codes : iterable of str
        Codes of the desa lokus.
    n_boot : int
        Bootstrap resamples.
    seed : int
        Seed of the random generator (the result is reproducible).
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``kelompok``: a DataFrame with one row each for ``lokus`` and
        ``bukan_lokus``: ``desa``, ``n_awal``, ``n_akhir`` (children),
        ``p_awal``, ``p_akhir`` (pooled prevalence, percent), ``perubahan``
        (percentage points); ``selisih`` (change in lokus − change elsewhere,
        percentage points: negative = lokus fell faster), ``ci`` (bootstrap
        percentile interval), ``bermakna`` (the interval excludes 0),
        ``selisih_awal`` (baseline prevalence lokus − elsewhere), ``n_boot``.
        ``selisih`` is NaN when either group has no desa.

    Notes
    -----
    A difference in differences of pooled proportions. The interval comes
    from a bootstrap over desa (desa resampled with replacement within each
    group), which respects that children of one desa share posyandu, cadres
    and measurement habits; a binomial interval over children would be too
    narrow.

    What it cannot show: desa lokus are *chosen because* their prevalence was
    high. High figures partly reflect chance and fall back towards the mean
    the next year without any programme (regression to the mean), and the
    lokus may differ from other desa in ways that change prevalence anyway.
    A faster fall in lokus is therefore an optimistic, not a causal, reading.
    """
    lokus = {str(c) for c in lokus_codes}
    is_lokus = change["kode_desa"].astype(str).isin(lokus)
    groups = {"lokus": change[is_lokus], "bukan_lokus": change[~is_lokus]}
    rows = []
    for name, f in groups.items():
        if len(f):
            pa, pb, d = _pooled_change(f)
        else:
            pa = pb = d = np.nan
        rows.append({"kelompok": name, "desa": int(len(f)), "n_awal": int(f["n_awal"].sum()),
                     "n_akhir": int(f["n_akhir"].sum()), "p_awal": pa, "p_akhir": pb,
                     "perubahan": d})
    table = pd.DataFrame(rows)
    start = table["p_awal"].to_numpy(dtype=float)
    result: dict[str, Any] = {"kelompok": table, "selisih": np.nan, "ci": (np.nan, np.nan),
                              "bermakna": False, "selisih_awal": float(start[0] - start[1]),
                              "n_boot": n_boot}
    if table["desa"].min() == 0:
        return result
    moved = table["perubahan"].to_numpy(dtype=float)
    diff = float(moved[0] - moved[1])
    rng = np.random.default_rng(seed)
    arrays = {k: f[["stunting_awal", "n_awal", "stunting_akhir", "n_akhir"]].to_numpy(float)
              for k, f in groups.items()}

    def boot_change(arr: np.ndarray) -> np.ndarray:
        idx = rng.integers(0, len(arr), size=(n_boot, len(arr)))
        s = arr[idx]  # (n_boot, desa, 4)
        tot = s.sum(axis=1)
        return 100 * (tot[:, 2] / tot[:, 3] - tot[:, 0] / tot[:, 1])

    boots = boot_change(arrays["lokus"]) - boot_change(arrays["bukan_lokus"])
    alpha = (1 - level) / 2
    lo, hi = np.nanquantile(boots, [alpha, 1 - alpha])
    result.update(selisih=diff, ci=(float(lo), float(hi)), bermakna=bool(lo > 0 or hi < 0))
    return result


def lokus_vs_other_adjusted(change: pd.DataFrame, lokus_codes, level: float = 0.95) -> dict:
    """The lokus difference in change, adjusted for each desa's starting prevalence.

    Parameters
    ----------
    change : DataFrame
        :func:`desa_change` output.
    lokus_codes : iterable of str
        Codes of the desa lokus.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``selisih`` (percentage points: lokus − other desa at the same starting
        prevalence; negative = lokus fell faster), ``ci``, ``bermakna``,
        ``kemiringan_awal`` (change per point of starting prevalence: negative
        values are regression to the mean at work), ``desa`` (desa used).
        NaN values when there are fewer than 5 desa or no desa in a group.

    Notes
    -----
    Weighted least squares (statsmodels) of each desa's change on a lokus
    indicator and its starting prevalence, weights ``n_awal·n_akhir /
    (n_awal + n_akhir)`` (the precision of a difference of two proportions
    up to a constant), heteroscedasticity-robust (HC1) standard errors.
    Desa that start high tend to fall whatever happens; comparing lokus with
    other desa *at the same starting prevalence* removes the part of their
    faster fall that the starting level alone predicts. It is still not a
    causal estimate: the starting prevalence is measured with noise, lokus
    were chosen on the year before as well as on other grounds, and
    unmeasured differences remain.
    """
    lokus = {str(c) for c in lokus_codes}
    c = change.copy()
    c["lokus"] = c["kode_desa"].astype(str).isin(lokus).astype(float)
    empty = {"selisih": np.nan, "ci": (np.nan, np.nan), "bermakna": False,
             "kemiringan_awal": np.nan, "desa": int(len(c))}
    if len(c) < 5 or c["lokus"].sum() == 0 or c["lokus"].sum() == len(c):
        return empty
    import statsmodels.api as sm  # noqa: PLC0415  (statsmodels costs ~1.5 s; only this model needs it)

    x = sm.add_constant(c[["lokus", "p_awal"]].to_numpy(float), has_constant="add")
    w = (c["n_awal"] * c["n_akhir"] / (c["n_awal"] + c["n_akhir"])).to_numpy(float)
    fit = sm.WLS(c["perubahan"].to_numpy(float), x, weights=w).fit(cov_type="HC1")
    lo, hi = fit.conf_int(alpha=1 - level)[1]
    return {"selisih": float(fit.params[1]), "ci": (float(lo), float(hi)),
            "bermakna": bool(lo > 0 or hi < 0), "kemiringan_awal": float(fit.params[2]),
            "desa": int(len(c))}
