"""Secrets that cannot silently weaken, and personal data typed into free-text columns.

Salt: a 0-byte ``.salt`` (what a full disk leaves on first use) made every later run hash
with the public empty key; now it is refused with advice, and a new salt is only ever
complete or absent. Free text: NIKs, phone numbers and the file's own children's names in
Posyandu, Pukesmas, Desa/Kel, OPD, programme or evidence names are masked at read time and
reported by row and column, never by value.
"""

from __future__ import annotations

import errno
import threading

import pandas as pd
import pytest

from analysis import config
from analysis.errors import InputFileError, ParameterError
from analysis.ingest import privacy, read_table, screening
from test_ingest import check_accounting, make_rows, read, write_csv


@pytest.fixture
def salt_dir(tmp_path, monkeypatch):
    """``config.PROCESSED_DIR`` in ``tmp_path`` with no KONVERGENSI_SALT."""
    monkeypatch.delenv(privacy.SALT_ENV, raising=False)
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")
    privacy._file_salt.cache_clear()
    yield tmp_path / "processed"
    privacy._file_salt.cache_clear()


# ------------------------------------------------------------------------------ salt

def test_empty_salt_file_is_refused_with_restore_advice(salt_dir):
    """Break 5: a 0-byte .salt was accepted and every key was hashed with the empty key."""
    salt_dir.mkdir()
    (salt_dir / ".salt").write_bytes(b"")
    with pytest.raises(InputFileError) as info:
        privacy.salt()
    message = str(info.value)
    assert ".salt" in message and "kosong" in message
    assert "cadangan" in message and "hapus" in message and "pseudonim" in message
    assert (salt_dir / ".salt").read_bytes() == b""  # never silently replaced


@pytest.mark.parametrize("content", [b"abc123", b"\x00" * 64, b"   \n"])
def test_short_or_damaged_salt_file_is_refused(salt_dir, content):
    salt_dir.mkdir()
    (salt_dir / ".salt").write_bytes(content)
    with pytest.raises(InputFileError, match="salt"):
        privacy.salt()


def test_short_salt_variable_is_refused(monkeypatch):
    monkeypatch.setenv(privacy.SALT_ENV, "pendek")
    with pytest.raises(ParameterError) as info:
        privacy.salt()
    assert "KONVERGENSI_SALT" in str(info.value) and str(privacy.MIN_SALT_CHARS) in str(info.value)


def test_salt_creation_failure_leaves_no_salt_file(salt_dir, monkeypatch):
    """A full disk while writing the new salt leaves no (empty) salt behind."""
    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(privacy.os, "write", full_disk)
    with pytest.raises(InputFileError) as info:
        privacy.salt()
    assert "disk penuh" in str(info.value) and "No space" not in str(info.value)
    assert not salt_dir.exists() or list(salt_dir.iterdir()) == []


def test_new_salt_is_complete_private_and_stable(salt_dir):
    first = privacy.salt()
    text = (salt_dir / ".salt").read_text(encoding="ascii")
    assert len(text) == 2 * privacy.SALT_BYTES and int(text, 16) >= 0
    assert (salt_dir / ".salt").stat().st_mode & 0o077 == 0
    privacy._file_salt.cache_clear()
    assert privacy.salt() == first
    assert [p.name for p in salt_dir.iterdir()] == [".salt"]  # no temporary file left


def test_concurrent_first_use_gives_one_salt(salt_dir):
    results, barrier = [], threading.Barrier(8)

    def first_use():
        barrier.wait()
        results.append(privacy._file_salt.__wrapped__(str(salt_dir / ".salt")))

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and len(set(results)) == 1
    assert [p.name for p in salt_dir.iterdir()] == [".salt"]


# -------------------------------------------------------------- personal data in free text

NIK = "6474019876543210"
PHONE = "0812-9988-7766"


