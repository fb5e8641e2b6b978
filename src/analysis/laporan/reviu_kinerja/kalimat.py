"""Aksi 8 prose: the verdict with its numbers, what improved and what did not, and the
recommendations each with its reason (Markdown).

One function per topic. Each public function returns the sentence, or, when the data it needs
are missing, the sentence saying so (never an empty string for a topic the report prints);
the ``_``-prefixed functions return ``None`` instead, for the summary bullets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.kode import ArahPerubahan, Keandalan, Seri, StatusAksi, StatusTarget, Tabel
from analysis.laporan.bersama import baris, label_tingkat
from analysis.laporan.reviu_kinerja.hitung import Putusan, Reviu
from analysis.pengaturan import RubrikAksi
from analysis.stats import diff_ci

#: Sentence shown where a table of the data package was not supplied.
TIDAK_TERSEDIA = {
    Tabel.CAKUPAN_LAYANAN: "Tabel cakupan layanan (cakupan_layanan) tahun ini tidak diserahkan; "
                           "perbandingan cakupan tidak dapat dibuat.",
    Tabel.LOKUS: "Tabel desa lokus (lokus) tahun ini tidak diserahkan; konvergensi di desa lokus "
                 "tidak dapat dinilai.",
    Tabel.KONVERGENSI_DESA: "Kartu skor konvergensi desa (konvergensi_desa) tahun ini tidak "
                            "diserahkan.",
    Tabel.ANGGARAN: "Tabel anggaran (anggaran) tahun ini tidak diserahkan; realisasi dan serapan "
                    "tidak dapat dihitung.",
    Tabel.STATUS_AKSI: "Tabel status 8 aksi (status_aksi) tahun ini tidak diserahkan; semua aksi "
                       "dinilai sebagai tidak dilaporkan.",
}


@dataclass(frozen=True)
class Rekomendasi:
    """A recommendation for next year: what to do, the finding with its numbers, its section."""

    rekomendasi: str
    alasan: str
    dasar: str


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------
def _rentang_pp(lo: float, hi: float) -> str:
    """An interval of a change in percentage points: ``'−5,1 sampai −3,3 poin persen'``."""
    return f"{text.bertanda(lo)} sampai {text.bertanda(hi)} poin persen"


def _count(n: int, zero: str = "tidak satu pun") -> str:
    """A count in prose, with a word for zero."""
    return zero if int(n) == 0 else text.angka(int(n))


def _pct_ai(value: float) -> str:
    """An AARR (fraction per year) as ``'8,1 % per tahun'`` (a true minus sign when negative)."""
    if value != value:
        return text.MISSING
    return f"{text.bertanda(100 * value) if value < 0 else text.angka(100 * value, 1)} % per tahun"


def _names(frame: pd.DataFrame, col: str = "nama", limit: int = 3) -> str:
    items = [str(x) for x in frame[col].head(limit)]
    extra = len(frame) - len(items)
    listed = text.daftar(items)
    return listed + (f" dan {text.angka(extra)} lainnya" if extra > 0 else "")


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s else s


def _level(rv: Reviu) -> str:
    return label_tingkat(rv.atur.reviu.alpha)


def _has(rv: Reviu, kode: Tabel) -> bool:
    return kode.value not in rv.tidak_tersedia


def _direction(c: pd.DataFrame, arah: ArahPerubahan) -> pd.DataFrame:
    return c[c["arah_perubahan"].eq(arah.value).fillna(False).astype(bool)]


def nama_keandalan(kode: str) -> str:
    """Short words of a survey reliability code (``"dilaporkan"``, ``"disimpulkan"``, …)."""
    return Keandalan(kode).singkat


# ---------------------------------------------------------------------------
# the verdict
# ---------------------------------------------------------------------------
def vonis(p: Putusan | None, nama: str, sumber: dict[int, str] | None = None) -> str:
    """The one-sentence on-course / off-course verdict with its numbers (Markdown).

    ``sumber`` maps a year to the label of its survey (``{2021: "SSGI 2021"}``) so survey
    points are named by source; register points are named by year.
    """
    if p is None:
        return (f"Status jalur {nama} terhadap target belum dapat dinilai: data prevalensi "
                "kurang dari dua tahun.")
    status = "**sesuai jalur**" if p.sesuai_jalur else "**belum sesuai jalur**"
    names = sumber if (sumber and p.seri == Seri.SURVEI) else {}
    a = names.get(p.tahun_awal, str(p.tahun_awal))
    b = names.get(p.tahun_akhir, str(p.tahun_akhir))
    verb = ("turun" if p.p_akhir < p.p_awal else "naik" if p.p_akhir > p.p_awal else "tetap")
    basis = (f"prevalensi {p.seri.label} {verb} dari {text.persen(p.p_awal)} ({a}) "
             f"menjadi {text.persen(p.p_akhir)} ({b})")
    target = f"{p.label.lower()} {text.persen(p.target_pct)} pada {p.tahun_target}"
    if p.aarr_wajib <= 0:
        need = (f"sedangkan prevalensi sudah di bawah target (AARR yang diperlukan "
                f"{_pct_ai(p.aarr_wajib)}, artinya prevalensi tetap di bawah target selama "
                f"kenaikannya tidak melebihi {text.persen(-100 * p.aarr_wajib)} per tahun)")
    elif p.dasar_wajib == "terakhir":
        need = f"yang memerlukan AARR {_pct_ai(p.aarr_wajib)} mulai {p.tahun_akhir}"
    else:
        need = f"yang memerlukan AARR {_pct_ai(p.aarr_wajib)} sejak {p.tahun_awal}"
    out = (f"{nama} {status} menuju {target}: {basis}, laju penurunan rata-rata per tahun "
           f"(AARR) **{_pct_ai(p.aarr_observasi)}**, {need}.")
    if p.seri == Seri.REGISTER:
        out += (" Putusan ini memakai data register karena seri survei yang mutakhir tidak "
                "tersedia; target diukur dengan survei, sehingga putusan ini hanya menunjukkan arah.")
    return out


def vonis_lain(p: Putusan | None, tahun: int | None, usia_maks: int) -> str:
    """The verdict of the second series, with the caveat on comparing levels (Markdown).

    A survey series ending more than ``usia_maks`` years before ``tahun`` is said to be old.
    """
    if p is None:
        return ""
    status = "sesuai jalur" if p.sesuai_jalur else "belum sesuai jalur"
    s = (f"Pada seri {p.seri.label}, AARR {_pct_ai(p.aarr_observasi)} "
         f"({text.persen(p.p_awal)} pada {p.tahun_awal} → {text.persen(p.p_akhir)} "
         f"pada {p.tahun_akhir}) dibanding AARR {_pct_ai(p.aarr_wajib)} yang diperlukan: "
         f"{status}.")
    if p.seri == Seri.REGISTER:
        s += (" Target diukur dengan survei, sedangkan register hanya mencatat anak yang ditimbang, "
              "sehingga perbandingan register dengan target hanya menunjukkan arah.")
    elif tahun is not None and p.tahun_akhir < tahun - usia_maks:
        s += (f" Angka survei terakhir berasal dari {p.tahun_akhir}, sehingga tidak "
              "dipakai untuk putusan tahun ini.")
    return s


def putusan(rv: Reviu) -> str:
    """The headline verdict of the review."""
    return vonis(rv.putusan, rv.nama, dict(zip(rv.survei["tahun"].astype(int), rv.survei["sumber"],
                                               strict=True)))


def putusan_lain(rv: Reviu) -> str:
    """The other series against the same target ('' when it cannot be judged)."""
    return vonis_lain(rv.putusan_lain, rv.tahun, rv.atur.reviu.survei_usia_maks)


def putusan_lengkap(rv: Reviu) -> str:
    """The verdict and, as a second paragraph, the other series' verdict (Markdown)."""
    return "\n\n".join(s for s in (putusan(rv), putusan_lain(rv)) if s)


