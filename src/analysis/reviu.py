"""The annual performance review (reviu kinerja tahunan, Aksi 8): assembling
its tables and the sentences generated from the data.

:func:`susun` runs every analysis the review needs for one district and year
and returns a :class:`Reviu` holding the analytical frames (documented
columns, machine names), the reader-facing tables (Indonesian headers) and
the data-derived sentences: the on-course verdict with its numbers, what
improved and what did not, and recommendations each with its reason. The
notebook ``notebooks/reviu_kinerja.ipynb`` only lays these out.

Settings (targets, the series the verdict uses, significance level,
thresholds) are data: ``analysis/data/config/reviu.yaml``; the 8-aksi rubric is
``analysis/data/config/rubrik_aksi.yaml``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import text

#: Reader-facing names of the two prevalence series.
SERI_LABEL = {"register": "register e-PPGBM", "survei": "survei (SSGI/SKI)"}

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]


def load_settings() -> dict:
    """``analysis/data/config/reviu.yaml``."""
    from analysis.config import load_settings as _load

    return _load("reviu")


def periode_label(periode: str) -> str:
    """``"2024-08"`` → ``"Agustus 2024"``."""
    return f"{BULAN[int(str(periode)[5:7]) - 1]} {str(periode)[:4]}"


def _yes(value) -> bool:
    """True only for a true verdict (numpy or Python bool); NaN and None are not."""
    try:
        return bool(value) and not pd.isna(value)
    except (TypeError, ValueError):
        return False


def _signed(value: float, decimals: int = 1) -> str:
    """A signed number with a true minus sign: ``-5.12`` → ``'−5,1'``."""
    if value != value:
        return text.MISSING
    body = text.angka(abs(value), decimals)
    return ("−" if value < 0 and body.strip("0,") else ("+" if value > 0 and body.strip("0,") else "")) + body


def _pp_range(lo: float, hi: float) -> str:
    """An interval of a change in percentage points: ``'−5,1 sampai −3,3 poin persen'``."""
    return f"{_signed(lo)} sampai {_signed(hi)} poin persen"


def _count(n: int, zero: str = "tidak satu pun") -> str:
    """A count in prose, with a word for zero."""
    return zero if int(n) == 0 else text.angka(int(n))


def _pct_ai(value: float) -> str:
    """An AARR (fraction per year) as ``'8,1 % per tahun'`` (a true minus sign when negative)."""
    if value != value:
        return text.MISSING
    return f"{_signed(100 * value) if value < 0 else text.angka(100 * value, 1)} % per tahun"


# ---------------------------------------------------------------------------
# Targets and the verdict
# ---------------------------------------------------------------------------

def targets_table(district_targets: pd.DataFrame, kab: str, tahun: int,
                  settings: dict) -> pd.DataFrame:
    """The prevalence targets the review judges progress against.

    Parameters
    ----------
    district_targets : DataFrame
        The district's ``targets`` table (``tahun``, ``target_pct``, ``sumber``).
    kab : str
        District code (its province is the part before the dot).
    tahun : int
        Review year.
    settings : dict
        :func:`load_settings` output.

    Returns
    -------
    DataFrame
        ``kode`` (``kabupaten``/``provinsi``/``nasional``), ``label``,
        ``target_pct`` (percent), ``tahun_target``, ``sumber``. District
        targets: the one for the review year and the next later one (when
        given). Targets for years before the review year are left out.
    """
    rows = []
    t = district_targets.copy()
    if not t.empty:
        t["tahun"] = pd.to_numeric(t["tahun"], errors="coerce")
        t["target_pct"] = pd.to_numeric(t["target_pct"], errors="coerce")
        t = t.dropna(subset=["tahun", "target_pct"]).sort_values("tahun")
        chosen = pd.concat([t[t["tahun"] == tahun], t[t["tahun"] > tahun].head(1)])
        for r in chosen.itertuples(index=False):
            rows.append({"kode": "kabupaten", "label": "Target daerah",
                         "target_pct": float(r.target_pct), "tahun_target": int(r.tahun),
                         "sumber": str(getattr(r, "sumber", "") or "target_prevalensi")})
    prov = settings.get("target", {}).get("provinsi", {}).get(str(kab).split(".")[0])
    if prov and int(prov["tahun"]) >= tahun:
        rows.append({"kode": "provinsi", "label": prov["label"],
                     "target_pct": float(prov["target_pct"]), "tahun_target": int(prov["tahun"]),
                     "sumber": prov["sumber"]})
    nat = settings.get("target", {}).get("nasional")
    if nat and int(nat["tahun"]) >= tahun:
        rows.append({"kode": "nasional", "label": nat["label"],
                     "target_pct": float(nat["target_pct"]), "tahun_target": int(nat["tahun"]),
                     "sumber": nat["sumber"]})
    return pd.DataFrame(rows, columns=["kode", "label", "target_pct", "tahun_target", "sumber"])


def headline_row(assessment: pd.DataFrame, settings: dict,
                 tahun: int | None = None) -> pd.Series | None:
    """The series × target row the one-sentence verdict is about.

    The series is ``seri_putusan`` of the settings (falling back to the
    other series when it has no observed AARR); the target is the first of
    ``urutan_target_putusan`` that exists (for the district: its nearest
    target year). A survey series whose latest point is more than
    ``survei_usia_maks`` years before ``tahun`` is not used for the verdict.
    """
    if assessment.empty:
        return None
    primary = settings.get("seri_putusan", "register")
    order = [primary] + [s for s in ("register", "survei") if s != primary]
    for seri in order:
        part = assessment[(assessment["seri"] == seri) & assessment["aarr_observasi"].notna()]
        if seri == "survei" and tahun is not None:
            part = part[part["tahun_akhir"] >= tahun - int(settings.get("survei_usia_maks", 1))]
        for kode in settings.get("urutan_target_putusan", ["kabupaten", "provinsi", "nasional"]):
            hit = part[part["kode"] == kode].sort_values("tahun_target")
            if len(hit):
                return hit.iloc[0]
    return None


def other_series_row(assessment: pd.DataFrame, head: pd.Series | None) -> pd.Series | None:
    """The other series judged against the headline's target (None when it has no AARR)."""
    if head is None or assessment.empty:
        return None
    hit = assessment[(assessment["seri"] != head["seri"]) & (assessment["kode"] == head["kode"])
                     & (assessment["tahun_target"] == head["tahun_target"])
                     & assessment["aarr_observasi"].notna()]
    return hit.iloc[0] if len(hit) else None


def other_series_sentence(row: pd.Series | None, tahun: int | None = None,
                          usia_maks: int = 1) -> str:
    """The verdict of the second series, with the caveat on comparing levels (Markdown).

    A survey series ending more than ``usia_maks`` years before ``tahun`` is said to be old.
    """
    if row is None:
        return ""
    seri = SERI_LABEL.get(row["seri"], row["seri"])
    status = "sesuai jalur" if _yes(row["sesuai_jalur"]) else "belum sesuai jalur"
    s = (f"Pada seri {seri}, AARR {_pct_ai(row['aarr_observasi'])} "
         f"({text.persen(row['p_awal'])} pada {row['tahun_awal']} → {text.persen(row['p_akhir'])} "
         f"pada {row['tahun_akhir']}) dibanding AARR {_pct_ai(row['aarr_wajib'])} yang diperlukan: "
         f"{status}.")
    if row["seri"] == "register":
        s += (" Target diukur dengan survei, sedangkan register hanya mencatat anak yang ditimbang, "
              "sehingga perbandingan register dengan target hanya menunjukkan arah.")
    elif tahun is not None and row["tahun_akhir"] < tahun - usia_maks:
        s += (f" Angka survei terakhir berasal dari {int(row['tahun_akhir'])}, sehingga tidak "
              "dipakai untuk putusan tahun ini.")
    return s


