"""Run the project's benchmarks: ``python benchmarks/run.py [NAME [options...]]``.

Discovers every ``benchmarks/bench_<name>.py`` module. Each exposes
``main(argv: list[str]) -> dict | None``: it runs, prints its own human-readable table and
returns its results. The runner writes whatever is returned as JSON to
``benchmarks/results/<name>-<UTC timestamp>.json`` (git-ignored). A benchmark may also return
``"headline": [lines]``: its key figures, printed again together at the end of the run (so
``make bench`` ends with the render ratios and the z-score figure in one place).

- ``run.py``            runs every benchmark (alphabetical order, default options);
- ``run.py growth ...`` runs one (``bench_growth.py``), passing the remaining arguments on;
- ``run.py --list``     lists the benchmarks found.

Exit status: 0 if every benchmark ran (and none returned ``{"ok": False}``), 1 otherwise.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def discover() -> dict[str, Path]:
    """``{name: path}`` of every ``bench_<name>.py`` next to this file."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "main", None)):
        raise TypeError(f"{path.name} has no main(argv) function")
    return module


HEADLINES: list[str] = []


def run_one(name: str, path: Path, argv: list[str]) -> bool:
    print(f"=== benchmark: {name} ({path.name}) ===", flush=True)
    started = time.perf_counter()
    try:
        result = _load(name, path).main(argv)
    except Exception:  # one broken benchmark must not hide the others' results
        traceback.print_exc()
        return False
    elapsed = time.perf_counter() - started
    if result is not None:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"{name}-{stamp}.json"
        payload = {"benchmark": name, "utc": stamp, "elapsed_seconds": elapsed, **result}
        out.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"results written to {out.relative_to(HERE.parent)}")
    if isinstance(result, dict):
        HEADLINES.extend(f"{name}: {line}" for line in result.get("headline", []))
    print(f"=== {name}: {elapsed:.1f} s ===\n", flush=True)
    return not (isinstance(result, dict) and result.get("ok") is False)


def main(argv: list[str]) -> int:
    found = discover()
    if argv[:1] == ["--list"]:
        print("\n".join(found))
        return 0
    if argv:
        name = argv[0].removeprefix("bench_").removesuffix(".py")
        if name not in found:
            print(f"benchmark tidak dikenal: {argv[0]}. Tersedia: {', '.join(found)}",
                  file=sys.stderr)
            return 1
        ok = run_one(name, found[name], argv[1:])
    else:
        ok = all([run_one(name, path, []) for name, path in found.items()])
    if HEADLINES:
        print("=== headline figures ===")
        print("\n".join(HEADLINES))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
