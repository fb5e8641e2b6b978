"""Generate several demo districts at once in worker processes.

Districts are independent (each has its own random streams), so they can be written in
parallel without changing a byte of the output. Workers are plain subprocesses running
``python -m analysis.demo.parallel`` rather than ``multiprocessing``: a spawned
``multiprocessing`` worker re-imports the caller's main script, which breaks any script that
calls :func:`analysis.demo.generate` without an ``if __name__ == "__main__"`` guard, and
forking a process that already runs threads (a progress bar, Arrow's pool) is unsafe.

Each worker receives a list of districts (split so that the workers get similar populations),
writes them one by one and prints one JSON line per finished district: its manifest entry.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path


def split(codes: list[str], sizes: dict[str, float], workers: int) -> list[list[str]]:
    """Greedy split of districts over workers, largest first, balancing total size."""
    bins: list[list[str]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for kab in sorted(codes, key=lambda k: (-sizes[k], k)):
        i = load.index(min(load))
        bins[i].append(kab)
        load[i] += sizes[kab]
    return [b for b in bins if b]


def run(codes: list[str], sizes: dict[str, float], out_dir: Path, years: tuple[int, ...], seed: int,
        workers: int, progress: Callable[[str], None] | None = None) -> dict[str, dict]:
    """Generate ``codes`` in ``workers`` subprocesses; return the manifest entries by district.

    Raises
    ------
    RuntimeError
        When a worker fails (its last error lines are included).
    """
    import analysis

    package_root = str(Path(analysis.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    lines: queue.Queue = queue.Queue()
    procs = []
    for chunk in split(codes, sizes, workers):
        err = tempfile.TemporaryFile()
        cmd = [sys.executable, "-m", "analysis.demo.parallel", str(out_dir), str(seed),
               ",".join(str(y) for y in years), ",".join(chunk)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, text=True)

        def pump(p=proc):
            for line in p.stdout:
                lines.put(line)
            lines.put(None)

        thread = threading.Thread(target=pump, daemon=True)
        thread.start()
        procs.append((proc, err, thread))
    entries: dict[str, dict] = {}
    finished = 0
    while finished < len(procs):
        line = lines.get()
        if line is None:
            finished += 1
            continue
        message = json.loads(line)
        entries[message["kab"]] = message["entry"]
        if progress is not None:
            progress(message["kab"])
    failures = []
    for proc, err, thread in procs:
        thread.join()
        if proc.wait() != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            failures.append("\n".join(tail))
        err.close()
    if failures or set(entries) != set(codes):
        raise RuntimeError("Pembuatan data demo paralel gagal:\n" + "\n---\n".join(failures))
    return entries


def main(argv: list[str]) -> int:
    """Worker: ``out_dir seed years codes`` (comma-separated lists); one JSON line per district."""
    from analysis.demo import _district

    out_dir, seed, years, codes = Path(argv[0]), int(argv[1]), tuple(int(y) for y in argv[2].split(",")), argv[3].split(",")
    for kab in codes:
        entry = _district(kab, out_dir, years, seed)
        print(json.dumps({"kab": kab, "entry": entry}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
