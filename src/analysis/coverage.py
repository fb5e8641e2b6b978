"""Coverage of the specific and sensitive interventions per desa against the 2024 targets.

Input tables
------------
``coverage`` (``DistrictData.coverage``, one row per desa × indicator): ``kode_desa``,
``kode_indikator``, ``sasaran`` (people or units in the target group), ``capaian`` (of them,
those who received the service), optionally ``tahun``.

``indicators`` (``analysis.reference.indicators()``, ``analysis/data/reference/indikator.csv``):
``kode_indikator``, ``nama``, ``jenis`` (``spesifik``/``sensitif``), ``kelompok_sasaran``,
``target_2024_pct`` (percent, empty when there is no percentage target), ``arah``
(``naik``: higher is better; ``turun``: lower is better).

Gaps are in percentage points and are positive when the desa is short of the target
(for a ``turun`` indicator: above it). Target groups and kinds are codes
(:class:`analysis.kode.KelompokSasaran`, :class:`analysis.kode.JenisIntervensi`); their words
are added at display.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def coverage_table(coverage: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Coverage per desa × indicator with its target and gap.

    Parameters
    ----------
    coverage : DataFrame
        ``kode_desa``, ``kode_indikator``, ``sasaran``, ``capaian``.
    indicators : DataFrame
        The indicator catalogue (see module docstring).

    Returns
    -------
    DataFrame
        The input columns plus ``nama``, ``jenis``, ``kelompok_sasaran``, ``arah``,
        ``target_pct``; ``cakupan_pct`` (capaian / sasaran · 100; NaN when sasaran is 0);
        ``kesenjangan_pp`` (target − cakupan for ``naik``, cakupan − target for ``turun``,
        clipped at 0; NaN without a target); ``tercapai`` (bool, NA without a target);
        ``belum_terlayani`` (sasaran − capaian for ``naik`` indicators, people or units who
        did not receive the service; 0 for ``turun``); ``kurang_dari_target`` (people still
        needed to reach the target, ≥ 0). Indicator codes missing from the catalogue are
        kept with NaN target.
    """
    cols = ["kode_indikator", "nama", "jenis", "kelompok_sasaran", "arah", "target_2024_pct"]
    ind = indicators[cols].rename(columns={"target_2024_pct": "target_pct"})
    out = coverage.merge(ind, on="kode_indikator", how="left")
    sas = pd.to_numeric(out["sasaran"], errors="coerce").astype(float)
    cap = pd.to_numeric(out["capaian"], errors="coerce").astype(float)
    target = pd.to_numeric(out["target_pct"], errors="coerce").astype(float)
    out["target_pct"] = target
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(sas > 0, cap / sas * 100, np.nan)
    out["cakupan_pct"] = pct
    down = out["arah"].eq("turun").to_numpy()
    raw_gap = np.where(down, pct - target, target - pct)
    out["kesenjangan_pp"] = np.where(np.isnan(raw_gap), np.nan, np.clip(raw_gap, 0, None))
    tercapai = pd.Series(raw_gap <= 0, index=out.index, dtype="boolean")
    out["tercapai"] = tercapai.mask(np.isnan(raw_gap))
    out["belum_terlayani"] = np.where(down, 0.0, np.clip(sas - cap, 0, None))
    need = np.where(down, cap - target / 100 * sas, target / 100 * sas - cap)
    out["kurang_dari_target"] = np.where(np.isnan(need), np.nan, np.ceil(np.clip(need, 0, None)))
    return out


def indicator_summary(table: pd.DataFrame) -> pd.DataFrame:
    """District coverage per indicator (sums over desa), worst gap first.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`coverage_table`.

    Returns
    -------
    DataFrame
        One row per indicator: ``kode_indikator, nama, jenis, kelompok_sasaran, arah,
        target_pct, sasaran, capaian, cakupan_pct, kesenjangan_pp, desa`` (desa reporting),
        ``desa_di_bawah_target`` (desa short of the target), ``belum_terlayani``.
    """
    keys = ["kode_indikator", "nama", "jenis", "kelompok_sasaran", "arah", "target_pct"]
    t = table.copy()
    t["_short"] = t["tercapai"].eq(False).fillna(False).astype(int)
    g = t.groupby(keys, dropna=False, sort=False).agg(
        sasaran=("sasaran", "sum"), capaian=("capaian", "sum"), desa=("kode_desa", "nunique"),
        desa_di_bawah_target=("_short", "sum"), belum_terlayani=("belum_terlayani", "sum"),
    ).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        g["cakupan_pct"] = np.where(g["sasaran"] > 0, g["capaian"] / g["sasaran"] * 100, np.nan)
    down = g["arah"].eq("turun")
    gap = np.where(down, g["cakupan_pct"] - g["target_pct"], g["target_pct"] - g["cakupan_pct"])
    g["kesenjangan_pp"] = np.where(np.isnan(gap), np.nan, np.clip(gap, 0, None))
    g = g.sort_values(["kesenjangan_pp", "belum_terlayani"], ascending=[False, False],
                      na_position="last").reset_index(drop=True)
    return g[keys + ["sasaran", "capaian", "cakupan_pct", "kesenjangan_pp", "desa",
                     "desa_di_bawah_target", "belum_terlayani"]]


