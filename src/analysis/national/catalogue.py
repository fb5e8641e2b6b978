"""The national catalogue: 514 kab/kota with codes, names, population, kecamatan and desa.

The 11 in-scope districts of ``analysis/data/reference/wilayah`` keep their real Kemendagri codes,
names, population, kecamatan and desa. The other districts are synthetic: codes in the real
province codes (``nasional.yaml``), never equal to a code of the reference list, names
``"Kabupaten Sintetis 11.01"`` / ``"Kota Sintetis 11.71"``, a lognormal population and a
synthetic geography (``11.01.03`` kecamatan, ``11.01.03.2007`` desa).

Everything is deterministic: numpy Generators seeded from the global seed and
``zlib.crc32`` of the district code and a stream name (never Python's ``hash()``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Kemendagri numbering: kabupaten 01–69, kota from 71.
KOTA_FROM = 71
#: Every n-th synthetic district is a kota.
KOTA_EVERY = 5


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


def districts(params: dict) -> pd.DataFrame:
    """The districts of the national register, with the rows each one holds.

    Parameters
    ----------
    params : dict
        :func:`analysis.national.params.load`.

    Returns
    -------
    DataFrame
        One row per district (``params["kabupaten"]`` rows, the real ones first):
        ``kab`` (``"64.74"``), ``kab_nodot`` (``"6474"``), ``provinsi`` (``"64"``), ``nama``,
        ``nyata`` (bool: real reference district), ``penduduk`` (persons), ``baris``
        (measurement rows of the year; the column sums to ``params["baris"]``).
    """
    from analysis import reference

    regencies = reference.regencies()
    real = regencies[regencies["in_scope"] == 1].sort_values("regency_code")
    n_total = int(params["kabupaten"])
    real = real.head(n_total)
    taken = set(regencies["regency_code"].astype(str))
    provinces = [f"{int(p):02d}" for p in params["provinsi"]]
    rng = rng_for("katalog", int(params["seed"]), "penduduk")
    n_synth = n_total - len(real)
    population = rng.lognormal(np.log(float(params["penduduk_median"])),
                               float(params["penduduk_sigma"]), n_synth)
    next_kab = {p: 1 for p in provinces}
    next_kota = {p: KOTA_FROM for p in provinces}
    rows = [{"kab": r.regency_code, "provinsi": f"{int(r.province_code):02d}",
             "nama": r.regency_name, "nyata": True, "penduduk": float(r.population_total_2024s2)}
            for r in real.itertuples(index=False)]
    for i in range(n_synth):
        prov = provinces[i % len(provinces)]
        kota = (i % KOTA_EVERY) == KOTA_EVERY - 1
        counter = next_kota if kota else next_kab
        while f"{prov}.{counter[prov]:02d}" in taken:
            counter[prov] += 1
        code = f"{prov}.{counter[prov]:02d}"
        counter[prov] += 1
        taken.add(code)
        rows.append({"kab": code, "provinsi": prov,
                     "nama": f"{'Kota' if kota else 'Kabupaten'} Sintetis {code}",
                     "nyata": False, "penduduk": float(np.round(population[i]))})
    frame = pd.DataFrame(rows)
    frame.insert(1, "kab_nodot", frame["kab"].str.replace(".", "", regex=False))
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
    """The desa (real or synthetic) and posyandu of one district.

    Parameters
    ----------
    district : row of :func:`districts`
    params : dict

    Returns
    -------
    Geography
    """
    from analysis import reference

    kab = str(district["kab"])
    seed = int(params["seed"])
    rng = rng_for(kab, seed, "geografi")
    if bool(district["nyata"]):
        villages = reference.villages(kab).sort_values("village_code")
        desa = pd.DataFrame({
            "kec_code": villages["district_code"].astype(str).to_numpy(),
            "desa_code": villages["village_code"].astype(str).to_numpy(),
            "nama_desa": villages["village_name"].astype(str).to_numpy(),
            "puskesmas": ("Puskesmas " + villages["district_name"].astype(str)).to_numpy(),
        })
    else:
        n_kec = max(1, int(round(float(district["penduduk"]) / float(params["penduduk_per_kecamatan"]))))
        lo, hi = (int(v) for v in params["desa_per_kecamatan"])
        per_kec = rng.integers(lo, hi + 1, n_kec)
        kec = np.repeat(np.arange(1, n_kec + 1), per_kec)
        within = np.concatenate([np.arange(1, k + 1) for k in per_kec])
        kec_code = np.array([f"{kab}.{k:02d}" for k in kec], dtype=object)
        desa = pd.DataFrame({
            "kec_code": kec_code,
            "desa_code": [f"{c}.{2000 + j}" for c, j in zip(kec_code, within)],
            "nama_desa": [f"Desa Sintetis {c}.{2000 + j}" for c, j in zip(kec_code, within)],
            "puskesmas": [f"Puskesmas Sintetis {c}" for c in kec_code],
        })
    n_desa = len(desa)
    desa["bobot"] = rng.lognormal(0.0, 0.6, n_desa)
    desa["bobot"] /= desa["bobot"].sum()
    lo, hi = (int(v) for v in params["posyandu_per_desa"])
    n_pos = rng.integers(lo, hi + 1, n_desa)
    desa["posyandu_awal"] = np.concatenate([[0], np.cumsum(n_pos)[:-1]])
    desa["posyandu_n"] = n_pos
    posyandu = np.array([f"Posyandu {name} {m}" for name, n in zip(desa["nama_desa"], n_pos)
                         for m in range(1, n + 1)], dtype=object)
    return Geography(desa, posyandu)
