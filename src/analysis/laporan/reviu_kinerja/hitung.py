"""Aksi 8 computation: the annual performance review of one district and year (pure steps).

:func:`susun` runs every analysis the review needs and returns a :class:`Reviu` holding
analytical frames with machine column names (documented in the module that made them) and
codes of :mod:`analysis.kode`; reader tables are in :mod:`.tabel`, sentences and
recommendations in :mod:`.kalimat`.

Settings: ``reviu_kinerja.yaml`` (series and target of the verdict, noise, thresholds),
``target.yaml`` (national and provincial targets), ``rubrik_aksi.yaml`` (the 8-aksi rubric).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis import aksi as aksi_mod
from analysis import budget as bud
from analysis import convergence as conv
from analysis import pengaturan, reference, trend
from analysis.coverage import coverage_table, indicator_summary
from analysis.dataset import DistrictData, measurements_for_year
from analysis.kode import ArahPerubahan, JenisTarget, Seri, StatusTarget, Tabel
from analysis.laporan.bersama import baris, baris_tahun, register_tahunan
from analysis.prevalence import status_counts
from analysis.stats import diff_ci, wilson_ci


@dataclass(frozen=True)
class Pengaturan:
    """The settings the review reads (each validated by its model)."""

    reviu: pengaturan.ReviuKinerja
    target: pengaturan.TargetPrevalensi
    rubrik: pengaturan.RubrikAksi

    @classmethod
    def berlaku(cls) -> Pengaturan:
        """The live settings files of the package."""
        return cls(pengaturan.reviu_kinerja(), pengaturan.target(), pengaturan.rubrik_aksi())


@dataclass(frozen=True)
class Putusan:
    """One series judged against one target (a row of ``trend.assess_targets``).

    Attributes
    ----------
    seri : Seri
    kode : JenisTarget
    label : str
        The target's name (``"Target nasional"``).
    target_pct : float
    tahun_target, tahun_awal, tahun_akhir : int
    p_awal, p_akhir : float
        First and latest prevalence of the series (percent).
    aarr_observasi, aarr_wajib : float
        Observed and required AARR (fraction per year).
    dasar_wajib : str
        ``"terakhir"`` or ``"awal"``: the point the required AARR starts from.
    sesuai_jalur : bool
    """

    seri: Seri
    kode: JenisTarget
    label: str
    target_pct: float
    tahun_target: int
    tahun_awal: int
    tahun_akhir: int
    p_awal: float
    p_akhir: float
    aarr_observasi: float
    aarr_wajib: float
    dasar_wajib: str
    sesuai_jalur: bool

    @classmethod
    def dari_baris(cls, row: pd.Series) -> Putusan:
        """From a row of ``trend.assess_targets`` that has an observed AARR."""
        return cls(seri=Seri(row["seri"]), kode=JenisTarget(row["kode"]), label=str(row["label"]),
                   target_pct=float(row["target_pct"]), tahun_target=int(row["tahun_target"]),
                   tahun_awal=int(row["tahun_awal"]), tahun_akhir=int(row["tahun_akhir"]),
                   p_awal=float(row["p_awal"]), p_akhir=float(row["p_akhir"]),
                   aarr_observasi=float(row["aarr_observasi"]),
                   aarr_wajib=float(row["aarr_wajib"]), dasar_wajib=str(row["dasar_wajib"]),
                   sesuai_jalur=ya(row["sesuai_jalur"]))


@dataclass(frozen=True)
class BandingLokus:
    """Did prevalence fall faster in the lokus than in the other desa?

    ``kelompok``, ``selisih``, ``ci``, ``bermakna``, ``selisih_awal``, ``n_boot`` as
    :func:`analysis.convergence.lokus_vs_other`; ``disesuaikan`` as
    :func:`analysis.convergence.lokus_vs_other_adjusted`; the two years compared.
    """

    kelompok: pd.DataFrame
    selisih: float
    ci: tuple[float, float]
    bermakna: bool
    selisih_awal: float
    n_boot: int
    tahun_awal: int
    tahun_akhir: int
    disesuaikan: dict[str, Any]


@dataclass
class Reviu:
    """Everything the review report shows, for one district and year.

    Analytical frames keep machine column names (documented in the module that made them).
    ``putusan`` is the headline verdict, ``putusan_lain`` the other series against the same
    target; ``tidak_tersedia`` the tables (:class:`~analysis.kode.Tabel` codes) not supplied.
    """

    kab: str
    nama: str
    tahun: int
    atur: Pengaturan
    putaran: pd.DataFrame
    tahunan: pd.DataFrame
    survei: pd.DataFrame
    target: pd.DataFrame
    penilaian: pd.DataFrame
    putusan: Putusan | None
    putusan_lain: Putusan | None
    model: trend.TrendFit | None
    proyeksi: pd.DataFrame
    kurva_proyeksi: pd.DataFrame
    cakupan: pd.DataFrame
    lokus: pd.DataFrame
    lokus_paket: pd.DataFrame
    lokus_layanan: pd.DataFrame
    lokus_banding: BandingLokus | None
    anggaran_total: dict[str, Any]
    anggaran_opd: pd.DataFrame
    anggaran_intervensi: pd.DataFrame
    biaya_per_capaian: pd.DataFrame
    biaya_per_stunting: float
    anggaran_lokus: pd.DataFrame
    aksi: pd.DataFrame
    aksi_total: aksi_mod.SkorAksi
    aksi_2025: pd.DataFrame
    tidak_tersedia: list[str] = field(default_factory=list)

    @property
    def level(self) -> float:
        """Confidence level of every interval of the review (1 − ``alpha``)."""
        return 1 - self.atur.reviu.alpha


def ya(value: Any) -> bool:
    """True only for a true verdict (numpy or Python bool); NaN and None are not."""
    try:
        return bool(value) and not pd.isna(value)
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------
# Targets and the verdict
# ---------------------------------------------------------------------------
TARGET_COLUMNS = ["kode", "label", "target_pct", "tahun_target", "sumber"]


def targets_table(district_targets: pd.DataFrame, kab: str, tahun: int,
                  target: pengaturan.TargetPrevalensi) -> pd.DataFrame:
    """The prevalence targets the review judges progress against.

    Parameters
    ----------
    district_targets : DataFrame
        The district's ``targets`` table (``tahun``, ``target_pct``, ``sumber``).
    kab : str
        District code (its province is the part before the dot).
    tahun : int
        Review year.
    target : TargetPrevalensi
        National and provincial targets (``target.yaml``).

    Returns
    -------
    DataFrame
        ``kode`` (a :class:`~analysis.kode.JenisTarget`), ``label``, ``target_pct``
        (percent), ``tahun_target``, ``sumber``. District targets: the one for the review
        year and the next later one (when given). Targets for years before the review year
        are left out.
    """
    rows = []
    t = district_targets.copy()
    if not t.empty:
        t["tahun"] = pd.to_numeric(t["tahun"], errors="coerce")
        t["target_pct"] = pd.to_numeric(t["target_pct"], errors="coerce")
        t = t.dropna(subset=["tahun", "target_pct"]).sort_values("tahun")
        chosen = pd.concat([t[t["tahun"] == tahun], t[t["tahun"] > tahun].head(1)])
        for r in baris(chosen):
            rows.append({"kode": JenisTarget.KABUPATEN.value, "label": JenisTarget.KABUPATEN.label,
                         "target_pct": float(r.target_pct), "tahun_target": int(r.tahun),
                         "sumber": str(getattr(r, "sumber", "") or "target_prevalensi")})
    for kode, other in ((JenisTarget.PROVINSI, target.provinsi.get(str(kab).split(".")[0])),
                        (JenisTarget.NASIONAL, target.nasional)):
        if other is not None and other.tahun >= tahun:
            rows.append({"kode": kode.value, "label": other.label, "target_pct": other.target_pct,
                         "tahun_target": other.tahun, "sumber": other.sumber})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def headline_row(assessment: pd.DataFrame, cfg: pengaturan.ReviuKinerja,
                 tahun: int | None = None) -> pd.Series | None:
    """The series × target row the one-sentence verdict is about.

    The series is ``seri_putusan`` of the settings (falling back to the other series when it
    has no observed AARR); the target is the first of ``urutan_target_putusan`` that exists
    (for the district: its nearest target year). A survey series whose latest point is more
    than ``survei_usia_maks`` years before ``tahun`` is not used for the verdict.
    """
    if assessment.empty:
        return None
    order = [cfg.seri_putusan] + [s for s in Seri if s != cfg.seri_putusan]
    for seri in order:
        part = assessment[(assessment["seri"] == seri) & assessment["aarr_observasi"].notna()]
        if seri == Seri.SURVEI and tahun is not None:
            part = part[part["tahun_akhir"] >= tahun - cfg.survei_usia_maks]
        for kode in cfg.urutan_target_putusan:
            hit = part[part["kode"] == kode].sort_values("tahun_target")
            if len(hit):
                return hit.iloc[0]
    return None


def other_series_row(assessment: pd.DataFrame, head: Putusan | None) -> pd.Series | None:
    """The other series judged against the headline's target (None when it has no AARR)."""
    if head is None or assessment.empty:
        return None
    hit = assessment[(assessment["seri"] != head.seri) & (assessment["kode"] == head.kode)
                     & (assessment["tahun_target"] == head.tahun_target)
                     & assessment["aarr_observasi"].notna()]
    return hit.iloc[0] if len(hit) else None


