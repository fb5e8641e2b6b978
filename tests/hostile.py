"""Builders of hostile input files, shared by the ingest tests and (later) the fuzz test.

Every builder writes one file into a folder the caller gives and returns its path. The XLSX
builder writes the SpreadsheetML parts by hand with :mod:`zipfile`, so a test can say exactly
what a hostile workbook holds: a cell far outside the table, a ``<dimension>`` that lies, a
formula without a cached value, a hidden sheet, a zip bomb. Nothing here uses the code under
test.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

#: Text payloads for free-text fields: formulas, DDE, links, console and Markdown markup.
PAYLOADS = [
    "=1+1",
    "=HYPERLINK(\"http://contoh.invalid\",\"klik\")",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "external:C:\\Windows\\calc.exe",
    "http://contoh.invalid/x",
    "[/]",
    "[/x]",
    "[kg]",
    "[bold]tebal[/bold]",
    "[x](javascript:alert(1))",
    "**tebal**",
    "<script>alert(1)</script>",
]

Cell = str | int | float | None


def column_letters(index: int) -> str:
    """Excel column letters of a 1-based column number (1 → A, 16384 → XFD)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """``A1`` reference of a 1-based row and column."""
    return f"{column_letters(col)}{row}"


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _cell_xml(ref: str, value: Cell) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value.startswith("\x00formula:"):
        formula = value[len("\x00formula:"):]
        return f'<c r="{ref}"><f>{escape(formula)}</f></c>'  # no <v>: never calculated
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def formula(text: str) -> str:
    """A cell value that :func:`write_xlsx` writes as a formula without a cached value."""
    return "\x00formula:" + text


def sheet_xml(rows: Sequence[Sequence[Cell]], *, start_row: int = 1, start_col: int = 1,
              extra_cells: Mapping[str, Cell] | None = None, dimension: str | None = "auto") -> str:
    """The XML of one worksheet.

    Parameters
    ----------
    rows : rows of cell values (str, number, None, or :func:`formula`)
    start_row, start_col : where the first cell goes (1-based)
    extra_cells : ``{"XFD1048576": "x"}``: cells written after the table (stray cells)
    dimension : ``"auto"`` (the true used range), a literal ref that may lie, or None (omitted)
    """
    by_row: dict[int, list[tuple[int, str]]] = {}
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=start_col):
            xml = _cell_xml(cell_ref(r, c), value)
            if xml:
                by_row.setdefault(r, []).append((c, xml))
    for ref, value in (extra_cells or {}).items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        assert m, ref
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        by_row.setdefault(int(m.group(2)), []).append((col, _cell_xml(ref, value)))
    if dimension == "auto":
        if by_row:
            max_row = max(by_row)
            max_col = max(c for cells in by_row.values() for c, _ in cells)
            min_row = min(by_row)
            min_col = min(c for cells in by_row.values() for c, _ in cells)
            dimension = f"{cell_ref(min_row, min_col)}:{cell_ref(max_row, max_col)}"
        else:
            dimension = "A1"
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(
        f'<row r="{r}">' + "".join(x for _, x in sorted(cells)) + "</row>"
        for r, cells in sorted(by_row.items()))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>{dim}'
            f"<sheetData>{body}</sheetData></worksheet>")


def write_xlsx(path: Path, sheets: Mapping[str, str | Sequence[Sequence[Cell]]], *,
               hidden: Sequence[str] = (), compresslevel: int = 6) -> Path:
    """Write a workbook whose sheets are given as rows or as ready sheet XML (:func:`sheet_xml`)."""
    names = list(sheets)
    overrides = "\n".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS}><sheets>'
                + "".join(f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"'
                          + (' state="hidden"' if n in hidden else "") + "/>"
                          for i, n in enumerate(names, start=1))
                + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
                      f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, name in enumerate(names, start=1):
            content = sheets[name]
            xml = content if isinstance(content, str) else sheet_xml(content)
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return path


