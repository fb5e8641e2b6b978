"""Read any tabular input file (CSV or Excel) as text cells, wherever its header row is.

The readers here know nothing about e-PPGBM or the other tables: they turn a file into a frame
of strings (one column per header cell, empty string for an empty cell) and remember where the
header was, so that every data row can be named by its row number as seen in Excel (header row
= 1 when nothing is above it). File-level problems raise
:class:`~analysis.errors.InputFileError` naming the file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InputFileError

#: Rows searched for the header (title rows above the header are common in exports).
HEADER_SEARCH_ROWS = 30
#: Delimiters tried for CSV files.
DELIMITERS = (",", ";", "\t", "|")
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}

_MAGIC = {
    b"PK\x03\x04": "excel",          # xlsx/xlsm/ods (zip)
    b"\xd0\xcf\x11\xe0": "excel",     # xls (OLE)
    b"\x89PNG": "gambar PNG",
    b"\xff\xd8\xff": "gambar JPEG",
    b"GIF8": "gambar GIF",
    b"%PDF": "dokumen PDF",
}


@dataclass
class RawTable:
    """A table read as text.

    Attributes
    ----------
    path : Path
        The file read.
    frame : pandas.DataFrame
        One column per header cell (header text as found, stripped), all values ``str``.
    rows : numpy.ndarray
        Excel row number of each data row (header row number + 1 + position).
    header_row : int
        Excel row number of the header.
    sheet : str or None
        Sheet name for Excel files.
    encoding, delimiter : str or None
        What was detected for CSV files.
    """

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def header_key(text: object) -> str:
    """Normalised header: lower case, accents removed, only letters and digits.

    ``"Tgl Lahir"``, ``" TGL_LAHIR "`` and ``"tgl. lahir"`` all give ``"tgllahir"``.
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def sniff_kind(path: Path, head: bytes) -> str:
    """``"excel"`` or ``"text"`` from the file's first bytes; raise for other binary files."""
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            if kind == "excel":
                return "excel"
            raise InputFileError(path, f"berkas ini adalah {kind}, bukan tabel (CSV atau Excel).")
    if path.suffix.lower() in EXCEL_SUFFIXES and head.lstrip().lower().startswith((b"<", b"\xef\xbb\xbf<")):
        raise InputFileError(path, "berkas ini sebenarnya halaman HTML yang diberi akhiran Excel (sering terjadi "
                                   "pada unduhan dari aplikasi web). Buka di Excel lalu Simpan Sebagai .xlsx.")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        raise InputFileError(path, "berkas berakhiran Excel tetapi isinya bukan berkas Excel yang sah "
                                   "(mungkin rusak atau hanya diganti namanya). Simpan ulang dari Excel.")
    return "text"


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1.

    Returns
    -------
    (text, encoding)
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise InputFileError(path, "berkas ini bukan teks/tabel yang dapat dibaca (berisi data biner "
                                   "atau encoding tidak dikenal). Simpan sebagai CSV UTF-8 atau XLSX.")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
        if control > max(5, len(text[:20000]) // 200):
            break
        return text, encoding
    raise InputFileError(path, "encoding berkas tidak dapat dikenali atau diperbaiki. "
                               "Simpan ulang sebagai CSV UTF-8 atau XLSX.")


def _best_header(rows: list[list[str]], score: Callable[[list[str]], int]) -> tuple[int, int]:
    """Index of the best-scoring row among ``rows`` and its score (first wins ties)."""
    best, best_score = -1, 0
    for i, cells in enumerate(rows):
        s = score(cells)
        if s > best_score:
            best, best_score = i, s
    return best, best_score


def _header_scorer(known: set[str]) -> Callable[[list[str]], int]:
    def score(cells: list[str]) -> int:
        return len({header_key(c) for c in cells if str(c).strip()} & known)

    return score


def _not_found(path: Path, known_titles: Iterable[str], min_matches: int) -> InputFileError:
    titles = ", ".join(known_titles)
    return InputFileError(
        path,
        f"baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama (minimal "
        f"{min_matches} judul kolom yang dikenal). Ini bukan tabel yang diharapkan; judul kolom "
        f"yang dicari: {titles}.")


def read_raw(path: str | Path, known_headers: dict[str, str], *, min_matches: int = 2) -> RawTable:
    """Read a CSV or Excel file as text cells, finding the header row.

    Parameters
    ----------
    path : str or Path
        The file.
    known_headers : dict
        ``header_key(title) -> display title`` of every header the caller recognises; the header
        row is the first row among the first :data:`HEADER_SEARCH_ROWS` with the most of them.
    min_matches : int
        Fewest recognised headers for a row to count as the header.

    Raises
    ------
    InputFileError
        Missing, empty, binary, undecodable, header not found, header only, ragged rows.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "berkas tidak ditemukan.")
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError(path, "berkas kosong (0 baris).")
    known = set(known_headers)
    titles = list(dict.fromkeys(known_headers.values()))
    if sniff_kind(path, data[:64]) == "excel":
        table = _read_excel(path, known, titles, min_matches)
    else:
        table = _read_csv(path, data, known, titles, min_matches)
    table = _trim_trailing_blank(table)
    if table.frame.empty:
        raise InputFileError(path, f"berkas hanya berisi baris judul (baris {table.header_row}); "
                                   "tidak ada baris data.", row=table.header_row)
    return table


def _trim_trailing_blank(table: RawTable) -> RawTable:
    """Drop empty rows after the last filled row (blank lines at the end of a file are no data)."""
    filled = (table.frame != "").any(axis=1).to_numpy()
    last = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    if last < len(table.frame):
        table.frame = table.frame.iloc[:last]
        table.rows = table.rows[:last]
    return table


def _read_csv(path: Path, data: bytes, known: set[str], titles: list[str],
              min_matches: int) -> RawTable:
    text, encoding = decode_text(path, data)
    head_lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    score = _header_scorer(known)
    best = (-1, 0, ",")
    for delimiter in DELIMITERS:
        rows = list(csv.reader(head_lines, delimiter=delimiter))
        index, s = _best_header(rows, score)
        if s > best[1]:
            best = (index, s, delimiter)
    header_index, matched, delimiter = best
    if matched < min_matches:
        raise _not_found(path, titles, min_matches)
    header_cells = next(csv.reader([head_lines[header_index]], delimiter=delimiter))
    frame = _read_csv_fast(text, header_index, delimiter, header_cells)
    try:
        if frame is None:
            frame = pd.read_csv(
                io.StringIO(text), sep=delimiter, skiprows=header_index, header=0, dtype=str,
                keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
            )
    except pd.errors.ParserError:
        raise _ragged(path, text, header_index, delimiter) from None
    except (pd.errors.EmptyDataError, ValueError) as exc:
        raise InputFileError(path, f"tabel tidak dapat dibaca ({exc}).") from None
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = _drop_unnamed_empty(frame)
    header_row = header_index + 1
    rows = np.arange(header_row + 1, header_row + 1 + len(frame))
    return RawTable(path, frame, rows, header_row, encoding=encoding, delimiter=delimiter)


def _read_csv_fast(text: str, header_index: int, delimiter: str,
                   header: list[str]) -> pd.DataFrame | None:
    """Multithreaded pyarrow parse, or None when the text needs the careful C parser.

    pyarrow skips blank lines (which would shift Excel row numbers) and stops at ragged rows;
    such files, and anything else it refuses, go through pandas' C parser instead.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    body = text.rstrip()
    if len(set(header)) != len(header):
        return None  # duplicate headers: let pandas name them apart
    if "\n\n" in body or "\n\r\n" in body or "\r\r" in body:
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(skip_rows=header_index, autogenerate_column_names=False),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 null_values=[], auto_dict_encode=False,
                                                 column_types={name: pa.string() for name in header}),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.column_names != header:
        return None
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


