"""Looking inside a workbook before any spreadsheet reader touches it.

A spreadsheet reader builds a dense grid from the first to the last filled cell: one stray
cell at ``XFD1048576`` makes it allocate 16,384 × 1,048,576 cells (about 550 GB; the process
aborts), and a zip member that inflates 1000:1 exhausts memory the same way. So an ``.xlsx``
is inspected with :mod:`zipfile` first:

1. what the zip holds (an Excel workbook, a Word document, an ``.xlsb``...);
2. the declared size of every member and its compression ratio (:data:`MAX_UNCOMPRESSED`,
   :data:`MAX_RATIO`);
3. every worksheet's XML, streamed once: the real extent of its filled cells (the
   ``<dimension ref>`` is read too, but not trusted: a reader sizes its grid from the cells,
   and writers leave ``<dimension>`` stale), the farthest cells, and formula cells that carry
   no cached value.

Only a workbook that passes is handed to the reader (:mod:`analysis.ingest.rawtable`), and
every refusal is an :class:`~analysis.errors.InputFileError` in Bahasa Indonesia naming the
file, the sheet and the cell.

The streaming scan finds ``<c r="...">`` references with numpy on each decompressed chunk (no
Python object per cell), so inspecting a 100,000-row export costs a fraction of reading it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

import numpy as np

from analysis.errors import InputFileError

#: Total bytes all members of a workbook may inflate to. A 1,048,576-row e-PPGBM export
#: (the most one sheet can hold) is about 1.1 GB of sheet XML.
MAX_UNCOMPRESSED = 2 * 1024**3
#: Largest compression ratio accepted for a member bigger than :data:`RATIO_MIN_BYTES`.
#: Real sheet XML compresses about 10:1 (measured on a 100,000-row export: 10.2:1).
MAX_RATIO = 100
RATIO_MIN_BYTES = 16 * 1024**2
#: Largest grid (rows × columns from A1 to the farthest filled cell) handed to the reader:
#: a full sheet of 1,048,576 rows × 38 columns.
MAX_GRID_CELLS = 40_000_000
#: A grid larger than this whose filled cells cover less than :data:`SPARSE_SHARE` of it is
#: taken for stray far cells, and refused with their place, whatever its size.
SPARSE_MIN_CELLS = 2_000_000
SPARSE_SHARE = 0.01
#: Bytes decompressed per step of the scan.
CHUNK = 8 * 1024**2
#: Bytes of a text workbook (HTML or SpreadsheetML 2003 saved as ``.xls``) read at all.
MAX_TEXT_WORKBOOK = 64 * 1024**2

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class SheetInfo:
    """What the scan of one worksheet found.

    Attributes
    ----------
    name : sheet name as shown on its tab
    part : zip member holding the sheet XML
    hidden : the sheet is hidden (``state="hidden"`` or ``"veryHidden"``)
    dimension : the ``<dimension ref>`` the writer recorded (may be stale), or None
    max_row, max_col : 1-based row and column of the farthest filled cell (0 when empty)
    cells : number of cells found
    far_cells : references of the farthest cells (by row and by column)
    uncached : 1-based (row, column) of formula cells without a cached value
    """

    name: str
    part: str
    hidden: bool = False
    dimension: str | None = None
    max_row: int = 0
    max_col: int = 0
    cells: int = 0
    far_cells: list[str] = field(default_factory=list)
    uncached: list[tuple[int, int]] = field(default_factory=list)

    @property
    def grid_cells(self) -> int:
        """Cells of the grid from A1 to the farthest filled cell."""
        return self.max_row * self.max_col


@dataclass
class WorkbookInfo:
    """The worksheets of an ``.xlsx``/``.xlsm`` in tab order."""

    path: Path
    sheets: list[SheetInfo]


def column_letters(index: int) -> str:
    """Excel column letters of a 1-based column number (1 → ``A``, 16384 → ``XFD``)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """``A1`` reference of a 1-based row and column."""
    return f"{column_letters(col)}{row}"


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def zip_kind(names: set[str]) -> str:
    """What an Office-style zip holds: ``xlsx``, ``xlsb``, ``ods``, ``docx``, ``pptx`` or ``zip``."""
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


_KIND_TEXT = {"docx": "dokumen Word (.docx)", "pptx": "presentasi PowerPoint (.pptx)",
              "zip": "arsip zip biasa"}


