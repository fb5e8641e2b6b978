"""The document form (analysis.laporan.kerangka and the document blocks of Laporan): outlines as
data, the area's words, cover, front matter, chapters in order, the TPPS's sections or the
boxes in their place, DRAF and --final, the approval page, lists completed from the document,
and markup in a narrative that stays text in the HTML and the PDF."""

from __future__ import annotations

import json
import re
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

import dokumen_uji  # noqa: E402
from analysis import config, pengaturan  # noqa: E402
from analysis.errors import ConfigError, DataUnavailableError, ParameterError  # noqa: E402
from analysis.laporan import bersama, kerangka  # noqa: E402
from analysis.laporan.dokumen import Laporan  # noqa: E402
from analysis.laporan.katalog import load_registry  # noqa: E402


def _teks(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ------------------------------------------------------------------ outlines as data ----
def test_every_report_has_a_valid_outline():
    for name, spec in load_registry().items():
        outline = kerangka.kerangka(spec.paket)
        assert outline.laporan == name
        assert outline.bab[0].id == "pendahuluan" and outline.bab[0].baku
        assert outline.bab[-1].id == "penutup"
        assert [s.id for s in outline.bab[0].sub] == ["latar-belakang", "dasar-hukum", "maksud-tujuan",
                                                      "ruang-lingkup"]


def _broken(tmp_path, change):
    raw = yaml.safe_load((config.CONFIG_DIR / "dokumen" / "analisis_situasi.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "analisis_situasi.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return pengaturan.dari_berkas(pengaturan.DokumenLaporan, path)


def test_a_bad_outline_stops_with_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"bab\.0\.sub\.0.*tempat isian tidak dikenal: kabupaten"):
        _broken(tmp_path, lambda r: r["bab"][0]["sub"][0].update(teks="Di {kabupaten} ..."))
    with pytest.raises(ConfigError, match="narasi tanpa keterangan di bagian narasi: hambatan_baru"):
        _broken(tmp_path, lambda r: r["bab"][5]["sub"][0].update(narasi="hambatan_baru"))
    with pytest.raises(ConfigError, match="narasi yang tidak punya tempat di kerangka: koordinasi"):
        _broken(tmp_path, lambda r: r["bab"][5]["sub"].pop(3))
    with pytest.raises(ConfigError, match="id bab/subbab dipakai lebih dari sekali: data"):
        _broken(tmp_path, lambda r: r["bab"][3].update(id="data"))


def test_shared_parts_refuse_unknown_placeholders(tmp_path):
    raw = yaml.safe_load((config.CONFIG_DIR / "dokumen" / "bersama.yaml").read_text(encoding="utf-8"))
    raw["pengesahan"]["teks"] = "Disahkan di {ibukota}."
    path = tmp_path / "bersama.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pengesahan.*ibukota"):
        pengaturan.dari_berkas(pengaturan.DokumenBersama, path)


def test_reference_tables_have_a_source_on_every_row():
    assert (kerangka.singkatan()["sumber"].str.len() > 0).all()
    assert (kerangka.istilah()["sumber"].str.len() > 0).all()
    assert kerangka.dasar_hukum(["perpres_72_2021"]) == [
        "Peraturan Presiden Nomor 72 Tahun 2021 tentang Percepatan Penurunan Stunting"]


# ------------------------------------------------------------------ the area's words ----
def test_a_city_says_kelurahan_and_wali_kota():
    k = kerangka.kosakata("64.74")   # Kota Bontang: 15 kelurahan, no desa
    assert (k.jenis, k.desa, k.Desa_judul, k.kepala_daerah, k.peraturan_kepala_daerah) == \
        ("kota", "kelurahan", "Kelurahan", "Wali Kota", "Peraturan Wali Kota")


def test_a_regency_says_desa_kelurahan_and_bupati():
    k = kerangka.kosakata("64.02")   # Kutai Kartanegara: 193 desa and 44 kelurahan
    assert (k.jenis, k.desa, k.Desa, k.Desa_judul, k.kepala_daerah) == \
        ("kabupaten", "desa/kelurahan", "Desa/kelurahan", "Desa/Kelurahan", "Bupati")
    assert bersama.kosakata("64.02") is k


def test_terms_are_indonesian_first_with_the_international_word_once():
    assert bersama.istilah("gizi_kurang", pertama=True) == "gizi kurang (wasting)"
    assert bersama.istilah("gizi_kurang") == "gizi kurang"
    assert bersama.istilah("selang_kepercayaan", pertama=True) == \
        "selang kepercayaan 95 % (95 % confidence interval)"
    with pytest.raises(ParameterError, match="istilah 'wasting' tidak dikenal"):
        bersama.istilah("wasting")


def test_abbreviations_are_found_as_written():
    found = dict(kerangka.singkatan_dalam("TTD untuk remaja; MP-ASI; data e-PPGBM; SK 95 % (%); SK lokus"))
    assert set(found) == {"TTD", "MP-ASI", "e-PPGBM", "SK 95 %", "SK"}
    assert "ASI" not in found        # only inside MP-ASI
    assert kerangka.singkatan_dalam("tidak ada singkatan di sini") == []


def test_area_chapter_from_the_reference():
    assert bersama.gambaran_wilayah("64.74") == (
        "Kota Bontang adalah sebuah kota di Provinsi Kalimantan Timur. Luas wilayahnya 160 km² dan jumlah "
        "penduduknya 191.811 jiwa (Desember 2024), atau rata-rata 1.197 jiwa per km². Wilayahnya terbagi atas "
        "3 kecamatan dan 15 kelurahan.")
    t = bersama.tabel_kecamatan("64.02")
    assert t.columns.tolist() == ["Kecamatan", "Desa", "Kelurahan", "Jumlah"]
    assert t.iloc[-1].tolist() == ["Kabupaten Kutai Kartanegara", 193, 44, 237]
    assert bersama.tabel_kecamatan("64.74").columns.tolist() == ["Kecamatan", "Kelurahan"]


def test_roman_chapter_numbers():
    assert [kerangka.romawi(n) for n in (1, 4, 9, 10, 14)] == ["I", "IV", "IX", "X", "XIV"]


# ------------------------------------------------------------------ a whole document ----
def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    return fig


def _document(tmp_path, daerah=None, kab="64.74", **kwargs) -> Laporan:
    lap = Laporan("analisis-situasi", kab, 2024, tmp_path, tampilkan=False, daerah=daerah, **kwargs)
    lap.sampul(sumber={"e-PPGBM": "Agustus 2024"})
    lap.halaman_depan()
    lap.ringkasan_pimpinan(pesan="Prevalensi **13,1 %**.", peta=_figure(), judul_peta="Peta",
                           angka=[("Prevalensi stunting (register)", "13,1 %", "e-PPGBM Agustus 2024")],
                           lokus=["Kanaan", "Belimbing"], keputusan=["Tetapkan 3 lokus.", "Naikkan cakupan TTD."])
    lap.bab("pendahuluan")
    lap.bab("gambaran-umum")
    lap.tabel(pd.DataFrame({"Kecamatan": ["A"], "Kelurahan": [3]}), judul="Wilayah", id="tabel-wilayah")
    lap.bab("data")
    lap.gambar(_figure(), judul="Tren", id="gambar-tren", catatan="Catatan panjang.")
    for bab in ("prevalensi", "cakupan"):
        lap.bab(bab)
    lap.bab("permasalahan")
    for sub in ("penargetan-1000-hpk", "hambatan-rumah-tangga", "hambatan-layanan", "koordinasi", "praktik-baik"):
        lap.sub_narasi(sub)
    for bab in ("lokus", "kualitas-data", "rekomendasi", "penutup"):
        lap.bab(bab)
    lap.pengesahan()
    lap.bab_lampiran()
    lap.metode()
    lap.kolofon()
    return lap


def _html(lap: Laporan) -> str:
    return "\n".join(b["html"] for b in lap.blok)


def test_chapters_are_numbered_bab_with_sub_sections(tmp_path):
    lap = _document(tmp_path)
    chapters = [(b["id"], b["nomor"]) for b in lap.blok if b.get("peran") == "bab"]
    assert chapters[:3] == [("pendahuluan", "BAB I"), ("gambaran-umum", "BAB II"), ("data", "BAB III")]
    assert chapters[-1] == ("penutup", "BAB X")
    subs = [(b["id"], b["nomor"]) for b in lap.blok if b["jenis"] == "sub"]
    assert subs[:4] == [("latar-belakang", "1.1"), ("dasar-hukum", "1.2"), ("maksud-tujuan", "1.3"),
                        ("ruang-lingkup", "1.4")]
    assert ("penargetan-1000-hpk", "6.1") in subs and ("metode", "Lampiran 1") in subs
    front = [b["id"] for b in lap.blok if b.get("peran") == "depan"]
    assert front == ["kata-pengantar", "daftar-isi", "daftar-tabel", "daftar-gambar", "daftar-singkatan",
                     "ringkasan"]


def test_chapters_follow_the_outline(tmp_path):
    lap = Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False)
    lap.bab("pendahuluan")
    lap.bab("data")
    with pytest.raises(ParameterError, match="bab 'gambaran-umum' harus datang sebelum bab 'data'"):
        lap.bab("gambaran-umum")
    with pytest.raises(ParameterError, match="bab 'lain' tidak ada di kerangka dokumen"):
        lap.bab("lain")
    with pytest.raises(ParameterError, match="ditempatkan di bab 'permasalahan'"):
        lap.narasi("koordinasi")


