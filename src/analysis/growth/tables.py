"""WHO LMS tables, loaded from ``analysis/data/reference/who/`` into flat arrays for index lookups.

The CSVs are read as published (see ``analysis/data/reference/who/README.md``) and never retyped. Each
table becomes three flat float64 arrays (L, M, S) addressed by an integer index computed from
sex and the key (rounded age in days, or length in mm), so that a million lookups are three
numpy ``take`` calls instead of a join. Block 0 of every array (sex code 0) is all NaN: rows
that must not get a z-score point there and come out NaN without extra masking.
"""

# ruff: noqa: E741 -- l, m, s are the published names of the LMS method's parameters

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import ReferenceDataError

#: Table files of the indicators the project computes (``analysis/data/reference/who/<name>.csv``).
AGE_TABLES = {"haz": "lenanthro", "waz": "weianthro", "baz": "bmianthro"}
LENGTH_TABLES = {"wfl": ("wflanthro", "length"), "wfh": ("wfhanthro", "height")}


@dataclass(frozen=True)
class AgeTable:
    """An age-keyed LMS table (rows for sex 1, 2 and day 0..``max_day``).

    Attributes
    ----------
    l, m, s : numpy.ndarray of float64, shape ``(3 * (max_day + 1),)``
        Flat arrays; entry ``sex * (max_day + 1) + day``. Sex 0 is an all-NaN block.
    max_day : int
        Last day in the table (1826).
    unit_power : bool
        L = 1 on every row (true of ``lenanthro``): the z-score needs no power.
    """

    l: np.ndarray
    m: np.ndarray
    s: np.ndarray
    max_day: int
    unit_power: bool

    def index(self, sex: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Flat index for sex codes (0 = no z-score) and rounded days (already in range)."""
        return sex.astype(np.intp) * (self.max_day + 1) + day


@dataclass(frozen=True)
class LengthTable:
    """Weight-for-length and weight-for-height LMS rows in one flat array.

    Attributes
    ----------
    l, m, s : numpy.ndarray of float64, shape ``(3 * 2 * width,)``
        Entry ``(sex * 2 + which) * width + (k - k_min)`` where ``which`` is 0 for the length
        table (``wflanthro``), 1 for the height table (``wfhanthro``) and ``k`` the length in
        mm (tenths of a cm). NaN outside a table's range, in block sex 0, and in one padding
        column after the last row (the "upper neighbour" of the last row).
    k_min : int
        Smallest key in mm over both tables (450).
    width : int
        Keys per block (``k_max - k_min + 2``).
    """

    l: np.ndarray
    m: np.ndarray
    s: np.ndarray
    k_min: int
    width: int

    def index(self, sex: np.ndarray, which: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Flat index for sex codes, table choice (0 length, 1 height) and keys in mm."""
        return (sex.astype(np.intp) * 2 + which) * self.width + (k - self.k_min)


@dataclass(frozen=True)
class Tables:
    """All LMS tables the package needs."""

    haz: AgeTable
    waz: AgeTable
    baz: AgeTable
    wfhl: LengthTable


def _read(name: str) -> pd.DataFrame:
    path = config.WHO_DIR / f"{name}.csv"
    if not path.is_file():
        raise ReferenceDataError(f"Tabel standar pertumbuhan WHO tidak ditemukan: {path}")
    try:
        return pd.read_csv(path)
    except Exception as exc:  # a corrupt shipped file is a reference-data problem
        raise ReferenceDataError(f"Tabel WHO {path.name} tidak dapat dibaca: {exc}") from None


def _age_table(name: str) -> AgeTable:
    df = _read(name)
    max_day = int(df["age"].max())
    width = max_day + 1
    out = {c: np.full(3 * width, np.nan) for c in ("l", "m", "s")}
    for sex in (1, 2):
        part = df[df["sex"] == sex].sort_values("age")
        days = part["age"].to_numpy()
        # Every day must be present, otherwise a lookup would silently hit NaN.
        if len(days) != width or not np.array_equal(days, np.arange(width)):
            raise ReferenceDataError(
                f"Tabel WHO {name}.csv tidak lengkap: umur 0–{max_day} hari untuk jenis kelamin {sex}"
            )
        for c in out:
            out[c][sex * width: (sex + 1) * width] = part[c].to_numpy(dtype=np.float64)
    l_values = out["l"][width:]
    return AgeTable(out["l"], out["m"], out["s"], max_day, bool(np.all(l_values == 1.0)))


def _length_table() -> LengthTable:
    frames = []
    for which, (name, key) in enumerate(LENGTH_TABLES.values()):
        df = _read(name)
        # Keys are published in 0.1 cm steps; round once to integer mm for array addressing.
        k = np.rint(df[key].to_numpy(dtype=np.float64) * 10).astype(np.intp)
        frames.append((which, name, df, k))
    k_min = min(int(k.min()) for *_, k in frames)
    k_max = max(int(k.max()) for *_, k in frames)
    width = k_max - k_min + 2  # +1 padding column: the upper neighbour of the last row
    out = {c: np.full(3 * 2 * width, np.nan) for c in ("l", "m", "s")}
    for which, name, df, k in frames:
        for sex in (1, 2):
            sel = (df["sex"] == sex).to_numpy()
            ks = np.sort(k[sel])
            if len(ks) == 0 or not np.array_equal(ks, np.arange(ks[0], ks[-1] + 1)):
                raise ReferenceDataError(
                    f"Tabel WHO {name}.csv tidak lengkap: harus ada setiap 0,1 cm untuk jenis kelamin {sex}"
                )
            base = (sex * 2 + which) * width - k_min
            for c in out:
                out[c][base + k[sel]] = df.loc[sel, c].to_numpy(dtype=np.float64)
    return LengthTable(out["l"], out["m"], out["s"], k_min, width)


@cache
def load_tables() -> Tables:
    """Read the five WHO tables once per process.

    Returns
    -------
    Tables

    Raises
    ------
    analysis.errors.ReferenceDataError
        A table file is missing, unreadable or has a gap in its keys.
    """
    return Tables(
        haz=_age_table(AGE_TABLES["haz"]),
        waz=_age_table(AGE_TABLES["waz"]),
        baz=_age_table(AGE_TABLES["baz"]),
        wfhl=_length_table(),
    )
