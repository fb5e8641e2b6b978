"""Aksi 8 reader tables (Indonesian headers, codes turned into words), the data sources of
the title block and the key figures of the JSON.

Interval columns are headed "IK 95 %" as the notebook's captions are; the level itself is
``alpha`` of ``reviu_kinerja.yaml`` (the sentences print it from there).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.kode import JenisTarget, KelompokKartu, Seri, StatusAksi, StatusTarget, Tabel
from analysis.laporan.bersama import baris
from analysis.laporan.reviu_kinerja.hitung import Reviu, ya
from analysis.laporan.reviu_kinerja.kalimat import nama_keandalan


def target(rv: Reviu) -> pd.DataFrame:
    """AARR observed vs required per series and target (Indonesian headers)."""
    a = rv.penilaian
    if a.empty:
        return pd.DataFrame()
    jalur = a["sesuai_jalur"].map(lambda v: "sesuai jalur" if ya(v) else (
        "belum sesuai jalur" if v is not None and not pd.isna(v) else "–"))
    ends = [f"{text.persen(p1)} ({int(t1)}) → {text.persen(p2)} ({int(t2)})"
            if t1 == t1 and t2 == t2 else text.MISSING
            for p1, t1, p2, t2 in zip(a["p_awal"], a["tahun_awal"], a["p_akhir"], a["tahun_akhir"],
                                      strict=True)]
    return pd.DataFrame({
        "Seri": a["seri"].map(Seri.labels()),
        "Target": a["kode"].map(JenisTarget.labels(singkat=True)) + " "
        + a["target_pct"].map(text.persen) + " (" + a["tahun_target"].astype(str) + ")",
        "Prevalensi awal → akhir": ends,
        "AARR teramati": 100 * a["aarr_observasi"],
        "AARR perlu": 100 * a["aarr_wajib"],
        "Status": jalur,
    })


def putaran(rv: Reviu) -> pd.DataFrame:
    """Register prevalence per weighing round."""
    r = rv.putaran
    return pd.DataFrame({
        "Putaran": r["periode"].map(text.periode),
        "Anak diukur (HAZ sah)": r["n"].astype(int),
        "Anak stunting": r["stunting"].astype(int),
        "Prevalensi (%)": r["prevalensi"],
        "IK 95 %": [text.rentang(lo, hi) for lo, hi in zip(r["ci_bawah"], r["ci_atas"], strict=True)],
    })


def survei(rv: Reviu) -> pd.DataFrame:
    """The survey series, labelled by source and reliability."""
    s = rv.survei
    return pd.DataFrame({"Sumber": s["sumber"], "Prevalensi (%)": s["prevalensi"],
                         "Keandalan": s["keandalan"].map(nama_keandalan)})


def proyeksi(rv: Reviu) -> pd.DataFrame:
    """Projected register prevalence per year."""
    p = rv.proyeksi
    if p.empty:
        return pd.DataFrame()
    month = rv.putaran["periode"].max()[5:7]
    return pd.DataFrame({
        "Putaran": [text.periode(f"{int(y)}-{month}") for y in p["tahun"]],
        "Proyeksi (%)": p["prevalensi"],
        "IK 95 %": [text.rentang(lo, hi) for lo, hi in zip(p["ci_bawah"], p["ci_atas"], strict=True)],
    })


def cakupan(rv: Reviu) -> pd.DataFrame:
    """Coverage this year vs last year and vs target (percent; changes in points)."""
    c = rv.cakupan
    if c.empty:
        return pd.DataFrame()
    has_prev = c["cakupan_lalu_pct"].notna()
    change = [(text.bertanda(d) + ("*" if sig else "")) if ok else text.MISSING
              for d, sig, ok in zip(c["perubahan_pp"], c["perubahan_bermakna"], has_prev,
                                    strict=True)]
    ci = [f"{text.bertanda(lo)} s.d. {text.bertanda(hi)}" if ok else text.MISSING
          for lo, hi, ok in zip(c["perubahan_bawah"], c["perubahan_atas"], has_prev, strict=True)]
    return pd.DataFrame({
        "Indikator": c["nama"] + np.where(c["arah"].eq("turun"), " (makin rendah makin baik)", ""),
        "Target": c["target_pct"],
        str(rv.tahun - 1): c["cakupan_lalu_pct"],
        str(rv.tahun): c["cakupan_pct"],
        "Perubahan (poin)": change,
        "IK 95 % perubahan": ci,
        "Capai target": c["status_target"].map(StatusTarget.labels(singkat=True)),
    })


def lokus(rv: Reviu) -> pd.DataFrame:
    """Convergence level of each desa lokus."""
    p = rv.lokus_paket
    return pd.DataFrame({
        "Desa lokus": p["nama_desa"],
        "Ibu hamil (%)": p["tingkat_ibu_hamil"],
        "Anak 0–23 bulan (%)": p["tingkat_anak_0_23"],
        "Anak 2–6 tahun (%)": p["tingkat_anak_2_6"],
        "Total (%)": p["tingkat_total"],
        "Paket lengkap": p["paket_lengkap"],
    })


def lokus_layanan(rv: Reviu) -> pd.DataFrame:
    """Services in the lokus, lowest convergence first."""
    g = rv.lokus_layanan
    return pd.DataFrame({
        "Sasaran": g["kelompok"].map(KelompokKartu.labels()).fillna(g["kelompok"]),
        "Layanan": g["nama_layanan"],
        "Seharusnya": g["seharusnya"].astype(int),
        "Diterima": g["diterima"].astype(int),
        "Tingkat (%)": g["tingkat_pct"],
    })


def lokus_banding(rv: Reviu) -> pd.DataFrame:
    """Prevalence change in lokus and other desa."""
    b = rv.lokus_banding
    if b is None:
        return pd.DataFrame()
    g = b.kelompok
    return pd.DataFrame({
        "Kelompok": g["kelompok"].map({"lokus": "Desa lokus", "bukan_lokus": "Desa lainnya"}),
        "Desa": g["desa"].astype(int),
        f"Diukur {b.tahun_awal}": g["n_awal"].astype(int),
        f"{b.tahun_awal} (%)": g["p_awal"],
        f"Diukur {b.tahun_akhir}": g["n_akhir"].astype(int),
        f"{b.tahun_akhir} (%)": g["p_akhir"],
        "Perubahan (poin)": g["perubahan"],
    })


def anggaran_opd(rv: Reviu) -> pd.DataFrame:
    """Budget per OPD in million rupiah."""
    o = rv.anggaran_opd
    return pd.DataFrame({"OPD": o["opd"], "Pagu (Rp juta)": o["pagu"] / 1e6,
                         "Realisasi (Rp juta)": o["realisasi"] / 1e6, "Serapan (%)": o["serapan_pct"]})


def anggaran_intervensi(rv: Reviu) -> pd.DataFrame:
    """Budget per intervention with spending per person reached."""
    i = rv.anggaran_intervensi
    per = rv.biaya_per_capaian.set_index("kode_indikator") if len(rv.biaya_per_capaian) else None
    out = pd.DataFrame({"Intervensi": i["nama"], "Realisasi": i["realisasi"] / 1e6,
                        "Serapan (%)": i["serapan_pct"]})
    if per is not None:
        out["Terjangkau"] = i["kode_indikator"].map(per["capaian"]).astype("Int64")
        out["Rp ribu/sasaran"] = i["kode_indikator"].map(per["biaya_per_capaian"]) / 1e3
    return out


def aksi(rv: Reviu) -> pd.DataFrame:
    """Status, timeliness, evidence and grade of each aksi."""
    a = rv.aksi
    late = [text.MISSING if v != v else ("tepat waktu" if v <= 0 else f"{text.angka(v)} hari")
            for v in a["terlambat_hari"]]
    return pd.DataFrame({
        "Aksi": a["aksi"].astype(int).astype(str) + ". " + a["nama"],
        "Status": a["status"].map(StatusAksi.labels()).fillna(a["status"]),
        "Target": [text.tanggal(d, "medium") if pd.notna(d) else text.MISSING
                   for d in a["tanggal_target"]],
        "Selesai": [text.tanggal(d, "medium") if pd.notna(d) else text.MISSING
                    for d in a["tanggal_selesai"]],
        "Keterlambatan": late,
        "Bukti": a["ada_bukti"].map({True: "ada", False: "tidak ada"}),
        "Nilai rubrik": a["nilai"],
        "Penilaian mandiri": a["penilaian_mandiri"].fillna(text.MISSING),
    })


def aksi_2025(rv: Reviu) -> pd.DataFrame:
    """The scores regrouped in Kemendagri's 2025 structure."""
    g = rv.aksi_2025
    return pd.DataFrame({"Kelompok aksi 2025": g["nama"], "Jenis": g["jenis"],
                         "Aksi (8 aksi)": g["aksi"], "Skor (0–100)": g["skor"]})


