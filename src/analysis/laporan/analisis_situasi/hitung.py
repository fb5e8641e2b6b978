"""Aksi 1 computation: everything the situation analysis shows, computed once (pure).

:func:`susun` selects the year's tables from a :class:`~analysis.dataset.DistrictData` and
calls :func:`hitung`, which works on already-selected tables only (tests call it directly).
The result is a :class:`Situasi`; the reader tables are in :mod:`.tabel`, the sentences in
:mod:`.kalimat`.

Conventions: percentages in percent (0–100); ``desa_code``/``kec_code`` are Kemendagri codes
(``"64.74.01.1001"``, ``"64.74.01"``); statuses are codes of :mod:`analysis.kode`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import coverage as cov
from analysis import lokus as lk
from analysis import pengaturan, reference
from analysis import prevalence as prev
from analysis import quality as qual
from analysis.dataset import DistrictData, measurements_for_year
from analysis.errors import DataUnavailableError
from analysis.kode import PosisiCorong
from analysis.laporan.bersama import (
    AngkaRegister,
    Survei,
    angka_register,
    baris_tahun,
    baris_terakhir,
    desa_kabupaten,
    survei_terakhir,
    tahun_tabel,
)


@dataclass(frozen=True)
class Pengaturan:
    """The settings the situation analysis reads (each validated by its model)."""

    situasi: pengaturan.AnalisisSituasi
    lokus: pengaturan.Lokus
    kualitas: pengaturan.KualitasData

    @classmethod
    def berlaku(cls) -> Pengaturan:
        """The live settings files of the package."""
        return cls(pengaturan.analisis_situasi(), pengaturan.lokus(), pengaturan.kualitas_data())


@dataclass
class Situasi:
    """Everything the situation-analysis report shows, computed once.

    Attributes
    ----------
    kab, nama : str
        District code and name.
    tahun : int
        Report year.
    periode : str
        The weighing round used (``"2024-08"``).
    atur : Pengaturan
        The settings used.
    wilayah : DataFrame
        Every desa of the district: ``desa_code, nama_desa, jenis_desa, kec_code,
        nama_kecamatan``.
    ukur : DataFrame
        ``measurements_for_year`` (one row per child, last round).
    prevalensi : DataFrame
        ``prevalence_table(ukur)`` (anthro shape: All, age, sex, age × sex).
    register : AngkaRegister
        The district headline (prevalence with CI, counts).
    status_kab, status_kec, status_desa : DataFrame
        ``status_counts`` for the district, per kecamatan and per desa (every desa of the
        reference list, children 0 where none were measured), with names.
    survei : Survei or None
        Latest published survey figure.
    kualitas : DataFrame
        ``quality_table`` by puskesmas (first row the whole district; ``kategori`` a code).
    posyandu_terburuk : DataFrame
        ``worst_groups`` by posyandu.
    cakupan : DataFrame
        ``coverage_table`` of the year (empty when the table is missing).
    cakupan_desa, cakupan_indikator, kelompok_sasaran : DataFrame
        Coverage summaries.
    skor : DataFrame
        ``lokus.score`` with names (``posisi_funnel`` a :class:`~analysis.kode.PosisiCorong`).
    sensitivitas, sensitivitas_desa : DataFrame
        ``lokus.sensitivity``.
    lokus_ditetapkan : DataFrame
        The decreed lokus compared (``lokus.compare_decreed``; ``status`` a
        :class:`~analysis.kode.StatusLokus`) and ``tahun_lokus`` its year.
    akuntansi : DataFrame
        Row accounting of the year: ``jenis`` (``dibaca``/``dianalisis``/``dikeluarkan``),
        ``alasan`` (the exclusion reason), ``baris``, ``persen``.
    pengukuran_kec : DataFrame
        Children measured per kecamatan against the estimated balita.
    profil : DataFrame
        ``profil_desa`` of the year (or the latest earlier year).
    ada_tahun_lalu : bool
        Measurements of the previous year were available.
    hilang : list of str
        Tables missing for this year.
    """

    kab: str
    nama: str
    tahun: int
    periode: str
    atur: Pengaturan
    wilayah: pd.DataFrame
    ukur: pd.DataFrame
    prevalensi: pd.DataFrame
    register: AngkaRegister
    status_kab: pd.DataFrame
    status_kec: pd.DataFrame
    status_desa: pd.DataFrame
    survei: Survei | None
    kualitas: pd.DataFrame
    posyandu_terburuk: pd.DataFrame
    cakupan: pd.DataFrame
    cakupan_desa: pd.DataFrame
    cakupan_indikator: pd.DataFrame
    kelompok_sasaran: pd.DataFrame
    skor: pd.DataFrame
    sensitivitas: pd.DataFrame
    sensitivitas_desa: pd.DataFrame
    lokus_ditetapkan: pd.DataFrame
    tahun_lokus: int | None
    akuntansi: pd.DataFrame
    pengukuran_kec: pd.DataFrame
    profil: pd.DataFrame
    ada_tahun_lalu: bool
    hilang: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ entry point ----
def susun(data: DistrictData, tahun: int, atur: Pengaturan | None = None) -> Situasi:
    """The situation analysis of one district and year.

    Annual prevalence uses :func:`analysis.dataset.measurements_for_year` (the year's last
    weighing round, one row per child), so every report shows the same figure.

    Parameters
    ----------
    data : DistrictData
        The district's canonical tables (all years).
    tahun : int
        Report year.
    atur : Pengaturan, optional
        Settings; ``None`` reads the package's settings files.
    """
    ukur = measurements_for_year(data, tahun)
    try:
        lalu: pd.DataFrame | None = measurements_for_year(data, tahun - 1)
    except DataUnavailableError:
        lalu = None
    return hitung(
        data.kab, data.nama, tahun, ukur, lalu, akuntansi=baris_tahun(data.accounting, tahun),
        profil=baris_terakhir(data.profil_desa, tahun),
        cakupan_layanan=baris_tahun(data.coverage, tahun), lokus_tabel=data.lokus,
        hilang=data.tabel_hilang(tahun), atur=atur or Pengaturan.berlaku(),
    )


def hitung(kab: str, nama: str, tahun: int, ukur: pd.DataFrame,
           ukur_lalu: pd.DataFrame | None = None, *, atur: Pengaturan,
           akuntansi: pd.DataFrame | None = None, profil: pd.DataFrame | None = None,
           cakupan_layanan: pd.DataFrame | None = None, lokus_tabel: pd.DataFrame | None = None,
           hilang: list[str] | None = None) -> Situasi:
    """Compute the situation analysis from already-selected tables (pure).

    Parameters
    ----------
    kab, nama : str
        District code and name.
    tahun : int
        Report year.
    ukur : DataFrame
        Measurements of the year (``measurements_for_year``): ``periode, desa_code,
        kec_code, puskesmas, posyandu, sex, age_days, weight_kg, height_cm, oedema, haz,
        waz, whz, baz, *_flag`` and optionally ``child_key, measure_date, birth_date``.
    ukur_lalu : DataFrame, optional
        The same for the previous year.
    atur : Pengaturan
        Settings.
    akuntansi, profil, cakupan_layanan, lokus_tabel : DataFrame, optional
        Row accounting, ``profil_desa``, ``cakupan_layanan`` of the year and the ``lokus``
        table (all years; the latest year ≤ ``tahun`` is compared).
    hilang : list of str
        Tables missing for the year (names).
    """
    wilayah = desa_kabupaten(kab)
    periode = str(ukur["periode"].max()) if "periode" in ukur and len(ukur) else str(tahun)
    table = prev.prevalence_table(ukur)
    status_kab = prev.status_counts(ukur)
    desa, kec = status_per_wilayah(ukur, wilayah)
    acc = akuntansi if akuntansi is not None else pd.DataFrame(
        columns=["status", "alasan", "alasan_kode"])
    kualitas, worst = _kualitas(ukur, acc, atur)
    ctab, cdesa, cind, kel = _cakupan(cakupan_layanan)
    before = (prev.status_counts(ukur_lalu, by="desa_code")
              if ukur_lalu is not None and len(ukur_lalu) else None)
    inputs = lk.desa_inputs(desa[["desa_code", "anak", "n_stunting", "jumlah_stunting"]], before,
                            cdesa if len(cdesa) else None)
    scored = lk.score(inputs, atur.lokus)
    attrs = dict(scored.attrs)
    scored = scored.merge(wilayah, on="desa_code", how="left")
    scored.attrs.update(attrs)
    per_set, per_desa = lk.sensitivity(inputs, atur.lokus)
    compared, tahun_lokus = _lokus_ditetapkan(scored, lokus_tabel, wilayah, tahun)
    prof = profil if profil is not None else pd.DataFrame()
    return Situasi(
        kab=kab, nama=nama, tahun=int(tahun), periode=periode, atur=atur, wilayah=wilayah,
        ukur=ukur, prevalensi=table, register=angka_register(table, status_kab),
        status_kab=status_kab, status_kec=kec, status_desa=desa,
        survei=survei_terakhir(kab, tahun), kualitas=kualitas, posyandu_terburuk=worst,
        cakupan=ctab, cakupan_desa=cdesa, cakupan_indikator=cind, kelompok_sasaran=kel,
        skor=scored, sensitivitas=per_set, sensitivitas_desa=per_desa,
        lokus_ditetapkan=compared, tahun_lokus=tahun_lokus, akuntansi=ringkas_akuntansi(acc),
        pengukuran_kec=pengukuran_per_kecamatan(ukur, prof, wilayah), profil=prof,
        ada_tahun_lalu=before is not None, hilang=list(hilang or []),
    )


# ------------------------------------------------------------------ steps ----
def status_per_wilayah(ukur: pd.DataFrame,
                       wilayah: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``status_counts`` per desa and per kecamatan, every unit of the reference list.

    Returns
    -------
    (desa, kecamatan) : DataFrames
        Desa: ``desa_code, nama_desa, jenis_desa, kec_code, nama_kecamatan`` + status columns
        (``anak`` 0 and NaN percentages where nobody was measured). Kecamatan: ``kec_code,
        nama_kecamatan`` + status columns.
    """
    desa = prev.status_counts(ukur, by="desa_code")
    desa = wilayah.merge(desa, on="desa_code", how="left")
    count_cols = [c for c in desa.columns if c == "anak" or c.startswith(("n_", "jumlah_"))]
    desa[count_cols] = desa[count_cols].fillna(0).astype(int)
    if "kec_code" not in ukur:
        ukur = ukur.merge(wilayah[["desa_code", "kec_code"]], on="desa_code", how="left")
    kec = prev.status_counts(ukur, by="kec_code")
    names = wilayah.drop_duplicates("kec_code")[["kec_code", "nama_kecamatan"]]
    kec = names.merge(kec, on="kec_code", how="left")
    kcols = [c for c in kec.columns if c == "anak" or c.startswith(("n_", "jumlah_"))]
    kec[kcols] = kec[kcols].fillna(0).astype(int)
    return desa, kec


