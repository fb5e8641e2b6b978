"""Downloads of the site: the published tables as CSV, XLSX and JSON (with its JSON Schema).

One column specification (:func:`kolom_unduhan`) drives all three formats and the schema, so a
column means the same everywhere. Values are those of :class:`~analysis.publikasi.terbitan.Terbitan`
(hidden counts empty, with the reason code in ``*_ditutup``); percentages are rounded to
``publikasi.yaml`` ``desimal_unduhan`` decimals.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.publikasi import kerahasiaan as kr
from analysis.publikasi.data import LEVELS, STATUSES
from analysis.publikasi.pengaturan import Pengaturan
from analysis.publikasi.tampilan import NAMA_TINGKAT, arti_kode
from analysis.publikasi.terbitan import TANPA_DATA, Terbitan

SCHEMA_NAME = "prevalensi.schema.json"
JSON_NAME = "prevalensi.json"
XLSX_NAME = "prevalensi.xlsx"


@dataclass(frozen=True)
class KolomUnduhan:
    """A download column: name, JSON type (``integer``, ``number``, ``string``, ``boolean``), meaning."""

    nama: str
    jenis: str
    arti: str
    boleh_kosong: bool = True


def kolom_unduhan(p: Pengaturan) -> list[KolomUnduhan]:
    """The columns of every level table of the downloads."""
    k = p.k
    cols = [
        KolomUnduhan("kode", "string", "kode wilayah Kemendagri (puskesmas: nama seperti di e-PPGBM)", False),
        KolomUnduhan("nama", "string", "nama wilayah", False),
        KolomUnduhan("kecamatan", "string", "kecamatan desa/kelurahan; untuk puskesmas: kecamatan tempat "
                     "tinggal balitanya", False),
        KolomUnduhan("jenis", "string", "kabupaten, kota, kecamatan, puskesmas, desa atau kelurahan", False),
        KolomUnduhan("diukur", "integer", "balita yang diukur pada putaran penimbangan (satu baris per anak); "
                     "kosong bila ditutup"),
        KolomUnduhan("diukur_ditutup", "string", "alasan angka ditutup (lihat kode_ditutup), kosong bila terbit"),
        KolomUnduhan("perkiraan_balita", "integer", "perkiraan jumlah balita dari profil desa"),
        KolomUnduhan("cakupan_pengukuran_pct", "number", "balita diukur ÷ perkiraan balita × 100"),
        KolomUnduhan("data_sedikit", "boolean", f"kurang dari {p.min_diukur} balita diukur: prevalensi "
                     "sangat tidak pasti", False),
    ]
    for s in STATUSES:
        label = p.indikator[s].label
        cols += [
            KolomUnduhan(f"{s}_jumlah", "integer", f"{label}: jumlah balita ({p.indikator[s].definisi}); kosong "
                         f"bila ditutup (angka 1–{k - 1} tidak pernah diterbitkan)"),
            KolomUnduhan(f"{s}_pct", "number", f"{label}: prevalensi (%)"),
            KolomUnduhan(f"{s}_ci_bawah", "number", f"{label}: batas bawah selang kepercayaan 95 % (Wilson), %"),
            KolomUnduhan(f"{s}_ci_atas", "number", f"{label}: batas atas selang kepercayaan 95 % (Wilson), %"),
            KolomUnduhan(f"{s}_ditutup", "string", f"{label}: alasan angka ditutup atau tidak ada "
                         "(lihat kode_ditutup), kosong bila terbit"),
            KolomUnduhan(f"{s}_pct_tahun_lalu", "number", f"{label}: prevalensi tahun sebelumnya (%)"),
            KolomUnduhan(f"{s}_perubahan_pp", "number", f"{label}: perubahan dari tahun sebelumnya (poin persen)"),
            KolomUnduhan(f"{s}_perubahan_bermakna", "boolean", f"{label}: selang kepercayaan 95 % perubahan "
                         "(Newcombe) tidak memuat 0"),
        ]
    return cols


def _round(v, decimals: int):
    return v if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), decimals)


def tabel_unduhan(tb: Terbitan, level: str, p: Pengaturan) -> pd.DataFrame:
    """One level's download table (every unit, with or without data), in the column order of the spec."""
    t = tb.tabel[level]
    d = p.desimal_unduhan
    out = pd.DataFrame({
        "kode": t["kode"].astype(str), "nama": t["nama"].astype(str), "kecamatan": t["induk"].astype(str),
        "jenis": t["jenis"].astype(str),
        "diukur": t["diukur"].astype("Int64"),
        "diukur_ditutup": t["kode_diukur"].astype(str),
        "perkiraan_balita": pd.array([None if pd.isna(v) else int(v) for v in t["perkiraan_balita"]],
                                     dtype="Int64"),
        "cakupan_pengukuran_pct": t["cakupan_pct"].astype(float).round(d),
        "data_sedikit": t["data_sedikit"].astype(bool),
    })
    for s in STATUSES:
        out[f"{s}_jumlah"] = t[f"jumlah_{s}"].astype("Int64")
        for src, dst in (("pct", "pct"), ("ll", "ci_bawah"), ("ul", "ci_atas")):
            out[f"{s}_{dst}"] = t[f"{src}_{s}"].astype(float).round(d)
        out[f"{s}_ditutup"] = t[f"kode_{s}"].astype(str)
        out[f"{s}_pct_tahun_lalu"] = t[f"pct_lalu_{s}"].astype(float).round(d)
        out[f"{s}_perubahan_pp"] = t[f"perubahan_{s}"].astype(float).round(d)
        out[f"{s}_perubahan_bermakna"] = t[f"bermakna_{s}"].astype("boolean")
    return out[[c.nama for c in kolom_unduhan(p)]]