def verdict_sentence(row: pd.Series | None, nama: str, sumber: dict | None = None) -> str:
    """The one-sentence on-course / off-course verdict with its numbers (Markdown).

    ``sumber`` maps a year to the label of its survey (``{2021: "SSGI 2021"}``) so survey
    points are named by source; register points are named by year.
    """
    if row is None:
        return (f"Status jalur {nama} terhadap target belum dapat dinilai: data prevalensi "
                "kurang dari dua tahun.")
    seri = SERI_LABEL.get(row["seri"], row["seri"])
    status = "**sesuai jalur**" if _yes(row["sesuai_jalur"]) else "**belum sesuai jalur**"
    names = sumber if (sumber and row["seri"] == "survei") else {}
    a = names.get(int(row["tahun_awal"]), str(int(row["tahun_awal"])))
    b = names.get(int(row["tahun_akhir"]), str(int(row["tahun_akhir"])))
    verb = ("turun" if row["p_akhir"] < row["p_awal"] else
            "naik" if row["p_akhir"] > row["p_awal"] else "tetap")
    basis = (f"prevalensi {seri} {verb} dari {text.persen(row['p_awal'])} ({a}) "
             f"menjadi {text.persen(row['p_akhir'])} ({b})")
    target = (f"{row['label'].lower()} {text.persen(row['target_pct'])} "
              f"pada {row['tahun_target']}")
    if row["aarr_wajib"] <= 0:
        need = (f"sedangkan prevalensi sudah di bawah target (AARR yang diperlukan "
                f"{_pct_ai(row['aarr_wajib'])}, artinya prevalensi tetap di bawah target selama "
                f"kenaikannya tidak melebihi {text.persen(-100 * row['aarr_wajib'])} per tahun)")
    elif row["dasar_wajib"] == "terakhir":
        need = f"yang memerlukan AARR {_pct_ai(row['aarr_wajib'])} mulai {row['tahun_akhir']}"
    else:
        need = (f"yang memerlukan AARR {_pct_ai(row['aarr_wajib'])} sejak {row['tahun_awal']}")
    out = (f"{nama} {status} menuju {target}: {basis}, laju penurunan rata-rata per tahun "
           f"(AARR) **{_pct_ai(row['aarr_observasi'])}**, {need}.")
    if row["seri"] == "register":
        out += (" Putusan ini memakai data register karena seri survei yang mutakhir tidak "
                "tersedia; target diukur dengan survei, sehingga putusan ini hanya menunjukkan arah.")
    return out


# ---------------------------------------------------------------------------
# Coverage: this year against last year and against the target
# ---------------------------------------------------------------------------