def _kualitas(ukur: pd.DataFrame, acc: pd.DataFrame,
              atur: Pengaturan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quality per puskesmas (district first) and the worst posyandu."""
    by = "puskesmas" if "puskesmas" in ukur else None
    kualitas = qual.quality_table(ukur, atur.kualitas, by=by)
    worst = (qual.worst_groups(ukur, atur.kualitas, by="posyandu",
                               n=atur.situasi.daftar.posyandu_terburuk)
             if "posyandu" in ukur else pd.DataFrame())
    # duplicates are removed by ingest (one row per child and day) and only counted there
    if len(acc) and "alasan_kode" in acc:
        kualitas.loc[0, "duplikat"] = int((acc["alasan_kode"] == "duplikat").sum())
    return kualitas, worst


def _cakupan(cakupan_layanan: pd.DataFrame | None) -> tuple[pd.DataFrame, ...]:
    """Coverage per desa × indicator and its summaries (empty frames without the table)."""
    if cakupan_layanan is None or not len(cakupan_layanan):
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
    ctab = cov.coverage_table(cakupan_layanan, reference.indicators())
    return ctab, cov.desa_summary(ctab), cov.indicator_summary(ctab), cov.target_groups(ctab)


def _lokus_ditetapkan(scored: pd.DataFrame, lokus_tabel: pd.DataFrame | None,
                      wilayah: pd.DataFrame, tahun: int) -> tuple[pd.DataFrame, int | None]:
    """The recommended lokus against the latest decreed list up to ``tahun``, and its year."""
    lt = lokus_tabel if lokus_tabel is not None else pd.DataFrame()
    decreed = baris_terakhir(lt, tahun) if len(lt) else lt
    compared = lk.compare_decreed(scored, decreed if len(decreed) else
                                  pd.DataFrame({"kode_desa": []}))
    compared = compared.merge(wilayah[["desa_code", "nama_desa", "nama_kecamatan"]],
                              on="desa_code", how="left")
    if len(decreed) and "nama_desa" in decreed:
        names = decreed.set_index(decreed["kode_desa"].astype(str))["nama_desa"]
        compared["nama_desa"] = compared["nama_desa"].fillna(compared["desa_code"].map(names))
    return compared, tahun_tabel(decreed) if len(decreed) else None


def pengukuran_per_kecamatan(ukur: pd.DataFrame, profil: pd.DataFrame,
                             wilayah: pd.DataFrame) -> pd.DataFrame:
    """Children measured per kecamatan against the estimated number of balita.

    Returns
    -------
    DataFrame
        ``kec_code, nama_kecamatan, diukur, perkiraan_balita, cakupan_pct`` (NaN without
        an estimate); last row the whole district (``kec_code`` = ``"total"``,
        ``nama_kecamatan`` empty: the reader table names it).
    """
    names = wilayah.drop_duplicates("kec_code")[["kec_code", "nama_kecamatan"]]
    measured = ukur.groupby("kec_code").size().rename("diukur")
    if profil is not None and len(profil) and "perkiraan_balita" in profil:
        p = profil.merge(wilayah[["desa_code", "kec_code"]], left_on="kode_desa",
                         right_on="desa_code", how="inner")
        est = pd.to_numeric(p["perkiraan_balita"], errors="coerce").groupby(p["kec_code"]).sum(
            min_count=1).rename("perkiraan_balita")
    else:
        est = pd.Series(dtype=float, name="perkiraan_balita")
    out = names.set_index("kec_code").join(measured).join(est).reset_index()
    out["diukur"] = out["diukur"].fillna(0).astype(int)
    total = pd.DataFrame([{"kec_code": "total", "nama_kecamatan": "",
                           "diukur": int(out["diukur"].sum()),
                           "perkiraan_balita": out["perkiraan_balita"].sum(min_count=1)}])
    out = pd.concat([out, total], ignore_index=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cakupan_pct"] = np.where(out["perkiraan_balita"] > 0,
                                      out["diukur"] / out["perkiraan_balita"] * 100, np.nan)
    return out


def ringkas_akuntansi(acc: pd.DataFrame) -> pd.DataFrame:
    """Row accounting: rows read, analysed, and excluded by reason.

    Returns
    -------
    DataFrame
        ``jenis, alasan, baris, persen``: first ``dibaca``, then ``dianalisis``, then one
        ``dikeluarkan`` row per exclusion reason (most frequent first).
    """
    n = len(acc)
    rows = [{"jenis": "dibaca", "alasan": "", "baris": n, "persen": 100.0 if n else np.nan}]
    ok = int((acc["status"] == "dianalisis").sum()) if n else 0
    rows.append({"jenis": "dianalisis", "alasan": "", "baris": ok,
                 "persen": ok / n * 100 if n else np.nan})
    if n:
        ex = acc[acc["status"] != "dianalisis"]
        reasons = ex["alasan"].fillna(ex["alasan_kode"]).value_counts()
        for reason, k in reasons.items():
            rows.append({"jenis": "dikeluarkan", "alasan": str(reason), "baris": int(k),
                         "persen": k / n * 100})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ derived ----
def lokus_terpilih(s: Situasi) -> pd.DataFrame:
    """The recommended lokus (rank order)."""
    return s.skor[s.skor["direkomendasikan"]].reset_index(drop=True)


def titik_rawan(skor: pd.DataFrame) -> pd.Series:
    """True for desa above the 99,8 % funnel limit (a hotspot not explained by chance)."""
    return skor["posisi_funnel"] == PosisiCorong.ATAS_998


def p0(s: Situasi) -> float:
    """District stunting proportion (fraction) used by the funnel and the shrinkage."""
    return float(s.skor.attrs.get("p0", np.nan))


def haz_bersih(s: Situasi) -> pd.Series:
    """HAZ of the year's children with WHO-flagged values removed."""
    z = pd.to_numeric(s.ukur["haz"], errors="coerce")
    if "haz_flag" in s.ukur:
        z = z.mask(s.ukur["haz_flag"].fillna(False).astype(bool))
    return z.dropna()


def desa_panjang(s: Situasi) -> bool:
    """True when the desa table is too long for the report body (full table in the annex)."""
    return len(s.wilayah) > s.atur.situasi.maks_baris_desa


def desa_teratas(s: Situasi, n: int | None = None) -> pd.DataFrame:
    """The ``n`` desa with the highest shrunk prevalence (enough data only; default
    ``baris_teratas`` of the settings)."""
    d = s.skor[~s.skor["data_sedikit"]]
    return d.sort_values("pct_disesuaikan", ascending=False).head(n or s.atur.situasi.baris_teratas)


def baris_lokus(s: Situasi) -> int | None:
    """Rows of the ranking shown in the report body: the top list for long districts,
    all (None) otherwise."""
    return s.atur.situasi.baris_teratas if desa_panjang(s) else None


def kode_sorot(s: Situasi) -> list[str]:
    """Desa named on the desa map: the recommended lokus and the funnel hotspots, at most
    ``daftar.nama_peta_desa`` (highest rank first; more names make a dense map unreadable)."""
    d = s.skor
    d = d[d["direkomendasikan"] | titik_rawan(d)]
    return list(d.sort_values("peringkat")["desa_code"].head(s.atur.situasi.daftar.nama_peta_desa))
