"""Maps (``analysis.charts.peta``): what is drawn, checked on the figure's artists.

Expected class labels: WHO/UNICEF thresholds for stunting prevalence (de Onis et al. 2019,
Public Health Nutrition 22(1):175-179): < 2.5 very low, 2.5-< 10 low, 10-< 20 medium,
20-< 30 high, >= 30 very high. Colour-vision simulation: Machado, Oliveira & Fernandes 2009,
IEEE TVCG 15(6):1291-1298, matrices for severity 1.0 (applied to linear sRGB).
"""

from __future__ import annotations

import math
from itertools import combinations

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection, PathCollection, PolyCollection

from analysis import reference
from analysis.charts import peta
from analysis.errors import ParameterError

WHO_LABELS = ["< 2,5 (sangat rendah)", "2,5–< 10 (rendah)", "10–< 20 (sedang)", "20–< 30 (tinggi)",
              "≥ 30 (sangat tinggi)"]


def _values(table: pd.DataFrame, code: str, values) -> pd.DataFrame:
    return pd.DataFrame({"kode": table[code].to_numpy(), "pct": values})


def _texts(fig, gid: str) -> list:
    return [t for t in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == gid)
            if hasattr(t, "get_text")]


def _legend_texts(fig) -> list[str]:
    legends = [a for ax in fig.axes for a in [ax.get_legend()] if a is not None]
    assert len(legends) == 1
    return [t.get_text() for t in legends[0].get_texts()]


def _key_names(fig) -> list[str]:
    """Names in the key (the left-aligned column of each key block)."""
    blocks = [t for t in _texts(fig, "kunci") if t.get_horizontalalignment() == "left"]
    return [line for t in blocks for line in t.get_text().split("\n")]


def test_classes_follow_the_who_cut_offs():
    values = [0.0, 2.49, 2.5, 9.99, 10.0, 19.99, 20.0, 29.99, 30.0, 80.0, np.nan]
    assert peta.kelas(np.array(values)).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]
    assert peta.label_kelas(peta.BATAS_STUNTING_WHO, peta.NAMA_KELAS_WHO) == WHO_LABELS
    assert peta.label_kelas([5, 12.5]) == ["< 5", "5–< 12,5", "≥ 12,5"]
    with pytest.raises(ParameterError):
        peta.label_kelas([10, 5])


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = np.clip(linear_rgb, 0, 1) @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


MACHADO = {
    "normal": np.eye(3),
    "protan": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                        [-0.003882, -0.048116, 1.051998]]),
    "deutan": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                        [-0.011820, 0.042940, 0.968881]]),
    "tritan": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                        [0.004733, 0.691367, 0.303900]]),
}


@pytest.mark.parametrize("vision", list(MACHADO))
def test_palette_keeps_its_order_for_colour_blind_readers(vision):
    rgb = np.array([mcolors.to_rgb(c) for c in peta.PALET_KELAS])
    lab = _lab(_linear(rgb) @ MACHADO[vision].T)
    lightness = lab[:, 0]
    assert np.all(np.diff(lightness) < -5), lightness  # darker with each class, clearly
    gaps = np.linalg.norm(np.diff(lab, axis=0), axis=1)
    assert gaps.min() > 10, gaps  # neighbouring classes stay apart (CIE76 ΔE)
    # "no data" grey is set apart from every class by its hatching, and from the lightest class
    grey = _lab(_linear(np.array([mcolors.to_rgb(peta.WARNA_KOSONG)])) @ MACHADO[vision].T)
    assert np.linalg.norm(grey - lab[0]) > 8


@pytest.fixture(scope="module")
def bontang_desa():
    vil = reference.villages("64.74")
    values = np.r_[np.linspace(1, 45, len(vil) - 2), np.nan, np.nan]
    fig = peta.peta("64.74", "desa", _values(vil, "village_code", values), "pct")
    FigureCanvasAgg(fig).draw()
    return fig, vil


def test_every_kelurahan_of_a_city_is_named_without_overlap(bontang_desa):
    fig, vil = bontang_desa
    names = [t.get_text().replace("\n", " ") for t in _texts(fig, "label-nama")]
    numbers = _texts(fig, "label-nomor")
    key = _key_names(fig)
    assert len(names) + len(numbers) == 15
    assert len(key) == len(numbers)
    assert sorted(names + key) == sorted(vil["village_name"])
    assert [t.get_text() for t in numbers] == [str(i) for i in range(1, len(numbers) + 1)]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in _texts(fig, "label-nama") + numbers]
    overlaps = [(a, b) for a, b in combinations(range(len(boxes)), 2) if boxes[a].overlaps(boxes[b])]
    assert not overlaps


def test_legend_lists_the_who_classes_and_no_data(bontang_desa):
    fig, _ = bontang_desa
    assert _legend_texts(fig) == [*WHO_LABELS, "Tidak ada data", "Kabupaten/kota lain"]
    hatched = [c for ax in fig.axes for c in ax.collections if c.get_hatch() == peta.ARSIR_KOSONG]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) >= 2  # the two desa without a value


