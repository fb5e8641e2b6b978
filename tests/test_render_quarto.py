"""`_quarto.yml`: the same notebooks render with Quarto where Quarto is installed.

Quarto cannot be installed on the build machines (see the README, "Rendering"), so this
test is skipped there; it runs wherever a `quarto` executable is on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

QUARTO = shutil.which("quarto")
FIXTURE = Path(__file__).parent / "fixtures" / "notebooks" / "analisis_situasi.ipynb"


def test_quarto_config_matches_the_renderer():
    settings = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    assert settings["execute"]["echo"] is False and settings["execute"]["warning"] is False
    assert settings["execute"]["freeze"] is False  # freeze would ignore -P parameters
    assert settings["format"]["html"]["embed-resources"] is True
    assert settings["format"]["typst"]["papersize"] == "a4"
    assert "src/analysis/notebooks/*.ipynb" in settings["project"]["render"]


@pytest.mark.skipif(QUARTO is None, reason="quarto is not installed (it cannot be on the build "
                                           "machines); `konvergensi render` is the supported renderer")
def test_quarto_renders_the_fixture_with_parameters(tmp_path):
    data = tmp_path / "data" / "64.74" / "2024"
    data.mkdir(parents=True)
    (data / "nilai.csv").write_text("nilai\n1\n2\n", encoding="utf-8")
    work = tmp_path / "proyek"
    shutil.copytree(REPO / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "_quarto.yml", work / "_quarto.yml")
    shutil.copy(FIXTURE, work / "src" / "analysis" / "notebooks" / "analisis_situasi.ipynb")
    out = tmp_path / "keluaran"
    result = subprocess.run(
        [QUARTO, "render", "src/analysis/notebooks/analisis_situasi.ipynb", "--to", "html",
         "-P", "kab:64.74", "-P", "tahun:2024", "-P", f"data_dir:{tmp_path / 'data'}",
         "-P", f"output_dir:{out}"],
        cwd=work, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    page = next((work / "reports" / "quarto").rglob("analisis_situasi.html")).read_text(encoding="utf-8")
    assert "Kota Bontang" in page and 'id="ringkasan"' in page
    assert (out / "analisis-situasi.json").is_file()
