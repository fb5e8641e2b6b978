"""Benchmark of the input side: e-PPGBM parsing, ``load_district`` first read and cache read.

What it measures
----------------
A synthetic district the size of Kutai Kartanegara (``--children`` per round, default 45,000;
two rounds a year, February and August; ``--years`` 2022-2024: about 270,000 rows) is written
as a data package of CSV exports with the export's Indonesian headers, decimal commas, mixed
date formats and the personal columns (synthetic values), into a temporary folder. Then:

1. ``parse_file`` + ``account`` of one export (one round), best of ``--repeat``, rows per second;
2. ``load_district`` with an empty cache (every file read, pseudonymised, z-scored, accounted,
   written as Parquet): the "first read";
3. ``load_district`` again (Parquet cache hit), best of ``--repeat``.

Same-run baseline: ``pandas.read_csv(dtype=str)`` of the same single export (just reading the
text, no parsing), so the reader's cost is reported as a multiple of bare reading, which is
comparable across runs on a shared machine. The check: rows in = analysed + excluded.

Run with ``.venv/bin/python benchmarks/run.py ingest`` (options: ``--children 45000``,
``--years 2022,2023,2024``, ``--repeat 3``, ``--seed 20240817``, ``--kab 64.02``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TARGET_FIRST_READ_SECONDS = 30.0   # "only seconds" on the shared 2-core machine
TARGET_CACHE_SECONDS = 1.0


def synthetic_export(kab: str, n: int, year: int, month: int, seed: int) -> pd.DataFrame:
    """``n`` synthetic export rows (text cells) for one weighing round of district ``kab``."""
    from analysis import reference

    rng = np.random.default_rng([seed, year, month])
    villages = reference.villages(kab)
    pick = rng.integers(0, len(villages), n)
    child = np.arange(n)
    measured = pd.Timestamp(year=year, month=month, day=1) + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    age = rng.integers(1, 1820, n)
    birth = measured - pd.to_timedelta(age, unit="D")
    height = np.round(np.clip(50 + age / 1826 * 58 + rng.normal(-2, 4, n), 40, 125), 1)
    weight = np.round(np.clip(3.3 + age / 1826 * 13.5 + rng.normal(-0.5, 1.3, n), 1.5, 30), 1)
    formats = np.array(["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"])[rng.integers(0, 3, n)]
    birth_text = np.where(formats == "%d/%m/%Y", birth.strftime("%d/%m/%Y"),
                          np.where(formats == "%Y-%m-%d", birth.strftime("%Y-%m-%d"), birth.strftime("%d-%m-%Y")))
    sex = rng.integers(1, 3, n)
    nik = (villages["district_code"].str.replace(".", "", regex=False).to_numpy()[pick]
           + pd.Series(child % 9000 + 1000).astype(str).to_numpy() + "000000")
    comma = lambda x: pd.Series(x).map("{:.1f}".format).str.replace(".", ",", regex=False).to_numpy()  # noqa: E731
    return pd.DataFrame({
        "NIK": nik, "Nama": [f"ANAK SINTETIS {i}" for i in child], "JK": np.where(sex == 1, "L", "P"),
        "Tgl Lahir": birth_text, "BB Lahir": "3,1", "TB Lahir": "49", "Nama Ortu": "ORANG TUA SINTETIS",
        "Prov": "KALIMANTAN TIMUR", "Kab/Kota": reference.district_name(kab).upper(),
        "Kec": villages["district_name"].to_numpy()[pick], "Pukesmas": "Puskesmas Sintetis",
        "Desa/Kel": villages["village_name"].str.upper().to_numpy()[pick],
        "Posyandu": "Posyandu " + pd.Series(pick % 7).astype(str).to_numpy(), "RT": "001", "RW": "002",
        "Alamat": "Jalan Sintetis", "Usia Saat Ukur": "", "Tanggal Pengukuran": measured.strftime("%d/%m/%Y"),
        "Berat": comma(weight), "Tinggi": comma(height), "Cara Ukur": np.where(age < 731, "Terlentang", "Berdiri"),
        "LiLA": "", "BB/U": "", "ZS BB/U": "", "TB/U": "", "ZS TB/U": "", "BB/TB": "", "ZS BB/TB": "",
    })


def write_package(root: Path, kab: str, children: int, years: list[int], seed: int) -> list[Path]:
    files = []
    for year in years:
        folder = root / kab / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for month in (2, 8):
            path = folder / f"eppgbm_{year}-{month:02d}.csv"
            synthetic_export(kab, children, year, month, seed).to_csv(path, index=False, sep=";")
            files.append(path)
    return files


def _best(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench_ingest")
    parser.add_argument("--children", type=int, default=45_000)
    parser.add_argument("--years", default="2022,2023,2024")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240817)
    parser.add_argument("--kab", default="64.02")
    args = parser.parse_args(argv)
    years = [int(y) for y in args.years.split(",")]
    os.environ.setdefault("KONVERGENSI_SALT", "benchmark-salt")

    import analysis.growth  # noqa: F401  (import cost is not ingest cost)
    from analysis import config, dataset
    from analysis.ingest import account, parse_file

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = Path(tmp) / "data"
        config.PROCESSED_DIR = Path(tmp) / "processed"
        files = write_package(root, args.kab, args.children, years, args.seed)
        one = files[-1]
        size_mb = one.stat().st_size / 1e6
        baseline, _ = _best(lambda: pd.read_csv(one, sep=";", dtype=str, keep_default_na=False), args.repeat)
        single, result = _best(lambda: account([parse_file(one, args.kab)], years[-1]), args.repeat)
        rows_one = len(result.accounting)
        first, data = _best(lambda: dataset.load_district(args.kab, root), 1)
        cached, again = _best(lambda: dataset.load_district(args.kab, root), args.repeat)
        rows = len(data.accounting)
        analysed = int((data.accounting["status"] == "dianalisis").sum())
        ok = (rows == len(files) * args.children and rows == analysed + int((data.accounting["status"] == "dikeluarkan").sum())
              and len(again.measurements) == len(data.measurements))

    out = {
        "ok": bool(ok),
        "kab": args.kab, "children_per_round": args.children, "years": years, "files": len(files),
        "rows_total": rows, "rows_analysed": analysed,
        "one_file": {"rows": rows_one, "mb": round(size_mb, 1), "seconds": round(single, 3),
                     "rows_per_second": round(rows_one / single), "read_csv_seconds": round(baseline, 3),
                     "x_read_csv": round(single / baseline, 2)},
        "load_district_first_read_seconds": round(first, 2),
        "load_district_cache_seconds": round(cached, 3),
        "targets": {"first_read_seconds": TARGET_FIRST_READ_SECONDS, "cache_seconds": TARGET_CACHE_SECONDS},
    }
    print(f"ingest benchmark: {args.kab}, {len(files)} exports x {args.children:,} rows = {rows:,} rows")
    print(f"  one export ({size_mb:.1f} MB, {rows_one:,} rows): {single:.2f} s "
          f"({rows_one / single:,.0f} rows/s; {single / baseline:.1f} x bare read_csv {baseline:.2f} s)")
    print(f"  load_district, first read (all years, Parquet written): {first:.2f} s")
    print(f"  load_district from the Parquet cache: {cached:.3f} s")
    print(f"  check rows in = analysed + excluded: {'ok' if ok else 'FAILED'}")
    return out


if __name__ == "__main__":  # pragma: no cover
    import sys

    main(sys.argv[1:])
