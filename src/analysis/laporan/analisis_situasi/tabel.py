"""Aksi 1 reader tables: Indonesian headers, one row per unit, codes turned into words.

Also the frames the charts draw, the key figures and key list of the JSON, and the data
sources of the title block. Every function takes the :class:`~.hitung.Situasi`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from analysis import coverage as cov
from analysis import lokus as lk
from analysis import quality as qual
from analysis import text
from analysis.kode import JenisIntervensi, KategoriKualitas, KelompokSasaran, PosisiCorong, StatusLokus
from analysis.laporan.analisis_situasi.hitung import Situasi, lokus_terpilih, p0
from analysis.laporan.bersama import baris

#: The whole district in a table's total row.
SELURUH = "Seluruh kabupaten/kota"


def _ci(ll: Iterable[Any], ul: Iterable[Any]) -> list[str]:
    """CI cells without the unit (the header says ``(%)``), so narrow columns do not wrap."""
    return [text.rentang(a, b, unit="") for a, b in zip(ll, ul, strict=True)]


def _tanpa_awalan(names: pd.Series, prefix: str) -> pd.Series:
    return names.astype(str).str.replace(f"^{prefix} ", "", regex=True)


def label_indikator(s: Situasi) -> dict[str, str]:
    """Short indicator labels for charts and tables (``analisis_situasi.yaml``)."""
    return dict(s.atur.situasi.label_indikator)


def nama_kategori(kode: str) -> str:
    """Words of a quality category code (``dapat_diterima`` → ``"Dapat diterima"``)."""
    return KategoriKualitas(kode).label


# ------------------------------------------------------------------ summary ----
def sumber_data(s: Situasi) -> dict[str, str]:
    """Data sources and their dates for the title block."""
    out = {"e-PPGBM (register penimbangan)": f"putaran {text.periode(s.periode)}"}
    if s.survei:
        out[f"{s.survei.nama} (survei)"] = s.survei.keandalan.label
    if len(s.cakupan):
        out["Cakupan layanan per desa"] = f"tahun {s.tahun}"
    if len(s.profil):
        out["Profil desa"] = f"tahun {int(pd.to_numeric(s.profil['tahun']).max())}" \
            if "tahun" in s.profil else "tersedia"
    if s.tahun_lokus:
        out["SK desa lokus"] = f"tahun {s.tahun_lokus}"
    out["Batas wilayah dan kode"] = "Kemendagri"
    return out


def angka_kunci_ringkas(s: Situasi) -> pd.DataFrame:
    """The one-glance figures of the summary, each with its source."""
    st = s.register
    src = f"e-PPGBM {text.periode(s.periode)}"
    rows = [("Prevalensi stunting (register)",
             f"{text.persen(st.pct)} (95 % CI {text.rentang(st.ll, st.ul)})", src)]
    if s.survei:
        rows.append((f"Prevalensi stunting (survei {s.survei.sumber})", text.persen(s.survei.pct),
                     f"{s.survei.nama} ({s.survei.keandalan.label})"))
    q = s.kualitas.iloc[0]
    rows += [
        ("Balita stunting (register)", f"{text.angka(st.stunting)} anak", src),
        ("Balita diukur", f"{text.angka(st.anak)} anak", src),
        ("Desa/kelurahan lokus yang direkomendasikan",
         f"{text.angka(len(lokus_terpilih(s)))} dari {text.angka(len(s.skor))}",
         "skor prioritas (bagian Lokus)"),
        ("Kualitas data pengukuran",
         f"{nama_kategori(q['kategori'])} (skor {text.angka(q['skor'])})",
         "uji plausibilitas SMART"),
    ]
    return pd.DataFrame(rows, columns=["Ukuran", "Nilai", "Sumber"])


def sumber(s: Situasi) -> pd.DataFrame:
    """Data sources, their dates, and whether they were supplied."""
    rows = list(sumber_data(s).items())
    rows += [(f"Tabel {m}", "tidak tersedia") for m in s.hilang]
    return pd.DataFrame(rows, columns=["Sumber", "Keterangan"])


# ------------------------------------------------------------------ data ----
def pengukuran(s: Situasi) -> pd.DataFrame:
    """Children measured per kecamatan against the estimated balita (last row: the district)."""
    p = s.pengukuran_kec
    names = p["nama_kecamatan"].where(p["kec_code"] != "total", SELURUH)
    return pd.DataFrame({
        "Kecamatan": names,
        "Balita diukur": p["diukur"].astype(int),
        "Perkiraan balita": p["perkiraan_balita"],
        "Cakupan pengukuran (%)": p["cakupan_pct"],
    })


def akuntansi(s: Situasi) -> pd.DataFrame:
    """The row accounting with Indonesian headers."""
    a = s.akuntansi
    words = {"dibaca": "Baris dibaca", "dianalisis": "Dianalisis"}
    keterangan = [words.get(j, f"Dikeluarkan: {r}") for j, r in zip(a["jenis"], a["alasan"],
                                                                      strict=True)]
    return pd.DataFrame({"Keterangan": keterangan, "Baris": a["baris"].astype(int),
                         "Persen": a["persen"]})


# ------------------------------------------------------------------ prevalence ----
def kecamatan(s: Situasi) -> pd.DataFrame:
    """Prevalence per kecamatan (every status, stunting with its 95 % CI)."""
    k = s.status_kec.sort_values("pct_stunting", ascending=False, na_position="last")
    total = s.status_kab.assign(nama_kecamatan=SELURUH)
    k = pd.concat([k, total], ignore_index=True)
    return pd.DataFrame({
        "Kecamatan": k["nama_kecamatan"],
        "Balita diukur": k["anak"].astype(int),
        "Stunting (anak)": k["jumlah_stunting"].astype(int),
        "Stunting (%)": k["pct_stunting"],
        "95 % CI (%)": _ci(k["ll_stunting"], k["ul_stunting"]),
        "Sangat pendek (%)": k["pct_sangat_pendek"],
        "Wasting (%)": k["pct_wasting"],
        "Underweight (%)": k["pct_underweight"],
        "Overweight (%)": k["pct_overweight"],
    })


def kecamatan_grafik(s: Situasi) -> pd.DataFrame:
    """Kecamatan stunting prevalence with CI limits, for the bar chart."""
    k = s.status_kec
    return pd.DataFrame({"nama": k["nama_kecamatan"], "pct": k["pct_stunting"],
                         "ll": k["ll_stunting"], "ul": k["ul_stunting"]})


def _tanda_desa(row: Any, min_anak: int) -> str:
    marks = []
    if row.anak == 0:
        marks.append("tidak ada data")
    elif row.data_sedikit:
        marks.append(f"< {min_anak} anak")
    if row.posisi_funnel == PosisiCorong.ATAS_998:
        marks.append("titik rawan")
    return "; ".join(marks)


def desa(s: Situasi, pilihan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Prevalence per desa with CIs and the marks (little data, funnel hotspot).

    Parameters
    ----------
    pilihan : DataFrame, optional
        A subset of ``s.skor`` to show (default every desa, by kecamatan and name).
    """
    d = s.skor if pilihan is None else pilihan
    if pilihan is None:
        d = d.sort_values(["nama_kecamatan", "nama_desa"])
    st = s.status_desa.set_index("desa_code").reindex(d["desa_code"])
    catatan = [_tanda_desa(row, s.atur.lokus.min_anak) for row in baris(d)]
    return pd.DataFrame({
        "Desa/kelurahan": d["nama_desa"].to_numpy(),
        "Kecamatan": d["nama_kecamatan"].to_numpy(),
        "Diukur": d["anak"].astype(int).to_numpy(),
        "Sangat pendek": st["jumlah_sangat_pendek"].astype(int).to_numpy(),
        "Pendek": st["jumlah_pendek"].astype(int).to_numpy(),
        "Stunting (%)": st["pct_stunting"].to_numpy(),
        "95 % CI (%)": _ci(st["ll_stunting"], st["ul_stunting"]),
        "Wasting (%)": st["pct_wasting"].to_numpy(),
        "Underweight (%)": st["pct_underweight"].to_numpy(),
        "Overweight (%)": st["pct_overweight"].to_numpy(),
        "Catatan": catatan,
    })


