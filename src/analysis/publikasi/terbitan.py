"""What the site publishes: the tables of :mod:`analysis.publikasi.data` after the small-count rule.

:func:`terbitkan` applies :mod:`analysis.publikasi.kerahasiaan` to every count of every level
(district, kecamatan, puskesmas, desa/kelurahan), of both years, and of the row accounting, and
blanks whatever is computed from a hidden count. Pages, map and downloads are built from its
result only, so no hidden value can reach a published file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.publikasi import kerahasiaan as kr
from analysis.publikasi.data import LEVELS, STATUSES, DataSitus
from analysis.publikasi.pengaturan import Pengaturan, pengaturan
from analysis.stats import diff_ci

#: Code of a status cell of a unit where nobody has a usable measurement.
TANPA_DATA = "tanpa_data"
#: Columns of a published level table (the status part repeats for every status).
KOLOM_TERBIT = ["kode", "nama", "induk", "jenis", "diukur", "kode_diukur", "perkiraan_balita",
                "cakupan_pct", "data_sedikit"] + [
    f"{c}_{s}" for s in STATUSES
    for c in ("jumlah", "pct", "ll", "ul", "kode", "pct_lalu", "perubahan", "bermakna")]


@dataclass
class Terbitan:
    """The published numbers of one district and year.

    Attributes
    ----------
    sumber : DataSitus
        What was published from (never written anywhere as such).
    tabel : dict of str to DataFrame
        Per level, :data:`KOLOM_TERBIT` (plus ``kec_code`` for desa): ``diukur`` and ``jumlah_<s>``
        are nullable integers, NA where hidden; ``kode_diukur``/``kode_<s>`` the reason
        (:mod:`~analysis.publikasi.kerahasiaan` codes, or :data:`TANPA_DATA`); ``pct/ll/ul_<s>``
        percent, NaN where hidden or without data; ``pct_lalu_<s>`` last year's published
        prevalence, ``perubahan_<s>`` the change in percentage points and ``bermakna_<s>``
        whether its 95 % interval (Newcombe) excludes 0, all NA unless both years are published;
        ``data_sedikit`` fewer than ``min_diukur`` children measured.
    akuntansi : DataFrame
        ``kode, keterangan, baris`` (nullable, NA where hidden), ``kode_baris``.
    register : DataFrame
        ``tahun, periode, diukur, prevalensi, ci_bawah, ci_atas`` per year (NaN where hidden).
    utama : dict
        ``prevalensi, ci_bawah, ci_atas`` (anthro interval), ``stunting``, ``dinilai`` (children
        with a usable HAZ, the denominator) and ``diukur`` (children measured); None where hidden.
    """

    sumber: DataSitus
    tabel: dict[str, pd.DataFrame]
    akuntansi: pd.DataFrame
    register: pd.DataFrame
    utama: dict


def persamaan(t: dict[str, pd.DataFrame], komponen: list[tuple[list[str], list[str]]]) -> list[kr.Persamaan]:
    """The sums linking the cells of one column of ``t`` (one year): ids are ``(level, kode)``.

    Parameters
    ----------
    t : dict of str to DataFrame
        :attr:`DataSitus.tabel` (or ``lalu``).
    komponen : list
        :attr:`DataSitus.komponen_puskesmas` of the same year.
    """
    kab = ("kabupaten", str(t["kabupaten"]["kode"].iloc[0]))
    eqs = [kr.Persamaan((kab,), tuple(("kecamatan", k) for k in t["kecamatan"]["kode"])),
           kr.Persamaan((kab,), tuple(("puskesmas", p) for p in t["puskesmas"]["kode"]))]
    desa = t["desa"]
    for kec in t["kecamatan"]["kode"]:
        eqs.append(kr.Persamaan((("kecamatan", kec),),
                                tuple(("desa", d) for d in desa.loc[desa["kec_code"] == kec, "kode"])))
    for pus, des in komponen:
        eqs.append(kr.Persamaan(tuple(("puskesmas", p) for p in pus), tuple(("desa", d) for d in des)))
    return eqs


def _long(tables: dict[str, pd.DataFrame], column: str) -> pd.Series:
    parts = []
    for level in LEVELS:
        t = tables[level]
        parts.append(pd.Series(t[column].to_numpy(), index=pd.MultiIndex.from_arrays(
            [[level] * len(t), t["kode"].to_numpy()])))
    return pd.concat(parts).astype(int)


def kode_sel(tables: dict[str, pd.DataFrame], eqs: list[kr.Persamaan], p: Pengaturan) -> dict[str, pd.Series]:
    """Suppression codes of ``anak`` and every ``jumlah_<s>``, long Series keyed by ``(level, kode)``."""
    rule = p.kerahasiaan
    anak = _long(tables, "anak")
    out = {"anak": kr.tekan(anak, p.k, persamaan=eqs, batas=pd.Series(int(anak.max()), index=anak.index),
                            sekunder=rule.sekunder)}
    for s in STATUSES:
        n = _long(tables, f"n_{s}")
        out[s] = kr.tekan(_long(tables, f"jumlah_{s}"), p.k, persamaan=eqs,
                          penyebut=n if rule.komplemen else None, batas=anak, sekunder=rule.sekunder)
    return out


def _masked(values: pd.Series, keep: np.ndarray) -> pd.arrays.IntegerArray:
    """Nullable integers: ``values`` where ``keep``, NA elsewhere."""
    out = pd.array(values.to_numpy(dtype=np.int64), dtype="Int64")
    out[~np.asarray(keep, dtype=bool)] = pd.NA
    return out


def _per_level(code: pd.Series, level: str, kode: pd.Series) -> np.ndarray:
    return code.loc[level].reindex(kode.to_numpy()).fillna(kr.TERBIT).to_numpy(dtype=object)


def _published(tables: dict[str, pd.DataFrame], codes: dict[str, pd.Series], level: str) -> pd.DataFrame:
    """Published columns of one level for one year: hidden counts NA, what derives from them NaN."""
    t = tables[level]
    out = pd.DataFrame({"kode": t["kode"].to_numpy()})
    a_code = _per_level(codes["anak"], level, t["kode"])
    out["diukur"] = _masked(t["anak"], a_code == kr.TERBIT)
    out["kode_diukur"] = a_code
    for s in STATUSES:
        c = _per_level(codes[s], level, t["kode"])
        c = np.where((t[f"n_{s}"].to_numpy() == 0), TANPA_DATA, c)
        shown = c == kr.TERBIT
        out[f"jumlah_{s}"] = _masked(t[f"jumlah_{s}"], shown | (c == TANPA_DATA))
        for col in ("pct", "ll", "ul"):
            out[f"{col}_{s}"] = np.where(shown, t[f"{col}_{s}"].to_numpy(dtype=float), np.nan)
        out[f"kode_{s}"] = c
    return out


def terbitkan(ds: DataSitus, p: Pengaturan | None = None) -> Terbitan:
    """Apply the small-count rule to everything the site shows.

    Parameters
    ----------
    ds : DataSitus
    p : Pengaturan, optional
        Default the package settings (``publikasi.yaml``).
    """
    p = p or pengaturan()
    codes = kode_sel(ds.tabel, persamaan(ds.tabel, ds.komponen_puskesmas), p)
    now = {lv: _published(ds.tabel, codes, lv) for lv in LEVELS}
    before = None
    if ds.lalu is not None:
        # last year only lends its prevalence to the change column: no count and no denominator of
        # last year is published, so no sum can be formed from it and the primary rule is enough
        codes_lalu = kode_sel(ds.lalu, [], p)
        before = {lv: _published(ds.lalu, codes_lalu, lv) for lv in LEVELS}
    tabel = {}
    for level in LEVELS:
        src, pub = ds.tabel[level], now[level]
        out = src[["kode", "nama", "induk", "jenis"] + (["kec_code"] if level == "desa" else [])].copy()
        out["diukur"] = pub["diukur"].array
        out["kode_diukur"] = pub["kode_diukur"].to_numpy()
        est = src["perkiraan_balita"].to_numpy(dtype=float)
        out["perkiraan_balita"] = est
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = np.where(est > 0, src["anak"].to_numpy(dtype=float) / est * 100, np.nan)
        out["cakupan_pct"] = np.where(pub["kode_diukur"].to_numpy() == kr.TERBIT, cov, np.nan)
        out["data_sedikit"] = (src["anak"] > 0) & (src["anak"] < p.min_diukur)
        lalu = before[level].set_index("kode").reindex(src["kode"]) if before else None
        lalu_src = ds.lalu[level].set_index("kode").reindex(src["kode"]) if ds.lalu else None
        for s in STATUSES:
            for col in ("jumlah", "pct", "ll", "ul", "kode"):
                out[f"{col}_{s}"] = pub[f"{col}_{s}"].array
            if lalu is None or lalu_src is None:
                out[f"pct_lalu_{s}"] = np.nan
                out[f"perubahan_{s}"] = np.nan
                out[f"bermakna_{s}"] = pd.array([pd.NA] * len(out), dtype="boolean")
                continue
            both = (pub[f"kode_{s}"].to_numpy() == kr.TERBIT) & (lalu[f"kode_{s}"].to_numpy() == kr.TERBIT)
            out[f"pct_lalu_{s}"] = np.where(both, lalu[f"pct_{s}"].to_numpy(dtype=float), np.nan)
            out[f"perubahan_{s}"] = np.where(both, out[f"pct_{s}"].to_numpy(dtype=float)
                                             - lalu[f"pct_{s}"].to_numpy(dtype=float), np.nan)
            d = diff_ci(src[f"jumlah_{s}"], src[f"n_{s}"],
                        lalu_src[f"jumlah_{s}"].fillna(0), lalu_src[f"n_{s}"].fillna(0))
            sig = pd.array(d["significant"].to_numpy(dtype=bool), dtype="boolean")
            sig[~both] = pd.NA
            out[f"bermakna_{s}"] = sig
        tabel[level] = out.reset_index(drop=True)
    return Terbitan(sumber=ds, tabel=tabel, akuntansi=_akuntansi(ds, p), register=_register(ds, p),
                    utama=_utama(ds, tabel["kabupaten"], p))


def _akuntansi(ds: DataSitus, p: Pengaturan) -> pd.DataFrame:
    acc = ds.akuntansi.reset_index(drop=True)
    rows = pd.Series(acc["baris"].to_numpy(dtype=int), index=acc["kode"].to_numpy())
    eq = [kr.Persamaan(("dibaca",), tuple(c for c in rows.index if c != "dibaca"))] if len(rows) > 1 else []
    code = kr.tekan(rows, p.k, persamaan=eq, batas=pd.Series(int(rows.max()), index=rows.index),
                    sekunder=p.kerahasiaan.sekunder)
    out = acc[["kode", "keterangan"]].copy()
    out["baris"] = _masked(rows, code.to_numpy() == kr.TERBIT)
    out["kode_baris"] = code.to_numpy()
    return out


def _register(ds: DataSitus, p: Pengaturan) -> pd.DataFrame:
    r = ds.register
    out = pd.DataFrame({"tahun": r["tahun"].astype(int), "periode": r["periode"].astype(str)})
    n = kr.primer(r["n"].astype(int), p.k)
    x = kr.primer(r["stunting"].astype(int), p.k, r["n"].astype(int) if p.kerahasiaan.komplemen else None)
    ok = ((n == kr.TERBIT) & (x == kr.TERBIT)).to_numpy()
    out["diukur"] = _masked(r["n"], (n == kr.TERBIT).to_numpy())
    for col in ("prevalensi", "ci_bawah", "ci_atas"):
        out[col] = np.where(ok, r[col].to_numpy(dtype=float), np.nan)
    return out


def _utama(ds: DataSitus, kab: pd.DataFrame, p: Pengaturan) -> dict:
    row = kab.iloc[0]
    u = ds.utama
    shown = row["kode_stunting"] == kr.TERBIT and kr.primer(pd.Series([int(u["n"])]), p.k).iloc[0] == kr.TERBIT
    return {"prevalensi": u["prevalensi"] if shown else None,
            "ci_bawah": u["ci_bawah"] if shown else None, "ci_atas": u["ci_atas"] if shown else None,
            "stunting": int(u["stunting"]) if shown else None,
            "dinilai": int(u["n"]) if shown else None,
            "diukur": None if pd.isna(row["diukur"]) else int(row["diukur"])}
