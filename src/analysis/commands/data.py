"""Commands about input data: ``demo``, ``validate PATH`` and ``zscores IN -o OUT``.

Everything printed is in Bahasa Indonesia and free of personal data: ``validate`` and
``zscores`` only ever see rows after :mod:`analysis.ingest` has pseudonymised them.

Imports of the data modules happen inside the commands: importing them at the top costs every
``konvergensi`` call (even ``--help``) 1.2 s instead of 0.13 s (``python -X importtime``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

if TYPE_CHECKING:
    import pandas as pd

DISTRICT_CODE = re.compile(r"^\d\d\.\d\d$")


def register(app: typer.Typer) -> None:
    """Add ``demo``, ``validate`` and ``zscores`` to the ``konvergensi`` app."""
    app.command("demo")(demo)
    app.command("validate")(validate)
    app.command("zscores")(zscores)


def _console():
    from rich.console import Console  # noqa: PLC0415 - see module docstring

    return Console(highlight=False, soft_wrap=False, width=None if _is_tty() else 120)


def _is_tty() -> bool:
    import sys  # noqa: PLC0415 - see module docstring

    return sys.stdout.isatty()


# --------------------------------------------------------------------------- demo

def demo(
    keluaran: Annotated[Path | None, typer.Option("--keluaran", help="Folder tujuan (bawaan: data/demo).")] = None,
    kab: Annotated[list[str] | None, typer.Option(
        "--kab", help="Kode kabupaten/kota (boleh berulang); bawaan: semua 11.")] = None,
    jika_belum_ada: Annotated[bool, typer.Option(
        "--jika-belum-ada", help="Tidak berbuat apa-apa bila data demo sudah lengkap.")] = False,
) -> None:
    """Buat data demo (paket data kabupaten/kota 2022-2024) secara deterministik."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415 - see module docstring

    from analysis import config, dataset, reference  # noqa: PLC0415 - see module docstring

    out_dir = keluaran or config.DEMO_DIR
    codes = list(kab) if kab else list(reference.regencies(in_scope_only=True)["regency_code"])
    for code in codes:
        reference.district_name(code)  # unknown code → ParameterError (exit 1)
    console = _console()
    if jika_belum_ada and dataset.demo_complete(out_dir, codes):
        console.print(Text(f"Data demo sudah lengkap di {out_dir}; tidak ada yang dibuat."))
        return
    from analysis import demo as demo_module  # lazy: owned by analysis.demo  # noqa: PLC0415 - see module docstring

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=not _is_tty()) as progress:
        task = progress.add_task("Membuat data demo", total=len(codes))

        def advance(code: str) -> None:
            progress.update(task, advance=1, description=f"Selesai: {reference.district_name(code)}")

        written = demo_module.generate(out_dir, districts=codes, progress=advance)
    console.print(Text(f"Data demo untuk {len(codes)} kabupaten/kota ditulis ke {out_dir} "
                       f"({len(written)} folder kabupaten/kota)."))


# ----------------------------------------------------------------------- validate
#
# Every text that comes from the data (file and sheet names, headers, place names, messages
# built from them) is printed as a rich ``Text`` (via ``_say``, ``_cell``), never as markup:
# "[/]" as a desa name or "[kg]" in a header must print as typed.

#: Rows of a findings table printed before "... dan N lainnya".
LIST_LIMIT = 20


@dataclass
class _Outcome:
    """What validating one district (or one file) found."""

    name: str
    usable: bool = True
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    missing: list[str] = field(default_factory=list)


def _records(frame: pd.DataFrame) -> Iterator[Any]:
    """Rows of a result table by attribute name (loosely typed on purpose)."""
    return frame.itertuples(index=False)


def _say(console, *parts) -> None:
    """Print ``parts`` (plain strings: data, never markup; ``(text, style)``: styled)."""
    console.print(Text.assemble(*parts))


def _cell(value) -> Text:
    return Text("" if value is None else str(value))


