"""Charts (analysis.charts): each draws what it is given, with Indonesian words and numbers.

Smoke tests that look at the drawing itself: tick labels, legend entries, number of bars or
cells, annotations. Inputs are small hand-made frames in the documented shapes.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from analysis import charts  # noqa: E402
from analysis.charts import anggaran, banding, cakupan, lokus, prevalensi, tren  # noqa: E402
from analysis.kode import PosisiCorong  # noqa: E402

NB = "\u00a0"


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _legend(where) -> list[str]:
    """Legend entries of an Axes, or of a Figure (its own legend, else its axes')."""
    if isinstance(where, Figure):
        legends = list(where.legends) or [a.get_legend() for a in where.axes if a.get_legend()]
    else:
        legends = [where.get_legend()] if where.get_legend() else []
    return [t.get_text() for lg in legends for t in lg.get_texts()]


def _ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_house_style_and_indonesian_ticks():
    fig, ax = charts.gambar(tinggi_cm=5)
    assert fig.get_size_inches()[0] == pytest.approx(16 / 2.54)
    assert charts.format_persen()(15, 0) == f"15{NB}%"
    assert charts.format_angka(1)(1234.5, 0) == "1.234,5"
    assert charts.format_rupiah()(1.5e9, 0) == f"Rp{NB}1,5{NB}miliar"
    with pytest.raises(Exception, match="lebar"):
        charts.ukuran("lebar-sekali")


def test_bars_with_intervals_largest_on_top():
    df = pd.DataFrame({"nama": ["A", "B", "C", "D"], "pct": [10.0, 30.0, 20.0, np.nan],
                       "ll": [8.0, 25.0, 15.0, np.nan], "ul": [12.0, 35.0, 25.0, np.nan]})
    fig = prevalensi.batang_ci(df, "nama", "pct", "ll", "ul", acuan=18.0, label_acuan="Kabupaten/kota")
    ax = fig.axes[0]
    assert len(_bars(ax)) == 3                                  # the row without a value is left out
    assert _ticks(ax.get_yticklabels()) == ["A", "C", "B"]       # largest at the top
    assert ax.get_xlabel() == "Prevalensi stunting (%)"
    assert _legend(ax) == ["Kabupaten/kota"]


def _prevalence_table() -> pd.DataFrame:
    groups = ["00-05", "06-11", "12-23", "24-35", "36-47", "48-59"]
    rows = [{"Group": f"Age + sex: {g} mo.{s}", "HA_2_r": 10.0 + i, "HA_2_ll": 8.0 + i,
             "HA_2_ul": 12.0 + i} for i, g in enumerate(groups) for s in ("Male", "Female")]
    return pd.DataFrame(rows)


def test_age_and_sex_bars():
    fig = prevalensi.umur_jenis_kelamin(_prevalence_table())
    ax = fig.axes[0]
    assert len(_bars(ax)) == 12
    assert _ticks(ax.get_xticklabels()) == ["0–5", "6–11", "12–23", "24–35", "36–47", "48–59"]
    assert _legend(ax) == ["Laki-laki", "Perempuan"]
    assert ax.get_xlabel() == "Kelompok umur (bulan)"


def test_haz_distribution_against_the_standard():
    z = pd.Series(np.random.default_rng(1).normal(-1.0, 1.1, 500))
    fig = prevalensi.distribusi_haz(z)
    ax = fig.axes[0]
    assert len(_bars(ax)) == 48                                  # 0,25-wide bins from −6 to 6
    labels = _legend(ax)
    assert labels[0].startswith("Data e-PPGBM (rata-rata −")
    assert "Standar WHO (rata-rata 0, SD 1)" in labels and "Batas stunting (−2)" in labels


def test_desa_funnel_names_the_hotspots():
    df = pd.DataFrame({"n_stunting": [100, 100, 100, 50, 0], "jumlah_stunting": [60, 20, 18, 10, 0],
                       "nama_desa": ["Panas", "Biasa", "Tenang", "Kecil", "Kosong"]})
    fig = prevalensi.funnel(df, 0.2)
    ax = fig.axes[0]
    labels = _legend(ax)
    assert labels[:3] == ["Batas 95 %", "Batas 99,8 %", f"Rata-rata kabupaten/kota 20,0{NB}%"]
    assert "Di atas batas 99,8 % (titik rawan nyata)" in labels
    assert _texts(ax) == ["Panas"]                               # only the hotspot is named
    hot = [c for c in ax.collections if c.get_label().startswith("Di atas")][0]
    assert len(hot.get_offsets()) == 1


def test_gap_heatmap():
    m = pd.DataFrame({"TTD": [30.0, 0.0, np.nan], "ASI": [10.0, 5.0, 40.0]},
                     index=["D1", "D2", "D3"])
    fig = cakupan.heatmap_kesenjangan(m, pd.Series({"D1": "Satu", "D2": "Dua", "D3": "Tiga"}),
                                      {"TTD": "TTD bumil", "ASI": "ASI eksklusif"})
    ax = fig.axes[0]
    assert _ticks(ax.get_xticklabels()) == ["TTD bumil", "ASI eksklusif"]
    assert _ticks(ax.get_yticklabels()) == ["Tiga", "Satu", "Dua"]    # largest mean gap first
    assert sorted(_texts(ax)) == sorted(["–", "40", "30", "10", "5"])  # 0 stays empty


def test_lokus_score_components():
    scored = pd.DataFrame({"nama_desa": ["A", "B", "C"], "skor": [80.0, 50.0, 20.0],
                           "direkomendasikan": [True, True, False],
                           "kontribusi_prevalensi": [30.0, 20.0, 5.0],
                           "kontribusi_jumlah_stunting": [30.0, 10.0, 5.0],
                           "kontribusi_kesenjangan_cakupan": [10.0, 10.0, 5.0],
                           "kontribusi_perubahan": [10.0, 10.0, 5.0]})
    names = {"prevalensi": "Prevalensi", "jumlah_stunting": "Kasus",
             "kesenjangan_cakupan": "Cakupan", "perubahan": "Kenaikan"}
    fig = lokus.komponen_skor(scored, nama_komponen=names)
    ax = fig.axes[0]
    assert len(_bars(ax)) == 12
    assert _ticks(ax.get_yticklabels()) == ["C", "★ B", "★ A"]
    assert _legend(ax) == ["Prevalensi", "Kasus", "Cakupan", "Kenaikan"]
    assert "80,0" in _texts(ax)


def test_trend_of_the_review():
    putaran = pd.DataFrame({"waktu": [2023.125, 2023.625, 2024.125, 2024.625],
                            "prevalensi": [15.0, 14.0, 13.5, 13.0], "ci_bawah": [14.0, 13.0, 12.5, 12.0],
                            "ci_atas": [16.0, 15.0, 14.5, 14.0]})
    survei = pd.DataFrame({"tahun": [2022, 2024], "sumber": ["SSGI 2022", "SSGI 2024"],
                           "prevalensi": [21.0, 20.7]})
    kurva = pd.DataFrame({"waktu": np.linspace(2023, 2026, 10), "prevalensi": np.linspace(15, 11, 10),
                          "ci_bawah": np.linspace(14, 9, 10), "ci_atas": np.linspace(16, 13, 10)})
    target = pd.DataFrame({"label": ["Target nasional"], "target_pct": [14.0], "tahun_target": [2024]})
    fig = tren.tren_prevalensi(putaran, survei, kurva, target, 2024)
    labels = _legend(fig.axes[0])
    for want in ("Register e-PPGBM per putaran (IK 95 %)", "Survei (SSGI/SKI)",
                 "Model GLM: tren", "Model GLM: proyeksi", "Model GLM: IK 95 %",
                 f"Target nasional: 14,0{NB}% (2024)"):
        assert want in labels, want
    assert f"SSGI 2024\n20,7{NB}%" in _texts(fig.axes[0])


def test_budget_per_opd_groups_the_smallest():
    opd = pd.DataFrame({"opd": [f"OPD {i}" for i in range(5)], "pagu": [5e9, 4e9, 3e9, 2e9, 1e9],
                        "realisasi": [4e9, 4e9, 3e9, 1e9, 0.5e9]})
    opd["serapan_pct"] = 100 * opd["realisasi"] / opd["pagu"]
    fig = anggaran.pagu_realisasi_opd(opd, maks=3)
    ax = fig.axes[0]
    assert len(_bars(ax)) == 6                                   # 3 rows × pagu and realisasi
    assert _ticks(ax.get_yticklabels())[0] == "OPD lainnya (3)"
    assert _legend(ax) == ["Pagu", "Realisasi"]
    assert f"serapan 80,0{NB}%" in _texts(ax)


# ------------------------------------------------------------------ study visit ----
def _ranking() -> pd.DataFrame:
    return pd.DataFrame({
        "kab": ["64.01", "64.02", "64.03"], "n": [1000, 1000, 1000], "stunting": [100, 130, 200],
        "pct": [10.0, 13.0, 20.0], "ll": [8.3, 11.0, 17.6], "ul": [12.0, 15.2, 22.6],
        "p0": [14.33] * 3, "peringkat_min": [1, 2, 3], "peringkat_maks": [1, 2, 3],
        "posisi_funnel": [PosisiCorong.BAWAH_998, PosisiCorong.DALAM, PosisiCorong.ATAS_998]})


LABEL = {"64.01": "Paser", "64.02": "Kutai Kartanegara", "64.03": "Berau"}


def test_caterpillar_words_come_from_the_codes():
    fig = banding.caterpillar(_ranking(), LABEL, tuan_rumah="64.02")
    ax = fig.axes[0]
    assert _ticks(ax.get_yticklabels()) == ["Berau", "Kutai Kartanegara", "Paser"]
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Kutai Kartanegara"]
    assert _legend(ax) == [f"Gabungan daerah dibandingkan 14,3{NB}%",
                           "Plot corong: di bawah 99,8 %", "Plot corong: dalam batas 95 %",
                           "Plot corong: di atas 99,8 %"]
    assert sorted(_texts(ax)) == ["peringkat 1", "peringkat 2", "peringkat 3"]


def test_district_funnel_names_every_district():
    fig = banding.funnel_daerah(_ranking(), LABEL)
    ax = fig.axes[0]
    assert sorted(_texts(ax)) == ["Berau", "Kutai Kartanegara", "Paser"]
    assert _legend(ax)[:2] == ["Batas 95 %", "Batas 99,8 %"]


def test_survey_and_register_panels_are_never_joined():
    t = pd.DataFrame({"kab": ["64.01", "64.01", "64.02", "64.02"],
                      "seri": ["survei", "register", "survei", "register"],
                      "tahun": [2022, 2024, 2022, 2024], "prevalensi": [20.0, 10.0, 25.0, 13.0]})
    fig = banding.tren(t, LABEL, tuan_rumah="64.02")
    left, right = fig.axes
    assert (left.get_title("left"), right.get_title("left")) == ("Survei (SSGI/SKI)",
                                                     "Register e-PPGBM (putaran terakhir)")
    assert _legend(fig) == ["Paser", "Kutai Kartanegara"]
    assert all(len(line.get_xdata()) == 1 for line in left.lines)   # one point each, no join


def _cakupan_long() -> tuple[pd.DataFrame, pd.DataFrame]:
    cak = pd.DataFrame({"kab": ["64.02", "64.02", "64.01", "64.01"],
                        "kode_indikator": ["TTD", "ASI", "TTD", "ASI"],
                        "jenis": ["spesifik"] * 4, "cakupan_pct": [85.0, 60.0, 70.0, 61.0],
                        "target_pct": [80.0, 80.0, 80.0, 80.0]})
    band = pd.DataFrame({"kab": ["64.01", "64.01"], "kode_indikator": ["TTD", "ASI"],
                         "cakupan_pct": [70.0, 61.0], "bermakna": [True, False],
                         "keunggulan_pp": [15.0, -1.0]})
    return cak, band


def test_coverage_dots_against_the_host():
    cak, band = _cakupan_long()
    fig = banding.cakupan_titik(cak, band, "64.02", LABEL, {"TTD": "TTD bumil", "ASI": "ASI"})
    ax = fig.axes[0]
    assert _ticks(ax.get_yticklabels()) == ["ASI", "TTD bumil"]
    assert _legend(ax) == ["Kutai Kartanegara (tuan rumah)", "Paser: beda bermakna",
                           "Paser: setara", "Target 2024"]


def test_province_heat_map_marks_only_differences_beyond_noise():
    cak, band = _cakupan_long()
    fig = banding.peta_panas(cak, band, LABEL, {"TTD": "TTD bumil", "ASI": "ASI"})
    ax = fig.axes[0]
    assert _ticks(ax.get_xticklabels()) == ["Kutai Kartanegara", "Paser"]
    assert sorted(_texts(ax)) == ["60", "61", "70", "85"]
    bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert bold == ["70"]


def test_spending_bars_say_when_data_are_missing():
    frame = pd.DataFrame({"kab": ["64.01", "64.02"], "belanja_per_stunting": [2e7, np.nan],
                          "belanja_per_anak_terjangkau": [5e5, np.nan]})
    fig = banding.anggaran(frame, LABEL)
    left, right = fig.axes
    assert len(_bars(left)) == 2 and len(_bars(right)) == 2
    assert "tidak tersedia" in _texts(left) and f"Rp{NB}20,0{NB}juta" in _texts(left)
    assert left.get_title("left") == "Per anak stunting (register)"
