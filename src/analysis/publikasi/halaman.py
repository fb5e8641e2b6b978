"""The pages of the site: Jinja2 templates (``templat/``) filled from a :class:`Terbitan`.

Each page gets a context of ready-made strings (numbers formatted by :mod:`analysis.text`
through :mod:`analysis.publikasi.tampilan`); templates hold the prose and the markup only.
Autoescaping is on for every template.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from analysis import text
from analysis.publikasi import kerahasiaan as kr
from analysis.publikasi.data import LEVELS, STATUSES, nama_periode
from analysis.publikasi.pengaturan import Pengaturan
from analysis.publikasi.tampilan import (
    DITUTUP,
    NAMA_TINGKAT,
    arti_kode,
    label_kelas,
    sel_jumlah,
    sel_persen,
    sel_perubahan,
    sel_rentang,
    tabel_tampil,
)
from analysis.publikasi.terbitan import TANPA_DATA, Terbitan

TEMPLATE_DIR = Path(__file__).parent / "templat"

#: The pages: file → (template, title in the menu).
HALAMAN = {
    "index.html": ("beranda.html.j2", "Ringkasan"),
    "tabel.html": ("tabel.html.j2", "Tabel"),
    "peta.html": ("peta.html.j2", "Peta"),
    "unduh.html": ("unduh.html.j2", "Unduhan"),
    "penjelasan.html": ("penjelasan.html.j2", "Penjelasan"),
}


def lingkungan() -> jinja2.Environment:
    """The template environment (autoescaped, undefined names are errors)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


@dataclass
class Tautan:
    """A downloadable file or report as the download page lists it."""

    href: str
    label: str
    ukuran: str
    keterangan: str = ""


def ukuran(n_bytes: int) -> str:
    """File size in Indonesian: ``'12 kB'``, ``'1,4 MB'``."""
    if n_bytes >= 1_000_000:
        return f"{text.angka(n_bytes / 1_000_000, 1)} MB"
    return f"{text.angka(max(1, round(n_bytes / 1000)))} kB"


def _status_rows(tb: Terbitan, p: Pengaturan) -> list[dict[str, Any]]:
    """The district's five statuses for the landing page."""
    row = tb.tabel["kabupaten"].iloc[0]
    out = []
    for s in STATUSES:
        code = row[f"kode_{s}"]
        b = row[f"bermakna_{s}"]
        out.append({
            "label": p.indikator[s].label, "definisi": p.indikator[s].definisi,
            "jumlah": sel_jumlah(row[f"jumlah_{s}"], code, p.k).teks,
            "pct": sel_persen(row[f"pct_{s}"], code, p.k).teks,
            "ci": sel_rentang(row[f"ll_{s}"], row[f"ul_{s}"], code, p.k).teks,
            "ubah": _ubah(sel_perubahan(row[f"perubahan_{s}"], None if pd.isna(b) else bool(b), tb.sumber.tahun - 1,
                                        panjang=True)),
        })
    return out


def _tuples(frame: pd.DataFrame) -> list[Any]:
    """Rows as named tuples, typed loosely (the columns are known by name)."""
    return list(frame.itertuples(index=False))


def _ubah(cell) -> str:
    return cell.teks + (f" ({cell.tanda})" if cell.tanda else "")


def _survei(tb: Terbitan, p: Pengaturan) -> list[dict[str, Any]]:
    rows = []
    for r in _tuples(tb.sumber.survei):
        rel = p.keandalan_survei.get(str(r.keandalan))
        rows.append({"sumber": str(r.sumber), "tahun": int(r.tahun), "pct": text.persen(r.prevalensi),
                     "keandalan": rel.label if rel else str(r.keandalan),
                     "peringatan": bool(rel.peringatan) if rel else True,
                     "rujukan": str(r.rujukan) if str(r.rujukan).startswith(("http://", "https://")) else ""})
    return rows


def _register(tb: Terbitan, p: Pengaturan) -> list[dict[str, Any]]:
    return [{"tahun": int(r.tahun), "periode": nama_periode(str(r.periode)).split(" ")[0],
             "diukur": sel_jumlah(r.diukur, kr.TERBIT if not pd.isna(r.diukur) else kr.KECIL, p.k).teks,
             "pct": text.persen(r.prevalensi) if not pd.isna(r.prevalensi) else DITUTUP,
             "ci": text.rentang(r.ci_bawah, r.ci_atas) if not pd.isna(r.ci_bawah) else DITUTUP}
            for r in _tuples(tb.register)]


def _kontak(tb: Terbitan, p: Pengaturan) -> list[dict[str, str]]:
    out = []
    for key, label in p.identitas.items():
        value = tb.sumber.identitas.get(key)
        if not value:
            continue
        href = ""
        if key == "tpps_surel" and "@" in value:
            href = f"mailto:{value}"
        elif key == "tpps_situs" and value.startswith(("http://", "https://")):
            href = value
        elif key == "tpps_telepon":
            href = "tel:" + "".join(ch for ch in value if ch.isdigit() or ch == "+")
        out.append({"label": label, "nilai": value, "href": href})
    return out


