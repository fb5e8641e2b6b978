"""The annual review (analysis.laporan.reviu_kinerja) on a small synthetic district, with
fixture settings."""

import json

import numpy as np
import pandas as pd
import pytest

import pengaturan_uji
from analysis import trend
from analysis.dataset import DistrictData, measurements_for_year
from analysis.kode import ArahPerubahan, Seri, StatusAksi, StatusTarget
from analysis.laporan import reviu_kinerja as reviu
from analysis.prevalence import prevalence_table
from rendered import render, section_texts

ATUR = reviu.Pengaturan(pengaturan_uji.reviu(), pengaturan_uji.target(), pengaturan_uji.rubrik())

DESA = ["64.74.01.1001", "64.74.01.1002", "64.74.02.1001", "64.74.02.1002", "64.74.03.1001",
        "64.74.03.1002"]
LOKUS = DESA[:2]


def _measurements(seed=3):
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2022, 2023, 2024):
        for month in (2, 8):
            t = year + (month - 0.5) / 12 - 2023
            for desa in DESA:
                base = -1.35 if desa in LOKUS else -1.0
                for c in range(120):
                    haz = rng.normal(base + 0.12 * t, 1.0)
                    rows.append({"tahun": year, "periode": f"{year}-{month:02d}",
                                 "child_key": f"{desa}-{c}", "sumber_berkas": "eppgbm.csv",
                                 "baris": len(rows) + 2, "desa_code": desa, "sex": 1 + c % 2,
                                 "age_days": 200.0 + 10 * c,
                                 "measure_date": pd.Timestamp(year, month, 1 + c % 20),
                                 "haz": haz, "waz": 0.0, "whz": 0.0, "baz": 0.0,
                                 "haz_flag": False, "waz_flag": False, "whz_flag": False,
                                 "baz_flag": False, "oedema": False})
    return pd.DataFrame(rows)


def _district():
    cov = []
    for year, share in ((2023, 0.6), (2024, 0.75)):
        for desa in DESA:
            cov.append({"tahun": year, "kode_desa": desa, "kode_indikator": "BUMIL_TTD90",
                        "sasaran": 100, "capaian": int(share * 100)})
            cov.append({"tahun": year, "kode_desa": desa, "kode_indikator": "IMUNISASI_DASAR",
                        "sasaran": 100, "capaian": 85})
    budget = pd.DataFrame({
        "tahun": 2024, "opd": ["Dinas Kesehatan", "Dinas Kesehatan", "PUPR"],
        "kode_subkegiatan": ["a", "b", "c"], "nama_subkegiatan": ["TTD", "Imunisasi", "SPAM"],
        "kode_indikator": ["BUMIL_TTD90", "IMUNISASI_DASAR", "AIR_MINUM_AMAN"],
        "pagu": [100e6, 50e6, 400e6], "realisasi": [90e6, 45e6, 200e6],
        "kode_desa": [None, None, DESA[0]]})
    aksi = pd.DataFrame({"tahun": 2024, "aksi": range(1, 9),
                         "tanggal_target": [f"2024-{m:02d}-28" for m in range(3, 11)],
                         "tanggal_selesai": [f"2024-{m:02d}-20" for m in range(3, 11)],
                         "bukti": "dokumen.pdf", "status": "selesai", "penilaian_mandiri": "A"})
    aksi.loc[7, ["status", "tanggal_selesai"]] = ["proses", None]
    scorecard = pd.DataFrame([
        {"tahun": 2024, "kode_desa": d, "kelompok": "ibu_hamil", "layanan": "ANC4",
         "jumlah_seharusnya": 10, "jumlah_diterima": 10 if d == DESA[0] else 7} for d in DESA])
    lokus = pd.DataFrame({"tahun": 2024, "kode_desa": LOKUS, "nama_desa": ["Satu", "Dua"],
                          "dasar_penetapan": "SK"})
    targets = pd.DataFrame({"tahun": [2024, 2026], "target_pct": [14.0, 10.0],
                            "sumber": "RAD-PPS"})
    return DistrictData(kab="64.74", nama="Kota Bontang", tahun_tersedia=[2022, 2023, 2024],
                        measurements=_measurements(), accounting=pd.DataFrame(),
                        profil_desa=pd.DataFrame(), coverage=pd.DataFrame(cov), budget=budget,
                        aksi=aksi, scorecard=scorecard, lokus=lokus, targets=targets)


