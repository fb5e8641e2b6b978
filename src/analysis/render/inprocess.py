"""Execute a report notebook in this process's IPython shell, without a Jupyter kernel.

A Jupyter kernel is a second Python process reached over ZeroMQ: starting one, importing
``nbformat``/``nbclient``/``jupyter_client`` in the driver and importing pandas, matplotlib and
``analysis`` a second time in the kernel cost about half of a single ``konvergensi render``
(profile in ``benchmarks/README.md``). :class:`Shell` runs the same cells in an
:class:`IPython.core.interactiveshell.InteractiveShell` of the calling process and records what
a kernel would have sent (display data with their metadata, streams, results, errors) as
nbformat-4 outputs, so the executed notebook, the HTML and the PDF are the same.

Isolation between reports is that of a warm kernel: each report gets a fresh namespace, closed
figures, matplotlib defaults and its own working folder; ``sys.modules`` stays warm. Crash
isolation is the caller's business: ``konvergensi render`` runs one report in its own process,
``render-all`` runs reports in worker processes (:mod:`analysis.render.batch`) that are
replaced when one dies.

Notebooks are plain ``dict`` objects in nbformat-4 shape (``json.load`` of an ``.ipynb``).
"""

from __future__ import annotations

import base64
import copy
import importlib
import io
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analysis.render.failures import CellFailure, Stopped

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Tag of the cell holding the values injected by the renderer.
INJECTED_TAG = "injected-parameters"


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _json_safe(data: dict) -> dict:
    """Display data as nbformat stores them (bytes, e.g. PNG, as base64 text)."""
    out: dict[str, Any] = {}
    for mime, value in (data or {}).items():
        if isinstance(value, (bytes, bytearray)):
            value = base64.b64encode(value).decode("ascii")
        out[mime] = value
    return out


class _Sink:
    """The outputs of the cell being executed, in the order they were produced."""

    def __init__(self) -> None:
        self.outputs: list[dict] = []
        self.error: dict | None = None

    def start(self) -> list[dict]:
        self.outputs = []
        self.error = None
        return self.outputs

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def display(self, data: dict, metadata: dict | None) -> None:
        self.outputs.append({"output_type": "display_data", "data": _json_safe(data),
                             "metadata": copy.deepcopy(metadata or {})})

    def result(self, data: dict, metadata: dict | None, count: int) -> None:
        self.outputs.append({"output_type": "execute_result", "data": _json_safe(data),
                             "metadata": copy.deepcopy(metadata or {}), "execution_count": count})

    def clear(self) -> None:
        self.outputs.clear()

    def traceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        self.error = {"output_type": "error", "ename": getattr(etype, "__name__", str(etype)),
                      "evalue": str(evalue), "traceback": [_ANSI.sub("", line) for line in stb]}
        self.outputs.append(self.error)


