"""The study visit (analysis.laporan.studi_tiru): fair ranking, coverage against the host or
the rest of the province, AARR per source, questions, missing tables, and the per-district
figures against the district's own situation analysis. Fixture settings throughout."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

import pengaturan_uji
from analysis import dataset, stats, text, trend
from analysis.kode import Peran, PosisiBanding, PosisiCorong
from analysis.laporan import analisis_situasi as situasi
from analysis.laporan import reviu_kinerja as reviu
from analysis.laporan import studi_tiru as studi
from analysis.laporan.bersama import register_tahunan
from rendered import render, section_texts
from test_laporan_reviu_kinerja import ATUR as ATUR_REVIU
from test_laporan_reviu_kinerja import _district

hitung, kalimat, tabel = studi.hitung, studi.kalimat, studi.tabel
CFG = pengaturan_uji.studi().model_copy(
    update={"frasa_indikator": {"BUMIL_TTD90": "menjangkau {pct} ibu hamil dengan TTD"}})
ATUR = studi.Pengaturan(CFG, pengaturan_uji.rubrik())


# ------------------------------------------------------------------ fair ranking ----

def _prev_frame():
    return pd.DataFrame({
        "kab": ["64.01", "64.02", "64.03", "64.04"],
        "nama": ["A", "B", "C", "D"],
        "n": [1000, 1000, 1000, np.nan],
        "stunting": [100, 106, 200, np.nan],
        "pct": [10.0, 10.6, 20.0, np.nan],
    })


def test_ranking_never_separates_districts_within_noise():
    r = hitung.peringkat(_prev_frame(), 0.95)
    r["rentang_peringkat"] = tabel.rentang_peringkat(r)
    r = r.set_index("kab")
    # A (10 %) and B (10,6 %) differ by less than their noise: both may be 1st or 2nd.
    assert r.loc["64.01", "rentang_peringkat"] == "1–2"
    assert r.loc["64.02", "rentang_peringkat"] == "1–2"
    # C (20 %) is surely last among the three with data.
    assert r.loc["64.03", "rentang_peringkat"] == "3"
    assert r.loc["64.03", "lebih_tinggi_dari"] == 2 and r.loc["64.03", "lebih_rendah_dari"] == 0
    # The point ranks still follow the estimates.
    assert list(r.loc[["64.01", "64.02", "64.03"], "peringkat"]) == [1, 2, 3]
    # Pooled prevalence over the districts with data: 406 / 3000.
    assert r["p0"].iloc[0] == pytest.approx(100 * 406 / 3000)


def test_ranking_keeps_a_district_without_data_as_missing():
    r = hitung.peringkat(_prev_frame(), 0.95)
    r["rentang_peringkat"] = tabel.rentang_peringkat(r)
    r = r.set_index("kab")
    assert pd.isna(r.loc["64.04", "peringkat"]) and pd.isna(r.loc["64.04", "posisi_funnel"])
    assert r.loc["64.04", "rentang_peringkat"] == "–"


def test_funnel_position_uses_the_pooled_limits():
    r = hitung.peringkat(_prev_frame(), 0.95).set_index("kab")
    lo, hi = stats.funnel_limits(406 / 3000, [1000], 3.09)
    assert r.loc["64.03", "batas998_atas"] == pytest.approx(100 * hi[0])
    assert r.loc["64.03", "posisi_funnel"] == PosisiCorong.ATAS_998   # 20 % vs 13,5 % ± 3,3
    assert r.loc["64.01", "posisi_funnel"] in (PosisiCorong.BAWAH_95, PosisiCorong.BAWAH_998)


# ------------------------------------------------------------------ coverage ----

def _coverage():
    rows = []
    for kab, nama, ttd, imm, ktd in (("64.02", "Kutai Kartanegara", 85, 90, 8),
                                     ("64.08", "Kutai Timur", 60, 89, 20),
                                     ("64.74", "Kota Bontang", 70, 91, 8)):
        for kode, cap, arah, target in (("BUMIL_TTD90", ttd, "naik", 80.0),
                                        ("IMUNISASI_DASAR", imm, "naik", 90.0),
                                        ("KEHAMILAN_TIDAK_DIINGINKAN", ktd, "turun", 15.5)):
            rows.append({"kab": kab, "nama_daerah": nama, "kode_indikator": kode,
                         "indikator": kode.title(), "jenis": "spesifik",
                         "kelompok_sasaran": "ibu_hamil", "arah": arah, "target_pct": target,
                         "sasaran": 200.0, "capaian": 2.0 * cap, "cakupan_pct": float(cap)})
    return pd.DataFrame(rows)


def test_coverage_against_host_marks_only_differences_beyond_noise():
    b = hitung.banding_cakupan(_coverage(), "64.02", 0.95).set_index(["kab", "kode_indikator"])
    assert set(b.index.get_level_values("kab")) == {"64.08", "64.74"}  # the host is the reference
    r = b.loc[("64.08", "BUMIL_TTD90")]
    expected = stats.diff_ci([120], [200], [170], [200])
    assert r["selisih_pp"] == pytest.approx(-25.0)
    assert r["bawah_pp"] == pytest.approx(100 * expected["lower"][0])
    assert r["bermakna"] and r["posisi"] == PosisiBanding.LEBIH_BURUK
    assert r["keunggulan_pp"] == pytest.approx(25.0)
    # 89 % vs 90 % on 200 people: within the noise.
    assert b.loc[("64.08", "IMUNISASI_DASAR"), "posisi"] == PosisiBanding.SETARA
    # Lower is better for unwanted pregnancies: 20 % against the host's 8 % is worse.
    assert b.loc[("64.08", "KEHAMILAN_TIDAK_DIINGINKAN"), "posisi"] == PosisiBanding.LEBIH_BURUK
    assert b.loc[("64.08", "KEHAMILAN_TIDAK_DIINGINKAN"), "keunggulan_pp"] == pytest.approx(12.0)


def test_coverage_in_province_view_is_against_the_rest_pooled():
    b = hitung.banding_cakupan(_coverage(), None, 0.95).set_index(["kab", "kode_indikator"])
    r = b.loc[("64.02", "BUMIL_TTD90")]
    assert r["pembanding"] == "kabupaten/kota lain"
    assert r["sasaran_pembanding"] == 400 and r["capaian_pembanding"] == 260
    assert r["cakupan_pembanding_pct"] == pytest.approx(65.0)
    assert r["posisi"] == PosisiBanding.LEBIH_BAIK
    assert len(b) == 9  # every district × indicator


def test_summary_counts_of_coverage_positions():
    s = hitung.ringkas_banding(hitung.banding_cakupan(_coverage(), "64.02", 0.95)).set_index("kab")
    assert s.loc["64.08", "indikator"] == 3
    assert s.loc["64.08", "lebih_buruk"] == 2 and s.loc["64.08", "setara"] == 1


# ------------------------------------------------------------------ trend ----

def test_aarr_is_per_source_and_never_mixes_series():
    tren = pd.DataFrame({
        "kab": ["64.02"] * 5, "nama": ["K"] * 5,
        "seri": ["survei", "survei", "survei", "register", "register"],
        "tahun": [2021, 2022, 2024, 2022, 2024],
        "sumber": ["SSGI 2021", "SSGI 2022", "SSGI 2024", "e-PPGBM Agustus 2022",
                   "e-PPGBM Agustus 2024"],
        "prevalensi": [26.4, 27.1, 14.3, 16.0, 9.0],
        "ci_bawah": np.nan, "ci_atas": np.nan, "keandalan": None})
    a = hitung.tabel_aarr(tren).set_index("seri")
    assert a.loc["survei", "aarr"] == pytest.approx(trend.aarr(26.4, 2021, 14.3, 2024))
    assert a.loc["register", "aarr"] == pytest.approx(trend.aarr(16.0, 2022, 9.0, 2024))
    assert a.loc["survei", "sumber_awal"] == "SSGI 2021"
    assert a.loc["register", "sumber_akhir"] == "e-PPGBM Agustus 2024"


def test_aarr_comparison_drops_old_or_short_series():
    a = pd.DataFrame({"kab": ["a", "b", "c"], "nama": ["A", "B", "C"], "seri": "survei",
                      "tahun_awal": [2021, 2021, 2023], "sumber_awal": "", "p_awal": 20.0,
                      "tahun_akhir": [2024, 2022, 2024], "sumber_akhir": "", "p_akhir": 15.0,
                      "aarr": [0.09, 0.2, 0.25]})
    assert list(hitung.aarr_sebanding(a, "survei", 2)["kab"]) == ["a"]


# ------------------------------------------------------------------ questions ----

def _frame():
    return pd.DataFrame({
        "kab": ["64.02", "64.08", "64.74"],
        "nama": ["Kabupaten Kutai Kartanegara", "Kabupaten Kutai Timur", "Kota Bontang"],
        "cakupan_ukur_pct": [64.0, 67.0, 80.0], "serapan_pct": [83.0, 85.0, 81.0],
        "skor_aksi": [84.4, 81.2, np.nan], "aksi_selesai": [8, 8, np.nan]})


def test_questions_come_from_the_largest_gaps_beyond_noise():
    b = hitung.banding_cakupan(_coverage(), "64.02", 0.95)
    aarr = pd.DataFrame(columns=["kab", "nama", "seri", "tahun_awal", "sumber_awal", "p_awal",
                                 "tahun_akhir", "sumber_akhir", "p_akhir", "aarr"])
    q = kalimat.pertanyaan_dari(_frame(), b, aarr, "64.02", CFG)
    first = q.iloc[0]
    assert first["pertanyaan"] == (f"Bagaimana Kabupaten Kutai Kartanegara menjangkau "
                                   f"{text.persen(85, 0)} ibu hamil dengan TTD?")
    assert first["kab"] == "64.02" and first["bobot"] == pytest.approx(25.0)
    assert f"Kutai Timur {text.persen(60, 0)}" in first["alasan"]
    # A visitor ahead of the host is asked too (measurement coverage 80 % vs the host's 64 %).
    asked = q[q["topik"] == "pengukuran"].iloc[0]
    assert asked["kab"] == "64.74" and text.persen(80, 0) in asked["pertanyaan"]
    # Nothing is asked about a difference within the noise (immunisation).
    assert not q["pertanyaan"].str.contains("Imunisasi", case=False).any()
    # Ordered by gap, at most `maks`.
    assert list(q["bobot"]) == sorted(q["bobot"], reverse=True)
    cfg = CFG.model_copy(update={"pertanyaan": CFG.pertanyaan.model_copy(update={"maks": 1})})
    assert len(kalimat.pertanyaan_dari(_frame(), b, aarr, "64.02", cfg)) == 1


def test_province_questions_go_to_the_leading_district():
    b = hitung.banding_cakupan(_coverage(), None, 0.95)
    aarr = pd.DataFrame(columns=["kab", "nama", "seri", "tahun_awal", "sumber_awal", "p_awal",
                                 "tahun_akhir", "sumber_akhir", "p_akhir", "aarr"])
    q = kalimat.pertanyaan_dari(_frame(), b, aarr, None, CFG)
    ttd = q[q["pertanyaan"].str.contains("TTD")].iloc[0]
    assert ttd["kab"] == "64.02"
    assert f"bersama-sama {text.persen(65, 0)}" in ttd["alasan"]


# ------------------------------------------------------------------ missing tables ----

def test_a_missing_table_is_shown_as_missing_never_zero():
    data = _district()
    data = dataclasses.replace(data, budget=data.budget.iloc[:0], aksi=data.aksi.iloc[:0],
                               missing=["anggaran", "status_aksi"])
    full = hitung.ringkas(_district(), 2024, Peran.TUAN_RUMAH, ATUR)
    gone = hitung.ringkas(data, 2024, Peran.TAMU, ATUR)
    assert gone.hilang == ["anggaran", "status_aksi"]
    st = hitung.bandingkan([full, dataclasses.replace(gone, kab="64.08", nama="Kutai Timur")],
                           2024, ATUR, tuan_rumah="64.74")
    row = st.frame.set_index("kab").loc["64.08"]
    for col in ("pagu", "realisasi", "serapan_pct", "belanja_per_stunting",
                "belanja_per_anak_terjangkau", "skor_aksi"):
        assert pd.isna(row[col]), col
    assert kalimat.catatan_hilang(row["hilang"]) == "anggaran, status aksi tidak tersedia"
    assert st.frame.set_index("kab").loc["64.74", "realisasi"] == pytest.approx(335e6)
    # Reader-facing: dashes and words, not zeros.
    t = tabel.anggaran(st).set_index("Kabupaten/kota")
    assert pd.isna(t.loc["Kutai Timur", "Realisasi (Rp miliar)"])   # printed as –
    assert pd.isna(t.loc["Kutai Timur", "Per anak stunting (Rp juta)"])
    assert t.loc["Bontang", "Realisasi (Rp miliar)"] == pytest.approx(0.335)
    assert "tidak tersedia" in kalimat.anggaran(st)
    assert (tabel.aksi(st.daerah, ATUR.rubrik)["Kutai Timur"] == "tidak tersedia").all()
    assert "Kutai Timur" in kalimat.catatan_data(st)
    keys = {k["kode"]: k for k in tabel.angka_kunci(st)}
    assert np.isnan(keys["realisasi_per_anak_stunting_64_08"]["nilai"])


def test_a_district_without_coverage_has_no_rows_and_is_named():
    data = _district()
    data = dataclasses.replace(data, coverage=data.coverage.iloc[:0])
    d = hitung.ringkas(data, 2024, Peran.PROVINSI, ATUR)
    assert "cakupan_layanan" in d.hilang
    assert hitung.cakupan_panjang([d]).empty
    frame = hitung.tabel_daerah([d], "BUMIL_TTD90")
    assert pd.isna(frame.loc[0, "anak_terjangkau"])


# ------------------------------------------------------------------ same figures ----

def test_synthetic_register_figure_equals_review_and_situation_figure():
    data = _district()
    d = hitung.ringkas(data, 2024, Peran.PROVINSI, ATUR)
    ann = register_tahunan(data, [2022, 2023, 2024]).set_index("tahun")
    reg = d.register.set_index("tahun")
    for col in ("n", "stunting", "prevalensi", "ci_bawah", "ci_atas"):
        assert reg[col].to_numpy() == pytest.approx(ann[col].to_numpy(), abs=1e-12), col
    rv = reviu.susun(data, 2024, ATUR_REVIU)
    assert d.aksi_total == rv.aksi_total
    assert d.anggaran["realisasi"] == rv.anggaran_total["realisasi"]


@pytest.fixture(scope="module")
def demo_district(tmp_path_factory):
    """Mahakam Ulu (64.11), the smallest demo district, read with a private cache folder."""
    from analysis import config

    dataset.ensure_demo(["64.11"])  # the explicit step; loading never makes the demo
    mp = pytest.MonkeyPatch()
    mp.setattr(config, "PROCESSED_DIR", tmp_path_factory.mktemp("processed"))
    try:
        yield dataset.load_district("64.11")
    finally:
        mp.undo()


def test_per_district_figures_equal_the_situation_analysis(demo_district):
    """The comparison's figures for a demo district are those of its own analisis-situasi."""
    s = situasi.susun(demo_district, 2024)           # what notebooks/analisis_situasi.ipynb runs
    atur = studi.Pengaturan.berlaku()                # both reports on the same (live) settings
    d = hitung.ringkas(demo_district, 2024, Peran.PROVINSI, atur)
    own = s.register
    assert d.stunting == own                           # prevalence, CI, counts: identical
    assert d.survei == s.survei
    assert d.periode == s.periode
    row = hitung.tabel_daerah([d], atur.studi.indikator_anak_terjangkau).iloc[0]
    assert (row["pct"], row["ll"], row["ul"]) == (own.pct, own.ll, own.ul)
    assert row["stunting"] == own.stunting and row["diukur"] == own.anak
    assert row["survei_pct"] == s.survei.pct
    # Key figures in the JSON agree with the situation analysis's own key figures.
    st = hitung.bandingkan([d], 2024, atur, provinsi="64")
    mine = {k["kode"]: k for k in tabel.angka_kunci(st)}
    theirs = {k["kode"]: k for k in situasi.tabel.angka_kunci(s)}
    for code in ("prevalensi_stunting_register", "jumlah_balita_stunting",
                 "jumlah_balita_diukur", "prevalensi_stunting_survei"):
        assert mine[f"{code}_64_11"]["nilai"] == theirs[code]["nilai"], code
        assert mine[f"{code}_64_11"]["sumber"] == theirs[code]["sumber"], code
    assert tuple(mine["prevalensi_stunting_register_64_11"]["ci"]) == \
        tuple(theirs["prevalensi_stunting_register"]["ci"])