@pytest.fixture(scope="module")
def rv():
    return reviu.susun(_district(), 2024, ATUR)


def test_annual_register_figure_is_the_situation_analysis_figure(rv):
    data = _district()
    expected = prevalence_table(measurements_for_year(data, 2024)).iloc[0]["HA_2_r"]
    got = rv.tahunan.set_index("tahun").loc[2024, "prevalensi"]
    assert got == pytest.approx(expected, abs=1e-12)
    # and the last round of the year in the per-round series is the same figure
    assert rv.putaran.set_index("periode").loc["2024-08", "prevalensi"] == pytest.approx(expected)


def test_targets_and_verdict(rv):
    assert rv.target["kode"].tolist() == ["kabupaten", "kabupaten", "provinsi", "nasional"]
    assert rv.target["tahun_target"].tolist() == [2024, 2026, 2024, 2024]
    # the headline uses the survey series (targets are survey-measured) and the district's
    # nearest target (2024): Bontang SSGI 26,3 % (2021) → 20,7 % (2024) against 14 %
    assert rv.putusan.seri == Seri.SURVEI and rv.putusan.tahun_target == 2024
    assert rv.putusan.aarr_observasi == pytest.approx(trend.aarr(26.3, 2021, 20.7, 2024))
    assert rv.putusan.aarr_wajib == pytest.approx(trend.required_aarr(26.3, 2021, 14.0, 2024))
    assert rv.putusan.sesuai_jalur is False
    s = reviu.kalimat.putusan(rv)
    assert "Kota Bontang" in s and "belum sesuai jalur" in s
    # 1 − (20,7/26,3)^(1/3) = 0,0767; 1 − (14/26,3)^(1/3) = 0,1896
    assert "7,7 % per tahun" in s and "19,0 % per tahun" in s  # Indonesian decimals
    # the register is judged beside it, against the same target, and said to be indicative only
    ann = rv.tahunan.set_index("tahun")["prevalensi"]
    reg = rv.penilaian[(rv.penilaian["seri"] == "register") & (rv.penilaian["kode"] == "kabupaten")]
    assert reg.iloc[0]["aarr_observasi"] == pytest.approx(trend.aarr(ann[2022], 2022, ann[2024], 2024))
    lain = reviu.kalimat.putusan_lain(rv)
    assert "register" in lain and "arah" in lain


def test_verdict_can_be_judged_on_the_register():
    atur = reviu.Pengaturan(ATUR.reviu.model_copy(update={"seri_putusan": Seri.REGISTER}),
                            ATUR.target, ATUR.rubrik)
    rv2 = reviu.susun(_district(), 2024, atur)
    assert rv2.putusan.seri == Seri.REGISTER
    keys = {a["kode"] for a in reviu.tabel.angka_kunci(rv2)}
    assert {"sesuai_jalur", "aarr_observasi", "aarr_diperlukan", "serapan_anggaran",
            "skor_8_aksi", "prevalensi_stunting_register"} <= keys


def test_survey_and_register_are_separate_series(rv):
    assert set(rv.penilaian["seri"]) == {"register", "survei"}
    surv = rv.penilaian[rv.penilaian["seri"] == "survei"].iloc[0]
    # Bontang SSGI 2021 26,3 → SSGI 2024 20,7
    assert surv["p_awal"] == 26.3 and surv["p_akhir"] == 20.7
    assert "SSGI 2024" in reviu.kalimat.survei(rv)


