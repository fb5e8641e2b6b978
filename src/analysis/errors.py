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

import errno
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
    sheet : the worksheet, when the workbook has more than one that matters
    """

    def __init__(self, path: str | Path, message: str, *, column: str | None = None,
                 row: int | None = None, sheet: str | None = None):
        where = f"Berkas {Path(path).name}"
        if sheet is not None:
            where += f", lembar '{sheet}'"
        if row is not None:
            where += f", baris {row}"
        if column is not None:
            where += f", kolom '{column}'"
        super().__init__(f"{where}: {message}")
        self.path = Path(path)
        self.column = column
        self.row = row
        self.sheet = sheet


class OutputFileError(KonvergensiError):
    """An output file cannot be written (folder missing or read-only, disk full, ...).

    Parameters
    ----------
    path : path of the file that was to be written
    message : what went wrong and what to do, in Bahasa Indonesia
    """

    def __init__(self, path: str | Path, message: str):
        super().__init__(f"Berkas hasil {Path(path)}: {message}")
        self.path = Path(path)


class DataUnavailableError(KonvergensiError):
    """The data needed (a district, a year, a table) is not there."""


class ReferenceDataError(KonvergensiError):
    """Shipped reference data is missing or does not match its recorded checksum."""


class RenderError(KonvergensiError):
    """A report could not be rendered (the message says which step and where the log is)."""


_OS_ERRORS = {
    errno.EACCES: "tidak ada izin (hak akses) untuk berkas atau folder ini; periksa hak aksesnya, atau "
                  "tutup berkas bila sedang terbuka di program lain",
    errno.EPERM: "tidak ada izin (hak akses) untuk berkas atau folder ini; periksa hak aksesnya",
    errno.ENOENT: "berkas atau folder tidak ditemukan",
    errno.ENOSPC: "disk penuh; kosongkan ruang disk lalu ulangi",
    errno.EDQUOT: "kuota disk habis; kosongkan ruang disk lalu ulangi",
    errno.EROFS: "disk atau folder ini hanya dapat dibaca (read-only)",
    errno.EISDIR: "ini sebuah folder, bukan berkas",
    errno.ENOTDIR: "salah satu bagian lokasinya bukan folder",
    errno.EIO: "galat perangkat saat membaca atau menulis (disk rusak, terlepas, atau jaringan terputus)",
    errno.ENAMETOOLONG: "nama atau lokasi berkas terlalu panjang",
    errno.EMFILE: "terlalu banyak berkas terbuka sekaligus",
    errno.ENFILE: "terlalu banyak berkas terbuka sekaligus",
    errno.EBUSY: "berkas sedang dipakai program lain",
    errno.ETXTBSY: "berkas sedang dipakai program lain",
}


def describe_os_error(exc: OSError) -> str:
    """The cause of an operating-system error in Bahasa Indonesia (never the English ``strerror``).

    Parameters
    ----------
    exc : OSError
        As raised by ``open``, ``read``, ``os.replace``...

    Returns
    -------
    str
        For example ``"disk penuh; kosongkan ruang disk lalu ulangi"``; unknown causes give the
        error number so that a technician can look it up.
    """
    text = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if text is None:
        code = exc.errno if exc.errno is not None else type(exc).__name__
        text = f"galat sistem operasi (kode {code})"
    return text
