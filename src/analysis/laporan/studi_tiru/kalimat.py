"""Studi tiru prose: who is ahead on what, beyond the noise, and the questions for the visit.

Every function takes the :class:`~.hitung.StudiTiru`; thresholds and phrases come from
``studi_tiru.yaml`` (``st.atur.studi``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from analysis import keluaran, reference, text
from analysis.kode import Keandalan, PosisiBanding, Seri, Tabel
from analysis.laporan.bersama import baris, label_tingkat
from analysis.laporan.studi_tiru.hitung import (
    StudiTiru,
    aarr_sebanding,
    banding_prevalensi,
    ringkas_banding,
)
from analysis.pengaturan import StudiTiru as AturStudiTiru

PERTANYAAN_COLUMNS = ["pertanyaan", "alasan", "topik", "kab", "bobot"]


def catatan_hilang(hilang: tuple[str, ...] | list[str]) -> str:
    """``("anggaran", "status_aksi")`` → ``"anggaran, status aksi tidak tersedia"`` ('' if none)."""
    if not hilang:
        return ""
    return ", ".join(Tabel.labels().get(h, h) for h in hilang) + " tidak tersedia"


def nama(st: StudiTiru, kab: str | None) -> str:
    """The full name of a compared district (its code when unknown)."""
    return next((d.nama for d in st.daerah if d.kab == kab), str(kab))


def periode(st: StudiTiru) -> str:
    """The weighing rounds compared, in words (``"Agustus 2024"``)."""
    periods = sorted({d.periode for d in st.daerah if d.periode})
    return text.daftar([text.periode(p) for p in periods]) if periods else str(st.tahun)


def tingkat_ik(st: StudiTiru) -> str:
    """Confidence level of the intervals as readers see it (``"95 %"``, from the settings)."""
    return label_tingkat(st.atur.studi.alpha)


def subjudul(st: StudiTiru) -> str:
    """The line under the title naming who is compared."""
    if st.provinsi_view:
        return (f"Perbandingan {text.angka(len(st.daerah))} kabupaten/kota di "
                f"{keluaran.area_name(str(st.provinsi))}, tahun {st.tahun}")
    guests = [d.nama for d in st.daerah if d.peran == "tamu"]
    return f"Tuan rumah {nama(st, st.tuan_rumah)}; tamu {text.daftar(guests)}"


# ------------------------------------------------------------------ prevalence ----
def _banding_tuan_rumah(st: StudiTiru) -> str:
    b = banding_prevalensi(st.frame, str(st.tuan_rumah), st.level)
    bits = []
    for r in baris(b):
        if not r.bermakna:
            bits.append(f"setara dengan {r.nama} (selisih {text.angka(abs(r.selisih_pp), 1)} "
                        "poin persen, masih dalam batas galat acak)")
        elif r.selisih_pp > 0:
            bits.append(f"lebih rendah dari {r.nama} ({text.angka(r.selisih_pp, 1)} poin "
                        "persen, lebih besar dari galat acaknya)")
        else:
            bits.append(f"lebih tinggi dari {r.nama} ({text.angka(-r.selisih_pp, 1)} poin "
                        "persen, lebih besar dari galat acaknya)")
    if not bits:
        return ""
    return f" Prevalensi register {nama(st, st.tuan_rumah)} " + text.daftar(bits, "serta") + "."


def _peringkat_pasti(st: StudiTiru) -> str:
    r = st.ranking.dropna(subset=["pct"])
    best = r[r["peringkat_maks"] == 1]
    worst = r[r["peringkat_min"] == len(r)]
    if len(best):
        out = (f" Hanya {text.daftar(list(best['nama']))} yang pasti berperingkat pertama "
               "(prevalensi lebih rendah dari semua daerah lain melebihi galat acak).")
    else:
        top = r[r["peringkat_min"] == 1]
        out = (" Tidak ada satu daerah pun yang pasti berperingkat pertama: "
               f"{text.daftar(list(top['nama']))} sama-sama mungkin terendah.")
    if len(worst):
        out += f" {text.daftar(list(worst['nama']))} pasti berperingkat terakhir."
    return out


def prevalensi(st: StudiTiru) -> str:
    """Register prevalence of every district, and who is lower beyond the noise."""
    f = st.frame.dropna(subset=["pct"]).sort_values("pct")
    if f.empty:
        return "Tidak ada data pengukuran e-PPGBM untuk daerah yang dibandingkan."
    lvl = tingkat_ik(st)
    parts = [f"{r.nama} **{text.persen(r.pct)}** (IK {lvl} {text.rentang(r.ll, r.ul)})"
             for r in baris(f)]
    out = f"Prevalensi stunting register e-PPGBM ({periode(st)}): " + "; ".join(parts) + "."
    return out + (_peringkat_pasti(st) if st.provinsi_view else _banding_tuan_rumah(st))


def prevalensi_singkat(st: StudiTiru) -> str:
    """Province summary: lowest and highest register prevalence and the surely first/last."""
    r = st.ranking.dropna(subset=["pct"]).sort_values("pct")
    if r.empty:
        return "Tidak ada data pengukuran e-PPGBM untuk daerah yang dibandingkan."
    lo, hi = r.iloc[0], r.iloc[-1]
    lvl = tingkat_ik(st)
    out = (f"Prevalensi stunting register e-PPGBM ({periode(st)}) berkisar dari "
           f"**{text.persen(lo['pct'])}** di {lo['nama']} (IK {lvl} "
           f"{text.rentang(lo['ll'], lo['ul'])}) sampai {text.persen(hi['pct'])} di {hi['nama']} "
           f"(IK {lvl} {text.rentang(hi['ll'], hi['ul'])}); gabungan semua daerah "
           f"{text.persen(lo['p0'])}.")
    first = r[r["peringkat_maks"] == 1]
    last = r[r["peringkat_min"] == len(r)]
    if len(first):
        out += (f" Hanya {text.daftar(list(first['nama']))} yang pasti berperingkat pertama; "
                "daerah lain hanya dapat diberi rentang peringkat (bagian Peringkat yang adil).")
    else:
        out += " Tidak ada daerah yang pasti berperingkat pertama."
    if len(last):
        out += f" {text.daftar(list(last['nama']))} pasti berperingkat terakhir."
    return out


def survei(st: StudiTiru) -> str:
    """Latest survey figure of every district, labelled by source and year."""
    f = st.frame.dropna(subset=["survei_pct"]).sort_values("survei_pct")
    missing = st.frame[st.frame["survei_pct"].isna()]
    if f.empty:
        return "Tidak ada angka survei (SSGI/SKI) yang dipublikasikan untuk daerah yang dibandingkan."
    parts = [f"{r.nama} {text.persen(r.survei_pct)} ({r.survei_sumber}"
             + ("" if r.survei_keandalan == Keandalan.REPORTED
                else f", {Keandalan(r.survei_keandalan).label}")
             + ")" for r in baris(f)]
    out = ("Menurut survei terakhir yang dipublikasikan: " + "; ".join(parts) + ". Angka survei "
           "dan angka register adalah dua seri yang berbeda dan tidak dicampur: register hanya "
           "mencatat balita yang datang ditimbang.")
    if len(missing):
        out += f" Tidak ada angka survei untuk {text.daftar(list(missing['nama']))}."
    old = f[f["survei_tahun"] < f["survei_tahun"].max()]
    if len(old):
        out += (f" Angka survei {text.daftar(list(old['nama']))} berasal dari tahun yang lebih "
                "lama, sehingga tidak sebanding langsung dengan daerah lain.")
    return out


def tren(st: StudiTiru) -> str:
    """Who reduced prevalence fastest, per series (AARR), labelled by source."""
    out = []
    minspan = st.atur.studi.pertanyaan.min_rentang_aarr_tahun
    for seri in (Seri.SURVEI, Seri.REGISTER):
        s = aarr_sebanding(st.aarr, seri, minspan).sort_values("aarr", ascending=False)
        if s.empty:
            out.append(f"Laju penurunan seri {seri.label} belum dapat dibandingkan (kurang dari "
                       "dua titik data yang sebanding).")
            continue
        r = s.iloc[0]
        sentence = (f"Menurut seri {seri.label}, penurunan tercepat di **{r['nama']}**: dari "
                    f"{text.persen(r['p_awal'])} ({r['sumber_awal']}) menjadi "
                    f"{text.persen(r['p_akhir'])} ({r['sumber_akhir']}), AARR "
                    f"{text.persen(100 * r['aarr'])} per tahun")
        if len(s) > 1:
            lo = s.iloc[-1]
            verb = "naik" if lo["aarr"] < 0 else "turun"
            sentence += (f"; paling lambat {lo['nama']} ({verb} rata-rata "
                         f"{text.persen(abs(100 * lo['aarr']))} per tahun)")
        out.append(sentence + ".")
    return " ".join(out)


# ------------------------------------------------------------------ coverage, budget, aksi ----
def cakupan(st: StudiTiru) -> str:
    """How many indicators each district is ahead or behind on, beyond the noise."""
    s = ringkas_banding(st.banding)
    no_cov = [d.nama for d in st.daerah if d.cakupan is None or d.cakupan.empty]
    if s.empty:
        out = "Cakupan layanan tidak dapat dibandingkan."
    elif not st.provinsi_view:
        host = nama(st, st.tuan_rumah)
        bits = [f"dibanding {r.nama_daerah}, {host} lebih baik pada "
                f"{text.angka(r.lebih_buruk)}, lebih buruk pada {text.angka(r.lebih_baik)} dan "
                f"setara pada {text.angka(r.setara)} dari {text.angka(r.indikator)} indikator"
                for r in baris(s)]
        out = ("Dengan hanya menghitung selisih yang lebih besar dari galat acaknya: "
               + "; ".join(bits) + ".")
    else:
        s = s.sort_values("lebih_baik", ascending=False)
        top, low = s.iloc[0], s.sort_values("lebih_buruk", ascending=False).iloc[0]
        out = (f"Dengan hanya menghitung selisih yang lebih besar dari galat acaknya terhadap "
               f"gabungan kabupaten/kota lain: **{top['nama_daerah']}** paling sering lebih baik "
               f"({text.angka(top['lebih_baik'])} dari {text.angka(top['indikator'])} indikator), "
               f"{low['nama_daerah']} paling sering lebih buruk ({text.angka(low['lebih_buruk'])} "
               "indikator).")
    if no_cov:
        out += (f" Tabel cakupan layanan tidak tersedia untuk {text.daftar(no_cov)}: daerah ini "
                "tidak dibandingkan (bukan dianggap nol).")
    return out


def anggaran(st: StudiTiru) -> str:
    """Spending per stunted child and per child reached: lowest and highest."""
    f = st.frame
    out = []
    for col, label in (("belanja_per_stunting", "Realisasi anggaran per balita stunting yang "
                                                "tercatat di register"),
                       ("belanja_per_anak_terjangkau", "Realisasi per balita yang dipantau "
                                                       "pertumbuhannya")):
        g = f.dropna(subset=[col]).sort_values(col)
        if g.empty:
            continue
        parts = [f"{r.nama} {text.rupiah(getattr(r, col), compact=True)}" for r in baris(g)]
        if len(parts) > 4:
            parts = parts[:2] + ["…"] + parts[-2:]
            out.append(f"{label}: dari {parts[0]} sampai {parts[-1]}.")
        else:
            out.append(f"{label}: " + "; ".join(parts) + ".")
    gone = f[f["realisasi"].isna()]
    if len(gone):
        out.append(f"Tabel anggaran tidak tersedia untuk {text.daftar(list(gone['nama']))}: "
                   "rasio belanjanya tidak dihitung (bukan nol).")
    out.append("Sebagian besar belanja bersifat pencegahan dan menjangkau anak yang tidak "
               "stunting, dan register hanya mencatat anak yang ditimbang: rasio ini untuk "
               "membandingkan skala belanja antardaerah, bukan biaya satuan.")
    return " ".join(out)


def aksi(st: StudiTiru) -> str:
    """8-aksi scores, highest first."""
    f = st.frame.dropna(subset=["skor_aksi"]).sort_values("skor_aksi", ascending=False)
    parts = [f"{r.nama} {text.angka(r.skor_aksi, 1)} ({r.nilai_aksi}, {r.predikat_aksi})"
             for r in baris(f)]
    out = ("Skor pelaksanaan 8 aksi konvergensi (0–100, rubrik yang sama untuk semua daerah): "
           + "; ".join(parts) + ".") if parts else "Status 8 aksi tidak tersedia."
    gone = st.frame[st.frame["skor_aksi"].isna()]
    if len(gone) and parts:
        out += f" Status aksi tidak tersedia untuk {text.daftar(list(gone['nama']))}."
    return out


def profil(st: StudiTiru) -> str:
    """Size of the districts compared and how much of their balita were measured."""
    f = st.frame
    big = f.sort_values("perkiraan_balita", ascending=False).iloc[0]
    m = f.dropna(subset=["cakupan_ukur_pct"]).sort_values("cakupan_ukur_pct")
    out = (f"Daerah terbesar menurut perkiraan balita adalah {big['nama']} "
           f"({text.angka(big['perkiraan_balita'])} balita). ")
    if len(m):
        out += (f"Cakupan pengukuran (balita diukur pada putaran terakhir ÷ perkiraan balita) "
                f"berkisar dari {text.persen(m.iloc[0]['cakupan_ukur_pct'])} ({m.iloc[0]['nama']}) "
                f"sampai {text.persen(m.iloc[-1]['cakupan_ukur_pct'])} ({m.iloc[-1]['nama']}); "
                "makin rendah cakupan pengukuran, makin kurang angka register mewakili seluruh "
                "balita.")
    return out


def _survei_singkat(st: StudiTiru) -> str | None:
    f = st.frame.dropna(subset=["survei_pct"])
    if not len(f):
        return None
    latest = f[f["survei_tahun"] == f["survei_tahun"].max()].sort_values("survei_pct")
    r = latest.iloc[0]
    both = f.dropna(subset=["pct"])
    higher = int((both["survei_pct"] > both["pct"]).sum())
    if len(both) and higher == len(both):
        rel = "di setiap daerah angka survei lebih tinggi dari angka register"
    else:
        rel = (f"angka survei lebih tinggi dari angka register di {text.angka(higher)} dari "
               f"{text.angka(len(both))} daerah")
    return (f"Menurut survei terakhir ({r['survei_sumber']}), prevalensi terendah di "
            f"**{r['nama']}** ({text.persen(r['survei_pct'])}); {rel}, dan kedua seri "
            "tidak dicampur.")


def pesan_utama(st: StudiTiru) -> list[str]:
    """The plain-words summary: who is ahead on what (Markdown bullets)."""
    out = [prevalensi(st) if not st.provinsi_view else prevalensi_singkat(st)]
    if (s := _survei_singkat(st)) is not None:
        out.append(s)
    out.append(tren(st))
    out.append(cakupan(st))
    f = st.frame.dropna(subset=["skor_aksi"]).sort_values("skor_aksi", ascending=False)
    if len(f):
        top = f[f["skor_aksi"] == f["skor_aksi"].iloc[0]]
        out.append(f"Skor 8 aksi tertinggi: {text.daftar(list(top['nama']))} "
                   f"({text.angka(top['skor_aksi'].iloc[0], 1)} dari 100).")
    q = pertanyaan(st)
    if len(q):
        out.append(f"{text.angka(len(q))} pertanyaan untuk kunjungan disusun dari "
                   "selisih terbesar (bagian Pertanyaan untuk kunjungan).")
    return out


def catatan_data(st: StudiTiru) -> str:
    """Missing tables and districts without data ('' when none)."""
    bits = [f"{r.nama}: {catatan_hilang(r.hilang)}" for r in baris(st.frame) if r.hilang]
    out = ""
    if bits:
        out = ("Tabel yang tidak diserahkan: " + "; ".join(bits) + ". Angka yang memerlukannya "
               "ditulis sebagai tidak tersedia (–), tidak pernah nol.")
    if st.tanpa_data:
        names = [reference.district_name(k) for k in st.tanpa_data]
        out += (" " if out else "") + (f"Tidak ada data untuk {text.daftar(names)}: daerah ini "
                                       "tidak ikut dibandingkan.")
    return out


# ------------------------------------------------------------------ questions ----
def _frasa(kode: str, nama_indikator: str, pct: float, cfg: AturStudiTiru) -> str:
    template = cfg.frasa_indikator.get(kode) or cfg.frasa_bawaan
    return template.format(pct=text.persen(pct, 0),
                           nama=str(nama_indikator)[:1].lower() + str(nama_indikator)[1:])


def _q_cakupan_tuan_rumah(b: pd.DataFrame, names: dict[str, str], host: str,
                          cfg: AturStudiTiru) -> list[dict[str, Any]]:
    """Host view: the host asked where it leads, a visitor where the visitor leads."""
    rows: list[dict[str, Any]] = []
    host_name = names.get(host, host)
    for kode, g in b[b["keunggulan_pp"] > 0].groupby("kode_indikator", sort=False):
        kode = str(kode)
        top = g.sort_values("keunggulan_pp", ascending=False)
        r = top.iloc[0]
        others = text.daftar([f"{x.nama_daerah} {text.persen(x.cakupan_pct, 0)}"
                              for x in baris(top)])
        rows.append({
            "pertanyaan": f"Bagaimana {host_name} "
                          f"{_frasa(kode, r['indikator'], r['cakupan_pembanding_pct'], cfg)}?",
            "alasan": f"Tamu: {others}; selisih sampai {text.angka(r['keunggulan_pp'], 1)} poin "
                      "persen, lebih besar dari galat acaknya.",
            "topik": "cakupan", "kab": host, "bobot": float(r["keunggulan_pp"])})
    behind = b[b["keunggulan_pp"] < 0].sort_values("keunggulan_pp")
    for kode, g in behind.groupby("kode_indikator", sort=False):
        kode = str(kode)
        r = g.iloc[0]  # the visitor furthest ahead of the host
        rows.append({
            "pertanyaan": f"Bagaimana {r['nama_daerah']} "
                          f"{_frasa(kode, r['indikator'], r['cakupan_pct'], cfg)}?",
            "alasan": f"Tuan rumah {host_name} {text.persen(r['cakupan_pembanding_pct'], 0)}; "
                      f"selisih {text.angka(-r['keunggulan_pp'], 1)} poin persen, lebih besar "
                      "dari galat acaknya.",
            "topik": "cakupan", "kab": r["kab"], "bobot": float(-r["keunggulan_pp"])})
    return rows


def _q_cakupan_provinsi(b: pd.DataFrame, cfg: AturStudiTiru) -> list[dict[str, Any]]:
    """Province view: the district furthest ahead of the others on each indicator."""
    rows: list[dict[str, Any]] = []
    lead = b[b["posisi"] == PosisiBanding.LEBIH_BAIK].sort_values("keunggulan_pp")
    for kode, g in lead.groupby("kode_indikator", sort=False):
        kode = str(kode)
        r = g.iloc[0]  # most negative keunggulan: the district furthest ahead
        rows.append({
            "pertanyaan": f"Bagaimana {r['nama_daerah']} "
                          f"{_frasa(kode, r['indikator'], r['cakupan_pct'], cfg)}?",
            "alasan": f"Kabupaten/kota lain bersama-sama "
                      f"{text.persen(r['cakupan_pembanding_pct'], 0)}; selisih "
                      f"{text.angka(-r['keunggulan_pp'], 1)} poin persen, lebih besar "
                      "dari galat acaknya.",
            "topik": "cakupan", "kab": r["kab"], "bobot": float(-r["keunggulan_pp"])})
    return rows


Leader = Callable[[pd.DataFrame, str], tuple[pd.Series | None, float, str]]


def _leader(tuan_rumah: str | None) -> Leader:
    def leader(f: pd.DataFrame, col: str) -> tuple[pd.Series | None, float, str]:
        """The district to ask about ``col`` (higher is better), its lead and who it leads.

        Host view: the best district; its lead is over the host when a visitor is best, over
        the best visitor when the host is. Province view: the best over the runner-up.
        """
        f = f.dropna(subset=[col]).sort_values(col, ascending=False)
        if len(f) < 2:
            return None, np.nan, ""
        best = f.iloc[0]
        if tuan_rumah is not None and best["kab"] != tuan_rumah:
            host = f[f["kab"] == tuan_rumah]
            if host.empty:
                return None, np.nan, ""
            return best, float(best[col] - host.iloc[0][col]), f"tuan rumah {host.iloc[0]['nama']}"
        second = f.iloc[1]
        who = "tamu" if tuan_rumah is not None else "kabupaten/kota lain"
        return best, float(best[col] - second[col]), f"{who} paling tinggi ({second['nama']})"
    return leader


def _q_tren(aarr: pd.DataFrame, leader: Leader, tuan_rumah: str | None,
            cfg: AturStudiTiru) -> list[dict[str, Any]]:
    """The district that reduced prevalence fastest (AARR of the survey series)."""
    s = aarr_sebanding(aarr, Seri.SURVEI, cfg.pertanyaan.min_rentang_aarr_tahun)
    best, gap, who = leader(s, "aarr")
    if best is None or not 100 * gap >= cfg.pertanyaan.min_selisih_aarr_pp:
        return []
    second = s[s["kab"] != best["kab"]]
    ref = (s[s["kab"] == tuan_rumah]["aarr"].iloc[0] if "tuan rumah" in who
           else second["aarr"].max())
    return [{
        "pertanyaan": f"Apa yang dilakukan {best['nama']} sehingga prevalensi stunting "
                      f"menurut survei turun dari {text.persen(best['p_awal'])} "
                      f"({best['sumber_awal']}) menjadi {text.persen(best['p_akhir'])} "
                      f"({best['sumber_akhir']})?",
        "alasan": f"AARR survei {text.persen(100 * best['aarr'])} per tahun; {who}: "
                  f"{text.persen(100 * ref)} per tahun.",
        "topik": "tren", "kab": best["kab"], "bobot": 100 * gap}]


def _q_lead(frame: pd.DataFrame, leader: Leader, col: str, threshold: float, question: str,
            reason: str, topik: str) -> list[dict[str, Any]]:
    best, gap, who = leader(frame, col)
    if best is None or not gap >= threshold:
        return []
    ref = best[col] - gap
    return [{"pertanyaan": question.format(nama=best["nama"], nilai=text.persen(best[col], 0)),
             "alasan": reason.format(who=who, nilai=text.persen(ref, 0)),
             "topik": topik, "kab": best["kab"], "bobot": gap}]


def _q_aksi(frame: pd.DataFrame, leader: Leader) -> list[dict[str, Any]]:
    best, gap, who = leader(frame, "skor_aksi")
    if best is None or not gap > 0:
        return []
    return [{
        "pertanyaan": f"Bagaimana {best['nama']} melaksanakan 8 aksi konvergensi sampai "
                      f"mencapai skor {text.angka(best['skor_aksi'], 1)} "
                      f"({text.angka(best['aksi_selesai'])} aksi selesai)?",
        "alasan": f"Skor 8 aksi {who}: {text.angka(best['skor_aksi'] - gap, 1)}.",
        "topik": "aksi", "kab": best["kab"], "bobot": float(gap)}]


def pertanyaan_dari(frame: pd.DataFrame, banding: pd.DataFrame, aarr: pd.DataFrame,
                    tuan_rumah: str | None, cfg: AturStudiTiru) -> pd.DataFrame:
    """Questions for the visit, generated from the largest gaps.

    Parameters
    ----------
    frame : DataFrame
        ``hitung.tabel_daerah`` output.
    banding : DataFrame
        ``hitung.banding_cakupan`` output (host view: visitors against the host; province
        view: each district against the rest).
    aarr : DataFrame
        ``hitung.tabel_aarr`` output.
    tuan_rumah : str, optional
        Host code; ``None`` for the province view (questions go to the district that leads).
    cfg : analysis.pengaturan.StudiTiru
        Thresholds and phrases.

    Returns
    -------
    DataFrame
        ``pertanyaan`` (Indonesian, Markdown), ``alasan`` (the gap with its numbers),
        ``topik`` (``cakupan``/``tren``/``pengukuran``/``anggaran``/``aksi``), ``kab``
        (district asked), ``bobot`` (gap size used for ordering); at most ``pertanyaan.maks``
        rows, largest gaps first. Coverage gaps count only when larger than their noise and
        at least ``min_selisih_pp``.
    """
    q = cfg.pertanyaan
    names = {str(k): str(v) for k, v in frame.set_index("kab")["nama"].items()}
    rows: list[dict[str, Any]] = []
    if len(banding):
        b = banding[banding["bermakna"] & (banding["keunggulan_pp"].abs() >= q.min_selisih_pp)]
        rows += (_q_cakupan_tuan_rumah(b, names, tuan_rumah, cfg) if tuan_rumah is not None
                 else _q_cakupan_provinsi(b, cfg))
    leader = _leader(tuan_rumah)
    rows += _q_tren(aarr, leader, tuan_rumah, cfg)
    rows += _q_lead(frame, leader, "cakupan_ukur_pct", q.min_selisih_ukur_pp,
                    "Bagaimana {nama} mengukur {nilai} perkiraan balita pada putaran penimbangan?",
                    "Cakupan pengukuran {who}: {nilai} dari perkiraan balita.", "pengukuran")
    rows += _q_lead(frame, leader, "serapan_pct", q.min_selisih_serapan_pp,
                    "Bagaimana {nama} merealisasikan {nilai} anggaran percepatan penurunan stunting?",
                    "Serapan {who}: {nilai}.", "anggaran")
    rows += _q_aksi(frame, leader)
    out = pd.DataFrame(rows, columns=PERTANYAAN_COLUMNS)
    out = out.sort_values("bobot", ascending=False, kind="stable")
    return out.head(q.maks).reset_index(drop=True)


def pertanyaan(st: StudiTiru) -> pd.DataFrame:
    """The questions of this comparison (:func:`pertanyaan_dari`)."""
    return pertanyaan_dari(st.frame, st.banding, st.aarr, st.tuan_rumah, st.atur.studi)
