"""The e-PPGBM export of a demo district-year, written as the register application writes it.

Exact Indonesian headers (:data:`HEADERS`), ``JK`` as ``L``/``P``, dates mostly
``dd/mm/yyyy`` with some ``yyyy-mm-dd`` and ``dd-mm-yyyy`` mixed in, decimals with a comma
or a point by district, ``Usia Saat Ukur`` as ``"X Tahun - Y Bulan - Z Hari"``, kecamatan and
desa names in the varied forms real exports have, and the application's own z-score columns
and Permenkes 2/2020 categories. CSV through pyarrow's writer; ``.xlsx`` through xlsxwriter
in constant-memory mode with real Excel date cells.

Formatting works on unique values (a few thousand distinct dates, weights or ages), rendered
once and spread over the rows with an Arrow ``take``, so a million rows take a second or two
and never pass through Python strings one by one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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
#: Categories of the register's own z-scores (Permenkes 2/2020), from the lowest class up.
BB_U = ("Berat Badan Sangat Kurang", "Berat Badan Kurang", "Berat Badan Normal", "Risiko Berat Badan Lebih")
TB_U = ("Sangat Pendek", "Pendek", "Normal", "Tinggi")
BB_TB = ("Gizi Buruk", "Gizi Kurang", "Gizi Baik", "Berisiko Gizi Lebih", "Gizi Lebih", "Obesitas")
NUMBER_COLUMNS = ("BB Lahir", "TB Lahir", "Berat", "Tinggi", "LiLA", "ZS BB/U", "ZS TB/U",
                  "ZS BB/TB", "PMT Diterima (kg)", "Jml Vit A")


def file_name(d: settings.District) -> str:
    """``eppgbm.csv`` or ``eppgbm.xlsx`` according to the district's format."""
    return "eppgbm.xlsx" if d.format["berkas"] == "xlsx" else "eppgbm.csv"


_NONE = np.iinfo(np.int64).min  # code of an empty cell


def _take(labels: list, codes: np.ndarray) -> pa.Array:
    """Arrow strings ``labels[codes[i]]`` (a ``None`` label gives an empty cell)."""
    return pa.array(labels, type=pa.string()).take(pa.array(np.asarray(codes, dtype=np.int64)))


