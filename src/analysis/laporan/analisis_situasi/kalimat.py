"""Aksi 1 prose: every data-derived sentence and the recommendations (Markdown).

Every function takes the :class:`~.hitung.Situasi`; numbers go through :mod:`analysis.text`;
thresholds and list lengths come from ``analisis_situasi.yaml`` (``s.atur``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import lokus as lk
from analysis import quality as qual
from analysis import text
from analysis.kode import KategoriKualitas, StatusLokus
from analysis.laporan.analisis_situasi.hitung import Situasi, lokus_terpilih, p0, titik_rawan
from analysis.laporan.analisis_situasi.tabel import label_indikator, nama_kategori, nama_kelompok
from analysis.laporan.bersama import baris


def _awal_kecil(words: str) -> str:
    """Lower-case the first letter for use mid-sentence, keeping acronyms (``KB``)."""
    words = str(words)
    if len(words) > 1 and words[:2].isupper():
        return words
    return words[:1].lower() + words[1:]


# ------------------------------------------------------------------ summary ----
def dua_angka(s: Situasi) -> str:
    """Two short sentences for the summary: register and survey, each with its source."""
    st = s.register
    out = (f"Register e-PPGBM ({text.periode(s.periode)}) mencatat **{text.angka(st.stunting)} "
           f"balita stunting**, prevalensi **{text.persen(st.pct)}** (95 % CI "
           f"{text.rentang(st.ll, st.ul)}).")
    if s.survei:
        sv = s.survei
        out += (f" Survei {sv.nama} mencatat **{text.persen(sv.pct)}** "
                f"({sv.keandalan.label}). Kedua angka berasal dari sumber yang berbeda dan tidak "
                "dicampur; angka survei dipakai untuk target nasional, angka register untuk "
                "menemukan desa dan anak.")
    return out


def hilang(s: Situasi) -> str:
    """A warning naming the tables that were not supplied ('' when none)."""
    if not s.hilang:
        return ""
    names = sorted(set(s.hilang))
    return ("Tabel berikut tidak tersedia untuk tahun ini: "
            + text.daftar([f"`{n}`" for n in names])
            + ". Bagian yang memerlukannya menyebutkan keterbatasan ini; nilai yang hilang "
              "tidak pernah diisi nol.")


def data(s: Situasi) -> str:
    """Rows read/analysed/excluded and measurement coverage."""
    a = s.akuntansi
    read = int(a.iloc[0]["baris"])
    ok = int(a.iloc[1]["baris"])
    tot = s.pengukuran_kec.iloc[-1]
    out = (f"Dari {text.angka(read)} baris e-PPGBM tahun {s.tahun} (semua putaran penimbangan), "
           f"{text.angka(ok)} dianalisis dan {text.angka(read - ok)} dikeluarkan dengan alasan "
           f"yang tercatat (lihat tabel akuntansi baris). Prevalensi tahunan memakai putaran terakhir "
           f"({text.periode(s.periode)}): {text.angka(s.register.anak)} balita, satu baris per anak.")
    if not pd.isna(tot["cakupan_pct"]):
        out += (f" Jumlah ini adalah {text.persen(tot['cakupan_pct'])} dari perkiraan "
                f"{text.angka(tot['perkiraan_balita'])} balita di profil desa.")
        low = s.pengukuran_kec.iloc[:-1].dropna(subset=["cakupan_pct"]).nsmallest(
            1, "cakupan_pct")
        if len(low):
            r = low.iloc[0]
            out += (f" Cakupan pengukuran terendah di Kecamatan {r['nama_kecamatan']} "
                    f"({text.persen(r['cakupan_pct'])}).")
    else:
        out += " Perkiraan jumlah balita per desa (profil desa) tidak tersedia."
    return out


# ------------------------------------------------------------------ prevalence ----
def prevalensi(s: Situasi) -> str:
    """Register prevalence with CI beside the survey figure, each labelled with its source."""
    st = s.register
    reg = (f"Menurut register e-PPGBM putaran {text.periode(s.periode)}, "
           f"**{text.angka(st.stunting)} dari {text.angka(st.n)} balita** yang diukur "
           f"tergolong stunting (TB/U < −2 SD): prevalensi **{text.persen(st.pct)}** "
           f"(95 % CI {text.rentang(st.ll, st.ul)}); {text.angka(st.sangat_pendek)} "
           "di antaranya sangat pendek (TB/U < −3 SD).")
    if not s.survei:
        return reg + f" Tidak ada angka survei (SSGI/SKI) yang diterbitkan untuk {s.nama}."
    sv = s.survei
    reg += (f" Angka survei terakhir untuk {s.nama} ({sv.nama}, "
            f"{sv.keandalan.label}) adalah **{text.persen(sv.pct)}**. ")
    diff = sv.pct - st.pct
    if abs(diff) >= s.atur.situasi.ambang.selisih_hampir_sama_pp:
        arah = "lebih rendah" if diff > 0 else "lebih tinggi"
        reg += (f"Angka register {text.angka(abs(diff), 1)} poin persen {arah} dari angka "
                "survei. Keduanya tidak dapat dicampur: survei memakai sampel rumah tangga "
                "dan pengukur terlatih, register mencatat anak yang datang ke posyandu.")
    else:
        reg += "Angka register dan angka survei hampir sama, tetapi berasal dari sumber yang berbeda."
    return reg


def prevalensi_wilayah(s: Situasi) -> str:
    """Which kecamatan have the highest and lowest stunting prevalence."""
    k = s.status_kec[s.status_kec["n_stunting"] > 0].sort_values("pct_stunting")
    if k.empty:
        return "Tidak ada balita terukur per kecamatan."
    hi, lo = k.iloc[-1], k.iloc[0]
    out = (f"Prevalensi stunting tertinggi di Kecamatan **{hi['nama_kecamatan']}** "
           f"({text.persen(hi['pct_stunting'])}, 95 % CI "
           f"{text.rentang(hi['ll_stunting'], hi['ul_stunting'])}; "
           f"{text.angka(hi['jumlah_stunting'])} anak)")
    if len(k) > 1:
        out += (f" dan terendah di Kecamatan {lo['nama_kecamatan']} "
                f"({text.persen(lo['pct_stunting'])}).")
    else:
        out += "."
    big = s.status_kec.sort_values("jumlah_stunting").iloc[-1]
    if big["kec_code"] != hi["kec_code"]:
        out += (f" Jumlah balita stunting terbanyak ada di Kecamatan {big['nama_kecamatan']} "
                f"({text.angka(big['jumlah_stunting'])} anak).")
    kab = s.status_kab.iloc[0]
    out += (f" Di tingkat {s.nama}: wasting {text.persen(kab['pct_wasting'])}, underweight "
            f"{text.persen(kab['pct_underweight'])}, overweight "
            f"{text.persen(kab['pct_overweight'])}.")
    return out


def umur(s: Situasi) -> str:
    """Where in the age range stunting is highest (WHO age groups)."""
    t = s.prevalensi
    ages = t[t["Group"].str.startswith("Age group: ")].dropna(subset=["HA_2_r"])
    if ages.empty:
        return ""
    top: Any = ages.iloc[int(np.argmax(ages["HA_2_r"].to_numpy(dtype=float)))]
    label = top["Group"].replace("Age group: ", "").replace(" mo", " bulan")
    sexes = t.set_index("Group")
    boys = sexes.loc["Sex: Male", "HA_2_r"] if "Sex: Male" in sexes.index else np.nan
    girls = sexes.loc["Sex: Female", "HA_2_r"] if "Sex: Female" in sexes.index else np.nan
    return (f"Menurut kelompok umur WHO, prevalensi stunting tertinggi pada umur {label} "
            f"({text.persen(top['HA_2_r'])}). Laki-laki {text.persen(boys)}, perempuan "
            f"{text.persen(girls)}. Rata-rata nilai z TB/U {text.angka(t.iloc[0]['HA_r'], 2)} "
            f"dengan SD {text.angka(t.iloc[0]['HA_stdev'], 2)} (standar WHO: rata-rata 0, SD 1).")


def funnel(s: Situasi) -> str:
    """How many desa stand out on the funnel plot, and how many have little data."""
    sk = s.skor
    hot = sk[titik_rawan(sk)]
    small = int(sk["data_sedikit"].sum())
    out = (f"{text.angka(len(hot))} dari {text.angka(len(sk))} desa/kelurahan berada di atas "
           "batas 99,8 % plot corong: prevalensinya terlalu tinggi untuk dijelaskan oleh "
           "kebetulan")
    if len(hot):
        names = hot.sort_values("z_funnel", ascending=False)["nama_desa"]
        out += " (" + text.daftar(list(names.head(s.atur.situasi.daftar.nama_titik_rawan))) + ")"
    out += (f". {text.angka(small)} desa/kelurahan memiliki kurang dari {s.atur.lokus.min_anak} "
            "balita terukur: angka prevalensinya sangat tidak pasti dan tidak dipakai sendiri "
            "untuk menentukan lokus.")
    return out


# ------------------------------------------------------------------ coverage ----
def cakupan(s: Situasi) -> str:
    """The largest coverage gaps and the target group missed most."""
    if not len(s.cakupan_indikator):
        return ("Data cakupan layanan per desa (`cakupan_layanan`) tidak tersedia untuk tahun "
                f"{s.tahun}; kesenjangan cakupan tidak dapat dihitung dan tidak ikut dalam skor "
                "lokus.")
    c = s.cakupan_indikator[s.cakupan_indikator["kesenjangan_pp"] > 0].head(
        s.atur.situasi.daftar.indikator_kesenjangan)
    if c.empty:
        return "Semua indikator cakupan layanan telah mencapai target 2024 di tingkat kabupaten/kota."
    short = label_indikator(s)
    parts = [f"{short.get(r.kode_indikator, r.nama)} ({text.persen(r.cakupan_pct)} dari target "
             f"{text.persen(r.target_pct, 0)}; {text.angka(r.desa_di_bawah_target)} desa di "
             "bawah target)" for r in baris(c)]
    out = "Kesenjangan cakupan terbesar: " + text.daftar(parts, "dan") + "."
    if len(s.kelompok_sasaran):
        k = s.kelompok_sasaran.iloc[0]
        out += (f" Kelompok sasaran yang paling tertinggal adalah "
                f"**{_awal_kecil(nama_kelompok(k['kelompok_sasaran']))}** "
                f"(rata-rata {text.angka(k['kesenjangan_rata_pp'], 1)} poin di bawah target).")
    return out


# ------------------------------------------------------------------ lokus ----
def lokus(s: Situasi) -> str:
    """Which desa are recommended and what share of stunted children they hold."""
    lok = lokus_terpilih(s)
    total = int(s.status_kab.iloc[0]["jumlah_stunting"])
    k = int(lok["jumlah_stunting"].sum())
    share = k / total * 100 if total else float("nan")
    names = list(lok["nama_desa"])
    limit = s.atur.situasi.daftar.nama_lokus_kalimat
    if len(names) > limit:
        names = names[:limit] + [f"{text.angka(len(names) - limit)} desa/kelurahan lainnya "
                                 "(daftar lengkap di bagian Lokus)"]
    return (f"Direkomendasikan **{text.angka(len(lok))} desa/kelurahan lokus**: "
            f"{text.daftar(names)}. Bersama-sama desa ini memiliki "
            f"{text.angka(k)} balita stunting yang terukur ({text.persen(share)} dari "
            f"{text.angka(total)} di seluruh {s.nama}).")


def metode_lokus(s: Situasi) -> str:
    """How the score works, with the numbers of this district."""
    cfg = s.atur.lokus
    m = s.skor.attrs.get("m", np.inf)
    k = lk.number_of_lokus(len(s.skor), cfg)
    shrink = ("Perbedaan prevalensi antardesa tidak lebih besar daripada yang dapat terjadi "
              "karena kebetulan, sehingga prevalensi semua desa disamakan dengan angka "
              "kabupaten/kota dan tidak ikut menentukan urutan."
              if not np.isfinite(m) else
              f"Prevalensi setiap desa disesuaikan ke arah angka kabupaten/kota "
              f"({text.persen(p0(s) * 100)}) dengan bobot setara {text.angka(m)} anak: desa "
              "dengan sedikit anak terukur bergeser paling jauh, desa besar hampir tidak "
              "bergeser (metode Bayes empiris).")
    out = (f"Setiap komponen diubah ke skala 0–1 di antara desa/kelurahan (0 = terendah, 1 = "
           f"tertinggi), dikalikan bobotnya, dan dijumlahkan menjadi skor 0–100. {shrink} "
           f"Desa dengan kurang dari {cfg.min_anak} balita terukur ditandai \"data "
           f"sedikit\" dan tidak direkomendasikan otomatis. Jumlah lokus yang direkomendasikan: "
           f"{text.angka(k)} ({text.persen(cfg.proporsi_lokus * 100, 0)} dari "
           f"{text.angka(len(s.skor))} desa/kelurahan, minimal {cfg.min_lokus}).")
    if not s.ada_tahun_lalu:
        out += (" Data tahun lalu tidak tersedia, sehingga komponen perubahan tidak dipakai dan "
                "bobotnya dibagi ke komponen lain.")
    elif not (s.skor["perubahan_pp"] > 0).any():
        out += (" Tidak ada desa/kelurahan yang prevalensinya (disesuaikan) naik dibandingkan "
                "tahun lalu, sehingga komponen kenaikan bernilai 0 untuk semua desa.")
    else:
        up = int((s.skor["perubahan_pp"] > 0).sum())
        out += (f" {text.angka(up)} desa/kelurahan mengalami kenaikan prevalensi (disesuaikan) "
                "dibandingkan tahun lalu; hanya kenaikan yang menambah skor.")
    if not len(s.cakupan_desa):
        out += (" Data cakupan layanan tidak tersedia, sehingga komponen kesenjangan cakupan "
                "tidak dipakai.")
    return out


def sensitivitas(s: Situasi) -> str:
    """How stable the top list is across weight sets."""
    p = s.sensitivitas
    alt = p.iloc[1:]
    if alt.empty:
        return ""
    k = int(p.iloc[0]["jumlah_lokus"])
    lo = int(alt["sama_dengan_utama"].min())
    per = s.sensitivitas_desa
    stable = per[per["masuk_daftar"] == per["jumlah_set"]]
    names = s.skor.set_index("desa_code")["nama_desa"]
    limit = s.atur.situasi.daftar.nama_desa_stabil
    out = (f"Di bawah {text.angka(len(alt))} set bobot alternatif, paling sedikit "
           f"{text.angka(lo)} dari {text.angka(k)} desa lokus utama tetap terpilih.")
    if len(stable):
        out += (f" {text.angka(len(stable))} desa selalu terpilih apa pun bobotnya: "
                f"{text.daftar(list(stable['desa_code'].map(names).head(limit)))}"
                f"{' dan lainnya' if len(stable) > limit else ''} — pilihan ini kuat.")
    return out


def banding(s: Situasi) -> str:
    """Recommended lokus against the decreed ones, with the province rubric share."""
    if s.tahun_lokus is None:
        return ("Daftar desa lokus yang ditetapkan (SK) tidak tersedia, sehingga rekomendasi "
                "tidak dapat dibandingkan.")
    c = s.lokus_ditetapkan
    n = {k: int((c["status"] == k).sum()) for k in StatusLokus}
    decreed = n[StatusLokus.TETAP] + n[StatusLokus.TIDAK_LAGI] + n[StatusLokus.TANPA_DATA]
    share = lk.decreed_share_high_burden(s.skor, c[c["ditetapkan"]].rename(
        columns={"desa_code": "kode_desa"}))
    out = (f"Lokus yang ditetapkan untuk tahun {s.tahun_lokus}: {text.angka(decreed)} "
           f"desa/kelurahan. {text.angka(n[StatusLokus.TETAP])} di antaranya juga direkomendasikan "
           f"sekarang, {text.angka(n[StatusLokus.TIDAK_LAGI])} tidak lagi "
           f"direkomendasikan, dan {text.angka(n[StatusLokus.BARU])} desa baru diusulkan.")
    if not pd.isna(share):
        out += (f" {text.persen(share, 0)} lokus yang ditetapkan berada di separuh atas menurut "
                "jumlah kasus atau prevalensi (rubrik penilaian kinerja: A bila 100 %).")
    return out


# ------------------------------------------------------------------ quality ----
def kualitas(s: Situasi) -> str:
    """The data-quality verdict of the district."""
    return qual.verdict(s.kualitas.iloc[0], s.atur.kualitas)


def kualitas_singkat(s: Situasi) -> str:
    """The verdict's first two sentences (for the one-page summary)."""
    q = s.kualitas.iloc[0]
    if pd.isna(q["skor"]):
        return qual.verdict(q, s.atur.kualitas)
    return (f"Skor kualitas data {text.angka(q['skor'])} (**{nama_kategori(q['kategori'])}**). "
            + s.atur.kualitas.putusan[KategoriKualitas(q["kategori"])])


