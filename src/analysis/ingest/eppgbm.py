"""The e-PPGBM export reader: read → pseudonymise → parse → validate → row accounting.

:func:`parse_file` reads one export and pseudonymises it at once (NIK, names, parents' names,
address, RT/RW and phone columns are gone before anything else happens); :func:`account`
takes the parsed files of one district (or one file), computes z-scores, applies the row
checks and returns the analysed measurements plus one accounting row per input row.
:func:`read_eppgbm` does both.

Every input row ends as ``dianalisis`` or ``dikeluarkan`` with a reason code, an Indonesian
reason and the column concerned (codes and texts in ``alasan.csv``); rows in = analysed +
excluded is asserted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import reference
from analysis.errors import InputFileError
from analysis.growth import compute_zscores
from analysis.ingest import parsing, privacy, screening, wilayah
from analysis.ingest.rawtable import RawBook, RawTable, header_key, read_raw_book

ANALYSED, EXCLUDED = "dianalisis", "dikeluarkan"
#: Age from which a child is no longer a balita (60 months, in days).
MAX_AGE_DAYS = 60 * parsing.DAYS_PER_MONTH
#: Disagreement (days) between ``Usia Saat Ukur`` and the age from the dates worth reporting.
AGE_TEXT_TOLERANCE_DAYS = 31

ACCOUNTING_COLUMNS = ["tahun", "sumber_berkas", "baris", "status", "alasan_kode", "alasan", "kolom"]
GROWTH_OUTPUTS = ["height_cm_adj", "bmi", "haz", "waz", "whz", "baz",
                  "haz_flag", "waz_flag", "whz_flag", "baz_flag"]
MEASUREMENT_COLUMNS = ["tahun", "periode", "child_key", "sumber_berkas", "baris", "kec_code",
                       "desa_code", "puskesmas", "posyandu", "sex", "birth_date", "measure_date",
                       "age_days", "weight_kg", "height_cm", "measure", "oedema", *GROWTH_OUTPUTS]


@cache
def column_spec() -> pd.DataFrame:
    """The e-PPGBM columns (``eppgbm_kolom.csv``): canonical name, export title, aliases, flags."""
    with resources.files("analysis.ingest").joinpath("eppgbm_kolom.csv").open(encoding="utf-8") as fh:
        spec = pd.read_csv(fh, dtype=str, keep_default_na=False)
    spec["wajib"] = spec["wajib"] == "1"
    spec["pribadi"] = spec["pribadi"] == "1"
    return spec


@cache
def header_lookup() -> dict[str, str]:
    """``header_key(title or alias) -> canonical column``."""
    lookup = {}
    for row in parsing.records(column_spec()):
        for title in [row.judul, *[a for a in row.alias.split("|") if a]]:
            lookup[header_key(title)] = row.kolom
    return lookup


@cache
def reasons() -> pd.DataFrame:
    """Exclusion reasons (``alasan.csv``: ``kode, alasan, kolom``), in order of precedence."""
    with resources.files("analysis.ingest").joinpath("alasan.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("kode")


def title(column: str) -> str:
    """The export's own header for a canonical column (``"tgl_lahir"`` → ``"Tgl Lahir"``)."""
    spec = column_spec()
    return str(spec.loc[spec["kolom"] == column, "judul"].iloc[0])


@dataclass
class ParsedFile:
    """One export after reading, pseudonymisation and parsing (no personal data inside).

    Attributes
    ----------
    path : Path
    rows : DataFrame
        One row per data row of the file (see :func:`parse_file`).
    header_row : int
        Excel row of the header.
    columns_found : list of str
        Header titles found (titles are not personal data).
    dropped_personal : list of str
        Personal columns removed right after reading.
    ignored : list of str
        Unknown columns ignored.
    kab : str or None
        District code used for place matching.
    notes : list of str
        Indonesian notes for the analyst (encoding, delimiter, other sheets, ...).
    sheets : list of str
        The sheets whose rows were read (empty for CSV).
    findings : DataFrame
        Personal data found and masked in free-text columns: ``sumber_berkas, baris, kolom,
        jenis`` (where, never what; see :mod:`analysis.ingest.screening`).
    """

    path: Path
    rows: pd.DataFrame
    header_row: int
    columns_found: list[str]
    dropped_personal: list[str]
    ignored: list[str]
    kab: str | None
    notes: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    findings: pd.DataFrame = field(default_factory=screening.empty_findings)


