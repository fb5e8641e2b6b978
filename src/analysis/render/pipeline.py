"""One report, step by step (papermill's habit: a pipeline of small named steps).

:func:`prepare` (in the parent process, before anything runs): look the report up
in the registry → read the template's parameters → coerce and validate the
values (unknown parameter, wrong type, unknown district, year without data) →
compute the output folder and the cache key. The result is a :class:`Job`.

:func:`render` (in a worker): skip if fresh → stage a temporary folder → inject
the parameters → execute → write the executed notebook → check the JSON and
Excel written by ``lap.simpan()`` → HTML → PDF → publish atomically → stamp.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import __version__, config, errors, text
from analysis import keluaran as paths
from analysis.errors import DataUnavailableError, KonvergensiError, ParameterError, RenderError
from analysis.laporan.katalog import get_spec
from analysis.render import atomic, cache
from analysis.render import html as html_step
from analysis.render import parameters as params
from analysis.render import pdf as pdf_step
from analysis.render.failures import CellFailure, describe_cell, os_error_message

FORMATS = ("html", "pdf")
LOG_FOLDER = ".log"


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one report (picklable)."""

    laporan: str
    values: dict
    template: Path
    out_dir: Path
    data_root: Path
    formats: tuple[str, ...]
    area: str
    tahun: int
    key: str
    log_path: Path
    #: Bytes of data the report reads (all years of its districts): a batch starts the
    #: largest reports first, so the last one to finish is a small one.
    input_bytes: int = 0

    @property
    def label(self) -> str:
        """``analisis-situasi 64.74 2024`` (for progress and status tables)."""
        return f"{self.laporan} {self.area} {self.tahun}"

    def outputs(self) -> list[str]:
        """File names the report publishes."""
        names = [f"{self.laporan}.ipynb", f"{self.laporan}.json", f"{self.laporan}-lampiran.xlsx"]
        names += [f"{self.laporan}.{fmt}" for fmt in self.formats]
        return names

    def result(self, status: str, seconds: float = 0.0, **fields: Any) -> Result:
        """A :class:`Result` of this job."""
        return Result(self.label, status, seconds, out_dir=str(self.out_dir), laporan=self.laporan,
                      area=self.area, tahun=self.tahun, **fields)


@dataclass
class Result:
    """Outcome of one report: ``status`` is ``"dirender"``, ``"dilewati"`` or ``"gagal"``."""

    label: str
    status: str
    seconds: float = 0.0
    error: str = ""
    log_path: str = ""
    out_dir: str = ""
    steps: dict = field(default_factory=dict)
    laporan: str = ""
    area: str = ""
    tahun: int | None = None
    #: The failure may have left the executing process in a doubtful state (an unexpected
    #: exception, not a user error or an OS error): a batch worker is replaced after it.
    replace_worker: bool = False