# ------------------------------------------------------------------ recommendations ----
def _rek_lokus(s: Situasi) -> list[str]:
    lok = lokus_terpilih(s)
    if not len(lok):
        return []
    n = s.atur.situasi.daftar.nama_lokus_rekomendasi
    return [f"Tetapkan {text.angka(len(lok))} desa/kelurahan lokus hasil skor prioritas "
            f"({text.daftar(list(lok['nama_desa'].head(n)))}"
            f"{' dan lainnya' if len(lok) > n else ''}) dan arahkan paket intervensi "
            "lengkap ke desa tersebut."]


def _rek_cakupan(s: Situasi) -> list[str]:
    if not len(s.cakupan_indikator):
        return []
    out = []
    c = s.cakupan_indikator[s.cakupan_indikator["kesenjangan_pp"] > 0]
    if len(c):
        r = c.iloc[0]
        worst = s.cakupan[(s.cakupan["kode_indikator"] == r["kode_indikator"])]
        worst = worst.merge(s.wilayah[["desa_code", "nama_desa"]], left_on="kode_desa",
                            right_on="desa_code").nlargest(
            s.atur.situasi.daftar.desa_terburuk_indikator, "kesenjangan_pp")
        name = label_indikator(s).get(r["kode_indikator"], r["nama"])
        out.append(f"Naikkan cakupan **{_awal_kecil(name)}** dari "
                   f"{text.persen(r['cakupan_pct'])} ke target {text.persen(r['target_pct'], 0)}"
                   f" ({text.angka(r['belum_terlayani'])} sasaran belum terlayani); "
                   f"mulai dari {text.daftar(list(worst['nama_desa']))}.")
    if len(s.kelompok_sasaran) and not pd.isna(s.kelompok_sasaran.iloc[0]["kesenjangan_rata_pp"]):
        k = s.kelompok_sasaran.iloc[0]
        if k["kesenjangan_rata_pp"] > 0:
            out.append(f"Perkuat layanan untuk **{_awal_kecil(nama_kelompok(k['kelompok_sasaran']))}**, "
                       f"kelompok sasaran dengan kesenjangan rata-rata terbesar "
                       f"({text.angka(k['kesenjangan_rata_pp'], 1)} poin di bawah target).")
    return out