# ---------------------------------------------------------------------------
# Coverage: this year against last year and against the target
# ---------------------------------------------------------------------------
def coverage_changes(cov_now: pd.DataFrame, cov_prev: pd.DataFrame, indicators: pd.DataFrame,
                     alpha: float) -> pd.DataFrame:
    """Each indicator this year against last year and against its 2024 target.

    Parameters
    ----------
    cov_now, cov_prev : DataFrame
        Coverage tables (``kode_desa``, ``kode_indikator``, ``sasaran``,
        ``capaian``) of the review year and the year before (may be empty).
    indicators : DataFrame
        The indicator catalogue.
    alpha : float
        1 − confidence level of the intervals.

    Returns
    -------
    DataFrame
        One row per indicator of this year: ``kode_indikator``, ``nama``, ``jenis``,
        ``arah``, ``target_pct``, ``sasaran``, ``capaian``, ``cakupan_pct`` (this year),
        ``cakupan_lalu_pct``, ``perubahan_pp`` (this − last, percentage points),
        ``perubahan_bawah``, ``perubahan_atas`` (Newcombe interval), ``perubahan_bermakna``
        (the interval excludes 0: larger than its noise), ``arah_perubahan``
        (:class:`~analysis.kode.ArahPerubahan`; ``tetap`` when not larger than its noise;
        NA without last year), ``ci_bawah``, ``ci_atas`` (Wilson interval of this year's
        coverage), ``status_target`` (:class:`~analysis.kode.StatusTarget`),
        ``kesenjangan_pp`` (shortfall to target, ≥ 0).

    Notes
    -----
    Coverage counts are administrative totals, not samples; the binomial intervals express
    how much a proportion of this size would move by chance alone, so a change inside them is
    not read as a real change. "Better" depends on the indicator's ``arah`` (``turun``: lower
    is better).
    """
    level = 1 - alpha
    now = indicator_summary(coverage_table(cov_now, indicators))
    cols = ["kode_indikator", "nama", "jenis", "arah", "target_pct", "sasaran", "capaian",
            "cakupan_pct"]
    out = now[cols].copy()
    if not cov_prev.empty:
        prev = indicator_summary(coverage_table(cov_prev, indicators))[
            ["kode_indikator", "sasaran", "capaian", "cakupan_pct"]].rename(
            columns={"sasaran": "sasaran_lalu", "capaian": "capaian_lalu",
                     "cakupan_pct": "cakupan_lalu_pct"})
        out = out.merge(prev, on="kode_indikator", how="left")
    else:
        out["sasaran_lalu"] = np.nan
        out["capaian_lalu"] = np.nan
        out["cakupan_lalu_pct"] = np.nan
    d = diff_ci(out["capaian"], out["sasaran"], out["capaian_lalu"], out["sasaran_lalu"], level)
    out["perubahan_pp"] = 100 * d["diff"].to_numpy()
    out["perubahan_bawah"] = 100 * d["lower"].to_numpy()
    out["perubahan_atas"] = 100 * d["upper"].to_numpy()
    has_prev = out["cakupan_lalu_pct"].notna()
    out["perubahan_bermakna"] = (d["significant"].to_numpy() & has_prev).astype(bool)
    better = np.where(out["arah"].eq("turun"), -out["perubahan_pp"], out["perubahan_pp"])
    direction = np.where(~out["perubahan_bermakna"], ArahPerubahan.TETAP.value,
                         np.where(better > 0, ArahPerubahan.MEMBAIK.value,
                                  ArahPerubahan.MEMBURUK.value))
    out["arah_perubahan"] = pd.Series(direction, index=out.index, dtype="string").mask(~has_prev)
    lo, hi = wilson_ci(out["capaian"], out["sasaran"], level)
    out["ci_bawah"], out["ci_atas"] = 100 * lo, 100 * hi
    out["status_target"] = _status_target(out)
    target = out["target_pct"]
    down = out["arah"].eq("turun")
    gap = np.where(down, out["cakupan_pct"] - target, target - out["cakupan_pct"])
    out["kesenjangan_pp"] = np.where(np.isnan(gap), np.nan, np.clip(gap, 0, None))
    return out.drop(columns=["sasaran_lalu", "capaian_lalu"]).reset_index(drop=True)