def validate(
    path: Annotated[Path, typer.Argument(help=(
        "Satu berkas e-PPGBM, folder berisi berkas eppgbm*, satu folder kabupaten/kota, atau folder data "
        "berisi beberapa kabupaten/kota."))],
    kab: Annotated[str | None, typer.Option("--kab", help=(
        "Kode kabupaten/kota (bila tidak dapat dikenali dari nama folder atau isi berkas)."))] = None,
) -> None:
    """Periksa data masukan: masalah berkas, penghitungan baris, nama wilayah tak dikenal, sinyal mutu data."""
    from analysis import dataset  # noqa: PLC0415 - see module docstring
    from analysis.errors import DataUnavailableError  # noqa: PLC0415 - see module docstring

    console = _console()
    if not path.exists():
        raise DataUnavailableError(f"Lokasi tidak ditemukan: {path}")
    if path.is_file():
        outcomes = [_validate_file(console, path, kab)]
    elif _is_district_dir(path):
        code = kab or path.name
        outcomes = [_validate_district(console, path, code)]
    elif dataset.eppgbm_files(path) and not any(DISTRICT_CODE.match(p.name) for p in path.iterdir()):
        outcomes = [_validate_file(console, f, kab) for f in dataset.eppgbm_files(path)]
    else:
        districts = sorted(p for p in path.iterdir() if p.is_dir() and DISTRICT_CODE.match(p.name))
        if not districts:
            raise DataUnavailableError(
                f"Tidak ada data di {path}: harapkan berkas e-PPGBM, folder <kode kab>/<tahun>/ "
                "atau folder data berisi folder <kode kab> (lihat data/README.md).")
        outcomes = [_validate_district(console, d, d.name) for d in districts]
    _print_summary(console, outcomes)
    if not all(o.usable for o in outcomes):
        raise typer.Exit(code=1)


def _is_district_dir(path: Path) -> bool:
    from analysis import dataset  # noqa: PLC0415 - see module docstring

    return bool(dataset.year_folders(path)) or dataset.table_file(path, "target_prevalensi") is not None


def _validate_file(console, path: Path, kab: str | None) -> _Outcome:
    from analysis.errors import KonvergensiError  # noqa: PLC0415 - see module docstring
    from analysis.ingest import read_eppgbm  # noqa: PLC0415 - see module docstring
    from analysis.ingest.tables import TABLES  # noqa: PLC0415 - see module docstring

    outcome = _Outcome(path.name)
    console.rule(Text(f"Berkas {path.name}"))
    try:
        if path.stem in TABLES:
            _check_table(console, path.stem, path, kab, None, outcome, label=path.name, echo=True)
            return outcome
        result = read_eppgbm(path, kab)
    except KonvergensiError as exc:
        outcome.usable = False
        outcome.problems.append((path.name, str(exc)))
        _say(console, ("Masalah berkas:", "red"), " ", str(exc))
        return outcome
    _print_eppgbm(console, result, outcome)
    return outcome


def _check_table(console, name: str, path: Path, kab: str | None, tahun: int | None, outcome: _Outcome,
                 *, label: str, echo: bool = False) -> None:
    """Read one table of the package; problems go to ``outcome`` (and to the screen with ``echo``),
    notes and findings are printed."""
    from analysis.errors import KonvergensiError  # noqa: PLC0415 - see module docstring
    from analysis.ingest.tables import read_table_report  # noqa: PLC0415 - see module docstring

    try:
        report = read_table_report(name, path, kab=kab, tahun=tahun)
    except KonvergensiError as exc:
        outcome.usable = False
        outcome.problems.append((label, str(exc)))
        if echo:
            _say(console, ("Masalah berkas:", "red"), " ", str(exc))
        return
    notes = "; ".join(report.notes)
    _say(console, f"Tabel '{name}' ({label}): {len(report.frame)} baris, tidak ada masalah"
                  f"{'; ' + notes if notes else ''}.")
    _print_findings(console, report.findings)


