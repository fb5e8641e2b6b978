"""Coverage charts: desa × indicator gap heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from analysis import charts, text


def heatmap_kesenjangan(matrix: pd.DataFrame, label_baris: pd.Series | None = None,
                        label_kolom: dict[str, str] | None = None, maks_baris: int = 40) -> Figure:
    """Heatmap of coverage gaps (percentage points below target), desa × indicator.

    Parameters
    ----------
    matrix : DataFrame
        ``analysis.coverage.gap_matrix`` output (index desa code, columns indicator codes).
    label_baris : Series, optional
        Desa code → name.
    label_kolom : dict, optional
        Indicator code → short label.
    maks_baris : int
        At most this many desa (those with the largest mean gap); the caption says so.
    """
    m = matrix.copy()
    order = m.mean(axis=1).sort_values(ascending=False).index[:maks_baris]
    m = m.loc[order]
    rows = [str(label_baris.get(i, i)) if label_baris is not None else str(i) for i in m.index]
    cols = [(label_kolom or {}).get(c, c) for c in m.columns]
    fig, ax = charts.gambar(tinggi_cm=max(7.0, 0.42 * len(m) + 5.0))
    cmap = ListedColormap(["#f7f7f7", "#fde0c5", "#f9b27e", "#f0803c", "#d4521b", "#a63603"])
    vals = m.to_numpy(dtype=float)
    im = ax.imshow(np.nan_to_num(vals, nan=-1), cmap=cmap, vmin=0, vmax=60, aspect="auto")
    ax.set_xticks(np.arange(len(cols)), cols, rotation=55, ha="right", fontsize=7)
    ax.set_yticks(np.arange(len(rows)), rows, fontsize=7)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if len(m) <= 40 and len(cols) <= 20:
        for (i, j), v in np.ndenumerate(vals):
            if not np.isnan(v) and v > 0:
                ax.text(j, i, text.angka(v, 0), ha="center", va="center", fontsize=6,
                        color="white" if v >= 30 else "#222222")
            elif np.isnan(v):
                ax.text(j, i, "–", ha="center", va="center", fontsize=6, color="#999999")
    cb = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    cb.set_label("Kesenjangan dari target (poin persen)", fontsize=7.5)
    cb.ax.yaxis.set_major_formatter(charts.format_angka())
    fig.tight_layout()
    return fig
