"""Realistic data-entry faults, injected into a few posyandu and counted.

Real e-PPGBM exports carry the traces of manual entry: heights heaped on whole and half
centimetres, the same child entered twice on one day, weight and height typed into each
other's column, impossible dates, a decimal comma lost (7,5 kg becomes 75 kg), empty weight or
height, birth years from the wrong KIA book, an age column that disagrees with the dates,
desa names mistyped, weights heaped on half kilograms, a scale that is not calibrated. Each demo district-year gets
a few "problem posyandu" where these happen at the rates of ``demo.yaml`` (``kesalahan``).

Every faulted row receives exactly one fault, so the counts recorded in the manifest are the
ground truth the reader's row accounting and the quality checks can be tested against.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from analysis.demo import settings
from analysis.demo.population import EPOCH

#: Faults in the order they are drawn (heaping last: it applies to the remaining rows).
ROW_FAULTS = (
    "duplikat", "bb_tb_tertukar", "ukur_sebelum_lahir", "ukur_masa_depan", "tanggal_tidak_valid",
    "berat_salah_ketik", "berat_kosong", "tinggi_kosong", "berat_tinggi_kosong", "usia_60_bulan",
    "desa_tidak_dikenal", "usia_tidak_cocok",
)


def normalise(name: str) -> str:
    """Upper-case letters and digits only, without a leading Desa/Kelurahan/Kel. prefix."""
    text = re.sub(r"^\s*(DESA|KELURAHAN|KEL\.?)\s+", "", name.upper())
    return re.sub(r"[^A-Z0-9]", "", text)


def typo(name: str, known: set[str], rng: np.random.Generator) -> str:
    """A misspelling of ``name`` (two or three edits) that normalises to no known name."""
    letters = "abcdefghijklmnoprstuwy"
    for _ in range(50):
        chars = list(name)
        for _ in range(int(rng.integers(2, 4))):
            pos = int(rng.integers(0, len(chars)))
            action = int(rng.integers(0, 3))
            if action == 0 and len(chars) > 3:
                del chars[pos]
            elif action == 1:
                chars.insert(pos, letters[int(rng.integers(0, len(letters)))])
            else:
                chars[pos] = letters[int(rng.integers(0, len(letters)))]
        text = "".join(chars).strip()
        if text and normalise(text) not in known:
            return text
    return name + " Baru Ujung"


def _to_day(date: dt.date) -> int:
    return (date - EPOCH).days


def _future(day: int) -> int:
    """The same date with the year's last two digits swapped (2024 → 2042), or +20 years."""
    date = EPOCH + dt.timedelta(days=int(day))
    yy = date.year % 100
    swapped = 2000 + (yy % 10) * 10 + yy // 10
    year = swapped if swapped > date.year + 5 else date.year + 20
    return _to_day(date.replace(year=year, day=min(date.day, 28)))


