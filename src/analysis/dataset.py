"""Canonical tables of one district, all years, read once and cached as Parquet.

:func:`load_district` reads a district data package (``<data root>/<kab>/``) through
:mod:`analysis.ingest` and returns a :class:`DistrictData`. The result is cached under
``data/processed/<kab>/<key>/`` where the key is a checksum of every input file's path and
content, the package version, the reference manifest and the pseudonymisation salt's
fingerprint: any change to any of them reads the files again. (The "measured in the future"
rule uses the date of that first read; the cache keeps its decision, so a report does not change
from one day to the next on the same inputs.)

:func:`measurements_for_year` selects the measurements every annual prevalence is computed on
(the last weighing round of the year, one row per child), so that all reports agree.

Loading never generates data: the demo is made by the explicit step ``konvergensi demo``
(:func:`ensure_demo` is that step for callers who want it, e.g. the renderer); a district
missing from the demo folder is a :class:`~analysis.errors.DataUnavailableError` telling the
user to run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import __version__, config, reference
from analysis.errors import DataUnavailableError
from analysis.ingest import account, parse_file, privacy
from analysis.ingest.eppgbm import ACCOUNTING_COLUMNS, MEASUREMENT_COLUMNS
from analysis.ingest.tables import DISTRICT_TABLES, TABLES, empty_table, read_table

#: File-name pattern of e-PPGBM exports inside a year folder.
EPPGBM_PATTERN = re.compile(r"^eppgbm.*\.(csv|xlsx|xlsm|xls)$", re.IGNORECASE)
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")
#: Attribute of DistrictData holding each data-package table.
TABLE_ATTRIBUTES = {
    "profil_desa": "profil_desa", "cakupan_layanan": "coverage", "anggaran": "budget",
    "status_aksi": "aksi", "konvergensi_desa": "scorecard", "lokus": "lokus",
    "target_prevalensi": "targets",
}
#: Years the demo generator writes by default.
DEMO_YEARS = (2022, 2023, 2024)
_FRAMES = ("measurements", "accounting", *TABLE_ATTRIBUTES.values())


@dataclass
class DistrictData:
    """Everything known about one district, pseudonymised (see ``docs/architecture.md``).

    Attributes
    ----------
    kab, nama : str
        Kemendagri code (``"64.74"``) and official name (``"Kota Bontang"``).
    tahun_tersedia : list of int
        Years with a folder in the data package.
    measurements : DataFrame
        One row per analysed e-PPGBM row (``analysis.ingest.eppgbm.MEASUREMENT_COLUMNS``).
    accounting : DataFrame
        One row per input row of every e-PPGBM file (analysed or excluded, with the reason).
    profil_desa, coverage, budget, aksi, scorecard, lokus : DataFrame
        The yearly tables with a ``tahun`` column.
    targets : DataFrame
        ``target_prevalensi``.
    missing : list of str
        Tables not supplied: the table name when absent in every year, ``"<table>:<tahun>"``
        when absent only in some years (``"eppgbm:<tahun>"`` for a year without an export).
    """

    kab: str
    nama: str
    tahun_tersedia: list[int]
    measurements: pd.DataFrame
    accounting: pd.DataFrame
    profil_desa: pd.DataFrame
    coverage: pd.DataFrame
    budget: pd.DataFrame
    aksi: pd.DataFrame
    scorecard: pd.DataFrame
    lokus: pd.DataFrame
    targets: pd.DataFrame
    missing: list[str] = field(default_factory=list)

    def tabel_hilang(self, tahun: int) -> list[str]:
        """Tables missing for ``tahun``, in the order of :attr:`missing` (see :func:`missing_for_year`)."""
        return missing_for_year(self.missing, tahun)


def missing_for_year(missing: list[str], tahun: int) -> list[str]:
    """Table names missing for ``tahun`` from a ``DistrictData.missing`` list (unique, in order).

    The encoding (written by :func:`read_district`): a table's name when it is absent in every
    year, ``"<table>:<tahun>"`` when absent only in some. ``"anggaran"`` and
    ``"anggaran:2024"`` both give ``"anggaran"`` for 2024; ``"anggaran:2023"`` is ignored.
    """
    names = [m.split(":")[0] for m in missing if ":" not in m or m.endswith(f":{int(tahun)}")]
    return list(dict.fromkeys(names))


def year_folders(district_dir: Path) -> dict[int, Path]:
    """``{tahun: folder}`` of the 4-digit year folders of a district."""
    return {int(p.name): p for p in sorted(district_dir.iterdir())
            if p.is_dir() and re.fullmatch(r"(19|20)\d\d", p.name)}


def eppgbm_files(year_dir: Path) -> list[Path]:
    """The e-PPGBM exports of one year folder, sorted by name."""
    return sorted(p for p in year_dir.iterdir() if p.is_file() and EPPGBM_PATTERN.match(p.name))


def table_file(folder: Path, name: str) -> Path | None:
    """The file of one table (``<name>.csv``/``.xlsx``...) in a folder, or None."""
    for suffix in TABLE_SUFFIXES:
        for candidate in (folder / f"{name}{suffix}", folder / f"{name}{suffix.upper()}"):
            if candidate.is_file():
                return candidate
    return None


def input_files(district_dir: Path) -> list[Path]:
    """Every input file of a district data package that :func:`load_district` reads."""
    files = [f for name in DISTRICT_TABLES if (f := table_file(district_dir, name))]
    for folder in year_folders(district_dir).values():
        files += eppgbm_files(folder)
        files += [f for name in TABLES if name not in DISTRICT_TABLES
                  and (f := table_file(folder, name))]
    return files


def demo_complete(root: Path, districts: list[str] | None = None,
                  years: tuple[int, ...] = DEMO_YEARS) -> bool:
    """True when the demo data package exists for every district and year."""
    codes = districts or list(reference.regencies(in_scope_only=True)["regency_code"])
    for kab in codes:
        d = Path(root) / kab
        if table_file(d, "target_prevalensi") is None:
            return False
        for year in years:
            if not (d / str(year)).is_dir() or not eppgbm_files(d / str(year)):
                return False
    return True


def ensure_demo(districts: list[str] | None = None) -> Path:
    """Generate the demo data (``config.DEMO_DIR``) for the districts if it is not complete.

    An explicit step (``konvergensi demo --jika-belum-ada`` does the same); :func:`load_district`
    never calls it.
    """
    if not demo_complete(config.DEMO_DIR, districts):
        from analysis import demo  # noqa: PLC0415  (the generator pulls Faker: ~1 s, only here)

        demo.generate(config.DEMO_DIR, districts=districts)
    return config.DEMO_DIR


def cache_key(kab: str, district_dir: Path) -> str:
    """Checksum of the inputs, the package version, the reference manifest and the salt."""
    digest = hashlib.sha256()
    digest.update(f"{kab}|{__version__}|{privacy.salt_fingerprint()}".encode())
    manifest = config.REFERENCE_DIR / "manifest.csv"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    ingest_dir = Path(__file__).parent / "ingest"
    for spec in sorted(ingest_dir.glob("*.csv")):
        digest.update(spec.read_bytes())
    for path in input_files(district_dir):
        digest.update(path.relative_to(district_dir).as_posix().encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:20]


def read_district(kab: str, district_dir: Path) -> DistrictData:
    """Read a district data package (no cache). See :func:`load_district`."""
    years = year_folders(district_dir)
    measurements: list[pd.DataFrame] = []
    accounting: list[pd.DataFrame] = []
    missing: list[str] = []
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    absent: dict[str, list[int]] = {name: [] for name in ("eppgbm", *TABLES)}
    for tahun, folder in years.items():
        files = eppgbm_files(folder)
        if files:
            result = account([parse_file(p, kab) for p in files], tahun)
            measurements.append(result.measurements)
            accounting.append(result.accounting)
        else:
            absent["eppgbm"].append(tahun)
        for name in TABLES:
            if name in DISTRICT_TABLES:
                continue
            path = table_file(folder, name)
            if path is None:
                absent[name].append(tahun)
            else:
                tables[name].append(read_table(name, path, kab=kab, tahun=tahun))
    for name in DISTRICT_TABLES:
        path = table_file(district_dir, name)
        if path is None:
            absent[name] = list(years) or [0]
        else:
            tables[name].append(read_table(name, path, kab=kab))
    for name, gone in absent.items():
        whole = name in DISTRICT_TABLES or len(gone) == len(years)
        if gone and whole:
            missing.append(name)
        elif gone:
            missing += [f"{name}:{t}" for t in gone]

    frames = {TABLE_ATTRIBUTES[name]: _combine(tables[name], empty_table(name)) for name in TABLES}
    return DistrictData(
        kab=kab,
        nama=reference.district_name(kab),
        tahun_tersedia=sorted(years),
        measurements=_combine(measurements, pd.DataFrame(columns=MEASUREMENT_COLUMNS)),
        accounting=_combine(accounting, pd.DataFrame(columns=ACCOUNTING_COLUMNS)),
        missing=missing,
        **frames,
    )


def _combine(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty


def _write_cache(data: DistrictData, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        for name in _FRAMES:
            getattr(data, name).to_parquet(tmp / f"{name}.parquet", index=False)
        meta = {"kab": data.kab, "nama": data.nama, "tahun_tersedia": data.tahun_tersedia,
                "missing": data.missing}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        try:
            os.replace(tmp, folder)
        except OSError:  # another process wrote the same key first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for stale in folder.parent.iterdir():
        if stale.is_dir() and stale != folder and not stale.name.startswith(".tmp-"):
            shutil.rmtree(stale, ignore_errors=True)


def _read_cache(folder: Path) -> DistrictData | None:
    meta_file = folder / "meta.json"
    if not meta_file.is_file():
        return None
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _FRAMES}
    except (OSError, ValueError):
        return None  # damaged cache: read the inputs again
    return DistrictData(kab=meta["kab"], nama=meta["nama"], tahun_tersedia=meta["tahun_tersedia"],
                        missing=meta["missing"], **frames)


def load_district(kab: str, data_root: Path | None = None) -> DistrictData:
    """All years of one district as canonical tables, cached as Parquet.

    Parameters
    ----------
    kab : str
        Kemendagri code, e.g. ``"64.74"``.
    data_root : Path, optional
        Folder holding ``<kab>/``; ``None`` means the demo data (``config.DEMO_DIR``), made
        beforehand by ``konvergensi demo`` (loading never generates it).

    Raises
    ------
    ParameterError
        Unknown district code.
    DataUnavailableError
        The district folder does not exist (for the demo: the command that makes it).
    InputFileError
        An input file cannot be used (the message names file, row and column).
    """
    kab = str(kab).strip()
    reference.district_name(kab)  # validates the code
    if data_root is None:
        district_dir = config.DEMO_DIR / kab
        if not district_dir.is_dir():
            raise DataUnavailableError(
                f"Data demo untuk {reference.district_name(kab)} ({kab}) belum ada di "
                f"{config.DEMO_DIR}. Buat data demo lebih dahulu dengan perintah "
                f"`konvergensi demo` (atau `konvergensi demo --kab {kab}`), atau berikan folder "
                "data sendiri.")
    else:
        district_dir = Path(data_root) / kab
    if not district_dir.is_dir():
        raise DataUnavailableError(
            f"Folder data kabupaten/kota {kab} tidak ditemukan: {district_dir}. Susunan yang "
            "diharapkan: <folder data>/<kode kab>/<tahun>/eppgbm*.csv (lihat data/README.md).")
    folder = config.PROCESSED_DIR / kab / cache_key(kab, district_dir)
    cached = _read_cache(folder)
    if cached is not None:
        return cached
    data = read_district(kab, district_dir)
    _write_cache(data, folder)
    return data


def measurements_for_year(data: DistrictData, tahun: int) -> pd.DataFrame:
    """Analysed measurements of the year's last weighing round, one row per child (the latest).

    Parameters
    ----------
    data : DistrictData
    tahun : int

    Raises
    ------
    DataUnavailableError
        No analysed measurement in that year.
    """
    m = data.measurements
    m = m[m["tahun"] == int(tahun)]
    if m.empty:
        years = sorted(set(data.measurements["tahun"].dropna().astype(int)))
        raise DataUnavailableError(
            f"Tidak ada data pengukuran e-PPGBM yang dapat dianalisis untuk {data.nama} tahun "
            f"{tahun}. Tahun yang tersedia: {', '.join(map(str, years)) or 'tidak ada'}.")
    last = m["periode"].max()
    m = m[m["periode"] == last]
    m = m.sort_values(["measure_date", "sumber_berkas", "baris"], kind="stable")
    return m.drop_duplicates("child_key", keep="last").sort_index().reset_index(drop=True)