def frame_rows(frame) -> list[list[Cell]]:
    """Header and rows of a DataFrame of text cells, for :func:`write_xlsx`."""
    return [list(frame.columns)] + [[None if v == "" else v for v in row]
                                    for row in frame.astype(object).itertuples(index=False)]


def zip_bomb_xlsx(path: Path, header: Sequence[str], *, inflated_mb: int = 600) -> Path:
    """A small XLSX whose one data cell holds a text of ``inflated_mb`` MB (deflate: about 1000:1).

    The text sits in ``xl/sharedStrings.xml``, which a reader loads whole before any cell.
    """
    rows = sheet_xml([list(header)], dimension="auto").replace(
        "</sheetData>", '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=(
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?>\n<workbook {_NS}><sheets><sheet name="Data" '
                                      'sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'))
        z.writestr("xl/worksheets/sheet1.xml", rows)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?>\n<sst {_NS} count="1" uniqueCount="1"><si><t>'.encode())
            block = b"0" * (1 << 20)
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(b"</t></si></sst>")
    return path


def html_table_xls(path: Path, rows: Sequence[Sequence[Cell]], *, title: str | None = None) -> Path:
    """An HTML table saved with an ``.xls`` name, as web applications' "Excel" downloads are."""
    head = f"<h3>{escape(title)}</h3>" if title else ""
    body = "".join("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    path.write_text(f'<html><head><meta charset="utf-8"></head><body>{head}<table border="1">{body}'
                    "</table></body></html>", encoding="utf-8")
    return path


def export_variants(folder: Path, frame) -> dict[str, Path]:
    """Hostile variants of one e-PPGBM export (a DataFrame of text cells), written into ``folder``.

    Each variant is small and written in milliseconds, so a test can run every one through
    ``validate`` and ``zscores``. Keys name the variant; values are the files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def csv_file(name: str, data, **kwargs) -> None:
        path = folder / f"{name}.csv"
        path.write_bytes(data.to_csv(index=False, sep=kwargs.get("sep", ";")).encode(kwargs.get("encoding", "utf-8")))
        out[name] = path

    free_text = ["Posyandu", "Pukesmas", "Desa/Kel", "Kec"]
    payloads = [p for p in PAYLOADS if p == p.strip()]
    data = frame.copy()
    for i, column in enumerate(free_text):
        data[column] = [payloads[(i + k) % len(payloads)] for k in range(len(data))]
    csv_file("payload_teks", data)
    csv_file("judul_kurung", frame.rename(columns={"Posyandu": "[/x]", "LiLA": "LiLA [cm]"}))
    csv_file("kolom_ganda", frame.assign(Berat2=frame["Berat"]).rename(columns={"Berat2": "Berat"}))
    csv_file("kolom_kosong", frame.assign(Tinggi=""))
    csv_file("latin1", frame.assign(Posyandu="Posyandu Mélati"), encoding="latin-1")
    csv_file("utf16", frame, encoding="utf-16")
    rows = frame_rows(frame)
    out["lembar_ganda"] = write_xlsx(folder / "lembar_ganda.xlsx", {"A": rows, "B": rows, "Catatan": [["x"]]})
    out["sel_jauh"] = write_xlsx(folder / "sel_jauh.xlsx", {"Data": sheet_xml(rows, extra_cells={"XFD1048576": "x"})})
    out["dimensi_bohong"] = write_xlsx(folder / "dimensi_bohong.xlsx",
                                       {"Data": sheet_xml(rows, dimension="A1:XFD1048576")})
    with_formula = [list(r) for r in rows]
    with_formula[1] = [formula("1+1") if v not in (None, "") else v for v in with_formula[1]]
    out["rumus"] = write_xlsx(folder / "rumus.xlsx", {"Data": with_formula})
    out["bom_zip"] = zip_bomb_xlsx(folder / "bom_zip.xlsx", list(frame.columns), inflated_mb=40)
    out["html_xls"] = html_table_xls(folder / "html_xls.xls", rows, title="Riwayat")
    text = folder / "teks_xls.xls"
    text.write_text(frame.to_csv(index=False, sep=";"), encoding="utf-8")
    out["teks_xls"] = text
    return out