def _ragged(path: Path, text: str, header_index: int, delimiter: str) -> InputFileError:
    lines = text.splitlines()[header_index:]
    reader = csv.reader(lines, delimiter=delimiter)
    width = len(next(reader))
    for offset, cells in enumerate(reader, start=1):
        if len(cells) > width:
            row = header_index + offset + 1
            return InputFileError(path, f"bentuk tabel tidak beraturan: baris ini berisi {len(cells)} "
                                        f"sel, sedangkan baris judul berisi {width} kolom. Periksa "
                                        "pemisah kolom dan tanda kutip.", row=row)
    return InputFileError(path, "bentuk tabel tidak beraturan (jumlah sel per baris berbeda).")


def _drop_unnamed_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop columns with an empty header that hold nothing (trailing separators, Excel padding)."""
    keep = [i for i, c in enumerate(frame.columns)
            if not (c == "" or c.startswith("Unnamed:")) or (frame.iloc[:, i] != "").any()]
    return frame.iloc[:, keep]


def _cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cells (numbers, datetimes, text, empty) as strings; empty cells become ``""``."""
    out = {}
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        out[i] = col.astype("string").fillna("")
    result = pd.DataFrame(out)
    return result.apply(lambda s: s.str.strip()) if len(result) else result


def _read_excel(path: Path, known: set[str], titles: list[str], min_matches: int) -> RawTable:
    try:
        from python_calamine import CalamineWorkbook

        sheets = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputFileError(path, f"berkas Excel tidak dapat dibuka ({type(exc).__name__}); "
                                   "mungkin rusak atau dilindungi kata sandi.") from None
    score = _header_scorer(known)
    for sheet in sheets:
        try:
            raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
        except Exception as exc:
            raise InputFileError(path, f"lembar '{sheet}' tidak dapat dibaca ({type(exc).__name__}).") from None
        if raw.empty:
            continue
        head = _cells_as_text(raw.iloc[:HEADER_SEARCH_ROWS])
        index, matched = _best_header(head.values.tolist(), score)
        if matched < min_matches:
            continue
        body = _cells_as_text(raw.iloc[index + 1:])
        header = [str(c).strip() for c in head.iloc[index].tolist()]
        body.columns = header
        body = _drop_unnamed_empty(body).reset_index(drop=True)
        header_row = index + 1
        rows = np.arange(header_row + 1, header_row + 1 + len(body))
        return RawTable(path, body, rows, header_row, sheet=sheet)
    if not sheets:
        raise InputFileError(path, "berkas Excel tidak berisi lembar kerja.")
    raise _not_found(path, titles, min_matches)