# ---------------------------------------------------------------------------
# prevalence and projection
# ---------------------------------------------------------------------------
def _prevalensi(rv: Reviu) -> str | None:
    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else pd.DataFrame()
    if rv.tahun not in ann.index:
        return None
    lvl = _level(rv)
    now: Any = ann.loc[rv.tahun]
    s = (f"Prevalensi stunting register e-PPGBM {rv.tahun} ({text.periode(now['periode'])}) "
         f"adalah **{text.persen(now['prevalensi'])}** (IK {lvl} "
         f"{text.rentang(now['ci_bawah'], now['ci_atas'])}): {text.angka(now['stunting'])} "
         f"dari {text.angka(now['n'])} anak yang diukur.")
    if (rv.tahun - 1) in ann.index:
        prev = ann.loc[rv.tahun - 1]
        d = diff_ci([now["stunting"]], [now["n"]], [prev["stunting"]], [prev["n"]],
                    rv.level).iloc[0]
        verb = "turun" if d["diff"] < 0 else "naik"
        noise = ("lebih besar dari galat acaknya" if d["significant"]
                 else "masih dalam batas galat acak")
        s += (f" Dibanding {rv.tahun - 1} ({text.persen(prev['prevalensi'])}) prevalensi {verb} "
              f"{text.angka(abs(100 * d['diff']), 1)} poin persen (IK {lvl} perubahan "
              f"{_rentang_pp(100 * d['lower'], 100 * d['upper'])}), perubahan yang {noise}.")
    return s


