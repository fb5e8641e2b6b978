"""Choropleth maps: a district by kecamatan or desa/kelurahan, a province by kab/kota.

Boundaries come from :func:`analysis.reference.boundaries` (desa polygons that tile the district,
kecamatan as their union, so there are no gaps). Every map has:

* classes on fixed cut-offs, by default the WHO/UNICEF public-health thresholds for stunting
  prevalence (< 2,5 / 2,5–< 10 / 10–< 20 / 20–< 30 / ≥ 30 %: very low to very high;
  de Onis et al. 2019, *Public Health Nutrition* 22(1):175–179), so that maps of different
  districts and years compare; the legend always lists every class;
* a sequential, colour-blind-safe palette (ColorBrewer YlOrRd, 5 classes: lightness falls
  monotonically, so the order survives protan, deutan and tritan vision and grey print);
* units without a value drawn light grey and hatched, with their own legend entry;
* names that never overlap: a name is written inside its polygon when it fits there; otherwise
  the polygon gets a number and the name goes to a numbered key beside or below the map;
* a scale bar (km) and a north arrow, beside the map.

Artists carry a ``gid`` (``label-nama``, ``label-nomor``, ``kunci``, ``skala``, ``arah-utara``,
``legenda``), so tests and SVG output can find them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import geopandas
import matplotlib.patches as mpatches
import matplotlib.patheffects as pe
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from shapely.ops import polylabel

from analysis import charts, reference, text
from analysis.errors import ParameterError

#: WHO/UNICEF thresholds for the public-health significance of stunting prevalence (%).
BATAS_STUNTING_WHO: tuple[float, ...] = (2.5, 10.0, 20.0, 30.0)
#: Their names (WHO/UNICEF 2019: very low, low, medium, high, very high).
NAMA_KELAS_WHO: tuple[str, ...] = ("sangat rendah", "rendah", "sedang", "tinggi", "sangat tinggi")
#: ColorBrewer YlOrRd, 5 classes (Brewer, colorbrewer2.org: "colorblind safe", "print friendly").
PALET_KELAS: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: Units without a value.
WARNA_KOSONG = "#e0e0e0"
ARSIR_KOSONG = "////"
#: Share of a name's box that must lie inside its polygon (the rest may overhang a neighbour).
INSIDE_SHARE = 0.85
#: Districts of at most this many units get every unit named by default.
LABEL_SEMUA_MAKS = 40

_TEPI_DESA = "#ffffff"
_GARIS_KECAMATAN = "#3a3a3a"
_GARIS_BATAS = "#1a1a1a"
_LATAR_TETANGGA = "#ececec"
_TEPI_TETANGGA = "#c8c8c8"
_KM_PER_DERAJAT = 111.32
_PANEL_CM = 4.4
_PETA_MAKS_CM = 11.2
_TINGGI_MAKS_CM = 18.5
_HALO = [pe.withStroke(linewidth=2.2, foreground="white")]


# ------------------------------------------------------------------------------------ classes

def _angka_batas(x: float) -> str:
    return text.angka(x, 0 if float(x).is_integer() else 1)


def label_kelas(batas: Sequence[float], nama: Sequence[str] | None = None) -> list[str]:
    """Legend labels of the classes cut at ``batas``: ``"< 2,5"``, ``"2,5–< 10"``, ..., ``"≥ 30"``.

    Parameters
    ----------
    batas : sequence of float
        Increasing inner cut-offs (percent); ``len(batas) + 1`` classes.
    nama : sequence of str, optional
        A name per class, appended in brackets (``"< 2,5 (sangat rendah)"``).
    """
    b = [float(x) for x in batas]
    if any(x >= y for x, y in zip(b, b[1:], strict=False)):
        raise ParameterError("kelas", "batas kelas harus naik.", allowed="mis. (2.5, 10, 20, 30)")
    labels = [f"< {_angka_batas(b[0])}"]
    labels += [f"{_angka_batas(lo)}–< {_angka_batas(hi)}" for lo, hi in zip(b, b[1:], strict=False)]
    labels.append(f"≥ {_angka_batas(b[-1])}")
    if nama is not None:
        if len(nama) != len(labels):
            raise ParameterError("nama_kelas", f"perlu {len(labels)} nama kelas, bukan {len(nama)}.")
        labels = [f"{lab} ({n})" for lab, n in zip(labels, nama, strict=True)]
    return labels


def kelas(nilai: np.ndarray, batas: Sequence[float] = BATAS_STUNTING_WHO) -> np.ndarray:
    """Class index of each value (0 below the first cut-off; a value on a cut-off goes up); -1 if missing."""
    v = np.asarray(nilai, dtype=float)
    out = np.digitize(v, np.asarray(batas, dtype=float), right=False)
    return np.where(np.isnan(v), -1, out)


def _palet(n: int) -> list[str]:
    if n == len(PALET_KELAS):
        return list(PALET_KELAS)
    import matplotlib as mpl  # noqa: PLC0415 - only for a non-default number of classes

    cmap = mpl.colormaps["YlOrRd"]
    return [mpl.colors.to_hex(cmap(x)) for x in np.linspace(0.08, 0.92, n)]


# ------------------------------------------------------------------------------------- labels

@dataclass
class _Label:
    code: str
    name: str
    geom: shapely.Geometry
    bold: bool


def _anchor_points(geom: shapely.Geometry, grid: int = 9) -> list[shapely.Point]:
    """Candidate label positions in the largest part: its pole of inaccessibility first, then
    points of a ``grid`` × ``grid`` lattice inside it, deepest inside first."""
    main = max(shapely.get_parts(geom), key=lambda p: p.area)
    minx, miny, maxx, maxy = main.bounds
    pole = polylabel(main, tolerance=max(maxx - minx, maxy - miny) / 100 or 1e-6)
    xs, ys = np.meshgrid(np.linspace(minx, maxx, grid + 2)[1:-1], np.linspace(miny, maxy, grid + 2)[1:-1])
    lattice = shapely.points(xs.ravel(), ys.ravel())
    inside = lattice[shapely.contains(main, lattice)]
    depth = shapely.distance(inside, main.exterior)
    return [pole, *inside[np.argsort(-depth)]]


@cache
def _measure_renderer() -> RendererAgg:
    """An Agg renderer used only to measure text (at 100 dpi)."""
    return RendererAgg(10, 10, 100)


@dataclass
class _Placed:
    text: str
    x: float
    y: float
    kind: str                      # "nama" or "nomor"
    bold: bool
    leader_from: tuple[float, float] | None = None


class _Placer:
    """Places text boxes inside polygons without overlaps (sizes measured with the real font).

    Works in data units (degrees) of a map ``width_cm`` wide showing ``x_range`` degrees, so it
    needs no figure: the placement is done once and drawn into the final layout.
    """

    def __init__(self, x_range: float, width_cm: float, stretch: float, size_pt: float):
        self.renderer = _measure_renderer()
        self.size_pt = size_pt
        px = width_cm * charts.CM * self.renderer.dpi
        self.per_px_x = x_range / px
        self.per_px_y = self.per_px_x / stretch
        self.taken: list[shapely.Polygon] = []
        self._sizes: dict[tuple[str, bool, float], tuple[float, float]] = {}

    def size(self, label: str, bold: bool = False, size_pt: float | None = None) -> tuple[float, float]:
        pt = size_pt or self.size_pt
        cached = self._sizes.get((label, bold, pt))
        if cached is not None:
            return cached
        prop = FontProperties(family=str(charts.STYLE["font.family"]), size=pt, weight="bold" if bold else "normal")
        w = h = 0.0
        for line in label.split("\n"):
            lw, lh, _ = self.renderer.get_text_width_height_descent(line, prop, ismath=False)
            w, h = max(w, lw), h + lh * 1.2
        out = ((w + 3) * self.per_px_x, (h + 2) * self.per_px_y)  # + halo
        self._sizes[(label, bold, pt)] = out
        return out

    @staticmethod
    def box(x: float, y: float, wh: tuple[float, float]) -> shapely.Polygon:
        w, h = wh
        return shapely.box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    def free(self, rect: shapely.Polygon) -> bool:
        return not any(rect.intersects(t) for t in self.taken)

    def inside(self, label: str, geom: shapely.Geometry, points: list[shapely.Point],
               bold: bool) -> tuple[float, float, str] | None:
        """A free position where ``label`` (on one, two or three lines) lies inside ``geom``
        (at least :data:`INSIDE_SHARE` of its box)."""
        variants = [label]
        words = label.split()
        if len(words) > 1:
            cut = int(np.argmin([abs(len(" ".join(words[:i])) - len(" ".join(words[i:])))
                                 for i in range(1, len(words))])) + 1
            variants.append(" ".join(words[:cut]) + "\n" + " ".join(words[cut:]))
        if len(words) > 2:
            variants.append("\n".join(words))
        shapely.prepare(geom)
        for variant in variants:
            wh = self.size(variant, bold)
            for p in points:
                rect = self.box(p.x, p.y, wh)
                if not self.free(rect):
                    continue
                if geom.contains(rect) or (
                        shapely.area(shapely.clip_by_rect(geom, *rect.bounds)) >= INSIDE_SHARE * rect.area):
                    self.taken.append(rect)
                    return p.x, p.y, variant
        return None

    def number(self, label: str, points: list[shapely.Point], size_pt: float) -> tuple[float, float, bool]:
        """Where a number goes: the first free candidate inside its polygon; else the first free
        spot on rings around the pole (then with a leader line, the third value True); else the
        pole itself."""
        wh = self.size(label, True, size_pt)
        for p in points:
            rect = self.box(p.x, p.y, wh)
            if self.free(rect):
                self.taken.append(rect)
                return p.x, p.y, False
        pole = points[0]
        step = max(wh)
        for ring in (1.6, 2.6, 3.6):
            for angle in np.linspace(0, 2 * np.pi, 12, endpoint=False):
                x, y = pole.x + ring * step * np.cos(angle), pole.y + ring * step * np.sin(angle)
                rect = self.box(x, y, wh)
                if self.free(rect):
                    self.taken.append(rect)
                    return x, y, True
        self.taken.append(self.box(pole.x, pole.y, wh))
        return pole.x, pole.y, False


def _place_labels(labels: list[_Label], placer: _Placer) -> tuple[list[_Placed], list[tuple[int, str]]]:
    """Names that fit go inside their polygon; the others get a number. Returns what to draw
    and the key: (number, name), numbered in code order."""
    anchors = {lab.code: _anchor_points(lab.geom) for lab in labels}
    placed: list[_Placed] = []
    numbered: list[_Label] = []
    # larger polygons first: they have room, and small neighbours then see what is taken
    for lab in sorted(labels, key=lambda la: (not la.bold, -la.geom.area)):
        spot = placer.inside(lab.name, lab.geom, anchors[lab.code], lab.bold)
        if spot is None:
            numbered.append(lab)
        else:
            placed.append(_Placed(spot[2], spot[0], spot[1], "nama", lab.bold))
    key: list[tuple[int, str]] = []
    for i, lab in enumerate(sorted(numbered, key=lambda la: la.code), start=1):
        x, y, leader = placer.number(str(i), anchors[lab.code], placer.size_pt - 0.5)
        pole = anchors[lab.code][0]
        placed.append(_Placed(str(i), x, y, "nomor", True, (pole.x, pole.y) if leader else None))
        key.append((i, lab.name))
    return placed, key


def _draw_labels(ax, placed: list[_Placed], size_pt: float) -> None:
    for p in placed:
        if p.leader_from is not None:  # a line from the number to a dot in its polygon
            ax.plot([p.leader_from[0], p.x], [p.leader_from[1], p.y], color="#111111", linewidth=0.45,
                    zorder=5, gid="garis-penunjuk", solid_capstyle="round")
            ax.plot([p.leader_from[0]], [p.leader_from[1]], marker="o", markersize=1.6, color="#111111",
                    markeredgewidth=0, zorder=5, gid="garis-penunjuk")
        ax.text(p.x, p.y, p.text, ha="center", va="center", color="#111111",
                fontsize=size_pt if p.kind == "nama" else size_pt - 0.5,
                fontweight="bold" if p.bold else "normal", path_effects=_HALO, gid=f"label-{p.kind}",
                linespacing=1.0, zorder=6)


# -------------------------------------------------------------------------------------- layout

def _extent(geo: geopandas.GeoDataFrame) -> tuple[float, float, float, float, float]:
    """Bounds with a 3 % margin and the y stretch (1 / cos of the mean latitude)."""
    minx, miny, maxx, maxy = geo.total_bounds
    dx, dy = max(maxx - minx, 1e-6), max(maxy - miny, 1e-6)
    pad = 0.03 * max(dx, dy)
    stretch = 1.0 / math.cos(math.radians((miny + maxy) / 2))
    return minx - pad, miny - pad, maxx + pad, maxy + pad, stretch


def _key_rows(n: int, columns: int) -> int:
    return math.ceil(n / columns) if n else 0


def _map_size_cm(bounds: tuple[float, float, float, float, float]) -> tuple[float, float]:
    """Width and height (cm) of the map: at most 11,2 cm wide and 18,5 cm tall, true aspect."""
    minx, miny, maxx, maxy, stretch = bounds
    ratio = (maxy - miny) * stretch / (maxx - minx)          # height / width on paper
    width_cm, height_cm = _PETA_MAKS_CM, _PETA_MAKS_CM * ratio
    if height_cm > _TINGGI_MAKS_CM:
        height_cm, width_cm = _TINGGI_MAKS_CM, _TINGGI_MAKS_CM / ratio
    return width_cm, height_cm


def _layout(bounds: tuple[float, float, float, float, float], n_key: int):
    """Figure, map axes and side panel; the map axes have the map's own aspect.

    The map is at most 11,2 cm wide and 18,5 cm tall (A4 text block, caption below); the side
    panel (4,4 cm) holds the legend, scale bar, north arrow and, when it fits there, the key of
    numbered names, which otherwise goes below the map in four columns.
    """
    minx, miny, maxx, maxy, _ = bounds
    width_cm, height_cm = _map_size_cm(bounds)
    line_cm = 0.3
    box_cm = max(height_cm, 7.6)                             # legend, scale bar and arrow need 7,6 cm
    key_side = n_key * line_cm <= box_cm - 7.6
    below_rows = 0 if key_side else _key_rows(n_key, 4)
    below_cm = below_rows * line_cm + 0.35 if below_rows else 0.0
    fig_w_cm = charts.LEBAR_PENUH / charts.CM
    fig_h_cm = box_cm + below_cm + 0.3
    charts.apply_style()
    # a plain Figure (no pyplot state); savefig picks the backend for the format asked
    fig = Figure(figsize=(charts.LEBAR_PENUH, fig_h_cm * charts.CM))
    map_left_cm = max(0.1, (fig_w_cm - _PANEL_CM - 0.2 - width_cm) / 2)
    map_bottom_cm = below_cm + 0.15 + (box_cm - height_cm) / 2
    ax = fig.add_axes((map_left_cm / fig_w_cm, map_bottom_cm / fig_h_cm, width_cm / fig_w_cm,
                       height_cm / fig_h_cm))
    # limits are the bounds themselves: the axes box already has their aspect
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_axis_off()
    side = fig.add_axes(((fig_w_cm - _PANEL_CM - 0.1) / fig_w_cm, (below_cm + 0.15) / fig_h_cm,
                         _PANEL_CM / fig_w_cm, box_cm / fig_h_cm))
    side.set_axis_off()
    side.set_xlim(0, _PANEL_CM)
    side.set_ylim(0, box_cm)
    return fig, ax, side, {"key_side": key_side, "below_cm": below_cm, "fig_h_cm": fig_h_cm,
                           "box_cm": box_cm, "fig_w_cm": fig_w_cm, "line_cm": line_cm}


def _nice_km(width_km: float) -> float:
    target = width_km / 4
    for km in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if km > target:
            break
        best = km
    return best if target >= 0.5 else 0.25


def _scale_bar(side, ax, fig: Figure, y_cm: float) -> None:
    """A two-segment scale bar with the map's own scale, drawn in the side panel."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lat = math.radians((y0 + y1) / 2)
    km_per_deg = _KM_PER_DERAJAT * math.cos(lat)
    map_w_cm = ax.get_position().width * fig.get_figwidth() / charts.CM
    width_km = (x1 - x0) * km_per_deg
    km = _nice_km(width_km)
    bar_cm = km / width_km * map_w_cm
    x = 0.15
    for i in range(2):
        side.add_patch(mpatches.Rectangle((x + i * bar_cm / 2, y_cm), bar_cm / 2, 0.16,
                                          facecolor="#222222" if i == 0 else "white",
                                          edgecolor="#222222", linewidth=0.6, gid="skala"))
    for pos, value in ((0, 0.0), (bar_cm / 2, km / 2), (bar_cm, km)):
        side.text(x + pos, y_cm + 0.28, text.angka(value, 0 if float(value).is_integer() else 1),
                  ha="center", va="bottom", fontsize=6.5, gid="skala")
    side.text(x + bar_cm + 0.15, y_cm + 0.08, "km", ha="left", va="center", fontsize=6.5, gid="skala")


