"""Tests for analysis.trend: AARR, required AARR, the on-course rule and the
binomial-GLM projection.

Worked examples were computed by hand (calculator) from the formula
AARR = 1 − (P_t2/P_t1)^(1/(t2 − t1)); the survey figures are the published
ones in analysis/data/reference/survei/stunting_prevalence.csv.
"""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import trend


def test_aarr_worked_example_kukar():
    # Kutai Kartanegara: SSGI 27,1 % (2022) → SSGI 14,3 % (2024).
    # (14.3/27.1)^(1/2) = 0.52768^0.5 = 0.72642 → AARR = 0.27358 = 27.4 %/year.
    assert trend.aarr(27.1, 2022, 14.3, 2024) == pytest.approx(0.27358, abs=5e-5)
    assert round(100 * trend.aarr(27.1, 2022, 14.3, 2024), 1) == 27.4


def test_aarr_rise_is_negative_and_vectorised():
    # Bontang SSGI 21,0 (2022) → SKI 27,4 (2023): a rise of 30.5 % in one year.
    assert trend.aarr(21.0, 2022, 27.4, 2023) == pytest.approx(1 - 27.4 / 21.0)
    out = trend.aarr([27.1, 24.4], [2022, 2021], [14.3, 19.8], [2024, 2024])
    assert out.shape == (2,)
    assert out[1] == pytest.approx(1 - (19.8 / 24.4) ** (1 / 3))


def test_aarr_undefined_inputs_give_nan():
    assert math.isnan(trend.aarr(0, 2022, 10, 2024))
    assert math.isnan(trend.aarr(20, 2024, 10, 2024))


def test_required_aarr_worked_examples():
    # Indonesia SSGI 2021 24,4 % to the national 14 % by 2024:
    # (14/24.4)^(1/3) = 0.57377^(1/3) = 0.83099 → 16.9 %/year needed.
    assert trend.required_aarr(24.4, 2021, 14.0, 2024) == pytest.approx(0.16901, abs=5e-5)
    # Bontang SSGI 2024 20,7 % to 14 % by 2026: (14/20.7)^(1/2) = 0.82238 → 17.8 %/year.
    assert trend.required_aarr(20.7, 2024, 14.0, 2026) == pytest.approx(0.17762, abs=5e-5)
    # Already below the target: the required "reduction" is negative.
    assert trend.required_aarr(10.0, 2024, 14.0, 2025) == pytest.approx(-0.4)
    assert math.isnan(trend.required_aarr(20.0, 2024, 14.0, 2024))


def test_on_course_rule():
    # Indonesia 2021→2024 observed 6.7 %/year against 16.9 % required: off course.
    obs = trend.aarr(24.4, 2021, 19.8, 2024)
    req = trend.required_aarr(24.4, 2021, 14.0, 2024)
    assert obs == pytest.approx(0.0673, abs=5e-4)
    assert trend.on_course(obs, req) is False
    # Kukar 27.4 %/year against the 16.9 % the nation needed: on course.
    assert trend.on_course(trend.aarr(27.1, 2022, 14.3, 2024), req) is True
    assert trend.on_course(0.1, 0.1) is True
    assert math.isnan(trend.on_course(math.nan, 0.1))


def test_assess_target_future_and_current_year():
    series = pd.DataFrame({"tahun": [2022, 2023, 2024], "prevalensi": [27.1, 17.6, 14.3]})
    # Target in a later year: required AARR from the latest point.
    fut = trend.assess_target(series, 10.0, 2026)
    assert fut["dasar_wajib"] == "terakhir"
    assert fut["aarr_wajib"] == pytest.approx(1 - (10 / 14.3) ** 0.5)
    assert fut["aarr_observasi"] == pytest.approx(0.27358, abs=5e-5)
    assert fut["sesuai_jalur"] is True
    # Target in the latest year: required AARR from the first point, i.e. latest ≤ target.
    now = trend.assess_target(series, 14.0, 2024)
    assert now["dasar_wajib"] == "awal"
    assert now["aarr_wajib"] == pytest.approx(1 - (14 / 27.1) ** 0.5)
    assert now["sesuai_jalur"] is False and now["tercapai"] is False
    met = trend.assess_target(series, 14.5, 2024)
    assert met["sesuai_jalur"] is True and met["tercapai"] is True


