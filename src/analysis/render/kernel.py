"""Execute a notebook in a Jupyter kernel: cold (one kernel per report) or warm.

Kernel start-up and the imports of pandas/matplotlib/analysis cost about
2.5 s per report on this machine. A *warm* :class:`Kernel` starts once, imports
the heavy libraries once (:data:`PRELOAD`), and before every report resets the
user namespace (deletes every name a report defined), closes figures, restores matplotlib defaults
and changes to the report's working folder: each report gets a fresh
namespace, while ``sys.modules`` stays warm. After a failed or timed-out
report the kernel is restarted, so one broken report cannot poison the next.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from analysis import config
from analysis.render.failures import CellFailure

#: Modules imported once per warm kernel (missing ones are skipped).
PRELOAD = (
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "mistune",
    "analysis.laporan.dokumen", "analysis.laporan.bersama", "analysis.charts", "analysis.text",
    "analysis.stats", "analysis.config", "analysis.reference", "analysis.dataset", "analysis.growth",
    "analysis.prevalence", "analysis.quality", "analysis.coverage", "analysis.lokus",
    "analysis.trend", "analysis.budget", "analysis.aksi",
)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def kernel_env() -> dict[str, str]:
    """Environment of report kernels: off-screen matplotlib, no debugger chatter."""
    env = dict(os.environ)
    # The kernel changes to the report's staging folder before the template imports
    # analysis.config; without this its work root (and so the data cache) would be that
    # temporary folder, and every cold render would read the raw data again.
    env[config.ROOT_ENV] = str(config.WORK_ROOT)
    env["MPLBACKEND"] = "agg"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


class Kernel:
    """A Jupyter kernel that executes report notebooks.

    Parameters
    ----------
    warm : bool
        Keep the kernel between reports (reset the namespace) and preload
        :data:`PRELOAD`. ``False`` starts a fresh kernel for every report.
    timeout : int
        Seconds one cell may run.
    kernel_name : str
        Kernel spec (``python3`` runs this environment's Python).
    """

    def __init__(self, warm: bool = True, timeout: int = 900, kernel_name: str = "python3"):
        self.warm = warm
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.km = None
        self.kc = None
        self._loop = asyncio.new_event_loop()

    # -------------------------------------------------------------- lifecycle
    def _run(self, coro):
        return self._loop.run_until_complete(coro)

    def start(self) -> None:
        """Start the kernel (and, if warm, import :data:`PRELOAD`)."""
        if self.km is not None:
            return
        async def _start():
            km = AsyncKernelManager(kernel_name=self.kernel_name)
            # The kernel's own stdout/stderr (start-up chatter) never reaches the
            # user; cell outputs and errors arrive through the messaging channels.
            await km.start_kernel(env=kernel_env(), cwd=str(Path.cwd()),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=120)
            return km, kc

        self.km, self.kc = self._run(_start())
        if self.warm:
            modules = ", ".join(repr(m) for m in PRELOAD)
            self._execute_hidden(
                "import importlib as _il\n"
                f"for _m in ({modules}):\n"
                "    try:\n        _il.import_module(_m)\n"
                "    except Exception:\n        pass\n"
                "del _il, _m\n"
            )

    def shutdown(self) -> None:
        """Stop the kernel (safe to call twice)."""
        if self.km is None:
            return
        km, kc = self.km, self.kc
        self.km = self.kc = None
        try:
            kc.stop_channels()
            self._run(km.shutdown_kernel(now=True))
        except Exception:  # pragma: no cover - best effort at exit
            pass

    def close(self) -> None:
        """Stop the kernel and the event loop."""
        self.shutdown()
        if not self._loop.is_closed():
            self._loop.close()

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -------------------------------------------------------------- execution
    def _execute_hidden(self, code: str) -> None:
        """Run set-up code outside any notebook; raise :class:`CellFailure` on error."""
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(code))
        self._execute(nb)

    def _execute(self, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, kernel_name=self.kernel_name,
                                allow_errors=False, record_timing=False, store_widget_state=False)
        client.kc = self.kc
        try:
            self._run(client.async_execute())
        except CellExecutionError as exc:
            failed = next((i for i, c in enumerate(
                c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", []))
                if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            raise CellFailure(exc.ename, exc.evalue, _ANSI.sub("", str(exc)), failed) from None
        except (CellTimeoutError, TimeoutError):
            raise CellFailure("TimeoutError", f"sel berjalan lebih dari {self.timeout} detik", "") from None
        except DeadKernelError as exc:
            # the English "Kernel died ..." goes to the log only
            raise CellFailure("DeadKernelError", "kernel berhenti tiba-tiba", str(exc)) from None
        return nb

    def reset(self, cwd: Path) -> None:
        """Fresh namespace, closed figures, matplotlib defaults, working folder ``cwd``.

        Every name the previous report defined is deleted (IPython's own hidden
        names stay); the output cache is emptied. This is ``%reset -f`` without its
        full garbage collection, which alone costs ~0.5 s with pandas loaded.
        """
        self._execute_hidden(
            "_ip = get_ipython(); _k = None\n"
            "for _k in [k for k in _ip.user_ns if k not in _ip.user_ns_hidden and k not in ('_ip', '_k')]:\n"
            "    del _ip.user_ns[_k]\n"
            "_ip.user_ns['_oh'].clear()\n"
            "_ip.user_ns.update({'_': '', '__': '', '___': ''})\n"
            "import os as _os, matplotlib as _mpl, matplotlib.pyplot as _plt\n"
            f"_os.chdir({str(cwd)!r})\n"
            "_plt.close('all'); _mpl.rcdefaults()\n"
            "del _mpl, _plt, _os, _k, _ip\n"
        )

    def _leave(self) -> None:
        """Move the kernel out of the report's folder (which is about to be deleted)."""
        self._execute_hidden(f"import os as _os; _os.chdir({tempfile.gettempdir()!r}); del _os\n")

    def run(self, nb: dict, cwd: Path) -> nbformat.NotebookNode:
        """Execute every cell of ``nb`` with working folder ``cwd``; return the executed notebook.

        ``nb`` is nbformat-4 JSON (a ``dict`` or a ``NotebookNode``).

        Raises
        ------
        CellFailure
            When a cell raises (the kernel is restarted before the next report).
        """
        notebook = nbformat.from_dict(nb)
        if not self.warm:
            self.shutdown()
        if self.km is None:
            self.start()
        try:
            self.reset(cwd)
        except CellFailure:
            self.shutdown()  # a kernel that cannot be reset is replaced, once
            self.start()
            self.reset(cwd)
        try:
            result = self._execute(notebook)
        except CellFailure:
            self.shutdown()  # a fresh kernel for whatever comes next
            raise
        if self.warm:
            try:
                self._leave()
            except CellFailure:
                self.shutdown()
        else:
            self.shutdown()
        return result