def _status_target(out: pd.DataFrame) -> np.ndarray:
    target = out["target_pct"]
    down = out["arah"].eq("turun")
    met = np.where(down, out["cakupan_pct"] <= target, out["cakupan_pct"] >= target)
    beyond = np.where(down, out["ci_bawah"] > target, out["ci_atas"] < target)
    return np.where(target.isna(), StatusTarget.TANPA_TARGET.value,
                    np.where(met, StatusTarget.TERCAPAI.value,
                             np.where(beyond, StatusTarget.DI_BAWAH.value,
                                      StatusTarget.DI_BAWAH_GALAT.value)))


# ---------------------------------------------------------------------------
# The review, step by step
# ---------------------------------------------------------------------------
@dataclass
class _Prevalensi:
    rounds: pd.DataFrame
    annual: pd.DataFrame
    survey: pd.DataFrame
    targets: pd.DataFrame
    assessment: pd.DataFrame
    putusan: Putusan | None
    lain: Putusan | None
    years: list[int]


def _prevalensi(data: DistrictData, tahun: int, atur: Pengaturan) -> _Prevalensi:
    """Register rounds and years, the survey series, targets and the verdict."""
    meas = data.measurements[pd.to_numeric(data.measurements["tahun"]) <= tahun]
    years = sorted(int(y) for y in pd.unique(meas["tahun"]))
    rounds = trend.register_rounds(meas) if len(meas) else pd.DataFrame(columns=trend.ROUND_COLUMNS)
    annual = register_tahunan(data, years)
    survey = trend.survey_series(reference.survey_prevalence(), data.kab)
    survey = survey[survey["tahun"] <= tahun].reset_index(drop=True)
    targets = targets_table(data.targets, data.kab, tahun, atur.target)
    assessment = trend.assess_targets(
        {Seri.REGISTER.value: annual[["tahun", "prevalensi"]],
         Seri.SURVEI.value: survey[["tahun", "prevalensi"]]}, targets)
    head = headline_row(assessment, atur.reviu, tahun)
    putusan = None if head is None else Putusan.dari_baris(head)
    other = other_series_row(assessment, putusan)
    return _Prevalensi(rounds, annual, survey, targets, assessment, putusan,
                       None if other is None else Putusan.dari_baris(other), years)


