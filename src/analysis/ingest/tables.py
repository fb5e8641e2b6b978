"""The other tables of a district data package: schemas (data) and a validating reader.

Each table's columns, types, ranges, allowed values and references are rows of
``tabel_kolom.csv`` (also the source of ``data/README.md`` examples and the Excel templates).
A table is read as text (CSV with comma or semicolon, UTF-8 or latin-1, or Excel), its values
are converted and checked, and every problem is reported with file, Excel row and column;
the first problems found raise one :class:`~analysis.errors.InputFileError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import reference
from analysis.errors import InputFileError, ParameterError
from analysis.ingest import parsing, screening
from analysis.ingest.rawtable import RawBook, header_key, read_raw_book

#: Problems listed in one error message.
MAX_PROBLEMS = 5
#: Table names, in data-package order.
TABLES = ("target_prevalensi", "profil_desa", "cakupan_layanan", "anggaran", "status_aksi",
          "konvergensi_desa", "lokus")
#: Tables supplied once per district (not per year).
DISTRICT_TABLES = ("target_prevalensi",)

_DTYPES = {"teks": "string", "kode": "string", "pilihan": "string", "bulat": "Int64",
           "angka": "Float64", "rupiah": "Float64", "tanggal": "datetime64[ns]"}


@cache
def schema() -> pd.DataFrame:
    """All table schemas (``tabel_kolom.csv``), one row per column."""
    with resources.files("analysis.ingest").joinpath("tabel_kolom.csv").open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    for flag in ("wajib", "boleh_kosong", "kunci"):
        frame[flag] = frame[flag] == "1"
    for bound in ("min", "max"):
        frame[bound] = pd.to_numeric(frame[bound], errors="coerce")
    return frame


def columns(name: str) -> pd.DataFrame:
    """Schema rows of one table."""
    if name not in TABLES:
        raise ParameterError("tabel", f"tabel '{name}' tidak dikenal.", allowed=", ".join(TABLES))
    return schema()[schema()["tabel"] == name].reset_index(drop=True)


def empty_table(name: str, with_tahun: bool = True) -> pd.DataFrame:
    """An empty frame with the table's columns and types (for a table that was not supplied)."""
    spec = columns(name)
    data = {c: pd.Series(dtype=_DTYPES[t]) for c, t in zip(spec["kolom"], spec["tipe"], strict=True)}
    if with_tahun and name not in DISTRICT_TABLES:
        data = {"tahun": pd.Series(dtype="Int64"), **data}
    return pd.DataFrame(data)


