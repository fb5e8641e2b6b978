"""The data path of one district partition: ingest rules → z-scores → aggregates, as Parquet.

:func:`process_district` is the unit of work of the national run (local processes or Dask
workers): it reads one district's register partition, applies the ingest row checks
(:func:`analysis.ingest.eppgbm.row_checks`) and the accounting with z-scores
(:func:`analysis.ingest.account`, which calls :func:`analysis.growth.compute_zscores`), takes
the annual analysis set as every report does (:func:`analysis.dataset.measurements_for_year`:
the last weighing round, one row per child) and counts the nutrition statuses per desa with
:func:`analysis.prevalence.status_counts` (same definitions as the district reports). There is
no second set of rules here.

Outputs of one district (``<out>`` = the processed root; ``tahun``, ``provinsi`` and ``kab``
are Hive partition folders, readable as columns by pandas, pyarrow and DuckDB; the dotted
district code is the column ``kab_code``)::

    <out>/agregat_desa/tahun=Y/provinsi=P/kab=K/part-0.parquet    counts per desa
    <out>/akuntansi/tahun=Y/provinsi=P/kab=K/part-0.parquet       rows per status and reason
    <out>/pengukuran/tahun=Y/provinsi=P/kab=K/part-0.parquet      analysed rows with z-scores

Memory: one district at a time; the peak of a worker is about 250 MB + 1.1 kB per register row
of the district (measured 536 MB for the largest of the national data set, 260,258 rows; see
``benchmarks/bench_national.py``).
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.prevalence import STATUS

#: Additive count columns of the desa aggregate (sums give kecamatan, district, province).
COUNT_COLUMNS = ["anak"] + [f"n_{s}" for s in STATUS] + [f"jumlah_{s}" for s in STATUS]
#: Keys of the desa aggregate stored in the file (``tahun``, ``provinsi`` and ``kab`` without
#: dots are the Hive partition folders, so they are not repeated as columns).
DESA_KEYS = ["kab_code", "kec_code", "desa_code"]
#: Columns of the accounting summary.
ACCOUNTING_KEYS = ["kab_code", "status", "alasan_kode"]


@dataclass(frozen=True)
class Task:
    """One district of one year to process (picklable; travels to workers).

    Attributes
    ----------
    kab, kab_nodot, provinsi, nama : str
        District code (``"64.74"``), code without dots, province code, name.
    tahun : int
    register_dir : str
        The district's register partition folder.
    out_root : str
        Processed root (outputs go to ``<out_root>/<table>/tahun=/provinsi=/kab=/``).
    today : str
        ISO date used by the "measurement in the future" rule.
    simpan_pengukuran : bool
        Also write the analysed measurements with their z-scores.
    baris : int
        Rows of the partition (from the manifest; for scheduling, largest first).
    """

    kab: str
    kab_nodot: str
    provinsi: str
    nama: str
    tahun: int
    register_dir: str
    out_root: str
    today: str
    simpan_pengukuran: bool = True
    baris: int = 0


def read_partition(folder: str | Path) -> pd.DataFrame:
    """All rows of a district partition (its ``part-*.parquet`` files in order)."""
    files = sorted(Path(folder).glob("part-*.parquet"))
    if not files:
        from analysis.errors import DataUnavailableError

        raise DataUnavailableError(f"Partisi register kosong: tidak ada berkas part-*.parquet di {folder}.")
    table = pa.concat_tables([pq.read_table(f) for f in files])
    return table.to_pandas()


def account_rows(rows: pd.DataFrame, kab: str, tahun: int, today: pd.Timestamp, source: str | Path):
    """Row checks and accounting of typed register rows with the ingest rules.

    Parameters
    ----------
    rows : DataFrame
        Typed rows (:data:`analysis.national.register.COLUMNS`).
    kab : str
    tahun : int
    today : Timestamp
    source : path
        Where the rows came from (recorded in the result).

    Returns
    -------
    analysis.ingest.EppgbmResult
        ``measurements`` (analysed rows with z-scores) and ``accounting`` (one row per input row).
    """
    from analysis.ingest.eppgbm import ParsedFile, account, first_reasons, row_checks

    rows = rows.reset_index(drop=True)
    code, column = first_reasons(row_checks(rows, today, places=True), rows.index)
    rows["alasan_kode"] = code
    rows["kolom"] = column
    parsed = ParsedFile(Path(source), rows, header_row=1, columns_found=list(rows.columns),
                        dropped_personal=[], ignored=[], kab=kab)
    return account([parsed], tahun)


def annual_set(measurements: pd.DataFrame, nama: str, tahun: int) -> pd.DataFrame:
    """The year's analysis set, as the reports take it (:func:`analysis.dataset.measurements_for_year`)."""
    from analysis.dataset import measurements_for_year

    return measurements_for_year(SimpleNamespace(measurements=measurements, nama=nama), tahun)


