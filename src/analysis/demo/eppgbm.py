"""The e-PPGBM export of a demo district-year, written as the register application writes it.

Exact Indonesian headers (:data:`HEADERS`), ``JK`` as ``L``/``P``, dates mostly
``dd/mm/yyyy`` with some ``yyyy-mm-dd`` and ``dd-mm-yyyy`` mixed in, decimals with a comma
or a point by district, ``Usia Saat Ukur`` as ``"X Tahun - Y Bulan - Z Hari"``, kecamatan and
desa names in the varied forms real exports have, and the application's own z-score columns
and Permenkes 2/2020 categories. CSV through pandas; ``.xlsx`` through xlsxwriter in
constant-memory mode with real Excel date cells.

Formatting works on unique values (a few thousand distinct dates, weights or ages) and maps
them back with ``numpy`` indexing, which keeps a million rows to a second or two.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.demo import lms, settings
from analysis.demo.population import EPOCH

HEADERS: tuple[str, ...] = (
    "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota",
    "Kec", "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur",
    "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U",
    "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP",
    "KIA",
)
DATE_COLUMNS = ("Tgl Lahir", "Tanggal Pengukuran")
NUMBER_COLUMNS = ("BB Lahir", "TB Lahir", "Berat", "Tinggi", "LiLA", "ZS BB/U", "ZS TB/U",
                  "ZS BB/TB", "PMT Diterima (kg)", "Jml Vit A")


def file_name(d: settings.District) -> str:
    """``eppgbm.csv`` or ``eppgbm.xlsx`` according to the district's format."""
    return "eppgbm.xlsx" if d.format["berkas"] == "xlsx" else "eppgbm.csv"


def _by_unique(values: np.ndarray, render) -> np.ndarray:
    uniq, inverse = np.unique(values, return_inverse=True)
    return np.array([render(u) for u in uniq], dtype=object)[inverse.reshape(-1)]


def numbers(values: np.ndarray, decimals: int, comma: bool) -> np.ndarray:
    """Numbers as text with ``decimals`` digits (comma decimal separator if ``comma``); NaN → ''."""
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    out = np.full(len(v), "", dtype=object)
    if ok.any():
        scaled = np.rint(v[ok] * 10**decimals).astype(np.int64)

        def render(k: int) -> str:
            text = f"{k / 10**decimals:.{decimals}f}"
            return text.replace(".", ",") if comma else text

        out[ok] = _by_unique(scaled, render)
    return out


def dates(days: np.ndarray, formats: np.ndarray, patterns: list[str]) -> np.ndarray:
    """Day numbers as text, row ``i`` in ``patterns[formats[i]]``."""
    out = np.empty(len(days), dtype=object)
    for k, pattern in enumerate(patterns):
        sel = formats == k
        if sel.any():
            out[sel] = _by_unique(days[sel], lambda d, p=pattern: (EPOCH + dt.timedelta(days=int(d))).strftime(p))
    return out


