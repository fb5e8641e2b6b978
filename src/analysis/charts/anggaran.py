"""Budget chart of the annual review: planned and realised spending per OPD."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import text


def pagu_realisasi_opd(opd: pd.DataFrame, maks: int = 12):
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
    from analysis import charts

    o = opd.sort_values("pagu", ascending=False).reset_index(drop=True)
    if len(o) > maks:
        rest = o.iloc[maks - 1:]
        other = pd.DataFrame([{"opd": f"OPD lainnya ({len(rest)})", "pagu": rest["pagu"].sum(),
                               "realisasi": rest["realisasi"].sum()}])
        other["serapan_pct"] = 100 * other["realisasi"] / other["pagu"]
        o = pd.concat([o.iloc[: maks - 1], other], ignore_index=True)
    o = o.iloc[::-1].reset_index(drop=True)
    fig, ax = charts.gambar(tinggi_cm=max(5.0, 0.75 * len(o) + 2.0))
    y = np.arange(len(o))
    w = charts.WARNA
    ax.barh(y + 0.18, o["pagu"], height=0.36, color=w["latar"], edgecolor=w["netral"],
            label="Pagu")
    ax.barh(y - 0.18, o["realisasi"], height=0.36, color=w["utama"], label="Realisasi")
    for yi, r in zip(y, o.itertuples()):
        ax.annotate(f"serapan {text.persen(r.serapan_pct)}", (max(r.pagu, r.realisasi), yi),
                    textcoords="offset points", xytext=(4, 0), va="center", fontsize=7.5)
    labels = [s if len(s) <= 38 else s[:36] + "…" for s in o["opd"].astype(str)]
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.xaxis.set_major_formatter(charts.format_rupiah())
    ax.set_xlim(0, float(o["pagu"].max()) * 1.3)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
