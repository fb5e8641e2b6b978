"""Report rendering: a single report from the command line, the whole demo batch, the overhead.

``.venv/bin/python benchmarks/run.py render`` (``make bench`` runs it with the others).

1. **Ratios (issue 17 point 6).** In one run, alternating so that a change in the machine's
   load hits every measure alike, ``--runs`` times each (median):

   - the baseline: a bare ``python -c "import pandas, matplotlib.pyplot, geopandas"``;
   - ``konvergensi render analisis-situasi --kab 64.74 --tahun 2024 --paksa`` (Kota Bontang,
     HTML and PDF, from the command line as an analyst runs it; the district's data cache is
     filled by a warm-up run first), as a multiple of the baseline (target ≤ 3);
   - the same for Kutai Kartanegara (64.02, the largest demo district; target ≤ 5);
   - once: Bontang with an empty data cache (the first render after the data changed), and
     Bontang with ``--kernel`` (a separate Jupyter kernel, the renderer before issue 17);
   - once: the whole demo ``render-all --tahun 2024 --jobs 2 --paksa`` (all reports; target
     under 90 s on an idle 2-core machine), in seconds and as a multiple of the baseline.

   The demo data are those of the working copy (``data/demo``, generated if missing);
   outputs go to a temporary folder.
2. **Overhead** (issue 4): a *trivial* report (one section, one paragraph, ``lap.simpan()``)
   end to end, in this process's shell (``konvergensi render``) and in a Jupyter kernel;
   with trivial content the whole time is overhead.
3. **Batch machinery** (issue 4): the fixture report for ``--batch`` synthetic districts with
   1 and 2 workers, and a rerun with nothing changed (prepare + cache check only).

Options: ``--runs N`` (default 3), ``--skip-batch`` (no demo ``render-all``), ``--only ratios``
or ``--only overhead`` (one part), ``--n N`` trivial reports per mode, ``--batch M`` districts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
KABS = ["64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.71", "64.72", "64.74"]
BARE_IMPORT = "import pandas, matplotlib.pyplot, geopandas"
TARGETS = {"bontang_ratio": 3.0, "kukar_ratio": 5.0, "render_all_s": 90.0}

TRIVIAL = '''import pandas as pd
import matplotlib.pyplot as plt
from analysis import charts, text
from analysis.laporan import Laporan
lap = Laporan(laporan="analisis-situasi", kab=kab, tahun=tahun, output_dir=output_dir)
lap.judul(sumber={"Data uji": "Agustus 2024"})
lap.bagian("ringkasan", "Ringkasan")
lap.teks("Isi singkat.")
lap.simpan()'''


# --------------------------------------------------------------------------- 1. ratios
def _python() -> str:
    return sys.executable


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the process and its children)."""
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} gagal ({proc.returncode}):\n{proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def _render_cmd(kab: str, out: Path, *extra: str) -> list[str]:
    return [_python(), "-m", "analysis.cli", "-q", "render", "analisis-situasi", "--kab", kab,
            "--tahun", "2024", "--out", str(out), "--paksa", *extra]


def ratios(runs: int, work: Path, batch: bool) -> dict:
    env = dict(os.environ, KONVERGENSI_ROOT=str(ROOT), MPLBACKEND="agg")
    env.pop("KONVERGENSI_TEMPLATE_DIR", None)
    if not (ROOT / "data" / "demo" / "64.74").is_dir():
        subprocess.run([_python(), "-m", "analysis.cli", "-q", "demo", "--jika-belum-ada"], env=env,
                       cwd=ROOT, check=True)
    out = work / "reports"
    bare = [_python(), "-c", BARE_IMPORT]
    measures: dict[str, list[list[float]]] = {"bare_import": [], "bontang": [], "kukar": []}
    commands = {"bare_import": bare, "bontang": _render_cmd("64.74", out), "kukar": _render_cmd("64.02", out)}
    _timed(commands["bontang"], env)  # warm-up: data cache, page cache of the libraries
    _timed(commands["kukar"], env)
    for _ in range(runs):
        for name, cmd in commands.items():
            measures[name].append(list(_timed(cmd, env)))
    result: dict = {}
    for name, values in measures.items():
        result[name] = {"wall_median_s": round(statistics.median(v[0] for v in values), 3),
                        "cpu_median_s": round(statistics.median(v[1] for v in values), 3),
                        "wall_all_s": [round(v[0], 3) for v in values]}
    base = result["bare_import"]["wall_median_s"]
    result["bontang_ratio"] = round(result["bontang"]["wall_median_s"] / base, 2)
    result["kukar_ratio"] = round(result["kukar"]["wall_median_s"] / base, 2)
    result["bontang_cpu_ratio"] = round(result["bontang"]["cpu_median_s"] / result["bare_import"]["cpu_median_s"], 2)
    result["kukar_cpu_ratio"] = round(result["kukar"]["cpu_median_s"] / result["bare_import"]["cpu_median_s"], 2)

    # once each: an empty data cache, and the Jupyter-kernel path of before
    cold_root = work / "akar-dingin"
    (cold_root / "data").mkdir(parents=True)
    (cold_root / "data" / "demo").symlink_to(ROOT / "data" / "demo", target_is_directory=True)
    wall, cpu = _timed(_render_cmd("64.74", out), dict(env, KONVERGENSI_ROOT=str(cold_root)))
    result["bontang_cache_kosong"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                      "ratio": round(wall / base, 2)}
    wall, cpu = _timed(_render_cmd("64.74", out, "--kernel"), env)
    result["bontang_kernel_jupyter"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                        "ratio": round(wall / base, 2)}
    if batch:
        cmd = [_python(), "-m", "analysis.cli", "-q", "render-all", "--tahun", "2024", "--jobs", "2",
               "--out", str(work / "reports-semua"), "--paksa"]
        wall, cpu = _timed(cmd, env)
        reports = len(list((work / "reports-semua").glob("2024/*/*.pdf")))
        result["render_all"] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "reports": reports,
                                "ratio": round(wall / base, 1)}
    return result