def test_assess_targets_keeps_series_apart():
    reg = pd.DataFrame({"tahun": [2022, 2024], "prevalensi": [12.0, 9.0]})
    sur = pd.DataFrame({"tahun": [2022, 2024], "prevalensi": [21.0, 20.7]})
    targets = pd.DataFrame({"kode": ["nasional"], "label": ["Nasional"],
                            "target_pct": [14.0], "tahun_target": [2024]})
    out = trend.assess_targets({"register": reg, "survei": sur}, targets)
    assert list(out["seri"]) == ["register", "survei"]
    assert out.loc[0, "sesuai_jalur"] and not out.loc[1, "sesuai_jalur"]
    assert out.loc[1, "aarr_observasi"] == pytest.approx(1 - (20.7 / 21.0) ** 0.5)


def test_periode_to_time():
    assert trend.periode_to_time("2024-08")[0] == pytest.approx(2024 + 7.5 / 12)
    assert trend.periode_to_time(["2022-02", "2023-12"]).tolist() == pytest.approx(
        [2022 + 1.5 / 12, 2023 + 11.5 / 12])


def _measurements(rows):
    """Measurement rows (periode, child_key, day, haz, haz_flag) with the other growth columns."""
    frame = pd.DataFrame(rows, columns=["periode", "child_key", "day", "haz", "haz_flag"])
    frame["tahun"] = frame["periode"].str.slice(0, 4).astype(int)
    frame["measure_date"] = pd.to_datetime(frame["periode"] + "-" + frame["day"].astype(str).str.zfill(2))
    frame["sex"] = 1
    frame["age_days"] = 700.0
    for z in ("waz", "whz", "baz"):
        frame[z] = 0.0
        frame[f"{z}_flag"] = False
    frame["oedema"] = False
    return frame


def test_register_prevalence_uses_anthro_rules():
    frame = _measurements([
        ("2024-08", "a", 1, -2.5, False), ("2024-08", "b", 1, -1.0, False),
        ("2024-08", "c", 1, -6.5, True), ("2024-08", "d", 1, np.nan, False),
        ("2024-08", "e", 1, -2.0, False), ("2024-08", "f", 1, -3.1, False),
    ])
    res = trend.register_prevalence(frame)
    # usable: -2.5, -1.0, -2.0, -3.1 → n = 4; HAZ < -2: -2.5, -3.1 (−2.0 is not < −2).
    assert (res["n"], res["stunting"]) == (4, 2)
    assert res["prevalensi"] == pytest.approx(50.0)
    assert res["ci_bawah"] < 50 < res["ci_atas"]


def test_register_rounds_one_row_per_child_and_round():
    frame = _measurements([
        ("2023-08", "a", 3, -2.5, False), ("2023-08", "b", 3, -1.0, False),
        # child a measured twice in 2024-02: the later (not stunted) counts
        ("2024-02", "a", 1, -2.5, False), ("2024-02", "a", 20, -1.5, False),
        ("2024-02", "b", 5, -2.2, False), ("2024-02", "c", 5, -0.2, False),
    ])
    out = trend.register_rounds(frame)
    assert out["periode"].tolist() == ["2023-08", "2024-02"]
    assert out["n"].tolist() == [2, 3]
    assert out["stunting"].tolist() == [1, 1]
    assert out.loc[1, "prevalensi"] == pytest.approx(100 / 3)
    assert out.loc[1, "waktu"] == pytest.approx(2024 + 1.5 / 12)


def _simulated_rounds(slope=-0.25, p_mid=0.20, n=3000, seed=7):
    rng = np.random.default_rng(seed)
    periode = ["2022-02", "2022-08", "2023-02", "2023-08", "2024-02", "2024-08"]
    t = trend.periode_to_time(periode)
    t0 = 2023.0
    logit = np.log(p_mid / (1 - p_mid)) + slope * (t - t0)
    p = 1 / (1 + np.exp(-logit))
    stunted = rng.binomial(n, p)
    rounds = pd.DataFrame({"periode": periode, "tahun": [int(x[:4]) for x in periode],
                           "waktu": t, "n": n, "stunting": stunted})
    return rounds, (lambda tt: 1 / (1 + np.exp(-(np.log(p_mid / (1 - p_mid))
                                                  + slope * (tt - t0)))))