def open_workbook_zip(path: Path) -> tuple[zipfile.ZipFile, str]:
    """Open ``path`` as a zip and say what it holds; refuse what is not a readable workbook."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputFileError(path, "berkas Excel tidak dapat dibuka (berkas zip rusak atau terpotong); "
                                   "simpan ulang dari Excel.") from None
    kind = zip_kind(set(z.namelist()))
    if kind == "xlsb":
        z.close()
        raise InputFileError(path, "format .xlsb (Excel biner) tidak didukung karena isinya tidak dapat "
                                   "diperiksa dengan aman sebelum dibaca. Buka di Excel lalu Simpan Sebagai "
                                   ".xlsx (Buku Kerja Excel) atau .csv.")
    if kind in _KIND_TEXT:
        z.close()
        raise InputFileError(path, f"berkas ini adalah {_KIND_TEXT[kind]}, bukan lembar kerja Excel. "
                                   "Simpan tabelnya sebagai .xlsx atau .csv.")
    return z, kind


def check_sizes(path: Path, z: zipfile.ZipFile) -> None:
    """Refuse a zip whose members inflate beyond :data:`MAX_UNCOMPRESSED` or :data:`MAX_RATIO`.

    The sizes are those recorded in the zip's directory; the scan of each sheet
    (:func:`inspect_xlsx`) counts the bytes it really inflates, so a directory that lies
    is caught too.
    """
    total = 0
    for info in z.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise InputFileError(path, _bomb_text(info.filename, info.file_size, ratio))
    if total > MAX_UNCOMPRESSED:
        limit = _number(MAX_UNCOMPRESSED // 1024**2)
        raise InputFileError(path, f"isi berkas setelah dibuka dari kemasan zip-nya berukuran "
                                   f"{_number(total // 1024**2)} MB, melebihi batas {limit} MB. Pecah datanya "
                                   "menjadi beberapa berkas (mis. per bulan) atau simpan sebagai .csv.")


def _bomb_text(member: str, size: int, ratio: float) -> str:
    return (f"bagian '{member}' di dalam berkas dimampatkan secara tidak wajar ({_number(size // 1024**2)} MB "
            f"setelah dibuka, rasio {_number(round(ratio))}:1; berkas Excel biasa sekitar 10:1). Berkas ini mungkin "
            "rusak atau sengaja dibuat untuk menghabiskan memori (zip bomb), sehingga tidak dibaca. "
            "Ekspor ulang datanya dari aplikasi asalnya.")


def _workbook_sheets(path: Path, z: zipfile.ZipFile) -> list[SheetInfo]:
    """Sheets (name, part, hidden) from ``xl/workbook.xml`` and its relationships."""
    try:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels_xml = z.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in z.namelist() else b""
        rels = ET.fromstring(rels_xml) if rels_xml else None
    except (ET.ParseError, KeyError, zipfile.BadZipFile, OSError, EOFError):
        raise InputFileError(path, "berkas Excel rusak: daftar lembar kerjanya tidak dapat dibaca. "
                                   "Simpan ulang dari Excel.") from None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
            if rel.get("Type", "").endswith("/worksheet"):
                target = rel.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                targets[rel.get("Id", "")] = part
    sheets = []
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        rid = sheet.get(f"{{{_REL_NS}}}id", "")
        if rid in targets:
            sheets.append(SheetInfo(name=sheet.get("name", ""), part=targets[rid],
                                    hidden=sheet.get("state", "visible") != "visible"))
    return sheets


class _Counted:
    """A read-only stream that refuses to inflate more than ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], path: Path, member: str, limit: int):
        self.stream, self.path, self.member, self.limit, self.read_bytes = stream, path, member, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise InputFileError(self.path, _bomb_text(self.member, self.read_bytes, float("inf"))
                                 .replace("rasio inf:1", "melebihi ukuran yang tercatat"))
        return data


_LETTER_MIN, _LETTER_MAX, _DIGIT_MIN, _DIGIT_MAX = ord("A"), ord("Z"), ord("0"), ord("9")
_WINDOW = 11  # up to 3 letters + 7 digits + the closing quote
#: Longest unfinished element kept between chunks (a formula is at most 8,192 characters).
_MAX_CARRY = 64 * 1024


class _Scan:
    """Accumulated extent of one sheet's cells over the decompressed chunks."""

    def __init__(self, prefix: bytes):
        self.prefix = prefix
        self.tag = b"<" + prefix + b'c r="'
        p = re.escape(prefix)
        self.uncached = re.compile(
            rb'<' + p + rb'c r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>\s*<' + p + rb'f\b[^>]*(?:/>|>[^<]*</'
            + p + rb'f>)\s*(?:<' + p + rb'v\s*/>|<' + p + rb'v>\s*</' + p + rb'v>)?\s*</' + p + rb'c>')
        self.max_row = self.max_col = self.cells = 0
        self.far: dict[str, tuple[int, int]] = {}
        self.formulas: list[tuple[int, int]] = []
        self.irregular = False

    def feed(self, chunk: bytes) -> None:
        rows, cols, regular = _refs(chunk, self.tag)
        if not regular:
            self.irregular = True  # a cell without a leading r="..." attribute: exact scan needed
            return
        self.cells += len(rows)
        self._far(rows, cols)
        if b"<" + self.prefix + b"f" in chunk:
            for letters, digits in self.uncached.findall(chunk):
                self.formulas.append((int(digits), _col_number(letters.decode())))

    def _far(self, rows: np.ndarray, cols: np.ndarray) -> None:
        if not len(rows):
            return
        for i in (int(np.argmax(rows)), int(np.argmax(cols))):
            self.far[cell_ref(int(rows[i]), int(cols[i]))] = (int(rows[i]), int(cols[i]))
        self.max_row = max(self.max_row, int(rows.max()))
        self.max_col = max(self.max_col, int(cols.max()))


