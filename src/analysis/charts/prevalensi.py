"""Prevalence charts: bars with 95 % CIs, WHO age × sex groups, HAZ distribution against the
WHO standard, funnel plot of desa prevalence against children measured.

Every function returns a ``matplotlib.figure.Figure`` for ``Laporan.gambar``; labels are in
Bahasa Indonesia and numbers go through :mod:`analysis.text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats as st

from analysis import charts, text
from analysis.kode import PosisiCorong
from analysis.stats import FUNNEL_Z, funnel_limits, funnel_position


def batang_ci(df: pd.DataFrame, label: str, nilai: str, bawah: str, atas: str, *,
              judul_sumbu: str = "Prevalensi stunting (%)", acuan: float | None = None,
              label_acuan: str | None = None, target: float | None = None,
              label_target: str | None = None, maks_baris: int = 40) -> Figure:
    """Horizontal bars (percent) with 95 % interval whiskers, largest on top.

    Parameters
    ----------
    df : DataFrame
        One row per unit, with ``label`` (name), ``nilai`` (percent), ``bawah``/``atas``
        (95 % limits, percent).
    acuan : float, optional
        A reference line in percent (e.g. the district prevalence), with ``label_acuan``.
    target : float, optional
        A target line in percent, with ``label_target``.
    maks_baris : int
        At most this many bars (the highest); the caller says so in the caption.
    """
    d = df.dropna(subset=[nilai]).sort_values(nilai, ascending=True).tail(maks_baris)
    height = max(5.0, 0.55 * len(d) + 2.0)
    fig, ax = charts.gambar(tinggi_cm=height)
    y = np.arange(len(d))
    ax.barh(y, d[nilai], color=charts.WARNA["utama"], height=0.6)
    err = np.vstack([(d[nilai] - d[bawah]).clip(lower=0), (d[atas] - d[nilai]).clip(lower=0)])
    ax.errorbar(d[nilai], y, xerr=err, fmt="none", ecolor="#333333", elinewidth=0.9,
                capsize=2)
    ax.set_yticks(y, d[label])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    charts.sumbu_persen(ax, "x")
    ax.set_xlabel(judul_sumbu)
    if acuan is not None and not np.isnan(acuan):
        ax.axvline(acuan, color=charts.WARNA["netral"], ls="--", lw=1.2,
                   label=label_acuan or f"Acuan {text.persen(acuan)}")
    if target is not None and not np.isnan(target):
        ax.axvline(target, color=charts.WARNA["buruk"], ls=":", lw=1.4,
                   label=label_target or f"Target {text.persen(target)}")
    if acuan is not None or target is not None:
        ax.legend(loc="lower right")
    ax.set_xlim(0, max(5.0, float(np.nanmax(d[atas])) * 1.05) if len(d) else 5.0)
    fig.tight_layout()
    return fig


def umur_jenis_kelamin(table: pd.DataFrame, kolom: str = "HA_2_r") -> Figure:
    """Prevalence by WHO age group for boys and girls (from ``prevalence_table(by=None)``).

    Parameters
    ----------
    table : DataFrame
        ``analysis.prevalence.prevalence_table`` output with anthro's group labels.
    kolom : str
        The estimate column (``HA_2_r`` = stunting); its ``_ll``/``_ul`` are the whiskers.
    """
    base = kolom[:-2]
    groups = ["00-05", "06-11", "12-23", "24-35", "36-47", "48-59"]
    labels = ["0–5", "6–11", "12–23", "24–35", "36–47", "48–59"]
    fig, ax = charts.gambar(tinggi_cm=8)
    x = np.arange(len(groups))
    width = 0.38
    t = table.set_index("Group")
    for i, (sex, name, colour) in enumerate([("Male", "Laki-laki", charts.WARNA["utama"]),
                                             ("Female", "Perempuan", charts.WARNA["kedua"])]):
        keys = [f"Age + sex: {g} mo.{sex}" for g in groups]
        r = t.reindex(keys)[f"{base}_r"].to_numpy(dtype=float)
        lo = t.reindex(keys)[f"{base}_ll"].to_numpy(dtype=float)
        hi = t.reindex(keys)[f"{base}_ul"].to_numpy(dtype=float)
        pos = x + (i - 0.5) * width
        ax.bar(pos, r, width=width, color=colour, label=name)
        ax.errorbar(pos, r, yerr=np.vstack([np.clip(r - lo, 0, None), np.clip(hi - r, 0, None)]),
                    fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2)
    ax.set_xticks(x, labels)
    ax.set_xlabel("Kelompok umur (bulan)")
    ax.set_ylabel("Prevalensi (%)")
    charts.sumbu_persen(ax, "y")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def distribusi_haz(haz: pd.Series) -> Figure:
    """Histogram of HAZ (flags removed) against the WHO standard normal N(0, 1).

    Parameters
    ----------
    haz : Series
        Length/height-for-age z-scores (WHO-flagged values already set missing).
    """
    z = pd.to_numeric(haz, errors="coerce").dropna().to_numpy(dtype=float)
    fig, ax = charts.gambar(tinggi_cm=8)
    bins = np.arange(-6, 6.01, 0.25)
    ax.hist(z, bins=bins, density=True, color=charts.WARNA["utama"], alpha=0.75,
            label=f"Data e-PPGBM (rata-rata {text.angka(z.mean(), 2)}, "
                  f"SD {text.angka(z.std(ddof=1), 2)})" if len(z) > 1 else "Data e-PPGBM")
    xs = np.linspace(-6, 6, 400)
    ax.plot(xs, st.norm.pdf(xs), color=charts.WARNA["target"], lw=1.6,
            label="Standar WHO (rata-rata 0, SD 1)")
    ax.axvline(-2, color=charts.WARNA["buruk"], ls=":", lw=1.2, label="Batas stunting (−2)")
    ax.set_xlabel("Nilai z tinggi badan menurut umur (TB/U)")
    ax.set_ylabel("Kepadatan")
    ax.set_xlim(-6, 6)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    charts.sumbu_angka(ax, "x")
    charts.sumbu_angka(ax, "y", 2)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def funnel(df: pd.DataFrame, p0: float, *, n: str = "n_stunting", x: str = "jumlah_stunting",
           label: str | None = "nama_desa", sorot: int = 8) -> Figure:
    """Funnel plot: desa prevalence against children measured, with 95 % and 99.8 % limits.

    Parameters
    ----------
    df : DataFrame
        One row per desa with ``n`` (children with HAZ) and ``x`` (stunted).
    p0 : float
        District prevalence (fraction).
    label : str, optional
        Column with the desa name; the ``sorot`` desa furthest above the 99.8 % limit are
        named on the plot.

    Notes
    -----
    A desa is drawn as a hotspot when :func:`analysis.stats.funnel_position` puts it above the
    outer limit: the same rule as the "titik rawan" of the report's tables.
    """
    d = df[df[n] > 0].copy()
    d["p"] = d[x] / d[n] * 100
    fig, ax = charts.gambar(tinggi_cm=9.5)
    nmax = max(10.0, float(d[n].max()) * 1.05) if len(d) else 10.0
    ns = np.linspace(1, nmax, 400)
    charts.pita_corong(ax, p0, ns, FUNNEL_Z, "Rata-rata kabupaten/kota")
    up99 = funnel_limits(p0, d[n].to_numpy(dtype=float), FUNNEL_Z[1])[1]
    above = np.asarray(funnel_position(d[x], d[n], p0) == PosisiCorong.ATAS_998, dtype=bool)
    ax.scatter(d.loc[~above, n], d.loc[~above, "p"], s=14, color=charts.WARNA["utama"],
               alpha=0.7, label="Desa/kelurahan", zorder=3)
    ax.scatter(d.loc[above, n], d.loc[above, "p"], s=22, color=charts.WARNA["buruk"],
               label="Di atas batas 99,8 % (titik rawan nyata)", zorder=4)
    if label and label in d and above.any():
        hot = d[above].assign(_ex=d.loc[above, "p"] - up99[above] * 100).nlargest(sorot, "_ex")
        hot = hot.sort_values("p")
        for i, (_, row) in enumerate(hot.iterrows()):
            # alternate above/below so neighbouring names do not print over each other
            ax.annotate(str(row[label]), (row[n], row["p"]), xytext=(5, 3 if i % 2 else -9),
                        textcoords="offset points", fontsize=7)
    ax.set_xlabel("Jumlah balita yang diukur (dengan nilai TB/U)")
    ax.set_ylabel("Prevalensi stunting (%)")
    ax.set_xlim(0, nmax)
    ax.set_ylim(0, max(10.0, float(d["p"].max()) * 1.08) if len(d) else 10.0)
    charts.sumbu_persen(ax, "y")
    charts.sumbu_angka(ax, "x")
    ax.legend(loc="upper right", fontsize=7.5)
    fig.tight_layout()
    return fig