def _north_arrow(side, y_cm: float) -> None:
    """A north arrow (maps are drawn in longitude/latitude: north is up)."""
    side.add_patch(mpatches.FancyArrow(0.45, y_cm, 0, 0.75, width=0.14, head_width=0.42, head_length=0.32,
                                       length_includes_head=True, color="#222222", gid="arah-utara"))
    side.text(0.45, y_cm + 0.85, "U", ha="center", va="bottom", fontsize=8, fontweight="bold",
              gid="arah-utara")


def _legend(side, handles: list, title: str, top_cm: float) -> float:
    """The class legend at the top of the side panel; returns its height (cm)."""
    leg = side.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(0.0, top_cm),
                      bbox_transform=side.transData, fontsize=7, title_fontsize=7.5, frameon=False,
                      alignment="left", handlelength=1.6, handleheight=1.1, borderaxespad=0.0)
    leg.set_gid("legenda")
    return 0.45 * (len(handles) + 1) + 0.2


def _key_column(target, x: float, y: float, entries: list[tuple[int, str]], transform) -> None:
    """One column of the key: numbers right-aligned, names left-aligned, rows level."""
    style = dict(va="top", fontsize=6.3, linespacing=1.25, gid="kunci", transform=transform)
    target.text(x, y, "\n".join(str(i) for i, _ in entries), ha="right", fontweight="bold", **style)
    target.text(x + 0.12 * _one_cm(target), y, "\n".join(n for _, n in entries), ha="left", **style)