def _rek_penimbangan(s: Situasi) -> list[str]:
    tot = s.pengukuran_kec.iloc[-1]
    if pd.isna(tot["cakupan_pct"]) or tot["cakupan_pct"] >= s.atur.situasi.ambang.cakupan_ukur_rendah_pct:
        return []
    low = s.pengukuran_kec.iloc[:-1].dropna(subset=["cakupan_pct"]).nsmallest(
        s.atur.situasi.daftar.kecamatan_ukur_rendah, "cakupan_pct")
    return [f"Tingkatkan cakupan penimbangan: baru {text.persen(tot['cakupan_pct'])} "
            "balita yang diukur, terendah di Kecamatan "
            f"{text.daftar(list(low['nama_kecamatan']))}; tanpa pengukuran lengkap "
            "prevalensi register tidak mewakili seluruh balita."]


def _rek_kualitas(s: Situasi) -> list[str]:
    q = s.kualitas.iloc[0]
    if q["kategori"] not in (KategoriKualitas.DAPAT_DITERIMA, KategoriKualitas.BERMASALAH):
        return []
    bad = s.kualitas.iloc[1:]
    bad = bad[bad["skor"].notna()].head(s.atur.situasi.daftar.puskesmas_lemah)
    where = (" terutama di Puskesmas " + text.daftar(list(bad["puskesmas"])) if
             len(bad) and "puskesmas" in bad else "")
    return [f"Perbaiki kualitas pengukuran{where} (skor kualitas data "
            f"{text.angka(q['skor'])}, {nama_kategori(q['kategori']).lower()}): kalibrasi alat, "
            "pelatihan kader, dan baca tinggi badan sampai 0,1 cm."]