def test_standard_texts_use_the_area_words(tmp_path):
    city = _teks(_html(_document(tmp_path / "a")))
    regency = _teks(_html(_document(tmp_path / "b", kab="64.02")))
    assert "Pemerintah Kota Bontang" in city and "kelurahan lokus dan kegiatan prioritas" in city
    assert "desa/kelurahan lokus dan kegiatan prioritas" in regency
    assert "Peraturan Presiden Nomor 72 Tahun 2021 tentang Percepatan Penurunan Stunting" in city
    assert not re.search(r"\bdesa\b", _teks(_html(_document(tmp_path / "c")).replace("desa/kelurahan", "")))


def test_without_narrative_and_signatories_the_document_is_a_draft(tmp_path):
    lap = _document(tmp_path)
    html = _html(lap)
    assert lap.draf and 'class="sampul draf"' in html and ">DRAF<" in html
    boxes = [b for b in lap.blok if b["jenis"] == "narasi_kosong" and b["html"]]
    assert {b["kode"] for b in boxes} >= {"kata_pengantar", "penargetan_1000_hpk", "hambatan_rumah_tangga",
                                           "hambatan_layanan", "koordinasi"}
    assert "Belum ditulis oleh TPPS: Hambatan Rumah Tangga" in html
    assert "(nama lengkap dan gelar)" in html and "NIP ......" in html  # marked empty signature lines
    lap.simpan()
    doc = json.loads((tmp_path / "analisis-situasi.json").read_text(encoding="utf-8"))["dokumen"]
    assert doc["status"] == "draf"
    assert doc["narasi_belum_ditulis"] == ["kata_pengantar", "penargetan_1000_hpk", "hambatan_rumah_tangga",
                                           "hambatan_layanan", "koordinasi"]
    assert doc["alasan_draf"][0] == ("Bagian yang wajib ditulis TPPS belum ada: Kata Pengantar, Penargetan "
                                     "1.000 HPK, Hambatan Rumah Tangga, Hambatan Layanan dan Koordinasi.")