def prevalensi(rv: Reviu) -> str:
    """Register figure of the year with its change from last year."""
    return _prevalensi(rv) or "Data register tahun ini tidak tersedia."


def survei(rv: Reviu) -> str:
    """The published survey series, and the register beside the latest survey."""
    if not len(rv.survei):
        return (f"Tidak ada angka survei (SSGI/SKI) yang dipublikasikan untuk {rv.nama}; "
                "penilaian hanya memakai data register.")
    pts = "; ".join(f"{r.sumber}: {text.persen(r.prevalensi)}"
                    + ("" if r.keandalan == Keandalan.REPORTED else f" ({nama_keandalan(r.keandalan)})")
                    for r in baris(rv.survei))
    s = f"Seri survei yang dipublikasikan untuk {rv.nama}: {pts}."
    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else pd.DataFrame()
    last: Any = rv.survei.iloc[-1]
    if rv.tahun in ann.index and int(last["tahun"]) == rv.tahun:
        reg: Any = ann.loc[rv.tahun, "prevalensi"]
        s += (f" Angka register {rv.tahun} ({text.persen(reg)}) setara "
              f"{text.persen(100 * reg / last['prevalensi'], 0)} dari angka {last['sumber']} "
              f"({text.persen(last['prevalensi'])}): register hanya mencatat anak yang "
              "datang ditimbang, sehingga kedua angka tidak dicampur dan laju penurunan "
              "dihitung di dalam masing-masing seri.")
    return s


def model(rv: Reviu) -> str:
    """The trend model: why it was chosen, what it says, its dispersion."""
    if rv.model is None:
        return "Proyeksi memerlukan sedikitnya tiga putaran penimbangan; data belum cukup."
    m = rv.model
    lvl = _level(rv)
    lo, hi = np.exp(m["slope_ci"][0]), np.exp(m["slope_ci"][1])
    change = "menurun" if hi < 1 else ("meningkat" if lo > 1 else "tidak berubah secara bermakna")
    return (
        f"Proyeksi memakai model regresi logistik binomial (GLM, statsmodels) atas jumlah anak "
        f"stunting dan tidak stunting pada {text.angka(m['n_putaran'])} putaran penimbangan "
        f"register ({text.periode(rv.putaran['periode'].min())} sampai "
        f"{text.periode(rv.putaran['periode'].max())}), dengan waktu sebagai peubah. Model ini "
        "dipilih karena datanya berupa hitungan anak per putaran, hasilnya selalu berada di antara "
        "0 dan 100 %, dan penurunan log-odds yang konstan sejalan dengan asumsi laju penurunan "
        f"tahunan (AARR) yang konstan. Peluang stunting {change}: rasio odds per tahun "
        f"{text.angka(m['odds_ratio_per_tahun'], 2)} (IK {lvl} {text.angka(lo, 2)}–"
        f"{text.angka(hi, 2)}). Sebaran antarputaran {text.angka(m['dispersi'], 1)} kali sebaran "
        "binomial, sehingga selang kepercayaan diperlebar sebesar itu (kuasi-binomial).")


def proyeksi(rv: Reviu) -> str:
    """The projected register prevalence and its assumptions ('' without a model)."""
    if rv.model is None:
        return ""
    lvl = _level(rv)
    month = str(rv.putaran["periode"].max())[5:7]
    rows = [f"{text.periode(f'{int(r.tahun)}-{month}')}: "
            f"**{text.persen(r.prevalensi)}** (IK {lvl} {text.rentang(r.ci_bawah, r.ci_atas)})"
            for r in baris(rv.proyeksi)]
    return (
        "Jika tren register berlanjut, prevalensi register diproyeksikan sebesar "
        + "; ".join(rows) + ". Proyeksi ini mengandaikan: log-odds stunting terus berubah "
        "menurut garis lurus seperti pada putaran yang dimodelkan; anak yang ditimbang tetap "
        "sebanding (cakupan penimbangan dan mutu pengukuran tidak berubah); dan tidak ada "
        "program baru yang mengubah laju. Selang kepercayaan hanya mencerminkan ketidakpastian "
        "garis tren, bukan sebaran satu putaran di sekitarnya, dan anak yang sama ditimbang "
        "berulang kali sehingga putaran tidak sepenuhnya independen. Proyeksi register tidak "
        "dapat dibandingkan langsung dengan target yang diukur dengan survei.")


