"""A batch survives anything one report does (issue 16, points 4, 7, 9 and 10).

One ``render-all`` over five small districts, each broken in its own way, through the real
command line in a subprocess:

- 64.74 renders normally;
- 64.72: a data file without read permission (``chmod 000``; as root, with the capabilities
  that bypass file permissions dropped by ``setpriv``);
- 64.01: the worker process dies in the middle of the report (SIGKILL, as the out-of-memory
  killer does);
- 64.02: the disk is full when the report's outputs are written (``ENOSPC`` from the C library,
  injected by a ``sitecustomize`` in this district's staging folder only);
- 64.03: a cell raises with bracketed text from the data (``[/]``, ``[/x]``, ``[kg]``), which
  the status table must show as written, not read as console markup.

Before the change the permission error stopped the whole batch with "Galat internal
(PermissionError)", exit 2, nothing rendered and no status table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("render")

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
KABS = ("64.74", "64.72", "64.01", "64.02", "64.03")
FOLDERS = {"64.74": "64.74-kota-bontang", "64.72": "64.72-kota-samarinda", "64.01": "64.01-kabupaten-paser",
           "64.02": "64.02-kabupaten-kutai-kartanegara", "64.03": "64.03-kabupaten-berau"}

#: Extra cell of the test template: what each district does to its worker.
HOSTILE = '''
import os, signal
if kab == "64.01":
    os.kill(os.getpid(), signal.SIGKILL)
if kab == "64.03":
    from analysis.errors import ParameterError
    raise ParameterError("desa", "nama desa " + open(Path(data_dir) / kab / "2024" / "desa.txt").read().strip())
'''

#: Loaded by every Python process of the run (PYTHONPATH): writing into the staging folder of
#: 64.02 fails as on a full disk.
SITECUSTOMIZE = '''
import builtins, errno, io, os
def _check(file, mode):
    if isinstance(file, int):  # os.fdopen(mkstemp()[0]): the name behind the descriptor
        link = f"/proc/self/fd/{file}"
        name = os.readlink(link) if os.path.exists(link) else ""
    else:
        name = os.fspath(file) if isinstance(file, (str, bytes, os.PathLike)) else ""
    if isinstance(name, str) and ".sementara" in name and "64.02-" in name and any(c in mode for c in "wax+"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
_open, _fdopen = io.open, os.fdopen
def _full(file, mode="r", *args, **kwargs):
    _check(file, mode)
    return _open(file, mode, *args, **kwargs)
def _fdopen_full(fd, mode="r", *args, **kwargs):
    _check(fd, mode)
    return _fdopen(fd, mode, *args, **kwargs)
io.open = builtins.open = _full
os.fdopen = _fdopen_full
'''


def template(folder: Path, extra: str) -> Path:
    """The fixture template with one more code cell after its first code cell."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = json.loads((FIXTURES / "analisis_situasi.ipynb").read_text(encoding="utf-8"))
    first = next(i for i, c in enumerate(nb["cells"])
                 if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(first + 1, {"cell_type": "code", "execution_count": None, "id": "sisipan1",
                                   "metadata": {}, "outputs": [], "source": extra})
    (folder / "analisis_situasi.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return folder


def make_data(root: Path, kabs=KABS) -> Path:
    for i, kab in enumerate(kabs):
        folder = root / kab / "2024"
        folder.mkdir(parents=True)
        (folder / "nilai.csv").write_text(f"nilai\n{i + 1}\n{i + 2}\n", encoding="utf-8")
        (folder / "desa.txt").write_text("[/] dan [/x] (tinggi [kg])\n", encoding="utf-8")
    return root


def without_root_override() -> list[str]:
    """A prefix that makes file permissions count for root too (they do for everyone else)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("berjalan sebagai root tanpa setpriv: izin berkas tidak dapat diuji")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


def cli(args: list[str], template_dir: Path, extra_path: Path | None = None, prefix=(),
        **env_extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, KONVERGENSI_TEMPLATE_DIR=str(template_dir), COLUMNS="250")
    env.update(env_extra)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(extra_path), env.get("PYTHONPATH", "")) if p)
    return subprocess.run([*prefix, sys.executable, "-m", "analysis.cli", *args], env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    data = make_data(root / "data")
    locked = data / "64.72" / "2024" / "nilai.csv"
    locked.chmod(0)
    inject = root / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(textwrap.dedent(SITECUSTOMIZE), encoding="utf-8")
    tpl = template(root / "templates", HOSTILE)
    reports = root / "reports"
    try:
        result = cli(["render-all", "--tahun", "2024", "--data", str(data), "--out", str(reports),
                      "--jobs", "2", "--to", "html"], tpl, extra_path=inject, prefix=without_root_override())
    finally:
        locked.chmod(0o644)
    return {"result": result, "reports": reports, "data": data, "tpl": tpl}


def lines(text: str) -> str:
    """The status table's text without its box drawing (cells may wrap)."""
    return " ".join(text.replace("│", " ").replace("┃", " ").split())


def test_every_failure_is_its_own_row_and_the_rest_render(hostile_run):
    result, reports = hostile_run["result"], hostile_run["reports"]
    err = result.stderr
    assert result.returncode == 1, err
    assert "Traceback" not in result.stdout + err
    assert "Galat internal" not in err
    assert "Status render" in err
    assert "5 laporan: 1 dirender, 0 dilewati, 4 gagal" in err
    assert (reports / "2024" / FOLDERS["64.74"] / "analisis-situasi.html").is_file()
    for kab in ("64.72", "64.01", "64.02", "64.03"):
        assert not (reports / "2024" / FOLDERS[kab] / "analisis-situasi.html").exists(), kab


def test_messages_are_indonesian_and_name_the_file(hostile_run):
    err = lines(hostile_run["result"].stderr)
    # permission: named file, Indonesian words, no English strerror
    assert "Tidak ada izin untuk membaca atau menulis" in err and "nilai.csv" in err
    assert "Permission denied" not in err
    # the worker killed in the middle of a report
    assert "berhenti tiba-tiba" in err and "SIGKILL" in err
    assert "Kernel died" not in err
    # full disk
    assert "Ruang disk penuh" in err and "No space left on device" not in err


def test_bracketed_data_is_printed_as_written(hostile_run):
    err = hostile_run["result"].stderr
    assert "[/] dan [/x] (tinggi [kg])" in err.replace("\n", " ").replace("│", "")


def test_index_and_status_are_written_and_nothing_is_left_staged(hostile_run):
    reports = hostile_run["reports"]
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "Kota Bontang" in page and "Kota Samarinda" not in page
    assert not list(reports.rglob(".sementara")), list(reports.rglob(".sementara/*"))
    logs = {p.name for p in (reports / ".log").iterdir()}
    for kab in ("64.01", "64.02", "64.03"):  # every render that failed has its log, the killed one too
        assert f"2024-{FOLDERS[kab]}-analisis-situasi.log" in logs, kab
    assert "SIGKILL" in (reports / ".log" / "2024-64.01-kabupaten-paser-analisis-situasi.log").read_text()


def test_a_full_disk_for_the_index_is_a_message_and_exit_1(tmp_path):
    data = make_data(tmp_path / "data", kabs=("64.74",))
    tpl = template(tmp_path / "templates", "")
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(textwrap.dedent(SITECUSTOMIZE).replace(
        '".sementara" in name and "64.02-" in name', '"index.html" in name'), encoding="utf-8")
    result = cli(["render-all", "--tahun", "2024", "--data", str(data), "--out", str(tmp_path / "r"),
                  "--to", "html", "--jobs", "1"], tpl, extra_path=inject)
    assert result.returncode == 1, result.stderr
    assert "1 laporan: 1 dirender" in result.stderr
    assert "Indeks tidak dapat ditulis: Ruang disk penuh" in lines(result.stderr)
    assert "Traceback" not in result.stderr


def test_out_pointing_at_a_file_is_a_user_error(tmp_path):
    data = make_data(tmp_path / "data", kabs=("64.74",))
    target = tmp_path / "berkas.txt"
    target.write_text("bukan folder", encoding="utf-8")
    for command in (["render", "analisis-situasi", "--kab", "64.74", "--tahun", "2024"], ["render-all"]):
        result = cli([*command, "--data", str(data), "--out", str(target)], FIXTURES)
        assert result.returncode == 1, result.stderr
        assert "adalah berkas, bukan folder" in lines(result.stderr)
        assert "Traceback" not in result.stderr and "Galat internal" not in result.stderr


def test_a_single_render_whose_process_dies_says_so(tmp_path):
    """``konvergensi render`` runs the notebook in its own process, watched by the command."""
    data = make_data(tmp_path / "data", kabs=("64.01",))
    tpl = template(tmp_path / "templates", HOSTILE)  # 64.01 kills its own process
    result = cli(["render", "analisis-situasi", "--kab", "64.01", "--tahun", "2024", "--data", str(data),
                  "--out", str(tmp_path / "r"), "--to", "html"], tpl)
    assert result.returncode == 1, result.stderr
    assert "berhenti tiba-tiba (dihentikan oleh SIGKILL, kemungkinan karena memori habis)" in lines(result.stderr)
    assert "Traceback" not in result.stderr and "Killed" not in result.stderr
    again = cli(["render", "analisis-situasi", "--kab", "64.01", "--tahun", "2024", "--data", str(data),
                 "--out", str(tmp_path / "r"), "--to", "html"], template(tmp_path / "baik", ""))
    assert again.returncode == 0, again.stderr
    assert not list((tmp_path / "r").rglob(".sementara/*")), "the killed render's staging folder is removed"
