"""Command groups of the ``konvergensi`` command line; each module has ``register(app)``.

Shared by every command: the verbosity chosen with ``-q``/``-v`` and the console that prints
to the terminal. The console never reads console markup from data (a village called ``[/]``,
a unit ``[kg]`` in a message are printed as written): pass data as :class:`rich.text.Text`
or through :func:`say`, which prints plain text.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.text import Text

QUIET, NORMAL, VERBOSE = 0, 1, 2
_level = NORMAL


def set_verbosity(level: int) -> None:
    """``QUIET`` (``-q``: errors only), ``NORMAL`` or ``VERBOSE`` (``-v``: timings of every step)."""
    global _level
    _level = level


def verbosity() -> int:
    """The verbosity chosen on the command line."""
    return _level


def console(stderr: bool = True) -> Console:
    """A ``rich`` console: colours only on a terminal and never with ``NO_COLOR`` set.

    Off a terminal (a log file, a pipe) lines are at least 120 characters wide, so a status
    table keeps one row per line.
    """
    stream = sys.stderr if stderr else sys.stdout
    out = Console(file=stream, highlight=False, emoji=False)
    if not out.is_terminal:
        out.width = max(out.width, 120)
    return out


def say(message: str, *, stderr: bool = False, style: str | None = None, always: bool = False) -> None:
    """Print one line of plain text (never markup), unless ``-q`` was given (``always`` prints anyway)."""
    if _level == QUIET and not always:
        return
    console(stderr).print(Text(message, style=style or ""), soft_wrap=True)
