"""House style for every chart: colours, sizes legible in print, Indonesian ticks.

Call :func:`apply_style` once (the notebook or :func:`gambar` does it) and use
:data:`PALET` / :data:`WARNA` for colours; topic plots live in
``charts/<topic>.py`` and return a ``matplotlib.figure.Figure`` for
``Laporan.gambar``. Tick labels use :mod:`analysis.text`, so axes read
``1.234`` and ``14,3 %`` like the text around them.

Sizes are chosen for the A4 report: a full-width figure is 16 cm wide
(:data:`LEBAR_PENUH`), fonts are 9–11 pt at that size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis import text
from analysis.errors import ParameterError
from analysis.stats import funnel_limits

#: Named colours (colour-blind safe, print well in grey).
WARNA = {
    "utama": "#1f5f8b",      # main series (blue)
    "kedua": "#e07b39",      # second series (orange)
    "ketiga": "#4a9d5b",     # third series (green)
    "keempat": "#8e5ea2",    # fourth series (purple)
    "netral": "#8c8c8c",     # reference lines, other districts
    "buruk": "#c0392b",      # worse than target / alert
    "baik": "#2e8b57",       # better than target
    "target": "#333333",     # targets and thresholds
    "latar": "#f2f2f2",      # shaded bands
}

#: Default colour cycle.
PALET = [WARNA["utama"], WARNA["kedua"], WARNA["ketiga"], WARNA["keempat"],
         "#d4a017", "#3aa6b9", WARNA["netral"]]

#: Sequential palette for maps and heat tables (light → dark blue).
PALET_BERURUT = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]

CM = 1 / 2.54
#: Full text width of the A4 report (inches).
LEBAR_PENUH = 16 * CM
#: Half text width (two figures side by side).
LEBAR_SETENGAH = 7.8 * CM

STYLE: dict[str, Any] = {
    "figure.figsize": (LEBAR_PENUH, 9 * CM),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.8,
    "axes.formatter.use_locale": False,
}


def apply_style() -> None:
    """Apply the house style to matplotlib (fonts, sizes, grid, colour cycle)."""
    mpl.rcParams.update(cast(Any, STYLE))
    mpl.rcParams["axes.prop_cycle"] = cycler(color=PALET)


def ukuran(lebar: str = "penuh", tinggi_cm: float = 9.0) -> tuple[float, float]:
    """Figure size in inches: ``lebar`` ``"penuh"`` (16 cm) or ``"setengah"`` (7,8 cm)."""
    widths = {"penuh": LEBAR_PENUH, "setengah": LEBAR_SETENGAH}
    if lebar not in widths:
        raise ParameterError("lebar", f"lebar '{lebar}' tidak dikenal.", ", ".join(widths))
    return widths[lebar], tinggi_cm * CM


def format_angka(desimal: int = 0) -> FuncFormatter:
    """Tick formatter writing numbers the Indonesian way (``1.234``, ``2,5``)."""
    return FuncFormatter(lambda x, _pos: text.angka(x, desimal))


def format_persen(desimal: int = 0) -> FuncFormatter:
    """Tick formatter for values already in percent (``15 %``)."""
    return FuncFormatter(lambda x, _pos: text.persen(x, desimal))


def format_rupiah() -> FuncFormatter:
    """Tick formatter for rupiah in compact words (``Rp 1,5 miliar``)."""
    return FuncFormatter(lambda x, _pos: text.rupiah(x, compact=True))


def gambar(lebar: str = "penuh", tinggi_cm: float = 9.0, **kwargs: Any) -> tuple[Figure, Any]:
    """A new figure and axes in the house style: ``fig, ax = charts.gambar()``."""
    apply_style()
    return plt.subplots(figsize=ukuran(lebar, tinggi_cm), **kwargs)


def sumbu_persen(ax: Axes, axis: str = "y", desimal: int = 0) -> None:
    """Format one axis of ``ax`` as Indonesian percentages."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(format_persen(desimal))


def sumbu_angka(ax: Axes, axis: str = "y", desimal: int = 0) -> None:
    """Format one axis of ``ax`` as Indonesian numbers."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(format_angka(desimal))


def pita_corong(ax: Axes, p0: float, ns: Sequence[float] | np.ndarray, z: tuple[float, float],
                label_acuan: str) -> np.ndarray:
    """Draw a funnel plot's control limits around the reference proportion ``p0``.

    Parameters
    ----------
    ax : matplotlib Axes
    p0 : float
        Reference proportion as a fraction (the district or pooled prevalence).
    ns : array-like
        Numbers of children along the x axis at which to draw the limits.
    z : (float, float)
        z of the inner (95 %) and outer (99.8 %) limits.
    label_acuan : str
        Legend label of the reference line (the value is appended).

    Returns
    -------
    numpy.ndarray
        The upper outer limit (fraction) at ``ns``, for setting the axis range.
    """
    lo95, hi95 = funnel_limits(p0, ns, z[0])
    lo99, hi99 = funnel_limits(p0, ns, z[1])
    ax.fill_between(ns, lo99 * 100, hi99 * 100, color=WARNA["latar"], zorder=0)
    ax.plot(ns, hi95 * 100, color=WARNA["netral"], ls="--", lw=1, label="Batas 95 %")
    ax.plot(ns, lo95 * 100, color=WARNA["netral"], ls="--", lw=1)
    ax.plot(ns, hi99 * 100, color=WARNA["target"], lw=1, label="Batas 99,8 %")
    ax.plot(ns, lo99 * 100, color=WARNA["target"], lw=1)
    ax.axhline(p0 * 100, color=WARNA["utama"], lw=1.2, label=f"{label_acuan} {text.persen(p0 * 100)}")
    return hi99
