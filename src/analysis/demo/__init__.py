"""Demo districts: realistic, deterministic data packages for the 11 districts in scope.

``generate()`` writes, for each district, the data package of ``docs/architecture.md``
(``<kab>/target_prevalensi.csv`` and per year ``eppgbm.csv``/``eppgbm.xlsx``,
``profil_desa.csv``, ``cakupan_layanan.csv``, ``anggaran.csv``, ``status_aksi.csv``,
``konvergensi_desa.csv``, ``lokus.csv``) and a ``MANIFEST.json`` recording the seed, versions,
districts, years, file checksums and the faults injected (the ground truth for tests and for
``konvergensi validate``).

Modules: :mod:`.settings` (parameters from ``analysis/data/config/demo.yaml`` and reference data),
:mod:`.geography` (desa, puskesmas, posyandu, hotspots), :mod:`.population` (children and
rounds), :mod:`.lms` (WHO LMS inversion), :mod:`.lokus`, :mod:`.faults`, :mod:`.eppgbm`
(the export), :mod:`.tables` (the other tables), :mod:`.names` (synthetic names),
:mod:`.parallel` (optional worker processes).

``MANIFEST.json`` (UTF-8 JSON, no timestamps, so it is deterministic too)::

    generator, seed, tahun (list of years), versi (package and library versions, SHA-256 of
    demo.yaml and of the generator's source), kabupaten_tersedia (codes in the manifest), lengkap (all 11 districts present),
    kabupaten: {<kab>: {nama, berkas_eppgbm, berkas: {<relative path>: sha256},
        tahun: {<year>: {baris_eppgbm, anak_per_putaran: {<periode>: n}, anak_unik,
            kesalahan: {<fault>: rows}, posyandu_bermasalah: [...],
            timbangan_tidak_terkalibrasi: {posyandu, selisih_kg},
            prevalensi_register_target_pct, prevalensi_register_dihasilkan_pct,
            prevalensi_survei_pct, survei_asumsi, jumlah_lokus}}}}

Fault names are those of :data:`analysis.demo.faults.ROW_FAULTS` plus ``pembulatan_tinggi``,
``pembulatan_berat`` and ``timbangan_tidak_terkalibrasi``.

Run it with ``konvergensi demo`` (into ``data/demo/``), or from Python::

    from analysis import demo
    demo.generate(out_dir, districts=["64.74"], years=(2023, 2024))

Every generation parameter is in ``analysis/data/config/demo.yaml``; the benchmark is
``benchmarks/bench_demo.py`` (all 11 districts × 3 years, about 1.6 million e-PPGBM rows, in
roughly 20 s of CPU on the project machine).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

from analysis import config
from analysis.checksum import sha256_file

DEFAULT_YEARS: tuple[int, ...] = (2022, 2023, 2024)
DEFAULT_SEED = 20240817
MANIFEST = "MANIFEST.json"
TABLE_FILES = ("profil_desa.csv", "cakupan_layanan.csv", "anggaran.csv", "status_aksi.csv",
               "konvergensi_desa.csv", "lokus.csv")


def _versions() -> dict[str, str]:
    from analysis import __version__
    from analysis.demo import settings

    code = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        code.update(source.name.encode() + b"\0" + source.read_bytes())
    out = {"konvergensi": __version__, "skema_demo": str(settings.params().get("versi_skema", 1)),
           "demo_yaml_sha256": settings.params_checksum(), "kode_demo_sha256": code.hexdigest()}
    for package in ("numpy", "pandas", "faker", "xlsxwriter"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = ""
    return out


def _write_table(frame, path: Path, d) -> None:
    """Write a district table with the district's separator (decimal comma only after ';')."""
    sep = d.format["pemisah"]
    frame.to_csv(path, sep=sep, decimal="," if sep == ";" else ".", index=False,
                 encoding="utf-8", lineterminator="\n")


