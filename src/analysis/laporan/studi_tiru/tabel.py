"""Studi tiru reader tables (Indonesian headers, codes turned into words), chart labels, the
data sources of the title block and the key figures of the JSON."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.kode import Peran, PosisiBanding, PosisiCorong
from analysis.laporan.bersama import baris, nama_pendek
from analysis.laporan.studi_tiru.hitung import Daerah, StudiTiru, aarr_sebanding
from analysis.laporan.studi_tiru.kalimat import catatan_hilang, nama, periode, pertanyaan, tingkat_ik
from analysis.pengaturan import RubrikAksi


def label_daerah(st: StudiTiru) -> dict[str, str]:
    """District code → short name for charts (``"Kutai Kartanegara"``)."""
    return {d.kab: nama_pendek(d.kab, d.nama) for d in st.daerah}


def label_indikator(st: StudiTiru) -> dict[str, str]:
    """Indicator code → short label for charts (``studi_tiru.yaml``)."""
    return dict(st.atur.studi.label_indikator)


def rentang_peringkat(ranking: pd.DataFrame) -> list[str]:
    """The ranks consistent with the noise, as text: ``"1–3"``, ``"2"``, ``"–"``."""
    return [text.rentang_bulat(a, b)
            for a, b in zip(ranking["peringkat_min"], ranking["peringkat_maks"], strict=True)]


def _rp(value: Any) -> str:
    return text.rupiah(value, compact=True)


def sumber_data(st: StudiTiru) -> dict[str, str]:
    """Data sources and their dates for the title block."""
    out = {"e-PPGBM (register penimbangan)": f"putaran {periode(st)}"}
    surveys = sorted({d.survei.nama for d in st.daerah if d.survei})
    if surveys:
        out["Survei (SSGI/SKI)"] = text.daftar(surveys)
    out["Cakupan layanan, anggaran, status 8 aksi"] = f"tahun {st.tahun}"
    out["Penduduk, kecamatan, desa/kelurahan"] = "Kemendagri"
    return out


def profil(st: StudiTiru) -> pd.DataFrame:
    """Side-by-side profile.

    Host view: one row per measure, one column per district (host first). Province view: one
    row per district. Missing values are ``–`` (never 0); the last row/column names the tables
    a district did not supply.
    """
    f = st.frame
    lab = label_daerah(st)
    notes = [catatan_hilang(h) for h in f["hilang"]]
    if st.provinsi_view:
        out = pd.DataFrame({
            "Kabupaten/kota": [lab.get(k, k) for k in f["kab"]],
            "Penduduk": f["penduduk"].astype("Int64"),
            "Balita": f["perkiraan_balita"].round().astype("Int64"),
            "Diukur": f["diukur"],
            "Diukur (%)": f["cakupan_ukur_pct"],
            "Realisasi (Rp miliar)": f["realisasi"] / 1e9,
        })
        if any(notes):
            out["Catatan"] = notes
        return out
    measured = (f"Balita diukur ({periode(st)})" if st.frame["periode"].nunique() <= 1
                else "Balita diukur (putaran terakhir)")
    rows = [
        ("Peran", [Peran(p).label for p in f["peran"]]),
        ("Penduduk (semester II 2024)", [text.angka(v) for v in f["penduduk"]]),
        ("Kecamatan", [text.angka(v) for v in f["kecamatan"]]),
        ("Desa/kelurahan", [text.angka(v) for v in f["desa"]]),
        ("Keluarga", [text.angka(v) for v in f["keluarga"]]),
        ("Keluarga berisiko stunting", [text.angka(v) for v in f["keluarga_berisiko"]]),
        ("Perkiraan balita", [text.angka(v) for v in f["perkiraan_balita"]]),
        (measured, [text.angka(v) for v in f["diukur"]]),
        ("Cakupan pengukuran", [text.persen(v) for v in f["cakupan_ukur_pct"]]),
        ("Pagu anggaran stunting", [_rp(v) for v in f["pagu"]]),
        ("Realisasi", [_rp(v) for v in f["realisasi"]]),
        ("Serapan", [text.persen(v) for v in f["serapan_pct"]]),
    ]
    if any(notes):
        rows.append(("Data tidak tersedia", notes))
    out = pd.DataFrame({"Ukuran": [r[0] for r in rows]})
    for i, kab in enumerate(f["kab"]):
        out[lab.get(kab, kab)] = [r[1][i] for r in rows]
    return out


def peringkat(st: StudiTiru) -> pd.DataFrame:
    """Register prevalence with CI, funnel position and rank interval, lowest first."""
    r = st.ranking.sort_values("pct", na_position="last")
    lab = label_daerah(st)
    return pd.DataFrame({
        "Kabupaten/kota": [lab.get(k, k) for k in r["kab"]],
        "Diukur": r["n"],
        "Stunting": r["stunting"],
        f"Register (IK {tingkat_ik(st)})": [
            f"{text.persen(p)} ({text.rentang(a, b, unit='')})" if pd.notna(p) else text.MISSING
            for p, a, b in zip(r["pct"], r["ll"], r["ul"], strict=True)],
        "Plot corong": r["posisi_funnel"].map(PosisiCorong.labels()).fillna(text.MISSING),
        "Peringkat": rentang_peringkat(r),
        "Survei terakhir": [f"{text.persen(p)} ({s})" if pd.notna(p) else text.MISSING
                            for p, s in zip(r["survei_pct"], r["survei_sumber"], strict=True)],
    })


def tren(st: StudiTiru) -> pd.DataFrame:
    """AARR per district and series, labelled with the sources at both ends."""
    a = st.aarr.copy()
    seri = {"survei": "Survei", "register": "Register"}
    minspan = st.atur.studi.pertanyaan.min_rentang_aarr_tahun
    ok = set()
    for name in ("survei", "register"):
        ok |= {(k, name) for k in aarr_sebanding(st.aarr, name, minspan)["kab"]}
    a["_o"] = a["seri"].map({"survei": 0, "register": 1})
    a["_tidak"] = [(k, sr) not in ok for k, sr in zip(a["kab"], a["seri"], strict=True)]
    a = a.sort_values(["_o", "_tidak", "aarr"], ascending=[True, True, False],
                      na_position="last")
    last = a.groupby("seri")["tahun_akhir"].transform("max")
    note = np.where([(k, sr) in ok for k, sr in zip(a["kab"], a["seri"], strict=True)], "",
                    np.where(a["aarr"].isna(), "satu titik",
                             np.where(a["tahun_akhir"] < last, "titik akhir lebih lama",
                                      "rentang pendek")))
    return pd.DataFrame({
        "Kabupaten/kota": a["nama"],
        "Seri": a["seri"].map(seri),
        "Awal": [f"{text.persen(p)} ({s})" for p, s in zip(a["p_awal"], a["sumber_awal"],
                                                           strict=True)],
        "Akhir": [f"{text.persen(p)} ({s})" for p, s in zip(a["p_akhir"], a["sumber_akhir"],
                                                            strict=True)],
        "AARR (% per tahun)": 100 * a["aarr"],
        "Catatan": note,
    })


def cakupan_tamu(st: StudiTiru) -> pd.DataFrame:
    """Host view: each indicator's coverage, host then visitors with their difference."""
    lab = label_daerah(st)
    host = st.cakupan[st.cakupan["kab"] == st.tuan_rumah].copy()
    host["_o"] = host["jenis"].map({"spesifik": 0, "sensitif": 1})
    host = host.sort_values(["_o", "kode_indikator"], kind="stable")
    short = label_indikator(st)
    out = pd.DataFrame({"Indikator": [short.get(k, n) for k, n in
                                      zip(host["kode_indikator"], host["indikator"], strict=True)],
                        "Target (%)": host["target_pct"].to_numpy(),
                        f"{lab.get(str(st.tuan_rumah))} (%)": host["cakupan_pct"].to_numpy()})
    for d in st.daerah:
        if d.kab == st.tuan_rumah:
            continue
        b = st.banding[st.banding["kab"] == d.kab].set_index("kode_indikator")
        cells = []
        for kode in host["kode_indikator"]:
            if kode not in b.index:
                cells.append(text.MISSING)
                continue
            r = b.loc[kode]
            cells.append(f"{text.angka(r['cakupan_pct'], 1)} ({text.bertanda(r['selisih_pp'])})"
                         f"{'*' if r['bermakna'] else ''}")
        out[f"{lab.get(d.kab, d.kab)} (%)"] = cells
    return out


