"""WHO Child Growth Standards z-scores, vectorised, identical to WHO ``anthro`` on valid rows.

Public entry point: :func:`compute_zscores`. The modules:

- ``inputs``: cleaning, impossible-value detection, age rounding, 0.7 cm and 9-month rules;
- ``tables``: the WHO LMS tables from ``analysis/data/reference/who/`` as flat lookup arrays;
- ``lms``: the LMS formula, the restricted form beyond ±3 SD, R's rounding, the flag rule;
- ``haz``, ``waz``, ``whz``, ``baz``: one indicator each.

Constants (cut-offs, windows, days per month) are in ``analysis/data/config/growth.yaml``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.growth.baz import baz
from analysis.growth.haz import haz
from analysis.growth.inputs import REASONS, invalid_reasons, prepare
from analysis.growth.tables import load_tables
from analysis.growth.waz import waz
from analysis.growth.whz import whz

OUTPUT_COLUMNS = (
    "height_cm_adj", "bmi", "haz", "waz", "whz", "baz",
    "haz_flag", "waz_flag", "whz_flag", "baz_flag", "invalid_reason",
)

__all__ = ["compute_zscores", "OUTPUT_COLUMNS"]

#: Rows processed at a time (a tuning knob, not a rule: results do not depend on it).
BLOCK_ROWS = 262_144


def compute_zscores(frame: pd.DataFrame) -> pd.DataFrame:
    """Length/height-for-age, weight-for-age, weight-for-length/height and BMI-for-age z-scores.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per measurement:

        - ``sex``: 1 male, 2 female;
        - ``age_days``: age in days (float, may be fractional or missing);
        - ``weight_kg``: weight in kg;
        - ``height_cm``: length or height in cm, as measured;
        - ``measure`` (optional): ``"l"`` lying, ``"h"`` standing, any case, or missing;
        - ``oedema`` (optional): bool, or ``"y"``/``"n"``; missing means no oedema.

    Returns
    -------
    pandas.DataFrame
        Same index as ``frame``, columns:

        - ``height_cm_adj`` (float64, cm): length/height after the 0.7 cm conversion;
        - ``bmi`` (float64, kg/m²) from the converted length;
        - ``haz``, ``waz``, ``whz``, ``baz`` (float64): z-scores rounded to 2 decimals as
          anthro rounds them, NaN where not computable;
        - ``haz_flag``, ``waz_flag``, ``whz_flag``, ``baz_flag`` (nullable ``boolean``): WHO
          implausibility flags (HAZ |z| > 6; WAZ z < −6 or > 5; WHZ, BAZ |z| > 5), <NA>
          where the z-score is missing;
        - ``invalid_reason`` (``string``): why the row holds an impossible value (in Bahasa
          Indonesia, naming the column), <NA> where the row is valid.

    Raises
    ------
    analysis.errors.ParameterError
        A required column is absent. Bad *values* never raise: they are reported per row.

    Notes
    -----
    - Valid rows agree with WHO anthro 1.1.0.9000 exactly (value after rounding, flag,
      missingness); ``tests/test_growth_reference.py`` checks all 2,000 golden cases, and
      ``tests/test_growth_halfway.py`` 2,920 children built so that their exact z lies on a
      rounding half-way point, where the last bit of R's ``pow`` decides (see
      :mod:`analysis.growth.lms`).
    - Impossible values (weight or length <= 0, negative age, unknown sex, position or oedema
      value, non-numeric or infinite numbers) make the z-scores that use them NaN; the others
      are still computed. See :mod:`analysis.growth.inputs`.
    - Children aged 60 months or more get no z-score and are not invalid.
    - Output never contains ``inf``.
    - Fully vectorised, in blocks of :data:`BLOCK_ROWS` rows (results do not depend on the
      block size): about 0.25–0.3 s and < 300 MB for 1 M rows on the project machine when it
      is not busy (``benchmarks/bench_growth.py``).
    """
    settings = config.load_settings("growth")
    tables = load_tables()
    n = len(frame)
    indicators = (("haz", haz), ("waz", waz), ("whz", whz), ("baz", baz))
    floats = {c: np.empty(n) for c in ("height_cm_adj", "bmi", *(i for i, _ in indicators))}
    flags = {i: np.empty(n, dtype=bool) for i, _ in indicators}
    bad = {c: np.empty(n, dtype=np.uint8) for c in REASONS}
    # Blocks of BLOCK_ROWS keep every temporary array small: memory stays flat with the size of
    # the frame and 10 M rows cost ten times 1 M instead of paging in gigabytes of temporaries.
    # range(0, max(n, 1)) runs one (empty) block for an empty frame, so columns are checked.
    for start in range(0, max(n, 1), BLOCK_ROWS):
        block = frame.iloc[start:start + BLOCK_ROWS]
        rows = slice(start, start + len(block))
        prep = prepare(block, settings)
        floats["height_cm_adj"][rows] = prep.height_adj
        floats["bmi"][rows] = prep.bmi
        for name, fn in indicators:
            floats[name][rows], flags[name][rows] = fn(prep, tables, settings)
        for c in bad:
            bad[c][rows] = prep.bad[c]

    columns: dict[str, object] = dict(floats)
    for name, _ in indicators:
        columns[f"{name}_flag"] = pd.arrays.BooleanArray(flags[name], np.isnan(floats[name]))
    out = pd.DataFrame(columns, index=frame.index, copy=False)
    out["invalid_reason"] = invalid_reasons(bad, frame.index)
    return out