def kode_ditutup(k: int) -> dict[str, str]:
    """Codes of ``*_ditutup`` and their meaning."""
    return {c: arti_kode(c, k) for c in (kr.KECIL, kr.KOMPLEMEN, kr.SEKUNDER, TANPA_DATA)}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NA/NaN → None, numpy scalars → Python."""
    rows = []
    for rec in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for name, v in rec.items():
            key = str(name)
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                clean[key] = None
            elif isinstance(v, np.generic):
                clean[key] = v.item()
            else:
                clean[key] = v
        rows.append(clean)
    return rows


def tabel_akuntansi(tb: Terbitan) -> pd.DataFrame:
    """Row accounting for the downloads: ``kode, keterangan, baris, baris_ditutup``."""
    a = tb.akuntansi
    return pd.DataFrame({"kode": a["kode"], "keterangan": a["keterangan"], "baris": a["baris"].astype("Int64"),
                         "baris_ditutup": a["kode_baris"].astype(str)})


def tabel_survei(tb: Terbitan, p: Pengaturan) -> pd.DataFrame:
    """The district's survey figures: ``tahun, survei, prevalensi_pct, keandalan, keandalan_arti, rujukan``."""
    s = tb.sumber.survei
    return pd.DataFrame({
        "tahun": s["tahun"].astype(int), "survei": s["survei"].astype(str),
        "prevalensi_pct": s["prevalensi"].astype(float),
        "keandalan": s["keandalan"].astype(str),
        "keandalan_arti": [p.keandalan_survei[c].label if c in p.keandalan_survei else c for c in s["keandalan"]],
        "rujukan": s["rujukan"].astype(str)})


def tabel_register(tb: Terbitan) -> pd.DataFrame:
    """The register's yearly stunting figure (WHO anthro interval)."""
    r = tb.register
    return pd.DataFrame({"tahun": r["tahun"], "periode": r["periode"], "diukur": r["diukur"],
                         "prevalensi_pct": r["prevalensi"].round(4), "ci_bawah": r["ci_bawah"].round(4),
                         "ci_atas": r["ci_atas"].round(4)})


def dokumen_json(tb: Terbitan, p: Pengaturan, dibuat: str) -> dict[str, Any]:
    """The JSON download (validates against :func:`skema_json`)."""
    ds = tb.sumber
    doc: dict[str, Any] = {
        "$schema": f"./{SCHEMA_NAME}",
        "kab": ds.kab, "nama": ds.nama, "tahun": ds.tahun, "periode": ds.periode,
        "periode_tahun_lalu": ds.periode_lalu, "dibuat": dibuat,
        "aturan_kerahasiaan": {"ambang_jumlah": p.k, "komplemen": p.kerahasiaan.komplemen,
                               "sekunder": p.kerahasiaan.sekunder, "min_diukur": p.min_diukur},
        "kode_ditutup": kode_ditutup(p.k),
        "survei": _records(tabel_survei(tb, p)),
        "register": _records(tabel_register(tb)),
        "akuntansi": _records(tabel_akuntansi(tb)),
    }
    for level in LEVELS:
        doc[level] = _records(tabel_unduhan(tb, level, p))
    return doc


_JSON_TYPES = {"integer": "integer", "number": "number", "string": "string", "boolean": "boolean"}