def test_final_is_refused_while_sections_are_missing(tmp_path):
    with pytest.raises(DataUnavailableError) as err:
        Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False, final=True)
    message = str(err.value)
    assert message.startswith("Dokumen belum dapat difinalkan (--final): Bagian yang wajib ditulis TPPS "
                              "belum ada: Kata Pengantar, Penargetan 1.000 HPK,")
    assert "Penanda tangan lembar pengesahan belum diisi" in message
    complete = dokumen_uji.daerah_lengkap("analisis_situasi")
    assert not Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False, daerah=complete,
                       final=True).draf


def test_the_tpps_words_land_in_their_place_as_formatted_text(tmp_path):
    lap = _document(tmp_path, daerah=dokumen_uji.daerah_lengkap("analisis_situasi"))
    html = _html(lap)
    assert not lap.draf and "DRAF" not in html and "kotak-narasi-kosong" not in html
    written = {b["kode"]: b["html"] for b in lap.blok if b["jenis"] == "narasi"}
    assert set(written) == set(lap.kerangka_dokumen.narasi)
    body = written["hambatan_rumah_tangga"]
    assert "<li>jarak ke posyandu di wilayah pesisir;</li>" in body and "<em>biaya</em>" in body
    assert "<table>" in body and "<td>Bontang Selatan</td>" in body
    assert "<script>" not in html and body.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert body.count("#set page(width: 1cm)") == 2 and body.count("$x^2$") == 2
    ordered = [b["id"] if b["jenis"] == "sub" else b["jenis"] for b in lap.blok
               if b["jenis"] in ("sub", "narasi")]
    assert ordered[ordered.index("hambatan-rumah-tangga") + 1] == "narasi"
    assert "Peraturan Wali Kota Bontang Nomor 12 Tahun 2023" in html          # its own legal basis
    assert "Dr. H. Budi Santoso, M.Si." in html and "NIP 19700101 199503 1 002" in html
    assert "PEMERINTAH KOTA BONTANG" in html and "050/123/Bappeda/2025" in html and "15 Maret 2025" in html
    assert 'class="sampul-lambang"><img src="data:image/png;base64,' in html


def test_an_optional_section_left_out_of_a_complete_document(tmp_path):
    daerah = dokumen_uji.daerah_lengkap("analisis_situasi")
    narasi = {k: v for k, v in daerah.narasi.items() if k != "praktik_baik"}
    lap = _document(tmp_path, daerah=kerangka.DokumenDaerah(daerah.identitas, daerah.penandatangan, narasi))
    assert "praktik-baik" not in [b.get("id") for b in lap.blok]          # no heading either
    assert "Praktik Baik" not in _html(lap)