def metode_aarr() -> str:
    """How AARR, the required AARR and the on-course rule are computed (Markdown)."""
    return ("Laju penurunan rata-rata per tahun (AARR) dihitung seperti Global Nutrition Report "
            "dan WHO/UNICEF: AARR = 1 − (P₂ / P₁)^(1 / (t₂ − t₁)), dari tahun pertama sampai tahun "
            "terakhir setiap seri. AARR yang diperlukan adalah laju yang membawa prevalensi ke "
            "target tepat pada tahun target: dari tahun terakhir bila tahun target masih di depan, "
            "atau dari tahun pertama bila tahun target adalah tahun laporan (sehingga sama dengan "
            "pertanyaan apakah target tercapai). Sebuah seri **sesuai jalur** bila AARR teramati "
            "≥ AARR yang diperlukan. Seri register dan seri survei dinilai terpisah.")


# ---------------------------------------------------------------------------
# coverage
# ---------------------------------------------------------------------------
def _ada_tahun_lalu(rv: Reviu) -> bool:
    return len(rv.cakupan) > 0 and bool(rv.cakupan["arah_perubahan"].notna().any())


def _membaik(rv: Reviu) -> str | None:
    if not _ada_tahun_lalu(rv):
        return None
    c = rv.cakupan
    up = _direction(c, ArahPerubahan.MEMBAIK).sort_values("perubahan_pp", ascending=False)
    return (f"Cakupan {_count(len(up))} dari {text.angka(len(c))} indikator membaik melebihi "
            f"galat acaknya dibanding {rv.tahun - 1}"
            + (f", terbesar {_names(up.assign(nama=up['nama'].map(_lower_first)))}." if len(up) else "."))


def membaik(rv: Reviu) -> str:
    """Indicators that improved beyond their noise (or why this cannot be said)."""
    if (m := _membaik(rv)) is not None:
        return m
    if not _has(rv, Tabel.CAKUPAN_LAYANAN):
        return TIDAK_TERSEDIA[Tabel.CAKUPAN_LAYANAN]
    return f"Cakupan {rv.tahun - 1} tidak tersedia untuk dibandingkan."


def _tidak_membaik(rv: Reviu) -> str | None:
    if not _ada_tahun_lalu(rv):
        return None
    c = rv.cakupan
    down = _direction(c, ArahPerubahan.MEMBURUK).sort_values("perubahan_pp")
    flat = _direction(c, ArahPerubahan.TETAP)
    return (f"{'Tidak ada' if len(down) == 0 else text.angka(len(down))} "
            "indikator memburuk melebihi galat acaknya"
            + (f" ({_names(down.assign(nama=down['nama'].map(_lower_first)))})" if len(down) else "")
            + f" dan {text.angka(len(flat))} tidak berubah secara bermakna.")


def tidak_membaik(rv: Reviu) -> str:
    """Indicators that worsened or did not change beyond their noise ('' without last year)."""
    return _tidak_membaik(rv) or ""


def cakupan(rv: Reviu) -> str:
    """How many indicators reached their target, and how many are below it beyond the noise."""
    if not len(rv.cakupan):
        return TIDAK_TERSEDIA[Tabel.CAKUPAN_LAYANAN]
    c = rv.cakupan
    below = c[c["status_target"] == StatusTarget.DI_BAWAH]
    met = c[c["status_target"] == StatusTarget.TERCAPAI]
    with_target = c[c["status_target"] != StatusTarget.TANPA_TARGET]
    return (f"Dari {text.angka(len(with_target))} indikator yang memiliki target persen, "
            f"{_count(len(met))} mencapai target dan {_count(len(below))} berada di bawah "
            "target melebihi galat acaknya (batas atas selang kepercayaan cakupan masih di bawah "
            "target).")


# ---------------------------------------------------------------------------
# lokus
# ---------------------------------------------------------------------------
def _lokus_paket(rv: Reviu) -> str | None:
    if not len(rv.lokus):
        return None
    p = rv.lokus_paket
    full = int(p["paket_lengkap"].sum())
    with_card = int(p["ada_kartu_skor"].sum())
    s = (f"Dari {text.angka(len(p))} desa lokus {rv.tahun}, {_count(full)} menerima paket "
         f"layanan lengkap (tingkat konvergensi "
         f"{text.persen(rv.atur.reviu.ambang_paket_lengkap_pct, 0)}); "
         f"rata-rata tingkat konvergensi desa lokus {text.persen(p['tingkat_total'].mean())}.")
    if with_card < len(p):
        s += f" {text.angka(len(p) - with_card)} desa lokus tidak mengisi kartu skor."
    if len(rv.lokus_layanan):
        worst = rv.lokus_layanan.iloc[0]
        s += (f" Layanan yang paling jarang diterima di desa lokus: "
              f"{_lower_first(worst['nama_layanan'])} ({text.persen(worst['tingkat_pct'])}).")
    return s