@dataclass
class EppgbmResult:
    """Measurements and row accounting of one or more exports.

    Attributes
    ----------
    rows : DataFrame
        Every input row (pseudonymised) with parsed values, z-scores, ``status`` and reason.
    measurements : DataFrame
        The analysed rows, columns :data:`MEASUREMENT_COLUMNS`.
    accounting : DataFrame
        One row per input row, columns :data:`ACCOUNTING_COLUMNS`.
    files : list of ParsedFile
    """

    rows: pd.DataFrame
    measurements: pd.DataFrame
    accounting: pd.DataFrame
    files: list[ParsedFile]


def _map_columns(raw: RawTable, sheet: str | None = None) -> tuple[dict[str, str], list[str], list[str]]:
    """Map found headers to canonical columns; return (mapping, personal, ignored)."""
    lookup = header_lookup()
    spec = column_spec().set_index("kolom")
    mapping: dict[str, str] = {}
    personal: list[str] = []
    ignored: list[str] = []
    for found in raw.frame.columns:
        key = header_key(found)
        canonical = lookup.get(key)
        if canonical is not None and canonical in mapping.values():
            if spec.loc[canonical, "pribadi"]:
                personal.append(found)
                continue
            first = next(k for k, v in mapping.items() if v == canonical)
            raise InputFileError(raw.path, f"kolom ganda: '{first}' dan '{found}' sama-sama berarti "
                                           f"'{title(canonical)}'. Hapus salah satunya.", column=found,
                                 sheet=sheet)
        if canonical is not None:
            mapping[found] = canonical
            if spec.loc[canonical, "pribadi"]:
                personal.append(found)
        elif privacy.is_personal(key):
            personal.append(found)
        else:
            ignored.append(found)
    return mapping, personal, ignored


def _check_required(raw: RawTable, mapping: dict[str, str], sheet: str | None = None) -> None:
    present = set(mapping.values())
    found = ", ".join(f"'{c}'" for c in raw.frame.columns)
    for row in parsing.records(column_spec()):
        if row.wajib and row.kolom not in present:
            raise InputFileError(raw.path, f"kolom wajib '{row.judul}' tidak ada. Kolom yang ditemukan "
                                           f"(baris judul {raw.header_row}): {found}.", column=row.judul,
                                 sheet=sheet)
    if not present & {"nik", "nama"}:
        raise InputFileError(raw.path, "kolom 'NIK' atau 'Nama' diperlukan untuk mengenali anak yang sama "
                                       f"antar-penimbangan; keduanya tidak ada. Kolom yang ditemukan: {found}.",
                             column="NIK", sheet=sheet)


def known_headers() -> dict[str, str]:
    """Header keys recognised in an e-PPGBM export (for finding the header row)."""
    spec = column_spec().set_index("kolom")
    return {k: str(spec.loc[v, "judul"]) for k, v in header_lookup().items()}


def infer_kab(rows: pd.DataFrame) -> str | None:
    """District code from the ``Kab/Kota`` cells (most common), else from kecamatan names."""
    regencies = reference.regencies()
    codes = wilayah.regency_matches(rows["_kab_text"], regencies).dropna()
    if len(codes):
        return str(codes.mode().iloc[0])
    kec = reference.kecamatan()
    names = wilayah.normalise_place(rows["_kec_text"])
    hits = kec.assign(_k=wilayah.normalise_place(kec["district_name"]).to_numpy())
    hits = hits[hits["_k"].isin(set(names.unique()) - {""})]
    if hits.empty:
        return None
    return str(hits["regency_code"].value_counts().index[0])


