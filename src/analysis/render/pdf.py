"""A4 PDF of a report: print HTML → Typst (pandoc) → PDF (``typst.compile``).

Steps: :func:`print_html` takes the report body (no HTML title block: the Typst
layout sets its own title block and table of contents) and writes every
embedded PNG to ``media/`` next to the Typst file (Typst resolves images
relative to its root, so paths stay relative); :func:`to_typst` runs pandoc with
the house layout (``templates/laporan.typ``: A4, page numbers, running header
with district and year, breakable figures so long tables continue on the next
page with their header row repeated) and a Lua filter that keeps boxes and
notes styled; :func:`compile_pdf` typesets it with Typst's bundled fonts
(Libertinus Serif) plus DejaVu Sans from matplotlib, embedded in the PDF.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import tempfile
from importlib import resources
from pathlib import Path

import pypandoc
import typst
import yaml

from analysis.errors import RenderError
from analysis.render.html import Document, build_body, offline

_DATA_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"'
                       r'(?:\s+alt="([^"]*)")?(?:\s+style="width:(\d+)%")?')


_FIGURE_NOTES = re.compile(r'(<figure class="gambar"[^>]*>.*?)</figcaption>'
                           r'((?:<div class="catatan">.*?</div>)+)(</figure>)', re.S)


def _template(name: str) -> Path:
    return Path(str(resources.files("analysis.render").joinpath("templates", name)))


def print_html(doc: Document, media_dir: Path) -> str:
    """The report body for print, with images written to ``media_dir`` (relative ``src``)."""
    media_dir.mkdir(parents=True, exist_ok=True)
    counter = 0

    def extract(match: re.Match) -> str:
        nonlocal counter
        counter += 1
        name = f"gambar-{counter}.png"
        (media_dir / name).write_bytes(base64.b64decode(match.group(1)))
        alt = match.group(2) or ""
        width = match.group(3) or "100"
        return f'src="{media_dir.name}/{name}" alt="{alt}" width="{width}%"'

    body = _DATA_PNG.sub(extract, offline(build_body(doc.blocks)))
    # Typst puts everything inside a figure above its caption, and figures float
    # (placement: auto) so a large chart never leaves half a page empty: move a
    # figure's notes into its caption, so they read "Gambar N. ..." then "Sumber: ..."
    # and travel with the figure.
    return _FIGURE_NOTES.sub(r"\1\2</figcaption>\3", body)


def metadata(doc: Document) -> dict:
    """Template variables of ``laporan.typ`` (parsed by pandoc, so they are escaped for Typst)."""
    title = doc.title_block or {}
    return {
        "judul": doc.judul, "wilayah": doc.wilayah, "tahun": str(doc.tahun), "aksi": doc.aksi,
        "dibuat": doc.dibuat, "versi": doc.versi,
        "subjudul": title.get("subjudul") or "", "penyusun": title.get("penyusun") or "",
        "sumber": [{"nama": s["nama"], "tanggal": s["tanggal"]} for s in title.get("sumber", [])],
    }


def to_typst(body: str, meta: dict, workdir: Path) -> Path:
    """Convert the print HTML to ``workdir/laporan.typ`` with the house layout."""
    html_path = workdir / "laporan.html"
    html_path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    meta_path = workdir / "metadata.yaml"
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    out = workdir / "laporan.typ"
    try:
        pypandoc.convert_file(
            str(html_path), "typst", format="html", outputfile=str(out),
            extra_args=["--standalone", f"--template={_template('laporan.typ')}",
                        f"--lua-filter={_template('laporan.lua')}", f"--metadata-file={meta_path}",
                        "--shift-heading-level-by=-1", "--wrap=preserve"],
        )
    except (RuntimeError, OSError) as exc:
        raise RenderError(f"Konversi ke Typst (pandoc) gagal: {exc}") from None
    return out


def font_paths() -> list[str]:
    """Extra font folders: matplotlib's DejaVu Sans (always installed with matplotlib).

    Found from matplotlib's package folder (``mpl-data`` is what ``matplotlib.get_data_path()``
    returns) without importing matplotlib, which costs ~0.2 s in a process that draws nothing.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [str(Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf")]


def compile_pdf(typ_path: Path, pdf_path: Path) -> Path:
    """Typeset ``typ_path`` to ``pdf_path`` (root = its folder, so media paths are relative)."""
    root, fonts = str(typ_path.parent), font_paths()
    try:
        try:  # tagged PDF (accessible structure)
            data = typst.compile(str(typ_path), root=root, font_paths=fonts)
        except Exception as exc:
            # Typst 0.15.1 can fail building the tag tree of floating figures
            # ("internal error: parent group"): the same document without tags.
            if "internal error" not in str(exc):
                raise
            data = typst.compile(str(typ_path), root=root, font_paths=fonts, pdf_tags=False)
    except Exception as exc:  # typst raises its own error type with the diagnostics
        raise RenderError(f"Penyusunan PDF (Typst) gagal: {exc}") from None
    pdf_path.write_bytes(data)
    return pdf_path


def write_pdf(doc: Document, pdf_path: Path, keep_dir: Path | None = None) -> Path:
    """All PDF steps for one report; intermediates go to a temporary folder (or ``keep_dir``)."""
    with tempfile.TemporaryDirectory(prefix="konvergensi-pdf-") as tmp:
        workdir = Path(keep_dir) if keep_dir else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        body = print_html(doc, workdir / "media")
        typ = to_typst(body, metadata(doc), workdir)
        return compile_pdf(typ, pdf_path)