def test_front_lists_are_completed_from_the_whole_document(tmp_path):
    lap = _document(tmp_path)
    lists = {b["daftar"]: b["html"] for b in lap.blok if b["jenis"] == "daftar"}
    assert '<a href="#tabel-wilayah"><span class="nomor">Tabel 1.</span> Wilayah</a>' in lists["tabel"]
    assert '<span class="nomor">Gambar 1.</span> Tren' in lists["gambar"]
    assert 'href="#pendahuluan"><span class="nomor">BAB I</span> Pendahuluan' in lists["isi"]
    assert 'href="#metode"><span class="nomor">Lampiran 1</span> Catatan Metode' in lists["isi"]
    listed = re.findall(r"<tr><td>([^<]+)</td><td>", lists["singkatan"].split("Istilah")[0])
    assert "TTD" in listed and "TPPS" in listed and "KRS" not in listed   # only what occurs
    body = _teks("\n".join(b["html"] for b in lap.blok if b["jenis"] != "daftar"))
    for s in listed:   # capitals as written; words like posyandu in any case
        assert s in body if s.upper() == s else s.lower() in body.lower(), s


def test_leadership_summary_fits_one_page(tmp_path):
    lap = Laporan("analisis-situasi", "64.74", 2024, tmp_path, tampilkan=False)
    with pytest.raises(ParameterError, match="paling banyak 5 keputusan, bukan 6"):
        lap.ringkasan_pimpinan(angka=[], keputusan=[f"k{i}" for i in range(6)])
    with pytest.raises(ParameterError, match="paling banyak 8 angka utama"):
        lap.ringkasan_pimpinan(angka=[("a", "1", "s")] * 9, keputusan=[])


def test_the_render_date_is_in_the_colophon_not_on_the_cover(tmp_path):
    lap = _document(tmp_path)
    cover = next(b["html"] for b in lap.blok if b["jenis"] == "sampul")
    colophon = next(b["html"] for b in lap.blok if b["jenis"] == "kolofon")
    today = lap.blok[0]["dibuat"]
    assert today not in cover and "konvergensi" not in cover.replace("Konvergensi", "")
    assert today in colophon and "konvergensi versi" in colophon and "e-PPGBM" in colophon


# ------------------------------------------------------------------ through the PDF ----
def test_markup_in_a_narrative_is_text_in_the_pdf(tmp_path):
    """HTML → pandoc → Typst → PDF: the cover alone on page 1, the lembar pengesahan on its own
    page, DRAF in the running header, and the typed markup as literal text."""
    import nbformat

    from analysis.render.html import Document, collect_blocks
    from analysis.render.pdf import write_pdf

    daerah = dokumen_uji.daerah_lengkap("analisis_situasi")
    narasi = {k: v for k, v in daerah.narasi.items() if k != "kata_pengantar"}   # still a draft
    lap = _document(tmp_path, daerah=kerangka.DokumenDaerah(daerah.identitas, daerah.penandatangan, narasi))
    nb = {"cells": [{"cell_type": "code", "source": "", "outputs": [
        {"output_type": "display_data", "data": {"text/html": b["html"]},
         "metadata": {"konvergensi": {k: v for k, v in b.items() if k != "html"}}} for b in lap.blok]}]}
    title, blocks = collect_blocks(nbformat.from_dict(nb))   # attribute and key access both work
    doc = Document(judul="Analisis Situasi", wilayah="Kota Bontang", tahun=2024, dibuat="1 Juni 2025",
                   versi="0", aksi="Aksi 1", title_block=title, blocks=blocks)
    pdf = write_pdf(doc, tmp_path / "uji.pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    assert "PEMERINTAH KOTA BONTANG" in pages[0] and "Belum ditulis oleh TPPS" not in pages[0]
    assert "Belum ditulis oleh TPPS: Kata Pengantar" in pages[1]        # the cover stands alone
    text = "\n".join(pages)
    assert "<script>alert(1)</script>" in text and "#set page(width: 1cm)" in text and "$x^2$" in text
    approval = [i for i, p in enumerate(pages) if "Lembar Pengesahan" in p and "Disahkan oleh" in p]
    assert len(approval) == 1 and "Lampiran" not in pages[approval[0]].split("Lembar Pengesahan", 1)[1]
    assert all("DRAF" in p.splitlines()[0] for p in pages[1:] if p.strip())


def test_document_models_repeat_no_settings_in_code():
    """As for every settings model: an optional field is "absent" (None), never a value."""
    def walk(model: type) -> list[str]:
        bad = []
        for fname, f in model.model_fields.items():
            if not f.is_required() and f.default is not None:
                bad.append(f"{model.__name__}.{fname} = {f.default!r}")
            for arg in getattr(f.annotation, "__args__", ()) + (f.annotation,):
                if isinstance(arg, type) and issubclass(arg, pengaturan.BaseModel):
                    bad += walk(arg)
        return bad

    assert walk(pengaturan.DokumenBersama) + walk(pengaturan.DokumenLaporan) == []
