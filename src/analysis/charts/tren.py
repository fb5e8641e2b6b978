"""Prevalence trend chart of the annual review: register rounds, the survey
series (kept apart and labelled by source), the fitted trend with its
projection band, and the targets."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis import charts, text


def tren_prevalensi(putaran: pd.DataFrame, survei: pd.DataFrame, kurva: pd.DataFrame,
                    target: pd.DataFrame, tahun: int) -> Figure:
    """Register prevalence per weighing round against surveys, trend and targets.

    Parameters
    ----------
    putaran : DataFrame
        ``analysis.trend.register_rounds`` output (``waktu``, ``prevalensi``,
        ``ci_bawah``, ``ci_atas``; percent).
    survei : DataFrame
        ``analysis.trend.survey_series`` output (``tahun``, ``sumber``,
        ``prevalensi``).
    kurva : DataFrame
        ``analysis.trend.project`` on a time grid (``waktu``, ``prevalensi``,
        ``ci_bawah``, ``ci_atas``); may be empty (no model).
    target : DataFrame
        ``analysis.laporan.reviu_kinerja.hitung.targets_table`` output (``label``, ``target_pct``,
        ``tahun_target``).
    tahun : int
        Review year: the trend line is solid up to it and dashed after.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Survey figures are drawn at mid-year of their survey year with their own
    colour and marker and labelled with their source; they are never joined
    to the register line.
    """
    fig, ax = charts.gambar(tinggi_cm=12)
    _model(ax, kurva, tahun)
    _register(ax, putaran)
    _survei(ax, survei)
    _target(ax, target)
    _sumbu(ax, putaran, survei, kurva, target)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=7.5)
    fig.tight_layout()
    return fig


def _model(ax: Axes, kurva: pd.DataFrame, tahun: int) -> None:
    """The fitted trend: solid up to the review year, dashed after, with its band."""
    if not len(kurva):
        return
    w = charts.WARNA
    ax.fill_between(kurva["waktu"], kurva["ci_bawah"], kurva["ci_atas"], color=w["latar"],
                    edgecolor="none", label="Model GLM: IK 95 %", zorder=1)
    edge = tahun + 1.0
    past = kurva[kurva["waktu"] <= edge]
    future = kurva[kurva["waktu"] >= edge]
    ax.plot(past["waktu"], past["prevalensi"], color=w["netral"], lw=1.2, zorder=2,
            label="Model GLM: tren")
    ax.plot(future["waktu"], future["prevalensi"], color=w["netral"], lw=1.2, ls="--",
            zorder=2, label="Model GLM: proyeksi")


def _register(ax: Axes, putaran: pd.DataFrame) -> None:
    if not len(putaran):
        return
    err = np.vstack([putaran["prevalensi"] - putaran["ci_bawah"],
                     putaran["ci_atas"] - putaran["prevalensi"]])
    ax.errorbar(putaran["waktu"], putaran["prevalensi"], yerr=err, fmt="o-",
                color=charts.WARNA["utama"], ms=4.5, capsize=2, lw=1.4, zorder=4,
                label="Register e-PPGBM per putaran (IK 95 %)")


def _survei(ax: Axes, survei: pd.DataFrame) -> None:
    """Survey points at mid-year, labelled with their source, never joined to the register."""
    if not len(survei):
        return
    colour = charts.WARNA["kedua"]
    ax.plot(survei["tahun"] + 0.5, survei["prevalensi"], "s", color=colour, ms=6,
            zorder=5, label="Survei (SSGI/SKI)")
    r: Any
    for r in survei.itertuples():
        ax.annotate(f"{r.sumber}\n{text.persen(r.prevalensi)}", (r.tahun + 0.5, r.prevalensi),
                    textcoords="offset points", xytext=(0, 7), ha="center", fontsize=7.5,
                    color=colour)


def _target(ax: Axes, target: pd.DataFrame) -> None:
    """One marker per distinct target (value, year); targets sharing one are named together."""
    colour = charts.WARNA["target"]
    markers = ["*", "D", "P", "X", "v"]
    groups = (target.groupby(["target_pct", "tahun_target"], sort=True)["label"]
              .agg(lambda x: text.daftar(list(dict.fromkeys(x)))).reset_index())
    r: Any
    for i, r in enumerate(groups.itertuples()):
        x = r.tahun_target + 0.5
        ax.plot([x], [r.target_pct], marker=markers[i % len(markers)], ms=9, ls="none",
                color=colour, zorder=6,
                label=f"{r.label}: {text.persen(r.target_pct)} ({r.tahun_target})")
        side = -1 if i % 2 == 0 else 1
        ax.annotate(text.persen(r.target_pct), (x, r.target_pct), textcoords="offset points",
                    xytext=(10 * side, 0), va="center", ha="right" if side < 0 else "left",
                    fontsize=7.5, color=colour)


def _sumbu(ax: Axes, putaran: pd.DataFrame, survei: pd.DataFrame, kurva: pd.DataFrame,
           target: pd.DataFrame) -> None:
    """Whole years on the x axis (ticks mid-year), room above the highest point."""
    xs = [v for v in (putaran.get("waktu"), survei.get("tahun"), kurva.get("waktu"),
                      target.get("tahun_target")) if v is not None and len(v)]
    lo = int(np.floor(min(float(np.min(v)) for v in xs)))
    hi = int(np.floor(max(float(np.max(v)) for v in xs)))
    ax.set_xlim(lo, hi + 1)
    ax.set_xticks([y + 0.5 for y in range(lo, hi + 1)])
    ax.set_xticklabels([str(y) for y in range(lo, hi + 1)])
    top = [v for v in (putaran.get("ci_atas"), survei.get("prevalensi"), kurva.get("ci_atas"))
           if v is not None and len(v)]
    ax.set_ylim(0, max(float(np.nanmax(v)) for v in top) * 1.22 if top else 30)
    charts.sumbu_persen(ax)
    ax.set_ylabel("Prevalensi stunting")
