"""Processes that end with their parent (render workers, a supervised ``konvergensi render``).

Killing only the main process of a batch used to leave its workers running (and publishing
reports). :func:`die_with_parent`, called first thing in a child, makes that impossible. Only
the standard library: the command line imports this before anything else.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> None:
    """Make this process receive ``sig`` when ``parent_pid`` ends.

    On Linux ``prctl(PR_SET_PDEATHSIG)``; everywhere a daemon thread that polls the parent pid
    (it also covers a parent that died before ``prctl`` was called).
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), sig)
                time.sleep(5)
                os._exit(128 + int(sig))  # the handler did not end the process
            time.sleep(0.5)

    threading.Thread(target=watch, name="awasi-induk", daemon=True).start()
