"""What ``konvergensi validate`` shows about an e-PPGBM read: reasons, unmatched places, signals.

Pure functions on :class:`~analysis.ingest.eppgbm.EppgbmResult` (pseudonymised rows only).
Signals are things worth a look, not verdicts: heaping of heights on whole and half
centimetres, weight and height probably swapped, implausible z-scores (WHO flags), an
``Usia Saat Ukur`` that disagrees with the dates, unknown measuring position.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from analysis import reference
from analysis.ingest.eppgbm import AGE_TEXT_TOLERANCE_DAYS, ANALYSED, EppgbmResult
from analysis.ingest.wilayah import normalise_place

#: Example row numbers listed per exclusion reason.
EXAMPLE_ROWS = 5
#: Share of heights ending in .0 or .5 expected without heaping (2 of 10 digits).
HEAPING_EXPECTED_PCT = 20.0
#: Share above which heaping is worth a look.
HEAPING_ALERT_PCT = 35.0
#: Fewest analysed heights for a posyandu to be listed for heaping.
HEAPING_MIN_N = 20
#: Share of flagged z-scores above which the data deserve a look (SMART: ≤ 2.5 % excellent).
FLAG_ALERT_PCT = 2.5
#: A balita weighs at most about 30 kg (WHO weight-for-age +5 SD at 60 months: 31 kg); a
#: value above this is a weight in grams (a child of 11.4 kg written 11400).
WEIGHT_GRAMS_ABOVE = 500.0
#: A balita is at most about 125 cm tall (WHO +5 SD at 60 months: 132 cm); a value above this
#: is a height in millimetres (865 for 86.5 cm).
HEIGHT_MM_ABOVE = 250.0
#: A weight column that holds heights (38–130 "kg") next to a height column that holds
#: weights (1–35 "cm") is swapped.
SWAP_WEIGHT_MIN, SWAP_HEIGHT_MAX = 38.0, 35.0
#: Share of a file's values above which a unit problem is reported for the whole file.
UNIT_SHARE = 0.5


def unit_findings(result: EppgbmResult) -> pd.DataFrame:
    """File-level unit problems: most weights in grams, most heights in mm, the columns swapped.

    Judged on every row of each file (or sheet) with a value, before any row is excluded;
    reported when more than :data:`UNIT_SHARE` of the values fit.

    Returns
    -------
    DataFrame ``sumber_berkas, kode, jumlah, dari, pesan`` (``kode``: ``berat_gram``,
    ``tinggi_mm``, ``berat_tinggi_tertukar``; ``jumlah`` of ``dari`` values fit).
    """
    rows = result.rows
    out = []
    for source, part in rows.groupby("sumber_berkas", sort=False):
        weight, height = part["weight_kg"], part["height_cm"]
        both = weight.notna() & height.notna()
        swapped = both & (weight >= SWAP_WEIGHT_MIN) & (height <= SWAP_HEIGHT_MAX)
        checks = [
            ("berat_tinggi_tertukar", int(swapped.sum()), int(both.sum()),
             "pasangan Berat/Tinggi tampaknya tertukar (kolom Berat berisi angka seperti tinggi dalam cm, "
             "kolom Tinggi berisi angka seperti berat dalam kg); periksa urutan atau judul kedua kolom"),
            ("berat_gram", int((weight > WEIGHT_GRAMS_ABOVE).sum()), int(weight.notna().sum()),
             f"nilai Berat lebih dari {WEIGHT_GRAMS_ABOVE:g}: tampaknya ditulis dalam gram, bukan kg "
             "(mis. 11400 untuk 11,4 kg); ekspor ulang dalam kg atau bagi dengan 1000"),
            ("tinggi_mm", int((height > HEIGHT_MM_ABOVE).sum()), int(height.notna().sum()),
             f"nilai Tinggi lebih dari {HEIGHT_MM_ABOVE:g}: tampaknya ditulis dalam milimeter, bukan cm "
             "(mis. 865 untuk 86,5 cm); ekspor ulang dalam cm atau bagi dengan 10"),
        ]
        for code, count, total, text in checks:
            if total and count > UNIT_SHARE * total:
                out.append({"sumber_berkas": str(source), "kode": code, "jumlah": count, "dari": total,
                            "pesan": text})
    return pd.DataFrame(out, columns=["sumber_berkas", "kode", "jumlah", "dari", "pesan"])


def reason_counts(result: EppgbmResult) -> pd.DataFrame:
    """Excluded rows per reason with the first Excel row numbers.

    Returns
    -------
    DataFrame ``alasan_kode, alasan, kolom, jumlah, contoh_baris`` (most frequent first).
    """
    rows = result.rows
    excluded = rows[rows["status"] != ANALYSED]
    if excluded.empty:
        return pd.DataFrame(columns=["alasan_kode", "alasan", "kolom", "jumlah", "contoh_baris"])
    several_files = rows["sumber_berkas"].nunique() > 1
    where = (excluded["sumber_berkas"].astype(str) + ":" if several_files else "") + excluded["baris"].astype(str)
    excluded = excluded.assign(_where=where.to_numpy())
    grouped = excluded.groupby("alasan_kode", sort=False)
    out = pd.DataFrame({
        "alasan": grouped["alasan"].first().str.replace(r"^(Nilai tidak mungkin):.*", r"\1", regex=True),
        "kolom": grouped["kolom"].agg(lambda s: ", ".join(sorted(set(s.dropna())))),
        "jumlah": grouped.size(),
        "contoh_baris": grouped["_where"].agg(lambda s: ", ".join(s.iloc[:EXAMPLE_ROWS])),
    }).reset_index()
    return out.sort_values("jumlah", ascending=False, kind="stable").reset_index(drop=True)


def unmatched_places(result: EppgbmResult) -> pd.DataFrame:
    """Kecamatan and desa names not found in the Kemendagri list, with counts.

    Returns
    -------
    DataFrame ``tingkat, kecamatan, desa, jumlah, saran`` (place names only, no personal
    data); ``saran`` is the closest Kemendagri name (within the kecamatan for a desa), if any
    is close enough to be a likely typing error.
    """
    rows = result.rows
    bad = rows[rows["alasan_kode"].isin(["kecamatan_tidak_dikenal", "desa_tidak_dikenal"])]
    if bad.empty:
        return pd.DataFrame(columns=["tingkat", "kecamatan", "desa", "jumlah", "saran"])
    level = np.where(bad["alasan_kode"] == "kecamatan_tidak_dikenal", "kecamatan", "desa")
    out = (bad.assign(tingkat=level, kode_kec=bad["kec_code"].fillna(""))
           .groupby(["tingkat", "kecamatan", "desa", "kode_kec"], dropna=False)
           .size().rename("jumlah").reset_index())
    kabs = {f.kab for f in result.files if f.kab}
    out["saran"] = _suggestions(out, kabs.pop() if len(kabs) == 1 else None)
    out = out.drop(columns="kode_kec")
    return out.sort_values(["jumlah", "tingkat"], ascending=[False, True]).reset_index(drop=True)


def _suggestions(unmatched: pd.DataFrame, kab: str | None) -> list[str]:
    """Closest official name for each unmatched name (loops over distinct names only)."""
    if kab is None:
        return [""] * len(unmatched)
    kec = reference.kecamatan(kab)
    vil = reference.villages(kab)
    kec_names = dict(zip(normalise_place(kec["district_name"]), kec["district_name"], strict=True))
    vil = vil.assign(_k=normalise_place(vil["village_name"]).to_numpy())
    out = []
    for row in unmatched.itertuples(index=False):
        if row.tingkat == "kecamatan":
            pool, name = kec_names, row.kecamatan
        else:
            here = vil[vil["district_code"] == row.kode_kec] if row.kode_kec else vil
            pool, name = dict(zip(here["_k"], here["village_name"], strict=True)), row.desa
        key = normalise_place(pd.Series([name], dtype="string")).iloc[0]
        close = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.75)
        out.append(pool[close[0]] if close else "")
    return out


def heaping_share(height_cm: pd.Series) -> float:
    """Percent of heights whose first decimal is 0 or 5 (NaN without heights)."""
    h = height_cm.dropna()
    if h.empty:
        return float("nan")
    digit = np.round(h.to_numpy() * 10).astype("int64") % 10
    return float(np.isin(digit, (0, 5)).mean() * 100)


def heaping_by_posyandu(result: EppgbmResult, top: int = 5) -> pd.DataFrame:
    """Posyandu with the highest share of heights on .0/.5 (at least :data:`HEAPING_MIN_N`)."""
    rows = result.rows
    a = rows[(rows["status"] == ANALYSED) & rows["height_cm"].notna()]
    if a.empty:
        return pd.DataFrame(columns=["posyandu", "desa", "n", "persen"])
    digit = np.round(a["height_cm"].to_numpy() * 10).astype("int64") % 10
    a = a.assign(_heap=np.isin(digit, (0, 5)))
    g = a.groupby(["posyandu", "desa"], dropna=False)["_heap"].agg(["size", "mean"]).reset_index()
    g.columns = ["posyandu", "desa", "n", "persen"]
    g["persen"] *= 100
    g = g[(g["n"] >= HEAPING_MIN_N) & (g["persen"] > HEAPING_ALERT_PCT)]
    return g.sort_values("persen", ascending=False).head(top).reset_index(drop=True)


def flags_by_posyandu(result: EppgbmResult, top: int = 5) -> pd.DataFrame:
    """Posyandu with the most measurements flagged as implausible (WHO flags), at least one.

    Returns
    -------
    DataFrame ``posyandu, desa, n, ditandai, persen``.
    """
    rows = result.rows
    a = rows[rows["status"] == ANALYSED]
    flagged = a[["haz_flag", "waz_flag", "whz_flag", "baz_flag"]].fillna(False).astype(bool).any(axis=1)
    g = (a.assign(_f=flagged.to_numpy()).groupby(["posyandu", "desa"], dropna=False)["_f"]
         .agg(["size", "sum"]).reset_index())
    g.columns = ["posyandu", "desa", "n", "ditandai"]
    g["persen"] = g["ditandai"] / g["n"] * 100
    g = g[g["ditandai"] > 0]
    return g.sort_values(["ditandai", "persen"], ascending=False).head(top).reset_index(drop=True)


def signals(result: EppgbmResult) -> pd.DataFrame:
    """Data-quality signals.

    Returns
    -------
    DataFrame ``kode, sinyal, jumlah, persen, perlu_dicek, keterangan``; ``persen`` is the share
    of the analysed rows (or of the rows it applies to).
    """
    rows = result.rows
    analysed = rows[rows["status"] == ANALYSED]
    n = len(analysed)
    out = []

    def add(code, title, count, pct, alert, note):
        out.append({"kode": code, "sinyal": title, "jumlah": int(count), "persen": pct,
                    "perlu_dicek": bool(alert), "keterangan": note})

    heights = analysed["height_cm"].dropna()
    heap = heaping_share(heights)
    add("heaping_tinggi", "Tinggi berakhiran ,0 atau ,5 cm",
        round(len(heights) * heap / 100) if len(heights) else 0, heap,
        len(heights) >= HEAPING_MIN_N and heap > HEAPING_ALERT_PCT,
        f"wajar sekitar {HEAPING_EXPECTED_PCT:.0f} %; jauh di atasnya berarti pembulatan saat mengukur")
    weights = analysed["weight_kg"].dropna()
    w_digit = np.round(weights.to_numpy() * 10).astype("int64") % 10
    w_share = float((w_digit == 0).mean() * 100) if len(weights) else float("nan")
    add("heaping_berat", "Berat berakhiran ,0 kg", int((w_digit == 0).sum()), w_share,
        len(weights) >= HEAPING_MIN_N and w_share > 25, "wajar sekitar 10 %")
    flag_cols = ["haz_flag", "waz_flag", "whz_flag", "baz_flag"]
    flagged = analysed[flag_cols].fillna(False).astype(bool).any(axis=1)
    pct = flagged.mean() * 100 if n else float("nan")
    add("z_tidak_masuk_akal", "Z-score di luar batas WHO (ditandai, tetap dianalisis)",
        flagged.sum(), pct, n > 0 and pct > FLAG_ALERT_PCT,
        "HAZ |z|>6, WAZ <-6 atau >5, WHZ/BAZ |z|>5; periksa pengukuran dan pencatatan")
    both = rows["weight_kg"].notna() & rows["height_cm"].notna()
    swapped = both & (rows["weight_kg"] > rows["height_cm"])
    add("berat_tinggi_tertukar", "Berat lebih besar dari tinggi (tertukar atau salah ketik)",
        swapped.sum(), swapped.sum() / max(int(both.sum()), 1) * 100, swapped.any(),
        "kolom Berat dan Tinggi kemungkinan tertukar, atau berat salah ketik (mis. 115 untuk 11,5)")
    text_age = rows["usia_teks_hari"] if "usia_teks_hari" in rows else pd.Series(np.nan, index=rows.index)
    mismatch = text_age.notna() & rows["age_days"].notna() & (
        (text_age - rows["age_days"]).abs() > AGE_TEXT_TOLERANCE_DAYS)
    add("usia_tidak_cocok", "'Usia Saat Ukur' tidak cocok dengan tanggal lahir dan tanggal ukur",
        mismatch.sum(), mismatch.sum() / max(int(text_age.notna().sum()), 1) * 100, mismatch.any(),
        f"selisih lebih dari {AGE_TEXT_TOLERANCE_DAYS} hari; periksa tanggal lahir (sering disalin dari buku KIA)")
    if "kunci_dari_nama" in rows:
        by_name = analysed["kunci_dari_nama"].fillna(False).astype(bool)
        add("nik_tidak_valid", "NIK kosong atau tidak 16 digit (anak dikenali dari nama, tanggal lahir dan JK)",
            by_name.sum(), by_name.mean() * 100 if n else float("nan"), n > 0 and by_name.mean() > 0.05,
            "NIK yang rusak (mis. 6,47E+15 setelah disimpan dari Excel) membuat anak sulit diikuti antar-penimbangan")
    if "kab_tidak_dikenal" in rows:
        unknown_kab = rows["kab_tidak_dikenal"].fillna(False).astype(bool)
        add("kab_tidak_dikenal", "Nama Kab/Kota tidak dikenali (baris tetap dianalisis)", unknown_kab.sum(),
            unknown_kab.mean() * 100 if len(rows) else float("nan"), unknown_kab.any(),
            "periksa ejaan kolom Kab/Kota; baris dengan kabupaten/kota lain yang dikenali dikeluarkan")
    unknown_pos = analysed["measure"].isna()
    add("cara_ukur_kosong", "Cara ukur kosong (posisi dianggap tidak diketahui)", unknown_pos.sum(),
        unknown_pos.mean() * 100 if n else float("nan"), False,
        "tanpa cara ukur tidak ada koreksi 0,7 cm berdiri/terlentang")
    return pd.DataFrame(out)