# ---------------------------------------------------------------------------
# title block and JSON
# ---------------------------------------------------------------------------
#: Data-package tables named in the sources of the title block, and their words there.
_SUMBER_TABEL = ((Tabel.CAKUPAN_LAYANAN, "Cakupan layanan"),
                 (Tabel.KONVERGENSI_DESA, "Kartu skor konvergensi desa"),
                 (Tabel.LOKUS, "SK desa lokus"), (Tabel.ANGGARAN, "Pagu dan realisasi anggaran"),
                 (Tabel.STATUS_AKSI, "Status 8 aksi"))


def sumber_data(rv: Reviu) -> dict[str, str]:
    """Data sources and their dates for the title block."""
    out: dict[str, str] = {}
    if len(rv.putaran):
        out["e-PPGBM (register)"] = (f"{text.periode(rv.putaran['periode'].min())} – "
                                     f"{text.periode(rv.putaran['periode'].max())}, "
                                     f"{text.angka(len(rv.putaran))} putaran")
    if len(rv.survei):
        out["Survei prevalensi"] = text.daftar(list(rv.survei["sumber"]))
    for kode, label in _SUMBER_TABEL:
        out[label] = "tidak diserahkan" if kode.value in rv.tidak_tersedia else f"Tahun {rv.tahun}"
    return out


