"""Situation analysis (analysis.laporan.analisis_situasi): tables and sentences on a synthetic
Kota Bontang with fixture settings, and a smoke test that renders the report on the demo data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import pengaturan_uji
from analysis import config, text
from analysis.laporan import analisis_situasi as situasi
from analysis.laporan.bersama import desa_kabupaten
from rendered import assert_no_personal_data, render, section_texts

ATUR = situasi.Pengaturan(pengaturan_uji.situasi(), pengaturan_uji.lokus(), pengaturan_uji.kualitas())

KAB = "64.74"
SECTIONS = ["ringkasan", "pendahuluan", "gambaran-umum", "data", "prevalensi", "cakupan", "lokus",
            "kualitas-data", "rekomendasi", "lampiran"]


def _measurements(seed: int, shift: float = 0.0) -> pd.DataFrame:
    """Children in every Bontang kelurahan; the first kelurahan is a real hotspot."""
    rng = np.random.default_rng(seed)
    w = desa_kabupaten(KAB)
    rows = []
    for i, d in enumerate(w.itertuples()):
        n = 12 if i == len(w) - 1 else 150  # the last one has little data
        mean = -1.6 if i == 0 else -0.8 + shift
        rows.append(pd.DataFrame({
            "desa_code": d.desa_code, "kec_code": d.kec_code,
            "puskesmas": f"Puskesmas {d.nama_kecamatan}", "posyandu": f"Posyandu {i % 5}",
            "sex": rng.choice([1, 2], n), "age_days": rng.uniform(0, 1826, n),
            "weight_kg": np.round(rng.uniform(4, 20, n), 1),
            "height_cm": np.round(rng.uniform(50, 110, n), 1),
            "haz": np.round(rng.normal(mean, 1.0, n), 2),
            "waz": np.round(rng.normal(-0.7, 1.0, n), 2),
            "whz": np.round(rng.normal(-0.2, 1.0, n), 2),
            "baz": np.round(rng.normal(-0.2, 1.0, n), 2),
            "oedema": False,
        }))
    m = pd.concat(rows, ignore_index=True)
    for z in ("haz", "waz", "whz", "baz"):
        m[f"{z}_flag"] = False
    m["periode"] = "2024-08"
    return m


def _coverage() -> pd.DataFrame:
    w = desa_kabupaten(KAB)
    rng = np.random.default_rng(7)
    rows = []
    for d in w["desa_code"]:
        for code in ("BUMIL_TTD90", "ASI_EKSKLUSIF", "CATIN_SKRINING", "PBI_JKN"):
            sas = int(rng.integers(20, 200))
            rows.append({"kode_desa": d, "kode_indikator": code, "sasaran": sas,
                         "capaian": int(sas * rng.uniform(0.3, 1.0))})
    return pd.DataFrame(rows)


def _profil() -> pd.DataFrame:
    w = desa_kabupaten(KAB)
    return pd.DataFrame({"kode_desa": w["desa_code"], "nama_desa": w["nama_desa"],
                         "jumlah_keluarga": 1000, "keluarga_berisiko_stunting": 200,
                         "perkiraan_balita": 250, "perkiraan_baduta": 100, "tahun": 2024})


def _accounting(n_ok: int) -> pd.DataFrame:
    ok = pd.DataFrame({"status": ["dianalisis"] * n_ok, "alasan_kode": None, "alasan": None})
    ex = pd.DataFrame({"status": ["dikeluarkan"] * 5, "alasan_kode": ["duplikat"] * 5,
                       "alasan": ["Data ganda"] * 5})
    return pd.concat([ok, ex], ignore_index=True)


@pytest.fixture(scope="module")
def s() -> situasi.Situasi:
    now = _measurements(1)
    lokus_tabel = pd.DataFrame({"tahun": [2024], "kode_desa": ["64.74.01.1001"],
                                "nama_desa": ["Bontang Kuala"], "dasar_penetapan": ["SK"]})
    return situasi.hitung.hitung(KAB, "Kota Bontang", 2024, now, _measurements(2, shift=0.3),
                                 atur=ATUR, akuntansi=_accounting(len(now)), profil=_profil(),
                                 cakupan_layanan=_coverage(), lokus_tabel=lokus_tabel)


def test_every_desa_is_listed_and_counts_add_up(s):
    assert len(s.status_desa) == len(desa_kabupaten(KAB)) == 15
    k = situasi.tabel.kemendagri(s)
    assert len(k) == 15
    assert (k["Sangat pendek"] + k["Pendek"]).sum() == s.status_kab.iloc[0]["jumlah_stunting"]
    assert k["Balita diukur"].sum() == s.prevalensi.iloc[0]["HAZ_pop"]
    assert (k["Keluarga"] == 1000).all()
    # the kecamatan table ends with the district row and agrees with prevalence_table
    kec = situasi.tabel.kecamatan(s)
    assert kec.iloc[-1]["Kecamatan"] == "Seluruh kabupaten/kota"
    assert kec.iloc[-1]["Stunting (%)"] == pytest.approx(s.prevalensi.iloc[0]["HA_2_r"])


def test_hotspot_is_recommended_and_small_desa_is_not(s):
    first = desa_kabupaten(KAB).iloc[0]
    last = desa_kabupaten(KAB).iloc[-1]
    lok = situasi.hitung.lokus_terpilih(s)
    assert first["desa_code"] in set(lok["desa_code"])
    assert last["desa_code"] not in set(lok["desa_code"])
    row = s.skor.set_index("desa_code").loc[last["desa_code"]]
    assert row["data_sedikit"]
    t = situasi.tabel.lokus(s)
    assert "lokus" in t.iloc[0]["Ket."]
    assert first["nama_desa"] in situasi.kalimat.lokus(s)


def test_sentences_carry_the_numbers(s):
    st = s.register
    p = situasi.kalimat.prevalensi(s)
    assert text.persen(st.pct) in p and text.angka(st.stunting) in p
    assert "SSGI" in p or "SKI" in p  # survey labelled with its source
    assert text.rentang(st.ll, st.ul) in p
    assert "Agustus 2024" in p
    recs = situasi.kalimat.rekomendasi(s)
    assert 3 <= len(recs) <= 5
    assert "Skrining catin" in situasi.kalimat.cakupan(s) or "ASI" in situasi.kalimat.cakupan(s)
    d = situasi.kalimat.data(s)
    assert text.angka(len(s.ukur) + 5) in d  # rows read = analysed + excluded
    assert "Data ganda" in situasi.tabel.akuntansi(s)["Keterangan"].iloc[2]
    # duplicates removed by ingest are counted in the district's quality row and verdict
    assert s.kualitas.iloc[0]["duplikat"] == 5
    assert "5 baris duplikat" in situasi.kalimat.kualitas(s)


def test_key_figures_for_the_json(s):
    k = {a["kode"]: a for a in situasi.tabel.angka_kunci(s)}
    reg = k["prevalensi_stunting_register"]
    assert reg["ci"][0] < reg["nilai"] < reg["ci"][1]
    assert k["jumlah_balita_stunting"]["nilai"] == s.status_kab.iloc[0]["jumlah_stunting"]
    assert k["prevalensi_stunting_survei"]["sumber"].startswith(("SSGI", "SKI"))
    assert k["jumlah_lokus_direkomendasikan"]["nilai"] == len(situasi.hitung.lokus_terpilih(s))


def test_comparison_with_decreed_lokus(s):
    assert s.tahun_lokus == 2024
    b = situasi.tabel.banding_lokus(s)
    assert "Bontang Kuala" in set(b["Desa/kelurahan"])
    assert "2024" in situasi.kalimat.banding(s)


def test_without_coverage_or_last_year():
    now = _measurements(3)
    s = situasi.hitung.hitung(KAB, "Kota Bontang", 2024, now, None, atur=ATUR,
                              akuntansi=_accounting(len(now)), hilang=["cakupan_layanan"])
    assert "tidak tersedia" in situasi.kalimat.cakupan(s)
    w = situasi.tabel.bobot(s).set_index("Komponen")["Bobot dipakai (%)"]
    assert w.iloc[2] == 0 and w.iloc[3] == 0 and w.sum() == pytest.approx(100)
    assert "tidak tersedia" in situasi.kalimat.metode_lokus(s)
    assert "`cakupan_layanan`" in situasi.kalimat.hilang(s)
    k = situasi.tabel.kemendagri(s)
    assert k["Keluarga"].isna().all()  # missing stays empty, never zero
    assert 3 <= len(situasi.kalimat.rekomendasi(s)) <= 5


@pytest.mark.slow
def test_render_smoke_bontang(tmp_path):
    """Render the report on the demo data (Kota Bontang) and check every section."""
    render(["analisis-situasi", "--kab", KAB, "--tahun", "2024"], tmp_path, timeout=600)
    html_files = list(tmp_path.rglob("analisis-situasi.html"))
    assert len(html_files) == 1
    texts = section_texts(html_files[0].read_text(encoding="utf-8"))
    for sid in SECTIONS:
        assert len(texts.get(sid, "")) > 200, f"section {sid} missing or empty"
    assert "Bontang" in texts["ringkasan"]
    js = json.loads(next(tmp_path.rglob("analisis-situasi.json")).read_text(encoding="utf-8"))
    codes = {k["kode"] for k in js["angka_kunci"]}
    assert {"prevalensi_stunting_register", "prevalensi_stunting_survei",
            "jumlah_balita_stunting", "jumlah_lokus_direkomendasikan"} <= codes
    assert next(tmp_path.rglob("analisis-situasi-lampiran.xlsx")).stat().st_size > 0
    assert_no_personal_data(tmp_path, config.DEMO_DIR / KAB / "2024" / "eppgbm.csv")