def _one_cm(target) -> float:
    """Width of 1 cm in the coordinates of ``target`` (the side panel: cm; the figure: fraction)."""
    return 1.0 if hasattr(target, "get_xlim") else charts.CM / target.get_figwidth()


def _key_text(side, fig: Figure, key: list[tuple[int, str]], layout: dict, top_cm: float) -> None:
    """The numbered key: in the side panel under the legend, or below the map in four columns."""
    if not key:
        return
    if layout["key_side"]:
        _key_column(side, 0.45, top_cm, key, side.transData)
        return
    rows = _key_rows(len(key), 4)
    for c in range(4):
        chunk = key[c * rows:(c + 1) * rows]
        if chunk:
            _key_column(fig, (0.6 + c * 3.95) / layout["fig_w_cm"],
                        (layout["below_cm"] + 0.05) / layout["fig_h_cm"], chunk, fig.transFigure)


def _note(side, lines: list[str], y_cm: float) -> None:
    if lines:
        side.text(0.1, y_cm, "\n".join(lines), ha="left", va="top", fontsize=6, color="#444444",
                  linespacing=1.2, gid="catatan-peta", wrap=True)


def _values(geo: geopandas.GeoDataFrame, nilai: pd.DataFrame, kode: str, kolom: str) -> np.ndarray:
    for column in (kode, kolom):
        if column not in nilai.columns:
            raise ParameterError("nilai", f"kolom '{column}' tidak ada di tabel nilai peta.",
                                 allowed=", ".join(map(str, nilai.columns)))
    vals = nilai[[kode, kolom]].drop_duplicates(kode).set_index(kode)[kolom]
    return pd.to_numeric(geo["code"].map(vals), errors="coerce").to_numpy(dtype=float)


