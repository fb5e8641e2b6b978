"""Where the demo children live: real desa, synthetic puskesmas and posyandu, hotspots.

Desa and kecamatan are the real Kemendagri ones of the district. Their relative size (no
public desa population exists) is drawn from a lognormal, kelurahan larger than rural desa.
A few kecamatan hold hotspots: there, a share of desa get a strongly negative HAZ component,
so that high-prevalence desa cluster as they do in real districts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import reference
from analysis.demo import settings

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Geography:
    """The desa and posyandu of one district.

    Attributes
    ----------
    desa : pandas.DataFrame
        One row per desa/kelurahan (position = desa index): ``kode_desa``, ``nama_desa``,
        ``jenis``, ``kode_kec``, ``nama_kec``, ``puskesmas``, ``bobot`` (share of the district's
        children), ``titik_panas`` (bool), ``efek_haz``, ``efek_whz``, ``faktor_cakupan``
        (relative measurement coverage), ``layanan`` (standardised service level: low where
        the HAZ component is low).
    posyandu : pandas.DataFrame
        One row per posyandu: ``desa`` (desa index), ``nama``.
    """

    desa: pd.DataFrame
    posyandu: pd.DataFrame


def _puskesmas(frame: pd.DataFrame, p: dict) -> np.ndarray:
    """Name a few puskesmas per kecamatan and assign each desa (in code order) to one."""
    out = np.empty(len(frame), dtype=object)
    for _, group in frame.groupby("kode_kec", sort=True):
        per = 4 if (group["jenis"] == "kelurahan").all() else int(p["desa_per_puskesmas"])
        n = int(min(p["puskesmas_maks_per_kecamatan"], max(1, int(np.ceil(len(group) / per)))))
        parts = np.array_split(np.arange(len(group)), n)
        for k, idx in enumerate(parts):
            if k == 0:
                name = f"Puskesmas {group['nama_kec'].iloc[0]}"
            else:
                name = f"Puskesmas {group['nama_desa'].iloc[idx[0]]}"
            out[group.index[idx]] = name
    return out


def build(d: settings.District, seed: int, children_per_round: float) -> Geography:
    """Desa attributes and posyandu for district ``d``.

    Parameters
    ----------
    d : settings.District
    seed : int
        Global seed.
    children_per_round : float
        Expected measured children per round (sets how many posyandu each desa has).

    Returns
    -------
    Geography
    """
    p = settings.params()
    pop, growth = p["populasi"], p["pertumbuhan"]
    rng = settings.rng_for(d.kab, seed, "geografi")
    v = reference.villages(d.kab).sort_values("village_code").reset_index(drop=True)
    desa = pd.DataFrame({
        "kode_desa": v["village_code"],
        "nama_desa": v["village_name"],
        "jenis": v["village_type"].where(v["village_type"] == "kelurahan", "desa"),
        "kode_kec": v["district_code"],
        "nama_kec": v["district_name"],
    })
    n = len(desa)
    size = rng.lognormal(0.0, pop["sigma_bobot_desa"], n)
    size *= np.where(desa["jenis"] == "kelurahan", pop["faktor_kelurahan"], 1.0)
    desa["bobot"] = size / size.sum()

    hot = growth["titik_panas"]
    kecs = np.array(sorted(desa["kode_kec"].unique()))
    n_hot_kec = max(1, int(round(hot["proporsi_kecamatan"] * len(kecs))))
    hot_kec = rng.choice(kecs, size=n_hot_kec, replace=False)
    in_hot_kec = desa["kode_kec"].isin(hot_kec).to_numpy()
    hotspot = in_hot_kec & (rng.random(n) < hot["proporsi_desa"])
    for kec in hot_kec:  # at least one hotspot desa in each hotspot kecamatan
        idx = np.flatnonzero(desa["kode_kec"].to_numpy() == kec)
        if not hotspot[idx].any():
            hotspot[rng.choice(idx)] = True
    desa["titik_panas"] = hotspot
    eff = rng.normal(0.0, growth["sd_desa_haz"], n) + np.where(hotspot, hot["efek_haz"], 0.0)
    desa["efek_haz"] = eff
    desa["efek_whz"] = growth["korelasi_desa_whz_haz"] * eff + rng.normal(0.0, growth["sd_desa_whz"], n)
    desa["faktor_cakupan"] = np.clip(rng.normal(1.0, pop["sd_cakupan_desa"], n) + 0.15 * eff, 0.55, 1.25)
    service = eff / max(float(np.std(eff)), 1e-9) + rng.normal(0.0, 0.6, n)
    desa["layanan"] = (service - service.mean()) / max(float(service.std()), 1e-9)
    desa["puskesmas"] = _puskesmas(desa, p["posyandu"])

    per_posyandu = float(pop["anak_per_posyandu"])
    counts = np.maximum(1, np.rint(desa["bobot"].to_numpy() * children_per_round / per_posyandu)).astype(int)
    names = p["posyandu"]["nama"]
    numbered = float(p["posyandu"]["proporsi_bernomor"])
    rows_desa, rows_name = [], []
    for i, c in enumerate(counts):
        bases = rng.choice(len(names), size=c, replace=c > len(names))
        seen: dict[int, int] = {}
        for b in bases:
            seen[b] = seen.get(b, 0) + 1
        used: dict[int, int] = {}
        for b in bases:
            used[b] = used.get(b, 0) + 1
            label = f"Posyandu {names[b]}"
            if seen[b] > 1 or rng.random() < numbered:
                label += f" {_ROMAN[min(used[b], len(_ROMAN)) - 1]}"
            rows_desa.append(i)
            rows_name.append(label)
    posyandu = pd.DataFrame({"desa": np.array(rows_desa, dtype=np.int64), "nama": rows_name})
    return Geography(desa=desa, posyandu=posyandu)