def _akuntansi(tb: Terbitan, p: Pengaturan) -> list[dict[str, Any]]:
    rows = []
    for r in _tuples(tb.akuntansi):
        code = str(r.kode_baris)
        rows.append({"keterangan": str(r.keterangan),
                     "baris": text.angka(r.baris) if code == kr.TERBIT else (f"< {p.k}" if code == kr.KECIL
                                                                             else DITUTUP),
                     "dikeluarkan": r.kode not in ("dibaca", "dianalisis")})
    return rows


def konteks_umum(tb: Terbitan, p: Pengaturan, dibuat: str, lambang: str | None) -> dict[str, Any]:
    """What every page shows: names, year, period, menu, the small-count rule."""
    ds = tb.sumber
    return {
        "nama": ds.nama, "kab": ds.kab, "tahun": ds.tahun, "tahun_lalu": ds.tahun - 1,
        "periode": nama_periode(ds.periode),
        "periode_lalu": nama_periode(ds.periode_lalu) if ds.periode_lalu else None,
        "dibuat": dibuat, "lambang": lambang, "k": p.k, "min_diukur": p.min_diukur,
        "menu": [(href, title) for href, (_, title) in HALAMAN.items()],
    }


def konteks(halaman: str, tb: Terbitan, p: Pengaturan, *, dibuat: str, lambang: str | None,
            unduhan: list[Tautan], laporan: list[Tautan], sumber_batas: str,
            ada_peta: dict[str, bool]) -> dict[str, Any]:
    """The context of one page (``index.html`` … ``penjelasan.html``)."""
    ds = tb.sumber
    ctx = konteks_umum(tb, p, dibuat, lambang)
    ctx["aktif"] = halaman
    ctx["judul_halaman"] = HALAMAN[halaman][1]
    kab_row = tb.tabel["kabupaten"].iloc[0]
    u = tb.utama
    est = kab_row["perkiraan_balita"]
    ctx.update({
        "utama": {"pct": text.persen(u["prevalensi"]) if u["prevalensi"] is not None else DITUTUP,
                  "ci": text.rentang(u["ci_bawah"], u["ci_atas"]) if u["ci_bawah"] is not None else DITUTUP,
                  "stunting": text.angka(u["stunting"]) if u["stunting"] is not None else DITUTUP,
                  "diukur": text.angka(u["diukur"]) if u["diukur"] is not None else DITUTUP,
                  "dinilai": text.angka(u["dinilai"]) if u["dinilai"] is not None else DITUTUP},
        "cakupan": {"diukur": sel_jumlah(kab_row["diukur"], kab_row["kode_diukur"], p.k).teks,
                    "perkiraan": text.angka(est) if not pd.isna(est) else None,
                    "pct": text.persen(kab_row["cakupan_pct"], 0) if not pd.isna(kab_row["cakupan_pct"]) else None,
                    "tahun_profil": ds.tahun_profil},
        "target": ({"pct": text.persen(ds.target["target_pct"]), "sumber": ds.target["sumber"]}
                   if ds.target else None),
        "survei": _survei(tb, p),
        "register": _register(tb, p),
        "status": _status_rows(tb, p),
        "kontak": _kontak(tb, p),
        "hilang": ds.hilang,
    })
    ctx["survei_terakhir"] = ctx["survei"][-1] if ctx["survei"] else None
    if halaman == "tabel.html":
        ctx["tabel"] = [tabel_tampil(tb, lv, p) for lv in ("kecamatan", "puskesmas", "desa")]
        ctx["indikator"] = [(s, p.indikator[s].label) for s in STATUSES]
        ctx["ada_lalu"] = ds.lalu is not None
        ctx["arti"] = {c: arti_kode(c, p.k) for c in (kr.KECIL, kr.KOMPLEMEN, kr.SEKUNDER, TANPA_DATA)}
    if halaman == "peta.html":
        ctx["indikator"] = [(s, p.indikator[s].label) for s in STATUSES]
        ctx["ada_peta"] = ada_peta
        desa = tb.tabel["desa"].sort_values(["induk", "nama"])
        ctx["pilihan_desa"] = [(kec, [(r.kode, r.nama) for r in grp.itertuples()])
                               for kec, grp in desa.groupby("induk", sort=True)]
        ctx["pilihan_kecamatan"] = [(r.kode, r.nama) for r in tb.tabel["kecamatan"].sort_values("nama").itertuples()]
        ctx["sumber_batas"] = sumber_batas
    if halaman == "unduh.html":
        ctx["unduhan"] = unduhan
        ctx["laporan"] = laporan
    if halaman == "penjelasan.html":
        ctx["akuntansi"] = _akuntansi(tb, p)
        ctx["baris_putaran"] = text.angka(ds.baris_putaran)
        ctx["indikator_penuh"] = [{"label": p.indikator[s].label, "definisi": p.indikator[s].definisi,
                                   "kelas": label_kelas(p, s), "sumber": p.indikator[s].sumber_kelas}
                                  for s in STATUSES]
        ctx["arti"] = {c: arti_kode(c, p.k) for c in (kr.KECIL, kr.KOMPLEMEN, kr.SEKUNDER)}
        ctx["sumber_batas"] = sumber_batas
        ctx["nama_tingkat"] = [NAMA_TINGKAT[lv] for lv in LEVELS]
    return ctx


def render(halaman: str, ctx: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """The HTML of one page."""
    env = env or lingkungan()
    return env.get_template(HALAMAN[halaman][0]).render(**ctx)
