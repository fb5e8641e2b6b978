"""The map data of the site: the district's shipped boundaries with the published figures.

Boundaries come from :func:`analysis.reference.boundaries` (kabupaten/kota, kecamatan, desa), are
simplified (``publikasi.yaml`` ``peta``) and written as GeoJSON inside a small script
(``data/peta.js``: browsers refuse to ``fetch`` a file from disk, a ``<script>`` they load).
A level without polygons for the district is left out; the page then says so.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from analysis import reference
from analysis.publikasi.data import STATUSES
from analysis.publikasi.pengaturan import Pengaturan
from analysis.publikasi.tampilan import legenda, properti_peta
from analysis.publikasi.terbitan import Terbitan

#: Map level → boundary level of :func:`analysis.reference.boundaries`.
LEVEL_BATAS = {"desa": "desa", "kecamatan": "kecamatan", "kabupaten": "kabkota"}


def _round_coords(obj: Any, decimals: int) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(c), decimals) for c in obj]
        return [_round_coords(o, decimals) for o in obj]
    return obj


def batas(kab: str, level: str, p: Pengaturan):
    """Simplified polygons of one district at one level (GeoDataFrame, possibly empty)."""
    geo = reference.boundaries(LEVEL_BATAS[level])
    geo = geo[geo["regency_code"].astype(str) == kab].copy()
    if len(geo) and p.peta.toleransi_derajat > 0:
        geo["geometry"] = geo.geometry.simplify(p.peta.toleransi_derajat, preserve_topology=True)
    return geo


def fitur(kab: str, level: str, rows: pd.DataFrame | None, p: Pengaturan, tahun_lalu: int,
          ada_lalu: bool) -> dict | None:
    """A GeoJSON FeatureCollection of one level (None when the district has no polygons there).

    Parameters
    ----------
    rows : DataFrame, optional
        Published rows of the level (:attr:`Terbitan.tabel`), joined on ``kode``; None draws
        bare outlines (the district's base layer).
    """
    geo = batas(kab, level, p)
    if geo.empty:
        return None
    by_code = rows.set_index("kode") if rows is not None else None
    features = []
    for _, g in geo.iterrows():
        if g.geometry is None or g.geometry.is_empty:
            continue
        props: dict[str, Any] = {"kode": str(g["code"]), "nama": str(g["name"])}
        if by_code is not None:
            if props["kode"] not in by_code.index:
                continue  # a polygon outside the Kemendagri list of the district
            row = by_code.loc[props["kode"]].copy()
            row["kode"] = props["kode"]
            props = properti_peta(row, p, tahun_lalu, ada_lalu)
        geometry = g.geometry.__geo_interface__
        features.append({"type": "Feature", "properties": props, "geometry": {
            "type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"],
                                                                   p.peta.desimal_koordinat)}})
    return {"type": "FeatureCollection", "features": features} if features else None


def sumber_batas() -> str:
    """Attribution of the boundaries from the reference manifest (publisher and licence)."""
    m = reference.manifest()
    row = m[m["file"] == reference.BOUNDARY_FILES["desa"]]
    if row.empty:
        return "batas wilayah: data rujukan konvergensi"
    r = row.iloc[0]
    publisher = str(r["publisher"]).split(" (")[0]  # the manifest's note in brackets is for developers
    return f"{publisher} (kode Kemendagri), lisensi {r['licence']}"


def data_peta(tb: Terbitan, p: Pengaturan) -> dict:
    """Everything the map script needs: layers, legend, colours, default status."""
    ds = tb.sumber
    ada_lalu = ds.lalu is not None
    layers = {lv: fitur(ds.kab, lv, tb.tabel[lv], p, ds.tahun - 1, ada_lalu) for lv in ("desa", "kecamatan")}
    return {
        "kab": ds.kab, "nama": ds.nama, "tahun": ds.tahun, "tahun_lalu": ds.tahun - 1, "ada_lalu": ada_lalu,
        "indikator": list(STATUSES), "legenda": legenda(p), "warna": list(p.warna_kelas),
        "warna_tanpa_data": p.warna_tanpa_data, "min_diukur": p.min_diukur, "k": p.k,
        "lapisan": {k: v for k, v in layers.items() if v is not None},
        "dasar": fitur(ds.kab, "kabupaten", None, p, ds.tahun - 1, ada_lalu),
        "sumber_batas": sumber_batas(),
    }


def skrip(data: dict) -> str:
    """``data/peta.js``: the map data as one assignment to ``window.PETA``."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.PETA={body};\n"
