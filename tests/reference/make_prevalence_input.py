"""Write prevalence_input.csv: the J_random children of reference_cases.csv, input columns only.

    .venv/bin/python tests/reference/make_prevalence_input.py

The file is the input of anthro_prevalence() in make_reference.R; this command reproduces the
committed file byte for byte (tests/test_growth_reference_files.py checks it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
INPUTS = ["case_id", "case_group", "sex", "age_days", "weight_kg", "lenhei_cm", "measure",
          "oedema", "cluster", "strata"]


def prevalence_input() -> str:
    """The CSV text of prevalence_input.csv, made from reference_cases.csv."""
    cases = pd.read_csv(HERE / "reference_cases.csv")
    return cases[cases["case_group"] == "J_random"][INPUTS].to_csv(index=False)


if __name__ == "__main__":
    (HERE / "prevalence_input.csv").write_text(prevalence_input(), encoding="utf-8")