def print_ratios(r: dict) -> None:
    print("Single render from the command line (analisis-situasi, HTML + PDF), median of runs")
    print(f"{'':<34}{'wall s':>8}{'cpu s':>8}{'x import':>10}{'target':>8}")
    print(f"{'bare import (baseline)':<34}{r['bare_import']['wall_median_s']:>8.2f}"
          f"{r['bare_import']['cpu_median_s']:>8.2f}{1:>10.2f}")
    for key, label, target in (("bontang", "Kota Bontang (64.74)", "3"),
                               ("kukar", "Kutai Kartanegara (64.02)", "5")):
        print(f"{label:<34}{r[key]['wall_median_s']:>8.2f}{r[key]['cpu_median_s']:>8.2f}"
              f"{r[key + '_ratio']:>10.2f}{target:>8}")
    for key, label in (("bontang_cache_kosong", "Bontang, empty data cache"),
                       ("bontang_kernel_jupyter", "Bontang, Jupyter kernel (--kernel)")):
        print(f"{label:<34}{r[key]['wall_s']:>8.2f}{r[key]['cpu_s']:>8.2f}{r[key]['ratio']:>10.2f}")
    print(f"cpu ratios: Bontang {r['bontang_cpu_ratio']:.2f}, Kukar {r['kukar_cpu_ratio']:.2f} "
          "(process CPU time, not inflated by waiting for a core)")
    if "render_all" in r:
        b = r["render_all"]
        print(f"\nDemo render-all (--jobs 2, {b['reports']} reports): {b['wall_s']:.1f} s wall, "
              f"{b['cpu_s']:.1f} s cpu, {b['ratio']:.1f} x import (target < 90 s idle)")