def _by_unique(codes: np.ndarray, render) -> pa.Array:
    """Render each distinct integer code once and spread the texts over the rows."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    return _take([render(int(u)) for u in uniq], inverse.reshape(-1))


def text(values: np.ndarray) -> pa.Array:
    """Arrow strings from an object array; empty strings become empty (null) cells."""
    arr = pa.array(np.asarray(values, dtype=object), type=pa.string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def numbers(values: np.ndarray, decimals: int, comma: bool) -> pa.Array:
    """Numbers as text with ``decimals`` digits (comma decimal separator if ``comma``); NaN → empty."""
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    codes = np.full(len(v), _NONE, dtype=np.int64)
    codes[ok] = np.rint(v[ok] * 10**decimals).astype(np.int64)

    def render(k: int) -> str | None:
        if k == _NONE:
            return None
        out = f"{k / 10**decimals:.{decimals}f}"
        return out.replace(".", ",") if comma else out

    return _by_unique(codes, render)


def dates(days: np.ndarray, formats: np.ndarray, patterns: list[str], override: np.ndarray) -> pa.Array:
    """Day numbers as text, row ``i`` in ``patterns[formats[i]]``, or ``override[i]`` when not ''."""
    codes = formats.astype(np.int64) * 10**6 + days
    special = np.flatnonzero(override != "")
    codes[special] = -1 - np.arange(len(special))
    extra = {-1 - k: str(override[i]) for k, i in enumerate(special)}

    def render(code: int) -> str:
        if code < 0:
            return extra[code]
        day = EPOCH + dt.timedelta(days=code % 10**6)
        return day.strftime(patterns[code // 10**6])

    return _by_unique(codes, render)


def age_text(birth: np.ndarray, measure: np.ndarray, valid: np.ndarray | None = None,
             shift_months: np.ndarray | None = None) -> pa.Array:
    """``"X Tahun - Y Bulan - Z Hari"`` from day numbers (calendar difference).

    Empty where the measurement precedes birth or ``valid`` is False. ``shift_months`` adds
    months to the written age (an age copied wrongly from the KIA book).
    """
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
    if shift_months is not None:
        months = np.maximum(months + shift_months, 0)
    ok = (measure >= birth) if valid is None else (measure >= birth) & valid
    code = np.where(ok, (months // 12) * 10000 + (months % 12) * 100 + days, -1)
    return _by_unique(code, lambda c: None if c < 0 else f"{c // 10000} Tahun - {(c // 100) % 100} Bulan - {c % 100} Hari")


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


def _place_names(variants: np.ndarray, idx: np.ndarray, shares: dict, rng: np.random.Generator,
                 override: np.ndarray | None = None) -> pa.Array:
    """Pick a written form per row (shares ``biasa``, ``kapital``, ``awalan``, ``spasi``).

    ``override`` (text, '' where unused) replaces the name on some rows (mistyped names).
    """
    p = np.array([shares["biasa"], shares["kapital"], shares["awalan"] / 2, shares["awalan"] / 2,
                  shares["spasi"]], dtype=float)
    form = rng.choice(5, size=len(idx), p=p / p.sum())
    labels = variants.ravel().tolist()
    codes = idx.astype(np.int64) * variants.shape[1] + form
    if override is not None:
        special = np.flatnonzero(override != "")
        codes[special] = len(labels) + np.arange(len(special))
        labels += [str(override[i]) for i in special]
    return _take(labels, codes)


def build(rows: pd.DataFrame, d: settings.District, desa: pd.DataFrame, posyandu: pd.DataFrame,
          year: int, seed: int) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """The export table (all text, headers :data:`HEADERS`) and the rows' dates.

    Returns
    -------
    table : pyarrow.Table
        Text cells exactly as written to a CSV (null = empty cell).
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
    dates_ok = (lahir_teks == "") & (ukur_teks == "")

    sex = r["jk"].to_numpy().astype(np.int64)
    age = measure - birth
    lying = r["terlentang"].to_numpy().astype(bool)
    weight = r["berat"].to_numpy(dtype=float)
    height = r["tinggi"].to_numpy(dtype=float)
    waz, haz, whz = lms.zscores(sex, age, weight, height, lying)
    bad = ~dates_ok | (age < 0)
    waz, haz, whz = (np.where(bad, np.nan, np.round(z, 2)) for z in (waz, haz, whz))
    bbu = np.select([waz < -3, waz < -2, waz <= 1, waz > 1], [0, 1, 2, 3], 4)
    tbu = np.select([haz < -3, haz < -2, haz <= 3, haz > 3], [0, 1, 2, 3], 4)
    bbtb = np.select([whz < -3, whz < -2, whz <= 1, whz <= 2, whz <= 3, whz > 3], [0, 1, 2, 3, 4, 5], 6)

    shares = fmt["nama_wilayah"]
    desa_idx = r["desa"].to_numpy()
    kinds = desa["jenis"].to_numpy()
    kec = _place_names(place_variants(desa["nama_kec"].to_numpy(), kinds, False), desa_idx, shares, rng)
    desa_names = _place_names(place_variants(desa["nama_desa"].to_numpy(), kinds, True), desa_idx, shares, rng,
                              override=r["desa_teks"].to_numpy())
    zeros = np.zeros(n, dtype=np.int64)
    columns = {
        "NIK": text(r["nik"].to_numpy()),
        "Nama": text(r["nama"].to_numpy()),
        "JK": _take(["L", "P"], sex - 1),
        "Tgl Lahir": dates(birth, which, patterns, lahir_teks),
        "BB Lahir": numbers(r["bb_lahir"].to_numpy(), 1, comma),
        "TB Lahir": numbers(r["tb_lahir"].to_numpy(), 1, comma),
        "Nama Ortu": text(r["ortu"].to_numpy()),
        "Prov": _take([d.provinsi.upper()], zeros),
        "Kab/Kota": _take([d.nama.upper()], zeros),
        "Kec": kec,
        "Pukesmas": _take(desa["puskesmas"].tolist(), desa_idx),
        "Desa/Kel": desa_names,
        "Posyandu": _take(posyandu["nama"].tolist(), r["posyandu"].to_numpy()),
        "RT": text(r["rt"].to_numpy()),
        "RW": text(r["rw"].to_numpy()),
        "Alamat": text(r["alamat"].to_numpy()),
        "Usia Saat Ukur": age_text(birth, measure, dates_ok, r["usia_geser_bulan"].to_numpy()),
        "Tanggal Pengukuran": dates(measure, which, patterns, ukur_teks),
        "Berat": numbers(weight, 1, comma),
        "Tinggi": numbers(height, 1, comma),
        "Cara Ukur": _take(["Berdiri", "Terlentang"], lying.astype(np.int64)),
        "LiLA": numbers(r["lila"].to_numpy(), 1, comma),
        "BB/U": _take(list(BB_U) + [None], bbu),
        "ZS BB/U": numbers(waz, 2, comma),
        "TB/U": _take(list(TB_U) + [None], tbu),
        "ZS TB/U": numbers(haz, 2, comma),
        "BB/TB": _take(list(BB_TB) + [None], bbtb),
        "ZS BB/TB": numbers(whz, 2, comma),
        "Naik Berat Badan": text(r["naik"].to_numpy()),
        "PMT Diterima (kg)": numbers(r["pmt"].to_numpy(), 1, comma),
        "Jml Vit A": _take([str(k) for k in range(10)], r["vit_a"].to_numpy()),
        "KPSP": text(r["kpsp"].to_numpy()),
        "KIA": text(r["kia"].to_numpy()),
    }
    table = pa.table([columns[h] for h in HEADERS], names=list(HEADERS))
    birth_cell = np.where(lahir_teks != "", -1, birth)
    measure_cell = np.where(ukur_teks != "", -1, measure)
    return table, birth_cell, measure_cell