def test_projection_has_uncertainty(rv):
    assert rv.model is not None and rv.model["n_putaran"] == 6
    assert rv.model["slope"] < 0  # HAZ improves in the simulation
    p = rv.proyeksi.set_index("tahun")
    assert list(p.index) == [2025, 2026]
    assert (p["ci_bawah"] < p["prevalensi"]).all() and (p["prevalensi"] < p["ci_atas"]).all()
    assert "binomial" in reviu.kalimat.model(rv) and "mengandaikan" in reviu.kalimat.proyeksi(rv)


def test_coverage_changes_marked_against_noise(rv):
    c = rv.cakupan.set_index("kode_indikator")
    # TTD: 360/600 = 60 % → 450/600 = 75 %, +15 pp, well beyond noise
    assert c.loc["BUMIL_TTD90", "perubahan_pp"] == pytest.approx(15.0)
    assert c.loc["BUMIL_TTD90", "arah_perubahan"] == ArahPerubahan.MEMBAIK
    assert c.loc["IMUNISASI_DASAR", "arah_perubahan"] == ArahPerubahan.TETAP
    # 75 % against the 80 % target with n = 600: Wilson upper ≈ 78,3 % → below beyond noise
    assert c.loc["BUMIL_TTD90", "status_target"] == StatusTarget.DI_BAWAH


def test_lokus_and_budget_and_aksi(rv):
    assert rv.lokus_paket.set_index("kode_desa").loc[DESA[0], "paket_lengkap"]
    assert not rv.lokus_paket.set_index("kode_desa").loc[DESA[1], "paket_lengkap"]
    assert rv.lokus_banding.kelompok["desa"].tolist() == [2, 4]
    assert "regresi ke rata-rata" in reviu.kalimat.lokus_batas(rv)
    assert rv.anggaran_total["serapan_pct"] == pytest.approx(100 * 335 / 550)
    assert rv.anggaran_lokus.iloc[0]["realisasi_lokus"] == 200e6
    # 7 aksi A, aksi 8 in progress with evidence → C: (700 + 50) / 800
    assert rv.aksi_total["skor"] == pytest.approx(93.75)


def test_every_recommendation_has_a_reason(rv):
    rek = reviu.kalimat.rekomendasi(rv)
    assert rek
    for r in rek:
        assert r.rekomendasi and r.alasan and r.dasar in {
            "tren", "cakupan", "lokus", "anggaran", "aksi"}
    kinds = {r.dasar for r in rek}
    assert {"cakupan", "lokus", "anggaran", "aksi"} <= kinds
    opd = [r for r in rek if r.dasar == "anggaran"]
    assert any("PUPR" in r.alasan for r in opd)  # 50 % absorption


def test_reader_tables_have_indonesian_headers(rv):
    t = reviu.tabel
    for fn in (t.target, t.putaran, t.survei, t.proyeksi, t.cakupan, t.lokus, t.lokus_banding,
               t.anggaran_opd, t.anggaran_intervensi, t.aksi, t.aksi_2025):
        t = fn(rv)
        assert len(t) > 0, fn.__name__
        assert not any("_" in str(c) for c in t.columns), fn.__name__


def test_target_table_drops_past_targets():
    t = pd.DataFrame({"tahun": [2022, 2023, 2025, 2027], "target_pct": [20, 18, 12, 10],
                      "sumber": "x"})
    out = reviu.hitung.targets_table(t, "17.71", 2024, pengaturan_uji.target())
    # no district target for 2024 itself: the next one (2025); no Bengkulu province target
    assert out["kode"].tolist() == ["kabupaten", "nasional"]
    assert out["tahun_target"].tolist() == [2025, 2024]


SECTIONS = ["ringkasan", "pendahuluan", "gambaran-umum", "tren", "cakupan", "lokus", "anggaran", "aksi",
            "rekomendasi", "lampiran"]
