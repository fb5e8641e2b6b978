"""Studi tiru computation: host against visitors, or every district of a province, fairly and
with its uncertainty.

Every per-district figure is computed as the single-district reports compute it, on the same
selection of data, so a district reads the same number here as in its own reports: the
register headline (:func:`analysis.laporan.bersama.angka_register` on
``measurements_for_year``), the latest survey (:func:`~analysis.laporan.bersama.survei_terakhir`),
the register and survey series, coverage (:func:`analysis.coverage.indicator_summary`), budget
(:mod:`analysis.budget`) and the 8-aksi score (:mod:`analysis.aksi`, review date 31 December).

A table a district did not supply is *missing*: its figures are NaN and the district's
``hilang`` names the table (:class:`~analysis.kode.Tabel` codes); nothing is filled with zero.

:func:`pilih` chooses and loads the districts (the only step that reads files); :func:`susun`
summarises each (:func:`ringkas` → :class:`Daerah`) and compares them (:func:`bandingkan` →
:class:`StudiTiru`). Reader tables are in :mod:`.tabel`, sentences and questions in
:mod:`.kalimat`. Settings: ``studi_tiru.yaml`` and ``rubrik_aksi.yaml``.

Conventions: percentages in percent (0–100); AARR as a fraction per year; district codes are
Kemendagri codes (``"64.02"``); statuses are codes of :mod:`analysis.kode`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from analysis import aksi as aksi_mod
from analysis import budget as bud
from analysis import config, pengaturan, reference, text, trend
from analysis import coverage as cov
from analysis import prevalence as prev
from analysis.dataset import DistrictData, load_district, measurements_for_year
from analysis.errors import DataUnavailableError, ParameterError
from analysis.kode import Peran, PosisiBanding, Seri, Tabel
from analysis.laporan.bersama import (
    AngkaRegister,
    DokumenDaerah,
    Survei,
    angka_register,
    baris_tahun,
    baris_terakhir,
    dokumen_daerah,
    kabupaten_provinsi,
    register_tahunan,
    survei_terakhir,
    ukuran_kabupaten,
)
from analysis.stats import FUNNEL_Z, diff_ci, funnel_limits, funnel_position

#: Columns of :func:`tabel_daerah`.
DAERAH_COLUMNS = [
    "kab", "nama", "peran", "penduduk", "kecamatan", "desa", "keluarga", "keluarga_berisiko",
    "perkiraan_balita", "periode", "diukur", "n", "stunting", "sangat_pendek", "pct", "ll", "ul",
    "cakupan_ukur_pct", "survei_pct", "survei_sumber", "survei_tahun", "survei_keandalan",
    "pagu", "realisasi", "serapan_pct", "anak_terjangkau", "belanja_per_anak_terjangkau",
    "belanja_per_stunting", "skor_aksi", "nilai_aksi", "predikat_aksi", "aksi_selesai", "hilang",
]
AARR_COLUMNS = ["kab", "nama", "seri", "tahun_awal", "sumber_awal", "p_awal", "tahun_akhir",
                "sumber_akhir", "p_akhir", "aarr"]


@dataclass(frozen=True)
class Pengaturan:
    """The settings the study visit reads (each validated by its model)."""

    studi: pengaturan.StudiTiru
    rubrik: pengaturan.RubrikAksi

    @classmethod
    def berlaku(cls) -> Pengaturan:
        """The live settings files of the package."""
        return cls(pengaturan.studi_tiru(), pengaturan.rubrik_aksi())


# ------------------------------------------------------------------ one district ----
@dataclass(frozen=True)
class Profil:
    """Size of a district: reference counts and the totals of its profil desa (NaN when missing)."""

    penduduk: float
    kecamatan: float
    desa: float
    keluarga: float
    keluarga_berisiko: float
    perkiraan_balita: float


@dataclass
class Daerah:
    """Everything the comparison needs about one district and year.

    Attributes
    ----------
    kab, nama : str
        Kemendagri code and name.
    peran : Peran
        Host, visitor, or a district of a province view.
    tahun : int
        Year compared.
    periode : str or None
        Weighing round of the annual register figure (``"2024-08"``).
    stunting : AngkaRegister or None
        The register headline; None without measurements that year.
    survei : Survei or None
        Latest published survey figure.
    register : DataFrame
        ``trend.register_annual`` columns, every year up to ``tahun``.
    survei_seri : DataFrame
        ``trend.survey_series`` up to ``tahun``.
    profil : Profil
    cakupan : DataFrame
        ``coverage.indicator_summary`` of the year (empty when missing).
    anggaran : dict
        First row of ``budget.absorption`` (``pagu, realisasi, sisa, serapan_pct, baris``);
        NaN values when missing.
    biaya_per_capaian : DataFrame
        ``budget.cost_per_reached`` (empty when budget or coverage is missing).
    aksi : DataFrame
        ``aksi.score_aksi`` (empty when ``status_aksi`` is missing).
    aksi_total : SkorAksi or None
        ``aksi.overall_score``; None when ``status_aksi`` is missing.
    hilang : list of str
        Tables missing for the year (:class:`~analysis.kode.Tabel` codes), sorted.
    """

    kab: str
    nama: str
    peran: Peran
    tahun: int
    periode: str | None
    stunting: AngkaRegister | None
    survei: Survei | None
    register: pd.DataFrame
    survei_seri: pd.DataFrame
    profil: Profil
    cakupan: pd.DataFrame
    anggaran: dict[str, Any]
    biaya_per_capaian: pd.DataFrame
    aksi: pd.DataFrame
    aksi_total: aksi_mod.SkorAksi | None
    hilang: list[str] = field(default_factory=list)


def _register(data: DistrictData, tahun: int,
              hilang: list[str]) -> tuple[AngkaRegister | None, str | None, pd.DataFrame]:
    """The headline of ``tahun`` and the annual register series up to it."""
    years = sorted(int(y) for y in pd.unique(data.measurements["tahun"]) if int(y) <= tahun) \
        if len(data.measurements) else []
    register = register_tahunan(data, [y for y in years if y < tahun])
    try:
        ukur = measurements_for_year(data, tahun)
    except DataUnavailableError:
        if Tabel.EPPGBM not in hilang:
            hilang.append(Tabel.EPPGBM.value)
        return None, None, register
    stunting = angka_register(prev.prevalence_table(ukur), prev.status_counts(ukur))
    periode = str(ukur["periode"].max())
    now = pd.DataFrame([{
        "tahun": tahun, "periode": periode, "n": stunting.n, "stunting": stunting.stunting,
        "prevalensi": stunting.pct, "ci_bawah": stunting.ll, "ci_atas": stunting.ul,
        "sumber": f"e-PPGBM {periode}"}])
    register = now if register.empty else pd.concat([register, now], ignore_index=True)
    return stunting, periode, register


def _profil(data: DistrictData, tahun: int) -> Profil:
    ukuran = ukuran_kabupaten(data.kab)
    prof = baris_terakhir(data.profil_desa, tahun)

    def total(col: str) -> float:
        if prof.empty or col not in prof:
            return np.nan
        return float(pd.to_numeric(prof[col], errors="coerce").sum(min_count=1))

    return Profil(penduduk=ukuran.penduduk, kecamatan=ukuran.kecamatan, desa=ukuran.desa,
                  keluarga=total("jumlah_keluarga"),
                  keluarga_berisiko=total("keluarga_berisiko_stunting"),
                  perkiraan_balita=total("perkiraan_balita"))


def ringkas(data: DistrictData, tahun: int, peran: Peran, atur: Pengaturan) -> Daerah:
    """The comparison figures of one district, computed as its own reports compute them."""
    tahun = int(tahun)
    hilang = data.tabel_hilang(tahun)
    stunting, periode, register = _register(data, tahun, hilang)
    survei_seri = trend.survey_series(reference.survey_prevalence(), data.kab)
    survei_seri = survei_seri[survei_seri["tahun"] <= tahun].reset_index(drop=True)
    indicators = reference.indicators()
    cov_now = baris_tahun(data.coverage, tahun)
    cakupan = (cov.indicator_summary(cov.coverage_table(cov_now, indicators))
               if len(cov_now) else pd.DataFrame())
    if cov_now.empty and Tabel.CAKUPAN_LAYANAN not in hilang:
        hilang.append(Tabel.CAKUPAN_LAYANAN.value)
    budget = baris_tahun(data.budget, tahun)
    if budget.empty:
        if Tabel.ANGGARAN not in hilang:
            hilang.append(Tabel.ANGGARAN.value)
        anggaran: dict[str, Any] = {k: np.nan for k in bud.ABSORPTION_COLUMNS}
        per_reached = pd.DataFrame()
    else:
        anggaran = {str(k): v for k, v in bud.absorption(budget).iloc[0].items()}
        per_reached = (bud.cost_per_reached(budget, cov_now, indicators) if len(cov_now)
                       else pd.DataFrame())
    aksi_now = baris_tahun(data.aksi, tahun)
    scored: pd.DataFrame = pd.DataFrame()
    aksi_total = None
    if aksi_now.empty:
        if Tabel.STATUS_AKSI not in hilang:
            hilang.append(Tabel.STATUS_AKSI.value)
    else:
        scored = aksi_mod.score_aksi(aksi_now, _dt.date(tahun, 12, 31), atur.rubrik)
        aksi_total = aksi_mod.overall_score(scored, atur.rubrik)
    return Daerah(kab=data.kab, nama=data.nama, peran=peran, tahun=tahun, periode=periode,
                  stunting=stunting, survei=survei_terakhir(data.kab, tahun),
                  register=register, survei_seri=survei_seri, profil=_profil(data, tahun),
                  cakupan=cakupan, anggaran=anggaran, biaya_per_capaian=per_reached,
                  aksi=scored, aksi_total=aksi_total, hilang=sorted(set(hilang)))


# ------------------------------------------------------------------ frames ----
def _baris_daerah(d: Daerah, code: str) -> dict[str, Any]:
    """One row of :func:`tabel_daerah`."""
    st = d.stunting
    sv = d.survei
    a = d.anggaran
    reached = np.nan
    if len(d.cakupan):
        hit = d.cakupan[d.cakupan["kode_indikator"].astype(str) == code]
        if len(hit):
            reached = float(hit["capaian"].sum())
    realisasi = float(a.get("realisasi", np.nan))
    stunted = st.stunting if st else np.nan
    if np.isnan(realisasi) or pd.isna(stunted):
        per_stunted = np.nan
    else:
        per_stunted = bud.cost_per_stunted(pd.DataFrame({"pagu": [a["pagu"]],
                                                         "realisasi": [realisasi]}), int(stunted))
    balita = d.profil.perkiraan_balita
    diukur = st.anak if st else np.nan
    total = d.aksi_total
    return {
        "kab": d.kab, "nama": d.nama, "peran": d.peran.value,
        "penduduk": d.profil.penduduk, "kecamatan": d.profil.kecamatan, "desa": d.profil.desa,
        "keluarga": d.profil.keluarga, "keluarga_berisiko": d.profil.keluarga_berisiko,
        "perkiraan_balita": balita,
        "periode": d.periode, "diukur": diukur, "n": st.n if st else np.nan,
        "stunting": stunted, "sangat_pendek": st.sangat_pendek if st else np.nan,
        "pct": st.pct if st else np.nan, "ll": st.ll if st else np.nan,
        "ul": st.ul if st else np.nan,
        "cakupan_ukur_pct": (100 * diukur / balita if pd.notna(diukur) and pd.notna(balita)
                             and balita > 0 else np.nan),
        "survei_pct": sv.pct if sv else np.nan, "survei_sumber": sv.nama if sv else None,
        "survei_tahun": sv.tahun if sv else np.nan,
        "survei_keandalan": sv.keandalan.value if sv else None,
        "pagu": float(a.get("pagu", np.nan)), "realisasi": realisasi,
        "serapan_pct": float(a.get("serapan_pct", np.nan)),
        "anak_terjangkau": reached,
        "belanja_per_anak_terjangkau": (realisasi / reached if pd.notna(reached)
                                        and reached > 0 else np.nan),
        "belanja_per_stunting": per_stunted,
        "skor_aksi": total["skor"] if total else np.nan,
        "nilai_aksi": total["nilai"] if total else None,
        "predikat_aksi": total["predikat"] if total else None,
        "aksi_selesai": total["selesai"] if total else np.nan,
        "hilang": tuple(d.hilang),
    }


def tabel_daerah(daerah: list[Daerah], indikator_terjangkau: str) -> pd.DataFrame:
    """One row per district: the figures every section compares.

    Parameters
    ----------
    daerah : list of Daerah
    indikator_terjangkau : str
        Indicator whose ``capaian`` counts the children reached (``studi_tiru.yaml``).

    Returns
    -------
    DataFrame
        :data:`DAERAH_COLUMNS`: ``kab, nama, peran`` (a :class:`~analysis.kode.Peran`),
        profile counts, ``periode``, register figures (``diukur`` children in the round, ``n``
        with a usable HAZ, ``stunting``, ``sangat_pendek``, ``pct, ll, ul``),
        ``cakupan_ukur_pct`` (measured ÷ estimated balita), latest survey (``survei_pct,
        survei_sumber, survei_tahun, survei_keandalan`` (a code)), budget (``pagu, realisasi,
        serapan_pct``), ``anak_terjangkau`` and ``belanja_per_anak_terjangkau``,
        ``belanja_per_stunting``, 8-aksi ``skor_aksi, nilai_aksi, predikat_aksi,
        aksi_selesai``, ``hilang`` (tuple of missing table codes). Missing figures are NaN,
        never 0.
    """
    out = pd.DataFrame([_baris_daerah(d, indikator_terjangkau) for d in daerah],
                       columns=DAERAH_COLUMNS)
    for col in ("diukur", "n", "stunting", "sangat_pendek", "aksi_selesai"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    return out


def cakupan_panjang(daerah: list[Daerah]) -> pd.DataFrame:
    """Coverage per district × indicator (long).

    Returns
    -------
    DataFrame
        ``kab, nama_daerah, kode_indikator, indikator, jenis, kelompok_sasaran, arah,
        target_pct, sasaran, capaian, cakupan_pct``; districts without a coverage table have
        no rows (they are named in their ``hilang``).
    """
    cols = ["kab", "nama_daerah", "kode_indikator", "indikator", "jenis", "kelompok_sasaran",
            "arah", "target_pct", "sasaran", "capaian", "cakupan_pct"]
    parts = []
    for d in daerah:
        if d.cakupan is None or d.cakupan.empty:
            continue
        c = d.cakupan.rename(columns={"nama": "indikator"}).copy()
        c["kab"], c["nama_daerah"] = d.kab, d.nama
        c["kode_indikator"] = c["kode_indikator"].astype(str)
        parts.append(c[cols])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def tren_panjang(daerah: list[Daerah]) -> pd.DataFrame:
    """Survey and register prevalence of every district (long), labelled by source.

    Returns
    -------
    DataFrame
        ``kab, nama, seri`` (a :class:`~analysis.kode.Seri`), ``tahun``, ``sumber``
        (``"SSGI 2022"``, ``"e-PPGBM Agustus 2024"``), ``prevalensi``, ``ci_bawah``, ``ci_atas``
        (register only), ``keandalan`` (survey only, a code).
    """
    cols = ["kab", "nama", "seri", "tahun", "sumber", "prevalensi", "ci_bawah", "ci_atas",
            "keandalan"]
    parts = []
    for d in daerah:
        s = d.survei_seri
        if len(s):
            parts.append(pd.DataFrame({"kab": d.kab, "nama": d.nama, "seri": Seri.SURVEI.value,
                                       "tahun": s["tahun"].astype(int), "sumber": s["sumber"],
                                       "prevalensi": s["prevalensi"].astype(float),
                                       "ci_bawah": np.nan, "ci_atas": np.nan,
                                       "keandalan": s["keandalan"]}))
        r = d.register
        if len(r):
            label = ["e-PPGBM " + text.periode(str(x)) for x in r["periode"]]
            parts.append(pd.DataFrame({"kab": d.kab, "nama": d.nama, "seri": Seri.REGISTER.value,
                                       "tahun": r["tahun"].astype(int), "sumber": label,
                                       "prevalensi": r["prevalensi"].astype(float),
                                       "ci_bawah": r["ci_bawah"].astype(float),
                                       "ci_atas": r["ci_atas"].astype(float),
                                       "keandalan": None}))
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def tabel_aarr(tren: pd.DataFrame) -> pd.DataFrame:
    """Average annual rate of reduction per district and series, first to latest point.

    Returns
    -------
    DataFrame
        :data:`AARR_COLUMNS`: ``aarr`` is a fraction per year (:func:`analysis.trend.aarr`;
        NaN with fewer than two points). Survey and register are separate rows: never mixed.
    """
    rows = []
    for (kab, seri), g in tren.dropna(subset=["prevalensi"]).groupby(["kab", "seri"], sort=False):
        g = g.sort_values("tahun")
        a, b = g.iloc[0], g.iloc[-1]
        rate = trend.aarr(a["prevalensi"], a["tahun"], b["prevalensi"], b["tahun"]) \
            if len(g) >= 2 else np.nan
        rows.append({"kab": kab, "nama": a["nama"], "seri": seri, "tahun_awal": int(a["tahun"]),
                     "sumber_awal": a["sumber"], "p_awal": float(a["prevalensi"]),
                     "tahun_akhir": int(b["tahun"]), "sumber_akhir": b["sumber"],
                     "p_akhir": float(b["prevalensi"]), "aarr": float(rate)})
    return pd.DataFrame(rows, columns=AARR_COLUMNS)


def aarr_sebanding(aarr: pd.DataFrame, seri: str, min_rentang: int) -> pd.DataFrame:
    """AARR rows of one series that can be compared across districts.

    Keeps the rows of ``seri`` with an AARR, ending in the latest year any district reaches
    and spanning at least ``min_rentang`` years (a district whose last survey is older, or a
    one-year change, is not set against the others).
    """
    s = aarr.loc[(aarr["seri"] == seri) & aarr["aarr"].notna()]
    if s.empty:
        return s
    s = s.loc[(s["tahun_akhir"] == s["tahun_akhir"].max())
              & ((s["tahun_akhir"] - s["tahun_awal"]) >= int(min_rentang))]
    return cast(pd.DataFrame, s.reset_index(drop=True))


# ------------------------------------------------------------------ fair ranking ----
def _pairwise(x: pd.Series, n: pd.Series, idx: list[Any], level: float) -> tuple[pd.Series, pd.Series]:
    """For each district, how many others it is surely lower / higher than (Newcombe)."""
    lower_than = pd.Series(0, index=x.index, dtype="Int64")
    higher_than = pd.Series(0, index=x.index, dtype="Int64")
    for i in idx:
        others = [j for j in idx if j != i]
        if not others:
            continue
        d = diff_ci([x[i]] * len(others), [n[i]] * len(others), x[others], n[others], level)
        sig = d["significant"].to_numpy()
        diff = d["diff"].to_numpy()
        lower_than[i] = int((sig & (diff < 0)).sum())
        higher_than[i] = int((sig & (diff > 0)).sum())
    return lower_than, higher_than


def peringkat(frame: pd.DataFrame, level: float) -> pd.DataFrame:
    """Rank districts on register prevalence without ranking on noise.

    Parameters
    ----------
    frame : DataFrame
        One row per district: ``kab``, ``nama``, ``n`` (children with HAZ), ``stunting``
        (of whom stunted), ``pct`` (percent); NaN ``n`` for a district without data.
    level : float
        Confidence level of the pairwise differences.

    Returns
    -------
    DataFrame
        The input plus ``p0`` (pooled prevalence of the districts with data, percent),
        ``batas95_bawah, batas95_atas, batas998_bawah, batas998_atas`` (funnel limits at the
        district's ``n``, percent), ``posisi_funnel`` (a :class:`~analysis.kode.PosisiCorong`
        code, NaN without data), ``lebih_rendah_dari`` (districts whose prevalence is higher
        by more than the noise), ``lebih_tinggi_dari`` (lower by more than the noise),
        ``peringkat`` (1 = lowest prevalence), ``peringkat_min``, ``peringkat_maks`` (the ranks
        consistent with the noise: 1 + districts surely lower … N − districts surely higher).

    Notes
    -----
    Pairwise differences use Newcombe's interval (:func:`analysis.stats.diff_ci`) on the
    counts; a district is placed above another only when their difference is larger than its
    noise. The funnel shows each district against the pooled prevalence with limits that
    narrow as the number of children grows (Spiegelhalter 2005).
    """
    out = frame.copy()
    ok = out["n"].notna() & (pd.to_numeric(out["n"], errors="coerce") > 0)
    n = pd.to_numeric(out["n"], errors="coerce").astype(float)
    x = pd.to_numeric(out["stunting"], errors="coerce").astype(float)
    p0 = float(x[ok].sum() / n[ok].sum()) if ok.any() else np.nan
    out["p0"] = 100 * p0
    for zz, name in ((FUNNEL_Z[0], "95"), (FUNNEL_Z[1], "998")):
        lo, hi = funnel_limits(p0, n.where(ok), zz)
        out[f"batas{name}_bawah"] = 100 * lo
        out[f"batas{name}_atas"] = 100 * hi
    pos = funnel_position(x, n, p0, FUNNEL_Z)
    out["posisi_funnel"] = pd.Series(pos, index=out.index, dtype="object").where(ok)
    lower_than, higher_than = _pairwise(x, n, list(out.index[ok]), level)
    total = int(ok.sum())
    out["lebih_rendah_dari"] = lower_than.where(ok)
    out["lebih_tinggi_dari"] = higher_than.where(ok)
    out["peringkat"] = (100 * x / n).where(ok).rank(method="min").astype("Int64")
    out["peringkat_min"] = (1 + higher_than).where(ok).astype("Int64")
    out["peringkat_maks"] = (total - lower_than).where(ok).astype("Int64")
    return out


# ------------------------------------------------------------------ coverage ----
BANDING_COLUMNS = ["kab", "nama_daerah", "kode_indikator", "indikator", "arah", "target_pct",
                   "sasaran", "capaian", "cakupan_pct", "pembanding", "sasaran_pembanding",
                   "capaian_pembanding", "cakupan_pembanding_pct", "selisih_pp", "bawah_pp",
                   "atas_pp", "bermakna", "posisi", "keunggulan_pp"]


def _pembanding(c: pd.DataFrame, acuan: str | None) -> pd.DataFrame:
    """Each compared district's rows with its comparator's counts (host, or the others pooled)."""
    if acuan is not None:
        host = c[c["kab"] == acuan]
        ref = host[["kode_indikator", "sasaran", "capaian"]].rename(
            columns={"sasaran": "sasaran_pembanding", "capaian": "capaian_pembanding"})
        name = host["nama_daerah"].iloc[0] if len(host) else acuan
        out = c[c["kab"] != acuan].merge(ref, on="kode_indikator", how="inner")
        out["pembanding"] = name
        return out
    tot = c.groupby("kode_indikator", as_index=False)[["sasaran", "capaian"]].sum()
    out = c.merge(tot.rename(columns={"sasaran": "sasaran_semua", "capaian": "capaian_semua"}),
                  on="kode_indikator", how="left")
    out["sasaran_pembanding"] = out["sasaran_semua"] - out["sasaran"]
    out["capaian_pembanding"] = out["capaian_semua"] - out["capaian"]
    out = out[out["sasaran_pembanding"] > 0].drop(columns=["sasaran_semua", "capaian_semua"])
    out["pembanding"] = "kabupaten/kota lain"
    return out


def banding_cakupan(cakupan: pd.DataFrame, acuan: str | None, level: float) -> pd.DataFrame:
    """Each district's coverage against the host's (or the rest of the province's).

    Parameters
    ----------
    cakupan : DataFrame
        :func:`cakupan_panjang` output.
    acuan : str, optional
        Host district code: every other district is compared with it. ``None`` (province
        view): every district is compared with the pooled coverage of the other districts.
    level : float
        Confidence level of the difference.

    Returns
    -------
    DataFrame
        :data:`BANDING_COLUMNS`: one row per compared district × indicator present in both;
        ``pembanding`` (host name or ``"kabupaten/kota lain"``), the comparator's counts and
        coverage, ``selisih_pp`` (district − comparator, percentage points), ``bawah_pp``,
        ``atas_pp`` (Newcombe interval), ``bermakna`` (interval excludes 0), ``posisi`` (a
        :class:`~analysis.kode.PosisiBanding` code from the district's side, taking ``arah``
        into account; ``setara`` when not larger than the noise), ``keunggulan_pp`` (how far
        the comparator is ahead, positive when the comparator is better).
    """
    c = cakupan[pd.to_numeric(cakupan["sasaran"], errors="coerce") > 0].copy()
    if c.empty:
        return pd.DataFrame(columns=BANDING_COLUMNS)
    out = _pembanding(c, acuan)
    if out.empty:
        return pd.DataFrame(columns=BANDING_COLUMNS)
    out["cakupan_pembanding_pct"] = 100 * out["capaian_pembanding"] / out["sasaran_pembanding"]
    d = diff_ci(out["capaian"], out["sasaran"], out["capaian_pembanding"],
                out["sasaran_pembanding"], level)
    out["selisih_pp"] = 100 * d["diff"].to_numpy()
    out["bawah_pp"] = 100 * d["lower"].to_numpy()
    out["atas_pp"] = 100 * d["upper"].to_numpy()
    out["bermakna"] = d["significant"].to_numpy().astype(bool)
    better = np.where(out["arah"].eq("turun"), -out["selisih_pp"], out["selisih_pp"])
    out["posisi"] = np.where(~out["bermakna"], PosisiBanding.SETARA.value,
                             np.where(better > 0, PosisiBanding.LEBIH_BAIK.value,
                                      PosisiBanding.LEBIH_BURUK.value))
    out["keunggulan_pp"] = -better
    return out[BANDING_COLUMNS].reset_index(drop=True)


def ringkas_banding(banding: pd.DataFrame) -> pd.DataFrame:
    """Per compared district: indicators better, worse, level with the comparator.

    Returns
    -------
    DataFrame
        ``kab, nama_daerah, indikator`` (compared), ``lebih_baik``, ``lebih_buruk``,
        ``setara`` (counts).
    """
    if banding.empty:
        return pd.DataFrame(columns=["kab", "nama_daerah", "indikator", "lebih_baik",
                                     "lebih_buruk", "setara"])
    g = banding.groupby(["kab", "nama_daerah"], sort=False)["posisi"]
    out = g.size().rename("indikator").to_frame()
    for k in PosisiBanding:
        out[k.value] = g.apply(_jumlah(k))
    return out.reset_index()[["kab", "nama_daerah", "indikator", "lebih_baik", "lebih_buruk",
                              "setara"]]


def _jumlah(kode: PosisiBanding) -> Any:
    def count(s: pd.Series) -> int:
        return int((s == kode).sum())
    return count


def banding_prevalensi(frame: pd.DataFrame, acuan: str, level: float) -> pd.DataFrame:
    """Register prevalence of each other district against the host's.

    Returns
    -------
    DataFrame
        ``kab, nama, pct, pct_acuan, selisih_pp`` (district − host), ``bawah_pp, atas_pp``
        (Newcombe), ``bermakna``; empty when the host has no register figure.
    """
    cols = ["kab", "nama", "pct", "pct_acuan", "selisih_pp", "bawah_pp", "atas_pp", "bermakna"]
    f = frame.dropna(subset=["n", "stunting"])
    host = f[f["kab"] == acuan]
    other = f[f["kab"] != acuan]
    if host.empty or other.empty:
        return pd.DataFrame(columns=cols)
    h = host.iloc[0]
    d = diff_ci(other["stunting"].astype(float), other["n"].astype(float),
                [float(h["stunting"])] * len(other), [float(h["n"])] * len(other), level)
    out = other[["kab", "nama", "pct"]].reset_index(drop=True)
    out["pct_acuan"] = float(h["pct"])
    out["selisih_pp"] = 100 * d["diff"].to_numpy()
    out["bawah_pp"] = 100 * d["lower"].to_numpy()
    out["atas_pp"] = 100 * d["upper"].to_numpy()
    out["bermakna"] = d["significant"].to_numpy().astype(bool)
    return out[cols]


# ------------------------------------------------------------------ the whole report ----
@dataclass
class StudiTiru:
    """Everything the studi-tiru report shows.

    Attributes
    ----------
    tahun : int
    tuan_rumah : str or None
        Host code (None in the province view).
    provinsi : str or None
        Province code of the province view.
    atur : Pengaturan
    daerah : list of Daerah
        Host first, then visitors (or every district of the province with data).
    tanpa_data : list of str
        District codes of the province without a data folder.
    frame : DataFrame
        :func:`tabel_daerah`.
    ranking : DataFrame
        :func:`peringkat` of ``frame``.
    cakupan, banding : DataFrame
        :func:`cakupan_panjang`, :func:`banding_cakupan`.
    tren, aarr : DataFrame
        :func:`tren_panjang`, :func:`tabel_aarr`.
    """

    tahun: int
    tuan_rumah: str | None
    provinsi: str | None
    atur: Pengaturan
    daerah: list[Daerah]
    tanpa_data: list[str]
    frame: pd.DataFrame
    ranking: pd.DataFrame
    cakupan: pd.DataFrame
    banding: pd.DataFrame
    tren: pd.DataFrame
    aarr: pd.DataFrame

    @property
    def provinsi_view(self) -> bool:
        """True for the province view."""
        return self.provinsi is not None

    @property
    def level(self) -> float:
        """Confidence level of every comparison (1 − ``alpha``)."""
        return 1 - self.atur.studi.alpha


def bandingkan(daerah: list[Daerah], tahun: int, atur: Pengaturan, tuan_rumah: str | None = None,
               provinsi: str | None = None, tanpa_data: list[str] | None = None) -> StudiTiru:
    """Run every comparison on already summarised districts (pure).

    Parameters
    ----------
    daerah : list of Daerah
        From :func:`ringkas`.
    tahun : int
    atur : Pengaturan
    tuan_rumah : str, optional
        Host code (host view); None for the province view.
    provinsi : str, optional
        Province code of the province view.
    tanpa_data : list of str, optional
        Province districts without data (named in the report).
    """
    level = 1 - atur.studi.alpha
    frame = tabel_daerah(daerah, atur.studi.indikator_anak_terjangkau)
    cak = cakupan_panjang(daerah)
    host = None if provinsi else tuan_rumah
    tren = tren_panjang(daerah)
    return StudiTiru(tahun=int(tahun), tuan_rumah=host, provinsi=provinsi or None, atur=atur,
                     daerah=daerah, tanpa_data=list(tanpa_data or []), frame=frame,
                     ranking=peringkat(frame, level), cakupan=cak,
                     banding=banding_cakupan(cak, host, level), tren=tren, aarr=tabel_aarr(tren))


# ------------------------------------------------------------------ choosing districts ----
@dataclass
class Pilihan:
    """The districts of one study visit (or province view), loaded."""

    data: list[tuple[DistrictData, Peran]]
    tuan_rumah: str | None
    provinsi: str | None
    tanpa_data: list[str]


def pilih_daerah(tuan_rumah: str, tamu: str, provinsi: str,
                 data_root: Path) -> tuple[list[tuple[str, Peran]], list[str]]:
    """The districts to compare and their roles.

    Parameters
    ----------
    tuan_rumah, tamu : str
        Host code and comma-separated visitor codes (host view).
    provinsi : str
        Province code; when set, every district of the province with a data folder.
    data_root : Path
        The data root (``<root>/<kab>/``).

    Returns
    -------
    (list of (code, role), list of codes without data)

    Raises
    ------
    ParameterError
        No host in the host view, or a visitor equal to the host.
    """
    if provinsi:
        codes = kabupaten_provinsi(provinsi)
        have = [c for c in codes if (Path(data_root) / c).is_dir()]
        return [(c, Peran.PROVINSI) for c in have], [c for c in codes if c not in have]
    host = str(tuan_rumah or "").strip()
    if not host:
        raise ParameterError("tuan_rumah", "wajib diisi bila provinsi kosong (mis. 64.02).")
    guests = [c.strip() for c in str(tamu or "").split(",") if c.strip()]
    if host in guests:
        raise ParameterError("tamu", f"'{host}' adalah tuan rumah; tamu harus daerah lain.")
    if not guests:
        raise ParameterError("tamu", "isi setidaknya satu kode tamu (mis. 64.08,64.74).")
    return [(host, Peran.TUAN_RUMAH)] + [(g, Peran.TAMU) for g in dict.fromkeys(guests)], []


def pilih(tuan_rumah: str, tamu: str, provinsi: str,
          data_dir: str | Path | None = None) -> Pilihan:
    """Choose the districts (as the notebook parameters say) and load them.

    Parameters
    ----------
    tuan_rumah, tamu, provinsi : str
        As the notebook parameters (``provinsi`` non-empty = province view).
    data_dir : str or Path, optional
        Data root; empty/None = the demo data (made beforehand by ``konvergensi demo``).
    """
    root = Path(data_dir) if data_dir else None
    chosen, tanpa = pilih_daerah(tuan_rumah, tamu, provinsi,
                                 root if root is not None else config.DEMO_DIR)
    return Pilihan(data=[(load_district(kab, root), peran) for kab, peran in chosen],
                   tuan_rumah=(tuan_rumah or None) if not provinsi else None,
                   provinsi=provinsi or None, tanpa_data=tanpa)


def daerah_dokumen(pilihan: Pilihan, tahun: int) -> DokumenDaerah:
    """What the host supplies for the document (identity, signatories, its TPPS's sections); in
    the province view nothing yet (a provincial document is signed by the province)."""
    host = next((d for d, peran in pilihan.data if peran == Peran.TUAN_RUMAH), None)
    if pilihan.provinsi or host is None:
        return DokumenDaerah()
    return dokumen_daerah(host, tahun, "studi-tiru")


def susun(pilihan: Pilihan, tahun: int, atur: Pengaturan | None = None) -> StudiTiru:
    """Summarise every chosen district for ``tahun`` and compare them.

    Parameters
    ----------
    pilihan : Pilihan
        From :func:`pilih` (or built by hand from DistrictData).
    tahun : int
    atur : Pengaturan, optional
        Settings; ``None`` reads the package's settings files.
    """
    atur = atur or Pengaturan.berlaku()
    daerah = [ringkas(data, tahun, peran, atur) for data, peran in pilihan.data]
    return bandingkan(daerah, tahun, atur, tuan_rumah=pilihan.tuan_rumah,
                      provinsi=pilihan.provinsi, tanpa_data=pilihan.tanpa_data)
