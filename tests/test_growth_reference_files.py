"""The golden files in tests/reference/ are unchanged copies (sha256 as in their README), and
each sits beside the command that produced it (make_reference.R for anthro's outputs, which
needs R and cannot run here; make_prevalence_input.py for the prevalence input, checked)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

HERE = Path(__file__).parent / "reference"


def test_reference_files_match_readme_checksums():
    text = (HERE / "README.md").read_text(encoding="utf-8")
    sums = re.findall(r"^([0-9a-f]{64})\s+(\S+\.csv)$", text, flags=re.M)
    assert {name for _, name in sums} == {
        "reference_cases.csv", "prevalence_input.csv", "prev_simple.csv",
        "prev_cluster_strata.csv"}
    for digest, name in sums:
        assert hashlib.sha256((HERE / name).read_bytes()).hexdigest() == digest, name


def test_each_golden_file_has_its_command_beside_it():
    script = (HERE / "make_reference.R").read_text(encoding="utf-8")
    for name in ("reference_cases.csv", "prev_simple.csv", "prev_cluster_strata.csv"):
        assert f'"{name}"' in script, name
    assert "anthro_zscores(" in script and "anthro_prevalence(" in script
    assert "b776d8a12b1c97369c748b561159fd2ec4f4db58" in script  # the version that made them


def test_prevalence_input_is_reproduced_by_its_command():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_prevalence_input",
                                                  HERE / "make_prevalence_input.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.prevalence_input() == (HERE / "prevalence_input.csv").read_text(encoding="utf-8")