def _col_number(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col


def _refs(chunk: bytes, tag: bytes) -> tuple[np.ndarray, np.ndarray, bool]:
    """Rows and columns (1-based) of every ``<c r="XX123"`` in ``chunk``, without a loop per cell.

    Returns the rows, the columns, and whether every cell element of the chunk starts with
    ``r="`` (when not, the caller needs the exact XML scan). Byte ``k`` after each tag is
    gathered into one contiguous array per ``k``; a reference is up to three letters and then
    up to seven digits.
    """
    a = np.frombuffer(chunk, dtype=np.uint8)
    n = len(a)
    padded = np.concatenate([a, np.zeros(len(tag) + _WINDOW, dtype=np.uint8)])
    prefix = len(tag) - 6  # tag = "<" + prefix + 'c r="'
    cand = np.flatnonzero(a == tag[0])
    for k in range(1, prefix + 2):  # the prefix, then "c"
        cand = cand[padded[cand + k] == tag[k]]
    nxt = padded[cand + prefix + 2]
    cells = cand[(nxt == ord(" ")) | (nxt == ord(">")) | (nxt == ord("/"))]
    hit = np.ones(len(cells), dtype=bool)
    for k in range(prefix + 2, len(tag)):
        hit &= padded[cells + k] == tag[k]
    regular = bool(hit.all())
    starts = cells[hit] + len(tag)
    starts = starts[starts < n]
    byte = [padded[starts + k] for k in range(_WINDOW)]
    cols = np.zeros(len(starts), dtype=np.int64)
    n_letters = np.zeros(len(starts), dtype=np.int64)
    going = np.ones(len(starts), dtype=bool)
    for k in range(3):
        going &= (byte[k] >= _LETTER_MIN) & (byte[k] <= _LETTER_MAX)
        cols = np.where(going, cols * 26 + (byte[k].astype(np.int64) - 64), cols)
        n_letters += going
    rows = np.zeros(len(starts), dtype=np.int64)
    going = np.ones(len(starts), dtype=bool)
    for k in range(1, _WINDOW):
        after_letters = k >= n_letters
        digit = (byte[k] >= _DIGIT_MIN) & (byte[k] <= _DIGIT_MAX)
        going &= digit | ~after_letters
        take = going & after_letters
        if not take.any():
            break
        rows = np.where(take, rows * 10 + (byte[k].astype(np.int64) - 48), rows)
    return rows, cols, regular


def _scan_exact(stream: _Counted, info: SheetInfo) -> None:
    """Cell extent by parsing the XML (for sheets whose cells omit or move ``r``): slower, rare."""
    row = col = 0
    far: dict[str, tuple[int, int]] = {}
    cells = 0
    current: tuple[int, int] | None = None
    has_f = has_v = False
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        tag = elem.tag.rsplit("}", 1)[-1]
        if event == "start" and tag == "row":
            row = int(elem.get("r", row + 1))
            col = 0
        elif event == "start" and tag == "c":
            ref = elem.get("r")
            m = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", ref or "")
            if m:
                col, r = _col_number(m.group(1)), int(m.group(2))
            else:
                col, r = col + 1, row
            current, has_f, has_v = (r, col), False, False
            cells += 1
            if r > info.max_row or col > info.max_col:
                far[cell_ref(r, col)] = (r, col)
            info.max_row, info.max_col = max(info.max_row, r), max(info.max_col, col)
        elif event == "end" and tag == "f":
            has_f = True
        elif event == "end" and tag == "v":
            has_v = has_v or bool((elem.text or "").strip())
        elif event == "end" and tag == "c":
            if has_f and not has_v and current is not None:
                info.uncached.append(current)
            elem.clear()
        elif event == "end" and tag == "row":
            elem.clear()
    info.cells = cells
    info.far_cells = _farthest(far)


def _farthest(far: dict[str, tuple[int, int]]) -> list[str]:
    if not far:
        return []
    by_row = max(far, key=lambda k: far[k])
    by_col = max(far, key=lambda k: (far[k][1], far[k][0]))
    return list(dict.fromkeys([by_row, by_col]))


def _scan_sheet(path: Path, z: zipfile.ZipFile, info: SheetInfo, budget: int) -> int:
    """Fill ``info`` from the sheet XML; return the bytes inflated."""
    try:
        member = z.getinfo(info.part)
    except KeyError:
        raise InputFileError(path, f"berkas Excel rusak: isi lembar '{info.name}' tidak ada. "
                                   "Simpan ulang dari Excel.") from None
    limit = min(budget, member.file_size)
    try:
        return _scan_member(path, z, member, info, limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise InputFileError(path, f"berkas Excel rusak: isi lembar '{info.name}' tidak dapat dibuka "
                                   "(kemasan zip rusak atau terpotong). Simpan ulang dari Excel.") from None


def _scan_member(path: Path, z: zipfile.ZipFile, member: zipfile.ZipInfo, info: SheetInfo,
                 limit: int) -> int:
    with z.open(member) as raw:
        stream = _Counted(raw, path, info.part, limit)
        first = stream.read(CHUNK)
        m = re.search(rb"<(\w+:)?worksheet\b", first)
        prefix = m.group(1) or b"" if m else b""
        dim = re.search(rb'<' + re.escape(prefix) + rb'dimension ref="([A-Z0-9:$]+)"', first)
        info.dimension = dim.group(1).decode() if dim else None
        scan = _Scan(prefix)
        carry, chunk = b"", first
        while chunk:
            data = carry + chunk
            cut = data.rfind(b"<")  # a tag is never cut: the part from the last "<" waits
            carry, body = (data[cut:], data[:cut]) if cut > 0 else (b"", data)
            if len(carry) > _MAX_CARRY:
                carry = b""  # the inside of one long text, not a tag
            scan.feed(body)
            if scan.irregular:
                break
            chunk = stream.read(CHUNK)
        if not scan.irregular and carry:
            scan.feed(carry)
        inflated = stream.read_bytes
    if scan.irregular:
        with z.open(member) as raw:
            stream = _Counted(raw, path, info.part, limit)
            try:
                _scan_exact(stream, info)
            except ET.ParseError:
                raise InputFileError(path, f"berkas Excel rusak: isi lembar '{info.name}' bukan XML yang sah. "
                                           "Simpan ulang dari Excel.") from None
            return stream.read_bytes
    info.max_row, info.max_col, info.cells = scan.max_row, scan.max_col, scan.cells
    info.far_cells = _farthest(scan.far)
    info.uncached = scan.formulas
    return inflated


def check_grid(path: Path, info: SheetInfo) -> None:
    """Refuse a sheet whose grid is too large or is made large by stray far cells."""
    grid = info.grid_cells
    sparse = grid > SPARSE_MIN_CELLS and info.cells < SPARSE_SHARE * grid
    if not (sparse or grid > MAX_GRID_CELLS):
        return
    far = ", ".join(info.far_cells) or cell_ref(info.max_row, info.max_col)
    size = (f"lembar ini menjadi {_number(info.max_row)} baris × {_number(info.max_col)} kolom "
            f"({_number(grid)} sel)")
    if sparse:
        message = (f"sel {far} terisi jauh di luar tabel (seluruh lembar hanya berisi {_number(info.cells)} sel "
                   f"terisi), sehingga {size}, terlalu besar untuk dibaca. Hapus isi sel tersebut (atau hapus "
                   "baris dan kolom kosong di antaranya) lalu simpan ulang.")
    else:
        message = (f"{size}, melebihi batas {_number(MAX_GRID_CELLS)} sel yang dapat dibaca sekaligus "
                   f"(sel terjauh: {far}). Pecah datanya menjadi beberapa berkas (mis. per bulan) atau simpan "
                   "sebagai .csv; bila sel terjauh itu tidak sengaja terisi, hapus isinya lalu simpan ulang.")
    raise InputFileError(path, message, sheet=info.name)


def inspect_xlsx(path: str | Path) -> WorkbookInfo:
    """Inspect an ``.xlsx``/``.xlsm`` without a spreadsheet reader; refuse what would hurt.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    WorkbookInfo
        Every worksheet with its real extent and its formula cells without cached values.

    Raises
    ------
    InputFileError
        Not a workbook (a Word document, an ``.xlsb``, a damaged zip), a member that inflates
        too much, or a sheet whose grid is too large (see :func:`check_grid`).
    """
    path = Path(path)
    z, kind = open_workbook_zip(path)
    with z:
        if kind != "xlsx":
            raise InputFileError(path, "berkas ini bukan buku kerja Excel (.xlsx) yang dikenali. "
                                       "Simpan sebagai .xlsx atau .csv.")
        check_sizes(path, z)
        sheets = _workbook_sheets(path, z)
        budget = MAX_UNCOMPRESSED
        for info in sheets:
            budget -= _scan_sheet(path, z, info, budget)
            check_grid(path, info)
    return WorkbookInfo(path, sheets)