def gap_matrix(table: pd.DataFrame, value: str = "kesenjangan_pp") -> pd.DataFrame:
    """Desa × indicator matrix of gaps (percentage points), for the heatmap.

    Returns
    -------
    DataFrame
        Index ``kode_desa``, one column per ``kode_indikator`` with a target (in catalogue
        order of appearance), values ``value``; NaN where a desa did not report.
    """
    t = table[table["target_pct"].notna()]
    order = list(dict.fromkeys(t["kode_indikator"]))
    m = t.pivot_table(index="kode_desa", columns="kode_indikator", values=value, aggfunc="mean")
    return m.reindex(columns=[c for c in order if c in m.columns])


def target_groups(table: pd.DataFrame) -> pd.DataFrame:
    """Which target groups are missed most.

    Sums over desa and over the ``naik`` indicators of each group. Because the same person
    can be the target of several indicators, ``layanan_belum_diterima`` counts services not
    received, not people.

    Returns
    -------
    DataFrame
        One row per ``kelompok_sasaran`` (code): ``indikator`` (number), ``sasaran``,
        ``capaian``, ``cakupan_pct`` (pooled),
        ``kesenjangan_rata_pp`` (mean gap over the group's indicators with targets),
        ``layanan_belum_diterima``; sorted by mean gap, largest first.
    """
    t = table[table["arah"].ne("turun")]
    summ = indicator_summary(t)
    g = summ.groupby("kelompok_sasaran", dropna=False).agg(
        indikator=("kode_indikator", "nunique"), sasaran=("sasaran", "sum"),
        capaian=("capaian", "sum"), kesenjangan_rata_pp=("kesenjangan_pp", "mean"),
        layanan_belum_diterima=("belum_terlayani", "sum"),
    ).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        g["cakupan_pct"] = np.where(g["sasaran"] > 0, g["capaian"] / g["sasaran"] * 100, np.nan)
    return g.sort_values(["kesenjangan_rata_pp", "layanan_belum_diterima"],
                         ascending=[False, False], na_position="last").reset_index(drop=True)


def desa_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per desa: mean gap, indicators below target, coverage per sector.

    Returns
    -------
    DataFrame
        One row per ``kode_desa``: ``indikator_dilaporkan``, ``indikator_di_bawah_target``,
        ``kesenjangan_rata_pp`` (mean gap over indicators with a target; the coverage
        component of the lokus score), ``cakupan_spesifik_pct`` and
        ``cakupan_sensitif_pct`` (mean coverage of the ``naik`` indicators of each sector),
        ``kesenjangan_terbesar`` (``kode_indikator`` of the largest gap, NA if none).
    """
    t = table.copy()
    t["_short"] = t["tercapai"].eq(False).fillna(False).astype(int)
    t["_has"] = t["target_pct"].notna().astype(int)
    g = t.groupby("kode_desa").agg(
        indikator_dilaporkan=("kode_indikator", "nunique"),
        indikator_di_bawah_target=("_short", "sum"),
        kesenjangan_rata_pp=("kesenjangan_pp", "mean"),
    )
    up = t[t["arah"].ne("turun")]
    sector = up.pivot_table(index="kode_desa", columns="jenis", values="cakupan_pct",
                            aggfunc="mean")
    for jenis in ("spesifik", "sensitif"):
        g[f"cakupan_{jenis}_pct"] = sector[jenis] if jenis in sector else np.nan
    withgap = t[t["kesenjangan_pp"].notna() & (t["kesenjangan_pp"] > 0)]
    if len(withgap):
        idx = withgap.groupby("kode_desa")["kesenjangan_pp"].idxmax()
        largest = withgap.loc[idx.to_numpy(), ["kode_desa", "kode_indikator"]].set_index(
            "kode_desa")["kode_indikator"]
    else:
        largest = pd.Series(dtype="object")
    g["kesenjangan_terbesar"] = largest.reindex(g.index)
    return g.reset_index()
