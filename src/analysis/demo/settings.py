"""Generation parameters (``analysis/data/config/demo.yaml``) and the reference data they refer to.

One :class:`District` per demo district joins the YAML parameters with the real Kemendagri
names, codes and population (read through :mod:`analysis.reference`, the one reader of the
wilayah data) and the published survey series
(``analysis/data/reference/survei/stunting_prevalence.csv``). Other reference files are read
with ``dtype=str`` (codes such as ``64.10`` would otherwise become floats).
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from analysis import config, pengaturan, reference
from analysis.errors import ConfigError

#: The districts in scope, in report order: Kalimantan Timur's 10 kab/kota, then Kota Bengkulu.
DISTRICTS: tuple[str, ...] = (
    "64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.71", "64.72", "64.74",
    "17.71",
)


@cache
def params() -> dict:
    """The parsed ``analysis/data/config/demo.yaml``, validated by :class:`pengaturan.Demo`.

    The generator reads the file as plain data (the validated dict itself, not a re-dump of
    the model, so the generated files do not depend on pydantic's number handling).
    """
    pengaturan.demo()
    return config.load_settings("demo")


def target_2024(kode_provinsi: str) -> float:
    """The 2024 stunting target the demo's district paths head for (percent): the province's
    of ``target.yaml`` when it has one for 2024, otherwise the national target."""
    t = pengaturan.target()
    prov = t.provinsi.get(kode_provinsi)
    return prov.target_pct if prov is not None and prov.tahun == 2024 else t.nasional.target_pct


def params_checksum() -> str:
    """SHA-256 of ``demo.yaml`` as stored (recorded in the manifest)."""
    return hashlib.sha256((config.CONFIG_DIR / "demo.yaml").read_bytes()).hexdigest()


@cache
def _csv(relative: str) -> pd.DataFrame:
    return pd.read_csv(config.REFERENCE_DIR / relative, dtype=str, keep_default_na=False)


def indicators() -> pd.DataFrame:
    """The indicator catalogue ``indikator.csv``."""
    return _csv("indikator.csv")


def services() -> pd.DataFrame:
    """The desa scorecard services ``layanan_konvergensi.csv``."""
    return _csv("layanan_konvergensi.csv")


def survey() -> pd.DataFrame:
    """Published survey prevalence, ``prevalence_pct`` and ``year`` as numbers."""
    frame = _csv("survei/stunting_prevalence.csv").copy()
    frame["year"] = frame["year"].astype(int)
    frame["prevalence_pct"] = frame["prevalence_pct"].astype(float)
    return frame


def rng_for(kab: str, seed: int, stream: str) -> np.random.Generator:
    """A generator seeded from the global seed, the district code and a stream name.

    ``zlib.crc32`` (never Python's ``hash()``, which is salted per process) keeps the seed
    stable across runs and machines; separate streams keep one table's draws from shifting
    when another table's parameters change.
    """
    return np.random.default_rng([seed, zlib.crc32(kab.encode()), zlib.crc32(stream.encode())])


@dataclass(frozen=True)
class District:
    """Everything about one demo district that the generator needs.

    Attributes
    ----------
    kab : str
        Kemendagri code, e.g. ``"64.74"``.
    nama : str
        ``"Kota Bontang"``.
    jenis : str
        ``"kabupaten"`` or ``"kota"``.
    provinsi : str
        Province name (``"Kalimantan Timur"``).
    kode_provinsi : str
    penduduk : int
        Dukcapil population, December 2024.
    survei : dict of int to float
        Survey prevalence (%) for the generated years and the year before the first.
    survei_asumsi : list of int
        Years whose survey value is a demo assumption or an interpolation.
    rasio_register, cakupan_register : float
    anggaran_2024 : float
        Stunting budget across OPD in 2024 (rupiah).
    format : dict
        Export format (``berkas``, ``pemisah``, ``desimal``, ``encoding``, ``format_tanggal``…).
    jumlah_lokus : dict of int to int
    target_prevalensi : dict of int to float
        Targets stated by the district itself (others follow the provincial path).
    """

    kab: str
    nama: str
    jenis: str
    provinsi: str
    kode_provinsi: str
    penduduk: int
    survei: dict[int, float]
    survei_asumsi: list[int]
    rasio_register: float
    cakupan_register: float
    anggaran_2024: float
    format: dict
    jumlah_lokus: dict[int, int] = field(default_factory=dict)
    target_prevalensi: dict[int, float] = field(default_factory=dict)

    @property
    def kepala(self) -> str:
        """Head of the region as written in decrees: ``Bupati`` or ``Wali Kota``."""
        return "Bupati" if self.jenis == "kabupaten" else "Wali Kota"

    @property
    def regulasi(self) -> str:
        """``Perbup`` or ``Perwali``."""
        return "Perbup" if self.jenis == "kabupaten" else "Perwali"


def _survey_series(kab: str, spec: dict, years: tuple[int, ...]) -> tuple[dict[int, float], list[int]]:
    frame = survey()
    own = frame[frame["area_code"] == kab].set_index("year")["prevalence_pct"].to_dict()
    assumed = {int(k): float(v) for k, v in (spec.get("survei_asumsi") or {}).items()}
    wanted = range(min(years) - 1, max(years) + 1)
    series: dict[int, float] = {}
    flagged: list[int] = []
    for year in wanted:
        if year in own:
            series[year] = float(own[year])
        elif year in assumed:
            series[year] = assumed[year]
            flagged.append(year)
    known = sorted(series)
    if not known:
        raise ConfigError(f"Tidak ada angka survei maupun asumsi untuk {kab} di demo.yaml")
    for year in wanted:
        if year not in series:
            series[year] = float(np.interp(year, known, [series[k] for k in known]))
            flagged.append(year)
    return series, sorted(flagged)


def district(kab: str, years: tuple[int, ...]) -> District:
    """Build the :class:`District` for ``kab`` from the YAML and the reference data.

    Raises
    ------
    ConfigError
        When the code is not in scope or has no parameters in ``demo.yaml``.
    """
    p = params()
    specs = p.get("kabupaten") or {}
    if kab not in specs:
        raise ConfigError(f"Kabupaten/kota {kab} tidak ada di analysis/data/config/demo.yaml (bagian 'kabupaten')")
    spec = specs[kab]
    reg = reference.regencies().set_index("regency_code")
    if kab not in reg.index:
        raise ConfigError(f"Kode {kab} tidak ada di data rujukan wilayah (analysis.reference.regencies)")
    row: dict = reg.loc[kab].to_dict()
    fmt = dict(p["format_bawaan"])
    fmt.update(spec.get("format") or {})
    series, flagged = _survey_series(kab, spec, years)
    return District(
        kab=kab,
        nama=str(row["regency_name"]),
        jenis=str(row["regency_type"]),
        provinsi=str(row["province_name"]),
        kode_provinsi=str(row["province_code"]),
        penduduk=int(row["population_total_2024s2"]),
        survei=series,
        survei_asumsi=flagged,
        rasio_register=float(spec["rasio_register"]),
        cakupan_register=float(spec["cakupan_register"]),
        anggaran_2024=float(spec["anggaran_miliar_2024"]) * 1e9,
        format=fmt,
        jumlah_lokus={int(k): int(v) for k, v in (spec.get("jumlah_lokus") or {}).items()},
        target_prevalensi={int(k): float(v) for k, v in (spec.get("target_prevalensi") or {}).items()},
    )
