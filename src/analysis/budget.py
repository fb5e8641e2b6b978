"""Stunting budget: planned (pagu) against realised (realisasi), absorption,
spending per child reached and per stunted child, spending that reaches the
desa lokus.

Input is the canonical ``budget`` table of ``analysis.dataset`` (the
district's ``anggaran`` file): ``tahun``, ``opd``, ``kode_subkegiatan``,
``nama_subkegiatan``, ``kode_indikator`` (optional: the indicator of the
catalogue a line funds), ``pagu``, ``realisasi`` (rupiah) and ``kode_desa``
(optional: spending located in one desa). Every function is pure and returns
a DataFrame with the columns documented; money is in rupiah, shares in
percent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of :func:`absorption`.
ABSORPTION_COLUMNS = ["pagu", "realisasi", "sisa", "serapan_pct", "baris"]


def _codes(series: pd.Series) -> pd.Series:
    """Normalise an optional code column: strings, blanks → NA."""
    s = series.astype("string").str.strip()
    return s.mask(s.isna() | (s == "") | (s.str.lower().isin(["nan", "none"])))


def _money(budget: pd.DataFrame) -> pd.DataFrame:
    out = budget.copy()
    for col in ("pagu", "realisasi"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in ("kode_indikator", "kode_desa"):
        if col in out:
            out[col] = _codes(out[col])
        else:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out


def absorption(budget: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Planned and realised spending and absorption, overall or per group.

    Parameters
    ----------
    budget : DataFrame
        Budget lines (``pagu``, ``realisasi`` in rupiah, and the ``by`` columns).
    by : list of str, optional
        Grouping columns (e.g. ``["opd"]``); ``None`` gives one row for all lines.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``pagu``, ``realisasi``, ``sisa`` (pagu − realisasi,
        rupiah), ``serapan_pct`` (realisasi ÷ pagu × 100; NaN when pagu is 0),
        ``baris`` (number of budget lines); sorted by ``pagu``, largest first.

    Notes
    -----
    Absorption (*serapan*) is what was spent out of what was planned; it says
    nothing about whether the spending reached anyone (see
    :func:`cost_per_reached`).
    """
    b = _money(budget)
    by = list(by or [])
    if by:
        keys = [b[c].astype("string").fillna("(tidak diisi)") for c in by]
        g = b.groupby(keys, sort=False)
        out = g.agg(pagu=("pagu", "sum"), realisasi=("realisasi", "sum"),
                    baris=("pagu", "size")).reset_index()
        out.columns = by + ["pagu", "realisasi", "baris"]
    else:
        out = pd.DataFrame({"pagu": [b["pagu"].sum()], "realisasi": [b["realisasi"].sum()],
                            "baris": [len(b)]})
    out["sisa"] = out["pagu"] - out["realisasi"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["serapan_pct"] = np.where(out["pagu"] > 0, 100 * out["realisasi"] / out["pagu"],
                                      np.nan)
    out["baris"] = out["baris"].astype(int)
    out = out[by + ABSORPTION_COLUMNS]
    return out.sort_values("pagu", ascending=False, kind="stable").reset_index(drop=True)


def per_intervention(budget: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Absorption per intervention (indicator of the catalogue a line funds).

    Parameters
    ----------
    budget : DataFrame
        Budget lines with ``kode_indikator`` (may be empty for lines that fund
        no catalogue indicator).
    indicators : DataFrame
        ``analysis.reference.indicators()`` (``kode_indikator``, ``nama``,
        ``jenis``, ``kelompok_sasaran``).

    Returns
    -------
    DataFrame
        ``kode_indikator`` (``"(tidak diisi)"`` for lines without one),
        ``nama``, ``jenis``, and the :data:`ABSORPTION_COLUMNS`.
    """
    out = absorption(budget, ["kode_indikator"])
    info = indicators[["kode_indikator", "nama", "jenis"]].astype({"kode_indikator": "string"})
    out = out.merge(info, on="kode_indikator", how="left")
    out["nama"] = out["nama"].fillna("Tidak terkait indikator katalog")
    out["jenis"] = out["jenis"].fillna("–")
    return out[["kode_indikator", "nama", "jenis"] + ABSORPTION_COLUMNS]


def reached(coverage: pd.DataFrame) -> pd.DataFrame:
    """Target group and people reached per indicator, summed over desa.

    Parameters
    ----------
    coverage : DataFrame
        Canonical coverage table of one year (``kode_desa``, ``kode_indikator``,
        ``sasaran``, ``capaian``).

    Returns
    -------
    DataFrame
        ``kode_indikator``, ``sasaran``, ``capaian`` (people), ``cakupan_pct``.
    """
    c = coverage.copy()
    c["kode_indikator"] = _codes(c["kode_indikator"])
    for col in ("sasaran", "capaian"):
        c[col] = pd.to_numeric(c[col], errors="coerce")
    out = c.groupby("kode_indikator", sort=True).agg(sasaran=("sasaran", "sum"),
                                                     capaian=("capaian", "sum")).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cakupan_pct"] = np.where(out["sasaran"] > 0, 100 * out["capaian"] / out["sasaran"],
                                      np.nan)
    return out


def cost_per_reached(budget: pd.DataFrame, coverage: pd.DataFrame,
                     indicators: pd.DataFrame) -> pd.DataFrame:
    """Realised spending per person reached, for each intervention with a budget.

    Parameters
    ----------
    budget : DataFrame
        Budget lines of one year (``kode_indikator``, ``pagu``, ``realisasi``).
    coverage : DataFrame
        Coverage of the same year (see :func:`reached`).
    indicators : DataFrame
        The indicator catalogue (``kode_indikator``, ``nama``, ``kelompok_sasaran``).

    Returns
    -------
    DataFrame
        ``kode_indikator``, ``nama``, ``kelompok_sasaran``, ``realisasi``
        (rupiah), ``capaian`` (people reached, from the coverage table),
        ``biaya_per_capaian`` (rupiah per person reached; NaN when nobody was
        recorded as reached); only lines with an indicator code.

    Notes
    -----
    "Reached" is the coverage table's ``capaian`` for the indicator the
    budget line funds, summed over desa. The people reached may have been
    reached by other funds too (Dana Desa, national programmes), so this is a
    spending ratio, not a unit cost.
    """
    spend = absorption(budget, ["kode_indikator"])
    spend = spend[spend["kode_indikator"] != "(tidak diisi)"][["kode_indikator", "realisasi"]]
    out = spend.merge(reached(coverage)[["kode_indikator", "capaian"]],
                      on="kode_indikator", how="left")
    info = indicators[["kode_indikator", "nama", "kelompok_sasaran"]].astype(
        {"kode_indikator": "string"})
    out = out.merge(info, on="kode_indikator", how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["biaya_per_capaian"] = np.where(out["capaian"] > 0,
                                            out["realisasi"] / out["capaian"], np.nan)
    cols = ["kode_indikator", "nama", "kelompok_sasaran", "realisasi", "capaian",
            "biaya_per_capaian"]
    return out[cols].sort_values("realisasi", ascending=False, kind="stable").reset_index(drop=True)


def cost_per_stunted(budget: pd.DataFrame, stunted_children: int) -> float:
    """Realised spending per stunted child recorded in the register.

    Parameters
    ----------
    budget : DataFrame
        Budget lines of one year.
    stunted_children : int
        Children with HAZ < −2 in the year's register (annual round).

    Returns
    -------
    float
        Rupiah per stunted child; NaN when no child is recorded as stunted.

    Notes
    -----
    Most stunting spending is preventive and reaches children who are not
    stunted, so this is a scale figure for comparing years and districts,
    not a cost of "treating" a child. The register counts only the children
    measured.
    """
    total = float(_money(budget)["realisasi"].sum())
    return total / stunted_children if stunted_children > 0 else float("nan")


def lokus_spending(budget: pd.DataFrame, lokus_codes) -> pd.DataFrame:
    """How much of the realised spending is located in the desa lokus.

    Parameters
    ----------
    budget : DataFrame
        Budget lines of one year (``realisasi``, optional ``kode_desa``).
    lokus_codes : iterable of str
        Kemendagri codes of the desa lokus.

    Returns
    -------
    DataFrame
        One row: ``realisasi_total``, ``realisasi_berlokasi`` (lines naming a
        desa), ``realisasi_lokus`` (lines naming a desa lokus), ``pct_lokus_total``
        (share of all spending), ``pct_lokus_berlokasi`` (share of the spending
        located in a desa), ``desa_lokus``, ``desa_lokus_dibiayai`` (lokus with
        any located spending).

    Notes
    -----
    District-wide lines (no ``kode_desa``) may also benefit lokus; only
    spending the district located in a desa can be attributed.
    """
    b = _money(budget)
    lokus = {str(c) for c in lokus_codes}
    located = b["kode_desa"].notna()
    in_lokus = located & b["kode_desa"].isin(lokus)
    total = float(b["realisasi"].sum())
    loc_sum = float(b.loc[located, "realisasi"].sum())
    lok_sum = float(b.loc[in_lokus, "realisasi"].sum())
    funded = b.loc[in_lokus & (b["realisasi"] > 0), "kode_desa"].nunique()
    return pd.DataFrame([{
        "realisasi_total": total, "realisasi_berlokasi": loc_sum, "realisasi_lokus": lok_sum,
        "pct_lokus_total": 100 * lok_sum / total if total > 0 else np.nan,
        "pct_lokus_berlokasi": 100 * lok_sum / loc_sum if loc_sum > 0 else np.nan,
        "desa_lokus": len(lokus), "desa_lokus_dibiayai": int(funded),
    }])


def per_lokus_desa(budget: pd.DataFrame, lokus: pd.DataFrame) -> pd.DataFrame:
    """Realised spending located in each desa lokus (zero where none).

    Parameters
    ----------
    budget : DataFrame
        Budget lines of one year.
    lokus : DataFrame
        ``kode_desa``, ``nama_desa`` of the desa lokus.

    Returns
    -------
    DataFrame
        ``kode_desa``, ``nama_desa``, ``pagu``, ``realisasi`` (rupiah),
        ``serapan_pct``; sorted by realisation, smallest first (the lokus the
        money missed come first).
    """
    b = _money(budget)
    sums = b[b["kode_desa"].notna()].groupby("kode_desa").agg(
        pagu=("pagu", "sum"), realisasi=("realisasi", "sum"))
    out = lokus[["kode_desa", "nama_desa"]].copy()
    out["kode_desa"] = out["kode_desa"].astype("string")
    out = out.merge(sums, left_on="kode_desa", right_index=True, how="left")
    out[["pagu", "realisasi"]] = out[["pagu", "realisasi"]].fillna(0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["serapan_pct"] = np.where(out["pagu"] > 0, 100 * out["realisasi"] / out["pagu"],
                                      np.nan)
    return out.sort_values(["realisasi", "kode_desa"], kind="stable").reset_index(drop=True)
