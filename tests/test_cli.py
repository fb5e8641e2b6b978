"""The command line's own behaviour: conventions, Indonesian words, exit statuses, no tracebacks.

Issue 11 point 8 (``--version``, ``-h``, ``-q``/``-v``, one naming rule with the old spellings
kept, exit 0/1/2, colours only on a terminal) and issue 16 point 7 (every message in Bahasa
Indonesia, Typer's own included; a log file that cannot be written).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from analysis import __version__, cli
from analysis.errors import InputFileError

#: English words of Typer/Click that must never reach an analyst.
ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "No such option",
           "Missing argument", "Missing option", "Invalid value", "Input should", "Try '",
           "requires an argument", "Got unexpected", "Error:", "[default", "[required]",
           "<bool>", "<int>", "<str>", "<path>", "Traceback")


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def english(text: str) -> list[str]:
    return [w for w in ENGLISH if w in text]


def test_version(capsys):
    for argv in (["--version"], ["versi"]):
        code, out, _ = run(argv, capsys)
        assert code == 0
        assert out.strip() == f"konvergensi {__version__}"


@pytest.mark.parametrize("argv", [["-h"], ["--help"], []])
def test_help_is_indonesian(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 0
    text = out + err
    assert "Penggunaan: konvergensi [OPSI] PERINTAH [ARGUMEN]..." in text
    assert "Opsi" in text and "Perintah" in text and "Tampilkan bantuan ini lalu keluar." in text
    for flag in ("--version", "--quiet", "-q", "--verbose", "-v", "-h"):
        assert flag in text
    assert english(text) == []


def test_every_command_has_indonesian_help(capsys):
    cli._register_all()
    import typer

    names = sorted(typer.main.get_command(cli.app).commands)  # type: ignore[attr-defined]
    assert {"render", "render-all", "index", "demo", "validate", "zscores"} <= set(names)
    for name in names:
        code, out, err = run([name, "-h"], capsys)
        assert code == 0, name
        assert f"Penggunaan: konvergensi {name}" in out, name
        assert english(out + err) == [], (name, english(out + err))


@pytest.mark.parametrize("argv, expected", [
    (["tidak-ada"], "Perintah 'tidak-ada' tidak dikenal."),
    (["render-all", "--taun", "2024"], "Opsi tidak dikenal: --taun (mungkin maksud Anda: --data, --tahun, --to)"),
    (["render"], "Argumen 'LAPORAN' wajib diisi."),
    (["render", "analisis-situasi", "--tahun", "2024abc"], "Nilai tidak sah untuk '--tahun': harus bilangan bulat"),
    (["render-all", "--jobs", "0"], "Nilai tidak sah untuk '--jobs' / '-j': harus 1 atau lebih."),
    (["render-all", "--out"], "Opsi '--out' memerlukan sebuah nilai."),
    (["render-all", "--laporan", "a", "b"], "Argumen tambahan tidak dikenal: b"),
    (["zscores", "a.csv"], "wajib diisi."),
])
def test_parse_errors_are_indonesian_user_errors(argv, expected, capsys):
    code, out, err = run(argv, capsys)
    assert code == 1
    assert expected in err
    assert err.startswith("Galat: ")
    assert english(out + err) == []


def test_quiet_and_verbose_before_or_after_the_command(tmp_path, capsys):
    code, out, err = run(["index", "--out", str(tmp_path)], capsys)
    assert code == 0 and f"Indeks: {tmp_path / 'index.html'}" in out
    for argv in (["-q", "index", "--out", str(tmp_path)], ["index", "--out", str(tmp_path), "--quiet"]):
        code, out, err = run(argv, capsys)
        assert code == 0 and out == "" and err == ""
    code, out, err = run(["index", "-v", "--out", str(tmp_path)], capsys)
    assert code == 0 and "Indeks:" in out


def test_old_option_spellings_still_work(tmp_path, capsys):
    code, out, _ = run(["index", "--keluaran", str(tmp_path / "lama")], capsys)
    assert code == 0 and (tmp_path / "lama" / "index.html").is_file()
    code, _, err = run(["render-all", "--reports", "tidak-ada"], capsys)
    assert code == 1 and "Parameter 'laporan': laporan 'tidak-ada' tidak dikenal." in err


def test_aliases_apply_only_where_the_new_name_exists():
    import typer

    cli._register_all()
    group = typer.main.get_command(cli.app)
    assert cli.normalise(["render", "x", "--keluaran=d", "-q", "--", "--keluaran"], group) == \
        ["-q", "render", "x", "--out=d", "--", "--keluaran"]
    assert cli.normalise(["render-all", "--workers", "3", "--reports", "a"], group) == \
        ["render-all", "--jobs", "3", "--laporan", "a"]
    # a command that has no --out keeps the old name (it is its own option there)
    if "--keluaran" in cli._option_names(group, "demo"):
        assert cli.normalise(["demo", "--keluaran", "d"], group) == ["demo", "--keluaran", "d"]


def test_user_error_is_a_message_not_a_traceback(capsys):
    @cli.app.command("gagal-uji")
    def _fail() -> None:
        raise InputFileError("eppgbm.csv", "kolom wajib tidak ada; desa [/] dan [/x], berat [kg]", column="JK")

    code, out, err = run(["gagal-uji"], capsys)
    assert code == 1
    assert "eppgbm.csv" in err and "JK" in err
    assert "desa [/] dan [/x], berat [kg]" in err  # data, not console markup
    assert "Traceback" not in out + err


def test_os_errors_of_the_environment_are_user_errors(capsys):
    @cli.app.command("disk-penuh-uji")
    def _full() -> None:
        raise OSError(28, "No space left on device", "/data/laporan.pdf")

    code, out, err = run(["disk-penuh-uji"], capsys)
    assert code == 1
    assert "Ruang disk penuh (/data/laporan.pdf). Kosongkan ruang disk" in err
    assert "No space left" not in err and "Traceback" not in err


def test_internal_error_goes_to_a_log(capsys, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    @cli.app.command("bug-uji")
    def _bug() -> None:
        raise ZeroDivisionError("x")

    code, out, err = run(["bug-uji"], capsys)
    assert code == 2
    assert "Traceback" not in out + err
    assert "Galat internal (ZeroDivisionError)" in err
    assert "ZeroDivisionError" in (tmp_path / "konvergensi-galat.log").read_text()


def test_a_log_path_that_cannot_be_written(capsys, tmp_path, monkeypatch):
    """Another user's file (or a link) at the log path: the next place, never a traceback."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path / "rumah"))
    (tmp_path / "rumah").mkdir()
    elsewhere = tmp_path / "milik-orang-lain.txt"
    elsewhere.write_text("jangan ditimpa", encoding="utf-8")
    (tmp_path / "konvergensi-galat.log").symlink_to(elsewhere)  # never followed

    @cli.app.command("bug-uji-2")
    def _bug() -> None:
        raise ZeroDivisionError("y")

    code, _, err = run(["bug-uji-2"], capsys)
    assert code == 2 and "Traceback" not in err
    assert elsewhere.read_text(encoding="utf-8") == "jangan ditimpa"
    own = tmp_path / f"konvergensi-galat-{os.getuid()}.log"
    assert str(own) in err and "ZeroDivisionError" in own.read_text()
    # nowhere writable: said so, still no traceback
    own.unlink()
    own.mkdir()
    (tmp_path / "rumah" / ".konvergensi-galat.log").mkdir()
    code, _, err = run(["bug-uji-2"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "rincian teknis tidak dapat disimpan" in err


def _tty_run(argv: list[str], **env: str) -> str:
    """Run the command line with a terminal as its output; return what it wrote."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", *argv], stdout=follower, stderr=follower,
                            env=dict(os.environ, TERM="xterm-256color", **env), close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def colours(text: str) -> list[str]:
    """ANSI colour codes in ``text`` (foreground/background; bold or reset are not colours)."""
    found = []
    for params in re.findall(r"\x1b\[([0-9;]*)m", text):
        codes = [int(c) for c in params.split(";") if c]
        found += [str(c) for c in codes if 30 <= c <= 49 or 90 <= c <= 107]
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal")
def test_colours_only_on_a_terminal_and_never_with_no_color():
    """NO_COLOR (no-color.org) forbids colour; bold type stays allowed."""
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    piped = subprocess.run([sys.executable, "-m", "analysis.cli", "render-all", "--taun", "1"],
                           capture_output=True, text=True, env=env)
    assert piped.returncode == 1 and not ansi.search(piped.stdout + piped.stderr)
    piped_help = subprocess.run([sys.executable, "-m", "analysis.cli", "-h"], capture_output=True, text=True,
                                env=env)
    assert not ansi.search(piped_help.stdout)
    os.environ.pop("NO_COLOR", None)
    assert colours(_tty_run(["render-all", "--taun", "1"])), "a terminal gets colours"
    assert colours(_tty_run(["-h"])), "a terminal gets colours"
    assert not colours(_tty_run(["render-all", "--taun", "1"], NO_COLOR="1"))
    assert not colours(_tty_run(["-h"], NO_COLOR="1"))
