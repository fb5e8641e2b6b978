"""Display of published numbers: table cells, map properties and legend, all in Indonesian.

Every number becomes text here through :mod:`analysis.text`; the JavaScript of the site never
formats a number, it only shows these strings and sorts on the raw ``urut`` values (which are
themselves published values, never a hidden one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis import text
from analysis.publikasi import kerahasiaan as kr
from analysis.publikasi.data import STATUSES, nama_periode
from analysis.publikasi.pengaturan import Pengaturan
from analysis.publikasi.terbitan import TANPA_DATA, Terbitan

#: Class index of a unit without data / with a hidden figure (map and legend).
KELAS_TANPA_DATA = -1
KELAS_DITUTUP = -2
#: What a hidden cell shows, and its explanation (title attribute, legend, explanation page).
DITUTUP = "ditutup"


def arti_kode(code: str, k: int) -> str:
    """Words for a suppression code."""
    return {
        kr.KECIL: f"kurang dari {k} anak: ditutup agar tidak ada anak yang dapat dikenali",
        kr.KOMPLEMEN: f"hampir semua anak (semua kecuali kurang dari {k}): ditutup agar tidak ada anak "
                      "yang dapat dikenali",
        kr.SEKUNDER: "ditutup agar angka kecil tidak dapat dihitung kembali dari total",
        TANPA_DATA: "tidak ada balita yang diukur",
    }.get(code, "")


@dataclass(frozen=True)
class Sel:
    """One table cell: the text shown, the raw value to sort on ('' = none), CSS class, tooltip."""

    teks: str
    urut: str = ""
    kelas: str = ""
    judul: str = ""
    tanda: str = ""


@dataclass(frozen=True)
class Kolom:
    """One column: key, header, the status it belongs to (None for the common columns)."""

    kunci: str
    judul: str
    indikator: str | None = None
    angka: bool = True
    awalan: str = ""


def _na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _raw(v, decimals: int = 4) -> str:
    return "" if _na(v) else (str(int(v)) if float(v).is_integer() else f"{float(v):.{decimals}f}")


def sel_jumlah(value, code: str, k: int) -> Sel:
    """A count of children: the number, ``< k`` (small), ``ditutup`` (other hidden) or –."""
    if code == TANPA_DATA:
        return Sel(text.MISSING, "", "angka kosong", arti_kode(code, k))
    if code == kr.KECIL:
        return Sel(f"< {k}", "", "angka ditutup", arti_kode(code, k))
    if code != kr.TERBIT or _na(value):
        return Sel(DITUTUP, "", "angka ditutup", arti_kode(code, k))
    return Sel(text.angka(value), _raw(value), "angka")


def sel_persen(value, code: str, k: int) -> Sel:
    """A prevalence (percent) or ``ditutup``/–."""
    if code == TANPA_DATA or (code == kr.TERBIT and _na(value)):
        return Sel(text.MISSING, "", "angka kosong", arti_kode(TANPA_DATA, k))
    if code != kr.TERBIT:
        return Sel(DITUTUP, "", "angka ditutup", arti_kode(code, k))
    return Sel(text.persen(value), _raw(value), "angka")


def sel_rentang(low, high, code: str, k: int) -> Sel:
    """A 95 % interval without its unit (the header says %)."""
    if code != kr.TERBIT or _na(low) or _na(high):
        return Sel(text.MISSING if code in (TANPA_DATA, kr.TERBIT) else DITUTUP, "",
                   "angka kosong" if code in (TANPA_DATA, kr.TERBIT) else "angka ditutup", arti_kode(code, k))
    return Sel(text.rentang(low, high, unit=""), _raw(low), "angka")


def sel_perubahan(delta, bermakna, tahun_lalu: int, *, panjang: bool = False) -> Sel:
    """The change from last year in percentage points; ``tanda`` 'bermakna' when its interval excludes 0.

    ``panjang`` writes the unit (``'−2,8 poin persen'``); table cells leave it to the header.
    """
    if _na(delta):
        return Sel(text.MISSING, "", "angka kosong", f"tidak ada angka {tahun_lalu} yang dapat dibandingkan")
    shown = text.poin_persen(delta) if panjang else ("+" if delta > 0 else "") + text.angka(delta, 1)
    if bermakna is True:
        return Sel(shown, _raw(delta), "angka", "selang kepercayaan 95 % selisihnya tidak memuat 0", "bermakna")
    return Sel(shown, _raw(delta), "angka", "perubahan masih dalam batas kebetulan (tidak bermakna)")


def kelas(pct, code: str, batas: list[float]) -> int:
    """WHO class 0–4 of a published prevalence, or :data:`KELAS_TANPA_DATA` / :data:`KELAS_DITUTUP`."""
    if code == TANPA_DATA or (code == kr.TERBIT and _na(pct)):
        return KELAS_TANPA_DATA
    if code != kr.TERBIT:
        return KELAS_DITUTUP
    return sum(float(pct) >= b for b in batas)


def label_kelas(p: Pengaturan, status: str) -> list[str]:
    """Legend labels of the five classes: ``'< 2,5 % (sangat rendah)'``, ``'2,5–< 10 %'`` …"""
    b = p.indikator[status].kelas
    fmt = [text.angka(x, 0 if float(x).is_integer() else 1) for x in b]
    ranges = [f"< {fmt[0]} %"] + [f"{fmt[i]}–< {fmt[i + 1]} %" for i in range(3)] + [f"≥ {fmt[3]} %"]
    return [f"{r} ({n})" for r, n in zip(ranges, p.nama_kelas, strict=True)]


# ------------------------------------------------------------------ tables ----

#: Header of each level table's first column and the level's words.
NAMA_TINGKAT = {"kabupaten": "Kabupaten/kota", "kecamatan": "Kecamatan", "puskesmas": "Puskesmas",
                "desa": "Desa/kelurahan"}


def kolom(level: str, p: Pengaturan, tahun_lalu: int, ada_lalu: bool) -> list[Kolom]:
    """The columns of one level table (after the name column)."""
    cols = []
    if level in ("desa", "puskesmas"):
        cols.append(Kolom("induk", "Kecamatan", angka=False))
    cols.append(Kolom("diukur", "Balita diukur"))
    if level != "puskesmas":
        cols += [Kolom("perkiraan", "Perkiraan balita"), Kolom("cakupan", "Cakupan pengukuran")]
    for s in STATUSES:
        name = p.indikator[s].label.split(" (")[0]
        cols += [Kolom(f"jumlah_{s}", "Jumlah anak", s, awalan=name),
                 Kolom(f"pct_{s}", "Prevalensi", s, awalan=name),
                 Kolom(f"ci_{s}", "95 % CI (%)", s, awalan=name)]
        if ada_lalu:
            cols.append(Kolom(f"ubah_{s}", f"Perubahan dari {tahun_lalu} (poin persen)", s, awalan=name))
    cols.append(Kolom("catatan", "Catatan", angka=False))
    return cols


def sel_baris(row: pd.Series, level: str, p: Pengaturan, tahun_lalu: int, ada_lalu: bool) -> list[Sel]:
    """Cells of one unit, in the order of :func:`kolom`."""
    k = p.k
    cells = []
    if level in ("desa", "puskesmas"):
        cells.append(Sel(str(row["induk"]), str(row["induk"]), ""))
    cells.append(sel_jumlah(row["diukur"], row["kode_diukur"], k))
    if level != "puskesmas":
        est = row["perkiraan_balita"]
        cells.append(Sel(text.angka(est), _raw(est), "angka") if not _na(est)
                     else Sel(text.MISSING, "", "angka kosong", "profil desa tidak tersedia"))
        cov = row["cakupan_pct"]
        cells.append(Sel(text.persen(cov, 0), _raw(cov), "angka") if not _na(cov)
                     else Sel(text.MISSING if row["kode_diukur"] == kr.TERBIT else DITUTUP, "",
                              "angka kosong"))
    for s in STATUSES:
        code = row[f"kode_{s}"]
        cells += [sel_jumlah(row[f"jumlah_{s}"], code, k), sel_persen(row[f"pct_{s}"], code, k),
                  sel_rentang(row[f"ll_{s}"], row[f"ul_{s}"], code, k)]
        if ada_lalu:
            b = row[f"bermakna_{s}"]
            cells.append(sel_perubahan(row[f"perubahan_{s}"], None if _na(b) else bool(b), tahun_lalu))
    notes = []
    if row["data_sedikit"]:
        notes.append(f"data sedikit (< {p.min_diukur} balita diukur)")
    if row["kode_diukur"] == kr.TERBIT and not _na(row["diukur"]) and int(row["diukur"]) == 0:
        notes.append("tidak ada balita yang diukur")
    cells.append(Sel("; ".join(notes), "; ".join(notes), "catatan"))
    return cells


def ada_data(row: pd.Series) -> bool:
    """True for a unit where at least one child was measured (as published)."""
    return row["kode_diukur"] != kr.TERBIT or (not _na(row["diukur"]) and int(row["diukur"]) > 0)


@dataclass
class TabelTampil:
    """One level table as the page shows it."""

    id: str
    level: str
    judul: str
    kolom: list[Kolom]
    baris: list[tuple[str, list[Sel]]]
    total: list[Sel] | None
    tanpa_data: list[str]


def tabel_tampil(tb: Terbitan, level: str, p: Pengaturan) -> TabelTampil:
    """Rows of one level: units with data (sorted by name), the district total, units without data."""
    ds = tb.sumber
    ada_lalu = ds.lalu is not None
    t = tb.tabel[level]
    with_data = t[t.apply(ada_data, axis=1)].sort_values(["induk", "nama"] if level == "desa" else ["nama"])
    without = t[~t.apply(ada_data, axis=1)]
    rows = [(str(r["nama"]), sel_baris(r, level, p, ds.tahun - 1, ada_lalu)) for _, r in with_data.iterrows()]
    total = None
    if level != "kabupaten":
        k = tb.tabel["kabupaten"].iloc[0].copy()
        k["induk"] = ""
        total = sel_baris(k, level, p, ds.tahun - 1, ada_lalu)
    judul = f"Prevalensi per {NAMA_TINGKAT[level].lower()}, {ds.nama}, putaran penimbangan " \
            f"{nama_periode(ds.periode)}"
    return TabelTampil(id=f"tabel-{level}", level=level, judul=judul, kolom=kolom(level, p, ds.tahun - 1, ada_lalu),
                       baris=rows, total=total, tanpa_data=sorted(without["nama"].astype(str)))


# ------------------------------------------------------------------ map ----

def properti_peta(row: pd.Series, p: Pengaturan, tahun_lalu: int, ada_lalu: bool) -> dict:
    """Properties of one unit's map feature: texts per status and class indices (no raw hidden value)."""
    k = p.k
    ind = {}
    for s in STATUSES:
        code = row[f"kode_{s}"]
        entry = {
            "kelas": kelas(row[f"pct_{s}"], code, p.indikator[s].kelas),
            "pct": sel_persen(row[f"pct_{s}"], code, k).teks,
            "jumlah": sel_jumlah(row[f"jumlah_{s}"], code, k).teks,
            "ci": sel_rentang(row[f"ll_{s}"], row[f"ul_{s}"], code, k).teks,
            "ket": arti_kode(code, k),
        }
        if ada_lalu:
            b = row[f"bermakna_{s}"]
            ch = sel_perubahan(row[f"perubahan_{s}"], None if _na(b) else bool(b), tahun_lalu, panjang=True)
            entry["ubah"] = ch.teks + (f" ({ch.tanda})" if ch.tanda else "")
        ind[s] = entry
    cov = row.get("cakupan_pct")
    return {
        "kode": str(row["kode"]), "nama": str(row["nama"]), "induk": str(row.get("induk", "")),
        "jenis": str(row.get("jenis", "")),
        "diukur": sel_jumlah(row["diukur"], row["kode_diukur"], k).teks,
        "cakupan": text.persen(cov, 0) if not _na(cov) else text.MISSING,
        "sedikit": bool(row["data_sedikit"]), "indikator": ind,
    }


def legenda(p: Pengaturan) -> dict:
    """Per status: label, definition, class labels, colours and the source of the bounds."""
    return {s: {"label": p.indikator[s].label, "definisi": p.indikator[s].definisi,
                "kelas": label_kelas(p, s), "sumber": p.indikator[s].sumber_kelas}
            for s in STATUSES}