def parse_amount(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Rupiah amounts: ``"Rp 1.250.000"``, ``"1250000"``, ``"1.250.000,50"``, ``"1,250,000"``."""
    t = text.str.strip().str.replace(r"(?i)^rp\.?\s*", "", regex=True).str.replace(r"\s", "", regex=True)
    dotted = t.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
    t = t.where(~dotted, t.str.replace(".", "", regex=False))
    comma_thousands = t.str.fullmatch(r"-?\d{1,3}(,\d{3}){2,}(\.\d+)?")
    t = t.where(~comma_thousands, t.str.replace(",", "", regex=False))
    return parsing.parse_decimal(t)


@dataclass
class _Problem:
    row: int
    column: str
    text: str
    sheet: str | None = None


@dataclass
class TableRead:
    """One table as read, with what ``validate`` reports about it.

    Attributes
    ----------
    frame : DataFrame
        The typed table (what :func:`read_table` returns), free text already masked.
    findings : DataFrame
        Personal data masked in free-text cells: ``sumber_berkas, baris, kolom, jenis``.
    notes : list of str
        Other sheets not read, content that did not match the file name, ...
    """

    frame: pd.DataFrame
    findings: pd.DataFrame
    notes: list[str]


def _screened(spec: pd.DataFrame) -> set[str]:
    """Columns whose free text reaches outputs: text, and codes not checked against a list."""
    return set(spec.loc[(spec["tipe"] == "teks") | ((spec["tipe"] == "kode") & (spec["rujukan"] == "")),
                        "kolom"])


def _stack(book: RawBook, spec: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    """The data sheets in schema columns, one after the other: text, Excel rows, sheets, formula mask.

    A sheet without a required column, or with one column twice, is refused naming the sheet.
    """
    required = spec[spec["wajib"]]
    parts, rows, sheets, masks = [], [], [], []
    for raw in book.tables:
        sheet = book.sheet_of(raw)
        found: dict[str, str] = {}
        for c in raw.frame.columns:
            key = header_key(c)
            if key in found and key in {header_key(k) for k in spec["kolom"]}:
                raise InputFileError(book.path, f"kolom ganda: '{found[key]}' dan '{c}' sama-sama berarti "
                                                f"'{c.strip()}'. Hapus salah satunya.", column=c, sheet=sheet)
            found.setdefault(key, c)
        for row in parsing.records(required):
            if header_key(row.kolom) not in found:
                listed = ", ".join(f"'{c}'" for c in raw.frame.columns)
                raise InputFileError(book.path, f"kolom wajib '{row.kolom}' tidak ada. Kolom yang ditemukan "
                                                f"(baris judul {raw.header_row}): {listed}.", column=row.kolom,
                                     sheet=sheet)
        filled = (raw.frame != "").any(axis=1).to_numpy()
        n = int(filled.sum())
        position = {c: i for i, c in enumerate(raw.frame.columns)}
        text, mask = {}, {}
        for col in spec["kolom"]:
            source = found.get(header_key(col))
            if source is None:
                text[col] = np.full(n, "", dtype=object)
                mask[col] = np.zeros(n, dtype=bool)
                continue
            text[col] = raw.frame.iloc[:, position[source]].to_numpy(dtype=object)[filled]
            mask[col] = (raw.uncached.iloc[:, position[source]].to_numpy()[filled]
                         if raw.uncached is not None else np.zeros(n, dtype=bool))
        parts.append(pd.DataFrame(text, index=range(n)))
        masks.append(pd.DataFrame(mask, index=range(n)))
        rows.append(raw.rows[filled])
        sheets.append(np.full(n, sheet, dtype=object))
    return (pd.concat(parts, ignore_index=True), np.concatenate(rows), np.concatenate(sheets),
            pd.concat(masks, ignore_index=True))


def _references(kab: str | None) -> dict[str, set]:
    refs = {"indikator": set(reference.indicators()["kode_indikator"])}
    svc = reference.services()
    refs["layanan"] = set(zip(svc["kelompok"], svc["kode_layanan"], strict=True))
    refs["desa"] = set(reference.villages(kab)["village_code"]) if kab else set()
    return refs


def _normalise_desa_code(text: pd.Series) -> pd.Series:
    """``6474011001`` → ``64.74.01.1001``; dotted codes unchanged."""
    t = text.str.strip().str.replace(r"\.0$", "", regex=True)
    nodot = t.str.fullmatch(r"\d{10}")
    dotted = t.str[0:2] + "." + t.str[2:4] + "." + t.str[4:6] + "." + t.str[6:10]
    return t.where(~nodot, dotted)


def _convert(kind: str, text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Typed values and a mask of unreadable cells."""
    if kind == "bulat":
        values, bad = parsing.parse_decimal(text)
        fractional = values.notna() & (values != np.round(values))
        return values.where(~fractional).round().astype("Int64"), bad | fractional
    if kind == "angka":
        values, bad = parsing.parse_decimal(text)
        return values.astype("Float64"), bad
    if kind == "rupiah":
        values, bad = parse_amount(text)
        return values.astype("Float64"), bad
    if kind == "tanggal":
        return parsing.parse_date(text)
    values = text.str.strip().astype("string")
    return values.where(~parsing.is_empty(text), pd.NA), pd.Series(False, index=text.index)


def _kind_text(kind: str) -> str:
    return {"bulat": "bilangan bulat", "angka": "angka", "rupiah": "jumlah rupiah",
            "tanggal": "tanggal (dd/mm/yyyy)"}.get(kind, "teks")


def read_table(name: str, path: str | Path, *, kab: str | None = None,
               tahun: int | None = None) -> pd.DataFrame:
    """Read and validate one table of the data package.

    Parameters
    ----------
    name : str
        One of :data:`TABLES`.
    path : str or Path
        CSV or Excel file; every sheet with the table's header is read.
    kab : str, optional
        District code: ``kode_desa`` values must be desa of this district.
    tahun : int, optional
        Added as column ``tahun`` (first column) for yearly tables.

    Returns
    -------
    DataFrame with the schema's columns (missing optional columns added empty), typed; NIKs and
    phone numbers in free-text columns are masked (see :func:`read_table_report`).

    Raises
    ------
    InputFileError
        File-level problems, a required column missing, or cell problems (file, sheet, row, column).
    """
    return read_table_report(name, path, kab=kab, tahun=tahun).frame


def read_table_report(name: str, path: str | Path, *, kab: str | None = None,
                      tahun: int | None = None) -> TableRead:
    """:func:`read_table` plus the personal data it masked and notes on the file (for ``validate``)."""
    spec = columns(name)
    known = {header_key(c): c for c in spec["kolom"]}
    required = spec[spec["wajib"]]
    book = read_raw_book(path, known, min_matches=min(2, len(required)))
    path = Path(path)
    frame, rows, sheets, uncached = _stack(book, spec)
    notes = list(book.notes)
    del book
    if frame.empty:
        raise InputFileError(path, "tidak ada baris data di bawah baris judul.")
    refs = _references(kab)
    problems: list[_Problem] = []
    out: dict[str, pd.Series] = {}
    found_pi: list[pd.DataFrame] = []
    screened = _screened(spec)
    source = np.array([path.name if s is None else f"{path.name}/{s}" for s in sheets], dtype=object)
    for col in parsing.records(spec):
        text = frame[col.kolom].astype(object)
        if col.kolom in screened:
            masked, kinds = screening.screen(text.astype("string"))
            hit = (kinds != "").to_numpy()
            if hit.any():
                found_pi.append(pd.DataFrame({"sumber_berkas": source[hit], "baris": rows[hit].astype("int64"),
                                              "kolom": col.kolom, "jenis": kinds[hit].astype(str).to_numpy()}))
                text = masked.astype(object)
        if col.kolom == "kode_desa":
            text = _normalise_desa_code(text.astype("string")).astype(object)
        values, bad = _convert(col.tipe, text)
        empty = parsing.is_empty(text)

        def report(mask, message, column=col.kolom):
            for i in np.flatnonzero(np.asarray(mask, dtype=bool))[:MAX_PROBLEMS]:
                problems.append(_Problem(int(rows[i]), column, message, sheets[i]))

        formula = uncached[col.kolom].to_numpy()
        report(formula, "berisi rumus Excel tanpa nilai tersimpan (berkas belum pernah dihitung di Excel); "
                        "buka di Excel lalu simpan ulang")
        report(bad & ~formula, f"bukan {_kind_text(col.tipe)}")
        if not col.boleh_kosong:
            report(empty & ~formula, "sel wajib diisi tetapi kosong")
        if not np.isnan(col.min):
            report(values.notna() & (values < col.min), f"nilai harus paling kecil {col.min:g}")
        if not np.isnan(col.max):
            report(values.notna() & (values > col.max), f"nilai harus paling besar {col.max:g}")
        if col.nilai:
            allowed = col.nilai.split("|")
            canon = {a.lower(): a for a in allowed}
            values = values.str.lower().map(canon).astype("string").where(values.notna())
            report(values.isna() & ~empty, f"nilai harus salah satu dari: {', '.join(allowed)}")
        if col.rujukan in ("indikator", "desa") and (col.rujukan != "desa" or kab):
            where = (" (bukan desa/kelurahan kabupaten/kota ini)" if col.rujukan == "desa"
                     else " (lihat analysis/data/reference/indikator.csv)")
            report(values.notna() & ~values.isin(refs[col.rujukan]), "kode tidak dikenal" + where)
        out[col.kolom] = values.reset_index(drop=True)
    table = pd.DataFrame(out)

    def report_rows(mask, column, message):
        for i in np.flatnonzero(np.asarray(mask, dtype=bool))[:MAX_PROBLEMS]:
            problems.append(_Problem(int(rows[i]), column, message, sheets[i]))

    for col in parsing.records(spec[spec["tidak_lebih_dari"] != ""]):
        over = (table[col.kolom] > table[col.tidak_lebih_dari]).fillna(False)
        report_rows(over.to_numpy(), col.kolom, f"tidak boleh lebih besar dari '{col.tidak_lebih_dari}'")
    if "layanan" in set(spec["rujukan"]):
        pairs = pd.Series(list(zip(table["kelompok"], table["layanan"], strict=True)))
        unknown = table["layanan"].notna() & table["kelompok"].notna() & ~pairs.isin(refs["layanan"])
        report_rows(unknown.to_numpy(), "layanan", "kode layanan tidak dikenal untuk kelompok ini "
                                                   "(lihat analysis/data/reference/layanan_konvergensi.csv)")
    key = list(spec.loc[spec["kunci"], "kolom"])
    duplicated = (table.duplicated(key, keep="first") & table[key].notna().all(axis=1)
                  if key else pd.Series(False, index=table.index))
    report_rows(duplicated.to_numpy(), key[0] if key else "",
                f"baris ganda: kombinasi {', '.join(key)} sudah ada di baris sebelumnya")
    if problems:
        problems.sort(key=lambda p: (p.sheet or "", p.row, p.column))
        first = problems[0]

        def place(p: _Problem) -> str:
            return (f"lembar '{p.sheet}', " if p.sheet and p.sheet != first.sheet else "") + \
                f"baris {p.row} kolom '{p.column}'"

        rest = "; ".join(f"{place(p)}: {p.text}" for p in problems[1:MAX_PROBLEMS])
        more = f" Masalah lain: {rest}." if rest else ""
        raise InputFileError(path, f"{first.text}.{more}", column=first.column, row=first.row, sheet=first.sheet)
    if tahun is not None and name not in DISTRICT_TABLES:
        table.insert(0, "tahun", pd.Series(int(tahun), index=table.index, dtype="Int64"))
    table = table.astype({c: _DTYPES[t] for c, t in zip(spec["kolom"], spec["tipe"], strict=True)})
    findings = pd.concat(found_pi, ignore_index=True) if found_pi else screening.empty_findings()
    return TableRead(table, findings, notes)