def _draw(geo: geopandas.GeoDataFrame, values: np.ndarray, *, batas: Sequence[float],
          nama_kelas: Sequence[str] | None,
          judul_legenda: str, named: set[str], bold: set[str], names: dict[str, str], size_pt: float,
          lines: list[tuple[geopandas.GeoSeries, str, float]], context: geopandas.GeoDataFrame | None,
          notes: list[str], edge: float) -> Figure:
    """Shared drawing: classes, polygons (white borders ``edge`` pt wide), outlines, labels, legend,
    key, scale bar, north arrow."""
    bounds = _extent(geo)
    if nama_kelas is None:
        nama_kelas = NAMA_KELAS_WHO if tuple(float(b) for b in batas) == BATAS_STUNTING_WHO else None
    elif not len(nama_kelas):
        nama_kelas = None
    cls = kelas(values, batas)
    n_cls = len(batas) + 1
    palette = _palet(n_cls)
    # labels are placed once, in map units; the key's length then sets the layout
    labels = [_Label(c, names[c], g, c in bold) for c, g in zip(geo["code"], geo.geometry, strict=True)
              if c in named]
    width_cm, _ = _map_size_cm(bounds)
    placer = _Placer(bounds[2] - bounds[0], width_cm, bounds[4], size_pt)
    placed, key = _place_labels(labels, placer) if labels else ([], [])
    fig, ax, side, layout = _layout(bounds, n_key=len(key))
    if context is not None and len(context):
        context.plot(ax=ax, color=_LATAR_TETANGGA, edgecolor=_TEPI_TETANGGA, linewidth=0.4, zorder=0)
    has = cls >= 0
    if has.any():
        geo[has].plot(ax=ax, color=[palette[i] for i in cls[has]], edgecolor=_TEPI_DESA, linewidth=edge,
                      zorder=2)
    if (~has).any():
        geo[~has].plot(ax=ax, facecolor=WARNA_KOSONG, edgecolor="#9a9a9a", hatch=ARSIR_KOSONG,
                       linewidth=edge, zorder=2)
    for series, colour, width in lines:
        series.boundary.plot(ax=ax, color=colour, linewidth=width, zorder=3)
    _draw_labels(ax, placed, size_pt)

    handles = [mpatches.Patch(facecolor=c, edgecolor="#9a9a9a", linewidth=0.4, label=lab)
               for c, lab in zip(palette, label_kelas(batas, nama_kelas), strict=True)]
    if (~has).any():
        handles.append(mpatches.Patch(facecolor=WARNA_KOSONG, edgecolor="#9a9a9a", hatch=ARSIR_KOSONG,
                                      linewidth=0.4, label="Tidak ada data"))
    if context is not None and len(context):
        handles.append(mpatches.Patch(facecolor=_LATAR_TETANGGA, edgecolor=_TEPI_TETANGGA, linewidth=0.4,
                                      label="Kabupaten/kota lain"))
    top = layout["box_cm"]
    used = _legend(side, handles, judul_legenda, top)
    y = top - used - 0.25
    _scale_bar(side, ax, fig, y - 0.5)
    _north_arrow(side, y - 1.85)
    y_after = y - 2.2
    if key and layout["key_side"]:
        _key_text(side, fig, key, layout, y_after)
        y_after -= layout["line_cm"] * len(key) + 0.2
    elif key:
        _key_text(side, fig, key, layout, 0)
    _note(side, notes, y_after)
    return fig


