"""The national catalogue: the 514 real kab/kota with their codes, names, population, kecamatan and desa.

Every district of the Kemendagri list (``analysis.reference``) takes part with its real code,
name, kecamatan and desa; the demo districts come first, then the others in code order, so a
small register (``--kabupaten 14``) holds the demo districts and the first few others. Rows
per district follow the Dukcapil population (December 2024); a district without a published
population would get an estimate (its number of desa times the national median of persons per
desa), marked in ``penduduk_sumber``.

Everything is deterministic: numpy Generators seeded from the global seed and
``zlib.crc32`` of the district code and a stream name (never Python's ``hash()``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import reference
from analysis.errors import ParameterError

#: ``penduduk_sumber`` of a district with a published population, and of an estimated one.
POPULATION_PUBLISHED = "Dukcapil 2024 semester II"
POPULATION_ESTIMATED = "perkiraan: jumlah desa x median penduduk per desa"


def rng_for(key: str, seed: int, stream: str) -> np.random.Generator:
    """A Generator seeded from the global seed, a district code (or other key) and a stream.

    Parameters
    ----------
    key : str
        District code (``"64.74"``) or another stable key.
    seed : int
        Global seed (``nasional.yaml``).
    stream : str
        Name of the random stream, so that one table's draws do not shift another's.
    """
    return np.random.default_rng([seed, zlib.crc32(key.encode()), zlib.crc32(stream.encode())])


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` summing exactly to ``total``."""
    share = weights / weights.sum() * total
    out = np.floor(share).astype(np.int64)
    rest = total - int(out.sum())
    if rest:
        order = np.argsort(-(share - out), kind="stable")
        out[order[:rest]] += 1
    return out


def population(regencies: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Population per district and its source; missing values estimated from the number of desa.

    Parameters
    ----------
    regencies : DataFrame
        ``population_total_2024s2`` (persons, may be missing) and ``n_villages``.

    Returns
    -------
    (ndarray of float, ndarray of str)
        Persons, and :data:`POPULATION_PUBLISHED` or :data:`POPULATION_ESTIMATED` per row.
    """
    published = pd.to_numeric(regencies["population_total_2024s2"], errors="coerce").to_numpy(dtype=float)
    desa = regencies["n_villages"].to_numpy(dtype=float)
    known = np.isfinite(published) & (published > 0)
    per_desa = float(np.median(published[known] / desa[known])) if known.any() else 0.0
    persons = np.where(known, published, np.round(desa * per_desa))
    return persons, np.where(known, POPULATION_PUBLISHED, POPULATION_ESTIMATED)


def districts(params: dict) -> pd.DataFrame:
    """The districts of the national register, with the rows each one holds.

    Parameters
    ----------
    params : dict
        :func:`analysis.national.params.load`.

    Returns
    -------
    DataFrame
        One row per district (the first ``params["kabupaten"]`` of the demo districts, then the
        others in code order): ``kab`` (``"64.74"``), ``kab_nodot`` (``"6474"``), ``provinsi``
        (``"64"``), ``nama``, ``demo`` (bool: a demo district), ``penduduk`` (persons),
        ``penduduk_sumber``, ``baris`` (measurement rows of the year; the column sums to
        ``params["baris"]``).
    """
    reg = reference.regencies()
    wanted = int(params["kabupaten"])
    if wanted > len(reg):
        raise ParameterError("kabupaten", f"paling banyak {len(reg)} kabupaten/kota (daftar Kemendagri), "
                             f"bukan {wanted}.")
    reg = reg.assign(_demo=reg["in_scope"] == 1).sort_values(["_demo", "regency_code"], ascending=[False, True])
    reg = reg.head(wanted).reset_index(drop=True)
    persons, source = population(reg)
    frame = pd.DataFrame({
        "kab": reg["regency_code"].astype(str).to_numpy(),
        "kab_nodot": reg["regency_code_nodot"].astype(str).to_numpy(),
        "provinsi": reg["province_code"].astype(str).to_numpy(),
        "nama": reg["regency_name"].astype(str).to_numpy(),
        "demo": reg["_demo"].to_numpy(dtype=bool),
        "penduduk": persons,
        "penduduk_sumber": source,
    })
    frame["baris"] = _largest_remainder(frame["penduduk"].to_numpy(), int(params["baris"]))
    return frame


@dataclass(frozen=True)
class Geography:
    """Desa and posyandu of one district.

    Attributes
    ----------
    desa : DataFrame
        ``kec_code``, ``desa_code``, ``nama_desa``, ``puskesmas``, ``bobot`` (share of the
        district's children), ``posyandu_awal`` and ``posyandu_n`` (slice of ``posyandu``).
    posyandu : numpy.ndarray of str
        Posyandu names.
    """

    desa: pd.DataFrame
    posyandu: np.ndarray


def geography(district: pd.Series | dict, params: dict) -> Geography:
    """The real desa of one district, with synthetic weights and posyandu.

    Parameters
    ----------
    district : row of :func:`districts`
    params : dict

    Returns
    -------
    Geography
    """
    kab = str(district["kab"])
    seed = int(params["seed"])
    rng = rng_for(kab, seed, "geografi")
    villages = reference.villages(kab).sort_values("village_code")
    desa = pd.DataFrame({
        "kec_code": villages["district_code"].astype(str).to_numpy(),
        "desa_code": villages["village_code"].astype(str).to_numpy(),
        "nama_desa": villages["village_name"].astype(str).to_numpy(),
        "puskesmas": ("Puskesmas " + villages["district_name"].astype(str)).to_numpy(),
    })
    n_desa = len(desa)
    desa["bobot"] = rng.lognormal(0.0, 0.6, n_desa)
    desa["bobot"] /= desa["bobot"].sum()
    lo, hi = (int(v) for v in params["posyandu_per_desa"])
    n_pos = rng.integers(lo, hi + 1, n_desa)
    desa["posyandu_awal"] = np.concatenate([[0], np.cumsum(n_pos)[:-1]])
    desa["posyandu_n"] = n_pos
    posyandu = np.array([f"Posyandu {name} {m}" for name, n in zip(desa["nama_desa"], n_pos, strict=True)
                         for m in range(1, n + 1)], dtype=object)
    return Geography(desa, posyandu)
