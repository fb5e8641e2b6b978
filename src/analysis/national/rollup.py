"""National roll-up of the per-district outputs with DuckDB: desa → kecamatan → kab/kota →
province → Indonesia, plus the national row accounting.

The per-desa counts written by :func:`analysis.national.pipeline.process_district` are additive
(children with a usable z-score, children with the status), so every level is a ``SUM ... GROUP
BY`` over the Parquet files, done by DuckDB without loading the desa tables into pandas first.
Prevalence and its Wilson 95 % interval are then computed from the summed counts with
:func:`analysis.stats.wilson_ci`, exactly as :func:`analysis.prevalence.status_counts` does on
one frame; so a roll-up equals ``status_counts`` on all the rows at once.

Outputs (``<out>/ringkasan/tahun=Y/``): ``desa.parquet``, ``kecamatan.parquet``,
``kabupaten.parquet``, ``provinsi.parquet``, ``nasional.parquet``, ``akuntansi.parquet``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis.national.pipeline import COUNT_COLUMNS
from analysis.prevalence import with_rates

#: Grouping keys of each level.
LEVELS: dict[str, list[str]] = {
    "desa": ["tahun", "provinsi", "kab", "kec_code", "desa_code"],
    "kecamatan": ["tahun", "provinsi", "kab", "kec_code"],
    "kabupaten": ["tahun", "provinsi", "kab"],
    "provinsi": ["tahun", "provinsi"],
    "nasional": ["tahun"],
}


def _glob(out_root: Path, table: str, tahun: int) -> str:
    return str(Path(out_root) / table / f"tahun={int(tahun)}" / "*" / "*" / "*.parquet")


def rollup(out_root: str | Path, tahun: int, *, threads: int | None = None,
           memory_limit: str = "1GB") -> dict[str, pd.DataFrame]:
    """Sum the desa counts to every level and the accounting to the nation.

    Parameters
    ----------
    out_root : path
        Processed root holding ``agregat_desa/`` and ``akuntansi/``.
    tahun : int
    threads : int, optional
        DuckDB threads (default: DuckDB's choice).
    memory_limit : str
        DuckDB memory limit (it spills to disk beyond it).

    Returns
    -------
    dict of str to DataFrame
        Keys of :data:`LEVELS` and ``"akuntansi"`` (``tahun, status, alasan_kode, jumlah``);
        each level sorted by its keys, counts as int64, rates in percent.
    """
    import duckdb

    con = duckdb.connect(config={"memory_limit": memory_limit})
    if threads:
        con.execute(f"SET threads TO {int(threads)}")
    hive = "hive_partitioning = true, hive_types = {'tahun': BIGINT, 'provinsi': VARCHAR, 'kab': VARCHAR}"
    source = (f"(SELECT tahun, provinsi, kab_code AS kab, * EXCLUDE (tahun, provinsi, kab, kab_code) "
              f"FROM read_parquet('{_glob(out_root, 'agregat_desa', tahun)}', {hive}))")
    sums = ", ".join(f"CAST(SUM({c}) AS BIGINT) AS {c}" for c in COUNT_COLUMNS)
    out: dict[str, pd.DataFrame] = {}
    for name, keys in LEVELS.items():
        k = ", ".join(keys)
        frame = con.execute(f"SELECT {k}, {sums} FROM {source} GROUP BY {k} ORDER BY {k}").df()
        for key in keys:
            if key != "tahun":
                frame[key] = frame[key].astype("string")
        frame["tahun"] = frame["tahun"].astype("int64")
        out[name] = with_rates(frame)
    acc = f"read_parquet('{_glob(out_root, 'akuntansi', tahun)}', {hive})"
    out["akuntansi"] = con.execute(
        f"SELECT tahun, status, alasan_kode, CAST(SUM(jumlah) AS BIGINT) AS jumlah FROM {acc} "
        "GROUP BY ALL ORDER BY status, jumlah DESC, alasan_kode").df()
    con.close()
    return out


def write(tables: dict[str, pd.DataFrame], out_root: str | Path, tahun: int) -> Path:
    """Write the roll-up tables to ``<out_root>/ringkasan/tahun=Y/<name>.parquet``; return the folder."""
    folder = Path(out_root) / "ringkasan" / f"tahun={int(tahun)}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        tmp = folder / f".{name}.parquet.{os.getpid()}.tmp"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, folder / f"{name}.parquet")
    return folder
