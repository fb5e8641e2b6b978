"""Notebooks as an analyst uses them: cells run again in a real kernel (with the cell ids
JupyterLab sends), and parameters injected by papermill (``-p kab 64.08`` is a float)."""

from __future__ import annotations

import queue
from pathlib import Path

import nbformat
import papermill
import pytest
from jupyter_client.manager import start_new_kernel

from analysis import config, dataset
from analysis.errors import ParameterError
from analysis.laporan.parameter import periksa


# ------------------------------------------------------------------ parameters ----
def _ns(**values):
    types = {"kab": str, "tahun": int, "data_dir": str, "output_dir": str}
    return {"__annotations__": {k: types.get(k, type(v)) for k, v in values.items()}, **values}


def test_papermill_numbers_become_codes_and_years():
    prm = periksa(_ns(kab=64.08, tahun="2024", data_dir="", output_dir=""))
    assert prm.kab == "64.08" and prm.tahun == 2024
    # -p kab 64.10 arrives as 64.1 and is read back as the code 64.10 (not in this reference)
    with pytest.raises(ParameterError, match="'64.10' tidak dikenal"):
        periksa(_ns(kab=64.1, tahun=2024.0, data_dir="", output_dir=""))
    assert prm["data_dir"] == "" and list(prm) == ["kab", "tahun", "data_dir", "output_dir"]


@pytest.mark.parametrize("values, name", [
    ({"kab": "64.74", "tahun": 2024.5}, "tahun"),
    ({"kab": "64.74", "tahun": "dua ribu"}, "tahun"),
    ({"kab": "99.99", "tahun": 2024}, "kab"),
    ({"kab": "64.74", "tahun": True}, "tahun"),
])
def test_mistyped_parameters_are_refused_by_name(values, name):
    with pytest.raises(ParameterError, match=f"Parameter '{name}'"):
        periksa(_ns(data_dir="", output_dir="", **values))


def test_text_parameters_refuse_numbers_and_lists_are_checked():
    ns = {"__annotations__": {"judul": str, "tamu": str, "tuan_rumah": str, "provinsi": str,
                              "lengkap": bool},
          "judul": 3.5, "tamu": "64.08, 64.74", "tuan_rumah": 64.02, "provinsi": "",
          "lengkap": "ya"}
    with pytest.raises(ParameterError, match="'judul'.*teks"):
        periksa(ns)
    prm = periksa({**ns, "judul": "Uji"})
    assert (prm.tamu, prm.tuan_rumah, prm.lengkap) == ("64.08,64.74", "64.02", True)
    with pytest.raises(ParameterError, match="'tamu'"):
        periksa({**ns, "judul": "Uji", "tamu": "64.08,12.34"})


PARAMETERS = ('kab: str = "64.74"  # kode kabupaten/kota\n'
              'tahun: int = 2024  # tahun\n')


def test_papermill_float_parameter_is_coerced_in_a_real_run(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "from analysis.laporan import periksa_parameter\n"
                    "prm = periksa_parameter(globals())\n"
                    "assert isinstance(kab, float)  # what papermill injected\n"
                    "assert prm.kab == '64.08' and prm.tahun == 2025, prm\n")]
    src, out = tmp_path / "uji.ipynb", tmp_path / "hasil.ipynb"
    nbformat.write(nb, src)
    papermill.execute_notebook(str(src), str(out), parameters={"kab": 64.08, "tahun": "2025"},
                               progress_bar=False, kernel_name="python3")


# ------------------------------------------------------------------ re-running cells ----
class _Kernel:
    def __init__(self):
        self.km, self.kc = start_new_kernel(kernel_name="python3")

    def run(self, code: str, cell_id: str | None = None) -> list[dict]:
        msg = self.kc.session.msg("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True},
            metadata={"cellId": cell_id} if cell_id else {})
        self.kc.shell_channel.send(msg)
        outputs = []
        while True:
            try:
                m = self.kc.get_iopub_msg(timeout=60)
            except queue.Empty:  # pragma: no cover - a hung kernel
                raise AssertionError("kernel did not answer") from None
            if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                continue
            if m["msg_type"] in ("display_data", "error", "stream"):
                outputs.append(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return outputs

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def test_every_cell_can_run_again_in_jupyterlab(tmp_path):
    k = _Kernel()
    try:
        setup = ("from analysis.laporan import Laporan\nimport pandas as pd\n"
                 f"lap = Laporan('analisis-situasi', '64.74', 2024, {str(tmp_path)!r})\n")
        cell_a = ("lap.bagian('ringkasan', 'Ringkasan')\n"
                  "lap.tabel(pd.DataFrame({'a': [1, 2]}), judul='Satu', id='t-satu', "
                  "lampiran='Lembar satu')\n")
        cell_b = "lap.bagian('data', 'Data')\n"
        for code, cell in ((setup, "c0"), (cell_a, "c1"), (cell_b, "c2"), (cell_a, "c1")):
            out = k.run(code, cell)
            errors = [m["content"]["evalue"] for m in out if m["msg_type"] == "error"]
            assert not errors, errors
        assert sum(m["msg_type"] == "display_data" for m in out) == 2  # the re-run's two blocks
        out = k.run("print([b.get('id') for b in lap.blok]); print(sorted(lap.simpan()))", "c3")
        text = "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
        assert "['ringkasan', 't-satu', 'data']" in text
        # the renderer's kernel sends no cell id: there a repeated id stays an error
        out = k.run(cell_b)
        assert any(m["msg_type"] == "error" and "sudah dipakai" in m["content"]["evalue"]
                   for m in out)
    finally:
        k.close()


# ------------------------------------------------------------------ analysts' notebooks ----
ANALYST_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.slow
def test_exploration_notebook_runs_on_the_demo(tmp_path, monkeypatch):
    """notebooks/eksplorasi.ipynb runs top to bottom on demo data and writes no report file."""
    dataset.ensure_demo(["64.74"])  # the explicit step the notebook asks the analyst to take
    monkeypatch.setenv(config.ROOT_ENV, str(config.WORK_ROOT))
    out = tmp_path / "eksplorasi.ipynb"
    papermill.execute_notebook(str(ANALYST_NOTEBOOKS / "eksplorasi.ipynb"), str(out),
                               parameters={"kab": 64.74, "kecamatan": "bontang utara"},
                               cwd=str(tmp_path), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    shown = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                    for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "Kecamatan bontang utara:" in shown and "Bontang Kuala" in shown
    assert [p for p in tmp_path.rglob("*") if p != out] == []  # nothing written beside it
