"""Unit tests of the cell parsers, place matching and pseudonymisation helpers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import reference
from analysis.ingest import parsing, privacy, wilayah
from analysis.ingest.rawtable import header_key


def s(*values):
    return pd.Series(list(values), dtype=object)


def test_header_key():
    assert header_key(" Tgl. Lahir ") == header_key("TGL_LAHIR") == "tgllahir"
    assert header_key("PMT Diterima (kg)") == "pmtditerimakg"


def test_decimal_comma_point_and_thousands():
    values, bad = parsing.parse_decimal(s("12,5", "12.5", "1.234,5", " 7 kg", "", "-", "abc", "inf"))
    assert values[:4].tolist() == [12.5, 12.5, 1234.5, 7.0]
    assert values[4:].isna().all()
    assert bad.tolist() == [False, False, False, False, False, False, True, True]


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda x: round(x, 1)))
def test_decimal_comma_round_trip(x):
    text = f"{x:.1f}"
    values, bad = parsing.parse_decimal(s(text, text.replace(".", ",")))
    assert values.tolist() == [x, x] and not bad.any()


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1903, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_format_round_trips(day):
    serial = (day - dt.date(1899, 12, 30)).days
    texts = [day.strftime("%d/%m/%Y"), day.strftime("%d-%m-%Y"), day.isoformat(),
             f"{day.isoformat()} 00:00:00", str(serial), f"{day.day} {day.month} {day.year}"]
    values, bad = parsing.parse_date(s(*texts))
    assert not bad.any()
    assert (values == pd.Timestamp(day)).all()


def test_dates_with_month_names_and_bad_values():
    values, bad = parsing.parse_date(s("1 Agustus 2024", "12 Agt 2023", "3-Peb-2022", "31/02/2024",
                                       "08/25/2024", "abc", "", "01/01/1850"))
    assert values[:3].tolist() == [pd.Timestamp("2024-08-01"), pd.Timestamp("2023-08-12"),
                                   pd.Timestamp("2022-02-03")]
    assert bad.tolist() == [False, False, False, True, True, True, False, True]


def test_sex_and_position():
    sex, unknown = parsing.parse_sex(s("L", "p", "Laki-laki", "PEREMPUAN", "X", ""))
    assert sex[:4].tolist() == [1, 2, 1, 2]
    assert unknown.tolist() == [False, False, False, False, True, True]
    measure, bad = parsing.parse_measure(s("Berdiri", "TERLENTANG", "telentang", "", "Duduk"))
    assert measure[:3].tolist() == ["h", "l", "l"] and pd.isna(measure[3])
    assert bad.tolist() == [False, False, False, False, True]


def test_age_text():
    days = parsing.parse_age_text(pd.Series(["2 Tahun - 3 Bulan - 14 Hari", "0 Tahun - 11 Bulan - 2 Hari",
                                             "", "tidak tahu"], dtype="string"))
    assert days[0] == pytest.approx(2 * 365.25 + 3 * 30.4375 + 14)
    assert days[1] == pytest.approx(11 * 30.4375 + 2)
    assert days[2:].isna().all()


def test_nik_normalisation():
    nik = privacy.normalise_nik(s("6474011234567890", "6474011234567890.0", "'6474011234567890",
                                  "6474 0112 3456 7890", "0000000000000000", "6474********0001", "", "123"))
    assert nik[:4].tolist() == ["6474011234567890"] * 4
    assert nik[4:].isna().all()


def test_child_keys_depend_on_the_salt(monkeypatch):
    nik = s("6474011234567890", "", "")
    name = s("", "Budi", "")
    birth = pd.Series(pd.to_datetime(["2022-01-01"] * 3))
    sex = pd.Series([1, 1, 1], dtype="Int8")
    first = privacy.child_keys(nik, name, birth, sex)
    assert first[0] != first[1] and pd.isna(first[2])
    monkeypatch.setenv(privacy.SALT_ENV, "garam-lain-untuk-pengujian")
    assert privacy.child_keys(nik, name, birth, sex)[0] != first[0]


def test_salt_file_is_created_once(tmp_path, monkeypatch):
    from analysis import config

    monkeypatch.delenv(privacy.SALT_ENV, raising=False)
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")
    salt = privacy.salt()
    assert (tmp_path / "processed" / ".salt").is_file()
    privacy._file_salt.cache_clear()
    assert privacy.salt() == salt


def test_personal_header_patterns():
    for header in ["NIK", "NIK Ibu", "Nama", "Nama Ayah", "No HP", "Telepon", "No. Telp Ortu", "Alamat Domisili",
                   "RT", "RW", "No KK", "Email"]:
        assert privacy.is_personal(header_key(header)), header
    for header in ["Posyandu", "Nama Posyandu", "Berat", "Kec", "Tinggi", "Pukesmas"]:
        assert not privacy.is_personal(header_key(header)), header


def test_place_matching():
    kec = reference.kecamatan("64.74")
    vil = reference.villages("64.74")
    codes = wilayah.match_places(
        s("Kec. Bontang Utara", "bontang  utara", "Tidak Ada", "", "Bontang Barat"),
        s("Kel. Api-Api", "LOK TUAN", "Kanaan", "Guntung", "Guntung"), kec, vil)
    assert codes["desa_code"].tolist()[:4] == ["64.74.01.1006", "64.74.01.1003", "64.74.03.1003",
                                               "64.74.01.1004"]
    assert codes["kec_code"].tolist()[:4] == ["64.74.01", "64.74.01", "64.74.03", "64.74.01"]
    assert pd.isna(codes["desa_code"][4])  # Guntung is not in Bontang Barat


def test_regency_matching():
    codes = wilayah.regency_matches(s("KOTA BONTANG", "Kab. Kutai Kartanegara", "Bontang", "64.74",
                                      "6402", "Kabupaten Antah", ""), reference.regencies())
    assert codes[:5].tolist() == ["64.74", "64.02", "64.74", "64.74", "64.02"]
    assert codes[5:].isna().all()


def test_periods_group_adjacent_months():
    from analysis.ingest.eppgbm import assign_periods

    dates = pd.Series(pd.to_datetime(["2024-01-30", "2024-02-05", "2024-02-20", "2024-03-01",
                                      "2024-08-10", "2024-09-02", "2024-08-31"]))
    periods = assign_periods(dates, pd.Series([2024] * 7, dtype="Int64"))
    assert periods.tolist() == ["2024-02"] * 4 + ["2024-08"] * 3
    assert np.all(periods.notna())