def umur_jk(s: Situasi, rinci: bool = False) -> pd.DataFrame:
    """Stunting, wasting, underweight, overweight by WHO age group and sex (anthro groups).

    Parameters
    ----------
    rinci : bool
        Also the 12 age × sex rows (for the annex); default the whole data set, the six
        age groups and the two sexes.
    """
    t = s.prevalensi
    if not rinci:
        t = t[~t["Group"].str.startswith("Age + sex")]
    label = (t["Group"].str.replace("Age group: ", "Umur ", regex=False)
             .str.replace("Age + sex: ", "Umur ", regex=False)
             .str.replace("Sex: Female", "Perempuan", regex=False)
             .str.replace("Sex: Male", "Laki-laki", regex=False)
             .str.replace(" mo.Female", " bln, perempuan", regex=False)
             .str.replace(" mo.Male", " bln, laki-laki", regex=False)
             .str.replace(" mo", " bln", regex=False)
             .str.replace("All", "Semua balita", regex=False))
    return pd.DataFrame({
        "Kelompok": label,
        "Balita": t["HAZ_pop"].astype(int),
        "Stunting (%)": t["HA_2_r"],
        "95 % CI (%)": _ci(t["HA_2_ll"], t["HA_2_ul"]),
        "Sangat pendek (%)": t["HA_3_r"],
        "Wasting (%)": t["WH_2_r"],
        "Underweight (%)": t["WA_2_r"],
        "Overweight (%)": t["WH2_r"],
        "Rata-rata z TB/U": t["HA_r"],
        "SD z TB/U": t["HA_stdev"],
    })


