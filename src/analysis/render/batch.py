"""Many reports at once: worker processes, a progress bar, a status table.

Each worker process (``spawn``, so no state is forked) imports pandas, matplotlib and
``analysis`` once (:data:`PRELOAD`) and executes the reports it is given one after another
in its own IPython shell (:class:`analysis.render.inprocess.Shell`), each in a fresh namespace.
Reports whose cache key is unchanged are skipped in the parent before any worker starts (a rerun
with nothing changed costs only the checksums).

A batch survives anything one report does:

- a report that raises is recorded with its message and log path; after an unexpected
  exception (anything but a user error or an operating-system error) its worker is replaced by a
  fresh one, so a broken report cannot poison the next;
- a worker that dies (killed, out of memory, a crash in compiled code) fails only the report it
  was rendering; a replacement takes the remaining reports;
- a report that runs longer than ``job_timeout`` seconds has its worker killed.

Workers end with the parent: each asks the Linux kernel for ``SIGTERM`` when its parent dies
(``prctl(PR_SET_PDEATHSIG)``) and also watches its parent's pid from a thread (other systems,
and the moment between start and ``prctl``); ``SIGTERM`` to the parent stops the workers before
the parent exits. Staging folders that a killed render left behind are removed by the next
batch (:func:`analysis.render.atomic.clean_abandoned`).

One report in the calling process (``konvergensi render``) uses :func:`run_here`: no worker,
no kernel process; the driver's imports are the notebook's.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from analysis import keluaran as paths
from analysis import text
from analysis.laporan.katalog import load_registry
from analysis.render import atomic, pipeline
from analysis.render.failures import Stopped, died_message
from analysis.render.inprocess import ForeignShell, Shell
from analysis.render.lifetime import die_with_parent
from analysis.render.pipeline import Job, Result

#: Modules a worker imports once before its first report (missing ones are skipped); the
#: report packages of the catalogue are added by :func:`preload_modules`.
PRELOAD = (
    "numpy", "pandas", "scipy.stats", "matplotlib", "matplotlib.pyplot", "geopandas", "mistune",
    "analysis.laporan.dokumen", "analysis.laporan.bersama", "analysis.charts", "analysis.text",
    "analysis.stats", "analysis.config", "analysis.reference", "analysis.dataset", "analysis.growth",
    "analysis.prevalence", "analysis.quality", "analysis.coverage", "analysis.lokus", "analysis.trend",
    "analysis.budget", "analysis.aksi", "analysis.render.html", "analysis.render.pdf", "jinja2",
    "xlsxwriter", "openpyxl",
)


def preload_modules() -> tuple[str, ...]:
    """:data:`PRELOAD` plus every report package named by the catalogue (by name, not imported here)."""
    return PRELOAD + tuple(f"analysis.laporan.{spec.paket}" for spec in load_registry().values())


#: Seconds one report may take in a batch before its worker is killed.
JOB_TIMEOUT = 3600
#: Workers that may fail to start in a row before the remaining reports are given up.
MAX_START_FAILURES = 3


# --------------------------------------------------------------------------- worker side
_STOP = False


def _on_term(signum, frame) -> None:
    global _STOP
    _STOP = True
    # KeyboardInterrupt reaches the notebook's code (IPython turns SystemExit into a message),
    # fails the report, and the staging folder is removed on the way out.
    raise KeyboardInterrupt


def _worker_main(conn: Connection, warm: bool, parent_pid: int) -> None:
    """A worker: start a shell, then render every job the parent sends until it sends ``None``."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the parent, which stops us
    try:
        shell = Shell(preload=preload_modules() if warm else ())
        shell.start()
    except BaseException as exc:  # the parent gives up after a few of these
        _send(conn, ("gagal-mulai", f"{type(exc).__name__}: {exc}"))
        return
    _send(conn, ("siap",))
    while not _STOP:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        job, force = message
        try:
            result = pipeline.render(job, shell, force=force)
        except KeyboardInterrupt:
            return
        if _STOP:
            return
        # after an unexpected failure (or when cold) the next report gets a fresh process
        keep = warm and not result.replace_worker
        if not _send(conn, ("selesai", result, keep)) or not keep:
            return


def _send(conn: Connection, message: Any) -> bool:
    try:
        conn.send(message)
        return True
    except (OSError, ValueError):
        return False


# --------------------------------------------------------------------------- parent side
@dataclass
class _Worker:
    process: Any
    conn: Connection
    job: int | None = None
    started: float = 0.0
    ready: bool = False
    keep: bool = True


class _Pool:
    """Worker processes fed one job at a time (see the module docstring)."""

    def __init__(self, size: int, warm: bool, job_timeout: float | None):
        self.size = size
        self.warm = warm
        self.job_timeout = job_timeout
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.start_failures = 0
        self.start_error = ""

    def spawn(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.warm, os.getpid()),
                                       name="konvergensi-pekerja", daemon=True)
        process.start()
        child.close()
        self.workers.append(_Worker(process, parent))

    def stop(self) -> None:
        """End every worker: ``None`` to idle ones, ``SIGTERM`` to busy ones, ``SIGKILL`` after 5 s."""
        for w in self.workers:
            if w.job is None and w.ready:
                _send(w.conn, None)
            elif w.process.is_alive():
                w.process.terminate()
        deadline = time.monotonic() + 5
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join(1)
            w.conn.close()
        self.workers = []