def _proyeksi(rounds: pd.DataFrame, targets: pd.DataFrame, tahun: int,
              atur: Pengaturan) -> tuple[trend.TrendFit | None, pd.DataFrame, pd.DataFrame]:
    """The register trend model, the projection per year and the curve for the chart."""
    usable = rounds[rounds["n"] > 0] if len(rounds) else rounds
    if len(usable) < 3:
        return None, pd.DataFrame(), pd.DataFrame()
    level = 1 - atur.reviu.alpha
    model = trend.fit_trend_model(usable)
    ahead = atur.reviu.proyeksi_tahun_ke_depan
    proj_years = sorted({tahun + k for k in range(1, ahead + 1)}
                        | {int(y) for y in targets["tahun_target"] if int(y) > tahun})
    times = [trend.projection_time(y, usable) for y in proj_years]
    proj = trend.project(model, times, level)
    proj.insert(0, "tahun", proj_years)
    grid = np.linspace(float(usable["waktu"].min()), max(times), 60)
    return model, proj, trend.project(model, grid, level)


def _banding_lokus(data: DistrictData, tahun: int, lokus: pd.DataFrame,
                   atur: Pengaturan) -> BandingLokus:
    """Prevalence change in the lokus against the other desa (last year → this year)."""
    before = status_counts(measurements_for_year(data, tahun - 1), by="desa_code")
    after = status_counts(measurements_for_year(data, tahun), by="desa_code")
    change = conv.desa_change(before, after)
    level = 1 - atur.reviu.alpha
    b = conv.lokus_vs_other(change, lokus["kode_desa"], n_boot=atur.reviu.bootstrap.n,
                            seed=atur.reviu.bootstrap.seed, level=level)
    return BandingLokus(kelompok=b["kelompok"], selisih=b["selisih"], ci=b["ci"],
                        bermakna=b["bermakna"], selisih_awal=b["selisih_awal"],
                        n_boot=b["n_boot"], tahun_awal=tahun - 1, tahun_akhir=tahun,
                        disesuaikan=conv.lokus_vs_other_adjusted(change, lokus["kode_desa"],
                                                                 level=level))


