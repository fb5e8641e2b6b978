"""Data quality of child anthropometry: WHO flags, distribution of z, digit preference,
age heaping, sex and age ratios, duplicates, and the SMART-style plausibility score.

The thresholds, penalties and categories are data (``analysis/data/config/kualitas_data.yaml``,
model :class:`analysis.pengaturan.KualitasData`, passed in by the caller; from domain.md §7 /
ENA for SMART as reproduced by mwana and nipnTK). The checks are signals, not verdicts: a real
shock or ages recorded in whole years can trip them. Categories are
:class:`analysis.kode.KategoriKualitas` codes; their words come from ``analysis/kode.csv``.

Main entry points
-----------------
``quality_table(frame, cfg, by="puskesmas")``
    One row per group (plus the whole district first) with every metric, the penalties,
    the score and its category.
``worst_groups(frame, cfg, by="posyandu", n=10)``
    The n scored groups with the highest score.
``verdict(row, cfg)``
    A plain-language Indonesian paragraph on how far the prevalence can be trusted.

Input frame columns: ``sex`` (1/2), ``age_days`` (days), ``weight_kg`` (kg), ``height_cm``
(cm, as measured), ``haz, whz`` (z), ``haz_flag, waz_flag, whz_flag`` (WHO flags, optional),
and optionally ``child_key`` and ``measure_date`` for duplicates, ``birth_date`` for
birthday heaping, and the grouping columns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats as st

from analysis import text
from analysis.kode import KategoriKualitas
from analysis.pengaturan import Kriteria, KualitasData

DAYS_PER_MONTH = 30.4375
Row = Mapping[str, Any] | pd.Series


def _flag(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame:
        return pd.Series(False, index=frame.index)
    s = frame[col]
    if pd.api.types.is_bool_dtype(s):
        return s.fillna(False).astype(bool)
    return pd.to_numeric(s, errors="coerce").fillna(0).astype(float).astype(bool)


# ---------------------------------------------------------------- single tests ----

def digit_preference_score(values: ArrayLike, decimals: int) -> float:
    """SMART/nipnTK digit preference score of the last recorded digit.

    Parameters
    ----------
    values : array-like of float
        Measurements (kg or cm). Missing values are ignored.
    decimals : int
        Which digit: 1 = the first decimal (0.1 kg, 0.1 cm), 0 = the units digit.

    Returns
    -------
    float
        DPS = 100 · sqrt(χ² / (n · (k − 1))) with k = 10 digits and χ² against a uniform
        distribution of the digit; 0 = no preference, 100 = all on one digit. NaN if fewer
        than 10 values.
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) < 10:
        return float("nan")
    digit = np.round(np.abs(v) * 10**decimals).astype(np.int64) % 10
    counts = np.bincount(digit, minlength=10).astype(float)
    n = counts.sum()
    expected = n / 10
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    return 100 * math.sqrt(chi2 / (n * 9))


def sex_ratio_test(sex: ArrayLike, expected: float) -> tuple[float, float]:
    """Ratio of boys to girls and the chi-square p-value against ``expected``.

    Parameters
    ----------
    sex : array-like
        1 = male, 2 = female; anything else is ignored.
    expected : float
        Expected boys per girl.

    Returns
    -------
    (ratio, p) : floats; NaN when there are no children.
    """
    s = pd.to_numeric(pd.Series(sex), errors="coerce")
    boys, girls = int((s == 1).sum()), int((s == 2).sum())
    n = boys + girls
    if n == 0:
        return float("nan"), float("nan")
    p_boys = expected / (1 + expected)
    res = st.chisquare([boys, girls], f_exp=[n * p_boys, n * (1 - p_boys)])
    ratio = boys / girls if girls else float("inf")
    return ratio, float(res.pvalue)