#: The document's parts in reading order (dokumen/reviu_kinerja.yaml): front matter, chapters,
#: approval page, annex.
PARTS = ["kata-pengantar", "daftar-isi", "daftar-tabel", "daftar-gambar", "daftar-singkatan", "ringkasan",
         "pendahuluan", "gambaran-umum", "tren", "cakupan", "lokus", "anggaran", "aksi", "kendala",
         "rekomendasi", "penutup", "lembar-pengesahan", "lampiran"]


@pytest.mark.slow
def test_render_smoke_bontang(tmp_path):
    """Render the review on the demo data (Kota Bontang, 64.74) and check sections and JSON."""
    render(["reviu-kinerja", "--kab", "64.74", "--tahun", "2024"], tmp_path, timeout=600)
    texts = section_texts(next(tmp_path.rglob("reviu-kinerja.html")).read_text(encoding="utf-8"))
    for sid in SECTIONS:
        assert len(texts.get(sid, "")) > 200, f"section {sid} missing or empty"
    assert "sesuai jalur" in texts["ringkasan"]
    assert "Alasan:" in texts["rekomendasi"]
    js = json.loads(next(tmp_path.rglob("reviu-kinerja.json")).read_text(encoding="utf-8"))
    figures = {k["kode"]: k for k in js["angka_kunci"]}
    for code in ("sesuai_jalur", "aarr_observasi", "aarr_diperlukan", "serapan_anggaran",
                 "skor_8_aksi", "prevalensi_stunting_register"):
        assert code in figures and figures[code]["nilai"] is not None, code
    assert figures["sesuai_jalur"]["nilai"] in (0, 1)
    assert 0 <= figures["skor_8_aksi"]["nilai"] <= 100
    assert [b["id"] for b in js["bagian"]] == PARTS
    assert js["rekomendasi"]


def test_missing_tables_are_said_not_zero():
    data = _district()
    data.coverage = data.coverage[data.coverage["tahun"] == 2024]  # no 2023 to compare with
    data.budget = data.budget.iloc[:0]
    data.aksi = data.aksi.iloc[:0]
    rv2 = reviu.susun(data, 2024, ATUR)
    assert rv2.cakupan["arah_perubahan"].isna().all()
    assert "anggaran" in rv2.tidak_tersedia and "status_aksi" in rv2.tidak_tersedia
    assert "tidak diserahkan" in reviu.kalimat.anggaran(rv2)
    assert "tidak tersedia" in reviu.kalimat.membaik(rv2)
    keys = {a["kode"] for a in reviu.tabel.angka_kunci(rv2)}
    assert "serapan_anggaran" not in keys  # missing, never reported as 0 %
    assert (rv2.aksi["status"] == StatusAksi.TIDAK_DILAPORKAN).all()
    assert not reviu.tabel.cakupan(rv2).empty


def test_stale_survey_is_not_used_for_the_verdict():
    a = pd.DataFrame({
        "seri": ["register", "survei"], "kode": ["nasional", "nasional"],
        "label": ["Target nasional"] * 2, "target_pct": [14.0, 14.0], "tahun_target": [2024, 2024],
        "tahun_awal": [2022, 2021], "p_awal": [12.0, 20.3], "tahun_akhir": [2024, 2022],
        "p_akhir": [11.0, 14.8], "aarr_observasi": [0.043, 0.146], "dasar_wajib": ["awal", "awal"],
        "aarr_wajib": [-0.08, 0.17], "sesuai_jalur": [True, False], "tercapai": [True, np.nan]})
    cfg = pengaturan_uji.reviu()
    # Mahakam Ulu-like: the last survey is SSGI 2022, two years before the 2024 review
    assert reviu.hitung.headline_row(a, cfg, 2024)["seri"] == "register"
    assert reviu.hitung.headline_row(a, cfg, 2023)["seri"] == "survei"
    row = reviu.hitung.headline_row(a, cfg, 2024)
    s = reviu.kalimat.vonis(reviu.hitung.Putusan.dari_baris(row), "Kabupaten X")
    assert "hanya menunjukkan arah" in s