def nilai_peta(s: Situasi, level: str) -> pd.DataFrame:
    """``kode`` and ``pct`` (stunting, percent; shrunk for desa) for the maps.

    Desa values are the empirical-Bayes adjusted prevalence, so that a desa with a handful
    of children does not colour the map on noise; desa without measurements stay empty.
    """
    if level == "kecamatan":
        k = s.status_kec
        return pd.DataFrame({"kode": k["kec_code"], "pct": k["pct_stunting"]})
    d = s.skor
    return pd.DataFrame({"kode": d["desa_code"],
                         "pct": d["pct_disesuaikan"].where(d["anak"] > 0)})


def funnel_data(s: Situasi) -> pd.DataFrame:
    """Per desa ``n_stunting``, ``jumlah_stunting``, ``nama_desa`` for the funnel plot."""
    return s.skor[["n_stunting", "jumlah_stunting", "nama_desa"]]


def label_desa(s: Situasi) -> pd.Series:
    """Desa code → name."""
    return s.wilayah.set_index("desa_code")["nama_desa"]


# ------------------------------------------------------------------ coverage ----
def cakupan_indikator(s: Situasi) -> pd.DataFrame:
    """District coverage per indicator against the 2024 target, largest gap first
    (short indicator labels; the full names are in the indicator catalogue)."""
    c = s.cakupan_indikator
    short = label_indikator(s)
    below = [f"{a} dari {b}" if not pd.isna(t) else "–" for a, b, t in
             zip(c["desa_di_bawah_target"].astype(int), c["desa"].astype(int), c["target_pct"],
                 strict=True)]
    return pd.DataFrame({
        "Indikator": c["kode_indikator"].map(short).fillna(c["nama"]),
        "Jenis": c["jenis"].map(JenisIntervensi.labels()).fillna(c["jenis"]),
        "Sasaran": c["sasaran"].astype(int),
        "Capaian": c["capaian"].astype(int),
        "Cakupan (%)": c["cakupan_pct"],
        "Target 2024 (%)": c["target_pct"],
        "Kesenjangan (poin)": c["kesenjangan_pp"],
        "Desa di bawah target": below,
    })


def nama_kelompok(kode: Any) -> str:
    """Words of a target-group code (unknown codes as written)."""
    return KelompokSasaran.labels().get(str(kode), str(kode))


def kelompok_sasaran(s: Situasi) -> pd.DataFrame:
    """Target groups, most missed first."""
    k = s.kelompok_sasaran
    return pd.DataFrame({
        "Kelompok sasaran": k["kelompok_sasaran"].map(nama_kelompok),
        "Indikator": k["indikator"].astype(int),
        "Cakupan gabungan (%)": k["cakupan_pct"],
        "Rata-rata kesenjangan (poin)": k["kesenjangan_rata_pp"],
        "Layanan belum diterima": k["layanan_belum_diterima"].astype(int),
    })


def cakupan_desa(s: Situasi) -> pd.DataFrame:
    """Per desa × indicator coverage and target, long form (for the annex)."""
    c = s.cakupan.merge(s.wilayah[["desa_code", "nama_desa", "nama_kecamatan"]],
                        left_on="kode_desa", right_on="desa_code", how="left")
    return pd.DataFrame({
        "Kode desa": c["kode_desa"], "Desa/kelurahan": c["nama_desa"],
        "Kecamatan": c["nama_kecamatan"], "Indikator": c["nama"],
        "Sasaran": c["sasaran"], "Capaian": c["capaian"], "Cakupan (%)": c["cakupan_pct"],
        "Target 2024 (%)": c["target_pct"], "Kesenjangan (poin)": c["kesenjangan_pp"],
    })


