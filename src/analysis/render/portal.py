"""``reports/index.html``: the publication page listing every rendered report.

Steps: :func:`scan` reads every ``reports/<tahun>/<folder>/<laporan>.json``
(hidden folders such as ``.sementara`` and ``.log`` are ignored) → :func:`page`
groups them by year (newest first) and area, with each report's key figures,
links to its HTML, PDF and Excel annex → :func:`write_index` writes the page
atomically. The page is self-contained (inline CSS, relative links only).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from pathlib import Path

from analysis import config, text
from analysis.render import atomic


@dataclass
class Entry:
    """One rendered report as the portal lists it."""

    tahun: int
    folder: str
    laporan: str
    judul: str
    aksi: str
    kab: str
    wilayah: str
    dibuat: str
    angka_kunci: list[dict]
    files: dict[str, str]


def scan(reports_dir: Path | None = None) -> list[Entry]:
    """Every report with a readable JSON in ``reports_dir`` (default ``reports/``)."""
    root = Path(reports_dir) if reports_dir else config.REPORTS_DIR
    entries: list[Entry] = []
    if not root.is_dir():
        return entries
    for year_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit()):
        for folder in sorted(p for p in year_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for json_path in sorted(folder.glob("*.json")):
                if json_path.name.startswith("."):
                    continue
                try:
                    data = json.loads(json_path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if not isinstance(data, dict) or "laporan" not in data:
                    continue
                name = data["laporan"]
                files = {}
                for kind, file_name in (("HTML", f"{name}.html"), ("PDF", f"{name}.pdf"),
                                        ("Excel", f"{name}-lampiran.xlsx")):
                    if (folder / file_name).is_file():
                        files[kind] = f"{year_dir.name}/{folder.name}/{file_name}"
                if not files:
                    continue
                entries.append(Entry(
                    tahun=int(data.get("tahun", year_dir.name)), folder=folder.name, laporan=name,
                    judul=str(data.get("judul") or name), aksi=data.get("aksi", ""), kab=data.get("kab", ""),
                    wilayah=data.get("wilayah", folder.name), dibuat=data.get("dibuat", ""),
                    angka_kunci=list(data.get("angka_kunci", [])), files=files))
    return entries


#: Key figures shown per report on the portal; the rest fold away (all are in the JSON).
SHOWN_FIGURES = 10


def _code_labels(unit: str) -> dict[str, str]:
    """``"1 = sesuai jalur, 0 = belum"`` → ``{"1": "sesuai jalur", "0": "belum"}``."""
    labels = {}
    for part in unit.split(","):
        code, sep, label = part.partition("=")
        if not sep:
            return {}
        labels[code.strip()] = label.strip()
    return labels


def format_figure(item: dict) -> str:
    """``Prevalensi stunting (register): 12,3 % (IK 95 %: 10,1–14,6 %)``-style value text."""
    value, unit = item.get("nilai"), item.get("satuan", "")
    if value is None:
        shown = text.MISSING
    elif unit == "%":
        shown = text.persen(value)
    elif unit.lower() in ("rp", "rupiah"):
        shown = text.rupiah(value, compact=True)
    else:
        decimals = 0 if float(value).is_integer() else 1
        number = text.angka(value, decimals)
        # a unit that explains a code ("1 = sesuai jalur, 0 = belum") shows the code's meaning
        codes = _code_labels(unit)
        if codes and number in codes:
            shown = codes[number]
        else:
            shown = f"{number} ({unit})" if "=" in unit else f"{number} {unit}".strip()
    ci = item.get("ci")
    if ci and None not in ci:
        shown += f" (IK 95 %: {text.rentang(ci[0], ci[1], unit=' %' if unit == '%' else '')})"
    return shown


_CSS = """
body{margin:0;background:#eef1f4;color:#1d1d1f;line-height:1.5;
font-family:"Noto Sans","DejaVu Sans","Liberation Sans",Arial,sans-serif}
.halaman{max-width:60rem;margin:1.5rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
header{border-top:6px solid #1f5f8b;padding-top:1rem}
h1{margin:.2rem 0 .3rem;font-size:1.8rem}
h2{color:#1f5f8b;border-bottom:2px solid #e8f0f7;margin-top:2rem}
h3{margin:1.4rem 0 .4rem}
.laporan{border:1px solid #d0d5db;border-radius:4px;padding:.6rem 1rem;margin:.5rem 0}
.laporan .judul{font-weight:700}
.laporan .aksi{color:#1f5f8b;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em}
.tautan a{display:inline-block;margin-right:.6rem;padding:.1rem .6rem;border:1px solid #1f5f8b;
border-radius:3px;color:#1f5f8b;text-decoration:none;font-size:.9rem}
.tautan a:hover{background:#e8f0f7}
table.angka{width:100%;table-layout:fixed;border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
table.angka th{width:58%;text-align:left;font-weight:400;color:#5f6368;padding:.12rem 1rem .12rem 0;vertical-align:top}
table.angka td{padding:.12rem 0;font-variant-numeric:tabular-nums;vertical-align:top}
nav.wilayah{font-size:.9rem;line-height:1.8}
nav.wilayah a{color:#1f5f8b;text-decoration:none}
nav.wilayah a:hover{text-decoration:underline}
.kaki{color:#5f6368;font-size:.8rem;margin-top:2rem;border-top:1px solid #d0d5db}
@media print{body{background:#fff}.halaman{box-shadow:none;margin:0;max-width:none}}
"""


def page(entries: list[Entry], dibuat: str | None = None) -> str:
    """The portal HTML for ``entries``."""
    esc = html.escape
    dibuat = dibuat or text.tanggal(dt.date.today())
    parts = [
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Laporan Konvergensi Stunting</title><style>{_CSS}</style></head><body>"
        '<div class="halaman"><header><h1>Laporan Aksi Konvergensi Percepatan Penurunan Stunting</h1>'
        f"<p>{len(entries)} laporan, per tahun dan wilayah. Diperbarui {esc(dibuat)}.</p></header>"
    ]
    areas = sorted({(e.tahun, e.folder, e.wilayah) for e in entries}, key=lambda x: (-x[0], x[1]))
    if len(areas) > 1:
        links = " · ".join(f'<a href="#{t}-{esc(f)}">{esc(w)} {t}</a>' for t, f, w in areas)
        parts.append(f'<nav class="wilayah" aria-label="Wilayah"><p>{links}</p></nav>')
    if not entries:
        parts.append("<p>Belum ada laporan yang dirender. Jalankan <code>konvergensi render-all</code>.</p>")
    for tahun in sorted({e.tahun for e in entries}, reverse=True):
        parts.append(f'<section id="tahun-{tahun}"><h2>Tahun {tahun}</h2>')
        year = [e for e in entries if e.tahun == tahun]
        for folder in sorted({e.folder for e in year}):
            group = [e for e in year if e.folder == folder]
            parts.append(f'<h3 id="{esc(str(tahun))}-{esc(folder)}">{esc(group[0].wilayah)} '
                         f'<small>({esc(group[0].kab)})</small></h3>')
            for e in sorted(group, key=lambda x: x.laporan):
                links = "".join(f'<a href="{esc(href)}">{kind}</a>' for kind, href in e.files.items())
                rows = [f"<tr><th scope=\"row\">{esc(str(a.get('label', a.get('kode', ''))))}</th>"
                        f"<td>{esc(format_figure(a))}</td></tr>" for a in e.angka_kunci]
                figures = "".join(rows[:SHOWN_FIGURES])
                if len(rows) > SHOWN_FIGURES:
                    figures += (f'<tr><td colspan="2"><details><summary>{len(rows) - SHOWN_FIGURES} '
                                f'angka kunci lainnya</summary><table class="angka">'
                                f'{"".join(rows[SHOWN_FIGURES:])}</table></details></td></tr>')
                tanggal = text.tanggal(e.dibuat) if e.dibuat else ""
                parts.append(
                    f'<div class="laporan"><div class="aksi">{esc(e.aksi)}</div>'
                    f'<div class="judul">{esc(e.judul)}</div>'
                    + (f'<table class="angka">{figures}</table>' if figures else "")
                    + f'<div class="tautan">{links}<small>Disusun {esc(tanggal)}</small></div></div>')
        parts.append("</section>")
    parts.append('<p class="kaki">Dibuat oleh konvergensi. Angka kunci dari berkas JSON setiap laporan; '
                 "IK = interval kepercayaan.</p></div></body></html>")
    return "\n".join(parts)


def write_index(reports_dir: Path | None = None) -> Path:
    """Write ``reports/index.html`` (atomically) and return its path."""
    root = Path(reports_dir) if reports_dir else config.REPORTS_DIR
    root.mkdir(parents=True, exist_ok=True)
    path = root / "index.html"
    atomic.write_text(path, page(scan(root)))
    return path
