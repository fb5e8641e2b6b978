"""Lokus charts: the score of the top desa split into its weighted components."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import charts, text
from analysis.lokus import COMPONENTS


def komponen_skor(scored: pd.DataFrame, label: str = "nama_desa", n: int = 20,
                  nama_komponen: dict[str, str] | None = None) -> Figure:
    """Stacked horizontal bars: points each component adds to the score, top ``n`` desa.

    Parameters
    ----------
    scored : DataFrame
        ``analysis.lokus.score`` output (sorted by rank) with ``kontribusi_<component>``,
        ``skor``, ``direkomendasikan`` and ``label``.
    nama_komponen : dict, optional
        Indonesian names of the components (``label_komponen`` of ``lokus.yaml``).
    """
    names = nama_komponen or {}
    d = scored.head(n).iloc[::-1]
    fig, ax = charts.gambar(tinggi_cm=max(6.0, 0.5 * len(d) + 3.0))
    y = np.arange(len(d))
    left = np.zeros(len(d))
    for comp, colour in zip(COMPONENTS, charts.PALET, strict=False):
        v = d[f"kontribusi_{comp}"].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=colour, height=0.65, label=names.get(comp, comp))
        left += v
    ticks = [f"{'★ ' if rec else ''}{name}"
             for name, rec in zip(d[label], d["direkomendasikan"], strict=True)]
    ax.set_yticks(y, ticks)
    for yi, s in zip(y, d["skor"], strict=True):
        ax.text(s + 0.8, yi, text.angka(s, 1), va="center", fontsize=7.5)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel("Skor prioritas (0–100)")
    ax.set_xlim(0, max(10.0, float(d["skor"].max()) * 1.12) if len(d) else 100)
    ax.legend(loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=2, fontsize=7.5)
    fig.tight_layout()
    return fig
