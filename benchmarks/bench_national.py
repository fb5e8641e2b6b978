"""National data path: rows/s and peak memory for 1 M, 5 M and 20 M register rows.

What is measured, per size, each step in a *fresh subprocess* (so sizes do not inherit each
other's memory high-water mark):

1. ``gen``: the synthetic register is written (``analysis.national.register.generate``) with
   ``--gen-workers`` processes;
2. ``run``: the data path end to end (``analysis.national.runner.run``): every district
   partition read from Parquet → ingest row checks and accounting → z-scores → annual set →
   counts per desa, written as Parquet, then the DuckDB roll-up to kecamatan, kab/kota,
   province and Indonesia, with ``--workers`` local processes. Wall time, rows/s, µs per row,
   the peak RSS of the largest worker (``VmHWM``) and of the parent.

Size grows the way the register grows: with ``--kabupaten proporsional`` (default) the number
of districts is ``514 × rows / 20 M`` (26, 128, 514), so the partition sizes keep the same
distribution and a flat cost per row means the path is linear; 20 M rows is then exactly the
national data set (514 districts). ``--kabupaten 514`` keeps all districts at every size (small
sizes are then dominated by the fixed cost per district, reported as well).

Reports per minute (``--laporan K``): ``analisis-situasi`` (HTML) for the first K demo
districts, rendered with the local batch (``render-all``) on 1 and 2 worker processes and on a
Dask ``LocalCluster`` of 2 workers (``render-all --dask``), cache bypassed, each in a fresh process.

Baselines measured in the same run: ``compute_zscores`` alone on 1 M register rows
(``x z-score``: the whole path costs that many times the z-score kernel per row), and the
smallest size (``x kecil``: cost per row relative to the smallest size; flat ≈ 1).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_SIZES = (1_000_000, 5_000_000, 20_000_000)
NATIONAL_ROWS = 20_000_000
NATIONAL_DISTRICTS = 514


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb() -> float:
    """Peak RSS of the largest terminated child process (MB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def districts_for(rows: int, mode: str) -> int:
    """Number of districts for a size: proportional to the rows, or a fixed number."""
    if mode == "proporsional":
        return max(11, round(NATIONAL_DISTRICTS * rows / NATIONAL_ROWS))
    return int(mode)


# ----------------------------------------------------------------------------- children

def child_gen(rows: int, districts: int, root: Path, workers: int) -> dict:
    from analysis.national import params, register

    p = params.load(baris=rows, kabupaten=districts)
    t0 = time.perf_counter()
    meta = register.generate(root, p, workers=workers, force=True)
    seconds = time.perf_counter() - t0
    files = list(register.year_dir(root, p["tahun"]).rglob("part-*.parquet"))
    return {"rows": meta["baris"], "districts": meta["kabupaten"], "files": meta["bagian"],
            "seconds": seconds, "rows_per_second": meta["baris"] / seconds,
            "largest_partition": max(d["baris"] for d in meta["daftar"]),
            "bytes_on_disk": sum(f.stat().st_size for f in files),
            "peak_rss_parent_mb": _peak_mb(), "peak_rss_worker_mb": _children_peak_mb()}


def child_run(root: Path, workers: int, tahun: int) -> dict:
    from analysis.national import runner

    out = root / "hasil"
    t0 = time.perf_counter()
    summary = runner.run(root, out, tahun, workers=workers)
    seconds = time.perf_counter() - t0
    summary.update({"seconds": seconds, "peak_rss_parent_mb": _peak_mb(),
                    "peak_rss_child_mb": _children_peak_mb()})
    return summary


def child_baseline(rows: int) -> dict:
    """compute_zscores alone on ``rows`` typed register rows (best of 2)."""
    import pandas as pd

    from analysis.growth import compute_zscores
    from analysis.national import catalogue, params, register

    p = params.load(baris=rows, kabupaten=12)
    district = catalogue.districts(p).iloc[-1].to_dict()
    district["baris"] = rows
    frame = register.district_rows(district, p)
    growth_in = frame[["sex", "age_days", "weight_kg", "height_cm", "measure", "oedema"]].astype({"sex": "float64"})
    compute_zscores(growth_in.iloc[:1000])
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        compute_zscores(growth_in)
        best = min(best, time.perf_counter() - t0)
    del frame
    pd.DataFrame()  # keep pandas imported for the peak
    return {"rows": rows, "seconds": best, "us_per_row": best / rows * 1e6, "peak_rss_mb": _peak_mb()}


def child_reports(engine: str, workers: int, districts: int, out: Path) -> dict:
    """Render ``analisis-situasi`` (HTML) for ``districts`` demo districts; reports per minute."""
    from analysis import reference
    from analysis.national.reports import run_jobs_dask
    from analysis.render import batch, pipeline

    codes = sorted(reference.regencies(in_scope_only=True)["regency_code"])[:districts]
    pipeline.ensure_demo(codes)
    jobs = [pipeline.prepare("analisis-situasi", {"kab": c, "tahun": "2024"}, reports_dir=out,
                             formats="html") for c in codes]
    t0 = time.perf_counter()
    if engine == "dask":
        results = run_jobs_dask(jobs, workers=workers, force=True)
    else:
        results = batch.run_jobs(jobs, workers=workers, force=True, progress=False)
    seconds = time.perf_counter() - t0
    done = sum(r.status == "dirender" for r in results)
    return {"engine": engine, "workers": workers, "reports": len(jobs), "rendered": done,
            "failed": [r.label for r in results if r.status == "gagal"], "seconds": seconds,
            "reports_per_minute": done / seconds * 60}


def linearity(details: list[dict]) -> dict:
    """Least-squares ``seconds = fixed + per_row × rows`` over the districts of one run, and the
    same fit on the smaller and the larger half of the districts.

    Within one run every district meets the same machine load, so ``per_row_large / per_row_small``
    ≈ 1 means a district's cost grows linearly with its rows (no super-linear step).
    """
    import numpy as np

    rows = np.array([d["baris"] for d in details], dtype=float)
    secs = np.array([d["detik"] for d in details], dtype=float)

    def fit(mask):
        if mask.sum() < 3:
            return float("nan"), float("nan")
        b, a = np.polyfit(rows[mask], secs[mask], 1)
        return float(a), float(b * 1e6)

    median = float(np.median(rows))
    fixed, per_row = fit(np.ones(len(rows), dtype=bool))
    _, small = fit(rows <= median)
    _, large = fit(rows > median)
    return {"fixed_seconds_per_district": fixed, "us_per_row": per_row, "us_per_row_small_half": small,
            "us_per_row_large_half": large, "large_over_small": large / small if small else float("nan"),
            "median_rows": median}


def _child(args: list[str]) -> dict:
    cmd = [sys.executable, __file__, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------- driver

def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench_national", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    p.add_argument("--kabupaten", default="proporsional",
                   help="'proporsional' (514 × rows / 20 M) or a fixed number of districts")
    p.add_argument("--workers", type=int, default=2, help="processes of the data path")
    p.add_argument("--gen-workers", type=int, default=2, help="processes generating the register")
    p.add_argument("--one-worker-size", type=int, default=1_000_000,
                   help="also run this size with 1 worker (speed-up 1 → N workers); 0 = skip")
    p.add_argument("--baseline-rows", type=int, default=1_000_000)
    p.add_argument("--root", default=None, help="scratch folder (default data/national/bench)")
    p.add_argument("--keep", action="store_true", help="keep the generated data")
    p.add_argument("--laporan", type=int, default=0,
                   help="also measure reports per minute on this many demo districts (0 = skip)")
    p.add_argument("--laporan-saja", action="store_true", help="only the reports per minute")
    p.add_argument("--child", choices=["gen", "run", "baseline", "reports"], help=argparse.SUPPRESS)
    p.add_argument("--engine", default="lokal", help=argparse.SUPPRESS)
    p.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    p.add_argument("--districts", type=int, help=argparse.SUPPRESS)
    p.add_argument("--tahun", type=int, default=2024, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Run the benchmark; print the table; return the results (the runner saves them as JSON)."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.child:
        root = Path(args.root) if args.root else None
        if args.child == "gen":
            result = child_gen(args.rows, args.districts, root, args.gen_workers)
        elif args.child == "run":
            result = child_run(root, args.workers, args.tahun)
        elif args.child == "reports":
            result = child_reports(args.engine, args.workers, args.districts, root)
        else:
            result = child_baseline(args.rows)
        print(json.dumps(result, default=str))
        return result

    from analysis import config

    base = Path(args.root) if args.root else config.DATA_DIR / "national" / "bench"
    sizes = [] if args.laporan_saja else [int(s) for s in args.sizes.split(",") if s]
    reports = []
    if args.laporan:
        for engine, w in (("lokal", 1), ("lokal", 2), ("dask", 2)):
            print(f"reports: {args.laporan} x analisis-situasi, {engine}, {w} worker(s) ...", flush=True)
            r = _child(["--child", "reports", "--engine", engine, "--workers", str(w),
                        "--districts", str(args.laporan), "--root", str(base / f"laporan-{engine}-{w}")])
            reports.append(r)
            print(f"  {r['seconds']:.1f} s, {r['reports_per_minute']:.1f} reports/min", flush=True)
            shutil.rmtree(base / f"laporan-{engine}-{w}", ignore_errors=True)
        base_rate = reports[0]["reports_per_minute"]
        for r in reports:
            r["x_1_worker"] = r["reports_per_minute"] / base_rate
        if any(r["failed"] for r in reports):
            print("failed reports:", [r["failed"] for r in reports])
    if not sizes:
        for r in reports:
            print(f"{r['engine']:>6} {r['workers']} worker(s): {r['reports_per_minute']:.1f} reports/min "
                  f"({r['x_1_worker']:.2f} x 1 worker)")
        return {"ok": all(not r["failed"] for r in reports), "reports": reports}
    print(f"baseline: compute_zscores on {args.baseline_rows:,} register rows ...", flush=True)
    baseline = _child(["--child", "baseline", "--rows", str(args.baseline_rows)])
    print(f"  {baseline['us_per_row']:.3f} us/row", flush=True)
    results = []
    ok = True
    for n in sizes:
        k = districts_for(n, args.kabupaten)
        root = base / f"{n}"
        print(f"{n:,} rows, {k} districts: generating ...", flush=True)
        gen = _child(["--child", "gen", "--rows", str(n), "--districts", str(k), "--root", str(root),
                      "--gen-workers", str(args.gen_workers)])
        print(f"  generated in {gen['seconds']:.1f} s; data path with {args.workers} workers ...", flush=True)
        run = _child(["--child", "run", "--root", str(root), "--workers", str(args.workers)])
        one = None
        if args.one_worker_size and n == args.one_worker_size and args.workers != 1:
            print("  again with 1 worker ...", flush=True)
            one = _child(["--child", "run", "--root", str(root), "--workers", "1"])
        complete = (run["baris"] == n and run["dianalisis"] + run["dikeluarkan"] == run["baris"]
                    and run["kabupaten"] == k)
        ok &= complete
        entry = {
            "rows": n, "districts": k, "generate": gen, "run": run, "run_1_worker": one,
            "us_per_row": run["seconds"] / n * 1e6,
            "work_us_per_row": run["detik_kerja"] / n * 1e6,
            "rollup_seconds": run["detik_ringkasan"],
            "per_district_fit": linearity(run["rincian"]),
            "rows_per_second": n / run["seconds"],
            "x_zscore": (run["seconds"] / n * 1e6) / baseline["us_per_row"],
            "peak_rss_worker_mb": max(run["rss_puncak_pekerja_mb"], run["peak_rss_child_mb"]),
            "peak_rss_parent_mb": run["peak_rss_parent_mb"],
            "largest_partition": run["baris_partisi_terbesar"],
            "accounting_complete": complete,
        }
        if one:
            entry["speedup_1_to_n_workers"] = one["seconds"] / run["seconds"]
            entry["one_worker_peak_rss_mb"] = one["peak_rss_parent_mb"]
        results.append(entry)
        print(f"  {run['seconds']:.1f} s, {entry['rows_per_second']:,.0f} rows/s, "
              f"worker peak {entry['peak_rss_worker_mb']:.0f} MB", flush=True)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    first = results[0]["us_per_row"] if results else float("nan")
    first_work = results[0]["work_us_per_row"] if results else float("nan")
    for r in results:
        r["x_smallest"] = r["us_per_row"] / first
        r["work_x_smallest"] = r["work_us_per_row"] / first_work

    print()
    print(f"{'rows':>12} {'kab':>4} {'gen s':>7} {'path s':>8} {'rows/s':>9} {'us/row':>7} "
          f"{'x kecil':>7} {'work us':>7} {'x kecil':>7} {'x z-score':>9} {'largest':>8} "
          f"{'worker MB':>9} {'parent MB':>9}")
    for r in results:
        print(f"{r['rows']:>12,} {r['districts']:>4} {r['generate']['seconds']:>7.1f} "
              f"{r['run']['seconds']:>8.1f} {r['rows_per_second']:>9,.0f} {r['us_per_row']:>7.1f} "
              f"{r['x_smallest']:>7.2f} {r['work_us_per_row']:>7.1f} {r['work_x_smallest']:>7.2f} "
              f"{r['x_zscore']:>9.1f} {r['largest_partition']:>8,} "
              f"{r['peak_rss_worker_mb']:>9.0f} {r['peak_rss_parent_mb']:>9.0f}")
    print("us/row: wall time of the whole path (start-up, districts, roll-up) per row; work us: "
          "sum of the districts' own times per row (CPU work, any number of workers).")
    print()
    print("per district, seconds = fixed + us/row x rows (least squares within each run):")
    print(f"{'rows':>12} {'fixed s':>8} {'us/row':>7} {'small half':>10} {'large half':>10} {'large/small':>11}")
    for r in results:
        f = r["per_district_fit"]
        print(f"{r['rows']:>12,} {f['fixed_seconds_per_district']:>8.3f} {f['us_per_row']:>7.2f} "
              f"{f['us_per_row_small_half']:>10.2f} {f['us_per_row_large_half']:>10.2f} "
              f"{f['large_over_small']:>11.2f}")
    for r in results:
        if r.get("speedup_1_to_n_workers"):
            print(f"{r['rows']:,} rows: 1 worker {r['run_1_worker']['seconds']:.1f} s "
                  f"(peak {r['one_worker_peak_rss_mb']:.0f} MB), {args.workers} workers "
                  f"{r['run']['seconds']:.1f} s: speed-up {r['speedup_1_to_n_workers']:.2f}x")
    for r in reports:
        print(f"reports, {r['engine']} {r['workers']} worker(s): {r['reports_per_minute']:.1f} "
              f"reports/min ({r['x_1_worker']:.2f} x 1 worker)")
    ok &= all(not r["failed"] for r in reports)
    return {"ok": bool(ok), "workers": args.workers, "kabupaten_mode": args.kabupaten,
            "baseline_compute_zscores": baseline, "sizes": results, "reports": reports}


if __name__ == "__main__":
    main()
