"""Writing spreadsheets and CSV files that never turn data into formulas or links.

Every XLSX and CSV the suite writes goes through this module (``konvergensi zscores``, the
Excel templates, the report annex):

- :func:`write_xlsx` writes one sheet per DataFrame: text is always a text cell (xlsxwriter's
  ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` are off, and no cell
  is ever a hyperlink), numbers are number cells with an optional Excel number format per
  column, dates are date cells, and missing values (NaN, NA, NaT, None) are empty cells;
- :func:`xlsx_workbook` gives an xlsxwriter workbook with the same safe options, for writers
  that need more than a table (drop-down lists, instruction sheets), and :func:`write_cell`
  writes one value by its type;
- :func:`write_csv` writes a CSV in which every *text* cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab, a carriage return or a NUL byte is prefixed with ``'`` (OWASP's
  CSV-injection guidance; OWASP ASVS 5.0 V1.2.10), so a spreadsheet shows it as text. Number
  columns are left alone: a z-score of ``-1.2`` stays a number.

Both writers are atomic (a temporary file in the target folder, then a rename) and turn
operating-system errors into :class:`~analysis.errors.OutputFileError` in Bahasa Indonesia.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import numbers
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from analysis.errors import OutputFileError, describe_os_error

#: Rows of one Excel sheet, header included (Excel's limit).
XLSX_MAX_ROWS = 1_048_576
#: Columns of one Excel sheet.
XLSX_MAX_COLUMNS = 16_384
#: Characters of one Excel cell; longer text is cut and ends with "…".
XLSX_MAX_CHARS = 32_767
#: First characters that make a spreadsheet read a CSV cell as a formula.
CSV_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
#: Options of every workbook: data is never a formula, a link or a number parsed from text.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
    "remove_timezone": True,
}
#: Excel number formats used when the caller gives none.
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Header cells of :func:`write_xlsx`.
HEADER_FORMAT: dict[str, Any] = {"bold": True, "text_wrap": True, "valign": "top"}
#: Column widths chosen from the header and the first rows (characters).
WIDTH_MIN, WIDTH_MAX, WIDTH_SAMPLE = 8, 60, 200


def neutralise_csv_text(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula.

    >>> neutralise_csv_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_csv_text("Posyandu Mawar")
    'Posyandu Mawar'
    """
    return "'" + text if text.startswith(CSV_FORMULA_TRIGGERS) else text