def run_here(jobs: list[Job], *, force: bool = False, progress: bool = False,
             console=None, kernel=None) -> list[Result]:
    """Render ``jobs`` one after another in this process (``konvergensi render``).

    ``kernel`` defaults to an in-process :class:`~analysis.render.inprocess.Shell`; pass an
    :class:`analysis.render.kernel.Kernel` to run in a separate Jupyter kernel.
    """
    results, todo = pipeline.split_fresh(jobs, force)
    if todo:
        atomic.clean_abandoned([jobs[i].out_dir for i in todo])
        if kernel is None:
            try:
                kernel = Shell()
                kernel.start()
            except ForeignShell:  # called from JupyterLab or IPython: a kernel of its own
                from analysis.render.kernel import Kernel  # noqa: PLC0415  (nbclient: ~1 s, rare)

                with Kernel(warm=False) as jupyter:
                    return run_here(jobs, force=force, progress=progress, console=console, kernel=jupyter)
        with _Progress(console, progress and len(todo) > 1, len(jobs), len(results)) as bar, \
                _stop_on_term():
            for i in todo:
                bar.describe(jobs[i].label)
                # this process has the machine to itself: the PDF may start before the last cell
                results[i] = pipeline.render(jobs[i], kernel, force=True,
                                             speculate=isinstance(kernel, Shell))
                bar.advance()
        atomic.tidy([jobs[i].out_dir for i in todo])
    return [results[i] for i in range(len(jobs))]


def run_jobs(jobs: list[Job], *, workers: int = 2, warm: bool = True, force: bool = False,
             progress: bool = True, console=None, processes: bool | None = None,
             job_timeout: float | None = JOB_TIMEOUT) -> list[Result]:
    """Render ``jobs``; return one :class:`Result` per job, in order.

    Parameters
    ----------
    jobs : prepared reports (:func:`analysis.render.pipeline.prepare`)
    workers : number of worker processes
    warm : keep a worker between reports (``False``: a fresh process per report)
    force : render even when the cache says the outputs are fresh
    progress : show a rich progress bar
    console : a ``rich.console.Console`` (default: standard error)
    processes : render in worker processes (``None``: when ``workers > 1``); ``False`` renders
        in this process (:func:`run_here`)
    job_timeout : seconds one report may take before its worker is killed (``None``: no limit)

    Raises
    ------
    Stopped
        On ``SIGTERM``/Ctrl-C, after every worker has ended.
    """
    if processes is None:
        processes = workers > 1
    if not processes:
        return run_here(jobs, force=force, progress=progress, console=console)
    results, todo = pipeline.split_fresh(jobs, force)
    if not todo:
        return [results[i] for i in range(len(jobs))]  # everything is fresh: no worker at all
    atomic.clean_abandoned([jobs[i].out_dir for i in todo])
    pool = _Pool(max(1, min(int(workers), len(todo))), warm, job_timeout)
    with _Progress(console, progress, len(jobs), len(results)) as bar, _stop_on_term():
        try:
            _drive(pool, jobs, todo, results, bar)
        finally:
            pool.stop()
            # every worker has ended: a staging folder still there was left by one that died
            atomic.clean_abandoned([jobs[i].out_dir for i in todo])
    atomic.tidy([jobs[i].out_dir for i in todo])
    return [results[i] for i in range(len(jobs))]


def start_order(jobs: list[Job], todo: list[int]) -> list[int]:
    """The order in which a batch starts its reports.

    Reports keep the order of their kind (all of the first report, then the second: a
    district's second report then finds the data cache its first one filled, and a province
    comparison comes after its districts), and within a kind the largest data go first, so
    that the batch does not end waiting for one large report started last.
    """
    kinds: dict[str, int] = {}
    for i in todo:
        kinds.setdefault(jobs[i].laporan, len(kinds))
    return sorted(todo, key=lambda i: (kinds[jobs[i].laporan], -jobs[i].input_bytes))