def skema_json(p: Pengaturan) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :func:`dokumen_json`."""

    def col(c: KolomUnduhan) -> dict[str, Any]:
        t: Any = [_JSON_TYPES[c.jenis], "null"] if c.boleh_kosong else _JSON_TYPES[c.jenis]
        spec: dict[str, Any] = {"type": t, "description": c.arti}
        if c.nama.endswith("_jumlah") or c.nama == "diukur":
            # the small-count rule, as a machine-checkable constraint: 0 or at least k
            spec["not"] = {"type": "integer", "minimum": 1, "maximum": p.k - 1}
        if c.nama.endswith("_ditutup"):
            spec["enum"] = ["", *kode_ditutup(p.k)]
        return spec

    cols = kolom_unduhan(p)
    baris = {"type": "object", "additionalProperties": False, "required": [c.nama for c in cols],
             "properties": {c.nama: col(c) for c in cols}}
    num = {"type": ["number", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_NAME,
        "title": "Prevalensi status gizi balita per wilayah (publikasi Aksi 7, konvergensi)",
        "type": "object",
        "required": ["kab", "nama", "tahun", "periode", "aturan_kerahasiaan", "kode_ditutup", *LEVELS],
        "properties": {
            "$schema": {"type": "string"},
            "kab": {"type": "string", "description": "kode Kemendagri kabupaten/kota"},
            "nama": {"type": "string"}, "tahun": {"type": "integer"},
            "periode": {"type": "string", "pattern": r"^\d{4}-\d{2}$",
                        "description": "putaran penimbangan yang dipakai (tahun-bulan)"},
            "periode_tahun_lalu": {"type": ["string", "null"]},
            "dibuat": {"type": "string", "description": "tanggal situs dibuat (ISO 8601)"},
            "aturan_kerahasiaan": {"type": "object", "properties": {
                "ambang_jumlah": {"type": "integer", "description": "k: tidak ada jumlah anak 1..k−1 yang terbit"},
                "komplemen": {"type": "boolean"}, "sekunder": {"type": "boolean"},
                "min_diukur": {"type": "integer", "description": "n: di bawahnya prevalensi ditandai data sedikit"}}},
            "kode_ditutup": {"type": "object", "additionalProperties": {"type": "string"}},
            "survei": {"type": "array", "items": {"type": "object", "properties": {
                "tahun": {"type": "integer"}, "survei": {"type": "string"}, "prevalensi_pct": {"type": "number"},
                "keandalan": {"type": "string", "enum": list(p.keandalan_survei)},
                "keandalan_arti": {"type": "string"}, "rujukan": {"type": "string"}}}},
            "register": {"type": "array", "items": {"type": "object", "properties": {
                "tahun": {"type": "integer"}, "periode": {"type": "string"},
                "diukur": {"type": ["integer", "null"], "not": {"type": "integer", "minimum": 1, "maximum": p.k - 1}},
                "prevalensi_pct": num, "ci_bawah": num, "ci_atas": num}}},
            "akuntansi": {"type": "array", "items": {"type": "object", "properties": {
                "kode": {"type": "string"}, "keterangan": {"type": "string"},
                "baris": {"type": ["integer", "null"], "not": {"type": "integer", "minimum": 1, "maximum": p.k - 1}},
                "baris_ditutup": {"type": "string"}}}},
            **{level: {"type": "array", "items": {"$ref": "#/$defs/baris"},
                       "description": f"satu baris per {NAMA_TINGKAT[level].lower()}"} for level in LEVELS},
        },
        "$defs": {"baris": baris},
    }


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM so Excel reads the names right; point decimals; empty = none)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def xlsx_bytes(tb: Terbitan, p: Pengaturan, dibuat: str) -> bytes:
    """The workbook: ``Keterangan`` (columns and rule) and one sheet per table."""
    ds = tb.sumber
    about = [("Wilayah", f"{ds.nama} ({ds.kab})"), ("Tahun", str(ds.tahun)),
             ("Putaran penimbangan", ds.periode), ("Dibuat", dibuat),
             ("Aturan angka kecil", f"tidak ada jumlah anak 1–{p.k - 1} yang diterbitkan; sel kosong = "
                                    "ditutup (alasan di kolom *_ditutup) atau tidak ada data"),
             ("Data sedikit", f"kurang dari {p.min_diukur} balita diukur")]
    about += [(f"Kode ditutup: {c}", a) for c, a in kode_ditutup(p.k).items()]
    about += [(f"Kolom: {c.nama}", c.arti) for c in kolom_unduhan(p)]
    sheets = [("Keterangan", pd.DataFrame(about, columns=["Butir", "Keterangan"]))]
    sheets += [(NAMA_TINGKAT[lv].replace("/", " "), tabel_unduhan(tb, lv, p)) for lv in LEVELS]
    sheets += [("Akuntansi baris", tabel_akuntansi(tb)), ("Survei", tabel_survei(tb, p)),
               ("Register per tahun", tabel_register(tb))]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        for name, frame in sheets:
            frame.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes(1, 0)
            for i, c in enumerate(frame.columns):
                width = max([len(str(c))] + [len(str(v)) for v in frame[c].head(200)])
                ws.set_column(i, i, min(max(width + 2, 8), 60))
    return buf.getvalue()


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def berkas_unduhan(tb: Terbitan, p: Pengaturan, dibuat: str) -> dict[str, bytes]:
    """Every download file: name (relative to ``unduh/``) → content."""
    files = {f"prevalensi-{lv}.csv": csv_bytes(tabel_unduhan(tb, lv, p)) for lv in LEVELS}
    files["akuntansi-baris.csv"] = csv_bytes(tabel_akuntansi(tb))
    files["survei.csv"] = csv_bytes(tabel_survei(tb, p))
    files[XLSX_NAME] = xlsx_bytes(tb, p, dibuat)
    files[JSON_NAME] = json_bytes(dokumen_json(tb, p, dibuat))
    files[SCHEMA_NAME] = json_bytes(skema_json(p))
    return files