class _Stream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` while a cell runs: text goes to the cell's outputs."""

    def __init__(self, sink: _Sink, name: str):
        super().__init__()
        self._sink, self.name = sink, name

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self._sink.stream(self.name, str(text))
        return len(text)


def _classes():
    """The display hook and publisher that feed a :class:`_Sink` (IPython imported here)."""
    # IPython and traitlets cost ~0.1 s; the render-all parent imports this module and never
    # executes a notebook.
    from IPython.core.displayhook import DisplayHook  # noqa: PLC0415
    from IPython.core.displaypub import DisplayPublisher  # noqa: PLC0415

    class Publisher(DisplayPublisher):
        sink: _Sink | None = None

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
            if self.sink is not None:
                self.sink.display(data, metadata)

        def clear_output(self, wait=False):
            if self.sink is not None:
                self.sink.clear()

    class Hook(DisplayHook):
        sink: _Sink | None = None
        count = 0

        def start_displayhook(self):
            self._is_active = True

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            if self.sink is not None:
                self.sink.result(format_dict, md_dict, self.count)

        def finish_displayhook(self):
            self._is_active = False

    return Publisher, Hook


_SHELL = None


class ForeignShell(RuntimeError):
    """This process already runs an IPython shell that is not the renderer's own."""


def shell():
    """This process's IPython shell (created once, without history and without taking ``__main__``)."""
    global _SHELL
    if _SHELL is not None:
        return _SHELL
    from IPython.core.interactiveshell import InteractiveShell  # noqa: PLC0415  (as in _classes)
    from traitlets.config import Config  # noqa: PLC0415

    main = sys.modules.get("__main__")
    if InteractiveShell.initialized():
        # Someone else's shell (JupyterLab's kernel, an IPython session): running a report in
        # it would overwrite the user's variables. The caller renders in a kernel instead.
        raise ForeignShell("IPython shell milik sesi lain sudah berjalan di proses ini")
    config = Config()
    config.HistoryManager.enabled = False
    ip = InteractiveShell.instance(config=config)
    if main is not None:
        # IPython puts its user module in sys.modules["__main__"]; this process's own __main__
        # (the command line, pytest) must stay, e.g. for multiprocessing's spawn.
        sys.modules["__main__"] = main
    _SHELL = ip
    return ip


def _use_agg() -> None:
    """Off-screen matplotlib, as in a report kernel."""
    if "matplotlib" in sys.modules:
        import matplotlib  # noqa: PLC0415  (already imported: free)

        if matplotlib.get_backend().lower() != "agg":
            matplotlib.use("agg", force=True)
    else:
        os.environ["MPLBACKEND"] = "agg"


class Shell:
    """Executes report notebooks in this process (same interface as :class:`analysis.render.kernel.Kernel`).

    Parameters
    ----------
    timeout : int or None
        Seconds one cell may run (enforced with ``SIGALRM`` when called from the main thread
        on POSIX; ``None`` = no limit).
    preload : modules imported by :meth:`start` (a batch worker imports them once).
    """

    def __init__(self, timeout: int | None = 900, preload: tuple[str, ...] = ()):
        self.timeout = timeout
        self.preload = preload
        self.started = False

    def start(self) -> None:
        """Create the shell and import :attr:`preload` (missing modules are skipped)."""
        if self.started:
            return
        _use_agg()
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        shell()
        for name in self.preload:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    importlib.import_module(name)
            except Exception:  # a preload is an optimisation, never a requirement
                pass
        self.started = True

    def close(self) -> None:
        """Nothing to stop (kept for the interface of :class:`analysis.render.kernel.Kernel`)."""
        self.started = False

    def shutdown(self) -> None:
        self.close()

    def __enter__(self) -> Shell:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one report
    def _reset(self, ip) -> None:
        """Fresh namespace, closed figures, matplotlib defaults (as a warm kernel's reset)."""
        hidden = ip.user_ns_hidden
        for name in [k for k in ip.user_ns if k not in hidden]:
            del ip.user_ns[name]
        ip.user_ns.get("_oh", {}).clear()
        ip.user_ns.update({"_": "", "__": "", "___": ""})
        if "matplotlib.pyplot" in sys.modules:  # only then: importing pyplot costs ~0.3 s
            import matplotlib  # noqa: PLC0415
            import matplotlib.pyplot as plt  # noqa: PLC0415

            plt.close("all")
            matplotlib.rcdefaults()

    @contextmanager
    def _captured(self, ip, sink: _Sink) -> Iterator[None]:
        Publisher, Hook = _classes()
        publisher = Publisher(parent=ip, shell=ip)
        publisher.sink = sink
        hook = Hook(shell=ip, cache_size=ip.cache_size, parent=ip)
        hook.sink = sink
        saved = (ip.display_pub, ip.displayhook, ip.display_trap.hook, sys.stdout, sys.stderr)
        ip.display_pub, ip.displayhook, ip.display_trap.hook = publisher, hook, hook
        ip._showtraceback = sink.traceback  # instance attribute: wins over the method
        sys.stdout, sys.stderr = _Stream(sink, "stdout"), _Stream(sink, "stderr")
        try:
            with warnings.catch_warnings():
                if not os.environ.get("PYTHONWARNINGS"):
                    warnings.simplefilter("ignore")  # as kernel_env(): warnings never reach a report
                yield
        finally:
            ip.display_pub, ip.displayhook, ip.display_trap.hook, sys.stdout, sys.stderr = saved
            del ip._showtraceback

    @contextmanager
    def _alarm(self, usable: bool) -> Iterator[None]:
        """While active, ``signal.setitimer`` makes a cell that runs too long raise TimeoutError."""
        if not usable:
            yield
            return
        limit = self.timeout

        def expired(signum, frame):
            raise TimeoutError(f"sel berjalan lebih dari {limit} detik")

        previous = signal.signal(signal.SIGALRM, expired)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def run(self, nb: dict, cwd: Path, before_last: Callable[[dict], None] | None = None) -> dict:
        """Execute every code cell of ``nb`` with working folder ``cwd``; return the executed copy.

        Parameters
        ----------
        before_last : called with the notebook as executed so far, just before its last code
            cell runs (the cell that saves the report with ``lap.simpan()``); the renderer
            starts the PDF of what is displayed so far while that cell runs.

        Raises
        ------
        CellFailure
            When a cell raises (its error output is in the cell, as nbclient records it).
        """
        self.start()
        ip = shell()
        self._reset(ip)
        nb = copy.deepcopy(dict(nb))
        sink = _Sink()
        here = os.getcwd()
        count = 0
        template_index = -1
        alarm = (bool(self.timeout) and hasattr(signal, "setitimer")
                 and threading.current_thread() is threading.main_thread())
        code_cells = sum(c.get("cell_type") == "code" for c in nb.get("cells", []))
        os.chdir(cwd)
        try:
            with self._captured(ip, sink), self._alarm(alarm):
                for cell in nb.get("cells", []):
                    injected = INJECTED_TAG in cell.get("metadata", {}).get("tags", [])
                    if not injected:
                        template_index += 1
                    if cell.get("cell_type") != "code":
                        continue
                    count += 1
                    if before_last is not None and count == code_cells and count > 1:
                        before_last(nb)
                    cell["outputs"] = sink.start()
                    cell["execution_count"] = count
                    ip.displayhook.count = count
                    source = _source(cell)
                    where = None if injected else template_index
                    try:
                        if alarm:
                            signal.setitimer(signal.ITIMER_REAL, float(self.timeout or 0))
                        result = ip.run_cell(source, store_history=False)
                    except TimeoutError as exc:  # the alarm rang outside the cell's own code
                        raise CellFailure("TimeoutError", str(exc), "", where) from None
                    finally:
                        if alarm:
                            signal.setitimer(signal.ITIMER_REAL, 0)
                    if isinstance(result.error_in_exec, (KeyboardInterrupt, Stopped)):
                        raise result.error_in_exec  # Ctrl-C or SIGTERM stops the render, not the cell
                    if not result.success:
                        error = sink.error or {"ename": type(result.error_in_exec).__name__,
                                               "evalue": str(result.error_in_exec), "traceback": []}
                        detail = (f"Sel ke-{template_index + 1} templat:\n{source}\n\n"
                                  + "\n".join(error["traceback"]))
                        raise CellFailure(error["ename"], error["evalue"], detail, where)
        finally:
            os.chdir(here)
        return nb
