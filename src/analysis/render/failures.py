"""What went wrong in a render, in words a district analyst reads (Bahasa Indonesia).

Operating-system errors (a full disk, a file without read permission, a read-only folder)
arrive as English ``strerror`` text from the C library ("No space left on device"); a notebook
that raised arrives as the exception's class name and message; a kernel or worker that died
arrives as "Kernel died" or an exit signal. :func:`os_error_message`, :func:`describe_cell` and
:func:`died_message` turn each into one Indonesian sentence that names the file, so a status
table or an error line never shows the English original. Only the standard library is
imported: the command line uses this module before anything heavy is loaded.
"""

from __future__ import annotations

import errno
import re
import signal
from dataclasses import dataclass

#: ``errno`` → what happened, in Indonesian.
_OS_WORDS: dict[int, str] = {
    errno.ENOSPC: "ruang disk penuh",
    errno.EACCES: "tidak ada izin untuk membaca atau menulis",
    errno.EPERM: "operasi tidak diizinkan",
    errno.ENOENT: "berkas atau folder tidak ditemukan",
    errno.EROFS: "sistem berkas hanya dapat dibaca",
    errno.EISDIR: "yang ditunjuk adalah folder, bukan berkas",
    errno.ENOTDIR: "yang ditunjuk bukan folder",
    errno.EEXIST: "sudah ada",
    errno.ENOTEMPTY: "folder tidak kosong",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.ENFILE: "terlalu banyak berkas terbuka di sistem",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang",
    errno.EIO: "galat baca/tulis perangkat penyimpanan",
    errno.ENOMEM: "memori tidak cukup",
    errno.EFBIG: "berkas terlalu besar",
    errno.EBUSY: "berkas atau folder sedang dipakai",
    errno.EXDEV: "folder sementara dan tujuan berada di disk yang berbeda",
}
if hasattr(errno, "EDQUOT"):
    _OS_WORDS[errno.EDQUOT] = "kuota disk pengguna habis"

#: ``errno`` → what the user can do about it.
_OS_HINTS: dict[int, str] = {
    errno.ENOSPC: "Kosongkan ruang disk, lalu jalankan lagi.",
    errno.EACCES: "Periksa izin berkas/folder (pemilik dan hak baca-tulis), lalu jalankan lagi.",
    errno.EPERM: "Periksa izin berkas/folder, lalu jalankan lagi.",
    errno.EROFS: "Pilih folder keluaran yang dapat ditulisi.",
}
if hasattr(errno, "EDQUOT"):
    _OS_HINTS[errno.EDQUOT] = "Kosongkan ruang di kuota Anda, lalu jalankan lagi."

#: Errors of the user's environment (exit status 1), not bugs of the suite (exit status 2).
USER_ERRNOS = frozenset(n for n in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EACCES,
                                    errno.EPERM, errno.EROFS, errno.ENOENT, errno.EISDIR,
                                    errno.ENOTDIR, errno.ENAMETOOLONG, errno.EFBIG, errno.EMFILE)
                        if n is not None)

_ERRNO_TEXT = re.compile(r"^\[Errno (\d+)\] [^:]*(?::\s*'(.*?)')?(?:\s*->\s*'(.*?)')?\s*$", re.S)


def os_error_message(exc: OSError) -> str:
    """``[Errno 28] No space left on device: 'x.pdf'`` → ``Ruang disk penuh (berkas x.pdf). ...``.

    Parameters
    ----------
    exc : the operating-system error

    Returns
    -------
    str
        One sentence in Indonesian naming the file(s) involved, with a hint when there is one.
    """
    return _describe_errno(exc.errno, exc.filename, exc.filename2)


def _describe_errno(number: int | None, filename: object = None, filename2: object = None,
                    context: str = "") -> str:
    what = _OS_WORDS.get(number or -1, f"galat sistem operasi (errno {number})")
    files = [str(f) for f in (filename, filename2) if f not in (None, "")]
    where = f" ({' → '.join(files)})" if files else ""
    hint = _OS_HINTS.get(number or -1, "")
    return f"{what[0].upper()}{what[1:]}{where}{context}.{' ' + hint if hint else ''}"


def is_user_os_error(exc: BaseException) -> bool:
    """True for an :class:`OSError` the user can fix (disk full, permission, missing path)."""
    return isinstance(exc, OSError) and exc.errno in USER_ERRNOS


class Stopped(BaseException):
    """A render was asked to stop (``SIGTERM`` or Ctrl-C): workers are ended, then this propagates."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum


@dataclass
class CellFailure(Exception):
    """A notebook cell raised: ``ename``/``evalue`` of the exception and the cleaned traceback.

    ``cell_index`` counts the template's own cells (the injected parameter cell excluded),
    from 0, so a message can say "sel ke-3 templat".
    """

    ename: str
    evalue: str
    traceback: str
    cell_index: int | None = None

    def __str__(self) -> str:
        return f"{self.ename}: {self.evalue}"


#: Exception class names whose message the user can act on without reading code.
_OS_ENAMES = {"OSError", "PermissionError", "FileNotFoundError", "IsADirectoryError",
              "NotADirectoryError", "FileExistsError", "IOError"}


def describe_cell(failure: CellFailure, user_errors: set[str]) -> str:
    """The status-table message of a failed notebook.

    Parameters
    ----------
    failure : what the cell raised
    user_errors : class names of :class:`analysis.errors.KonvergensiError` and its subclasses,
        whose message is already written for the user
    """
    if failure.ename in user_errors:
        return failure.evalue
    where = f" (sel ke-{failure.cell_index + 1} templat)" if failure.cell_index is not None else ""
    if failure.ename in _OS_ENAMES:
        match = _ERRNO_TEXT.match(failure.evalue)
        if match:
            return _describe_errno(int(match.group(1)), match.group(2), match.group(3), where)
    if failure.ename == "MemoryError":
        return f"Memori tidak cukup untuk laporan ini{where}."
    if failure.ename in ("DeadKernelError", "KernelDied"):
        return died_message()
    if failure.ename == "TimeoutError":
        return f"Waktu habis{where}: {failure.evalue}."
    return f"Notebook gagal{where}: {failure.ename}: {failure.evalue}"


def died_message(exitcode: int | None = None) -> str:
    """A kernel or worker process that ended in the middle of a report (crash, memory, kill)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"sinyal {-exitcode}"
        cause = f"dihentikan oleh {name}"
        if -exitcode == getattr(signal, "SIGKILL", None):
            cause += ", kemungkinan karena memori habis"
        elif -exitcode == getattr(signal, "SIGSEGV", None):
            cause += ", galat di pustaka terkompilasi"
    elif exitcode is not None:
        cause = f"kode keluar {exitcode}"
    else:
        cause = "kemungkinan karena memori habis atau galat di pustaka terkompilasi"
    return (f"Proses Python yang menjalankan notebook berhenti tiba-tiba ({cause}). "
            "Laporan lain tidak terpengaruh; coba render laporan ini lagi.")