def matriks_kesenjangan(s: Situasi) -> pd.DataFrame:
    """Desa × indicator gaps for the heatmap (:func:`analysis.coverage.gap_matrix`)."""
    return cov.gap_matrix(s.cakupan)


# ------------------------------------------------------------------ lokus ----
def bobot(s: Situasi) -> pd.DataFrame:
    """The weights of the lokus score as used (after dropping components without data)."""
    cfg = s.atur.lokus
    w_cfg = lk.normalised_weights(cfg.bobot)
    w = s.skor.attrs.get("bobot", w_cfg)
    return pd.DataFrame({
        "Komponen": [cfg.label_komponen[k] for k in lk.COMPONENTS],
        "Bobot di konfigurasi (%)": [w_cfg[k] * 100 for k in lk.COMPONENTS],
        "Bobot dipakai (%)": [w[k] * 100 for k in lk.COMPONENTS],
    })


def _tanda_lokus(r: Any) -> str:
    marks = []
    if r.direkomendasikan:
        marks.append("lokus")
    if r.data_sedikit:
        marks.append("data sedikit")
    if r.posisi_funnel == PosisiCorong.ATAS_998:
        marks.append("titik rawan")
    return ", ".join(marks)


def lokus(s: Situasi, n: int | None = None) -> pd.DataFrame:
    """The ranking with the score components (top ``n``; all when None)."""
    d = s.skor if n is None else s.skor.head(n)
    return pd.DataFrame({
        "No.": d["peringkat"].astype(int),
        "Desa/kelurahan": d["nama_desa"],
        "Kecamatan": d["nama_kecamatan"],
        "Stunting / diukur": [f"{text.angka(a)} / {text.angka(b)}"
                              for a, b in zip(d["jumlah_stunting"], d["anak"], strict=True)],
        "Prev. (%)": d["pct_stunting"],
        "Disesuaikan (%)": d["pct_disesuaikan"],
        "Perubahan (poin)": d["perubahan_pp"],
        "Kesenjangan (poin)": d["kesenjangan_rata_pp"],
        "Skor": d["skor"],
        "Ket.": [_tanda_lokus(r) for r in baris(d)],
    })


def sensitivitas(s: Situasi) -> pd.DataFrame:
    """How many of the main top list stay under each alternative weight set."""
    p = s.sensitivitas
    cfg = s.atur.lokus
    sets = {"utama": cfg.bobot, **cfg.bobot_alternatif}
    heads = {"prevalensi": "Prevalensi (%)", "jumlah_stunting": "Jumlah kasus (%)",
             "kesenjangan_cakupan": "Cakupan (%)", "perubahan": "Perubahan (%)"}
    out = pd.DataFrame({"Set bobot": p["label"].to_numpy()})
    for k in lk.COMPONENTS:
        out[heads[k]] = [lk.normalised_weights(sets[key])[k] * 100 for key in p["bobot"]]
    out["Desa lokus"] = p["jumlah_lokus"].astype(int).to_numpy()
    out["Sama dengan daftar utama"] = p["sama_dengan_utama"].astype(int).to_numpy()
    return out


def banding_lokus(s: Situasi) -> pd.DataFrame:
    """Recommended lokus against the decreed ones."""
    c = s.lokus_ditetapkan
    return pd.DataFrame({
        "Desa/kelurahan": c["nama_desa"].fillna(c["desa_code"]),
        "Kecamatan": c["nama_kecamatan"],
        "Peringkat": c["peringkat"].astype("Int64"),
        "Skor": c["skor"],
        "Status": c["status"].map(StatusLokus.labels()),
    })


