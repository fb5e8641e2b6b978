"""The report API every notebook template uses: :class:`Laporan`.

A notebook builds its report with calls, in reading order::

    from analysis.laporan import Laporan
    lap = Laporan(laporan="analisis-situasi", kab=kab, tahun=tahun, output_dir=output_dir)
    lap.judul(sumber={"e-PPGBM": "Agustus 2024", "Profil desa": "Januari 2024"})
    lap.bagian("ringkasan", "Ringkasan eksekutif")
    lap.kotak("Prevalensi stunting turun menjadi **14,3 %**.", judul="Temuan utama")
    lap.tabel(df, judul="Prevalensi per kecamatan", id="prevalensi-kecamatan",
              lampiran="Prevalensi kecamatan")
    lap.gambar(fig, judul="Tren prevalensi", id="tren-prevalensi")
    lap.angka_kunci("prevalensi_stunting_register", nilai=12.3, satuan="%",
                    ci=(10.1, 14.6), sumber="e-PPGBM Agustus 2024",
                    label="Prevalensi stunting (register)")
    lap.simpan()

Every call displays one HTML fragment in the notebook (so the notebook reads well in Jupyter)
and tags it with output metadata ``{"konvergensi": {...}}`` describing the block (kind, id,
number, title). The renderer (:mod:`analysis.render.html`) builds the report only from these
tagged outputs: code, prompts, streams, warnings and untagged outputs never reach the reader.
``simpan()`` writes ``<laporan>.json`` (key figures and the outline) and
``<laporan>-lampiran.xlsx`` (the tables, for Excel users).

In JupyterLab every cell may be run again: the blocks, annex sheets and key figures an
earlier run of *the same cell* added are replaced by the new ones, in place (the cell is
recognised by the id JupyterLab sends with each execution). Ids must still be unique across
cells. With ``output_dir`` empty the outputs go to the scratch folder
``reports/.interaktif/<tahun>/<area>/``, never over an official report.

Numbers in tables go through :mod:`analysis.text` (``1.234``, ``14,3``); the Excel annex keeps
the raw numbers.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from IPython import get_ipython
from IPython.display import display, update_display
from matplotlib.figure import Figure

from analysis import __version__, keluaran, pengaturan, safeio, text
from analysis.errors import DataUnavailableError, ParameterError
from analysis.laporan import kerangka
from analysis.laporan.katalog import get_spec
from analysis.laporan.kerangka import DokumenDaerah
from analysis.laporan.kolom import Gabung, excel_formats, tampilan
from analysis.laporan.markdown import METADATA_KEY, inline, markdown

__all__ = ["FIGURE_DPI", "METADATA_KEY", "DokumenDaerah", "Laporan", "markdown"]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
#: Figure resolution: sharp in print at the full text width (16 cm).
FIGURE_DPI = 150
#: Box colours of :meth:`Laporan.kotak`.
JENIS_KOTAK = ("info", "peringatan", "rekomendasi")
#: Kinds of block that carry a number, and what starts their count again.
_NUMBERED = ("bagian", "sub", "tabel", "gambar")
#: Front-matter lists completed when the document is complete (:meth:`Laporan.kolofon`).
_DAFTAR = ("isi", "tabel", "gambar", "singkatan")
#: Where a section sits in the document (``peran`` of a ``bagian`` block): front matter,
#: a numbered chapter, the approval page, the annex.
PERAN = ("depan", "bab", "belakang", "lampiran")
_ALIGN_RIGHT = ' class="angka" style="text-align: right"'

Run = tuple[str, int]
"""A cell execution: (JupyterLab cell id, execution count)."""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _number(value: Any) -> float | int | None:
    """A JSON-safe number (numpy scalars unwrapped, NaN → None)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError("nilai", f"'{value}' bukan angka.") from None
    return None if math.isnan(number) else number


def current_run() -> Run | None:
    """The cell execution in progress, when run from JupyterLab (else None).

    JupyterLab sends the cell's id with every execute request (``metadata.cellId``); the
    renderer's kernel client sends none, so rendered reports keep the strict rule that an id
    is used once.
    """
    shell = get_ipython()
    parent = getattr(shell, "parent_header", None)
    if not isinstance(parent, dict):
        return None
    cell = (parent.get("metadata") or {}).get("cellId")
    count = getattr(shell, "execution_count", None)
    if not cell or not isinstance(count, int):
        return None
    return str(cell), count


@dataclass
class _Sheet:
    name: str
    frame: pd.DataFrame
    judul: str
    run: Run | None
    formats: dict[str, str] = field(default_factory=dict)


@dataclass
class _Record:
    value: dict[str, Any]
    run: Run | None = field(default=None)