def coverage_changes(cov_now: pd.DataFrame, cov_prev: pd.DataFrame, indicators: pd.DataFrame,
                     alpha: float = 0.05) -> pd.DataFrame:
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
        One row per indicator of this year: ``kode_indikator``, ``nama``,
        ``jenis``, ``arah``, ``target_pct``, ``sasaran``, ``capaian``,
        ``cakupan_pct`` (this year), ``cakupan_lalu_pct``, ``perubahan_pp``
        (this − last, percentage points), ``perubahan_bawah``,
        ``perubahan_atas`` (Newcombe interval), ``perubahan_bermakna`` (the
        interval excludes 0: larger than its noise), ``arah_perubahan``
        (``membaik``/``memburuk``/``tetap`` — ``tetap`` when not larger than
        its noise; NA without last year), ``ci_bawah``, ``ci_atas`` (Wilson
        interval of this year's coverage), ``status_target``
        (``tercapai``/``di bawah target``/``di bawah target (dalam batas
        galat)``/``tanpa target``), ``kesenjangan_pp`` (shortfall to target,
        ≥ 0).

    Notes
    -----
    Coverage counts are administrative totals, not samples; the binomial
    intervals express how much a proportion of this size would move by
    chance alone, so a change inside them is not read as a real change.
    "Better" depends on the indicator's ``arah`` (``turun``: lower is better).
    """
    from analysis.coverage import coverage_table, indicator_summary
    from analysis.stats import diff_ci, wilson_ci

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
    direction = np.where(~out["perubahan_bermakna"], "tetap",
                         np.where(better > 0, "membaik", "memburuk"))
    out["arah_perubahan"] = pd.Series(direction, index=out.index, dtype="string").mask(~has_prev)
    lo, hi = wilson_ci(out["capaian"], out["sasaran"], level)
    out["ci_bawah"], out["ci_atas"] = 100 * lo, 100 * hi
    target = out["target_pct"]
    down = out["arah"].eq("turun")
    met = np.where(down, out["cakupan_pct"] <= target, out["cakupan_pct"] >= target)
    beyond = np.where(down, out["ci_bawah"] > target, out["ci_atas"] < target)
    status = np.where(target.isna(), "tanpa target",
                      np.where(met, "tercapai",
                               np.where(beyond, "di bawah target",
                                        "di bawah target (dalam batas galat)")))
    out["status_target"] = status
    gap = np.where(down, out["cakupan_pct"] - target, target - out["cakupan_pct"])
    out["kesenjangan_pp"] = np.where(np.isnan(gap), np.nan, np.clip(gap, 0, None))
    return out.drop(columns=["sasaran_lalu", "capaian_lalu"]).reset_index(drop=True)


# ---------------------------------------------------------------------------
# The review
# ---------------------------------------------------------------------------

@dataclass
class Reviu:
    """Everything the review report shows, for one district and year.

    Analytical frames keep machine column names (documented in the module
    that made them); ``tabel_*`` attributes are reader-facing tables with
    Indonesian headers; ``kalimat`` holds generated sentences (Markdown);
    ``rekomendasi`` a list of ``{"rekomendasi", "alasan", "dasar"}``.
    """

    kab: str
    nama: str
    tahun: int
    putaran: pd.DataFrame
    tahunan: pd.DataFrame
    survei: pd.DataFrame
    target: pd.DataFrame
    penilaian: pd.DataFrame
    putusan: dict
    model: dict | None
    proyeksi: pd.DataFrame
    kurva_proyeksi: pd.DataFrame
    cakupan: pd.DataFrame
    lokus: pd.DataFrame
    lokus_paket: pd.DataFrame
    lokus_layanan: pd.DataFrame
    lokus_banding: dict
    anggaran_total: dict
    anggaran_opd: pd.DataFrame
    anggaran_intervensi: pd.DataFrame
    biaya_per_capaian: pd.DataFrame
    biaya_per_stunting: float
    anggaran_lokus: pd.DataFrame
    aksi: pd.DataFrame
    aksi_total: dict
    aksi_2025: pd.DataFrame
    tidak_tersedia: list[str] = field(default_factory=list)
    kalimat: dict[str, str] = field(default_factory=dict)
    rekomendasi: list[dict] = field(default_factory=list)


def _year(frame: pd.DataFrame, tahun: int) -> pd.DataFrame:
    if frame is None or frame.empty or "tahun" not in frame:
        return frame.iloc[:0] if frame is not None else pd.DataFrame()
    return frame[pd.to_numeric(frame["tahun"], errors="coerce") == tahun]


def susun(data, tahun: int, settings: dict | None = None) -> Reviu:
    """Assemble the annual review of one district and year.

    Parameters
    ----------
    data : analysis.dataset.DistrictData
        The district's canonical tables (all years).
    tahun : int
        Review year.
    settings : dict, optional
        Defaults to :func:`load_settings`.

    Returns
    -------
    Reviu

    Notes
    -----
    Annual register prevalence is computed on
    ``analysis.dataset.measurements_for_year`` with
    ``analysis.prevalence.prevalence_table`` (through
    :func:`analysis.trend.register_annual`), so it is the figure of the
    situation analysis. The projection is the quasi-binomial GLM of
    :func:`analysis.trend.fit_trend_model` on every weighing round up to the
    review year.
    """
    from analysis import aksi as aksi_mod
    from analysis import budget as bud
    from analysis import convergence as conv
    from analysis import reference, trend
    from analysis.dataset import measurements_for_year
    from analysis.prevalence import status_counts

    settings = settings or load_settings()
    tahun = int(tahun)
    meas = data.measurements[pd.to_numeric(data.measurements["tahun"]) <= tahun]
    years = sorted(int(y) for y in pd.unique(meas["tahun"]))
    missing: list[str] = []

    # --- prevalence and targets -------------------------------------------------------
    rounds = trend.register_rounds(meas) if len(meas) else pd.DataFrame(columns=trend.ROUND_COLUMNS)
    annual = trend.register_annual(data, years)
    survey = trend.survey_series(reference.survey_prevalence(), data.kab)
    survey = survey[survey["tahun"] <= tahun].reset_index(drop=True)
    targets = targets_table(data.targets, data.kab, tahun, settings)
    assessment = trend.assess_targets(
        {"register": annual[["tahun", "prevalensi"]], "survei": survey[["tahun", "prevalensi"]]},
        targets)
    head = headline_row(assessment, settings, tahun)
    putusan = {} if head is None else {
        "seri": head["seri"], "target": head["label"], "target_pct": head["target_pct"],
        "tahun_target": int(head["tahun_target"]), "aarr_observasi": head["aarr_observasi"],
        "aarr_wajib": head["aarr_wajib"], "sesuai_jalur": _yes(head["sesuai_jalur"]),
        "p_awal": head["p_awal"], "p_akhir": head["p_akhir"],
        "tahun_awal": int(head["tahun_awal"]), "tahun_akhir": int(head["tahun_akhir"])}

    # --- projection -----------------------------------------------------------------
    model, proj, curve = None, pd.DataFrame(), pd.DataFrame()
    usable = rounds[rounds["n"] > 0] if len(rounds) else rounds
    if len(usable) >= 3:
        model = trend.fit_trend_model(usable)
        ahead = int(settings.get("proyeksi_tahun_ke_depan", 2))
        proj_years = sorted({tahun + k for k in range(1, ahead + 1)}
                            | {int(y) for y in targets["tahun_target"] if int(y) > tahun})
        times = [trend.projection_time(y, usable) for y in proj_years]
        proj = trend.project(model, times)
        proj.insert(0, "tahun", proj_years)
        start = float(usable["waktu"].min())
        grid = np.linspace(start, max(times), 60)
        curve = trend.project(model, grid)

    # --- coverage ---------------------------------------------------------------------
    indicators = reference.indicators()
    cov_now = _year(data.coverage, tahun)
    cov_prev = _year(data.coverage, tahun - 1)
    if cov_now.empty:
        missing.append("cakupan_layanan")
        cakupan = pd.DataFrame()
    else:
        cakupan = coverage_changes(cov_now, cov_prev, indicators, float(settings.get("alpha", 0.05)))

    # --- lokus ------------------------------------------------------------------------
    lokus = _year(data.lokus, tahun)
    score_now = _year(data.scorecard, tahun)
    if lokus.empty:
        missing.append("lokus")
    if score_now.empty:
        missing.append("konvergensi_desa")
    lokus_paket = conv.lokus_package(score_now, lokus,
                                     float(settings.get("ambang_paket_lengkap_pct", 100)))
    lokus_layanan = conv.service_gaps(score_now, lokus["kode_desa"], reference.services())
    banding: dict = {}
    if (tahun - 1) in years and not lokus.empty:
        before = status_counts(measurements_for_year(data, tahun - 1), by="desa_code")
        after = status_counts(measurements_for_year(data, tahun), by="desa_code")
        change = conv.desa_change(before, after)
        boot = settings.get("bootstrap", {})
        banding = conv.lokus_vs_other(change, lokus["kode_desa"], n_boot=int(boot.get("n", 2000)),
                                      seed=int(boot.get("seed", 2024)),
                                      level=1 - float(settings.get("alpha", 0.05)))
        banding["tahun_awal"], banding["tahun_akhir"] = tahun - 1, tahun
        banding["disesuaikan"] = conv.lokus_vs_other_adjusted(
            change, lokus["kode_desa"], level=1 - float(settings.get("alpha", 0.05)))

    # --- budget -----------------------------------------------------------------------
    budget = _year(data.budget, tahun)
    if budget.empty:
        missing.append("anggaran")
    total = bud.absorption(budget).iloc[0].to_dict()
    stunted_now = int(annual.loc[annual["tahun"] == tahun, "stunting"].sum()) if len(annual) else 0
    per_stunted = bud.cost_per_stunted(budget, stunted_now) if not budget.empty else np.nan

    # --- aksi -------------------------------------------------------------------------
    aksi_now = _year(data.aksi, tahun)
    if aksi_now.empty:
        missing.append("status_aksi")
    rubric = aksi_mod.load_rubric()
    scored = aksi_mod.score_aksi(aksi_now, _dt.date(tahun, 12, 31), rubric)

    rv = Reviu(
        kab=data.kab, nama=data.nama, tahun=tahun, putaran=rounds, tahunan=annual,
        survei=survey, target=targets, penilaian=assessment, putusan=putusan, model=model,
        proyeksi=proj, kurva_proyeksi=curve, cakupan=cakupan, lokus=lokus,
        lokus_paket=lokus_paket, lokus_layanan=lokus_layanan, lokus_banding=banding,
        anggaran_total=total, anggaran_opd=bud.absorption(budget, ["opd"]),
        anggaran_intervensi=bud.per_intervention(budget, indicators),
        biaya_per_capaian=bud.cost_per_reached(budget, cov_now, indicators)
        if not cov_now.empty else pd.DataFrame(),
        biaya_per_stunting=per_stunted,
        anggaran_lokus=bud.lokus_spending(budget, lokus["kode_desa"]),
        aksi=scored, aksi_total=aksi_mod.overall_score(scored, rubric),
        aksi_2025=aksi_mod.by_group_2025(scored, rubric), tidak_tersedia=missing,
    )
    rv.kalimat = sentences(rv, head, settings)
    rv.rekomendasi = recommendations(rv, head, settings)
    return rv


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

def _names(frame: pd.DataFrame, col: str = "nama", limit: int = 3) -> str:
    items = [str(x) for x in frame[col].head(limit)]
    extra = len(frame) - len(items)
    listed = text.daftar(items)
    return listed + (f" dan {text.angka(extra)} lainnya" if extra > 0 else "")


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s else s


def sentences(rv: Reviu, head: pd.Series | None, settings: dict) -> dict[str, str]:
    """Data-derived sentences of the review (Markdown), keyed by topic.

    Keys: ``putusan`` (the verdict), ``prevalensi`` (register figure of the
    year with its change from last year), ``survei``, ``model``,
    ``proyeksi``, ``membaik``, ``tidak_membaik``, ``cakupan``,
    ``lokus_paket``, ``lokus_banding``, ``lokus_batas``, ``anggaran``,
    ``anggaran_lokus``, ``aksi``. A key is absent when its data are missing.
    """
    from analysis.stats import diff_ci

    k: dict[str, str] = {}
    k["putusan"] = verdict_sentence(head, rv.nama,
                                    dict(zip(rv.survei["tahun"].astype(int), rv.survei["sumber"])))
    k["putusan_lain"] = other_series_sentence(other_series_row(rv.penilaian, head), rv.tahun,
                                              int(settings.get("survei_usia_maks", 1)))
    level_pct = text.persen(100 * (1 - float(settings.get("alpha", 0.05))), 0)

    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else pd.DataFrame()
    if rv.tahun in getattr(ann, "index", []):
        now = ann.loc[rv.tahun]
        s = (f"Prevalensi stunting register e-PPGBM {rv.tahun} ({periode_label(now['periode'])}) "
             f"adalah **{text.persen(now['prevalensi'])}** (IK {level_pct} "
             f"{text.rentang(now['ci_bawah'], now['ci_atas'])}): {text.angka(now['stunting'])} "
             f"dari {text.angka(now['n'])} anak yang diukur.")
        if (rv.tahun - 1) in ann.index:
            prev = ann.loc[rv.tahun - 1]
            d = diff_ci([now["stunting"]], [now["n"]], [prev["stunting"]], [prev["n"]]).iloc[0]
            verb = "turun" if d["diff"] < 0 else "naik"
            noise = ("lebih besar dari galat acaknya" if d["significant"]
                     else "masih dalam batas galat acak")
            s += (f" Dibanding {rv.tahun - 1} ({text.persen(prev['prevalensi'])}) prevalensi {verb} "
                  f"{text.angka(abs(100 * d['diff']), 1)} poin persen (IK {level_pct} perubahan "
                  f"{_pp_range(100 * d['lower'], 100 * d['upper'])}), perubahan yang {noise}.")
        k["prevalensi"] = s

    if len(rv.survei):
        pts = "; ".join(f"{r.sumber}: {text.persen(r.prevalensi)}"
                        + ("" if r.keandalan == "reported" else f" ({_keandalan(r.keandalan)})")
                        for r in rv.survei.itertuples())
        s = f"Seri survei yang dipublikasikan untuk {rv.nama}: {pts}."
        last = rv.survei.iloc[-1]
        if rv.tahun in getattr(ann, "index", []) and int(last["tahun"]) == rv.tahun:
            reg = ann.loc[rv.tahun, "prevalensi"]
            s += (f" Angka register {rv.tahun} ({text.persen(reg)}) setara "
                  f"{text.persen(100 * reg / last['prevalensi'], 0)} dari angka {last['sumber']} "
                  f"({text.persen(last['prevalensi'])}): register hanya mencatat anak yang "
                  "datang ditimbang, sehingga kedua angka tidak dicampur dan laju penurunan "
                  "dihitung di dalam masing-masing seri.")
        k["survei"] = s
    else:
        k["survei"] = (f"Tidak ada angka survei (SSGI/SKI) yang dipublikasikan untuk {rv.nama}; "
                       "penilaian hanya memakai data register.")

    if rv.model is not None:
        m = rv.model
        orr = m["odds_ratio_per_tahun"]
        lo, hi = np.exp(m["slope_ci"][0]), np.exp(m["slope_ci"][1])
        change = "menurun" if hi < 1 else ("meningkat" if lo > 1 else "tidak berubah secara bermakna")
        k["model"] = (
            f"Proyeksi memakai model regresi logistik binomial (GLM, statsmodels) atas jumlah anak "
            f"stunting dan tidak stunting pada {text.angka(m['n_putaran'])} putaran penimbangan "
            f"register ({periode_label(rv.putaran['periode'].min())} sampai "
            f"{periode_label(rv.putaran['periode'].max())}), dengan waktu sebagai peubah. Model ini "
            "dipilih karena datanya berupa hitungan anak per putaran, hasilnya selalu berada di antara "
            "0 dan 100 %, dan penurunan log-odds yang konstan sejalan dengan asumsi laju penurunan "
            f"tahunan (AARR) yang konstan. Peluang stunting {change}: rasio odds per tahun "
            f"{text.angka(orr, 2)} (IK {level_pct} {text.angka(lo, 2)}–{text.angka(hi, 2)}). "
            f"Sebaran antarputaran {text.angka(m['dispersi'], 1)} kali sebaran binomial, "
            "sehingga selang kepercayaan diperlebar sebesar itu (kuasi-binomial).")
        month = str(rv.putaran["periode"].max())[5:7]
        rows = [f"{periode_label(f'{int(r.tahun)}-{month}')}: "
                f"**{text.persen(r.prevalensi)}** (IK {level_pct} {text.rentang(r.ci_bawah, r.ci_atas)})"
                for r in rv.proyeksi.itertuples()]
        k["proyeksi"] = (
            "Jika tren register berlanjut, prevalensi register diproyeksikan sebesar "
            + "; ".join(rows) + ". Proyeksi ini mengandaikan: log-odds stunting terus berubah "
            "menurut garis lurus seperti pada putaran yang dimodelkan; anak yang ditimbang tetap "
            "sebanding (cakupan penimbangan dan mutu pengukuran tidak berubah); dan tidak ada "
            "program baru yang mengubah laju. Selang kepercayaan hanya mencerminkan ketidakpastian "
            "garis tren, bukan sebaran satu putaran di sekitarnya, dan anak yang sama ditimbang "
            "berulang kali sehingga putaran tidak sepenuhnya independen. Proyeksi register tidak "
            "dapat dibandingkan langsung dengan target yang diukur dengan survei.")

    if len(rv.cakupan):
        c = rv.cakupan
        up = c[c["arah_perubahan"].eq("membaik").fillna(False).astype(bool)].sort_values("perubahan_pp", ascending=False)
        down = c[c["arah_perubahan"].eq("memburuk").fillna(False).astype(bool)].sort_values("perubahan_pp")
        flat = c[c["arah_perubahan"].eq("tetap").fillna(False).astype(bool)]
        has_prev = c["arah_perubahan"].notna().any()
        if has_prev:
            k["membaik"] = (
                f"Cakupan {_count(len(up))} dari {text.angka(len(c))} indikator membaik melebihi "
                f"galat acaknya dibanding {rv.tahun - 1}"
                + (f", terbesar {_names(up.assign(nama=up['nama'].map(_lower_first)))}." if len(up) else ".")
            )
            k["tidak_membaik"] = (
                f"{'Tidak ada' if len(down) == 0 else text.angka(len(down))} "
                "indikator memburuk melebihi galat acaknya"
                + (f" ({_names(down.assign(nama=down['nama'].map(_lower_first)))})" if len(down) else "")
                + f" dan {text.angka(len(flat))} tidak berubah secara bermakna."
            )
        below = c[c["status_target"] == "di bawah target"]
        met = c[c["status_target"] == "tercapai"]
        with_target = c[c["status_target"] != "tanpa target"]
        k["cakupan"] = (
            f"Dari {text.angka(len(with_target))} indikator yang memiliki target persen, "
            f"{_count(len(met))} mencapai target dan {_count(len(below))} berada di bawah "
            "target melebihi galat acaknya (batas atas selang kepercayaan cakupan masih di bawah "
            "target).")

    if len(rv.lokus):
        p = rv.lokus_paket
        full = int(p["paket_lengkap"].sum())
        with_card = int(p["ada_kartu_skor"].sum())
        mean_level = p["tingkat_total"].mean()
        s = (f"Dari {text.angka(len(p))} desa lokus {rv.tahun}, {_count(full)} menerima paket "
             f"layanan lengkap (tingkat konvergensi {text.persen(float(settings.get('ambang_paket_lengkap_pct', 100)), 0)}); "
             f"rata-rata tingkat konvergensi desa lokus {text.persen(mean_level)}.")
        if with_card < len(p):
            s += f" {text.angka(len(p) - with_card)} desa lokus tidak mengisi kartu skor."
        if len(rv.lokus_layanan):
            worst = rv.lokus_layanan.iloc[0]
            s += (f" Layanan yang paling jarang diterima di desa lokus: "
                  f"{_lower_first(worst['nama_layanan'])} ({text.persen(worst['tingkat_pct'])}).")
        k["lokus_paket"] = s
    b = rv.lokus_banding
    if b and not np.isnan(b.get("selisih", np.nan)):
        g = b["kelompok"].set_index("kelompok")
        L, O = g.loc["lokus"], g.loc["bukan_lokus"]
        if L["perubahan"] < 0 and O["perubahan"] < 0:
            faster = "turun lebih cepat" if b["selisih"] < 0 else "turun lebih lambat"
        else:
            faster = ("berubah lebih baik" if b["selisih"] < 0 else "berubah lebih buruk")
        sig = ("Selisih ini lebih besar dari galat acaknya" if b["bermakna"]
               else "Selisih ini masih dalam batas galat acak")
        k["lokus_banding"] = (
            f"Di desa lokus, prevalensi register berubah dari {text.persen(L['p_awal'])} "
            f"({b['tahun_awal']}) menjadi {text.persen(L['p_akhir'])} ({b['tahun_akhir']}), "
            f"{text.poin_persen(L['perubahan'])}; di desa lainnya dari {text.persen(O['p_awal'])} "
            f"menjadi {text.persen(O['p_akhir'])}, {text.poin_persen(O['perubahan'])}. "
            f"Prevalensi di desa lokus {faster} daripada di desa lain, dengan selisih perubahan "
            f"{text.poin_persen(b['selisih'])} (IK {level_pct} bootstrap antardesa "
            f"{_pp_range(b['ci'][0], b['ci'][1])}). {sig}.")
        k["lokus_batas"] = (
            f"Cara membaca perbandingan ini: desa lokus dipilih *karena* prevalensinya tinggi "
            f"(pada awal periode prevalensinya {text.angka(abs(b['selisih_awal']), 1)} poin persen "
            f"{'lebih tinggi' if b['selisih_awal'] >= 0 else 'lebih rendah'} daripada desa lain). Angka yang tinggi sebagian karena kebetulan dan cenderung turun sendiri pada "
            "pengukuran berikutnya (regresi ke rata-rata), dan desa lokus dapat berbeda dari desa lain "
            "dalam hal yang juga memengaruhi prevalensi. Karena itu penurunan yang lebih cepat di "
            "desa lokus adalah pembacaan yang optimistis, bukan bukti bahwa intervensi berhasil; "
            "sebaliknya, penurunan yang tidak lebih cepat adalah tanda yang patut ditelusuri. "
            "Perbandingan ini juga hanya mencakup anak yang ditimbang di kedua tahun.")
        adj = b.get("disesuaikan", {})
        if adj and adj.get("selisih") == adj.get("selisih"):
            sig_adj = ("lebih besar dari galat acaknya" if adj["bermakna"]
                       else "masih dalam batas galat acak")
            k["lokus_batas"] += (
                f" Sebagai pembanding yang lebih hati-hati, desa lokus dibandingkan dengan desa lain "
                f"yang prevalensi awalnya sama (regresi berbobot atas {text.angka(adj['desa'])} desa): "
                f"selisihnya {_signed(adj['selisih'])} poin persen (IK {level_pct} "
                f"{_pp_range(adj['ci'][0], adj['ci'][1])}), {sig_adj}. Setiap 1 poin persen "
                f"prevalensi awal yang lebih tinggi diikuti perubahan {_signed(adj['kemiringan_awal'], 2)} "
                "poin persen pada tahun berikutnya: sebesar itulah regresi ke rata-rata bekerja di "
                "data ini.")

    t = rv.anggaran_total
    if "anggaran" not in rv.tidak_tersedia:
        s = (f"Anggaran percepatan penurunan stunting {rv.tahun} lintas "
             f"{text.angka(len(rv.anggaran_opd))} OPD: pagu {text.rupiah(t['pagu'], compact=True)}, "
             f"realisasi {text.rupiah(t['realisasi'], compact=True)}, serapan "
             f"**{text.persen(t['serapan_pct'])}**.")
        if rv.biaya_per_stunting == rv.biaya_per_stunting:
            s += (f" Realisasi per anak stunting yang tercatat di register: "
                  f"{text.rupiah(rv.biaya_per_stunting, compact=True)}.")
        k["anggaran"] = s
        lk = rv.anggaran_lokus.iloc[0]
        if lk["desa_lokus"] > 0:
            k["anggaran_lokus"] = (
                f"Belanja yang dicatat berlokasi di desa: {text.rupiah(lk['realisasi_berlokasi'], compact=True)}; "
                f"dari jumlah itu {text.rupiah(lk['realisasi_lokus'], compact=True)} "
                f"({text.persen(lk['pct_lokus_berlokasi'])}) sampai di desa lokus, atau "
                f"{text.persen(lk['pct_lokus_total'])} dari seluruh realisasi. "
                f"{text.angka(lk['desa_lokus_dibiayai'])} dari {text.angka(lk['desa_lokus'])} desa "
                "lokus menerima belanja berlokasi.")

    a = rv.aksi_total
    k["aksi"] = (f"Skor pelaksanaan 8 aksi konvergensi: **{text.angka(a['skor'], 1)} dari 100** "
                 f"(nilai {a['nilai']}, {a['predikat']}); {text.angka(a['selesai'])} aksi selesai, "
                 f"{text.angka(a['tepat_waktu'])} tepat waktu, {text.angka(a['dengan_bukti'])} "
                 "dengan bukti dokumen.")
    return k


def _keandalan(code: str) -> str:
    return {"inferred": "disimpulkan", "derived": "diturunkan",
            "press-unconfirmed": "berita, belum terkonfirmasi"}.get(code, code)


# ---------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------

def recommendations(rv: Reviu, head: pd.Series | None, settings: dict) -> list[dict]:
    """Recommendations for next year, each derived from a finding and carrying its reason.

    Returns
    -------
    list of dict
        ``rekomendasi`` (what to do), ``alasan`` (the finding with its
        numbers), ``dasar`` (section id the finding comes from).
    """
    cfg = settings.get("rekomendasi", {})
    limit = int(cfg.get("maks_butir_indikator", 3))
    out: list[dict] = []
    if head is not None:
        if _yes(head["sesuai_jalur"]) and head["p_akhir"] > head["p_awal"]:
            out.append({"rekomendasi": "Hentikan kenaikan prevalensi: telusuri desa dan puskesmas "
                        "tempat prevalensi naik dan perkuat intervensi spesifik di sana.",
                        "alasan": f"Prevalensi {SERI_LABEL[head['seri']]} naik dari "
                        f"{text.persen(head['p_awal'])} ({head['tahun_awal']}) menjadi "
                        f"{text.persen(head['p_akhir'])} ({head['tahun_akhir']}), walaupun masih di "
                        f"bawah {head['label'].lower()} {text.persen(head['target_pct'])}.",
                        "dasar": "tren"})
        elif _yes(head["sesuai_jalur"]):
            out.append({"rekomendasi": "Pertahankan laju penurunan dan pusatkan upaya pada desa "
                        "dengan jumlah anak stunting terbanyak.",
                        "alasan": f"AARR {SERI_LABEL[head['seri']]} {_pct_ai(head['aarr_observasi'])} "
                        f"sudah memenuhi AARR yang diperlukan ({_pct_ai(head['aarr_wajib'])}) untuk "
                        f"{head['label'].lower()}.", "dasar": "tren"})
        else:
            out.append({"rekomendasi": "Percepat penurunan prevalensi: tetapkan desa lokus tahun "
                        "depan dari analisis situasi terbaru dan tambah intervensi spesifik di sana.",
                        "alasan": f"AARR {SERI_LABEL[head['seri']]} {_pct_ai(head['aarr_observasi'])} "
                        f"di bawah AARR yang diperlukan ({_pct_ai(head['aarr_wajib'])}) untuk "
                        f"{head['label'].lower()} {text.persen(head['target_pct'])} pada "
                        f"{head['tahun_target']}.", "dasar": "tren"})
    c = rv.cakupan
    if len(c):
        below = c[c["status_target"] == "di bawah target"].sort_values("kesenjangan_pp",
                                                                     ascending=False).head(limit)
        if len(below):
            items = [f"{_lower_first(r.nama)} {text.persen(r.cakupan_pct)} (target "
                     f"{text.persen(r.target_pct, 0)})" for r in below.itertuples()]
            out.append({"rekomendasi": "Naikkan cakupan indikator dengan kesenjangan terbesar "
                        "terhadap target dan anggarkan kegiatannya dalam rencana kegiatan (Aksi 2).",
                        "alasan": "Cakupan di bawah target melebihi galat acak: "
                        + text.daftar(items) + ".", "dasar": "cakupan"})
        worse = c[c["arah_perubahan"].eq("memburuk").fillna(False).astype(bool)].sort_values("perubahan_pp").head(limit)
        if len(worse):
            items = [f"{_lower_first(r.nama)} ({text.poin_persen(r.perubahan_pp)})"
                     for r in worse.itertuples()]
            out.append({"rekomendasi": "Telusuri penyebab turunnya cakupan bersama OPD penanggung "
                        "jawab (pencatatan, ketersediaan layanan, sasaran yang berubah).",
                        "alasan": f"Cakupan memburuk dibanding {rv.tahun - 1} melebihi galat acak: "
                        + text.daftar(items) + ".", "dasar": "cakupan"})
    if len(rv.lokus):
        p = rv.lokus_paket
        low = rv.lokus_layanan[rv.lokus_layanan["tingkat_pct"]
                               < float(cfg.get("konvergensi_lokus_rendah_pct", 80))].head(limit)
        if (~p["paket_lengkap"]).any():
            n_full = int(p["paket_lengkap"].sum())
            reason = ((f"Hanya {text.angka(n_full)} dari " if n_full else "Tidak satu pun dari ")
                      + f"{text.angka(len(p))} desa lokus menerima paket layanan lengkap")
            if len(low):
                reason += "; layanan terendah: " + text.daftar(
                    [f"{_lower_first(r.nama_layanan)} {text.persen(r.tingkat_pct)}"
                     for r in low.itertuples()])
            out.append({"rekomendasi": "Lengkapi paket layanan di desa lokus melalui KPM dan "
                        "kartu skor desa (Aksi 5), dimulai dari layanan yang paling jarang diterima.",
                        "alasan": reason + ".", "dasar": "lokus"})
        b = rv.lokus_banding
        if b and b.get("selisih", np.nan) == b.get("selisih", np.nan) and not (
                b["bermakna"] and b["selisih"] < 0):
            out.append({"rekomendasi": "Evaluasi ketepatan intervensi di desa lokus sebelum "
                        "menetapkan lokus tahun depan.",
                        "alasan": f"Prevalensi di desa lokus tidak terbukti turun lebih cepat "
                        f"daripada desa lain (selisih {text.poin_persen(b['selisih'])}, IK "
                        f"{_pp_range(b['ci'][0], b['ci'][1])}), padahal "
                        "regresi ke rata-rata saja sudah cenderung menurunkannya.",
                        "dasar": "lokus"})
    if "anggaran" not in rv.tidak_tersedia:
        thr = float(cfg.get("serapan_rendah_pct", 85))
        low = rv.anggaran_opd[rv.anggaran_opd["serapan_pct"] < thr].sort_values("serapan_pct")
        if len(low):
            items = [f"{r.opd} {text.persen(r.serapan_pct)}" for r in low.head(limit).itertuples()]
            out.append({"rekomendasi": "Perbaiki perencanaan kas dan pelaksanaan kegiatan di OPD "
                        "dengan serapan rendah; pertimbangkan realokasi bila hambatannya menetap.",
                        "alasan": f"Serapan di bawah {text.persen(thr, 0)}: " + text.daftar(items)
                        + (f" (dan {text.angka(len(low) - limit)} OPD lain)" if len(low) > limit else "")
                        + ".", "dasar": "anggaran"})
        lk = rv.anggaran_lokus.iloc[0]
        if lk["desa_lokus"] > 0 and lk["desa_lokus_dibiayai"] < lk["desa_lokus"]:
            out.append({"rekomendasi": "Tandai lokasi desa pada kegiatan fisik dan layanan, dan "
                        "arahkan belanja berlokasi ke desa lokus yang belum menerimanya.",
                        "alasan": f"{text.angka(lk['desa_lokus'] - lk['desa_lokus_dibiayai'])} dari "
                        f"{text.angka(lk['desa_lokus'])} desa lokus tidak menerima belanja berlokasi.",
                        "dasar": "anggaran"})
    weak = rv.aksi[rv.aksi["nilai"].isin(["C", "D"])]
    if len(weak):
        items = []
        for r in weak.itertuples():
            why = ("belum dilaporkan" if r.status == "tidak dilaporkan" else
                   "belum selesai" if r.status != "selesai" else
                   "tanpa bukti" if not r.ada_bukti else
                   f"terlambat {text.angka(r.terlambat_hari)} hari")
            items.append(f"Aksi {r.aksi} {r.nama} (nilai {r.nilai}, {why})")
        out.append({"rekomendasi": "Jadwalkan dan dokumentasikan aksi yang bernilai C atau D agar "
                    "selesai tepat waktu dengan bukti yang dapat diunggah untuk penilaian provinsi.",
                    "alasan": text.daftar(items) + ".", "dasar": "aksi"})
    over = rv.aksi[rv.aksi["mandiri_lebih_tinggi"]]
    if len(over):
        out.append({"rekomendasi": "Selaraskan penilaian mandiri dengan bukti sebelum penilaian "
                    "kinerja provinsi.",
                    "alasan": f"Penilaian mandiri lebih tinggi daripada nilai rubrik pada "
                    f"{text.angka(len(over))} aksi (aksi "
                    + text.daftar([str(a) for a in over["aksi"]]) + ").", "dasar": "aksi"})
    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else None
    if ann is not None and len(rv.survei) and rv.tahun in ann.index \
            and int(rv.survei.iloc[-1]["tahun"]) == rv.tahun:
        ratio = ann.loc[rv.tahun, "prevalensi"] / rv.survei.iloc[-1]["prevalensi"]
        if ratio < 0.8:
            out.append({"rekomendasi": "Perkuat cakupan dan mutu penimbangan (Aksi 7) agar angka "
                        "register mendekati angka survei.",
                        "alasan": f"Prevalensi register {text.persen(ann.loc[rv.tahun, 'prevalensi'])} "
                        f"hanya {text.persen(100 * ratio, 0)} dari angka "
                        f"{rv.survei.iloc[-1]['sumber']} ({text.persen(rv.survei.iloc[-1]['prevalensi'])}).",
                        "dasar": "tren"})
    return out


# ---------------------------------------------------------------------------
# Reader-facing tables
# ---------------------------------------------------------------------------

def tabel_target(rv: Reviu) -> pd.DataFrame:
    """AARR observed vs required per series and target (Indonesian headers)."""
    a = rv.penilaian
    if a.empty:
        return pd.DataFrame()
    jalur = a["sesuai_jalur"].map(lambda v: "sesuai jalur" if _yes(v) else (
        "belum sesuai jalur" if v is not None and not pd.isna(v) else "–"))
    short = {"kabupaten": "Daerah", "provinsi": "Provinsi", "nasional": "Nasional"}
    ends = [f"{text.persen(p1)} ({int(t1)}) → {text.persen(p2)} ({int(t2)})"
            if t1 == t1 and t2 == t2 else text.MISSING
            for p1, t1, p2, t2 in zip(a["p_awal"], a["tahun_awal"], a["p_akhir"], a["tahun_akhir"])]
    return pd.DataFrame({
        "Seri": a["seri"].map(SERI_LABEL),
        "Target": a["kode"].map(short) + " " + a["target_pct"].map(text.persen) + " ("
        + a["tahun_target"].astype(str) + ")",
        "Prevalensi awal → akhir": ends,
        "AARR teramati": 100 * a["aarr_observasi"],
        "AARR perlu": 100 * a["aarr_wajib"],
        "Status": jalur,
    })


def tabel_putaran(rv: Reviu) -> pd.DataFrame:
    """Register prevalence per weighing round."""
    r = rv.putaran
    return pd.DataFrame({
        "Putaran": r["periode"].map(periode_label),
        "Anak diukur (HAZ sah)": r["n"].astype(int),
        "Anak stunting": r["stunting"].astype(int),
        "Prevalensi (%)": r["prevalensi"],
        "IK 95 %": [text.rentang(lo, hi) for lo, hi in zip(r["ci_bawah"], r["ci_atas"])],
    })


def tabel_survei(rv: Reviu) -> pd.DataFrame:
    """The survey series, labelled by source and reliability."""
    s = rv.survei
    return pd.DataFrame({"Sumber": s["sumber"], "Prevalensi (%)": s["prevalensi"],
                         "Keandalan": s["keandalan"].map(
                             lambda c: "dilaporkan" if c == "reported" else _keandalan(c))})


def tabel_proyeksi(rv: Reviu) -> pd.DataFrame:
    """Projected register prevalence per year."""
    p = rv.proyeksi
    if p.empty:
        return pd.DataFrame()
    month = rv.putaran["periode"].max()[5:7]
    return pd.DataFrame({
        "Putaran": [periode_label(f"{int(y)}-{month}") for y in p["tahun"]],
        "Proyeksi (%)": p["prevalensi"],
        "IK 95 %": [text.rentang(lo, hi) for lo, hi in zip(p["ci_bawah"], p["ci_atas"])],
    })


def tabel_cakupan(rv: Reviu) -> pd.DataFrame:
    """Coverage this year vs last year and vs target (percent; changes in points)."""
    c = rv.cakupan
    if c.empty:
        return pd.DataFrame()
    has_prev = c["cakupan_lalu_pct"].notna()
    change = [(_signed(d) + ("*" if sig else "")) if ok else text.MISSING
              for d, sig, ok in zip(c["perubahan_pp"], c["perubahan_bermakna"], has_prev)]
    ci = [f"{_signed(lo)} s.d. {_signed(hi)}" if ok else text.MISSING
          for lo, hi, ok in zip(c["perubahan_bawah"], c["perubahan_atas"], has_prev)]
    status = c["status_target"].map({"tercapai": "tercapai", "di bawah target": "belum*",
                                      "di bawah target (dalam batas galat)": "belum",
                                      "tanpa target": "–"})
    return pd.DataFrame({
        "Indikator": c["nama"] + np.where(c["arah"].eq("turun"), " (makin rendah makin baik)", ""),
        "Target": c["target_pct"],
        str(rv.tahun - 1): c["cakupan_lalu_pct"],
        str(rv.tahun): c["cakupan_pct"],
        "Perubahan (poin)": change,
        "IK 95 % perubahan": ci,
        "Capai target": status,
    })


def tabel_lokus(rv: Reviu) -> pd.DataFrame:
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


def tabel_lokus_layanan(rv: Reviu) -> pd.DataFrame:
    """Services in the lokus, lowest convergence first."""
    g = rv.lokus_layanan
    label = {"ibu_hamil": "Ibu hamil", "anak_0_23": "Anak 0–23 bulan", "anak_2_6": "Anak 2–6 tahun"}
    return pd.DataFrame({
        "Sasaran": g["kelompok"].map(label).fillna(g["kelompok"]),
        "Layanan": g["nama_layanan"],
        "Seharusnya": g["seharusnya"].astype(int),
        "Diterima": g["diterima"].astype(int),
        "Tingkat (%)": g["tingkat_pct"],
    })


def tabel_lokus_banding(rv: Reviu) -> pd.DataFrame:
    """Prevalence change in lokus and other desa."""
    b = rv.lokus_banding
    if not b:
        return pd.DataFrame()
    g = b["kelompok"]
    return pd.DataFrame({
        "Kelompok": g["kelompok"].map({"lokus": "Desa lokus", "bukan_lokus": "Desa lainnya"}),
        "Desa": g["desa"].astype(int),
        f"Diukur {b['tahun_awal']}": g["n_awal"].astype(int),
        f"{b['tahun_awal']} (%)": g["p_awal"],
        f"Diukur {b['tahun_akhir']}": g["n_akhir"].astype(int),
        f"{b['tahun_akhir']} (%)": g["p_akhir"],
        "Perubahan (poin)": g["perubahan"],
    })


def tabel_anggaran_opd(rv: Reviu) -> pd.DataFrame:
    """Budget per OPD in million rupiah."""
    o = rv.anggaran_opd
    return pd.DataFrame({"OPD": o["opd"], "Pagu (Rp juta)": o["pagu"] / 1e6,
                         "Realisasi (Rp juta)": o["realisasi"] / 1e6, "Serapan (%)": o["serapan_pct"]})


def tabel_anggaran_intervensi(rv: Reviu) -> pd.DataFrame:
    """Budget per intervention with spending per person reached."""
    i = rv.anggaran_intervensi
    per = rv.biaya_per_capaian.set_index("kode_indikator") if len(rv.biaya_per_capaian) else None
    out = pd.DataFrame({"Intervensi": i["nama"], "Realisasi": i["realisasi"] / 1e6,
                        "Serapan (%)": i["serapan_pct"]})
    if per is not None:
        out["Terjangkau"] = i["kode_indikator"].map(per["capaian"]).astype("Int64")
        out["Rp ribu/sasaran"] = i["kode_indikator"].map(per["biaya_per_capaian"]) / 1e3
    return out


def tabel_aksi(rv: Reviu) -> pd.DataFrame:
    """Status, timeliness, evidence and grade of each aksi."""
    a = rv.aksi
    late = [text.MISSING if v != v else ("tepat waktu" if v <= 0 else f"{text.angka(v)} hari")
            for v in a["terlambat_hari"]]
    return pd.DataFrame({
        "Aksi": a["aksi"].astype(int).astype(str) + ". " + a["nama"],
        "Status": a["status"],
        "Target": [text.tanggal(d, "medium") if pd.notna(d) else text.MISSING
                   for d in a["tanggal_target"]],
        "Selesai": [text.tanggal(d, "medium") if pd.notna(d) else text.MISSING
                    for d in a["tanggal_selesai"]],
        "Keterlambatan": late,
        "Bukti": a["ada_bukti"].map({True: "ada", False: "tidak ada"}),
        "Nilai rubrik": a["nilai"],
        "Penilaian mandiri": a["penilaian_mandiri"].fillna(text.MISSING),
    })


def tabel_aksi_2025(rv: Reviu) -> pd.DataFrame:
    """The scores regrouped in Kemendagri's 2025 structure."""
    g = rv.aksi_2025
    return pd.DataFrame({"Kelompok aksi 2025": g["nama"],
                         "Jenis": g["jenis"].map({"utama": "utama", "pendukung": "pendukung"}),
                         "Aksi (8 aksi)": g["aksi"], "Skor (0–100)": g["skor"]})


# ---------------------------------------------------------------------------
# What the notebook lays out besides tables: sources, recommendations, key figures
# ---------------------------------------------------------------------------

#: Sentence shown where a table of the data package was not supplied.
TIDAK_TERSEDIA = {
    "cakupan_layanan": "Tabel cakupan layanan (cakupan_layanan) tahun ini tidak diserahkan; "
                       "perbandingan cakupan tidak dapat dibuat.",
    "lokus": "Tabel desa lokus (lokus) tahun ini tidak diserahkan; konvergensi di desa lokus "
             "tidak dapat dinilai.",
    "konvergensi_desa": "Kartu skor konvergensi desa (konvergensi_desa) tahun ini tidak "
                        "diserahkan.",
    "anggaran": "Tabel anggaran (anggaran) tahun ini tidak diserahkan; realisasi dan serapan "
                "tidak dapat dihitung.",
    "status_aksi": "Tabel status 8 aksi (status_aksi) tahun ini tidak diserahkan; semua aksi "
                   "dinilai sebagai tidak dilaporkan.",
}


def kalimat(rv: Reviu, key: str) -> str:
    """A generated sentence, or the statement of which data are missing for it."""
    fallback = {
        "prevalensi": "Data register tahun ini tidak tersedia.",
        "model": "Proyeksi memerlukan sedikitnya tiga putaran penimbangan; data belum cukup.",
        "proyeksi": "",
        "membaik": TIDAK_TERSEDIA["cakupan_layanan"] if "cakupan_layanan" in rv.tidak_tersedia
        else f"Cakupan {rv.tahun - 1} tidak tersedia untuk dibandingkan.",
        "tidak_membaik": "",
        "cakupan": TIDAK_TERSEDIA["cakupan_layanan"],
        "lokus_paket": TIDAK_TERSEDIA["lokus"],
        "lokus_banding": "Perbandingan perubahan prevalensi desa lokus dan desa lain memerlukan "
                         f"data register {rv.tahun - 1} dan {rv.tahun} serta daftar desa lokus.",
        "lokus_batas": "",
        "anggaran": TIDAK_TERSEDIA["anggaran"],
        "anggaran_lokus": "Tidak ada belanja yang dicatat berlokasi di desa lokus.",
    }
    return rv.kalimat.get(key) or fallback.get(key, "")


def catatan_data(rv: Reviu) -> str:
    """A sentence naming the tables of the data package that were not supplied ('' if none)."""
    if not rv.tidak_tersedia:
        return ""
    return " ".join(TIDAK_TERSEDIA[t] for t in rv.tidak_tersedia if t in TIDAK_TERSEDIA)


def metode_aarr() -> str:
    """How AARR, the required AARR and the on-course rule are computed (Markdown)."""
    return ("Laju penurunan rata-rata per tahun (AARR) dihitung seperti Global Nutrition Report "
            "dan WHO/UNICEF: AARR = 1 − (P₂ / P₁)^(1 / (t₂ − t₁)), dari tahun pertama sampai tahun "
            "terakhir setiap seri. AARR yang diperlukan adalah laju yang membawa prevalensi ke "
            "target tepat pada tahun target: dari tahun terakhir bila tahun target masih di depan, "
            "atau dari tahun pertama bila tahun target adalah tahun laporan (sehingga sama dengan "
            "pertanyaan apakah target tercapai). Sebuah seri **sesuai jalur** bila AARR teramati "
            "≥ AARR yang diperlukan. Seri register dan seri survei dinilai terpisah.")


def struktur_aksi(rubric: dict | None = None) -> str:
    """The two structures (8 aksi; Kemendagri 2025: 4 main + 2 supporting) and the rubric (Markdown)."""
    from analysis import aksi as aksi_mod

    rubric = rubric or aksi_mod.load_rubric()
    groups = rubric["kelompok_2025"]
    main = [g["nama"].lower() for g in groups.values() if g["jenis"] == "utama"]
    support = [g["nama"].lower() for g in groups.values() if g["jenis"] == "pendukung"]
    grades = "; ".join(f"{k} = {text.angka(v['poin'])} poin ({_lower_first(v['uraian'])})"
                       for k, v in rubric["nilai"].items())
    return (f"Pelaksanaan dinilai menurut **8 aksi konvergensi** (Pedoman 2018, Juknis 2019/2022). "
            f"Sejak 2025 Kemendagri mengelompokkannya menjadi {text.angka(len(main))} aksi utama "
            f"({text.daftar(main)}) dan {text.angka(len(support))} aksi pendukung "
            f"({text.daftar(support)}); Tabel pengelompokan di bawah memetakan kedelapan aksi ke "
            "struktur itu (pemetaan indikatif). Setiap aksi diberi nilai menurut rubrik yang "
            f"disusun meniru penilaian kinerja provinsi: {grades}. Skor total adalah jumlah poin "
            "berbobot dibagi poin maksimum, dikali 100. Bobot dan batas nilai provinsi tidak "
            "dipublikasikan, sehingga rubrik ini disimpan sebagai konfigurasi "
            "(analysis/data/config/rubrik_aksi.yaml) dan dapat diganti dengan rubrik provinsi.")


def sumber_data(rv: Reviu) -> dict[str, str]:
    """Data sources and their dates for the title block."""
    out: dict[str, str] = {}
    if len(rv.putaran):
        out["e-PPGBM (register)"] = (f"{periode_label(rv.putaran['periode'].min())} – "
                                     f"{periode_label(rv.putaran['periode'].max())}, "
                                     f"{text.angka(len(rv.putaran))} putaran")
    if len(rv.survei):
        out["Survei prevalensi"] = text.daftar(list(rv.survei["sumber"]))
    for key, label in (("cakupan_layanan", "Cakupan layanan"), ("konvergensi_desa",
                       "Kartu skor konvergensi desa"), ("lokus", "SK desa lokus"),
                       ("anggaran", "Pagu dan realisasi anggaran"), ("status_aksi",
                       "Status 8 aksi")):
        out[label] = "tidak diserahkan" if key in rv.tidak_tersedia else f"Tahun {rv.tahun}"
    return out


def butir_rekomendasi(rv: Reviu) -> list[str]:
    """Recommendations as list items: the action, then its reason."""
    return [f"{r['rekomendasi']} *Alasan:* {r['alasan']}" for r in rv.rekomendasi]


def pesan_utama(rv: Reviu) -> list[str]:
    """The executive summary's bullet points (Markdown), in reading order."""
    keys = ("prevalensi", "membaik", "tidak_membaik", "lokus_paket", "anggaran", "aksi")
    items = [rv.kalimat[k] for k in keys if rv.kalimat.get(k)]
    if rv.rekomendasi:
        items.append(f"{text.angka(len(rv.rekomendasi))} rekomendasi untuk tahun depan "
                     f"(Bagian Rekomendasi), terutama: {_lower_first(rv.rekomendasi[0]['rekomendasi'])}")
    return items


def angka_kunci(rv: Reviu) -> list[dict]:
    """Key figures for ``Laporan.angka_kunci`` (the report's JSON).

    Returns
    -------
    list of dict
        Keyword arguments of ``Laporan.angka_kunci``: ``sesuai_jalur`` (1 on
        course, 0 off course), ``aarr_observasi`` and ``aarr_diperlukan``
        (percent per year), ``prevalensi_stunting_register`` (percent, CI),
        ``serapan_anggaran`` (percent), ``skor_8_aksi`` (0–100), and the
        projections ``proyeksi_prevalensi_register_<tahun>``.
    """
    out: list[dict] = []
    p = rv.putusan
    if p:
        seri = SERI_LABEL[p["seri"]]
        span = f"{seri} {p['tahun_awal']}–{p['tahun_akhir']}"
        out.append({"kode": "sesuai_jalur", "nilai": 1 if _yes(p["sesuai_jalur"]) else 0,
                    "satuan": "1 = sesuai jalur, 0 = belum sesuai jalur", "sumber": span,
                    "label": f"Sesuai jalur menuju {p['target'].lower()} "
                             f"{text.persen(p['target_pct'])} ({p['tahun_target']})"})
        out.append({"kode": "aarr_observasi", "nilai": 100 * p["aarr_observasi"],
                    "satuan": "% per tahun", "sumber": span,
                    "label": "Laju penurunan rata-rata per tahun (AARR) teramati"})
        out.append({"kode": "aarr_diperlukan", "nilai": 100 * p["aarr_wajib"],
                    "satuan": "% per tahun", "sumber": f"{p['target']} {p['tahun_target']}",
                    "label": "AARR yang diperlukan untuk mencapai target"})
        seen = set()
        for r in rv.penilaian.dropna(subset=["aarr_observasi"]).itertuples():
            if r.seri in seen:
                continue
            seen.add(r.seri)
            out.append({"kode": f"aarr_observasi_{r.seri}", "nilai": 100 * r.aarr_observasi,
                        "satuan": "% per tahun",
                        "sumber": f"{SERI_LABEL[r.seri]} {r.tahun_awal}–{r.tahun_akhir}",
                        "label": f"AARR teramati, seri {SERI_LABEL[r.seri]}"})
    ann = rv.tahunan.set_index("tahun") if len(rv.tahunan) else None
    if ann is not None and rv.tahun in ann.index:
        r = ann.loc[rv.tahun]
        out.append({"kode": "prevalensi_stunting_register", "nilai": r["prevalensi"],
                    "satuan": "%", "ci": (r["ci_bawah"], r["ci_atas"]),
                    "sumber": f"e-PPGBM {periode_label(r['periode'])}",
                    "label": "Prevalensi stunting (register)"})
    if "anggaran" not in rv.tidak_tersedia:
        out.append({"kode": "serapan_anggaran", "nilai": rv.anggaran_total["serapan_pct"],
                    "satuan": "%", "sumber": f"Anggaran {rv.tahun}",
                    "label": "Serapan anggaran percepatan penurunan stunting"})
    out.append({"kode": "skor_8_aksi", "nilai": rv.aksi_total["skor"], "satuan": "skor 0–100",
                "sumber": f"Status aksi {rv.tahun}, rubrik analysis/data/config/rubrik_aksi.yaml",
                "label": "Skor pelaksanaan 8 aksi konvergensi"})
    if len(rv.proyeksi):
        for r in rv.proyeksi.itertuples():
            out.append({"kode": f"proyeksi_prevalensi_register_{int(r.tahun)}",
                        "nilai": r.prevalensi, "satuan": "%", "ci": (r.ci_bawah, r.ci_atas),
                        "sumber": "GLM binomial atas putaran register",
                        "label": f"Proyeksi prevalensi register {int(r.tahun)}"})
    return out


def putusan_lengkap(rv: Reviu) -> str:
    """The verdict and, as a second paragraph, the other series' verdict (Markdown)."""
    return "\n\n".join(s for s in (kalimat(rv, "putusan"), rv.kalimat.get("putusan_lain", "")) if s)
