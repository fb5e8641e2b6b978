"""The command line's own behaviour: help, version, exit statuses, no tracebacks."""

from __future__ import annotations

import pytest

from analysis import __version__, cli
from analysis.errors import InputFileError


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_version(capsys):
    code, out, _ = run(["versi"], capsys)
    assert code in (0, None)
    assert __version__ in out


def test_unknown_command_is_a_usage_error(capsys):
    code, out, err = run(["tidak-ada"], capsys)
    assert code == 2
    assert "Traceback" not in out + err


def test_user_error_is_a_message_not_a_traceback(capsys, monkeypatch):
    @cli.app.command("gagal-uji")
    def _fail() -> None:
        raise InputFileError("eppgbm.csv", "kolom wajib tidak ada", column="JK")

    code, out, err = run(["gagal-uji"], capsys)
    assert code == 1
    assert "eppgbm.csv" in err and "JK" in err
    assert "Traceback" not in out + err


def test_internal_error_goes_to_a_log(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    @cli.app.command("bug-uji")
    def _bug() -> None:
        raise ZeroDivisionError("x")

    code, out, err = run(["bug-uji"], capsys)
    assert code == 2
    assert "Traceback" not in out + err
    assert "Galat internal" in err
    assert "ZeroDivisionError" in (tmp_path / "konvergensi-galat.log").read_text()