def _rek_survei(s: Situasi) -> list[str]:
    if not s.survei:
        return []
    diff = s.survei.pct - s.register.pct
    if not diff > s.atur.situasi.ambang.selisih_survei_register_pp:  # NaN: no advice
        return []
    return [f"Verifikasi kasus dan cakupan pengukuran: angka register "
            f"{text.angka(diff, 1)} poin persen di bawah {s.survei.sumber} "
            f"{s.survei.tahun}, tanda banyak balita stunting belum terukur atau "
            "salah ukur."]


def _rek_titik_rawan(s: Situasi) -> list[str]:
    hot = s.skor[titik_rawan(s.skor)]
    hot_not = hot[~hot["direkomendasikan"]]
    if not len(hot_not):
        return []
    names = hot_not["nama_desa"].head(s.atur.situasi.daftar.titik_rawan_rekomendasi)
    return [f"Lakukan audit kasus stunting di titik rawan yang belum masuk lokus: "
            f"{text.daftar(list(names))}."]


def rekomendasi(s: Situasi) -> list[str]:
    """Recommendations written from the data, most important first (between ``daftar.
    rekomendasi_min`` and ``rekomendasi_maks`` of the settings)."""
    out = (_rek_lokus(s) + _rek_cakupan(s) + _rek_penimbangan(s) + _rek_kualitas(s)
           + _rek_survei(s) + _rek_titik_rawan(s))
    if len(out) < s.atur.situasi.daftar.rekomendasi_min:
        out.append(f"Ulangi analisis ini setiap putaran penimbangan (Februari dan Agustus) agar "
                   f"perubahan di {text.angka(len(s.skor))} desa/kelurahan dapat dipantau.")
    return out[: s.atur.situasi.daftar.rekomendasi_maks]