def lokus_paket(rv: Reviu) -> str:
    """Did the desa lokus receive the full service package?"""
    return _lokus_paket(rv) or TIDAK_TERSEDIA[Tabel.LOKUS]


def _banding_ada(rv: Reviu) -> bool:
    b = rv.lokus_banding
    return b is not None and not np.isnan(b.selisih)


def lokus_banding(rv: Reviu) -> str:
    """Prevalence change in lokus against other desa, with its bootstrap interval."""
    b = rv.lokus_banding
    if b is None or not _banding_ada(rv):
        return ("Perbandingan perubahan prevalensi desa lokus dan desa lain memerlukan "
                f"data register {rv.tahun - 1} dan {rv.tahun} serta daftar desa lokus.")
    g = b.kelompok.set_index("kelompok")
    lok, other = g.loc["lokus"], g.loc["bukan_lokus"]
    if lok["perubahan"] < 0 and other["perubahan"] < 0:
        faster = "turun lebih cepat" if b.selisih < 0 else "turun lebih lambat"
    else:
        faster = ("berubah lebih baik" if b.selisih < 0 else "berubah lebih buruk")
    sig = ("Selisih ini lebih besar dari galat acaknya" if b.bermakna
           else "Selisih ini masih dalam batas galat acak")
    return (
        f"Di desa lokus, prevalensi register berubah dari {text.persen(lok['p_awal'])} "
        f"({b.tahun_awal}) menjadi {text.persen(lok['p_akhir'])} ({b.tahun_akhir}), "
        f"{text.poin_persen(lok['perubahan'])}; di desa lainnya dari {text.persen(other['p_awal'])} "
        f"menjadi {text.persen(other['p_akhir'])}, {text.poin_persen(other['perubahan'])}. "
        f"Prevalensi di desa lokus {faster} daripada di desa lain, dengan selisih perubahan "
        f"{text.poin_persen(b.selisih)} (IK {_level(rv)} bootstrap antardesa "
        f"{_rentang_pp(b.ci[0], b.ci[1])}). {sig}.")


def lokus_batas(rv: Reviu) -> str:
    """What the lokus comparison can and cannot show ('' without the comparison)."""
    b = rv.lokus_banding
    if b is None or not _banding_ada(rv):
        return ""
    s = (f"Cara membaca perbandingan ini: desa lokus dipilih *karena* prevalensinya tinggi "
         f"(pada awal periode prevalensinya {text.angka(abs(b.selisih_awal), 1)} poin persen "
         f"{'lebih tinggi' if b.selisih_awal >= 0 else 'lebih rendah'} daripada desa lain). "
         "Angka yang tinggi sebagian karena kebetulan dan cenderung turun sendiri pada "
         "pengukuran berikutnya (regresi ke rata-rata), dan desa lokus dapat berbeda dari desa lain "
         "dalam hal yang juga memengaruhi prevalensi. Karena itu penurunan yang lebih cepat di "
         "desa lokus adalah pembacaan yang optimistis, bukan bukti bahwa intervensi berhasil; "
         "sebaliknya, penurunan yang tidak lebih cepat adalah tanda yang patut ditelusuri. "
         "Perbandingan ini juga hanya mencakup anak yang ditimbang di kedua tahun.")
    adj = b.disesuaikan
    if adj and adj.get("selisih") == adj.get("selisih"):
        sig_adj = ("lebih besar dari galat acaknya" if adj["bermakna"]
                   else "masih dalam batas galat acak")
        s += (
            f" Sebagai pembanding yang lebih hati-hati, desa lokus dibandingkan dengan desa lain "
            f"yang prevalensi awalnya sama (regresi berbobot atas {text.angka(adj['desa'])} desa): "
            f"selisihnya {text.bertanda(adj['selisih'])} poin persen (IK {_level(rv)} "
            f"{_rentang_pp(adj['ci'][0], adj['ci'][1])}), {sig_adj}. Setiap 1 poin persen "
            f"prevalensi awal yang lebih tinggi diikuti perubahan "
            f"{text.bertanda(adj['kemiringan_awal'], 2)} poin persen pada tahun berikutnya: "
            "sebesar itulah regresi ke rata-rata bekerja di data ini.")
    return s


# ---------------------------------------------------------------------------
# budget and aksi
# ---------------------------------------------------------------------------
def _anggaran(rv: Reviu) -> str | None:
    if not _has(rv, Tabel.ANGGARAN):
        return None
    t = rv.anggaran_total
    s = (f"Anggaran percepatan penurunan stunting {rv.tahun} lintas "
         f"{text.angka(len(rv.anggaran_opd))} OPD: pagu {text.rupiah(t['pagu'], compact=True)}, "
         f"realisasi {text.rupiah(t['realisasi'], compact=True)}, serapan "
         f"**{text.persen(t['serapan_pct'])}**.")
    if rv.biaya_per_stunting == rv.biaya_per_stunting:
        s += (f" Realisasi per anak stunting yang tercatat di register: "
              f"{text.rupiah(rv.biaya_per_stunting, compact=True)}.")
    return s