class Laporan:
    """A report under construction: title block, numbered sections, tables, figures.

    Parameters
    ----------
    laporan : str
        Report name from the catalogue (``"analisis-situasi"``, ``"reviu-kinerja"``,
        ``"studi-tiru"``).
    kab : str
        The area the report is about: a Kemendagri district code (``"64.74"``)
        or, for province views, a two-digit province code (``"64"``).
    tahun : int
        The year reported on.
    output_dir : str or Path, optional
        Where :meth:`simpan` writes the JSON and the Excel annex. Empty or ``None`` means the
        scratch folder ``reports/.interaktif/<tahun>/<kab>-<slug>/`` (the renderer always
        passes a folder of its own, and publishes to ``reports/<tahun>/<kab>-<slug>/``).
    tampilkan : bool
        Display each block in the notebook (default). ``False`` only records.
    daerah : DokumenDaerah, optional
        What the district supplies for its document (identity, signatories, the TPPS's own
        sections, its regulations): :func:`analysis.laporan.bersama.dokumen_daerah`. ``None``
        is a district that supplied none of it (the document is a draft).
    final : bool
        The final document is wanted: refuse (:class:`~analysis.errors.DataUnavailableError`,
        naming what is missing) while a required section of the TPPS or the approving
        signatory is missing. ``False`` renders a draft, marked as such.

    Attributes
    ----------
    nama_wilayah : str
        The area's name (``"Kota Bontang"``).
    blok : list of dict
        The blocks recorded so far (kind, id, number, title, html).
    """

    def __init__(self, laporan: str, kab: str, tahun: int, output_dir: str | Path | None = None,
                 *, tampilkan: bool = True, daerah: DokumenDaerah | None = None, final: bool = False):
        self.spec = get_spec(laporan)
        self.laporan = laporan
        self.kab = keluaran.check_area(str(kab), "kab")
        try:
            self.tahun = int(tahun)
        except (TypeError, ValueError):
            raise ParameterError("tahun", f"'{tahun}' bukan tahun (bilangan bulat).") from None
        self.nama_wilayah = keluaran.area_name(self.kab)
        self.output_dir = (Path(output_dir) if output_dir not in (None, "")
                           else keluaran.interactive_dir(self.kab, self.tahun))
        self.tampilkan = tampilkan
        self.blok: list[dict[str, Any]] = []
        self.judul_laporan = self.spec.judul
        self.sumber: list[dict[str, str]] = []
        self.dibuat = _dt.datetime.now().astimezone()
        self._runs: list[Run | None] = []          # the execution that emitted each block
        self._angka: dict[str, _Record] = {}
        self._daftar: dict[str, _Record] = {}
        self._lampiran: list[_Sheet] = []
        self._active: Run | None = None
        self._insert: int | None = None            # where a re-run cell puts its blocks
        self._insert_sheet: int | None = None      # ... and its annex sheets
        self.daerah = daerah if daerah is not None else DokumenDaerah()
        self.final = bool(final)
        self._tampilan: dict[str, str] = {}        # display id of each front-matter list
        self._lengkap: str | None = None           # digest of the blocks the lists were made from
        if self.final:
            self.periksa_final()

    # ------------------------------------------------------------------ re-running cells
    def _enter(self) -> Run | None:
        """Note the current cell execution; a new run of a cell drops what its earlier run added."""
        run = current_run()
        if run is None or run == self._active:
            return run
        self._active = run
        stale = [i for i, r in enumerate(self._runs) if r is not None and r[0] == run[0] and r != run]
        self._insert = stale[0] if stale else None
        for i in reversed(stale):
            del self.blok[i]
            del self._runs[i]
        sheets = [i for i, sh in enumerate(self._lampiran) if _earlier(sh.run, run)]
        self._insert_sheet = sheets[0] if sheets else None
        self._lampiran = [sh for sh in self._lampiran if not _earlier(sh.run, run)]
        for records in (self._angka, self._daftar):
            for kode in [k for k, r in records.items() if _earlier(r.run, run)]:
                del records[kode]
        return run

    def _position(self) -> int:
        return len(self.blok) if self._insert is None else self._insert

    def _nomor(self, kind: str) -> int:
        """Number of the next block of ``kind`` (counting the blocks before it)."""
        before = self.blok[: self._position()]
        if kind == "sub":
            last = max((i for i, b in enumerate(before) if b["jenis"] == "bagian"), default=-1)
            before = before[last + 1:]
        if kind == "bagian":  # numbered sections of a plain report (not the document's parts)
            return 1 + sum(1 for b in before if b["jenis"] == kind and not b.get("peran"))
        if kind == "bab":
            return 1 + sum(1 for b in before if b.get("peran") == "bab")
        return 1 + sum(1 for b in before if b["jenis"] == kind)

    def _induk(self) -> dict[str, Any] | None:
        """The section (``bagian`` block) the next block belongs to."""
        before = self.blok[: self._position()]
        return next((b for b in reversed(before) if b["jenis"] == "bagian"), None)

    def _claim_id(self, id: str, what: str) -> str:
        self._enter()
        if not isinstance(id, str) or not _ID_RE.match(id):
            raise ParameterError(
                "id", f"id {what} '{id}' tidak sah: gunakan huruf kecil, angka dan tanda hubung "
                      "(mis. 'prevalensi-kecamatan').")
        if any(b.get("id") == id for b in self.blok):
            raise ParameterError("id", f"id '{id}' sudah dipakai; setiap bagian, tabel dan "
                                       "gambar memerlukan id yang unik.")
        return id

    def _emit(self, kind: str, fragment: str, *, display_id: str | None = None,
              **meta: Any) -> dict[str, Any]:
        run = self._enter()
        block = {"jenis": kind, **meta, "html": fragment}
        position = self._position()
        self.blok.insert(position, block)
        self._runs.insert(position, run)
        if self._insert is not None:
            self._insert += 1
        if self.tampilkan and display_id is None:
            _display(fragment, _meta(block))
        elif self.tampilkan:
            _display(fragment, _meta(block), display_id=display_id)
        return block

    # ------------------------------------------------------------------ blocks
    def judul(self, judul: str | None = None, *, subjudul: str | None = None,
              sumber: Mapping[str, Any] | Iterable[Sequence[Any]] | None = None,
              penyusun: str | None = None, _sampul: bool = False) -> None:
        """Title block: report title, area, year, data sources and their dates.

        Parameters
        ----------
        judul : str, optional
            Title; defaults to the catalogue's title of the report.
        subjudul : str, optional
            A line under the title (e.g. the comparison districts of a study visit).
        sumber : mapping or iterable of pairs, optional
            Data sources and their dates, e.g. ``{"e-PPGBM": "Agustus 2024"}``;
            a date value (``datetime.date``) is written the Indonesian way.
        penyusun : str, optional
            Who prepared the report (e.g. ``"Tim Percepatan Penurunan Stunting"``).
        """
        if judul:
            self.judul_laporan = str(judul)
        items = sumber.items() if isinstance(sumber, Mapping) else (sumber or [])
        self.sumber = []
        for pair in items:
            nama, waktu = pair[0], pair[1]
            if isinstance(waktu, (_dt.date, _dt.datetime)):
                waktu = text.tanggal(waktu)
            self.sumber.append({"nama": str(nama), "tanggal": "" if waktu is None else str(waktu)})
        rows = "".join(f"<li><strong>{_esc(s['nama'])}</strong>: {_esc(s['tanggal'])}</li>"
                       for s in self.sumber)
        dibuat = text.tanggal(self.dibuat.date())
        if _sampul:  # the document form: the cover is a block of the body (lap.sampul)
            self._emit("judul", '<div class="judul-dokumen" hidden></div>', judul=self.judul_laporan,
                       subjudul=subjudul or "", wilayah=self.nama_wilayah, kab=self.kab, tahun=self.tahun,
                       sumber=self.sumber, penyusun=penyusun or "", dibuat=dibuat, sampul=True)
            return
        fragment = (
            '<header class="judul-laporan">'
            f'<p class="aksi">{_esc(self.spec.aksi)}</p>'
            f"<h1>{_esc(self.judul_laporan)}</h1>"
            f'<p class="wilayah">{_esc(self.nama_wilayah)} · Tahun {self.tahun}</p>'
            + (f'<p class="subjudul">{_esc(subjudul)}</p>' if subjudul else "")
            + (f'<p class="penyusun">{_esc(penyusun)}</p>' if penyusun else "")
            + (f'<div class="sumber"><p>Sumber data:</p><ul>{rows}</ul></div>' if rows else "")
            + f'<p class="dibuat">Disusun {dibuat}</p></header>'
        )
        self._emit("judul", fragment, judul=self.judul_laporan, subjudul=subjudul or "",
                   wilayah=self.nama_wilayah, kab=self.kab, tahun=self.tahun,
                   sumber=self.sumber, penyusun=penyusun or "", dibuat=dibuat)

    def bagian(self, id: str, judul: str) -> None:
        """Start numbered section ``N`` with a stable ``id`` (the HTML ``<section id>``)."""
        self._claim_id(id, "bagian")
        nomor = str(self._nomor("bagian"))
        self._emit("bagian", f'<h2 id="{id}"><span class="nomor">{nomor}</span> {_esc(judul)}</h2>',
                   id=id, nomor=nomor, judul=str(judul))

    def sub(self, id: str, judul: str | None = None) -> None:
        """Start numbered subsection ``N.M`` of the current section (chapter ``N``; in the
        annex ``Lampiran M``).

        ``judul`` may be left out for a sub-section the report's outline names
        (``dokumen/<laporan>.yaml``); the outline's title is used then.
        """
        if judul is None:
            judul = self._judul_sub(id)
        self._claim_id(id, "subbagian")
        parent = self._induk()
        if parent is None:
            raise ParameterError("sub", "subbagian harus berada di dalam bagian: panggil "
                                        "lap.bagian(...) lebih dahulu.")
        peran = parent.get("peran")
        if peran in ("depan", "belakang"):
            raise ParameterError("sub", f"bagian '{parent['id']}' tidak mempunyai subbagian.")
        m = self._nomor("sub")
        nomor = (f"{parent['urut']}.{m}" if peran == "bab" else f"{self._judul_bagian('lampiran')} {m}"
                 if peran == "lampiran" else f"{parent['nomor']}.{m}")
        self._emit("sub", f'<h3 id="{id}"><span class="nomor">{nomor}</span> {_esc(judul)}</h3>',
                   id=id, nomor=nomor, judul=str(judul))

    def teks(self, isi: str) -> None:
        """One or more Markdown paragraphs (``**tebal**``, lists, links)."""
        self._emit("teks", f'<div class="teks">{markdown(isi)}</div>')

    def daftar(self, items: Iterable[str], *, bernomor: bool = False) -> None:
        """A bulleted (or numbered) list; each item is inline Markdown."""
        tag = "ol" if bernomor else "ul"
        body = "".join(f"<li>{inline(i)}</li>" for i in items)
        self._emit("daftar", f'<{tag} class="daftar">{body}</{tag}>')

    def kotak(self, isi: str, judul: str | None = None, *, jenis: str = "info") -> None:
        """A highlighted box (key messages, warnings about the data).

        Parameters
        ----------
        isi : str
            Markdown content.
        judul : str, optional
            Box heading (e.g. ``"Pesan utama"``).
        jenis : {"info", "peringatan", "rekomendasi"}
            Colour of the box.
        """
        if jenis not in JENIS_KOTAK:
            raise ParameterError("jenis", f"jenis kotak '{jenis}' tidak dikenal.", ", ".join(JENIS_KOTAK))
        head = f'<div class="kotak-judul">{_esc(judul)}</div>' if judul else ""
        self._emit("kotak", f'<div class="kotak kotak-{jenis}">{head}{markdown(isi)}</div>',
                   judul=judul or "", subjenis=jenis)

    def rekomendasi(self, items: Iterable[str], judul: str = "Rekomendasi") -> None:
        """A numbered list of recommendations in a highlighted box (also saved in the JSON)."""
        butir = [str(i) for i in items]
        body = "".join(f"<li>{inline(i)}</li>" for i in butir)
        self._emit("kotak", f'<div class="kotak kotak-rekomendasi"><div class="kotak-judul">'
                            f'{_esc(judul)}</div><ol>{body}</ol></div>',
                   judul=judul, subjenis="rekomendasi", butir=butir)

    def tabel(self, df: pd.DataFrame | pd.Series, judul: str, id: str, lampiran: str | None = None,
              catatan: str | None = None, *, desimal: int | Mapping[str, int] = 1,
              indeks: bool = False, sumber: str | None = None,
              gabung: Mapping[str, Gabung] | None = None, bertanda: Iterable[str] = ()) -> None:
        """A captioned table, numbered ``Tabel N``, with Indonesian number formatting.

        Parameters
        ----------
        df : pandas.DataFrame
            The table with the reader's headers and *numeric* columns for numbers (counts as
            integers, percentages as floats, an interval as two columns): the page formats
            them, the Excel annex keeps them as numbers with a number format.
        judul : str
            Caption (after ``Tabel N.``).
        id : str
            Stable id (lower case, digits, hyphens), unique in the report.
        lampiran : str, optional
            Sheet name in the Excel annex (≤ 31 characters, none of ``[]:*?/\\``);
            ``None`` keeps the table out of the annex.
        catatan : str, optional
            Note under the table (Markdown).
        desimal : int or mapping, default 1
            Digits after the decimal comma for float columns (one value, or per column).
            Integer columns are always written without decimals (``1.234``).
        indeks : bool
            Show the index as the first column.
        sumber : str, optional
            Source line under the table.
        gabung : mapping, optional
            Page columns made of two numeric columns: ``{"SK 95 % (%)": Rentang("bawah", "atas")}``
            or :class:`~analysis.laporan.kolom.Rasio` (``240 / 1.385``); the annex keeps both.
        bertanda : iterable of str
            Columns shown with their sign (``+8,7``), also in the annex's number format.
        """
        self._claim_id(id, "tabel")
        if isinstance(df, pd.Series):
            df = df.to_frame()
        if not isinstance(df, pd.DataFrame):
            raise ParameterError("df", "tabel memerlukan pandas DataFrame.")
        if indeks:
            df = df.reset_index()
        signed = list(bertanda)
        columns = tampilan(df, desimal=desimal, gabung=gabung, bertanda=signed)
        if lampiran is not None:
            self._add_sheet(lampiran, df, judul, excel_formats(df, desimal=desimal, bertanda=signed))
        nomor = self._nomor("tabel")
        align = [_ALIGN_RIGHT if c.angka else "" for c in columns]
        head = "".join(f"<th{a}>{_esc(c.judul)}</th>" for c, a in zip(columns, align, strict=True))
        rows = ["<tr>" + "".join(f"<td{a}>{_esc(c.sel[i])}</td>" for c, a in zip(columns, align, strict=True))
                + "</tr>" for i in range(len(df))]
        fragment = (
            f'<div class="tabel" id="{id}"><table>'
            f'<caption><span class="nomor">Tabel {nomor}.</span> {_esc(judul)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"{_notes(catatan, sumber)}</div>"
        )
        self._emit("tabel", fragment, id=id, nomor=nomor, judul=str(judul),
                   lampiran=lampiran or "", baris=len(df))

    def gambar(self, fig: Figure, judul: str, id: str, catatan: str | None = None, *,
               sumber: str | None = None, lebar: int = 100) -> None:
        """A captioned matplotlib figure, numbered ``Gambar N``, embedded as PNG.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            The figure (closed after embedding).
        judul : str
            Caption (after ``Gambar N.``).
        id : str
            Stable id, unique in the report.
        catatan : str, optional
            Note under the figure (Markdown).
        sumber : str, optional
            Source line under the figure.
        lebar : int
            Width in percent of the text width (default 100).
        """
        self._claim_id(id, "gambar")
        data = base64.b64encode(_png(fig)).decode("ascii")
        nomor = self._nomor("gambar")
        lebar = max(20, min(int(lebar), 100))
        fragment = (
            f'<figure class="gambar" id="{id}">'
            f'<img src="data:image/png;base64,{data}" alt="{_esc(judul)}" style="width:{lebar}%">'
            f'<figcaption><span class="nomor">Gambar {nomor}.</span> {_esc(judul)}</figcaption>'
            f"{_notes(catatan, sumber)}</figure>"
        )
        self._emit("gambar", fragment, id=id, nomor=nomor, judul=str(judul), lebar=lebar)

    def angka_kunci(self, kode: str, nilai: Any, satuan: str, ci: Sequence[Any] | None = None,
                    sumber: str = "", label: str | None = None) -> None:
        """Record a key figure for the JSON (and the index portal); displays nothing.

        Parameters
        ----------
        kode : str
            Indicator code (``"prevalensi_stunting_register"``), unique in the report.
        nilai : number
            The value (NaN is written as ``null``).
        satuan : str
            Unit (``"%"``, ``"anak"``, ``"Rp"``).
        ci : pair of numbers, optional
            95 % confidence interval (low, high).
        sumber : str
            The data source and its date (``"e-PPGBM Agustus 2024"``).
        label : str, optional
            Indonesian label shown to readers; defaults to ``kode``.
        """
        run = self._enter()
        if not isinstance(kode, str) or not re.match(r"^[a-z0-9_]+$", kode):
            raise ParameterError("kode", f"kode angka kunci '{kode}' tidak sah: gunakan huruf "
                                         "kecil, angka dan garis bawah.")
        limits = None
        if ci is not None:
            if len(ci) != 2:
                raise ParameterError("ci", "selang kepercayaan harus berupa pasangan (bawah, atas).")
            limits = [_number(ci[0]), _number(ci[1])]
        self._angka[kode] = _Record({"kode": kode, "label": label or kode, "nilai": _number(nilai),
                                     "satuan": str(satuan), "ci": limits, "sumber": str(sumber)}, run)

    def daftar_kunci(self, kode: str, butir: Iterable[Mapping[str, Any]], *, label: str | None = None,
                     sumber: str = "") -> None:
        """Record a key list for the JSON (e.g. the recommended lokus); displays nothing.

        Parameters
        ----------
        kode : str
            List code (``"lokus_rekomendasi"``), unique in the report.
        butir : iterable of mappings
            One record per item, JSON-serialisable values (``{"kode_desa": ..., "nama_desa": ...}``).
        label : str, optional
            Indonesian label shown to readers; defaults to ``kode``.
        sumber : str
            The data source and its date.
        """
        run = self._enter()
        if not isinstance(kode, str) or not re.match(r"^[a-z0-9_]+$", kode):
            raise ParameterError("kode", f"kode daftar kunci '{kode}' tidak sah: gunakan huruf "
                                         "kecil, angka dan garis bawah.")
        records = [{str(k): _plain(v) for k, v in dict(item).items()} for item in butir]
        self._daftar[kode] = _Record({"kode": kode, "label": label or kode, "butir": records,
                                      "sumber": str(sumber)}, run)

    def lampiran(self, df: pd.DataFrame, nama: str, judul: str, *,
                 desimal: int | Mapping[str, int] = 1, bertanda: Iterable[str] = ()) -> None:
        """Put a table in the Excel annex only (too long to print, e.g. desa × indicator).

        Parameters
        ----------
        df : pandas.DataFrame
            The table, with reader-facing column names.
        nama : str
            Sheet name (≤ 31 characters, none of ``[]:*?/\\``).
        judul : str
            What the sheet holds (listed on the annex's first sheet).
        desimal, bertanda
            Number formats, as in :meth:`tabel`.
        """
        if not isinstance(df, pd.DataFrame):
            raise ParameterError("df", "lampiran memerlukan pandas DataFrame.")
        self._add_sheet(nama, df, judul, excel_formats(df, desimal=desimal, bertanda=bertanda))

    # ------------------------------------------------------------------ the document form
    @cached_property
    def kerangka_dokumen(self) -> pengaturan.DokumenLaporan:
        """The report's outline (``analysis/data/config/dokumen/<laporan>.yaml``)."""
        return kerangka.kerangka(self.spec.paket)

    @cached_property
    def bentuk(self) -> pengaturan.DokumenBersama:
        """The shared parts of every document (``dokumen/bersama.yaml``)."""
        return kerangka.bersama()

    @cached_property
    def kata(self) -> kerangka.Kosakata:
        """The words of the area (kota: kelurahan, Wali Kota; kabupaten: desa/kelurahan, Bupati)."""
        return kerangka.kosakata(self.kab)

    @cached_property
    def nilai(self) -> dict[str, str]:
        """The values of the standard texts' placeholders (``{wilayah}``, ``{desa}``, ...)."""
        ident = self.daerah.identitas
        return kerangka.konteks(self.kab, self.tahun, judul=self.kerangka_dokumen.judul_dokumen,
                                aksi=self.spec.aksi,
                                pemerintah_daerah=ident.nama_pemda if ident and ident.nama_pemda else None)

    def _isi(self, teks: str, **lain: str) -> str:
        return kerangka.isi(teks, self.nilai, **lain)

    def _judul_bagian(self, bagian: str) -> str:
        return self._isi(str(getattr(self.bentuk.judul, bagian)))

    def _bab_kerangka(self, id: str) -> pengaturan.Bab:
        for bab in self.kerangka_dokumen.bab:
            if bab.id == id:
                return bab
        raise ParameterError("id", f"bab '{id}' tidak ada di kerangka dokumen "
                                   f"dokumen/{self.spec.paket}.yaml.",
                             ", ".join(b.id for b in self.kerangka_dokumen.bab))

    def _sub_kerangka(self, id: str) -> tuple[pengaturan.Bab, pengaturan.SubBab] | None:
        for bab in self.kerangka_dokumen.bab:
            for sub in bab.sub or ():
                if sub.id == id:
                    return bab, sub
        return None

    def _judul_sub(self, id: str) -> str:
        found = self._sub_kerangka(id)
        if found is None:
            raise ParameterError("judul", f"subbagian '{id}' tidak ada di kerangka dokumen "
                                          f"dokumen/{self.spec.paket}.yaml: tuliskan judulnya.")
        return self._isi(found[1].judul)

    @property
    def belum_ditulis(self) -> list[pengaturan.SlotNarasi]:
        """The required sections of the TPPS that the district has not written yet."""
        return [slot for kode, slot in self.kerangka_dokumen.narasi.items()
                if slot.wajib and not self.daerah.narasi.get(kode, "").strip()]

    @property
    def tanpa_pengesah(self) -> bool:
        """No signatory approves the document (no ``pengesah`` row in ``penandatangan``)."""
        return not self.daerah.penanda("pengesah")

    @property
    def draf(self) -> bool:
        """The document is a draft: a required section or the approving signatory is missing."""
        return bool(self.belum_ditulis) or self.tanpa_pengesah

    def alasan_draf(self) -> list[str]:
        """Why the document is a draft, in the reader's words (empty when it is not)."""
        out = []
        missing = self.belum_ditulis
        if missing:
            out.append(self._isi(self.bentuk.draf.alasan_narasi,
                                 bagian=text.daftar([m.judul for m in missing])))
        if self.tanpa_pengesah:
            out.append(self._isi(self.bentuk.draf.alasan_penandatangan))
        return out

    def periksa_final(self) -> None:
        """Refuse a final document while it is still a draft.

        Raises
        ------
        DataUnavailableError
            Naming the TPPS's missing sections (and the missing signatory).
        """
        reasons = self.alasan_draf()
        if reasons:
            raise DataUnavailableError(self._isi(self.bentuk.draf.tolak_final, alasan=" ".join(reasons)))

    def sampul(self, *, sumber: Mapping[str, Any] | Iterable[Sequence[Any]] | None = None,
               subjudul: str | None = None, penyusun: str | None = None,
               judul: str | None = None) -> None:
        """The cover: government, emblem, title, area, year, number and date (DRAF while the
        document is a draft). Also records the title block the renderer reads (title, area,
        sources); the render date goes to the colophon (:meth:`kolofon`), not the cover.

        Parameters
        ----------
        sumber : mapping or iterable of pairs, optional
            Data sources and their dates (listed in the colophon and the JSON).
        subjudul : str, optional
            A line under the title (e.g. the districts a study visit compares).
        penyusun : str, optional
            Who prepared it; default "Tim Percepatan Penurunan Stunting (TPPS) <wilayah>".
        judul : str, optional
            Title of the running header; default the catalogue's title of the report.
        """
        self.judul(judul, subjudul=subjudul, sumber=sumber, penyusun=penyusun, _sampul=True)
        c = self.bentuk.sampul
        ident = self.daerah.identitas
        pemda = self.nilai["pemerintah_daerah"]
        parts = []
        if self.draf:
            parts.append(f'<div class="tanda-draf" aria-hidden="true">{_esc(self.bentuk.draf.tanda)}</div>')
        parts.append(kerangka.para(pemda.upper(), "sampul-pemda"))
        if ident and ident.lambang_png:
            emblem = kerangka.data_png(ident.lambang_png, f"Lambang {self.nama_wilayah}", 22)
            parts.append(f'<div class="sampul-lambang">{emblem}</div>')
        parts.append(kerangka.para(self.kerangka_dokumen.judul_dokumen.upper(), "sampul-judul"))
        parts.append(kerangka.para(self._isi(c.baris_aksi), "sampul-aksi"))
        if subjudul:
            parts.append(kerangka.para(subjudul, "sampul-subjudul"))
        parts.append(kerangka.para(self.nama_wilayah.upper(), "sampul-wilayah"))
        parts.append(kerangka.para(f"TAHUN {self.tahun}", "sampul-tahun"))
        nomor = ident.nomor if ident and ident.nomor else c.belum_diisi
        tanggal = text.tanggal(ident.tanggal) if ident and ident.tanggal else c.belum_diisi
        parts.append(f'<div class="sampul-nomor"><p>{_esc(c.nomor)}: {_esc(nomor)}</p>'
                     f"<p>{_esc(c.tanggal)}: {_esc(tanggal)}</p></div>")
        if self.draf:
            reasons = "".join(f"<p>{_esc(r)}</p>" for r in self.alasan_draf())
            parts.append(f'<div class="sampul-draf"><p><strong>{_esc(self.bentuk.draf.judul_sampul)}</strong>'
                         f"</p>{reasons}</div>")
        parts.append(kerangka.para(penyusun or self._isi(c.penyusun), "sampul-penyusun"))
        kelas = "sampul draf" if self.draf else "sampul"
        self._emit("sampul", f'<section class="{kelas}" id="sampul">{"".join(parts)}</section>',
                   id="sampul", draf=self.draf, judul_dokumen=self.kerangka_dokumen.judul_dokumen,
                   pemerintah_daerah=pemda)

    def _bagian_dokumen(self, id: str, judul: str, peran: str, *, nomor: str = "",
                        urut: int | None = None, **meta: Any) -> None:
        """A section heading of the document form (front matter, chapter, approval, annex)."""
        self._claim_id(id, "bagian")
        label = f"{nomor} " if nomor else ""
        extra: dict[str, Any] = {} if urut is None else {"urut": urut}
        self._emit("bagian", f'<h2 id="{id}"><span class="nomor">{_esc(label)}</span>{_esc(judul)}</h2>',
                   id=id, nomor=nomor, judul=str(judul), peran=peran, **extra, **meta)

    def halaman_depan(self) -> None:
        """The front matter of the outline up to the summary: Kata Pengantar (the TPPS's text
        and its signatory, or the box saying what to write), Daftar Isi, Daftar Tabel, Daftar
        Gambar and Daftar Singkatan dan Istilah. The lists are completed when the document is
        (:meth:`kolofon`, :meth:`simpan`)."""
        for item in self.kerangka_dokumen.depan:
            if item == "kata_pengantar":
                self._kata_pengantar()
            elif item.startswith("daftar_"):
                self._daftar_depan(item.removeprefix("daftar_"))

    def _kata_pengantar(self) -> None:
        self._bagian_dokumen("kata-pengantar", self._judul_bagian("kata_pengantar"), "depan")
        self._tempat_narasi("kata_pengantar")
        written = self.daerah.narasi.get("kata_pengantar", "").strip()
        if written:
            role = self.bentuk.kata_pengantar.peran
            signer = self.daerah.penanda(role)
            self._emit("ttd", kerangka.tanda_tangan([signer[0] if signer else None], {role: ""},
                                                    self.bentuk.pengesahan, [role],
                                                    tempat_tanggal=self._tempat_tanggal()),
                       peran_ttd=role)

    def _tempat_tanggal(self) -> str:
        ident = self.daerah.identitas
        tempat = ident.tempat if ident and ident.tempat else ""
        tanggal = text.tanggal(ident.tanggal) if ident and ident.tanggal else ""
        return ", ".join(x for x in (tempat, tanggal) if x)

    def _daftar_depan(self, jenis: str) -> None:
        ids = {"isi": "daftar-isi", "tabel": "daftar-tabel", "gambar": "daftar-gambar",
               "singkatan": "daftar-singkatan"}
        self._bagian_dokumen(ids[jenis], self._judul_bagian(f"daftar_{jenis}"), "depan")
        display_id = f"konvergensi-{jenis}-{uuid.uuid4().hex}"
        self._tampilan[jenis] = display_id
        self._lengkap = None
        self._emit("daftar", f'<div class="daftar-dokumen daftar-{jenis}-dokumen"></div>',
                   display_id=display_id, daftar=jenis, display=display_id)

    def ringkasan_pimpinan(self, *, angka: pd.DataFrame | Sequence[Sequence[Any]],
                           keputusan: Sequence[str], lokus: Sequence[str] = (),
                           peta: Figure | None = None, pesan: str | None = None,
                           judul_peta: str | None = None) -> None:
        """The one-page summary for the leadership, at the front: the map, the headline
        figures with their source, the lokus and at most five decisions.

        Parameters
        ----------
        angka : DataFrame or rows
            Three columns: what (``Ukuran``), the value as the reader sees it (``Nilai``) and
            its source (``Sumber``).
        keputusan : sequence of str
            The decisions asked of the leadership (inline Markdown), at most
            ``ringkasan_pimpinan.maks_keputusan`` of ``dokumen/bersama.yaml`` (5); the figures at
            most ``maks_angka`` (8), so that the summary fits one page.
        lokus : sequence of str
            The recommended lokus (inline Markdown: names through :func:`analysis.text.data`).
        peta : matplotlib Figure, optional
            The map (closed after embedding).
        pesan : str, optional
            The key message in one or two sentences (Markdown).
        judul_peta : str, optional
            What the map shows (its alt text and caption line).
        """
        c = self.bentuk.ringkasan_pimpinan
        butir = [str(k) for k in keputusan]
        if len(butir) > c.maks_keputusan:
            raise ParameterError("keputusan", f"ringkasan untuk pimpinan memuat paling banyak "
                                              f"{c.maks_keputusan} keputusan, bukan {len(butir)}.")
        rows = (angka.astype(object).values.tolist() if isinstance(angka, pd.DataFrame)
                else [list(r) for r in angka])
        if any(len(r) != 3 for r in rows):
            raise ParameterError("angka", "setiap angka utama memerlukan tiga kolom: ukuran, nilai, sumber.")
        if len(rows) > c.maks_angka:
            raise ParameterError("angka", f"ringkasan untuk pimpinan memuat paling banyak {c.maks_angka} "
                                          f"angka utama (satu halaman), bukan {len(rows)}.")
        self._bagian_dokumen("ringkasan", self._judul_bagian("ringkasan_pimpinan"), "depan")
        parts = []
        if pesan:
            parts.append(f'<div class="kotak rp-pesan">{markdown(pesan)}</div>')
        table = kerangka.tabel_sederhana(c.kolom_angka, [[_cell(v) for v in r] for r in rows], "rp-tabel")
        right = f'<div class="rp-angka"><p class="rp-judul"><strong>{_esc(c.judul_angka)}</strong></p>{table}</div>'
        if peta is not None:
            png = _png(peta)
            alt = judul_peta or "Peta prevalensi stunting"
            cap = f'<p class="rp-keterangan">{_esc(judul_peta)}</p>' if judul_peta else ""
            parts.append(f'<div class="rp-grid"><div class="rp-peta">{kerangka.data_png(png, alt, 100)}'
                         f"{cap}</div>{right}</div>")
        else:
            parts.append(right)
        if lokus:
            items = "; ".join(inline(x) for x in lokus)
            parts.append(f'<div class="rp-lokus"><p class="rp-judul"><strong>'
                         f'{_esc(self._isi(c.judul_lokus))}</strong></p><p>{items}</p></div>')
        if butir:
            body = "".join(f"<li>{inline(b)}</li>" for b in butir)
            parts.append(f'<div class="rp-keputusan"><p class="rp-judul"><strong>{_esc(c.judul_keputusan)}'
                         f"</strong></p><ol>{body}</ol></div>")
        self._emit("ringkasan_pimpinan", f'<div class="ringkasan-pimpinan">{"".join(parts)}</div>',
                   keputusan=butir, lokus=[str(x) for x in lokus],
                   angka=[[str(_cell(v)) for v in r] for r in rows])

    def ringkasan_depan(self) -> None:
        """An unnumbered summary section at the front (its content follows from the template)."""
        self._bagian_dokumen("ringkasan", self._judul_bagian("ringkasan"), "depan")

    def bab(self, id: str, judul: str | None = None) -> None:
        """Start chapter ``BAB N`` of the outline (``dokumen/<laporan>.yaml``), in its order.

        A chapter whose sub-sections are standard texts (Pendahuluan) is written whole: the
        texts with the area's words, the legal basis, and the TPPS's additions where the
        outline places them. A chapter with a standard text of its own (Penutup) gets it
        after the heading, then the TPPS's section. In every other chapter the template
        writes the content (and calls :meth:`narasi` where the TPPS's words belong).

        Parameters
        ----------
        id : str
            The chapter's id in the outline (also the HTML section id).
        judul : str, optional
            Replaces the outline's title (rarely needed).

        Raises
        ------
        ParameterError
            For a chapter not in the outline or out of its order.
        """
        self._enter()
        entry = self._bab_kerangka(id)
        order = [b.id for b in self.kerangka_dokumen.bab]
        before = [b for b in self.blok[: self._position()] if b.get("peran") == "bab"]
        if before and order.index(before[-1]["id"]) >= order.index(id):
            raise ParameterError("id", f"bab '{id}' harus datang sebelum bab '{before[-1]['id']}' "
                                       "(urutan kerangka dokumen).", ", ".join(order))
        urut = self._nomor("bab")
        self._bagian_dokumen(id, judul or self._isi(entry.judul), "bab",
                             nomor=f"BAB {kerangka.romawi(urut)}", urut=urut)
        if entry.baku:
            for sub in entry.sub or ():
                self.sub(sub.id, self._isi(sub.judul))
                self._teks_baku(sub.teks or "", sub.dasar_hukum, sub.narasi)
        elif entry.teks is not None:
            self._teks_baku(entry.teks, None, entry.narasi)

    def _teks_baku(self, teks: str, dasar_hukum: bool | None, narasi: str | None) -> None:
        if teks:
            self._emit("teks", f'<div class="teks teks-baku">{markdown(self._isi(teks))}</div>')
        if dasar_hukum:
            lines = kerangka.dasar_hukum(self.kerangka_dokumen.dasar_hukum, self.kab) + list(self.daerah.regulasi)
            items = "".join(f"<li>{_esc(x)}</li>" for x in lines)
            self._emit("dasar_hukum", f'<ol class="dasar-hukum">{items}</ol>', butir=lines)
        if narasi:
            self._tempat_narasi(narasi, tambahan=True)

    def _slot(self, kode: str) -> pengaturan.SlotNarasi:
        if kode not in self.kerangka_dokumen.narasi:
            raise ParameterError("kode", f"bagian narasi '{kode}' tidak ada di kerangka dokumen "
                                         f"dokumen/{self.spec.paket}.yaml.", ", ".join(self.kerangka_dokumen.narasi))
        return self.kerangka_dokumen.narasi[kode]

    def _tempat_narasi(self, kode: str, *, tambahan: bool = False) -> None:
        slot = self._slot(kode)
        written = self.daerah.narasi.get(kode, "").strip()
        if written:
            self._emit("narasi", kerangka.narasi_html(kode, written), kode=kode)
        elif slot.wajib or self.draf:
            self._emit("narasi_kosong", kerangka.kotak_kosong(slot, self.bentuk.draf, self.nilai),
                       kode=kode, wajib=slot.wajib)
        else:  # an optional addition not written, in a complete document: nothing to show
            self._emit("narasi_kosong", "", kode=kode, wajib=False)

    def narasi(self, kode: str) -> None:
        """The TPPS's own section ``kode`` here, as formatted text (lists, emphasis, tables);
        where the district has not written it, a marked box saying what to write (a required
        section makes the document a draft).

        Raises
        ------
        ParameterError
            For a code the outline does not have, or one placed in another chapter.
        """
        self._enter()
        self._slot(kode)
        home = next((b.id for b in self.kerangka_dokumen.bab
                     if b.narasi == kode or any(s.narasi == kode for s in b.sub or ())), None)
        parent = self._induk()
        chapter = next((b for b in reversed(self.blok[: self._position()]) if b.get("peran") == "bab"), None)
        if home is None or chapter is None or chapter["id"] != home or (parent or {}).get("peran") != "bab":
            raise ParameterError("kode", f"bagian narasi '{kode}' ditempatkan di bab '{home}' menurut "
                                         f"kerangka dokumen dokumen/{self.spec.paket}.yaml.")
        self._tempat_narasi(kode)

    def sub_narasi(self, id: str) -> None:
        """A sub-section that holds only the TPPS's section the outline places there: heading
        and text (or the box). An optional section left unwritten in a complete document is
        left out, heading and all."""
        self._enter()
        found = self._sub_kerangka(id)
        if found is None or not found[1].narasi:
            raise ParameterError("id", f"subbagian '{id}' tidak memuat narasi di kerangka dokumen "
                                       f"dokumen/{self.spec.paket}.yaml.")
        kode = found[1].narasi
        slot = self._slot(kode)
        if not self.daerah.narasi.get(kode, "").strip() and not slot.wajib and not self.draf:
            self._emit("narasi_kosong", "", kode=kode, wajib=False)
            return
        self.sub(id)
        self.narasi(kode)

    def pengesahan(self) -> None:
        """The Lembar Pengesahan on its own page: the text, place and date, and a signature
        block per role (``pengesahan.peran`` of ``dokumen/bersama.yaml``). Without the
        signatories table the blocks are clearly marked empty lines and the note says what to
        fill in."""
        c = self.bentuk.pengesahan
        self._bagian_dokumen("lembar-pengesahan", self._judul_bagian("lembar_pengesahan"), "belakang")
        roles = list(c.peran)
        signers: list[kerangka.Penandatangan | None] = []
        for role in roles:
            found = self.daerah.penanda(role)
            signers.append(found[0] if found else None)
        body = [f'<div class="pengesahan-teks"><p>{_esc(self._isi(c.teks))}</p></div>']
        body.append(kerangka.tanda_tangan(signers, c.peran, c, roles, tempat_tanggal=self._tempat_tanggal()))
        if any(s is None for s in signers):
            note = _esc(self._isi(c.catatan_kosong))
            body.append(f'<div class="kotak kotak-narasi-kosong wajib"><p>{note}</p></div>')
        self._emit("pengesahan", f'<div class="pengesahan">{"".join(body)}</div>',
                   penandatangan=[{"peran": r, "nama": s.nama, "jabatan": s.jabatan, "nip": s.nip}
                                  for r, s in zip(roles, signers, strict=True) if s is not None])

    def bab_lampiran(self) -> None:
        """The annex chapter (``Lampiran``); its sub-sections are numbered ``Lampiran 1``, ..."""
        self._bagian_dokumen("lampiran", self._judul_bagian("lampiran"), "lampiran")

    def metode(self) -> None:
        """The methods annex: how each figure of this report is computed (the outline's
        ``lampiran.metode``), and the software versions. The only place of the document where
        statistical terms and software are named."""
        self.sub("metode", self._judul_bagian("metode"))
        parts = []
        for kode in self.kerangka_dokumen.lampiran.metode:
            m = self.bentuk.metode[kode]
            parts.append(f'<div class="metode" data-metode="{_esc(kode)}"><p><strong>{_esc(self._isi(m.judul))}'
                         f"</strong></p>{markdown(self._isi(m.teks))}</div>")
        self._emit("metode", "".join(parts), metode=list(self.kerangka_dokumen.lampiran.metode))
        versions = kerangka.versi_perangkat_lunak(self.bentuk.perangkat_lunak)
        self._emit("perangkat_lunak", kerangka.tabel_sederhana(("Perangkat lunak", "Versi"), versions,
                                                                "perangkat-lunak"),
                   versi=dict(versions))

    def kolofon(self) -> None:
        """The colophon at the end (when and with which version the document was made, the data
        sources), then the front-matter lists are completed from the whole document."""
        c = self.bentuk.kolofon
        dibuat = text.tanggal(self.dibuat.date())
        rows = "".join(f"<li><strong>{_esc(s['nama'])}</strong>: {_esc(s['tanggal'])}</li>" for s in self.sumber)
        sources = (f'<p class="kolofon-sumber"><strong>{_esc(c.judul_sumber)}</strong></p><ul>{rows}</ul>'
                   if rows else "")
        body = self._isi(c.teks, dibuat=dibuat, versi=__version__)
        self._claim_id("kolofon", "kolofon")
        self._emit("kolofon", f'<section class="kolofon" id="kolofon"><p class="kolofon-judul"><strong>'
                              f'{_esc(self._judul_bagian("kolofon"))}</strong></p><p>{_esc(body)}</p>'
                              f"{sources}</section>", id="kolofon", dibuat=dibuat, versi=__version__)
        self.lengkapi()

    def lengkapi(self) -> None:
        """Complete the front-matter lists (contents, tables, figures, abbreviations) from the
        blocks of the document; the displays made by :meth:`halaman_depan` are updated in
        place (Jupyter's ``update_display_data``). Called by :meth:`kolofon` and :meth:`simpan`;
        cheap when nothing changed."""
        if not self._tampilan:
            return
        self._periksa_kerangka()
        digest = json.dumps([[b["jenis"], b.get("id"), b.get("judul"), len(b["html"])] for b in self.blok
                             if b["jenis"] != "daftar"], default=str)
        if digest == self._lengkap:
            return
        self._lengkap = digest
        for block in self.blok:
            jenis = block.get("daftar")
            if block["jenis"] != "daftar" or jenis not in self._tampilan:
                continue
            fragment = self._daftar_html(str(jenis))
            if fragment == block["html"]:
                continue
            block["html"] = fragment
            if self.tampilkan:
                _display(fragment, _meta(block), display_id=self._tampilan[str(jenis)], update=True)

    def _daftar_html(self, jenis: str) -> str:
        if jenis == "isi":
            items = []
            for b in self.blok:
                if b["jenis"] in ("bagian", "sub") and b.get("id") != "daftar-isi":
                    items.append((str(b["id"]), str(b.get("nomor") or ""), str(b["judul"]), b["jenis"]))
            rows = "".join(f'<li class="isi-{k}"><a href="#{_esc(i)}"><span class="nomor">{_esc(n)}</span> '
                           f"{_esc(j)}</a></li>" for i, n, j, k in items)
            return f'<div class="daftar-dokumen daftar-isi-dokumen"><ol>{rows}</ol></div>'
        if jenis in ("tabel", "gambar"):
            label = "Tabel" if jenis == "tabel" else "Gambar"
            items2 = [(str(b["id"]), f"{label} {b['nomor']}.", str(b["judul"]))
                      for b in self.blok if b["jenis"] == jenis]
            return kerangka.daftar_tautan(items2, f"daftar-{jenis}-dokumen")
        body = " ".join(_teks_blok(b) for b in self.blok if b["jenis"] != "daftar")
        abbrev = kerangka.singkatan_dalam(body)
        terms = kerangka.istilah_dalam(body)
        c = self.bentuk.daftar_singkatan
        out = kerangka.tabel_sederhana(c.kolom_singkatan, abbrev, "singkatan")
        if terms:
            out += (f'<p class="daftar-subjudul"><strong>{_esc(c.judul_istilah)}</strong></p>'
                    + kerangka.tabel_sederhana(c.kolom_istilah, terms, "istilah"))
        return f'<div class="daftar-dokumen daftar-singkatan-dokumen">{out}</div>'

    def _periksa_kerangka(self) -> None:
        """The chapters follow the outline and every TPPS section has its place (a template bug
        otherwise)."""
        emitted = [b["id"] for b in self.blok if b.get("peran") == "bab"]
        if not emitted:
            return
        required = [b.id for b in self.kerangka_dokumen.bab if b.wajib is not False]
        missing = [i for i in required if i not in emitted]
        if missing:
            raise ParameterError("bab", f"bab kerangka dokumen belum ditulis: {', '.join(missing)} "
                                        f"(dokumen/{self.spec.paket}.yaml).")
        placed = {b.get("kode") for b in self.blok if b["jenis"] in ("narasi", "narasi_kosong")}
        expected = {kode for kode in self.kerangka_dokumen.narasi if kode != "kata_pengantar"
                    or "kata_pengantar" in self.kerangka_dokumen.depan}
        optional = {b.narasi for b in self.kerangka_dokumen.bab if b.wajib is False and b.id not in emitted}
        optional |= {s.narasi for b in self.kerangka_dokumen.bab if b.wajib is False and b.id not in emitted
                     for s in b.sub or ()}
        unplaced = sorted(k for k in expected - placed - optional if k)
        if unplaced:
            raise ParameterError("narasi", f"bagian narasi belum ditempatkan: {', '.join(unplaced)} "
                                           f"(panggil lap.narasi(...) di babnya).")

    # ------------------------------------------------------------------ outputs
    def ringkasan(self) -> dict[str, Any]:
        """The JSON document :meth:`simpan` writes (outline, sources, key figures)."""
        keys = ("id", "nomor", "judul", "lampiran")
        outline = {kind: [{k: b[k] for k in keys if k in b} for b in self.blok if b["jenis"] == kind]
                   for kind in _NUMBERED}
        rekom = [i for b in self.blok if b.get("subjenis") == "rekomendasi" for i in b.get("butir", [])]
        out = {
            "laporan": self.laporan,
            "judul": self.judul_laporan,
            "aksi": self.spec.aksi,
            "kab": self.kab,
            "wilayah": self.nama_wilayah,
            "tahun": self.tahun,
            "dibuat": self.dibuat.isoformat(timespec="seconds"),
            "versi": __version__,
            "sumber": self.sumber,
            "bagian": outline["bagian"],
            "subbagian": outline["sub"],
            "tabel": outline["tabel"],
            "gambar": outline["gambar"],
            "rekomendasi": rekom,
            "angka_kunci": [r.value for r in self._angka.values()],
            "daftar_kunci": [r.value for r in self._daftar.values()],
        }
        if any(b["jenis"] == "sampul" for b in self.blok):
            out["dokumen"] = self._kerangka_json()
        return out

    def _kerangka_json(self) -> dict[str, Any]:
        """The document's outline and state for the JSON: its parts in reading order (front
        matter, chapters with their sub-sections, approval, annex), draft or final and why,
        which TPPS sections were written, the decisions of the leadership summary."""
        parts: list[dict[str, Any]] = []
        for b in self.blok:
            if b["jenis"] == "bagian":
                parts.append({"id": b["id"], "peran": b.get("peran") or "bagian", "nomor": b.get("nomor") or "",
                              "judul": b["judul"], "sub": []})
            elif b["jenis"] == "sub" and parts:
                parts[-1]["sub"].append({"id": b["id"], "nomor": b["nomor"], "judul": b["judul"]})
        written = [k for k in self.kerangka_dokumen.narasi if self.daerah.narasi.get(k, "").strip()]
        summary = next((b for b in self.blok if b["jenis"] == "ringkasan_pimpinan"), None)
        return {
            "judul": self.kerangka_dokumen.judul_dokumen,
            "pemerintah_daerah": self.nilai["pemerintah_daerah"],
            "status": "draf" if self.draf else "final",
            "alasan_draf": self.alasan_draf(),
            "narasi_ditulis": written,
            "narasi_belum_ditulis": [k for k, slot in self.kerangka_dokumen.narasi.items()
                                     if slot.wajib and k not in written],
            "bagian": parts,
            "keputusan": list(summary.get("keputusan", [])) if summary else [],
        }

    def simpan(self) -> dict[str, Path]:
        """Write ``<laporan>.json`` and ``<laporan>-lampiran.xlsx`` to ``output_dir``.

        Returns
        -------
        dict
            ``{"json": path, "xlsx": path}``.
        """
        self.lengkapi()
        self.output_dir.mkdir(parents=True, exist_ok=True)
        json_path = self.output_dir / f"{self.laporan}.json"
        xlsx_path = self.output_dir / f"{self.laporan}-lampiran.xlsx"
        json_path.write_text(json.dumps(self.ringkasan(), ensure_ascii=False, indent=2),
                             encoding="utf-8")
        self._write_annex(xlsx_path)
        return {"json": json_path, "xlsx": xlsx_path}

    def _add_sheet(self, name: str, df: pd.DataFrame, judul: str, formats: dict[str, str]) -> None:
        run = self._enter()
        if not isinstance(name, str) or not name.strip() or len(name) > 31 or _SHEET_BAD.search(name):
            raise ParameterError("lampiran", f"nama lembar '{name}' tidak sah: 1–31 karakter, "
                                             "tanpa [ ] : * ? / \\.")
        if name.lower() == "keterangan" or name.lower() in (s.name.lower() for s in self._lampiran):
            raise ParameterError("lampiran", f"nama lembar '{name}' sudah dipakai.")
        sheet = _Sheet(name, df.copy(), judul, run, formats)
        if self._insert_sheet is None:
            self._lampiran.append(sheet)
        else:
            self._lampiran.insert(self._insert_sheet, sheet)
            self._insert_sheet += 1

    def _write_annex(self, path: Path) -> None:
        about = pd.DataFrame(
            [("Laporan", self.judul_laporan), ("Wilayah", f"{self.nama_wilayah} ({self.kab})"),
             ("Tahun", self.tahun), ("Disusun", text.tanggal(self.dibuat.date()))]
            + [(f"Sumber: {s['nama']}", s["tanggal"]) for s in self.sumber]
            + [(f"Lembar: {s.name}", s.judul) for s in self._lampiran],
            columns=["Keterangan", "Isi"],
        )
        # Text from the data stays text (no formula, no link): the one safe writer.
        sheets = {"Keterangan": about, **{s.name: s.frame for s in self._lampiran}}
        safeio.write_xlsx(path, sheets, formats={s.name: s.formats for s in self._lampiran})