def _publish(tmp: Path, final: Path) -> None:
    """Replace ``final`` by the finished folder ``tmp``, tolerating a concurrent writer.

    Two processes generating the same district with the same seed write identical files, so
    whichever finishes last simply wins; readers never see a half-written folder.
    """
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if final.exists():
        try:
            final.rename(old)
        except FileNotFoundError:
            pass
    try:
        tmp.rename(final)
    except OSError:  # another process published in between: its files are the same
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _district(kab: str, out_dir: Path, years: tuple[int, ...], seed: int) -> dict:
    """Generate one district into ``out_dir/<kab>``; return its manifest entry."""
    from analysis.demo import eppgbm, faults, geography, population, settings, tables

    d = settings.district(kab, years)
    pop = settings.params()["populasi"]
    per_round = d.penduduk * float(pop["proporsi_balita"]) * d.cakupan_register
    geo = geography.build(d, seed, per_round)
    sim = population.simulate(d, geo, years, seed)
    first = min(years)

    tmp = out_dir / f".{kab}.{os.getpid()}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    _write_table(tables.target_prevalensi(d, years), tmp / "target_prevalensi.csv", d)
    entry_years = {}
    n_desa = len(geo.desa)
    for year in years:
        y = sim[year]
        folder = tmp / str(year)
        folder.mkdir()
        rows, counts, details = faults.inject(y.rows, geo.desa, geo.posyandu["nama"].to_numpy(), kab, year, seed)
        table, birth, measure = eppgbm.build(rows, d, geo.desa, geo.posyandu, year, seed)
        name = eppgbm.file_name(d)
        if name.endswith(".xlsx"):
            eppgbm.write_xlsx(table, birth, measure, folder / name, d, year, seed)
        else:
            eppgbm.write_csv(table, folder / name, d)

        clean = y.rows
        aug = clean[clean["periode"] == clean["periode"].max()]
        desa_aug = aug["desa"].to_numpy()
        whz, haz, age = aug["whz"].to_numpy(), aug["haz"].to_numpy(), aug["umur_hari"].to_numpy()
        counts_desa = {
            "diukur": y.measured,
            "gizi_buruk": np.bincount(desa_aug[whz < -3], minlength=n_desa),
            "gizi_kurang": np.bincount(desa_aug[(whz >= -3) & (whz < -2)], minlength=n_desa),
        }
        at_risk = np.bincount(desa_aug[(age < 731) & ((haz < -2) | (whz < -2))], minlength=n_desa)
        profil = tables.profil_desa(d, geo, y, year, first, seed)
        out = {
            "profil_desa.csv": profil,
            "cakupan_layanan.csv": tables.cakupan_layanan(d, geo, profil, counts_desa, year, first, seed),
            "anggaran.csv": tables.anggaran(d, geo, y.lokus, year, seed),
            "status_aksi.csv": tables.status_aksi(d, year, seed),
            "konvergensi_desa.csv": tables.konvergensi_desa(d, geo, profil, at_risk, y.lokus, year, first, seed),
            "lokus.csv": tables.lokus(d, geo, y.lokus, year, seed),
        }
        for file_name in TABLE_FILES:
            _write_table(out[file_name], folder / file_name, d)
        entry_years[str(year)] = {
            "baris_eppgbm": int(len(table)),
            "anak_per_putaran": {k: int(v) for k, v in clean["periode"].value_counts().sort_index().items()},
            "anak_unik": int(clean["anak"].nunique()),
            "kesalahan": counts,
            **details,
            "prevalensi_register_target_pct": round(y.target_pct, 3),
            "prevalensi_register_dihasilkan_pct": round(y.achieved_pct, 3),
            "prevalensi_survei_pct": d.survei[year],
            "survei_asumsi": year in d.survei_asumsi,
            "jumlah_lokus": int(len(y.lokus)),
        }

    final = out_dir / kab
    _publish(tmp, final)
    files = {p.relative_to(out_dir).as_posix(): sha256_file(p) for p in sorted(final.rglob("*")) if p.is_file()}
    return {"nama": d.nama, "berkas_eppgbm": eppgbm.file_name(d), "tahun": entry_years, "berkas": files}


def generate(out_dir: Path | None = None, districts: list[str] | None = None,
             years: tuple[int, ...] = DEFAULT_YEARS, seed: int = DEFAULT_SEED,
             progress: Callable[[str], None] | None = None, *,
             workers: int | None = None) -> list[Path]:
    """Write demo data packages and ``MANIFEST.json``.

    Parameters
    ----------
    out_dir : pathlib.Path, optional
        Data root to write into; ``None`` means ``config.DEMO_DIR``.
    districts : list of str, optional
        Kemendagri codes; ``None`` means all 11 in scope (:data:`settings.DISTRICTS`).
    years : tuple of int
        Years to generate (two weighing rounds each).
    seed : int
        Global seed; together with the district code it fixes every draw.
    progress : callable, optional
        Called with the district code after each district is written (in completion order).
    workers : int, optional
        Districts generated in parallel processes; ``None`` means ``proses_paralel`` of
        ``demo.yaml``, at most the number of CPUs and of districts. 1 runs in this process.

    Returns
    -------
    list of pathlib.Path
        The district folders written, in the order requested.

    Raises
    ------
    analysis.errors.ConfigError
        For a district code outside the demo configuration.

    Notes
    -----
    The same seed, parameters and package versions give identical files, byte for byte.
    An existing ``MANIFEST.json`` made with the same seed, years and parameters keeps its
    entries for districts not regenerated now, so the demo can be built piecewise.
    """
    from analysis.demo import settings

    out_dir = Path(out_dir) if out_dir is not None else config.DEMO_DIR
    codes = list(districts) if districts is not None else list(settings.DISTRICTS)
    years = tuple(sorted(int(y) for y in years))
    for kab in codes:
        settings.district(kab, years)  # fail early on an unknown code
    out_dir.mkdir(parents=True, exist_ok=True)
    versions = _versions()
    manifest_path = out_dir / MANIFEST
    entries: dict[str, dict] = {}
    if manifest_path.is_file():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        if old.get("seed") == seed and old.get("tahun") == list(years) and old.get("versi") == versions:
            entries = old.get("kabupaten", {})
    if workers is None:
        workers = int(settings.params().get("proses_paralel", 1))
    workers = max(1, min(workers, os.cpu_count() or 1, len(codes)))
    if workers == 1:
        for kab in codes:
            entries[kab] = _district(kab, out_dir, years, seed)
            if progress is not None:
                progress(kab)
    else:
        from analysis.demo import parallel

        sizes = {kab: float(settings.district(kab, years).penduduk) for kab in codes}
        entries.update(parallel.run(codes, sizes, out_dir, years, seed, workers, progress))
    written = [out_dir / kab for kab in codes]
    order = [k for k in settings.DISTRICTS if k in entries] + sorted(k for k in entries if k not in settings.DISTRICTS)
    manifest = {
        "generator": "analysis.demo",
        "seed": seed,
        "tahun": list(years),
        "versi": versions,
        "kabupaten_tersedia": list(order),
        "lengkap": all(k in entries for k in settings.DISTRICTS),
        "kabupaten": {k: entries[k] for k in order},
    }
    tmp = manifest_path.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(manifest_path)
    return written