def test_scale_bar_and_north_arrow(bontang_desa):
    fig, _ = bontang_desa
    assert _texts(fig, "arah-utara")[0].get_text() == "U"
    arrow = [p for p in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "arah-utara")
             if not hasattr(p, "get_text")]
    assert len(arrow) == 1
    bar = [p for p in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "skala")
           if not hasattr(p, "get_text")]
    labels = [t.get_text() for t in _texts(fig, "skala")]
    assert len(bar) == 2 and labels[-1] == "km"
    km = float(labels[-2].replace(",", "."))
    # the bar has the map's scale: its length on paper / the map's width on paper equals km /
    # the map's width in km along its middle latitude (haversine, mean Earth radius 6,371 km)
    ax = fig.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    lat = math.radians((y0 + y1) / 2)
    width_km = 2 * 6371.0 * math.asin(abs(math.cos(lat) * math.sin(math.radians(x1 - x0) / 2)))
    map_cm = ax.get_position().width * fig.get_figwidth() * 2.54
    bar_cm = sum(p.get_width() for p in bar)
    assert bar_cm / map_cm == pytest.approx(km / width_km, rel=0.01)


def test_polygons_are_coloured_by_class():
    kec = reference.kecamatan("64.74").sort_values("district_code")
    fig = peta.peta("64.74", "kecamatan", _values(kec, "district_code", [1.0, 15.0, 35.0]), "pct")
    filled = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection | PatchCollection | PathCollection)
              and len(c.get_facecolors()) == 3]
    assert len(filled) == 1
    expected = [mcolors.to_rgba(peta.PALET_KELAS[i]) for i in (0, 2, 4)]
    assert np.allclose(filled[0].get_facecolors(), expected)
    # no "no data" entry when every unit has a value
    assert _legend_texts(fig) == [*WHO_LABELS, "Kabupaten/kota lain"]
    assert len(_texts(fig, "label-nama")) + len(_texts(fig, "label-nomor")) == 3


def test_large_kabupaten_names_only_the_units_asked_for_in_bold():
    vil = reference.villages("64.02")
    wanted = list(vil["village_code"].iloc[[0, 50, 100, 150, 200]])
    fig = peta.peta("64.02", "desa", _values(vil, "village_code", np.linspace(0, 40, len(vil))), "pct",
                    label=wanted)
    drawn = _texts(fig, "label-nama") + _texts(fig, "label-nomor")
    assert len(drawn) == 5
    assert all(t.get_fontweight() == "bold" for t in drawn)
    names = [t.get_text().replace("\n", " ") for t in _texts(fig, "label-nama")] + _key_names(fig)
    expected = vil.set_index("village_code").loc[wanted, "village_name"]
    assert sorted(n.split(" (")[0] for n in names) == sorted(expected)
    # with no list, a district of 237 desa gets no names at all
    fig = peta.peta("64.02", "desa", _values(vil, "village_code", np.linspace(0, 40, len(vil))), "pct")
    assert not _texts(fig, "label-nama") and not _texts(fig, "label-nomor")


def test_desa_names_shared_within_a_district_carry_their_kecamatan():
    vil = reference.villages("64.02")
    sumber_sari = list(vil.loc[vil["village_name"] == "Sumber Sari", "village_code"])
    fig = peta.peta("64.02", "desa", _values(vil, "village_code", np.full(len(vil), 12.0)), "pct",
                    label=sumber_sari)
    names = [t.get_text().replace("\n", " ") for t in _texts(fig, "label-nama")] + _key_names(fig)
    # 64.02.02.2014 in Loa Kulu, 64.02.07.2007 in Sebulu, 64.02.19.2007 in Kota Bangun Darat (wilayah.sql)
    assert sorted(names) == ["Sumber Sari (Kota Bangun Darat)", "Sumber Sari (Loa Kulu)", "Sumber Sari (Sebulu)"]


def test_district_outside_the_demo_every_kecamatan_named_with_key_below():
    kec = reference.kecamatan("32.01")
    fig = peta.peta("32.01", "kecamatan", _values(kec, "district_code", np.linspace(3, 33, len(kec))), "pct")
    names = [t.get_text().replace("\n", " ") for t in _texts(fig, "label-nama")]
    key = _key_names(fig)
    assert len(names) + len(key) == 40
    assert sorted(names + key) == sorted(kec["district_name"])
    key_blocks = _texts(fig, "kunci")
    # a long key goes below the map (figure coordinates under the map's axes)
    if len(key) > 12:
        assert all(t.get_position()[1] < fig.axes[0].get_position().y0 for t in key_blocks)


def test_province_map_by_kabkota():
    reg = reference.regencies(province="64")
    fig = peta.peta_provinsi("64", _values(reg, "regency_code", np.linspace(8, 31, len(reg))), "pct")
    names = [t.get_text().replace("\n", " ") for t in _texts(fig, "label-nama")] + _key_names(fig)
    assert len(names) == 10
    assert "Kota Bontang" in names and "Kutai Kartanegara" in names
    assert _legend_texts(fig) == WHO_LABELS
    assert _texts(fig, "arah-utara") and _texts(fig, "skala")


def test_other_cut_offs_for_other_indicators():
    kec = reference.kecamatan("64.74").sort_values("district_code")
    fig = peta.peta("64.74", "kecamatan", _values(kec, "district_code", [40.0, 60.0, 90.0]), "pct",
                    kelas=(50, 80), judul_legenda="Cakupan (%)", tetangga=False)
    assert _legend_texts(fig) == ["< 50", "50–< 80", "≥ 80"]


def test_bad_parameters_are_named():
    kec = reference.kecamatan("64.74")
    with pytest.raises(ParameterError, match="level"):
        peta.peta("64.74", "provinsi", _values(kec, "district_code", [1, 2, 3]), "pct")
    with pytest.raises(ParameterError, match="persen"):
        peta.peta("64.74", "kecamatan", _values(kec, "district_code", [1, 2, 3]), "persen")
    with pytest.raises(ParameterError, match="kab"):
        peta.peta("99.99", "kecamatan", _values(kec, "district_code", [1, 2, 3]), "pct")