def anggaran(rv: Reviu) -> str:
    """Budget, realisation and absorption across OPD."""
    return _anggaran(rv) or TIDAK_TERSEDIA[Tabel.ANGGARAN]


def anggaran_lokus(rv: Reviu) -> str:
    """How much of the spending located in desa reached the desa lokus."""
    lk = rv.anggaran_lokus.iloc[0]
    if not _has(rv, Tabel.ANGGARAN) or not lk["desa_lokus"] > 0:
        return "Tidak ada belanja yang dicatat berlokasi di desa lokus."
    return (f"Belanja yang dicatat berlokasi di desa: "
            f"{text.rupiah(lk['realisasi_berlokasi'], compact=True)}; "
            f"dari jumlah itu {text.rupiah(lk['realisasi_lokus'], compact=True)} "
            f"({text.persen(lk['pct_lokus_berlokasi'])}) sampai di desa lokus, atau "
            f"{text.persen(lk['pct_lokus_total'])} dari seluruh realisasi. "
            f"{text.angka(lk['desa_lokus_dibiayai'])} dari {text.angka(lk['desa_lokus'])} desa "
            "lokus menerima belanja berlokasi.")


def aksi(rv: Reviu) -> str:
    """The 8-aksi score with its counts."""
    a = rv.aksi_total
    return (f"Skor pelaksanaan 8 aksi konvergensi: **{text.angka(a['skor'], 1)} dari 100** "
            f"(nilai {a['nilai']}, {a['predikat']}); {text.angka(a['selesai'])} aksi selesai, "
            f"{text.angka(a['tepat_waktu'])} tepat waktu, {text.angka(a['dengan_bukti'])} "
            "dengan bukti dokumen.")


def struktur_aksi(rubric: RubrikAksi) -> str:
    """The two structures (8 aksi; Kemendagri 2025: 4 main + 2 supporting) and the rubric."""
    groups = rubric.kelompok_2025
    main = [g.nama.lower() for g in groups.values() if g.jenis == "utama"]
    support = [g.nama.lower() for g in groups.values() if g.jenis == "pendukung"]
    grades = "; ".join(f"{k} = {text.angka(v.poin)} poin ({_lower_first(v.uraian)})"
                       for k, v in rubric.nilai.items())
    return (f"Pelaksanaan dinilai menurut **8 aksi konvergensi** (Pedoman 2018, Juknis 2019/2022). "
            f"Sejak 2025 Kemendagri mengelompokkannya menjadi {text.angka(len(main))} aksi utama "
            f"({text.daftar(main)}) dan {text.angka(len(support))} aksi pendukung "
            f"({text.daftar(support)}); Tabel pengelompokan di bawah memetakan kedelapan aksi ke "
            "struktur itu (pemetaan indikatif). Setiap aksi diberi nilai menurut rubrik yang "
            f"disusun meniru penilaian kinerja provinsi: {grades}. Skor total adalah jumlah poin "
            "berbobot dibagi poin maksimum, dikali 100. Bobot dan batas nilai provinsi tidak "
            "dipublikasikan, sehingga rubrik ini disimpan sebagai konfigurasi "
            "(analysis/data/config/rubrik_aksi.yaml) dan dapat diganti dengan rubrik provinsi.")


def catatan_data(rv: Reviu) -> str:
    """A sentence naming the tables of the data package that were not supplied ('' if none)."""
    return " ".join(TIDAK_TERSEDIA[Tabel(t)] for t in rv.tidak_tersedia if Tabel(t) in TIDAK_TERSEDIA)


