"""The ``konvergensi`` command line.

Each group of commands lives in ``analysis.commands.<topic>`` and exposes ``register(app)``;
this module assembles them and keeps the conventions every command shares:

- ``-h``/``--help``, ``--version``, ``-q``/``--quiet`` (errors only) and ``-v``/``--verbose``
  (timings of every step); ``-q``/``-v`` may also follow the command name;
- every word in Bahasa Indonesia, Typer's and Click's own included (:mod:`analysis.commands.bahasa`);
- one naming rule for options: report and data words in Indonesian (``--kab``, ``--tahun``,
  ``--laporan``, ``--paksa``, ``--kertas``), the command line's usual words in their usual
  spelling (``--data``, ``--out``/``-o``, ``--to``, ``--jobs``/``-j``). Earlier spellings stay
  as hidden aliases (:data:`ALIASES`), so existing scripts keep working;
- exit status 0 success, 1 the user's input, data or environment is unusable (a clear
  message, no traceback: a parse error, a missing file, a full disk, a permission), 2 an
  internal error (the traceback goes to a log file, never to the screen);
- colours only on a terminal, never with ``NO_COLOR`` set; data never read as console markup.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click import exceptions as click_errors

from analysis import __version__, commands
from analysis.commands import bahasa
from analysis.errors import KonvergensiError
from analysis.render.failures import Stopped, died_message, is_user_os_error, os_error_message
from analysis.render.lifetime import die_with_parent

bahasa.install()

app = typer.Typer(
    name="konvergensi",
    help="Laporan Aksi Konvergensi Percepatan Penurunan Stunting (analisis situasi, reviu kinerja, studi tiru).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar=bahasa.OPTIONS_METAVAR,
    subcommand_metavar=bahasa.SUBCOMMAND_METAVAR,
)

#: Earlier option spellings → today's (a hidden alias applies only where a command has the
#: new option and not the old one, so a command that still uses the old name is left alone).
ALIASES: dict[str, str] = {
    "--keluaran": "--out",
    "--workers": "--jobs",
    "--reports": "--laporan",
}
#: Options of the whole program that may also be written after the command name.
GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"konvergensi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                          help="Tampilkan versi lalu keluar.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Hanya tampilkan galat.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                          help="Tampilkan rincian (waktu setiap langkah).")] = False,
) -> None:
    """Laporan Aksi Konvergensi Percepatan Penurunan Stunting."""
    commands.set_verbosity(commands.QUIET if quiet else commands.VERBOSE if verbose else commands.NORMAL)


@app.command("versi")
def versi() -> None:
    """Tampilkan versi konvergensi."""
    _version(True)


# Command modules, registered in this order (each owns its own file).
COMMAND_MODULES = ("data", "render", "scale", "publikasi")


_registered: set[str] = set()


def _register_all() -> None:
    for name in COMMAND_MODULES:
        if name in _registered:
            continue
        try:
            module = importlib.import_module(f"analysis.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"analysis.commands.{name}":
                continue
            raise
        module.register(app)
        _registered.add(name)


def _option_names(group: Any, command: str) -> set[str]:
    sub = group.commands.get(command)
    return {opt for p in (sub.params if sub else []) for opt in getattr(p, "opts", [])}


def normalise(argv: list[str], group: Any) -> list[str]:
    """Global flags written after the command move to the front; hidden aliases become today's names.

    ``["render", "x", "--keluaran", "d", "-q"]`` → ``["-q", "render", "x", "--out", "d"]``.
    Nothing after ``--`` is touched.
    """
    if "--" in argv:
        cut = argv.index("--")
        head, tail = argv[:cut], argv[cut:]
    else:
        head, tail = list(argv), []
    command = next((a for a in head if not a.startswith("-")), None)
    if command is None or command not in group.commands:
        return argv
    position = head.index(command)
    flags = [a for a in head[position + 1:] if a in GLOBAL_FLAGS]
    rest = [a for a in head[position + 1:] if a not in GLOBAL_FLAGS]
    known = _option_names(group, command)
    for i, token in enumerate(rest):
        name, eq, value = token.partition("=")
        new = ALIASES.get(name)
        if new and new in known and name not in known:
            rest[i] = new + eq + value
    return head[:position] + flags + [command] + rest + tail


def _log_traceback(text: str) -> Path | None:
    """Write an internal error's traceback to a private log file; ``None`` when nowhere is writable.

    The shared temporary folder first (``konvergensi-galat.log``), then a name of this user's
    own (a file of that name may belong to another user), then the home folder. Never through
    a symbolic link.
    """
    tmp = Path(tempfile.gettempdir())
    candidates = [tmp / "konvergensi-galat.log"]
    if hasattr(os, "getuid"):
        candidates.append(tmp / f"konvergensi-galat-{os.getuid()}.log")
    candidates.append(Path.home() / ".konvergensi-galat.log")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    for path in candidates:
        try:
            fd = os.open(path, flags, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return None


def _error(message: str) -> None:
    commands.say(message, stderr=True, style="bold red", always=True)


def _usage_error(exc: click_errors.ClickException) -> None:
    _error(f"Galat: {bahasa.message(exc)}")
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        names = ctx.help_option_names or ["--help"]
        option = "-h" if "-h" in names else names[0]
        commands.say(f"Lihat '{ctx.command_path} {option}' untuk bantuan.", stderr=True, always=True)


#: Commands that execute a notebook in the command's own process (see :func:`_supervise`).
SUPERVISED = ("render",)


def _supervise(args: list[str]) -> None:
    """Run a notebook-executing command in a forked child and watch it (Linux, the script only).

    ``konvergensi render`` executes the report in its own process; if that process dies
    (the out-of-memory killer, a crash in compiled code) nothing of it could explain why. So the
    command forks before it starts: the child does the work, this parent only waits and then
    says in Indonesian what happened (exit 1 when killed, 2 for a crash). Ctrl-C reaches the
    child directly; ``SIGTERM`` to the parent is passed on; the child ends if the parent is
    killed. Returns in the child; never returns in the parent.
    """
    if not hasattr(os, "fork") or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return
    command = next((a for a in args if not a.startswith("-")), None)
    if command not in SUPERVISED or os.environ.get("KONVERGENSI_TANPA_PENGAWAS"):
        return
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        die_with_parent(parent)
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: os.kill(child, signal.SIGTERM))
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:  # pragma: no cover - retried by Python since 3.5
            continue
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        _error(f"Galat: {died_message(-sig)}")
        raise SystemExit(1 if sig == getattr(signal, "SIGKILL", None) else 2)
    raise SystemExit(os.WEXITSTATUS(status))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``konvergensi`` script (exits with 0, 1 or 2)."""
    _register_all()
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None:
        _supervise(args)
    commands.set_verbosity(commands.NORMAL)
    code: Any = 0
    try:
        args = normalise(args, typer.main.get_command(app))
        code = app(args=args, prog_name="konvergensi", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        commands.say(exc.format_message(), always=True)
        code = 0
    except click_errors.ClickException as exc:
        _usage_error(exc)
        code = 1
    except typer.Abort:
        _error("Dibatalkan.")
        code = 130
    except KonvergensiError as exc:
        _error(f"Galat: {exc}")
        code = exc.exit_code
    except KeyboardInterrupt:
        _error("Dihentikan oleh pengguna.")
        code = 130
    except SystemExit as exc:
        code = exc.code
    except BaseException as exc:
        if isinstance(exc, Stopped):
            _error(f"Dihentikan ({signal.Signals(exc.signum).name}); laporan yang sedang dirender "
                   "tidak diterbitkan.")
            code = 128 + exc.signum
        elif isinstance(exc, BrokenPipeError):
            code = 0  # the reader of our output went away (`| head`): nothing to say
        elif isinstance(exc, OSError) and is_user_os_error(exc):
            _error(f"Galat: {os_error_message(exc)}")
            code = 1
        elif isinstance(exc, Exception):
            log = _log_traceback(traceback.format_exc())
            where = (f"rincian teknis tersimpan di {log}" if log is not None
                     else "rincian teknis tidak dapat disimpan (folder sementara dan folder rumah "
                          "tidak dapat ditulisi)")
            _error(f"Galat internal ({type(exc).__name__}). Ini adalah bug; {where}.")
            code = 2
        else:
            raise
    if code is None:
        code = 0
    raise SystemExit(code if isinstance(code, int) else 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
