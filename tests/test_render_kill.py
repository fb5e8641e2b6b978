"""Workers end when the parent ends; a killed run's leftovers are cleaned by the next (issue 16.10).

Before the change, killing only the main ``render-all`` process left its workers and kernels
running (about 1.7 GB), still publishing reports. Here a batch whose reports sleep is started,
and once both workers are inside a report, only the parent is sent SIGTERM or SIGKILL: every
descendant must be gone within a few seconds and nothing may be published.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_render_robust import FOLDERS, make_data, template

pytestmark = [pytest.mark.xdist_group("render"),
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")]

SLEEP = "import time\ntime.sleep(300)\n"


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left


def start(tmp_path: Path, extra: str, kabs=("64.74", "64.72")) -> tuple[subprocess.Popen, Path]:
    data = make_data(tmp_path / "data", kabs=kabs)
    tpl = template(tmp_path / "templates", extra)
    reports = tmp_path / "reports"
    env = dict(os.environ, KONVERGENSI_TEMPLATE_DIR=str(tpl), COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", "render-all", "--tahun", "2024",
                             "--data", str(data), "--out", str(reports), "--jobs", "2", "--to", "html"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    return proc, reports


def wait_for_staging(proc: subprocess.Popen, reports: Path, count: int, timeout: float = 240) -> None:
    """Until ``count`` reports are being rendered (their staging folders hold the owner lock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        staged = list((reports / "2024" / ".sementara").glob("*/.pemilik"))
        if len(staged) >= count:
            time.sleep(1.0)  # inside the sleeping cell by now
            return
        if proc.poll() is not None:
            raise AssertionError(f"render-all ended early: {proc.communicate()}")
        time.sleep(0.2)
    raise AssertionError("the workers never started a report")


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_children_end_with_the_parent(tmp_path, sig):
    proc, reports = start(tmp_path, SLEEP)
    try:
        wait_for_staging(proc, reports, 2)
        children = descendants(proc.pid)
        assert len(children) >= 2, children  # two workers (and whatever they started)
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p) for p in children):
            time.sleep(0.2)
        assert not [p for p in children if alive(p)], "processes outlived their parent"
        assert not list(reports.glob("2024/*/analisis-situasi.html")), "published after the kill"
        if sig == signal.SIGTERM:
            err = proc.stderr.read()
            assert proc.returncode == 128 + signal.SIGTERM
            assert "Dihentikan (SIGTERM)" in err and "Traceback" not in err
            assert not list((reports / "2024" / ".sementara").glob("*")), "staging left behind"
    finally:
        kill_group(proc)
        proc.communicate()


def test_the_next_run_removes_what_a_killed_run_left(tmp_path):
    proc, reports = start(tmp_path, SLEEP)
    try:
        wait_for_staging(proc, reports, 2)
        kill_group(proc)  # parent and workers at once: nobody can tidy up
        proc.wait(timeout=30)
    finally:
        kill_group(proc)
        proc.communicate()
    left = list((reports / "2024" / ".sementara").iterdir())
    assert len(left) == 2, left
    # a concurrent render (this test holds a live owner lock) must not lose its folder
    import fcntl

    busy = reports / "2024" / ".sementara" / "lain.analisis-situasi.aktif"
    busy.mkdir()
    with open(busy / ".pemilik", "w") as owner:
        fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
        quick = template(tmp_path / "cepat", "")
        rerun = subprocess.run(
            [sys.executable, "-m", "analysis.cli", "render-all", "--tahun", "2024", "--data",
             str(tmp_path / "data"), "--out", str(reports), "--jobs", "1", "--to", "html", "--kab", "64.74"],
            env=dict(os.environ, KONVERGENSI_TEMPLATE_DIR=str(quick)), capture_output=True, text=True,
            timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        assert not any(p.exists() for p in left), "abandoned staging folders were not removed"
        assert busy.is_dir(), "a folder still owned by a live process was removed"
    assert (reports / "2024" / FOLDERS["64.74"] / "analisis-situasi.html").is_file()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_single_render_ends_with_its_command(tmp_path, sig):
    """``konvergensi render`` runs the report in a watched child: it ends with the command."""
    data = make_data(tmp_path / "data", kabs=("64.74",))
    tpl = template(tmp_path / "templates", SLEEP)
    reports = tmp_path / "reports"
    env = dict(os.environ, KONVERGENSI_TEMPLATE_DIR=str(tpl))
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", "render", "analisis-situasi", "--kab", "64.74",
                             "--tahun", "2024", "--data", str(data), "--out", str(reports), "--to", "html"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        wait_for_staging(proc, reports, 1)
        children = descendants(proc.pid)
        assert children, "the report runs in a child of the command"
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p) for p in children):
            time.sleep(0.2)
        assert not [p for p in children if alive(p)]
        assert not list(reports.glob("2024/*/analisis-situasi.html"))
        if sig == signal.SIGTERM:
            err = proc.stderr.read()
            assert proc.returncode == 128 + signal.SIGTERM, err
            assert "Dihentikan (SIGTERM)" in err and "Traceback" not in err
            assert not list((reports / "2024" / ".sementara").glob("*"))
    finally:
        kill_group(proc)
        proc.communicate()