# --------------------------------------------------------------------------- prepare
def parse_formats(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")``; rejects unknown formats."""
    if value is None:
        return FORMATS
    items = params.split_codes(value) if isinstance(value, str) else [str(v).strip() for v in value]
    for item in items:
        if item not in FORMATS:
            raise ParameterError("to", f"format '{item}' tidak dikenal.", ", ".join(FORMATS))
    if not items:
        raise ParameterError("to", "pilih setidaknya satu format.", ", ".join(FORMATS))
    return tuple(dict.fromkeys(items))


def available_years(data_root: Path, kab: str) -> list[int]:
    """Years with a data folder ``<data_root>/<kab>/<tahun>/``."""
    folder = data_root / kab
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def ensure_demo(codes: list[str] | None) -> None:
    """Generate the demo data on first use (``analysis.dataset.ensure_demo``); ``None`` = all."""
    if codes is not None and all((config.DEMO_DIR / c).is_dir() for c in codes):
        return
    try:
        # pandas and the demo generator (~0.5 s), only when the demo data are missing
        from analysis import dataset  # noqa: PLC0415
    except ImportError:
        raise DataUnavailableError(
            f"Data demo belum ada di {config.DEMO_DIR}. Jalankan `konvergensi demo` lebih dahulu, "
            "atau berikan folder data dengan --data.") from None
    dataset.ensure_demo(codes)


def check_out(reports_dir: str | Path | None) -> Path | None:
    """The output root given with ``--out`` (resolved), refused when it is an existing file.

    Raises
    ------
    ParameterError
        ``--out`` names a file, or a folder below a file.
    """
    if not reports_dir:
        return None
    root = Path(reports_dir).expanduser().resolve()
    for folder in (root, *root.parents):
        if folder.exists():
            if not folder.is_dir():
                raise ParameterError("out", f"'{folder}' adalah berkas, bukan folder; --out harus "
                                            "menunjuk folder (yang belum ada akan dibuat).")
            break
    return root


def _districts_of(data_root: Path, province: str) -> list[str]:
    return sorted(p.name for p in data_root.glob(f"{province}.*") if p.is_dir())


def prepare(laporan: str, given: dict[str, Any], *, data_dir: str | Path | None = None,
            reports_dir: str | Path | None = None, template_dir: str | Path | None = None,
            formats: Any = None) -> Job:
    """Validate a render request and turn it into a :class:`Job` (nothing runs yet).

    Parameters
    ----------
    laporan : report name from ``analysis/data/config/laporan.yaml``
    given : parameter values by name (text from the command line, or typed values);
        ``kab`` fills the report's area parameter when the template has no ``kab``
    data_dir : data root (``<root>/<kab>/<tahun>/``); ``None`` = the demo data
    reports_dir : output root (default ``reports/``)
    template_dir : folder of the notebook templates (default ``notebooks/``)
    formats : ``"html,pdf"`` or a sequence

    Raises
    ------
    ParameterError, DataUnavailableError, RenderError
        With a message naming the parameter and what is allowed.
    """
    spec = get_spec(laporan)
    formats = parse_formats(formats)
    template = spec.template_path(Path(template_dir) if template_dir else None)
    if not template.is_file():
        raise RenderError(f"Templat laporan '{laporan}' belum tersedia: {template} tidak ditemukan.")
    declared = params.declared_parameters(read_notebook(template))

    given = {k.lstrip("-").replace("-", "_"): v for k, v in given.items() if v is not None}
    for internal in params.INTERNAL:
        if internal in given:
            raise ParameterError(internal, "diisi oleh konvergensi render sendiri; gunakan --data "
                                           "untuk folder data dan --out untuk folder keluaran.")
    if "kab" in given and "kab" not in declared:
        target = spec.wilayah[-1]
        if target in declared and target not in given:
            given[target] = given.pop("kab")
    values = params.resolve(declared, given)

    for name in spec.parameter:
        if name in declared and values.get(name) in ("", None):
            option = declared[name].option
            raise ParameterError(name, f"wajib diisi (gunakan {option}).")
    tahun = values.get("tahun")
    if not isinstance(tahun, int):
        raise ParameterError("tahun", "templat harus mendeklarasikan `tahun: int`.")

    # Area codes: known to analysis/data/reference/wilayah; list parameters hold districts only.
    districts: list[str] = []
    for name in params.AREA_PARAMETERS:
        value = values.get(name)
        if not value:
            continue
        codes = params.split_codes(value) if name in params.LIST_PARAMETERS else [str(value).strip()]
        for code in codes:
            paths.check_area(code, name)
            if name != "provinsi" and paths.is_province(code):
                raise ParameterError(name, f"'{code}' adalah kode provinsi; parameter ini memerlukan "
                                           "kode kabupaten/kota seperti '64.74'.")
        if name in params.LIST_PARAMETERS:
            values[name] = ",".join(codes)
        districts += [c for c in codes if not paths.is_province(c)]
    area = next((str(values[n]).strip() for n in spec.wilayah if values.get(n)), None)
    if area is None:
        options = " atau ".join(declared[n].option for n in spec.wilayah if n in declared) or "--kab"
        raise ParameterError(spec.wilayah[0], f"wilayah laporan wajib diisi ({options}).")

    # Data: the root, generated demo data, a folder for every district and year.
    if data_dir:
        data_root = Path(data_dir).expanduser().resolve()
        if not data_root.is_dir():
            raise ParameterError("data", f"folder data '{data_dir}' tidak ditemukan.")
    else:
        data_root = config.DEMO_DIR
        ensure_demo(districts)
    if paths.is_province(area):
        districts += _districts_of(data_root, area)
        if not _districts_of(data_root, area):
            raise DataUnavailableError(f"Tidak ada data kabupaten/kota provinsi {area} di {data_root}.")
    districts = list(dict.fromkeys(districts))
    for code in districts:
        years = available_years(data_root, code)
        if not years:
            raise DataUnavailableError(
                f"Tidak ada data untuk {paths.area_name(code)} ({code}) di {data_root}: "
                f"folder {code}/ tidak ditemukan.")
        if tahun not in years:
            raise ParameterError("tahun", f"tidak ada data tahun {tahun} untuk "
                                          f"{paths.area_name(code)} ({code}).",
                                 ", ".join(str(y) for y in years))
    if "data_dir" in declared:
        values["data_dir"] = str(data_root)

    out_root = check_out(reports_dir)
    out_dir = paths.output_dir(area, tahun, out_root)
    folders = [data_root / code for code in districts]
    try:
        files = cache.input_files(folders)
        key = cache.cache_key(laporan=laporan, values=values, template=template, data_files=files,
                              data_root=data_root, formats=formats)
        size = sum(p.stat().st_size for p in files)
    except OSError as exc:  # e.g. a data file without read permission: this report only
        raise DataUnavailableError(f"Data tidak dapat dibaca: {os_error_message(exc)}") from None
    log_path = out_dir.parent.parent / LOG_FOLDER / f"{tahun}-{out_dir.name}-{laporan}.log"
    return Job(laporan=laporan, values=values, template=template, out_dir=out_dir,
               data_root=data_root, formats=formats, area=area, tahun=tahun, key=key,
               log_path=log_path, input_bytes=size)


# --------------------------------------------------------------------------- render
def is_fresh(job: Job) -> bool:
    """True when the report's outputs exist and were rendered from the same inputs."""
    return cache.is_fresh(job.out_dir, job.laporan, job.key, job.outputs())


def split_fresh(jobs: list[Job], force: bool = False) -> tuple[dict[int, Result], list[int]]:
    """Separate the jobs whose outputs are up to date from those to render.

    Returns
    -------
    (skipped, todo)
        ``skipped`` maps a job's position to its "dilewati" result; ``todo`` lists the
        positions to render (all of them when ``force``).
    """
    skipped: dict[int, Result] = {}
    todo: list[int] = []
    for i, job in enumerate(jobs):
        if not force and is_fresh(job):
            skipped[i] = job.result("dilewati")
        else:
            todo.append(i)
    return skipped, todo


def _failure_message(exc: BaseException) -> str:
    """The one-line, Indonesian message of a failed report (details go to its log)."""
    if isinstance(exc, CellFailure):
        return describe_cell(exc, _user_error_names())
    if isinstance(exc, KonvergensiError):
        return str(exc)
    if isinstance(exc, OSError):
        return os_error_message(exc)
    if isinstance(exc, MemoryError):
        return "Memori tidak cukup untuk laporan ini."
    return f"Galat internal ({type(exc).__name__}: {exc})"


def _user_error_names() -> set[str]:
    return {name for name, obj in vars(errors).items()
            if isinstance(obj, type) and issubclass(obj, errors.KonvergensiError)}


def _document(executed: dict, job: Job) -> html_step.Document:
    title, blocks = html_step.collect_blocks(executed)
    spec = get_spec(job.laporan)
    return html_step.Document(
        judul=(title or {}).get("judul") or spec.judul,
        wilayah=(title or {}).get("wilayah") or paths.area_name(job.area),
        tahun=job.tahun,
        dibuat=(title or {}).get("dibuat") or text.tanggal(time.strftime("%Y-%m-%d")),
        versi=__version__, aksi=spec.aksi, title_block=title, blocks=blocks,
    )


def read_notebook(path: Path) -> dict:
    """A template as nbformat-4 JSON (a ``dict``; see :func:`analysis.render.parameters.inject`)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RenderError(f"Templat {path.name} tidak dapat dibaca: {os_error_message(exc)}") from None
    except ValueError as exc:
        raise RenderError(f"Templat {path.name} tidak dapat dibaca sebagai notebook: {exc}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise RenderError(f"Templat {path.name} tidak dapat dibaca sebagai notebook: tidak ada daftar sel.")
    if nb.get("nbformat") != 4:
        raise RenderError(f"Templat {path.name} memakai nbformat {nb.get('nbformat')}; "
                          "simpan ulang dengan JupyterLab (nbformat 4).")
    for cell in nb["cells"]:  # as nbformat.read gives them: one string per source
        if isinstance(cell, dict) and isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


def write_notebook(nb: dict, path: Path) -> None:
    """Write an executed notebook as nbformat's own writer lays it out (sorted keys, indent 1)."""
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def write_log(job: Job, message: str, detail: str) -> str:
    """Write a failed report's log; return its path, or ``""`` when it cannot be written (full disk)."""
    try:
        job.log_path.parent.mkdir(parents=True, exist_ok=True)
        job.log_path.write_text(
            f"Laporan: {job.label}\nTemplat: {job.template}\n"
            f"Parameter: {json.dumps(job.values, ensure_ascii=False)}\n"
            f"Galat: {message}\n\n{detail}\n", encoding="utf-8")
    except OSError:
        return ""
    return str(job.log_path)


class _Background:
    """``fn(*args, **kwargs)`` on a thread; :meth:`result` re-raises its exception here."""

    def __init__(self, fn: Any, *args: Any, **kwargs: Any):
        self._error: BaseException | None = None

        def run() -> None:
            try:
                fn(*args, **kwargs)
            except BaseException as exc:  # re-raised in the rendering thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="pdf", daemon=True)
        self._thread.start()

    def join(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self.join()
        if self._error is not None:
            raise self._error


def pdf_input(doc: html_step.Document) -> str:
    """Digest of everything a report's PDF is made from: the print body and the layout's fields."""
    digest = hashlib.sha256(json.dumps(pdf_step.metadata(doc), sort_keys=True, default=str).encode())
    digest.update(html_step.build_body(doc.blocks).encode())
    return digest.hexdigest()


def render(job: Job, kernel: Any, *, force: bool = False, speculate: bool = False) -> Result:
    """Render one prepared report with ``kernel`` (:class:`analysis.render.inprocess.Shell` or
    :class:`analysis.render.kernel.Kernel`: anything with ``run(nb, cwd) -> executed nb``).

    ``speculate`` (a :class:`~analysis.render.inprocess.Shell` with a core to spare, as in
    ``konvergensi render``): the PDF of what the notebook displayed before its last cell is
    built while that cell runs (it saves the JSON and the Excel annex, which can take seconds);
    it becomes the report's PDF when the last cell displayed nothing that changes it (checked
    with :func:`pdf_input`), otherwise it is discarded and the PDF is built again.

    Never raises for a report failure: the :class:`Result` carries the message and
    the log file holds the details (traceback, failing cell).
    """
    start = time.perf_counter()
    steps: dict[str, float] = {}
    if not force and is_fresh(job):
        return job.result("dilewati")

    def step(name: str, t0: float) -> float:
        now = time.perf_counter()
        steps[name] = round(now - t0, 3)
        return now

    try:
        with atomic.staging(job.out_dir, job.laporan) as tmp:
            t = time.perf_counter()
            values = dict(job.values)
            nb = read_notebook(job.template)
            declared = params.declared_parameters(nb)
            if "output_dir" in declared:
                values["output_dir"] = str(tmp)
            nb = params.inject(nb, values)
            t = step("siapkan", t)
            early: dict[str, Any] = {}

            def before_last(partial: dict) -> None:
                draft = _document(partial, job)
                early["kunci"] = pdf_input(draft)
                early["pdf"] = _Background(pdf_step.write_pdf, draft, tmp / ".awal.pdf",
                                           keep_dir=tmp / ".pdf-awal")

            if speculate and "pdf" in job.formats:
                executed = kernel.run(nb, cwd=tmp, before_last=before_last)
            else:
                executed = kernel.run(nb, cwd=tmp)
            t = step("eksekusi", t)
            pdf: _Background | None = None
            try:
                for name in (f"{job.laporan}.json", f"{job.laporan}-lampiran.xlsx"):
                    if not (tmp / name).is_file():
                        raise RenderError(f"Notebook tidak menulis {name}: panggil lap.simpan() di akhir "
                                          f"templat dan gunakan output_dir.")
                doc = _document(executed, job)
                reuse = "pdf" in early and early["kunci"] == pdf_input(doc)
                # The PDF is made on a second thread while this one writes the notebook and the
                # HTML: pandoc is a subprocess and typst.compile releases the GIL, so on two cores
                # the two outputs cost about the time of the PDF alone.
                if "pdf" in job.formats:
                    pdf = early["pdf"] if reuse else _Background(
                        pdf_step.write_pdf, doc, tmp / f"{job.laporan}.pdf", keep_dir=tmp / ".pdf")
                write_notebook(executed, tmp / f"{job.laporan}.ipynb")
                if "html" in job.formats:
                    (tmp / f"{job.laporan}.html").write_text(html_step.assemble(doc), encoding="utf-8")
                    t = step("html", t)
            finally:
                for build in (pdf, early.get("pdf")):
                    if build is not None:
                        build.join()  # nothing may still write into the staging folder
            if pdf is not None:
                pdf.result()
                if reuse:
                    os.replace(tmp / ".awal.pdf", tmp / f"{job.laporan}.pdf")
                t = step("pdf (dimulai sebelum sel terakhir)" if reuse else "pdf", t)
            names = job.outputs()
            stamp = cache.stamp_path(job.out_dir, job.laporan)
            atomic.publish(tmp, job.out_dir, names, stamp=stamp)
            cache.write_stamp(job.out_dir, job.laporan, job.key, names)
            step("simpan", t)
        job.log_path.unlink(missing_ok=True)
        return job.result("dirender", time.perf_counter() - start, steps=steps)
    except Exception as exc:  # one report's failure never stops the others
        message = _failure_message(exc)
        detail = getattr(exc, "traceback", "") or traceback.format_exc()
        return job.result("gagal", time.perf_counter() - start, error=message,
                          log_path=write_log(job, message, detail), steps=steps,
                          replace_worker=not _clean_failure(exc))


def _clean_failure(exc: BaseException) -> bool:
    """A failure that leaves the process as it was: a user error or an operating-system error."""
    if isinstance(exc, CellFailure):
        return exc.ename in _user_error_names() or exc.ename in ("PermissionError", "FileNotFoundError",
                                                                 "OSError", "IsADirectoryError")
    return isinstance(exc, (KonvergensiError, OSError))
