"""Budget chart of the annual review: planned and realised spending per OPD."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis import charts, text


def pagu_realisasi_opd(opd: pd.DataFrame, maks: int = 12) -> Figure:
    """Horizontal bars: pagu and realisasi per OPD with the absorption written beside.

    Parameters
    ----------
    opd : DataFrame
        ``analysis.budget.absorption(budget, ["opd"])`` (``opd``, ``pagu``,
        ``realisasi`` in rupiah, ``serapan_pct``).
    maks : int
        At most this many OPD (the largest budgets); the rest are summed as
        "OPD lainnya".

    Returns
    -------
    matplotlib.figure.Figure
    """
    o = opd.sort_values("pagu", ascending=False).reset_index(drop=True)
    if len(o) > maks:
        rest = o.iloc[maks - 1:]
        other = pd.DataFrame([{"opd": f"OPD lainnya ({len(rest)})", "pagu": rest["pagu"].sum(),
                               "realisasi": rest["realisasi"].sum()}])
        other["serapan_pct"] = 100 * other["realisasi"] / other["pagu"]
        o = pd.concat([o.iloc[: maks - 1], other], ignore_index=True)
    o = o.iloc[::-1].reset_index(drop=True)
    fig, ax = charts.gambar(tinggi_cm=max(6.0, 1.0 * len(o) + 2.0))
    y = np.arange(len(o))
    w = charts.WARNA
    pagu, real = o["pagu"] / 1e9, o["realisasi"] / 1e9
    ax.barh(y + 0.18, pagu, height=0.36, color=w["latar"], edgecolor=w["netral"], label="Pagu")
    ax.barh(y - 0.18, real, height=0.36, color=w["utama"], label="Realisasi")
    for yi, p, r, pct in zip(y, pagu, real, o["serapan_pct"], strict=True):
        ax.annotate(f"serapan {text.persen(pct)}", (max(p, r), yi), textcoords="offset points",
                    xytext=(4, 0), va="center", fontsize=7.5)
    ax.set_yticks(y)
    ax.set_yticklabels([textwrap.fill(str(s), 32, max_lines=2, placeholder="…")
                        for s in o["opd"]], fontsize=7.5)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    charts.sumbu_angka(ax, "x", 0 if float(pagu.max()) >= 10 else 1)
    ax.set_xlabel("Miliar rupiah")
    ax.set_xlim(0, float(pagu.max()) * 1.3)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