def age_text(birth: np.ndarray, measure: np.ndarray) -> np.ndarray:
    """``"X Tahun - Y Bulan - Z Hari"`` from day numbers (calendar difference); '' if negative."""
    b = birth.astype("datetime64[D]")
    m = measure.astype("datetime64[D]")
    bm_ = b.astype("datetime64[M]")
    mm_ = m.astype("datetime64[M]")
    bday = (b - bm_.astype("datetime64[D]")).astype(np.int64) + 1
    mday = (m - mm_.astype("datetime64[D]")).astype(np.int64) + 1
    months = (mm_ - bm_).astype(np.int64) - (mday < bday)
    anchor_m = bm_ + months.astype("timedelta64[M]")
    dim = ((anchor_m + 1).astype("datetime64[D]") - anchor_m.astype("datetime64[D]")).astype(np.int64)
    anchor = anchor_m.astype("datetime64[D]") + (np.minimum(bday, dim) - 1).astype("timedelta64[D]")
    days = (m - anchor).astype(np.int64)
    valid = measure >= birth
    code = np.where(valid, (months // 12) * 10000 + (months % 12) * 100 + days, -1)
    return _by_unique(code, lambda c: "" if c < 0 else f"{c // 10000} Tahun - {(c // 100) % 100} Bulan - {c % 100} Hari")


def place_variants(names: np.ndarray, kinds: np.ndarray, prefixes: bool) -> np.ndarray:
    """Ways an export writes each place name: shape ``(len(names), 5)``.

    Columns: plain, upper case, two prefixed forms (``DESA X``/``Desa X``, ``KELURAHAN X``/
    ``Kel. X``; for kecamatan both are upper case), and with stray spaces.
    """
    out = np.empty((len(names), 5), dtype=object)
    for i, (name, kind) in enumerate(zip(names, kinds)):
        if prefixes and kind == "kelurahan":
            pre = (f"KELURAHAN {name.upper()}", f"Kel. {name}")
        elif prefixes:
            pre = (f"DESA {name.upper()}", f"Desa {name}")
        else:
            pre = (name.upper(), name.upper())
        out[i] = (name, name.upper(), pre[0], pre[1], name.replace(" ", "  ", 1) + " ")
    return out


def _place_names(variants: np.ndarray, idx: np.ndarray, shares: dict, rng: np.random.Generator) -> np.ndarray:
    """Pick a written form per row (shares ``biasa``, ``kapital``, ``awalan``, ``spasi``)."""
    p = np.array([shares["biasa"], shares["kapital"], shares["awalan"] / 2, shares["awalan"] / 2,
                  shares["spasi"]], dtype=float)
    form = rng.choice(5, size=len(idx), p=p / p.sum())
    return variants[idx, form]


def build(rows: pd.DataFrame, d: settings.District, desa: pd.DataFrame, posyandu: pd.DataFrame,
          year: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The export table (all text, headers :data:`HEADERS`) and the rows' dates.

    Returns
    -------
    table : pandas.DataFrame
        Text cells exactly as written to a CSV.
    birth, measure : numpy.ndarray
        Day numbers of the two date columns, with -1 where the cell holds impossible text
        (used by the ``.xlsx`` writer for real date cells).
    """
    fmt = d.format
    comma = fmt["desimal"] == ","
    rng = settings.rng_for(d.kab, seed, f"ekspor-{year}")
    n = len(rows)
    sort_key = rng.random(n)
    order = np.lexsort((sort_key, rows["ukur"].to_numpy(), rows["posyandu"].to_numpy(),
                        rows["periode"].to_numpy()))
    r = rows.iloc[order].reset_index(drop=True)

    patterns = list(fmt["format_tanggal"].keys())
    probs = np.array([float(v) for v in fmt["format_tanggal"].values()])
    which = rng.choice(len(patterns), size=n, p=probs / probs.sum())
    birth = r["lahir"].to_numpy().astype(np.int64)
    measure = r["ukur"].to_numpy().astype(np.int64)
    lahir_teks = r["lahir_teks"].to_numpy()
    ukur_teks = r["ukur_teks"].to_numpy()
    tgl_lahir = np.where(lahir_teks != "", lahir_teks, dates(birth, which, patterns))
    tgl_ukur = np.where(ukur_teks != "", ukur_teks, dates(measure, which, patterns))
    dates_ok = (lahir_teks == "") & (ukur_teks == "")
    usia = np.where(dates_ok, age_text(birth, measure), "")

    sex = r["jk"].to_numpy().astype(np.int64)
    age = measure - birth
    lying = r["terlentang"].to_numpy()
    weight = r["berat"].to_numpy(dtype=float)
    height = r["tinggi"].to_numpy(dtype=float)
    waz, haz, whz = lms.zscores(sex, age, weight, height, lying)
    bad = ~dates_ok | (age < 0)
    waz, haz, whz = (np.where(bad, np.nan, np.round(z, 2)) for z in (waz, haz, whz))
    bbu = np.select([waz < -3, waz < -2, waz <= 1, waz > 1],
                    ["Berat Badan Sangat Kurang", "Berat Badan Kurang", "Berat Badan Normal",
                     "Risiko Berat Badan Lebih"], "")
    tbu = np.select([haz < -3, haz < -2, haz <= 3, haz > 3], ["Sangat Pendek", "Pendek", "Normal", "Tinggi"], "")
    bbtb = np.select([whz < -3, whz < -2, whz <= 1, whz <= 2, whz <= 3, whz > 3],
                     ["Gizi Buruk", "Gizi Kurang", "Gizi Baik", "Berisiko Gizi Lebih", "Gizi Lebih", "Obesitas"], "")

    shares = fmt["nama_wilayah"]
    desa_idx = r["desa"].to_numpy()
    kinds = desa["jenis"].to_numpy()
    kec = _place_names(place_variants(desa["nama_kec"].to_numpy(), kinds, False), desa_idx, shares, rng)
    desa_names = _place_names(place_variants(desa["nama_desa"].to_numpy(), kinds, True), desa_idx, shares, rng)
    typo = r["desa_teks"].to_numpy()
    desa_names = np.where(typo != "", typo, desa_names)

    table = pd.DataFrame({
        "NIK": r["nik"].to_numpy(),
        "Nama": r["nama"].to_numpy(),
        "JK": np.where(sex == 1, "L", "P"),
        "Tgl Lahir": tgl_lahir,
        "BB Lahir": numbers(r["bb_lahir"].to_numpy(), 1, comma),
        "TB Lahir": numbers(r["tb_lahir"].to_numpy(), 1, comma),
        "Nama Ortu": r["ortu"].to_numpy(),
        "Prov": d.provinsi.upper(),
        "Kab/Kota": d.nama.upper(),
        "Kec": kec,
        "Pukesmas": desa["puskesmas"].to_numpy()[desa_idx],
        "Desa/Kel": desa_names,
        "Posyandu": posyandu["nama"].to_numpy()[r["posyandu"].to_numpy()],
        "RT": r["rt"].to_numpy(),
        "RW": r["rw"].to_numpy(),
        "Alamat": r["alamat"].to_numpy(),
        "Usia Saat Ukur": usia,
        "Tanggal Pengukuran": tgl_ukur,
        "Berat": numbers(weight, 1, comma),
        "Tinggi": numbers(height, 1, comma),
        "Cara Ukur": np.where(lying, "Terlentang", "Berdiri"),
        "LiLA": numbers(r["lila"].to_numpy(), 1, comma),
        "BB/U": bbu,
        "ZS BB/U": numbers(waz, 2, comma),
        "TB/U": tbu,
        "ZS TB/U": numbers(haz, 2, comma),
        "BB/TB": bbtb,
        "ZS BB/TB": numbers(whz, 2, comma),
        "Naik Berat Badan": r["naik"].to_numpy(),
        "PMT Diterima (kg)": numbers(r["pmt"].to_numpy(), 1, comma),
        "Jml Vit A": r["vit_a"].to_numpy().astype(str),
        "KPSP": r["kpsp"].to_numpy(),
        "KIA": r["kia"].to_numpy(),
    }, columns=list(HEADERS), dtype=object)
    birth_cell = np.where(lahir_teks != "", -1, birth)
    measure_cell = np.where(ukur_teks != "", -1, measure)
    return table, birth_cell, measure_cell


def write_csv(table: pd.DataFrame, path: Path, d: settings.District) -> None:
    """Write the export as CSV with the district's separator and encoding.

    Written by pyarrow's CSV writer (tens of times faster than ``DataFrame.to_csv``). When no
    cell contains the separator or a quote, nothing is quoted (as Excel's "save as CSV" does);
    otherwise, typically decimal commas in a comma-separated file, every non-empty text cell is
    quoted, as web exports do. Empty cells stay empty. The header is never quoted.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    sep = d.format["pemisah"]
    # Names and addresses never hold the separator; decimal commas in a comma file do.
    needs_quotes = sep == d.format["desimal"]
    columns = {}
    for name in table.columns:
        # pa.array(..., mask=...) is slow on object arrays; nulling empty strings afterwards is not.
        values = pa.array(table[name].to_numpy(dtype=object), type=pa.string())
        columns[name] = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    options = pacsv.WriteOptions(delimiter=sep, quoting_style="needed" if needs_quotes else "none",
                                 quoting_header="none")
    with path.open("wb") as fh:
        if d.format["encoding"].lower() == "utf-8-sig":
            fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(pa.table(columns), fh, options)


def write_xlsx(table: pd.DataFrame, birth: np.ndarray, measure: np.ndarray, path: Path,
               d: settings.District, year: int, seed: int) -> None:
    """Write the export as ``.xlsx``: real date cells, numbers as numbers, NIK as text.

    A small share of date cells (``teks_tanggal_xlsx``) is typed as text, as happens when
    operators paste dates. Workbook metadata carry a fixed date so that the file is the same
    byte for byte on every run.
    """
    import xlsxwriter

    rng = settings.rng_for(d.kab, seed, f"xlsx-{year}")
    as_text = rng.random((len(table), 2)) < float(d.format["teks_tanggal_xlsx"])
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"title": f"Ekspor e-PPGBM {d.nama} {year}", "author": "e-PPGBM",
                       "created": dt.datetime(year, 12, 31, 8, 0, 0)})
    ws = wb.add_worksheet("Data")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    for j, h in enumerate(HEADERS):
        ws.write_string(0, j, h, bold)
    numeric = {HEADERS.index(c) for c in NUMBER_COLUMNS}
    date_cols = {HEADERS.index("Tgl Lahir"): (birth, 0), HEADERS.index("Tanggal Pengukuran"): (measure, 1)}
    values = table.to_numpy(dtype=object)
    base = dt.datetime(1970, 1, 1)
    for i in range(len(table)):
        row = values[i]
        for j in range(len(HEADERS)):
            cell = row[j]
            if j in date_cols:
                days, k = date_cols[j]
                if days[i] >= 0 and not as_text[i, k]:
                    ws.write_datetime(i + 1, j, base + dt.timedelta(days=int(days[i])), date_fmt)
                else:
                    ws.write_string(i + 1, j, cell)
            elif cell == "":
                continue
            elif j in numeric:
                ws.write_number(i + 1, j, float(cell.replace(",", ".")))
            else:
                ws.write_string(i + 1, j, cell)
    wb.close()
