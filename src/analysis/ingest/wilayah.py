"""Matching place names as typed in exports to Kemendagri codes.

Names are compared after normalisation: upper case, letters and digits only, single spaces,
and without the prefixes ``Desa``, ``Kelurahan``, ``Kel.``, ``Ds.``, ``Kecamatan``, ``Kec.``,
``Kabupaten``, ``Kab.``, ``Kota``. Matching is exact on the normalised name (no guessing);
names that do not match are reported to the analyst.
"""

from __future__ import annotations

import pandas as pd

from analysis.ingest.parsing import per_unique

PLACE_PREFIX = r"^(?:DESA|KELURAHAN|KEL|DS|KECAMATAN|KEC)\s+"
REGENCY_PREFIX = r"^(?:KABUPATEN|KAB|KOTA|KOTAMADYA|KODYA)\s+"


@per_unique
def normalise_place(text: pd.Series, prefix: str = PLACE_PREFIX) -> pd.Series:
    """Normalised place name (see module docstring); ``""`` for an empty cell."""
    t = (text.astype("string").fillna("").str.upper()
         .str.replace(r"[^0-9A-Z]+", " ", regex=True).str.strip())
    return t.str.replace(prefix, "", regex=True).str.strip()


def regency_matches(text: pd.Series, regencies: pd.DataFrame) -> pd.Series:
    """Kemendagri regency code of each ``Kab/Kota`` cell (<NA> where empty or unknown).

    Accepts the official name, the short name, the name with ``Kab.``/``Kota`` and the code
    with or without dots.
    """
    variants = []
    for row in regencies.itertuples(index=False):
        for name in (row.regency_name, row.regency_name_short):
            variants.append((name, row.regency_code))
        variants.append((row.regency_code, row.regency_code))
        variants.append((row.regency_code_nodot, row.regency_code))
    names = pd.Series([v[0] for v in variants])
    lookup = dict(zip(normalise_place(names, REGENCY_PREFIX), [v[1] for v in variants], strict=True))
    key = normalise_place(text, REGENCY_PREFIX)
    # codes keep their dot after normalisation as a space: "64 74"
    return key.map(lookup).astype("string")


def match_places(kec: pd.Series, desa: pd.Series, kecamatan: pd.DataFrame,
                 villages: pd.DataFrame) -> pd.DataFrame:
    """Kecamatan and desa codes for each row.

    Parameters
    ----------
    kec, desa : Series of str
        Names as typed in the export.
    kecamatan, villages : DataFrame
        The district's rows of ``reference.kecamatan()`` / ``reference.villages()``.

    Returns
    -------
    DataFrame (same index) with ``kec_code`` and ``desa_code`` (string, <NA> where unmatched).
    A desa is looked up within its kecamatan; when the kecamatan name is not recognised, a desa
    name that is unique in the whole district still identifies both.
    """
    kec_lookup = dict(zip(normalise_place(kecamatan["district_name"]), kecamatan["district_code"], strict=True))
    vil = villages.assign(_k=normalise_place(villages["village_name"]).to_numpy())
    by_kec = dict(zip(zip(vil["district_code"], vil["_k"], strict=True), vil["village_code"], strict=True))
    counts = vil["_k"].value_counts()
    unique_vil = vil[vil["_k"].map(counts) == 1]
    by_name = dict(zip(unique_vil["_k"], unique_vil["village_code"], strict=True))

    pairs = pd.DataFrame({"kec": normalise_place(kec).to_numpy(),
                          "desa": normalise_place(desa).to_numpy()}, index=kec.index)
    uniq = pairs.drop_duplicates().reset_index(drop=True)
    uniq["kec_code"] = uniq["kec"].map(kec_lookup)
    desa_codes = [by_kec.get((k, d)) if isinstance(k, str) else by_name.get(d)
                  for k, d in zip(uniq["kec_code"], uniq["desa"], strict=True)]  # loop over unique pairs only
    uniq["desa_code"] = desa_codes
    recovered = uniq["kec_code"].isna() & uniq["desa_code"].notna()
    uniq.loc[recovered, "kec_code"] = uniq.loc[recovered, "desa_code"].str.rsplit(".", n=1).str[0]
    merged = pairs.merge(uniq, on=["kec", "desa"], how="left")
    merged.index = kec.index
    return merged[["kec_code", "desa_code"]].astype("string")