# ---------------------------------------------------------------------------
# recommendations
# ---------------------------------------------------------------------------
def _rek_tren(rv: Reviu) -> list[Rekomendasi]:
    p = rv.putusan
    if p is None:
        return []
    seri = p.seri.label
    if p.sesuai_jalur and p.p_akhir > p.p_awal:
        return [Rekomendasi(
            "Hentikan kenaikan prevalensi: telusuri desa dan puskesmas tempat prevalensi naik "
            "dan perkuat intervensi spesifik di sana.",
            f"Prevalensi {seri} naik dari {text.persen(p.p_awal)} ({p.tahun_awal}) menjadi "
            f"{text.persen(p.p_akhir)} ({p.tahun_akhir}), walaupun masih di bawah "
            f"{p.label.lower()} {text.persen(p.target_pct)}.", "tren")]
    if p.sesuai_jalur:
        return [Rekomendasi(
            "Pertahankan laju penurunan dan pusatkan upaya pada desa dengan jumlah anak stunting "
            "terbanyak.",
            f"AARR {seri} {_pct_ai(p.aarr_observasi)} sudah memenuhi AARR yang diperlukan "
            f"({_pct_ai(p.aarr_wajib)}) untuk {p.label.lower()}.", "tren")]
    return [Rekomendasi(
        "Percepat penurunan prevalensi: tetapkan desa lokus tahun depan dari analisis situasi "
        "terbaru dan tambah intervensi spesifik di sana.",
        f"AARR {seri} {_pct_ai(p.aarr_observasi)} di bawah AARR yang diperlukan "
        f"({_pct_ai(p.aarr_wajib)}) untuk {p.label.lower()} {text.persen(p.target_pct)} pada "
        f"{p.tahun_target}.", "tren")]


def _rek_cakupan(rv: Reviu) -> list[Rekomendasi]:
    c = rv.cakupan
    if not len(c):
        return []
    limit = rv.atur.reviu.rekomendasi.maks_butir_indikator
    out = []
    below = c[c["status_target"] == StatusTarget.DI_BAWAH].sort_values(
        "kesenjangan_pp", ascending=False).head(limit)
    if len(below):
        items = [f"{_lower_first(r.nama)} {text.persen(r.cakupan_pct)} (target "
                 f"{text.persen(r.target_pct, 0)})" for r in baris(below)]
        out.append(Rekomendasi(
            "Naikkan cakupan indikator dengan kesenjangan terbesar terhadap target dan "
            "anggarkan kegiatannya dalam rencana kegiatan (Aksi 2).",
            "Cakupan di bawah target melebihi galat acak: " + text.daftar(items) + ".", "cakupan"))
    worse = _direction(c, ArahPerubahan.MEMBURUK).sort_values("perubahan_pp").head(limit)
    if len(worse):
        items = [f"{_lower_first(r.nama)} ({text.poin_persen(r.perubahan_pp)})"
                 for r in baris(worse)]
        out.append(Rekomendasi(
            "Telusuri penyebab turunnya cakupan bersama OPD penanggung jawab (pencatatan, "
            "ketersediaan layanan, sasaran yang berubah).",
            f"Cakupan memburuk dibanding {rv.tahun - 1} melebihi galat acak: "
            + text.daftar(items) + ".", "cakupan"))
    return out


def _rek_lokus(rv: Reviu) -> list[Rekomendasi]:
    if not len(rv.lokus):
        return []
    cfg = rv.atur.reviu.rekomendasi
    out = []
    p = rv.lokus_paket
    low = rv.lokus_layanan[rv.lokus_layanan["tingkat_pct"]
                           < cfg.konvergensi_lokus_rendah_pct].head(cfg.maks_butir_indikator)
    if (~p["paket_lengkap"]).any():
        n_full = int(p["paket_lengkap"].sum())
        reason = ((f"Hanya {text.angka(n_full)} dari " if n_full else "Tidak satu pun dari ")
                  + f"{text.angka(len(p))} desa lokus menerima paket layanan lengkap")
        if len(low):
            reason += "; layanan terendah: " + text.daftar(
                [f"{_lower_first(r.nama_layanan)} {text.persen(r.tingkat_pct)}"
                 for r in baris(low)])
        out.append(Rekomendasi(
            "Lengkapi paket layanan di desa lokus melalui KPM dan kartu skor desa (Aksi 5), "
            "dimulai dari layanan yang paling jarang diterima.", reason + ".", "lokus"))
    b = rv.lokus_banding
    if b is not None and _banding_ada(rv) and not (b.bermakna and b.selisih < 0):
        out.append(Rekomendasi(
            "Evaluasi ketepatan intervensi di desa lokus sebelum menetapkan lokus tahun depan.",
            f"Prevalensi di desa lokus tidak terbukti turun lebih cepat daripada desa lain "
            f"(selisih {text.poin_persen(b.selisih)}, IK {_rentang_pp(b.ci[0], b.ci[1])}), "
            "padahal regresi ke rata-rata saja sudah cenderung menurunkannya.", "lokus"))
    return out