def parse_file(path: str | Path, kab: str | None = None, *, today: pd.Timestamp | None = None) -> ParsedFile:
    """Read one e-PPGBM export (``.csv`` or ``.xlsx``), pseudonymise it and parse every row.

    Parameters
    ----------
    path : str or Path
    kab : str, optional
        Kemendagri code of the district the file belongs to; inferred from ``Kab/Kota`` (or the
        kecamatan names) when omitted.
    today : Timestamp, optional
        Reference date for "measurement in the future" (default: today).

    Returns
    -------
    ParsedFile
        ``rows`` has: ``sumber_berkas, baris, child_key, sex, birth_date, measure_date,
        age_days, age_months, weight_kg, height_cm, measure, oedema, kab_code, kec_code,
        desa_code, kecamatan, desa, puskesmas, posyandu, usia_teks_hari`` and the preliminary
        ``alasan_kode`` / ``kolom`` of file-independent row faults.

    Raises
    ------
    InputFileError
        For file-level problems (see ``rawtable.read_raw_book``), a data sheet missing a
        required column (the message names the sheet), and duplicated columns.
    """
    book = read_raw_book(path, known_headers(), min_matches=3)
    combined = _combine(book)
    notes, header_row = _notes(book), book.tables[0].header_row
    sheets = [t.sheet for t in book.tables if t.sheet is not None]
    del book  # the raw cells, identifiers included, are no longer referenced
    frame, n = combined.frame, len(combined.frame)

    def cells(column: str) -> pd.Series:
        if column in frame:
            return frame[column].astype("string").reset_index(drop=True)
        return pd.Series([""] * n, dtype="string")

    blank = combined.blank
    sex, sex_bad = parsing.parse_sex(cells("jk"))
    birth, birth_bad = parsing.parse_date(cells("tgl_lahir"))
    # Pseudonymise first: identifiers are hashed and never stored.
    key = privacy.child_keys(cells("nik"), cells("nama"), birth, sex)
    nik_missing = privacy.normalise_nik(cells("nik")).isna()
    name_key = privacy.normalise_name(cells("nama"))
    no_identity = (nik_missing & name_key.isna()).to_numpy()
    names = screening.child_names(name_key.dropna().unique())
    frame = combined.frame = frame.drop(columns=[c for c in PERSONAL_CANONICAL if c in frame])  # gone
    personal, found_columns, ignored = combined.personal, combined.found, combined.ignored

    measured, measured_bad = parsing.parse_date(cells("tanggal_pengukuran"))
    weight, weight_bad = parsing.parse_decimal(cells("berat"))
    height, height_bad = parsing.parse_decimal(cells("tinggi"))
    measure, measure_bad = parsing.parse_measure(cells("cara_ukur"))
    age_days = (measured - birth).dt.days.astype("float64")
    free_text, findings = _screen_free_text(cells, names, combined)
    rows = pd.DataFrame({
        "sumber_berkas": combined.sources,
        "baris": combined.rows.astype("int64"),
        "child_key": key,
        "sex": sex,
        "birth_date": birth,
        "measure_date": measured,
        "age_days": age_days,
        "age_months": age_days / parsing.DAYS_PER_MONTH,
        "weight_kg": weight,
        "height_cm": height,
        "measure": measure,
        "oedema": False,
        "kecamatan": free_text["kec"],
        "desa": free_text["desa_kel"],
        "puskesmas": free_text["puskesmas"],
        "posyandu": free_text["posyandu"],
        "usia_teks_hari": parsing.parse_age_text(cells("usia_saat_ukur").astype("string")),
        "kunci_dari_nama": nik_missing.to_numpy(),
        "_kab_text": cells("kab_kota").astype("string"),
        "_kec_text": free_text["kec"],
    })
    if kab is None:
        kab = infer_kab(rows)
        if kab is None:
            notes.append("kabupaten/kota tidak dapat dikenali; kecamatan dan desa tidak dicocokkan")
    rows = _place_codes(rows, kab)

    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    if kab is not None:
        # Only a Kab/Kota naming another known district excludes a row; an unrecognised
        # spelling is kept (and reported by ``validate``): it cannot prove the row is elsewhere.
        outside = rows["kab_code"].notna() & (rows["kab_code"] != kab)
        rows["kab_tidak_dikenal"] = (rows["kab_code"].isna()
                                     & ~parsing.is_empty(rows["_kab_text"].fillna(""))).to_numpy()
    else:
        outside = pd.Series(False, index=rows.index)
    checks = row_checks(rows, today, places=kab is not None, blank=blank, outside=outside,
                        no_identity=no_identity, sex_bad=sex_bad, measure_bad=measure_bad,
                        weight_bad=weight_bad, height_bad=height_bad,
                        uncached=combined.uncached_columns)
    code, column = first_reasons(checks, rows.index)
    rows["alasan_kode"] = code
    rows["kolom"] = column
    rows = rows.drop(columns=["_kab_text", "_kec_text"])
    return ParsedFile(Path(path), rows, header_row, found_columns, personal, ignored, kab, notes,
                      sheets=sheets, findings=findings)


