"""Tests for analysis.aksi: grades from the rubric, timeliness, the overall score."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis import aksi
from analysis.kode import StatusAksi
from pengaturan_uji import rubrik

REVIEW = dt.date(2024, 12, 31)


def _table():
    return pd.DataFrame({
        "tahun": 2024,
        "aksi": [1, 2, 3, 4, 5, 6, 7],
        "tanggal_target": ["2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30",
                           "2024-06-30", "2024-09-30", "2024-08-31"],
        "tanggal_selesai": ["2024-03-20", "2024-05-20", "2024-08-15", "2024-06-30",
                            None, None, "2024-09-10"],
        "bukti": ["dok_analisis.pdf", "renja.pdf", "ba_rembuk.pdf", "", "sk_kpm.pdf", None, "-"],
        "status": ["selesai", "selesai", "selesai", "selesai", "proses", "belum", "selesai"],
        "penilaian_mandiri": ["A", "A", "B", "A", "B", "C", "A"],
    })


def test_timeliness_days_late():
    out = aksi.timeliness(_table(), REVIEW).set_index("aksi")
    assert out.loc[1, "terlambat_hari"] == -11 and out.loc[1, "tepat_waktu"]
    assert out.loc[2, "terlambat_hari"] == 20 and not out.loc[2, "tepat_waktu"]
    assert out.loc[4, "terlambat_hari"] == 0 and out.loc[4, "tepat_waktu"]
    # unfinished: late as of the review date (30 June → 31 December = 184 days)
    assert out.loc[5, "terlambat_hari"] == 184 and not out.loc[5, "tepat_waktu"]
    assert out["ada_bukti"].tolist() == [True, True, True, False, True, False, False]


def test_grades_follow_the_rubric():
    out = aksi.score_aksi(_table(), REVIEW, rubrik()).set_index("aksi")
    # 1 on time with evidence → A; 2 20 days late → B; 3 76 days late → C;
    # 4 on time but no evidence → C; 5 in progress with evidence → C;
    # 6 not started → D; 7 done 10 days late, evidence "-" (none) → C; 8 not reported → D.
    assert out["nilai"].tolist() == ["A", "B", "C", "C", "C", "D", "C", "D"]
    assert out.loc[8, "status"] == StatusAksi.TIDAK_DILAPORKAN
    assert out.loc[1, "nama"] == "Analisis Situasi"
    assert out.loc[4, "kelompok_2025"] == "regulasi"
    # self-assessment better than the rubric: 2 (A vs B), 3 and 5 (B vs C), 4 and 7 (A vs C), 6 (C vs D)
    assert out.index[out["mandiri_lebih_tinggi"]].tolist() == [2, 3, 4, 5, 6, 7]


def test_overall_score_by_hand():
    scored = aksi.score_aksi(_table(), REVIEW, rubrik())
    res = aksi.overall_score(scored, rubrik())
    # points: A100 + B75 + C50×4 + D25×2 = 425 of 800 → 53,125 → "cukup"
    assert res["skor"] == pytest.approx(53.125)
    assert res["nilai"] == "C" and res["predikat"] == "cukup"
    assert res["selesai"] == 5 and res["tepat_waktu"] == 2 and res["dengan_bukti"] == 4


def test_weights_change_the_score():
    rubric = rubrik().model_copy(update={"bobot": {**rubrik().bobot, 1: 3.0}})
    scored = aksi.score_aksi(_table(), REVIEW, rubric)
    # (425 + 2 × 100) / (800 + 2 × 100) = 62,5
    assert aksi.overall_score(scored, rubric)["skor"] == pytest.approx(62.5)


def test_all_done_on_time_scores_100():
    t = pd.DataFrame({"aksi": range(1, 9), "tanggal_target": "2024-06-30",
                      "tanggal_selesai": "2024-06-01", "bukti": "ada.pdf",
                      "status": "selesai", "penilaian_mandiri": "A"})
    res = aksi.overall_score(aksi.score_aksi(t, REVIEW, rubrik()), rubrik())
    assert res["skor"] == pytest.approx(100) and res["predikat"] == "sangat baik"


def test_empty_table_scores_all_d():
    scored = aksi.score_aksi(_table().iloc[:0], REVIEW, rubrik())
    assert (scored["nilai"] == "D").all() and len(scored) == 8
    assert aksi.overall_score(scored, rubrik())["skor"] == pytest.approx(25.0)


def test_groups_2025_cover_every_aksi_once():
    scored = aksi.score_aksi(_table(), REVIEW, rubrik())
    groups = aksi.by_group_2025(scored, rubrik())
    assert len(groups) == 6
    assert (groups["jenis"] == "utama").sum() == 4 and (groups["jenis"] == "pendukung").sum() == 2
    listed = sorted(int(a) for s in groups["aksi"] for a in s.split(", "))
    assert listed == list(range(1, 9))
    perencanaan = groups.set_index("kelompok").loc["penguatan_perencanaan"]
    assert perencanaan["skor"] == pytest.approx((75 + 50) / 200 * 100)


def test_grade_unknown_lateness_does_not_earn_a():
    assert aksi.grade("selesai", True, np.nan, rubrik()) == "C"
