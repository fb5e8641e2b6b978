"""How a table's numbers are shown, while the data stay numbers.

Reader tables are built with numeric columns (a prevalence is a float, a count an integer, an
interval two float columns). :meth:`~analysis.laporan.dokumen.Laporan.tabel` formats them for
the page with :mod:`analysis.text` and writes the same frame to the Excel annex as numbers with
an Excel number format, so an analyst can compute with the annex. Two columns that the page
shows as one cell (an interval ``12,5–13,7``, a ratio ``240 / 1.385``) are declared with
:class:`Rentang` or :class:`Rasio`; a column shown with its sign (``+8,7``) is listed in
``bertanda``.

Example::

    lap.tabel(df, judul="...", id="...", lampiran="Prevalensi kecamatan",
              gabung={"SK 95 % (%)": Rentang("SK bawah (%)", "SK atas (%)")},
              bertanda=["Perubahan (poin)"])
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import text
from analysis.errors import ParameterError


@dataclass(frozen=True)
class Rentang:
    """Show two numeric columns as one interval cell ``bawah–atas`` (no unit: the header has it)."""

    bawah: str
    atas: str


@dataclass(frozen=True)
class Rasio:
    """Show two count columns as one cell ``pembilang / penyebut`` (``240 / 1.385``)."""

    pembilang: str
    penyebut: str


Gabung = Rentang | Rasio


@dataclass(frozen=True)
class Kolom:
    """One column as the page shows it: header, cell texts, right-aligned or not."""

    judul: str
    sel: list[str]
    angka: bool


def _decimals(desimal: int | Mapping[str, int], col: str) -> int:
    return desimal.get(col, 1) if isinstance(desimal, Mapping) else desimal


def is_number_column(series: pd.Series) -> bool:
    """True for numeric, non-boolean columns (right-aligned, number cells in Excel)."""
    return bool(pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series))


def cell(value: Any, series: pd.Series, decimals: int, *, signed: bool = False) -> str:
    """One value as the reader sees it (Indonesian numbers, ``–`` for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value) is True):
        return text.MISSING
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    integer = pd.api.types.is_integer_dtype(series) or isinstance(value, int)
    if signed:
        return text.bertanda(value, 0 if integer else decimals)
    if integer:
        return text.angka(value, 0)
    if isinstance(value, float) or pd.api.types.is_float_dtype(series):
        return text.angka(value, decimals)
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        return text.tanggal(value)
    return str(value)


def _check(df: pd.DataFrame, gabung: Mapping[str, Gabung], bertanda: Iterable[str]) -> None:
    used: set[str] = set()
    for header, spec in gabung.items():
        pair = (spec.bawah, spec.atas) if isinstance(spec, Rentang) else (spec.pembilang, spec.penyebut)
        for col in pair:
            if col not in df.columns:
                raise ParameterError("gabung", f"kolom '{col}' untuk '{header}' tidak ada di tabel.",
                                     ", ".join(map(str, df.columns)))
            if col in used:
                raise ParameterError("gabung", f"kolom '{col}' dipakai di dua gabungan.")
            used.add(col)
    for col in bertanda:
        if col not in df.columns:
            raise ParameterError("bertanda", f"kolom '{col}' tidak ada di tabel.",
                                 ", ".join(map(str, df.columns)))


def tampilan(df: pd.DataFrame, *, desimal: int | Mapping[str, int] = 1,
             gabung: Mapping[str, Gabung] | None = None,
             bertanda: Iterable[str] = ()) -> list[Kolom]:
    """The columns of ``df`` as the page shows them (pairs joined where ``gabung`` says so).

    A joined cell takes the place of its first column; its decimals are those of that column.
    """
    gabung = dict(gabung or {})
    signed = set(bertanda)
    _check(df, gabung, signed)
    first: dict[str, tuple[str, Gabung]] = {}
    second: set[str] = set()
    for header, spec in gabung.items():
        a, b = (spec.bawah, spec.atas) if isinstance(spec, Rentang) else (spec.pembilang, spec.penyebut)
        first[a] = (header, spec)
        second.add(b)
    out: list[Kolom] = []
    for col in df.columns:
        name = str(col)
        if name in second:
            continue
        if name in first:
            header, spec = first[name]
            if isinstance(spec, Rentang):
                dec = _decimals(desimal, name)
                cells = [text.rentang(lo, hi, dec, unit="") for lo, hi in
                         zip(df[spec.bawah], df[spec.atas], strict=True)]
            else:
                cells = [text.MISSING if pd.isna(p) or pd.isna(q) else f"{text.angka(p)} / {text.angka(q)}"
                         for p, q in zip(df[spec.pembilang], df[spec.penyebut], strict=True)]
            out.append(Kolom(header, cells, True))
            continue
        series = df[col]
        dec = _decimals(desimal, name)
        cells = [cell(v, series, dec, signed=name in signed) for v in series.tolist()]
        out.append(Kolom(name, cells, is_number_column(series)))
    return out


def excel_formats(df: pd.DataFrame, *, desimal: int | Mapping[str, int] = 1,
                  bertanda: Iterable[str] = ()) -> dict[str, str]:
    """Excel number formats of the numeric columns (the annex keeps full precision)."""
    signed = set(bertanda)
    out: dict[str, str] = {}
    for col in df.columns:
        name = str(col)
        series = df[col]
        if not is_number_column(series):
            continue
        dec = 0 if pd.api.types.is_integer_dtype(series) else _decimals(desimal, name)
        body = "#,##0" + ("." + "0" * dec if dec > 0 else "")
        out[name] = f"+{body};-{body};{body}" if name in signed else body
    return out
