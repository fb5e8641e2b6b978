"""The command line's own words in Bahasa Indonesia: help pages and parse errors.

Typer (0.29, with its own copy of Click under ``typer._click``) writes most of its words as
English literals: "Usage:", "Show this message and exit.", ``<int>``, "No such option",
"Missing argument", and, for a value of the wrong type, Pydantic's "Input should be a valid
integer". Two mechanisms cover them:

- :func:`install` replaces the few names Typer looks up when it draws a help page (the panel
  titles, the help option's text, the usage prefix, the type labels); it checks each name
  exists, so a Typer that moved one only leaves that word in English (``tests/test_cli.py``
  fails then and names it);
- :func:`message` builds the Indonesian sentence of a parse error from the exception's own
  fields (the option, the parameter, the possible options), never from its English text,
  except for the inner message of a bad value, which is matched against :data:`VALUE_ERRORS`.

Nothing here changes the process-wide :mod:`gettext` domain.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

#: Words Typer passes through ``gettext`` or keeps as constants (English id → Indonesian).
MESSAGES: dict[str, str] = {
    "Options": "Opsi",
    "Arguments": "Argumen",
    "Commands": "Perintah",
    "Error": "Galat",
    "Aborted!": "Dibatalkan.",
    "Aborted.": "Dibatalkan.",
    "Missing command.": "Perintah belum diberikan.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "required": "wajib",
    "(deprecated) ": "(usang) ",
    "[default: {}]": "[bawaan: {}]",
    "[env var: {}]": "[variabel lingkungan: {}]",
    "[required]": "[wajib]",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "Lihat [blue]'{command_path} {help_option}'[/] untuk bantuan.",
}
HELP_OPTION = "Tampilkan bantuan ini lalu keluar."
USAGE_PREFIX = "Penggunaan: "
OPTIONS_METAVAR = "[OPSI]"
SUBCOMMAND_METAVAR = "PERINTAH [ARGUMEN]..."
#: Typer's type labels in help pages → Indonesian (flags show none).
TYPE_LABELS: dict[str, str] = {
    "<bool>": "", "<int>": "BILANGAN", "<float>": "ANGKA", "<str>": "TEKS", "<path>": "JALUR",
    "<file>": "BERKAS", "<directory>": "FOLDER", "<datetime>": "TANGGAL", "<int range>": "BILANGAN",
    "<float range>": "ANGKA", "<list[str]>": "TEKS", "<list[int]>": "BILANGAN",
}
_RICH_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ", "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]", "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands", "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.", "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}

#: Inner messages of a bad value (Pydantic's, through Typer) → Indonesian; ``{0}``... are groups.
VALUE_ERRORS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.I), t) for p, t in (
    (r"^Input should be a valid integer", "harus bilangan bulat, mis. 2024"),
    (r"^Input should be a valid number", "harus angka, mis. 1,5 ditulis 1.5"),
    (r"^Input should be a valid boolean", "harus ya/tidak (true/false)"),
    (r"^Input should be a valid string", "harus teks"),
    (r"^Input should be a finite number", "harus angka terhingga"),
    (r"^Input should be greater than or equal to (\S+)", "harus {0} atau lebih"),
    (r"^Input should be greater than (\S+)", "harus lebih dari {0}"),
    (r"^Input should be less than or equal to (\S+)", "harus {0} atau kurang"),
    (r"^Input should be less than (\S+)", "harus kurang dari {0}"),
    (r"^Input should be (.+)$", "harus salah satu dari {0}"),
    (r"^(.+) is not one of (.+)\.$", "{0} bukan salah satu dari {1}"),
    (r"^Value (.+) is not a valid (\w+)\.$", "{0} tidak sah"),
    (r"^'(.*)': (.*)$", "berkas '{0}' tidak dapat dibuka"),
)]
_KINDS = {"argument": "Argumen", "option": "Opsi", "parameter": "Parameter"}


def gettext(message: str) -> str:
    """Indonesian for a Typer message id (the id itself when it is not listed)."""
    return MESSAGES.get(message, message)


def value_error(inner: str) -> str:
    """The Indonesian reason of a bad value, from Typer's/Pydantic's English message."""
    first = inner.strip().splitlines()[0] if inner.strip() else ""
    for pattern, template in VALUE_ERRORS:
        match = pattern.search(first)
        if match:
            return template.format(*match.groups())
    return "nilai tidak dapat dipakai"


def _hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        try:
            hint = param.get_error_hint(getattr(exc, "ctx", None))
        except TypeError:  # an older signature without ctx
            hint = param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(h) for h in hint)
    return hint or ""


_OPTION_NEEDS = re.compile(r"^Option '(.+)' requires (?:an argument|(\d+) arguments)\.$")
_OPTION_NO_VALUE = re.compile(r"^Option '(.+)' does not take a value\.$")
_EXTRA = re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$")
_ARGUMENT_TAKES = re.compile(r"^Argument '(.+)' takes (\d+) values\.$")


def message(exc: Any) -> str:
    """The Indonesian message of a Typer/Click usage error (without the "Galat:" prefix)."""
    kind = type(exc).__name__
    text = str(getattr(exc, "message", "") or "")
    if kind == "NoSuchOption":
        name = getattr(exc, "option_name", "") or text.partition(":")[2].strip()
        out = f"Opsi tidak dikenal: {name}"
        possible = sorted(getattr(exc, "possibilities", None) or [])
        if possible:
            out += f" (mungkin maksud Anda: {', '.join(possible)})"
        return out
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        kind_name = str(getattr(exc, "param_type", None) or getattr(param, "param_type_name", ""))
        what = _KINDS.get(kind_name, "Parameter")
        hint = _hint(exc)
        return f"{what} {hint} wajib diisi." if hint else f"{what} wajib diisi."
    if kind == "BadParameter":
        hint = _hint(exc)
        return f"Nilai tidak sah untuk {hint}: {value_error(text)}." if hint else \
            f"Nilai tidak sah: {value_error(text)}."
    if kind == "FileError":
        return f"Berkas {getattr(exc, 'filename', '')!r} tidak dapat dibuka."
    match = _OPTION_NEEDS.match(text)
    if match:
        count = f"{match.group(2)} nilai" if match.group(2) else "sebuah nilai"
        return f"Opsi '{match.group(1)}' memerlukan {count}."
    match = _OPTION_NO_VALUE.match(text)
    if match:
        return f"Opsi '{match.group(1)}' tidak menerima nilai."
    match = _EXTRA.match(text)
    if match:
        return f"Argumen tambahan tidak dikenal: {match.group(1)}"
    match = _ARGUMENT_TAKES.match(text)
    if match:
        return f"Argumen '{match.group(1)}' memerlukan {match.group(2)} nilai."
    if text and text.isascii() and re.search(r"\b(the|is|not|no|such|option|argument|invalid)\b", text, re.I):
        return "Perintah tidak dapat dibaca; periksa nama perintah, opsi dan nilainya."
    return text or "Perintah tidak dapat dibaca."


def _set(module: Any, name: str, value: Any) -> bool:
    if module is not None and hasattr(module, name):
        setattr(module, name, value)
        return True
    return False


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - another Typer layout
        return None


_installed = False


def install() -> None:
    """Put the Indonesian words into Typer's help pages (idempotent)."""
    global _installed
    if _installed:
        return
    core = _module("typer.core")
    _set(core, "_", gettext)
    rich_utils = _module("typer.rich_utils")
    for constant, english in _RICH_CONSTANTS.items():
        _set(rich_utils, constant, gettext(english))
    highlighter = getattr(rich_utils, "OptionHighlighter", None)
    if highlighter is not None:
        highlighter.highlights = [h.replace("Usage: ", USAGE_PREFIX) for h in highlighter.highlights]

    decorators = _module("typer._click.decorators")
    original_help = getattr(decorators, "help_option", None)
    if original_help is not None:
        def help_option(param_decls: list[str]) -> Any:
            decorate = original_help(param_decls)

            def apply(command: Any) -> Any:
                command = decorate(command)
                command.params[-1].help = HELP_OPTION
                return command

            return apply

        decorators.help_option = help_option

    formatting = _module("typer._click.formatting")
    formatter = getattr(formatting, "HelpFormatter", None)
    if formatter is not None:
        write_usage = formatter.write_usage

        def write_usage_id(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

        formatter.write_usage = write_usage_id

    parameter = getattr(core, "_TyperParameter", None)
    if parameter is not None and hasattr(parameter, "display_type"):
        display_type = parameter.display_type

        def display_type_id(self: Any, ctx: Any) -> str:
            label = display_type(self, ctx)
            return TYPE_LABELS.get(label, label)

        parameter.display_type = display_type_id
    _installed = True