def desa_counts(annual: pd.DataFrame, *, kab: str) -> pd.DataFrame:
    """Status counts per desa (:func:`analysis.prevalence.status_counts`), additive columns only.

    Returns
    -------
    DataFrame ``kab_code, kec_code, desa_code`` + :data:`COUNT_COLUMNS` (int64).
    """
    from analysis.prevalence import status_counts

    counts = status_counts(annual, by=["kec_code", "desa_code"])
    counts = counts[["kec_code", "desa_code", *COUNT_COLUMNS]].copy()
    counts[COUNT_COLUMNS] = counts[COUNT_COLUMNS].astype("int64")
    counts.insert(0, "kab_code", pd.Series(kab, index=counts.index, dtype="string"))
    counts["kec_code"] = counts["kec_code"].astype("string")
    counts["desa_code"] = counts["desa_code"].astype("string")
    return counts


def accounting_counts(accounting: pd.DataFrame, *, kab: str) -> pd.DataFrame:
    """Input rows per status and reason: ``kab_code, status, alasan_kode`` (empty for analysed
    rows), ``jumlah``."""
    out = (accounting.assign(alasan_kode=accounting["alasan_kode"].fillna(""))
           .groupby(["status", "alasan_kode"], sort=True).size().rename("jumlah").reset_index())
    out.insert(0, "kab_code", pd.Series(kab, index=out.index, dtype="string"))
    out["jumlah"] = out["jumlah"].astype("int64")
    return out


def output_path(out_root: str | Path, table: str, tahun: int, provinsi: str, kab_nodot: str) -> Path:
    """``<out_root>/<table>/tahun=Y/provinsi=P/kab=K/part-0.parquet``."""
    return (Path(out_root) / table / f"tahun={int(tahun)}" / f"provinsi={provinsi}"
            / f"kab={kab_nodot}" / "part-0.parquet")


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Write atomically (a temporary name, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp, compression="zstd")
    os.replace(tmp, path)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB, ``VmHWM``; 0 where unavailable)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def process_district(task: Task) -> dict:
    """Run the data path on one district partition and write its outputs.

    Parameters
    ----------
    task : Task

    Returns
    -------
    dict
        ``kab, provinsi, baris`` (rows read), ``dianalisis``, ``dikeluarkan``, ``anak``
        (children in the annual set), ``detik`` (seconds), ``rss_puncak_mb`` (peak RSS of the
        process that ran it, MB), ``pid``.
    """
    t0 = time.perf_counter()
    rows = read_partition(task.register_dir)
    n_read = len(rows)
    result = account_rows(rows, task.kab, task.tahun, pd.Timestamp(task.today), task.register_dir)
    del rows
    measurements, accounting = result.measurements, result.accounting
    acc = accounting_counts(accounting, kab=task.kab)
    analysed = int((accounting["status"] == "dianalisis").sum())
    del result, accounting
    if len(measurements):
        annual = annual_set(measurements, task.nama, task.tahun)
        desa = desa_counts(annual, kab=task.kab)
        n_children = len(annual)
        del annual
    else:
        desa = pd.DataFrame({**{k: pd.Series(dtype="string") for k in DESA_KEYS},
                             **{c: pd.Series(dtype="int64") for c in COUNT_COLUMNS}})
        n_children = 0
    args = (task.out_root, task.tahun, task.provinsi, task.kab_nodot)
    _write(desa, output_path(args[0], "agregat_desa", *args[1:]))
    _write(acc, output_path(args[0], "akuntansi", *args[1:]))
    if task.simpan_pengukuran:
        stored = measurements.drop(columns=["tahun"])  # the year is the partition folder
        stored.insert(0, "kab_code", pd.Series(task.kab, index=stored.index, dtype="string"))
        _write(stored, output_path(args[0], "pengukuran", *args[1:]))
    return {"kab": task.kab, "provinsi": task.provinsi, "baris": int(n_read),
            "dianalisis": analysed, "dikeluarkan": int(n_read - analysed), "anak": int(n_children),
            "detik": time.perf_counter() - t0, "rss_puncak_mb": peak_rss_mb(), "pid": os.getpid()}


def task_dict(task: Task) -> dict:
    """The task as a plain dict (for logs and manifests)."""
    return asdict(task)