def inject(rows: pd.DataFrame, desa: pd.DataFrame, posyandu_names: np.ndarray, kab: str,
           year: int, seed: int) -> tuple[pd.DataFrame, dict[str, int], dict]:
    """Inject the faults of one district-year.

    Parameters
    ----------
    rows : pandas.DataFrame
        Clean measurements of the year (:func:`analysis.demo.population.simulate`).
    desa : pandas.DataFrame
        The district's desa (``nama_desa`` by desa index).
    posyandu_names : numpy.ndarray
        Posyandu names by posyandu index.
    kab : str
    year : int
    seed : int

    Returns
    -------
    rows : pandas.DataFrame
        With faults, plus columns ``lahir_teks``, ``ukur_teks`` (a date written as impossible
        text, else empty), ``desa_teks`` (a mistyped desa name, else empty), ``kesalahan``
        (the fault of the row, empty when clean; kept internal, never written),
        ``usia_geser_bulan`` (months added to the written ``Usia Saat Ukur``, 0 when right).
    counts : dict of str to int
        Rows per fault (for ``duplikat``: the extra rows; for ``pembulatan_tinggi`` and
        ``pembulatan_berat``: values changed by heaping; for ``timbangan_tidak_terkalibrasi``:
        rows weighed with the biased scale).
    details : dict
        ``posyandu_bermasalah``: the problem posyandu (``"<desa>/<posyandu>"``);
        ``timbangan_tidak_terkalibrasi``: the posyandu with the biased scale and the bias in kg.
    """
    cfg = settings.params()["kesalahan"]
    rates = cfg["laju"]
    minimum = int(cfg["minimum"])
    rng = settings.rng_for(kab, seed, f"kesalahan-{year}")
    rows = rows.copy()
    for name in ("lahir_teks", "ukur_teks", "desa_teks", "kesalahan"):
        rows[name] = pd.Series(np.full(len(rows), "", dtype=object), index=rows.index, dtype=object)
    rows["usia_geser_bulan"] = np.zeros(len(rows), dtype=np.int64)

    present = np.unique(rows["posyandu"].to_numpy())
    k = max(1, int(round(cfg["proporsi_posyandu"] * len(present))))
    bad = np.sort(rng.choice(present, size=k, replace=False))
    # Rows without NIK are left alone: a duplicate of them could not be recognised as one.
    cand = np.flatnonzero(np.isin(rows["posyandu"].to_numpy(), bad) & (rows["nik"].to_numpy() != ""))
    cand = cand[rng.permutation(len(cand))]
    counts: dict[str, int] = {}
    taken = 0
    chosen: dict[str, np.ndarray] = {}
    for fault in ROW_FAULTS:
        n = max(minimum, int(rng.binomial(len(cand), float(rates[fault]))))
        n = min(n, len(cand) - taken)
        chosen[fault] = cand[taken:taken + n]
        taken += n
        counts[fault] = int(n)
    rest = cand[taken:]
    col = rows.columns.get_loc

    idx = chosen["bb_tb_tertukar"]
    w = rows.iloc[idx, col("berat")].to_numpy().copy()
    rows.iloc[idx, col("berat")] = rows.iloc[idx, col("tinggi")].to_numpy()
    rows.iloc[idx, col("tinggi")] = w

    idx = chosen["ukur_sebelum_lahir"]
    rows.iloc[idx, col("lahir")] = rows.iloc[idx, col("ukur")].to_numpy() + rng.integers(5, 300, len(idx))

    idx = chosen["ukur_masa_depan"]
    rows.iloc[idx, col("ukur")] = [_future(v) for v in rows.iloc[idx, col("ukur")].to_numpy()]

    idx = chosen["tanggal_tidak_valid"]
    which = rng.random(len(idx)) < 0.5
    for i, on_birth in zip(idx, which):
        column = "lahir" if on_birth else "ukur"
        day = EPOCH + dt.timedelta(days=int(rows.iat[i, col(column)]))
        rows.iat[i, col(f"{column}_teks")] = f"{int(rng.choice([30, 31]))}/02/{day.year}"

    idx = chosen["berat_salah_ketik"]
    rows.iloc[idx, col("berat")] = np.round(rows.iloc[idx, col("berat")].to_numpy() * 10.0, 1)

    rows.iloc[chosen["berat_kosong"], col("berat")] = np.nan
    rows.iloc[chosen["tinggi_kosong"], col("tinggi")] = np.nan
    rows.iloc[chosen["berat_tinggi_kosong"], col("berat")] = np.nan
    rows.iloc[chosen["berat_tinggi_kosong"], col("tinggi")] = np.nan

    idx = chosen["usia_60_bulan"]
    rows.iloc[idx, col("lahir")] = rows.iloc[idx, col("ukur")].to_numpy() - rng.integers(1830, 2500, len(idx))

    idx = chosen["desa_tidak_dikenal"]
    known = {normalise(x) for x in desa["nama_desa"]}
    names = desa["nama_desa"].to_numpy()
    for i in idx:
        rows.iat[i, col("desa_teks")] = typo(str(names[rows.iat[i, col("desa")]]), known, rng)

    idx = chosen["usia_tidak_cocok"]
    months = rows.iloc[idx, col("umur_hari")].to_numpy() / 30.4375
    shift = rng.integers(2, 13, len(idx)) * rng.choice([-1, 1], len(idx))
    shift = np.where(months + shift < 1, np.abs(shift), shift)
    rows.iloc[idx, col("usia_geser_bulan")] = shift

    for fault in ROW_FAULTS:
        if fault != "duplikat":
            rows.iloc[chosen[fault], col("kesalahan")] = fault

    heap = rest[rng.random(len(rest)) < float(rates["pembulatan_tinggi"])]
    old = rows.iloc[heap, col("tinggi")].to_numpy()
    new = np.round(old * 2.0) / 2.0
    changed = heap[new != old]
    rows.iloc[changed, col("tinggi")] = new[new != old]
    rows.iloc[changed, col("kesalahan")] = "pembulatan_tinggi"
    counts["pembulatan_tinggi"] = int(len(changed))

    # One problem posyandu weighs with a scale that is not calibrated: every weight is too high.
    in_rest = np.unique(rows.iloc[rest, col("posyandu")].to_numpy())
    scale_pos = int(rng.choice(in_rest if len(in_rest) else bad))
    bias = round(float(rng.uniform(float(cfg["timbangan_selisih_min"]), float(cfg["timbangan_selisih_maks"]))), 1)
    biased = rest[rows.iloc[rest, col("posyandu")].to_numpy() == scale_pos]
    rows.iloc[biased, col("berat")] = np.round(rows.iloc[biased, col("berat")].to_numpy() + bias, 1)
    counts["timbangan_tidak_terkalibrasi"] = int(len(biased))

    # Weights read to the nearest half kilogram on some rows (hanging dacin scales).
    wheap = rest[rng.random(len(rest)) < float(rates["pembulatan_berat"])]
    old = rows.iloc[wheap, col("berat")].to_numpy()
    new = np.round(old * 2.0) / 2.0
    changed = wheap[new != old]
    rows.iloc[changed, col("berat")] = new[new != old]
    counts["pembulatan_berat"] = int(len(changed))

    # Duplicates last: copies of clean rows, half of them re-entered with a slightly different weight.
    idx = chosen["duplikat"]
    dup = rows.iloc[idx].copy()
    nudge = np.where(rng.random(len(dup)) < 0.5, rng.choice([-0.1, 0.1], len(dup)), 0.0)
    dup["berat"] = np.round(dup["berat"].to_numpy() + nudge, 1)
    dup["kesalahan"] = "duplikat"
    rows = pd.concat([rows, dup], ignore_index=True)
    desa_of = rows["desa"].to_numpy()
    pos_of = rows["posyandu"].to_numpy()

    def label(b: int) -> str:
        return f"{names[desa_of[np.flatnonzero(pos_of == b)[0]]]}/{posyandu_names[b]}"

    details = {
        "posyandu_bermasalah": [label(b) for b in bad],
        "timbangan_tidak_terkalibrasi": {"posyandu": label(scale_pos), "selisih_kg": bias},
    }
    return rows, counts, details