def age_ratio_test(age_days: ArrayLike, expected: float) -> tuple[float, float]:
    """SMART age ratio: children 6–29 months over 30–59 months, chi-square p-value.

    Parameters
    ----------
    age_days : array-like of float
        Age in days; children outside 6–59 months are ignored.
    expected : float
        Expected ratio (0.85 in SMART).

    Returns
    -------
    (ratio, p) : floats; NaN when there are no children 6–59 months.
    """
    m = pd.to_numeric(pd.Series(age_days), errors="coerce") / DAYS_PER_MONTH
    young = int(((m >= 6) & (m < 30)).sum())
    old = int(((m >= 30) & (m < 60)).sum())
    n = young + old
    if n == 0:
        return float("nan"), float("nan")
    p_young = expected / (1 + expected)
    res = st.chisquare([young, old], f_exp=[n * p_young, n * (1 - p_young)])
    ratio = young / old if old else float("inf")
    return ratio, float(res.pvalue)


def age_heaping_index(age_days: ArrayLike) -> float:
    """Heaping of ages on whole years: observed share within ±½ month of 12, 24, 36, 48
    months, divided by the share expected without heaping (1/12).

    Returns
    -------
    float
        1 = no heaping; 2 = twice as many children at whole years as expected. Computed on
        children 6–59 months; NaN when fewer than 50.
    """
    m = pd.to_numeric(pd.Series(age_days), errors="coerce") / DAYS_PER_MONTH
    m = m[(m >= 6) & (m < 60)]
    if len(m) < 50:
        return float("nan")
    dist = np.abs(m - 12 * np.round(m / 12))
    near = (dist < 0.5) & (np.round(m / 12) >= 1)
    # whole-year points inside 6–60 months: 12, 24, 36, 48 (and the lower half at 60 is outside)
    expected = 4 * 1.0 / 54
    return float(near.mean() / expected)


def birthday_first_of_month_pct(birth_date: ArrayLike) -> float:
    """Percent of birth dates on the 1st of a month (about 3.3 % without heaping).

    A high share means birth dates were estimated ("1 Januari") rather than taken from the
    KIA book or birth certificate.
    """
    d = pd.to_datetime(pd.Series(birth_date), errors="coerce").dropna()
    if d.empty:
        return float("nan")
    return float((d.dt.day == 1).mean() * 100)


def duplicate_count(frame: pd.DataFrame) -> int:
    """Rows that repeat an earlier row of the same child on the same date.

    Uses ``child_key`` + ``measure_date`` when present, otherwise ``sex``, ``birth_date``,
    ``measure_date``, ``weight_kg``, ``height_cm`` and ``posyandu`` (those present).
    """
    if {"child_key", "measure_date"} <= set(frame.columns):
        keys = ["child_key", "measure_date"]
    else:
        keys = [c for c in ("sex", "birth_date", "measure_date", "weight_kg", "height_cm",
                            "posyandu") if c in frame.columns]
    if not keys:
        return 0
    return int(frame.duplicated(subset=keys).sum())


def smart_clean(z: ArrayLike, sd: float) -> pd.Series:
    """Z-scores with SMART flags (further than ``sd`` from the observed mean) set missing."""
    z = pd.to_numeric(pd.Series(z), errors="coerce").astype(float)
    mean = z.mean()
    return z.where((z - mean).abs() <= sd)


def distribution(z: ArrayLike, sd: float) -> dict[str, float]:
    """SD, skewness and excess kurtosis of z after SMART flags, and the % SMART-flagged.

    Returns
    -------
    dict
        ``n`` (z available), ``flag_pct`` (percent outside mean ± ``sd``), ``mean``, ``sd``,
        ``skew``, ``kurt`` (excess, 0 for a normal distribution).
    """
    z = pd.to_numeric(pd.Series(z), errors="coerce").astype(float).dropna()
    n = len(z)
    if n == 0:
        return {"n": 0, "flag_pct": np.nan, "mean": np.nan, "sd": np.nan, "skew": np.nan,
                "kurt": np.nan}
    clean = smart_clean(z, sd).dropna()
    flag_pct = (1 - len(clean) / n) * 100
    if len(clean) < 3:
        return {"n": n, "flag_pct": flag_pct, "mean": float(clean.mean()), "sd": np.nan,
                "skew": np.nan, "kurt": np.nan}
    return {
        "n": n,
        "flag_pct": flag_pct,
        "mean": float(clean.mean()),
        "sd": float(clean.std(ddof=1)),
        "skew": float(st.skew(clean, bias=False)),
        "kurt": float(st.kurtosis(clean, fisher=True, bias=False)),
    }


