"""Running the national data path: district partitions on local processes or on Dask.

``run(...)`` lists the district partitions of a register year, processes each one with
:func:`analysis.national.pipeline.process_district` — in this process (``workers=1``), on a pool
of local worker processes, or on a Dask cluster (``scheduler="tcp://host:8786"``, or a
``LocalCluster`` started here) — and then rolls the outputs up with DuckDB
(:mod:`analysis.national.rollup`). The figures do not depend on where a district ran: every
district is processed by the same function on its own rows.

Memory bound: a worker holds one district at a time, so the peak of each worker is that of the
largest district partition (about 250 MB + 1.1 kB per row of it, measured in
``benchmarks/bench_national.py``: 536 MB for 260,258 rows), and the whole run needs about
``workers`` times that plus the parent (~250–370 MB with the roll-up); the
number of districts does not matter. The roll-up reads only the small per-desa count files.
"""

from __future__ import annotations

import contextlib

import json
import multiprocessing
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import pandas as pd

from analysis.national import register, rollup
from analysis.national.pipeline import Task, peak_rss_mb, process_district

#: Per-district output tables (cleared before a run of the same year).
OUTPUT_TABLES = ("agregat_desa", "akuntansi", "pengukuran")
SUMMARY = "proses.json"


def kab_from_nodot(nodot: str) -> str:
    """``"6474"`` → ``"64.74"`` (Kemendagri kab/kota codes are ``PP.RR``)."""
    return f"{nodot[:2]}.{nodot[2:]}"


def tasks(register_root: str | Path, out_root: str | Path, tahun: int, *,
          today: str | None = None, simpan_pengukuran: bool = True) -> list[Task]:
    """One task per district partition of the year, largest first.

    Parameters
    ----------
    register_root : path
        Root holding ``register/tahun=Y/provinsi=P/kab=K/``.
    out_root : path
        Processed root.
    tahun : int
    today : str, optional
        ISO date for the "measurement in the future" rule (default: today).
    simpan_pengukuran : bool
        Write the analysed measurements too.

    Raises
    ------
    DataUnavailableError
        No partition for that year.
    """
    from analysis.errors import DataUnavailableError

    ydir = register.year_dir(register_root, tahun)
    folders = sorted(p for p in ydir.glob("provinsi=*/kab=*") if p.is_dir() and not p.name.endswith(".tmp"))
    if not folders:
        raise DataUnavailableError(
            f"Register nasional tahun {tahun} tidak ditemukan di {ydir}. Buat dulu dengan "
            f"'konvergensi demo-nasional --tahun {tahun}' atau arahkan --register ke folder yang benar.")
    meta = register.manifest(register_root, tahun) or {}
    names = meta.get("nama", {})
    sizes = {d["kab"]: int(d["baris"]) for d in meta.get("daftar", [])}
    today = today or pd.Timestamp.today().normalize().date().isoformat()
    out = []
    for folder in folders:
        nodot = folder.name.split("=", 1)[1]
        prov = folder.parent.name.split("=", 1)[1]
        kab = kab_from_nodot(nodot)
        size = sizes.get(kab) or sum(f.stat().st_size for f in folder.glob("part-*.parquet"))
        out.append(Task(kab=kab, kab_nodot=nodot, provinsi=prov, nama=names.get(kab, kab),
                        tahun=int(tahun), register_dir=str(folder), out_root=str(out_root),
                        today=today, simpan_pengukuran=simpan_pengukuran, baris=int(size)))
    out.sort(key=lambda t: (-t.baris, t.kab))
    return out


def warm() -> None:
    """Import the data path's modules and load the WHO tables once per worker process.

    Used as the initializer of local worker processes, so that each district's recorded time
    is the steady-state cost of the work (the one-off start-up is in the run's wall time).
    """
    import analysis.dataset  # noqa: F401
    import analysis.ingest.eppgbm  # noqa: F401
    import analysis.prevalence  # noqa: F401
    import analysis.stats  # noqa: F401  (imports scipy.stats)
    from analysis.growth.tables import load_tables

    load_tables()


def run_local(todo: list[Task], workers: int = 1,
              progress: Callable[[dict], None] | None = None) -> list[dict]:
    """Process tasks here (``workers <= 1``) or on ``workers`` local processes (spawn)."""
    results = []
    if workers <= 1:
        warm()
        for task in todo:
            results.append(process_district(task))
            if progress:
                progress(results[-1])
        return results
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm) as pool:
        futures = [pool.submit(process_district, t) for t in todo]
        for fut in as_completed(futures):
            results.append(fut.result())
            if progress:
                progress(results[-1])
    return results


