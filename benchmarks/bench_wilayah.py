"""Wilayah data on the render path: one district's boundaries and one map, in fresh processes.

Each case runs in a new interpreter (``--repeat`` times, median), timing from the first import
to the end, so the cost a report kernel pays is measured, checksum of the reference file
included:

- ``import``: the baseline, ``import pandas, matplotlib.pyplot, geopandas``;
- ``batas``: the baseline imports + ``analysis.reference.boundaries("desa", kab)`` and
  ``boundaries("kecamatan", kab)`` (read with a row-group filter, kecamatan as desa unions);
- ``peta``: the baseline imports + the desa map of the district (``analysis.charts.peta``,
  every unit named when the district is small) saved as PNG at 150 dpi;
- ``peta (hangat)``: the same map drawn again in the same process (caches warm), figure only.

Ratios are to the baseline of the same run (the single-report target is about 3 × the
baseline for the whole render); ``+batas`` and ``+peta`` are the times after the baseline
imports (what the step itself costs, ``analysis`` imports included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

BASE = ("import pandas, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot, geopandas\n"
        "T_BASE = time.perf_counter()\n")
CASES = {
    "import": BASE,
    "batas": BASE + (
        "from analysis import reference\n"
        "d = reference.boundaries('desa', KAB); k = reference.boundaries('kecamatan', KAB)\n"
        "assert len(d) and len(k)\n"),
    "peta": BASE + (
        "import io, numpy as np, pandas as pd\n"
        "from analysis import reference\nfrom analysis.charts import peta\n"
        "v = reference.villages(KAB)\n"
        "nilai = pd.DataFrame({'kode': v['village_code'], 'pct': np.linspace(1, 40, len(v))})\n"
        "fig = peta.peta(KAB, 'desa', nilai, 'pct')\n"
        "fig.savefig(io.BytesIO(), format='png', dpi=150, bbox_inches='tight')\n"
        "t1 = time.perf_counter()\n"
        "peta.peta(KAB, 'desa', nilai, 'pct')\n"
        "WARM = time.perf_counter() - t1\n"),
}


def _child(code: str, kab: str) -> dict:
    script = ("import time, json\nt0 = time.perf_counter()\nWARM = None\n" + code.replace("KAB", repr(kab))
              + "end = time.perf_counter() - (WARM or 0)\n"
              + "print(json.dumps({'s': end - t0, 'extra': end - T_BASE, 'warm': WARM}))\n")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str]) -> dict:
    p = argparse.ArgumentParser(prog="bench_wilayah")
    p.add_argument("--kab", default="64.74,64.02,32.01", help="districts (comma-separated)")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    results: dict[str, dict] = {}
    for kab in args.kab.split(","):
        row: dict[str, float] = {}
        for name, code in CASES.items():
            runs = [_child(code, kab) for _ in range(args.repeat)]
            row[name] = statistics.median(r["s"] for r in runs)
            row[f"{name} (tanpa impor dasar)"] = statistics.median(r["extra"] for r in runs)
            if name == "peta":
                row["peta (hangat)"] = statistics.median(r["warm"] for r in runs)
        results[kab] = row
    print(f"{'kab':<7} {'import':>8} {'batas':>8} {'× import':>9} {'+batas':>8} {'peta':>8} {'× import':>9} "
          f"{'+peta':>8} {'hangat':>8}")
    for kab, r in results.items():
        print(f"{kab:<7} {r['import']:>7.2f}s {r['batas']:>7.2f}s {r['batas'] / r['import']:>8.2f}x "
              f"{r['batas (tanpa impor dasar)']:>7.3f}s {r['peta']:>7.2f}s {r['peta'] / r['import']:>8.2f}x "
              f"{r['peta (tanpa impor dasar)']:>7.3f}s {r['peta (hangat)']:>7.3f}s")
    return {"kab": results, "repeat": args.repeat}


if __name__ == "__main__":
    main(sys.argv[1:])