def _rek_anggaran(rv: Reviu) -> list[Rekomendasi]:
    if not _has(rv, Tabel.ANGGARAN):
        return []
    cfg = rv.atur.reviu.rekomendasi
    limit = cfg.maks_butir_indikator
    out = []
    thr = cfg.serapan_rendah_pct
    low = rv.anggaran_opd[rv.anggaran_opd["serapan_pct"] < thr].sort_values("serapan_pct")
    if len(low):
        items = [f"{r.opd} {text.persen(r.serapan_pct)}" for r in baris(low.head(limit))]
        out.append(Rekomendasi(
            "Perbaiki perencanaan kas dan pelaksanaan kegiatan di OPD dengan serapan rendah; "
            "pertimbangkan realokasi bila hambatannya menetap.",
            f"Serapan di bawah {text.persen(thr, 0)}: " + text.daftar(items)
            + (f" (dan {text.angka(len(low) - limit)} OPD lain)" if len(low) > limit else "")
            + ".", "anggaran"))
    lk = rv.anggaran_lokus.iloc[0]
    if lk["desa_lokus"] > 0 and lk["desa_lokus_dibiayai"] < lk["desa_lokus"]:
        out.append(Rekomendasi(
            "Tandai lokasi desa pada kegiatan fisik dan layanan, dan arahkan belanja berlokasi ke "
            "desa lokus yang belum menerimanya.",
            f"{text.angka(lk['desa_lokus'] - lk['desa_lokus_dibiayai'])} dari "
            f"{text.angka(lk['desa_lokus'])} desa lokus tidak menerima belanja berlokasi.",
            "anggaran"))
    return out


def _alasan_aksi(r: pd.Series) -> str:
    if r.status == StatusAksi.TIDAK_DILAPORKAN:
        return "belum dilaporkan"
    if r.status != StatusAksi.SELESAI:
        return "belum selesai"
    if not r.ada_bukti:
        return "tanpa bukti"
    return f"terlambat {text.angka(r.terlambat_hari)} hari"


def _rek_aksi(rv: Reviu) -> list[Rekomendasi]:
    out = []
    weak = rv.aksi[rv.aksi["nilai"].isin(["C", "D"])]
    if len(weak):
        items = [f"Aksi {r.aksi} {r.nama} (nilai {r.nilai}, {_alasan_aksi(r)})"
                 for r in baris(weak)]
        out.append(Rekomendasi(
            "Jadwalkan dan dokumentasikan aksi yang bernilai C atau D agar selesai tepat waktu "
            "dengan bukti yang dapat diunggah untuk penilaian provinsi.",
            text.daftar(items) + ".", "aksi"))
    over = rv.aksi[rv.aksi["mandiri_lebih_tinggi"]]
    if len(over):
        out.append(Rekomendasi(
            "Selaraskan penilaian mandiri dengan bukti sebelum penilaian kinerja provinsi.",
            f"Penilaian mandiri lebih tinggi daripada nilai rubrik pada "
            f"{text.angka(len(over))} aksi (aksi "
            + text.daftar([str(a) for a in over["aksi"]]) + ").", "aksi"))
    return out


def _rek_register(rv: Reviu) -> list[Rekomendasi]:
    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else None
    if ann is None or not len(rv.survei) or rv.tahun not in ann.index \
            or int(rv.survei.iloc[-1]["tahun"]) != rv.tahun:
        return []
    last = rv.survei.iloc[-1]
    reg = ann.loc[rv.tahun, "prevalensi"]
    ratio = reg / last["prevalensi"]
    if not ratio < rv.atur.reviu.rekomendasi.rasio_register_survei_rendah:
        return []
    return [Rekomendasi(
        "Perkuat cakupan dan mutu penimbangan (Aksi 7) agar angka register mendekati angka survei.",
        f"Prevalensi register {text.persen(reg)} hanya {text.persen(100 * ratio, 0)} dari angka "
        f"{last['sumber']} ({text.persen(last['prevalensi'])}).", "tren")]


_REKOMENDASI: tuple[Callable[[Reviu], list[Rekomendasi]], ...] = (
    _rek_tren, _rek_cakupan, _rek_lokus, _rek_anggaran, _rek_aksi, _rek_register)


def rekomendasi(rv: Reviu) -> list[Rekomendasi]:
    """Recommendations for next year, each derived from a finding and carrying its reason."""
    return [r for step in _REKOMENDASI for r in step(rv)]


def butir_rekomendasi(rv: Reviu) -> list[str]:
    """Recommendations as list items: the action, then its reason."""
    return [f"{r.rekomendasi} *Alasan:* {r.alasan}" for r in rekomendasi(rv)]


def pesan_utama(rv: Reviu) -> list[str]:
    """The executive summary's bullet points (Markdown), in reading order."""
    items = [s for s in (_prevalensi(rv), _membaik(rv), _tidak_membaik(rv), _lokus_paket(rv),
                         _anggaran(rv), aksi(rv)) if s]
    rek = rekomendasi(rv)
    if rek:
        items.append(f"{text.angka(len(rek))} rekomendasi untuk tahun depan "
                     f"(Bagian Rekomendasi), terutama: {_lower_first(rek[0].rekomendasi)}")
    return items
