"""Commands ``render``, ``render-all`` and ``index``.

``konvergensi render REPORT --kab CODE --tahun YEAR [--data DIR] [--to html,pdf] [--out DIR]``
plus any parameter of the template's ``parameters`` cell as an option
(``--tuan-rumah 64.02 --tamu 64.08,64.74``) renders one report in this process (no kernel
process: :func:`analysis.render.batch.run_here`). ``render-all`` renders many districts and
reports in parallel worker processes; one report that fails, for whatever reason, is a row of
the status table and exit status 1, never the end of the batch. ``index`` rewrites
``reports/index.html``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from analysis import config, text
from analysis.commands import QUIET, VERBOSE, console, say, verbosity
from analysis.errors import KonvergensiError, ParameterError, RenderError
from analysis.render.failures import os_error_message

_EXTRA = {"allow_extra_args": True, "ignore_unknown_options": True}


def parse_extra(args: list[str]) -> dict[str, str]:
    """``["--tuan-rumah", "64.02", "--flag", "--x=1"]`` → ``{"tuan_rumah": "64.02", "flag": "true", "x": "1"}``.

    Raises
    ------
    ParameterError
        For a stray value that belongs to no option.
    """
    values: dict[str, str] = {}
    i = 0
    while i < len(args):
        token = args[i]
        if not token.startswith("--") or len(token) < 3:
            raise ParameterError(token, "argumen tidak dikenal; parameter ditulis sebagai "
                                        "--nama nilai (mis. --tuan-rumah 64.02).")
        name, eq, value = token[2:].partition("=")
        if not eq:
            if i + 1 < len(args) and not args[i + 1].startswith("--"):
                value = args[i + 1]
                i += 1
            elif name.startswith("no-"):
                name, value = name[3:], "false"
            else:
                value = "true"
        values[name.replace("-", "_")] = value
        i += 1
    return values


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


# The renderer's modules are imported inside the commands: together (pipeline, batch, portal,
# the registry, rich.progress, yaml) they cost ~0.1 s, which every other command (validate,
# zscores, --version) would pay at start for nothing. Measured with `python -X importtime`.


def _write_index(out: Path | None) -> Path | None:
    """``reports/index.html``, or ``None`` (with the reason printed) when it cannot be written."""
    from analysis.render import portal  # noqa: PLC0415  (see above)

    try:
        return portal.write_index(out)
    except OSError as exc:
        say(f"Indeks tidak dapat ditulis: {os_error_message(exc)}", stderr=True, style="bold red",
            always=True)
        return None


def _steps_line(result: Any) -> str:
    return ", ".join(f"{name} {text.angka(sec, 2)} dtk" for name, sec in result.steps.items())


_LAPORAN_HELP = "Nama laporan: analisis-situasi, reviu-kinerja, studi-tiru."
_DATA = typer.Option("--data", metavar="FOLDER", help="Folder data (bawaan: data demo).")
_TO = typer.Option("--to", metavar="FORMAT", help="Format keluaran, dipisah koma: html,pdf.")
_OUT = typer.Option("--out", "-o", metavar="FOLDER", help="Folder keluaran (bawaan: reports/).")


def render_command(
    ctx: typer.Context,
    laporan: Annotated[str, typer.Argument(metavar="LAPORAN", help=_LAPORAN_HELP)],
    kab: Annotated[str | None, typer.Option(
        "--kab", metavar="KODE", help="Kode Kemendagri kabupaten/kota, mis. 64.74.")] = None,
    tahun: Annotated[int | None, typer.Option(
        "--tahun", metavar="TAHUN", help="Tahun laporan, mis. 2024.")] = None,
    data: Annotated[Path | None, _DATA] = None,
    to: Annotated[str, _TO] = "html,pdf",
    out: Annotated[Path | None, _OUT] = None,
    paksa: Annotated[bool, typer.Option(
        "--paksa", help="Render ulang walaupun masukan tidak berubah.")] = False,
    kernel: Annotated[bool, typer.Option(
        "--kernel", hidden=True, help="Jalankan notebook di kernel Jupyter terpisah (pembanding).")] = False,
) -> None:
    """Render satu laporan untuk satu wilayah dan tahun (parameter templat lain: --nama nilai)."""
    from analysis.render import batch, pipeline  # noqa: PLC0415  (see above)

    given = parse_extra(ctx.args)
    if kab is not None:
        given["kab"] = kab
    if tahun is None:
        raise ParameterError("tahun", "wajib diisi (gunakan --tahun, mis. --tahun 2024).")
    given["tahun"] = str(tahun)
    out = pipeline.check_out(out)
    job = pipeline.prepare(laporan, given, data_dir=data, reports_dir=out, formats=to)
    if kernel:
        # nbformat, nbclient and jupyter_client cost ~1 s: only for this comparison path
        from analysis.render.kernel import Kernel  # noqa: PLC0415

        with Kernel(warm=False) as jupyter:
            [result] = batch.run_here([job], force=paksa, kernel=jupyter)
    else:
        [result] = batch.run_here([job], force=paksa)
    if result.status == "gagal":
        where = f" (log: {result.log_path})" if result.log_path else ""
        raise RenderError(f"{job.label}: {result.error}{where}")
    index = _write_index(out)
    verb = ("tidak berubah, dilewati" if result.status == "dilewati"
            else f"dirender dalam {text.angka(result.seconds, 1)} dtk")
    say(f"{job.label}: {verb}")
    if verbosity() >= VERBOSE and result.steps:
        say(f"  langkah: {_steps_line(result)}")
    for name in job.outputs():
        say(f"  {job.out_dir / name}")
    if index is None:
        raise typer.Exit(1)
    say(f"Indeks: {index}")


def _report_names(requested: list[str]) -> list[str]:
    """The reports a batch renders: those asked for, or every batch report with a template."""
    from analysis.laporan.katalog import load_registry, template_folder  # noqa: PLC0415  (see above)

    registry = load_registry()
    for name in requested:
        if name not in registry:
            raise ParameterError("laporan", f"laporan '{name}' tidak dikenal.", ", ".join(registry))
    if requested:
        return requested
    names = [n for n, s in registry.items() if s.batch and s.template_path().is_file()]
    if not names:
        raise RenderError(f"Belum ada templat laporan di {template_folder()}.")
    return names


def _district_codes(requested: list[str], data_root: Path) -> list[str]:
    """The districts of a batch: those asked for (checked), or every district folder of the data."""
    from analysis import keluaran as paths  # noqa: PLC0415  (see above)

    if requested:
        return requested
    codes = sorted(p.name for p in data_root.iterdir() if p.is_dir() and p.name in paths.districts())
    if not codes:
        raise ParameterError("data", f"tidak ada folder kabupaten/kota (mis. 64.74/) di {data_root}.")
    return codes


def _check_codes(codes: list[str]) -> None:
    from analysis import keluaran as paths  # noqa: PLC0415  (see above)

    for code in codes:
        paths.check_area(code, "kab")
        if paths.is_province(code):
            raise ParameterError("kab", f"'{code}' adalah kode provinsi; render-all memerlukan kode "
                                        "kabupaten/kota seperti '64.74'.")


def _prepare_all(names: list[str], codes: list[str], tahun: int, data: Path | None, data_root: Path,
                 out: Path | None, to: str) -> list[Any]:
    """One entry per report, in the order of the status table: a prepared job, or the failed
    :class:`~analysis.render.pipeline.Result` of a report that could not even be prepared
    (that report's failure, never the batch's)."""
    from analysis.laporan.katalog import get_spec  # noqa: PLC0415
    from analysis.render import pipeline  # noqa: PLC0415  (see above)

    slots: list[Any] = []
    for name in names:
        for area, values in _batch_areas(get_spec(name), codes, tahun):
            try:
                slots.append(pipeline.prepare(name, values, data_dir=data_root if data else None,
                                              reports_dir=out, formats=to))
            except (KonvergensiError, OSError) as exc:
                message = os_error_message(exc) if isinstance(exc, OSError) else str(exc)
                slots.append(pipeline.Result(f"{name} {area} {tahun}", "gagal", error=message,
                                             laporan=name, area=area, tahun=tahun))
    return slots


def render_all_command(
    tahun: Annotated[int | None, typer.Option(
        "--tahun", metavar="TAHUN", help="Tahun (bawaan: tahun terbaru dalam data).")] = None,
    kab: Annotated[list[str] | None, typer.Option(
        "--kab", metavar="KODE",
        help="Kode kabupaten/kota (boleh berulang atau dipisah koma; bawaan: semua dalam data).")] = None,
    laporan: Annotated[list[str] | None, typer.Option(
        "--laporan", metavar="LAPORAN",
        help="Nama laporan (boleh berulang atau dipisah koma; bawaan: laporan per kabupaten/kota "
             "yang templatnya ada).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Jumlah proses paralel.")] = 2,
    data: Annotated[Path | None, _DATA] = None,
    to: Annotated[str, _TO] = "html,pdf",
    out: Annotated[Path | None, _OUT] = None,
    paksa: Annotated[bool, typer.Option("--paksa", help="Render ulang semuanya.")] = False,
    dingin: Annotated[bool, typer.Option(
        "--dingin", hidden=True, help="Proses baru untuk setiap laporan (pembanding).")] = False,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ALAMAT",
        help="Render di klaster Dask: alamat scheduler, mis. tcp://host:8786 (folder data, templat "
             "dan laporan harus sama di semua pekerja).")] = None,
    dask: Annotated[bool, typer.Option(
        "--dask", help="Render di Dask LocalCluster pada mesin ini (--jobs pekerja).")] = False,
) -> None:
    """Render banyak laporan sekaligus (paralel, dengan cache), lalu tulis reports/index.html."""
    from analysis.render import batch, pipeline  # noqa: PLC0415  (see above)

    names = _report_names(_split(laporan))
    codes = _split(kab)
    _check_codes(codes)
    out = pipeline.check_out(out)
    if not data and (not config.DEMO_DIR.is_dir() or codes):
        pipeline.ensure_demo(codes or None)  # the demo data, generated on first use
    data_root = Path(data).expanduser().resolve() if data else config.DEMO_DIR
    if not data_root.is_dir():
        raise ParameterError("data", f"folder data '{data_root}' tidak ditemukan.")
    codes = _district_codes(codes, data_root)
    if tahun is None:
        years = {y for c in codes for y in _years(data_root, c)}
        if not years:
            raise ParameterError("tahun", f"tidak ada folder tahun di {data_root}.")
        tahun = max(years)
    slots = _prepare_all(names, codes, tahun, data, data_root, out, to)
    prepared = [s for s in slots if isinstance(s, pipeline.Job)]

    err = console(stderr=True)
    show = verbosity() > QUIET
    t0 = time.perf_counter()
    if scheduler or dask:  # the same jobs on Dask workers
        # Dask (~1 s) only when asked for
        from analysis.national.reports import run_jobs_dask  # noqa: PLC0415

        done = run_jobs_dask(prepared, scheduler=scheduler, workers=jobs, warm=not dingin, force=paksa)
    else:
        done = batch.run_jobs(prepared, workers=jobs, warm=not dingin, force=paksa, console=err,
                              processes=True, progress=show)
    seconds = time.perf_counter() - t0
    by_job = iter(done)
    results = [next(by_job) if isinstance(s, pipeline.Job) else s for s in slots]
    failed = any(r.status == "gagal" for r in results)
    if results and (show or failed):
        err.print(batch.status_table(results))
    index = _write_index(out)
    if show:
        err.print(Text(batch.summary_line(results, seconds)))
        rendered = sum(r.status == "dirender" for r in results)
        if rendered and seconds > 0:
            where = (f"klaster {scheduler}" if scheduler else f"Dask LocalCluster, {jobs} pekerja" if dask
                     else f"{jobs} proses")
            err.print(Text(f"Laju: {text.angka(rendered / seconds * 60, 1)} laporan per menit ({where})."))
    if verbosity() >= VERBOSE:
        for res in results:
            if res.steps:
                err.print(Text(f"{res.label}: {_steps_line(res)}"))
    if index is not None and show:
        err.print(Text(f"Indeks: {index}"))
    if failed or index is None:
        raise typer.Exit(1)


def _years(data_root: Path, code: str) -> list[int]:
    from analysis.render import pipeline  # noqa: PLC0415  (see above)

    try:
        return pipeline.available_years(data_root, code)
    except OSError:  # an unreadable district folder fails that district later, not the batch
        return []


def _batch_areas(spec: Any, codes: list[str], tahun: int) -> list[tuple[str, dict[str, str]]]:
    """The areas one report is rendered for in a batch, with their parameter values.

    District reports: every district. Reports registered with ``per: provinsi``
    (the province comparison): every province with at least two of the districts,
    since a comparison of one district with itself says nothing.
    """
    if spec.extra.get("per") == "provinsi":
        by_province: dict[str, list[str]] = {}
        for code in codes:
            by_province.setdefault(code.split(".")[0], []).append(code)
        return [(prov, {"provinsi": prov, "tuan_rumah": "", "tamu": "", "tahun": str(tahun)})
                for prov, members in sorted(by_province.items()) if len(members) >= 2]
    return [(code, {"kab": code, "tahun": str(tahun)}) for code in codes]


def index_command(
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FOLDER", help="Folder laporan (bawaan: reports/).")] = None,
) -> None:
    """Tulis ulang reports/index.html dari laporan yang sudah dirender."""
    from analysis.render import pipeline  # noqa: PLC0415  (see above)

    index = _write_index(pipeline.check_out(out))
    if index is None:
        raise typer.Exit(1)
    say(f"Indeks: {index}")


def register(app: typer.Typer) -> None:
    """Add ``render``, ``render-all`` and ``index`` to the command line."""
    app.command("render", context_settings=_EXTRA)(render_command)
    app.command("render-all")(render_all_command)
    app.command("index")(index_command)