# --------------------------------------------------------------------------- 2./3. machinery
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
    import json

    folder.mkdir(parents=True, exist_ok=True)
    nb = json.loads((FIXTURES / "analisis_situasi.ipynb").read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    code = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": TRIVIAL, "id": "trivial1"}
    nb["cells"] = [nb["cells"][0], params, code]
    (folder / "analisis_situasi.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return folder


def prepare_all(kabs, data, reports, templates):
    from analysis.render import pipeline

    return [pipeline.prepare("analisis-situasi", {"kab": k, "tahun": "2024"}, data_dir=data,
                             reports_dir=reports, template_dir=templates) for k in kabs]


def overhead(n: int, work: Path) -> dict:
    from analysis.render import pipeline
    from analysis.render.inprocess import Shell
    from analysis.render.kernel import Kernel

    data = make_data(work / "data-trivial", KABS[:1])
    templates = trivial_template(work / "trivial")
    job = prepare_all(KABS[:1], data, work / "reports-trivial", templates)[0]
    out: dict = {}
    for mode, make in (("in-process", lambda: Shell()), ("jupyter cold", lambda: Kernel(warm=False)),
                       ("jupyter warm", lambda: Kernel(warm=True))):
        times, steps = [], []
        with make() as kernel:
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
    return out


def throughput(m: int, work: Path) -> dict:
    from analysis.render import batch

    kabs = KABS[:m]
    data = make_data(work / "data-batch", kabs)
    out: dict = {"reports": len(kabs)}
    last = None
    for label, workers in (("1 worker", 1), ("2 workers", 2)):
        reports = work / f"reports-{workers}"
        shutil.rmtree(reports, ignore_errors=True)
        jobs = prepare_all(kabs, data, reports, FIXTURES)
        t0 = time.perf_counter()
        results = batch.run_jobs(jobs, workers=workers, progress=False, processes=True)
        seconds = time.perf_counter() - t0
        failed = [r.error for r in results if r.status != "dirender"]
        if failed:
            raise RuntimeError(failed[0])
        out[label] = {"seconds": round(seconds, 2), "per_report_s": round(seconds / len(kabs), 3),
                      "reports_per_min": round(60 * len(kabs) / seconds, 1)}
        last = reports
    t0 = time.perf_counter()
    jobs = prepare_all(kabs, data, last, FIXTURES)
    results = batch.run_jobs(jobs, workers=2, progress=False, processes=True)
    out["rerun_unchanged_s"] = round(time.perf_counter() - t0, 3)
    out["rerun_all_skipped"] = all(r.status == "dilewati" for r in results)
    return out


def print_machinery(over: dict, thr: dict) -> None:
    print("\nPer-report time of a trivial report (= overhead), end to end incl. HTML and PDF")
    print(f"{'mode':<14}{'median s':>10}{'min s':>8}   steps (median s)")
    for mode, o in over.items():
        steps = ", ".join(f"{k} {v}" for k, v in o["steps_median_s"].items())
        print(f"{mode:<14}{o['median_s']:>10.2f}{o['min_s']:>8.2f}   {steps}")
    print(f"\nBatch: fixture report for {thr['reports']} districts (worker processes, incl. their start)")
    print(f"{'':<12}{'seconds':>9}{'s/report':>10}{'per min':>9}")
    for label in ("1 worker", "2 workers"):
        b = thr[label]
        print(f"{label:<12}{b['seconds']:>9.1f}{b['per_report_s']:>10.2f}{b['reports_per_min']:>9.1f}")
    print(f"Rerun with nothing changed: {thr['rerun_unchanged_s']:.2f} s "
          f"(all skipped: {thr['rerun_all_skipped']})")


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench_render", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per single-render measure")
    parser.add_argument("--skip-batch", action="store_true", help="no demo render-all")
    parser.add_argument("--only", choices=("ratios", "overhead"), help="run one part only")
    parser.add_argument("--n", type=int, default=3, help="trivial reports per overhead mode")
    parser.add_argument("--batch", type=int, default=6, help="synthetic districts in the batch (≤ 10)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    os.environ.pop("KONVERGENSI_TEMPLATE_DIR", None)
    out: dict = {"load_average_start": os.getloadavg()[0]}
    try:
        if args.only in (None, "ratios"):
            out["ratios"] = ratios(args.runs, work, batch=not args.skip_batch)
        if args.only in (None, "overhead"):
            out["overhead"] = overhead(args.n, work)
            out["batch"] = throughput(min(args.batch, len(KABS)), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if "ratios" in out:
        print_ratios(out["ratios"])
    if "overhead" in out:
        print_machinery(out["overhead"], out["batch"])
    out["load_average_end"] = os.getloadavg()[0]
    print(f"\nLoad average: {out['load_average_start']:.1f} at start, {out['load_average_end']:.1f} "
          "at end (2 cores; shared machine: compare ratios, not seconds)")
    r = out.get("ratios", {})
    out["targets"] = {
        "bontang_le_3x": r.get("bontang_ratio", 0) <= TARGETS["bontang_ratio"] if r else None,
        "kukar_le_5x": r.get("kukar_ratio", 0) <= TARGETS["kukar_ratio"] if r else None,
        "render_all_lt_90s": (r["render_all"]["wall_s"] < TARGETS["render_all_s"]) if "render_all" in r else None,
    }
    out["ok"] = out.get("batch", {}).get("rerun_all_skipped", True)
    if r:
        load = f"load {out['load_average_start']:.1f}→{out['load_average_end']:.1f}"
        out["headline"] = [
            f"Bontang single render {r['bontang']['wall_median_s']:.1f} s = {r['bontang_ratio']:.2f} x bare "
            f"import {r['bare_import']['wall_median_s']:.2f} s (target ≤ 3; cpu {r['bontang_cpu_ratio']:.2f} x)",
            f"Kutai Kartanegara single render {r['kukar']['wall_median_s']:.1f} s = {r['kukar_ratio']:.2f} x "
            f"(target ≤ 5; cpu {r['kukar_cpu_ratio']:.2f} x)",
        ]
        if "render_all" in r:
            b = r["render_all"]
            out["headline"].append(f"demo render-all --jobs 2: {b['wall_s']:.1f} s wall, {b['cpu_s']:.1f} s cpu, "
                                   f"{b['reports']} reports (target < 90 s idle; {load})")
    return out


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(main(sys.argv[1:]), indent=1))
