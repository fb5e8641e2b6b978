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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from analysis.errors import InputFileError, describe_os_error
from analysis.ingest import workbook

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
    uncached : DataFrame of bool or None
        Same shape as ``frame``: True where the cell is a formula without a cached value (it
        reads as empty). None when there is none.
    columns_at : list of int or None
        0-based sheet column of each column of ``frame`` (workbooks only).
    """

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    uncached: pd.DataFrame | None = None
    columns_at: list[int] | None = None


def header_key(text: object) -> str:
    """Normalised header: lower case, accents removed, only letters and digits.

    ``"Tgl Lahir"``, ``" TGL_LAHIR "`` and ``"tgl. lahir"`` all give ``"tgllahir"``.
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def sniff_kind(path: Path, head: bytes) -> str:
    """``"excel"`` (zip or OLE workbook) or ``"text"`` from the file's first bytes, whatever the
    file is called; raise for images and PDFs. Text is then read as CSV, HTML or SpreadsheetML
    by its content."""
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            if kind == "excel":
                return "excel"
            raise InputFileError(path, f"berkas ini adalah {kind}, bukan tabel (CSV atau Excel).")
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


def _not_found(path: Path, known_titles: Iterable[str], min_matches: int,
               sheets: list[str] | None = None) -> InputFileError:
    titles = ", ".join(known_titles)
    searched = f" Lembar yang diperiksa: {_quoted(sheets)}." if sheets and len(sheets) > 1 else ""
    return InputFileError(
        path,
        f"baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama (minimal "
        f"{min_matches} judul kolom yang dikenal). Ini bukan tabel yang diharapkan; judul kolom "
        f"yang dicari: {titles}.{searched}")