# ------------------------------------------------------------------ smoke render ----

SECTIONS = ["ringkasan", "pendahuluan", "profil", "tren", "peringkat", "cakupan", "anggaran", "aksi",
            "pertanyaan"]
#: The document's parts in reading order (dokumen/studi_tiru.yaml); host view, so with the host's
#: good practice.
PARTS = ["kata-pengantar", "daftar-isi", "daftar-tabel", "daftar-gambar", "daftar-singkatan", "ringkasan",
         "pendahuluan", "profil", "tren", "peringkat", "cakupan", "anggaran", "aksi", "praktik", "pertanyaan",
         "penutup", "lembar-pengesahan", "lampiran"]


@pytest.mark.slow
def test_render_smoke_host_and_visitor(tmp_path):
    """Render studi-tiru for two small demo districts and check every section and the JSON."""
    render(["studi-tiru", "--tuan-rumah", "64.11", "--tamu", "64.07", "--tahun", "2024"],
           tmp_path, timeout=900)
    html = next(tmp_path.rglob("studi-tiru.html"))
    assert html.parent.name == "64.11-kabupaten-mahakam-ulu"   # the host's folder
    texts = section_texts(html.read_text(encoding="utf-8"))
    for sid in SECTIONS:
        assert len(texts.get(sid, "")) > 150, f"section {sid} missing or empty"
    js = json.loads(next(tmp_path.rglob("studi-tiru.json")).read_text(encoding="utf-8"))
    assert [b["id"] for b in js["bagian"]] == PARTS
    figures = {k["kode"]: k for k in js["angka_kunci"]}
    for kab in ("64_11", "64_07"):
        f = figures[f"prevalensi_stunting_register_{kab}"]
        assert f["nilai"] is not None and f["ci"][0] < f["nilai"] < f["ci"][1]
        assert figures[f"jumlah_balita_stunting_{kab}"]["nilai"] > 0


