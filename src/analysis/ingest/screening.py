"""Personal data typed into free-text columns: found when a file is read, masked at once.

Columns such as Posyandu, Pukesmas, Desa/Kel (as typed), an OPD, a programme or an evidence
name reach reports, workbooks, caches and ``validate`` output. Analysts sometimes type a NIK,
a phone number or a child's name into them. :func:`screen` finds

- NIK: 16 digits in a row (spaces, dots or hyphens between them allowed);
- phone numbers in Indonesian forms: mobile numbers ``08…``, ``+628…``, ``628…`` (10 to 13
  digits, separators allowed) and any number written with ``+62``;
- the names of the file's own children (from its ``Nama`` column, before that column is
  dropped): a whole name of at least two words, as words, ignoring case and punctuation.
  One-word names are not screened: they are also flower and place names that posyandu are
  named after ("Melati", "Mawar").

and replaces each match with a mask (:data:`MASKS`), so nothing downstream can carry it; the
caller reports where (file, row, column, kind), never what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.ingest.parsing import per_unique

#: Kind of personal data → the text that replaces it.
MASKS = {"nik": "(NIK disamarkan)", "telepon": "(nomor telepon disamarkan)", "nama": "(nama disamarkan)"}
#: Kind → how ``validate`` names it.
KIND_TEXT = {"nik": "NIK (16 digit)", "telepon": "nomor telepon", "nama": "nama anak dari berkas ini"}

_SEP = r"[ .\-]?"
NIK_PATTERN = re.compile(rf"(?<![\d])\d(?:{_SEP}\d){{15}}(?![\d])")
PHONE_PATTERN = re.compile(
    rf"(?<![\d+])(?:\+62|62|0){_SEP}8(?:{_SEP}\d){{8,11}}(?![\d])"  # mobile: 08xx, +628xx, 628xx
    rf"|\+62{_SEP}\(?\d{{1,4}}\)?(?:{_SEP}\d){{5,10}}(?![\d])"  # anything written with +62
)
_WORD = re.compile(r"[0-9A-Z]+")
#: Longest name (in words) looked for.
MAX_NAME_WORDS = 8


def name_words(text: str) -> tuple[str, ...]:
    """Upper-case words of ``text`` (letters and digits), as names are compared."""
    return tuple(_WORD.findall(text.upper()))


#: Words written before a child's name in registers ("An. Budi", "By. Ny. Sari": baby of Mrs Sari).
NAME_PREFIXES = frozenset({"AN", "ANAK", "BY", "BAYI", "NY"})


def child_names(names: Iterable[object]) -> frozenset[str]:
    """Names worth screening for: the distinct names of at least two words, with and without
    register prefixes (:data:`NAME_PREFIXES`), as upper-case words joined by single spaces.

    ``names`` may be raw or already normalised (:func:`analysis.ingest.privacy.normalise_name`).
    Vectorised: an export has as many names as children.
    """
    arrays = (pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray)
    text = pd.Series(names if isinstance(names, arrays) else list(names), dtype="string").dropna()
    words = text.str.upper().str.replace(r"[^0-9A-Z]+", " ", regex=True).str.strip()
    prefixes = "|".join(sorted(NAME_PREFIXES))
    bare = words.str.replace(rf"^(?:(?:{prefixes}) )+", "", regex=True)
    candidates = pd.concat([words, bare], ignore_index=True).drop_duplicates()
    n_words = candidates.str.count(" ") + 1
    keep = candidates[(candidates != "") & (n_words >= 2) & (n_words <= MAX_NAME_WORDS)]
    return frozenset(keep.tolist())


def _mask_names(text: str, names: frozenset[str]) -> tuple[str, bool]:
    words = name_words(text)
    found = []
    for n in range(2, min(len(words), MAX_NAME_WORDS) + 1):
        for i in range(len(words) - n + 1):
            if " ".join(words[i:i + n]) in names:
                found.append(words[i:i + n])
    if not found:
        return text, False
    for words_found in sorted(set(found), key=len, reverse=True):
        pattern = (r"(?<![0-9A-Za-z])" + r"[^0-9A-Za-z]+".join(re.escape(w) for w in words_found)
                   + r"(?![0-9A-Za-z])")
        text = re.sub(pattern, MASKS["nama"], text, flags=re.IGNORECASE)
    return text, True


@per_unique
def _screen_unique(text: pd.Series, names: frozenset[str]) -> tuple[pd.Series, pd.Series]:
    masked, kinds = [], []
    for value in text.tolist():
        found = []
        if any(ch.isdigit() for ch in value):
            value, n = NIK_PATTERN.subn(MASKS["nik"], value)
            if n:
                found.append("nik")
            value, n = PHONE_PATTERN.subn(MASKS["telepon"], value)
            if n:
                found.append("telepon")
        if names:
            value, hit = _mask_names(value, names)
            if hit:
                found.append("nama")
        masked.append(value)
        kinds.append(",".join(found))
    return pd.Series(masked, index=text.index, dtype="string"), pd.Series(kinds, index=text.index, dtype="string")


def screen(text: pd.Series, names: frozenset[str] = frozenset()) -> tuple[pd.Series, pd.Series]:
    """Mask NIKs, phone numbers and the given children's names in a column of free text.

    Parameters
    ----------
    text : Series of str
        Cells as read (``""`` or <NA> for empty).
    names : frozenset of str, optional
        From :func:`child_names`.

    Returns
    -------
    masked : Series of string
        ``text`` with every match replaced by its mask (<NA> stays <NA>).
    kinds : Series of string
        ``""`` for a clean cell, else the kinds found (``"nik"``, ``"telepon"``, ``"nama"``,
        comma-separated).
    """
    missing = text.isna()
    masked, kinds = _screen_unique(text.astype("string").fillna(""), names)
    return masked.mask(missing.to_numpy(), pd.NA), kinds


def findings(kinds: pd.Series, rows: Iterable[int], column: str, source: str) -> pd.DataFrame:
    """Where personal data was masked: ``sumber_berkas, baris, kolom, jenis`` (one row per cell)."""
    frame = pd.DataFrame({"baris": list(rows), "jenis": kinds.to_numpy()})
    frame = frame[frame["jenis"] != ""]
    return pd.DataFrame({"sumber_berkas": source, "baris": frame["baris"].astype("int64").to_numpy(),
                         "kolom": column, "jenis": frame["jenis"].astype(str).to_numpy()})


FINDING_COLUMNS = ["sumber_berkas", "baris", "kolom", "jenis"]


def empty_findings() -> pd.DataFrame:
    """No findings, with :data:`FINDING_COLUMNS`."""
    return pd.DataFrame({"sumber_berkas": pd.Series(dtype=str), "baris": pd.Series(dtype="int64"),
                         "kolom": pd.Series(dtype=str), "jenis": pd.Series(dtype=str)})
