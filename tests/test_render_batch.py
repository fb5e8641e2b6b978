"""End to end: render the fixture template for small fake districts (real kernels, pandoc, Typst).

One module-scoped batch renders three districts, one of which fails on purpose;
the other tests inspect its outputs, rerun it, change a data file, and break a
render half-way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pytest

from analysis.render import batch, cache, pipeline
from analysis.render.html import external_references
from analysis.render.kernel import CellFailure, Kernel

pytestmark = pytest.mark.xdist_group("render")  # kernels: keep them in one worker

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
KABS = ("64.74", "64.72", "64.01")
FAILING = "64.72"


def make_data(root: Path) -> Path:
    for i, kab in enumerate(KABS):
        folder = root / kab / "2024"
        folder.mkdir(parents=True)
        (folder / "nilai.csv").write_text(f"nilai\n{i + 1}\n{i + 2}\n", encoding="utf-8")
        (root / kab / "target_prevalensi.csv").write_text("tahun,target_pct,sumber\n2024,14,RPJMD\n",
                                                         encoding="utf-8")
    return root


def templates(root: Path, failing: str = "") -> Path:
    """A copy of the fixture template folder; ``failing`` = the district whose report raises."""
    root.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(FIXTURES / "analisis_situasi.ipynb", as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace('gagal_untuk: str = ""', f'gagal_untuk: str = "{failing}"')
    nbformat.write(nb, root / "analisis_situasi.ipynb")
    return root


def cli(args: list[str], template_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KONVERGENSI_TEMPLATE_DIR=str(template_dir), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "analysis.cli", *args], env=env, capture_output=True,
                          text=True, timeout=600)


def outputs(reports: Path, kab_folder: str) -> dict[str, Path]:
    folder = reports / "2024" / kab_folder
    return {p.name: p for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    data = make_data(root / "data")
    tpl = templates(root / "templates-gagal", failing=FAILING)
    reports = root / "reports"
    result = cli(["render-all", "--tahun", "2024", "--data", str(data), "--out", str(reports),
                  "--jobs", "2"], tpl)
    return {"root": root, "data": data, "reports": reports, "result": result}


def test_a_failing_district_leaves_the_others_rendered(batch_run):
    result, reports = batch_run["result"], batch_run["reports"]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "gagal" in result.stderr and "kegagalan yang disengaja untuk 64.72" in result.stderr
    log = reports / ".log" / "2024-64.72-kota-samarinda-analisis-situasi.log"
    assert log.is_file() and str(log) in result.stderr.replace("\n", "").replace("│", "").replace(" ", "") \
        or log.name in result.stderr.replace("\n", "")
    assert "RuntimeError" in log.read_text(encoding="utf-8")
    assert outputs(reports, "64.72-kota-samarinda") == {}
    for folder in ("64.74-kota-bontang", "64.01-kabupaten-paser"):
        names = set(outputs(reports, folder))
        assert {"analisis-situasi.html", "analisis-situasi.pdf", "analisis-situasi.ipynb",
                "analisis-situasi.json", "analisis-situasi-lampiran.xlsx"} <= names, result.stderr
    assert not list(reports.rglob(".sementara"))


def test_html_is_self_contained_and_reads_like_a_report(batch_run):
    page = (batch_run["reports"] / "2024" / "64.74-kota-bontang" / "analisis-situasi.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    for attr in re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page):
        assert attr.startswith(("#", "data:")), attr
    assert "@import" not in page
    for section in ("ringkasan", "prevalensi", "prevalensi-kecamatan", "rekomendasi"):
        assert re.search(rf'<section class="[a-z]+" id="{section}">', page), section
    assert 'id="prevalensi-kecamatan-tabel"' in page and 'id="prevalensi-gambar"' in page
    assert "Kota Bontang" in page and "Tahun 2024" in page and "Daftar isi" in page
    assert "Tabel 1." in page and "Gambar 1." in page and "1.000" in page and "12,3" in page
    # no code, prompts, streams or warnings
    for leak in ("import pandas", "In [", "Out[", "keluaran stdout", "peringatan yang tidak boleh",
                 "UserWarning", "lap.tabel", "<table>bocor"):
        assert leak not in page, leak
    assert page.count("<table") == 1  # the untagged `tabel` output did not leak


def pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    pages = len(PdfReader(str(path)).pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    else:
        text = "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    return pages, text


def test_pdf_has_pages_and_extractable_text(batch_run):
    pages, text = pdf_text(batch_run["reports"] / "2024" / "64.74-kota-bontang" / "analisis-situasi.pdf")
    assert pages >= 1
    assert "Kota Bontang" in text and "Tahun 2024" in text
    assert "Tabel 1. Prevalensi stunting per kecamatan" in text
    assert "Halaman 1 dari" in text
    assert "import" not in text


def test_json_excel_and_executed_notebook(batch_run):
    folder = batch_run["reports"] / "2024" / "64.74-kota-bontang"
    data = json.loads((folder / "analisis-situasi.json").read_text(encoding="utf-8"))
    assert data["kab"] == "64.74" and data["tahun"] == 2024
    kode = {a["kode"]: a for a in data["angka_kunci"]}
    assert kode["prevalensi_stunting_register"]["ci"] == [10.0, 15.0]
    assert kode["balita_diukur"]["satuan"] == "anak"
    assert openpyxl.load_workbook(folder / "analisis-situasi-lampiran.xlsx").sheetnames == \
        ["Keterangan", "Prevalensi kecamatan"]
    executed = nbformat.read(folder / "analisis-situasi.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "kab = '64.74'" in injected[0].source


def test_index_lists_rendered_reports_with_key_figures(batch_run):
    page = (batch_run["reports"] / "index.html").read_text(encoding="utf-8")
    assert "Kota Bontang" in page and "Kabupaten Paser" in page and "Kota Samarinda" not in page
    assert 'href="2024/64.74-kota-bontang/analisis-situasi.html"' in page
    assert 'href="2024/64.74-kota-bontang/analisis-situasi.pdf"' in page
    assert "Prevalensi stunting (register)" in page and "IK 95 %" in page
    assert external_references(page) == []


@pytest.fixture(scope="module")
def clean_run(batch_run):
    """The same data rendered with a template that never fails."""
    root = batch_run["root"]
    tpl = templates(root / "templates-baik")
    reports = root / "reports-baik"
    args = ["render-all", "--data", str(batch_run["data"]), "--out", str(reports), "--jobs", "2", "--to", "html"]
    first = cli(args, tpl)
    assert first.returncode == 0, first.stderr
    return {"tpl": tpl, "reports": reports, "args": args, "data": batch_run["data"]}


def mtimes(reports: Path) -> dict[str, int]:
    return {str(p.relative_to(reports)): p.stat().st_mtime_ns for p in reports.glob("2024/*/*")}


def test_second_run_skips_everything(clean_run):
    before = mtimes(clean_run["reports"])
    assert len(before) == 3 * 5
    again = cli(clean_run["args"], clean_run["tpl"])
    assert again.returncode == 0, again.stderr
    assert "3 laporan: 0 dirender, 3 dilewati, 0 gagal" in again.stderr
    assert mtimes(clean_run["reports"]) == before


def test_changed_data_file_rerenders_only_its_district(clean_run):
    before = mtimes(clean_run["reports"])
    target = clean_run["data"] / "64.01" / "target_prevalensi.csv"
    target.write_text("tahun,target_pct,sumber\n2024,13,RPJMD\n", encoding="utf-8")
    again = cli(clean_run["args"], clean_run["tpl"])
    assert again.returncode == 0, again.stderr
    assert "3 laporan: 1 dirender, 2 dilewati, 0 gagal" in again.stderr
    after = mtimes(clean_run["reports"])
    changed = {k.split("/")[1] for k in after if after[k] != before[k]}
    assert changed == {"64.01-kabupaten-paser"}


def test_failure_mid_render_leaves_previous_outputs_intact(clean_run, monkeypatch):
    job = pipeline.prepare("analisis-situasi", {"kab": "64.74", "tahun": "2024"},
                           data_dir=clean_run["data"], reports_dir=clean_run["reports"],
                           template_dir=clean_run["tpl"], formats="html,pdf")
    before = {p.name: p.read_bytes() for p in job.out_dir.iterdir()}

    def broken_pdf(doc, path, keep_dir=None):
        path.write_bytes(b"%PDF-1.7 setengah")  # half a file, then the step dies
        raise RuntimeError("disk penuh")

    monkeypatch.setattr("analysis.render.pdf.write_pdf", broken_pdf)
    [result] = batch.run_jobs([job], workers=1, progress=False)
    assert result.status == "gagal" and "disk penuh" in result.error
    assert {p.name: p.read_bytes() for p in job.out_dir.iterdir()} == before
    assert not (job.out_dir / "analisis-situasi.pdf").exists()
    assert not list(clean_run["reports"].rglob(".sementara"))
    assert not cache.is_fresh(job.out_dir, job.laporan, job.key, job.outputs())


def test_cli_render_one_report_with_a_clear_parameter_error(clean_run):
    bad = cli(["render", "analisis-situasi", "--kab", "64.74", "--tahun", "2024", "--data",
               str(clean_run["data"]), "--out", str(clean_run["reports"]), "--baris", "banyak"], clean_run["tpl"])
    assert bad.returncode == 1
    assert "Parameter 'baris'" in bad.stderr and "Traceback" not in bad.stderr
    unknown = cli(["render", "analisis-situasi", "--kab", "64.74", "--tahun", "2021", "--data",
                   str(clean_run["data"]), "--out", str(clean_run["reports"])], clean_run["tpl"])
    assert unknown.returncode == 1 and "tidak ada data tahun 2021" in unknown.stderr


def test_warm_kernel_gives_each_report_a_fresh_namespace(tmp_path):
    def nb(source):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(source)]
        return notebook

    with Kernel(warm=True) as kernel:
        kernel.run(nb("rahasia = 42\nimport pandas\nassert 'pandas' in __import__('sys').modules"), tmp_path)
        kernel.run(nb(f"assert 'rahasia' not in globals()\nimport os\nassert os.getcwd() == {str(tmp_path)!r}"),
                   tmp_path)
        with pytest.raises(CellFailure) as failure:
            kernel.run(nb("1 / 0"), tmp_path)
        assert failure.value.ename == "ZeroDivisionError"
        kernel.run(nb("x = 1"), tmp_path)  # a fresh kernel after a failure