def test_glm_recovers_known_trend_and_ci_covers_truth():
    rounds, truth = _simulated_rounds()
    fit = trend.fit_trend_model(rounds)
    assert fit["slope"] == pytest.approx(-0.25, abs=0.06)
    lo, hi = fit["slope_ci"]
    assert lo < -0.25 < hi
    assert fit["dispersi"] >= 1.0
    tt = trend.projection_time(2026, rounds)
    assert tt == pytest.approx(2026 + 7.5 / 12)
    proj = trend.project(fit, [tt], 0.95)
    true_pct = 100 * truth(tt)
    assert proj.loc[0, "prevalensi"] == pytest.approx(true_pct, abs=1.5)
    assert proj.loc[0, "ci_bawah"] < true_pct < proj.loc[0, "ci_atas"]
    assert proj.loc[0, "ci_bawah"] < proj.loc[0, "prevalensi"] < proj.loc[0, "ci_atas"]


def test_glm_ci_covers_truth_in_most_replications():
    # Frequentist check of the interval: ~95 % of 40 simulated data sets.
    covered = 0
    for seed in range(40):
        rounds, truth = _simulated_rounds(seed=seed, n=800)
        fit = trend.fit_trend_model(rounds)
        tt = trend.projection_time(2025, rounds)
        proj = trend.project(fit, tt, 0.95)
        covered += proj.loc[0, "ci_bawah"] < 100 * truth(tt) < proj.loc[0, "ci_atas"]
    assert covered >= 34


def test_glm_overdispersion_widens_interval():
    rounds, _ = _simulated_rounds()
    noisy = rounds.copy()
    noisy["stunting"] = noisy["stunting"] + np.array([150, -150, 150, -150, 150, -150])
    f1, f2 = trend.fit_trend_model(rounds), trend.fit_trend_model(noisy)
    assert f2["dispersi"] > 5
    w1 = np.diff(f1["slope_ci"])[0]
    w2 = np.diff(f2["slope_ci"])[0]
    assert w2 > 2 * w1


def test_glm_needs_three_rounds():
    from analysis.errors import DataUnavailableError

    rounds, _ = _simulated_rounds()
    with pytest.raises(DataUnavailableError):
        trend.fit_trend_model(rounds.iloc[:2])


def test_survey_series_labels_sources():
    surveys = pd.DataFrame({
        "area_code": ["64.74"] * 4 + ["64.02"],
        "year": [2021, 2022, 2023, 2024, 2022],
        "source": ["SSGI", "SSGI", "SKI", "SSGI", "SSGI"],
        "prevalence_pct": [26.3, 21.0, 27.4, 20.7, 27.1],
        "reliability": ["reported"] * 3 + ["press-unconfirmed", "reported"],
    })
    out = trend.survey_series(surveys, "64.74")
    assert out["sumber"].tolist() == ["SSGI 2021", "SSGI 2022", "SKI 2023", "SSGI 2024"]
    assert out["prevalensi"].tolist() == [26.3, 21.0, 27.4, 20.7]


def test_survey_labels_name_each_survey_once_in_year_order():
    import pandas as pd

    series = pd.DataFrame({"tahun": [2024, 2021, 2023, 2021],
                           "sumber": ["SSGI 2024", "SSGI 2021", "SKI 2023", "SSGI 2021"],
                           "seri": "survei"})
    assert trend.survey_labels(series) == "SSGI 2021, SKI 2023 dan SSGI 2024"
    register = pd.DataFrame({"tahun": [2024], "sumber": ["e-PPGBM Agustus 2024"], "seri": ["register"]})
    assert trend.survey_labels(pd.concat([series, register])) == "SSGI 2021, SKI 2023 dan SSGI 2024"
    assert trend.survey_labels(register) == "tidak ada survei"