def _drive(pool: _Pool, jobs: list[Job], todo: list[int], results: dict[int, Result], bar: Any) -> None:
    pending = deque(start_order(jobs, todo))
    for _ in range(pool.size):
        pool.spawn()

    def finish(i: int, result: Result) -> None:
        results[i] = result
        bar.describe(jobs[i].label)
        bar.advance()

    def assign(w: _Worker) -> None:
        if pending and w.keep:
            w.job = pending.popleft()
            w.started = time.monotonic()
            if not _send(w.conn, (jobs[w.job], True)):
                pending.appendleft(w.job)
                w.job = None
        elif w.keep:
            _send(w.conn, None)
            w.keep = False

    while pending or any(w.job is not None for w in pool.workers):
        if not pool.workers:
            if pool.start_failures >= MAX_START_FAILURES:
                while pending:
                    i = pending.popleft()
                    finish(i, jobs[i].result("gagal", error="Proses pekerja tidak dapat dimulai: "
                                                             f"{pool.start_error}"))
                break
            pool.spawn()
        waitables: list[Any] = [w.conn for w in pool.workers] + [w.process.sentinel for w in pool.workers]
        ready = set(wait(waitables, timeout=1.0))
        for w in list(pool.workers):
            if w.conn in ready:
                try:
                    message = w.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message is not None:
                    kind = message[0]
                    if kind == "siap":
                        w.ready = True
                        pool.start_failures = 0
                        assign(w)
                    elif kind == "selesai":
                        _, result, keep = message
                        if w.job is not None:
                            finish(w.job, result)
                        w.job, w.keep = None, keep
                        assign(w)
                    elif kind == "gagal-mulai":
                        pool.start_error = message[1]
                        w.keep = False
                    continue
            overdue = (w.job is not None and pool.job_timeout is not None
                       and time.monotonic() - w.started > pool.job_timeout)
            if overdue:
                w.process.kill()
            if w.process.sentinel in ready or not w.process.is_alive() or overdue:
                w.process.join(5)
                if w.job is not None:
                    job = jobs[w.job]
                    error = (f"Waktu habis: laporan berjalan lebih dari {int(pool.job_timeout or 0)} "
                             "detik; prosesnya dihentikan." if overdue
                             else died_message(w.process.exitcode))
                    log = pipeline.write_log(job, error, f"Kode keluar proses pekerja: {w.process.exitcode}")
                    finish(w.job, job.result("gagal", time.monotonic() - w.started, error=error,
                                             log_path=log))
                elif not w.ready:
                    pool.start_failures += 1
                    pool.start_error = pool.start_error or died_message(w.process.exitcode)
                w.conn.close()
                pool.workers.remove(w)
                # a replacement, while there is work for it
                if pending and len(pool.workers) < pool.size and \
                        pool.start_failures < MAX_START_FAILURES:
                    pool.spawn()


class _stop_on_term:
    """While active (main thread only), ``SIGTERM`` raises :class:`Stopped` like Ctrl-C does."""

    def __enter__(self) -> _stop_on_term:
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            def handler(signum, frame):
                raise Stopped(signum)

            self.previous = signal.signal(signal.SIGTERM, handler)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


class _Progress:
    """A rich progress bar (or nothing), with data-safe descriptions."""

    def __init__(self, console: Console | None, enabled: bool, total: int, completed: int):
        self.console, self.enabled, self.total, self.completed = console, enabled, total, completed
        self.bar: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            columns = (TextColumn("[bold]Merender laporan"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), TextColumn("{task.description}", markup=False))
            self.bar = Progress(*columns, console=self.console or Console(stderr=True),
                                transient=False)
            self.bar.__enter__()
            self.task = self.bar.add_task("", total=self.total, completed=self.completed)
        return self

    def describe(self, label: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=label)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


# --------------------------------------------------------------------------- reporting
def status_table(results: list[Result], jobs: list[Job] | None = None):
    """A rich table: report, area, year, status, time, and the error with its log path.

    Every text cell is a :class:`rich.text.Text`, so data (a village name ``[/]``, a message
    quoting ``[kg]``) is shown as written, never read as console markup.
    """
    table = Table(title="Status render", show_lines=False)
    for name in ("Laporan", "Wilayah", "Tahun", "Status", "Waktu", "Keterangan"):
        table.add_column(name, justify="right" if name == "Waktu" else "left",
                         overflow="fold", no_wrap=name in ("Laporan", "Tahun", "Status", "Waktu"))
    style = {"dirender": "green", "dilewati": "cyan", "gagal": "bold red"}
    for i, res in enumerate(results):
        job = jobs[i] if jobs is not None and i < len(jobs) else None
        laporan = res.laporan or (job.laporan if job else res.label.split(" ")[0])
        area = res.area or (job.area if job else "")
        tahun = res.tahun if res.tahun is not None else (job.tahun if job else "")
        try:
            wilayah = f"{area} {paths.area_name(area)}" if area else ""
        except Exception:  # an unknown code is shown as given
            wilayah = area
        if res.status == "gagal":
            note = res.error + (f"\nLog: {res.log_path}" if res.log_path else "")
        else:
            note = ""
        waktu = f"{text.angka(res.seconds, 1)} dtk" if res.status == "dirender" else ""
        table.add_row(Text(laporan), Text(wilayah), Text(str(tahun)),
                      Text(res.status, style=style.get(res.status, "")), Text(waktu), Text(note))
    return table


def summary_line(results: list[Result], seconds: float) -> str:
    """``20 laporan: 18 dirender, 1 dilewati, 1 gagal (45,2 dtk)``."""
    counts = {s: sum(r.status == s for r in results) for s in ("dirender", "dilewati", "gagal")}
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"{len(results)} laporan: {parts} ({text.angka(seconds, 1)} dtk)"

