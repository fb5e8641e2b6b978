"""Pseudonymisation: the child key, the installation salt, and which columns are personal.

The child key is a keyed BLAKE2b hash of the normalised NIK (or, when the NIK is missing or
not a 16-digit number, of the normalised name + birth date + sex). The key is a per-installation
secret: ``KONVERGENSI_SALT`` if set, else a random salt created once in
``data/processed/.salt`` (git-ignored). Without the salt a key cannot be linked back to a NIK by
hashing candidate NIKs.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from functools import cache
from importlib import resources

import pandas as pd

from analysis import config
from analysis.ingest.parsing import per_unique

SALT_ENV = "KONVERGENSI_SALT"
SALT_FILE = ".salt"
#: Hex characters kept from the hash (64 bits: no collisions in a district's lifetime).
KEY_BYTES = 8


def salt() -> bytes:
    """The installation's secret salt (32 bytes), created on first use if needed."""
    env = os.environ.get(SALT_ENV)
    if env:
        return hashlib.sha256(env.encode("utf-8")).digest()
    return _file_salt(str(config.PROCESSED_DIR / SALT_FILE))


@cache
def _file_salt(path_text: str) -> bytes:
    from pathlib import Path

    path = Path(path_text)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="ascii") as fh:  # exclusive: first process wins
                fh.write(secrets.token_hex(32))
            os.chmod(path, 0o600)
        except FileExistsError:
            pass
    text = path.read_text(encoding="ascii").strip()
    return hashlib.sha256(text.encode("ascii")).digest()


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