# ---------------------------------------------------------------- scoring ----

def grade(value: float | None, rule: Kriteria) -> int | None:
    """Grade 0 (excellent) … 3 (problematic) of one criterion; None when value is missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    kind = rule.rule
    if kind == "band":
        bands = rule.bands or ()
        for i, (lo, hi) in enumerate(bands):
            if lo <= value <= hi:
                return i
        return len(bands)
    limits = rule.limits or ()
    for i, lim in enumerate(limits):
        ok = {
            "max": value <= lim,
            "p_above": value > lim,
            "below": value < lim,
            "abs_below": abs(value) < lim,
        }[kind]
        if ok:
            return i
    return len(limits)


def category(score: float | None, cfg: KualitasData) -> KategoriKualitas:
    """Category code of a total plausibility score (``tidak_dinilai`` when missing)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return KategoriKualitas.TIDAK_DINILAI
    for cat in cfg.kategori:
        if score <= cat.max:
            return cat.kode
    return cfg.kategori[-1].kode


def metrics(frame: pd.DataFrame, cfg: KualitasData) -> dict[str, float]:
    """Every quality metric for one group of children.

    Returns
    -------
    dict
        ``anak``; ``who_flag_pct`` (percent of children with any WHO flag on HAZ, WAZ or
        WHZ); ``whz_flag_pct`` (SMART flags on WHZ, WHO-flagged counted as flagged);
        ``sd_whz, skew_whz, kurt_whz, sd_haz, skew_haz, kurt_haz``; ``dps_berat``,
        ``dps_tinggi``; ``rasio_jk`` (boys per girl), ``sex_ratio_p``; ``rasio_umur``,
        ``age_ratio_p``; ``heaping_umur`` (index, 1 = none); ``lahir_tgl1_pct``;
        ``duplikat`` (rows).
    """
    sd = cfg.smart_flag_sd
    n = len(frame)
    any_who = _flag(frame, "haz_flag") | _flag(frame, "waz_flag") | _flag(frame, "whz_flag")
    out: dict[str, float] = {"anak": n, "who_flag_pct": any_who.mean() * 100 if n else np.nan}
    whz = pd.to_numeric(frame["whz"], errors="coerce").mask(_flag(frame, "whz_flag"))
    haz = pd.to_numeric(frame["haz"], errors="coerce").mask(_flag(frame, "haz_flag"))
    dw = distribution(whz, sd)
    dh = distribution(haz, sd)
    who_whz = int(_flag(frame, "whz_flag").sum())
    whz_known = dw["n"] + who_whz
    smart_whz = dw["flag_pct"] * dw["n"] / 100 if dw["n"] else 0.0
    out["whz_flag_pct"] = (smart_whz + who_whz) / whz_known * 100 if whz_known else np.nan
    for key in ("sd", "skew", "kurt"):
        out[f"{key}_whz"] = dw[key]
        out[f"{key}_haz"] = dh[key]
    out["mean_haz"] = dh["mean"]
    dec = cfg.digit_decimals
    out["dps_berat"] = digit_preference_score(frame.get("weight_kg", pd.Series(dtype=float)), dec)
    out["dps_tinggi"] = digit_preference_score(frame.get("height_cm", pd.Series(dtype=float)), dec)
    out["rasio_jk"], out["sex_ratio_p"] = sex_ratio_test(frame["sex"], cfg.sex_ratio_expected)
    out["rasio_umur"], out["age_ratio_p"] = age_ratio_test(frame["age_days"],
                                                           cfg.age_ratio_expected)
    out["heaping_umur"] = age_heaping_index(frame["age_days"])
    out["lahir_tgl1_pct"] = (birthday_first_of_month_pct(frame["birth_date"])
                             if "birth_date" in frame else np.nan)
    out["duplikat"] = duplicate_count(frame)
    return out


