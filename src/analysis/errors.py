"""One exception hierarchy for everything a user can act on.

Messages are in Bahasa Indonesia (analysts read them) and name the file, row,
column or parameter and what is allowed. They never contain personal data
(NIK, names, addresses, phone numbers): build them from column names, row
numbers and non-identifying values only.

The command line catches :class:`KonvergensiError` and prints its message
without a traceback (exit status 1). Anything else is a bug: it is logged with
its traceback to a file and reported as an internal error (exit status 2).
"""

from __future__ import annotations

from pathlib import Path


class KonvergensiError(Exception):
    """Base class: an error the user can fix (bad input, bad parameter)."""

    exit_code = 1


class ConfigError(KonvergensiError):
    """A configuration file in ``analysis/data/config`` is missing or malformed."""


class ParameterError(KonvergensiError):
    """A report or command parameter is unknown or has a value that is not allowed."""

    def __init__(self, name: str, message: str, allowed: object | None = None):
        text = f"Parameter '{name}': {message}"
        if allowed is not None:
            text += f" Nilai yang diperbolehkan: {allowed}."
        super().__init__(text)
        self.name = name
        self.allowed = allowed


class InputFileError(KonvergensiError):
    """A whole input file cannot be used (missing, empty, not a table, column missing).

    Parameters
    ----------
    path : path of the offending file
    message : what is wrong, in words an analyst understands
    column : the column concerned, if any
    row : the row number as the analyst sees it in Excel (header = row 1), if any
    """

    def __init__(self, path: str | Path, message: str, *, column: str | None = None,
                 row: int | None = None):
        where = f"Berkas {Path(path).name}"
        if row is not None:
            where += f", baris {row}"
        if column is not None:
            where += f", kolom '{column}'"
        super().__init__(f"{where}: {message}")
        self.path = Path(path)
        self.column = column
        self.row = row


class DataUnavailableError(KonvergensiError):
    """The data needed (a district, a year, a table) is not there."""


class ReferenceDataError(KonvergensiError):
    """Shipped reference data is missing or does not match its recorded checksum."""


class RenderError(KonvergensiError):
    """A report could not be rendered (the message says which step and where the log is)."""