#: Canonical columns that identify a child: used for the child key, then dropped.
PERSONAL_CANONICAL = ("nik", "nama")
#: Canonical columns a formula without a cached value excludes the row from (they decide it).
DECIDING_COLUMNS = ("nik", "nama", "jk", "tgl_lahir", "kab_kota", "kec", "desa_kel",
                    "tanggal_pengukuran", "berat", "tinggi", "cara_ukur")
#: Canonical columns :func:`parse_file` reads (the others are recognised, then not used).
USED_COLUMNS = frozenset({"nik", "nama", "jk", "tgl_lahir", "kab_kota", "kec", "desa_kel", "puskesmas",
                          "posyandu", "usia_saat_ukur", "tanggal_pengukuran", "berat", "tinggi", "cara_ukur"})
#: Free-text columns that reach outputs, screened for personal data as they are read.
FREE_TEXT_COLUMNS = ("kec", "desa_kel", "puskesmas", "posyandu")


@dataclass
class _Combined:
    """The data sheets of one export in canonical columns, one after the other."""

    frame: pd.DataFrame
    rows: np.ndarray
    sources: np.ndarray
    blank: np.ndarray
    uncached_columns: np.ndarray  # "" or the titles of deciding columns holding formulas without values
    personal: list[str]
    found: list[str]
    ignored: list[str]


def _combine(book: RawBook) -> _Combined:
    """Map each data sheet to canonical columns (refusing a sheet that lacks one) and stack them."""
    parts, rows, sources, blanks, uncached = [], [], [], [], []
    personal: list[str] = []
    found: list[str] = []
    ignored: list[str] = []
    order = list(column_spec()["kolom"])
    for raw in book.tables:
        sheet = book.sheet_of(raw)
        mapping, own_personal, own_ignored = _map_columns(raw, sheet)
        _check_required(raw, mapping, sheet)
        n = len(raw.frame)
        part = pd.DataFrame({canonical: raw.frame[found_title].to_numpy()
                             for found_title, canonical in mapping.items() if canonical in USED_COLUMNS},
                            index=range(n))
        parts.append(part)
        rows.append(raw.rows.astype("int64"))
        sources.append(np.full(n, book.source(raw), dtype=object))
        blanks.append(~(raw.frame != "").any(axis=1).to_numpy())
        where = np.full(n, "", dtype=object)
        if raw.uncached is not None:
            hits = [(canonical, raw.uncached[found_title].to_numpy()) for found_title, canonical in mapping.items()
                    if canonical in DECIDING_COLUMNS]
            hits.sort(key=lambda item: order.index(item[0]))
            for canonical, mask in hits:
                label = title(canonical)
                where = np.where(mask, np.where(where == "", label, where + ", " + label), where)
        uncached.append(where)
        personal += [c for c in own_personal if c not in personal]
        found += [c for c in raw.frame.columns if c not in found]
        ignored += [c for c in own_ignored if c not in ignored]
    frame = pd.concat(parts, ignore_index=True).fillna("") if len(parts) > 1 else parts[0]
    return _Combined(frame, np.concatenate(rows), np.concatenate(sources), np.concatenate(blanks),
                     np.concatenate(uncached), personal, found, ignored)