# ----------------------------------------------------------------------------------- the maps

def peta(kab: str, level: str, nilai: pd.DataFrame, kolom: str, *, kode: str = "kode",
         judul_legenda: str = "Prevalensi stunting (%)", label: bool | Sequence[str] | None = None,
         kelas: Sequence[float] = BATAS_STUNTING_WHO, nama_kelas: Sequence[str] | None = None,
         tetangga: bool = True) -> Figure | None:
    """Choropleth of one district at ``level`` ("kecamatan" or "desa").

    Parameters
    ----------
    kab : str
        District code (``"64.74"``); any of the 514 kab/kota.
    level : {"kecamatan", "desa"}
        Which units.
    nilai : DataFrame
        ``kode`` (Kemendagri code of the kecamatan ``"64.74.01"`` or desa ``"64.74.01.1001"``)
        and ``kolom`` (percent). Units without a row or with an empty value are "no data".
    label : bool or sequence of str, optional
        Which units are named. ``None`` (default): every unit when the district has at most
        :data:`LABEL_SEMUA_MAKS` units at that level, else none. ``True``: every unit;
        ``False``: none. A list of codes (e.g. the lokus): those are named in bold, and in a
        district of at most :data:`LABEL_SEMUA_MAKS` units the others are named too. A name that
        does not fit inside its polygon becomes a number with the name in the key.
    kelas : sequence of float
        Inner class cut-offs (percent); default the WHO stunting thresholds.
    nama_kelas : sequence of str, optional
        Class names for the legend; by default the WHO names for the WHO cut-offs and none for
        other cut-offs; ``()`` for none.
    tetangga : bool
        Draw the neighbouring kab/kota in light grey for orientation.

    Returns
    -------
    matplotlib.figure.Figure, or None when the district has no polygons at that level.
    """
    if level not in ("kecamatan", "desa"):
        raise ParameterError("level", f"tingkat peta '{level}' tidak dikenal.", allowed="kecamatan, desa")
    geo = reference.boundaries(level, kab)
    if geo.empty:
        return None
    values = _values(geo, nilai, kode, kolom)
    codes = list(geo["code"])
    named: set[str]
    bold: set[str]
    if label is True:
        named, bold = set(codes), set()
    elif label is False:
        named, bold = set(), set()
    else:
        bold = set(label or []) & set(codes)
        named = set(codes) if len(codes) <= LABEL_SEMUA_MAKS else set(bold)
    names = dict(zip(geo["code"], geo["name"], strict=True))
    if level == "desa":
        counts = geo["name"].value_counts()
        names = {c: (f"{n} ({k})" if counts[n] > 1 else n)
                 for c, n, k in zip(geo["code"], geo["name"], geo["district_name"], strict=True)}
    lines: list[tuple[geopandas.GeoSeries, str, float]] = []
    district = reference.boundaries("kecamatan", kab) if level == "desa" else geo
    if level == "desa":
        lines.append((district.geometry, _GARIS_KECAMATAN, 0.55))
    outline = geopandas.GeoSeries([shapely.coverage_union_all(district.geometry.to_numpy())], crs=geo.crs)
    lines.append((outline, _GARIS_BATAS, 0.75))
    context = _neighbours(kab, geo) if tetangga else None
    notes = []
    if level == "desa":
        missing = reference.villages(kab).query("~has_boundary")
        if len(missing):
            notes.append(f"{len(missing)} desa/kelurahan belum punya batas sendiri; wilayahnya termasuk "
                         "dalam desa induknya.")
    return _draw(geo, values, batas=kelas, nama_kelas=nama_kelas, judul_legenda=judul_legenda, named=named,
                 bold=bold, names=names, size_pt=6.5 if level == "desa" else 7.0, lines=lines,
                 context=context, notes=notes, edge=0.3 if level == "desa" else 0.8)