@dataclass
class RawBook:
    """Every table of one input file: one per data sheet of a workbook, one for a CSV.

    Attributes
    ----------
    path : Path
    tables : list of RawTable
        In tab order; each has ``sheet`` set for workbooks (the table number for HTML).
    kind : str
        What the content is: ``csv``, ``xlsx``, ``xls``, ``ods``, ``html`` or ``xml2003``.
    sheet_names : list of str
        Every sheet of a workbook (empty for CSV).
    notes : list of str
        Indonesian notes for the analyst: other sheets not read, content that did not match
        the file name, cells outside the table.
    """

    path: Path
    tables: list[RawTable]
    kind: str
    sheet_names: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def several_sheets(self) -> bool:
        """The file has more than one sheet, so messages and row labels name the sheet."""
        return len(self.sheet_names) > 1

    def sheet_of(self, table: RawTable) -> str | None:
        """The sheet name to put in messages about ``table`` (None when there is only one)."""
        return table.sheet if self.several_sheets else None

    def source(self, table: RawTable) -> str:
        """Row label of ``table``: ``eppgbm.xlsx`` or, with several data sheets, ``eppgbm.xlsx/Agustus``."""
        if len(self.tables) > 1 and table.sheet is not None:
            return f"{self.path.name}/{table.sheet}"
        return self.path.name


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or special file is an :class:`InputFileError`."""
    if not path.exists():
        raise InputFileError(path, "berkas tidak ditemukan.")
    if path.is_dir():
        raise InputFileError(path, "ini sebuah folder, bukan berkas tabel.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"berkas tidak dapat dibaca: {describe_os_error(exc)}.") from None


def read_raw_book(path: str | Path, known_headers: dict[str, str], *, min_matches: int = 2) -> RawBook:
    """Read a CSV, Excel, HTML-table or SpreadsheetML file as text tables, finding each header row.

    The content decides how the file is read, not its name: an HTML table saved as ``.xls``
    (web applications' "Excel" downloads) is read as HTML, a CSV saved as ``.xls`` as CSV.
    Every sheet whose header row has at least ``min_matches`` recognised titles is a table;
    the caller checks that each has the columns it needs (and names the sheet when not).

    Parameters
    ----------
    path : str or Path
        The file.
    known_headers : dict
        ``header_key(title) -> display title`` of every header the caller recognises; the header
        row of a sheet is the first row among its first :data:`HEADER_SEARCH_ROWS` with the
        most of them.
    min_matches : int
        Fewest recognised headers for a row to count as the header.

    Raises
    ------
    InputFileError
        Missing, unreadable, empty, binary, undecodable, unsafe workbook (see
        :mod:`analysis.ingest.workbook`), header not found in any sheet, header only, ragged rows.
    """
    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise InputFileError(path, "berkas kosong (0 baris).")
    known = set(known_headers)
    titles = list(dict.fromkeys(known_headers.values()))
    kind = sniff_kind(path, data[:64])
    if kind == "excel":
        book = _read_workbook(path, data, known, titles, min_matches)
    else:
        book = _read_text_file(path, data, known, titles, min_matches)
    for table in book.tables:
        _trim_trailing(table, book)
        if table.frame.empty:
            raise InputFileError(path, f"berkas hanya berisi baris judul (baris {table.header_row}); "
                                       "tidak ada baris data.", row=table.header_row, sheet=book.sheet_of(table))
    return book


def _read_text_file(path: Path, data: bytes, known: set[str], titles: list[str],
                    min_matches: int) -> RawBook:
    text, encoding = decode_text(path, data)
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    excel_name = path.suffix.lower() in EXCEL_SUFFIXES
    if head.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in head:
            return _read_xml2003(path, data, known, titles, min_matches)
        return _read_html(path, text, known, titles, min_matches)
    try:
        book = RawBook(path, [_read_csv(path, text, encoding, known, titles, min_matches)], "csv")
    except InputFileError as exc:
        if not excel_name:
            raise
        detail = str(exc).split(": ", 1)[-1]
        raise InputFileError(path, f"berkas berakhiran {path.suffix} ini bukan berkas Excel melainkan teks; "
                                   f"dibaca sebagai CSV: {detail}", row=exc.row, column=exc.column) from None
    if excel_name:
        book.notes.append(f"berkas berakhiran {path.suffix} ternyata teks CSV dan dibaca sebagai CSV")
    return book


def _read_csv(path: Path, text: str, encoding: str, known: set[str], titles: list[str],
              min_matches: int) -> RawTable:
    head_lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    score = _header_scorer(known)
    best = (-1, 0, ",")
    for delimiter in DELIMITERS:
        candidates = list(csv.reader(head_lines, delimiter=delimiter))
        index, s = _best_header(candidates, score)
        if s > best[1]:
            best = (index, s, delimiter)
    header_index, matched, delimiter = best
    if matched < min_matches:
        raise _not_found(path, titles, min_matches)
    header_cells = [c.strip() for c in next(csv.reader([head_lines[header_index]], delimiter=delimiter))]
    frame = _read_csv_fast(text, header_index, delimiter, header_cells)
    if frame is None:
        try:
            # header=None keeps duplicated titles as they are (pandas would rename "Berat" to
            # "Berat.1"), so that a duplicated column is refused as in Excel files
            frame = pd.read_csv(
                io.StringIO(text), sep=delimiter, skiprows=header_index + 1, header=None,
                names=range(len(header_cells)), dtype=str, keep_default_na=False, na_filter=False,
                skip_blank_lines=False, engine="c", index_col=False,
            )
        except pd.errors.ParserError:
            raise _ragged(path, text, header_index, delimiter) from None
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame({i: pd.Series(dtype=str) for i in range(len(header_cells))})
        except ValueError:
            raise InputFileError(path, "tabel tidak dapat dibaca (isi tidak berbentuk tabel).") from None
        frame.columns = header_cells
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame, _ = _drop_unnamed_empty(frame)
    header_row = header_index + 1
    rows = np.arange(header_row + 1, header_row + 1 + len(frame))
    return RawTable(path, frame, rows, header_row, encoding=encoding, delimiter=delimiter)


def _drop_unnamed_empty(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Drop columns with an empty header that hold nothing (trailing separators, Excel padding).

    Returns the frame and, for each column kept, its position in the input.
    """
    keep = [i for i, c in enumerate(frame.columns)
            if not (c == "" or c.startswith("Unnamed:")) or (frame.iloc[:, i] != "").any()]
    return frame.iloc[:, keep], keep


def _unnamed(columns: Iterable[str]) -> np.ndarray:
    return np.array([c == "" or c.startswith("Unnamed:") for c in columns], dtype=bool)


def _trim_trailing(table: RawTable, book: RawBook) -> None:
    """Drop rows after the last row with something under a named column.

    Blank lines at the end of a file are no data, and neither is a stray cell far below the
    table in a column without a header: such cells are named in a note, not counted as rows.
    """
    frame = table.frame
    if frame.empty:
        return
    named = ~_unnamed(frame.columns)
    in_table = ((frame.loc[:, named] if named.any() else frame) != "").any(axis=1).to_numpy()
    last = int(np.flatnonzero(in_table)[-1]) + 1 if in_table.any() else 0
    if last < len(frame):
        outside = np.argwhere((frame.iloc[last:] != "").to_numpy())
        if len(outside):
            refs = [_cell_name(table, last + int(i), int(j)) for i, j in outside[:3]]
            more = f" dan {len(outside) - 3} sel lain" if len(outside) > 3 else ""
            where = f" (lembar '{table.sheet}')" if book.several_sheets and table.sheet else ""
            book.notes.append(f"sel di luar tabel{where} tidak dibaca sebagai data: {', '.join(refs)}{more}")
        table.frame, kept = _drop_unnamed_empty(frame.iloc[:last])  # a column of only stray cells goes too
        table.rows = table.rows[:last]
        if table.uncached is not None:
            table.uncached = table.uncached.iloc[:last, kept]
        if table.columns_at is not None:
            table.columns_at = [table.columns_at[k] for k in kept]


def _cell_name(table: RawTable, i: int, j: int) -> str:
    row = int(table.rows[i])
    if table.columns_at is None:
        return f"baris {row}"
    return workbook.cell_ref(row, table.columns_at[j] + 1)


def _lists_titles(head: pd.DataFrame, known: set[str]) -> int:
    """Most recognised titles found below each other in one column of ``head``.

    An instructions sheet ("Petunjuk") lists the columns of the table downwards; when more
    titles stand in one column than in the best row, the sheet describes the table, it is not one.
    """
    return max((len({header_key(v) for v in head.iloc[:, j] if str(v).strip()} & known)
                for j in range(head.shape[1])), default=0)


def _grid_table(path: Path, grid: pd.DataFrame, known: set[str], min_matches: int, *, sheet: str | None,
                uncached: Sequence[tuple[int, int]] = ()) -> RawTable | None:
    """The table of one sheet (cells as text, from A1), or None when no header row is found."""
    head = grid.iloc[:HEADER_SEARCH_ROWS]
    index, matched = _best_header(head.values.tolist(), _header_scorer(known))
    if matched < min_matches or _lists_titles(head, known) > matched:
        return None
    body = grid.iloc[index + 1:].reset_index(drop=True)
    body.columns = [str(c).strip() for c in head.iloc[index].tolist()]
    body, kept = _drop_unnamed_empty(body)
    header_row = index + 1
    rows = np.arange(header_row + 1, header_row + 1 + len(body))
    table = RawTable(path, body.reset_index(drop=True), rows, header_row, sheet=sheet)
    table.columns_at = kept
    if uncached:
        mask = np.zeros(body.shape, dtype=bool)
        position = {c: k for k, c in enumerate(kept)}
        for r, c in uncached:
            i, k = r - header_row - 1, position.get(c - 1)
            if 0 <= i < len(body) and k is not None:
                mask[i, k] = True
        if mask.any():
            table.uncached = pd.DataFrame(mask, columns=body.columns)
    return table


def _read_workbook(path: Path, data: bytes, known: set[str], titles: list[str], min_matches: int) -> RawBook:
    uncached: dict[str, list[tuple[int, int]]] = {}
    kind = "xls"
    if data.startswith(b"PK\x03\x04"):
        z, kind = workbook.open_workbook_zip(path)
        with z:
            workbook.check_sizes(path, z)
        if kind == "xlsx":  # bounded before any reader sees it (stray far cells, bombs)
            info = workbook.inspect_xlsx(path)
            uncached = {s.name: s.uncached for s in info.sheets}
    try:
        sheets = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputFileError(path, f"berkas Excel tidak dapat dibuka ({type(exc).__name__}); "
                                   "mungkin rusak atau dilindungi kata sandi.") from None
    book = RawBook(path, [], kind, sheet_names=list(sheets))
    others = []
    for sheet in sheets:
        try:
            raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
        except Exception as exc:
            raise InputFileError(path, f"lembar ini tidak dapat dibaca ({type(exc).__name__}).",
                                 sheet=sheet) from None
        if raw.empty:
            continue
        table = _grid_table(path, _cells_as_text(raw), known, min_matches, sheet=sheet,
                            uncached=uncached.get(sheet, []))
        if table is None:
            others.append(sheet)
        else:
            book.tables.append(table)
    if not sheets:
        raise InputFileError(path, "berkas Excel tidak berisi lembar kerja.")
    if not book.tables:
        raise _not_found(path, titles, min_matches, list(sheets))
    if others:
        book.notes.append(f"lembar lain tidak dibaca (tidak ada baris judul kolom yang dikenali): {_quoted(others)}")
    if len(book.tables) > 1:
        book.notes.append(f"data dibaca dari {len(book.tables)} lembar: "
                          f"{_quoted([t.sheet for t in book.tables if t.sheet])}")
    return book


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cells (numbers, datetimes, text, empty) as strings; empty cells become ``""``."""
    out = {}
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        out[i] = col.astype("string").fillna("")
    result = pd.DataFrame(out)
    return result.apply(lambda s: s.str.strip()) if len(result) else result


def _grid_from_rows(rows: list[list[str]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object).astype(str) \
        if rows else pd.DataFrame()


def _read_html(path: Path, text: str, known: set[str], titles: list[str], min_matches: int) -> RawBook:
    """HTML tables (a web application's "Excel" download): each ``<table>`` is a sheet."""
    from bs4 import BeautifulSoup  # noqa: PLC0415 - HTML saved as Excel only; importing bs4 costs 45 ms

    if len(text) > workbook.MAX_TEXT_WORKBOOK:
        raise InputFileError(path, f"halaman HTML ini lebih dari {workbook.MAX_TEXT_WORKBOOK // 1024**2} MB; "
                                   "buka di Excel lalu Simpan Sebagai .xlsx atau .csv.")
    soup = BeautifulSoup(text, "html.parser")
    found = soup.find_all("table")
    book = RawBook(path, [], "html", notes=["berkas ini halaman HTML (tabel web) dan dibaca sebagai tabel"])
    if not found:
        raise InputFileError(path, "berkas ini halaman HTML tanpa tabel data (mungkin halaman masuk atau "
                                   "pesan galat dari aplikasi web, bukan hasil unduhan). Unduh ulang datanya.")
    for number, table in enumerate(found, start=1):
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue  # a row of a nested table belongs to that table
            cells: list[str] = []
            for td in tr.find_all(["td", "th"], recursive=False):
                cells.append(td.get_text(" ", strip=True))
                span = str(td.get("colspan", "1"))
                cells += [""] * (min(int(span), 100) - 1 if span.isdigit() else 0)
            rows.append(cells)
        raw = _grid_table(path, _grid_from_rows(rows), known, min_matches, sheet=f"tabel {number}")
        if raw is not None:
            book.tables.append(raw)
    if not book.tables:
        raise _not_found(path, titles, min_matches)
    book.sheet_names = [t.sheet for t in book.tables if t.sheet] if len(book.tables) > 1 else []
    return book


def _read_xml2003(path: Path, data: bytes, known: set[str], titles: list[str], min_matches: int) -> RawBook:
    """SpreadsheetML 2003 (``<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">``)."""
    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    if len(data) > workbook.MAX_TEXT_WORKBOOK:
        raise InputFileError(path, f"berkas XML ini lebih dari {workbook.MAX_TEXT_WORKBOOK // 1024**2} MB; "
                                   "buka di Excel lalu Simpan Sebagai .xlsx atau .csv.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise InputFileError(path, "berkas XML Excel 2003 ini rusak; buka di Excel lalu Simpan Sebagai "
                                   ".xlsx.") from None
    sheets = root.findall(f"{ns}Worksheet")
    book = RawBook(path, [], "xml2003", sheet_names=[s.get(f"{ns}Name", f"lembar {i}")
                                                       for i, s in enumerate(sheets, start=1)],
                   notes=["berkas ini lembar kerja XML Excel 2003 dan dibaca sebagai tabel"])
    for sheet, name in zip(sheets, book.sheet_names, strict=True):
        rows: list[list[str]] = []
        for row in sheet.iter(f"{ns}Row"):
            r_index = row.get(f"{ns}Index")
            while r_index and r_index.isdigit() and len(rows) < min(int(r_index), 1_048_576) - 1:
                rows.append([])
            cells: list[str] = []
            for cell in row.findall(f"{ns}Cell"):
                c_index = cell.get(f"{ns}Index")
                if c_index and c_index.isdigit():
                    cells += [""] * max(0, min(int(c_index), 16384) - 1 - len(cells))
                value = cell.find(f"{ns}Data")
                cells.append("" if value is None else "".join(value.itertext()).strip())
            rows.append(cells)
        raw = _grid_table(path, _grid_from_rows(rows), known, min_matches, sheet=name)
        if raw is not None:
            book.tables.append(raw)
    if not book.tables:
        raise _not_found(path, titles, min_matches)
    return book
def _read_csv_fast(text: str, header_index: int, delimiter: str,
                   header: list[str]) -> pd.DataFrame | None:
    """Multithreaded pyarrow parse, or None when the text needs the careful C parser.

    pyarrow skips blank lines (which would shift Excel row numbers) and stops at ragged rows;
    such files, and anything else it refuses, go through pandas' C parser instead.
    """
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