def _earlier(run: Run | None, now: Run) -> bool:
    """True for an earlier execution of the same cell as ``now``."""
    return run is not None and run[0] == now[0] and run != now


def _notes(catatan: str | None, sumber: str | None) -> str:
    notes = ""
    if catatan:
        notes += f'<div class="catatan">Catatan: {inline(catatan)}</div>'
    if sumber:
        notes += f'<div class="catatan">Sumber: {inline(sumber)}</div>'
    return notes


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar: numpy numbers to Python, NaN/NA to None, the rest as text."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if hasattr(value, "item"):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if _is_na(value):
        return None
    return str(value)


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False




def _meta(block: Mapping[str, Any]) -> dict[str, Any]:
    """The output metadata of a block (everything but its HTML)."""
    return {k: v for k, v in block.items() if k != "html"}


def _png(fig: Figure) -> bytes:
    """A figure as PNG at :data:`FIGURE_DPI` (closed afterwards)."""
    if not hasattr(fig, "savefig"):
        raise ParameterError("fig", "gambar memerlukan matplotlib Figure.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight",
                facecolor="white", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A value of a small front-matter table: numbers the Indonesian way, missing as a dash."""
    if isinstance(value, bool) or value is None:
        return text.MISSING if value is None else value
    if isinstance(value, int):
        return text.angka(value)
    if isinstance(value, float):
        return text.MISSING if math.isnan(value) else text.angka(value, 1)
    return value


_TAG = re.compile(r"<[^>]+>")


def _teks_blok(block: Mapping[str, Any]) -> str:
    """The visible text of a block (headings from their title, the rest from the HTML)."""
    if block["jenis"] in ("bagian", "sub"):
        return f"{block.get('nomor') or ''} {block.get('judul') or ''}"
    if block["jenis"] == "judul":
        return ""
    return html.unescape(_TAG.sub(" ", str(block["html"])))


def _display(fragment: str, meta: dict[str, Any], *, display_id: str | None = None,
             update: bool = False) -> None:
    if get_ipython() is None:
        return
    kwargs: dict[str, Any] = {"raw": True, "metadata": {METADATA_KEY: meta}}
    if display_id is not None:
        kwargs["display_id"] = display_id
    if update:
        update_display({"text/html": fragment}, **kwargs)  # type: ignore[no-untyped-call]
    else:
        display({"text/html": fragment}, **kwargs)  # type: ignore[no-untyped-call]