def _is_text_column(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
                or pd.api.types.is_datetime64_any_dtype(series)
                or pd.api.types.is_timedelta64_dtype(series))


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and header are neutralised (numbers untouched)."""
    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if _is_text_column(col):
            out.isetitem(i, col.astype(object).map(
                lambda v: neutralise_csv_text(v) if isinstance(v, str) else v).to_numpy())
    out.columns = [neutralise_csv_text(str(c)) for c in out.columns]
    return out


@contextlib.contextmanager
def _atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed onto ``path`` when the block succeeds."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputFileError(path, f"tidak dapat ditulis: {describe_os_error(exc)}.") from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputFileError(path, f"tidak dapat ditulis: {describe_os_error(exc)}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_csv(path: str | Path, frame: pd.DataFrame, *, sep: str = ",", encoding: str = "utf-8",
              date_format: str = "%Y-%m-%d", float_format: str | None = None) -> Path:
    """Write ``frame`` as CSV with text cells neutralised (see :func:`neutralise_csv_text`).

    Parameters
    ----------
    path : str or Path
        Target file; written atomically.
    frame : DataFrame
        Written without its index. Number, boolean and datetime columns are written as they
        are; every other column is text.
    sep, encoding, date_format, float_format
        As for :meth:`pandas.DataFrame.to_csv`.

    Raises
    ------
    OutputFileError
        The file cannot be written (message in Bahasa Indonesia).
    """
    path = Path(path)
    safe = csv_safe_frame(frame)
    with _atomic_target(path) as tmp:
        # CRLF as in RFC 4180: the csv writer then also quotes cells holding a bare CR or LF
        safe.to_csv(tmp, index=False, sep=sep, encoding=encoding, date_format=date_format,
                    float_format=float_format, lineterminator="\r\n")
    return path


@contextlib.contextmanager
def xlsx_workbook(path: str | Path, *, constant_memory: bool = False,
                  properties: Mapping[str, Any] | None = None) -> Iterator[xlsxwriter.Workbook]:
    """An xlsxwriter workbook with :data:`WORKBOOK_OPTIONS`, closed and renamed onto ``path``.

    Use it for workbooks that need more than tables; write data with :func:`write_cell` (or
    ``worksheet.write_string`` / ``write_number``), never with ``write_formula`` or
    ``write_url``.

    Raises
    ------
    OutputFileError
        The file cannot be written.
    """
    path = Path(path)
    with _atomic_target(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {**WORKBOOK_OPTIONS, "constant_memory": constant_memory})
        if properties:
            wb.set_properties(dict(properties))
        try:
            yield wb
        finally:
            try:
                wb.close()
            except FileCreateError as exc:
                cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
                reason = describe_os_error(cause) if cause is not None else "galat saat menulis"
                raise OutputFileError(path, f"tidak dapat ditulis: {reason}.") from None


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, str) and not value):
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, np.floating):
        return not np.isfinite(value)
    return bool(isinstance(value, np.datetime64) and np.isnat(value))


def _excel_text(value: str) -> str:
    return value if len(value) <= XLSX_MAX_CHARS else value[:XLSX_MAX_CHARS - 1] + "…"


def write_cell(ws: Any, row: int, col: int, value: Any, cell_format: Any = None, *,
               date_format: Any = None) -> None:
    """Write one value by its type: text as text, numbers as numbers, missing as empty.

    Parameters
    ----------
    ws : xlsxwriter Worksheet
    row, col : int
        Zero-based cell position.
    value : object
        ``str`` → text cell (cut at :data:`XLSX_MAX_CHARS`; ``""`` is empty); ``bool`` → boolean; other numbers →
        number (NaN and infinities → empty); ``date``/``datetime``/``Timestamp`` → date cell
        with ``date_format``; None/NA/NaT → nothing written; anything else → its ``str``.
    cell_format, date_format : xlsxwriter Format, optional
    """
    if _is_missing(value):
        if cell_format is not None:
            ws.write_blank(row, col, None, cell_format)
        return
    if isinstance(value, str):
        ws.write_string(row, col, _excel_text(value), cell_format)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value), cell_format)
    elif isinstance(value, numbers.Real):
        ws.write_number(row, col, float(value), cell_format)
    elif isinstance(value, (dt.date, np.datetime64)):
        stamp = pd.Timestamp(value).to_pydatetime()
        ws.write_datetime(row, col, stamp, date_format if date_format is not None else cell_format)
    else:
        ws.write_string(row, col, _excel_text(str(value)), cell_format)


def _column_values(series: pd.Series) -> tuple[str, list[Any]]:
    """(kind, values): values as plain Python objects with None for missing."""
    if pd.api.types.is_bool_dtype(series):
        return "bool", [None if pd.isna(v) else bool(v) for v in series.astype(object)]
    if pd.api.types.is_numeric_dtype(series):
        values = series.astype("float64").to_numpy()
        finite = np.isfinite(values)
        return "number", [float(v) if ok else None for v, ok in zip(values, finite, strict=True)]
    if pd.api.types.is_datetime64_any_dtype(series):
        s = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        has_time = bool((s.dropna() != s.dropna().dt.normalize()).any())
        return ("datetime" if has_time else "date"), [None if pd.isna(v) else v.to_pydatetime() for v in s]
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return "mixed", list(series.astype(object))


def _width(header: str, values: list[Any]) -> int:
    sample = [len(str(v)) for v in values[:WIDTH_SAMPLE] if v is not None]
    return min(max(max([len(header), *sample]) + 2, WIDTH_MIN), WIDTH_MAX)


def write_xlsx(path: str | Path, sheets: Mapping[str, pd.DataFrame], *,
               formats: Mapping[str, Mapping[str, str]] | None = None,
               header_format: Mapping[str, Any] | None = None, freeze_header: bool = True,
               column_widths: bool = True, properties: Mapping[str, Any] | None = None) -> Path:
    """Write one sheet per DataFrame, text as text and numbers as numbers.

    Parameters
    ----------
    path : str or Path
        Target ``.xlsx``; written atomically.
    sheets : mapping of sheet name → DataFrame
        In order. Sheet names must be valid Excel names (1–31 characters, no ``[]:*?/\\``);
        an invalid name is a programming error (``xlsxwriter`` raises).
    formats : mapping of sheet name → {column: Excel number format}, optional
        E.g. ``{"Cakupan": {"persen": "0.0", "pagu": "#,##0"}}``. Date columns default to
        :data:`DATE_FORMAT` (or :data:`DATETIME_FORMAT` when a value has a time).
    header_format : xlsxwriter format properties of the header row (default
        :data:`HEADER_FORMAT`).
    freeze_header : keep the header row visible while scrolling.
    column_widths : set each column's width from its header and first rows.
    properties : workbook properties (``title``, ``author``, ``created``...).

    Returns
    -------
    Path

    Raises
    ------
    OutputFileError
        A sheet exceeds Excel's size (the message suggests ``.csv``) or the file cannot be
        written.
    """
    path = Path(path)
    formats = formats or {}
    for name, frame in sheets.items():
        if len(frame) + 1 > XLSX_MAX_ROWS or frame.shape[1] > XLSX_MAX_COLUMNS:
            raise OutputFileError(path, f"lembar '{name}' berisi {len(frame):,} baris × {frame.shape[1]} "
                                        f"kolom, melebihi batas Excel ({XLSX_MAX_ROWS - 1:,} baris data, "
                                        f"{XLSX_MAX_COLUMNS:,} kolom). Simpan sebagai .csv."
                                  .replace(",", "."))
    with xlsx_workbook(path, constant_memory=True, properties=properties) as wb:
        head = wb.add_format(dict(HEADER_FORMAT if header_format is None else header_format))
        cache: dict[str, Any] = {}

        def number_format(code: str | None) -> Any:
            if code is None:
                return None
            if code not in cache:
                cache[code] = wb.add_format({"num_format": code})
            return cache[code]

        for name, frame in sheets.items():
            ws = wb.add_worksheet(name)
            own = formats.get(name, {})
            columns = []
            for i in range(frame.shape[1]):
                header = str(frame.columns[i])
                kind, values = _column_values(frame.iloc[:, i])
                code = own.get(header)
                if code is None and kind in ("date", "datetime"):
                    code = DATE_FORMAT if kind == "date" else DATETIME_FORMAT
                fmt = number_format(code)
                columns.append((values, fmt))
                ws.write_string(0, i, _excel_text(header), head)
                if column_widths:
                    ws.set_column(i, i, _width(header, values))
            date_fmt = number_format(DATE_FORMAT)
            for r in range(len(frame)):
                for c, (values, fmt) in enumerate(columns):
                    value = values[r]
                    if value is not None:
                        write_cell(ws, r + 1, c, value, fmt, date_format=fmt or date_fmt)
            if freeze_header:
                ws.freeze_panes(1, 0)
    return path