@cache
def _all_kabkota() -> geopandas.GeoDataFrame:
    """The national kab/kota layer, decoded once per process (read-only here)."""
    return reference.boundaries("kabkota")


def _neighbours(kab: str, geo: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """The other kab/kota whose polygons reach into the map's extent."""
    minx, miny, maxx, maxy, _ = _extent(geo)
    every = _all_kabkota()
    near = every.cx[minx:maxx, miny:maxy]
    return near[near["code"] != kab]


def peta_provinsi(provinsi: str, nilai: pd.DataFrame, kolom: str, *, kode: str = "kode",
                  judul_legenda: str = "Prevalensi stunting (%)", label: bool | Sequence[str] | None = True,
                  kelas: Sequence[float] = BATAS_STUNTING_WHO,
                  nama_kelas: Sequence[str] | None = None) -> Figure:
    """Choropleth of a province by kab/kota (for the province view of the studi tiru).

    Parameters
    ----------
    provinsi : str
        Province code (``"64"``).
    nilai : DataFrame
        ``kode`` (kab/kota code ``"64.74"``) and ``kolom`` (percent).
    label : bool or sequence of str
        ``True`` (default): every kab/kota named (short name, "Kota ..." for a kota); a list of
        codes: those only, in bold.
    kelas, nama_kelas : as in :func:`peta`.
    """
    geo = reference.boundaries("kabkota", province=provinsi)
    values = _values(geo, nilai, kode, kolom)
    short = reference.regencies(province=provinsi).set_index("regency_code")
    names = {c: (f"Kota {short.loc[c, 'regency_name_short']}" if short.loc[c, "regency_type"] == "kota"
                 else str(short.loc[c, "regency_name_short"])) for c in geo["code"]}
    codes = set(geo["code"])
    named: set[str]
    bold: set[str]
    if label is True:
        named, bold = codes, set()
    elif label is False or label is None:
        named, bold = set(), set()
    else:
        named = bold = set(label) & codes
    outline = geopandas.GeoSeries([shapely.coverage_union_all(geo.geometry.to_numpy())], crs=geo.crs)
    return _draw(geo, values, batas=kelas, nama_kelas=nama_kelas, judul_legenda=judul_legenda, named=named,
                 bold=bold, names=names, size_pt=7.0, lines=[(outline, _GARIS_BATAS, 0.75)], context=None,
                 notes=[], edge=0.8)
