"""Benchmark of analysis.demo.generate: all 11 demo districts × 3 years (issue 3: ≤ 60 s).

What it measures
----------------
- The wall time and the CPU time (``time.process_time``) of one ``generate()`` call writing
  every district (default: the 11 in scope, 2022–2024) into a temporary folder, and the wall
  time of each district (from the ``progress`` callback).
- Rows written per district (e-PPGBM rows over all years, from ``MANIFEST.json``) and rows per
  second overall.
- A machine baseline measured in the same run (sorting 1 M floats, best of 5): the machine is
  shared, so the generation time is also reported as a multiple of that baseline, which is
  comparable across runs. CPU time is reported beside wall time because the wall time of a
  process on a loaded machine includes the time other processes had the cores.
- Correctness check (``ok``): the manifest is complete for the requested districts, every file
  it lists exists with the recorded SHA-256, and the e-PPGBM row counts it records are the
  rows in the files.

Run it with ``make bench`` or ``.venv/bin/python benchmarks/run.py demo``; options:
``--districts 64.74,64.11``, ``--years 2022,2023,2024``, ``--seed 20240817``, ``--keep DIR``
(write there and keep the files instead of a temporary folder).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

TARGET_SECONDS = 60.0  # issue 3: all districts, all years


def _baseline() -> float:
    data = np.random.default_rng(0).random(1_000_000)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        np.sort(data)
        best = min(best, time.perf_counter() - t)
    return best


def _rows(path: Path) -> int:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True).active
        return sum(1 for _ in ws.iter_rows(min_row=2, max_col=1, values_only=True))
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def _check(out: Path, districts: list[str]) -> list[str]:
    problems = []
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    for kab in districts:
        entry = manifest["kabupaten"].get(kab)
        if entry is None:
            problems.append(f"{kab}: not in manifest")
            continue
        for rel, digest in entry["berkas"].items():
            path = out / rel
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                problems.append(f"{rel}: missing or checksum differs")
        for year, info in entry["tahun"].items():
            path = out / kab / year / entry["berkas_eppgbm"]
            if path.is_file() and _rows(path) != info["baris_eppgbm"]:
                problems.append(f"{kab}/{year}: row count differs from manifest")
    return problems


def main(argv: list[str]) -> dict | None:
    """Generate the demo districts once, print a table, return the figures."""
    from analysis import demo
    from analysis.demo import settings

    parser = argparse.ArgumentParser(prog="bench_demo")
    parser.add_argument("--districts", default=",".join(settings.DISTRICTS))
    parser.add_argument("--years", default=",".join(str(y) for y in demo.DEFAULT_YEARS))
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args(argv)
    districts = [k.strip() for k in args.districts.split(",") if k.strip()]
    years = tuple(int(y) for y in args.years.split(","))

    baseline = _baseline()
    out = args.keep if args.keep is not None else Path(tempfile.mkdtemp(prefix="bench-demo-"))
    stamps: dict[str, float] = {}
    try:
        settings.params()  # parameters and reference files are part of the run, as for a user
        wall0, cpu0 = time.perf_counter(), time.process_time()
        demo.generate(out, districts=districts, years=years, seed=args.seed,
                      progress=lambda kab: stamps.__setitem__(kab, time.perf_counter()))
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
        problems = _check(out, districts)
    finally:
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)

    per = {}
    previous = wall0
    for kab in districts:
        entry = manifest["kabupaten"][kab]
        rows = sum(v["baris_eppgbm"] for v in entry["tahun"].values())
        per[kab] = {"nama": entry["nama"], "baris_eppgbm": rows,
                    "anak_per_putaran_agustus_terakhir": entry["tahun"][str(max(years))]["anak_per_putaran"].get(
                        f"{max(years)}-08"),
                    "detik": round(stamps[kab] - previous, 2)}
        previous = stamps[kab]
    total_rows = sum(v["baris_eppgbm"] for v in per.values())

    print(f"{'kab':<6} {'nama':<34} {'baris e-PPGBM':>14} {'anak Agt':>9} {'detik':>7}")
    for kab, v in per.items():
        print(f"{kab:<6} {v['nama']:<34} {v['baris_eppgbm']:>14,} {v['anak_per_putaran_agustus_terakhir'] or 0:>9,} {v['detik']:>7.2f}")
    print(f"total: {total_rows:,} rows, wall {wall:.1f} s, CPU {cpu:.1f} s "
          f"({total_rows / wall:,.0f} rows/s; {wall / baseline:,.0f} x baseline sort of 1 M floats "
          f"= {baseline * 1000:.1f} ms); target <= {TARGET_SECONDS:.0f} s: "
          f"{'met' if wall <= TARGET_SECONDS else 'NOT met'}")
    for p in problems:
        print("PROBLEM:", p)
    return {
        "ok": not problems,
        "problems": problems,
        "districts": districts,
        "years": list(years),
        "seed": args.seed,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "target_seconds": TARGET_SECONDS,
        "target_met": wall <= TARGET_SECONDS,
        "rows_total": total_rows,
        "rows_per_second": round(total_rows / wall),
        "baseline_sort_1m_seconds": round(baseline, 4),
        "x_baseline": round(wall / baseline, 1),
        "per_district": per,
    }


if __name__ == "__main__":
    import sys

    result = main(sys.argv[1:])
    sys.exit(0 if result and result.get("ok", True) else 1)
