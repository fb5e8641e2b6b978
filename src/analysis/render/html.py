"""Assemble the self-contained report HTML from an executed notebook.

Steps: :func:`collect_blocks` keeps only what a reader should see (outputs
tagged by :class:`analysis.laporan.Laporan`, plus Markdown cells), dropping code,
prompts, streams, warnings and untagged outputs; :func:`build_body` wraps the
blocks in numbered ``<section id="...">`` elements; :func:`assemble` puts title
block, table of contents, body and inline CSS into one page; :func:`offline`
makes sure nothing points to the network (external links become plain text
with the address in brackets, external images are dropped).
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import jinja2

from analysis.errors import RenderError
from analysis.laporan.markdown import markdown
from analysis.render.parameters import source_of

METADATA_KEY = "konvergensi"

_EXTERNAL = r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//"
_A_EXTERNAL = re.compile(r'<a\s[^>]*href="(' + _EXTERNAL + r'[^"]*)"[^>]*>(.*?)</a>', re.S)
_IMG_EXTERNAL = re.compile(r'<img\s[^>]*src="' + _EXTERNAL + r'[^"]*"[^>]*>', re.S)
_URL_ATTR = re.compile(r'\b(?:src|href)\s*=\s*["\']?\s*(' + _EXTERNAL + r')', re.I)
_IMPORT = re.compile(r"@import\b", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*" + _EXTERNAL, re.I)


@dataclass
class Document:
    """What the HTML and PDF steps need: context and the blocks in reading order."""

    judul: str
    wilayah: str
    tahun: int
    dibuat: str
    versi: str
    aksi: str = ""
    title_block: dict | None = None
    blocks: list[dict] = field(default_factory=list)

    def outline(self) -> list[dict]:
        """Sections with their subsections (for the table of contents)."""
        toc: list[dict] = []
        for b in self.blocks:
            if b["jenis"] == "bagian":
                toc.append({"id": b["id"], "nomor": b["nomor"], "judul": b["judul"], "sub": []})
            elif b["jenis"] == "sub" and toc:
                toc[-1]["sub"].append({"id": b["id"], "nomor": b["nomor"], "judul": b["judul"]})
        return toc


def collect_blocks(nb: dict) -> tuple[dict | None, list[dict]]:
    """The title block and the report blocks of an executed notebook, in order.

    Returns
    -------
    (title, blocks)
        ``title`` is the metadata of ``Laporan.judul`` (or ``None``); each block is
        its metadata plus ``html``. Markdown cells become ``{"jenis": "markdown"}`` blocks.
    """
    title = None
    blocks: list[dict] = []
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind == "markdown":
            source = source_of(cell)
            if source.strip():
                blocks.append({"jenis": "markdown", "html": f'<div class="teks">{markdown(source)}</div>'})
            continue
        if kind != "code":
            continue
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(METADATA_KEY)
            if output.get("output_type") != "display_data" or not meta:
                continue
            block = dict(meta)
            block["html"] = output.get("data", {}).get("text/html", "")
            if isinstance(block["html"], list):
                block["html"] = "".join(block["html"])
            if block.get("jenis") == "judul":
                title = block
            else:
                blocks.append(block)
    return title, blocks


def build_body(blocks: list[dict]) -> str:
    """Wrap blocks in ``<section class="bagian" id=...>`` / ``<section class="sub" id=...>``."""
    parts: list[str] = []
    open_section = open_sub = False
    for b in blocks:
        kind = b.get("jenis")
        if kind in ("bagian", "sub"):
            if open_sub:
                parts.append("</section>")
                open_sub = False
            if kind == "bagian" and open_section:
                parts.append("</section>")
                open_section = False
            title = _html.escape(b["judul"])
            if kind == "bagian":
                parts.append(f'<section class="bagian" id="{b["id"]}">'
                             f'<h2><span class="nomor">{b["nomor"]}</span> {title}</h2>')
                open_section = True
            else:
                parts.append(f'<section class="sub" id="{b["id"]}">'
                             f'<h3><span class="nomor">{b["nomor"]}</span> {title}</h3>')
                open_sub = True
        else:
            parts.append(b["html"])
    if open_sub:
        parts.append("</section>")
    if open_section:
        parts.append("</section>")
    return keep_units("\n".join(parts))


_NUMBER_UNIT = re.compile(r"(?<=\d) (%|‰)")


def keep_units(text: str) -> str:
    """``13,0 %`` never breaks between number and unit (a no-break space)."""
    return _NUMBER_UNIT.sub("\u00a0\\1", text)


def offline(text: str) -> str:
    """Remove every reference to the network from report HTML.

    External links become ``text (address)``; external images are dropped.
    """
    def link(match: re.Match) -> str:
        url, label = match.group(1), match.group(2)
        return f"{label} ({_html.escape(url)})" if url not in label else label

    text = _A_EXTERNAL.sub(link, text)
    return _IMG_EXTERNAL.sub("", text)


def external_references(text: str) -> list[str]:
    """Every external ``src``/``href``, ``@import`` or CSS ``url(//...)`` left in ``text``."""
    found = [m.group(0) for m in _URL_ATTR.finditer(text)]
    found += [m.group(0) for m in _IMPORT.finditer(text)]
    found += [m.group(0) for m in _CSS_URL.finditer(text)]
    return found


@cache
def _asset(name: str) -> str:
    return resources.files("analysis.render").joinpath("templates", name).read_text(encoding="utf-8")


def title_html(doc: Document) -> str:
    """The title block: the one ``Laporan.judul`` displayed, or a plain one from the context."""
    if doc.title_block and doc.title_block.get("html"):
        return doc.title_block["html"]
    esc = _html.escape
    return (f'<header class="judul-laporan"><p class="aksi">{esc(doc.aksi)}</p><h1>{esc(doc.judul)}</h1>'
            f'<p class="wilayah">{esc(doc.wilayah)} · Tahun {doc.tahun}</p>'
            f'<p class="dibuat">Disusun {esc(doc.dibuat)}</p></header>')


def assemble(doc: Document) -> str:
    """The complete, self-contained HTML page of a report.

    Raises
    ------
    RenderError
        If any external reference survives (a bug: :func:`offline` should remove them).
    """
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("laporan.html.j2"))
    page = template.render(
        css=jinja2.utils.markupsafe.Markup(_asset("laporan.css")),
        judul=doc.judul, wilayah=doc.wilayah, tahun=doc.tahun, dibuat=doc.dibuat, versi=doc.versi,
        judul_html=jinja2.utils.markupsafe.Markup(offline(title_html(doc))),
        daftar_isi=doc.outline(),
        isi=jinja2.utils.markupsafe.Markup(offline(build_body(doc.blocks))),
    )
    leftovers = external_references(page)
    if leftovers:
        raise RenderError(f"HTML laporan masih memuat rujukan ke jaringan: {leftovers[:3]}")
    return page