def write_csv(table: pa.Table | pd.DataFrame, path: Path, d: settings.District) -> None:
    """Write the export as CSV with the district's separator and encoding.

    Written by pyarrow's CSV writer (tens of times faster than ``DataFrame.to_csv``). When the
    decimal separator differs from the field separator, nothing is quoted (as Excel's "save as
    CSV" does); otherwise, typically decimal commas in a comma-separated file, every non-empty
    text cell is quoted, as web exports do. Empty cells stay empty. The header is never quoted.
    """
    if isinstance(table, pd.DataFrame):
        table = pa.table([text(table[c].to_numpy(dtype=object)) for c in table.columns],
                         names=[str(c) for c in table.columns])
    sep = d.format["pemisah"]
    # Names and addresses never hold the separator; decimal commas in a comma file do.
    needs_quotes = sep == d.format["desimal"]
    options = pacsv.WriteOptions(delimiter=sep, quoting_style="needed" if needs_quotes else "none",
                                 quoting_header="none")
    with path.open("wb") as fh:
        if d.format["encoding"].lower() == "utf-8-sig":
            fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(table, fh, options)


def write_xlsx(table: pa.Table, birth: np.ndarray, measure: np.ndarray, path: Path,
               d: settings.District, year: int, seed: int) -> None:
    """Write the export as ``.xlsx``: real date cells, numbers as numbers, NIK as text.

    A small share of date cells (``teks_tanggal_xlsx``) is typed as text, as happens when
    operators paste dates. Workbook metadata carry a fixed date so that the file is the same
    byte for byte on every run.
    """
    import xlsxwriter

    rng = settings.rng_for(d.kab, seed, f"xlsx-{year}")
    as_text = rng.random((table.num_rows, 2)) < float(d.format["teks_tanggal_xlsx"])
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"title": f"Ekspor e-PPGBM {d.nama} {year}", "author": "e-PPGBM",
                       "created": dt.datetime(year, 12, 31, 8, 0, 0)})
    ws = wb.add_worksheet("Data")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    for j, h in enumerate(HEADERS):
        ws.write_string(0, j, h, bold)
    numeric = {HEADERS.index(c) for c in NUMBER_COLUMNS}
    date_cols = {HEADERS.index(DATE_COLUMNS[0]): (birth, 0), HEADERS.index(DATE_COLUMNS[1]): (measure, 1)}
    values = [table.column(h).to_pylist() for h in HEADERS]
    base = dt.datetime(1970, 1, 1)
    for i in range(table.num_rows):
        for j in range(len(HEADERS)):
            cell = values[j][i]
            if j in date_cols:
                days, k = date_cols[j]
                if days[i] >= 0 and not as_text[i, k]:
                    ws.write_datetime(i + 1, j, base + dt.timedelta(days=int(days[i])), date_fmt)
                else:
                    ws.write_string(i + 1, j, cell)
            elif cell is None:
                continue
            elif j in numeric:
                ws.write_number(i + 1, j, float(cell.replace(",", ".")))
            else:
                ws.write_string(i + 1, j, cell)
    wb.close()