def score(row: Row, cfg: KualitasData) -> dict[str, Any]:
    """Penalties per criterion, total score and category for one row of :func:`metrics`.

    A group with fewer than ``min_anak_skor`` children is not scored (score NaN, category
    ``tidak_dinilai``). A criterion that cannot be computed adds no penalty and is listed
    in ``tidak_dinilai``.
    """
    out: dict[str, Any] = {}
    missing = []
    total = 0.0
    for key, rule in cfg.kriteria.items():
        g = grade(row.get(key), rule)
        if g is None:
            missing.append(key)
            out[f"penalti_{key}"] = np.nan
            continue
        pen = float(rule.penalties[g])
        out[f"penalti_{key}"] = pen
        total += pen
    if row["anak"] < cfg.min_anak_skor:
        out["skor"] = np.nan
    else:
        out["skor"] = total
    out["kategori"] = category(out["skor"], cfg).value
    out["tidak_dinilai"] = ", ".join(missing)
    return out


def quality_table(frame: pd.DataFrame, cfg: KualitasData,
                  by: str | Sequence[str] | None = "puskesmas",
                  total_label: str = "Seluruh kabupaten/kota") -> pd.DataFrame:
    """Quality metrics, penalties, score and category per group.

    Parameters
    ----------
    frame : DataFrame
        Measurements (see module docstring), one row per measurement.
    cfg : KualitasData
        The thresholds (``kualitas_data.yaml``).
    by : str, list of str or None
        Grouping column(s); None gives the whole frame only.
    total_label : str
        Label of the first row (the whole frame) in the first ``by`` column.

    Returns
    -------
    DataFrame
        First row the whole frame, then one row per group sorted by score (worst first),
        with the ``by`` columns, every key of :func:`metrics` and :func:`score` (``kategori``
        a :class:`~analysis.kode.KategoriKualitas` code).
    """
    cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    rows = []
    whole = metrics(frame, cfg)
    whole.update(score(whole, cfg))
    rows.append({**{c: total_label for c in cols}, **whole})
    if cols:
        parts: list[dict[str, Any]] = []
        for keys, part in frame.groupby(cols, sort=True, dropna=False):
            keys = keys if isinstance(keys, tuple) else (keys,)
            m = metrics(part, cfg)
            m.update(score(m, cfg))
            parts.append({**dict(zip(cols, keys, strict=True)), **m})
        parts.sort(key=lambda r: (-(r["skor"] if not math.isnan(r["skor"]) else -1),
                                  -r["anak"]))
        rows.extend(parts)
    return pd.DataFrame(rows)


def worst_groups(frame: pd.DataFrame, cfg: KualitasData, by: str | Sequence[str],
                 n: int) -> pd.DataFrame:
    """The ``n`` scored groups with the worst (highest) plausibility score.

    Groups too small to score are left out. Returns rows of :func:`quality_table`.
    """
    table = quality_table(frame, cfg, by=by).iloc[1:]
    table = table[table["skor"].notna()]
    return table.sort_values(["skor", "anak"], ascending=[False, False]).head(n).reset_index(
        drop=True)


