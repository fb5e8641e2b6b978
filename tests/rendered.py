"""Helpers for the smoke tests that render a real template through the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path


def render(args: list[str], out_dir: Path, *, timeout: int = 900) -> None:
    """Run ``konvergensi render ARGS --to html --out OUT --paksa`` and require exit 0."""
    exe = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "konvergensi"
    head = [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]
    cmd = [*head, "render", *args, "--to", "html", "--out", str(out_dir), "--paksa"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr


class _Sections(HTMLParser):
    """Text inside each <section id=...> (nested sections count for their parents too)."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.stack.append(dict(attrs).get("id"))

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for sid in self.stack:
            if sid:
                self.text[sid] = self.text.get(sid, "") + data


def section_texts(html: str) -> dict[str, str]:
    """Section id → its visible text, white space folded."""
    parser = _Sections()
    parser.feed(html)
    return {sid: re.sub(r"\s+", " ", body).strip() for sid, body in parser.text.items()}


def personal_values(export: Path) -> set[str]:
    """NIKs, multi-word names and addresses of an e-PPGBM export (CSV), as they are written."""
    import pandas as pd

    raw = pd.read_csv(export, dtype=str, sep=None, engine="python", keep_default_na=False)
    values = set(raw["NIK"]) | set(raw["Alamat"])
    for column in ("Nama", "Nama Ortu"):
        values |= {v for v in raw[column] if len(v.split()) >= 2}  # one-word names occur in place names
    return {v for v in values if len(v) >= 8}


def output_texts(out_dir: Path) -> dict[Path, str]:
    """The text of every rendered output: HTML, JSON, executed notebook, and Excel cell values."""
    import openpyxl

    texts = {}
    for path in out_dir.rglob("*"):
        if path.suffix in (".html", ".json", ".ipynb"):
            texts[path] = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            texts[path] = "\n".join(str(v) for ws in book.worksheets
                                    for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    return texts


def assert_no_personal_data(out_dir: Path, export: Path) -> None:
    """No NIK, name or address of the export appears in any rendered output."""
    personal = personal_values(export)
    assert len(personal) > 100, "the export should hold personal data to look for"
    for path, body in output_texts(out_dir).items():
        leaked = [v for v in personal if v in body]
        assert not leaked, f"{path.name} contains personal data ({len(leaked)} values)"


#: A text cell that is really a number, an interval, a ratio or a number with a mark, as the
#: page writes them ("14,3", "1.234", "14,1–16,6", "240 / 1.385", "+8,7*", "71,9 (B)", "12 %").
_NUMBER_TEXT = re.compile(
    r"^[+\-−]?\d{1,3}(\.\d{3})*(,\d+)?\s*(%|\*|\([A-E]\))?$"
    r"|^[+\-−]?\d+(,\d+)?\s*[–-]\s*[+\-−]?\d+(,\d+)?\s*%?$"
    r"|^\d{1,3}(\.\d{3})*\s*/\s*\d{1,3}(\.\d{3})*$")


def number_text_cells(xlsx: Path) -> list[tuple[str, str, str]]:
    """Cells of a workbook that hold a number written as text: (sheet, cell, value)."""
    import openpyxl

    book = openpyxl.load_workbook(xlsx)
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if c.data_type == "s" and isinstance(c.value, str) and _NUMBER_TEXT.match(c.value.strip()):
                    found.append((ws.title, c.coordinate, c.value))
    return found
