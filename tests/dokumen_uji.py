"""What a district supplies for its document, as fixtures: signatories, identity with an
emblem, and the TPPS's sections (with markup that must stay text everywhere)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from analysis.laporan.kerangka import DokumenDaerah, Identitas, Penandatangan, kerangka

FIXTURES = Path(__file__).parent / "fixtures" / "dokumen"

#: Markup typed into a narrative: HTML, Typst and math must come out as the literal text.
SERANGAN = "Tulisan <script>alert(1)</script> lalu #set page(width: 1cm) dan $x^2$ tetap teks."

PENANDATANGAN = (
    Penandatangan("kata_pengantar", "Dr. H. Budi Santoso, M.Si.", "Sekretaris Daerah selaku Ketua TPPS",
                  "Pembina Utama Madya (IV/d)", "19700101 199503 1 002"),
    Penandatangan("penyusun", "Ir. Siti Rahma, M.T.", "Kepala Bappeda", "Pembina Utama Muda (IV/c)",
                  "19720202 199803 2 003"),
    Penandatangan("pengesah", "Dr. H. Budi Santoso, M.Si.", "Sekretaris Daerah selaku Ketua TPPS",
                  "Pembina Utama Madya (IV/d)", "19700101 199503 1 002"),
)


def escaped(text: str) -> str:
    """Text as the narrative reader writes it into Markdown: every ASCII punctuation escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def isi_narasi(kode: str, judul: str) -> str:
    """A section as the reader gives it: lists, emphasis, a table; the hostile line twice, once
    escaped as the reader writes it and once raw (defence in depth: the report layer must keep
    it text even if a reader did not escape it)."""
    if kode == "hambatan_rumah_tangga":
        return ("Keluarga menyebut tiga hambatan utama:\n\n- jarak ke posyandu di wilayah pesisir;\n"
                "- *biaya* transportasi;\n- jadwal kerja orang tua.\n\n"
                "| Hambatan | Kecamatan |\n|---|---|\n| Jarak | Bontang Selatan |\n\n"
                + escaped(SERANGAN) + "\n\n" + SERANGAN)
    return f"Teks TPPS untuk bagian {judul}: **disusun bersama OPD** pada rapat koordinasi."


def daerah_lengkap(paket: str, *, identitas: bool = True) -> DokumenDaerah:
    """Every section of the report written, the signatories, and (optionally) the identity."""
    outline = kerangka(paket)
    ident = Identitas(nama_pemda="Pemerintah Kota Bontang", nomor="050/123/Bappeda/2025",
                      tanggal=dt.date(2025, 3, 15), tempat="Bontang", kertas="a4",
                      lambang_png=(FIXTURES / "lambang.png").read_bytes()) if identitas else None
    return DokumenDaerah(identitas=ident, penandatangan=PENANDATANGAN,
                         narasi={k: isi_narasi(k, s.judul) for k, s in outline.narasi.items()},
                         regulasi=("Peraturan Wali Kota Bontang Nomor 12 Tahun 2023 tentang Percepatan "
                                   "Penurunan Stunting",))
