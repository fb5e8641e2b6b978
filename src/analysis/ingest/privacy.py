"""Pseudonymisation: the child key, the installation salt, and which columns are personal.

The child key is a keyed BLAKE2b hash of the normalised NIK (or, when the NIK is missing or
not a 16-digit number, of the normalised name + birth date + sex). The key is a per-installation
secret: ``KONVERGENSI_SALT`` if set, else a random salt created once in
``data/processed/.salt`` (git-ignored). Without the salt a key cannot be linked back to a NIK by
hashing candidate NIKs.

A salt that is too short is refused, never used: a 0-byte ``.salt`` (left by a full disk on
first use) would make every key a hash with a public empty key. The file is therefore created
atomically (written and flushed to disk under a temporary name, then linked into place), so it
is either complete or absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import InputFileError, ParameterError, describe_os_error
from analysis.ingest.parsing import per_unique

SALT_ENV = "KONVERGENSI_SALT"
SALT_FILE = ".salt"
#: Hex characters kept from the hash (64 bits: no collisions in a district's lifetime).
KEY_BYTES = 8
#: Random bytes of a new salt (written as 64 hex characters).
SALT_BYTES = 32
#: Fewest characters a salt (file or ``KONVERGENSI_SALT``) may have: 16 hex characters are
#: 64 bits, beyond guessing; a shorter or empty salt would make the keys reversible from a
#: list of NIKs.
MIN_SALT_CHARS = 16
_SALT_TEXT = re.compile(r"[\x21-\x7e]+")  # printable ASCII without spaces


def salt() -> bytes:
    """The installation's secret salt (32 bytes), created on first use if needed.

    Raises
    ------
    ParameterError
        ``KONVERGENSI_SALT`` is set but shorter than :data:`MIN_SALT_CHARS`.
    InputFileError
        ``.salt`` exists but is empty, too short or not a salt (the message says how to
        restore it), or cannot be created.
    """
    env = os.environ.get(SALT_ENV)
    if env:
        if len(env) < MIN_SALT_CHARS:
            raise ParameterError(SALT_ENV, f"terlalu pendek ({len(env)} karakter; minimal {MIN_SALT_CHARS}). "
                                           "Pakai teks acak yang panjang dan simpan di tempat aman; bila nilainya "
                                           "diganti, kunci anak (pseudonim) ikut berubah.")
        return hashlib.sha256(env.encode("utf-8")).digest()
    return _file_salt(str(config.PROCESSED_DIR / SALT_FILE))


def _restore_advice(path: Path) -> str:
    return (f"Pulihkan berkas {path} dari cadangan (salinan lama folder data/processed). Bila tidak ada "
            "cadangan, hapus berkas itu: salt baru akan dibuat, tetapi semua kunci anak (pseudonim) berubah, "
            "sehingga hasil dan cache lama tidak dapat lagi dihubungkan dengan yang baru.")


@cache
def _file_salt(path_text: str) -> bytes:
    path = Path(path_text)
    if not path.exists():
        _create_salt(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"kunci penyamaran (salt) tidak dapat dibaca: {describe_os_error(exc)}.") from None
    text = raw.decode("ascii", errors="replace").strip()
    if len(text) < MIN_SALT_CHARS or not _SALT_TEXT.fullmatch(text):
        what = "kosong (0 karakter)" if not text else (
            f"terlalu pendek ({len(text)} karakter; minimal {MIN_SALT_CHARS})" if _SALT_TEXT.fullmatch(text)
            else "rusak (berisi karakter yang bukan salt)")
        raise InputFileError(path, f"kunci penyamaran (salt) {what}, sehingga tidak dipakai: dengan salt "
                                   f"seperti ini pseudonim anak dapat ditebak dari daftar NIK. {_restore_advice(path)}")
    return hashlib.sha256(text.encode("ascii")).digest()


def _create_salt(path: Path) -> None:
    """Write a new salt under a temporary name, flush it to disk, then link it into place.

    ``os.link`` fails when ``path`` already exists, so when two processes start at once the
    first salt wins and the other process reads it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _temporary(path)
    except OSError as exc:
        raise InputFileError(path, f"kunci penyamaran (salt) tidak dapat dibuat: {describe_os_error(exc)}.") from None
    tmp = Path(tmp_name)
    try:
        try:
            data = secrets.token_hex(SALT_BYTES).encode("ascii")
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process was first: its salt is the salt
        except OSError:
            if path.exists():
                raise
            os.rename(tmp, path)  # no hard links here (some network or FAT drives)
        _sync_folder(path.parent)
    except OSError as exc:
        raise InputFileError(path, f"kunci penyamaran (salt) tidak dapat dibuat: {describe_os_error(exc)}. "
                                   "Tidak ada berkas salt yang ditinggalkan; perbaiki penyebabnya lalu "
                                   "ulangi.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _temporary(path: Path) -> tuple[int, str]:
    name = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), str(name)


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of the new file (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def salt_fingerprint() -> str:
    """A short, non-reversible fingerprint of the salt (part of cache keys)."""
    return hashlib.blake2b(b"fingerprint", key=salt(), digest_size=6).hexdigest()


@per_unique
def normalise_nik(text: pd.Series) -> pd.Series:
    """NIK as 16 digits, or <NA> when missing, masked, all zeros or not 16 digits."""
    t = (text.astype("string").str.strip().str.lstrip("'")
         .str.replace(r"\.0+$", "", regex=True).str.replace(r"[\s-]", "", regex=True))
    valid = t.str.fullmatch(r"\d{16}").fillna(False) & ~t.str.fullmatch(r"0+").fillna(False)
    return t.where(valid, pd.NA)


@per_unique
def normalise_name(text: pd.Series) -> pd.Series:
    """Upper case, letters and digits only, single spaces; <NA> when empty."""
    t = (text.astype("string").str.upper().str.replace(r"[^0-9A-Z]+", " ", regex=True)
         .str.strip())
    return t.where(t.str.len() > 0, pd.NA)


def child_keys(nik: pd.Series, name: pd.Series, birth_date: pd.Series,
               sex: pd.Series) -> pd.Series:
    """Stable pseudonymous child key per row; <NA> when neither NIK nor name identify the child.

    Parameters
    ----------
    nik, name : Series of str
        Raw cells (``""`` when the column is absent or empty).
    birth_date : Series of datetime64
    sex : Series of Int8 (1/2)

    Returns
    -------
    Series of string, 16 hex characters.
    """
    nik_n = normalise_nik(nik)
    name_n = normalise_name(name)
    fallback = ("nama:" + name_n + "|" + birth_date.dt.strftime("%Y-%m-%d").astype("string")
                + "|" + sex.astype("string"))
    token = ("nik:" + nik_n).fillna(fallback)
    unique = pd.unique(token.dropna())
    key = salt()
    hashed = [hashlib.blake2b(t.encode("utf-8"), key=key, digest_size=KEY_BYTES).hexdigest()
              for t in unique]
    lookup = pd.Series(hashed, index=unique, dtype="string")
    return token.map(lookup).astype("string")


@cache
def _personal_patterns() -> tuple[re.Pattern, ...]:
    with resources.files("analysis.ingest").joinpath("pola_pribadi.csv").open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return tuple(re.compile(p) for p in frame["pola"])


def is_personal(key: str) -> bool:
    """True when a normalised header (see ``rawtable.header_key``) names personal data."""
    return any(p.search(key) for p in _personal_patterns())