def weak_points(row: Row, cfg: KualitasData) -> list[str]:
    """Indonesian phrases naming the criteria with a non-zero penalty, worst first."""
    items = []
    for key, rule in cfg.kriteria.items():
        pen = row.get(f"penalti_{key}")
        if pen is None or (isinstance(pen, float) and math.isnan(pen)) or pen == 0:
            continue
        value = row.get(key)
        if key == "sex_ratio_p":
            shown = (f"{text.angka(row.get('rasio_jk'), 2)} laki-laki per perempuan, "
                     f"p = {text.angka(value, 3)}")
        elif key == "age_ratio_p":
            shown = (f"{text.angka(row.get('rasio_umur'), 2)}, diharapkan "
                     f"{text.angka(cfg.age_ratio_expected, 2)}, p = {text.angka(value, 3)}")
        elif key.endswith("_p"):
            shown = f"p = {text.angka(value, 3)}"
        elif key == "whz_flag_pct":
            shown = text.persen(value)
        else:
            shown = text.angka(value, 2)
        label = rule.label
        label = label[0].lower() + label[1:] if not label[:2].isupper() else label
        items.append((pen, f"{label} ({shown})"))
    items.sort(key=lambda t: -t[0])
    return [s for _, s in items]


def verdict(row: Row, cfg: KualitasData) -> str:
    """Plain-language verdict (Bahasa Indonesia) on how far the prevalence can be trusted.

    Parameters
    ----------
    row : mapping
        One row of :func:`quality_table` (normally the first: the whole district).

    Returns
    -------
    str
        Markdown: the score and category, what it means, the weak points from the data,
        and the reminder that automatic checks are signals.
    """
    cat = KategoriKualitas(row["kategori"])
    if cat is KategoriKualitas.TIDAK_DINILAI or pd.isna(row.get("skor")):
        return (f"Jumlah anak yang diukur ({text.angka(row.get('anak'))}) terlalu sedikit "
                f"untuk uji kualitas data (minimal {text.angka(cfg.min_anak_skor)} anak); "
                "kualitas data tidak dinilai.")
    parts = [f"Skor kualitas data **{text.angka(row['skor'])}** (kategori **{cat.label}**; "
             "0–9 sangat baik, 10–14 baik, 15–24 dapat diterima, ≥ 25 bermasalah). "
             + cfg.putusan[cat]]
    weak = weak_points(row, cfg)
    if weak:
        parts.append("Kelemahan yang terdeteksi: " + text.daftar(weak) + ".")
        ratio_hit = any(row.get(f"penalti_{k}", 0) for k in ("sex_ratio_p", "age_ratio_p"))
        if ratio_hit and row["anak"] > cfg.anak_uji_peka:
            parts.append(f"Dengan {text.angka(row['anak'])} anak, uji rasio jenis kelamin dan "
                         "rasio umur (dirancang untuk survei beberapa ratus anak) sangat peka: "
                         "selisih kecil dari rasio yang diharapkan pun mendapat penalti. Lihat "
                         "nilai rasionya, dan nilai per puskesmas di tabel berikut.")
    else:
        parts.append("Tidak ada kriteria yang mendapat penalti.")
    extra = []
    flag = row.get("who_flag_pct")
    if flag is not None and not pd.isna(flag):
        if flag == 0:
            extra.append("tidak ada anak dengan nilai z yang tidak masuk akal menurut WHO")
        else:
            shown = text.persen(flag, 2 if flag < 0.1 else 1)
            extra.append(f"{shown} anak memiliki nilai z yang tidak masuk akal menurut WHO "
                         "(nilai itu tidak dipakai dalam perhitungan)")
    if row.get("duplikat", 0):
        extra.append(f"{text.angka(row['duplikat'])} baris duplikat (anak yang sama, hari "
                     "yang sama) dikeluarkan")
    if extra:
        parts.append("Selain itu: " + text.daftar(extra) + ".")
    parts.append("Uji otomatis ini adalah sinyal, bukan vonis: hasilnya perlu dicek di "
                 "lapangan (kalibrasi alat ukur, cara membaca umur dan tinggi badan).")
    return " ".join(parts)
