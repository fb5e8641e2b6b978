"""Choropleth maps of kecamatan and desa/kelurahan (boundaries from
``analysis.reference.boundaries(level)``; geopandas is imported lazily).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import charts, text


def _bins(values: np.ndarray, k: int = 5) -> np.ndarray:
    """Class breaks: rounded quantiles of the values (at least 2 distinct edges)."""
    v = values[~np.isnan(values)]
    if v.size == 0:
        return np.array([0.0, 1.0])
    qs = np.unique(np.round(np.quantile(v, np.linspace(0, 1, k + 1)), 1))
    if qs.size < 2:
        qs = np.array([qs[0], qs[0] + 1.0])
    return qs


def peta(kab: str, level: str, nilai: pd.DataFrame, kolom: str, *,
         kode: str = "kode", judul_legenda: str = "Prevalensi stunting (%)",
         label: bool | list[str] | None = None, kelas: int = 5):
    """Choropleth of one district at ``level`` ("kecamatan" or "desa").

    Parameters
    ----------
    kab : str
        District code (``"64.74"``).
    level : {"kecamatan", "desa"}
        Which boundaries.
    nilai : DataFrame
        ``kode`` (Kemendagri code of the kecamatan ``"64.74.01"`` or desa
        ``"64.74.01.1001"``) and ``kolom`` (percent).
    label : bool or list of str, optional
        Write the unit names on the map: True for all, a list of codes for those only
        (e.g. the lokus; dense desa maps get unreadable otherwise), default all kecamatan
        and no desa.
    kelas : int
        Number of colour classes (quantile breaks).

    Returns
    -------
    Figure, or None when the district has no boundaries at that level.
    """
    import matplotlib.patches as mpatches
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from analysis import reference

    geo = reference.boundaries("kecamatan" if level == "kecamatan" else "desa")
    geo = geo[geo["regency_code"] == kab]
    if geo.empty:
        return None
    vals = nilai[[kode, kolom]].drop_duplicates(kode).set_index(kode)[kolom]
    geo = geo.assign(_v=geo["code"].map(vals).astype(float))
    breaks = _bins(geo["_v"].to_numpy(dtype=float), kelas)
    n_cls = len(breaks) - 1
    palette = charts.PALET_BERURUT[-n_cls:] if n_cls <= len(charts.PALET_BERURUT) else None
    cmap = ListedColormap(palette) if palette else "Blues"
    norm = BoundaryNorm(breaks, n_cls if palette else 256)
    # keep the map's aspect: height from the bounding box, width fixed at 16 cm
    minx, miny, maxx, maxy = geo.total_bounds
    aspect = (maxy - miny) / max(maxx - minx, 1e-9)
    height = float(np.clip(15 * aspect + 2.5, 8, 21))
    fig, ax = charts.gambar(tinggi_cm=height)
    ax.set_axis_off()
    has = geo["_v"].notna()
    if has.any():
        geo[has].plot(ax=ax, column="_v", cmap=cmap, norm=norm, edgecolor="white",
                      linewidth=0.4)
    if (~has).any():
        geo[~has].plot(ax=ax, color="#e6e6e6", edgecolor="white", linewidth=0.4,
                       hatch="///")
    if level == "desa":
        kec = reference.boundaries("kecamatan")
        kec = kec[kec["regency_code"] == kab]
        kec.boundary.plot(ax=ax, color="#444444", linewidth=0.8)
    if label is None:
        label = level == "kecamatan"
    if label is not False and label is not None:
        named = geo if label is True else geo[geo["code"].isin(list(label))]
        for _, row in named.iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(str(row["name"]), (pt.x, pt.y), ha="center", va="center", fontsize=6.5,
                        color="#111111",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.6))
    handles = []
    colours = palette or [None] * n_cls
    for i in range(n_cls):
        handles.append(mpatches.Patch(
            color=colours[i], label=f"{text.angka(breaks[i], 1)}–{text.angka(breaks[i + 1], 1)}"))
    if (~has).any():
        handles.append(mpatches.Patch(facecolor="#e6e6e6", hatch="///", edgecolor="#999999",
                                      label="Tidak ada data"))
    ax.legend(handles=handles, title=judul_legenda, loc="upper left",
              bbox_to_anchor=(1.0, 1.0), fontsize=7.5, title_fontsize=8)
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig
