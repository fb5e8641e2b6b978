"""Cross-district comparison (studi tiru): host against visitors, or every district of a
province, fairly and with its uncertainty.

Every per-district figure is computed by the functions the single-district reports use, on the
same selection of data, so a district reads the same number here as in its own reports:

- register prevalence, its 95 % CI and the count of stunted children:
  :func:`analysis.situasi.stunting_kab` on ``prevalence_table`` / ``status_counts`` of
  :func:`analysis.dataset.measurements_for_year` (what :func:`analysis.situasi.susun` does);
- latest survey figure: :func:`analysis.situasi.survei_terakhir`; survey and register series:
  :func:`analysis.trend.survey_series`, :func:`analysis.trend.register_annual`;
- coverage: :func:`analysis.coverage.indicator_summary` of ``coverage_table``;
- budget: :func:`analysis.budget.absorption`, ``cost_per_reached``, ``cost_per_stunted``;
- 8 aksi: :func:`analysis.aksi.score_aksi` (review date 31 December) and ``overall_score``
  (as :func:`analysis.reviu.susun`).

A table a district did not supply is *missing*: its figures are NaN and the district's
``hilang`` note names the table; nothing is filled with zero.

:func:`ringkas` turns one :class:`~analysis.dataset.DistrictData` into a :class:`Daerah`;
:func:`tabel_daerah` stacks them into one row per district; the comparison functions
(:func:`peringkat`, :func:`banding_cakupan`, :func:`tabel_aarr`, :func:`pertanyaan`) are pure
functions of those frames. :func:`susun` runs it all for the notebook. Settings:
``analysis/data/config/studi_tiru.yaml``.

Conventions: percentages in percent (0–100); AARR as a fraction per year; district codes are
Kemendagri codes (``"64.02"``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from analysis import text

#: Reader-facing role of a district in the comparison.
PERAN_LABEL = {"tuan_rumah": "tuan rumah", "tamu": "tamu", "provinsi": ""}

#: Reader-facing names of the tables a district may not have supplied.
TABEL_LABEL = {
    "eppgbm": "e-PPGBM (pengukuran)", "profil_desa": "profil desa",
    "cakupan_layanan": "cakupan layanan", "anggaran": "anggaran", "status_aksi": "status aksi",
    "konvergensi_desa": "kartu skor desa", "lokus": "desa lokus",
    "target_prevalensi": "target prevalensi",
}

#: Funnel-plot limits (z) and their names: the usual 95 % and 99,8 % control limits
#: (Spiegelhalter 2005). The position labels of :func:`peringkat` name them.
FUNNEL_Z = (1.96, 3.09)

#: Columns of :func:`tabel_daerah`.
DAERAH_COLUMNS = [
    "kab", "nama", "peran", "penduduk", "kecamatan", "desa", "keluarga", "keluarga_berisiko",
    "perkiraan_balita", "periode", "diukur", "n", "stunting", "sangat_pendek", "pct", "ll", "ul",
    "cakupan_ukur_pct", "survei_pct", "survei_sumber", "survei_tahun", "survei_keandalan",
    "pagu", "realisasi", "serapan_pct", "anak_terjangkau", "belanja_per_anak_terjangkau",
    "belanja_per_stunting", "skor_aksi", "nilai_aksi", "predikat_aksi", "aksi_selesai", "hilang",
]


def settings() -> dict:
    """``analysis/data/config/studi_tiru.yaml``."""
    from analysis.config import load_settings

    return load_settings("studi_tiru")


# ------------------------------------------------------------------ one district ----

@dataclass
class Daerah:
    """Everything the comparison needs about one district and year.

    Attributes
    ----------
    kab, nama : str
        Kemendagri code and name.
    peran : str
        ``"tuan_rumah"``, ``"tamu"`` or ``"provinsi"`` (a district of a province view).
    tahun : int
        Year compared.
    periode : str or None
        Weighing round of the annual register figure (``"2024-08"``).
    stunting : dict or None
        :func:`analysis.situasi.stunting_kab`: ``pct, ll, ul`` (percent), ``n``, ``stunting``,
        ``sangat_pendek``, ``anak``; None without measurements that year.
    survei : dict or None
        :func:`analysis.situasi.survei_terakhir` (``tahun, sumber, pct, keandalan, rujukan``).
    register : DataFrame
        :func:`analysis.trend.register_annual` columns, every year up to ``tahun``.
    survei_seri : DataFrame
        :func:`analysis.trend.survey_series` up to ``tahun``.
    profil : dict
        ``penduduk``, ``kecamatan``, ``desa`` (reference lists), ``keluarga``,
        ``keluarga_berisiko``, ``perkiraan_balita`` (profil desa; NaN when missing).
    cakupan : DataFrame
        :func:`analysis.coverage.indicator_summary` of the year (empty when missing).
    anggaran : dict
        First row of :func:`analysis.budget.absorption` (``pagu, realisasi, sisa,
        serapan_pct, baris``); NaN values when missing.
    biaya_per_capaian : DataFrame
        :func:`analysis.budget.cost_per_reached` (empty when budget or coverage is missing).
    aksi : DataFrame
        :func:`analysis.aksi.score_aksi` (empty when ``status_aksi`` is missing).
    aksi_total : dict or None
        :func:`analysis.aksi.overall_score`; None when ``status_aksi`` is missing.
    hilang : list of str
        Tables missing for the year (names as in ``DistrictData.missing``, without the year).
    """

    kab: str
    nama: str
    peran: str
    tahun: int
    periode: str | None
    stunting: dict | None
    survei: dict | None
    register: pd.DataFrame
    survei_seri: pd.DataFrame
    profil: dict
    cakupan: pd.DataFrame
    anggaran: dict
    biaya_per_capaian: pd.DataFrame
    aksi: pd.DataFrame
    aksi_total: dict | None
    hilang: list[str] = field(default_factory=list)


def _year(frame: pd.DataFrame, tahun: int, latest: bool = False) -> pd.DataFrame:
    """Rows of ``tahun`` (``latest``: of the latest year ≤ tahun); see ``situasi._year``."""
    from analysis import situasi

    return situasi._year(frame, tahun, latest=latest)


def hilang_tahun(missing: list[str], tahun: int) -> list[str]:
    """Table names missing for ``tahun`` from ``DistrictData.missing`` (sorted, unique).

    ``"anggaran"`` (missing every year) and ``"anggaran:2024"`` both give ``"anggaran"``;
    ``"anggaran:2023"`` is ignored for 2024.
    """
    out = {m.split(":")[0] for m in missing if ":" not in m or m.endswith(f":{int(tahun)}")}
    return sorted(out)


def ringkas(data, tahun: int, peran: str = "provinsi") -> Daerah:
    """The comparison figures of one district, computed as its own reports compute them.

    Parameters
    ----------
    data : analysis.dataset.DistrictData
        The district's canonical tables.
    tahun : int
        Year compared.
    peran : str
        ``"tuan_rumah"``, ``"tamu"`` or ``"provinsi"``.

    Returns
    -------
    Daerah
    """
    from analysis import aksi as aksi_mod
    from analysis import budget as bud
    from analysis import coverage as cov
    from analysis import prevalence as prev
    from analysis import reference, situasi, trend
    from analysis.dataset import measurements_for_year
    from analysis.errors import DataUnavailableError

    tahun = int(tahun)
    hilang = hilang_tahun(data.missing, tahun)
    years = sorted(int(y) for y in pd.unique(data.measurements["tahun"]) if int(y) <= tahun) \
        if len(data.measurements) else []
    try:
        ukur = measurements_for_year(data, tahun)
    except DataUnavailableError:
        ukur = None
        if "eppgbm" not in hilang:
            hilang.append("eppgbm")
    stunting, periode = None, None
    register = trend.register_annual(data, [y for y in years if y < tahun])
    if ukur is not None:
        # What situasi.susun computes for its summary, then situasi.stunting_kab on it.
        table = prev.prevalence_table(ukur)
        parts = SimpleNamespace(prevalensi=table, status_kab=prev.status_counts(ukur))
        stunting = situasi.stunting_kab(parts)
        periode = str(ukur["periode"].max())
        now = pd.DataFrame([{
            "tahun": tahun, "periode": periode, "n": stunting["n"],
            "stunting": stunting["stunting"], "prevalensi": stunting["pct"],
            "ci_bawah": stunting["ll"], "ci_atas": stunting["ul"],
            "sumber": f"e-PPGBM {periode}"}])
        register = now if register.empty else pd.concat([register, now], ignore_index=True)
    survei_seri = trend.survey_series(reference.survey_prevalence(), data.kab)
    survei_seri = survei_seri[survei_seri["tahun"] <= tahun].reset_index(drop=True)

    reg = reference.regencies()
    row = reg[reg["regency_code"].astype(str) == data.kab]
    r = row.iloc[0] if len(row) else pd.Series(dtype=object)
    prof = _year(data.profil_desa, tahun, latest=True)

    def total(col: str) -> float:
        if prof is None or prof.empty or col not in prof:
            return np.nan
        return float(pd.to_numeric(prof[col], errors="coerce").sum(min_count=1))

    profil = {
        "penduduk": float(pd.to_numeric(r.get("population_total_2024s2"), errors="coerce")),
        "kecamatan": float(pd.to_numeric(r.get("n_districts"), errors="coerce")),
        "desa": float(pd.to_numeric(r.get("n_villages"), errors="coerce")),
        "keluarga": total("jumlah_keluarga"),
        "keluarga_berisiko": total("keluarga_berisiko_stunting"),
        "perkiraan_balita": total("perkiraan_balita"),
    }

    indicators = reference.indicators()
    cov_now = _year(data.coverage, tahun)
    cakupan = (cov.indicator_summary(cov.coverage_table(cov_now, indicators))
               if len(cov_now) else pd.DataFrame())
    if cov_now.empty and "cakupan_layanan" not in hilang:
        hilang.append("cakupan_layanan")
    budget = _year(data.budget, tahun)
    if budget.empty:
        if "anggaran" not in hilang:
            hilang.append("anggaran")
        anggaran = {k: np.nan for k in bud.ABSORPTION_COLUMNS}
        per_reached = pd.DataFrame()
    else:
        anggaran = bud.absorption(budget).iloc[0].to_dict()
        per_reached = (bud.cost_per_reached(budget, cov_now, indicators) if len(cov_now)
                       else pd.DataFrame())
    aksi_now = _year(data.aksi, tahun)
    if aksi_now.empty:
        if "status_aksi" not in hilang:
            hilang.append("status_aksi")
        scored, aksi_total = pd.DataFrame(), None
    else:
        rubric = aksi_mod.load_rubric()
        scored = aksi_mod.score_aksi(aksi_now, _dt.date(tahun, 12, 31), rubric)
        aksi_total = aksi_mod.overall_score(scored, rubric)
    return Daerah(kab=data.kab, nama=data.nama, peran=peran, tahun=tahun, periode=periode,
                  stunting=stunting, survei=situasi.survei_terakhir(data.kab, tahun),
                  register=register, survei_seri=survei_seri, profil=profil, cakupan=cakupan,
                  anggaran=anggaran, biaya_per_capaian=per_reached, aksi=scored,
                  aksi_total=aksi_total, hilang=sorted(set(hilang)))


def catatan_hilang(hilang: list[str]) -> str:
    """``["anggaran", "status_aksi"]`` → ``"anggaran, status aksi tidak tersedia"`` ('' if none)."""
    if not hilang:
        return ""
    return ", ".join(TABEL_LABEL.get(h, h) for h in hilang) + " tidak tersedia"


# ------------------------------------------------------------------ frames ----

def tabel_daerah(daerah: list[Daerah], indikator_terjangkau: str | None = None) -> pd.DataFrame:
    """One row per district: the figures every section compares.

    Parameters
    ----------
    daerah : list of Daerah
    indikator_terjangkau : str, optional
        Indicator whose ``capaian`` counts the children reached (default from the settings).

    Returns
    -------
    DataFrame
        :data:`DAERAH_COLUMNS`: ``kab, nama, peran`` (Indonesian role), profile counts
        (``penduduk, kecamatan, desa, keluarga, keluarga_berisiko, perkiraan_balita``),
        ``periode``, register figures (``diukur`` children in the round, ``n`` with a usable
        HAZ, ``stunting``, ``sangat_pendek``, ``pct, ll, ul``), ``cakupan_ukur_pct``
        (measured ÷ estimated balita), latest survey (``survei_pct, survei_sumber,
        survei_tahun, survei_keandalan``), budget (``pagu, realisasi, serapan_pct``),
        ``anak_terjangkau`` and ``belanja_per_anak_terjangkau``, ``belanja_per_stunting``
        (:func:`analysis.budget.cost_per_stunted`), 8-aksi ``skor_aksi, nilai_aksi,
        predikat_aksi, aksi_selesai``, ``hilang`` (note naming missing tables). Missing
        figures are NaN, never 0.
    """
    from analysis import budget as bud

    code = indikator_terjangkau or settings().get("indikator_anak_terjangkau", "TUMBUH_KEMBANG")
    rows = []
    for d in daerah:
        st = d.stunting or {}
        sv = d.survei or {}
        a = d.anggaran
        reached = np.nan
        if len(d.cakupan):
            hit = d.cakupan[d.cakupan["kode_indikator"].astype(str) == code]
            if len(hit):
                reached = float(hit["capaian"].sum())
        realisasi = float(a.get("realisasi", np.nan))
        stunted = st.get("stunting", np.nan)
        if np.isnan(realisasi) or pd.isna(stunted):
            per_stunted = np.nan
        else:
            per_stunted = bud.cost_per_stunted(pd.DataFrame({"pagu": [a["pagu"]],
                                                             "realisasi": [realisasi]}),
                                               int(stunted))
        balita = d.profil.get("perkiraan_balita", np.nan)
        diukur = st.get("anak", np.nan)
        rows.append({
            "kab": d.kab, "nama": d.nama, "peran": PERAN_LABEL.get(d.peran, d.peran),
            **{k: d.profil.get(k, np.nan) for k in ("penduduk", "kecamatan", "desa", "keluarga",
                                                    "keluarga_berisiko", "perkiraan_balita")},
            "periode": d.periode, "diukur": diukur, "n": st.get("n", np.nan),
            "stunting": stunted, "sangat_pendek": st.get("sangat_pendek", np.nan),
            "pct": st.get("pct", np.nan), "ll": st.get("ll", np.nan), "ul": st.get("ul", np.nan),
            "cakupan_ukur_pct": (100 * diukur / balita if pd.notna(diukur) and pd.notna(balita)
                                 and balita > 0 else np.nan),
            "survei_pct": sv.get("pct", np.nan),
            "survei_sumber": f"{sv['sumber']} {sv['tahun']}" if sv else None,
            "survei_tahun": sv.get("tahun", np.nan), "survei_keandalan": sv.get("keandalan"),
            "pagu": float(a.get("pagu", np.nan)), "realisasi": realisasi,
            "serapan_pct": float(a.get("serapan_pct", np.nan)),
            "anak_terjangkau": reached,
            "belanja_per_anak_terjangkau": (realisasi / reached if pd.notna(reached)
                                            and reached > 0 else np.nan),
            "belanja_per_stunting": per_stunted,
            "skor_aksi": (d.aksi_total or {}).get("skor", np.nan),
            "nilai_aksi": (d.aksi_total or {}).get("nilai"),
            "predikat_aksi": (d.aksi_total or {}).get("predikat"),
            "aksi_selesai": (d.aksi_total or {}).get("selesai", np.nan),
            "hilang": catatan_hilang(d.hilang),
        })
    out = pd.DataFrame(rows, columns=DAERAH_COLUMNS)
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
        no rows (they are named in their ``hilang`` note).
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
        ``kab, nama, seri`` (``"survei"``/``"register"``), ``tahun``, ``sumber``
        (``"SSGI 2022"``, ``"e-PPGBM Agustus 2024"``), ``prevalensi``, ``ci_bawah``, ``ci_atas``
        (register only), ``keandalan`` (survey only).
    """
    cols = ["kab", "nama", "seri", "tahun", "sumber", "prevalensi", "ci_bawah", "ci_atas",
            "keandalan"]
    parts = []
    for d in daerah:
        s = d.survei_seri
        if len(s):
            parts.append(pd.DataFrame({"kab": d.kab, "nama": d.nama, "seri": "survei",
                                       "tahun": s["tahun"].astype(int), "sumber": s["sumber"],
                                       "prevalensi": s["prevalensi"].astype(float),
                                       "ci_bawah": np.nan, "ci_atas": np.nan,
                                       "keandalan": s["keandalan"]}))
        r = d.register
        if len(r):
            from analysis.situasi import nama_periode

            label = ["e-PPGBM " + nama_periode(str(x)) for x in r["periode"]]
            parts.append(pd.DataFrame({"kab": d.kab, "nama": d.nama, "seri": "register",
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

    Parameters
    ----------
    tren : DataFrame
        :func:`tren_panjang` output.

    Returns
    -------
    DataFrame
        ``kab, nama, seri, tahun_awal, sumber_awal, p_awal, tahun_akhir, sumber_akhir,
        p_akhir, aarr`` (fraction per year, :func:`analysis.trend.aarr`; NaN with fewer than
        two points). Survey and register are separate rows: never mixed.
    """
    from analysis import trend

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
    return pd.DataFrame(rows, columns=["kab", "nama", "seri", "tahun_awal", "sumber_awal",
                                       "p_awal", "tahun_akhir", "sumber_akhir", "p_akhir",
                                       "aarr"])


def aarr_sebanding(aarr: pd.DataFrame, seri: str, min_rentang: int = 2) -> pd.DataFrame:
    """AARR rows of one series that can be compared across districts.

    Keeps the rows of ``seri`` with an AARR, ending in the latest year any district reaches
    and spanning at least ``min_rentang`` years (a district whose last survey is older, or a
    one-year change, is not set against the others).
    """
    s = aarr[(aarr["seri"] == seri) & aarr["aarr"].notna()]
    if s.empty:
        return s
    s = s[(s["tahun_akhir"] == s["tahun_akhir"].max())
          & ((s["tahun_akhir"] - s["tahun_awal"]) >= int(min_rentang))]
    return s.reset_index(drop=True)


# ------------------------------------------------------------------ fair ranking ----

def peringkat(frame: pd.DataFrame, level: float = 0.95,
              z: tuple[float, float] = FUNNEL_Z) -> pd.DataFrame:
    """Rank districts on register prevalence without ranking on noise.

    Parameters
    ----------
    frame : DataFrame
        One row per district: ``kab``, ``nama``, ``n`` (children with HAZ), ``stunting``
        (of whom stunted), ``pct`` (percent); NaN ``n`` for a district without data.
    level : float
        Confidence level of the pairwise differences.
    z : (float, float)
        Funnel limits (95 % and 99.8 %).

    Returns
    -------
    DataFrame
        The input plus ``p0`` (pooled prevalence of the districts with data, percent),
        ``batas95_bawah, batas95_atas, batas998_bawah, batas998_atas`` (funnel limits at the
        district's ``n``, percent), ``posisi_funnel`` (``"di atas 99,8 %"``, ``"di atas
        95 %"``, ``"dalam batas 95 %"``, ``"di bawah 95 %"``, ``"di bawah 99,8 %"``),
        ``lebih_rendah_dari`` (districts whose prevalence is higher by more than the noise),
        ``lebih_tinggi_dari`` (lower by more than the noise), ``peringkat`` (1 = lowest
        prevalence), ``peringkat_min``, ``peringkat_maks`` (the ranks consistent with the
        noise: 1 + districts surely lower … N − districts surely higher), ``rentang_peringkat``
        (text, ``"1–3"``). NaN/NA for a district without data.

    Notes
    -----
    Pairwise differences use Newcombe's interval (:func:`analysis.stats.diff_ci`) on the
    counts; a district is placed above another only when their difference is larger than its
    noise. The funnel shows each district against the pooled prevalence with limits that
    narrow as the number of children grows (Spiegelhalter 2005).
    """
    from analysis.stats import diff_ci, funnel_limits

    out = frame.copy()
    ok = out["n"].notna() & (pd.to_numeric(out["n"], errors="coerce") > 0)
    n = pd.to_numeric(out["n"], errors="coerce").astype(float)
    x = pd.to_numeric(out["stunting"], errors="coerce").astype(float)
    p0 = float(x[ok].sum() / n[ok].sum()) if ok.any() else np.nan
    out["p0"] = 100 * p0
    for zz, name in ((z[0], "95"), (z[1], "998")):
        lo, hi = funnel_limits(p0, n.where(ok), zz)
        out[f"batas{name}_bawah"] = 100 * lo
        out[f"batas{name}_atas"] = 100 * hi
    p = 100 * x / n
    pos = np.select(
        [p > out["batas998_atas"], p > out["batas95_atas"], p < out["batas998_bawah"],
         p < out["batas95_bawah"]],
        ["di atas 99,8 %", "di atas 95 %", "di bawah 99,8 %", "di bawah 95 %"],
        "dalam batas 95 %")
    out["posisi_funnel"] = pd.Series(pos, index=out.index, dtype="object").where(ok)
    idx = list(out.index[ok])
    lower_than = pd.Series(0, index=out.index, dtype="Int64")
    higher_than = pd.Series(0, index=out.index, dtype="Int64")
    for i in idx:
        others = [j for j in idx if j != i]
        if not others:
            continue
        d = diff_ci([x[i]] * len(others), [n[i]] * len(others), x[others], n[others], level)
        sig = d["significant"].to_numpy()
        diff = d["diff"].to_numpy()
        lower_than[i] = int((sig & (diff < 0)).sum())
        higher_than[i] = int((sig & (diff > 0)).sum())
    total = len(idx)
    out["lebih_rendah_dari"] = lower_than.where(ok)
    out["lebih_tinggi_dari"] = higher_than.where(ok)
    out["peringkat"] = p.where(ok).rank(method="min").astype("Int64")
    out["peringkat_min"] = (1 + higher_than).where(ok).astype("Int64")
    out["peringkat_maks"] = (total - lower_than).where(ok).astype("Int64")
    out["rentang_peringkat"] = [
        (str(a) if a == b else f"{a}–{b}") if pd.notna(a) else text.MISSING
        for a, b in zip(out["peringkat_min"], out["peringkat_maks"])]
    return out


# ------------------------------------------------------------------ coverage ----

def banding_cakupan(cakupan: pd.DataFrame, acuan: str | None = None,
                    level: float = 0.95) -> pd.DataFrame:
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
        One row per compared district × indicator present in both: ``kab, nama_daerah,
        kode_indikator, indikator, arah, target_pct, sasaran, capaian, cakupan_pct``,
        ``pembanding`` (host name or ``"kabupaten/kota lain"``), ``sasaran_pembanding``,
        ``capaian_pembanding``, ``cakupan_pembanding_pct``, ``selisih_pp`` (district −
        comparator, percentage points), ``bawah_pp``, ``atas_pp`` (Newcombe interval),
        ``bermakna`` (interval excludes 0: larger than its noise), ``posisi`` (from the
        district's side, taking ``arah`` into account: ``"lebih baik"``, ``"lebih buruk"``,
        ``"setara"`` when not larger than the noise), ``keunggulan_pp`` (how far the
        comparator is ahead, percentage points, positive when the comparator is better).
    """
    from analysis.stats import diff_ci

    cols = ["kab", "nama_daerah", "kode_indikator", "indikator", "arah", "target_pct",
            "sasaran", "capaian", "cakupan_pct", "pembanding", "sasaran_pembanding",
            "capaian_pembanding", "cakupan_pembanding_pct", "selisih_pp", "bawah_pp", "atas_pp",
            "bermakna", "posisi", "keunggulan_pp"]
    c = cakupan[pd.to_numeric(cakupan["sasaran"], errors="coerce") > 0].copy()
    if c.empty:
        return pd.DataFrame(columns=cols)
    if acuan is not None:
        host = c[c["kab"] == acuan]
        ref = host[["kode_indikator", "sasaran", "capaian"]].rename(
            columns={"sasaran": "sasaran_pembanding", "capaian": "capaian_pembanding"})
        name = host["nama_daerah"].iloc[0] if len(host) else acuan
        out = c[c["kab"] != acuan].merge(ref, on="kode_indikator", how="inner")
        out["pembanding"] = name
    else:
        tot = c.groupby("kode_indikator", as_index=False)[["sasaran", "capaian"]].sum()
        out = c.merge(tot.rename(columns={"sasaran": "sasaran_semua",
                                          "capaian": "capaian_semua"}),
                      on="kode_indikator", how="left")
        out["sasaran_pembanding"] = out["sasaran_semua"] - out["sasaran"]
        out["capaian_pembanding"] = out["capaian_semua"] - out["capaian"]
        out = out[out["sasaran_pembanding"] > 0].drop(columns=["sasaran_semua", "capaian_semua"])
        out["pembanding"] = "kabupaten/kota lain"
    if out.empty:
        return pd.DataFrame(columns=cols)
    out["cakupan_pembanding_pct"] = 100 * out["capaian_pembanding"] / out["sasaran_pembanding"]
    d = diff_ci(out["capaian"], out["sasaran"], out["capaian_pembanding"],
                out["sasaran_pembanding"], level)
    out["selisih_pp"] = 100 * d["diff"].to_numpy()
    out["bawah_pp"] = 100 * d["lower"].to_numpy()
    out["atas_pp"] = 100 * d["upper"].to_numpy()
    out["bermakna"] = d["significant"].to_numpy().astype(bool)
    better = np.where(out["arah"].eq("turun"), -out["selisih_pp"], out["selisih_pp"])
    out["posisi"] = np.where(~out["bermakna"], "setara",
                             np.where(better > 0, "lebih baik", "lebih buruk"))
    out["keunggulan_pp"] = -better
    return out[cols].reset_index(drop=True)


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
    for k, col in (("lebih baik", "lebih_baik"), ("lebih buruk", "lebih_buruk"),
                   ("setara", "setara")):
        out[col] = g.apply(lambda s, k=k: int((s == k).sum()))
    return out.reset_index()


# ------------------------------------------------------------------ 8 aksi ----

def tabel_aksi(daerah: list[Daerah]) -> pd.DataFrame:
    """Grade of each aksi per district, and the overall score.

    Returns
    -------
    DataFrame
        One row per aksi (``Aksi``: ``"1. Analisis Situasi"``) and a last row
        ``"Skor keseluruhan (0–100)"``; one column per district holding the grade (``A``–``D``)
        or the score; ``"tidak tersedia"`` where the district did not supply its status table.
    """
    from analysis import aksi as aksi_mod

    rubric = aksi_mod.load_rubric()
    names = {int(k): v["nama"] for k, v in rubric["aksi"].items()}
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


# ------------------------------------------------------------------ questions ----

def _frasa(kode: str, nama: str, pct: float, cfg: dict) -> str:
    template = cfg.get("frasa_indikator", {}).get(kode) or cfg.get(
        "frasa_bawaan", "mencapai cakupan {pct} untuk indikator \"{nama}\"")
    return template.format(pct=text.persen(pct, 0), nama=str(nama)[:1].lower() + str(nama)[1:])


def pertanyaan(frame: pd.DataFrame, banding: pd.DataFrame, aarr: pd.DataFrame,
               tuan_rumah: str | None = None, cfg: dict | None = None) -> pd.DataFrame:
    """Questions for the visit, generated from the largest gaps.

    Parameters
    ----------
    frame : DataFrame
        :func:`tabel_daerah` output.
    banding : DataFrame
        :func:`banding_cakupan` output (host view: visitors against the host; province view:
        each district against the rest).
    aarr : DataFrame
        :func:`tabel_aarr` output.
    tuan_rumah : str, optional
        Host code; ``None`` for the province view (questions go to the district that leads).
    cfg : dict, optional
        Settings (default :func:`settings`).

    Returns
    -------
    DataFrame
        ``pertanyaan`` (Indonesian, Markdown), ``alasan`` (the gap with its numbers),
        ``topik`` (``cakupan``/``tren``/``pengukuran``/``anggaran``/``aksi``), ``kab``
        (district asked), ``bobot`` (gap size used for ordering); at most ``pertanyaan.maks``
        rows, largest gaps first. Coverage gaps count only when larger than their noise and
        at least ``min_selisih_pp``.
    """
    cfg = cfg or settings()
    q = cfg.get("pertanyaan", {})
    rows: list[dict] = []
    names = frame.set_index("kab")["nama"].to_dict()

    # Coverage: a district ahead of its comparator by more than the noise and the threshold.
    if len(banding):
        b = banding[banding["bermakna"]
                    & (banding["keunggulan_pp"].abs() >= float(q.get("min_selisih_pp", 5)))]
        if tuan_rumah is not None:
            host_name = names.get(tuan_rumah, tuan_rumah)
            ahead = b[b["keunggulan_pp"] > 0]
            for kode, g in ahead.groupby("kode_indikator", sort=False):
                top = g.sort_values("keunggulan_pp", ascending=False)
                r = top.iloc[0]
                others = text.daftar([f"{x.nama_daerah} {text.persen(x.cakupan_pct, 0)}"
                                      for x in top.itertuples()])
                rows.append({
                    "pertanyaan": f"Bagaimana {host_name} "
                                  f"{_frasa(kode, r['indikator'], r['cakupan_pembanding_pct'], cfg)}?",
                    "alasan": f"Tamu: {others}; selisih sampai "
                              f"{text.angka(r['keunggulan_pp'], 1)} poin persen, lebih besar "
                              "dari galat acaknya.",
                    "topik": "cakupan", "kab": tuan_rumah, "bobot": float(r["keunggulan_pp"])})
            behind = b[b["keunggulan_pp"] < 0].sort_values("keunggulan_pp")
            for kode, g in behind.groupby("kode_indikator", sort=False):
                r = g.iloc[0]  # the visitor furthest ahead of the host
                rows.append({
                    "pertanyaan": f"Bagaimana {r['nama_daerah']} "
                                  f"{_frasa(kode, r['indikator'], r['cakupan_pct'], cfg)}?",
                    "alasan": f"Tuan rumah {host_name} "
                              f"{text.persen(r['cakupan_pembanding_pct'], 0)}; selisih "
                              f"{text.angka(-r['keunggulan_pp'], 1)} poin persen, lebih besar "
                              "dari galat acaknya.",
                    "topik": "cakupan", "kab": r["kab"], "bobot": float(-r["keunggulan_pp"])})
        else:
            lead = b[b["posisi"] == "lebih baik"].sort_values("keunggulan_pp")
            for kode, g in lead.groupby("kode_indikator", sort=False):
                r = g.iloc[0]  # most negative keunggulan: the district furthest ahead
                rows.append({
                    "pertanyaan": f"Bagaimana {r['nama_daerah']} "
                                  f"{_frasa(kode, r['indikator'], r['cakupan_pct'], cfg)}?",
                    "alasan": f"Kabupaten/kota lain bersama-sama "
                              f"{text.persen(r['cakupan_pembanding_pct'], 0)}; selisih "
                              f"{text.angka(-r['keunggulan_pp'], 1)} poin persen, lebih besar "
                              "dari galat acaknya.",
                    "topik": "cakupan", "kab": r["kab"], "bobot": float(-r["keunggulan_pp"])})

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

    # Survey trend: the district that reduced prevalence fastest (AARR of the survey series).
    s = aarr_sebanding(aarr, "survei", int(q.get("min_rentang_aarr_tahun", 2)))
    best, gap, who = leader(s, "aarr")
    if best is not None and 100 * gap >= float(q.get("min_selisih_aarr_pp", 2)):
        second = s[s["kab"] != best["kab"]]
        ref = (s[s["kab"] == tuan_rumah]["aarr"].iloc[0] if "tuan rumah" in who
               else second["aarr"].max())
        rows.append({
            "pertanyaan": f"Apa yang dilakukan {best['nama']} sehingga prevalensi stunting "
                          f"menurut survei turun dari {text.persen(best['p_awal'])} "
                          f"({best['sumber_awal']}) menjadi {text.persen(best['p_akhir'])} "
                          f"({best['sumber_akhir']})?",
            "alasan": f"AARR survei {text.persen(100 * best['aarr'])} per tahun; {who}: "
                      f"{text.persen(100 * ref)} per tahun.",
            "topik": "tren", "kab": best["kab"], "bobot": 100 * gap})

    def ask(col: str, threshold: str, default: float, question: str, reason: str,
            topik: str) -> None:
        best, gap, who = leader(frame, col)
        if best is None or not gap >= float(q.get(threshold, default)):
            return
        ref = best[col] - gap
        rows.append({"pertanyaan": question.format(nama=best["nama"],
                                                   nilai=text.persen(best[col], 0)),
                     "alasan": reason.format(who=who, nilai=text.persen(ref, 0)),
                     "topik": topik, "kab": best["kab"], "bobot": gap})

    ask("cakupan_ukur_pct", "min_selisih_ukur_pp", 10,
        "Bagaimana {nama} mengukur {nilai} perkiraan balita pada putaran penimbangan?",
        "Cakupan pengukuran {who}: {nilai} dari perkiraan balita.", "pengukuran")
    ask("serapan_pct", "min_selisih_serapan_pp", 10,
        "Bagaimana {nama} merealisasikan {nilai} anggaran percepatan penurunan stunting?",
        "Serapan {who}: {nilai}.", "anggaran")

    # 8 aksi: the overall score (any lead).
    best, gap, who = leader(frame, "skor_aksi")
    if best is not None and gap > 0:
        rows.append({
            "pertanyaan": f"Bagaimana {best['nama']} melaksanakan 8 aksi konvergensi sampai "
                          f"mencapai skor {text.angka(best['skor_aksi'], 1)} "
                          f"({text.angka(best['aksi_selesai'])} aksi selesai)?",
            "alasan": f"Skor 8 aksi {who}: {text.angka(best['skor_aksi'] - gap, 1)}.",
            "topik": "aksi", "kab": best["kab"], "bobot": float(gap)})

    out = pd.DataFrame(rows, columns=["pertanyaan", "alasan", "topik", "kab", "bobot"])
    out = out.sort_values("bobot", ascending=False, kind="stable")
    return out.head(int(q.get("maks", 8))).reset_index(drop=True)


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
    pertanyaan : DataFrame
        :func:`pertanyaan`.
    cfg : dict
        Settings.
    """

    tahun: int
    tuan_rumah: str | None
    provinsi: str | None
    daerah: list[Daerah]
    tanpa_data: list[str]
    frame: pd.DataFrame
    ranking: pd.DataFrame
    cakupan: pd.DataFrame
    banding: pd.DataFrame
    tren: pd.DataFrame
    aarr: pd.DataFrame
    pertanyaan: pd.DataFrame
    cfg: dict

    @property
    def provinsi_view(self) -> bool:
        """True for the province view."""
        return self.provinsi is not None


def pilih_daerah(tuan_rumah: str, tamu: str, provinsi: str,
                 data_root: Path) -> tuple[list[tuple[str, str]], list[str]]:
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
    from analysis import reference
    from analysis.errors import ParameterError

    if provinsi:
        prov = str(provinsi).strip()
        reg = reference.regencies()
        codes = sorted(reg.loc[reg["province_code"].astype(str) == prov, "regency_code"].astype(str))
        have = [c for c in codes if (Path(data_root) / c).is_dir()]
        return [(c, "provinsi") for c in have], [c for c in codes if c not in have]
    host = str(tuan_rumah or "").strip()
    if not host:
        raise ParameterError("tuan_rumah", "wajib diisi bila provinsi kosong (mis. 64.02).")
    guests = [c.strip() for c in str(tamu or "").split(",") if c.strip()]
    if host in guests:
        raise ParameterError("tamu", f"'{host}' adalah tuan rumah; tamu harus daerah lain.")
    if not guests:
        raise ParameterError("tamu", "isi setidaknya satu kode tamu (mis. 64.08,64.74).")
    return [(host, "tuan_rumah")] + [(g, "tamu") for g in dict.fromkeys(guests)], []


def bandingkan(daerah: list[Daerah], tahun: int, tuan_rumah: str | None = None,
               provinsi: str | None = None, tanpa_data: list[str] | None = None,
               cfg: dict | None = None) -> StudiTiru:
    """Run every comparison on already summarised districts (pure).

    Parameters
    ----------
    daerah : list of Daerah
        From :func:`ringkas`.
    tahun : int
    tuan_rumah : str, optional
        Host code (host view); None for the province view.
    provinsi : str, optional
        Province code of the province view.
    tanpa_data : list of str, optional
        Province districts without data (named in the report).
    cfg : dict, optional
        Settings (default :func:`settings`).
    """
    cfg = cfg or settings()
    level = 1 - float(cfg.get("alpha", 0.05))
    frame = tabel_daerah(daerah, cfg.get("indikator_anak_terjangkau"))
    ranking = peringkat(frame, level)
    cak = cakupan_panjang(daerah)
    host = None if provinsi else tuan_rumah
    banding = banding_cakupan(cak, host, level)
    tren = tren_panjang(daerah)
    aarr = tabel_aarr(tren)
    q = pertanyaan(frame, banding, aarr, host, cfg)
    return StudiTiru(tahun=int(tahun), tuan_rumah=host, provinsi=provinsi or None, daerah=daerah,
                     tanpa_data=list(tanpa_data or []), frame=frame, ranking=ranking,
                     cakupan=cak, banding=banding, tren=tren, aarr=aarr, pertanyaan=q, cfg=cfg)


def susun(tuan_rumah: str, tamu: str, provinsi: str, tahun: int,
          data_dir: str | Path | None = None) -> StudiTiru:
    """Load every district (Parquet cache of ``load_district``) and compare them.

    Parameters
    ----------
    tuan_rumah, tamu, provinsi : str
        As the notebook parameters (``provinsi`` non-empty = province view).
    tahun : int
    data_dir : str or Path, optional
        Data root; empty/None = the demo data.
    """
    from analysis import config
    from analysis.dataset import ensure_demo, load_district

    root = Path(data_dir) if data_dir else None
    if root is None and not provinsi:
        ensure_demo([tuan_rumah] + [c.strip() for c in str(tamu).split(",") if c.strip()])
    pilihan, tanpa = pilih_daerah(tuan_rumah, tamu, provinsi,
                                  root if root is not None else config.DEMO_DIR)
    daerah = [ringkas(load_district(kab, root), tahun, peran) for kab, peran in pilihan]
    return bandingkan(daerah, tahun, tuan_rumah=tuan_rumah, provinsi=provinsi or None,
                      tanpa_data=tanpa)


# ------------------------------------------------------------------ report helpers ----

def label_daerah(st: StudiTiru) -> dict[str, str]:
    """District code → short name for charts (``"Kutai Kartanegara"``)."""
    from analysis import reference

    reg = reference.regencies().set_index("regency_code")
    out = {}
    for d in st.daerah:
        short = reg["regency_name_short"].get(d.kab) if d.kab in reg.index else None
        out[d.kab] = str(short) if isinstance(short, str) and short else d.nama
    return out


def label_indikator(st: StudiTiru) -> dict[str, str]:
    """Indicator code → short label for charts."""
    return dict(st.cfg.get("label_indikator", {}))


def _nama(st: StudiTiru, kab: str) -> str:
    return next((d.nama for d in st.daerah if d.kab == kab), kab)


def _periode(st: StudiTiru) -> str:
    from analysis.situasi import nama_periode

    periods = sorted({d.periode for d in st.daerah if d.periode})
    return text.daftar([nama_periode(p) for p in periods]) if periods else str(st.tahun)


def subjudul(st: StudiTiru) -> str:
    """The line under the title naming who is compared."""
    if st.provinsi_view:
        return (f"Perbandingan {text.angka(len(st.daerah))} kabupaten/kota di "
                f"{_nama_provinsi(st.provinsi)}, tahun {st.tahun}")
    guests = [d.nama for d in st.daerah if d.peran == "tamu"]
    return f"Tuan rumah {_nama(st, st.tuan_rumah)}; tamu {text.daftar(guests)}"


def _nama_provinsi(code: str) -> str:
    from analysis.render import paths

    return paths.area_name(code)


def sumber_data(st: StudiTiru) -> dict[str, str]:
    """Data sources and their dates for the title block."""
    out = {"e-PPGBM (register penimbangan)": f"putaran {_periode(st)}"}
    surveys = sorted({str(d.survei["sumber"]) + " " + str(d.survei["tahun"])
                      for d in st.daerah if d.survei})
    if surveys:
        out["Survei (SSGI/SKI)"] = text.daftar(surveys)
    out["Cakupan layanan, anggaran, status 8 aksi"] = f"tahun {st.tahun}"
    out["Penduduk, kecamatan, desa/kelurahan"] = "Kemendagri"
    return out


def banding_prevalensi(frame: pd.DataFrame, acuan: str, level: float = 0.95) -> pd.DataFrame:
    """Register prevalence of each other district against the host's.

    Parameters
    ----------
    frame : DataFrame
        :func:`tabel_daerah` output (``kab, nama, n, stunting, pct``).
    acuan : str
        Host code.

    Returns
    -------
    DataFrame
        ``kab, nama, pct, pct_acuan, selisih_pp`` (district − host), ``bawah_pp, atas_pp``
        (Newcombe), ``bermakna``; empty when the host has no register figure.
    """
    from analysis.stats import diff_ci

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


def _level_pct(st: StudiTiru) -> str:
    return text.persen(100 * (1 - float(st.cfg.get("alpha", 0.05))), 0)


def tingkat_ik(st: StudiTiru) -> str:
    """Confidence level of the intervals as readers see it (``"95 %"``, from the settings)."""
    return _level_pct(st)


def kalimat_prevalensi(st: StudiTiru) -> str:
    """Register prevalence of every district, and who is lower beyond the noise."""
    f = st.frame.dropna(subset=["pct"]).sort_values("pct")
    if f.empty:
        return "Tidak ada data pengukuran e-PPGBM untuk daerah yang dibandingkan."
    lvl = _level_pct(st)
    parts = [f"{r.nama} **{text.persen(r.pct)}** (IK {lvl} {text.rentang(r.ll, r.ul)})"
             for r in f.itertuples()]
    out = (f"Prevalensi stunting register e-PPGBM ({_periode(st)}): " + "; ".join(parts) + ".")
    if not st.provinsi_view:
        b = banding_prevalensi(st.frame, st.tuan_rumah, 1 - float(st.cfg.get("alpha", 0.05)))
        host = _nama(st, st.tuan_rumah)
        bits = []
        for r in b.itertuples():
            if not r.bermakna:
                bits.append(f"setara dengan {r.nama} (selisih {text.angka(abs(r.selisih_pp), 1)} "
                            "poin persen, masih dalam batas galat acak)")
            elif r.selisih_pp > 0:
                bits.append(f"lebih rendah dari {r.nama} ({text.angka(r.selisih_pp, 1)} poin "
                            "persen, lebih besar dari galat acaknya)")
            else:
                bits.append(f"lebih tinggi dari {r.nama} ({text.angka(-r.selisih_pp, 1)} poin "
                            "persen, lebih besar dari galat acaknya)")
        if bits:
            out += f" Prevalensi register {host} " + text.daftar(bits, "serta") + "."
    else:
        r = st.ranking.dropna(subset=["pct"])
        best = r[r["peringkat_maks"] == 1]
        worst = r[r["peringkat_min"] == len(r)]
        if len(best):
            out += (f" Hanya {text.daftar(list(best['nama']))} yang pasti berperingkat pertama "
                    "(prevalensi lebih rendah dari semua daerah lain melebihi galat acak).")
        else:
            top = r[r["peringkat_min"] == 1]
            out += (" Tidak ada satu daerah pun yang pasti berperingkat pertama: "
                    f"{text.daftar(list(top['nama']))} sama-sama mungkin terendah.")
        if len(worst):
            out += f" {text.daftar(list(worst['nama']))} pasti berperingkat terakhir."
    return out


def kalimat_prevalensi_singkat(st: StudiTiru) -> str:
    """Province summary: lowest and highest register prevalence and the surely first/last."""
    r = st.ranking.dropna(subset=["pct"]).sort_values("pct")
    if r.empty:
        return "Tidak ada data pengukuran e-PPGBM untuk daerah yang dibandingkan."
    lo, hi = r.iloc[0], r.iloc[-1]
    lvl = _level_pct(st)
    out = (f"Prevalensi stunting register e-PPGBM ({_periode(st)}) berkisar dari "
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


def kalimat_survei(st: StudiTiru) -> str:
    """Latest survey figure of every district, labelled by source and year."""
    f = st.frame.dropna(subset=["survei_pct"]).sort_values("survei_pct")
    missing = st.frame[st.frame["survei_pct"].isna()]
    if f.empty:
        return "Tidak ada angka survei (SSGI/SKI) yang dipublikasikan untuk daerah yang dibandingkan."
    parts = [f"{r.nama} {text.persen(r.survei_pct)} ({r.survei_sumber}"
             + ("" if r.survei_keandalan == "dilaporkan resmi" else f", {r.survei_keandalan}")
             + ")" for r in f.itertuples()]
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


def kalimat_tren(st: StudiTiru) -> str:
    """Who reduced prevalence fastest, per series (AARR), labelled by source."""
    out = []
    minspan = int(st.cfg.get("pertanyaan", {}).get("min_rentang_aarr_tahun", 2))
    for seri, label in (("survei", "survei (SSGI/SKI)"), ("register", "register e-PPGBM")):
        s = aarr_sebanding(st.aarr, seri, minspan).sort_values("aarr", ascending=False)
        if s.empty:
            out.append(f"Laju penurunan seri {label} belum dapat dibandingkan (kurang dari dua "
                       "titik data yang sebanding).")
            continue
        r = s.iloc[0]
        sentence = (f"Menurut seri {label}, penurunan tercepat di **{r['nama']}**: dari "
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


def kalimat_cakupan(st: StudiTiru) -> str:
    """How many indicators each district is ahead or behind on, beyond the noise."""
    s = ringkas_banding(st.banding)
    no_cov = [d.nama for d in st.daerah if d.cakupan is None or d.cakupan.empty]
    if s.empty:
        out = "Cakupan layanan tidak dapat dibandingkan."
    elif not st.provinsi_view:
        host = _nama(st, st.tuan_rumah)
        bits = [f"dibanding {r.nama_daerah}, {host} lebih baik pada "
                f"{text.angka(r.lebih_buruk)}, lebih buruk pada {text.angka(r.lebih_baik)} dan "
                f"setara pada {text.angka(r.setara)} dari {text.angka(r.indikator)} indikator"
                for r in s.itertuples()]
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


def kalimat_anggaran(st: StudiTiru) -> str:
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
        parts = [f"{r.nama} {text.rupiah(getattr(r, col), compact=True)}" for r in g.itertuples()]
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


def kalimat_aksi(st: StudiTiru) -> str:
    """8-aksi scores, highest first."""
    f = st.frame.dropna(subset=["skor_aksi"]).sort_values("skor_aksi", ascending=False)
    parts = [f"{r.nama} {text.angka(r.skor_aksi, 1)} ({r.nilai_aksi}, {r.predikat_aksi})"
             for r in f.itertuples()]
    out = ("Skor pelaksanaan 8 aksi konvergensi (0–100, rubrik yang sama untuk semua daerah): "
           + "; ".join(parts) + ".") if parts else "Status 8 aksi tidak tersedia."
    gone = st.frame[st.frame["skor_aksi"].isna()]
    if len(gone) and parts:
        out += f" Status aksi tidak tersedia untuk {text.daftar(list(gone['nama']))}."
    return out


def kalimat_profil(st: StudiTiru) -> str:
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


def pesan_utama(st: StudiTiru) -> list[str]:
    """The plain-words summary: who is ahead on what (Markdown bullets)."""
    out = [kalimat_prevalensi(st) if not st.provinsi_view else kalimat_prevalensi_singkat(st)]
    f = st.frame.dropna(subset=["survei_pct"])
    if len(f):
        latest = f[f["survei_tahun"] == f["survei_tahun"].max()].sort_values("survei_pct")
        r = latest.iloc[0]
        both = f.dropna(subset=["pct"])
        higher = int((both["survei_pct"] > both["pct"]).sum())
        if len(both) and higher == len(both):
            rel = "di setiap daerah angka survei lebih tinggi dari angka register"
        else:
            rel = (f"angka survei lebih tinggi dari angka register di {text.angka(higher)} dari "
                   f"{text.angka(len(both))} daerah")
        out.append(f"Menurut survei terakhir ({r['survei_sumber']}), prevalensi terendah di "
                   f"**{r['nama']}** ({text.persen(r['survei_pct'])}); {rel}, dan kedua seri "
                   "tidak dicampur.")
    out.append(kalimat_tren(st))
    out.append(kalimat_cakupan(st))
    f = st.frame.dropna(subset=["skor_aksi"]).sort_values("skor_aksi", ascending=False)
    if len(f):
        top = f[f["skor_aksi"] == f["skor_aksi"].iloc[0]]
        out.append(f"Skor 8 aksi tertinggi: {text.daftar(list(top['nama']))} "
                   f"({text.angka(top['skor_aksi'].iloc[0], 1)} dari 100).")
    if len(st.pertanyaan):
        out.append(f"{text.angka(len(st.pertanyaan))} pertanyaan untuk kunjungan disusun dari "
                   "selisih terbesar (bagian Pertanyaan untuk kunjungan).")
    return out


def catatan_data(st: StudiTiru) -> str:
    """Missing tables and districts without data ('' when none)."""
    bits = [f"{r.nama}: {r.hilang}" for r in st.frame.itertuples() if r.hilang]
    out = ""
    if bits:
        out = ("Tabel yang tidak diserahkan: " + "; ".join(bits) + ". Angka yang memerlukannya "
               "ditulis sebagai tidak tersedia (–), tidak pernah nol.")
    if st.tanpa_data:
        from analysis import reference

        names = [reference.district_name(k) for k in st.tanpa_data]
        out += (" " if out else "") + (f"Tidak ada data untuk {text.daftar(names)}: daerah ini "
                                       "tidak ikut dibandingkan.")
    return out


def _rp(value) -> str:
    return text.rupiah(value, compact=True)


def tabel_profil(st: StudiTiru) -> pd.DataFrame:
    """Side-by-side profile.

    Host view: one row per measure, one column per district (host first). Province view: one
    row per district. Missing values are ``–`` (never 0); the last row/column names the tables
    a district did not supply.
    """
    f = st.frame
    lab = label_daerah(st)
    measured = f"Balita diukur ({_periode(st)})" if st.frame["periode"].nunique() <= 1 else \
        "Balita diukur (putaran terakhir)"
    if st.provinsi_view:
        out = pd.DataFrame({
            "Kabupaten/kota": [lab.get(k, k) for k in f["kab"]],
            "Penduduk": f["penduduk"].astype("Int64"),
            "Balita": f["perkiraan_balita"].round().astype("Int64"),
            "Diukur": f["diukur"],
            "Diukur (%)": f["cakupan_ukur_pct"],
            "Realisasi (Rp miliar)": f["realisasi"] / 1e9,
        })
        if f["hilang"].astype(bool).any():
            out["Catatan"] = f["hilang"].fillna("")
        return out
    rows = [
        ("Peran", list(f["peran"])),
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
    if f["hilang"].astype(bool).any():
        rows.append(("Data tidak tersedia", [h or "" for h in f["hilang"]]))
    out = pd.DataFrame({"Ukuran": [r[0] for r in rows]})
    for i, kab in enumerate(f["kab"]):
        out[lab.get(kab, kab)] = [r[1][i] for r in rows]
    return out


def tabel_peringkat(st: StudiTiru) -> pd.DataFrame:
    """Register prevalence with CI, funnel position and rank interval, lowest first."""
    r = st.ranking.sort_values("pct", na_position="last")
    lab = label_daerah(st)
    return pd.DataFrame({
        "Kabupaten/kota": [lab.get(k, k) for k in r["kab"]],
        "Diukur": r["n"],
        "Stunting": r["stunting"],
        f"Register (IK {_level_pct(st)})": [
            f"{text.persen(p)} ({text.rentang(a, b, unit='')})" if pd.notna(p) else text.MISSING
            for p, a, b in zip(r["pct"], r["ll"], r["ul"])],
        "Plot corong": r["posisi_funnel"].fillna(text.MISSING),
        "Peringkat": r["rentang_peringkat"],
        "Survei terakhir": [f"{text.persen(p)} ({s})" if pd.notna(p) else text.MISSING
                            for p, s in zip(r["survei_pct"], r["survei_sumber"])],
    })


def tabel_tren(st: StudiTiru) -> pd.DataFrame:
    """AARR per district and series, labelled with the sources at both ends."""
    a = st.aarr.copy()
    seri = {"survei": "Survei", "register": "Register"}
    minspan = int(st.cfg.get("pertanyaan", {}).get("min_rentang_aarr_tahun", 2))
    ok = set()
    for name in ("survei", "register"):
        ok |= {(k, name) for k in aarr_sebanding(st.aarr, name, minspan)["kab"]}
    a["_o"] = a["seri"].map({"survei": 0, "register": 1})
    a["_tidak"] = [(k, sr) not in ok for k, sr in zip(a["kab"], a["seri"])]
    a = a.sort_values(["_o", "_tidak", "aarr"], ascending=[True, True, False],
                      na_position="last")
    last = a.groupby("seri")["tahun_akhir"].transform("max")
    note = np.where([(k, sr) in ok for k, sr in zip(a["kab"], a["seri"])], "",
                    np.where(a["aarr"].isna(), "satu titik",
                             np.where(a["tahun_akhir"] < last, "titik akhir lebih lama",
                                      "rentang pendek")))
    return pd.DataFrame({
        "Kabupaten/kota": a["nama"],
        "Seri": a["seri"].map(seri),
        "Awal": [f"{text.persen(p)} ({s})" for p, s in zip(a["p_awal"], a["sumber_awal"])],
        "Akhir": [f"{text.persen(p)} ({s})" for p, s in zip(a["p_akhir"], a["sumber_akhir"])],
        "AARR (% per tahun)": 100 * a["aarr"],
        "Catatan": note,
    })


def tabel_cakupan_tamu(st: StudiTiru) -> pd.DataFrame:
    """Host view: each indicator's coverage, host then visitors with their difference."""
    lab = label_daerah(st)
    host = st.cakupan[st.cakupan["kab"] == st.tuan_rumah].copy()
    host["_o"] = host["jenis"].map({"spesifik": 0, "sensitif": 1})
    host = host.sort_values(["_o", "kode_indikator"], kind="stable")
    short = label_indikator(st)
    out = pd.DataFrame({"Indikator": [short.get(k, n) for k, n in
                                      zip(host["kode_indikator"], host["indikator"])],
                        "Target (%)": host["target_pct"].to_numpy(),
                        f"{lab.get(st.tuan_rumah)} (%)": host["cakupan_pct"].to_numpy()})
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
            diff = round(float(r["selisih_pp"]), 1)
            sign = "+" if diff > 0 else ("−" if diff < 0 else "")
            cells.append(f"{text.angka(r['cakupan_pct'], 1)} ({sign}"
                         f"{text.angka(abs(r['selisih_pp']), 1)}){'*' if r['bermakna'] else ''}")
        out[f"{lab.get(d.kab, d.kab)} (%)"] = cells
    return out


def tabel_selisih_provinsi(st: StudiTiru) -> pd.DataFrame:
    """Province view: the largest differences from the other districts beyond the noise."""
    lab = label_indikator(st)
    b = st.banding[st.banding["bermakna"]].copy()
    b["_abs"] = b["keunggulan_pp"].abs()
    b = b.sort_values("_abs", ascending=False).head(int(st.cfg.get("maks_baris_selisih", 15)))
    names = label_daerah(st)

    def signed(v: float) -> str:
        v = round(float(v), 1)
        return ("+" if v > 0 else "−" if v < 0 else "") + text.angka(abs(v), 1)

    return pd.DataFrame({
        "Kabupaten/kota": [names.get(k, k) for k in b["kab"]],
        "Indikator": [lab.get(k, n) for k, n in zip(b["kode_indikator"], b["indikator"])],
        "Cakupan (%)": b["cakupan_pct"],
        "Lainnya (%)": b["cakupan_pembanding_pct"],
        f"Selisih, poin persen (IK {_level_pct(st)})": [
            f"{signed(d)} ({signed(a)} s.d. {signed(c)})"
            for d, a, c in zip(b["selisih_pp"], b["bawah_pp"], b["atas_pp"])],
        "Posisi": b["posisi"],
    })


def tabel_anggaran(st: StudiTiru) -> pd.DataFrame:
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


def tabel_biaya_indikator(st: StudiTiru) -> pd.DataFrame:
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


def tabel_aksi_singkat(st: StudiTiru) -> pd.DataFrame:
    """:func:`tabel_aksi` with short district names; in the province view one row per
    district and one column per aksi (``Aksi 1`` … ``Aksi 8``, ``Skor``)."""
    lab = label_daerah(st)
    t = tabel_aksi(st.daerah).rename(columns={d.nama: lab.get(d.kab, d.nama) for d in st.daerah})
    if not st.provinsi_view:
        return t
    wide = t.set_index("Aksi").T
    wide.columns = [f"Aksi {i}" for i in range(1, len(wide.columns))] + ["Skor"]
    return wide.rename_axis("Kabupaten/kota").reset_index()


def tabel_pertanyaan(st: StudiTiru) -> pd.DataFrame:
    """The questions, numbered, with who is asked and why."""
    p = st.pertanyaan
    return pd.DataFrame({"No.": range(1, len(p) + 1), "Pertanyaan": p["pertanyaan"],
                         "Ditujukan kepada": [_nama(st, k) for k in p["kab"]],
                         "Dasar (selisih)": p["alasan"]})


def angka_kunci(st: StudiTiru) -> list[dict]:
    """Key figures per district for ``Laporan.angka_kunci`` (keyword dicts)."""
    from analysis.situasi import nama_periode

    out = []
    aarr = st.aarr.set_index(["kab", "seri"]) if len(st.aarr) else None
    for r in st.frame.itertuples():
        k = r.kab.replace(".", "_")
        src = f"e-PPGBM {nama_periode(r.periode)}" if r.periode else "e-PPGBM"
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