def intervensi_desa(s: Situasi) -> pd.DataFrame:
    """Recommended lokus with the reason from the data and the priority interventions.

    Returns
    -------
    DataFrame
        ``Desa/kelurahan, Alasan dari data, Intervensi prioritas``: the reason names the
        components that put the desa on the list; the interventions are the desa's
        ``daftar.intervensi_per_desa`` largest coverage gaps (short labels, coverage → target).
    """
    lok = lokus_terpilih(s)
    kab = p0(s) * 100
    gaps = s.cakupan
    short = label_indikator(s)
    n_intervensi = s.atur.situasi.daftar.intervensi_per_desa
    rise = s.atur.situasi.ambang.kenaikan_desa_pp
    rows = []
    for r in baris(lok):
        why = [f"{text.angka(r.jumlah_stunting)} balita stunting dari {text.angka(r.anak)} "
               f"diukur ({text.persen(r.pct_stunting)}; kab/kota {text.persen(kab)})"]
        if r.posisi_funnel == PosisiCorong.ATAS_998:
            why.append("titik rawan nyata (di atas batas 99,8 %)")
        if not pd.isna(r.perubahan_pp) and r.perubahan_pp > rise:
            why.append(f"naik {text.poin_persen(r.perubahan_pp)} dari tahun lalu")
        if not pd.isna(r.kesenjangan_rata_pp):
            why.append(f"kesenjangan cakupan rata-rata {text.angka(r.kesenjangan_rata_pp, 1)} "
                       "poin")
        todo = ""
        if len(gaps):
            g = gaps[(gaps["kode_desa"] == r.desa_code) & (gaps["kesenjangan_pp"] > 0)]
            g = g.nlargest(n_intervensi, "kesenjangan_pp")
            todo = "; ".join(f"{short.get(row.kode_indikator, row.nama)} "
                             f"({text.angka(row.cakupan_pct, 0)} → {text.persen(row.target_pct, 0)})"
                             for row in baris(g))
        rows.append({"Desa/kelurahan": f"{r.nama_desa} ({r.nama_kecamatan})",
                     "Alasan dari data": "; ".join(why),
                     "Intervensi prioritas (cakupan → target)": todo or
                     ("data cakupan layanan tidak tersedia" if not len(gaps) else
                      "semua indikator mencapai target")})
    return pd.DataFrame(rows)