def selisih_provinsi(st: StudiTiru) -> pd.DataFrame:
    """Province view: the largest differences from the other districts beyond the noise."""
    lab = label_indikator(st)
    b = st.banding[st.banding["bermakna"]].copy()
    b["_abs"] = b["keunggulan_pp"].abs()
    b = b.sort_values("_abs", ascending=False).head(st.atur.studi.maks_baris_selisih)
    names = label_daerah(st)
    return pd.DataFrame({
        "Kabupaten/kota": [names.get(k, k) for k in b["kab"]],
        "Indikator": [lab.get(k, n) for k, n in zip(b["kode_indikator"], b["indikator"],
                                                    strict=True)],
        "Cakupan (%)": b["cakupan_pct"],
        "Lainnya (%)": b["cakupan_pembanding_pct"],
        f"Selisih, poin persen (IK {tingkat_ik(st)})": [
            f"{text.bertanda(d)} ({text.bertanda(a)} s.d. {text.bertanda(c)})"
            for d, a, c in zip(b["selisih_pp"], b["bawah_pp"], b["atas_pp"], strict=True)],
        "Posisi": b["posisi"].map(PosisiBanding.labels()),
    })


def anggaran(st: StudiTiru) -> pd.DataFrame:
    """Budget, spending per stunted child and per child reached (one row per district)."""
    f = st.frame.sort_values("belanja_per_stunting", na_position="last")
    lab = label_daerah(st)
    return pd.DataFrame({
        "Kabupaten/kota": [lab.get(k, k) for k in f["kab"]],
        "Realisasi (Rp miliar)": f["realisasi"] / 1e9,
        "Stunting (anak)": f["stunting"],
        "Per anak stunting (Rp juta)": f["belanja_per_stunting"] / 1e6,
        "Terjangkau (balita)": f["anak_terjangkau"].round().astype("Int64"),
        "Per balita terjangkau (Rp juta)": f["belanja_per_anak_terjangkau"] / 1e6,
    })