def _validate_district(console, district_dir: Path, kab: str) -> _Outcome:
    from analysis import dataset, reference  # noqa: PLC0415 - see module docstring
    from analysis.errors import KonvergensiError  # noqa: PLC0415 - see module docstring
    from analysis.ingest import account, parse_file  # noqa: PLC0415 - see module docstring
    from analysis.ingest.tables import DISTRICT_TABLES, TABLES  # noqa: PLC0415 - see module docstring

    try:
        name = reference.district_name(kab)
    except KonvergensiError as exc:
        console.rule(Text(f"Folder {district_dir.name}"))
        _say(console, ("Masalah:", "red"), " ", f"{exc} Nama folder harus kode kabupaten/kota (mis. 64.74) "
                                                "atau gunakan --kab.")
        return _Outcome(district_dir.name, usable=False, problems=[(district_dir.name, str(exc))])
    outcome = _Outcome(f"{kab} {name}")
    console.rule(Text(f"{name} ({kab})"))
    for table in DISTRICT_TABLES:
        path = dataset.table_file(district_dir, table)
        if path is None:
            outcome.missing.append(table)
            continue
        _check_table(console, table, path, kab, None, outcome, label=path.name)
    years = dataset.year_folders(district_dir)
    any_analysed = False
    for tahun, folder in years.items():
        _say(console, "\n", (f"Tahun {tahun}", "bold"))
        parsed = []
        for path in dataset.eppgbm_files(folder):
            try:
                parsed.append(parse_file(path, kab))
            except KonvergensiError as exc:
                outcome.usable = False
                outcome.problems.append((f"{tahun}/{path.name}", str(exc)))
                _say(console, ("Masalah berkas:", "red"), " ", str(exc))
        if parsed:
            result = account(parsed, tahun)
            any_analysed |= bool(len(result.measurements))
            _print_eppgbm(console, result, outcome)
        elif not dataset.eppgbm_files(folder):
            outcome.missing.append(f"eppgbm:{tahun}")
            _say(console, "Tidak ada berkas e-PPGBM (eppgbm*.csv/xlsx) untuk tahun ini.")
        for table in TABLES:
            if table in DISTRICT_TABLES:
                continue
            path = dataset.table_file(folder, table)
            if path is None:
                outcome.missing.append(f"{table}:{tahun}")
                continue
            _check_table(console, table, path, kab, tahun, outcome, label=f"{tahun}/{path.name}")
    if not years:
        outcome.problems.append((district_dir.name, "tidak ada folder tahun (mis. 2024/)"))
    if not any_analysed:
        outcome.usable = False
        outcome.problems.append((district_dir.name, "tidak ada satu pun baris e-PPGBM yang dapat dianalisis"))
    _print_outcome(console, outcome)
    return outcome


def _print_findings(console, findings) -> None:
    """Where personal data was found in free text and masked (row and column, never the value)."""
    from analysis import text  # noqa: PLC0415 - see module docstring
    from analysis.ingest import screening  # noqa: PLC0415 - see module docstring

    if findings is None or not len(findings):
        return
    kinds = findings["jenis"].str.split(",").explode().map(screening.KIND_TEXT)
    console.print(_table(
        f"Data pribadi di kolom teks: {text.angka(len(findings))} sel (sudah disamarkan di semua keluaran; "
        "hapus dari berkas sumber)",
        ["Berkas", "Baris>", "Kolom", "Jenis"],
        [(r.sumber_berkas, text.angka(r.baris), r.kolom,
          ", ".join(screening.KIND_TEXT[k] for k in r.jenis.split(",")))
         for r in _records(findings.head(LIST_LIMIT))],
        caption=(f"... dan {text.angka(len(findings) - LIST_LIMIT)} sel lain "
                 f"({', '.join(sorted(set(kinds)))})" if len(findings) > LIST_LIMIT else None)))


