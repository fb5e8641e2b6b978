"""The document form: the outline of each report as data, and the pieces every document shares.

A district submits its Aksi 1 and Aksi 8 work as a *document*: a cover ("PEMERINTAH KOTA …",
emblem, title, year, number and date), a Kata Pengantar, lists of contents, tables, figures and
abbreviations, BAB I Pendahuluan (latar belakang, dasar hukum, maksud dan tujuan, ruang
lingkup), BAB II on the area, the analysis chapters, a Penutup, a Lembar Pengesahan with the
signatories and an annex with the methods. This module holds what that form is made of:

- the outline of each report (``analysis/data/config/dokumen/<laporan>.yaml``) and the shared
  parts (``dokumen/bersama.yaml``), read through :mod:`analysis.pengaturan`
  (:func:`kerangka`, :func:`bersama`);
- the words of an area (:class:`Kosakata`: a kota says kelurahan and Wali Kota, a kabupaten
  desa/kelurahan and Bupati; which villages are kelurahan comes from the Kemendagri reference)
  and the placeholders of the standard texts (:func:`konteks`, :func:`isi`);
- reference data with sources: the legal basis (``dasar_hukum.csv``), abbreviations
  (``singkatan.csv``) and terms (``istilah.csv``), and which abbreviations a text uses
  (:func:`singkatan_dalam`);
- what the district supplies for its document (:class:`DokumenDaerah`: identity, signatories, the
  TPPS's own words, its own regulations), built from its data package by
  :func:`analysis.laporan.bersama.dokumen_daerah`;
- the HTML of the document blocks (cover, signatures, boxes, lists), which
  :class:`analysis.laporan.dokumen.Laporan` emits.

Everything a reader sees here is data (YAML or CSV) or comes from the district; this module
only assembles it. It never imports the dataset loader or a report package.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import importlib.metadata
import io
import platform
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from analysis import __version__, keluaran, pengaturan, reference
from analysis.errors import ConfigError, ParameterError
from analysis.laporan.markdown import markdown

__all__ = [
    "DokumenDaerah", "Identitas", "Kosakata", "Penandatangan", "bersama", "dasar_hukum", "isi",
    "istilah", "istilah_teks", "kerangka", "konteks", "kosakata", "romawi", "singkatan",
    "singkatan_dalam",
]


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------- settings
def bersama() -> pengaturan.DokumenBersama:
    """``dokumen/bersama.yaml``: the shared parts of every document."""
    return pengaturan.dokumen_bersama()


def kerangka(paket: str) -> pengaturan.DokumenLaporan:
    """The outline of one report (``paket`` = ``"analisis_situasi"``), checked against the
    shared parts and the reference data (every method and legal-basis code exists).

    Raises
    ------
    ConfigError
        Naming the file and the unknown code.
    """
    _periksa(paket)
    return pengaturan.dokumen(paket)


@cache
def _periksa(paket: str) -> None:
    outline, shared = pengaturan.dokumen(paket), bersama()
    unknown = [m for m in outline.lampiran.metode if m not in shared.metode]
    if unknown:
        raise ConfigError(f"Berkas pengaturan dokumen/{paket}.yaml: lampiran.metode '{unknown[0]}' "
                          f"tidak ada di dokumen/bersama.yaml (metode: {', '.join(shared.metode)}).")
    known = set(_dasar_hukum()["kode"])
    unknown = [k for k in outline.dasar_hukum if k not in known]
    if unknown:
        raise ConfigError(f"Berkas pengaturan dokumen/{paket}.yaml: dasar_hukum '{unknown[0]}' "
                          f"tidak ada di data rujukan dasar_hukum.csv.")


# --------------------------------------------------------------------------- numbers
_ROMAWI = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def romawi(n: int) -> str:
    """A chapter number as Indonesian documents write it: ``4`` → ``"IV"``."""
    if n < 1:
        raise ParameterError("nomor", f"nomor bab harus 1 atau lebih, bukan {n}.")
    out = []
    for value, letters in _ROMAWI:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


# --------------------------------------------------------------------------- vocabulary
@dataclass(frozen=True)
class Kosakata:
    """The words of an area, as every sentence of its documents uses them.

    Attributes
    ----------
    jenis : ``"kabupaten"``, ``"kota"`` or ``"provinsi"``
    daerah, Daerah : ``"kota"`` / ``"Kota"``
    kepala_daerah : ``"Wali Kota"`` / ``"Bupati"`` / ``"Gubernur"``
    peraturan_kepala_daerah, keputusan_kepala_daerah : ``"Peraturan Wali Kota"``, ...
    desa : the villages: ``"kelurahan"`` (a city with only kelurahan), ``"desa"`` or
        ``"desa/kelurahan"``
    Desa : the same at the start of a sentence (``"Desa/kelurahan"``)
    Desa_judul : the same in a heading (``"Desa/Kelurahan"``)
    ada_desa, ada_kelurahan : whether the area has desa, kelurahan
    """

    jenis: str
    daerah: str
    Daerah: str
    kepala_daerah: str
    peraturan_kepala_daerah: str
    keputusan_kepala_daerah: str
    desa: str
    Desa: str
    Desa_judul: str
    ada_desa: bool
    ada_kelurahan: bool


def _jumlah(value: Any) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return 0 if number != number else int(number)


def _kapital(word: str) -> str:
    return word[:1].upper() + word[1:]


@cache
def kosakata(kab: str) -> Kosakata:
    """The vocabulary of a district (``"64.74"``) or province (``"64"``).

    The kind of area comes from the Kemendagri reference (``regency_type``), the word for its
    villages from how many desa and kelurahan it has (``n_desa``, ``n_kelurahan``).
    """
    words = bersama().kosakata
    code = keluaran.check_area(str(kab), "kab")
    if keluaran.is_province(code):
        jenis, n_desa, n_kel = "provinsi", 1, 1
    else:
        reg = reference.regencies()
        row = reg[reg["regency_code"].astype(str) == code]
        if row.empty:
            raise ParameterError("kab", f"kabupaten/kota '{code}' tidak ada di data rujukan wilayah.")
        r = row.iloc[0]
        jenis = "kota" if str(r["regency_type"]).strip().lower() == "kota" else "kabupaten"
        n_desa, n_kel = _jumlah(r.get("n_desa")), _jumlah(r.get("n_kelurahan"))
    kind = getattr(words, jenis)
    if n_desa and not n_kel:
        desa = words.desa.hanya_desa
    elif n_kel and not n_desa:
        desa = words.desa.hanya_kelurahan
    else:
        desa = words.desa.campuran
    return Kosakata(jenis=jenis, daerah=kind.daerah, Daerah=kind.Daerah,
                    kepala_daerah=kind.kepala_daerah,
                    peraturan_kepala_daerah=kind.peraturan_kepala_daerah,
                    keputusan_kepala_daerah=kind.keputusan_kepala_daerah,
                    desa=desa, Desa=_kapital(desa),
                    Desa_judul="/".join(_kapital(w) for w in desa.split("/")),
                    ada_desa=n_desa > 0, ada_kelurahan=n_kel > 0)


def konteks(kab: str, tahun: int, *, judul: str = "", aksi: str = "",
            pemerintah_daerah: str | None = None) -> dict[str, str]:
    """The values of the placeholders of a document's standard texts (``dokumen/bersama.yaml``).

    Parameters
    ----------
    kab : district or province code
    tahun : the year reported on
    judul : the document's title
    aksi : the aksi it serves (``"Aksi 1"``)
    pemerintah_daerah : the official name from the identity table; default
        ``"Pemerintah <wilayah>"``
    """
    k = kosakata(kab)
    wilayah = keluaran.area_name(kab)
    return {
        "wilayah": wilayah, "pemerintah_daerah": pemerintah_daerah or f"Pemerintah {wilayah}",
        "daerah": k.daerah, "Daerah": k.Daerah, "desa": k.desa, "Desa": k.Desa,
        "Desa_judul": k.Desa_judul, "kepala_daerah": k.kepala_daerah,
        "peraturan_kepala_daerah": k.peraturan_kepala_daerah,
        "keputusan_kepala_daerah": k.keputusan_kepala_daerah,
        "tahun": str(tahun), "tahun_depan": str(tahun + 1), "tahun_lalu": str(tahun - 1),
        "judul": judul, "aksi": aksi,
    }


def isi(teks: str, nilai: Mapping[str, str], **lain: str) -> str:
    """A standard text with its placeholders filled (``{wilayah}`` → ``"Kota Bontang"``).

    The placeholders were checked when the settings file loaded; a value from the data (a
    district's official name) is inserted as written.
    """
    return teks.format_map({**nilai, **lain})


# --------------------------------------------------------------------------- reference data
@cache
def _dasar_hukum() -> pd.DataFrame:
    return reference._read_csv("dasar_hukum.csv")


def dasar_hukum(kode: Iterable[str], kab: str | None = None) -> list[str]:
    """The legal basis lines (as printed) of the given codes, in that order; with ``kab``,
    without those that do not apply to the area (``syarat`` ``ada_desa``: the regulation on
    village authority, for an area that has desa)."""
    frame = _dasar_hukum().set_index("kode")
    has_desa = True if kab is None or keluaran.is_province(kab) else kosakata(kab).ada_desa
    return [str(frame.at[k, "teks"]) for k in kode
            if has_desa or str(frame.at[k, "syarat"]) != "ada_desa"]


@cache
def singkatan() -> pd.DataFrame:
    """``singkatan.csv``: ``singkatan, kepanjangan, sumber`` (alphabetical, case ignored)."""
    frame = reference._read_csv("singkatan.csv")
    return frame.iloc[frame["singkatan"].str.lower().argsort(kind="stable")].reset_index(drop=True)


@cache
def istilah() -> pd.DataFrame:
    """``istilah.csv``: ``kode, istilah, istilah_internasional, arti, sumber``."""
    return reference._read_csv("istilah.csv").set_index("kode", drop=False)


def istilah_teks(kode: str, *, pertama: bool = False) -> str:
    """A term the way the body writes it: Indonesian, with the international term in brackets
    at its first mention (``pertama=True``): ``"gizi kurang (wasting)"``, later ``"gizi kurang"``.

    Raises
    ------
    ParameterError
        For a code that is not in ``istilah.csv`` (the message lists the codes).
    """
    terms = istilah()
    if kode not in terms.index:
        raise ParameterError("kode", f"istilah '{kode}' tidak dikenal.", ", ".join(terms.index))
    row = terms.loc[kode]
    word, other = str(row["istilah"]), str(row["istilah_internasional"])
    return f"{word} ({other})" if pertama and other and other != word else word


@cache
def _pola_singkatan() -> list[tuple[str, str, re.Pattern[str]]]:
    out = []
    for r in singkatan().itertuples():
        s = str(r.singkatan)
        # all-capital abbreviations are matched as written (SD, SK, KB); words that are also
        # written in lower case (posyandu, puskesmas, e-PPGBM) in any case
        flags = 0 if s.upper() == s else re.IGNORECASE
        body = r"[\s\u00a0]+".join(re.escape(w) for w in s.split())
        out.append((s, str(r.kepanjangan), re.compile(rf"(?<![\w/-]){body}(?![\w/-])", flags)))
    # the longest first: "SK 95 %" is taken before "SK" (surat keputusan) looks at the rest
    return sorted(out, key=lambda item: -len(item[0]))


def singkatan_dalam(teks: str) -> list[tuple[str, str]]:
    """The abbreviations of ``singkatan.csv`` that occur in ``teks``: ``(singkatan, kepanjangan)``,
    in the order of ``singkatan.csv`` (alphabetical). A longer abbreviation hides the shorter ones
    inside it (``SK 95 %`` is not also ``SK``)."""
    found = set()
    for s, _, pola in _pola_singkatan():
        teks, n = pola.subn(" ", teks)
        if n:
            found.add(s)
    return [(str(r.singkatan), str(r.kepanjangan)) for r in singkatan().itertuples()
            if r.singkatan in found]


def istilah_dalam(teks: str) -> list[tuple[str, str, str]]:
    """The terms of ``istilah.csv`` whose Indonesian word occurs in ``teks`` and that have an
    international term of their own: ``(istilah, istilah_internasional, arti)``."""
    out = []
    for r in istilah().itertuples():
        word, other = str(r.istilah), str(r.istilah_internasional)
        if other and other != word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", teks, re.IGNORECASE):
            out.append((word, other, str(r.arti)))
    return out


# --------------------------------------------------------------------------- the district's part
@dataclass(frozen=True)
class Penandatangan:
    """A signatory of the document (``penandatangan`` table of the data package).

    Attributes
    ----------
    peran : ``"kata_pengantar"`` (signs the Kata Pengantar), ``"penyusun"`` (prepared by) or
        ``"pengesah"`` (approves the document on the Lembar Pengesahan)
    nama, jabatan : as written under the signature (name with titles)
    pangkat, nip : rank and grade, 18-digit NIP (either may be empty)
    """

    peran: str
    nama: str
    jabatan: str
    pangkat: str = ""
    nip: str = ""


@dataclass(frozen=True)
class Identitas:
    """The document's identity (``identitas`` table of the data package); every field may be
    empty.

    Attributes
    ----------
    nama_pemda : official name of the government (``"Pemerintah Kabupaten Kutai Kartanegara"``)
    nomor : document number; tanggal : document date; tempat : where it is signed
    kertas : ``"a4"`` or ``"f4"``
    lambang_png : the emblem as PNG bytes (converted from the district's file)
    """

    nama_pemda: str = ""
    nomor: str = ""
    tanggal: _dt.date | None = None
    tempat: str = ""
    kertas: str = ""
    lambang_png: bytes | None = None


@dataclass(frozen=True)
class DokumenDaerah:
    """What the district supplies for its document, for :class:`~analysis.laporan.dokumen.Laporan`.

    Attributes
    ----------
    identitas : the identity row of this document, or None when the table was not supplied
    penandatangan : the signatories of this document
    narasi : the TPPS's own sections written for this document: section code → Markdown whose
        every character of the TPPS's text is escaped (it reads back only as that text)
    regulasi : the district's own regulations (Perbup/Perwali), as printed in the legal basis
    berkas_narasi : where the narrative was read from (for messages), or ``""``
    """

    identitas: Identitas | None = None
    penandatangan: tuple[Penandatangan, ...] = ()
    narasi: Mapping[str, str] = field(default_factory=dict)
    regulasi: tuple[str, ...] = ()
    berkas_narasi: str = ""

    def penanda(self, peran: str) -> list[Penandatangan]:
        """The signatories of one role, in table order."""
        return [p for p in self.penandatangan if p.peran == peran]


def lambang_png(data: bytes) -> bytes:
    """An emblem file (PNG or JPEG) as PNG bytes for the cover.

    Raises
    ------
    ParameterError
        When the bytes are no image Pillow can read.
    """
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415  (Pillow ~40 ms; only with an emblem)

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            out = io.BytesIO()
            img.convert("RGBA").save(out, format="PNG")
    except (UnidentifiedImageError, OSError) as exc:
        raise ParameterError("lambang", "berkas lambang bukan gambar PNG atau JPEG yang dapat "
                                        f"dibaca ({exc}).") from None
    return out.getvalue()


# --------------------------------------------------------------------------- HTML pieces
def data_png(png: bytes, alt: str, lebar: int) -> str:
    """An ``<img>`` with an embedded PNG, written the way the PDF step finds it (src, alt, width)."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_esc(alt)}" style="width:{lebar}%">'


def para(teks: str, kelas: str) -> str:
    """A text line in its own ``<div class=...>`` (the PDF step styles it by the class)."""
    return f'<div class="{kelas}"><p>{_esc(teks)}</p></div>'


def tanda_tangan(blok: Sequence[Penandatangan | None], peran: Mapping[str, str],
                 kosong: pengaturan.Pengesahan, urutan: Sequence[str], *,
                 tempat_tanggal: str = "") -> str:
    """Signature blocks: the role's words, jabatan, room to sign, name, rank, NIP.

    ``None`` in ``blok`` is an empty block with clearly marked blank lines (no identity yet).
    """
    parts = []
    for role, p in zip(urutan, blok, strict=True):
        lines = [f'<p class="ttd-peran">{_esc(peran.get(role, ""))}</p>']
        if tempat_tanggal:
            lines.insert(0, f'<p class="ttd-tempat">{_esc(tempat_tanggal)}</p>')
        if p is None:
            lines += [f'<p class="ttd-jabatan kosong">{_esc(kosong.kosong_jabatan)}</p>',
                      '<div class="ttd-ruang"></div>',
                      f'<p class="ttd-nama kosong">{_esc(kosong.kosong_nama)}</p>',
                      f'<p class="ttd-nip kosong">{_esc(kosong.kosong_nip)}</p>']
        else:
            lines += [f'<p class="ttd-jabatan">{_esc(p.jabatan)}</p>', '<div class="ttd-ruang"></div>',
                      f'<p class="ttd-nama"><strong>{_esc(p.nama)}</strong></p>']
            if p.pangkat:
                lines.append(f'<p class="ttd-pangkat">{_esc(p.pangkat)}</p>')
            if p.nip:
                lines.append(f'<p class="ttd-nip">NIP {_esc(p.nip)}</p>')
        parts.append(f'<div class="ttd-blok">{"".join(lines)}</div>')
    return f'<div class="ttd">{"".join(parts)}</div>'


def kotak_kosong(slot: pengaturan.SlotNarasi, draf: pengaturan.Draf, nilai: Mapping[str, str]) -> str:
    """The box in place of a section the TPPS has not written: what to write, and where."""
    head = isi(draf.kotak_judul, nilai, bagian=slot.judul)
    body = isi(draf.kotak_teks, nilai, bagian=slot.judul)
    guide = isi(slot.panduan, nilai)
    kind = "wajib" if slot.wajib else "pilihan"
    extra = "" if slot.wajib else f'<p class="kotak-catatan">{_esc(draf.kotak_pilihan)}</p>'
    return (f'<div class="kotak kotak-narasi-kosong {kind}"><div class="kotak-judul">{_esc(head)}</div>'
            f"<p>{_esc(body)}</p><p><em>{_esc(guide)}</em></p>{extra}</div>")


def narasi_html(kode: str, isi_md: str) -> str:
    """The TPPS's section as HTML (Markdown rendered with every raw HTML escaped)."""
    return f'<div class="narasi" data-narasi="{_esc(kode)}">{markdown(isi_md)}</div>'


def tabel_sederhana(kolom: Sequence[str], baris: Iterable[Sequence[Any]], kelas: str) -> str:
    """A small uncaptioned table (lists of the front matter), every cell escaped."""
    head = "".join(f"<th>{_esc(c)}</th>" for c in kolom)
    rows = "".join("<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in r) + "</tr>" for r in baris)
    return f'<table class="{kelas}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def daftar_tautan(items: Iterable[tuple[str, str, str]], kelas: str) -> str:
    """A list of links ``(id, nomor, judul)`` (daftar isi, tabel, gambar in the HTML)."""
    rows = "".join(f'<li><a href="#{_esc(i)}"><span class="nomor">{_esc(n)}</span> {_esc(j)}</a></li>'
                   for i, n, j in items)
    return f'<div class="daftar-dokumen {kelas}"><ol>{rows}</ol></div>'


# --------------------------------------------------------------------------- software versions
def versi_perangkat_lunak(nama: Sequence[str]) -> list[tuple[str, str]]:
    """``(name, version)`` of the software that made the document (Python first)."""
    out = [("Python", platform.python_version())]
    for name in nama:
        if name == "konvergensi":
            out.append((name, __version__))
            continue
        try:
            out.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            continue
    return out
