"""Implementation of the 8 Aksi Konvergensi: status, timeliness, evidence, a
grade per aksi from a configurable rubric, and an overall score.

The rubric (``analysis/data/config/rubrik_aksi.yaml``, model
:class:`analysis.pengaturan.RubrikAksi`, passed in by the caller) is modelled on the provincial
performance assessment: each aksi gets a grade A–D, each grade is worth
points, aksi carry weights, and the overall score is the weighted share of
the maximum. The province's own weights were not found published, so the
whole scheme is configuration. The same file names both structures: the 8
aksi and Kemendagri's 2025 grouping into 4 main and 2 supporting actions.

Input is the canonical ``aksi`` table (the district's ``status_aksi``):
``aksi`` (1–8), ``tanggal_target``, ``tanggal_selesai``, ``bukti``,
``status`` (``belum``/``proses``/``selesai``), ``penilaian_mandiri`` (A–D). Statuses are
:class:`analysis.kode.StatusAksi` codes (``tidak_dilaporkan`` for an aksi not in the table).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from analysis.kode import StatusAksi
from analysis.pengaturan import RubrikAksi

#: Columns of :func:`score_aksi`.
SCORE_COLUMNS = ["aksi", "nama", "kelompok_2025", "status", "tanggal_target", "tanggal_selesai",
                 "terlambat_hari", "tepat_waktu", "ada_bukti", "nilai", "poin", "bobot",
                 "penilaian_mandiri", "mandiri_lebih_tinggi"]

GRADES = ("A", "B", "C", "D")


class SkorAksi(TypedDict):
    """The overall 8-aksi score (:func:`overall_score`)."""

    skor: float
    nilai: str
    predikat: str
    selesai: int
    tepat_waktu: int
    dengan_bukti: int
    jumlah_aksi: int


def _has_evidence(value: Any) -> bool:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    text = str(value).strip().lower()
    return text not in ("", "-", "–", "tidak ada", "belum ada", "nan", "none")


def timeliness(aksi: pd.DataFrame, tanggal_reviu: _dt.date) -> pd.DataFrame:
    """Days late and evidence of each reported aksi.

    Parameters
    ----------
    aksi : DataFrame
        Canonical ``aksi`` table of one year.
    tanggal_reviu : datetime.date
        The review date: unfinished aksi are late by the days between their
        target date and this date.

    Returns
    -------
    DataFrame
        The input columns plus ``terlambat_hari`` (days after the target date:
        of finishing, or of the review when unfinished; ≤ 0 means on time;
        NaN without a target date), ``tepat_waktu`` (finished on or before
        the target date), ``ada_bukti`` (evidence named).
    """
    out = aksi.copy()
    out["aksi"] = pd.to_numeric(out["aksi"], errors="coerce").astype("Int64")
    target = pd.to_datetime(out["tanggal_target"], errors="coerce")
    done = pd.to_datetime(out["tanggal_selesai"], errors="coerce")
    status = out["status"].astype("string").str.strip().str.lower()
    out["status"] = status
    review = pd.Timestamp(tanggal_reviu)
    finished = status.eq("selesai").fillna(False)
    end = done.where(finished & done.notna(), review)
    out["tanggal_target"] = target
    out["tanggal_selesai"] = done
    out["terlambat_hari"] = (end - target).dt.days.astype(float)
    out["tepat_waktu"] = (finished & (out["terlambat_hari"] <= 0)).astype(bool)
    out["ada_bukti"] = out["bukti"].map(_has_evidence).astype(bool)
    return out


def grade(status: str | None, ada_bukti: bool, terlambat_hari: float, rubric: RubrikAksi) -> str:
    """Grade of one aksi: the first rubric rule that matches.

    Parameters
    ----------
    status : str or None
        ``belum``/``proses``/``selesai`` (None: not reported).
    ada_bukti : bool
        Evidence named.
    terlambat_hari : float
        Days late (NaN when unknown: a rule with a lateness limit then does
        not match).
    rubric : RubrikAksi
        The rubric (``rubrik_aksi.yaml``).

    Returns
    -------
    str, one of A–D.
    """
    for rule in rubric.aturan:
        if rule.status is not None and status not in rule.status:
            continue
        if rule.bukti is not None and rule.bukti != bool(ada_bukti):
            continue
        if rule.terlambat_maks_hari is not None:
            if terlambat_hari is None or np.isnan(terlambat_hari) \
                    or terlambat_hari > rule.terlambat_maks_hari:
                continue
        return rule.nilai
    return rubric.nilai_bawaan


def score_aksi(aksi: pd.DataFrame, tanggal_reviu: _dt.date, rubric: RubrikAksi) -> pd.DataFrame:
    """Grade and points of each of the 8 aksi.

    Parameters
    ----------
    aksi : DataFrame
        Canonical ``aksi`` table of one year (may lack some aksi, or be empty).
    tanggal_reviu : datetime.date
        Review date (see :func:`timeliness`).
    rubric : RubrikAksi
        The rubric.

    Returns
    -------
    DataFrame
        One row per aksi 1–8 (:data:`SCORE_COLUMNS`): ``nama``,
        ``kelompok_2025`` (code of the 2025 grouping), ``status``
        (``tidak_dilaporkan`` when absent), dates, ``terlambat_hari``,
        ``tepat_waktu``, ``ada_bukti``, ``nilai`` (A–D), ``poin``, ``bobot``,
        ``penilaian_mandiri`` (the district's self-assessment) and
        ``mandiri_lebih_tinggi`` (self-assessment better than the rubric grade).
    """
    timed = timeliness(aksi, tanggal_reviu).dropna(subset=["aksi"])
    timed = timed.drop_duplicates("aksi", keep="last").set_index("aksi")
    points = {g: v.poin for g, v in rubric.nilai.items()}
    rows = []
    for number, info in sorted(rubric.aksi.items()):
        base: dict[str, Any] = {"aksi": number, "nama": info.nama,
                                "kelompok_2025": info.kelompok_2025,
                                "bobot": float(rubric.bobot[number])}
        if number in timed.index:
            r: Any = timed.loc[number]
            status = r["status"] if isinstance(r["status"], str) else None
            g = grade(status, bool(r["ada_bukti"]), float(r["terlambat_hari"]), rubric)
            given = str(r.get("penilaian_mandiri", "") or "").strip().upper()
            mandiri = given if given in GRADES else None
            base.update(status=status or StatusAksi.TIDAK_DILAPORKAN.value,
                        tanggal_target=r["tanggal_target"], tanggal_selesai=r["tanggal_selesai"],
                        terlambat_hari=float(r["terlambat_hari"]),
                        tepat_waktu=bool(r["tepat_waktu"]), ada_bukti=bool(r["ada_bukti"]),
                        nilai=g, penilaian_mandiri=mandiri,
                        mandiri_lebih_tinggi=bool(mandiri is not None and mandiri < g))
        else:
            g = grade(None, False, np.nan, rubric)
            base.update(status=StatusAksi.TIDAK_DILAPORKAN.value, tanggal_target=pd.NaT,
                        tanggal_selesai=pd.NaT, terlambat_hari=np.nan, tepat_waktu=False,
                        ada_bukti=False, nilai=g, penilaian_mandiri=None,
                        mandiri_lebih_tinggi=False)
        base["poin"] = points[g]
        rows.append(base)
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def overall_score(scored: pd.DataFrame, rubric: RubrikAksi) -> SkorAksi:
    """The overall 8-aksi score.

    Parameters
    ----------
    scored : DataFrame
        :func:`score_aksi` output.
    rubric : RubrikAksi
        The rubric.

    Returns
    -------
    SkorAksi
        ``skor`` (0–100: Σ poin × bobot ÷ Σ poin maksimum × bobot × 100),
        ``nilai`` and ``predikat`` (the band of ``predikat`` in the rubric),
        ``selesai``, ``tepat_waktu``, ``dengan_bukti`` (counts of aksi),
        ``jumlah_aksi``.
    """
    top = max(v.poin for v in rubric.nilai.values())
    weights = scored["bobot"].astype(float)
    score = 100 * float((scored["poin"] * weights).sum()) / float((top * weights).sum())
    band = next(b for b in sorted(rubric.predikat, key=lambda b: -b.min)
                if score >= b.min - 1e-9)
    return {"skor": score, "nilai": band.nilai, "predikat": band.label,
            "selesai": int((scored["status"] == StatusAksi.SELESAI).sum()),
            "tepat_waktu": int(scored["tepat_waktu"].sum()),
            "dengan_bukti": int(scored["ada_bukti"].sum()),
            "jumlah_aksi": int(len(scored))}


def by_group_2025(scored: pd.DataFrame, rubric: RubrikAksi) -> pd.DataFrame:
    """The aksi scores regrouped in Kemendagri's 2025 structure.

    Parameters
    ----------
    scored : DataFrame
        :func:`score_aksi` output.
    rubric : RubrikAksi
        The rubric.

    Returns
    -------
    DataFrame
        One row per group in the order of the rubric: ``kelompok`` (code),
        ``nama``, ``jenis`` (``utama``/``pendukung``), ``aksi`` (e.g.
        ``"2, 3"``), ``skor`` (weighted share of maximum points, 0–100).
    """
    top = max(v.poin for v in rubric.nilai.values())
    rows = []
    for code, info in rubric.kelompok_2025.items():
        part = scored[scored["kelompok_2025"] == code]
        w = part["bobot"].astype(float)
        skor = 100 * float((part["poin"] * w).sum()) / float((top * w).sum()) if len(part) else np.nan
        rows.append({"kelompok": code, "nama": info.nama, "jenis": info.jenis,
                     "aksi": ", ".join(str(a) for a in part["aksi"]), "skor": skor})
    return pd.DataFrame(rows, columns=["kelompok", "nama", "jenis", "aksi", "skor"])
