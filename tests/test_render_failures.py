"""Failure messages of the renderer, as an analyst reads them (issue 16 point 7)."""

from __future__ import annotations

import errno
import signal

from analysis.render import failures


def test_failure_messages_are_indonesian():
    """Literal expected sentences: no English strerror, the file named."""
    full = OSError(errno.ENOSPC, "No space left on device", "/r/a.pdf")
    assert failures.os_error_message(full) == \
        "Ruang disk penuh (/r/a.pdf). Kosongkan ruang disk, lalu jalankan lagi."
    cell = failures.CellFailure("PermissionError", "[Errno 13] Permission denied: '/d/64.74/2024/eppgbm.csv'",
                                "", 2)
    assert failures.describe_cell(cell, set()) == (
        "Tidak ada izin untuk membaca atau menulis (/d/64.74/2024/eppgbm.csv) (sel ke-3 templat). "
        "Periksa izin berkas/folder (pemilik dan hak baca-tulis), lalu jalankan lagi.")
    assert failures.describe_cell(failures.CellFailure("DeadKernelError", "kernel berhenti tiba-tiba", ""),
                                  set()).startswith("Proses Python yang menjalankan notebook berhenti tiba-tiba")
    assert "dihentikan oleh SIGKILL, kemungkinan karena memori habis" in failures.died_message(-signal.SIGKILL)
    assert failures.describe_cell(failures.CellFailure("InputFileError", "Berkas x.csv: kolom 'JK' hilang", ""),
                                  {"InputFileError"}) == "Berkas x.csv: kolom 'JK' hilang"
