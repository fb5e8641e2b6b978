"""Charts of the cross-district comparison (studi tiru): caterpillar of register prevalence
with CIs, funnel plot across districts, survey and register trajectories, coverage against
the host (dot plot) or against the rest of the province (heat map), spending ratios.

Every function returns a ``matplotlib.figure.Figure`` for ``Laporan.gambar``; labels are in
Bahasa Indonesia and numbers go through :mod:`analysis.text`. Inputs are the frames of
:mod:`analysis.laporan.studi_tiru.hitung` (documented there); ``label`` maps a district code to
the short name shown on the axes. Funnel positions arrive as
:class:`~analysis.kode.PosisiCorong` codes; their words are added here, at display.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from analysis import charts, text
from analysis.kode import PosisiCorong
from analysis.stats import FUNNEL_Z

#: Colour of a district's position on the funnel plot.
_POSISI_WARNA = {
    PosisiCorong.ATAS_998: "buruk", PosisiCorong.ATAS_95: "kedua", PosisiCorong.DALAM: "netral",
    PosisiCorong.BAWAH_95: "ketiga", PosisiCorong.BAWAH_998: "baik",
}


def _warna(posisi: Any) -> str:
    return charts.WARNA[_POSISI_WARNA.get(posisi, "netral")]


def _warna_daerah(n: int) -> list[str]:
    """``n`` distinguishable colours: the house palette, or matplotlib's tab10 beyond it."""
    base = list(charts.PALET[:-1])
    if n > len(base):
        tab10: Any = matplotlib.colormaps["tab10"]
        base = [matplotlib.colors.to_hex(c) for c in tab10.colors]
    return [base[i % len(base)] for i in range(n)]


