"""HTML assembly without a kernel: sections, table of contents, nothing from the network."""

from __future__ import annotations

import nbformat
import pytest

from analysis.errors import RenderError
from analysis.render import html as H
from analysis.render import portal


def doc(blocks, title=None):
    return H.Document(judul="Analisis Situasi", wilayah="Kota Bontang", tahun=2024,
                      dibuat="22 November 2026", versi="0.1.0", aksi="Aksi 1",
                      title_block=title, blocks=blocks)


BLOCKS = [
    {"jenis": "markdown", "html": "<p>Pengantar.</p>"},
    {"jenis": "bagian", "id": "ringkasan", "nomor": "1", "judul": "Ringkasan"},
    {"jenis": "teks", "html": "<p>Isi ringkasan.</p>"},
    {"jenis": "bagian", "id": "prevalensi", "nomor": "2", "judul": "Prevalensi"},
    {"jenis": "sub", "id": "prevalensi-desa", "nomor": "2.1", "judul": "Per desa"},
    {"jenis": "teks", "html": '<p>Lihat <a href="https://example.org/x">sumber</a>.</p>'
                              '<img src="http://cdn.example.org/a.png">'},
]


def test_sections_wrap_their_content_and_carry_ids():
    body = H.build_body(BLOCKS)
    assert body.count("<section") == body.count("</section>") == 3
    assert '<section class="bagian" id="ringkasan">' in body
    assert '<section class="sub" id="prevalensi-desa">' in body
    # the subsection sits inside its section
    assert body.index('id="prevalensi"') < body.index('id="prevalensi-desa"')


def test_page_has_title_toc_and_no_external_reference():
    page = H.assemble(doc(BLOCKS))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    assert "Kota Bontang" in page and "Daftar isi" in page
    assert 'href="#prevalensi-desa"' in page
    assert H.external_references(page) == []
    assert "sumber (https://example.org/x)" in page  # link kept as readable text
    assert "cdn.example.org" not in page
    assert "@media print" in page and "size: A4" in page


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.jsdelivr.net/require.js"></script>',
    "<link href='//fonts.googleapis.com/css' rel=stylesheet>",
    "<style>@import 'x.css';</style>",
    "<div style=\"background: url('https://x.org/a.png')\"></div>",
])
def test_external_references_are_detected(snippet):
    assert H.external_references(snippet)


def test_data_uris_and_anchors_are_not_external():
    assert H.external_references('<img src="data:image/png;base64,iVBORw0KGgo="><a href="#x">x</a>') == []


def test_leftover_external_reference_is_an_error(monkeypatch):
    monkeypatch.setattr(H, "offline", lambda text: text + '<script src="https://x.org/a.js"></script>')
    with pytest.raises(RenderError, match="jaringan"):
        H.assemble(doc(BLOCKS))


def test_only_tagged_outputs_reach_the_reader():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('x')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="bocor\n"),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: bocor\n"),
        nbformat.v4.new_output("execute_result", data={"text/html": "<table>bocor</table>"}, execution_count=1),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>tampil</p>"},
                               metadata={"konvergensi": {"jenis": "teks"}}),
        nbformat.v4.new_output("display_data", data={"text/html": "<header>judul</header>"},
                               metadata={"konvergensi": {"jenis": "judul", "judul": "J"}}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("Prosa **tetap**."), cell]
    title, blocks = H.collect_blocks(nb)
    assert title["judul"] == "J"
    html = "".join(b["html"] for b in blocks)
    assert "tampil" in html and "<strong>tetap</strong>" in html and "bocor" not in html


def test_portal_formats_key_figures():
    def shown(item):  # analysis.text may use a no-break space before the unit
        return portal.format_figure(item).replace("\u00a0", " ")

    assert shown({"nilai": 12.345, "satuan": "%", "ci": [10.1, 14.6]}) == "12,3 % (IK 95 %: 10,1–14,6 %)"
    assert shown({"nilai": 1234, "satuan": "anak"}) == "1.234 anak"
    assert shown({"nilai": None, "satuan": "%"}) == "–"
    assert shown({"nilai": 2.5e9, "satuan": "Rp"}) == "Rp 2,5 miliar"
    coded = "1 = sesuai jalur, 0 = belum sesuai jalur"
    assert shown({"nilai": 0, "satuan": coded}) == "belum sesuai jalur"
    assert shown({"nilai": 1, "satuan": coded}) == "sesuai jalur"
    assert shown({"nilai": 2, "satuan": coded}) == "2 (1 = sesuai jalur, 0 = belum sesuai jalur)"


def test_portal_folds_long_key_figure_lists(tmp_path):
    import json

    folder = tmp_path / "2024" / "64-provinsi-kalimantan-timur"
    folder.mkdir(parents=True)
    figures = [{"kode": f"k{i}", "label": f"Angka {i}", "nilai": i, "satuan": "anak"} for i in range(25)]
    (folder / "studi-tiru.json").write_text(json.dumps({
        "laporan": "studi-tiru", "judul": "Studi Tiru", "aksi": "", "kab": "64",
        "wilayah": "Provinsi Kalimantan Timur", "tahun": 2024, "angka_kunci": figures}), encoding="utf-8")
    (folder / "studi-tiru.html").write_text("<html></html>", encoding="utf-8")
    page = portal.write_index(tmp_path).read_text(encoding="utf-8")
    assert "15 angka kunci lainnya" in page
    assert "Angka 24" in page  # folded, not dropped


def test_pdf_falls_back_to_untagged_on_a_typst_internal_error(tmp_path, monkeypatch):
    import typst

    from analysis.render import pdf

    calls = []

    def fake_compile(path, **kwargs):
        calls.append(kwargs.get("pdf_tags", True))
        if kwargs.get("pdf_tags", True):
            raise RuntimeError("internal error: parent group (occurred at build.rs:202:14)")
        return b"%PDF-1.7"

    monkeypatch.setattr(typst, "compile", fake_compile)
    typ = tmp_path / "laporan.typ"
    typ.write_text("= Judul", encoding="utf-8")
    pdf.compile_pdf(typ, tmp_path / "laporan.pdf")
    assert calls == [True, False] and (tmp_path / "laporan.pdf").read_bytes() == b"%PDF-1.7"

    def unknown(path, **kw):
        raise RuntimeError("error: unknown variable")

    monkeypatch.setattr(typst, "compile", unknown)
    with pytest.raises(RenderError, match="Typst.*unknown variable"):
        pdf.compile_pdf(typ, tmp_path / "lain.pdf")