def test_screen_masks_nik_phone_and_names_but_not_codes():
    names = screening.child_names(["ZUBAIDAH RAHASIAWATI", "Budi", "an. KRISNA PRIBADI SANTOSO"])
    text = pd.Series([
        f"Posyandu Mawar {NIK}", f"Puskesmas Utara (hub. {PHONE})", "Posyandu +62 812 3456 7890",
        "Posyandu 6281234567890", "Posyandu Zubaidah Rahasiawati", "Posyandu Budi Luhur",
        "1.02.02.2.02.0020", "SK Nomor 100.3.3.2/K.691/2023", "Posyandu Melati 2", "",
        "6474 0198 7654 3210", "Kepmendagri 050-5889/2021", "Posyandu AN. KRISNA PRIBADI SANTOSO",
        "Kader: Krisna Pribadi Santoso",
    ])
    masked, kinds = screening.screen(text, names)
    assert masked.tolist() == [
        "Posyandu Mawar (NIK disamarkan)", "Puskesmas Utara (hub. (nomor telepon disamarkan))",
        "Posyandu (nomor telepon disamarkan)", "Posyandu (nomor telepon disamarkan)",
        "Posyandu (nama disamarkan)", "Posyandu Budi Luhur",  # one-word names are not screened
        "1.02.02.2.02.0020", "SK Nomor 100.3.3.2/K.691/2023", "Posyandu Melati 2", "",
        "(NIK disamarkan)", "Kepmendagri 050-5889/2021", "Posyandu (nama disamarkan)",
        "Kader: (nama disamarkan)",  # the name without the register prefix "an."
    ]
    assert kinds.tolist() == ["nik", "telepon", "telepon", "telepon", "nama", "", "", "", "", "",
                              "nik", "", "nama", "nama"]


def test_export_free_text_is_masked_everywhere_and_reported_by_row(tmp_path):
    """Break 8 (issue point 6): NIKs, names and phone numbers typed into Posyandu, Pukesmas..."""
    frame = make_rows(6)
    frame.loc[1, "Posyandu"] = f"Posyandu Mawar {NIK}"
    frame.loc[2, "Pukesmas"] = f"PKM Uji, kader {PHONE}"
    frame.loc[3, "Posyandu"] = f"Posyandu {frame.loc[0, 'Nama']}"  # another child's name
    frame.loc[4, "Desa/Kel"] = f"{NIK}"
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 6)
    dump = result.rows.astype(str).to_csv() + result.measurements.astype(str).to_csv()
    for secret in (NIK, PHONE, "9988", frame.loc[0, "Nama"]):
        assert secret not in dump
    findings = result.files[0].findings
    assert findings[["baris", "kolom", "jenis"]].values.tolist() == [
        [3, "Posyandu", "nik"], [4, "Pukesmas", "telepon"], [5, "Posyandu", "nama"], [6, "Desa/Kel", "nik"]]
    assert result.rows.loc[1, "posyandu"] == "Posyandu Mawar (NIK disamarkan)"
    assert result.accounting.loc[4, "alasan_kode"] == "desa_tidak_dikenal"


def test_table_free_text_is_masked_and_reported(tmp_path):
    from analysis.ingest.tables import read_table_report

    path = tmp_path / "anggaran.csv"
    path.write_text(
        "opd;kode_subkegiatan;nama_subkegiatan;kode_indikator;pagu;realisasi;kode_desa\n"
        f"Dinas Kesehatan (WA {PHONE});1.02.02.2.02.0004;Pemberian PMT {NIK};TUMBUH_KEMBANG;1000;900;\n"
        "Bappeda;1.02.02.2.02.0005;Rembuk stunting;;2000;2000;\n", encoding="utf-8")
    report = read_table_report("anggaran", path, kab="64.74", tahun=2024)
    assert report.frame["opd"].tolist() == ["Dinas Kesehatan (WA (nomor telepon disamarkan))", "Bappeda"]
    assert report.frame["nama_subkegiatan"].tolist()[0] == "Pemberian PMT (NIK disamarkan)"
    assert report.frame["kode_subkegiatan"].tolist() == ["1.02.02.2.02.0004", "1.02.02.2.02.0005"]
    assert report.findings[["baris", "kolom", "jenis"]].values.tolist() == [
        [2, "opd", "telepon"], [2, "nama_subkegiatan", "nik"]]
    assert read_table("anggaran", path, kab="64.74").equals(report.frame.drop(columns="tahun"))