def _label_tanpa_tumpang(ax: Axes, xs: np.ndarray, ys: np.ndarray, labels: Sequence[str],
                         fontsize: float = 7.5) -> None:
    """Name points without labels overlapping: a label that would cover one already placed
    moves up (then down) in steps of one line, with a thin leader line when moved."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]

    points = ax.transData.transform(np.column_stack([np.asarray(xs, dtype=float),
                                                     np.asarray(ys, dtype=float)]))
    placed = [Bbox.from_extents(px - 4, py - 4, px + 4, py + 4) for px, py in points]
    order = np.argsort(np.asarray(ys, dtype=float))
    step = fontsize * 1.25
    for i in order:
        x, y, lab = xs[i], ys[i], labels[i]
        for k in range(0, 14):
            dy = 3 + step * ((k + 1) // 2) * (1 if k % 2 == 0 else -1) if k else 3
            ann = ax.annotate(lab, (x, y), xytext=(4, dy), textcoords="offset points",
                              fontsize=fontsize)
            box = ann.get_window_extent(renderer)
            own = Bbox.from_extents(*(points[i] - 4), *(points[i] + 4))
            if not any(box.overlaps(b) for b in placed if b.bounds != own.bounds) or k == 13:
                if k:
                    ann.remove()
                    ann = ax.annotate(lab, (x, y), xytext=(4, dy), textcoords="offset points",
                                      fontsize=fontsize,
                                      arrowprops={"arrowstyle": "-", "lw": 0.5,
                                                  "color": "#888888", "shrinkA": 0,
                                                  "shrinkB": 2})
                placed.append(ann.get_window_extent(renderer))
                break
            ann.remove()


def caterpillar(ranking: pd.DataFrame, label: dict[str, str],
                tuan_rumah: str | None = None) -> Figure:
    """Register prevalence of each district with its 95 % CI, lowest on top.

    Parameters
    ----------
    ranking : DataFrame
        ``studi_tiru.hitung.peringkat`` output (``kab, pct, ll, ul, p0, posisi_funnel,
        peringkat_min, peringkat_maks``).
    label : dict
        District code → short name.
    tuan_rumah : str, optional
        Host code (its name is written in bold).
    """
    d = ranking.dropna(subset=["pct"]).sort_values("pct", ascending=False)
    fig, ax = charts.gambar(tinggi_cm=max(5.5, 0.75 * len(d) + 2.5))
    y = np.arange(len(d))
    colours = [_warna(p) for p in d["posisi_funnel"]]
    err = np.vstack([(d["pct"] - d["ll"]).clip(lower=0), (d["ul"] - d["pct"]).clip(lower=0)])
    ax.errorbar(d["pct"], y, xerr=err, fmt="none", ecolor="#333333", elinewidth=1.1, capsize=3,
                zorder=2)
    ax.scatter(d["pct"], y, s=46, color=colours, zorder=3, edgecolor="white", linewidth=0.6)
    names = [label.get(k, k) for k in d["kab"]]
    ax.set_yticks(y, names)
    for tick, kab in zip(ax.get_yticklabels(), d["kab"], strict=True):
        if kab == tuan_rumah:
            tick.set_fontweight("bold")
    p0 = float(d["p0"].iloc[0]) if len(d) else np.nan
    if not np.isnan(p0):
        ax.axvline(p0, color=charts.WARNA["utama"], ls="--", lw=1.1)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    charts.sumbu_persen(ax, "x")
    ax.set_xlabel("Prevalensi stunting register e-PPGBM (%), IK 95 %")
    hi = float(np.nanmax(d["ul"])) if len(d) else 10.0
    ax.set_xlim(0, hi * 1.3)
    ax.xaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
    for yy, lo, hi_rank in zip(y, d["peringkat_min"], d["peringkat_maks"], strict=True):
        ax.annotate(f"peringkat {text.rentang_bulat(lo, hi_rank)}", (hi * 1.08, yy), va="center",
                    fontsize=7.5, color="#444444")
    handles = [Line2D([], [], color=charts.WARNA["utama"], ls="--",
                      label=f"Gabungan daerah dibandingkan {text.persen(p0)}")]
    for pos in (PosisiCorong.BAWAH_998, PosisiCorong.DALAM, PosisiCorong.ATAS_998):
        if pos in set(d["posisi_funnel"]):
            handles.append(Line2D([], [], marker="o", ls="", color=_warna(pos),
                                  label=f"Plot corong: {pos.label}"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=2,
              fontsize=7.5, borderaxespad=0)
    fig.tight_layout()
    return fig


def funnel_daerah(ranking: pd.DataFrame, label: dict[str, str]) -> Figure:
    """Funnel plot: district register prevalence against children measured.

    Parameters
    ----------
    ranking : DataFrame
        ``studi_tiru.hitung.peringkat`` output (``kab, n, stunting, p0, posisi_funnel``).
    label : dict
        District code → short name (every district is named).
    """
    d = ranking.dropna(subset=["pct"]).copy()
    d["n"] = d["n"].astype(float)
    p0 = float(d["p0"].iloc[0]) / 100 if len(d) else np.nan
    fig, ax = charts.gambar(tinggi_cm=9.5)
    nmax = float(d["n"].max()) * 1.22 if len(d) else 100.0
    ns = np.linspace(max(50.0, nmax / 400), nmax, 400)
    hi99 = charts.pita_corong(ax, p0, ns, FUNNEL_Z, "Gabungan")
    colours = [_warna(p) for p in d["posisi_funnel"]]
    ax.scatter(d["n"], d["pct"], s=36, color=colours, zorder=3, edgecolor="white", linewidth=0.6)
    ax.set_xlabel("Balita diukur dengan nilai TB/U (register e-PPGBM)")
    ax.set_ylabel("Prevalensi stunting register (%)")
    ax.set_xlim(0, nmax)
    top = max(float(d["pct"].max()), float(np.nanmax(hi99)) * 100) if len(d) else 20.0
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
    charts.sumbu_persen(ax, "y")
    charts.sumbu_angka(ax, "x")
    ax.legend(loc="upper right", fontsize=7.5)
    fig.tight_layout()
    _label_tanpa_tumpang(ax, d["n"].to_numpy(), d["pct"].to_numpy(dtype=float),
                         [label.get(k, k) for k in d["kab"]])
    return fig


def tren(tren_long: pd.DataFrame, label: dict[str, str], tuan_rumah: str | None = None) -> Figure:
    """Survey (left) and register (right) prevalence per district, never joined.

    Parameters
    ----------
    tren_long : DataFrame
        ``studi_tiru.hitung.tren_panjang`` output.
    label : dict
        District code → short name.
    tuan_rumah : str, optional
        Host code (drawn thicker).
    """
    charts.apply_style()
    codes = list(dict.fromkeys(tren_long["kab"]))
    colours = dict(zip(codes, _warna_daerah(len(codes)), strict=True))
    fig, axes = plt.subplots(1, 2, figsize=charts.ukuran("penuh", 9.5), sharey=True)
    titles = {"survei": "Survei (SSGI/SKI)", "register": "Register e-PPGBM (putaran terakhir)"}
    for ax, seri in zip(axes, ("survei", "register"), strict=True):
        part = tren_long[tren_long["seri"] == seri]
        for kab in codes:
            g = part[part["kab"] == kab].sort_values("tahun")
            if g.empty:
                continue
            lw = 2.6 if kab == tuan_rumah else 1.5
            ax.plot(g["tahun"], g["prevalensi"], marker="o", ms=3.5, lw=lw, color=colours[kab],
                    label=label.get(kab, kab))
        ax.set_title(titles[seri], fontsize=9)
        years = sorted(part["tahun"].unique()) if len(part) else []
        ax.set_xticks(years, [str(int(y)) for y in years])
        charts.sumbu_persen(ax, "y")
    axes[0].set_ylabel("Prevalensi stunting (%)")
    axes[0].set_ylim(bottom=0)
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=min(5, len(labels)), fontsize=7.5,
               frameon=False)
    fig.tight_layout(rect=(0, 0.1 if len(labels) <= 5 else 0.16, 1, 1))
    return fig


def cakupan_titik(cakupan: pd.DataFrame, banding: pd.DataFrame, tuan_rumah: str,
                  label: dict[str, str], label_indikator: dict[str, str]) -> Figure:
    """Coverage per indicator: the host and each visitor; filled = different beyond noise.

    Parameters
    ----------
    cakupan : DataFrame
        ``studi_tiru.hitung.cakupan_panjang`` output.
    banding : DataFrame
        ``studi_tiru.hitung.banding_cakupan`` output (visitors against the host).
    tuan_rumah : str
        Host code.
    label, label_indikator : dict
        Short names of districts and indicators.
    """
    host = cakupan[cakupan["kab"] == tuan_rumah].drop_duplicates("kode_indikator")
    order = host.sort_values("cakupan_pct")["kode_indikator"].tolist()
    y = {k: i for i, k in enumerate(order)}
    fig, ax = charts.gambar(tinggi_cm=max(8.0, 0.55 * len(order) + 3.0))
    guests = [k for k in dict.fromkeys(banding["kab"])]
    colours = dict(zip(guests, _warna_daerah(len(guests) + 1)[1:], strict=True))
    for i, kab in enumerate(guests):
        g = banding[(banding["kab"] == kab) & banding["kode_indikator"].isin(y)]
        off = (i + 1) * 0.18 - 0.09 * (len(guests) + 1) + 0.09
        yy = g["kode_indikator"].map(y).to_numpy(dtype=float) + off
        sig = g["bermakna"].to_numpy(dtype=bool)
        ax.scatter(g["cakupan_pct"][sig], yy[sig], s=30, color=colours[kab], zorder=3)
        ax.scatter(g["cakupan_pct"][~sig], yy[~sig], s=30, facecolor="white",
                   edgecolor=colours[kab], linewidth=1.1, zorder=3)
    hy = host["kode_indikator"].map(y).to_numpy(dtype=float) - 0.09 * len(guests)
    ax.scatter(host["cakupan_pct"], hy, s=42, marker="D", color=charts.WARNA["target"], zorder=4)
    tgt = host.dropna(subset=["target_pct"])
    ax.scatter(tgt["target_pct"], tgt["kode_indikator"].map(y), marker="|", s=140,
               color=charts.WARNA["buruk"], zorder=2)
    ax.set_yticks(range(len(order)), [label_indikator.get(k, k) for k in order])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlim(0, 105)
    charts.sumbu_persen(ax, "x")
    ax.set_xlabel("Cakupan (%)")
    handles = [Line2D([], [], marker="D", ls="", color=charts.WARNA["target"],
                      label=f"{label.get(tuan_rumah, tuan_rumah)} (tuan rumah)")]
    for kab in guests:
        handles.append(Line2D([], [], marker="o", ls="", color=colours[kab],
                              label=f"{label.get(kab, kab)}: beda bermakna"))
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="white",
                              markeredgecolor=colours[kab], label=f"{label.get(kab, kab)}: setara"))
    handles.append(Line2D([], [], marker="|", ls="", ms=10, color=charts.WARNA["buruk"],
                          label="Target 2024"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.08), ncol=3,
              fontsize=7.5)
    fig.tight_layout()
    return fig


def peta_panas(cakupan: pd.DataFrame, banding: pd.DataFrame, label: dict[str, str],
               label_indikator: dict[str, str]) -> Figure:
    """Province view: coverage of every district × indicator; colour = better/worse than the
    other districts together, only where the difference is larger than its noise.

    Parameters
    ----------
    cakupan : DataFrame
        ``studi_tiru.hitung.cakupan_panjang`` output.
    banding : DataFrame
        ``studi_tiru.hitung.banding_cakupan`` output with ``acuan=None``.
    label, label_indikator : dict
        Short names of districts and indicators.
    """
    codes = list(dict.fromkeys(cakupan["kab"]))
    order = cakupan["jenis"].map({"spesifik": 0, "sensitif": 1}).fillna(2)
    inds = list(dict.fromkeys(cakupan.assign(_o=order).sort_values("_o", kind="stable")
                              ["kode_indikator"]))
    val = cakupan.pivot_table(index="kode_indikator", columns="kab", values="cakupan_pct",
                              aggfunc="first").reindex(index=inds, columns=codes)
    b = banding.assign(lebih=np.where(banding["bermakna"], -banding["keunggulan_pp"], 0.0))
    col = b.pivot_table(index="kode_indikator", columns="kab", values="lebih",
                        aggfunc="first").reindex(index=inds, columns=codes)
    lim = max(5.0, float(np.nanmax(np.abs(col.to_numpy()))) if col.size else 5.0)
    fig, ax = charts.gambar(tinggi_cm=max(10.0, 0.62 * len(inds) + 4.0))
    ax.grid(False)
    im = ax.imshow(col.to_numpy(dtype=float), cmap="RdBu", aspect="auto",
                   norm=TwoSlopeNorm(vmin=-lim, vcenter=0, vmax=lim))
    for i in range(len(inds)):
        for j in range(len(codes)):
            v = float(val.to_numpy(dtype=float)[i, j])
            c = float(col.to_numpy(dtype=float)[i, j])
            strong = not np.isnan(c) and abs(c) > 0.6 * lim
            ax.text(j, i, text.angka(v, 0) if not np.isnan(v) else text.MISSING,
                    ha="center", va="center", fontsize=7,
                    color="white" if strong else "#222222",
                    fontweight="bold" if (not np.isnan(c) and c != 0) else "normal")
    ax.set_xticks(range(len(codes)), [label.get(k, k) for k in codes], rotation=35, ha="right")
    ax.set_yticks(range(len(inds)), [label_indikator.get(k, k) for k in inds])
    for spine in ax.spines.values():
        spine.set_visible(False)
    cb = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    cb.set_label("Selisih terhadap daerah lain (poin persen)", fontsize=7.5)
    cb.ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def anggaran(frame: pd.DataFrame, label: dict[str, str]) -> Figure:
    """Spending per stunted child and per child reached, per district (missing marked).

    Parameters
    ----------
    frame : DataFrame
        ``studi_tiru.hitung.tabel_daerah`` output (``kab, belanja_per_stunting,
        belanja_per_anak_terjangkau``).
    label : dict
        District code → short name.
    """
    charts.apply_style()
    d = frame.sort_values("belanja_per_stunting", na_position="first")
    fig, axes = plt.subplots(1, 2, figsize=charts.ukuran("penuh", max(6.0, 0.6 * len(d) + 3)),
                             sharey=True)
    y = np.arange(len(d))
    specs = [("belanja_per_stunting", "Per anak stunting (register)", "utama"),
             ("belanja_per_anak_terjangkau", "Per balita terjangkau", "kedua")]
    for ax, (col, title, colour) in zip(axes, specs, strict=True):
        v = d[col].astype(float).to_numpy()
        ax.barh(y, np.nan_to_num(v), color=charts.WARNA[colour], height=0.6)
        top = np.nanmax(v) if np.isfinite(v).any() else 1.0
        for yy, value in zip(y, v, strict=True):
            ax.annotate("tidak tersedia" if np.isnan(value) else text.rupiah(value, compact=True),
                        (0 if np.isnan(value) else value, yy), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=7,
                        color="#666666" if np.isnan(value) else "#222222")
        ax.set_title(title, fontsize=9)
        ax.set_xlim(0, top * 1.45)
        ax.xaxis.set_major_formatter(charts.format_rupiah())
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(plt.MaxNLocator(3))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
    axes[0].set_yticks(y, [label.get(k, k) for k in d["kab"]])
    fig.tight_layout()
    return fig
