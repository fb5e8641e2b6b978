"""The in-process shell records a notebook's outputs as a Jupyter kernel would, report by report."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from analysis.render import pipeline
from analysis.render.failures import CellFailure
from analysis.render.inprocess import Shell

pytestmark = pytest.mark.xdist_group("render")


def notebook(*sources: str, markdown: str = "") -> dict:
    cells: list[dict] = []
    if markdown:
        cells.append({"cell_type": "markdown", "metadata": {}, "source": markdown, "id": "md000001"})
    for i, source in enumerate(sources):
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                      "source": source, "id": f"sel{i:05d}"})
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def test_outputs_in_order_with_display_metadata(tmp_path):
    nb = notebook(
        "print('satu')\nfrom IPython.display import display\n"
        "display({'text/html': '<p>dua</p>'}, raw=True, metadata={'konvergensi': {'jenis': 'teks'}})\n"
        "import sys; print('tiga', file=sys.stderr)\n1 + 1",
    )
    with Shell() as shell:
        executed = shell.run(nb, tmp_path)
    outputs = executed["cells"][0]["outputs"]
    assert [o["output_type"] for o in outputs] == ["stream", "display_data", "stream", "execute_result"]
    assert outputs[0] == {"output_type": "stream", "name": "stdout", "text": "satu\n"}
    assert outputs[1]["data"] == {"text/html": "<p>dua</p>"}
    assert outputs[1]["metadata"] == {"konvergensi": {"jenis": "teks"}}
    assert outputs[2]["name"] == "stderr" and outputs[2]["text"] == "tiga\n"
    assert outputs[3]["data"]["text/plain"] == "2" and outputs[3]["execution_count"] == 1
    assert nb["cells"][0]["outputs"] == [], "the input notebook is not modified"


def test_executed_notebook_is_valid_nbformat(tmp_path):
    import nbformat

    nb = notebook("x = 1\nprint(x)", "import matplotlib.pyplot as plt\nplt.plot([1, 2]);", markdown="# Judul")
    with Shell() as shell:
        executed = shell.run(nb, tmp_path)
    path = tmp_path / "hasil.ipynb"
    pipeline.write_notebook(executed, path)
    nbformat.validate(nbformat.read(path, as_version=4))
    assert [c.get("execution_count") for c in executed["cells"]] == [None, 1, 2]


def test_each_report_gets_a_fresh_namespace_and_its_own_folder(tmp_path):
    here = os.getcwd()
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    with Shell() as shell:
        shell.run(notebook(f"rahasia = 42\nimport os\nassert os.getcwd() == {str(first)!r}"), first)
        shell.run(notebook(f"assert 'rahasia' not in globals()\nimport os\nassert os.getcwd() == {str(second)!r}"),
                  second)
    assert os.getcwd() == here
    assert sys.modules["__main__"].__name__ == "__main__"


def test_a_failing_cell_names_its_place_in_the_template(tmp_path):
    nb = notebook("a = 1", "1 / 0", "never = True")
    nb["cells"].insert(1, {"cell_type": "code", "execution_count": None, "outputs": [], "id": "param001",
                           "metadata": {"tags": ["injected-parameters"]}, "source": "kab = '64.74'"})
    with Shell() as shell, pytest.raises(CellFailure) as failure:
        shell.run(nb, tmp_path)
    assert failure.value.ename == "ZeroDivisionError"
    assert failure.value.cell_index == 1  # the template's second cell (the injected one not counted)
    assert "1 / 0" in failure.value.traceback and "ZeroDivisionError" in failure.value.traceback
    with Shell() as shell:  # and the shell is usable afterwards
        shell.run(notebook("ok = 1"), tmp_path)


def test_ctrl_c_stops_the_render_instead_of_failing_a_cell(tmp_path):
    with Shell() as shell, pytest.raises(KeyboardInterrupt):
        shell.run(notebook("raise KeyboardInterrupt", "never = True"), tmp_path)


@pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="SIGALRM is POSIX")
def test_a_cell_that_runs_too_long_is_stopped(tmp_path):
    with Shell(timeout=1) as shell, pytest.raises(CellFailure) as failure:
        shell.run(notebook("import time\nwhile True: time.sleep(0.05)"), tmp_path)
    assert failure.value.ename == "TimeoutError"
    assert "lebih dari 1 detik" in failure.value.evalue


def test_render_writes_the_same_outputs_as_before(tmp_path):
    """A whole fixture report in this process: every output, a valid notebook, a tagged block."""
    import nbformat

    fixtures = Path(__file__).parent / "fixtures" / "notebooks"
    data = tmp_path / "data" / "64.74" / "2024"
    data.mkdir(parents=True)
    (data / "nilai.csv").write_text("nilai\n1\n2\n", encoding="utf-8")
    job = pipeline.prepare("analisis-situasi", {"kab": "64.74", "tahun": "2024"}, data_dir=tmp_path / "data",
                           reports_dir=tmp_path / "reports", template_dir=fixtures, formats="html")
    with Shell() as shell:
        result = pipeline.render(job, shell, force=True)
    assert result.status == "dirender", result.error
    names = {p.name for p in job.out_dir.iterdir()}
    assert set(job.outputs()) <= names
    executed = nbformat.read(job.out_dir / "analisis-situasi.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "kab = '64.74'" in injected[0].source
    blocks = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.get("metadata", {}).get("konvergensi")]
    assert any(b["metadata"]["konvergensi"].get("jenis") == "judul" for b in blocks)
    data_json = json.loads((job.out_dir / "analisis-situasi.json").read_text(encoding="utf-8"))
    assert data_json["kab"] == "64.74"


def test_inside_someone_elses_ipython_the_report_gets_a_kernel(tmp_path, monkeypatch):
    """From JupyterLab or IPython the user's own variables must survive a render."""
    from IPython.core.interactiveshell import InteractiveShell

    from analysis.render import batch, inprocess

    monkeypatch.setattr(inprocess, "_SHELL", None)
    monkeypatch.setattr(InteractiveShell, "initialized", classmethod(lambda cls: True))
    with pytest.raises(inprocess.ForeignShell):
        inprocess.shell()
    used = []

    class FakeKernel:
        def __init__(self, warm):
            used.append(warm)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def run(self, nb, cwd):
            raise CellFailure("RuntimeError", "kernel palsu", "")

    monkeypatch.setattr("analysis.render.kernel.Kernel", FakeKernel)
    fixtures = Path(__file__).parent / "fixtures" / "notebooks"
    data = tmp_path / "data" / "64.74" / "2024"
    data.mkdir(parents=True)
    (data / "nilai.csv").write_text("nilai\n1\n", encoding="utf-8")
    job = pipeline.prepare("analisis-situasi", {"kab": "64.74", "tahun": "2024"}, data_dir=tmp_path / "data",
                           reports_dir=tmp_path / "reports", template_dir=fixtures, formats="html")
    [result] = batch.run_here([job], force=True)
    assert used == [False] and "kernel palsu" in result.error


