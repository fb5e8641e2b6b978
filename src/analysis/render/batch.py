"""Many reports at once: warm worker processes, a progress bar, a status table.

Each worker process (``spawn``, so no kernel state is forked) holds one warm
:class:`~analysis.render.kernel.Kernel` with pandas, matplotlib and ``analysis``
already imported, and renders the reports it is given one after another, each
in a fresh namespace. Reports whose cache key is unchanged are skipped in the
parent before any worker starts (a rerun with nothing changed costs only the
checksums). A failing report is recorded with its message and log path; all
others complete.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from analysis.render import atomic, pipeline
from analysis.render.pipeline import Job, Result

_KERNEL = None


def _init_worker(warm: bool) -> None:
    """Start this worker's kernel once; stop it when the worker exits."""
    from multiprocessing import util

    from analysis.render.kernel import Kernel

    global _KERNEL
    # Import the conversion steps (nbformat alone takes ~1.5 s) while the kernel boots.
    primer = threading.Thread(target=_import_steps, daemon=True)
    primer.start()
    _KERNEL = Kernel(warm=warm)
    _KERNEL.start()
    primer.join()
    # Pool workers leave through os._exit: atexit would not run, finalizers do.
    util.Finalize(None, _KERNEL.close, exitpriority=10)


def _import_steps() -> None:
    import nbformat  # noqa: F401

    from analysis.render import html, pdf  # noqa: F401


def _work(job: Job, force: bool) -> Result:
    return pipeline.render(job, _KERNEL, force=force)


def run_jobs(jobs: list[Job], *, workers: int = 2, warm: bool = True, force: bool = False,
             progress: bool = True, console=None) -> list[Result]:
    """Render ``jobs`` with ``workers`` processes; return one :class:`Result` per job, in order.

    Parameters
    ----------
    jobs : prepared reports (:func:`analysis.render.pipeline.prepare`)
    workers : number of worker processes (each with its own kernel)
    warm : keep kernels warm between reports (``False``: a fresh kernel per report)
    force : render even when the cache says the outputs are fresh
    progress : show a rich progress bar
    console : a ``rich.console.Console`` (default: standard error)
    """
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    console = console or Console(stderr=True)
    results, todo = pipeline.split_fresh(jobs, force)

    columns = (TextColumn("[bold]Merender laporan"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, disable=not progress or not todo,
                  transient=False) as bar:
        task = bar.add_task("", total=len(jobs), completed=len(results))
        workers = max(1, min(int(workers), len(todo) or 1))
        if not todo:
            pass  # everything is fresh: no kernel, no worker
        elif workers == 1:
            from analysis.render.kernel import Kernel

            with Kernel(warm=warm) as kernel:
                for i in todo:
                    bar.update(task, description=jobs[i].label)
                    results[i] = pipeline.render(jobs[i], kernel, force=True)
                    bar.advance(task)
        elif todo:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                     initializer=_init_worker, initargs=(warm,)) as pool:
                futures = {pool.submit(_work, jobs[i], True): i for i in todo}
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        results[i] = future.result()
                    except BrokenProcessPool as exc:
                        results[i] = Result(jobs[i].label, "gagal",
                                            error=f"proses pekerja berhenti tiba-tiba ({exc})")
                    except Exception as exc:  # pragma: no cover - render() catches its own errors
                        results[i] = Result(jobs[i].label, "gagal", error=f"{type(exc).__name__}: {exc}")
                    bar.update(task, description=jobs[i].label)
                    bar.advance(task)
    atomic.tidy([jobs[i].out_dir for i in todo])
    return [results[i] for i in range(len(jobs))]


def status_table(results: list[Result], jobs: list[Job]):
    """A rich table: report, area, year, status, time, and the error with its log path."""
    from rich.table import Table

    from analysis import keluaran as paths

    table = Table(title="Status render", show_lines=False)
    for name in ("Laporan", "Wilayah", "Tahun", "Status", "Waktu", "Keterangan"):
        table.add_column(name, justify="right" if name == "Waktu" else "left",
                         overflow="fold", no_wrap=name in ("Laporan", "Tahun", "Status", "Waktu"))
    style = {"dirender": "green", "dilewati": "cyan", "gagal": "bold red"}
    from analysis import text

    for job, res in zip(jobs, results):
        note = f"{res.error}\nLog: {res.log_path}" if res.status == "gagal" else ""
        waktu = f"{text.angka(res.seconds, 1)} dtk" if res.status == "dirender" else ""
        table.add_row(job.laporan, f"{job.area} {paths.area_name(job.area)}", str(job.tahun),
                      f"[{style[res.status]}]{res.status}[/]", waktu, note)
    return table


def summary_line(results: list[Result], seconds: float) -> str:
    """``20 laporan: 18 dirender, 1 dilewati, 1 gagal (45,2 dtk)``."""
    from analysis import text

    counts = {s: sum(r.status == s for r in results) for s in ("dirender", "dilewati", "gagal")}
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"{len(results)} laporan: {parts} ({text.angka(seconds, 1)} dtk)"


def timed(fn, *args, **kwargs):
    """``(result, seconds)`` of a call."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0