def susun(data: DistrictData, tahun: int, atur: Pengaturan | None = None) -> Reviu:
    """Assemble the annual review of one district and year.

    Parameters
    ----------
    data : DistrictData
        The district's canonical tables (all years).
    tahun : int
        Review year.
    atur : Pengaturan, optional
        Settings; ``None`` reads the package's settings files.

    Notes
    -----
    Annual register prevalence is computed on ``analysis.dataset.measurements_for_year``
    with ``analysis.prevalence.prevalence_table`` (through
    :func:`analysis.laporan.bersama.register_tahunan`), so it is the figure of the situation
    analysis. The projection is the quasi-binomial GLM of :func:`analysis.trend.fit_trend_model`
    on every weighing round up to the review year.
    """
    atur = atur or Pengaturan.berlaku()
    tahun = int(tahun)
    p = _prevalensi(data, tahun, atur)
    model, proj, curve = _proyeksi(p.rounds, p.targets, tahun, atur)
    indicators = reference.indicators()
    missing: list[str] = []

    cov_now, cov_prev = baris_tahun(data.coverage, tahun), baris_tahun(data.coverage, tahun - 1)
    if cov_now.empty:
        missing.append(Tabel.CAKUPAN_LAYANAN.value)
    cakupan = (pd.DataFrame() if cov_now.empty
               else coverage_changes(cov_now, cov_prev, indicators, atur.reviu.alpha))

    lokus, score_now = baris_tahun(data.lokus, tahun), baris_tahun(data.scorecard, tahun)
    if lokus.empty:
        missing.append(Tabel.LOKUS.value)
    if score_now.empty:
        missing.append(Tabel.KONVERGENSI_DESA.value)
    banding = (_banding_lokus(data, tahun, lokus, atur)
               if (tahun - 1) in p.years and not lokus.empty else None)

    budget = baris_tahun(data.budget, tahun)
    if budget.empty:
        missing.append(Tabel.ANGGARAN.value)
    stunted_now = int(p.annual.loc[p.annual["tahun"] == tahun, "stunting"].sum()) if len(p.annual) else 0

    aksi_now = baris_tahun(data.aksi, tahun)
    if aksi_now.empty:
        missing.append(Tabel.STATUS_AKSI.value)
    scored = aksi_mod.score_aksi(aksi_now, _dt.date(tahun, 12, 31), atur.rubrik)

    return Reviu(
        kab=data.kab, nama=data.nama, tahun=tahun, atur=atur, putaran=p.rounds, tahunan=p.annual,
        survei=p.survey, target=p.targets, penilaian=p.assessment, putusan=p.putusan,
        putusan_lain=p.lain, model=model, proyeksi=proj, kurva_proyeksi=curve, cakupan=cakupan,
        lokus=lokus,
        lokus_paket=conv.lokus_package(score_now, lokus, atur.reviu.ambang_paket_lengkap_pct),
        lokus_layanan=conv.service_gaps(score_now, lokus["kode_desa"], reference.services()),
        lokus_banding=banding,
        anggaran_total={str(k): v for k, v in bud.absorption(budget).iloc[0].items()},
        anggaran_opd=bud.absorption(budget, ["opd"]),
        anggaran_intervensi=bud.per_intervention(budget, indicators),
        biaya_per_capaian=(bud.cost_per_reached(budget, cov_now, indicators)
                           if not cov_now.empty else pd.DataFrame()),
        biaya_per_stunting=(bud.cost_per_stunted(budget, stunted_now)
                            if not budget.empty else np.nan),
        anggaran_lokus=bud.lokus_spending(budget, lokus["kode_desa"]),
        aksi=scored, aksi_total=aksi_mod.overall_score(scored, atur.rubrik),
        aksi_2025=aksi_mod.by_group_2025(scored, atur.rubrik), tidak_tersedia=missing,
    )