def kemendagri(s: Situasi, hanya_lokus: bool = False) -> pd.DataFrame:
    """Per desa in the shape the Kemendagri portal asks for.

    Columns: Kode desa, Desa/kelurahan (the code carries the kecamatan), Keluarga, Keluarga
    berisiko (KRS), Balita diukur, Sangat pendek (TB/U < −3), Pendek (−3 ≤ TB/U < −2),
    Prevalensi (%), Cakupan spesifik (%), Cakupan sensitif (%) (mean coverage of the desa's
    indicators). Missing inputs stay empty (never zero).
    """
    d = s.status_desa.sort_values(["nama_kecamatan", "nama_desa"])
    out = pd.DataFrame({
        "Kode desa": d["desa_code"].to_numpy(),
        "Desa/kelurahan": d["nama_desa"].to_numpy(),
    })
    if len(s.profil):
        latest = s.profil.drop_duplicates("kode_desa", keep="last")
        p = latest.set_index(latest["kode_desa"].astype(str))
        out["Keluarga"] = out["Kode desa"].map(p["jumlah_keluarga"]).astype("Int64")
        out["Keluarga berisiko (KRS)"] = out["Kode desa"].map(
            p["keluarga_berisiko_stunting"]).astype("Int64")
    else:
        out["Keluarga"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["Keluarga berisiko (KRS)"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["Balita diukur"] = d["n_stunting"].astype(int).to_numpy()
    out["Sangat pendek"] = d["jumlah_sangat_pendek"].astype(int).to_numpy()
    out["Pendek"] = d["jumlah_pendek"].astype(int).to_numpy()
    out["Prevalensi (%)"] = d["pct_stunting"].to_numpy()
    if len(s.cakupan_desa):
        c = s.cakupan_desa.set_index("kode_desa")
        out["Cakupan spesifik (%)"] = out["Kode desa"].map(c["cakupan_spesifik_pct"])
        out["Cakupan sensitif (%)"] = out["Kode desa"].map(c["cakupan_sensitif_pct"])
    else:
        out["Cakupan spesifik (%)"] = np.nan
        out["Cakupan sensitif (%)"] = np.nan
    if hanya_lokus:
        out = out[out["Kode desa"].isin(lokus_terpilih(s)["desa_code"])].reset_index(drop=True)
    return out


# ------------------------------------------------------------------ quality ----
def kualitas(s: Situasi) -> pd.DataFrame:
    """Quality score per puskesmas (first row the district) with its weak points."""
    q = s.kualitas
    n = s.atur.situasi.daftar.kelemahan_per_baris
    label = (_tanpa_awalan(q["puskesmas"], "Puskesmas") if "puskesmas" in q
             else pd.Series([SELURUH]))
    return pd.DataFrame({
        "Puskesmas": label,
        "Anak": q["anak"].astype(int),
        "Skor": q["skor"],
        "Kategori": q["kategori"].map(nama_kategori),
        "Kelemahan utama": [", ".join(qual.weak_points(r, s.atur.kualitas)[:n]) or "–"
                            for _, r in q.iterrows()],
    })


def kualitas_rinci(s: Situasi) -> pd.DataFrame:
    """Every quality metric per puskesmas (first row the district), short headers."""
    q = s.kualitas
    label = (_tanpa_awalan(q["puskesmas"], "Puskesmas") if "puskesmas" in q
             else pd.Series([SELURUH]))
    return pd.DataFrame({
        "Puskesmas": label,
        "Flag WHO (%)": q["who_flag_pct"],
        "Flag BB/TB (%)": q["whz_flag_pct"],
        "SD TB/U": q["sd_haz"],
        "SD BB/TB": q["sd_whz"],
        "Skew BB/TB": q["skew_whz"],
        "Kurt BB/TB": q["kurt_whz"],
        "DPS BB": q["dps_berat"],
        "DPS TB": q["dps_tinggi"],
        "p rasio L/P": q["sex_ratio_p"],
        "p rasio umur": q["age_ratio_p"],
        "Heaping umur": q["heaping_umur"],
        "Duplikat": q["duplikat"].astype(int),
    })


def posyandu(s: Situasi) -> pd.DataFrame:
    """The posyandu with the worst plausibility score."""
    w = s.posyandu_terburuk
    if w.empty:
        return pd.DataFrame()
    n = s.atur.situasi.daftar.kelemahan_per_baris
    return pd.DataFrame({
        "Posyandu": _tanpa_awalan(w["posyandu"], "Posyandu"), "Anak": w["anak"].astype(int),
        "Skor": w["skor"], "Kategori": w["kategori"].map(nama_kategori),
        "Kelemahan utama": [", ".join(qual.weak_points(r, s.atur.kualitas)[:n])
                            for _, r in w.iterrows()],
    })


# ------------------------------------------------------------------ JSON ----
def angka_kunci(s: Situasi) -> list[dict[str, Any]]:
    """Key figures for ``Laporan.angka_kunci`` (keyword dicts)."""
    st = s.register
    src = f"e-PPGBM {text.periode(s.periode)}"
    out: list[dict[str, Any]] = [
        {"kode": "prevalensi_stunting_register", "nilai": st.pct, "satuan": "%",
         "ci": (st.ll, st.ul), "sumber": src, "label": "Prevalensi stunting (register e-PPGBM)"},
        {"kode": "jumlah_balita_stunting", "nilai": st.stunting, "satuan": "anak",
         "sumber": src, "label": "Jumlah balita stunting (register)"},
        {"kode": "jumlah_balita_diukur", "nilai": st.anak, "satuan": "anak",
         "sumber": src, "label": "Jumlah balita diukur"},
    ]
    if s.survei:
        out.append({"kode": "prevalensi_stunting_survei", "nilai": s.survei.pct,
                    "satuan": "%", "sumber": s.survei.nama,
                    "label": f"Prevalensi stunting (survei {s.survei.nama})"})
    lok = lokus_terpilih(s)
    out.append({"kode": "jumlah_lokus_direkomendasikan", "nilai": len(lok), "satuan": "desa",
                "sumber": src, "label": "Desa lokus yang direkomendasikan: "
                + text.daftar(list(lok["nama_desa"]))})
    q = s.kualitas.iloc[0]
    out.append({"kode": "skor_kualitas_data", "nilai": q["skor"], "satuan": "poin",
                "sumber": src, "label": f"Skor kualitas data (SMART): {nama_kategori(q['kategori'])}"})
    return out


def lokus_json(s: Situasi) -> list[dict[str, Any]]:
    """The recommended lokus as plain records (code, name, kecamatan, rank, score)."""
    lok = lokus_terpilih(s)
    return [{"kode_desa": r.desa_code, "nama_desa": r.nama_desa,
             "kecamatan": r.nama_kecamatan, "peringkat": int(r.peringkat),
             "skor": round(float(r.skor), 1)} for r in baris(lok)]

