"""Vectorised parsing of e-PPGBM cell text: numbers, dates, sex, measuring position, age text.

Every parser takes a Series of strings (``""`` for an empty cell) and returns the parsed values
plus a mask of cells that were filled but could not be read, so the caller can exclude those
rows with a reason instead of losing them silently. The vocabularies (what counts as ``L`` or
``Berdiri``) are data in ``kode_nilai.csv``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

#: Cell texts that mean "no value".
EMPTY_TOKENS = ("", "-", "--", "na", "n/a", "nan", "null", "none", "tidak ada", "#n/a")

#: Date formats tried in order (day first, the Indonesian convention), after month names
#: have been replaced by numbers. ``ISO8601`` covers ``yyyy-mm-dd`` and Excel date cells read
#: as ``yyyy-mm-dd hh:mm:ss``.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "ISO8601", "%d.%m.%Y", "%Y/%m/%d", "%d %m %Y",
                "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%Y%m%d",
                "%d/%m/%y", "%d-%m-%y")
#: Plausible dates (anything outside is treated as unreadable).
DATE_MIN, DATE_MAX = pd.Timestamp("1900-01-01"), pd.Timestamp("2100-12-31")
#: Excel's day zero (serial 1 = 1900-01-01 with the 1900 leap-year bug before March 1900).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3,
    "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "juli": 7,
    "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "january": 1, "february": 2, "march": 3,
    "june": 6, "july": 7, "august": 8, "october": 10, "december": 12,
}

DAYS_PER_MONTH = 30.4375
DAYS_PER_YEAR = 365.25


def records(frame: pd.DataFrame) -> Iterator[Any]:
    """``frame.itertuples(index=False)``, typed loosely: schema rows are read by attribute name."""
    return frame.itertuples(index=False)


def per_unique(func):
    """Run a parser on the distinct cell texts only and spread the result back to every row.

    A district export has hundreds of thousands of rows but only thousands of distinct dates,
    weights or place names, so parsing distinct values is what keeps ingest vectorised and fast.
    The wrapped function takes a Series of strings and returns a Series or a tuple of Series
    aligned with it; the wrapper returns the same, aligned with the caller's index.
    """

    @functools.wraps(func)
    def wrapper(text, *args, **kwargs):
        text = pd.Series(text)
        codes, uniques = pd.factorize(text.astype("string").fillna(""), sort=False)
        result = func(pd.Series(uniques, dtype="string"), *args, **kwargs)

        def spread(part: pd.Series) -> pd.Series:
            out = part.iloc[codes]
            out.index = text.index
            return out

        return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)

    return wrapper


@per_unique
def is_empty(text: pd.Series) -> pd.Series:
    """True where a cell holds no value (empty, ``-``, ``NA``...)."""
    return text.str.strip().str.lower().isin(EMPTY_TOKENS)


@per_unique
def parse_decimal(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers written with a decimal comma or point (``"12,5"``, ``"12.5"``, ``"12,5 kg"``).

    When a comma is present it is the decimal mark and points are thousands separators
    (``"1.234,5"`` → 1234.5).

    Returns
    -------
    values : Series of float64 (NaN where empty or unreadable)
    bad : Series of bool, True where the cell was filled but is not a number
    """
    t = text.str.strip().str.lower().str.replace(r"\s+|kg$|cm$|gr?$", "", regex=True)
    empty = is_empty(text)
    comma = t.str.contains(",", regex=False)
    t = t.where(~comma, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    values = pd.to_numeric(t.where(~empty, None), errors="coerce").astype("float64")
    values = values.where(np.isfinite(values))
    bad = ~empty & values.isna()
    return values, bad


def _month_names_to_numbers(t: pd.Series) -> pd.Series:
    pattern = r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
    has_letters = t.str.contains(r"[a-z]", regex=True)
    if not has_letters.any():
        return t
    replaced = t[has_letters].str.replace(pattern, lambda m: f" {MONTHS[m.group(1)]} ", regex=True)
    replaced = replaced.str.replace(r"[\s,\-/.]+", " ", regex=True).str.strip()
    return t.where(~has_letters, replaced)


@per_unique
def parse_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as exported: ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``yyyy-mm-dd``, Excel date cells,
    Excel serial numbers (``45505``) and month names (``1 Agustus 2024``), mixed in one column.

    Returns
    -------
    values : Series of datetime64[ns] (NaT where empty or unreadable)
    bad : Series of bool, True where the cell was filled but is not a readable date
    """
    empty = is_empty(text)
    t = _month_names_to_numbers(text.str.strip().str.lower())
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    # Pure 4-5 digit numbers are Excel serial day numbers (a date cell exported as a number);
    # they are read first so that ISO parsing does not take "45505" or "2024" for a year.
    serial = ~empty & t.str.fullmatch(r"\d{4,5}(\.\d+)?")
    if serial.any():
        days = np.floor(pd.to_numeric(t[serial], errors="coerce").astype("float64"))
        dates = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
        ok = (dates >= DATE_MIN) & (dates <= DATE_MAX)
        out.loc[ok[ok].index] = dates[ok].astype("datetime64[ns]")
    todo = ~empty & ~serial
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(t[todo], format=fmt, errors="coerce")
        ok = parsed.notna() & (parsed >= DATE_MIN) & (parsed <= DATE_MAX)
        if ok.any():
            out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]")
            todo &= out.isna()
    bad = ~empty & out.isna()
    return out, bad


@cache
def vocabulary() -> pd.DataFrame:
    """Accepted cell values for coded columns (``kode_nilai.csv``: ``kolom, nilai, kode``)."""
    with resources.files("analysis.ingest").joinpath("kode_nilai.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def _coded(text: pd.Series, column: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    vocab = vocabulary()
    rows = vocab.loc[vocab["kolom"] == column]
    mapping: dict[str, str] = dict(zip(rows["nilai"], rows["kode"], strict=True))
    key = text.str.strip().str.lower().str.replace(r"[\s.]+", " ", regex=True).str.strip()
    empty = is_empty(text)
    codes = key.map(mapping)
    unknown = ~empty & codes.isna()
    return codes, empty, unknown


@per_unique
def parse_sex(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """JK ``L``/``P`` (also ``Laki-laki``, ``Perempuan``, ``1``, ``2``) → 1 / 2 (Int8).

    Returns
    -------
    values : Series of Int8 (<NA> where empty or unknown)
    unknown : Series of bool, True where the sex is empty or not recognised
    """
    codes, empty, unknown = _coded(text, "jk")
    values = pd.to_numeric(codes, errors="coerce").astype("Int8")
    return values, empty | unknown


@per_unique
def parse_measure(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cara Ukur ``Berdiri`` → ``"h"``, ``Terlentang`` → ``"l"``; empty → <NA> (unknown position).

    Returns
    -------
    values : Series of string (``"l"``, ``"h"`` or <NA>)
    unknown : Series of bool, True where filled with something not recognised
    """
    codes, _empty, unknown = _coded(text, "cara_ukur")
    return codes.astype("string"), unknown


@per_unique
def parse_age_text(text: pd.Series) -> pd.Series:
    """``Usia Saat Ukur`` as exported (``"2 Tahun - 3 Bulan - 14 Hari"``) → days (float).

    Used only as a cross-check of the age computed from the two dates; NaN where the text has
    no year, month or day part.
    """
    low = text.str.lower()
    years = pd.to_numeric(low.str.extract(r"(\d+)\s*(?:tahun|thn|th)\b", expand=False), errors="coerce")
    months = pd.to_numeric(low.str.extract(r"(\d+)\s*(?:bulan|bln|bl)\b", expand=False), errors="coerce")
    days = pd.to_numeric(low.str.extract(r"(\d+)\s*(?:hari|hr|h)\b", expand=False), errors="coerce")
    any_part = years.notna() | months.notna() | days.notna()
    days = (years.fillna(0) * DAYS_PER_YEAR + months.fillna(0) * DAYS_PER_MONTH
            + days.fillna(0)).astype("float64")
    return days.where(any_part)
