"""The ``konvergensi`` command line.

Each group of commands lives in ``analysis.commands.<topic>`` and exposes
``register(app)``; this module only assembles them and turns errors into
messages and exit statuses: 0 success, 1 the user's input or data is unusable
(clear message, no traceback), 2 an internal error (traceback in a log file).
"""

from __future__ import annotations

import importlib
import logging
import sys
import tempfile
import traceback
from pathlib import Path

import typer

from analysis.errors import KonvergensiError

app = typer.Typer(
    name="konvergensi",
    help="Laporan Aksi Konvergensi Percepatan Penurunan Stunting (analisis situasi, reviu kinerja, studi tiru).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Laporan Aksi Konvergensi Percepatan Penurunan Stunting."""


@app.command("versi")
def versi() -> None:
    """Tampilkan versi konvergensi."""
    from analysis import __version__

    typer.echo(f"konvergensi {__version__}")


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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``konvergensi`` script."""
    _register_all()
    try:
        # standalone mode lets click/typer print usage errors and --help itself
        app(args=argv, prog_name="konvergensi")
    except KonvergensiError as exc:
        typer.secho(f"Galat: {exc}", err=True, fg=typer.colors.RED)
        raise SystemExit(exc.exit_code) from None
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.secho("Dihentikan oleh pengguna.", err=True)
        raise SystemExit(130) from None
    except Exception as exc:
        log = Path(tempfile.gettempdir()) / "konvergensi-galat.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        typer.secho(
            f"Galat internal ({type(exc).__name__}). Ini adalah bug; rincian teknis tersimpan di {log}.",
            err=True, fg=typer.colors.RED,
        )
        raise SystemExit(2) from None
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