def _print_eppgbm(console, result, outcome: _Outcome) -> None:
    from analysis import text  # noqa: PLC0415 - see module docstring
    from analysis.ingest import quality  # noqa: PLC0415 - see module docstring

    for f in result.files:
        notes = "; ".join(f.notes)
        extra = f"; kolom tambahan diabaikan: {', '.join(repr(c) for c in f.ignored)}" if f.ignored else ""
        personal = f"; kolom data pribadi dibuang: {len(f.dropped_personal)}" if f.dropped_personal else ""
        _say(console, f"Berkas {f.path.name}: {text.angka(len(f.rows))} baris data"
                      f"{'; ' + notes if notes else ''}{extra}{personal}.")
    units = quality.unit_findings(result)
    for r in _records(units):
        _say(console, ("Peringatan satuan:", "bold yellow"), " ",
             f"berkas {r.sumber_berkas}: {text.angka(r.jumlah)} dari {text.angka(r.dari)} "
             f"({text.persen(100 * r.jumlah / r.dari)}) {r.pesan}.")
    acc = result.accounting
    n_in, n_ok = len(acc), int((acc["status"] == "dianalisis").sum())
    n_out = n_in - n_ok
    _say(console, "Baris dibaca: ", (text.angka(n_in), "bold"), "; dianalisis: ", (text.angka(n_ok), "bold"),
         "; dikeluarkan: ", (text.angka(n_out), "bold"),
         f" ({text.persen(100 * n_out / n_in if n_in else 0)}).")
    if n_ok:
        periods = result.measurements["periode"].value_counts().sort_index()
        _say(console, "Putaran penimbangan: " + ", ".join(f"{p} ({text.angka(n)} baris)" for p, n in periods.items()))
    if not n_ok:
        outcome.usable = False
        outcome.problems.append((", ".join(f.path.name for f in result.files),
                                 "tidak ada baris yang dapat dianalisis"))
    for f in result.files:
        _print_findings(console, f.findings)
    reasons = quality.reason_counts(result)
    if len(reasons):
        console.print(_table("Baris yang dikeluarkan menurut alasan",
                             ["Alasan", "Kolom", "Jumlah>", "Contoh baris (Excel)"],
                             [(r.alasan, r.kolom, text.angka(r.jumlah), r.contoh_baris)
                              for r in _records(reasons)]))
    places = quality.unmatched_places(result)
    if len(places):
        console.print(_table("Nama kecamatan/desa yang tidak cocok dengan daftar Kemendagri",
                             ["Tingkat", "Kecamatan", "Desa/Kel", "Jumlah baris>", "Mungkin maksudnya"],
                             [(r.tingkat, str(r.kecamatan), str(r.desa), text.angka(r.jumlah), r.saran or "-")
                              for r in _records(places.head(LIST_LIMIT))],
                             caption=(f"... dan {len(places) - LIST_LIMIT} nama lain"
                                      if len(places) > LIST_LIMIT else None)))
    sig = quality.signals(result)
    console.print(_table("Sinyal mutu data (bukan vonis: perlu dicek)",
                         ["Sinyal", "Jumlah>", "Persen>", "Perlu dicek", "Keterangan"],
                         [(r.sinyal, text.angka(r.jumlah), text.persen(r.persen),
                           "ya" if r.perlu_dicek else "-", r.keterangan)
                          for r in _records(sig)]))
    flagged = quality.flags_by_posyandu(result)
    if len(flagged):
        console.print(_table("Posyandu dengan z-score di luar batas WHO terbanyak",
                             ["Posyandu", "Desa/Kel", "Diukur>", "Ditandai>"],
                             [(str(r.posyandu), str(r.desa), text.angka(r.n), text.angka(r.ditandai))
                              for r in _records(flagged)]))
    heap = quality.heaping_by_posyandu(result)
    if len(heap):
        console.print(_table("Posyandu dengan pembulatan tinggi (,0/,5 cm) terbanyak",
                             ["Posyandu", "Desa/Kel", "Tinggi diukur>", "Berakhiran ,0/,5>"],
                             [(str(r.posyandu), str(r.desa), text.angka(r.n), text.persen(r.persen))
                              for r in _records(heap)]))


