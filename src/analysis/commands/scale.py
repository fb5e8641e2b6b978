"""Commands for national scale: ``demo-nasional`` and ``proses-nasional``.

``konvergensi demo-nasional [--baris N] [--kabupaten N] [--out DIR]`` writes the
deterministic synthetic national register (514 kab/kota, ~20 M rows a year) as partitioned
Parquet; ``konvergensi proses-nasional [--jobs N] [--scheduler ADDRESS | --dask]`` runs the
data path district by district (ingest rules → z-scores → counts per desa) and rolls it up with
DuckDB to kecamatan, kab/kota, province and Indonesia. Reports go to Dask workers through
``konvergensi render-all --scheduler ADDRESS`` (or ``--dask`` for a LocalCluster), which uses
:mod:`analysis.national.reports`. Messages in Bahasa Indonesia. Options follow the command
line's naming rule (``--out``, ``--jobs``); the earlier ``--keluaran`` and ``--workers`` still work (hidden aliases in
:data:`analysis.cli.ALIASES`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from analysis import config, text
from analysis.commands import console
from analysis.errors import ParameterError

# analysis.national (pyarrow, DuckDB, Dask: ~0.5 s, measured with `python -X importtime`) is
# imported inside the two commands, so that no other command pays for it at start.


def register(app: typer.Typer) -> None:
    """Add ``demo-nasional`` and ``proses-nasional`` to the ``konvergensi`` app."""
    app.command("demo-nasional")(demo_nasional)
    app.command("proses-nasional")(proses_nasional)


def _console():
    return console(stderr=False)


def _default_root() -> Path:
    return config.DATA_DIR / "national"


def _check_workers(workers: int) -> None:
    if workers < 1:
        raise ParameterError("jobs", f"jumlah pekerja harus 1 atau lebih, bukan {workers}.")


def demo_nasional(
    baris: Annotated[int | None, typer.Option(
        "--baris", metavar="N",
        help="Jumlah baris pengukuran setahun, semua kabupaten/kota (bawaan: 20.000.000).")] = None,
    kabupaten: Annotated[int | None, typer.Option(
        "--kabupaten", metavar="N", help="Jumlah kabupaten/kota (bawaan: 514).")] = None,
    baris_per_bagian: Annotated[int | None, typer.Option(
        "--baris-per-bagian", metavar="N", help="Baris terbanyak per berkas Parquet sebuah partisi.")] = None,
    tahun: Annotated[int | None, typer.Option(
        "--tahun", metavar="TAHUN", help="Tahun register (bawaan: 2024).")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", metavar="N", help="Benih acak (bawaan: dari nasional.yaml).")] = None,
    keluaran: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FOLDER",
        help="Folder akar (bawaan: data/national); register ditulis ke <folder>/register/.")] = None,
    workers: Annotated[int, typer.Option(
        "--jobs", "-j", metavar="N",
        help="Jumlah proses pembuat (masing-masing memegang satu kabupaten/kota).")] = 2,
    paksa: Annotated[bool, typer.Option(
        "--paksa", help="Buat ulang walaupun register dengan parameter yang sama sudah ada.")] = False,
) -> None:
    """Buat register e-PPGBM nasional sintetis (Parquet terpartisi per provinsi dan kabupaten/kota)."""
    from analysis.national import params as params_mod  # noqa: PLC0415  (see the top)
    from analysis.national import register as reg  # noqa: PLC0415

    _check_workers(workers)
    params = params_mod.load(baris=baris, kabupaten=kabupaten, baris_per_bagian=baris_per_bagian,
                             tahun=tahun, seed=seed)
    root = keluaran or _default_root()
    console = _console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("Membuat register nasional", total=int(params["kabupaten"]))
        meta = reg.generate(root, params, workers=workers, force=paksa,
                            progress=lambda r: progress.update(task, advance=1))
    console.print(
        f"Register nasional {meta['tahun']}: {text.angka(meta['baris'])} baris, "
        f"{text.angka(meta['kabupaten'])} kabupaten/kota, {text.angka(meta['bagian'])} berkas Parquet, "
        f"{text.angka(meta['detik'], 1)} detik.")
    console.print(f"Lokasi: {reg.year_dir(root, meta['tahun'])}", markup=False)


def proses_nasional(
    tahun: Annotated[int, typer.Option("--tahun", metavar="TAHUN", help="Tahun register yang diproses.")] = 2024,
    register_dir: Annotated[Path | None, typer.Option(
        "--register", metavar="FOLDER",
        help="Folder akar register (berisi register/tahun=...); bawaan: data/national.")] = None,
    keluaran: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FOLDER", help="Folder hasil (bawaan: data/national/hasil).")] = None,
    workers: Annotated[int, typer.Option(
        "--jobs", "-j", metavar="N",
        help="Jumlah proses pekerja (lokal, atau pekerja LocalCluster Dask).")] = 2,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ALAMAT",
        help="Alamat scheduler Dask, mis. tcp://host:8786 (pekerja harus melihat folder yang sama).")] = None,
    dask: Annotated[bool, typer.Option(
        "--dask", help="Jalankan di Dask LocalCluster pada mesin ini (tanpa --scheduler).")] = False,
    tanpa_pengukuran: Annotated[bool, typer.Option(
        "--tanpa-pengukuran", help="Jangan simpan baris pengukuran beserta z-score (hanya agregat).")] = False,
) -> None:
    """Proses register nasional per kabupaten/kota: aturan ingest, z-score, agregat desa sampai nasional."""
    from analysis.national import runner  # noqa: PLC0415  (see the top)

    _check_workers(workers)
    root = register_dir or _default_root()
    out = keluaran or (_default_root() / "hasil")
    console = _console()
    n_tasks = len(runner.tasks(root, out, tahun))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("Memproses kabupaten/kota", total=n_tasks)
        summary = runner.run(root, out, tahun, workers=workers, scheduler=scheduler, dask=dask,
                             simpan_pengukuran=not tanpa_pengukuran,
                             progress=lambda r: progress.update(task, advance=1))
    nas = summary["nasional"]
    table = Table(title=f"Register nasional {tahun}: hasil pemrosesan", show_header=True)
    table.add_column("Ukuran")
    table.add_column("Nilai", justify="right")
    rows = [
        ("Kabupaten/kota", text.angka(summary["kabupaten"])),
        ("Baris dibaca", text.angka(summary["baris"])),
        ("Baris dianalisis", text.angka(summary["dianalisis"])),
        ("Baris dikeluarkan (dengan alasan)", text.angka(summary["dikeluarkan"])),
        ("Anak pada putaran terakhir", text.angka(summary["anak"])),
        ("Prevalensi stunting (register)", text.persen(nas["pct_stunting"], 2)),
        ("Prevalensi wasting", text.persen(nas["pct_wasting"], 2)),
        ("Prevalensi underweight", text.persen(nas["pct_underweight"], 2)),
        ("Prevalensi overweight", text.persen(nas["pct_overweight"], 2)),
        ("Waktu total (detik)", text.angka(summary["detik"], 1)),
        ("Baris per detik", text.angka(summary["baris_per_detik"])),
        ("Memori puncak per pekerja (MB)", text.angka(summary["rss_puncak_pekerja_mb"])),
        ("Partisi terbesar (baris)", text.angka(summary["baris_partisi_terbesar"])),
        ("Mesin", f"{summary['mesin']}, {summary['pekerja']} pekerja"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(f"Ringkasan (Parquet: desa, kecamatan, kabupaten, provinsi, nasional, akuntansi): "
                  f"{summary['folder']}", markup=False)