def angka_kunci(rv: Reviu) -> list[dict[str, Any]]:
    """Key figures for ``Laporan.angka_kunci`` (the report's JSON).

    Returns
    -------
    list of dict
        Keyword arguments of ``Laporan.angka_kunci``: ``sesuai_jalur`` (1 on course, 0 off
        course), ``aarr_observasi`` and ``aarr_diperlukan`` (percent per year),
        ``prevalensi_stunting_register`` (percent, CI), ``serapan_anggaran`` (percent),
        ``skor_8_aksi`` (0–100), and the projections ``proyeksi_prevalensi_register_<tahun>``.
    """
    return _kunci_putusan(rv) + _kunci_register(rv) + _kunci_lain(rv)


def _kunci_putusan(rv: Reviu) -> list[dict[str, Any]]:
    p = rv.putusan
    if p is None:
        return []
    span = f"{p.seri.label} {p.tahun_awal}–{p.tahun_akhir}"
    out: list[dict[str, Any]] = [
        {"kode": "sesuai_jalur", "nilai": 1 if p.sesuai_jalur else 0,
         "satuan": "1 = sesuai jalur, 0 = belum sesuai jalur", "sumber": span,
         "label": f"Sesuai jalur menuju {p.label.lower()} {text.persen(p.target_pct)} "
                  f"({p.tahun_target})"},
        {"kode": "aarr_observasi", "nilai": 100 * p.aarr_observasi, "satuan": "% per tahun",
         "sumber": span, "label": "Laju penurunan rata-rata per tahun (AARR) teramati"},
        {"kode": "aarr_diperlukan", "nilai": 100 * p.aarr_wajib, "satuan": "% per tahun",
         "sumber": f"{p.label} {p.tahun_target}",
         "label": "AARR yang diperlukan untuk mencapai target"},
    ]
    seen = set()
    for r in baris(rv.penilaian.dropna(subset=["aarr_observasi"])):
        if r.seri in seen:
            continue
        seen.add(r.seri)
        label = Seri(r.seri).label
        out.append({"kode": f"aarr_observasi_{r.seri}", "nilai": 100 * r.aarr_observasi,
                    "satuan": "% per tahun",
                    "sumber": f"{label} {int(r.tahun_awal)}–{int(r.tahun_akhir)}",
                    "label": f"AARR teramati, seri {label}"})
    return out


def _kunci_register(rv: Reviu) -> list[dict[str, Any]]:
    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else None
    if ann is None or rv.tahun not in ann.index:
        return []
    r: Any = ann.loc[rv.tahun]
    return [{"kode": "prevalensi_stunting_register", "nilai": r["prevalensi"], "satuan": "%",
             "ci": (r["ci_bawah"], r["ci_atas"]), "sumber": f"e-PPGBM {text.periode(r['periode'])}",
             "label": "Prevalensi stunting (register)"}]


def _kunci_lain(rv: Reviu) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if Tabel.ANGGARAN.value not in rv.tidak_tersedia:
        out.append({"kode": "serapan_anggaran", "nilai": rv.anggaran_total["serapan_pct"],
                    "satuan": "%", "sumber": f"Anggaran {rv.tahun}",
                    "label": "Serapan anggaran percepatan penurunan stunting"})
    out.append({"kode": "skor_8_aksi", "nilai": rv.aksi_total["skor"], "satuan": "skor 0–100",
                "sumber": f"Status aksi {rv.tahun}, rubrik analysis/data/config/rubrik_aksi.yaml",
                "label": "Skor pelaksanaan 8 aksi konvergensi"})
    for r in baris(rv.proyeksi):
        out.append({"kode": f"proyeksi_prevalensi_register_{int(r.tahun)}",
                    "nilai": r.prevalensi, "satuan": "%", "ci": (r.ci_bawah, r.ci_atas),
                    "sumber": "GLM binomial atas putaran register",
                    "label": f"Proyeksi prevalensi register {int(r.tahun)}"})
    return out
