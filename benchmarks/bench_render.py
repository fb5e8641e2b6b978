"""Renderer overhead and batch throughput (issue 4).

Measures, on seeded synthetic district folders and the test fixture template:

1. Per-report overhead: a *trivial* report (imports pandas/matplotlib/analysis, one section,
   one paragraph, ``lap.simpan()``) rendered end to end (execute, HTML, PDF, JSON, Excel,
   atomic publish), cold (a new kernel per report, as ``konvergensi render`` does) and warm
   (one kernel, namespace reset between reports, as ``render-all`` workers do). With trivial
   content, the whole time *is* overhead. The cold time is the same-run baseline; the ratio
   warm/cold is comparable across runs.
2. Batch throughput: the fixture report (a table, a figure, key figures) for ``--batch``
   districts with ``render-all``'s machinery, 1 and 2 warm workers, and 2 cold workers.
3. A rerun with nothing changed (prepare + cache check for every report).

Targets (issue 4): overhead ≤ 1 s per report in a batch; rerun with nothing changed ≤ 5 s.

Options: ``--n N`` reports per overhead mode (default 4), ``--batch M`` districts (default 8).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
KABS = ["64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.71", "64.72", "64.74"]

TRIVIAL = '''import pandas as pd
import matplotlib.pyplot as plt
from analysis import charts, text
from analysis.report import Laporan
lap = Laporan(laporan="analisis-situasi", kab=kab, tahun=tahun, output_dir=output_dir)
lap.judul(sumber={"Data uji": "Agustus 2024"})
lap.bagian("ringkasan", "Ringkasan")
lap.teks("Isi singkat.")
lap.simpan()'''


def make_data(root: Path, kabs: list[str]) -> Path:
    import random

    rng = random.Random(20241122)
    for kab in kabs:
        folder = root / kab / "2024"
        folder.mkdir(parents=True, exist_ok=True)
        rows = "\n".join(str(rng.randint(1, 100)) for _ in range(50))
        (folder / "nilai.csv").write_text("nilai\n" + rows + "\n", encoding="utf-8")
    return root


def trivial_template(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(FIXTURES / "analisis_situasi.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    nb.cells = [nb.cells[0], params, nbformat.v4.new_code_cell(TRIVIAL)]
    nbformat.write(nb, folder / "analisis_situasi.ipynb")
    return folder


def prepare_all(kabs, data, reports, templates):
    from analysis.render import pipeline

    return [pipeline.prepare("analisis-situasi", {"kab": k, "tahun": "2024"}, data_dir=data,
                             reports_dir=reports, template_dir=templates) for k in kabs]


def overhead(n: int, work: Path) -> dict:
    from analysis.render import pipeline
    from analysis.render.kernel import Kernel

    data = make_data(work / "data-trivial", KABS[:1])
    templates = trivial_template(work / "trivial")
    job = prepare_all(KABS[:1], data, work / "reports-trivial", templates)[0]
    out: dict = {}
    for mode, warm in (("cold", False), ("warm", True)):
        times, steps = [], []
        with Kernel(warm=warm) as kernel:
            if warm:
                t0 = time.perf_counter()
                kernel.start()
                out["warm_kernel_start_s"] = round(time.perf_counter() - t0, 2)
            for _ in range(n):
                result = pipeline.render(job, kernel, force=True)
                if result.status != "dirender":
                    raise RuntimeError(result.error)
                times.append(result.seconds)
                steps.append(result.steps)
        out[mode] = {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
                     "all_s": [round(t, 3) for t in times],
                     "steps_median_s": {k: round(statistics.median(s[k] for s in steps), 3)
                                        for k in steps[0]}}
    out["warm_over_cold"] = round(out["warm"]["median_s"] / out["cold"]["median_s"], 3)
    return out


def throughput(m: int, work: Path) -> dict:
    from analysis.render import batch

    kabs = KABS[:m]
    data = make_data(work / "data-batch", kabs)
    out: dict = {"reports": len(kabs)}
    for label, workers, warm in (("1 warm worker", 1, True), ("2 warm workers", 2, True),
                                 ("2 cold workers", 2, False)):
        reports = work / f"reports-{workers}-{warm}"
        shutil.rmtree(reports, ignore_errors=True)
        jobs = prepare_all(kabs, data, reports, FIXTURES)
        t0 = time.perf_counter()
        results = batch.run_jobs(jobs, workers=workers, warm=warm, progress=False)
        seconds = time.perf_counter() - t0
        failed = [r.error for r in results if r.status != "dirender"]
        if failed:
            raise RuntimeError(failed[0])
        out[label] = {"seconds": round(seconds, 2), "per_report_s": round(seconds / len(kabs), 3),
                      "reports_per_min": round(60 * len(kabs) / seconds, 1)}
        last = (reports, jobs)
    reports, _ = last
    t0 = time.perf_counter()
    jobs = prepare_all(kabs, data, reports, FIXTURES)
    results = batch.run_jobs(jobs, workers=2, progress=False)
    out["rerun_unchanged_s"] = round(time.perf_counter() - t0, 3)
    out["rerun_all_skipped"] = all(r.status == "dilewati" for r in results)
    return out


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench_render", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4, help="reports per overhead mode")
    parser.add_argument("--batch", type=int, default=8, help="districts in the batch (≤ 10)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    os.environ.pop("KONVERGENSI_TEMPLATE_DIR", None)
    try:
        over = overhead(args.n, work)
        thr = throughput(min(args.batch, len(KABS)), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("Per-report time of a trivial report (= overhead), end to end incl. HTML and PDF")
    print(f"{'mode':<8}{'median s':>10}{'min s':>8}   steps (median s)")
    for mode in ("cold", "warm"):
        o = over[mode]
        steps = ", ".join(f"{k} {v}" for k, v in o["steps_median_s"].items())
        print(f"{mode:<8}{o['median_s']:>10.2f}{o['min_s']:>8.2f}   {steps}")
    print(f"warm / cold = {over['warm_over_cold']:.2f}; warm kernel start (once per worker) "
          f"{over['warm_kernel_start_s']:.2f} s")
    print(f"\nBatch: fixture report for {thr['reports']} districts")
    print(f"{'':<16}{'seconds':>9}{'s/report':>10}{'per min':>9}")
    for label in ("1 warm worker", "2 warm workers", "2 cold workers"):
        b = thr[label]
        print(f"{label:<16}{b['seconds']:>9.1f}{b['per_report_s']:>10.2f}{b['reports_per_min']:>9.1f}")
    print(f"\nRerun with nothing changed: {thr['rerun_unchanged_s']:.2f} s "
          f"(all skipped: {thr['rerun_all_skipped']})")
    print(f"Load average: {os.getloadavg()[0]:.1f} (shared machine: compare ratios, not seconds)")
    targets = {"overhead_warm_le_1s": over["warm"]["median_s"] <= 1.0,
               "rerun_le_5s": thr["rerun_unchanged_s"] <= 5.0}
    return {"ok": thr["rerun_all_skipped"], "overhead": over, "batch": thr, "targets": targets,
            "load_average": os.getloadavg()[0]}


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    print(json.dumps(main(sys.argv[1:]), indent=1))