def _screen_free_text(cells, names, combined: _Combined) -> tuple[dict[str, pd.Series], pd.DataFrame]:
    """Free-text columns stripped and with personal data masked, and where it was found."""
    out, found = {}, []
    for column in FREE_TEXT_COLUMNS:
        masked, kinds = screening.screen(cells(column).str.strip(), names)
        out[column] = masked.astype("string")
        hit = (kinds != "").to_numpy()
        if hit.any():
            found.append(pd.DataFrame({"sumber_berkas": combined.sources[hit], "baris": combined.rows[hit],
                                       "kolom": title(column), "jenis": kinds[hit].astype(str).to_numpy()}))
    findings = (pd.concat(found, ignore_index=True).sort_values(["sumber_berkas", "baris"], kind="stable")
                .reset_index(drop=True) if found else screening.empty_findings())
    return out, findings


def _notes(book: RawBook) -> list[str]:
    notes = list(book.notes)
    first = book.tables[0]
    if first.encoding and first.encoding != "utf-8":
        notes.append(f"encoding {first.encoding} dikenali dan dibaca")
    if first.delimiter and first.delimiter != ",":
        notes.append(f"pemisah kolom '{first.delimiter}' dikenali")
    header_rows = sorted({t.header_row for t in book.tables})
    if header_rows != [1]:
        notes.append(f"baris judul kolom ada di baris {', '.join(map(str, header_rows))}")
    return notes


def row_checks(rows: pd.DataFrame, today: pd.Timestamp, *, places: bool = True,
               blank=None, outside=None, no_identity=None, sex_bad=None, measure_bad=None,
               weight_bad=None, height_bad=None, uncached=None) -> list[tuple[str, object, object]]:
    """The file-independent row checks, in order of precedence (the first that fails wins).

    Used by :func:`parse_file` (with the masks of cells that could not be read) and by
    already-typed registers such as the national Parquet register (``analysis.national``),
    so that there is one set of exclusion rules.

    Parameters
    ----------
    rows : DataFrame
        Typed rows: ``child_key, sex, birth_date, measure_date, age_days`` (days),
        ``weight_kg``, ``height_cm`` and, when ``places``, ``kec_code``, ``desa_code``.
    today : Timestamp
        Reference date for "measurement in the future".
    places : bool
        Check that kecamatan and desa were matched (the district is known).
    blank, outside, no_identity, sex_bad, measure_bad, weight_bad, height_bad : array-like of bool, optional
        Text-level faults (empty row, other district, neither NIK nor name, unknown sex,
        unknown position, unreadable weight/height). Default: none for typed data, except
        ``no_identity`` (no child key) and ``sex_bad`` (sex missing).
    uncached : array-like of str, optional
        Per row, ``""`` or the columns whose cell is an Excel formula without a cached value
        (it reads as empty, so it would pass for a missing value).

    Returns
    -------
    list of (reason code, mask, column or None)
        ``column`` None means the column of ``alasan.csv``.
    """
    none = np.zeros(len(rows), dtype=bool)
    blank = none if blank is None else blank
    outside = none if outside is None else outside
    no_identity = rows["child_key"].isna().to_numpy() if no_identity is None else no_identity
    sex_bad = rows["sex"].isna().to_numpy() if sex_bad is None else sex_bad
    measure_bad = none if measure_bad is None else measure_bad
    weight_bad = none if weight_bad is None else np.asarray(weight_bad, dtype=bool)
    height_bad = none if height_bad is None else np.asarray(height_bad, dtype=bool)
    birth, measured = rows["birth_date"], rows["measure_date"]
    uncached = np.full(len(rows), "", dtype=object) if uncached is None else np.asarray(uncached, dtype=object)
    checks = [
        ("rumus_tanpa_nilai", uncached != "", uncached),
        ("baris_kosong", blank, None),
        ("di_luar_kabupaten", outside, None),
        ("identitas_kosong", no_identity, None),
        ("tgl_lahir_tidak_terbaca", birth.isna(), None),
        ("tgl_ukur_tidak_terbaca", measured.isna(), None),
        ("ukur_sebelum_lahir", measured < birth, None),
        ("ukur_masa_depan", measured > today, None),
        ("usia_60_bulan", rows["age_days"] >= MAX_AGE_DAYS, None),
        ("jk_tidak_dikenal", sex_bad, None),
        ("identitas_kosong", rows["child_key"].isna(), None),
        ("cara_ukur_tidak_dikenal", measure_bad, None),
        ("angka_tidak_terbaca", weight_bad | height_bad,
         np.where(weight_bad & height_bad, "Berat/Tinggi", np.where(weight_bad, "Berat", "Tinggi"))),
        ("bb_tb_kosong", rows["weight_kg"].isna() & rows["height_cm"].isna(), None),
    ]
    if places:
        checks += [
            ("kecamatan_tidak_dikenal", rows["kec_code"].isna(), None),
            ("desa_tidak_dikenal", rows["desa_code"].isna(), None),
        ]
    return checks