def test_reader_tables_and_sentences_build_in_both_views():
    host = hitung.ringkas(_district(), 2024, Peran.TUAN_RUMAH, ATUR)
    guest = dataclasses.replace(hitung.ringkas(_district(), 2024, Peran.TAMU, ATUR), kab="64.08",
                                nama="Kabupaten Kutai Timur")
    for kwargs in ({"tuan_rumah": "64.74"}, {"provinsi": "64"}):
        st = hitung.bandingkan([host, guest], 2024, ATUR, **kwargs)
        tables = [tabel.profil(st), tabel.peringkat(st), tabel.tren(st), tabel.anggaran(st),
                  tabel.biaya_indikator(st), tabel.aksi_singkat(st), tabel.tabel_pertanyaan(st)]
        tables.append(tabel.selisih_provinsi(st) if st.provinsi_view else tabel.cakupan_tamu(st))
        for t in tables:
            assert isinstance(t, pd.DataFrame) and len(t.columns) >= 2
        for s in (kalimat.prevalensi(st), kalimat.survei(st), kalimat.tren(st),
                  kalimat.cakupan(st), kalimat.anggaran(st), kalimat.aksi(st),
                  kalimat.profil(st), kalimat.subjudul(st)):
            assert isinstance(s, str) and s
        assert all(isinstance(b, str) and b for b in kalimat.pesan_utama(st))
    # Host view: identical coverage in both districts is "setara" everywhere, shown as (0,0).
    st = hitung.bandingkan([host, guest], 2024, ATUR, tuan_rumah="64.74")
    t = tabel.cakupan_tamu(st)
    assert t.columns.tolist() == ["Indikator", "Target (%)", "Bontang (%)", "Kutai Timur (%)"]
    assert t["Kutai Timur (%)"].str.endswith("(0,0)").all()
    assert "setara pada 2 dari 2 indikator" in kalimat.cakupan(st)
