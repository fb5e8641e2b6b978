"""Render parameters: the typed parameters cell, validation before anything runs, safe injection."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from analysis.commands.render import parse_extra
from analysis.errors import DataUnavailableError, ParameterError, RenderError
from analysis.render import parameters as P
from analysis.render import pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def notebook(source: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_raw_cell("---\ntitle: x\n---"), cell, nbformat.v4.new_code_cell("x = 1")]
    return nb


STUDI = '''tuan_rumah: str = "64.02"  # kabupaten/kota tuan rumah
tamu: str = ""  # kode daerah tamu, dipisah koma
provinsi: str = ""  # kode provinsi untuk tampilan provinsi
tahun: int = 2024  # tahun
ambang: float = 0.5  # ambang
rinci: bool = False  # tampilkan rincian
data_dir: str = ""  # folder data
output_dir: str = ""  # folder keluaran
'''


def test_declared_parameters_with_types_defaults_and_comments():
    declared = P.declared_parameters(notebook(STUDI))
    assert list(declared) == ["tuan_rumah", "tamu", "provinsi", "tahun", "ambang", "rinci",
                              "data_dir", "output_dir"]
    assert declared["tahun"].type == "int" and declared["tahun"].default == 2024
    assert declared["tuan_rumah"].help == "kabupaten/kota tuan rumah"
    assert declared["tuan_rumah"].option == "--tuan-rumah"


def test_untyped_assignment_takes_the_type_of_its_default():
    declared = P.declared_parameters(notebook("kab = '64.74'\ntahun = 2024\n"))
    assert declared["kab"].type == "str" and declared["tahun"].type == "int"


@pytest.mark.parametrize("source, message", [
    ("import os\n", "penugasan"),
    ("kab: str = os.getcwd()\n", "literal"),
    ("kab: list = []\n", "tipe"),
    ("kab: str = \n", "tidak dapat dibaca"),
])
def test_bad_parameters_cells_are_render_errors(source, message):
    with pytest.raises(RenderError, match=message):
        P.declared_parameters(notebook(source))


def test_missing_parameters_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    with pytest.raises(RenderError, match="parameters"):
        P.declared_parameters(nb)


def test_resolve_coerces_and_rejects_unknown_names():
    declared = P.declared_parameters(notebook(STUDI))
    values = P.resolve(declared, {"tuan-rumah": "64.08", "tahun": "2023", "ambang": "0,75", "rinci": "ya"})
    assert values["tuan_rumah"] == "64.08" and values["tahun"] == 2023
    assert values["ambang"] == 0.75 and values["rinci"] is True
    with pytest.raises(ParameterError, match="'kabupaten'.*--tuan-rumah"):
        P.resolve(declared, {"kabupaten": "64.74"})
    with pytest.raises(ParameterError, match="'tahun'.*bilangan bulat"):
        P.resolve(declared, {"tahun": "dua ribu"})
    with pytest.raises(ParameterError, match="'rinci'"):
        P.resolve(declared, {"rinci": "mungkin"})


@pytest.mark.parametrize("evil", [
    '"; import os; os.system("echo owned") #',
    "64.74\nimport os",
    "\\' + __import__('os').getcwd() + \\'",
    "{{kab}}",
    "'''",
])
def test_injection_writes_literals_only(evil):
    source = P.injection_source({"kab": evil, "tahun": 2024, "rinci": True, "ambang": 0.5})
    tree = ast.parse(source)
    assert all(isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) for node in tree.body)
    namespace: dict = {}
    exec(compile(tree, "<injected>", "exec"), namespace)  # literals only: safe to run
    assert namespace["kab"] == evil and namespace["tahun"] == 2024


def test_inject_places_a_tagged_cell_after_the_parameters_cell():
    nb = P.inject(notebook(STUDI), {"tahun": 2022})
    tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
    assert tags[1] == ["parameters"] and tags[2] == ["injected-parameters"]
    assert "tahun = 2022" in nb["cells"][2]["source"]
    assert len(nb["cells"][2]["id"]) == 8  # nbformat 4.5 requires an id on every cell
    again = P.inject(nb, {"tahun": 2021})  # re-injection replaces, never stacks
    assert sum("injected-parameters" in c["metadata"].get("tags", []) for c in again["cells"]) == 1


def test_command_line_extra_options():
    assert parse_extra(["--tuan-rumah", "64.02", "--tamu=64.08,64.74", "--rinci", "--no-ringkas"]) == {
        "tuan_rumah": "64.02", "tamu": "64.08,64.74", "rinci": "true", "ringkas": "false"}
    with pytest.raises(ParameterError, match="64.02"):
        parse_extra(["64.02"])


# ----------------------------------------------------------------------- prepare
@pytest.fixture
def data_root(tmp_path):
    for kab in ("64.74", "64.72"):
        folder = tmp_path / "data" / kab / "2024"
        folder.mkdir(parents=True)
        (folder / "nilai.csv").write_text("nilai\n1\n2\n", encoding="utf-8")
    return tmp_path / "data"


def prepare(data_root, tmp_path, **given):
    return pipeline.prepare("analisis-situasi", given, data_dir=data_root,
                            reports_dir=tmp_path / "reports", template_dir=FIXTURES)


def test_prepare_builds_the_job(data_root, tmp_path):
    job = prepare(data_root, tmp_path, kab="64.74", tahun="2024", baris="3")
    assert job.values["baris"] == 3 and job.values["data_dir"] == str(data_root.resolve())
    assert job.out_dir == (tmp_path / "reports" / "2024" / "64.74-kota-bontang").resolve()
    assert job.outputs() == ["analisis-situasi.ipynb", "analisis-situasi.json",
                             "analisis-situasi-lampiran.xlsx", "analisis-situasi.html",
                             "analisis-situasi.pdf"]
    other = prepare(data_root, tmp_path, kab="64.74", tahun="2024", baris="4")
    assert other.key != job.key  # parameters are part of the cache key


@pytest.mark.parametrize("given, error, pattern", [
    ({"kab": "64.99", "tahun": "2024"}, ParameterError, "'kab'.*64.99.*64.74"),
    ({"kab": "64.74", "tahun": "2019"}, ParameterError, "'tahun'.*2019.*Kota Bontang.*2024"),
    ({"kab": "64.01", "tahun": "2024"}, DataUnavailableError, "Kabupaten Paser"),
    ({"kab": "64.74", "tahun": "2024", "warna": "biru"}, ParameterError, "'warna'.*--baris"),
    ({"kab": "64.74", "tahun": "2024", "baris": "banyak"}, ParameterError, "'baris'.*bilangan bulat"),
    ({"kab": "64.74", "tahun": "2024", "output_dir": "/etc"}, ParameterError, "'output_dir'"),
    ({"tahun": "2024", "kab": ""}, ParameterError, "'kab'.*--kab"),
])
def test_prepare_rejects_bad_requests_before_anything_runs(data_root, tmp_path, given, error, pattern):
    with pytest.raises(error, match=pattern):
        prepare(data_root, tmp_path, **given)
    assert not (tmp_path / "reports").exists()


def test_prepare_rejects_unknown_report_format_and_template(data_root, tmp_path):
    with pytest.raises(ParameterError, match="'laporan'.*analisis-situasi"):
        pipeline.prepare("analisis", {"kab": "64.74", "tahun": "2024"}, data_dir=data_root)
    with pytest.raises(ParameterError, match="'to'.*html, pdf"):
        pipeline.prepare("analisis-situasi", {"kab": "64.74", "tahun": "2024"}, data_dir=data_root,
                         template_dir=FIXTURES, formats="html,docx")
    with pytest.raises(RenderError, match="belum tersedia"):
        pipeline.prepare("reviu-kinerja", {"kab": "64.74", "tahun": "2024"}, data_dir=data_root,
                         template_dir=FIXTURES)


def test_study_visit_parameters_are_generic(data_root, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    nb = notebook(STUDI)
    nbformat.write(nb, folder / "studi_tiru.ipynb")
    job = pipeline.prepare("studi-tiru", {"kab": "64.74", "tamu": "64.72", "tahun": "2024"},
                           data_dir=data_root, reports_dir=tmp_path / "r", template_dir=folder)
    assert job.values["tuan_rumah"] == "64.74"  # --kab fills the host when the template has no kab
    assert job.out_dir.name == "64.74-kota-bontang"
    with pytest.raises(ParameterError, match="'tamu'.*99.01"):
        pipeline.prepare("studi-tiru", {"tuan_rumah": "64.74", "tamu": "64.72,99.01", "tahun": "2024"},
                         data_dir=data_root, template_dir=folder)
    with pytest.raises(ParameterError, match="'tamu'.*provinsi"):
        pipeline.prepare("studi-tiru", {"tuan_rumah": "64.74", "tamu": "64", "tahun": "2024"},
                         data_dir=data_root, template_dir=folder)
    province = pipeline.prepare("studi-tiru", {"provinsi": "64", "tuan_rumah": "64.74", "tahun": "2024"},
                                data_dir=data_root, reports_dir=tmp_path / "r", template_dir=folder)
    assert province.out_dir.name == "64-provinsi-kalimantan-timur"