def first_reasons(checks: list[tuple[str, object, object]], index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """Reason code and column of the first failed check of each row (<NA> where none failed)."""
    code = pd.Series(pd.NA, index=index, dtype="string")
    column = pd.Series(pd.NA, index=index, dtype="string")
    table = reasons()
    for reason, mask, where in checks:
        hit = code.isna() & pd.Series(np.asarray(mask), index=index).fillna(False).astype(bool)
        if not hit.any():
            continue
        code = code.mask(hit, reason)
        col = pd.Series(where, index=index) if where is not None else table.loc[reason, "kolom"]
        column = column.mask(hit, col)
    return code, column


def _place_codes(rows: pd.DataFrame, kab: str | None) -> pd.DataFrame:
    rows["kab_code"] = wilayah.regency_matches(rows["_kab_text"], reference.regencies())
    if kab is None:
        rows["kec_code"] = pd.Series(pd.NA, index=rows.index, dtype="string")
        rows["desa_code"] = pd.Series(pd.NA, index=rows.index, dtype="string")
        return rows
    codes = wilayah.match_places(rows["kecamatan"], rows["desa"], reference.kecamatan(kab),
                                 reference.villages(kab))
    rows["kec_code"] = codes["kec_code"]
    rows["desa_code"] = codes["desa_code"]
    return rows


def assign_periods(measure_date: pd.Series, tahun: pd.Series) -> pd.Series:
    """Weighing round (``"2024-08"``) of each measurement.

    Months of one year that follow each other (gap of at most one month) form one round,
    named after its busiest month: a February round measured from late January to early
    March is ``"2024-02"``. Few distinct months, so the grouping loops over months only.
    """
    out = pd.Series(pd.NA, index=measure_date.index, dtype="string")
    valid = (measure_date.notna() & tahun.notna()).to_numpy()
    if not valid.any():
        return out
    keys = pd.DataFrame({
        "tahun": tahun[valid].astype("int64").to_numpy(),
        "bulan": (measure_date[valid].dt.year * 12 + measure_date[valid].dt.month - 1).to_numpy(),
    })
    counts = keys.value_counts()
    labels = []
    for year, group in counts.groupby(level="tahun"):
        per_month = group.droplevel("tahun").sort_index()
        months = per_month.index.to_numpy()
        cluster = np.concatenate([[0], np.cumsum(np.diff(months) > 1)])
        for c in np.unique(cluster):
            members = per_month[cluster == c]
            busiest = members[members == members.max()].index.max()
            name = f"{busiest // 12:04d}-{busiest % 12 + 1:02d}"
            labels += [(year, m, name) for m in members.index]
    table = pd.DataFrame(labels, columns=["tahun", "bulan", "periode"])
    merged = keys.merge(table, on=["tahun", "bulan"], how="left")
    out.loc[valid] = merged["periode"].to_numpy()
    return out


def account(files: list[ParsedFile], tahun: int | None = None) -> EppgbmResult:
    """Z-scores, duplicate and impossible-value checks, and the row accounting.

    Parameters
    ----------
    files : list of ParsedFile
        The exports of one district (and year), in reading order: for duplicates (same child,
        same day) the first row read is kept.
    tahun : int, optional
        The year the files belong to (the data package folder); default: year of measurement.
    """
    rows = pd.concat([f.rows for f in files], ignore_index=True) if files else _empty_rows()
    if tahun is not None:
        rows["tahun"] = pd.Series(int(tahun), index=rows.index, dtype="Int64")
    else:
        rows["tahun"] = rows["measure_date"].dt.year.astype("Int64")
    table = reasons()

    candidate = rows["alasan_kode"].isna()
    growth_in = rows.loc[candidate, ["sex", "age_days", "weight_kg", "height_cm", "measure", "oedema"]]
    growth_in = growth_in.astype({"sex": "float64"})
    z = compute_zscores(growth_in)
    for column in GROWTH_OUTPUTS:
        rows[column] = z[column].reindex(rows.index)
    invalid = z["invalid_reason"].reindex(rows.index)
    impossible = candidate & invalid.notna()
    rows.loc[impossible, "alasan_kode"] = "nilai_tidak_mungkin"
    text = invalid.fillna("")
    rows.loc[impossible, "kolom"] = np.where(
        text[impossible].str.contains("weight_kg") & text[impossible].str.contains("height_cm"),
        "Berat/Tinggi",
        np.where(text[impossible].str.contains("weight_kg"), "Berat",
                 np.where(text[impossible].str.contains("height_cm"), "Tinggi", "Berat/Tinggi")))

    still = rows["alasan_kode"].isna()
    dup = still & rows.loc[still].duplicated(["child_key", "measure_date"], keep="first").reindex(
        rows.index, fill_value=False)
    rows.loc[dup.to_numpy(), "alasan_kode"] = "duplikat"
    rows.loc[dup.to_numpy(), "kolom"] = str(table.loc["duplikat", "kolom"])

    excluded = rows["alasan_kode"].notna()
    rows["status"] = np.where(excluded, EXCLUDED, ANALYSED)
    alasan = rows["alasan_kode"].map(table["alasan"]).astype("string")
    alasan = alasan.mask(impossible, "Nilai tidak mungkin: " + invalid.astype("string"))
    rows["alasan"] = alasan.where(excluded)
    rows["periode"] = assign_periods(rows["measure_date"], rows["tahun"])

    measurements = rows.loc[~excluded, MEASUREMENT_COLUMNS].reset_index(drop=True)
    accounting = rows[ACCOUNTING_COLUMNS].reset_index(drop=True)
    assert len(accounting) == len(measurements) + int(excluded.sum()), "row accounting broken"
    assert (accounting["status"] == ANALYSED).sum() == len(measurements)
    return EppgbmResult(rows, measurements, accounting, list(files))


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [
        "sumber_berkas", "baris", "child_key", "sex", "birth_date", "measure_date", "age_days",
        "age_months", "weight_kg", "height_cm", "measure", "oedema", "kecamatan", "desa",
        "puskesmas", "posyandu", "usia_teks_hari", "kab_code", "kec_code", "desa_code",
        "alasan_kode", "kolom"]})


def read_eppgbm(paths: str | Path | list, kab: str | None = None, *, tahun: int | None = None,
                today: pd.Timestamp | None = None) -> EppgbmResult:
    """Read one or more e-PPGBM exports of one district: parse, pseudonymise, account.

    Parameters
    ----------
    paths : path or list of paths
    kab : str, optional
        Kemendagri district code (inferred from the file when omitted).
    tahun : int, optional
        Year of the data package folder.
    today : Timestamp, optional
        Reference date for "in the future".
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files = [parse_file(p, kab, today=today) for p in paths]
    return account(files, tahun)