def _table(title: str, columns: list[str], rows: list[tuple], caption: str | None = None):
    """A rich table of data cells (never markup); a column name ending in ``>`` is right-aligned."""
    from rich.table import Table  # noqa: PLC0415 - see module docstring

    table = Table(title=Text(title), title_justify="left", caption=Text(caption) if caption else None)
    for col in columns:
        table.add_column(col.rstrip(">"), justify="right" if col.endswith(">") else "left")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    return table


def _print_outcome(console, outcome: _Outcome) -> None:
    if outcome.problems:
        console.print(_table("Masalah berkas (harus diperbaiki)", ["Berkas", "Masalah"], outcome.problems))
    if outcome.missing:
        _say(console, "Tabel tidak tersedia (laporan akan menyebutnya tidak ada): " + ", ".join(outcome.missing))


def _print_summary(console, outcomes: list[_Outcome]) -> None:
    console.rule(Text("Ringkasan"))
    for o in outcomes:
        verdict = ("dapat dipakai", "green") if o.usable else ("belum dapat dipakai", "red")
        _say(console, f"{o.name}: ", verdict)


# ------------------------------------------------------------------------ zscores

#: Output columns of ``zscores`` in order (``analysis`` names for values, Indonesian for text).
ZSCORE_COLUMNS = [
    "sumber_berkas", "baris", "child_key", "sex", "birth_date", "measure_date", "age_days",
    "age_months", "weight_kg", "height_cm", "measure", "kecamatan", "desa", "kec_code",
    "desa_code", "puskesmas", "posyandu", "height_cm_adj", "bmi", "haz", "waz", "whz", "baz",
    "haz_flag", "waz_flag", "whz_flag", "baz_flag", "status", "alasan_kode", "alasan", "kolom",
]


#: Excel number formats of the ``zscores`` workbook (the values keep full precision).
ZSCORE_FORMATS = {"age_months": "0.00", "bmi": "0.00", "height_cm_adj": "0.0",
                  "haz": "0.00", "waz": "0.00", "whz": "0.00", "baz": "0.00"}


def zscores(
    masukan: Annotated[Path, typer.Argument(metavar="IN", help="Berkas ekspor e-PPGBM (.csv atau .xlsx).")],
    keluaran: Annotated[Path, typer.Option("-o", "--keluaran", metavar="OUT", help="Berkas hasil (.csv atau .xlsx).")],
    kab: Annotated[str | None, typer.Option(
        "--kab", help="Kode kabupaten/kota (bawaan: dikenali dari kolom Kab/Kota).")] = None,
) -> None:
    """Hitung z-score setiap baris e-PPGBM (tersamarkan, dengan umur, penanda dan alasan pengecualian)."""
    from analysis import safeio, text  # noqa: PLC0415 - see module docstring
    from analysis.errors import ParameterError  # noqa: PLC0415 - see module docstring
    from analysis.ingest import read_eppgbm  # noqa: PLC0415 - see module docstring

    suffix = keluaran.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ParameterError("-o", f"jenis berkas keluaran '{suffix or keluaran.name}' tidak didukung.",
                             allowed=".csv, .xlsx")
    result = read_eppgbm(masukan, kab)
    out = zscore_table(result)
    if suffix == ".csv":
        safeio.write_csv(keluaran, out)
    else:
        safeio.write_xlsx(keluaran, {"zscores": out}, formats={"zscores": ZSCORE_FORMATS})
    n_ok = int((out["status"] == "dianalisis").sum())
    _console().print(Text(f"{text.angka(len(out))} baris dibaca, {text.angka(n_ok)} dianalisis, "
                          f"{text.angka(len(out) - n_ok)} dikeluarkan (alasan di kolom 'alasan'). "
                          f"Hasil: {keluaran}"))


def zscore_table(result) -> pd.DataFrame:
    """The ``zscores`` output: every input row in order, pseudonymised, with z-scores and status."""
    out = result.rows[ZSCORE_COLUMNS].copy()
    out["birth_date"] = out["birth_date"].dt.date
    out["measure_date"] = out["measure_date"].dt.date
    return out
