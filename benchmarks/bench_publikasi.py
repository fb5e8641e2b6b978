"""Cost of the publication site: ``python benchmarks/run.py publikasi [--kab 64.02] [--ulang 3]``.

Per district (demo data 2024, loaded from the Parquet cache before timing): the small-count
rule with the primary rule only (the baseline), with the interval pass, with the interval pass
and the exact LP audit (what the site uses), and the whole build (``bangun_situs``: rule, map,
downloads, pages, atomic write). Ratios are against the baseline measured in the same run,
median of ``--ulang`` repetitions.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis import dataset
from analysis.publikasi import bangun_situs, data, terbitan
from analysis.publikasi import kerahasiaan as kr
from analysis.publikasi.pengaturan import pengaturan


def _median(fn, repeat: int) -> float:
    fn()  # warm-up (imports, caches), not timed
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _rule(ds, mode: str) -> None:
    p = pengaturan()
    eqs = terbitan.persamaan(ds.tabel, ds.komponen_puskesmas)
    anak = terbitan._long(ds.tabel, "anak")
    for s in data.STATUSES:
        x = terbitan._long(ds.tabel, f"jumlah_{s}")
        n = terbitan._long(ds.tabel, f"n_{s}")
        if mode == "primer":
            kr.primer(x, p.k, n)
            continue
        audit = kr._Audit(x, kr.primer(x, p.k, n), n, anak, p.k, eqs)
        audit.run()
        if mode == "lp":
            audit.run_lp()


def main(argv: list[str]) -> dict:
    ap = argparse.ArgumentParser(prog="bench_publikasi")
    ap.add_argument("--kab", action="append", default=None)
    ap.add_argument("--ulang", type=int, default=3)
    args = ap.parse_args(argv)
    rows = []
    for kab in args.kab or ["64.74", "64.02"]:
        dataset.load_district(kab, None)  # warm the cache: loading is ingest's benchmark
        ds = data.muat(kab, 2024)
        base = _median(lambda ds=ds: _rule(ds, "primer"), args.ulang)
        interval = _median(lambda ds=ds: _rule(ds, "interval"), args.ulang)
        exact = _median(lambda ds=ds: _rule(ds, "lp"), args.ulang)
        with tempfile.TemporaryDirectory() as out:
            build = _median(lambda kab=kab, out=out: bangun_situs(kab, 2024, None, Path(out)), 1)
        rows.append({"kab": kab, "desa": len(ds.tabel["desa"]), "primer_s": base, "interval_s": interval,
                     "interval_lp_s": exact, "situs_s": build,
                     "rasio_lp_primer": exact / base if base else float("nan"),
                     "bagian_aturan_dari_situs": exact / build if build else float("nan")})
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return {"rows": rows}
