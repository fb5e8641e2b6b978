"""The golden files in tests/reference/ are unchanged copies (sha256 as in their README)."""

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