def biaya_indikator(st: StudiTiru) -> pd.DataFrame:
    """Realised spending per person reached per intervention (one column per district)."""
    lab = label_daerah(st)
    parts = []
    for d in st.daerah:
        c = d.biaya_per_capaian
        if c is None or c.empty:
            continue
        parts.append(c.assign(kab=d.kab)[["kab", "kode_indikator", "nama", "biaya_per_capaian"]])
    if not parts:
        return pd.DataFrame(columns=["Intervensi"])
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index=["kode_indikator", "nama"], columns="kab",
                            values="biaya_per_capaian", aggfunc="first")
    short = label_indikator(st)
    out = pd.DataFrame({"Intervensi": [short.get(k, n) for k, n in wide.index]})
    for d in st.daerah:
        col = wide[d.kab] if d.kab in wide.columns else pd.Series(np.nan, index=wide.index)
        out[lab.get(d.kab, d.kab)] = [_rp(v) for v in col]
    return out


def aksi(daerah: list[Daerah], rubrik: RubrikAksi) -> pd.DataFrame:
    """Grade of each aksi per district, and the overall score.

    Returns
    -------
    DataFrame
        One row per aksi (``Aksi``: ``"1. Analisis Situasi"``) and a last row
        ``"Skor keseluruhan (0–100)"``; one column per district holding the grade (``A``–``D``)
        or the score; ``"tidak tersedia"`` where the district did not supply its status table.
    """
    names = {k: v.nama for k, v in rubrik.aksi.items()}
    rows = [f"{k}. {v}" for k, v in sorted(names.items())] + ["Skor keseluruhan (0–100)"]
    out = pd.DataFrame({"Aksi": rows})
    for d in daerah:
        if d.aksi_total is None or d.aksi.empty:
            out[d.nama] = "tidak tersedia"
            continue
        grades = d.aksi.set_index("aksi")["nilai"].reindex(sorted(names)).fillna(text.MISSING)
        out[d.nama] = list(grades.astype(str)) + [
            f"{text.angka(d.aksi_total['skor'], 1)} ({d.aksi_total['nilai']})"]
    return out


