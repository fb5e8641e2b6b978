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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from IPython import get_ipython
from IPython.display import display
from matplotlib.figure import Figure

from analysis import __version__, keluaran, safeio, text
from analysis.errors import ParameterError
from analysis.laporan.katalog import get_spec
from analysis.laporan.kolom import Gabung, excel_formats, tampilan
from analysis.laporan.markdown import METADATA_KEY, inline, markdown

__all__ = ["FIGURE_DPI", "METADATA_KEY", "Laporan", "markdown"]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
#: Figure resolution: sharp in print at the full text width (16 cm).
FIGURE_DPI = 150
#: Box colours of :meth:`Laporan.kotak`.
JENIS_KOTAK = ("info", "peringatan", "rekomendasi")
#: Kinds of block that carry a number, and what starts their count again.
_NUMBERED = ("bagian", "sub", "tabel", "gambar")
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

    Attributes
    ----------
    nama_wilayah : str
        The area's name (``"Kota Bontang"``).
    blok : list of dict
        The blocks recorded so far (kind, id, number, title, html).
    """

    def __init__(self, laporan: str, kab: str, tahun: int, output_dir: str | Path | None = None,
                 *, tampilkan: bool = True):
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
        return 1 + sum(1 for b in before if b["jenis"] == kind)

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

    def _emit(self, kind: str, fragment: str, **meta: Any) -> dict[str, Any]:
        run = self._enter()
        block = {"jenis": kind, **meta, "html": fragment}
        position = self._position()
        self.blok.insert(position, block)
        self._runs.insert(position, run)
        if self._insert is not None:
            self._insert += 1
        if self.tampilkan:
            _display(fragment, {k: v for k, v in block.items() if k != "html"})
        return block

    # ------------------------------------------------------------------ blocks
    def judul(self, judul: str | None = None, *, subjudul: str | None = None,
              sumber: Mapping[str, Any] | Iterable[Sequence[Any]] | None = None,
              penyusun: str | None = None) -> None:
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

    def sub(self, id: str, judul: str) -> None:
        """Start numbered subsection ``N.M`` of the current section."""
        self._claim_id(id, "subbagian")
        section = self._nomor("bagian") - 1
        if section == 0:
            raise ParameterError("sub", "subbagian harus berada di dalam bagian: panggil "
                                        "lap.bagian(...) lebih dahulu.")
        nomor = f"{section}.{self._nomor('sub')}"
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
        if not hasattr(fig, "savefig"):
            raise ParameterError("fig", "gambar memerlukan matplotlib Figure.")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight",
                    facecolor="white", metadata={"Software": None})
        plt.close(fig)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
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

    # ------------------------------------------------------------------ outputs
    def ringkasan(self) -> dict[str, Any]:
        """The JSON document :meth:`simpan` writes (outline, sources, key figures)."""
        keys = ("id", "nomor", "judul", "lampiran")
        outline = {kind: [{k: b[k] for k in keys if k in b} for b in self.blok if b["jenis"] == kind]
                   for kind in _NUMBERED}
        rekom = [i for b in self.blok if b.get("subjenis") == "rekomendasi" for i in b.get("butir", [])]
        return {
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

    def simpan(self) -> dict[str, Path]:
        """Write ``<laporan>.json`` and ``<laporan>-lampiran.xlsx`` to ``output_dir``.

        Returns
        -------
        dict
            ``{"json": path, "xlsx": path}``.
        """
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




def _display(fragment: str, meta: dict[str, Any]) -> None:
    if get_ipython() is None:
        return
    display({"text/html": fragment}, raw=True, metadata={METADATA_KEY: meta})  # type: ignore[no-untyped-call]