def connect(scheduler: str, timeout: float = 15.0):
    """A ``distributed.Client`` for a running scheduler.

    Raises
    ------
    ParameterError
        The scheduler cannot be reached within ``timeout`` seconds (message in Indonesian).
    """
    from dask.distributed import Client

    from analysis.errors import ParameterError

    try:
        return Client(scheduler, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ParameterError(
            "scheduler", f"scheduler Dask '{scheduler}' tidak dapat dihubungi dalam "
                         f"{timeout:g} detik ({type(exc).__name__}). Periksa alamatnya (mis. "
                         "tcp://host:8786) dan bahwa 'dask scheduler' sedang berjalan.") from None


@contextlib.contextmanager
def dask_client(*, scheduler: str | None = None, workers: int = 2, client=None):
    """A Dask client for the duration of a ``with`` block.

    ``client`` is used as is and left open; otherwise a running ``scheduler`` is connected to,
    or a ``LocalCluster`` of ``workers`` single-threaded processes is started (one district or
    one report kernel per process at a time); what was opened here is closed on exit.
    """
    if client is not None:
        yield client
        return
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        own = connect(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        own = Client(cluster)
    try:
        yield own
    finally:
        own.close()
        if cluster is not None:
            cluster.close()


def run_dask(todo: list[Task], *, scheduler: str | None = None, workers: int = 2, client=None,
             progress: Callable[[dict], None] | None = None) -> list[dict]:
    """Process tasks on Dask.

    Parameters
    ----------
    todo : list of Task
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); its workers must see the register
        and output folders at the same paths (shared storage) and have ``konvergensi``
        installed. Without it a ``LocalCluster`` of ``workers`` processes is started here.
    workers : int
        Worker processes of the local cluster (one thread each).
    client : distributed.Client, optional
        An existing client (used as is, not closed).
    """
    from dask.distributed import as_completed as dask_completed

    with dask_client(scheduler=scheduler, workers=workers, client=client) as active:
        keys = [f"konvergensi-{t.tahun}-{t.kab_nodot}" for t in todo]
        futures = active.map(process_district, todo, key=keys, pure=False)
        results = []
        for fut in dask_completed(futures):
            results.append(fut.result())
            if progress:
                progress(results[-1])
        return results


def run(register_root: str | Path, out_root: str | Path, tahun: int, *, workers: int = 1,
        scheduler: str | None = None, dask: bool = False, client=None,
        simpan_pengukuran: bool = True, today: str | None = None,
        progress: Callable[[dict], None] | None = None) -> dict:
    """The whole national data path for one year; returns (and writes) the run summary.

    Parameters
    ----------
    register_root, out_root : path
    tahun : int
    workers : int
        Local worker processes (or Dask ``LocalCluster`` workers).
    scheduler : str, optional
        Dask scheduler address; implies ``dask``.
    dask : bool
        Use Dask (a ``LocalCluster`` when no scheduler or client is given).
    client : distributed.Client, optional
    simpan_pengukuran : bool
    today : str, optional
    progress : callable, optional
        Called with each district's result.

    Returns
    -------
    dict
        ``tahun, kabupaten, baris, dianalisis, dikeluarkan, anak, detik`` (wall seconds),
        ``detik_kabupaten`` (processing, wall), ``detik_kerja`` (sum of the districts' own
        times: the work without start-up), ``detik_ringkasan`` (roll-up), ``baris_per_detik``,
        ``rss_puncak_pekerja_mb`` (largest worker peak), ``rss_puncak_induk_mb``,
        ``baris_partisi_terbesar``, ``mesin`` (``lokal`` or ``dask``), ``pekerja``,
        ``pid_pekerja`` (processes that ran districts), ``rincian`` (per district: ``kab,
        baris, detik, rss_puncak_mb``),
        ``nasional`` (national prevalence row as a dict), ``folder``; written to
        ``<out>/ringkasan/tahun=Y/proses.json``.
    """
    t0 = time.perf_counter()
    todo = tasks(register_root, out_root, tahun, today=today, simpan_pengukuran=simpan_pengukuran)
    for table in OUTPUT_TABLES:
        stale = Path(out_root) / table / f"tahun={int(tahun)}"
        if stale.exists():
            shutil.rmtree(stale)
    use_dask = dask or scheduler is not None or client is not None
    if use_dask:
        results = run_dask(todo, scheduler=scheduler, workers=workers, client=client, progress=progress)
    else:
        results = run_local(todo, workers=workers, progress=progress)
    t1 = time.perf_counter()
    tables = rollup.rollup(out_root, tahun)
    folder = rollup.write(tables, out_root, tahun)
    t2 = time.perf_counter()
    per = pd.DataFrame(results)
    nasional = tables["nasional"].iloc[0].to_dict()
    summary = {
        "tahun": int(tahun),
        "kabupaten": int(len(per)),
        "baris": int(per["baris"].sum()),
        "dianalisis": int(per["dianalisis"].sum()),
        "dikeluarkan": int(per["dikeluarkan"].sum()),
        "anak": int(per["anak"].sum()),
        "detik": round(t2 - t0, 3),
        "detik_kabupaten": round(t1 - t0, 3),
        "detik_kerja": round(float(per["detik"].sum()), 3),
        "detik_ringkasan": round(t2 - t1, 3),
        "baris_per_detik": round(float(per["baris"].sum()) / max(t2 - t0, 1e-9), 1),
        "rss_puncak_pekerja_mb": round(float(per["rss_puncak_mb"].max()), 1),
        "rss_puncak_induk_mb": round(peak_rss_mb(), 1),
        "baris_partisi_terbesar": int(per["baris"].max()),
        "mesin": "dask" if use_dask else "lokal",
        "pekerja": int(workers) if scheduler is None and client is None else int(per["pid"].nunique()),
        "pid_pekerja": sorted(int(p) for p in per["pid"].unique()),
        "nasional": {k: (float(v) if isinstance(v, float) else int(v) if hasattr(v, "__int__") else v)
                     for k, v in nasional.items()},
        "folder": str(folder),
        "rincian": per[["kab", "baris", "detik", "rss_puncak_mb"]].sort_values("kab")
                   .round(4).to_dict("records"),
    }
    (folder / SUMMARY).write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    return summary