def aksi_singkat(st: StudiTiru) -> pd.DataFrame:
    """:func:`aksi` with short district names; in the province view one row per district and
    one column per aksi (``Aksi 1`` … ``Aksi 8``, ``Skor``)."""
    lab = label_daerah(st)
    t = aksi(st.daerah, st.atur.rubrik).rename(
        columns={d.nama: lab.get(d.kab, d.nama) for d in st.daerah})
    if not st.provinsi_view:
        return t
    wide = t.set_index("Aksi").T
    wide.columns = [f"Aksi {i}" for i in range(1, len(wide.columns))] + ["Skor"]
    return wide.rename_axis("Kabupaten/kota").reset_index()


def tabel_pertanyaan(st: StudiTiru) -> pd.DataFrame:
    """The questions, numbered, with who is asked and why."""
    p = pertanyaan(st)
    return pd.DataFrame({"No.": range(1, len(p) + 1), "Pertanyaan": p["pertanyaan"],
                         "Ditujukan kepada": [nama(st, k) for k in p["kab"]],
                         "Dasar (selisih)": p["alasan"]})


def angka_kunci(st: StudiTiru) -> list[dict[str, Any]]:
    """Key figures per district for ``Laporan.angka_kunci`` (keyword dicts)."""
    out: list[dict[str, Any]] = []
    aarr = st.aarr.set_index(["kab", "seri"]) if len(st.aarr) else None
    for r in baris(st.frame):
        k = r.kab.replace(".", "_")
        src = f"e-PPGBM {text.periode(r.periode)}" if r.periode else "e-PPGBM"
        out += [
            {"kode": f"prevalensi_stunting_register_{k}", "nilai": r.pct, "satuan": "%",
             "ci": (r.ll, r.ul), "sumber": src,
             "label": f"{r.nama}: prevalensi stunting (register e-PPGBM)"},
            {"kode": f"jumlah_balita_stunting_{k}", "nilai": r.stunting, "satuan": "anak",
             "sumber": src, "label": f"{r.nama}: jumlah balita stunting (register)"},
            {"kode": f"jumlah_balita_diukur_{k}", "nilai": r.diukur, "satuan": "anak",
             "sumber": src, "label": f"{r.nama}: jumlah balita diukur"},
            {"kode": f"prevalensi_stunting_survei_{k}", "nilai": r.survei_pct, "satuan": "%",
             "sumber": r.survei_sumber or "", "label": f"{r.nama}: prevalensi stunting "
                                                       f"(survei {r.survei_sumber or 'tidak ada'})"},
            {"kode": f"realisasi_per_anak_stunting_{k}", "nilai": r.belanja_per_stunting,
             "satuan": "Rp", "sumber": f"anggaran {st.tahun}",
             "label": f"{r.nama}: realisasi anggaran per balita stunting"},
            {"kode": f"realisasi_per_balita_terjangkau_{k}",
             "nilai": r.belanja_per_anak_terjangkau, "satuan": "Rp",
             "sumber": f"anggaran dan cakupan layanan {st.tahun}",
             "label": f"{r.nama}: realisasi anggaran per balita terjangkau"},
            {"kode": f"skor_8_aksi_{k}", "nilai": r.skor_aksi, "satuan": "poin",
             "sumber": f"status aksi {st.tahun}", "label": f"{r.nama}: skor 8 aksi konvergensi"},
        ]
        if aarr is not None and (r.kab, "survei") in aarr.index:
            a = aarr.loc[(r.kab, "survei")]
            out.append({"kode": f"aarr_survei_{k}", "nilai": 100 * a["aarr"],
                        "satuan": "% per tahun", "sumber": f"{a['sumber_awal']}–{a['sumber_akhir']}",
                        "label": f"{r.nama}: AARR prevalensi stunting (survei)"})
    return out