def _fixture_job(tmp_path, template_dir, formats="html,pdf"):
    data = tmp_path / "data" / "64.74" / "2024"
    data.mkdir(parents=True, exist_ok=True)
    (data / "nilai.csv").write_text("nilai\n1\n2\n", encoding="utf-8")
    return pipeline.prepare("analisis-situasi", {"kab": "64.74", "tahun": "2024"}, data_dir=tmp_path / "data",
                            reports_dir=tmp_path / "reports", template_dir=template_dir, formats=formats)


def _pdf_words(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_the_pdf_started_before_the_last_cell_is_used_only_when_nothing_changed(tmp_path):
    fixtures = Path(__file__).parent / "fixtures" / "notebooks"
    # the fixture's last cell adds the "Rekomendasi" section: the early PDF must be discarded
    job = _fixture_job(tmp_path / "a", fixtures)
    with Shell() as shell:
        result = pipeline.render(job, shell, force=True, speculate=True)
    assert result.status == "dirender", result.error
    assert "pdf" in result.steps and not any("sebelum" in k for k in result.steps)
    assert "Perkuat pengukuran di posyandu" in _pdf_words(job.out_dir / "analisis-situasi.pdf")
    # the same template with lap.simpan() alone in a last cell: the early PDF is the report's
    nb = json.loads((fixtures / "analisis_situasi.ipynb").read_text(encoding="utf-8"))
    last = nb["cells"][-1]
    source = "".join(last["source"]) if isinstance(last["source"], list) else last["source"]
    last["source"] = source.replace("lap.simpan()", "")
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "simpan01", "metadata": {},
                        "outputs": [], "source": "lap.simpan()"})
    folder = tmp_path / "templat"
    folder.mkdir()
    (folder / "analisis_situasi.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    job = _fixture_job(tmp_path / "b", folder)
    with Shell() as shell:
        result = pipeline.render(job, shell, force=True, speculate=True)
    assert result.status == "dirender", result.error
    assert "pdf (dimulai sebelum sel terakhir)" in result.steps
    words = _pdf_words(job.out_dir / "analisis-situasi.pdf")
    assert "Perkuat pengukuran di posyandu" in words and "Kota Bontang" in words
    assert not list(job.out_dir.glob(".awal*")) and not (job.out_dir / ".pdf-awal").exists()
